// Hostile files (issue 12, holes 1, 2, 10 and 11): what the file system can put among the specs or in the out dir
// that is not a plain, reasonably sized file with a plain name. Each is named in a one-line message, exit 2 (or 1 for
// check, where the out dir is merely not what the specs produce), never a hang, a stack trace or an unbounded read.
import { execFileSync } from "node:child_process";
import * as nodeFs from "node:fs/promises";
import {
  copyFile,
  cp,
  lstat,
  mkdir,
  open,
  readdir,
  readFile,
  rm,
  symlink,
  truncate,
  writeFile,
} from "node:fs/promises";
import { createServer, type Server } from "node:net";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { showName } from "../generator/src/diagnostics.ts";
import { readBounded } from "../generator/src/files.ts";
import { loadSpecs } from "../generator/src/load.ts";
import { compare, OutDirError, type WriteFs, writeOutDir } from "../generator/src/write.ts";
import {
  OUT_DIR_FILES as FILES,
  generatedFile,
  outDirWith,
  REGISTRY_DIR,
  type Run,
  run,
  snapshot,
  tempDir,
} from "./helpers.ts";

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

/** RFC 5321's registry and its table: the smallest spec dir of real specs that generates (the whole one costs a second a run). */
async function registries(): Promise<string> {
  const specDir = path.join(await tempDir(), "spec");
  await mkdir(specDir);
  await copyFile(path.join(REGISTRY_DIR, "rfc5321.yaml"), path.join(specDir, "rfc5321.yaml"));
  await cp(path.join(REGISTRY_DIR, "reference"), path.join(specDir, "reference"), { recursive: true });
  return specDir;
}

/** Specs plus one broken spec, whose diagnostic must still be reported beside the hostile file's. */
async function specsWithABrokenOne(): Promise<{ specDir: string; outDir: string; broken: string }> {
  const specDir = await registries();
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
    [
      "a symbolic link to nothing",
      "dangling.yaml",
      "cannot be read (ENOENT: no such file or directory); a spec must be a readable regular file",
    ],
  ])(
    "%s is a diagnostic at file:1:1, beside the other specs' diagnostics, and never hangs",
    async (_, name, message) => {
      const { specDir } = await specsWithABrokenOne();
      const file = path.join(specDir, name);
      let unblock: (() => Promise<void>) | undefined;
      if (name === "pipe.yaml") unblock = fifo(file).unblock;
      else if (name === "socket.yaml") await socket(file);
      else if (name === "dir.yaml") await mkdir(file);
      else await symlink(name === "zero.yaml" ? "/dev/zero" : path.join(specDir, "nowhere"), file);
      const { diagnostics, specs } = await withoutHanging(loadSpecs(specDir), unblock);
      expect(diagnostics).toEqual([
        {
          file: `${specDir}/broken.yaml`,
          line: 3,
          column: 1,
          message: "Map keys must be unique: this key appears twice in the same mapping",
        },
        { file: `${specDir}/${name}`, line: 1, column: 1, message },
      ]);
      expect(specs.map((spec) => path.basename(spec.file))).toEqual(["rfc5321.yaml"]); // the spec beside them was read
    },
  );

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
    await writeFile(
      Buffer.concat([Buffer.from(`${specDir}/caf`), Buffer.from([0xe9]), Buffer.from(".yaml")]),
      "source: 1\n",
    );
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

// --- the out dir ------------------------------------------------------------------------------------------------

/** The regular files of a dir and their texts (a snapshot that opens nothing else), and every name in it. */
async function contents(dir: string): Promise<{ names: string[]; texts: Record<string, string> }> {
  const names = (await readdir(dir)).sort();
  const texts: Record<string, string> = {};
  for (const name of names)
    if ((await lstat(path.join(dir, name))).isFile()) texts[name] = await readFile(path.join(dir, name), "utf8");
  return { names, texts };
}

