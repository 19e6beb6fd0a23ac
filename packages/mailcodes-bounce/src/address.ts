// address: email addresses read as RFC 5322 writes them — a dot-atom or a quoted local part, "@", a domain with a dot —
// with RFC 6531/6532's UTF-8 in the local part and the domain, in a report's prose or in a header field's address list
// (display names, comments, angle brackets, groups). An address is read whole or not at all: never the end of a longer
// local part (josé@… is not é's tail), never an address inside a quoted local part ("<a@b.example>"@c.example is c's).
// Each pass is linear: quotes are paired once, and each "@" is read once to each side.
import { decodeWords } from "postal-mime";

/** The longest local part and domain read (RFC 5321 allows 64 and 255 octets): a longer run is no address at all. */
const MAX_LOCAL = 256;
const MAX_DOMAIN = 255;

const QUOTE = 34;
const AT = 64;
const BACKSLASH = 92;
const APOSTROPHE = 39;

function asciiTable(characters: string): Uint8Array {
  const table = new Uint8Array(128);
  for (const c of characters) table[c.charCodeAt(0)] = 1;
  return table;
}
const LETTERS_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/** RFC 5322's atext, and the dot. */
const LOCAL = asciiTable(`${LETTERS_DIGITS}!#$%&'*+/=?^_\`{|}~.-`);
/** Letters, digits, the hyphen and the dot (and the underscore some hosts are named with). */
const DOMAIN = asciiTable(`${LETTERS_DIGITS}.-_`);

/** RFC 6532: a local part may hold any character that is not ASCII, so none of them ends one. */
const isLocal = (c: number) => c >= 128 || LOCAL[c] === 1;
/** A domain's labels are letters, marks and digits (RFC 5890's U-labels), besides ASCII's. */
const isDomain = (text: string, i: number) => {
  const c = text.charCodeAt(i);
  return c < 128 ? DOMAIN[c] === 1 : /^[\p{L}\p{M}\p{N}]/u.test(text.slice(i, i + 2));
};
/** What may follow a domain: any ASCII character that is not the domain's, white space or punctuation. */
const endsDomain = (text: string, i: number) => {
  const c = text.charCodeAt(i);
  return i >= text.length || (c < 128 ? DOMAIN[c] !== 1 : /^[\p{P}\p{Z}]/u.test(text.slice(i, i + 2)));
};

export interface FoundAddress {
  /** The address as written, lower case. */
  readonly address: string;
  readonly start: number;
  readonly end: number;
}

/** A stretch of text inside quotes: a quoted local part (its "@" at `end`), or one no address is read in. */
interface Quoted {
  readonly start: number;
  readonly end: number;
  readonly local: boolean;
}

/**
 * The text's quoted local parts, paired on each line ('"', then the next '"' not escaped by a backslash): a pair
 * followed by "@" is a local part, any other pair is prose in quotes. A quote left open to the line's end, or a '"@'
 * whose opening quote is not in the text, means a local part cut short: no address is read there.
 */
function quotedParts(text: string): Quoted[] {
  const parts: Quoted[] = [];
  let lineStart = 0;
  let lineEnd = -1;
  let q = text.indexOf('"');
  while (q !== -1) {
    if (q > lineEnd) {
      lineStart = text.lastIndexOf("\n", q) + 1;
      lineEnd = text.indexOf("\n", q);
      if (lineEnd === -1) lineEnd = text.length;
    }
    const floor = Math.max(lineStart, parts[parts.length - 1]?.end ?? 0);
    if (text.charCodeAt(q + 1) === AT) {
      parts.push({ start: floor, end: q + 1, local: false });
      q = text.indexOf('"', q + 1);
      continue;
    }
    let close = -1;
    for (let k = q + 1; k < lineEnd; k += text.charCodeAt(k) === BACKSLASH ? 2 : 1) {
      if (text.charCodeAt(k) === QUOTE) {
        close = k;
        break;
      }
    }
    if (close === -1) {
      parts.push({ start: q, end: lineEnd, local: false });
      q = text.indexOf('"', lineEnd);
      continue;
    }
    if (text.charCodeAt(close + 1) === AT) parts.push({ start: q, end: close + 1, local: true });
    q = text.indexOf('"', close + 1);
  }
  return parts;
}

/**
 * The addresses in a text (a report's lines, a diagnostic), in order, lower case: those that lie wholly between `from`
 * and `to`, read in the whole text, so that a local part in quotes is read whole even when it holds the character a
 * reader cuts its line at.
 */
