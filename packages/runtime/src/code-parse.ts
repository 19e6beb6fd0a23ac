// code-parse: the code, and the row, that a text carries, read per the set's format. Apart from code-set so that only
// a parser brings the text readers (find-codes, the matcher and its folding) into a bundle.
import { isAlphanumeric, isDigit } from "./chars.js";
import { type CodeSetIndex, type EntryData, lookupAllIn, lookupIn, spelledIn } from "./code-set.js";
import { type Code, patternMatches } from "./codes.js";
import { EnhancedPick, pickCodes, ReplyPick } from "./find-codes.js";
import { MessageMatcher } from "./matcher.js";

/**
 * The code of the set that a text carries (see parse in the README), or `undefined`: a code in a row's range as the
 * text writes it ("5.7.512" for the row "5.7.500-699").
 */
export function parseIn<C extends Code>(set: CodeSetIndex<C, EntryData>, text: string): C | undefined {
  return read(set, text)?.code;
}

/**
 * The entry a text carries: the row of the code parse reads, told apart by its log text where the code is on several
 * rows.
 */
export function parseEntryIn<I extends EntryData>(set: CodeSetIndex<Code, I>, text: string): I | undefined {
  return read(set, text)?.entry;
}

/** The code a text carries and its row: see parseIn and parseEntryIn. */
function read<C extends Code, I extends EntryData>(
  set: CodeSetIndex<C, I>,
  text: string,
): { readonly code: C; readonly entry: I } | undefined {
  if (typeof text !== "string") return undefined;
  const code = findCode(set, text.trim());
  if (code !== undefined) {
    const rows = lookupAllIn(set, code);
    const entry = (rows.length > 1 ? rowByText(set, text, rows) : undefined) ?? rows[0];
    return entry === undefined ? undefined : { code, entry };
  }
  const entry = rowByText(set, text);
  return entry === undefined ? undefined : { code: entry.code as C, entry };
}

/** The set's code written in a text, per its format (codeFormat none has none but a name written alone). */
function findCode<C extends Code>(set: CodeSetIndex<C, EntryData>, trimmed: string): C | undefined {
  // A text that is one of the set's codes (a row's second code, a range as the set writes it) is that code.
  const whole = spelledIn(set, trimmed);
  if (whole !== undefined) return whole;
  switch (set.options.format) {
    case "smtp-reply":
      return parseReply(set, trimmed);
    case "enhanced-status":
    case "enhanced-subject-detail":
      return parseEnhanced(set, trimmed);
    case "pattern":
      return parsePattern(set, trimmed);
    case "integer":
      return parseInteger(set, trimmed);
    case "alphanumeric":
      return parseWord(set, trimmed);
    case "none":
      return undefined;
  }
}

/** Each set's matcher of its log texts, built on first use. */
const matchers = new WeakMap<CodeSetIndex<Code, EntryData>, MessageMatcher>();

/**
 * The row whose log text (the inLogs column) the text holds, the most specific: among `rows` (the rows of the code
 * read); or, no code read, among all, where in a set of codes no other row's text is as specific (a message the
 * document repeats under two codes tells neither).
 */
function rowByText<I extends EntryData>(set: CodeSetIndex<Code, I>, text: string, rows?: readonly I[]): I | undefined {
  const column = set.options.inLogs;
  if (column === undefined) return undefined;
  let messages = matchers.get(set);
  if (messages === undefined) {
    messages = new MessageMatcher(
      set.entries.map((entry) => entry.texts[column] ?? ""),
      set.options.placeholders,
    );
    matchers.set(set, messages);
  }
  const best = messages.bestMatches(text, rows && ((m) => rows.includes(set.entries[m]!)));
  if (rows === undefined && best.length > 1 && set.options.format !== "none") return undefined;
  return best.length === 0 ? undefined : set.entries[best[0]!];
}

/**
 * A code read from text as the set holds it: "X.1.1" read gives the set's "x.1.1", a row's second code gives itself,
 * and so does a code in a row's range ("5.7.512", not the row's "5.7.500-699").
 */
