// text: the small string tools every reader uses. All of them are one pass over their input (no backtracking
// patterns), so a reader built from them is linear in the mail's length.
import { MAX_TEXT_CHARS } from "./limits.js";

const SPACES = /[ \t\n\r\v\f\u00a0]+/g;

/**
 * Every run of white space as one space, trimmed, and at most MAX_TEXT_CHARS characters of it, all that is classified.
 * The text is cut before it is squeezed, a window at a time, so a long text costs what its start does, and leaves no
 * garbage the size of the text. (One quantifier over one class of characters: linear.)
 */
export function squeeze(text: string): string {
  if (text.length <= MAX_TEXT_CHARS) return text.replace(SPACES, " ").trim();
  let out = "";
  for (let at = 0; at < text.length && out.length <= MAX_TEXT_CHARS; at += MAX_TEXT_CHARS) {
    out += text.slice(at, at + MAX_TEXT_CHARS).replace(SPACES, " ");
  }
  // A run of white space across two windows is two spaces until squeezed once more.
  return out.replace(SPACES, " ").trim().slice(0, MAX_TEXT_CHARS).trimEnd();
}

/** The text's lines, line breaks (LF, CRLF or CR) removed. */
export function linesOf(text: string): string[] {
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.endsWith("\r")) lines[i] = line.slice(0, -1);
  }
  return lines;
}

/** Whether the text contains any of the fragments (case-sensitive). */
export function hasAny(text: string, fragments: readonly string[]): boolean {
  for (const f of fragments) if (text.indexOf(f) !== -1) return true;
  return false;
}

/** The text up to the first of the markers (the whole text when none occurs). */
export function cutAt(text: string, markers: readonly string[]): string {
  let end = text.length;
  for (const m of markers) {
    const at = text.indexOf(m);
    if (at !== -1 && at < end) end = at;
  }
  return text.slice(0, end);
}

function isLocalChar(c: number): boolean {
  // RFC 5322 atext and the dot, the characters a local part is written with in bounces.
  return (
    (c >= 48 && c <= 57) ||
    (c >= 65 && c <= 90) ||
    (c >= 97 && c <= 122) ||
    c === 46 ||
    c === 45 ||
    c === 95 ||
    c === 43 ||
    c === 61 ||
    c === 33 ||
    c === 35 ||
    c === 36 ||
    c === 37 ||
    c === 38 ||
    c === 39 ||
    c === 42 ||
    c === 47 ||
    c === 63 ||
    c === 94 ||
    c === 96 ||
    c === 123 ||
    c === 124 ||
    c === 125 ||
    c === 126
  );
}

function isDomainChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 46 || c === 45 || c === 95;
}

export interface FoundAddress {
  readonly address: string;
  readonly start: number;
  readonly end: number;
}

/**
 * Every email address in the text, in order (local@domain with a dot in the domain), lower case. Each "@" is read
 * once to each side, and a scan resumes after the address it found, so the pass is linear.
 */
export function findAddresses(text: string, limit = Infinity): FoundAddress[] {
  const found: FoundAddress[] = [];
  let from = 0;
  let floor = 0; // no address may start before the end of the previous one
  while (found.length < limit) {
    const at = text.indexOf("@", from);
    if (at === -1) break;
    let start = at;
    while (start > floor && at - start < 256 && isLocalChar(text.charCodeAt(start - 1))) start--;
    while (start < at && text.charCodeAt(start) === 46) start++;
    let end = at + 1;
    while (end < text.length && end - at < 256 && isDomainChar(text.charCodeAt(end))) end++;
    while (end > at + 1 && (text.charCodeAt(end - 1) === 46 || text.charCodeAt(end - 1) === 45)) end--;
    const domain = text.slice(at + 1, end);
    if (start < at && domain.indexOf(".") > 0 && domain.indexOf("..") === -1) {
      found.push({ address: text.slice(start, end).toLowerCase(), start, end });
      floor = end;
      from = end;
    } else {
      from = at + 1;
      floor = Math.max(floor, at + 1);
    }
  }
  return found;
}

/** The first email address in the text, lower case, or undefined. */
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

const ENTITIES: Readonly<Record<string, string>> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
  "#39": "'",
};

/**
 * An HTML part as plain text: tags dropped (block ends as line breaks), script and style bodies dropped, the common
 * entities and numeric references decoded. One pass.
 */
export function htmlToText(html: string): string {
  let out = "";
  let i = 0;
  const lower = html.toLowerCase();
  while (i < html.length) {
    const c = html[i]!;
    if (c === "<") {
      const close = html.indexOf(">", i + 1);
      if (close === -1) break;
      const tag = lower.slice(i + 1, Math.min(close, i + 12));
      if (tag.startsWith("script") || tag.startsWith("style")) {
        const name = tag.startsWith("script") ? "</script" : "</style";
        const end = lower.indexOf(name, close);
        i = end === -1 ? html.length : end;
        continue;
      }
      if (/^\/?(br|p|div|tr|li|h[1-6]|table|td|blockquote)\b/.test(tag)) out += tag.startsWith("td") ? " " : "\n";
      i = close + 1;
      continue;
    }
    if (c === "&") {
      const semi = html.indexOf(";", i + 1);
      if (semi !== -1 && semi - i <= 8) {
        const name = lower.slice(i + 1, semi);
        let decoded = ENTITIES[name];
        if (decoded === undefined && name[0] === "#") {
          const n = name[1] === "x" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
          if (Number.isInteger(n) && n > 0 && n < 0x110000) decoded = String.fromCodePoint(n);
        }
        if (decoded !== undefined) {
          out += decoded;
          i = semi + 1;
          continue;
        }
      }
    }
    out += c;
    i++;
  }
  return out;
}
