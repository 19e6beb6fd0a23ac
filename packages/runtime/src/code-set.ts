// code-set: what every generated module calls — a set's lookups, guards and parsers over its entries.
import { isAlphanumeric, isDigit } from "./chars.js";
import { inRange, parseRange, patternMatches, type Code, type CodeFormat, type Range } from "./codes.js";
import { findCodes, pickEnhancedCode, pickReplyCode } from "./find-codes.js";
import { MessageMatcher } from "./matcher.js";

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
  /** The column whose text bounces and logs show (a provider's message): what parse matches for codeFormat none. */
  readonly inLogs?: string;
  /** Text in that column standing for run-time values (an address, an IP address): they match anything. */
  readonly placeholders?: readonly string[];
}


/** The key a code is found by: integers by value, strings as written (so that a guard only admits the set's own codes). */
function codeKey(value: unknown): string | undefined {
  if (typeof value === "number") return Number.isInteger(value) ? "#" + value : undefined;
  return typeof value === "string" ? "=" + value : undefined;
}

/** The key a parser finds a code by: strings in any case ("x.1.1" reads as "X.1.1"). */
function looseKey(value: Code): string {
  return typeof value === "number" ? "#" + value : "=" + value.toUpperCase();
}

/** The operations a generated module's thin wrappers call. Indexes are built on first use. */
export interface CodeSetIndex<C extends Code, I extends EntryData> {
  /** The entry of a code (the first row with it, where the set repeats codes); `undefined` for anything else. */
  lookup(code: unknown): I | undefined;
  /** Every row with a code, in the document's order (empty for an unknown code). */
  lookupAll(code: unknown): readonly I[];
  /** Whether a value is one of the set's codes. */
  has(value: unknown): value is C;
  /** The code of the member with this name. */
  fromName(name: string): C | undefined;
  /** The code of the set that a text carries (see parse in the README), or `undefined`. */
  parse(text: string): C | undefined;
  /** The set's own code written in any case ("x.1.1" for "X.1.1", "rp-001" for "RP-001"), or `undefined`. */
  spelledAs(code: unknown): C | undefined;
}

/** The lookups of one set over its entries (in the document's order). */
export function codeSet<C extends Code, I extends EntryData>(entries: readonly I[], options: CodeSetOptions): CodeSetIndex<C, I> {
  return new SetIndex<C, I>(entries, options);
}

class SetIndex<C extends Code, I extends EntryData> implements CodeSetIndex<C, I> {
  private byKey: Map<string, I[]> | undefined;
  private byLooseKey: Map<string, I[]> | undefined;
  private ranges: Array<readonly [Range, I]> | undefined;
  private byName: Map<string, I> | undefined;
  private messages: MessageMatcher | undefined;
  private readonly entries: readonly I[];
  private readonly options: CodeSetOptions;

  constructor(entries: readonly I[], options: CodeSetOptions) {
    this.entries = entries;
    this.options = options;
  }

  lookup(code: unknown): I | undefined {
    return this.lookupAll(code)[0];
  }

  lookupAll(code: unknown): readonly I[] {
    const key = codeKey(code);
    if (key === undefined) return [];
    const exact = this.index().get(key);
    if (exact !== undefined) return exact;
    return this.ranges!.filter(([range]) => inRange(range, code)).map(([, entry]) => entry);
  }

  spelledAs(code: unknown): C | undefined {
    if (typeof code !== "string" && typeof code !== "number") return undefined;
    this.index();
    const entry = this.byLooseKey!.get(looseKey(code))?.[0];
    return entry === undefined ? undefined : (entry.codes ?? [entry.code]).find((own) => looseKey(own) === looseKey(code)) as C | undefined;
  }

  has(value: unknown): value is C {
    const key = codeKey(value);
    return key !== undefined && this.index().has(key);
  }

  fromName(name: string): C | undefined {
    if (this.byName === undefined) {
      this.byName = new Map();
      for (const entry of this.entries) this.byName.set(entry.name, entry);
    }
    return this.byName.get(name)?.code as C | undefined;
  }

  parse(text: string): C | undefined {
    if (typeof text !== "string") return undefined;
    const trimmed = text.trim();
    // A text that is one of the set's codes (a row's second code included) is that code.
    const whole = this.options.format === "integer" || this.options.format === "smtp-reply" ? undefined : this.spelledAs(trimmed);
    if (whole !== undefined) return whole;
    switch (this.options.format) {
      case "smtp-reply":
        return this.parseReply(trimmed);
      case "enhanced-status":
      case "enhanced-subject-detail":
        return this.parseEnhanced(trimmed);
      case "pattern":
        return this.parsePattern(trimmed);
      case "integer":
        return this.parseInteger(trimmed);
      case "alphanumeric":
        return this.parseWord(trimmed);
      case "none":
        return this.parseMessage(text);
    }
  }

