// The YAML a spec may hold (issue 12, holes 5 to 8 and 11): limits that measure the YAML itself, not bytes that look
// like brackets; no quadratic time or heap exhaustion inside the limits; and every construct either keeps its data or
// is refused with a located message.
import { describe, expect, it } from "vitest";
import { CST, Lexer } from "yaml";
import { MAX_DEPTH, parseSpec } from "../generator/src/load.ts";
import { locate } from "../generator/src/locate.ts";

const parse = (text: string, limits?: { maxTokens: number }) => parseSpec("spec/x.yaml", Buffer.from(text), limits);
const where = (text: string, limits?: { maxTokens: number }) =>
  parse(text, limits).diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`);
const TOO_DEEP = `nesting too deep; a spec may nest at most ${MAX_DEPTH} levels`;
const HEAD = "source: { file: sources/x.txt, title: T, publisher: P, language: en }\ncodeSets: []\n";

describe("nesting depth is measured in YAML, not in bytes that look like brackets (hole 5)", () => {
  const numbered = (n: number, quote: (s: string) => string) =>
    Array.from({ length: n }, (_, i) => `  - text: ${quote(`see [${i + 1}`)}\n`).join("");

  it.each([
    ["double-quoted", (s: string) => JSON.stringify(s)],
    ["single-quoted", (s: string) => `'${s}'`],
    ["plain", (s: string) => s],
  ])('accepts 69 %s texts "see [1" … "see [69", keeping them', (_, quote) => {
    const result = parse(HEAD + "notes:\n" + numbered(69, quote));
    expect(result.diagnostics).toEqual([]);
    expect((result.spec!.data as { notes: Array<{ text: string }> }).notes.map((n) => n.text)).toEqual(
      Array.from({ length: 69 }, (_, i) => `see [${i + 1}`),
    );
  });

  it("does not count brackets or dashes in comments, block scalars or keys", () => {
    const text =
      HEAD +
      "# " +
      "[{".repeat(100) +
      "\n" +
      "notes:\n" +
      "  - text: |\n" +
      "      " +
      "- ".repeat(100) +
      "x\n" +
      "      " +
      "[".repeat(100) +
      "\n" +
      "    heading: >\n" +
      "      " +
      "{".repeat(100) +
      "\n" +
      `  - "[[[[": 1 # ${"[".repeat(100)}\n`;
    expect(where(text)).toEqual([]);
  });

  it("counts real nesting after any number of brackets in text: 64 levels are accepted, 65 refused where it starts", () => {
    const texts = "notes:\n" + numbered(100, (s) => JSON.stringify(s));
    const nest = (levels: number) => `deep: ${"[".repeat(levels - 1)}x${"]".repeat(levels - 1)}\n`; // the mapping is level 1
    expect(where(HEAD + texts + nest(MAX_DEPTH))).toEqual([]);
    const line = (HEAD + texts).split("\n").length;
    expect(where(HEAD + texts + nest(MAX_DEPTH + 1))).toEqual([`${line}:${"deep: ".length + MAX_DEPTH} ${TOO_DEEP}`]);
  });

  it("still refuses 50,000 levels, in flow and in block style, before yaml can exhaust the stack", () => {
    expect(where("[".repeat(50_000) + "]".repeat(50_000))).toEqual([`1:${MAX_DEPTH + 1} ${TOO_DEEP}`]);
    expect(where("- ".repeat(50_000) + "x\n")).toEqual([`1:${2 * MAX_DEPTH + 1} ${TOO_DEEP}`]);
    expect(where("? ".repeat(50_000) + "x\n")).toEqual([`1:${2 * MAX_DEPTH + 1} ${TOO_DEEP}`]);
    expect(
      where("a:\n" + Array.from({ length: 3000 }, (_, i) => " ".repeat(i + 1) + `k${i}:`).join("\n") + " x\n"),
    ).toEqual([`${MAX_DEPTH + 1}:${MAX_DEPTH + 1} ${TOO_DEEP}`]);
  });
});

/** How many tokens yaml's lexer makes of a text (its markers for "a document" or "a plain scalar follows" are not text). */
function tokens(text: string): number {
  let n = 0;
  for (const lexeme of new Lexer().lex(text))
    if (!["doc-mode", "scalar", "flow-error-end"].includes(CST.tokenType(lexeme) ?? "") || lexeme.length > 1) n++;
  return n;
}

describe("a limit on a spec's YAML tokens, so that no spec within the limits exhausts the heap (hole 6)", () => {
  const ones = (n: number) => `notes: [${"1,".repeat(n - 1)}1]\n`;

  it("accepts a spec at the limit and refuses one token more, located at the token that passes it", () => {
    const text = ones(500);
    const count = tokens(text);
    expect(where(text, { maxTokens: count })).toEqual([]);
    // The last token is the line break at the end of line 1.
    const limit = (count - 1).toLocaleString("en-US");
    expect(where(text, { maxTokens: count - 1 })).toEqual([
      `1:${text.length} more than ${limit} YAML tokens (keys, values, punctuation, spaces and line breaks); a spec may have at most ${limit} (real specs have a few thousand): split it into several files`,
    ]);
  });

  it("refuses part-way through, at the first token past the limit", () => {
    // notes, :, space, [ are tokens 1-4; item i's 1 is token 5 + 2i, at column 9 + 2i.
    expect(where(ones(10_000), { maxTokens: 1000 })).toEqual([
      expect.stringMatching(
        /^1:1005 more than 1,000 YAML tokens \(keys, values, punctuation, spaces and line breaks\); a spec may have at most 1,000/,
      ),
    ]);
  });
});

