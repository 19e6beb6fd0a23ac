// text: the small string tools every reader uses. All of them are one pass over their input (no backtracking
// patterns), so a reader built from them is linear in the mail's length.
import { MAX_TEXT_CHARS } from "./limits.js";

/**
 * The runs of white space that squeezing changes: any but a single space (one that is, the greater part of a text's
 * white space, is left where it stands instead of being replaced by itself). Each alternative is a class and then a
 * repeated class, matched greedily: linear.
 */
const SPACES = /[\t\n\r\v\f\u00a0][ \t\n\r\v\f\u00a0]*| [ \t\n\r\v\f\u00a0]+/g;

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
