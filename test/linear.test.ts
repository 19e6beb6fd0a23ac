// Linear work, counted (see steps.ts): for every case of linear-cases.ts, GROWTH times the input takes at most 1.5
// times GROWTH the steps (a quadratic reader takes GROWTH² times). Counts, not times: the same on a busy machine.
// biome-ignore-all assist/source/organizeImports: steps.ts comes first, as it counts only code compiled after it

import { stepsOf } from "./steps.ts";
import { describe, expect, it } from "vitest";
import { CASES, GROWTH } from "./linear-cases.ts";

/** How many times the steps grow when the input grows GROWTH times. */
async function growth(at: (scale: number) => () => unknown, scale: number): Promise<{ ratio: number; counts: string }> {
  const [small, large] = [at(scale), at(scale * GROWTH)];
  await small(); // what is built once (the matchers, the indexes) is not the input's work
  const [smallSteps, largeSteps] = [await stepsOf(small), await stepsOf(large)];
  return { ratio: largeSteps / smallSteps, counts: `${smallSteps} steps, then ${largeSteps}` };
}

describe("work grows linearly with the input, counted in steps", () => {
  it.each(CASES.map((c) => [c.name, c] as const))("%s", async (_name, { scale, at }) => {
    const { ratio, counts } = await growth(at, scale.fast);
    expect(ratio, counts).toBeLessThanOrEqual(1.5 * GROWTH);
  });

  // Readers that read the text once per line, in the ways a reader might: the count must see each.
  const lines = (n: number) => "a line of a bounce\n".repeat(n).split("\n");
  it.each([
    [
      "its own loops",
      (text: string[]) => text.map((_, i) => text.slice(0, i).filter((line) => line === "absent").length),
    ],
    ["indexOf", (text: string[]) => text.map(() => text.join("\n").indexOf("absent"))],
    ["a regular expression", (text: string[]) => text.map(() => /absent/.test(text.join("\n")))],
  ] as const)("sees a reader quadratic in %s", async (_how, read) => {
    const { ratio, counts } = await growth((n) => () => read(lines(n)), 200);
    expect(ratio, counts).toBeGreaterThan(GROWTH * GROWTH * 0.5);
  });
});
