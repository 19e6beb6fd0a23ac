// A killed generate never leaves a half-written file under its final name, nor takes a file away. `node
// bin/mailcodes.js generate` is SIGKILLed at many points over an out dir that holds a previous generation: after
// fixed delays (mostly while it starts, loads and emits), and at each kind of step of the write itself, found by a
// preload that announces every file operation in the out dir and pauses before it (and half-way through each
// scratch write). After every kill, each file under a final name is exactly its old or its new text, and every file
// both generations have is there; then a generate completes and check exits 0. runtime.ts is the same in both
// generations: the write leaves it alone.
import { spawn } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syntheticSpec } from "../bench/synthetic.ts";
import { copyRegistries, ROOT, run, touchDocuments } from "./helpers.ts";

const CLI = path.join(ROOT, "generator/bin/mailcodes.js");
const FILES = 5;
const ENTRIES = 500;
/** How long the preload pauses before the operation a test kills at: the window the kill lands in. */
const PAUSE_MS = 10_000;

/** A synthetic spec of the bench's shape; `variant` changes one text, so every synthetic module changes a little. */
function synthetic(part: number, variant: "old" | "new", id = `synthetic-code-${part}`): string {
  return syntheticSpec({
    entries: ENTRIES,
    firstCode: 100000 + part * ENTRIES,
    id,
    ...(variant === "old" && { firstMeaning: "古い説明" }),
  });
}

/**
 * The preload: announces each operation in the out dir on stderr (and each scratch write half-way through), and
 * pauses at operation MAILCODES_TEST_PAUSE_AT, before it is done, for the kill to land there.
 */
const PRELOAD = `
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import path from "node:path";
const outDir = path.resolve(process.env.MAILCODES_TEST_OUT_DIR);
const pauseAt = Number(process.env.MAILCODES_TEST_PAUSE_AT || 0);
const inOut = (file) => path.resolve(String(file)).startsWith(outDir + path.sep);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
let n = 0;
async function step(text) {
  fs.writeSync(2, "MAILCODES-OP " + ++n + " " + text + "\\n");
  if (n === pauseAt) await sleep(${PAUSE_MS});
}
const p = fs.promises;
const { rename, link, unlink, writeFile, appendFile } = p;
p.rename = async (from, to) => {
  if (inOut(from)) await step("rename " + path.basename(String(from)) + " -> " + path.basename(String(to)));
  return rename(from, to);
};
p.link = async (from, to) => {
  if (inOut(from)) await step("link " + path.basename(String(from)) + " -> " + path.basename(String(to)));
  return link(from, to);
};
p.unlink = async (file) => {
  if (inOut(file)) await step("unlink " + path.basename(String(file)));
  return unlink(file);
};
p.writeFile = async (file, data, options) => {
  if (!inOut(file)) return writeFile(file, data, options);
  await step("write " + path.basename(String(file)));
  const bytes = Buffer.from(data);
  const half = Math.floor(bytes.length / 2);
  await writeFile(file, bytes.subarray(0, half), options);
  await step("half-written " + path.basename(String(file)));
  await appendFile(file, bytes.subarray(half));
};
syncBuiltinESMExports();
`;

let root: string;
let specDir: string;
let outDir: string;
let preload: string;
let oldFiles: Map<string, string>;
let newFiles: Map<string, string>;
/** The files a complete run writes: those new or changed. */
let changed: Set<string>;
let fullRunMs = 0;
/** Every operation of one paused run, in order: "1 write .mailcodes-…-synthetic-code-0.ts.tmp", … */
let operations: string[] = [];
const observations: string[] = [];

function lastIndex<T>(items: readonly T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i]!)) return i;
  return -1;
}

async function textsOf(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const name of (await readdir(dir)).sort()) files.set(name, await readFile(path.join(dir, name), "utf8"));
  return files;
}

interface Killed {
  stderr: string;
  signal: string | null;
  code: number | null;
  ms: number;
}

/** Runs generate into the out dir; kills it with SIGKILL after `afterMs`, or when stderr announces operation `atOperation`. */
function generate(kill: { afterMs?: number; atOperation?: number }, paused: boolean): Promise<Killed> {
  return new Promise((resolve, reject) => {
    const start = Date.now();
    const args = [
      ...(paused ? ["--import", pathToFileURL(preload).href] : []),
      CLI,
      "generate",
      "--spec-dir",
      specDir,
      "--out-dir",
      outDir,
    ];
    const env = {
      ...process.env,
      MAILCODES_TEST_OUT_DIR: outDir,
      MAILCODES_TEST_PAUSE_AT: String(kill.atOperation ?? 0),
    };
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    const timer = kill.afterMs === undefined ? undefined : setTimeout(() => child.kill("SIGKILL"), kill.afterMs);
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
      if (kill.atOperation !== undefined && new RegExp(`^MAILCODES-OP ${kill.atOperation} `, "m").test(stderr))
        child.kill("SIGKILL");
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ stderr, signal, code, ms: Date.now() - start });
    });
  });
}

