// find-codes: every SMTP reply code and enhanced status code in a text, where it stands, and which one the text
// reports. One left-to-right pass, so linear in the text.
import { isDigit, isCodeJoined as isJoined } from "./chars.js";
import { type Code, isEnhancedAt, isEnhancedToken, isReplyAt } from "./codes.js";

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
  scanCodes(text, {
    enhanced: (start, end, context) => enhancedCodes.push({ code: text.slice(start, end), index: start, context }),
    reply: (start, end, context) => replyCodes.push({ code: Number(text.slice(start, end)), index: start, context }),
  });
  return { replyCodes, enhancedCodes };
}

/** What scanCodes tells of each code it finds: where it stands in the text, and in what context. */
export interface CodeVisitor {
  enhanced(start: number, end: number, context: CodeContext): void;
  reply(start: number, end: number, context: CodeContext): void;
  /** Each number of three digits standing alone (no letter, digit, dot or "_" touching it), wherever it stands. */
  three?(start: number): void;
}

/**
 * The codes findCodes finds, each told to `visit` where it stands, in the text's order: for a reader that keeps only
 * what it needs of them (a text may hold a hundred thousand).
 */
export function scanCodes(text: string, visit: CodeVisitor): void {
  let field = fieldAt(text, 0, ""); // the header field the current line belongs to, lower case ("" outside any)
  let lineStart = 0;
  // Only a digit or a line break changes anything. (A loop over the characters: a text full of codes, which has a
  // digit every few characters, spent more in a regular expression's calls than a loop spends on every character.)
  for (let next = 0; next < text.length; ) {
    const i = next;
    const c = text.charCodeAt(i);
    next = i + 1;
    if (c === 10 /* \n */) {
      lineStart = i + 1;
      field = fieldAt(text, lineStart, field);
      continue;
    }
    if (c < 48 || c > 57) continue;
    if (i > 0 && isJoined(text.charCodeAt(i - 1))) {
      // Part of something else, and so is every digit of its run of digits and dots.
      let k = i + 1;
      while (k < text.length && (isDigit(text.charCodeAt(k)) || text.charCodeAt(k) === 46)) k++;
      next = k;
      continue;
    }
    // A run of digits and dots, a dot counting only between digits: "5.1.1." ends before its last dot.
    let end = i;
    while (
      end < text.length &&
      (isDigit(text.charCodeAt(end)) ||
        (text.charCodeAt(end) === 46 && end + 1 < text.length && isDigit(text.charCodeAt(end + 1))))
    )
      end++;
    next = end;
    const standsAlone = end === text.length || !isJoined(text.charCodeAt(end));
    const length = end - i;
    // Only a token of a code's length can be one (3 for a reply code, 5 to 9 for an enhanced code).
    if (!standsAlone || (length !== 3 && (length < 5 || length > 9))) continue;
    if (length === 3 && visit.three !== undefined) visit.three(i);
    if (isEnhancedAt(text, i, end)) {
      const context: CodeContext =
        field === STATUS
          ? "status-field"
          : field === DIAGNOSTIC_CODE || pairedWithReply(text, i)
            ? "diagnostic"
            : "text";
      if (context !== "text" || isStatusInText(text, i, end, field)) visit.enhanced(i, end, context);
    } else if (isReplyAt(text, i, end)) {
      const context = replyContext(text, lineStart, i, end, field);
      if (context !== undefined) visit.reply(i, end, context);
    }
  }
}

/**
 * Whether a dotted number of a status's shape, neither in a Status or Diagnostic-Code field nor paired with a reply
 * code, is a status. It is not when something says it is another number: it is the value of a header field that
 * carries no status (X-Mailer-Version: 2.1.5, Date: …), a version's, a release's or a build's ("version 2.0.13",
 * "ver. 5.1.2", "4.1.2 build 12", "2.0.13-1", "Eudora/5.2.1"), or a date's ("5.1.98 10:23"). A success code (2.X.X) is a status only
 * where codes are stated, never in prose (see isAside): a notice is never "delivered" by a number in its prose.
 */
