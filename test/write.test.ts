import { spawnSync } from "node:child_process";
import * as fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compare, OPEN_AT_ONCE, OutDirError, OutDirMemory, type WriteFs, writeOutDir } from "../generator/src/write.ts";
import { OUT_DIR_FILES as FILES, generatedFile, outDirWith, snapshot, tempDir } from "./helpers.ts";

const REAL: WriteFs = fs;

/** Real fs, which notes the name of the file each call of `op` is for. */
function recording(op: "open" | "writeFile", names: string[]): WriteFs {
  return {
    ...fs,
    [op]: (file: unknown, ...rest: unknown[]) => {
      names.push(path.basename(String(file)));
      return (REAL[op] as (...args: unknown[]) => unknown)(file, ...rest);
    },
  } as WriteFs;
}

/** Real fs, except that the nth call of `op` fails. */
function failingOn(op: "writeFile" | "rename", nth: number): WriteFs {
  let calls = 0;
  return {
    ...fs,
    [op]: async (...args: unknown[]) => {
      if (++calls === nth) throw Object.assign(new Error(`injected ${op} failure`), { code: "EIO", syscall: op });
      const real = op === "writeFile" ? fs.writeFile : fs.rename;
      return (real as (...a: unknown[]) => Promise<void>)(...args);
    },
  } as WriteFs;
}

