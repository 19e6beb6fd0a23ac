// The three packages as their users get them. Each is packed with `npm pack` from a temp copy of the repository
// (without dist/, so only their prepack builds can put it in the tarballs; nothing is written to the repository),
// then installed from the tarballs into fresh temp projects that share the user's npm cache:
// - the catalog `mailcodes`, used by every kind of consumer the issue names: tsc + node, .mjs, require(), an esbuild
//   bundle, tsx, and TypeScript under moduleResolution node16, nodenext and bundler at ES2020;
// - the bounce reader `mailcodes-bounce`, with the catalog as its dependency: a real bounce mail classified from
//   JavaScript and from strict TypeScript;
// - the generator `mailcodes-generator`, run by a third party on its own spec folder (`npx mailcodes generate`), its
//   output compiled and run in that project, then `check`, `classify` and the CLI's edges.
import { execFile } from "node:child_process";
import { cp, mkdir, readdir, readFile, stat, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { build } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import { copyRegistries, ROOT, tempDir } from "./helpers.ts";

const TSC = path.join(ROOT, "node_modules/.bin/tsc");
const TSX = path.join(ROOT, "node_modules/tsx/dist/cli.mjs");
const NPM_FLAGS = ["--prefer-offline", "--no-audit", "--no-fund"];
/** npm installs may reach the registry (the generator's dependencies), on a machine shared with other slow tests. */
const INSTALL_MS = 240_000;

// Child processes run clean: without the npm_* variables of an `npm test` / `npx vitest` around this run (which
// would point a nested npm at this repository: npm_config_local_prefix), but with the user's npm cache and config.
const KEEP = /^npm_config_(cache|userconfig|globalconfig|registry|cafile|proxy|https_proxy|noproxy)$/i;
const ENV: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => (!/^npm_/i.test(key) || KEEP.test(key)) && key !== "NODE_OPTIONS"),
);

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

const execFileAsync = promisify(execFile);

