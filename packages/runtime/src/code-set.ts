// runtime: what every generated module calls — lookups, guards, parsers, and the text readers behind them.
// Written and tested once, here; the generator copies this file into the out dir beside the modules it writes, so
// generated code needs nothing installed. Plain ES2020 with no dependencies. Every text reader is a left-to-right
// pass over its input, so its time grows linearly with the text, whatever the text; the few regular expressions
// test short tokens, anchored, with no nested or overlapping quantifiers (test/redos.test.ts checks).

/** How a set's codes are written (see the spec schema's codeFormat). */
export type CodeFormat = "smtp-reply" | "enhanced-status" | "enhanced-subject-detail" | "pattern" | "integer" | "alphanumeric" | "none";

export type Code = string | number;

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

// ---------------------------------------------------------------------------------------------------------------
// Codes

/** The key a code is found by: integers by value, strings as written (so that a guard only admits the set's own codes). */
function codeKey(value: unknown): string | undefined {
  if (typeof value === "number") return Number.isInteger(value) ? "#" + value : undefined;
  return typeof value === "string" ? "=" + value : undefined;
}

/** The key a parser finds a code by: strings in any case ("x.1.1" reads as "X.1.1"). */
function looseKey(value: Code): string {
  return typeof value === "number" ? "#" + value : "=" + value.toUpperCase();
}

/** A range code ("5.7.500-699", "600-699"): the fixed prefix and the bounds of the number after it. */
interface Range {
  readonly prefix: string;
  readonly from: number;
  readonly to: number;
}

function parseRange(code: Code, format: CodeFormat): Range | undefined {
  if (typeof code !== "string" || (format !== "enhanced-status" && format !== "integer" && format !== "smtp-reply")) return undefined;
  // The bounds are split at the first "-" after a digit, so "-20--10" reads as -20 to -10.
  let dash = -1;
  for (let i = 1; i < code.length; i++) {
    if (code[i] === "-" && isDigit(code.charCodeAt(i - 1))) {
      dash = i;
      break;
    }
  }
  if (dash === -1) return undefined;
  const low = code.slice(0, dash);
  const dot = low.lastIndexOf(".");
  const prefix = format === "enhanced-status" ? low.slice(0, dot + 1) : "";
  return { prefix, from: Number(low.slice(prefix.length)), to: Number(code.slice(dash + 1)) };
}

/** Whether a concrete code falls in a range of the same format. */
function inRange(range: Range, value: unknown): boolean {
  let number: number;
  if (typeof value === "number") {
    if (range.prefix !== "") return false;
    number = value;
  } else if (typeof value === "string" && range.prefix !== "" && value.startsWith(range.prefix)) {
    const rest = value.slice(range.prefix.length);
    if (!/^[0-9]{1,3}$/.test(rest)) return false; // anchored, no repetition of groups: cannot backtrack
    number = Number(rest);
  } else {
    return false;
  }
  return number >= range.from && number <= range.to;
}

/**
 * Whether a pattern ("4.x.x", "5**", "x0x", "X.1.YYY") covers a concrete code ("4.2.2", 550): part by part, a
 * part made only of x, y and * matches any digits, and otherwise each wildcard matches one digit.
 */
export function patternMatches(pattern: string, code: Code): boolean {
  const patternParts = pattern.split(".");
  const codeParts = String(code).split(".");
  if (patternParts.length !== codeParts.length) return false;
  return patternParts.every((part, i) => {
    const actual = codeParts[i]!;
    if (!/^[0-9]+$/.test(actual)) return false;
    if (/^[xXyY*]+$/.test(part)) return actual.length <= 3;
    if (part.length !== actual.length) return false;
    for (let k = 0; k < part.length; k++) {
      if (!isWildcard(part[k]!) && part[k] !== actual[k]) return false;
    }
    return true;
  });
}

function isWildcard(char: string): boolean {
  return char === "x" || char === "X" || char === "y" || char === "Y" || char === "*";
}

