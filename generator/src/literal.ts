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

/**
 * A call of a local function with data (`entry(211, "SystemStatus", …)`: see rows.ts), always on one line, marked pure
 * so that a bundler drops it where what it builds is unused.
 */
export class Call {
  readonly callee: string;
  /** Undefined where the function's optional parameter is left undefined before a later one. */
  readonly args: readonly (Literal | undefined)[];
  constructor(callee: string, args: readonly (Literal | undefined)[]) {
    this.callee = callee;
    this.args = args;
  }
}

/** Data the generated code holds: an object's undefined members are left out. */
export type Literal =
  | string
  | number
  | boolean
  | Name
  | Call
  | readonly Literal[]
  | { readonly [key: string]: Literal | undefined };

const INDENT = "    ";
/** What marks a call a bundler may drop when its result is unused. */
export const PURE = " @__PURE__ ";
/** A depth at which everything fits on its line: a call's arguments are never broken over lines. */
const ONE_LINE = Number.NEGATIVE_INFINITY;
/** Past this width (with its indentation) an object or array is printed one member a line. */
const WIDTH = 100;

/** A string literal. Text with a lone surrogate, which UTF-8 cannot hold, has every non-ASCII character escaped. */
export function stringLiteral(text: string): ts.StringLiteral {
  const node = f.createStringLiteral(text);
  return LONE_SURROGATE.test(text) ? node : ts.setEmitFlags(node, ts.EmitFlags.NoAsciiEscaping);
}

/** A number (a negative one is the negation of its absolute value, as TypeScript writes it). */
export function numberLiteral(value: number): ts.NumericLiteral | ts.PrefixUnaryExpression {
  return value < 0 || Object.is(value, -0)
    ? f.createPrefixUnaryExpression(ts.SyntaxKind.MinusToken, f.createNumericLiteral(-value))
    : f.createNumericLiteral(value);
}

/** A value as a literal node; objects and arrays one member a line when they do not fit at `depth` (in indents). */
export function literalNode(value: Literal, depth = 0): ts.Expression {
  if (typeof value === "string") return stringLiteral(value);
  if (typeof value === "number") return numberLiteral(value);
  if (typeof value === "boolean") return value ? f.createTrue() : f.createFalse();
  if (value instanceof Name) return nameNode(value);
  if (value instanceof Call)
    return ts.addSyntheticLeadingComment(
      f.createCallExpression(
        f.createIdentifier(value.callee),
        undefined,
        value.args.map((arg) => (arg === undefined ? f.createIdentifier("undefined") : literalNode(arg, ONE_LINE))),
      ),
      ts.SyntaxKind.MultiLineCommentTrivia,
      PURE,
      false,
    );
  const multiLine = !fits(inlineText(value), depth);
  if (isArray(value))
    return f.createArrayLiteralExpression(
      f.createNodeArray(
        value.map((item) => literalNode(item, depth + 1)),
        multiLine,
      ),
      multiLine,
    );
  const members = Object.keys(value).flatMap((key) => {
    const item = value[key];
    return item === undefined ? [] : [f.createPropertyAssignment(propertyName(key), literalNode(item, depth + 1))];
  });
  return f.createObjectLiteralExpression(f.createNodeArray(members, multiLine), multiLine);
}

/** What printNode prints for literalNode(value, depth), printed directly. */
export function literalText(value: Literal, depth = 0): string {
  if (!isPlainObject(value) && !Array.isArray(value)) return inlineText(value);
  // Each member's one-line text is made once: it makes the value's, and stays where the member fits its line.
  const { labels, items } = membersOf(value);
  const texts = items.map(inlineText);
  // The one-line text's width, from its parts: most rows are too wide, and are not joined only to be measured.
  const width =
    texts.reduce((sum, text, i) => sum + labels[i]!.length + text.length, 0) +
    Math.max(0, 2 * (texts.length - 1)) +
    (isArray(value) || texts.length === 0 ? 2 : 4);
  if (width + depth * INDENT.length <= WIDTH)
    return oneLine(
      value,
      texts.map((text, i) => labels[i] + text),
    );
  const pad = INDENT.repeat(depth + 1);
  const lines = items.map(
    (item, i) => `${pad}${labels[i]}${fits(texts[i]!, depth + 1) ? texts[i] : literalText(item, depth + 1)},`,
  );
  return isArray(value)
    ? `[\n${lines.join("\n")}\n${INDENT.repeat(depth)}]`
    : `{\n${lines.join("\n")}\n${INDENT.repeat(depth)}}`;
}

/** A JSDoc block's text between its slashes. Every line break in a text (U+2028/U+2029 too) starts a new comment line. */
export function docComment(lines: readonly string[]): string | undefined {
  const body = docBody(lines);
  if (body.length === 0) return undefined;
  return body.length === 1 ? `* ${body[0]} ` : `*\n${body.map(starred).join("\n")}\n `;
}

/** A doc comment as printNode prints it before a declaration `depth` indents in (nothing for no lines). */
export function commentText(lines: readonly string[], depth = 0): string {
  const body = docBody(lines);
  if (body.length === 0) return "";
  const pad = INDENT.repeat(depth);
  if (body.length === 1) return `${pad}/** ${body[0]} */\n`;
  // The printer writes each line of a JSDoc block trimmed at its end, and indented where the declaration is.
  return `${pad}/**\n${body.map((line) => `${pad}${starred(line).trimEnd()}`).join("\n")}\n${pad} */\n`;
}

/** A comment's lines, one a line break in its texts, without the empty ones at its end. */
function docBody(lines: readonly string[]): string[] {
  const body = lines.flatMap((line) => (LINE_BREAK.test(line) ? line.split(LINE_BREAKS) : [line]));
  while (body.at(-1) === "") body.pop();
  return body;
}