function codeOf<C extends Code>(set: CodeSetIndex<C, EntryData>, found: Code): C | undefined {
  return spelledIn(set, found) ?? (lookupIn(set, found) === undefined ? undefined : (found as C));
}

function parseReply<C extends Code>(set: CodeSetIndex<C, EntryData>, text: string): C | undefined {
  const pick = new ReplyPick(remembered((code: number) => codeOf(set, code) !== undefined));
  pickCodes(text, undefined, pick);
  const reply = pick.result() ?? (/^[0-9]{3}$/.test(text) ? Number(text) : undefined);
  return reply === undefined ? undefined : codeOf(set, reply);
}

function parseEnhanced<C extends Code>(set: CodeSetIndex<C, EntryData>, text: string): C | undefined {
  const own = (code: string) => (set.options.format === "enhanced-status" ? code : "X" + code.slice(1));
  const pick = new EnhancedPick(remembered((code: string) => codeOf(set, own(code)) !== undefined));
  pickCodes(text, pick, undefined);
  const enhanced = pick.result();
  return enhanced === undefined ? undefined : codeOf(set, own(enhanced));
}

function parsePattern<C extends Code>(set: CodeSetIndex<C, EntryData>, text: string): C | undefined {
  const covering = (code: Code) => set.entries.find((e) => typeof e.code === "string" && patternMatches(e.code, code));
  const covered = remembered((code: Code) => covering(code) !== undefined);
  const enhancedPick = new EnhancedPick(covered);
  const replyPick = new ReplyPick(covered);
  pickCodes(text, enhancedPick, replyPick);
  const enhanced = enhancedPick.result();
  const reply = replyPick.result() ?? (/^[0-9]{3}$/.test(text) ? Number(text) : undefined);
  const entry =
    (enhanced !== undefined ? covering(enhanced) : undefined) ?? (reply !== undefined ? covering(reply) : undefined);
  return entry?.code as C | undefined;
}

/**
 * A test of codes that remembers its answer for each code while one text is read: a text may repeat a code (or a few)
 * a hundred thousand times, and a set's test of one may cost a look through its rows.
 */
function remembered<T extends Code>(test: (code: T) => boolean): <K extends T>(code: T) => code is K {
  const answers = new Map<T, boolean>();
  return <K extends T>(code: T): code is K => {
    let answer = answers.get(code);
    if (answer === undefined) {
      answer = test(code);
      answers.set(code, answer);
    }
    return answer;
  };
}

/** A set's own number, written alone (or as "#42550"), since a number in running text can be anything. */
function parseInteger<C extends Code>(set: CodeSetIndex<C, EntryData>, text: string): C | undefined {
  const digits = text[0] === "#" ? text.slice(1) : text;
  if (!/^-?[0-9]{1,9}$/.test(digits)) return undefined;
  return codeOf(set, Number(digits));
}

/** The first word of the text that is a code of the set ("550 5.7.1 SC-001 …" gives "SC-001"; "XGEMAIL_0011"). */
function parseWord<C extends Code>(set: CodeSetIndex<C, EntryData>, text: string): C | undefined {
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const c = text.charCodeAt(i);
    const inWord =
      i < text.length &&
      (isDigit(c) ||
        (c >= 65 && c <= 90) ||
        (c >= 97 && c <= 122) ||
        ((c === 45 || c === 46 || c === 95) &&
          start !== -1 &&
          i + 1 < text.length &&
          isAlphanumeric(text.charCodeAt(i + 1))));
    if (inWord && start === -1) start = i;
    if (!inWord && start !== -1) {
      // A code in another case counts where it holds a digit ("sc-001"): "suppressed" in a sentence is a word, not
      // the code Suppressed.
      const word = text.slice(start, i);
      const code = codeOf(set, word);
      if (code !== undefined && (code === word || /[0-9]/.test(word))) return code;
      start = -1;
    }
  }
  return undefined;
}