describe("writeOutDir", () => {
  it("creates the out dir and writes every file", async () => {
    const dir = await outDirWith(FILES);
    const files = await snapshot(dir);
    expect(Object.keys(files)).toEqual(["a.ts", "b.ts", "index.ts"]);
    expect(files["b.ts"]!.text).toBe(FILES[1]!.text);
  });

  it("does not rewrite unchanged files", async () => {
    const dir = await outDirWith(FILES);
    const before = await snapshot(dir);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const changed = [FILES[0]!, generatedFile("b.ts", "export const b = 3;"), FILES[2]!];
    const result = await writeOutDir(dir, changed);
    expect(result).toEqual({ written: ["b.ts"], removed: [], unchanged: ["a.ts", "index.ts"] });
    const after = await snapshot(dir);
    expect(after["a.ts"]).toEqual(before["a.ts"]);
    expect(after["b.ts"]!.mtimeMs).not.toBe(before["b.ts"]!.mtimeMs);
  });

  it("removes generated files that are no longer produced", async () => {
    const dir = await outDirWith(FILES);
    const result = await writeOutDir(dir, [FILES[0]!, FILES[2]!]);
    expect(result.removed).toEqual(["b.ts"]);
    expect(Object.keys(await snapshot(dir))).toEqual(["a.ts", "index.ts"]);
  });

  it("refuses to delete a file it did not generate, and writes nothing", async () => {
    const dir = await outDirWith(FILES);
    await fs.writeFile(path.join(dir, "notes.txt"), "mine");
    const before = await snapshot(dir);
    await expect(writeOutDir(dir, [generatedFile("a.ts", "changed")])).rejects.toThrow(OutDirError);
    expect(await snapshot(dir)).toEqual(before);
  });

  it.each([
    ["the second staged write", "writeFile", 2],
    ["the first rename into place", "rename", 1],
    ["a rename part-way through", "rename", 3],
  ] as const)("leaves the out dir exactly as it was when %s fails", async (_, op, nth) => {
    const dir = await outDirWith(FILES);
    const before = await snapshot(dir);
    const next = [
      generatedFile("a.ts", "export const a = 10;"),
      generatedFile("b.ts", "export const b = 20;"),
      generatedFile("c.ts", "export const c = 30;"),
    ];
    await expect(writeOutDir(dir, next, failingOn(op, nth))).rejects.toThrow(`injected ${op} failure`);
    expect(await snapshot(dir)).toEqual(before); // no scratch files left behind either
  });

  it("with a memory (the watch), reads again only the files something touched since it last read them", async () => {
    const dir = await outDirWith(FILES);
    const opened: string[] = [];
    const counting = recording("open", opened);
    const memory = new OutDirMemory();
    const a10 = generatedFile("a.ts", "export const a = 10;");
    await writeOutDir(dir, FILES, counting, memory); // reads all three, and remembers them
    opened.length = 0;
    expect(await writeOutDir(dir, [a10, ...FILES.slice(1)], counting, memory)).toEqual({
      written: ["a.ts"],
      removed: [],
      unchanged: ["b.ts", "index.ts"],
    });
    // The lock file is opened, and nothing else: every file was as it was read.
    expect(opened.filter((name) => !name.startsWith(".mailcodes-"))).toEqual([]);
    // Someone else's edit, of the same size, changes the file's times: it is read, found stale, and rewritten.
    await fs.writeFile(path.join(dir, "b.ts"), FILES[1]!.text.replace("2", "3"));
    opened.length = 0;
    const result = await writeOutDir(dir, [a10, ...FILES.slice(1)], counting, memory);
    expect(result.written).toEqual(["b.ts"]);
    // a.ts, which the last run wrote (a new file under its name), and b.ts: each read once, before and after the lock.
    expect(opened.filter((name) => !name.startsWith(".mailcodes-"))).toEqual(["a.ts", "b.ts"]);
    expect(await fs.readFile(path.join(dir, "b.ts"), "utf8")).toBe(FILES[1]!.text);
  });

  it("tells a file unchanged by its bytes: U+FFFD is not the invalid bytes it stands for; a lone surrogate is", async () => {
    const dir = await outDirWith(FILES);
    const memory = new OutDirMemory();
    const replaced = generatedFile("b.ts", "export const b = '\uFFFD';");
    // A truncated four-byte sequence decodes to one U+FFFD, three bytes long as its UTF-8 is: yet other bytes.
    await fs.writeFile(
      path.join(dir, "b.ts"),
      Buffer.concat([Buffer.from(replaced.text.slice(0, -3)), Buffer.from([0xf0, 0x9f, 0x98]), Buffer.from("';")]),
    );
    for (const run of [1, 2]) {
      const result = await writeOutDir(dir, [FILES[0]!, replaced, FILES[2]!], undefined, memory);
      expect([run, result.written]).toEqual([run, run === 1 ? ["b.ts"] : []]);
    }
    // A lone surrogate is written as U+FFFD: the file holds its bytes, and is not written again.
    const lone = generatedFile("b.ts", "export const b = '\uD800';");
    expect((await writeOutDir(dir, [FILES[0]!, lone, FILES[2]!], undefined, memory)).unchanged).toContain("b.ts");
  });

  it("never has a half-written file under a final name: new text is written aside and renamed", async () => {
    const dir = await outDirWith(FILES);
    const writes: string[] = [];
    const spy = recording("writeFile", writes);
    await writeOutDir(dir, [generatedFile("a.ts", "export const a = 10;"), ...FILES.slice(1)], spy);
    expect(writes).toEqual([
      expect.stringMatching(new RegExp(`^\\.mailcodes-${process.pid}-[0-9a-f]{8}-a\\.ts\\.tmp$`)),
    ]); // named after its run
  });

  it("keeps every produced file present under its name, old or new, at every step", async () => {
    const dir = await outDirWith(FILES);
    const seen: string[][] = [];
    const watching = {
      ...fs,
      rename: async (...args: Parameters<typeof fs.rename>) => {
        seen.push((await fs.readdir(dir)).filter((n) => !n.startsWith(".")).sort());
        return fs.rename(...args);
      },
    } as WriteFs;
    await writeOutDir(
      dir,
      [generatedFile("a.ts", "export const a = 10;"), generatedFile("b.ts", "export const b = 20;"), FILES[2]!],
      watching,
    );
    expect(seen.length).toBeGreaterThan(0);
    for (const names of seen) expect(names).toEqual(["a.ts", "b.ts", "index.ts"]);
  });

  it("cleans up the scratch files of a run that was killed, which its lock file names, and no others", async () => {
    const dir = await outDirWith(FILES);
    const pid = spawnSync(process.execPath, ["-e", ""]).pid!; // a process that has exited, like a killed run
    await fs.writeFile(path.join(dir, `.mailcodes-${pid}-0badc0de.lock`), `${pid}\n`);
    await fs.writeFile(path.join(dir, `.mailcodes-${pid}-0badc0de-a.ts.tmp`), "half");
    await fs.writeFile(path.join(dir, ".mailcodes-999-a.ts.tmp"), "not a run's: no lock names it");
    expect((await compare(dir, FILES)).orphaned).toEqual([]);
    await writeOutDir(dir, FILES);
    expect(Object.keys(await snapshot(dir))).toEqual([".mailcodes-999-a.ts.tmp", "a.ts", "b.ts", "index.ts"]);
  });
});

