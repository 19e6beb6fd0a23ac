// mime: a mail's raw bytes read as lines of byte-for-byte characters, to find its header block and its MIME tree (each
// part's headers, type, transfer encoding and body) without decoding anything, and to write the tree again as
// postal-mime is to read it. Each function is one pass.
import { decodeBase64, encodeBase64 } from "./base64.js";
import { MAX_MAIL_LINES } from "./limits.js";

/** The part types that hold a returned message, or its headers. */
export const ORIGINAL_TYPES = [
  "message/rfc822",
  "message/global",
  "message/partial",
  "text/rfc822-headers",
  "text/rfc822-header",
  "message/rfc822-headers",
  "message/global-headers",
];

/** The bytes up to the end of their `count`th line (all of them when they have no more). */
export function firstLines(bytes: Uint8Array, count: number): Uint8Array {
  let at = -1;
  for (let n = 0; n < count; n++) {
    at = bytes.indexOf(10, at + 1);
    if (at === -1) return bytes;
  }
  return bytes.subarray(0, at + 1);
}

/** The body of the first message/rfc822 part inside the mail (depth first), or undefined: a bounce forwarded as an attachment. */
export function attachedMessage(root: Part, bytes: Uint8Array): Uint8Array | undefined {
  const find = (part: Part): Part | undefined => {
    for (const child of part.children) {
      const found =
        child.type === "message/rfc822" && child.bodyStart < Math.min(child.bodyEnd, bytes.length)
          ? child
          : find(child);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  const part = find(root);
  return part === undefined ? undefined : bytes.subarray(part.bodyStart, part.bodyEnd);
}

/** Byte for character: for finding headers, boundaries and part types without decoding. */
export function latin1Of(bytes: Uint8Array): string {
  // windows-1252, as the web names latin1, also maps each byte to one character.
  if (latin1 !== undefined) return latin1.decode(bytes);
  let out = "";
  for (let i = 0; i < bytes.length; i += 8192)
    out += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192) as unknown as number[]);
  return out;
}

const latin1 = ((): { decode(bytes: Uint8Array): string } | undefined => {
  try {
    return new TextDecoder("latin1");
  } catch {
    return undefined;
  }
})();

const utf8 = new TextDecoder("utf-8");

export function decodeUtf8(content: ArrayBuffer | Uint8Array): string {
  return utf8.decode(content);
}

const strict = new TextDecoder("utf-8", { fatal: true });

/** The bytes as UTF-8, or undefined when they are not UTF-8. */
export function strictUtf8(content: Uint8Array): string | undefined {
  try {
    return strict.decode(content);
  } catch {
    return undefined;
  }
}

/** Where the header block ends: `at` is the end of the last header line, `body` where the body starts. */
export function headerEnd(text: string): { at: number; body: number } {
  const lf = text.indexOf("\n\n");
  const crlf = text.indexOf("\r\n\r\n");
  if (lf === -1 && crlf === -1) return { at: text.length, body: text.length };
  if (crlf !== -1 && (lf === -1 || crlf < lf)) return { at: crlf, body: crlf + 4 };
  return { at: lf, body: lf + 2 };
}

/** How deep multiparts are read: a real bounce nests two or three; a deeper multipart is passed on without its parts. */
const MAX_DEPTH = 32;

/** One MIME part as the mail writes it (offsets into the byte-for-byte text). */
export interface Part {
  readonly headersStart: number;
  headersEnd: number;
  bodyStart: number;
  bodyEnd: number;
  /** The media type, lower case: "" when the part has no Content-Type, or one written so that it cannot be read for sure. */
  type: string;
  /** Where the first Content-Type header lies, continuation lines included (-1 when there is none). */
  contentTypeAt: [number, number] | undefined;
  /** Where the Content-Type and Content-Transfer-Encoding headers lie: what postal-mime is given instead is written anew. */
  readonly contentHeaders: Array<[number, number]>;
  /** How postal-mime would decode the body: its first Content-Transfer-Encoding's token. */
  encoding: "base64" | "quoted-printable" | "";
  boundary: string | undefined;
  readonly children: Part[];
  readonly depth: number;
}

