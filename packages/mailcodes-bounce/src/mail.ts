// mail: a raw bounce as the readers need it — its headers, the human-readable report, the delivery-status and
// feedback-report parts, and the returned message's headers — decoded by postal-mime (transfer encodings,
// charsets such as ISO-2022-JP, encoded words). A mail whose MIME structure is broken (a declared boundary that
// never occurs) is read as its raw text instead, so the readers, which scan lines, still find what it says.
import PostalMime, { decodeWords } from "postal-mime";
import { MAX_MAIL_BYTES, MAX_MAIL_LINES } from "./limits.js";
import { cutAt, htmlToText, linesOf } from "./text.js";

export interface Mail {
  /** The top-level headers, by lower-case name, each value unfolded; a repeated header keeps every value in order. */
  readonly headers: ReadonlyMap<string, readonly string[]>;
  /** The first value of a header ("" when absent). */
  header(name: string): string;
  /** The Subject, encoded words decoded. */
  readonly subject: string;
  /** The From header as written (encoded words decoded). */
  readonly from: string;
  /** The human-readable report: the text parts before the returned message (HTML as text when there is no plain text), LF line ends. */
  readonly text: string;
  /** The delivery-status part(s) (RFC 3464), or "". */
  readonly dsn: string;
  /** The feedback-report part (RFC 5965), or "". */
  readonly feedback: string;
  /** The returned message's headers (and, where a mail quotes it inline, what follows them), or "". */
  readonly original: string;
  /** The first attached message (a message/rfc822 part) as raw bytes, or undefined: a bounce forwarded as an attachment. */
  attached(): Uint8Array | undefined;
}

/** Where a bounce quotes the message it returns, in the words MTAs introduce it with: the report ends there. */
export const ORIGINAL_MESSAGE_MARKERS: readonly string[] = [
  "------ This is a copy of the message",
  "----- This is a copy of the message",
  "--- Below this line is a copy of the message",
  "--- Below the next line is a copy of the message",
  "----- Original message -----",
  "--- Original message follows",
  "   ----- Original message follows -----",
  "Original message follows.",
  "----- Message header follows -----",
  "--- Below this line is a copy of the mail header",
  "----- The following is a copy of the message",
  "--- Mensaje original adjunto",
  "Message headers follow",
  "-----Original Message-----",
  "----- Original Message -----",
  "------- Original Message --------",
  "Included is a copy of the message header",
  "   ----- Unsent message follows -----",
  "  ----- No message was collected -----",
  "--- The header of the original message is following. ---",
  "    Below is a copy of the original message:",
  "Original mail as follows:",
];

const ORIGINAL_TYPES = ["message/rfc822", "message/global", "message/partial", "text/rfc822-headers", "text/rfc822-header", "message/rfc822-headers", "message/global-headers"];

/** Reads a raw mail. Never throws: what cannot be parsed is read as raw text. */
export async function readMail(input: string | Uint8Array | ArrayBuffer): Promise<Mail> {
  let bytes: Uint8Array;
  if (typeof input === "string") bytes = new TextEncoder().encode(input.length > MAX_MAIL_BYTES ? input.slice(0, MAX_MAIL_BYTES) : input);
  else if (input instanceof Uint8Array) bytes = input;
  else if (input instanceof ArrayBuffer) bytes = new Uint8Array(input);
  else bytes = new Uint8Array(0);
  if (bytes.length > MAX_MAIL_BYTES) bytes = bytes.subarray(0, MAX_MAIL_BYTES);
  const latin1 = latin1Of(bytes);
  const split = headerEnd(latin1);
  const headers = parseHeaders(latin1.slice(0, split.at));
  const header = (name: string) => headers.get(name)?.[0] ?? "";
  const subject = decodeHeader(header("subject"));
  const from = decodeHeader(header("from"));
  const contentType = header("content-type").toLowerCase();

  let text = "";
  let dsn = "";
  let feedback = "";
  let original = "";
  let raw = false;
  try {
    const trimmed = withoutReturnedBodies(latin1, bytes, split.body);
    original = trimmed.returned;
    const parsed = await PostalMime.parse(firstLines(trimmed.bytes, MAX_MAIL_LINES), { forceRfc822Attachments: true, attachmentEncoding: "arraybuffer" });
    const texts: string[] = [];
    if (parsed.text) texts.push(parsed.text);
    else if (parsed.html) texts.push(htmlToText(parsed.html));
    for (const a of parsed.attachments) {
      const type = a.mimeType.toLowerCase();
      const content = typeof a.content === "string" ? a.content : decodeUtf8(a.content);
      if (type === "message/delivery-status" || type === "message/global-delivery-status") dsn += (dsn ? "\n\n" : "") + content;
      else if (type === "message/feedback-report") feedback += (feedback ? "\n" : "") + content;
      else if (ORIGINAL_TYPES.includes(type) && content.trim() !== "") original += (original ? "\n" : "") + content;
      else if (type === "text/plain" && a.filename === null) texts.push(content);
      else if (type === "text/html" && !parsed.text) texts.push(htmlToText(content));
    }
    text = texts.join("\n");
    if (text === "" && dsn === "" && feedback === "" && contentType.startsWith("multipart/")) raw = true;
  } catch {
    raw = true;
  }
  if (raw) {
    // The declared structure is not there (or could not be read): the body as it stands.
    text = decodeUtf8(firstLines(bytes.subarray(Math.min(split.body, bytes.length)), MAX_MAIL_LINES));
  }
  text = text.indexOf("\r") === -1 ? text : text.replace(/\r\n?/g, "\n");
  // A bounce forwarded by a person ("Begin forwarded message:", then the bounce quoted with "> "): the bounce itself.
  if (text.indexOf("Begin forwarded message:") !== -1 || text.indexOf("\n> From: Mail Delivery") !== -1) text = unquote(text);
  // A report that quotes the returned message inline ends where it starts.
  const cut = cutAt(text, ORIGINAL_MESSAGE_MARKERS);
  if (cut.length < text.length) {
    original = original === "" ? text.slice(cut.length) : original;
    text = cut;
  }
  return {
    headers,
    header,
    subject,
    from,
    text,
    dsn: dsn.indexOf("\r") === -1 ? dsn : dsn.replace(/\r\n?/g, "\n"),
    feedback: feedback.indexOf("\r") === -1 ? feedback : feedback.replace(/\r\n?/g, "\n"),
    original: original.indexOf("\r") === -1 ? original : original.replace(/\r\n?/g, "\n"),
    attached: () => attachedMessage(latin1, bytes, split.body),
  };
}

