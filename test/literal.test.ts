// literal: the text printed for entry rows is what the TypeScript printer prints for the same literal nodes, and it
// reads back as the same data.
import { runInNewContext } from "node:vm";
import { printNode, ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import {
  Call,
  commentText,
  constObjectText,
  type DocumentedMember,
  docComment,
  type Literal,
  literalNode,
  literalText,
  Name,
  rowsText,
  stringLiteral,
  stringText,
} from "../generator/src/literal.ts";

const HOSTILE = [
  "",
  "plain ASCII",
  "quotes \" and ' and ` and ${x}",
  "backslashes \\ \\\\ \\u0041 \\n",
  "line breaks \n \r\n \r and separators \u2028 \u2029 and next line \u0085",
  "controls \u0000 \u00001 \u0001 \u0007 \b \t \v \f \u001b[31m \u007f \u009b",
  "同上 日本語 and emoji 👩‍👩‍👧‍👦 🇯🇵 \u{1F600}",
  "lone high \uD800 surrogate, then 同上",
  "lone low \uDC00 surrogate",
  "\uDBFF",
  "*/ pwned(); /*",
];

/** The printer's text of a node, printed on its own. */
function printed(node: ts.Node): string {
  return printNode(node, ts.createSourceFile("test.ts", "", ts.ScriptTarget.Latest, false, ts.ScriptKind.TS));
}

/** A literal's text read back as JavaScript. */
function evaluate(text: string): unknown {
  return runInNewContext(`(${text})`, { A: { B: "a.b" }, name: "name" });
}

const long = (n: number) => "x".repeat(n);
const VALUES: Literal[] = [
  0,
  -0,
  7,
  -8,
  0.5,
  1e21,
  true,
  false,
  "text",
  new Name("name"),
  new Name("A", "B"),
  [],
  {},
  [1, [2, [3]]],
  { plain: 1, "not-an-identifier": 2, "": 3, $dollar: 4, _under: 5, "1digit": 6, __proto__x: 7 },
  { skipped: undefined, kept: "yes" },
  {
    texts: { meaning: "送信先メールサーバの応答 0 を表す。", action: "誤りを直し、再送信ください。0" },
    attributes: { count: 1 },
    replyCode: 550,
  },
  {
    ditto: { action: { mark: "同上", from: new Name("A", "B") } },
    codes: [7, -8],
    erratum: { sourceReads: "5.1.11", note: "Misprinted." },
  },
  ...[90, 95, 96, 100, 101, 120].map((n) => ({ exactly: long(n - 17) })),
  ...[90, 95, 96, 100, 101, 120].map((n) => [long(n - 4)]),
  { nested: { deeper: [{ deepest: long(70) }, { deepest: long(20) }], beside: HOSTILE } },
  HOSTILE,
  new Call("entry", [1, undefined, { a: long(120), b: [long(100)] }, new Name("A", "B"), undefined, "x"]),
  [new Call("f", []), new Call("g", [{}])],
];

describe("literal", () => {
  it("prints strings as the TypeScript printer does, and they read back exactly (a lone surrogate too)", () => {
    for (const text of HOSTILE) {
      expect(stringText(text), JSON.stringify(text)).toBe(printed(stringLiteral(text)));
      expect(evaluate(stringText(text))).toBe(text);
      expect(stringText(text)).not.toMatch(/[\u0000-\u001f\u2028\u2029\u0085]/);
    }
  });

  it("prints data as the TypeScript printer prints its literal nodes, at every depth", () => {
    for (const value of VALUES) {
      for (const depth of [0, 1, 2, 5]) {
        // The printer starts a node printed on its own at no indentation; literalText where it stands, `depth` in.
        const text = literalText(value, depth).replace(new RegExp(`\n {${4 * depth}}`, "g"), "\n");
        expect(text, `${JSON.stringify(value)} at ${depth}`).toBe(printed(literalNode(value, depth)));
      }
    }
  });

  it("lays out wide objects and arrays one member a line, narrow ones on one line", () => {
    expect(literalText({ a: long(90) }, 0)).toBe(`{ a: "${long(90)}" }`);
    expect(literalText({ a: long(90) }, 1)).toBe(`{\n        a: "${long(90)}",\n    }`);
  });

  it("prints rows as the printer prints an array of them, and they read back as the data", () => {
    const rows = VALUES.filter(
      (value) => typeof value === "object" && !(value instanceof Name) && !(value instanceof Call),
    );
    for (const some of [[], rows.slice(0, 1), rows]) {
      expect(rowsText(some)).toBe(
        printed(
          ts.factory.createArrayLiteralExpression(
            some.map((row) => literalNode(row, 1)),
            true,
          ),
        ),
      );
    }
    const data = { texts: { meaning: HOSTILE.join("|") }, codes: [7, -8, 0.5], flag: true };
    expect(evaluate(rowsText([data]))).toEqual([data]);
  });

  it("prints a commented object of codes as the printer prints the exported constant built as nodes", () => {
    const f = ts.factory;
    const withDoc = <T extends ts.Node>(node: T, lines: readonly string[]): T => {
      const comment = docComment(lines);
      return comment === undefined
        ? node
        : ts.addSyntheticLeadingComment(node, ts.SyntaxKind.MultiLineCommentTrivia, comment, true);
    };
    const MEMBERS: DocumentedMember[] = [
      {
        key: "SystemStatus",
        value: 211,
        doc: ["text: System status", "defined_in: RFC 5321", "", "Outcome: success."],
      },
      { key: "Negative", value: -502, doc: ["one line"] },
      { key: "NoDoc", value: "5.1.1", doc: [] },
      { key: "Breaks", value: "x", doc: ["a\nb\u2028c", "", "", ""] },
      { key: "not an identifier", value: long(120), doc: [HOSTILE.join(" ")] },
    ];
    for (const members of [[], MEMBERS.slice(0, 1), MEMBERS]) {
      for (const lines of [[], ["The set."], ["The set.", "", "More."]]) {
        const node = withDoc(
          f.createVariableStatement(
            [f.createModifier(ts.SyntaxKind.ExportKeyword)],
            f.createVariableDeclarationList(
              [
                f.createVariableDeclaration(
                  "Codes",
                  undefined,
                  undefined,
                  f.createAsExpression(
                    f.createObjectLiteralExpression(
                      members.map((m) =>
                        withDoc(
                          f.createPropertyAssignment(
                            /^[A-Za-z]+$/.test(m.key) ? m.key : stringLiteral(m.key),
                            literalNode(m.value, 1),
                          ),
                          m.doc,
                        ),
                      ),
                      true,
                    ),
                    f.createTypeReferenceNode("const"),
                  ),
                ),
              ],
              ts.NodeFlags.Const,
            ),
          ),
          lines,
        );
        expect(constObjectText("Codes", members, lines), JSON.stringify([members.length, lines])).toBe(printed(node));
      }
    }
    expect(commentText([])).toBe("");
  });
});