// ---------------------------------------------------------------------------------------------------------------
// Finding codes in text

/** Where in the text a code was found, which says how much it can be trusted (see pickEnhancedCode). */
export type CodeContext =
  /** The value of a delivery status notification's Status: field (RFC 3464). */
  | "status-field"
  /** In a Diagnostic-Code: field (RFC 3464), or paired with a reply code ("550 5.1.1", "550-5.1.1"). */
  | "diagnostic"
  /** At the start of a line, or after "said:", "smtp;" and the like. */
  | "reply"
  /** Anywhere else. */
  | "text";

export interface FoundCode<C extends Code> {
  readonly code: C;
  /** Index of the code's first character in the text. */
  readonly index: number;
  readonly context: CodeContext;
}

export interface FoundCodes {
  /** SMTP reply codes (550), in the order of the text. */
  readonly replyCodes: ReadonlyArray<FoundCode<number>>;
  /** Enhanced status codes ("5.1.1"), in the order of the text. */
  readonly enhancedCodes: ReadonlyArray<FoundCode<string>>;
}

/**
 * Every SMTP reply code and enhanced status code in a text, as mail systems write them: in DSN fields
 * (`Status: 5.1.1`, `Diagnostic-Code: smtp; 550 5.1.1 …`), in MTA wording (`said: 550 5.1.1 …`), on continuation
 * lines (`550-5.1.1 …`), and marked as `#5.1.1` or `(#4.4.1)`.
 *
 * A code is a whole token: an enhanced code is a class 2, 4 or 5, a one-digit subject 0–7 (every registered or
 * vendor code has one) and a detail of one to three digits (`5.7.708`, never read as `5.7.70`), with no letter,
 * digit or dot joined to either end, so dates, IP addresses, version numbers and sizes are not codes. A reply code
 * is three digits, 2–5 then 0–5 then any, standing alone the same way, and counts only where a reply stands: at a
 * line's start, after a colon or semicolon, or before an enhanced code.
 */
export function findCodes(text: string): FoundCodes {
  const replyCodes: Array<FoundCode<number>> = [];
  const enhancedCodes: Array<FoundCode<string>> = [];
  let field = ""; // the header field the current line belongs to, lower case ("" outside any)
  let lineStart = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 10 /* \n */) {
      lineStart = i + 1;
      field = fieldAt(text, lineStart, field);
      i++;
      continue;
    }
    if (i === 0) field = fieldAt(text, 0, field);
    if (!isDigit(c) || (i > 0 && isJoined(text.charCodeAt(i - 1)))) {
      i++;
      continue;
    }
    // A run of digits and dots, a dot counting only between digits: "5.1.1." ends before its last dot.
    let end = i;
    while (end < text.length && (isDigit(text.charCodeAt(end)) || (text.charCodeAt(end) === 46 && end + 1 < text.length && isDigit(text.charCodeAt(end + 1))))) end++;
    const standsAlone = end === text.length || !isJoined(text.charCodeAt(end));
    const length = end - i;
    // Only a token of a code's length can be one (3 for a reply code, 5 to 9 for an enhanced code).
    if (!standsAlone || (length !== 3 && (length < 5 || length > 9))) {
      i = end;
      continue;
    }
    const token = text.slice(i, end);
    if (isEnhancedToken(token)) {
      const context: CodeContext = field === "status" ? "status-field" : field === "diagnostic-code" || pairedWithReply(text, i) ? "diagnostic" : "text";
      enhancedCodes.push({ code: token, index: i, context });
    } else if (isReplyToken(token)) {
      const context = replyContext(text, lineStart, i, end, field);
      if (context !== undefined) replyCodes.push({ code: Number(token), index: i, context });
    }
    i = end;
  }
  return { replyCodes, enhancedCodes };
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** A character that makes a code part of a longer word or number when it touches it: a letter, digit, dot or _. */
function isJoined(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 46 || c === 95;
}

