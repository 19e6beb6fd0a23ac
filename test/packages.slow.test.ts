// The four packages as their users get them. Each is packed with `npm pack` from a temp copy of the repository
// (without dist/, so only their prepack builds can put it in the tarballs; nothing is written to the repository),
// then installed from the tarballs into fresh temp projects that share the user's npm cache. A package's dependency
// on another of this repository's packages is met by that package's tarball (they are not on the registry):
// - the runtime `mailcodes-runtime`, which the catalog and the generated modules import;
// - the catalog `mailcodes` (with the runtime, and no third-party package), used by every kind of consumer: tsc +
//   node, .mjs, require(), an esbuild bundle, tsx, and TypeScript under moduleResolution node16, nodenext and bundler
//   at ES2020;
// - the bounce reader `mailcodes-bounce` (with the catalog, the runtime and postal-mime only): a real bounce classified
//   from JavaScript and from strict TypeScript, and its bin on a log and a mail;
// - the generator `mailcodes-generator`, installed with the runtime and nothing else of this repository, run by a
//   third party on its own spec folder (`npx mailcodes generate`: a relay's codes, and the vendors' tables of
//   test/fixtures/natural, their standard codes resolved against the registries the package carries, none copied),
//   its output compiled and run in that project, then `check` and the CLI's edges.
import { execFile } from "node:child_process";
import { cp, mkdir, readdir, readFile, stat, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { build } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT, tempDir } from "./helpers.ts";

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

/**
 * What of the repository a developer's `npm pack` sees: every file git does not ignore (built dist/ folders, tarballs
 * and node_modules left out), as a filter for cp over the repository: those files and the folders that hold them.
 */
