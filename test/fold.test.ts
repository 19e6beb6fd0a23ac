// foldText's shortcut (plain text is lowered natively, for a fast first classify) against the folding pass itself.
import * as catalog from "mailcodes";
import { describe, expect, it } from "vitest";
import { foldPass as folded, foldText } from "../packages/runtime/src/fold.ts";

/** Every text of every entry of the catalog: what the classifier folds when it prepares its tables. */
function catalogTexts(): string[] {
  const texts: string[] = [];
  for (const [name, value] of Object.entries(catalog)) {
    if (!name.endsWith("Entries") || !Array.isArray(value)) continue;
    for (const entry of value as Array<{ texts: Record<string, string | undefined> }>) {
      for (const text of Object.values(entry.texts)) if (text !== undefined) texts.push(text);
    }
  }
  return texts;
}

describe("foldText", () => {
  it("gives what the folding pass gives, on every text of the catalog", () => {
    const texts = catalogTexts();
    expect(texts.length).toBeGreaterThan(1000);
    const differ = texts.filter((text) => foldText(text) !== folded(text));
    expect(differ).toEqual([]);
  });

  it.each([
    ["550 5.1.1 User unknown", "user unknown"],
    ["550-Mailbox full", "mailbox full"],
    ["421 Try again", "try again"],
    ["Mailbox  FULL", "mailbox full"],
    [" leading and trailing ", "leading and trailing"],
    ["tab\there", "tab here"],
    ["“Quoted” text", '"quoted" text'],
    ["Straße", "straße"],
    ["600 Not a reply code", "600 not a reply code"],
    ["User Unknown.", "user unknown."],
    ["trailing ", "trailing"],
    ["2 spaces  here", "2 spaces here"],
  ])("folds %j to %j, as the folding pass does", (text, expected) => {
    expect(foldText(text)).toBe(expected);
    expect(folded(text)).toBe(expected);
  });
});