function isEnhancedToken(token: string): boolean {
  // class . subject . detail: "5.1.1", "4.4.316"; the subject is one digit 0-7.
  const c = token.charCodeAt(0);
  if ((c !== 50 && c !== 52 && c !== 53) || token[1] !== "." || token[3] !== ".") return false;
  const subject = token.charCodeAt(2);
  const detail = token.slice(4);
  return subject >= 48 && subject <= 55 && detail.length >= 1 && detail.length <= 3 && detail.indexOf(".") === -1 && (detail.length === 1 || detail[0] !== "0");
}

function isReplyToken(token: string): boolean {
  return token.length === 3 && token >= "200" && token <= "559" && token[1]! <= "5";
}

/** "550 5.1.1", "550-5.1.1", "550 #5.1.1": whether an enhanced code at `index` follows a reply code so. */
function pairedWithReply(text: string, index: number): boolean {
  let k = index - 1;
  if (text[k] === "#") k--;
  if (text[k] !== " " && text[k] !== "-") return false;
  return k >= 3 && isReplyToken(text.slice(k - 3, k)) && (k === 3 || !isJoined(text.charCodeAt(k - 4)));
}

/** Where a reply code stands, or undefined when a three-digit number there is not read as one. */
function replyContext(text: string, lineStart: number, start: number, end: number, field: string): CodeContext | undefined {
  const after = text[end];
  const next = text.charCodeAt(end + 1);
  if ((after === " " || after === "-") && (isDigit(next) || next === 35 /* # */) && isEnhancedToken(readToken(text, next === 35 ? end + 2 : end + 1))) return "diagnostic";
  if (after !== undefined && after !== " " && after !== "-" && after !== "\r" && after !== "\n" && after !== "\t" && after !== ")" && after !== "'" && after !== "\"") return undefined;
  if (field === "diagnostic-code") return "diagnostic";
  // What stands before the code on its line: nothing (or quoting), or a colon or semicolon.
  let k = start - 1;
  while (k >= lineStart && (text[k] === " " || text[k] === "\t" || text[k] === ">" || text[k] === "'" || text[k] === "\"" || text[k] === "(")) k--;
  if (k < lineStart || text[k] === ":" || text[k] === ";") return "reply";
  return undefined;
}

function readToken(text: string, start: number): string {
  let end = start;
  while (end < text.length && end - start < 12 && (isDigit(text.charCodeAt(end)) || text[end] === ".")) end++;
  return text.slice(start, end);
}

/**
 * The header field a line belongs to: its own name when it starts "Name:" (lower case), the field above when it
 * is a folded continuation (starts with white space), and none otherwise. Reads at most 40 characters.
 */
function fieldAt(text: string, start: number, previous: string): string {
  const first = text[start];
  if (first === " " || first === "\t") return previous;
  for (let k = start; k < text.length && k - start <= 40; k++) {
    const c = text.charCodeAt(k);
    if (c === 58 /* : */) return k > start ? text.slice(start, k).toLowerCase() : "";
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || isDigit(c))) return "";
  }
  return "";
}

const CONTEXT_RANK: Readonly<Record<CodeContext, number>> = { "status-field": 0, diagnostic: 1, reply: 2, text: 3 };

/**
 * The enhanced status code a text reports (of those `accept` takes, by default any). A DSN's Status: field (in the
 * text, or `given`) wins over the codes of the diagnostic text, unless it is vaguer than the most specific of them:
 * an "other or undefined" code (X.0.0, X.Y.0, X.0.Z), 4.4.7 (delivery time expired), 4.7.0, 5.3.x, or X.5.1, X.5.2,
 * X.5.4, X.5.5 (protocol errors, which a server reports for what is really a refused address), or 5.1.3 beside a
 * 5.7.x. Among the other codes, the first in the strongest place wins: paired with a reply code or in a
 * Diagnostic-Code field, then at a reply's place, then anywhere; and a specific code before a vague one.
 */
