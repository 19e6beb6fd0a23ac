import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../generator/diagnostics.ts";
import { parseSpec, type LoadedSpec } from "../generator/load.ts";
import { validate } from "../generator/validate.ts";

/** A small registry every fixture can reference. */
const REGISTRY = `source:
  file: reference/r.tsv
  title: R
  publisher: P
  language: en
codeSets:
  - id: reply
    name: Reply
    table: T
    description: D
    codeFormat: smtp-reply
    defines: smtp-reply
    entries:
      - code: 550
        name: Mailbox unavailable
        outcome: permanent
        outcomeBasis: code-class
`;

/** A valid spec; tests replace a line of it to break one thing. */
const SPEC = `source:
  file: sources/s.txt
  title: S
  publisher: P
  language: ja
codeSets:
  - id: things
    name: Things
    table: T
    description: D
    codeFormat: integer
    columns:
      - key: meaning
        heading: 説明
        language: ja
        description: What it means.
      - key: action
        heading: 対処方法
        language: ja
        description: What to do.
        ditto: 同上
    attributes:
      - key: count
        type: number
        enum: [1, 0.5]
        description: How much it counts.
    entries:
      - code: 1
        name: User unknown
        texts:
          meaning: 宛先なし
          action: 直す
        outcome: permanent
        outcomeBasis: code-class
        replyCode: 550
      - code: 2
        name: Other
        texts:
          meaning: その他
          action: 同上
        attributes:
          count: 0.5
        outcome: failure
        outcomeBasis: document
`;

function load(files: Record<string, string>): LoadedSpec[] {
  return Object.entries(files).map(([file, text]) => {
    const { spec, diagnostics } = parseSpec(file, Buffer.from(text));
    if (!spec) throw new Error(diagnostics.map(formatDiagnostic).join("\n"));
    return spec;
  });
}

function problems(spec: string, registry = REGISTRY): string[] {
  return validate(load({ "spec/r.yaml": registry, "spec/s.yaml": spec })).diagnostics.map(formatDiagnostic);
}

function edit(from: string, to: string): string {
  expect(SPEC).toContain(from);
  return SPEC.replace(from, to);
}