/** The real fs, counting the bytes read from files whose name matches `counted`, by any means. */
function countingReads(counted: RegExp): { fs: WriteFs; bytesRead: () => number } {
  let total = 0;
  const fs = {
    ...nodeFs,
    readFile: async (...args: Parameters<typeof nodeFs.readFile>) => {
      const result = await nodeFs.readFile(...args);
      if (counted.test(String(args[0]))) total += result.length;
      return result;
    },
    open: async (...args: Parameters<typeof nodeFs.open>) => {
      const handle = await nodeFs.open(...args);
      if (counted.test(String(args[0]))) {
        const read = handle.read.bind(handle) as (...a: unknown[]) => Promise<{ bytesRead: number }>;
        Object.assign(handle, {
          read: async (...a: unknown[]) => {
            const result = await read(...a);
            total += result.bytesRead;
            return result;
          },
        });
      }
      return handle;
    },
  } as WriteFs;
  return { fs, bytesRead: () => total };
}

describe("an out dir entry that is not a regular file (hole 1)", () => {
  it.each([
    ["a named pipe (FIFO)", "pipe.ts", "named pipe (FIFO)"],
    ["a named pipe under a name the specs produce", "b.ts", "named pipe (FIFO)"],
    ["a UNIX socket", "socket.ts", "socket"],
    ["a directory", "sub.ts", "directory"],
    ["a symbolic link to /dev/zero", "zero.ts", "character device"],
  ])("%s stops check and generate with a message naming it, and is never opened or read", async (_, name, kind) => {
    const dir = await outDirWith(FILES);
    const file = path.join(dir, name);
    let unblock: (() => Promise<void>) | undefined;
    if (kind === "named pipe (FIFO)") {
      await rm(file, { force: true });
      unblock = fifo(file).unblock;
    } else if (kind === "socket") await socket(file);
    else if (kind === "directory") await mkdir(file);
    else await symlink("/dev/zero", file);
    const before = await contents(dir);
    const next = [generatedFile("a.ts", "export const a = 10;"), ...FILES.slice(1)];
    const message = `${dir}/${name}: ${kind}, not a regular file; the out dir holds only generated files: move it out`;
    await expect(withoutHanging(compare(dir, next), unblock)).rejects.toThrow(new OutDirError(message));
    await expect(withoutHanging(writeOutDir(dir, next), unblock)).rejects.toThrow(
      new OutDirError(`${message} (nothing was written)`),
    );
    expect(await contents(dir)).toEqual(before);
  });
});

describe("a huge file in the out dir (hole 2)", () => {
  const HUGE = 3 * 1024 ** 3; // sparse: no disk space, and past what readFile can read into one buffer

  it("under a name the specs produce: stale for check, with its size instead of a diff; replaced by generate; read only in part", async () => {
    const dir = await outDirWith(FILES);
    await truncate(path.join(dir, "a.ts"), HUGE);
    const { fs, bytesRead } = countingReads(/\/a\.ts$/);
    const { stale, unchanged } = await compare(dir, FILES, fs);
    const produced = Buffer.byteLength(FILES[0]!.text);
    expect(stale).toEqual([
      { path: "a.ts", diff: `(file is ${HUGE} bytes, the specs produce ${produced}; no diff shown)` },
    ]);
    expect(unchanged).toEqual(["b.ts", "index.ts"]);
    expect(await writeOutDir(dir, FILES, fs)).toEqual({
      written: ["a.ts"],
      removed: [],
      unchanged: ["b.ts", "index.ts"],
    });
    expect((await contents(dir)).texts["a.ts"]).toBe(FILES[0]!.text);
    expect(bytesRead()).toBeLessThan(4 * 1024 * 1024);
  });

  it("that no spec produces: orphaned for check; refused by generate unless it has the generated header; read only in part", async () => {
    const dir = await outDirWith(FILES);
    await writeFile(path.join(dir, "big.bin"), "");
    await truncate(path.join(dir, "big.bin"), HUGE);
    await writeFile(path.join(dir, "old.ts"), "// Code generated by mailcodes from spec/old.yaml. DO NOT EDIT.\n");
    await truncate(path.join(dir, "old.ts"), HUGE);
    const { fs, bytesRead } = countingReads(/\/(big\.bin|old\.ts)$/);
    expect((await compare(dir, FILES, fs)).orphaned).toEqual(["big.bin", "old.ts"]);
    await expect(writeOutDir(dir, FILES, fs)).rejects.toThrow(
      new OutDirError(`${dir}/big.bin: not generated by mailcodes; move it out of the out dir (nothing was written)`),
    );
    await rm(path.join(dir, "big.bin"));
    expect(await writeOutDir(dir, FILES, fs)).toEqual({
      written: [],
      removed: ["old.ts"],
      unchanged: ["a.ts", "b.ts", "index.ts"],
    });
    expect(bytesRead()).toBeLessThan(1024 * 1024);
  });

  it("makes check exit 1 naming it, with no stack trace", async () => {
    const specDir = await registries();
    const outDir = path.join(path.dirname(specDir), "generated");
    expect((await run("generate", "--spec-dir", specDir, "--out-dir", outDir)).code).toBe(0);
    await truncate(path.join(outDir, "smtp-reply-code.ts"), HUGE);
    const result = await run("check", "--spec-dir", specDir, "--out-dir", outDir);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(
      new RegExp(
        `^stale: ${outDir}/smtp-reply-code\\.ts\\n\\(file is ${HUGE} bytes, the specs produce \\d+; no diff shown\\)\\n`,
      ),
    );
    expectOneLineMessages(result);
  });
});