/** The bytes up to the end of their `count`th line (all of them when they have no more). */
function firstLines(bytes: Uint8Array, count: number): Uint8Array {
  let at = -1;
  for (let n = 0; n < count; n++) {
    at = bytes.indexOf(10, at + 1);
    if (at === -1) return bytes;
  }
  return bytes.subarray(0, at + 1);
}

/**
 * The body of the first message/rfc822 part: from after the part's headers to the boundary of the part that holds it
 * (the last boundary line before the part's Content-Type), or to the end. One pass.
 */
function attachedMessage(latin1: string, bytes: Uint8Array, bodyStart: number): Uint8Array | undefined {
  const boundaries = boundariesOf(latin1);
  if (boundaries.length === 0) return undefined;
  let enclosing: string | undefined;
  let i = bodyStart;
  while (i < latin1.length) {
    const end = lineEnd(latin1, i);
    if (latin1[i] === "-" && latin1[i + 1] === "-") {
      const b = boundaries.find((x) => latin1.startsWith(x, i + 2));
      if (b !== undefined) enclosing = b;
    } else if ((latin1[i] === "C" || latin1[i] === "c") && enclosing !== undefined && isPartType(latin1, i, end, ["message/rfc822"])) {
      const start = afterBlankLine(latin1, nextLine(latin1, end));
      let k = start;
      while (k < latin1.length && !(latin1[k] === "-" && latin1[k + 1] === "-" && latin1.startsWith(enclosing, k + 2))) k = nextLine(latin1, k);
      return k > start ? bytes.subarray(start, k) : undefined;
    }
    i = nextLine(latin1, i);
  }
  return undefined;
}

/** The text with the "> " quoting of its lines removed. */
function unquote(text: string): string {
  return linesOf(text)
    .map((line) => (line.startsWith("> ") ? line.slice(2) : line.startsWith(">") ? line.slice(1) : line))
    .join("\n");
}

/** Byte for character: for finding headers, boundaries and part types without decoding. */
function latin1Of(bytes: Uint8Array): string {
  // windows-1252, as the web names latin1, also maps each byte to one character.
  if (latin1 !== undefined) return latin1.decode(bytes);
  let out = "";
  for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192) as unknown as number[]);
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

function decodeUtf8(content: ArrayBuffer | Uint8Array): string {
  return utf8.decode(content);
}

function decodeHeader(value: string): string {
  if (value.indexOf("=?") === -1) return value;
  try {
    return decodeWords(value);
  } catch {
    return value;
  }
}

/** Where the header block ends: `at` is the end of the last header line, `body` where the body starts. */
function headerEnd(text: string): { at: number; body: number } {
  const lf = text.indexOf("\n\n");
  const crlf = text.indexOf("\r\n\r\n");
  if (lf === -1 && crlf === -1) return { at: text.length, body: text.length };
  if (crlf !== -1 && (lf === -1 || crlf < lf)) return { at: crlf, body: crlf + 4 };
  return { at: lf, body: lf + 2 };
}

