// Shared test helpers: temp dirs, the CLI run in-process, tsc over a folder of TypeScript.
import { execFile } from "node:child_process";
import { cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach } from "vitest";
import { main } from "../generator/cli.ts";

export const ROOT = path.resolve(import.meta.dirname, "..");
export const SPEC_DIR = path.join(ROOT, "spec");

const temps: string[] = [];
afterEach(async () => {
  await Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A temp dir removed after the test. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "mailcodes-test-"));
  temps.push(dir);
  return dir;
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

/** Every file in a dir with its bytes and mtime: to prove a command left it exactly as it was. */
export async function snapshot(dir: string): Promise<Record<string, { text: string; mtimeMs: number }>> {
  const result: Record<string, { text: string; mtimeMs: number }> = {};
  let names: string[] = [];
  try {
    names = await readdir(dir);
  } catch {
    return result;
  }
  for (const name of names.sort()) {
    const file = path.join(dir, name);
    result[name] = { text: await readFile(file, "utf8"), mtimeMs: (await stat(file)).mtimeMs };
  }
  return result;
}

const exec = promisify(execFile);

/** Type-checks a folder of TypeScript with the project's strict options; returns tsc's output ("" when clean). */
export async function typecheck(dir: string, extraOptions: Record<string, unknown> = {}): Promise<string> {
  const config = {
    compilerOptions: {
      target: "ES2022", lib: ["ES2022"], module: "NodeNext", moduleResolution: "NodeNext", strict: true,
      noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true, isolatedModules: true, verbatimModuleSyntax: true,
      erasableSyntaxOnly: true, noEmit: true, skipLibCheck: true, types: [], ...extraOptions,
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