/**
 * The mail as postal-mime is given it: its MIME tree written again, each multipart with a boundary of its own that
 * occurs nowhere in the mail, each Content-Type and Content-Transfer-Encoding written once, as this module read it, so
 * that postal-mime reads the parts read here and no others; every base64 body written plainly (see base64.ts); no
 * preambles and epilogues; the bodies of returned messages (message/rfc822 and the like) and of HTML parts that repeat
 * a plain text part left out. The returned messages say nothing of the bounce but their headers, which are kept apart
 * (see returnedHeaders). One pass to read, one to write.
 */
export function forParser(latin1: string, bytes: Uint8Array, root: Part): { bytes: Uint8Array; returned: string } {
  const out: Uint8Array[] = [];
  let size = 0;
  const put = (piece: Uint8Array) => {
    out.push(piece);
    size += piece.length;
  };
  const ascii = (text: string) => put(asciiBytes(text));
  // An HTML part that repeats a plain text one says nothing more: its body goes too (its headers stay).
  let plain: boolean | undefined;
  const hasPlain = () => (plain ??= /^content-type:[ \t]*text\/plain/im.test(latin1.slice(root.bodyStart)));
  const stem = freshBoundaryStem(latin1);
  let multiparts = 0;
  const write = (part: Part) => {
    let from = part.headersStart;
    for (const [start, end] of part.contentHeaders) {
      put(bytes.subarray(from, start));
      if (part.type !== "" && !part.type.startsWith("multipart/") && part.contentTypeAt?.[0] === start)
        put(bytes.subarray(start, end));
      from = end;
    }
    put(bytes.subarray(from, part.headersEnd));
    if (part.contentTypeAt !== undefined && part.type === "") ascii("Content-Type: application/octet-stream\n");
    if (part.type.startsWith("multipart/")) {
      const boundary = part.boundary === undefined ? undefined : `${stem}.${multiparts++}`;
      ascii(`Content-Type: ${part.type}${boundary === undefined ? "" : `; boundary="${boundary}"`}\n\n`);
      if (boundary === undefined) return;
      for (const child of part.children) {
        ascii(`--${boundary}\n`);
        write(child);
      }
      ascii(`--${boundary}--\n`);
      return;
    }
    const inner = part !== root;
    if (inner && ORIGINAL_TYPES.includes(part.type)) {
      ascii("\n");
      return;
    }
    if (inner && part.type === "text/html" && hasPlain()) {
      ascii("\n");
      return;
    }
    if (part.encoding !== "") ascii(`Content-Transfer-Encoding: ${part.encoding}\n`);
    ascii("\n");
    const body = bytes.subarray(part.bodyStart, part.bodyEnd);
    if (part.encoding === "base64") put(encodeBase64(decodeBase64(body)));
    else {
      put(body);
      if (body.length > 0 && body[body.length - 1] !== 10) ascii("\n");
    }
  };
  write(root);
  const joined = new Uint8Array(size);
  let at = 0;
  for (const piece of out) {
    joined.set(piece, at);
    at += piece.length;
  }
  return { bytes: joined, returned: returnedHeaders(latin1, bytes, root) };
}

/**
 * The returned message's headers, raw, as the first part that holds a returned message (or its headers) gives them:
 * its text up to its first blank line. "" when no part inside the mail holds one.
 */
export function returnedHeaders(latin1: string, bytes: Uint8Array, root: Part): string {
  const find = (part: Part): Part | undefined => {
    if (part.type.startsWith("multipart/")) {
      if (part.boundary === undefined) return undefined;
      for (const child of part.children) {
        const found = find(child);
        if (found !== undefined) return found;
      }
      return undefined;
    }
    return part !== root && ORIGINAL_TYPES.includes(part.type) ? part : undefined;
  };
  const part = find(root);
  return part === undefined
    ? ""
    : decodeUtf8(bytes.subarray(part.bodyStart, Math.min(afterBlankLine(latin1, part.bodyStart), part.bodyEnd)));
}

