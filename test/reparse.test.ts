// Watch mode parses an edit of a clean spec alone when it lies in a few block items, and then gives exactly what a
// full parse of the new text gives; when it cannot be sure, it parses in full. The work is counted in characters
// handed to yaml's lexer, not timed.
import { describe, expect, it } from "vitest";
import { type CachedParse, parseWatched } from "../generator/src/load.ts";
import { checkRandomEdits, edit, FILE, SPECS } from "./reparse-edits.ts";

const SPEC = `# a comment
source:
  file: sources/a.txt
  title: Codes
codeSets:
  - id: first
    description: The first set.
    entries:
      - { name: one, code: 1, texts: { description: "One." } }
      - { name: two, code: 2, texts: { description: "Two." } }
      - { name: three, code: 3 }
  - id: second
    entries:
      - code: 10
        name: ten
        texts:
          description: |+
            Ten,
            in a block.

      - code: 11
        name: eleven
`;

/** SPEC with `from` replaced by `to` (each once), and the edit's result against the full parse's. */
function editSpec(...pairs: Array<[from: string, to: string]>) {
  let text = SPEC;
  for (const [from, to] of pairs) {
    expect(text).toContain(from);
    text = text.replace(from, to);
  }
  const previous = parseWatched(FILE, Buffer.from(SPEC), undefined);
  return { ...edit(previous, text), text, previous };
}

const valueAt = (parsed: CachedParse, ...path: Array<string | number>): unknown =>
  path.reduce((node: unknown, key) => (node as Record<string | number, unknown>)[key], parsed.result.spec?.data);

/** The length of SPEC's lines that hold `from`, each with its line break. */
const linesOf = (...froms: string[]) =>
  SPEC.split("\n")
    .filter((line) => froms.some((from) => line.includes(from)))
    .reduce((sum, line) => sum + line.length + 1, 0);

const ENTRY_10 =
  "      - code: 10\n        name: ten\n        texts:\n          description: |+\n            Ten,\n            in a block.\n\n";

/** Edits of SPEC, and how watch parses each: the items it lies in alone, or the text in full. */
const EDITS: Array<[what: string, parsed: "alone" | "in full", ...pairs: Array<[from: string, to: string]>]> = [
  ["a value in a flow mapping row", "alone", ["name: two, code: 2", "name: deux, code: 2, attributes: { x: [1, 2] }"]],
  ["a pair's value in a nested mapping", "alone", ["title: Codes", 'title: "Codes: all"']],
  ["a pair more in a block mapping (its entry is parsed)", "alone", ["name: ten\n", "name: ten\n        reason: x\n"]],
  ["a pair less in a block mapping", "alone", ["        name: ten\n", ""]],
  ["lines more in a block scalar", "alone", ["in a block.\n", "in a block,\n\n            and more.\n"]],
  [
    "a row more",
    "alone",
    ["      - { name: three", "      - { name: two and a half, code: 25 }\n      - { name: three"],
  ],
  ["a row less", "alone", ['      - { name: two, code: 2, texts: { description: "Two." } }\n', ""]],
  ["the last row of the file less", "alone", ["      - code: 11\n        name: eleven\n", ""]],
  ["two rows", "alone", ["one, code: 1", "uno, code: 1"], ["two, code: 2", "dos, code: 2"]],
  ["a key in a nested mapping (its parent is parsed)", "alone", ["  title: Codes", "  heading: Codes"]],
  ["two items of different collections", "in full", ["code: 3 }\n  - id: second", "code: 4 }\n  - id: twice"]],
  ["a key of the root mapping", "in full", ["source:", "origin:"]],
  [
    "every row of a sequence less (its pair is parsed)",
    "alone",
    [ENTRY_10 + "      - code: 11\n        name: eleven\n", ""],
  ],
  ["a row indented less", "in full", ["      - { name: three", "     - { name: three"]],
  ["an anchor and an alias", "in full", ["name: one,", "name: &n one,"], ["name: two,", "name: *n,"]],
  ["an anchor alone", "in full", ["name: one,", "name: &n one,"]],
  ["a tag", "in full", ["name: three", "name: !!set three"]],
  ["a plain tag", "in full", ["name: three", "name: !!str three"]],
  ["a document marker", "in full", ["      - { name: three", "---\n      - { name: three"]],
  ["a document end", "in full", ["        name: eleven\n", "        name: eleven\n        ...\n"]],
  ["a directive", "in full", ["      - { name: three", "%YAML 1.1\n      - { name: three"]],
  ["a duplicate key", "in full", ["name: three", "name: three, name: 3"]],
  ["a broken row", "in full", ["name: three", "name: [three"]],
  ["a tab in the indentation", "in full", ["      - { name: three", "    \t  - { name: three"]],
];