export function pickEnhancedCode<C extends string = string>(found: FoundCodes, accept: (code: string) => code is C = anyCode as (code: string) => code is C, given?: string): C | undefined {
  const candidates = found.enhancedCodes.filter((f): f is FoundCode<C> => accept(f.code));
  const field = given !== undefined && isEnhancedToken(given) && accept(given) ? given : strongest(candidates.filter((f) => f.context === "status-field"))?.code;
  const inText = candidates.filter((f) => f.context !== "status-field");
  const text = strongest(inText.filter((f) => !isVague(f.code))) ?? strongest(inText);
  if (field === undefined) return text?.code;
  if (text === undefined || text.code === field || isVague(text.code)) return field;
  const fieldYields = isVague(field) || field.startsWith("4.4.7") || field === "4.7.0" || field.startsWith("5.3.") || /^[245]\.5\.[1245]$/.test(field) || (field === "5.1.3" && text.code.startsWith("5.7."));
  return fieldYields ? text.code : field;
}

/** An "other or undefined" code: X.0.0, or a subject or detail of 0 (X.1.0, X.0.1). */
function isVague(code: string): boolean {
  return code.slice(1, 4) === ".0." || code.slice(3) === ".0";
}

/** The SMTP reply code a text reports (of those `accept` takes): the first in the strongest place, as for pickEnhancedCode. */
export function pickReplyCode<C extends number = number>(found: FoundCodes, accept: (code: number) => code is C = anyCode as (code: number) => code is C): C | undefined {
  return strongest(found.replyCodes.filter((f): f is FoundCode<C> => accept(f.code)))?.code;
}

function anyCode(_code: Code): boolean {
  return true;
}

function strongest<C extends Code>(found: ReadonlyArray<FoundCode<C>>): FoundCode<C> | undefined {
  let best: FoundCode<C> | undefined;
  for (const f of found) if (best === undefined || CONTEXT_RANK[f.context] < CONTEXT_RANK[best.context]) best = f;
  return best;
}

/**
 * "5.1.1" → [5, "X.1.1"]: an enhanced status code's class and its subject.detail as a registry writes it. Any code of
 * RFC 3463's form (1-3 digits a part) splits; only reading codes in text keeps to one-digit subjects 0-7.
 */
export function splitEnhancedCode(value: unknown): [number, string] | undefined {
  if (typeof value !== "string" || !/^[245]\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})$/.test(value)) return undefined;
  return [value.charCodeAt(0) - 48, "X" + value.slice(1)];
}

// ---------------------------------------------------------------------------------------------------------------
// Matching messages: a provider's documented text against what a bounce says

/**
 * Text folded for comparison: lower case; curly quotes as straight ones; every run of white space as one space
 * (none at all where a line break falls between two CJK characters, which a wrapped Japanese line does not have);
 * and the SMTP reply prefixes that start continuation lines ("550-5.1.1 ", "550 5.1.1 ", "550-") removed, so a
 * message wrapped over many reply lines reads as one.
 */
export function foldText(text: string): string {
  const length = foldInto(text);
  let out = "";
  for (let i = 0; i < length; i += 4096) out += String.fromCharCode.apply(null, folded.subarray(i, Math.min(length, i + 4096)) as unknown as number[]);
  return out;
}

/** Where foldInto writes: grown as needed and reused, so folding allocates nothing per call. */
let folded = new Uint16Array(1024);

