// Many random edits of the real specs, each parsed as watch parses it and checked against a full parse: what
// reparse.test.ts does a few times, at length (a fixed seed: change it to explore further).
import { describe, expect, it } from "vitest";
import { MAX_ITEMS, parseWatched } from "../generator/src/load.ts";
import { checkRandomEdits, edit } from "./reparse-edits.ts";

describe("random edits of the real specs, at length", () => {
  it("give what a full parse gives, each after the one before, broken or not", () => {
    const { edits, alone } = checkRandomEdits(20_250_312, 200);
    expect(alone).toBeGreaterThan(edits / 4);
  }, 300_000);
});

describe("a list or mapping at the items' limit", () => {
  it.each([
    ["list", (i: number) => `  - ${i}\n`],
    ["mapping", (i: number) => `  k${i}: ${i}\n`],
  ])(
    "in a %s, a comment line more is refused as a full parse refuses it (the parser counts it an item)",
    (_, line) => {
      const items = Array.from({ length: MAX_ITEMS }, (_, i) => line(i)).join("");
      const previous = parseWatched("spec/x.yaml", Buffer.from(`x:\n${items}y: 1\n`), undefined);
      expect(previous.result.diagnostics).toEqual([]);
      const { next } = edit(previous, `x:\n${items}  # a comment\ny: 1\n`, false);
      expect(next.result.diagnostics.map((d) => d.message)).toEqual([expect.stringMatching(/more than 100,000 items/)]);
    },
    60_000,
  );
});