async function packable(): Promise<(source: string) => boolean> {
  const listed = await ok(ROOT, "git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"]);
  const keep = new Set<string>([""]);
  for (const file of listed.split("\0").filter((name) => name !== "")) {
    for (let at = file.length; at > 0; at = file.lastIndexOf("/", at - 1)) keep.add(file.slice(0, at));
  }
  return (source) => keep.has(path.relative(ROOT, source).split(path.sep).join("/"));
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
  const manifest = JSON.parse(await readFile(path.join(dir, "package.json"), "utf8")) as {
    name: string;
    version: string;
  };
  const destination = path.join(work, `packed-${manifest.name}`);
  await mkdir(destination);
  const result = await run(dir, "npm", ["pack", "--pack-destination", destination], INSTALL_MS);
  if (result.code !== 0)
    throw new Error(`npm pack of ${manifest.name} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
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
  await writeFile(
    path.join(dir, "package.json"),
    JSON.stringify({ name: path.basename(dir), private: true, type: "module" }, null, 2),
  );
  await ok(dir, "npm", ["install", ...tarballs, ...NPM_FLAGS], INSTALL_MS);
  return dir;
}

/** The workspace packages: each one's name and folder (relative to the repository). */
async function workspaces(): Promise<Map<string, string>> {
  const root = JSON.parse(await readFile(path.join(ROOT, "package.json"), "utf8")) as { workspaces: string[] };
  const byName = new Map<string, string>();
  for (const folder of root.workspaces) {
    const manifest = JSON.parse(await readFile(path.join(ROOT, folder, "package.json"), "utf8")) as { name: string };
    byName.set(manifest.name, folder);
  }
  return byName;
}

/**
 * The copy's node_modules: the repository's installed tools, but the workspace packages linked to the copy's own
 * folders (the repository's links point at its packages, whose dist/ the copy must not see).
 */
async function linkModules(copy: string, packages: ReadonlyMap<string, string>): Promise<void> {
  const modules = path.join(copy, "node_modules");
  await mkdir(modules);
  for (const name of await readdir(path.join(ROOT, "node_modules"))) {
    const own = packages.get(name);
    await symlink(
      own !== undefined ? path.join(copy, own) : path.join(ROOT, "node_modules", name),
      path.join(modules, name),
      "dir",
    );
  }
}

/** The names of the packages installed in a project (scoped ones as @scope/name), sorted. */
async function installedPackages(dir: string): Promise<string[]> {
  const names: string[] = [];
  for (const name of await readdir(path.join(dir, "node_modules"))) {
    if (name.startsWith(".")) continue;
    if (name.startsWith("@"))
      names.push(...(await readdir(path.join(dir, "node_modules", name))).map((inner) => `${name}/${inner}`));
    else names.push(name);
  }
  return names.sort();
}

/** tsconfig compiler options of a strict consumer at the minimum target the catalog states (ES2020). */
function strictOptions(
  module: string,
  moduleResolution: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    target: "ES2020",
    lib: ["ES2020"],
    module,
    moduleResolution,
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    verbatimModuleSyntax: true,
    types: [],
    ...extra,
  };
}

let runtime: Packed;
let catalog: Packed;
let bounce: Packed;
let generator: Packed;
let consumer: string;
let bounceConsumer: string;
let thirdParty: string;

beforeAll(async () => {
  const work = await tempDir(true);
  const copy = path.join(work, "repo");
  const packages = await workspaces();
  await cp(ROOT, copy, { recursive: true, filter: await packable() });
  await linkModules(copy, packages);
  // One at a time, each after what its build compiles against: the runtime; the catalog and the generator import it;
  // the bounce package imports both of the first.
  const folder = (name: string) => path.join(copy, packages.get(name)!);
  runtime = await pack(folder("mailcodes-runtime"), work);
  catalog = await pack(folder("mailcodes"), work);
  bounce = await pack(folder("mailcodes-bounce"), work);
  generator = await pack(folder("mailcodes-generator"), work);
  [consumer, bounceConsumer, thirdParty] = await Promise.all([
    project(path.join(work, "consumer"), catalog.tarball, runtime.tarball),
    project(path.join(work, "bounce-consumer"), bounce.tarball, catalog.tarball, runtime.tarball),
    project(path.join(work, "third-party"), generator.tarball, runtime.tarball),
  ]);
}, 4 * INSTALL_MS);

describe("npm pack", () => {
  it("runs each package's prepack build: the tarballs carry dist/, which the packed copy did not have", async () => {
    for (const { tarball } of [runtime, catalog, bounce, generator])
      console.log(`${path.basename(tarball)}: ${(await stat(tarball)).size} bytes`);
    for (const { log, name, version } of [runtime, catalog, bounce, generator])
      expect(log).toContain(`> ${name}@${version} prepack`);
    expect(runtime.entries).toEqual(
      expect.arrayContaining([
        "package/dist/index.js",
        "package/dist/index.d.ts",
        "package/dist/classify.js",
        "package/LICENSE",
      ]),
    );
    expect(catalog.entries).toEqual(
      expect.arrayContaining(["package/dist/index.js", "package/dist/index.d.ts", "package/dist/smtp-reply-code.js"]),
    );
    // The runtime is its own package: the catalog holds no copy of it.
    expect(catalog.entries.filter((entry) => /runtime/.test(entry))).toEqual([]);
    expect(bounce.entries).toEqual(
      expect.arrayContaining([
        "package/dist/index.js",
        "package/dist/index.d.ts",
        "package/dist/cli.js",
        "package/bin/mailcodes-bounce.js",
        "package/LICENSE",
        "package/README.md",
      ]),
    );
    expect(generator.entries).toEqual(
      expect.arrayContaining(["package/bin/mailcodes.js", "package/dist/cli.js", "package/mailcodes.schema.json"]),
    );
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

describe("the catalog package, installed from its tarball with the runtime's", { timeout: 120_000 }, () => {
  it("brings no third-party package: the runtime is its one dependency, and the runtime has none", async () => {
    expect(await installedPackages(consumer)).toEqual(["mailcodes", "mailcodes-runtime"]);
    const installed = JSON.parse(await ok(consumer, "npm", ["ls", "--omit=dev", "--all", "--json"])) as {
      dependencies: Record<string, { dependencies?: Record<string, { dependencies?: unknown }> }>;
    };
    expect(Object.keys(installed.dependencies["mailcodes"]?.dependencies ?? {})).toEqual(["mailcodes-runtime"]);
    expect(installed.dependencies["mailcodes-runtime"]?.dependencies).toBeUndefined();
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
    expect(catalog.entries.map((entry) => entry.replace(/^package\//, "")).sort()).toEqual(
      [...installed.keys()].sort(),
    );
  });

  it("compiles with tsc (strict, module NodeNext) and the output runs with node", async () => {
    const dir = path.join(consumer, "tsc-nodenext");
    await mkdir(dir);
    await writeFile(path.join(dir, "main.ts"), TS_PROGRAM);
    const config = {
      compilerOptions: strictOptions("NodeNext", "NodeNext", { rootDir: ".", outDir: "out" }),
      files: ["main.ts"],
    };
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
        stdin: {
          contents: `import { SmpDeliveryCode } from "${from}";\nconsole.log(SmpDeliveryCode.DeliveryCompleted);\n`,
          resolveDir: consumer,
          loader: "js",
        },
        bundle: true,
        minify: true,
        treeShaking: true,
        format: "esm",
        platform: "browser",
        write: false,
        logLevel: "silent",
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
  ])(
    "compiles under moduleResolution %s (module %s), lib and target ES2020, strict",
    async (moduleResolution, module) => {
      const dir = path.join(consumer, `ts-${moduleResolution}-${module}`);
      await mkdir(dir);
      await cp(path.join(ROOT, "test/consumer/bounce-handler.ts"), path.join(dir, "bounce-handler.ts"));
      await writeFile(path.join(dir, "main.ts"), TS_PROGRAM);
      const config = {
        compilerOptions: { ...strictOptions(module, moduleResolution), noEmit: true },
        files: ["bounce-handler.ts", "main.ts"],
      };
      await writeFile(path.join(dir, "tsconfig.json"), JSON.stringify(config, null, 2));
      expect(await ok(dir, TSC, ["-p", "."])).toBe("");
    },
  );
});

// ---------------------------------------------------------------------------------------------------------------
// The bounce reader

/** A real bounce (Exim, refused at MAIL FROM) and what Sisimai's tests expect of it. */
const BOUNCE_MAIL = path.join(ROOT, "test/fixtures/sisimai/emails/lhost-exim-01.eml");
const BOUNCE_EXPECTED = [
  { recipient: "kijitora@example.ed.jp", reason: "blocked", hardBounce: false, enhancedCode: "5.7.0", replyCode: 550 },
];

/** A log of SMTP replies: a Gmail reply on two lines, then a full mailbox. */
const REPLIES =
  "550-5.1.1 The email account that you tried to reach does not exist. Please try\n" +
  "550 5.1.1 double-checking the recipient's email address\n452 4.2.2 Mailbox full\n";

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

  it("brings the catalog, the runtime and postal-mime only", async () => {
    expect(await installedPackages(bounceConsumer)).toEqual([
      "mailcodes",
      "mailcodes-bounce",
      "mailcodes-runtime",
      "postal-mime",
    ]);
    const installed = JSON.parse(await ok(bounceConsumer, "npm", ["ls", "--omit=dev", "--all", "--json"])) as {
      dependencies: Record<string, { version: string; dependencies?: Record<string, unknown> }>;
    };
    expect(Object.keys(installed.dependencies["mailcodes-bounce"]?.dependencies ?? {}).sort()).toEqual([
      "mailcodes",
      "mailcodes-runtime",
      "postal-mime",
    ]);
    expect((await readdir(path.join(bounceConsumer, "node_modules/mailcodes-bounce"))).sort()).toEqual([
      "LICENSE",
      "README.md",
      "bin",
      "dist",
      "package.json",
    ]);
  });

  it("`npx mailcodes-bounce` prints one JSON line per SMTP reply of a log and per bounced recipient of a mail", async () => {
    await writeFile(path.join(bounceConsumer, "replies.log"), REPLIES);
    const result = await run(
      bounceConsumer,
      "npx",
      ["--no", "mailcodes-bounce", "replies.log", "bounce.eml"],
      INSTALL_MS,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(ownLines(result.stderr)).toEqual([]);
    const lines = result.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((l) => [l["file"], l["line"] ?? l["recipient"], l["reason"], l["enhancedCode"]])).toEqual([
      ["replies.log", 1, "userunknown", "5.1.1"],
      ["replies.log", 3, "mailboxfull", "4.2.2"],
      ["bounce.eml", "kijitora@example.ed.jp", "blocked", "5.7.0"],
    ]);
  });

  it("classifies a real bounce from a plain .mjs program as Sisimai does", async () => {
    await writeFile(
      path.join(bounceConsumer, "main.mjs"),
      `import { readFile } from "node:fs/promises";\nimport { classifyBounce } from "mailcodes-bounce";\n${BOUNCE_BODY}`,
    );
    expect(printed(await ok(bounceConsumer, process.execPath, ["main.mjs"]))).toEqual(BOUNCE_EXPECTED);
  });

  it("compiles with tsc (strict, NodeNext, lib ES2022 without DOM, declarations checked) and runs", async () => {
    const dir = path.join(bounceConsumer, "ts");
    await mkdir(dir);
    await writeFile(path.join(dir, "main.ts"), BOUNCE_TS_PROGRAM);
    const options = strictOptions("NodeNext", "NodeNext", {
      target: "ES2022",
      lib: ["ES2022"],
      rootDir: ".",
      outDir: "out",
    });
    await writeFile(
      path.join(dir, "tsconfig.json"),
      JSON.stringify({ compilerOptions: options, files: ["main.ts"] }, null, 2),
    );
    expect(await ok(dir, TSC, ["-p", "."])).toBe("");
    // The compiled program, given node's readFile for the declared one.
    const compiled = await readFile(path.join(dir, "out/main.js"), "utf8");
    await writeFile(
      path.join(dir, "out/main.js"),
      `import { readFile as read } from "node:fs/promises";\nconst readFile = (file) => read("../" + file);\n${compiled}`,
    );
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
import { lookupEnhancedStatusCode } from "./codes/enhanced-status-subject-detail.js";
import { isExample365Ndr, lookupExample365Ndr, parseExample365Ndr, parseExample365NdrEntry } from "./codes/example-365-ndr.js";
import { lookup } from "./codes/index.js";
declare const console: { log(...data: unknown[]): void };
const LINE = "550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP.";
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
  ndr: [
    parseExample365Ndr(LINE) ?? null,
    parseExample365NdrEntry(LINE)?.name ?? null,
    isExample365Ndr("4.7.512"),
    lookupExample365Ndr("4.7.512").name,
    parseExample365NdrEntry("Your message couldn't be delivered because it was blocked by a mail flow rule.")?.name ?? null,
  ],
  concrete: lookupEnhancedStatusCode("5.1.1").class.name,
}));
`;

describe("the generator package, installed from its tarball into a third party's project", { timeout: 120_000 }, () => {
  const SPECS = "my-specs";
  const OUT = "src/codes";
  const npx = (...args: string[]) => run(thirdParty, "npx", ["--no", "mailcodes", ...args], INSTALL_MS);

  beforeAll(async () => {
    const specDir = path.join(thirdParty, SPECS);
    // Vendors' tables written the natural way, beside the relay's: no registry is copied, the package carries them.
    await cp(path.join(ROOT, "test/fixtures/natural"), specDir, { recursive: true });
    await writeFile(path.join(specDir, "sources/acme-relay-result-codes.txt"), VENDOR_DOCUMENT);
    await writeFile(path.join(specDir, "acme.yaml"), VENDOR_SPEC);
    await mkdir(path.join(thirdParty, "src")); // the out dir is made, its parent must exist
  });

  it("is compiled JavaScript without the catalog: no TypeScript and no generated module in the tarball, no tsx", async () => {
    expect(generator.entries.filter((entry) => /\.[cm]?ts$/.test(entry))).toEqual([]);
    expect(generator.entries.filter((entry) => entry.startsWith("package/dist/") && !entry.endsWith(".js"))).toEqual(
      [],
    );
    expect(generator.entries.filter((entry) => /generated\/|smtp-reply-code\.|bounce-wording/.test(entry))).toEqual([]);
    // The standard registries it resolves references against, with the tables they are transcribed from.
    expect(generator.entries).toEqual(
      expect.arrayContaining([
        "package/registries/rfc5321.yaml",
        "package/registries/iana-enhanced-status-codes.yaml",
        "package/registries/reference/rfc5321-reply-codes.tsv",
      ]),
    );
    const installed = await installedPackages(thirdParty);
    expect(installed).toEqual(
      expect.arrayContaining(["mailcodes-generator", "mailcodes-runtime", "ajv", "diff", "ts-morph", "yaml"]),
    );
    for (const absent of ["mailcodes", "mailcodes-bounce", "postal-mime", "tsx"])
      expect(installed).not.toContain(absent);
    const bin = await readFile(path.join(thirdParty, "node_modules/mailcodes-generator/bin/mailcodes.js"), "utf8");
    expect(bin).not.toMatch(/tsx/);
  });

  it("`npx mailcodes generate --spec-dir my-specs --out-dir src/codes` exits 0 and writes modules that import the runtime", async () => {
    const result = await npx("generate", "--spec-dir", SPECS, "--out-dir", OUT);
    expect(result.code, result.stderr).toBe(0);
    const written = await readdir(path.join(thirdParty, OUT));
    expect(written).toEqual(
      expect.arrayContaining([
        "acme-result.ts",
        "example-365-ndr.ts",
        "example-bounce-type.ts",
        "index.ts",
        "smtp-reply-code.ts",
        "enhanced-status-subject-detail.ts",
      ]),
    );
    expect(written.filter((name) => /runtime/.test(name))).toEqual([]);
    const vendor = await readFile(path.join(thirdParty, OUT, "acme-result.ts"), "utf8");
    expect(vendor).toContain(`from "mailcodes-runtime"`);
  });

  it("the generated modules compile with tsc (strict, NodeNext) in the project, and run with node", async () => {
    await writeFile(path.join(thirdParty, "src/main.ts"), VENDOR_PROGRAM);
    const config = {
      compilerOptions: strictOptions("NodeNext", "NodeNext", { rootDir: "src", outDir: "build" }),
      include: ["src"],
    };
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
      ndr: ["5.7.708", "TrafficNotAcceptedFromIp", true, "AccessDeniedTryLater", "BlockedByMailFlowRule"],
      concrete: "PermanentFailure",
    });
  });

  it("`npx mailcodes check` exits 0 on the fresh output, and 1 naming the stale module after a spec edit", async () => {
    const fresh = await npx("check", "--spec-dir", SPECS, "--out-dir", OUT);
    expect(fresh.code, fresh.stdout + fresh.stderr).toBe(0);
    const spec = path.join(thirdParty, SPECS, "acme.yaml");
    await writeFile(
      spec,
      VENDOR_SPEC.replace("texts: { meaning: No such mailbox }", "texts: { meaning: No such mailbox here }"),
    );
    const stale = await npx("check", "--spec-dir", SPECS, "--out-dir", OUT);
    expect(stale.code, stale.stdout + stale.stderr).toBe(1);
    expect(stale.stdout + stale.stderr).toContain("acme-result.ts");
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