describe("an edit of a watched spec", () => {
  it.each(EDITS)("of %s is parsed %s, as a full parse gives it", (_, how, ...pairs) => {
    const { chars, text } = editSpec(...pairs);
    if (how === "alone") expect(chars).toBeLessThan(text.length / 2);
    else expect(chars).toBeGreaterThanOrEqual(text.length);
  });

  it("gives the new data, sharing what did not change", () => {
    const { previous, ...row } = editSpec(["name: two, code: 2", "name: deux, code: 2"]);
    expect(row.chars).toBe(linesOf("name: two") + "deux".length - "two".length);
    expect(valueAt(row.next, "codeSets", 0, "entries", 1, "name")).toBe("deux");
    expect(valueAt(row.next, "codeSets", 0, "entries", 0)).toBe(valueAt(previous, "codeSets", 0, "entries", 0));
    expect(valueAt(row.next, "codeSets", 1)).toBe(valueAt(previous, "codeSets", 1));
    expect(valueAt(row.next, "source")).toBe(valueAt(previous, "source"));
    const scalar = editSpec(["in a block.\n", "in a block,\n\n            and more.\n"]);
    expect(valueAt(scalar.next, "codeSets", 1, "entries", 0, "texts", "description")).toBe(
      "Ten,\nin a block,\n\nand more.\n\n",
    );
    const fewer = editSpec(['      - { name: two, code: 2, texts: { description: "Two." } }\n', ""]);
    expect(fewer.chars).toBe(0);
    expect(valueAt(fewer.next, "codeSets", 0, "entries")).toMatchObject([{ code: 1 }, { code: 3 }]);
  });

  it.each([
    ["an alias", ["name: one,", "name: &n one,"], ["name: two,", "name: *n,"]],
    ["a tag that makes a set", ["name: three", "name: !!set three"]],
    ["a second document", ["      - { name: three", "---\n      - { name: three"]],
    ["a duplicate key", ["name: three", "name: three, name: 3"]],
    ["a lone CR", ["name: three", "name: th\rree"]],
  ] as Array<[string, ...Array<[string, string]>]>)("with %s has the full parse's diagnostics", (_, ...pairs) => {
    expect(editSpec(...pairs).next.result.diagnostics).not.toEqual([]);
  });

  it("that mends what an edit broke is parsed alone, against the last clean parse", () => {
    const clean = parseWatched(FILE, Buffer.from(SPEC), undefined);
    const broken = edit(clean, SPEC.replace("name: three", "name: [three"));
    expect(broken.next.result.diagnostics).not.toEqual([]);
    const mended = edit(broken.next, SPEC.replace("name: three", "name: four"));
    expect(mended.next.result.diagnostics).toEqual([]);
    expect(mended.chars).toBe(linesOf("name: three") + "four".length - "three".length);
  });

  it("of the lines after a kept block scalar, to the end of the file, gives the scalar the full parse's value", () => {
    const previous = parseWatched(FILE, Buffer.from(SPEC), undefined);
    // The blank line that ends the scalar loses its line break: a `|+` scalar keeps one less.
    const { next } = edit(
      previous,
      SPEC.replace("in a block.\n\n      - code: 11\n        name: eleven\n", "in a block.\n"),
    );
    expect(valueAt(next, "codeSets", 1, "entries", 0, "texts", "description")).toBe("Ten,\nin a block.\n");
  });

  it("that mends a spec made undecodable (a NUL) is parsed alone, against the last clean parse", () => {
    const clean = parseWatched(FILE, Buffer.from(SPEC), undefined);
    const broken = edit(clean, SPEC.replace("name: three", "name: th\0ree"));
    expect(broken.next.result.diagnostics).not.toEqual([]);
    const mended = edit(broken.next, SPEC.replace("name: three", "name: four"));
    expect(mended.chars).toBe(linesOf("name: three") + "four".length - "three".length);
  });

  it("of a file with CRLF line endings or a BOM is parsed alone too", () => {
    const crlf = SPEC.replace(/\n/g, "\r\n");
    const previous = parseWatched(FILE, Buffer.from(crlf), undefined);
    const row = edit(previous, crlf.replace("name: two,", "name: deux,"));
    expect(row.chars).toBe(linesOf("name: two") + "deux\r".length - "two".length);
    expect(edit(row.next, `\uFEFF${crlf.replace("name: two,", "name: deux,")}`).chars).toBe(0);
  });

  it("hands yaml's lexer one row of bounce-wording.yaml, not the file", () => {
    const { text, parsed } = SPECS.find((spec) => spec.name === "bounce-wording.yaml")!;
    const lines = text.split("\n");
    const row = lines.findIndex((line, i) => i > lines.length / 2 && line.startsWith("      - { name: "));
    lines[row] = lines[row]!.replace("name: ", "name: edited ");
    const { chars } = edit(parsed, lines.join("\n"), false);
    expect(chars).toBe(lines[row]!.length + 1);
    expect(chars).toBeLessThan(400);
  });
});

describe("random edits of the real specs", () => {
  it("give what a full parse gives, each after the one before, broken or not", () => {
    const { edits, alone } = checkRandomEdits(20_250_311, 8);
    expect(alone).toBeGreaterThan(edits / 4);
  });
});