describe("validate", () => {
  it("accepts a valid spec and builds the catalog, resolving ditto marks", () => {
    const result = validate(load({ "spec/r.yaml": REGISTRY, "spec/s.yaml": SPEC }));
    expect(result.diagnostics).toEqual([]);
    const set = result.catalog!.specs.find((s) => s.file === "spec/s.yaml")!.codeSets[0]!;
    expect(set.entries.map((e) => [e.code, e.member])).toEqual([[1, "UserUnknown"], [2, "Other"]]);
    expect(set.entries[1]!.texts).toEqual([
      { column: "meaning", text: "その他" },
      { column: "action", text: "直す", ditto: { mark: "同上", from: 1 } },
    ]);
    expect(set.entries[0]!.replyCode).toEqual({ code: 550, standard: true });
  });

  it("maps schema errors to the offending node", () => {
    expect(problems(edit("    codeFormat: integer", "    codeFormat: integr"))).toEqual([
      'spec/s.yaml:11:17: `codeFormat` must be one of "smtp-reply", "enhanced-status", "enhanced-subject-detail", "pattern", "integer", "alphanumeric", "none" (got "integr")',
    ]);
    expect(problems(edit("      - code: 2\n", "      - code: two\n"))).toEqual(['spec/s.yaml:36:15: `code` must be integer (got "two")']);
  });

  it("points an unknown property at its key and lists the allowed ones", () => {
    expect(problems(edit("    table: T\n", "    table: T\n    tabel: T\n"))).toEqual([
      expect.stringMatching(/^spec\/s\.yaml:10:5: unknown property `tabel`; allowed here: id, name, table, /),
    ]);
  });

  it("points a missing required property at the mapping that lacks it", () => {
    expect(problems(edit("  publisher: P\n", ""))).toEqual(["spec/s.yaml:2:3: missing required property `publisher` in `source`"]);
  });

  it("reports every problem of every file in one run, sorted", () => {
    const broken = edit("      - code: 2\n", "      - code: 1\n").replace("    name: Things", "    name: Things\n    bogus: 1");
    const registry = REGISTRY.replace("  title: R\n", "");
    expect(problems(broken, registry)).toEqual([
      "spec/r.yaml:2:3: missing required property `title` in `source`",
      expect.stringMatching(/^spec\/s\.yaml:9:5: unknown property `bogus`/),
    ]);
  });

  it("rejects duplicate codes, pointing at the second and naming the first", () => {
    expect(problems(edit("      - code: 2\n", "      - code: 1\n"))).toEqual(["spec/s.yaml:36:15: code 1 is already used at spec/s.yaml:28:15"]);
  });

  it("rejects names that collide after conversion to identifiers", () => {
    expect(problems(edit("        name: Other", "        name: user-unknown"))).toEqual([
      'spec/s.yaml:37:15: name "user-unknown" becomes UserUnknown, already used by "User unknown" at spec/s.yaml:29:15',
    ]);
  });

  it("rejects names that start with a digit, and set names that shadow globals", () => {
    expect(problems(edit("        name: Other", "        name: 4xx codes"))).toEqual([
      'spec/s.yaml:37:15: name "4xx codes" becomes 4xxCodes, which starts with a digit; identifiers cannot',
    ]);
    expect(problems(edit("    name: Things", "    name: object"))).toEqual([
      'spec/s.yaml:8:11: name "object" becomes Object, a global or generated name the module would shadow; choose another',
    ]);
  });

  it("rejects a reference that does not resolve, and a non-standard mark on a standard code", () => {
    expect(problems(edit("        replyCode: 550", "        replyCode: 551"))).toEqual([
      expect.stringMatching(/^spec\/s\.yaml:35:20: 551 does not resolve: 551 is not in the smtp-reply registry \(spec\/r\.yaml:12:14\)/),
    ]);
    expect(problems(edit("        replyCode: 550", "        replyCode: { code: 550, standard: false, note: n }"))).toEqual([
      "spec/s.yaml:35:28: 550 is marked standard: false, but it is a standard code; write it as a plain value",
    ]);
  });

  it("rejects unknown columns and attributes, bad attribute values, and a missing required text", () => {
    expect(problems(edit("          meaning: その他\n", "          meening: その他\n"))).toEqual([
      "spec/s.yaml:37:15: missing text for required column `meaning` (説明); add texts.meaning or mark the column required: false",
      "spec/s.yaml:39:11: unknown column `meening`; this set's columns are: meaning, action",
    ]);
    expect(problems(edit("          count: 0.5", "          count: 0.1"))).toEqual([
      'spec/s.yaml:42:18: attribute `count` 0.1 is not one of the attribute\'s values: 1, 0.5',
    ]);
  });

  it("rejects a ditto mark on the first row", () => {
    expect(problems(edit("          action: 直す", "          action: 同上"))).toEqual([
      "spec/s.yaml:32:19: ditto mark 同上 has no text in the row above to repeat (set things)",
    ]);
  });

  it("rejects an outcome that contradicts the code class it claims to come from", () => {
    expect(problems(edit("        outcome: permanent\n", "        outcome: transient\n"))).toEqual([
      "spec/s.yaml:33:18: outcome transient contradicts the code class 5 (permanent) that outcomeBasis code-class names",
    ]);
  });

  it("rejects an erratum that reads the same as its correction", () => {
    expect(problems(edit("        replyCode: 550\n", "        replyCode: 550\n        erratum: { sourceReads: 1, note: n }\n"))).toEqual([
      "spec/s.yaml:36:33: erratum reads 1, the same as the code; an erratum names its correction in `code`",
    ]);
  });

  it("rejects a set id used twice across files", () => {
    const other = SPEC.replace("    name: Things", "    name: Others").replace("file: sources/s.txt", "file: sources/t.txt");
    const result = validate(load({ "spec/r.yaml": REGISTRY, "spec/s.yaml": SPEC, "spec/t.yaml": other }));
    expect(result.diagnostics.map(formatDiagnostic)).toEqual(["spec/t.yaml:7:9: code set id `things` is already used at spec/s.yaml:7:9"]);
  });
});
