// The CLI parses on a worker thread; what comes back must be exactly what loadSpecs gives in-process.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadSpecs } from "../generator/load.ts";
import { loadSpecsInWorker } from "../generator/load-in-worker.ts";
import { copyOfSpecs, SPEC_DIR, tempDir } from "./helpers.ts";

describe("loadSpecsInWorker", () => {
  it("gives the real specs' files, texts and data exactly as loadSpecs does", async () => {
    const [inWorker, inProcess] = await Promise.all([loadSpecsInWorker(SPEC_DIR), loadSpecs(SPEC_DIR)]);
    expect(inWorker.specs.map((s) => s.file)).toEqual(inProcess.specs.map((s) => s.file));
    expect(inWorker.specs.length).toBeGreaterThan(5);
    expect(inWorker).toEqual(inProcess);
  });

  it("gives the same diagnostics for broken specs, beside the specs that parsed", async () => {
    const dir = await copyOfSpecs();
    await writeFile(path.join(dir, "broken.yaml"), "source: { file: a\ncodeSets:\n  - id: x\n    id: y\n");
    const [inWorker, inProcess] = await Promise.all([loadSpecsInWorker(dir), loadSpecs(dir)]);
    expect(inWorker.diagnostics.length).toBeGreaterThan(0);
    expect(inWorker.diagnostics.every((d) => d.file.endsWith("broken.yaml"))).toBe(true);
    expect(inWorker).toEqual(inProcess);
  });

  it("rejects with the file system's error, code and syscall intact, for a spec dir that is not there", async () => {
    const missing = path.join(await tempDir(), "no-such-dir");
    await expect(loadSpecsInWorker(missing)).rejects.toMatchObject({ code: "ENOENT", syscall: "scandir" });
  });
});
