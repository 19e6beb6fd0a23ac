// Shared test helpers: temp dirs, the CLI run in-process, tsc over a folder of TypeScript.
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, afterEach } from "vitest";
import { main } from "../generator/src/cli.ts";
import type { EmitOptions, GeneratedFile } from "../generator/src/emit.ts";
import { type LoadedSpec, parseSpec } from "../generator/src/load.ts";
import type { Catalog } from "../generator/src/model.ts";
import { generatorVersion } from "../generator/src/package-files.ts";
import { checkAndModel, type Modelled, modelSpecDir } from "../generator/src/pipeline.ts";
import { writeOutDir } from "../generator/src/write.ts";

export const ROOT = path.resolve(import.meta.dirname, "..");
export const SPEC_DIR = path.join(ROOT, "spec");

const temps: string[] = [];
const fileTemps: string[] = [];
afterEach(async () => {
  await Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});
afterAll(async () => {
  await Promise.all(fileTemps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A temp dir removed after the test; or, made in beforeAll (`forFile`), after the test file. */
export async function tempDir(forFile = false): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "mailcodes-test-"));
  (forFile ? fileTemps : temps).push(dir);
  return dir;
}

/** The standard registries the generator carries (and resolves references against unless a spec dir has its own). */
export const REGISTRY_DIR = path.join(ROOT, "generator/registries");
/** The specs that define the registries references resolve against, and what they are transcribed from. */
export const REGISTRY_SPECS = [
  "iana-enhanced-status-classes.yaml",
  "iana-enhanced-status-codes.yaml",
  "rfc5321.yaml",
  "smtp-reply-codes-extended.yaml",
];

/** Copies the registry specs and their reference tables into a spec dir (made if need be): the dir's own registries. */
export async function copyRegistries(specDir: string): Promise<void> {
  await mkdir(specDir, { recursive: true });
  for (const name of REGISTRY_SPECS) await cp(path.join(REGISTRY_DIR, name), path.join(specDir, name));
  await cp(path.join(REGISTRY_DIR, "reference"), path.join(specDir, "reference"), { recursive: true });
}

/** Creates (empty) the source documents that spec texts name in `source.file`, so that only what a test breaks is wrong. */
export async function touchDocuments(specDir: string, texts: readonly string[]): Promise<void> {
  for (const text of texts) {
    const file =
      /^\s*file:\s*"?([A-Za-z0-9._/-]+)"?\s*$/m.exec(text)?.[1] ??
      /\bfile:\s*([A-Za-z0-9._/-]+)\s*[,}]/.exec(text)?.[1];
    if (file === undefined || file.split("/").includes("..")) continue;
    await mkdir(path.dirname(path.join(specDir, file)), { recursive: true });
    await writeFile(path.join(specDir, file), "", { flag: "a" });
  }
}

/** A temp copy of the real specs (and their schema), to break or extend. */
export async function copyOfSpecs(): Promise<string> {
  const dir = path.join(await tempDir(), "spec");
  await cp(SPEC_DIR, dir, { recursive: true });
  return dir;
}

export interface Run {
  code: number;
  out: string;
  err: string;
}