function isStatusInText(text: string, start: number, end: number, field: string): boolean {
  if (field !== "" && carriesNoStatus(field)) return false;
  if (text.charCodeAt(start) === 50 /* 2 */ && isAside(text, start)) return false;
  return !isLabelledOther(text, start, end);
}

/** Words that say the number after them is a version, a release or a date, not a status (lower case). */
const OTHER_NUMBER_WORDS = new Set([
  "v",
  "ver",
  "vers",
  "version",
  "versión",
  "versão",
  "release",
  "rel",
  "build",
  "rev",
  "revision",
  "patch",
  "update",
  "sp",
  "date",
  "datum",
  "sent",
]);
/** Words that say the number before them is a version's (lower case). */
const VERSION_AFTERWORDS = new Set(["build", "release", "rev", "revision", "patch", "beta", "alpha", "rc", "sp"]);

/**
 * Whether what stands around a number says it is another number than a status: the word before it (quotes, colons,
 * "=" and brackets between passed over) or the name of the header field it is the value of, in a text whose lines
 * are joined ("… X-Mailer-Version: 2.1.5 …"); a version's suffix or the word after it; a time of day after it.
 * Reads at most 64 characters on each side.
 */
function isLabelledOther(text: string, start: number, end: number): boolean {
  const after = text.charCodeAt(end);
  if (after === 45 /* - */ && isDigit(text.charCodeAt(end + 1))) return true;
  // A product and its version ("Eudora/5.2.1", as User-Agent and Server fields write them).
  if (text[start - 1] === "/" && isWordChar(text.charCodeAt(start - 2))) return true;
  let k = end;
  while (k < text.length && k - end < 4 && (text[k] === " " || text[k] === "," || text[k] === "(")) k++;
  const next = wordAt(text, k);
  if (k > end && VERSION_AFTERWORDS.has(next.toLowerCase())) return true;
  // "5.1.98 10:23": a time of day after the number makes it a date.
  if (k > end && isDigit(text.charCodeAt(k)) && /^\d{1,2}:\d\d/.test(text.slice(k, k + 5))) return true;
  const word = wordBefore(text, start).toLowerCase();
  if (OTHER_NUMBER_WORDS.has(word) || word.endsWith("version")) return true;
  const label = labelBefore(text, start);
  return label !== undefined && carriesNoStatus(label.toLowerCase());
}

/**
 * Whether a header field's name (lower case) is one that carries no status: a field's name of the mail headers
 * (hyphenated, or Date, Received, References) that does not speak of a status, a diagnostic, an error, a reason, a
 * reply or a result.
 */
function carriesNoStatus(name: string): boolean {
  if (name.indexOf("-") === -1 && name !== "date" && name !== "received" && name !== "references") return false;
  return !/status|diagnos|code|error|reason|repl|respon|result|fail|dsn|smtp/.test(name);
}

/** The word that ends where the text's quotes, colons, "=", brackets and spaces before `index` begin (at most 32 characters). */
function wordBefore(text: string, index: number): string {
  let k = index - 1;
  while (k >= 0 && index - k <= 8 && " \t:=([\"'.".indexOf(text[k]!) !== -1) k--;
  const wordEnd = k + 1;
  while (k >= 0 && wordEnd - k <= 32 && isWordChar(text.charCodeAt(k))) k--;
  return text.slice(k + 1, wordEnd);
}

/** The word at `index` (letters, digits, "-", "_"; at most 32 characters). */
function wordAt(text: string, index: number): string {
  let k = index;
  while (k < text.length && k - index < 32 && isWordChar(text.charCodeAt(k))) k++;
  return text.slice(index, k);
}

/**
 * The name of the "Name:" label a number is the value of: the nearest colon before it in the same clause (no
 * sentence's end, semicolon, bracket or quote between, at most 64 characters back), and the word before that colon.
 */