/** A line of a multi-line JSDoc block. */
function starred(line: string): string {
  return line === "" ? " *" : ` * ${line}`;
}

const LINE_BREAK = /[\n\r\u2028\u2029\u0085]/;
const LINE_BREAKS = /\r\n|[\n\r\u2028\u2029\u0085]/;

/** A member of an object printed one member a line, with its doc comment. */
export interface DocumentedMember {
  readonly key: string;
  readonly value: Literal;
  readonly doc: readonly string[];
}

/** What printNode prints for `export const name = { member: value, … } as const;`, a doc comment on each member. */
export function constObjectText(name: string, members: readonly DocumentedMember[], lines: readonly string[]): string {
  // As the printer lays out a multi-line object: a comma after each member but the last.
  const body = members.map((m) => `${commentText(m.doc, 1)}${INDENT}${keyText(m.key)}: ${literalText(m.value, 1)}`);
  return `${commentText(lines)}export const ${name} = ${members.length === 0 ? "{}" : `{\n${body.join(",\n")}\n}`} as const;`;
}

/** What printNode prints for an array literal of the rows' literal nodes, one row a line (no trailing comma). */
export function rowsText(rows: readonly Literal[]): string {
  return rows.length === 0 ? "[]" : `[\n${rows.map((row) => `${INDENT}${literalText(row, 1)}`).join(",\n")}\n]`;
}

/** What printNode prints for stringLiteral(text): TypeScript's escapes, in double quotes. */
export function stringText(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return `"${text}"`;
  const escaped = text.replace(ESCAPED, escapeOf);
  return `"${LONE_SURROGATE.test(text) ? escaped.replace(/[^\u0000-\u007F]/g, utf16Escape) : escaped}"`;
}

function nameNode(name: Name): ts.Expression {
  const [first, ...rest] = name.path;
  return rest.reduce<ts.Expression>(
    (object, member) => f.createPropertyAccessExpression(object, member),
    f.createIdentifier(first),
  );
}

/** Whether a text on one line fits at `depth`. */
function fits(text: string, depth: number): boolean {
  return text.length + depth * INDENT.length <= WIDTH;
}

/** A value on one line. */
export function inlineText(value: Literal): string {
  if (typeof value === "string") return stringText(value);
  if (typeof value === "number") return value < 0 || Object.is(value, -0) ? `-${String(-value)}` : String(value);
  if (typeof value === "boolean") return String(value);
  if (value instanceof Name) return value.path.join(".");
  if (value instanceof Call)
    return `/*${PURE}*/ ${value.callee}(${value.args.map((arg) => (arg === undefined ? "undefined" : inlineText(arg))).join(", ")})`;
  const { labels, items } = membersOf(value);
  return oneLine(
    value,
    items.map((item, i) => labels[i] + inlineText(item)),
  );
}

/** An object or array on one line, from its members' texts. */
function oneLine(value: LiteralList, members: readonly string[]): string {
  if (isArray(value)) return `[${members.join(", ")}]`;
  return members.length === 0 ? "{}" : `{ ${members.join(", ")} }`;
}

/** Whether a value is an object of members (not an array, a name or a call). */
export function isPlainObject(value: Literal): value is { readonly [key: string]: Literal | undefined } {
  return typeof value === "object" && !Array.isArray(value) && !(value instanceof Name) && !(value instanceof Call);
}

type LiteralList = readonly Literal[] | { readonly [key: string]: Literal | undefined };

function isArray(value: LiteralList): value is readonly Literal[] {
  return Array.isArray(value);
}

/** The members of an object or array, each with what comes before it on its line ("key: " in an object); an object's undefined ones left out. */
function membersOf(value: LiteralList): { labels: readonly string[]; items: readonly Literal[] } {
  if (isArray(value)) return { labels: value.map(() => ""), items: value };
  const labels: string[] = [];
  const items: Literal[] = [];
  for (const key of Object.keys(value)) {
    const item = value[key];
    if (item === undefined) continue;
    labels.push(labelOf(key));
    items.push(item);
  }
  return { labels, items };
}

/** "key: " for each key met: entry rows repeat the same few keys thousands of times. */
const LABELS = new Map<string, string>();

function labelOf(key: string): string {
  let label = LABELS.get(key);
  if (label === undefined) LABELS.set(key, (label = `${keyText(key)}: `));
  return label;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A key as a property name: an identifier where it is one, else a string literal. */
export function propertyName(key: string): string | ts.StringLiteral {
  return IDENTIFIER.test(key) ? key : stringLiteral(key);
}

/** A key as printed before its value: an identifier where it is one, else a string literal. */
export function keyText(key: string): string {
  return IDENTIFIER.test(key) ? key : stringText(key);
}

/** A text with none of these is printed as it is. */
const NEEDS_ESCAPE = /[\\"\u0000-\u001f\u2028\u2029\u0085\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** What TypeScript escapes in a double-quoted string, and how. */
const ESCAPED = /[\\"\u0000-\u001f\u2028\u2029\u0085]/g;
const ESCAPES: Readonly<Record<string, string>> = {
  "\t": "\\t",
  "\v": "\\v",
  "\f": "\\f",
  "\b": "\\b",
  "\r": "\\r",
  "\n": "\\n",
  "\\": "\\\\",
  '"': '\\"',
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
  "\u0085": "\\u0085",
};

function escapeOf(c: string, offset: number, text: string): string {
  if (c === "\0") return /[0-9]/.test(text.charAt(offset + 1)) ? "\\x00" : "\\0";
  return ESCAPES[c] ?? utf16Escape(c);
}

function utf16Escape(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
}