/**
 * Whether the mail written again by forParser has at most `count` lines, told without writing it: its own lines, and
 * for each part the most forParser adds (a boundary, a type and an encoding written anew, a line's end), its base64
 * written in lines of 76.
 */
export function rewrittenWithin(bytes: Uint8Array, root: Part, count: number): boolean {
  let most = 0;
  const add = (part: Part) => {
    most += 6;
    if (part.encoding === "base64") most += Math.ceil((Math.min(part.bodyEnd, bytes.length) - part.bodyStart) / 76) + 2;
    for (const child of part.children) add(child);
  };
  add(root);
  for (let at = bytes.indexOf(10); at !== -1 && most <= count; at = bytes.indexOf(10, at + 1)) most++;
  return most + 1 <= count;
}

/**
 * The mail's MIME tree, by the boundaries its multiparts declare (a boundary line closes the parts inside the multipart
 * that declared it, as postal-mime reads them). At most MAX_MAIL_LINES parts (each costs a line). One pass.
 */
export function partsOf(text: string): Part {
  const root = newPart(0, 0);
  const open: Part[] = []; // the multiparts whose boundaries are live, outermost first
  let current = root;
  let inHeaders = true;
  let parts = 1;
  let i = 0;
  while (i < text.length) {
    if (!inHeaders && !(text.charCodeAt(i) === 45 && text.charCodeAt(i + 1) === 45)) {
      // In a body only a boundary line can change anything: the next line that starts with "--", if any boundary is live.
      const dashes = open.length === 0 ? -1 : text.indexOf("\n--", i);
      if (dashes === -1) break;
      i = dashes + 1;
    }
    const end = lineEnd(text, i);
    const next = end === text.length ? end : end + 1;
    let content = end;
    while (content > i && text.charCodeAt(content - 1) === 13) content--;
    const level =
      open.length > 0 && text.charCodeAt(i) === 45 && text.charCodeAt(i + 1) === 45
        ? boundaryLevel(text, i + 2, content, open)
        : undefined;
    if (level !== undefined) {
      if (inHeaders) readHeaders(text, current, i, i);
      current.bodyEnd = i;
      const multipart = open[level.index]!;
      open.length = level.index + 1;
      if (level.closes || parts >= MAX_MAIL_LINES) {
        // What follows the closing line is the multipart's epilogue, read by nobody.
        open.length = level.index;
        current = multipart;
        inHeaders = false;
      } else {
        current = newPart(next, multipart.depth + 1);
        multipart.children.push(current);
        parts++;
        inHeaders = true;
      }
    } else if (inHeaders && content === i) {
      readHeaders(text, current, i, next);
      inHeaders = false;
      if (current.boundary !== undefined) open.push(current);
    }
    i = next;
  }
  if (inHeaders) readHeaders(text, current, text.length, text.length);
  return root;
}

function newPart(headersStart: number, depth: number): Part {
  return {
    headersStart,
    headersEnd: headersStart,
    bodyStart: headersStart,
    bodyEnd: Number.MAX_SAFE_INTEGER,
    type: "",
    contentTypeAt: undefined,
    contentHeaders: [],
    encoding: "",
    boundary: undefined,
    children: [],
    depth,
  };
}

/** The multipart (innermost first) whose boundary the line after "--" is, and whether it is the closing one. */
function boundaryLevel(
  text: string,
  from: number,
  to: number,
  open: readonly Part[],
): { index: number; closes: boolean } | undefined {
  for (let index = open.length - 1; index >= 0; index--) {
    const boundary = open[index]!.boundary!;
    if (to - from < boundary.length || !text.startsWith(boundary, from)) continue;
    let k = from + boundary.length;
    const closes = text.charCodeAt(k) === 45 && text.charCodeAt(k + 1) === 45 && k + 2 <= to;
    if (closes) k += 2;
    while (k < to && (text[k] === " " || text[k] === "\t")) k++;
    if (k === to) return { index, closes };
  }
  return undefined;
}