function labelBefore(text: string, index: number): string | undefined {
  for (let k = index - 1; k >= 0 && index - k <= 64; k--) {
    const c = text[k]!;
    if (c === ":") return wordBefore(text, k + 1) || undefined;
    if (
      c === ";" ||
      c === "\n" ||
      c === "(" ||
      c === ")" ||
      c === "[" ||
      c === "<" ||
      c === ">" ||
      c === "'" ||
      c === '"' ||
      c === "#"
    )
      return undefined;
    if ((c === "." || c === "!" || c === "?") && text[k + 1] === " ") return undefined;
  }
  return undefined;
}

/** A character of a word or a header field's name: a letter (any script), a digit, "-" or "_". */
function isWordChar(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 95 || c > 127;
}

/**
 * Whether the code at `index` stands in prose: after a word or an opening parenthesis, not where a code is stated
 * (a line's or a field's start, after a colon or semicolon, a reply code, or "#"; quotes between are passed over).
 */
export function isAside(text: string, index: number): boolean {
  let k = index - 1;
  for (; k >= 0; k--) {
    const c = text.charCodeAt(k);
    if (c !== 32 && c !== 9 && c !== 39 && c !== 34) break; // space, tab, quotes
  }
  if (k < 0) return false;
  const c = text.charCodeAt(k);
  if (c === 10 || c === 13) return false;
  // "0123456789:;#-[<>=": where a code is stated.
  return !(isDigit(c) || c === 58 || c === 59 || c === 35 || c === 45 || c === 91 || c === 60 || c === 62 || c === 61);
}

/** "550 5.1.1", "550-5.1.1", "550 #5.1.1": whether an enhanced code at `index` follows a reply code so. */
function pairedWithReply(text: string, index: number): boolean {
  let k = index - 1;
  if (text.charCodeAt(k) === 35 /* # */) k--;
  const c = text.charCodeAt(k);
  if (c !== 32 && c !== 45) return false;
  return k >= 3 && isReplyAt(text, k - 3, k) && (k === 3 || !isJoined(text.charCodeAt(k - 4)));
}

/** Where a reply code stands, or undefined when a three-digit number there is not read as one. */
function replyContext(
  text: string,
  lineStart: number,
  start: number,
  end: number,
  field: string,
): CodeContext | undefined {
  // Characters read by their codes (NaN past the text's end).
  const after = text.charCodeAt(end);
  const next = text.charCodeAt(end + 1);
  if (
    (after === 32 || after === 45) /* " " or "-" */ &&
    (isDigit(next) || next === 35) /* # */ &&
    isEnhancedAt(text, next === 35 ? end + 2 : end + 1, tokenEnd(text, next === 35 ? end + 2 : end + 1))
  )
    return "diagnostic";
  // What may follow a reply code: the text's end, white space, "-", ")" or a quote.
  if (
    end < text.length &&
    after !== 32 &&
    after !== 45 &&
    after !== 13 &&
    after !== 10 &&
    after !== 9 &&
    after !== 41 &&
    after !== 39 &&
    after !== 34
  )
    return undefined;
  if (field === DIAGNOSTIC_CODE) return "diagnostic";
  // What stands before the code on its line: nothing (or quoting: white space, ">", quotes, "("), or a colon or
  // semicolon.
  let k = start - 1;
  for (; k >= lineStart; k--) {
    const c = text.charCodeAt(k);
    if (c !== 32 && c !== 9 && c !== 62 && c !== 39 && c !== 34 && c !== 40) break;
  }
  if (k < lineStart) return "reply";
  const before = text.charCodeAt(k);
  return before === 58 || before === 59 ? "reply" : undefined;
}

/** The names of the fields a code's place depends on, as fieldAt gives them: one string each, compared as one. */
const STATUS = "status";
const DIAGNOSTIC_CODE = "diagnostic-code";
const STATUS_FIELD = `${STATUS}:`;
const DIAGNOSTIC_FIELD = `${DIAGNOSTIC_CODE}:`;

/**
 * The header field a line belongs to: its own name when it starts "Name:" (lower case), the field above when it
 * is a folded continuation (starts with white space), and none otherwise. Reads at most 40 characters.
 */
