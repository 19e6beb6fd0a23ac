// bin/mailcodes.js runs the generator compiled to dist/ only while every compiled file is at least as new as its
// source, and the TypeScript sources otherwise: an edit to the generator is never run stale.
import { execFile } from "node:child_process";
import { appendFile, cp, rm, symlink, utimes } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { ROOT, tempDir } from "./helpers.ts";

const exec = promisify(execFile);
const MARK = "ran the compiled generator";

/** A copy of the project's generator, bin and specs, with dist/ built from it and marked so its use shows on stderr. */
async function builtCopy(): Promise<string> {
  const root = await tempDir();
  for (const entry of ["bin", "generator", "spec", "package.json", "tsconfig.json", "tsconfig.build.json"]) {
    await cp(path.join(ROOT, entry), path.join(root, entry), { recursive: true });
  }
  await symlink(path.join(ROOT, "node_modules"), path.join(root, "node_modules"), "dir");
  await exec(path.join(ROOT, "node_modules/.bin/tsc"), ["-p", "tsconfig.build.json"], { cwd: root });
  await appendFile(path.join(root, "dist/cli.js"), `\nconsole.error(${JSON.stringify(MARK)});\n`);
  return root;
}

async function mailcodes(root: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [path.join(root, "bin/mailcodes.js"), ...args], { cwd: root });
    return { code: 0, out: stdout, err: stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout, err: e.stderr };
  }
}

describe("bin/mailcodes.js", () => {
  it("runs dist/ while it is current, and it produces exactly the committed generated/", async () => {
    const root = await builtCopy();
    const result = await mailcodes(root, "check", "--out-dir", path.join(ROOT, "generated"));
    expect(result.err).toContain(MARK);
    expect(result.out).toContain("is current");
    expect(result.code).toBe(0);
  }, 60_000);

  it("runs the sources once a source is newer than its compiled file, or a compiled file is missing", async () => {
    const root = await builtCopy();
    const later = new Date(Date.now() + 60_000);
    await utimes(path.join(root, "generator/names.ts"), later, later);
    const edited = await mailcodes(root, "check", "--out-dir", path.join(ROOT, "generated"));
    expect(edited.err).not.toContain(MARK);
    expect(edited.code).toBe(0);

    const rebuilt = await builtCopy();
    await rm(path.join(rebuilt, "dist/validate.js"));
    const missing = await mailcodes(rebuilt, "validate");
    expect(missing.err).not.toContain(MARK);
    expect(missing.out).toContain("are valid");
    expect(missing.code).toBe(0);
  }, 60_000);
});