/** Folds a text (see foldText) into the shared buffer `folded` and returns its length. One pass. */
function foldInto(text: string): number {
  if (folded.length < text.length + 8) folded = new Uint16Array(text.length + 1024);
  let buffer = folded;
  let out = 0;
  let space = false; // a run of white space is pending
  let newline = false; // the pending run holds a line break
  let atLineStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      space = true;
      newline = true;
      atLineStart = true;
      continue;
    }
    if (c === 32 || c === 9 || c === 0xa0 || c === 0x3000 || c === 12 || c === 11) {
      space = true;
      continue;
    }
    if (atLineStart) {
      atLineStart = false;
      const skip = replyPrefixLength(text, i);
      if (skip > 0) {
        i += skip - 1;
        space = true;
        continue;
      }
    }
    // Each character folds to at most one more (a space) plus its own, except the few whose lower case is longer.
    if (out + 4 > buffer.length) {
      folded = new Uint16Array(buffer.length * 2 + 8);
      folded.set(buffer);
      buffer = folded;
    }
    if (space && out > 0 && !(newline && isCjk(buffer[out - 1]!) && isCjk(c))) buffer[out++] = 32;
    space = false;
    newline = false;
    if (c < 128) {
      buffer[out++] = c >= 65 && c <= 90 ? c + 32 : c;
    } else {
      const f = foldChar(text[i]!);
      for (let k = 0; k < f.length; k++) buffer[out++] = f.charCodeAt(k);
    }
  }
  return out;
}

/** The length of "550-5.1.1 ", "550 5.1.1 ", "550-" or "550 " at `start` (0 if there is none). */
function replyPrefixLength(text: string, start: number): number {
  if (!isReplyToken(text.slice(start, start + 3)) || isDigit(text.charCodeAt(start + 3))) return 0;
  const sep = text[start + 3];
  if (sep !== "-" && sep !== " ") return 0;
  const enhanced = readToken(text, start + 4);
  if (isEnhancedToken(enhanced) && (text[start + 4 + enhanced.length] === " " || text[start + 4 + enhanced.length] === undefined)) return 4 + enhanced.length + 1;
  return 4;
}

function foldChar(char: string): string {
  switch (char) {
    case "\u2018": case "\u2019": case "\u201a": case "\u201b": case "\u2032":
      return "'";
    case "\u201c": case "\u201d": case "\u201e": case "\u201f": case "\u2033":
      return "\"";
    default:
      return char.toLowerCase();
  }
}

function isCjk(c: number): boolean {
  return (c >= 0x3000 && c <= 0x9fff) || (c >= 0xff00 && c <= 0xffef) || (c >= 0xf900 && c <= 0xfaff);
}

/** How deep in the trie states get a full row of ASCII transitions. */
const DENSE_DEPTH = 2;

/**
 * A multi-pattern matcher (Aho–Corasick): every occurrence of every pattern in one pass over the text, so finding
 * hundreds of phrases costs one reading of the text. Patterns are folded text. Built with maps, then kept in typed
 * arrays: the root's transitions for ASCII in a table, a state with one child as that child's character and state,
 * only branching states as maps; each step reads a few array cells.
 */
class PhraseMatcher {
  readonly lengths: number[] = [];
  readonly fail: Int32Array;
  /** The patterns that end at each state (through failure links too): outputs[outStart[s] .. outStart[s + 1]). */
  readonly outStart: Int32Array;
  readonly outputs: Int32Array;
  readonly rootAscii: Int32Array;
  readonly root: Map<number, number>;
  /** A state's only child: its character (-1 when it has none or several) and its state. */
  readonly onlyChar: Int32Array;
  readonly onlyNext: Int32Array;
  /** The children of states with several. */
  readonly branches: Array<Map<number, number> | undefined>;
  /** Each shallow state's row of ASCII transitions in `dense` (-1 for the others). */
  readonly denseRow: Int32Array;
  readonly dense: Int32Array;