/** The header block as a map of lower-case names to unfolded values. */
export function parseHeaders(block: string): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  let name = "";
  let value = "";
  const flush = () => {
    if (name === "") return;
    const list = headers.get(name);
    const v = value.trim();
    if (list === undefined) headers.set(name, [v]);
    else list.push(v);
  };
  for (const line of linesOf(block)) {
    if ((line[0] === " " || line[0] === "\t") && name !== "") {
      value += " " + line.trim();
      continue;
    }
    const colon = line.indexOf(":");
    flush();
    if (colon <= 0 || colon > 80) {
      name = "";
      continue;
    }
    name = line.slice(0, colon).trim().toLowerCase();
    value = line.slice(colon + 1);
  }
  flush();
  return headers;
}

/**
 * The mail without the messages it returns (message/rfc822 and the like) and without HTML bodies that repeat a plain
 * text part: the returned messages say nothing of the bounce but their headers, which are kept apart (raw, as the
 * first such part gives them), and postal-mime decodes far less (on Node 20, every line it decodes costs a Blob
 * chunk). The mail is returned as it was when it has neither.
 */
function withoutReturnedBodies(latin1: string, bytes: Uint8Array, bodyStart: number): { bytes: Uint8Array; returned: string } {
  const boundaries = boundariesOf(latin1);
  if (boundaries.length === 0) return { bytes, returned: "" };
  const keep: Array<[number, number]> = [];
  let returned = "";
  // An HTML part that repeats a plain text one says nothing more: its body goes too (its headers stay).
  const plain = /^content-type:[ \t]*text\/plain/im.test(latin1.slice(bodyStart));
  let from = 0;
  let i = bodyStart;
  while (i < latin1.length) {
    const end = lineEnd(latin1, i);
    const first = latin1[i];
    const html = plain && (first === "C" || first === "c") && isPartType(latin1, i, end, HTML_TYPES);
    const original = !html && (first === "C" || first === "c") && isPartType(latin1, i, end, ORIGINAL_TYPES);
    if (html || original) {
      // The part's own headers stay; for a returned message, its header block is kept apart; the rest goes.
      const partHeadersEnd = afterBlankLine(latin1, nextLine(latin1, end));
      keep.push([from, partHeadersEnd]);
      let k = partHeadersEnd;
      if (original && returned === "") {
        const returnedEnd = afterBlankLine(latin1, partHeadersEnd);
        returned = decodeUtf8(bytes.subarray(partHeadersEnd, returnedEnd));
      }
      while (k < latin1.length && !isBoundaryLine(latin1, k, boundaries)) k = nextLine(latin1, k);
      from = k;
      i = k;
      continue;
    }
    i = nextLine(latin1, i);
  }
  if (keep.length === 0) return { bytes, returned };
  keep.push([from, latin1.length]);
  let total = 0;
  for (const [a, b] of keep) total += b - a;
  const out = new Uint8Array(total);
  let at = 0;
  for (const [a, b] of keep) {
    out.set(bytes.subarray(a, b), at);
    at += b - a;
  }
  return { bytes: out, returned };
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

const HTML_TYPES = ["text/html"];

function isPartType(text: string, start: number, end: number, types: readonly string[]): boolean {
  if (end - start < 18) return false;
  const head = text.slice(start, Math.min(end, start + 60)).toLowerCase();
  if (!head.startsWith("content-type:")) return false;
  const type = head.slice(13).trim();
  return types.some((t) => type.startsWith(t));
}

function isBoundaryLine(text: string, start: number, boundaries: readonly string[]): boolean {
  if (text[start] !== "-" || text[start + 1] !== "-") return false;
  for (const b of boundaries) if (text.startsWith(b, start + 2)) return true;
  return false;
}

/** Every boundary parameter the mail declares, in any part's headers. */
function boundariesOf(text: string): string[] {
  const found: string[] = [];
  const lower = text.toLowerCase();
  let from = 0;
  while (found.length < 64) {
    const at = lower.indexOf("boundary", from);
    if (at === -1) break;
    from = at + 8;
    let k = from;
    while (k < text.length && (text[k] === " " || text[k] === "\t")) k++;
    if (text[k] !== "=") continue;
    k++;
    while (k < text.length && (text[k] === " " || text[k] === "\t")) k++;
    let value: string;
    if (text[k] === "\"") {
      const close = text.indexOf("\"", k + 1);
      if (close === -1 || close - k > 200) continue;
      value = text.slice(k + 1, close);
    } else {
      let e = k;
      while (e < text.length && e - k < 200 && text[e] !== ";" && text[e] !== "\n" && text[e] !== "\r" && text[e] !== " " && text[e] !== "\t") e++;
      value = text.slice(k, e);
    }
    if (value.length > 0 && !found.includes(value)) found.push(value);
  }
  return found;
}
