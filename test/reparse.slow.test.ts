// Many random edits of the real specs, each parsed as watch parses it and checked against a full parse: what
// reparse.test.ts does a few times, at length (a fixed seed: change it to explore further).
import { describe, expect, it } from "vitest";
import { checkRandomEdits } from "./reparse-edits.ts";

describe("random edits of the real specs, at length", () => {
  it("give what a full parse gives, each after the one before, broken or not", () => {
    const { edits, alone } = checkRandomEdits(20_250_312, 200);
    expect(alone).toBeGreaterThan(edits / 4);
  }, 300_000);
});
