import { describe, expect, it } from "vitest";
import { MAX_SPEC_BYTES, parseSpec } from "../generator/src/load.ts";

const parse = (text: string | Uint8Array) =>
  parseSpec("spec/x.yaml", typeof text === "string" ? Buffer.from(text) : text);
const where = (text: string | Uint8Array) => parse(text).diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`);

describe("parseSpec", () => {
  it("returns the document's data and no diagnostics for valid YAML", () => {
    const result = parse("source:\n  file: sources/a.txt\ncodeSets: []\n");
    expect(result.diagnostics).toEqual([]);
    expect(result.spec?.data).toEqual({ source: { file: "sources/a.txt" }, codeSets: [] });
    expect(result.spec?.file).toBe("spec/x.yaml");
  });

  it("reports a YAML syntax error at its line and column", () => {
    expect(where("source:\n  file: [a, b\ncodeSets: []\n")).toEqual([expect.stringMatching(/^3:1 Flow sequence/)]);
  });

  it("reports a duplicate key at the second occurrence", () => {
    expect(where("source: 1\ncodeSets: []\nsource: 2\n")).toEqual([
      "3:1 Map keys must be unique: this key appears twice in the same mapping",
    ]);
  });

  it("reports a second document where it starts", () => {
    expect(where("a: 1\n---\nb: 2\n")).toEqual([
      "2:1 a second YAML document; a spec file holds exactly one (remove the `---` or split the file)",
    ]);
  });

  it("reports tab indentation", () => {
    expect(where("source:\n\tfile: x\n")).toEqual(["2:1 Tabs are not allowed as indentation; indent with spaces"]);
  });

  it.each([
    ["empty", ""],
    ["comment-only", "# nothing here\n"],
  ])("reports a%s file as holding no document", (_, text) => {
    expect(where(text)).toEqual(["1:1 file holds no YAML document; a spec is a mapping with `source` and `codeSets`"]);
  });

  it("reports invalid UTF-8 at the bad byte", () => {
    const bytes = Buffer.concat([Buffer.from("a: あ\nb: x"), Buffer.from([0xff]), Buffer.from("\n")]);
    expect(where(bytes)).toEqual(["2:5 invalid UTF-8 (byte 0xff); save the file as UTF-8"]);
  });

  it("reports a NUL character", () => {
    expect(where("a: 1\nb: x\0y\n")).toEqual(["2:5 NUL character in the file; specs are text"]);
  });

  it("refuses aliases, naming the first one", () => {
    expect(where("a: &x 1\nb: *x\nc: *x\n")).toEqual([
      "2:4 alias *x is not allowed in a spec; write the value out (2 aliases in the file)",
    ]);
  });

  it("refuses unknown tags", () => {
    expect(where("a: !!python/object:os.system x\n")).toEqual([
      expect.stringMatching(/^1:4 Unresolved tag: .*python\/object.*; specs use plain YAML values, no tags$/),
    ]);
  });

  it("refuses nesting deeper than 64 levels, in flow and block style", () => {
    expect(where("a: " + "[".repeat(50_000) + "]".repeat(50_000))).toEqual([
      "1:68 nesting too deep; a spec may nest at most 64 levels",
    ]);
    expect(
      where("a:\n" + Array.from({ length: 70 }, (_, i) => " ".repeat(i * 2 + 2) + `k${i}:`).join("\n") + " x\n"),
    ).toEqual([expect.stringMatching(/^\d+:\d+ nesting too deep; a spec may nest at most 64 levels$/)]);
  });

  it("refuses a file over the size limit before parsing it", () => {
    expect(where("a: " + "x".repeat(MAX_SPEC_BYTES))).toEqual([
      `1:1 file is ${MAX_SPEC_BYTES + 3} bytes; a spec may be at most ${MAX_SPEC_BYTES} bytes (8 MiB)`,
    ]);
  });

  it("reads a BOM and CRLF line endings as the same data", () => {
    const lf = 'a: x\nb: |\n  one\n  two\nc: "q"\n';
    const crlf = "\uFEFF" + lf.replace(/\n/g, "\r\n");
    expect(parse(crlf).spec?.data).toEqual(parse(lf).spec?.data);
    expect(parse(crlf).spec?.data).toEqual({ a: "x", b: "one\ntwo\n", c: "q" });
  });
});