export function findAddresses(text: string, limit = Infinity, from = 0, to = text.length): FoundAddress[] {
  const found: FoundAddress[] = [];
  const quoted = text.indexOf('"') === -1 ? [] : quotedParts(text);
  let next = 0; // the first quoted part that does not end before the "@" being read
  let floor = from; // no address starts before the end of the previous one
  let search = from;
  while (found.length < limit) {
    const at = text.indexOf("@", search);
    if (at === -1 || at >= to) break;
    search = at + 1;
    while (next < quoted.length && quoted[next]!.end < at) next++;
    const part = quoted[next];
    let start: number;
    if (part !== undefined && part.start < at && at < part.end) continue; // inside quotes
    if (part?.local && part.end === at) {
      start = part.start;
      if (start < floor || (start > 0 && isLocal(text.charCodeAt(start - 1)))) continue;
    } else {
      start = at;
      while (start > floor && at - start <= MAX_LOCAL && isLocal(text.charCodeAt(start - 1))) start--;
      // A local part that runs on past the end of the address before it, or past the longest, is not read at all
      // (where the reader says an address starts, it starts).
      if (start > 0 && start !== from && isLocal(text.charCodeAt(start - 1))) {
        floor = Math.max(floor, at + 1);
        continue;
      }
      while (start < at && text.charCodeAt(start) === 46) start++;
      if (start === at) continue;
    }
    let end = at + 1;
    while (end < text.length && end - at <= MAX_DOMAIN && isDomain(text, end))
      end += text.codePointAt(end)! > 0xffff ? 2 : 1;
    if (!endsDomain(text, end)) continue;
    while (end > at + 1 && (text.charCodeAt(end - 1) === 46 || text.charCodeAt(end - 1) === 45)) end--;
    const domain = text.slice(at + 1, end);
    if (domain.indexOf(".") <= 0 || domain.indexOf("..") !== -1 || end > to) continue;
    // An address in single quotes ('a@b' in prose, as Exchange writes it): the quotes are the prose's.
    if (text.charCodeAt(start) === APOSTROPHE && text.charCodeAt(end) === APOSTROPHE && start + 1 < at) start++;
    found.push({ address: text.slice(start, end).toLowerCase(), start, end });
    floor = end;
    search = end;
  }
  return found;
}

/** The first address in a text, lower case, or undefined. */
export function firstAddress(text: string): string | undefined {
  return findAddresses(text, 1)[0]?.address;
}

/** The address the whole text is (trimmed, angle brackets and a trailing colon or dot allowed), lower case, or undefined. */
export function addressAlone(text: string): string | undefined {
  let t = text.trim();
  if (t.endsWith(":") || t.endsWith(".")) t = t.slice(0, -1);
  if (t.startsWith("<") && t.endsWith(">")) t = t.slice(1, -1);
  const found = findAddresses(t, 2);
  return found.length === 1 && found[0]!.start === 0 && found[0]!.end === t.length ? found[0]!.address : undefined;
}

/**
 * The addresses of a header field's value, an address list (RFC 5322): each mailbox's address in angle brackets, or
 * its addr-spec; display names and comments are never read for one ('"a@b.example" <c@d.example>' is c's). A mailbox
 * written as encoded words alone (no "@" outside them) is read decoded, when it decodes to one address.
 */
export function fieldAddresses(value: string, limit = Infinity): string[] {
  const out: string[] = [];
  let spec = ""; // the mailbox as read so far, display names and comments left out
  let angle: string | undefined; // what its angle brackets hold
  let inAngle = false;
  const flush = () => {
    const text = angle ?? spec;
    const address = firstAddress(text) ?? (text.indexOf("=?") === -1 ? undefined : decodedAlone(text));
    if (address !== undefined && out.length < limit) out.push(address);
    spec = "";
    angle = undefined;
  };
  let i = 0;
  while (i < value.length && out.length < limit) {
    // The characters up to the next that may mean something are taken at once.
    let next = i;
    while (next < value.length && !MEANS_SOMETHING.has(value.charCodeAt(next))) next++;
    if (next > i) {
      if (inAngle) angle += value.slice(i, next);
      else spec += value.slice(i, next);
      i = next;
      continue;
    }
    const c = value[i]!;
    let piece = c;
    if (c === "(") {
      // A comment (they nest, and a backslash escapes): read as a space.
      let depth = 0;
      do {
        const d = value[i];
        if (d === "\\") i++;
        else if (d === "(") depth++;
        else if (d === ")") depth--;
        i++;
      } while (i < value.length && depth > 0);
      piece = " ";
    } else if (c === '"') {
      // A quoted string is a local part when "@" follows it, else a word of a display name.
      let close = i + 1;
      while (close < value.length && value[close] !== '"') close += value[close] === "\\" ? 2 : 1;
      piece = value[close + 1] === "@" ? value.slice(i, close + 1) : " ";
      i = close + 1;
    } else {
      i++;
      if (c === "<" && !inAngle) {
        inAngle = true;
        angle = "";
        continue;
      }
      if (c === ">" && inAngle) {
        inAngle = false;
        continue;
      }
      if (!inAngle && (c === "," || c === ";")) {
        flush();
        continue;
      }
      if (!inAngle && c === ":") {
        spec = ""; // a group's name
        continue;
      }
    }
    if (inAngle) angle += piece;
    else spec += piece;
  }
  flush();
  return out;
}

/** What fieldAddresses reads for more than itself: ( " < > , ; : (each may also be read as itself where it is). */
const MEANS_SOMETHING = new Set([40, 34, 60, 62, 44, 59, 58]);

/** The one address a mailbox written as encoded words decodes to, or undefined. */
function decodedAlone(text: string): string | undefined {
  try {
    return addressAlone(decodeWords(text));
  } catch {
    return undefined;
  }
}