/** Puts the previous generation back into the out dir. */
async function resetOutDir(): Promise<void> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir);
  for (const [name, text] of oldFiles) await writeFile(path.join(outDir, name), text);
}

/** After a kill: every file under a final name is its old or its new text; then generate completes and check exits 0. */
async function expectWholeFilesThenRecover(label: string, killed: Killed): Promise<void> {
  const names = (await readdir(outDir)).sort();
  const scratch = names.filter((n) => n.startsWith(".mailcodes-"));
  const states: Record<string, string[]> = { old: [], new: [], missing: [] };
  for (const name of names.filter((n) => !n.startsWith(".mailcodes-"))) {
    const text = await readFile(path.join(outDir, name), "utf8");
    const state = text === newFiles.get(name) ? "new" : text === oldFiles.get(name) ? "old" : undefined;
    expect(state, `${label}: ${name} is neither its old nor its new text (${text.length} characters)`).toBeDefined();
    states[state!]!.push(name);
  }
  // A file both generations have must be there: the old text is kept by a second link, never moved aside.
  for (const name of oldFiles.keys()) if (newFiles.has(name) && !names.includes(name)) states["missing"]!.push(name);
  expect(states["missing"], `${label}: files both generations have, missing`).toEqual([]);
  const last = killed.stderr.match(/^MAILCODES-OP .*$/gm)?.at(-1) ?? "(no write operation announced)";
  observations.push(
    `${label} [${killed.signal ?? `exit ${killed.code}`} after ${killed.ms} ms; last: ${last}] ` +
      `old ${states["old"]!.length}, new ${states["new"]!.length}, missing ${states["missing"]!.join(" ") || "none"}, scratch ${scratch.length}`,
  );

  const again = await run("generate", "--spec-dir", specDir, "--out-dir", outDir);
  expect(again, `${label}: the next generate`).toMatchObject({ code: 0, err: "" });
  expect(await run("check", "--spec-dir", specDir, "--out-dir", outDir), `${label}: check after it`).toMatchObject({
    code: 0,
    err: "",
  });
  const after = await textsOf(outDir);
  expect([...after.keys()], `${label}: no scratch file left, nothing else`).toEqual([...newFiles.keys()]);
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "mailcodes-killed-"));
  specDir = path.join(root, "spec");
  outDir = path.join(root, "generated");
  preload = path.join(root, "pause-fs-operations.mjs");
  await writeFile(preload, PRELOAD);
  const oldSpecDir = path.join(root, "spec-old");
  for (const dir of [specDir, oldSpecDir]) {
    await mkdir(dir);
    await copyRegistries(dir);
    await touchDocuments(dir, ["file: sources/synthetic.txt"]);
  }
  for (let part = 0; part < FILES; part++) {
    await writeFile(path.join(specDir, `synthetic-${part}.yaml`), synthetic(part, "new"));
    await writeFile(path.join(oldSpecDir, `synthetic-${part}.yaml`), synthetic(part, "old"));
  }
  // One set only the old generation has (its module must go), one only the new one has (its module must appear).
  await writeFile(path.join(oldSpecDir, "synthetic-old.yaml"), synthetic(FILES, "old", "synthetic-old-only"));
  await writeFile(path.join(specDir, "synthetic-new.yaml"), synthetic(FILES + 1, "new", "synthetic-new-only"));

  // The previous generation, and the texts a complete run writes (into another dir, from the same spec dir).
  expect(await run("generate", "--spec-dir", oldSpecDir, "--out-dir", path.join(root, "old"))).toMatchObject({
    code: 0,
  });
  oldFiles = await textsOf(path.join(root, "old"));
  const reference = path.join(root, "new");
  // Twice: the first run warms the file cache, the second gives the time a complete run takes when the kills come.
  for (let i = 0; i < 2; i++) {
    await rm(reference, { recursive: true, force: true });
    await cp(path.join(root, "old"), reference, { recursive: true });
    const start = Date.now();
    const complete = await new Promise<number | null>((resolve) => {
      spawn(process.execPath, [CLI, "generate", "--spec-dir", specDir, "--out-dir", reference], {
        cwd: ROOT,
        stdio: "ignore",
      }).on("close", resolve);
    });
    fullRunMs = Date.now() - start;
    expect(complete).toBe(0);
  }
  newFiles = await textsOf(reference);
  expect(newFiles.has("synthetic-new-only.ts") && !newFiles.has("synthetic-old-only.ts")).toBe(true);
  // Every module changes (the synthetic ones a text, all of them the spec dir their header names); runtime.ts does not.
  changed = new Set([...newFiles].filter(([name, text]) => oldFiles.get(name) !== text).map(([name]) => name));
  for (const name of newFiles.keys())
    expect(changed.has(name), `${name} changes between the generations`).toBe(name !== "runtime.ts");

  // The operations of a complete paused run, to choose where to kill.
  await resetOutDir();
  const paused = await generate({}, true);
  expect(paused.code, paused.stderr).toBe(0);
  operations = paused.stderr.match(/^MAILCODES-OP .*$/gm)!.map((line) => line.replace(/^MAILCODES-OP /, ""));
}, 120_000);