function fieldAt(text: string, start: number, previous: string): string {
  const first = text[start];
  if (first === " " || first === "\t") return previous;
  // The two fields that count, as a text in lower case starts them (a DSN line as classify reads it): known at once.
  if (first === "d" && text.startsWith(DIAGNOSTIC_FIELD, start)) return DIAGNOSTIC_CODE;
  if (first === "s" && text.startsWith(STATUS_FIELD, start)) return STATUS;
  let upper = false;
  for (let k = start; k < text.length && k - start <= 40; k++) {
    const c = text.charCodeAt(k);
    if (c === 58 /* : */) {
      if (k === start) return "";
      // The two names that count, read in place where the text is in lower case: no string is made for them.
      if (!upper) {
        if (k - start === DIAGNOSTIC_CODE.length && text.startsWith(DIAGNOSTIC_CODE, start)) return DIAGNOSTIC_CODE;
        if (k - start === STATUS.length && text.startsWith(STATUS, start)) return STATUS;
        return text.slice(start, k);
      }
      const name = text.slice(start, k).toLowerCase();
      return name === DIAGNOSTIC_CODE ? DIAGNOSTIC_CODE : name === STATUS ? STATUS : name;
    }
    if (c >= 65 && c <= 90) upper = true;
    else if (!((c >= 97 && c <= 122) || c === 45 || isDigit(c))) return "";
  }
  return "";
}

/** How strongly each place states a code: the lower, the stronger. */
export const CONTEXT_RANK: Readonly<Record<CodeContext, number>> = {
  "status-field": 0,
  diagnostic: 1,
  reply: 2,
  text: 3,
};

/**
 * The enhanced status code a text reports (of those `accept` takes, by default any). A DSN's Status: field (in the
 * text, or `given`) wins over the codes of the diagnostic text, unless it is vaguer than the most specific of them:
 * an "other or undefined" code (X.0.0, X.Y.0, X.0.Z), 4.4.7 (delivery time expired), 4.7.0, 5.3.x, or X.5.1, X.5.2,
 * X.5.4, X.5.5 (protocol errors, which a server reports for what is really a refused address), or 5.1.3 beside a
 * 5.7.x. Among the other codes, the first in the strongest place wins: paired with a reply code or in a
 * Diagnostic-Code field, then at a reply's place, then anywhere; and a specific code before a vague one.
 */
export function pickEnhancedCode<C extends string = string>(
  found: FoundCodes,
  accept: (code: string) => code is C = anyCode as (code: string) => code is C,
  given?: string,
): C | undefined {
  const pick = new EnhancedPick(accept, given);
  for (const f of found.enhancedCodes) pick.offer(f.code, 0, f.code.length, f.context);
  return pick.result();
}

/**
 * pickEnhancedCode's choice made as the codes come: the first accepted code of the Status field, and of the text the
 * strongest and the strongest specific one (the first of the best place). A code that could not win is neither read
 * out of the text nor tested.
 */
export class EnhancedPick<C extends string> {
  private readonly accept: (code: string) => code is C;
  private readonly own: boolean;
  private field: C | undefined;
  private any: C | undefined;
  private anyRank = NO_RANK;
  private specific: C | undefined;
  private specificRank = NO_RANK;
  /** The last code `accept` refused: a text repeats its codes, and one refused is not read out of it again. */
  private refused = "";

  constructor(accept: (code: string) => code is C, given?: string) {
    this.accept = accept;
    this.own = given !== undefined && isEnhancedToken(given) && accept(given);
    this.field = this.own ? (given as C) : undefined;
  }

  /** The code written in `text` from `start` to `end`, found in `context`. */
  offer(text: string, start: number, end: number, context: CodeContext): void {
    if (context === "status-field") {
      if (this.field !== undefined) return;
      const code = this.read(text, start, end);
      if (code !== undefined) this.field = code;
      return;
    }
    const rank = CONTEXT_RANK[context];
    const beatsAny = rank < this.anyRank;
    const beatsSpecific = rank < this.specificRank && !isVagueAt(text, start, end);
    if (!beatsAny && !beatsSpecific) return;
    const code = this.read(text, start, end);
    if (code === undefined) return;
    if (beatsAny) {
      this.any = code;
      this.anyRank = rank;
    }
    if (beatsSpecific) {
      this.specific = code;
      this.specificRank = rank;
    }
  }

