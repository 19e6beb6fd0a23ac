// Two generate runs on one out dir (issue 12, hole 3). Before, each run deleted every scratch file, the other run's
// included, and the run that then failed rolled back by deleting files that existed before either started: 7 of 17
// files were lost. Now one run holds the out dir at a time; another backs off with a clear message and touches
// nothing. Runs are real processes (bin/mailcodes.js); a preload pauses a run at its first write in the out dir,
// so that the runs overlap for certain, not by luck.
import { type ChildProcess, spawn } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { syntheticSpec } from "../bench/synthetic.ts";
import { copyRegistries, ROOT, run, touchDocuments } from "./helpers.ts";

const CLI = path.join(ROOT, "generator/bin/mailcodes.js");

/**
 * Announces the first file operation in the out dir on stderr, then waits before doing it: until the file
 * MAILCODES_TEST_RELEASE exists when it is set (the test says when), else MAILCODES_TEST_PAUSE_MS.
 */
const PRELOAD = `
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import path from "node:path";
const outDir = path.resolve(process.env.MAILCODES_TEST_OUT_DIR);
const pauseMs = Number(process.env.MAILCODES_TEST_PAUSE_MS);
const release = process.env.MAILCODES_TEST_RELEASE;
let paused = false;
async function first(op, file) {
  if (paused || !path.resolve(String(file)).startsWith(outDir + path.sep)) return;
  paused = true;
  fs.writeSync(2, "MAILCODES-PAUSED " + op + " " + path.basename(String(file)) + "\\n");
  if (!release) return new Promise((resolve) => setTimeout(resolve, pauseMs));
  while (!fs.existsSync(release)) await new Promise((resolve) => setTimeout(resolve, 20));
}
const p = fs.promises;
for (const op of ["writeFile", "rename", "unlink", "link"]) {
  const original = p[op];
  p[op] = async (file, ...rest) => (await first(op, file), original(file, ...rest));
}
syncBuiltinESMExports();
`;

let root: string;
let specDir: string;
let outDir: string;
let preload: string;
let oldFiles: Map<string, string>;
let newFiles: Map<string, string>;

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

interface Generate {
  readonly child: ChildProcess;
  /** Resolves once the run announces its pause (only with a pause). */
  readonly paused: Promise<void>;
  readonly done: Promise<{ code: number | null; err: string }>;
}

function generate(pause?: number | { untilFile: string }): Generate {
  const args = [
    ...(pause === undefined ? [] : ["--import", pathToFileURL(preload).href]),
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
    ...(typeof pause === "number"
      ? { MAILCODES_TEST_PAUSE_MS: String(pause) }
      : { MAILCODES_TEST_RELEASE: pause?.untilFile ?? "" }),
  };
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "ignore", "pipe"] });
  children.push(child);
  let err = "";
  let announce: () => void = () => undefined;
  const paused = new Promise<void>((resolve) => (announce = resolve));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    err += chunk;
    if (err.includes("MAILCODES-PAUSED ")) announce();
  });
  const done = new Promise<{ code: number | null; err: string }>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, err: err.replace(/^MAILCODES-PAUSED .*\n/m, "") }));
  });
  return { child, paused, done };
}

async function textsOf(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const name of (await readdir(dir)).sort()) files.set(name, await readFile(path.join(dir, name), "utf8"));
  return files;
}

async function resetOutDir(): Promise<void> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir);
  for (const [name, text] of oldFiles) await writeFile(path.join(outDir, name), text);
}

/** The out dir holds exactly the new generation (no lock, no scratch file), and check says it is current. */
async function expectNewGeneration(): Promise<void> {
  expect(await textsOf(outDir)).toEqual(newFiles);
  expect(await run("check", "--spec-dir", specDir, "--out-dir", outDir)).toMatchObject({ code: 0, err: "" });
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "mailcodes-concurrent-")); // for the whole file, not one test
  specDir = path.join(root, "spec");
  outDir = path.join(root, "generated");
  preload = path.join(root, "pause-first-write.mjs");
  await writeFile(preload, PRELOAD);
  const oldSpecDir = path.join(root, "spec-old");
  for (const dir of [specDir, oldSpecDir]) {
    await mkdir(dir);
    await copyRegistries(dir);
    await touchDocuments(dir, ["file: sources/synthetic.txt"]);
  }
  // Every module changes, one only the old generation has must go, one only the new one has must come.
  const synthetic = (id: string, firstCode: number, firstMeaning?: string) =>
    syntheticSpec({ entries: 200, firstCode, id, ...(firstMeaning !== undefined && { firstMeaning }) });
  for (let part = 0; part < 3; part++) {
    await writeFile(
      path.join(specDir, `synthetic-${part}.yaml`),
      synthetic(`synthetic-code-${part}`, 100000 + part * 1000),
    );
    await writeFile(
      path.join(oldSpecDir, `synthetic-${part}.yaml`),
      synthetic(`synthetic-code-${part}`, 100000 + part * 1000, "古い説明"),
    );
  }
  await writeFile(path.join(oldSpecDir, "synthetic-old.yaml"), synthetic("synthetic-old-only", 200000, "古い説明"));
  await writeFile(path.join(specDir, "synthetic-new.yaml"), synthetic("synthetic-new-only", 300000));
  expect(await run("generate", "--spec-dir", oldSpecDir, "--out-dir", path.join(root, "old"))).toMatchObject({
    code: 0,
  });
  expect(await run("generate", "--spec-dir", specDir, "--out-dir", path.join(root, "new"))).toMatchObject({ code: 0 });
  oldFiles = await textsOf(path.join(root, "old"));
  newFiles = await textsOf(path.join(root, "new"));
  await cp(path.join(root, "old"), outDir, { recursive: true });
}, 120_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("two generate runs on one out dir", () => {
  it("the second, started while the first is writing, backs off naming the first, and changes nothing; the first completes", async () => {
    await resetOutDir();
    const release = path.join(root, "release");
    await rm(release, { force: true });
    const first = generate({ untilFile: release }); // paused until the second has run, however long that takes
    await first.paused; // it holds the out dir, and is about to write its first scratch file
    const during = await readdir(outDir);
    const lock = during.find((name) => name.startsWith(`.mailcodes-${first.child.pid}-`) && name.endsWith(".lock"));
    expect(lock, during.join(", ")).toBeDefined();

    const second = await generate().done;
    expect(second).toEqual({
      code: 2,
      err: `mailcodes: another mailcodes generate is running on ${outDir} (pid ${first.child.pid}); wait for it to finish (if none is running, delete ${outDir}/${lock})\n`,
    });
    expect((await readdir(outDir)).sort()).toEqual(during.sort());

    await writeFile(release, "");
    expect(await first.done).toMatchObject({ code: 0 });
    await expectNewGeneration();
  }, 60_000);

  it("four started at once, each pausing at its first write: every one ends as done or backed off, and no file is lost", async () => {
    await resetOutDir();
    const results = await Promise.all(Array.from({ length: 4 }, () => generate(1_000).done));
    const backedOff = /^mailcodes: another mailcodes generate is running on .* \(pid \d+\); wait for it to finish/;
    for (const { code, err } of results) {
      if (code === 0) expect(err).toBe("");
      else expect({ code, err }).toEqual({ code: 2, err: expect.stringMatching(backedOff) });
    }
    // Whole generations only: the new one if any run got through, else the old one untouched (all backed off).
    expect(await textsOf(outDir)).toEqual(results.some((r) => r.code === 0) ? newFiles : oldFiles);
    expect((await generate().done).code).toBe(0);
    await expectNewGeneration();
  }, 120_000);
});
