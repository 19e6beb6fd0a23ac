// bench/readers.ts: every exported text reader on 1 MiB of adversarial input (issue 17: each within 50 ms) — the cases
// of test/linear-cases.ts whose input is a text, a mail or log lines, at 1 MiB (each reader of the catalog on its own
// texts cut short, the runtime's readers, classify, classifyBounce in each form, the log readers), and every parser of
// the catalog and classify on the issue's own example, "550-5.1.1 " repeated. CPU time, best of a few runs, in a
// process of its own (readersInChild): a reader called on a hostile megabyte, as a user's process would call it, and
// leaving the bench's process as it found it (texts of 1 MiB would teach the shared code of the packages shapes the
// corpus never shows, and the comparison with today's start would pay for them).
import { spawnSync } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as catalog from "mailcodes";
import { CASES } from "../test/linear-cases.ts";
import { bestCpu } from "./against-base.ts";

export const MIB = 1 << 20;

export interface ReaderTime {
  readonly name: string;
  readonly ms: number;
}

/** Every case's best CPU time at 1 MiB, slowest first. */
export async function readerTimes(runs: number): Promise<ReaderTime[]> {
  const times: ReaderTime[] = [];
  // The cases counted in recipients or spec keys are not text readers' (linear-cases.ts times them at their scale).
  for (const c of CASES.filter((c) => !/many recipients|parseSpec|locate/.test(c.name))) {
    times.push({ name: c.name, ms: await bestCpu(c.at(MIB), runs) });
  }
  const replies = "550-5.1.1 ".repeat(MIB / 10);
  for (const [name, read] of Object.entries(catalog)) {
    if (typeof read !== "function" || !(name.startsWith("parse") || name === "classify")) continue;
    times.push({
      name: `${name}, on "550-5.1.1 " repeated`,
      ms: await bestCpu(() => (read as (text: string) => unknown)(replies), runs),
    });
  }
  return times.sort((a, b) => b.ms - a.ms);
}

/** readerTimes, measured by this module run as a process of its own (with the loader and options of this one). */
export function readersInChild(runs: number): ReaderTime[] {
  const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), String(runs)], {
    encoding: "utf8",
    maxBuffer: 1 << 24,
  });
  if (child.status !== 0) throw new Error(`bench/readers.ts exited ${child.status}: ${child.stderr}`);
  return JSON.parse(child.stdout) as ReaderTime[];
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(JSON.stringify(await readerTimes(Number(process.argv[2] ?? 3))));
}