  private index(): Map<string, I[]> {
    if (this.byKey === undefined) {
      const byKey = new Map<string, I[]>();
      const byLooseKey = new Map<string, I[]>();
      const ranges: Array<readonly [Range, I]> = [];
      const add = (map: Map<string, I[]>, key: string, entry: I) => {
        const list = map.get(key);
        if (list === undefined) map.set(key, [entry]);
        else if (!list.includes(entry)) list.push(entry);
      };
      for (const entry of this.entries) {
        for (const code of entry.codes ?? [entry.code]) {
          add(byKey, codeKey(code)!, entry);
          add(byLooseKey, looseKey(code), entry);
          const range = parseRange(code, this.options.format);
          if (range !== undefined) ranges.push([range, entry]);
        }
      }
      this.byKey = byKey;
      this.byLooseKey = byLooseKey;
      this.ranges = ranges;
    }
    return this.byKey;
  }

  /**
   * The code of the set's entry for a code read from text, as the set writes it: "X.1.1" read gives the set's "x.1.1",
   * a row's second code gives it back, and a code in a row's range gives that row's code.
   */
  private codeOf(found: Code): C | undefined {
    return this.spelledAs(found) ?? (this.lookup(found)?.code as C | undefined);
  }

  private parseReply(text: string): C | undefined {
    const known = (code: number): code is number => this.codeOf(code) !== undefined;
    const reply = pickReplyCode(findCodes(text), known) ?? (/^[0-9]{3}$/.test(text) ? Number(text) : undefined);
    return reply === undefined ? undefined : this.codeOf(reply);
  }

  private parseEnhanced(text: string): C | undefined {
    const own = (code: string) => (this.options.format === "enhanced-status" ? code : "X" + code.slice(1));
    const known = (code: string): code is string => this.codeOf(own(code)) !== undefined;
    const enhanced = pickEnhancedCode(findCodes(text), known);
    return enhanced === undefined ? undefined : this.codeOf(own(enhanced));
  }

  private parsePattern(text: string): C | undefined {
    const covering = (code: Code) => this.entries.find((e) => typeof e.code === "string" && patternMatches(e.code, code));
    const found = findCodes(text);
    const enhanced = pickEnhancedCode(found, (code): code is string => covering(code) !== undefined);
    const reply = pickReplyCode(found, (code): code is number => covering(code) !== undefined) ?? (/^[0-9]{3}$/.test(text) ? Number(text) : undefined);
    const entry = (enhanced !== undefined ? covering(enhanced) : undefined) ?? (reply !== undefined ? covering(reply) : undefined);
    return entry?.code as C | undefined;
  }

  /** A set's own number, written alone (or as "#42550"), since a number in running text can be anything. */
  private parseInteger(text: string): C | undefined {
    const digits = text[0] === "#" ? text.slice(1) : text;
    if (!/^-?[0-9]{1,9}$/.test(digits)) return undefined;
    return this.codeOf(Number(digits));
  }

  /** The first word of the text that is a code of the set ("550 5.7.1 SC-001 …" gives "SC-001"). */
  private parseWord(text: string): C | undefined {
    let start = -1;
    for (let i = 0; i <= text.length; i++) {
      const c = text.charCodeAt(i);
      const inWord = i < text.length && (isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || ((c === 45 || c === 46) && start !== -1 && i + 1 < text.length && isAlphanumeric(text.charCodeAt(i + 1))));
      if (inWord && start === -1) start = i;
      if (!inWord && start !== -1) {
        const code = this.codeOf(text.slice(start, i));
        if (code !== undefined) return code;
        start = -1;
      }
    }
    return undefined;
  }

  private parseMessage(text: string): C | undefined {
    const column = this.options.inLogs;
    if (column === undefined) return undefined;
    if (this.messages === undefined) {
      this.messages = new MessageMatcher(this.entries.map((entry) => entry.texts[column] ?? ""), this.options.placeholders);
    }
    const m = this.messages.match(text);
    return m === -1 ? undefined : (this.entries[m]!.code as C);
  }
}

/** Every entry by code (the first row, where codes repeat), in the document's order: the generated xInfos maps. */
export function entriesByCode<C extends Code, I extends EntryData>(entries: readonly I[]): ReadonlyMap<C, I> {
  const map = new Map<C, I>();
  for (const entry of entries) if (!map.has(entry.code as C)) map.set(entry.code as C, entry);
  return map;
}