describe("files open at once (issue 19, item 15)", () => {
  /** Real fs that counts the files open at a time (a handle from open until its close; a writeFile while it runs). */
  function countingOpenFiles() {
    let open = 0;
    let most = 0;
    const opened = () => (most = Math.max(most, ++open));
    const counting = {
      ...fs,
      open: async (...args: Parameters<typeof fs.open>) => {
        const handle = await fs.open(...args);
        opened();
        const close = handle.close.bind(handle);
        handle.close = () => (open--, close());
        return handle;
      },
      writeFile: async (...args: Parameters<typeof fs.writeFile>) => {
        opened();
        try {
          return await fs.writeFile(...args);
        } finally {
          open--;
        }
      },
    } as WriteFs;
    return { fs: counting, most: () => most };
  }

  it("are bounded when the out dir is compared, read and written, whatever its size", async () => {
    const many = Array.from({ length: 200 }, (_, i) => generatedFile(`m${i}.ts`, `export const m${i} = ${i};`));
    const dir = await outDirWith(many);
    const changed = many.map((f, i) => (i % 2 === 0 ? { ...f, text: f.text.replace(" = ", " = -") } : f));
    const counted = countingOpenFiles();
    expect((await compare(dir, many, counted.fs)).unchanged).toHaveLength(200);
    expect((await writeOutDir(dir, changed, counted.fs)).written).toHaveLength(100);
    expect((await compare(dir, changed, counted.fs)).unchanged).toHaveLength(200);
    expect(counted.most()).toBeGreaterThan(1); // the reads still overlap
    expect(counted.most()).toBeLessThanOrEqual(OPEN_AT_ONCE);
    expect(OPEN_AT_ONCE).toBeLessThanOrEqual(64); // room under macOS's default of 256 for the process's own files
  });
});

describe("compare", () => {
  it("names stale, missing and orphaned files, with a diff for stale ones", async () => {
    const dir = await outDirWith(FILES);
    await fs.writeFile(path.join(dir, "a.ts"), FILES[0]!.text.replace("= 1", "= 99"));
    await fs.rm(path.join(dir, "b.ts"));
    await fs.writeFile(path.join(dir, "old.ts"), "// Code generated by mailcodes from spec/old.yaml. DO NOT EDIT.\n");
    const result = await compare(dir, FILES);
    expect(result.missing).toEqual(["b.ts"]);
    expect(result.orphaned).toEqual(["old.ts"]);
    expect(result.unchanged).toEqual(["index.ts"]);
    expect(result.stale.map((s) => s.path)).toEqual(["a.ts"]);
    expect(result.stale[0]!.diff).toContain("-export const a = 99;\n+export const a = 1;");
  });
});

describe("diffs of stale files", () => {
  // Myers' diff is quadratic when every line differs: a 5,000-line module took seconds, a 50,000-entry one hours.
  const big = (word: string) =>
    generatedFile("big.ts", Array.from({ length: 5000 }, (_, i) => `export const v${i} = "${word} ${i}";`).join("\n"));

  // (A write computes no diff at all: writeOutDir has no diff to compute. How long check takes is in the bench.)
  it("are bounded in check: a file that differs on every line is named, without a diff", async () => {
    const dir = path.join(await tempDir(), "generated");
    await writeOutDir(dir, [big("old")]);
    const { stale } = await compare(dir, [big("new")]);
    expect(stale).toEqual([
      { path: "big.ts", diff: expect.stringMatching(/^\(more than \d+ lines differ; no diff shown\)$/) },
    ]);
  });
});