describe("out dir file names (hole 10)", () => {
  async function generatedSpecs(): Promise<{ specDir: string; outDir: string; args: string[] }> {
    const specDir = await registries();
    const outDir = path.join(path.dirname(specDir), "generated");
    const args = ["--spec-dir", specDir, "--out-dir", outDir];
    expect((await run("generate", ...args)).code).toBe(0);
    return { specDir, outDir, args };
  }

  it("cannot forge a line of check's output with a line break or a terminal escape in a name", async () => {
    const { specDir, outDir, args } = await generatedSpecs();
    const forged = "x (no spec produces it)\nstale: smtp-reply-code.ts";
    await writeFile(path.join(outDir, forged), "mine\n");
    await writeFile(path.join(outDir, "\u001b[2K\u001b[1Ay.ts"), "mine\n");
    const result = await run("check", ...args);
    expect(result.code).toBe(1);
    expect(result.err.split("\n")).toEqual([
      `orphaned: ${outDir}/"\\u001b[2K\\u001b[1Ay.ts" (no spec produces it)`,
      `orphaned: ${outDir}/${JSON.stringify(forged)} (no spec produces it)`,
      `mailcodes: ${outDir} is not what the specs produce; run \`mailcodes generate --spec-dir ${specDir} --out-dir ${outDir}\` and commit the result`,
    ]);
    const generate = await run("generate", ...args);
    expect(generate.code).toBe(2);
    expect(generate.err).toBe(
      `mailcodes: ${outDir}/"\\u001b[2K\\u001b[1Ay.ts", ${outDir}/${JSON.stringify(forged)}: not generated by mailcodes; move them out of the out dir (nothing was written)`,
    );
  });

  it("names a file whose name is not UTF-8: orphaned for check (exit 1), refused by generate (exit 2) until it is moved", async () => {
    const { outDir, args } = await generatedSpecs();
    const bad = Buffer.concat([Buffer.from(`${outDir}/caf`), Buffer.from([0xe9]), Buffer.from(".ts")]);
    await writeFile(bad, "mine\n");
    const check = await run("check", ...args);
    expect(check.code).toBe(1);
    expect(check.err.split("\n")[0]).toBe(`orphaned: ${outDir}/"caf\\xe9.ts" (no spec produces it)`);
    const generate = await run("generate", ...args);
    expect(generate).toMatchObject({
      code: 2,
      err: `mailcodes: ${outDir}/"caf\\xe9.ts": not generated by mailcodes; move it out of the out dir (nothing was written)`,
    });
    await rm(bad);
    expect((await run("generate", ...args)).code).toBe(0);
    expect((await run("check", ...args)).code).toBe(0);
  });
});
