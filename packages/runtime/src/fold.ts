// fold: text folded for comparison. Most texts fold to their lower case, which the engine makes natively; the others
// are folded a character at a time into a reused buffer.
import { isDigit } from "./chars.js";
import { isEnhancedToken, isReplyToken } from "./codes.js";
import { readToken } from "./find-codes.js";

/**
 * Text folded for comparison: lower case; curly quotes as straight ones; every run of white space as one space
 * (none at all where a line break falls between two CJK characters, which a wrapped Japanese line does not have);
 * and the SMTP reply prefixes that start continuation lines ("550-5.1.1 ", "550 5.1.1 ", "550-") removed, so a
 * message wrapped over many reply lines reads as one.
 */
export function foldText(text: string): string {
  return foldLowered(text, text.toLowerCase());
}

/** foldText, given the text in lower case too. */
export function foldLowered(text: string, lower: string): string {
  // Most texts folded (a catalog's messages, thousands of them on the first classify; most bounces' lines and
  // diagnostics) are one line of printable ASCII with single spaces: they fold to their lower case, which the engine
  // makes natively, but for a reply code that starts them. The lower case is what is checked: plain ASCII lowers to
  // plain ASCII.
  if (!isPlain(lower)) return PER_CHARACTER.test(text) ? foldPass(text) : foldRuns(lower);
  return plainFolded(lower);
}

/**
 * What foldLowered gives for a lower case if it is plain (see isPlain), when all that is known is that its spaces are
 * single and none starts or ends it (undefined where they are not): a caller that meets every character of what this
 * returns checks that each is printable ASCII (the characters of the reply prefix it may drop are).
 */
export function foldIfPlain(lower: string): string | undefined {
  if (lower.length === 0 || lower.charCodeAt(0) === 32 || lower.charCodeAt(lower.length - 1) === 32) return undefined;
  return lower.indexOf("  ") === -1 ? plainFolded(lower) : undefined;
}

/** A plain lower case folded: itself, but for a reply prefix that starts it. */
function plainFolded(lower: string): string {
  const first = lower.charCodeAt(0);
  if (first < 50 || first > 53) return lower;
  const skip = replyPrefixLength(lower, 0);
  // What the prefix leaves starts with the space after "550-" or "550 " at most (spaces are single).
  return skip === 0 ? lower : lower.slice(lower.charCodeAt(skip) === 32 ? skip + 1 : skip);
}

/**
 * Where a text's lower case is not what lowering it a character at a time gives: a capital sigma (the whole text's
 * lower case makes a word's last one final) or a surrogate (an astral letter lowers only whole).
 */
const PER_CHARACTER = /[\u03a3\ud800-\udfff]/;

/**
 * The folding pass (see foldPass), done on the text's lower case a run at a time: the engine finds what folding changes
 * — white space that is not one space between two words, a line's start, a curly quote — and the runs between are
 * taken whole. One search and a slice a run: far quicker than a character at a time on a text of many lines.
 */
function foldRuns(lower: string): string {
  // The pieces, joined once at the end: a flat string, which the matcher reads quicker than one built by +=.
  const out: string[] = [];
  let last = -1; // the last character written
  let space = false; // a run of white space is pending
  let newline = false; // the pending run holds a line break
  let atLineStart = true;
  let pos = 0;
  const special = FOLDED;
  while (pos < lower.length) {
    special.lastIndex = pos;
    const end = special.test(lower) ? special.lastIndex - 1 : lower.length;
    if (end > pos) {
      // A run of characters that fold to themselves; a space may start it (after white space that ended a run).
      if (lower.charCodeAt(pos) === 32) {
        space = true;
        pos++;
        continue;
      }
      if (atLineStart) {
        atLineStart = false;
        const skip = replyPrefixLength(lower, pos);
        if (skip > 0) {
          pos += skip;
          space = true;
          continue;
        }
      }
      if (space && last !== -1 && !(newline && isCjk(last) && isCjk(lower.charCodeAt(pos)))) out.push(" ");
      out.push(lower.slice(pos, end));
      last = lower.charCodeAt(end - 1);
      space = false;
      newline = false;
      pos = end;
      continue;
    }
    const c = lower.charCodeAt(pos);
    pos++;
    if (c === 10 || c === 13) {
      space = true;
      newline = true;
      atLineStart = true;
    } else if (c === 32 || c === 9 || c === 0xa0 || c === 0x3000 || c === 12 || c === 11) {
      space = true;
    } else {
      // A curly quote: one character, folded to a straight one (a line's start, as any character, ends there).
      atLineStart = false;
      if (space && last !== -1) out.push(" ");
      out.push(c === 0x201c || c === 0x201d || c === 0x201e || c === 0x201f || c === 0x2033 ? '"' : "'");
      last = 39; // not CJK, as the quote either way
      space = false;
      newline = false;
    }
  }
  return out.join("");
}

/**
 * What foldRuns stops at: white space but a space between two characters that are none, and the curly quotes.
 * (One class or one space and a look at the next character: linear.)
 */
const FOLDED =
  /[\t\n\v\f\r\u00a0\u3000\u2018\u2019\u201a\u201b\u2032\u201c-\u201f\u2033]| (?=[ \t\n\v\f\r\u00a0\u3000]|$)/g;

/** The folding pass itself, a character at a time: what foldText gives for any text. */
export function foldPass(text: string): string {
  const length = foldInto(text);
  const out: string[] = [];
  for (let i = 0; i < length; i += 4096)
    out.push(String.fromCharCode.apply(null, folded.subarray(i, Math.min(length, i + 4096)) as unknown as number[]));
  return out.join("");
}

/** Whether a text is one line of printable ASCII words with single spaces between them. */
function isPlain(text: string): boolean {
  return (
    text.length > 0 && text.charCodeAt(0) !== 32 && text.charCodeAt(text.length - 1) !== 32 && !NOT_PLAIN.test(text)
  );
}

/** What plain text has not: a character that is no printable ASCII or space, or two spaces. */
const NOT_PLAIN = /[^ -~]| {2}/;

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

/**
 * The length of "550-5.1.1 ", "550 5.1.1 ", "550-" or "550 " at `start` (0 if there is none). A reply code before a
 * placeholder ("553 … does not exist", a phrase's) is the phrase's first word, not a prefix: folded away, it would
 * leave a phrase that any text holding its last words matches.
 */
function replyPrefixLength(text: string, start: number): number {
  if (!isReplyToken(text.slice(start, start + 3)) || isDigit(text.charCodeAt(start + 3))) return 0;
  const sep = text[start + 3];
  if (sep !== "-" && sep !== " ") return 0;
  if (text[start + 4] === "\u2026") return 0;
  const enhanced = readToken(text, start + 4);
  if (
    isEnhancedToken(enhanced) &&
    (text[start + 4 + enhanced.length] === " " || text[start + 4 + enhanced.length] === undefined)
  )
    return 4 + enhanced.length + 1;
  return 4;
}

function foldChar(char: string): string {
  switch (char) {
    case "\u2018":
    case "\u2019":
    case "\u201a":
    case "\u201b":
    case "\u2032":
      return "'";
    case "\u201c":
    case "\u201d":
    case "\u201e":
    case "\u201f":
    case "\u2033":
      return '"';
    default:
      return char.toLowerCase();
  }
}

function isCjk(c: number): boolean {
  return (c >= 0x3000 && c <= 0x9fff) || (c >= 0xff00 && c <= 0xffef) || (c >= 0xf900 && c <= 0xfaff);
}