  constructor(patterns: readonly string[]) {
    const next: Array<Map<number, number>> = [new Map()];
    const outs: number[][] = [[]];
    patterns.forEach((pattern, id) => {
      let state = 0;
      for (let i = 0; i < pattern.length; i++) {
        const c = pattern.charCodeAt(i);
        let to = next[state]!.get(c);
        if (to === undefined) {
          to = next.length;
          next.push(new Map());
          outs.push([]);
          next[state]!.set(c, to);
        }
        state = to;
      }
      outs[state]!.push(id);
      this.lengths[id] = pattern.length;
    });
    // Breadth first: a state's failure link is the longest proper suffix of its path that is also a path.
    const fail = new Int32Array(next.length);
    const queue: number[] = [];
    next[0]!.forEach((to) => queue.push(to));
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head]!;
      next[state]!.forEach((to, c) => {
        queue.push(to);
        let f = fail[state]!;
        while (f !== 0 && !next[f]!.has(c)) f = fail[f]!;
        const target = next[f]!.get(c);
        fail[to] = target !== undefined && target !== to ? target : 0;
        outs[to] = outs[to]!.concat(outs[fail[to]!]!);
      });
    }
    this.fail = fail;
    this.outStart = new Int32Array(next.length + 1);
    let total = 0;
    for (let s = 0; s < next.length; s++) {
      this.outStart[s] = total;
      total += outs[s]!.length;
    }
    this.outStart[next.length] = total;
    this.outputs = new Int32Array(total);
    for (let s = 0; s < next.length; s++) this.outputs.set(outs[s]!, this.outStart[s]!);
    this.root = next[0]!;
    this.rootAscii = new Int32Array(128);
    this.root.forEach((to, c) => {
      if (c < 128) this.rootAscii[c] = to;
    });
    // The states nearest the root, where a scan spends most of its time, get a full row of ASCII transitions
    // (failure links followed in advance): one array read per character there.
    const depth = new Int32Array(next.length);
    const shallow: number[] = [0];
    next[0]!.forEach((to) => (depth[to] = 1));
    for (const state of queue) {
      if (depth[state]! <= DENSE_DEPTH) shallow.push(state);
      next[state]!.forEach((to) => (depth[to] = depth[state]! + 1));
    }
    this.denseRow = new Int32Array(next.length).fill(-1);
    this.dense = new Int32Array(shallow.length * 128);
    shallow.forEach((state, row) => {
      this.denseRow[state] = row;
      for (let c = 0; c < 128; c++) {
        const to = next[state]!.get(c);
        this.dense[row * 128 + c] = to !== undefined ? to : state === 0 ? 0 : this.dense[this.denseRow[fail[state]!]! * 128 + c]!;
      }
    });
    this.onlyChar = new Int32Array(next.length).fill(-1);
    this.onlyNext = new Int32Array(next.length);
    this.branches = [];
    for (let s = 1; s < next.length; s++) {
      const children = next[s]!;
      if (children.size === 1) {
        children.forEach((to, c) => {
          this.onlyChar[s] = c;
          this.onlyNext[s] = to;
        });
      } else if (children.size > 1) {
        this.branches[s] = children;
      }
    }
  }

}

/** One message to look for: the fragments of its distinctive part, in order. */
interface MessageKey {
  readonly fragments: readonly number[];
  /** How much literal text the key holds: among matches, the longest is the most specific. */
  readonly weight: number;
}

/** Where a placeholder stood in a folded message: the only place a key's text may have a gap. */
const GAP = "\u0000";

/** A group of messages a MessageMatcher looks for together (see MessageMatcher.combine). */
export interface MessageGroup {
  readonly messages: readonly string[];
  /** Text in the messages standing for run-time values (an address, an IP address): it matches anything. */
  readonly placeholders?: readonly string[];
  /** Match every message by all of its text, not only by its distinctive sentences (for phrases). */
  readonly whole?: boolean;
  /**
   * The fewest characters of literal text (placeholders aside) a message's distinctive part holds: a first sentence
   * as short as "… does not like recipient." tells too little, and the next sentences are added until it holds this
   * many. Default 0.
   */
  readonly minimumKey?: number;
}

/**
 * Finds which of a set of messages a text contains. Each message is matched by its distinctive part: its first
 * sentence, or as many sentences from its start as it takes to tell it from the other messages, so the help text
 * and links a provider appends (or leaves out) do not matter. That part must appear as written (white space,
 * quotes and reply-code prefixes folded, see foldText), except that a placeholder matches any text.
 */