describe("many keys inside the limits (hole 7; their work grows linearly: linear.test.ts)", () => {
  const flat = (n: number) => HEAD + Array.from({ length: n }, (_, i) => `k${i}: ${i}`).join("\n") + "\n";

  it("locates the last of 20,000 keys and its value", () => {
    const spec = parseSpec("spec/x.yaml", Buffer.from(flat(20_000))).spec!;
    expect(locate(spec, ["k19999"])).toEqual({ line: 20002, column: 9 });
    expect(locate(spec, [], "k19999")).toEqual({ line: 20002, column: 1 });
  });

  it("still finds a duplicate key among 20,000, at its second occurrence", () => {
    expect(where(flat(20_000) + "k0: again\n")).toEqual([
      "20003:1 Map keys must be unique: this key appears twice in the same mapping",
    ]);
  });
});

describe("every YAML construct keeps its data or is refused where it is (holes 8 and 11)", () => {
  it.each([
    ["!!omap", 'texts: !!omap [ {text: "x"} ]\n', "1:8", "!!omap", "an ordered map"],
    ["!!set", "texts: !!set {text}\n", "1:8", "!!set", "a set"],
    ["!!pairs", "texts: !!pairs [ {text: x} ]\n", "1:8", "!!pairs", "a list of pairs"],
    ["!!binary", "text: !!binary aGVsbG8=\n", "1:7", "!!binary", "binary data"],
    ["!!timestamp", "text: !!timestamp 2001-12-14\n", "1:7", "!!timestamp", "a date"],
    ["!!omap at the top", "!!omap\n- a: 1\n", "1:1", "!!omap", "an ordered map"],
    ["a verbatim !!set", "texts: !<tag:yaml.org,2002:set> {text}\n", "1:8", "!!set", "a set"],
  ])("refuses %s, whose data the spec's plain objects cannot keep, at the tag", (_, text, at, tag, what) => {
    expect(where(text)).toEqual([
      `${at} tag ${tag} makes ${what}, which a spec's data cannot hold; specs use plain YAML values, no tags`,
    ]);
  });

  it("keeps the core tags' data: !!str, !!int, !!float, !!bool, !!null, !!map, !!seq and !", () => {
    const result = parse(
      "a: !!str 1\nb: !!int '12'\nc: !!float 1.5\nd: !!bool true\ne: !!null ''\nf: !!map {g: 1}\nh: !!seq [1]\ni: ! 2\n",
    );
    expect(result.diagnostics).toEqual([]);
    expect(result.spec?.data).toEqual({ a: "1", b: 12, c: 1.5, d: true, e: null, f: { g: 1 }, h: [1], i: "2" });
  });

  it.each([
    ['1 and "1"', 'labels: {1: a, "1": b}\n', "1:16"],
    ["~ and ''", "labels:\n  ~: a\n  '': b\n", "3:3"],
    ["1.0 and 1", "labels: {1.0: a, 1: b}\n", "1:18"],
    ['true and "true"', 'labels: {true: a, "true": b}\n', "1:19"],
  ])("refuses keys that are one key in the data (%s), at the second", (_, text, at) => {
    expect(where(text)).toEqual([`${at} Map keys must be unique: this key appears twice in the same mapping`]);
  });

  it.each([
    ["a sequence", "? [a]\n: 1\n", "1:3"],
    ["a flow mapping", "{{a: 1}: 2}\n", "1:2"],
    ["a block mapping", "? a: 1\n: 2\n", "1:3"],
  ])("refuses a key that is %s, which the data would turn into text", (what, text, at) => {
    expect(where(text)).toEqual([
      `${at} a mapping key must be a scalar (text or a number), not ${what.replace(/ (flow|block) /, " ")}; the spec's data has text keys`,
    ]);
  });

  it("refuses a %YAML 1.1 directive, which would read 017 as 15 and 1:30 as 90, and accepts %YAML 1.2", () => {
    expect(where("%YAML 1.1\n---\na: 017\nb: 1:30\n")).toEqual([
      "1:1 %YAML 1.1 is not supported: specs are read as YAML 1.2, and 1.1 reads some values differently (017 as 15, 1:30 as 90, yes as true); remove the directive",
    ]);
    expect(where("%YAML 1.3\n---\na: 1\n")).toEqual([
      "1:1 %YAML 1.3 is not supported: specs are read as YAML 1.2; remove the directive",
    ]);
    expect(parse("%YAML 1.2\n---\na: 017\nb: 1:30\n").spec?.data).toEqual({ a: 17, b: "1:30" });
  });

  it("refuses CR-only line endings with one message, at the first lone CR, and accepts CRLF", () => {
    const lines =
      "source: { file: sources/x.txt, title: T, publisher: P, language: en }\ncodeSets: []\nnotes:\n  - text: a\n";
    expect(where(lines.replace(/\n/g, "\r"))).toEqual([
      `1:${lines.indexOf("\n") + 1} line break CR without LF (old Mac OS line endings; 4 in the file); save the file with LF or CRLF line endings, and write a carriage return in a text as "\\r"`,
    ]);
    expect(where('a: "x\ry"\n')).toEqual([
      `1:6 line break CR without LF (old Mac OS line endings; 1 in the file); save the file with LF or CRLF line endings, and write a carriage return in a text as "\\r"`,
    ]);
    expect(parse(lines.replace(/\n/g, "\r\n")).spec?.data).toEqual(parse(lines).spec?.data);
  });
});