/** Runs a program to its end; a non-zero exit is a result, not an exception. */
async function run(cwd: string, file: string, args: readonly string[], timeout = 120_000): Promise<Result> {
  try {
    const { stdout, stderr } = await execFileAsync(file, args, { cwd, env: ENV, timeout, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof e.code !== "number") throw error;
    return { code: e.code, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

/** Runs a program that must succeed; its output, or an error that shows everything it printed. */
async function ok(cwd: string, file: string, args: readonly string[], timeout?: number): Promise<string> {
  const result = await run(cwd, file, args, timeout);
  if (result.code !== 0) {
    throw new Error(`${[file, ...args].join(" ")} exited ${result.code} in ${cwd}\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

/** stderr without npm's own warnings (a user's .npmrc may carry options this npm does not know). */
function ownLines(stderr: string): string[] {
  return stderr.split("\n").filter((line) => line !== "" && !/^npm (warn|notice)\b/.test(line));
}

/** Every file under a dir, by path from it, with its size. */
async function files(dir: string): Promise<Map<string, number>> {
  const result = new Map<string, number>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    result.set(path.relative(dir, file).split(path.sep).join("/"), (await stat(file)).size);
  }
  return result;
}

/** What of the repository a developer's `npm pack` sees: everything but what .gitignore leaves out. */
function packable(source: string): boolean {
  const rel = path.relative(ROOT, source).split(path.sep).join("/");
  if (rel === "") return true;
  const parts = rel.split("/");
  if (parts.includes("node_modules") || parts[0] === ".git" || parts[0] === ".tmp") return false;
  if (rel === "dist" || /^packages\/[^/]+\/dist$/.test(rel) || rel === "bench/.work") return false;
  return !/\.(tgz|tsbuildinfo)$/.test(rel);
}

interface Packed {
  name: string;
  version: string;
  tarball: string;
  /** `tar -tzf` of the tarball: every entry, "package/…". */
  entries: string[];
  /** What npm printed while packing (the lifecycle scripts' banners). */
  log: string;
}

/** `npm pack` in a package folder, into a dir of its own. */
async function pack(dir: string, work: string): Promise<Packed> {
  const manifest = JSON.parse(await readFile(path.join(dir, "package.json"), "utf8")) as { name: string; version: string };
  const destination = path.join(work, `packed-${manifest.name}`);
  await mkdir(destination);
  const result = await run(dir, "npm", ["pack", "--pack-destination", destination], INSTALL_MS);
  if (result.code !== 0) throw new Error(`npm pack of ${manifest.name} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
  const made = (await readdir(destination)).filter((name) => name.endsWith(".tgz"));
  expect(made).toHaveLength(1);
  const tarball = path.join(destination, made[0]!);
  const entries = (await ok(work, "tar", ["-tzf", tarball])).split("\n").filter((line) => line !== "");
  return { ...manifest, tarball, entries, log: result.stdout + result.stderr };
}

/**
 * A fresh project (type module) that installs tarballs as its dependencies. A package's dependency on another of
 * this repository's packages is met by that package's tarball, installed beside it (they are not on the registry).
 */
async function project(dir: string, ...tarballs: string[]): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, "package.json"), JSON.stringify({ name: path.basename(dir), private: true, type: "module" }, null, 2));
  await ok(dir, "npm", ["install", ...tarballs, ...NPM_FLAGS], INSTALL_MS);
  return dir;
}

/**
 * The copy's node_modules: the repository's installed tools, but the workspace packages linked to the copy's own
 * folders (the repository's links point at its packages, whose dist/ the copy must not see).
 */
async function linkModules(copy: string): Promise<void> {
  const modules = path.join(copy, "node_modules");
  await mkdir(modules);
  const workspaces = JSON.parse(await readFile(path.join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> };
  for (const name of await readdir(path.join(ROOT, "node_modules"))) {
    const own = name in workspaces.dependencies && (await stat(path.join(ROOT, "packages", name)).then(() => true, () => false));
    await symlink(own ? path.join(copy, "packages", name) : path.join(ROOT, "node_modules", name), path.join(modules, name), "dir");
  }
}

/** tsconfig compiler options of a strict consumer at the minimum target the catalog states (ES2020). */
function strictOptions(module: string, moduleResolution: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    target: "ES2020", lib: ["ES2020"], module, moduleResolution, strict: true, noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true, verbatimModuleSyntax: true, types: [], ...extra,
  };
}

let catalog: Packed;
let bounce: Packed;
let generator: Packed;
let consumer: string;
let bounceConsumer: string;
let thirdParty: string;

beforeAll(async () => {
  const work = await tempDir(true);
  const copy = path.join(work, "repo");
  await cp(ROOT, copy, { recursive: true, filter: packable });
  await linkModules(copy);
  // One at a time: the generator's build compiles the other two packages first (its classify command uses them).
  catalog = await pack(path.join(copy, "packages/mailcodes"), work);
  bounce = await pack(path.join(copy, "packages/mailcodes-bounce"), work);
  generator = await pack(copy, work);
  [consumer, bounceConsumer, thirdParty] = await Promise.all([
    project(path.join(work, "consumer"), catalog.tarball),
    project(path.join(work, "bounce-consumer"), bounce.tarball, catalog.tarball),
    project(path.join(work, "third-party"), generator.tarball, bounce.tarball, catalog.tarball),
  ]);
}, 3 * INSTALL_MS);

describe("npm pack", () => {
  it("runs each package's prepack build: the tarballs carry dist/, which the packed copy did not have", async () => {
    for (const { tarball } of [catalog, bounce, generator]) console.log(`${path.basename(tarball)}: ${(await stat(tarball)).size} bytes`);
    expect(catalog.log).toContain(`> ${catalog.name}@${catalog.version} prepack`);
    expect(catalog.entries).toEqual(expect.arrayContaining(["package/dist/index.js", "package/dist/index.d.ts", "package/dist/runtime.js", "package/dist/runtime-classify.js"]));
    expect(bounce.log).toContain(`> ${bounce.name}@${bounce.version} prepack`);
    expect(bounce.entries).toEqual(expect.arrayContaining(["package/dist/index.js", "package/dist/index.d.ts", "package/LICENSE", "package/README.md"]));
    expect(generator.log).toContain(`> ${generator.name}@${generator.version} prepack`);
    expect(generator.entries).toEqual(expect.arrayContaining(["package/bin/mailcodes.js", "package/dist/cli.js"]));
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The catalog

/** What every consumer program below prints, one JSON line: an enum, a lookup, a guard, parsers, the index. */
const EXPECTED = {
  enum: 550,
  lookup: "permanent",
  guard: [true, false, false],
  parser: 550,
  enhanced: "4.4.1",
  index: 1,
};

/** The consumer program's body, in JavaScript and TypeScript alike. */
const BODY = `
const reply = SmtpReplyCode.MailboxUnavailable;
console.log(JSON.stringify({
  enum: reply,
  lookup: lookupSmtpReplyCode(reply).outcome,
  guard: [isSmtpReplyCode(550), isSmtpReplyCode(599), isSmtpReplyCode("550")],
  parser: parseSmtpReplyCode("550-5.1.1 The email account that you tried to reach does not exist."),
  enhanced: parseEnhancedStatusCode("(#4.4.1)"),
  index: lookup("smp-delivery-code", 42551).attributes.invalidateAfterErrors,
}));
`;

const ESM_PROGRAM = `import { isSmtpReplyCode, lookupSmtpReplyCode, parseSmtpReplyCode, SmtpReplyCode } from "mailcodes/smtp-reply-code";
import { parseEnhancedStatusCode } from "mailcodes/enhanced-status-subject-detail";
import { lookup } from "mailcodes";
${BODY}`;

/** The TypeScript consumer: typed values, and console declared (lib ES2020 has none; no @types/node here). */
const TS_PROGRAM = `import { isSmtpReplyCode, lookupSmtpReplyCode, parseSmtpReplyCode, SmtpReplyCode, type SmtpReplyCodePermanent } from "mailcodes/smtp-reply-code";
import { parseEnhancedStatusCode, type EnhancedStatusCode } from "mailcodes/enhanced-status-subject-detail";
import { lookup } from "mailcodes";
declare const console: { log(...data: unknown[]): void };
const permanent: SmtpReplyCodePermanent = SmtpReplyCode.MailboxUnavailable;
const enhanced: EnhancedStatusCode | undefined = parseEnhancedStatusCode("5.1.1");
const rule: 1 | 3 = lookup("smp-delivery-code", 42551).attributes.invalidateAfterErrors;
export const typed = [permanent, enhanced, rule];
${BODY}`;

const CJS_PROGRAM = `const { isSmtpReplyCode, lookupSmtpReplyCode, parseSmtpReplyCode, SmtpReplyCode } = require("mailcodes/smtp-reply-code");
const { parseEnhancedStatusCode } = require("mailcodes/enhanced-status-subject-detail");
const { lookup } = require("mailcodes");
${BODY}`;

function printed(stdout: string): unknown {
  return JSON.parse(stdout.trim());
}

describe("the catalog package, installed from its tarball", { timeout: 120_000 }, () => {
  it("installs alone: `npm ls --omit=dev --all` shows mailcodes and nothing else", async () => {
    const out = await ok(consumer, "npm", ["ls", "--omit=dev", "--all"]);
    const lines = out.split("\n").filter((line) => line.trim() !== "");
    expect(lines.slice(1)).toEqual([`└── mailcodes@${catalog.version}`]);
    const installed = JSON.parse(await ok(consumer, "npm", ["ls", "--omit=dev", "--all", "--json"])) as {
      dependencies: Record<string, { dependencies?: unknown }>;
    };
    expect(Object.keys(installed.dependencies)).toEqual(["mailcodes"]);
    expect(installed.dependencies["mailcodes"]?.dependencies).toBeUndefined();
  });

  it("is under 2 MB installed and holds only dist/ (JavaScript and declarations), package.json, README.md, LICENSE", async () => {
    const dir = path.join(consumer, "node_modules/mailcodes");
    expect((await readdir(dir)).sort()).toEqual(["LICENSE", "README.md", "dist", "package.json"]);
    const installed = await files(dir);
    const size = [...installed.values()].reduce((a, b) => a + b, 0);
    expect(size).toBeLessThan(2 * 1024 * 1024);
    const dist = [...installed.keys()].filter((file) => file.startsWith("dist/"));
    expect(dist.filter((file) => !/^dist\/[a-z0-9-]+\.(js|d\.ts)$/.test(file))).toEqual([]);
    expect(dist).toContain("dist/index.js");
    expect(dist).toContain("dist/index.d.ts");
    expect(catalog.entries.map((entry) => entry.replace(/^package\//, "")).sort()).toEqual([...installed.keys()].sort());
  });

  it("compiles with tsc (strict, module NodeNext) and the output runs with node", async () => {
    const dir = path.join(consumer, "tsc-nodenext");
    await mkdir(dir);
    await writeFile(path.join(dir, "main.ts"), TS_PROGRAM);
    const config = { compilerOptions: strictOptions("NodeNext", "NodeNext", { rootDir: ".", outDir: "out" }), files: ["main.ts"] };
    await writeFile(path.join(dir, "tsconfig.json"), JSON.stringify(config, null, 2));
    expect(await ok(dir, TSC, ["-p", "."])).toBe("");
    expect(printed(await ok(dir, process.execPath, ["out/main.js"]))).toEqual(EXPECTED);
  });

  it("runs from a plain .mjs import", async () => {
    await writeFile(path.join(consumer, "main.mjs"), ESM_PROGRAM);
    expect(printed(await ok(consumer, process.execPath, ["main.mjs"]))).toEqual(EXPECTED);
  });

  it("runs from CommonJS require() (Node ≥ 20.19 requires ESM)", async () => {
    await writeFile(path.join(consumer, "main.cjs"), CJS_PROGRAM);
    expect(printed(await ok(consumer, process.execPath, ["main.cjs"]))).toEqual(EXPECTED);
  });

  it("bundles one enum with esbuild (minified, tree-shaken) under 1 KB, by its module or through the index", async () => {
    for (const from of ["mailcodes/smp-delivery-code", "mailcodes"]) {
      const result = await build({
        stdin: { contents: `import { SmpDeliveryCode } from "${from}";\nconsole.log(SmpDeliveryCode.DeliveryCompleted);\n`, resolveDir: consumer, loader: "js" },
        bundle: true, minify: true, treeShaking: true, format: "esm", platform: "browser", write: false, logLevel: "silent",
      });
      const bundle = result.outputFiles[0]!.text;
      expect(Buffer.byteLength(bundle), `${from}:\n${bundle}`).toBeLessThan(1024);
      // Only the enum's object: none of the entries' data, no other set, no runtime.
      expect(bundle).not.toMatch(/invalidateAfterErrors|new Map|function|=>|SmtpReplyCode|説明/);
      const file = path.join(consumer, "bundle.mjs");
      await writeFile(file, bundle);
      expect((await ok(consumer, process.execPath, [file])).trim()).toBe("40000");
    }
  });

  it("runs a .ts file through tsx", async () => {
    await writeFile(path.join(consumer, "main-tsx.ts"), TS_PROGRAM);
    expect(printed(await ok(consumer, process.execPath, [TSX, "main-tsx.ts"]))).toEqual(EXPECTED);
  });

  // The README's bounce handler (test/consumer/bounce-handler.ts: typed narrowings, and @ts-expect-error lines that
  // must stay errors, so types that fell back to any would fail) and the program above, type-checked against the
  // installed declarations, which are checked too (no skipLibCheck).
  it.each([
    ["node16", "node16"],
    ["nodenext", "nodenext"],
    ["bundler", "esnext"],
    ["bundler", "preserve"],
  ])("compiles under moduleResolution %s (module %s), lib and target ES2020, strict", async (moduleResolution, module) => {
    const dir = path.join(consumer, `ts-${moduleResolution}-${module}`);
    await mkdir(dir);
    await cp(path.join(ROOT, "test/consumer/bounce-handler.ts"), path.join(dir, "bounce-handler.ts"));
    await writeFile(path.join(dir, "main.ts"), TS_PROGRAM);
    const config = { compilerOptions: { ...strictOptions(module, moduleResolution), noEmit: true }, files: ["bounce-handler.ts", "main.ts"] };
    await writeFile(path.join(dir, "tsconfig.json"), JSON.stringify(config, null, 2));
    expect(await ok(dir, TSC, ["-p", "."])).toBe("");
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The bounce reader

/** A real bounce (Exim, refused at MAIL FROM) and what Sisimai's tests expect of it. */
const BOUNCE_MAIL = path.join(ROOT, "test/fixtures/sisimai/emails/lhost-exim-01.eml");
const BOUNCE_EXPECTED = [{ recipient: "kijitora@example.ed.jp", reason: "blocked", hardBounce: false, enhancedCode: "5.7.0", replyCode: 550 }];

const BOUNCE_BODY = `
const results = await classifyBounce(await readFile("bounce.eml"));
console.log(JSON.stringify(results.map(({ recipient, reason, hardBounce, enhancedCode, replyCode }) => ({ recipient, reason, hardBounce, enhancedCode, replyCode }))));
`;

/** Strict TypeScript over the result's types; no @types/node, so the file is read through a declared function. */
const BOUNCE_TS_PROGRAM = `import { classifyBounce, type BounceResult } from "mailcodes-bounce";
import type { BounceReason } from "mailcodes";
declare const console: { log(...data: unknown[]): void };
declare function readFile(file: string): Promise<Uint8Array>;
const reasons: readonly BounceReason[] = (await classifyBounce("")).map((r: BounceResult) => r.reason);
export const typed = reasons;
${BOUNCE_BODY}`;

describe("the bounce package, installed from its tarball with the catalog's", { timeout: 120_000 }, () => {
  beforeAll(async () => {
    await cp(BOUNCE_MAIL, path.join(bounceConsumer, "bounce.eml"));
  });

  it("depends on the catalog and postal-mime only", async () => {
    const installed = JSON.parse(await ok(bounceConsumer, "npm", ["ls", "--omit=dev", "--all", "--json"])) as {
      dependencies: Record<string, { version: string; dependencies?: Record<string, unknown> }>;
    };
    expect(Object.keys(installed.dependencies).sort()).toEqual(["mailcodes", "mailcodes-bounce"]);
    expect(Object.keys(installed.dependencies["mailcodes-bounce"]?.dependencies ?? {}).sort()).toEqual(["mailcodes", "postal-mime"]);
    expect((await readdir(path.join(bounceConsumer, "node_modules/mailcodes-bounce"))).sort()).toEqual(["LICENSE", "README.md", "dist", "package.json"]);
  });

  it("classifies a real bounce from a plain .mjs program as Sisimai does", async () => {
    await writeFile(path.join(bounceConsumer, "main.mjs"), `import { readFile } from "node:fs/promises";\nimport { classifyBounce } from "mailcodes-bounce";\n${BOUNCE_BODY}`);
    expect(printed(await ok(bounceConsumer, process.execPath, ["main.mjs"]))).toEqual(BOUNCE_EXPECTED);
  });

  it("compiles with tsc (strict, NodeNext, lib ES2022 without DOM, declarations checked) and runs", async () => {
    const dir = path.join(bounceConsumer, "ts");
    await mkdir(dir);
    await writeFile(path.join(dir, "main.ts"), BOUNCE_TS_PROGRAM);
    const options = strictOptions("NodeNext", "NodeNext", { target: "ES2022", lib: ["ES2022"], rootDir: ".", outDir: "out" });
    await writeFile(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: options, files: ["main.ts"] }, null, 2));
    expect(await ok(dir, TSC, ["-p", "."])).toBe("");
    // The compiled program, given node's readFile for the declared one.
    const compiled = await readFile(path.join(dir, "out/main.js"), "utf8");
    await writeFile(path.join(dir, "out/main.js"), `import { readFile as read } from "node:fs/promises";\nconst readFile = (file) => read("../" + file);\n${compiled}`);
    expect(printed(await ok(dir, process.execPath, ["out/main.js"]))).toEqual(BOUNCE_EXPECTED);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The generator

/** A third party's document: a relay's result codes. */
const VENDOR_DOCUMENT = `Acme Relay: result codes

code  meaning            reply  enhanced  retry after
A100  Delivered          250    2.0.0
A421  Throttled, retry   421    4.7.0     15 minutes
A550  No such mailbox    550    5.1.1
`;

/** Its transcription, referring to the standard registries (copied beside it). */
const VENDOR_SPEC = `# yaml-language-server: $schema=./mailcodes.schema.json
source:
  file: sources/acme-relay-result-codes.txt
  title: "Acme Relay: result codes"
  publisher: Acme Relay, Inc.
  url: https://relay.example.com/docs/result-codes
  language: en
codeSets:
  - id: acme-result
    name: AcmeResult
    table: result codes
    description: The result codes Acme Relay records for each message it relays.
    codeFormat: alphanumeric
    columns:
      - key: meaning
        heading: meaning
        language: en
        description: What the code means.
    attributes:
      - key: retryAfterMinutes
        heading: retry after
        type: integer
        description: How long Acme Relay waits before it tries again, in minutes; blank when it does not retry.
    entries:
      - code: A100
        name: Delivered
        replyCode: 250
        enhancedCode: "2.0.0"
        texts: { meaning: Delivered }
        outcome: success
        outcomeBasis: code-class
      - code: A421
        name: Throttled
        replyCode: 421
        enhancedCode: "4.7.0"
        texts: { meaning: "Throttled, retry" }
        attributes: { retryAfterMinutes: 15 }
        outcome: transient
        outcomeBasis: code-class
      - code: A550
        name: NoSuchMailbox
        replyCode: 550
        enhancedCode: "5.1.1"
        texts: { meaning: No such mailbox }
        outcome: permanent
        outcomeBasis: code-class
`;

/** The third party's program over its generated modules. */
const VENDOR_PROGRAM = `import { AcmeResult, isAcmeResult, lookupAcmeResult, parseAcmeResult } from "./codes/acme-result.js";
import { lookupSmtpReplyCode, type SmtpReplyCode } from "./codes/smtp-reply-code.js";
import { lookup } from "./codes/index.js";
declare const console: { log(...data: unknown[]): void };
const info = lookupAcmeResult(AcmeResult.NoSuchMailbox);
const reply: SmtpReplyCode = info.replyCode;
console.log(JSON.stringify({
  code: info.code,
  outcome: info.outcome,
  reply,
  enhanced: info.enhancedCode,
  registry: lookupSmtpReplyCode(reply).outcome,
  retry: lookupAcmeResult(AcmeResult.Throttled).attributes.retryAfterMinutes ?? null,
  guard: [isAcmeResult("A421"), isAcmeResult("A999")],
  parser: parseAcmeResult("relay=acme status=A550 (550 5.1.1 user unknown)") ?? null,
  index: lookup("acme-result", "A100")?.name ?? null,
}));
`;

describe("the generator package, installed from its tarball into a third party's project", { timeout: 120_000 }, () => {
  const SPECS = "my-specs";
  const OUT = "src/codes";
  const npx = (...args: string[]) => run(thirdParty, "npx", ["--no", "mailcodes", ...args], INSTALL_MS);

  beforeAll(async () => {
    const specDir = path.join(thirdParty, SPECS);
    await copyRegistries(specDir);
    await mkdir(path.join(specDir, "sources"));
    await writeFile(path.join(specDir, "sources/acme-relay-result-codes.txt"), VENDOR_DOCUMENT);
    await writeFile(path.join(specDir, "acme.yaml"), VENDOR_SPEC);
    await mkdir(path.join(thirdParty, "src")); // the out dir is made, its parent must exist
  });

  it("is compiled JavaScript: the tarball holds dist/ and no TypeScript but the runtime it copies; no tsx installed", async () => {
    expect(generator.entries.filter((entry) => /\.[cm]?ts$/.test(entry)).sort()).toEqual(["package/generator/runtime/runtime-classify.ts", "package/generator/runtime/runtime.ts"]);
    expect(generator.entries.filter((entry) => entry.startsWith("package/dist/") && !entry.endsWith(".js"))).toEqual([]);
    const installed = await readdir(path.join(thirdParty, "node_modules"));
    expect(installed).toEqual(expect.arrayContaining(["mailcodes-generator", "ajv", "diff", "ts-morph", "yaml"]));
    expect(installed).not.toContain("tsx");
    const bin = await readFile(path.join(thirdParty, "node_modules/mailcodes-generator/bin/mailcodes.js"), "utf8");
    expect(bin).not.toMatch(/tsx/);
  });

  it("`npx mailcodes generate --spec-dir my-specs --out-dir src/codes` exits 0 and writes the modules with runtime.ts", async () => {
    const result = await npx("generate", "--spec-dir", SPECS, "--out-dir", OUT);
    expect(result.code, result.stderr).toBe(0);
    const written = await readdir(path.join(thirdParty, OUT));
    expect(written).toEqual(expect.arrayContaining(["acme-result.ts", "index.ts", "runtime.ts", "smtp-reply-code.ts"]));
    const vendor = await readFile(path.join(thirdParty, OUT, "acme-result.ts"), "utf8");
    expect(vendor).toContain(`from "./runtime.js"`);
  });

  it("the generated modules compile with tsc (strict, NodeNext) in the project, and run with node", async () => {
    await writeFile(path.join(thirdParty, "src/main.ts"), VENDOR_PROGRAM);
    const config = { compilerOptions: strictOptions("NodeNext", "NodeNext", { rootDir: "src", outDir: "build" }), include: ["src"] };
    await writeFile(path.join(thirdParty, "tsconfig.json"), JSON.stringify(config, null, 2));
    expect(await ok(thirdParty, TSC, ["-p", "."])).toBe("");
    expect(printed(await ok(thirdParty, process.execPath, ["build/main.js"]))).toEqual({
      code: "A550",
      outcome: "permanent",
      reply: 550,
      enhanced: "5.1.1",
      registry: "permanent",
      retry: 15,
      guard: [true, false],
      parser: "A550",
      index: "Delivered",
    });
  });

  it("`npx mailcodes check` exits 0 on the fresh output, and 1 naming the stale module after a spec edit", async () => {
    const fresh = await npx("check", "--spec-dir", SPECS, "--out-dir", OUT);
    expect(fresh.code, fresh.stdout + fresh.stderr).toBe(0);
    const spec = path.join(thirdParty, SPECS, "acme.yaml");
    await writeFile(spec, VENDOR_SPEC.replace("texts: { meaning: No such mailbox }", "texts: { meaning: No such mailbox here }"));
    const stale = await npx("check", "--spec-dir", SPECS, "--out-dir", OUT);
    expect(stale.code, stale.stdout + stale.stderr).toBe(1);
    expect(stale.stdout + stale.stderr).toContain("acme-result.ts");
  });

  it("`npx mailcodes classify` prints one JSON line per SMTP reply and per bounced recipient of a mail", async () => {
    await cp(BOUNCE_MAIL, path.join(thirdParty, "bounce.eml"));
    await writeFile(path.join(thirdParty, "replies.log"), "550-5.1.1 The email account that you tried to reach does not exist. Please try\n550 5.1.1 double-checking the recipient's email address\n452 4.2.2 Mailbox full\n");
    const result = await npx("classify", "replies.log", "bounce.eml");
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((l) => [l["file"], l["line"] ?? l["recipient"], l["reason"], l["enhancedCode"]])).toEqual([
      ["replies.log", 1, "userunknown", "5.1.1"],
      ["replies.log", 3, "mailboxfull", "4.2.2"],
      ["bounce.eml", "kijitora@example.ed.jp", "blocked", "5.7.0"],
    ]);
  });

  it("a missing spec dir is one line on stderr and exit 2", async () => {
    const result = await npx("generate", "--spec-dir", "no-such-specs", "--out-dir", OUT);
    expect(result.code).toBe(2);
    const lines = ownLines(result.stderr);
    expect(lines, result.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^mailcodes: .*no-such-specs/);
    expect(result.stdout).toBe("");
  });
});