/** Sets where the part's header block ends and its body starts, and what its Content-Type and Content-Transfer-Encoding say. */
function readHeaders(text: string, part: Part, headersEnd: number, bodyStart: number): void {
  part.headersEnd = headersEnd;
  part.bodyStart = bodyStart;
  let contentType: string | undefined;
  let encoding: string | undefined;
  let i = part.headersStart;
  while (i < headersEnd) {
    let end = nextLine(text, i);
    while (end < headersEnd && (text[end] === " " || text[end] === "\t")) end = nextLine(text, end);
    const head = text.slice(i, Math.min(i + 27, end)).toLowerCase();
    const isType = head.startsWith("content-type:");
    if (isType || head.startsWith("content-transfer-encoding:")) {
      part.contentHeaders.push([i, end]);
      // Only the first of each counts, as postal-mime reads them.
      const value = () =>
        text
          .slice(text.indexOf(":", i) + 1, end)
          .replace(/[\r\n]+[ \t]/g, " ")
          .trim();
      if (isType && contentType === undefined) {
        contentType = value();
        part.contentTypeAt = [i, end];
      } else if (!isType && encoding === undefined) encoding = value();
    }
    i = end;
  }
  if (contentType !== undefined) {
    // A type written plainly (what postal-mime reads the same way); one that opens with a comment or a quote is not.
    const type =
      /^([a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+)(?![\w!#$&^.+/-])/i.exec(contentType)?.[1]?.toLowerCase() ?? "";
    part.type = type;
    if (type.startsWith("multipart/") && part.depth < MAX_DEPTH) part.boundary = boundaryParameter(contentType);
  }
  if (encoding !== undefined) {
    // postal-mime's reading: the first token once comments are taken out.
    const token = /[\w-]+/.exec(encoding.replace(/\([^)]*\)/g, "").toLowerCase())?.[0] ?? "";
    part.encoding = token.includes("base64") ? "base64" : token.includes("quoted-printable") ? "quoted-printable" : "";
  }
}

/** A Content-Type's boundary parameter (quoted or not), or undefined. */
function boundaryParameter(contentType: string): string | undefined {
  const match = /;[ \t]*boundary[ \t]*=[ \t]*(?:"([^"]{1,200})"|([^;\s"]{1,200}))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

/** A boundary stem that occurs nowhere in the text: "=_mailcodes_" and the least number no occurrence of the stem is followed by. */
function freshBoundaryStem(text: string): string {
  const stem = "=_mailcodes_";
  const taken = new Set<number>();
  for (let at = text.indexOf(stem); at !== -1; at = text.indexOf(stem, at + 1)) {
    let k = at + stem.length;
    while (k < text.length && k - at < stem.length + 8 && text.charCodeAt(k) >= 48 && text.charCodeAt(k) <= 57) k++;
    taken.add(Number(text.slice(at + stem.length, k) || "-1"));
  }
  let n = 0;
  while (taken.has(n)) n++;
  return `${stem}${n}_`;
}

function asciiBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

function lineEnd(text: string, start: number): number {
  const nl = text.indexOf("\n", start);
  return nl === -1 ? text.length : nl;
}

function nextLine(text: string, start: number): number {
  const nl = text.indexOf("\n", start);
  return nl === -1 ? text.length : nl + 1;
}

/** The start of the line after the first blank line from the line at `start` (the text's end when there is none). */
function afterBlankLine(text: string, start: number): number {
  let i = start;
  while (i < text.length) {
    const next = nextLine(text, i);
    if (text.slice(i, next).trim() === "") return next;
    i = next;
  }
  return text.length;
}
