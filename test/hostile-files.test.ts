// Hostile files (issue 12, holes 1, 2, 10 and 11): what the file system can put among the specs or in the out dir
// that is not a plain, reasonably sized file with a plain name. Each is named in a one-line message, exit 2 (or 1 for
// check, where the out dir is merely not what the specs produce), never a hang, a stack trace or an unbounded read.
import { execFileSync } from "node:child_process";
import { mkdir, open, symlink, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { showName } from "../generator/diagnostics.ts";
import { loadSpecs, readBounded } from "../generator/load.ts";
import { copyOfSpecs, run, snapshot, type Run } from "./helpers.ts";

/** Far longer than any of these takes when it works; a hang fails the test instead of stalling the suite. */
const HANG_MS = 8_000;

/** `work`, or a failure once it has taken HANG_MS (after `unblock`, which lets a stuck read finish). */
async function withoutHanging<T>(work: Promise<T>, unblock: () => Promise<void> = async () => undefined): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<"hung">((resolve) => (timer = setTimeout(() => resolve("hung"), HANG_MS)));
  const result = await Promise.race([work, hung]);
  clearTimeout(timer);
  if (result === "hung") {
    await unblock();
    throw new Error(`hung for ${HANG_MS} ms`);
  }
  return result;
}

/** A named pipe; `unblock` opens its other end, so that a reader stuck in open() goes on (and sees an empty file). */
function fifo(file: string): { unblock: () => Promise<void> } {
  execFileSync("mkfifo", [file]);
  return { unblock: async () => void (await (await open(file, "w")).close()) };
}

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** A UNIX socket bound at `file`. */
async function socket(file: string): Promise<void> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(file, resolve));
}

/** A copy of the real specs plus one broken spec, whose diagnostic must still be reported beside the hostile file's. */
async function specsWithABrokenOne(): Promise<{ specDir: string; outDir: string; broken: string }> {
  const specDir = await copyOfSpecs();
  await writeFile(path.join(specDir, "broken.yaml"), "source: 1\ncodeSets: []\nsource: 2\n");
  const broken = `${specDir}/broken.yaml:3:1: Map keys must be unique: this key appears twice in the same mapping`;
  return { specDir, outDir: path.join(path.dirname(specDir), "generated"), broken };
}

function expectOneLineMessages(result: Run): void {
  expect(result.err).not.toMatch(/\n\s+at /); // no stack trace
  expect(result.err).not.toMatch(/\n\n/);
}

describe("a spec dir entry that is not a regular file (holes 1 and 11)", () => {
  it.each([
    ["a named pipe (FIFO)", "pipe.yaml", "named pipe (FIFO), not a file; a spec must be a regular file"],
    ["a UNIX socket", "socket.yaml", "socket, not a file; a spec must be a regular file"],
    ["a directory", "dir.yaml", "directory, not a file; a spec must be a regular file"],
    ["a symbolic link to /dev/zero", "zero.yaml", "character device, not a file; a spec must be a regular file"],
    ["a symbolic link to nothing", "dangling.yaml", "cannot be read (ENOENT: no such file or directory); a spec must be a readable regular file"],
  ])("%s is a diagnostic at file:1:1, beside the other specs' diagnostics, and never hangs", async (_, name, message) => {
    const { specDir } = await specsWithABrokenOne();
    const file = path.join(specDir, name);
    let unblock: (() => Promise<void>) | undefined;
    if (name === "pipe.yaml") unblock = fifo(file).unblock;
    else if (name === "socket.yaml") await socket(file);
    else if (name === "dir.yaml") await mkdir(file);
    else await symlink(name === "zero.yaml" ? "/dev/zero" : path.join(specDir, "nowhere"), file);
    const { diagnostics, specs } = await withoutHanging(loadSpecs(specDir), unblock);
    expect(diagnostics).toEqual([
      { file: `${specDir}/broken.yaml`, line: 3, column: 1, message: "Map keys must be unique: this key appears twice in the same mapping" },
      { file: `${specDir}/${name}`, line: 1, column: 1, message },
    ]);
    expect(specs.length).toBeGreaterThan(5); // the real specs beside them were read
  });

  it("stops generate, check and validate with exit 2, naming it, and writes nothing", async () => {
    const { specDir, outDir, broken } = await specsWithABrokenOne();
    const { unblock } = fifo(path.join(specDir, "pipe.yaml"));
    for (const command of ["validate", "generate", "check"]) {
      const result = await withoutHanging(run(command, "--spec-dir", specDir, "--out-dir", outDir), unblock);
      expect(result.code, result.err).toBe(2);
      expect(result.err.split("\n")).toEqual([
        broken,
        `${specDir}/pipe.yaml:1:1: named pipe (FIFO), not a file; a spec must be a regular file`,
        "mailcodes: 2 problems in the specs; nothing was written",
      ]);
      expectOneLineMessages(result);
    }
    expect(await snapshot(outDir)).toEqual({});
  });

  it("reads a spec by the bytes it gives, not by the size it claims: a device that never ends gives limit + 1", async () => {
    const handle = await open("/dev/zero", "r");
    try {
      const { bytes, complete } = await readBounded(handle, 100_000, 0);
      expect({ length: bytes.length, complete }).toEqual({ length: 100_000, complete: false });
    } finally {
      await handle.close();
    }
  });
});

describe("file names from the file system (hole 10)", () => {
  it("reports a spec whose name is not UTF-8 by an escaped name, beside the other specs' diagnostics", async () => {
    const { specDir, broken } = await specsWithABrokenOne();
    await writeFile(Buffer.concat([Buffer.from(`${specDir}/caf`), Buffer.from([0xe9]), Buffer.from(".yaml")]), "source: 1\n");
    const result = await run("validate", "--spec-dir", specDir);
    expect(result.code).toBe(2);
    expect(result.err.split("\n")).toEqual([
      `"${specDir}/caf\\xe9.yaml":1:1: file name is not valid UTF-8; rename the file`,
      broken,
      "mailcodes: 2 problems in the specs; nothing was written",
    ]);
  });

  it.each([
    ["plain", "spec/arara.yaml", "spec/arara.yaml"],
    ["with a line break", "gen/a\nstale: gen/b.ts", '"gen/a\\nstale: gen/b.ts"'],
    ["with a terminal escape", "gen/\u001b[2Jx.ts", '"gen/\\u001b[2Jx.ts"'],
    ["with a C1 control and a line separator", "gen/\u009bx\u2028.ts", '"gen/\\u009bx\\u2028.ts"'],
    ["with a quote", 'gen/"x".ts', '"gen/\\"x\\".ts"'],
    ["with a lone surrogate", "gen/\ud800.ts", '"gen/\\ud800.ts"'],
  ])("shows a name %s on one line, JSON-quoted when it is not plain", (_, name, shown) => {
    expect(showName(name)).toBe(shown);
  });

  it("shows the bytes of a name that is not UTF-8 as \\x escapes, and the rest as it is", () => {
    expect(showName(Buffer.from([0x67, 0x2f, 0xff, 0xe3, 0x81, 0x82, 0x0a, 0xc3]))).toBe('"g/\\xffあ\\n\\xc3"');
    expect(showName(Buffer.from("gen/あ.ts"))).toBe("gen/あ.ts");
  });
});
