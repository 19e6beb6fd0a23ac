// The generator's CLI as a process, where only a process shows it (issue 19): a standard output that cannot be
// written, and a limit on the files a process may open.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { copyFile, cp, mkdir, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { syntheticSpec } from "../bench/synthetic.ts";
import { copyOfSpecs, REGISTRY_DIR, ROOT, tempDir, touchDocuments } from "./helpers.ts";

const CLI = path.join(ROOT, "generator/bin/mailcodes.js");
const exec = promisify(execFile);

/** The CLI through a shell, so that the shell can redirect its output or limit it first. */
async function shell(script: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  try {
    const { stdout, stderr } = await exec("sh", ["-c", script, "sh", process.execPath, CLI, ...args], {
      cwd: ROOT,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, out: stdout, err: stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, out: failed.stdout ?? "", err: failed.stderr ?? "" };
  }
}

describe.skipIf(!existsSync("/dev/full"))("a standard output that cannot be written (item 13)", () => {
  it("is one line on stderr and exit 2 for check, validate and generate, never a trace, nor check's stale code", async () => {
    const specDir = await copyOfSpecs();
    const outDir = path.join(path.dirname(specDir), "generated");
    const args = ["--spec-dir", specDir, "--out-dir", outDir];
    expect((await shell('"$1" "$2" generate "$3" "$4" "$5" "$6"', ...args)).code).toBe(0);
    for (const command of ["check", "validate", "generate"]) {
      const result = await shell(`"$1" "$2" ${command} "$3" "$4" "$5" "$6" > /dev/full`, ...args);
      expect(result, command).toEqual({
        code: 2,
        out: "",
        err: "mailcodes: cannot write to standard output: ENOSPC: no space left on device, write\n",
      });
    }
    expect((await shell('"$1" "$2" check "$3" "$4" "$5" "$6"', ...args)).code, "the out dir is still current").toBe(0);
  }, 60_000);
});

describe("an out dir of hundreds of modules under a low limit on open files (item 15)", () => {
  it("generates, generates again, and checks as current 602 modules under ulimit -n 256", async () => {
    const specDir = path.join(await tempDir(), "spec");
    await mkdir(specDir);
    await copyFile(path.join(REGISTRY_DIR, "rfc5321.yaml"), path.join(specDir, "rfc5321.yaml"));
    await cp(path.join(REGISTRY_DIR, "reference"), path.join(specDir, "reference"), { recursive: true });
    for (let i = 0; i < 600; i++) {
      const text = syntheticSpec({ entries: 1, firstCode: 1000 + i, id: `set-${i}` });
      await writeFile(path.join(specDir, `set-${i}.yaml`), text);
      if (i === 0) await touchDocuments(specDir, [text]);
    }
    const outDir = path.join(path.dirname(specDir), "generated");
    const limited = (command: string) =>
      shell(
        `ulimit -n 256 && exec "$1" "$2" ${command} "$3" "$4" "$5" "$6"`,
        "--spec-dir",
        specDir,
        "--out-dir",
        outDir,
      );
    const first = await limited("generate");
    expect(first).toMatchObject({ code: 0, err: "" });
    expect(await readdir(outDir)).toHaveLength(602); // 600 sets, the reply codes, the index
    expect(await limited("generate")).toMatchObject({
      code: 0,
      err: "",
      out: expect.stringContaining("0 written, 0 removed, 602 unchanged"),
    });
    expect(await limited("check")).toMatchObject({
      code: 0,
      err: "",
      out: expect.stringContaining("is current (602 files)"),
    });
  }, 180_000);
});