/** The CLI, in-process, with its output captured. */
export async function run(...argv: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** Every file under a dir (by path from it) with its bytes and mtime: to prove a command left it exactly as it was. */
export async function snapshot(dir: string): Promise<Record<string, { text: string; mtimeMs: number }>> {
  const result: Record<string, { text: string; mtimeMs: number }> = {};
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch {
    return result;
  }
  for (const entry of entries.filter((e) => e.isFile())) {
    const file = path.join(entry.parentPath, entry.name);
    result[path.relative(dir, file)] = { text: await readFile(file, "utf8"), mtimeMs: (await stat(file)).mtimeMs };
  }
  return Object.fromEntries(Object.entries(result).sort(([a], [b]) => (a < b ? -1 : 1)));
}

const exec = promisify(execFile);

/** Type-checks a folder of TypeScript with the project's strict options; returns tsc's output ("" when clean). */
export async function typecheck(dir: string, extraOptions: Record<string, unknown> = {}): Promise<string> {
  const config = {
    compilerOptions: {
      target: "ES2020",
      lib: ["ES2020"],
      module: "NodeNext",
      moduleResolution: "NodeNext",
      strict: true,
      noUncheckedIndexedAccess: true,
      exactOptionalPropertyTypes: true,
      isolatedModules: true,
      verbatimModuleSyntax: true,
      erasableSyntaxOnly: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
      // Generated modules import the runtime package; here it is its sources, as in the repository's tsconfig.
      paths: { "mailcodes-runtime": [path.join(ROOT, "packages/runtime/src/index.ts")] },
      ...extraOptions,
    },
    include: ["**/*.ts"],
  };
  await writeFile(path.join(dir, "tsconfig.json"), JSON.stringify(config));
  await writeFile(path.join(dir, "package.json"), JSON.stringify({ type: "module" }));
  try {
    await exec(path.join(ROOT, "node_modules/.bin/tsc"), ["-p", dir], { cwd: dir });
    return "";
  } catch (error) {
    return String((error as { stdout?: string }).stdout ?? error);
  }
}

/** The real specs, modelled once per test file: their catalog (the test fails if they have problems). */
export async function realCatalog(): Promise<Catalog> {
  const result = await modelSpecDir(SPEC_DIR);
  if (!result.catalog)
    throw new Error(
      `the specs do not validate:\n${result.diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.message}`).join("\n")}`,
    );
  return result.catalog;
}

/** Emit as the CLI does: the generator's version and runtime, and the given options. */
export async function emitFiles(catalog: Catalog, options: Partial<EmitOptions> = {}): Promise<GeneratedFile[]> {
  const { emit } = await import("../generator/src/emit.ts"); // loaded when asked for, as the CLI loads it: it brings the compiler
  return emit(catalog, { generatorVersion: await generatorVersion(), ...options });
}

/** Specs given as texts by file name ("spec/s.yaml"), every source document taken to exist unless listed. */
export function modelTexts(files: Record<string, string>, documents?: readonly string[]): Modelled {
  const specs: LoadedSpec[] = Object.entries(files).map(([file, text]) => {
    const { spec, diagnostics } = parseSpec(file, Buffer.from(text));
    if (!spec) throw new Error(diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.message}`).join("\n"));
    return spec;
  });
  const named = specs
    .map((s) => (s.data as { source?: { file?: unknown } }).source?.file)
    .filter((f): f is string => typeof f === "string");
  return checkAndModel(specs, new Set(documents ?? named), "spec");
}

/** Writes generated files to a fresh temp dir and returns it (kept for the test file when `forFile`). */
export async function writeFiles(files: readonly GeneratedFile[], forFile = false): Promise<string> {
  const dir = path.join(await tempDir(forFile), "generated");
  await mkdir(dir);
  for (const file of files) await writeFile(path.join(dir, file.path), file.text);
  return dir;
}

/** A generated module of the out-dir tests: the generated header, then `body`. */
export function generatedFile(name: string, body: string): GeneratedFile {
  return { path: name, text: `// Code generated by mailcodes from spec/${name}.yaml. DO NOT EDIT.\n${body}\n` };
}

/** A small out dir's modules: two sets and their index. */
export const OUT_DIR_FILES: readonly GeneratedFile[] = [
  generatedFile("a.ts", "export const a = 1;"),
  generatedFile("b.ts", "export const b = 2;"),
  generatedFile("index.ts", 'export * from "./a.js";'),
];

/** A new out dir (in a temporary folder) holding `files`, written as generate writes them. */
export async function outDirWith(files: readonly GeneratedFile[]): Promise<string> {
  const dir = path.join(await tempDir(), "generated");
  await writeOutDir(dir, files);
  return dir;
}
