// code-set: what every generated module calls — a set's lookups, guards and parsers over its entries.
import { isAlphanumeric, isDigit } from "./chars.js";
import { inRange, parseRange, patternMatches, splitEnhancedCode, type Code, type CodeFormat, type Range } from "./codes.js";
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
  /**
   * The column whose text bounces and logs show (a provider's message): parse finds a row of codeFormat none by it;
   * in a set of codes, the row among those of the code read whose text the line holds, and, with no code in the line,
   * the row whose text alone it holds.
   */
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
  /** The entry of a code (the first row with it, where the set repeats codes; a row's own before a range's); `undefined` for anything else. */
  lookup(code: unknown): I | undefined;
  /** Every row with a code, in the document's order, those whose range holds it after (empty for an unknown code). */
  lookupAll(code: unknown): readonly I[];
  /** Whether a value is one of the set's codes. */
  has(value: unknown): value is C;
  /** The code of the member with this name. */
  fromName(name: string): C | undefined;
  /**
   * The code of the set that a text carries (see parse in the README), or `undefined`: a code in a row's range as the
   * text writes it ("5.7.512" for the row "5.7.500-699").
   */
  parse(text: string): C | undefined;
  /** The entry a text carries: the row of the code parse reads, told apart by its log text where the code is on several rows. */
  parseEntry(text: string): I | undefined;
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
    const key = codeKey(code);
    if (key === undefined) return undefined;
    return this.index().get(key)?.[0] ?? this.ranges!.find(([range]) => inRange(range, code))?.[1];
  }

  /** The rows of the code itself first, then those whose range holds it. */
  lookupAll(code: unknown): readonly I[] {
    const key = codeKey(code);
    if (key === undefined) return [];
    const exact = this.index().get(key) ?? [];
    const ranged = this.ranges!.filter(([range, entry]) => inRange(range, code) && !exact.includes(entry)).map(([, entry]) => entry);
    return ranged.length === 0 ? exact : [...exact, ...ranged];
  }

  spelledAs(code: unknown): C | undefined {
    if (typeof code !== "string" && typeof code !== "number") return undefined;
    this.index();
    const entry = this.byLooseKey!.get(looseKey(code))?.[0];
    return entry === undefined ? undefined : (entry.codes ?? [entry.code]).find((own) => looseKey(own) === looseKey(code)) as C | undefined;
  }

  /** A row's codes, and every code inside a row's range. */
  has(value: unknown): value is C {
    return this.lookup(value) !== undefined;
  }

  fromName(name: string): C | undefined {
    if (this.byName === undefined) {
      this.byName = new Map();
      for (const entry of this.entries) this.byName.set(entry.name, entry);
    }
    return this.byName.get(name)?.code as C | undefined;
  }

  parse(text: string): C | undefined {
    return this.read(text)?.code;
  }

  parseEntry(text: string): I | undefined {
    return this.read(text)?.entry;
  }

  /** The code a text carries and its row: see parse and parseEntry. */
  private read(text: string): { readonly code: C; readonly entry: I } | undefined {
    if (typeof text !== "string") return undefined;
    const code = this.findCode(text.trim());
    if (code !== undefined) {
      const rows = this.lookupAll(code);
      const entry = (rows.length > 1 ? this.rowByText(text, rows) : undefined) ?? rows[0];
      return entry === undefined ? undefined : { code, entry };
    }
    const entry = this.rowByText(text);
    return entry === undefined ? undefined : { code: entry.code as C, entry };
  }

  /** The set's code written in a text, per its format (codeFormat none has none but a name written alone). */
  private findCode(trimmed: string): C | undefined {
    // A text that is one of the set's codes (a row's second code, a range as the set writes it) is that code.
    const whole = this.spelledAs(trimmed);
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
        return undefined;
    }
  }

  /**
   * The row whose log text (the inLogs column) the text holds, the most specific: among `rows` (the rows of the code
   * read); or, no code read, among all, where in a set of codes no other row's text is as specific (a message the
   * document repeats under two codes tells neither).
   */
  private rowByText(text: string, rows?: readonly I[]): I | undefined {
    const column = this.options.inLogs;
    if (column === undefined) return undefined;
    if (this.messages === undefined) {
      this.messages = new MessageMatcher(this.entries.map((entry) => entry.texts[column] ?? ""), this.options.placeholders);
    }
    const best = this.messages.bestMatches(text, rows && ((m) => rows.includes(this.entries[m]!)));
    if (rows === undefined && best.length > 1 && this.options.format !== "none") return undefined;
    return best.length === 0 ? undefined : this.entries[best[0]!];
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
   * A code read from text as the set holds it: "X.1.1" read gives the set's "x.1.1", a row's second code gives itself,
   * and so does a code in a row's range ("5.7.512", not the row's "5.7.500-699").
   */
  private codeOf(found: Code): C | undefined {
    return this.spelledAs(found) ?? (this.lookup(found) === undefined ? undefined : (found as C));
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

  /** The first word of the text that is a code of the set ("550 5.7.1 SC-001 …" gives "SC-001"; "XGEMAIL_0011"). */
  private parseWord(text: string): C | undefined {
    let start = -1;
    for (let i = 0; i <= text.length; i++) {
      const c = text.charCodeAt(i);
      const inWord = i < text.length && (isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || ((c === 45 || c === 46 || c === 95) && start !== -1 && i + 1 < text.length && isAlphanumeric(text.charCodeAt(i + 1))));
      if (inWord && start === -1) start = i;
      if (!inWord && start !== -1) {
        // A code in another case counts where it holds a digit ("sc-001"): "suppressed" in a sentence is a word, not
        // the code Suppressed.
        const word = text.slice(start, i);
        const code = this.codeOf(word);
        if (code !== undefined && (code === word || /[0-9]/.test(word))) return code;
        start = -1;
      }
    }
    return undefined;
  }
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
  const subjectDetail = subjectDetails.lookup(subjectDetails.spelledAs(parts[1]));
  return classEntry === undefined || subjectDetail === undefined ? undefined : { code: code as C, class: classEntry, subjectDetail };
}