export class MessageMatcher {
  private readonly keys: MessageKey[] = [];
  private readonly matcher: PhraseMatcher;
  /** For each fragment, the keys that use it and where (key and position packed: key * 65536 + position). */
  private readonly users: number[][] = [];
  /** Per-key progress of the current matchAll, kept between calls (and reset after each) so a call allocates little. */
  private readonly nextFragment: Int32Array;
  private readonly earliestStart: Int32Array;

  /**
   * @param messages the messages, as documented (placeholders included)
   * @param placeholders text in the messages standing for run-time values, which matches anything
   * @param options whole: match every message by all of its text, not only by its distinctive sentences (for phrases)
   */
  constructor(messages: readonly string[], placeholders: readonly string[] = [], options: { readonly whole?: boolean } = {}) {
    const fragments: string[] = [];
    this.add({ messages, placeholders, whole: options.whole === true }, fragments, new Map());
    this.matcher = new PhraseMatcher(fragments);
    this.nextFragment = new Int32Array(this.keys.length);
    this.earliestStart = new Int32Array(this.keys.length);
  }

  /**
   * One matcher for several groups of messages, each with its placeholders and mode, found in one pass over a text:
   * message i of group g has the index (the sizes of the groups before g) + i.
   */
  static combine(groups: readonly MessageGroup[]): MessageMatcher {
    const matcher = Object.create(MessageMatcher.prototype) as MessageMatcher;
    const self = matcher as unknown as { keys: MessageKey[]; users: number[][]; matcher: PhraseMatcher; nextFragment: Int32Array; earliestStart: Int32Array };
    self.keys = [];
    self.users = [];
    const fragments: string[] = [];
    const fragmentId = new Map<string, number>();
    for (const group of groups) matcher.add(group, fragments, fragmentId);
    self.matcher = new PhraseMatcher(fragments);
    self.nextFragment = new Int32Array(self.keys.length);
    self.earliestStart = new Int32Array(self.keys.length);
    return matcher;
  }

  private add(group: MessageGroup, fragments: string[], fragmentId: Map<string, number>): void {
    const folded = (group.placeholders ?? []).map(foldText).filter((p) => p.length > 0);
    const split = group.messages.map((message) => sentencesOf(foldText(message), folded));
    const prefixes = countPrefixes(split);
    for (const sentences of split) {
      const m = this.keys.length;
      const parts = (group.whole === true ? sentences : distinctivePrefix(sentences, prefixes, group.minimumKey)).join(" ").split(GAP).map((part) => part.trim()).filter((part) => part.length > 0);
      const ids = parts.map((part) => {
        let id = fragmentId.get(part);
        if (id === undefined) {
          id = fragments.length;
          fragments.push(part);
          fragmentId.set(part, id);
          this.users.push([]);
        }
        return id;
      });
      ids.forEach((id, position) => this.users[id]!.push(m * 65536 + position));
      this.keys.push({ fragments: ids, weight: parts.reduce((sum, part) => sum + part.length, 0) });
    }
  }

  /** The index of the message the text contains (the most specific, then the first), or -1. Linear in the text. */
  match(text: string): number {
    let best = -1;
    for (const m of this.matchAll(text)) if (best === -1 || this.keys[m]!.weight > this.keys[best]!.weight) best = m;
    return best;
  }

  /** The indexes of every message the text contains, in the messages' order. */
  matchAll(text: string): number[] {
    return this.matchCodes(foldInto(text));
  }

  /** The keys whose every fragment was found, in order; and their progress reset for the next call. */
  private finish(touched: readonly number[]): number[] {
    const matched: number[] = [];
    for (const m of touched) {
      if (this.nextFragment[m] === this.keys[m]!.fragments.length) matched.push(m);
      this.nextFragment[m] = 0;
      this.earliestStart[m] = 0;
    }
    return matched.length > 1 ? matched.sort((x, y) => x - y) : matched;
  }

