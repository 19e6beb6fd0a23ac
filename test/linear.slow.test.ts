// Linear time, by CPU: for every case of linear-cases.ts, at the scale a user might meet, GROWTH times the input takes
// at most 2.5 times GROWTH the CPU time (a quadratic reader takes GROWTH² times). Process CPU time, not the wall
// clock, and the best of several runs, so that other work on the machine does not count; linear.test.ts proves the
// same by counting steps in the fast tier.
import { describe, expect, it } from "vitest";
import { CASES, GROWTH } from "./linear-cases.ts";

/** The CPU time one call takes, in ms: the best of three runs, each repeated until it has taken 50 ms of CPU. */
async function cpuMs(work: () => unknown): Promise<number> {
  let best = Infinity;
  for (let run = 0; run < 3; run++) {
    const start = process.cpuUsage();
    let calls = 0;
    let used: NodeJS.CpuUsage;
    do {
      await work();
      calls++;
      used = process.cpuUsage(start);
    } while (used.user + used.system < 50_000);
    best = Math.min(best, (used.user + used.system) / 1000 / calls);
  }
  return best;
}

describe("time grows linearly with the input, by CPU time", () => {
  it.each(CASES.map((c) => [c.name, c] as const))("%s", async (_name, { scale, at }) => {
    const [small, large] = [at(scale.slow), at(scale.slow * GROWTH)];
    await small(); // what is built once (the matchers, the indexes) is not the input's work
    const [smallMs, largeMs] = [await cpuMs(small), await cpuMs(large)];
    expect(largeMs / smallMs, `${smallMs.toFixed(2)} ms, then ${largeMs.toFixed(2)} ms`).toBeLessThanOrEqual(
      2.5 * GROWTH,
    );
  });
});
