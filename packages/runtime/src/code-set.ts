// code-set: what every generated module calls — a set's index, its lookups and guards (its parsers: code-parse).
import { type Code, type CodeFormat, inRange, parseRange, type Range, splitEnhancedCode } from "./codes.js";

/** What the runtime reads of an entry; the generated info types have more. */
export interface EntryData {
  readonly code: Code;
  /** Every code of the row, where it gives several ("5.4.6 or 5.4.14"); the first is `code`. */
  readonly codes?: readonly Code[];
  readonly name: string;
  readonly texts: { readonly [column: string]: string | undefined };
}

export interface CodeSetOptions {
  readonly format: CodeFormat;
  /**
   * The column whose text bounces and logs show (a provider's message): parse finds a row of codeFormat none by it;
   * in a set of codes, the row among those of the code read whose text the line holds, and, with no code in the line,
   * the row whose text alone it holds.
   */
  readonly inLogs?: string;
  /** Text in that column standing for run-time values (an address, an IP address): they match anything. */
  readonly placeholders?: readonly string[];
}

/**
 * The key a code is found by: integers by value, strings as written (so that a guard only admits the set's own codes).
 */
function codeKey(value: unknown): string | undefined {
  if (typeof value === "number") return Number.isInteger(value) ? "#" + value : undefined;
  return typeof value === "string" ? "=" + value : undefined;
}

/** The key a parser finds a code by: strings in any case ("x.1.1" reads as "X.1.1"). */
function looseKey(value: Code): string {
  return typeof value === "number" ? "#" + value : "=" + value.toUpperCase();
}

/**
 * A set's entries and options, and the indexes the functions below build from them on first use. Data only: each
 * operation is its own function, so that a bundle carries those it calls (a lookup brings no text parser).
 */
export interface CodeSetIndex<C extends Code, I extends EntryData> {
  readonly entries: readonly I[];
  readonly options: CodeSetOptions;
  /** The rows by code key, by loose key, and those with a range (built on first use). */
  keys?: CodeKeys<I>;
  /** The code of each member name (built on first use). */
  codesByName?: Map<string, C>;
}

interface CodeKeys<I> {
  readonly exact: ReadonlyMap<string, I[]>;
  readonly loose: ReadonlyMap<string, I[]>;
  readonly ranges: ReadonlyArray<readonly [Range, I]>;
}

/** The index of one set over its entries (in the document's order). */
export function codeSet<C extends Code, I extends EntryData>(
  entries: readonly I[],
  options: CodeSetOptions,
): CodeSetIndex<C, I> {
  return { entries, options };
}

function keysOf<I extends EntryData>(set: CodeSetIndex<Code, I>): CodeKeys<I> {
  if (set.keys === undefined) {
    const exact = new Map<string, I[]>();
    const loose = new Map<string, I[]>();
    const ranges: Array<readonly [Range, I]> = [];
    const add = (map: Map<string, I[]>, key: string, entry: I) => {
      const list = map.get(key);
      if (list === undefined) map.set(key, [entry]);
      else if (!list.includes(entry)) list.push(entry);
    };
    for (const entry of set.entries) {
      for (const code of entry.codes ?? [entry.code]) {
        add(exact, codeKey(code)!, entry);
        add(loose, looseKey(code), entry);
        const range = parseRange(code, set.options.format);
        if (range !== undefined) ranges.push([range, entry]);
      }
    }
    set.keys = { exact, loose, ranges };
  }
  return set.keys;
}

/**
 * The entry of a code (the first row with it, where the set repeats codes; a row's own before a range's); `undefined`
 * for anything else.
 */
export function lookupIn<I extends EntryData>(set: CodeSetIndex<Code, I>, code: unknown): I | undefined {
  const key = codeKey(code);
  if (key === undefined) return undefined;
  const keys = keysOf(set);
  return keys.exact.get(key)?.[0] ?? keys.ranges.find(([range]) => inRange(range, code))?.[1];
}

/** Every row with a code, in the document's order, those whose range holds it after (empty for an unknown code). */
export function lookupAllIn<I extends EntryData>(set: CodeSetIndex<Code, I>, code: unknown): readonly I[] {
  const key = codeKey(code);
  if (key === undefined) return [];
  const keys = keysOf(set);
  const exact = keys.exact.get(key) ?? [];
  const ranged = keys.ranges
    .filter(([range, entry]) => inRange(range, code) && !exact.includes(entry))
    .map(([, entry]) => entry);
  return ranged.length === 0 ? exact : [...exact, ...ranged];
}

/** Whether a value is one of the set's codes: a row's codes, and every code inside a row's range. */
export function hasCode<C extends Code>(set: CodeSetIndex<C, EntryData>, value: unknown): value is C {
  return lookupIn(set, value) !== undefined;
}

/** The code of the member with this name. */
export function codeFromName<C extends Code>(set: CodeSetIndex<C, EntryData>, name: string): C | undefined {
  if (set.codesByName === undefined) {
    set.codesByName = new Map();
    for (const entry of set.entries) set.codesByName.set(entry.name, entry.code as C);
  }
  return set.codesByName.get(name);
}

/** The set's own code written in any case ("x.1.1" for "X.1.1", "rp-001" for "RP-001"), or `undefined`. */
export function spelledIn<C extends Code>(set: CodeSetIndex<C, EntryData>, code: unknown): C | undefined {
  if (typeof code !== "string" && typeof code !== "number") return undefined;
  const entry = keysOf(set).loose.get(looseKey(code))?.[0];
  return entry === undefined
    ? undefined
    : ((entry.codes ?? [entry.code]).find((own) => looseKey(own) === looseKey(code)) as C | undefined);
}

/** Every entry by code (the first row, where codes repeat), in the document's order: the generated xInfos maps. */
export function entriesByCode<C extends Code, I extends EntryData>(entries: readonly I[]): ReadonlyMap<C, I> {
  const map = new Map<C, I>();
  for (const entry of entries) if (!map.has(entry.code as C)) map.set(entry.code as C, entry);
  return map;
}

/**
 * A full enhanced status code ("5.1.1") with the registry's rows of its class (5) and its subject.detail ("X.1.1"):
 * what the generated lookupEnhancedStatusCode gives; `undefined` where either is not registered.
 */
export function lookupEnhancedCode<C extends string, K, D extends EntryData>(
  code: unknown,
  lookupClass: (value: unknown) => K | undefined,
  subjectDetails: CodeSetIndex<Code, D>,
): { readonly code: C; readonly class: K; readonly subjectDetail: D } | undefined {
  const parts = splitEnhancedCode(code);
  if (parts === undefined) return undefined;
  const classEntry = lookupClass(parts[0]);
  const subjectDetail = lookupIn(subjectDetails, spelledIn(subjectDetails, parts[1]));
  return classEntry === undefined || subjectDetail === undefined
    ? undefined
    : { code: code as C, class: classEntry, subjectDetail };
}
