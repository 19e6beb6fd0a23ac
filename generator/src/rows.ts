// rows: a set's entry rows as calls of one local function (`entry(…)`), so that what every row shares is written once.
// A wording set's rows repeat their set's id, their code as their name, and the same keys a thousand times; printed as
// objects they made nine tenths of a bundle that calls `classify`. The function is the set's own, with a parameter per
// column typed from the set's info type, so each row is still checked by the compiler.

import { ts } from "ts-morph";
import { inlineText, isPlainObject, type Literal } from "./literal.ts";

export type Row = { readonly [key: string]: Literal | undefined };

/** Where a member of the built row takes its value from (an optional one is left out where its argument is undefined). */
export type Source =
  | { readonly kind: "parameter"; readonly name: string; readonly optional?: true }
  | { readonly kind: "constant"; readonly value: Literal }
  | { readonly kind: "object"; readonly members: readonly Member[] };

export interface Member {
  readonly key: string;
  readonly source: Source;
}

export interface Parameter {
  readonly name: string;
  /** Whether rows may leave it out (a key only some rows have). */
  readonly optional: boolean;
  /** The key path in the info type of the column it is: [key] or [key, member]. */
  readonly path: readonly [string] | readonly [string, string];
  /**
   * Every column whose value it is (its own first, then those that repeat it): its type is the intersection of theirs,
   * so each row's value is checked as each of them.
   */
  readonly paths: ReadonlyArray<Parameter["path"]>;
}

export interface RowShape {
  /** The built row's members, in the rows' order. */
  readonly members: readonly Member[];
  /** One a column, in call order: those of the keys every row has, then the optional ones. */
  readonly parameters: readonly Parameter[];
  /** Each row's arguments (undefined for an optional key the row lacks; none after its last defined one). */
  readonly calls: readonly (readonly (Literal | undefined)[])[];
}

/** The name of the function each row calls. */
export const ENTRY = "entry";

/**
 * How rows share their columns: a key with the same value in every row is a constant; a key that repeats an earlier
 * column in every row reads that column's parameter; an object in every row is built member by member, the same way,
 * one level down; any other key every row has is a parameter, and a key only some rows have an optional parameter,
 * after the others. Undefined for fewer than two rows, which share nothing worth a function.
 */
export function rowShape(rows: readonly Row[]): RowShape | undefined {
  if (rows.length < 2) return undefined;
  const columns = new Columns();
  const members = columns.membersOf(rows, []);
  const parameters = [...columns.required, ...columns.optional];
  const argumentsOf = (row: Row): (Literal | undefined)[] => {
    const values = parameters.map(({ path: [key, member] }) =>
      member === undefined ? row[key] : (row[key] as Row)[member],
    );
    while (values.length > 0 && values[values.length - 1] === undefined) values.pop();
    return values;
  };
  return { members, parameters, calls: rows.map(argumentsOf) };
}

/** The parameters found so far, and each required one's value in every row (printed), which later keys may repeat. */
class Columns {
  readonly required: Parameter[] = [];
  readonly optional: Parameter[] = [];
  private readonly printed = new Map<string, readonly string[]>();
  private readonly taken = new Set<string>();

  membersOf(rows: readonly Row[], outer: readonly [] | readonly [string]): Member[] {
    return keysOf(rows).map((key): Member => {
      const path = [...outer, key] as unknown as Parameter["path"];
      const values = rows.map((row) => row[key]);
      if (values.some((value) => value === undefined)) return { key, source: this.parameter(path, true) };
      const defined = values as Literal[];
      if (outer.length === 0 && defined.every(isPlainObject))
        return { key, source: { kind: "object", members: this.membersOf(defined as Row[], [key]) } };
      return { key, source: this.column(path, defined) };
    });
  }

  private column(path: Parameter["path"], values: readonly Literal[]): Source {
    const printed = values.map((value) => inlineText(value));
    if (printed.every((text) => text === printed[0])) return { kind: "constant", value: values[0]! };
    for (const [name, column] of this.printed)
      if (column.every((text, i) => text === printed[i])) {
        (this.required.find((p) => p.name === name)!.paths as Array<Parameter["path"]>).push(path);
        return { kind: "parameter", name };
      }
    const source = this.parameter(path, false);
    this.printed.set(source.name, printed);
    return source;
  }

  private parameter(path: Parameter["path"], optional: boolean): Source & { kind: "parameter" } {
    const name = parameterName(path[path.length - 1]!, this.taken);
    this.taken.add(name);
    (optional ? this.optional : this.required).push({ name, path, optional, paths: [path] });
    return optional ? { kind: "parameter", name, optional } : { kind: "parameter", name };
  }
}

/** Every key of the rows, in the order they first appear. */
function keysOf(rows: readonly Row[]): string[] {
  const keys = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) if (row[key] !== undefined) keys.add(key);
  return [...keys];
}

/** A parameter named as its key where that is a plain identifier not yet taken, else `column<n>`. */
function parameterName(key: string, taken: ReadonlySet<string>): string {
  if (isPlainIdentifier(key) && !RESERVED.has(key) && !taken.has(key)) return key;
  let n = taken.size;
  while (taken.has(`column${n}`)) n++;
  return `column${n}`;
}

/** Whether a key scans as one identifier (a keyword, even a contextual one, scans as itself). */
function isPlainIdentifier(key: string): boolean {
  SCANNER.setText(key);
  return SCANNER.scan() === ts.SyntaxKind.Identifier && SCANNER.getTokenEnd() === key.length;
}

const SCANNER = ts.createScanner(ts.ScriptTarget.Latest, true);

/** Names a parameter may not take in strict mode code, or that would shadow what the function body uses. */
const RESERVED = new Set(["eval", "arguments", "undefined", "NaN", "Infinity", ENTRY]);
