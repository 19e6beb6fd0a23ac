// The real limits, held by the real CLI in its own process (issue 12, hole 6): a spec past the token limit is refused
// quickly with one located line instead of exhausting the heap, and a catalog-shaped spec near the size limit is not
// refused at all.
import { type ChildProcess, spawn } from "node:child_process";
import { copyFile, cp, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { syntheticSpec } from "../bench/synthetic.ts";
import { loadSpecs, MAX_SPEC_BYTES, MAX_TOKENS } from "../generator/src/load.ts";
import { REGISTRY_DIR, ROOT, tempDir, touchDocuments } from "./helpers.ts";

const CLI = path.join(ROOT, "generator/bin/mailcodes.js");

// A run that outlives its test (a timeout) is stopped, not left to exhaust the machine's memory.
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

/** The CLI's validate in its own process, with Node's options (a heap size). */
function validate(
  specDir: string,
  nodeOptions: readonly string[] = [],
): Promise<{ code: number | null; signal: string | null; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeOptions, CLI, "validate", "--spec-dir", specDir], {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "pipe"],
    });
    children.push(child);
    let err = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (err += chunk));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, err }));
  });
}

async function specDirWith(name: string, text: string): Promise<string> {
  const dir = path.join(await tempDir(), "spec");
  await mkdir(dir);
  await copyFile(path.join(REGISTRY_DIR, "rfc5321.yaml"), path.join(dir, "rfc5321.yaml"));
  await cp(path.join(REGISTRY_DIR, "reference"), path.join(dir, "reference"), { recursive: true });
  await writeFile(path.join(dir, name), text);
  await touchDocuments(dir, [text.slice(0, 4096)]);
  return dir;
}

describe("the token limit (hole 6)", () => {
  it("refuses an 8.3 MB spec of 4 million items in a heap of 1 GB, at the token past the limit, instead of running out of heap", async () => {
    const text = `notes: [${"1,".repeat(4_150_000)}1]\n`;
    expect(text.length).toBeGreaterThan(8_000_000);
    expect(text.length).toBeLessThan(MAX_SPEC_BYTES);
    const dir = await specDirWith("ones.yaml", text);
    // It peaks near 450 MB (before the limit it ran two minutes, then died for want of heap); slowness hits the timeout.
    const result = await validate(dir, ["--max-old-space-size=1024"]);
    expect(result.signal).toBeNull();
    const limit = MAX_TOKENS.toLocaleString("en-US");
    // notes, :, space, [ are tokens 1-4, then 1 and , in turn: token MAX_TOKENS + 1 is a 1, at column MAX_TOKENS + 5.
    expect(result.err).toBe(
      `${dir}/ones.yaml:1:${MAX_TOKENS + 5}: more than ${limit} YAML tokens (keys, values, punctuation, spaces and line breaks); a spec may have at most ${limit} (real specs have a few thousand): split it into several files\n` +
        "mailcodes: 1 problem in the specs; nothing was written\n",
    );
    expect(result.code).toBe(2);
  }, 60_000);

  it("accepts a catalog-shaped spec of 25,000 entries (6.4 MB), well inside the limits", async () => {
    const text = syntheticSpec({ entries: 25_000, firstCode: 100_000, id: "synthetic-code" });
    expect(Buffer.byteLength(text)).toBeGreaterThan(6_000_000);
    const result = await validate(await specDirWith("synthetic.yaml", text));
    expect(result).toMatchObject({ code: 0, err: "" });
  }, 120_000);
});

describe("many diagnostics in one spec", () => {
  it("gives each of 99,999 duplicate keys its line (as many as a mapping may hold), not a stack overflow", async () => {
    const dir = await specDirWith(
      "dups.yaml",
      `labels: {${Array.from({ length: 100_000 }, () => "a: 1").join(", ")}}\n`,
    );
    const { diagnostics } = await loadSpecs(dir);
    expect(diagnostics).toHaveLength(99_999);
    expect(diagnostics[0]).toEqual({
      file: `${dir}/dups.yaml`,
      line: 1,
      column: 16,
      message: "Map keys must be unique: this key appears twice in the same mapping",
    });
  }, 60_000);
});