afterAll(async () => {
  console.log(
    `killed generate (a complete run took ${fullRunMs} ms; ${operations.length} file operations):\n  ${observations.join("\n  ")}`,
  );
  await rm(root, { recursive: true, force: true });
});

describe("a killed generate", () => {
  it("announces the write as expected: scratch writes, then backups linked and renames into place, then removal of the backups", () => {
    const kinds = operations.map((op) => op.split(" ")[1]);
    const written = operations
      .filter((op) => / write /.test(op))
      .map((op) => op.replace(/^\d+ write \.mailcodes-\d+-[0-9a-f]{8}-(.+)\.tmp$/, "$1"));
    expect(written.sort()).toEqual([...changed].sort()); // only the files that changed or are new
    expect(kinds.filter((k) => k === "link")).toHaveLength([...changed].filter((name) => oldFiles.has(name)).length);
    expect(Math.min(kinds.indexOf("rename"), kinds.indexOf("link"))).toBeGreaterThan(kinds.lastIndexOf("half-written"));
    expect(kinds.indexOf("unlink")).toBeGreaterThan(Math.max(kinds.lastIndexOf("rename"), kinds.lastIndexOf("link")));
  });

  it.each([200, 800, 1500])(
    "killed %i ms after it starts leaves whole files, and the next generate recovers",
    async (ms) => {
      await resetOutDir();
      const killed = await generate({ afterMs: ms }, false);
      await expectWholeFilesThenRecover(`after ${ms} ms`, killed);
    },
    60_000,
  );

  it.each([0.8])(
    "killed at %f of a complete run's time leaves whole files, and the next generate recovers",
    async (fraction) => {
      await resetOutDir();
      const killed = await generate({ afterMs: Math.round(fullRunMs * fraction) }, false);
      await expectWholeFilesThenRecover(`after ${fraction} of ${fullRunMs} ms`, killed);
    },
    60_000,
  );

  // Each kind of step: the first scratch write, half-way through one, the last one; the first backup link (the old
  // text kept under a second name), the moment between that link and renaming the new text into place, the rename of
  // a file only the new generation has, the removal of the orphan, and the removal of the backups at the end.
  const pick: Record<string, (ops: string[]) => number> = {
    "before the first scratch write": (ops) => ops.findIndex((op) => / write /.test(op)),
    "half-way through the third scratch write": (ops) =>
      ops.findIndex(
        (op, i) => / half-written /.test(op) && ops.slice(0, i).filter((o) => / half-written /.test(o)).length === 2,
      ),
    "before the first backup link": (ops) => ops.findIndex((op) => / link /.test(op)),
    "between linking an old file's backup and renaming its new text into place": (ops) =>
      ops.findIndex((op, i) => i > 0 && / link /.test(ops[i - 1]!) && / rename \.mailcodes-.*\.tmp -> /.test(op)),
    "before renaming the new-only module into place": (ops) =>
      ops.findIndex((op) => / rename \.mailcodes-.*synthetic-new-only\.ts\.tmp -> /.test(op)),
    "before moving the orphaned module aside": (ops) =>
      ops.findIndex((op) => / rename synthetic-old-only\.ts -> /.test(op)),
    "before the last rename of a new text over its old one": (ops) =>
      lastIndex(
        ops,
        (op) => / rename \.mailcodes-.*\.tmp -> /.test(op) && / link /.test(ops[ops.indexOf(op) - 1] ?? ""),
      ),
    "while removing the backups": (ops) => lastIndex(ops, (op) => / unlink /.test(op)),
  };
  it.each(Object.keys(pick))(
    "killed %s leaves whole files, and the next generate recovers",
    async (where) => {
      const index = pick[where]!(operations);
      expect(index, `no such operation in:\n${operations.join("\n")}`).toBeGreaterThanOrEqual(0);
      const number = Number(operations[index]!.split(" ")[0]);
      await resetOutDir();
      const killed = await generate({ atOperation: number }, true);
      expect(killed.signal, `killed at operation ${operations[index]}`).toBe("SIGKILL");
      await expectWholeFilesThenRecover(`at operation ${operations[index]}`, killed);
    },
    60_000,
  );
});
