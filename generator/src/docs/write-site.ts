// write-site: the site's files → its folder. The command writes only into a folder it made: the folder keeps the list
// of files it wrote (.mailcodes-site), and a later run removes those it no longer makes (a set that was dropped).
import { mkdir, readdir, readFile, rmdir, stat, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { OutDirError } from "../write.ts";
import type { SiteFile } from "./site.ts";

/** The list of the files a run wrote, which marks the folder as the docs command's. */
export const SITE_MARK = ".mailcodes-site";
/** A path the site can have: names of letters, digits, dots, "-" and "_", at most one folder deep. */
const SITE_PATH = /^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)?$/;

export interface SiteWrite {
  readonly written: number;
  readonly unchanged: number;
  readonly removed: number;
}

export async function writeSite(outDir: string, files: readonly SiteFile[]): Promise<SiteWrite> {
  const previous = await previousFiles(outDir);
  const produced = new Set(files.map((f) => f.path));
  let written = 0;
  let unchanged = 0;
  for (const file of files) {
    const target = path.join(outDir, file.path);
    if ((await readFile(target, "utf8").catch(() => undefined)) === file.text) {
      unchanged++;
      continue;
    }
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, file.text);
    written++;
  }
  const stale = previous.filter((p) => !produced.has(p) && SITE_PATH.test(p));
  for (const p of stale) await unlink(path.join(outDir, p)).catch(ignoreMissing);
  for (const folder of new Set(stale.map((p) => path.dirname(p)).filter((d) => d !== "."))) {
    await rmdir(path.join(outDir, folder)).catch(() => undefined); // only when empty
  }
  const mark = `${[...produced].join("\n")}\n`;
  if (mark !== `${previous.join("\n")}\n`) await writeFile(path.join(outDir, SITE_MARK), mark);
  return { written, unchanged, removed: stale.length };
}

/** What the last run wrote; [] for a new or empty folder. Any other folder is refused. */
async function previousFiles(outDir: string): Promise<string[]> {
  const parent = path.dirname(path.resolve(outDir));
  if (
    !(await stat(parent).then(
      (s) => s.isDirectory(),
      () => false,
    ))
  ) {
    throw new OutDirError(`the out dir's parent ${parent} does not exist; create it, or check --out-dir`);
  }
  let names: string[];
  try {
    names = await readdir(outDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  if (names.length === 0) return [];
  if (!names.includes(SITE_MARK)) {
    throw new OutDirError(
      `${outDir} is not empty and was not written by mailcodes docs (it has no ${SITE_MARK}); give a new or empty folder as --out-dir`,
    );
  }
  return (await readFile(path.join(outDir, SITE_MARK), "utf8")).split("\n").filter((line) => line !== "");
}

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== "ENOENT") throw error;
}