  /** The code written from `start` to `end` if `accept` takes it. */
  private read(text: string, start: number, end: number): C | undefined {
    if (end - start === this.refused.length && text.startsWith(this.refused, start)) return undefined;
    const code = text.slice(start, end);
    if (this.accept(code)) return code;
    this.refused = code;
    return undefined;
  }

  /** The code the text reports (see pickEnhancedCode). */
  result(): C | undefined {
    const field = this.field;
    const text = this.specific ?? this.any;
    if (field === undefined) return text;
    if (text === undefined || text === field || isVague(text)) return field;
    const fieldYields =
      isVague(field) ||
      field.startsWith("4.4.7") ||
      field === "4.7.0" ||
      field.startsWith("5.3.") ||
      /^[245]\.5\.[1245]$/.test(field) ||
      (field === "5.1.3" && text.startsWith("5.7."));
    return fieldYields ? text : field;
  }
}

/** A rank no context has: anything beats it. */
const NO_RANK = 4;

/** An "other or undefined" code: X.0.0, or a subject or detail of 0 (X.1.0, X.0.1). */
function isVague(code: string): boolean {
  return isVagueAt(code, 0, code.length);
}

/** isVague for the code written in a text from `start` to `end`. */
function isVagueAt(text: string, start: number, end: number): boolean {
  const zero = (k: number) => text.charCodeAt(k) === 48;
  const dot = (k: number) => text.charCodeAt(k) === 46;
  return (
    (dot(start + 1) && zero(start + 2) && dot(start + 3)) || (end - start === 5 && dot(start + 3) && zero(start + 4))
  );
}

/** The SMTP reply code a text reports (of those `accept` takes): the first in the strongest place, as for pickEnhancedCode. */
export function pickReplyCode<C extends number = number>(
  found: FoundCodes,
  accept: (code: number) => code is C = anyCode as (code: number) => code is C,
): C | undefined {
  const pick = new ReplyPick(accept);
  for (const f of found.replyCodes) if (pick.wants(f.context)) pick.offer(f.code, f.context);
  return pick.result();
}

/** pickReplyCode's choice made as the codes come: ask `wants` before reading a code out of the text. */
export class ReplyPick<C extends number> {
  private readonly accept: (code: number) => code is C;
  private best: C | undefined;
  private bestRank = NO_RANK;

  constructor(accept: (code: number) => code is C) {
    this.accept = accept;
  }

  /** Whether a code found in `context` could win. */
  wants(context: CodeContext): boolean {
    return CONTEXT_RANK[context] < this.bestRank;
  }

  offer(code: number, context: CodeContext): void {
    if (this.wants(context) && this.accept(code)) {
      this.best = code;
      this.bestRank = CONTEXT_RANK[context];
    }
  }

  result(): C | undefined {
    return this.best;
  }
}

/** Reads the codes of a text into the picks given, in one scan. */
export function pickCodes(
  text: string,
  enhanced: EnhancedPick<string> | undefined,
  reply: ReplyPick<number> | undefined,
): void {
  scanCodes(text, {
    enhanced: (start, end, context) => enhanced?.offer(text, start, end, context),
    reply: (start, end, context) => {
      if (reply?.wants(context)) reply.offer(Number(text.slice(start, end)), context);
    },
  });
}

function anyCode(_code: Code): boolean {
  return true;
}

/** The run of digits and dots at `start` (at most 12 characters). */
export function readToken(text: string, start: number): string {
  return text.slice(start, tokenEnd(text, start));
}

/** Where readToken's run ends. */
function tokenEnd(text: string, start: number): number {
  let end = start;
  while (end < text.length && end - start < 12 && (isDigit(text.charCodeAt(end)) || text.charCodeAt(end) === 46)) end++;
  return end;
}
