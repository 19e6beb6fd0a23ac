// bench/readers.ts: every exported text reader on 1 MiB of adversarial input (issue 17: each within 50 ms) — the cases
// of test/linear-cases.ts whose input is a text, a mail or log lines, at 1 MiB (each reader of the catalog on its own
// texts cut short, the runtime's readers, classify, classifyBounce in each form, the log readers), and every parser of
// the catalog and classify on the issue's own example, "550-5.1.1 " repeated. CPU time, best of a few runs.
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
    times.push({ name: `${name}, on "550-5.1.1 " repeated`, ms: await bestCpu(() => (read as (text: string) => unknown)(replies), runs) });
  }
  return times.sort((a, b) => b.ms - a.ms);
}
