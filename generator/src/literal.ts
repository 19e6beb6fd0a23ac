// literal: plain data as TypeScript, in one place. Small data (a set's table, its index's options, the classifier's
// tables, the index's lookups) is built as literal nodes for the printer. Entry rows, thousands in a large catalog,
// are printed here straight to text, laid out and escaped exactly as the printer prints the same nodes
// (test/literal.test.ts holds the two equal): building and printing a node per value took eight times as long.
import { ts } from "ts-morph";

const f = ts.factory;

/** A declaration the data refers to (`gmailErrorEntries`), or an enum member (`SmtpReplyCode.MailboxUnavailable`). */
export class Name {
  readonly path: readonly [string, ...string[]];
  constructor(...path: [string, ...string[]]) {
    this.path = path;
  }
}

/** Data the generated code holds: an object's undefined members are left out. */
export type Literal = string | number | boolean | Name | readonly Literal[] | { readonly [key: string]: Literal | undefined };

const INDENT = "    ";
/** Past this width (with its indentation) an object or array is printed one member a line. */
const WIDTH = 100;

/** A string literal. Text with a lone surrogate, which UTF-8 cannot hold, has every non-ASCII character escaped. */
export function stringLiteral(text: string): ts.StringLiteral {
  const node = f.createStringLiteral(text);
  return LONE_SURROGATE.test(text) ? node : ts.setEmitFlags(node, ts.EmitFlags.NoAsciiEscaping);
}

/** A number (a negative one is the negation of its absolute value, as TypeScript writes it). */
export function numberLiteral(value: number): ts.NumericLiteral | ts.PrefixUnaryExpression {
  return value < 0 || Object.is(value, -0) ? f.createPrefixUnaryExpression(ts.SyntaxKind.MinusToken, f.createNumericLiteral(-value)) : f.createNumericLiteral(value);
}

/** A value as a literal node; objects and arrays one member a line when they do not fit at `depth` (in indents). */
export function literalNode(value: Literal, depth = 0): ts.Expression {
  if (typeof value === "string") return stringLiteral(value);
  if (typeof value === "number") return numberLiteral(value);
  if (typeof value === "boolean") return value ? f.createTrue() : f.createFalse();
  if (value instanceof Name) return nameNode(value);
  const multiLine = !fits(value, depth);
  if (isArray(value)) return f.createArrayLiteralExpression(f.createNodeArray(value.map((item) => literalNode(item, depth + 1)), multiLine), multiLine);
  const members = entriesOf(value).map(([key, item]) => f.createPropertyAssignment(propertyName(key), literalNode(item, depth + 1)));
  return f.createObjectLiteralExpression(f.createNodeArray(members, multiLine), multiLine);
}

/** What printNode prints for literalNode(value, depth), printed directly. */
export function literalText(value: Literal, depth = 0): string {
  const inline = inlineText(value);
  if (typeof value !== "object" || value instanceof Name || inline.length + depth * INDENT.length <= WIDTH) return inline;
  const pad = INDENT.repeat(depth + 1);
  const items = isArray(value)
    ? value.map((item) => `${pad}${literalText(item, depth + 1)},`)
    : entriesOf(value).map(([key, item]) => `${pad}${keyText(key)}: ${literalText(item, depth + 1)},`);
  const [open, close] = isArray(value) ? ["[", "]"] : ["{", "}"];
  return `${open}\n${items.join("\n")}\n${INDENT.repeat(depth)}${close}`;
}

/** What printNode prints for an array literal of the rows' literal nodes, one row a line (no trailing comma). */
export function rowsText(rows: readonly Literal[]): string {
  return rows.length === 0 ? "[]" : `[\n${rows.map((row) => `${INDENT}${literalText(row, 1)}`).join(",\n")}\n]`;
}

/** What printNode prints for stringLiteral(text): TypeScript's escapes, in double quotes. */
export function stringText(text: string): string {
  const escaped = text.replace(ESCAPED, escapeOf);
  return `"${LONE_SURROGATE.test(text) ? escaped.replace(/[^\u0000-\u007F]/g, utf16Escape) : escaped}"`;
}

function nameNode(name: Name): ts.Expression {
  const [first, ...rest] = name.path;
  return rest.reduce<ts.Expression>((object, member) => f.createPropertyAccessExpression(object, member), f.createIdentifier(first));
}

function fits(value: Literal, depth: number): boolean {
  return inlineText(value).length + depth * INDENT.length <= WIDTH;
}

function inlineText(value: Literal): string {
  if (typeof value === "string") return stringText(value);
  if (typeof value === "number") return value < 0 || Object.is(value, -0) ? `-${String(-value)}` : String(value);
  if (typeof value === "boolean") return String(value);
  if (value instanceof Name) return value.path.join(".");
  if (isArray(value)) return `[${value.map(inlineText).join(", ")}]`;
  const members = entriesOf(value);
  return members.length === 0 ? "{}" : `{ ${members.map(([key, item]) => `${keyText(key)}: ${inlineText(item)}`).join(", ")} }`;
}

function isArray(value: Literal): value is readonly Literal[] {
  return Array.isArray(value);
}

function entriesOf(value: { readonly [key: string]: Literal | undefined }): Array<[string, Literal]> {
  return Object.entries(value).filter((member): member is [string, Literal] => member[1] !== undefined);
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function propertyName(key: string): string | ts.StringLiteral {
  return IDENTIFIER.test(key) ? key : stringLiteral(key);
}

function keyText(key: string): string {
  return IDENTIFIER.test(key) ? key : stringText(key);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** What TypeScript escapes in a double-quoted string, and how. */
const ESCAPED = /[\\"\u0000-\u001f\u2028\u2029\u0085]/g;
const ESCAPES: Readonly<Record<string, string>> = {
  "\t": "\\t", "\v": "\\v", "\f": "\\f", "\b": "\\b", "\r": "\\r", "\n": "\\n", "\\": "\\\\", '"': '\\"',
  "\u2028": "\\u2028", "\u2029": "\\u2029", "\u0085": "\\u0085",
};

function escapeOf(c: string, offset: number, text: string): string {
  if (c === "\0") return /[0-9]/.test(text.charAt(offset + 1)) ? "\\x00" : "\\0";
  return ESCAPES[c] ?? utf16Escape(c);
}

function utf16Escape(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
}
