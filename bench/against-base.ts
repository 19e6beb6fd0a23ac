// bench/against-base.ts: the packages against the code of today's start (issue 17's speed goals are ratios to it), in
// the same run: the start's build is loaded beside this one (MAILCODES_BASE names its folder, made by
// bench/baseline.sh), and each measure runs the two in turn, best of several, by the process's CPU time — on a machine
// others share, only such ratios mean anything.
import { join } from "node:path";
import { pathToFileURL } from "node:url";

/** What the bench calls in either build. */
export interface Build {
  readonly classify: (text: string) => unknown;
  readonly classifyBounce: (mail: Uint8Array) => Promise<unknown>;
  readonly parseReasonByStatus: (text: string) => unknown;
}

/** The start's build, or undefined when the bench was run without one. */
export async function loadBase(dir = process.env["MAILCODES_BASE"]): Promise<Build | undefined> {
  if (dir === undefined || dir === "") return undefined;
  const load = (path: string) => import(pathToFileURL(join(dir, path)).href) as Promise<Record<string, unknown>>;
  const [catalog, bounce] = await Promise.all([
    load("packages/mailcodes/dist/index.js"),
    load("packages/mailcodes-bounce/dist/index.js"),
  ]);
  return {
    classify: catalog["classify"] as Build["classify"],
    classifyBounce: bounce["classifyBounce"] as Build["classifyBounce"],
    parseReasonByStatus: catalog["parseReasonByStatus"] as Build["parseReasonByStatus"],
  };
}

/** CPU time used by this process so far, in ms. */
export function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** The least CPU time one call of `work` took, of `runs`. */
export async function bestCpu(work: () => unknown, runs: number): Promise<number> {
  let best = Infinity;
  for (let run = 0; run < runs; run++) {
    const start = cpuMs();
    await work();
    best = Math.min(best, cpuMs() - start);
  }
  return best;
}

/** The start's and this build's best CPU times for the same work, run in turn (each warmed first). */
export async function inTurn(
  base: () => unknown,
  now: () => unknown,
  runs: number,
): Promise<{ base: number; now: number }> {
  await base();
  await now();
  let bestBase = Infinity;
  let bestNow = Infinity;
  for (let run = 0; run < runs; run++) {
    bestBase = Math.min(bestBase, await bestCpu(base, 1));
    bestNow = Math.min(bestNow, await bestCpu(now, 1));
  }
  return { base: bestBase, now: bestNow };
}