  /** Matches the first `length` codes of the fold buffer. */
  private matchCodes(length: number): number[] {
    // Greedy, in order: each key waits for its next fragment, starting after the end of the one before. The
    // automaton's step is written out here, its one user, so that the hot loop reads locals and makes no call.
    const nextFragment = this.nextFragment;
    const earliestStart = this.earliestStart;
    const users = this.users;
    const { lengths, fail, outStart, outputs, rootAscii, root, onlyChar, onlyNext, branches, denseRow, dense } = this.matcher;
    const codes = folded;
    const touched: number[] = [];
    let state = 0;
    for (let i = 0; i < length; i++) {
      const c = codes[i]!;
      for (;;) {
        const row = denseRow[state]!;
        if (row !== -1 && c < 128) {
          state = dense[row * 128 + c]!;
          break;
        }
        if (state === 0) {
          state = c < 128 ? rootAscii[c]! : (root.get(c) ?? 0);
          break;
        }
        if (onlyChar[state] === c) {
          state = onlyNext[state]!;
          break;
        }
        const to = branches[state]?.get(c);
        if (to !== undefined) {
          state = to;
          break;
        }
        state = fail[state]!;
      }
      for (let k = outStart[state]!, last = outStart[state + 1]!; k < last; k++) {
        const fragment = outputs[k]!;
        const end = i + 1;
        const start = end - lengths[fragment]!;
        const list = users[fragment]!;
        for (let u = 0; u < list.length; u++) {
          const packed = list[u]!;
          const key = (packed / 65536) | 0;
          const position = packed - key * 65536;
          if (nextFragment[key] === position && start >= earliestStart[key]!) {
            if (position === 0) touched.push(key);
            nextFragment[key] = position + 1;
            earliestStart[key] = end;
          }
        }
      }
    }
    return this.finish(touched);
  }
}

/**
 * A folded message as sentences, each placeholder replaced by GAP. A sentence ends at ". ", "! ", "? " or "。".
 */
function sentencesOf(folded: string, placeholders: readonly string[]): string[] {
  const sentences: string[] = [];
  let current = "";
  for (let i = 0; i < folded.length; i++) {
    const placeholder = placeholders.find((p) => folded.startsWith(p, i));
    if (placeholder !== undefined) {
      current += GAP;
      i += placeholder.length - 1;
      continue;
    }
    const char = folded[i]!;
    current += char;
    if (char === "。" || ((char === "." || char === "!" || char === "?") && (folded[i + 1] === " " || i + 1 === folded.length))) {
      sentences.push(current.trim());
      current = "";
    }
  }
  if (current.trim().length > 0) sentences.push(current.trim());
  return sentences;
}

/** How many messages start with each run of leading sentences. */
function countPrefixes(all: readonly string[][]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const sentences of all) {
    let key = "";
    for (const sentence of sentences) {
      key += sentence + "\n";
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

/** The fewest leading sentences of a message that no other message starts with too (all of them if none do). */
function distinctivePrefix(sentences: readonly string[], prefixes: ReadonlyMap<string, number>, minimumKey = 0): string[] {
  let key = "";
  let literal = 0;
  for (let count = 1; count <= sentences.length; count++) {
    key += sentences[count - 1] + "\n";
    literal += sentences[count - 1]!.split(GAP).join("").trim().length;
    if (prefixes.get(key) === 1 && literal >= minimumKey) return sentences.slice(0, count);
  }
  return sentences.slice();
}

// ---------------------------------------------------------------------------------------------------------------
// A set's lookups, guards and parsers

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
      const inWord = i < text.length && (isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || ((c === 45 || c === 46) && start !== -1 && i + 1 < text.length && isWordChar(text.charCodeAt(i + 1))));
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

function isWordChar(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Every entry by code (the first row, where codes repeat), in the document's order: the generated xInfos maps. */
export function entriesByCode<C extends Code, I extends EntryData>(entries: readonly I[]): ReadonlyMap<C, I> {
  const map = new Map<C, I>();
  for (const entry of entries) if (!map.has(entry.code as C)) map.set(entry.code as C, entry);
  return map;
}
