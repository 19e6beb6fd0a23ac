// mail: a raw bounce as the readers need it — its headers, the human-readable report, the delivery-status and
// feedback-report parts, and the returned message's headers — decoded by postal-mime (transfer encodings,
// charsets such as ISO-2022-JP, encoded words), or, for the plainest mails, by plain-mime as postal-mime would. A mail
// whose MIME structure is broken (a declared boundary that never occurs) is read as its raw text instead, so the
// readers, which scan lines, still find what it says.
import PostalMime, { decodeWords } from "postal-mime";
import { MAX_MAIL_BYTES, MAX_MAIL_LINES } from "./limits.js";
import {
  attachedMessage,
  decodeUtf8,
  firstLines,
  forParser,
  headerEnd,
  latin1Of,
  ORIGINAL_TYPES,
  partsOf,
  returnedHeaders,
  rewrittenWithin,
  strictUtf8,
} from "./mime.js";
import { type PlainParts, plainParts } from "./plain-mime.js";
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

/** Reads a raw mail. Never throws: what cannot be parsed is read as raw text. */
export async function readMail(input: string | Uint8Array | ArrayBuffer): Promise<Mail> {
  const bytes = withinLimit(input);
  const latin1 = latin1Of(bytes);
  const split = headerEnd(latin1);
  // RFC 6532: header fields may be UTF-8 (an address, a subject); a block that is not is read byte for character.
  const headers = parseHeaders(strictUtf8(bytes.subarray(0, split.at)) ?? latin1.slice(0, split.at));
  const header = (name: string) => headers.get(name)?.[0] ?? "";
  const subject = decodeHeader(header("subject"));
  const from = decodeHeader(header("from"));
  const contentType = header("content-type").toLowerCase();
  const tree = partsOf(latin1);

  let text = "";
  let dsn = "";
  let feedback = "";
  let original = "";
  let raw = false;
  try {
    // A mail whose parts need no more than plain-mime reads is read there, as postal-mime would read it written again
    // (when what postal-mime would read of it is all of it); any other is given to postal-mime written again.
    const plain = rewrittenWithin(bytes, tree, MAX_MAIL_LINES)
      ? plainParts(latin1, bytes, tree, returnedHeaders(latin1, bytes, tree))
      : undefined;
    if (plain !== undefined) ({ text, dsn, feedback, original } = plain);
    else {
      // What postal-mime would read: the mail written again, to its MAX_MAIL_LINES-th line. plain-mime reads that too
      // where it can (postal-mime's time grows with a part's lines: a blob part per line).
      const given = forParser(latin1, bytes, tree);
      const lines = firstLines(given.bytes, MAX_MAIL_LINES);
      const written = latin1Of(lines);
      ({ text, dsn, feedback, original } =
        plainParts(written, lines, partsOf(written), given.returned) ?? (await postalParts(lines, given.returned)));
    }
    if (text === "" && dsn === "" && feedback === "" && contentType.startsWith("multipart/")) raw = true;
  } catch {
    raw = true;
  }
  if (raw) {
    // The declared structure is not there (or could not be read): the body as it stands.
    text = decodeUtf8(firstLines(bytes.subarray(Math.min(split.body, bytes.length)), MAX_MAIL_LINES));
  }
  text = asRead(text);
  // A bounce forwarded by a person ("Begin forwarded message:", then the bounce quoted with "> "): the bounce itself.
  if (text.indexOf("Begin forwarded message:") !== -1 || text.indexOf("\n> From: Mail Delivery") !== -1)
    text = unquote(text);
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
    dsn: asRead(dsn),
    feedback: asRead(feedback),
    original: asRead(original),
    attached: () => attachedMessage(tree, bytes),
  };
}

/** What postal-mime reads of the mail as forParser wrote it: the report's text, the DSN and feedback parts, the returned messages. */
export async function postalParts(lines: Uint8Array, returned: string): Promise<PlainParts> {
  const parsed = await PostalMime.parse(lines, { forceRfc822Attachments: true, attachmentEncoding: "arraybuffer" });
  const texts: string[] = [];
  let dsn = "";
  let feedback = "";
  let original = returned;
  if (parsed.text) texts.push(parsed.text);
  else if (parsed.html) texts.push(htmlToText(parsed.html));
  for (const a of parsed.attachments) {
    const type = a.mimeType.toLowerCase();
    const content = typeof a.content === "string" ? a.content : decodeUtf8(a.content);
    if (type === "message/delivery-status" || type === "message/global-delivery-status")
      dsn += (dsn ? "\n\n" : "") + content;
    else if (type === "message/feedback-report") feedback += (feedback ? "\n" : "") + content;
    else if (ORIGINAL_TYPES.includes(type) && content.trim() !== "") original += (original ? "\n" : "") + content;
    else if (type === "text/plain" && a.filename === null) texts.push(content);
    else if (type === "text/html" && !parsed.text) texts.push(htmlToText(content));
  }
  return { text: texts.join("\n"), dsn, feedback, original };
}

/**
 * The mail's bytes, cut to MAX_MAIL_BYTES: a mail cut there ends at the end of its last whole line, so that the cut
 * never yields a shortened address or word. A string is taken as UTF-8.
 */
export function withinLimit(input: string | Uint8Array | ArrayBuffer): Uint8Array {
  let bytes: Uint8Array;
  if (typeof input === "string")
    bytes = new TextEncoder().encode(input.length > MAX_MAIL_BYTES ? input.slice(0, MAX_MAIL_BYTES + 1) : input);
  else if (input instanceof Uint8Array) bytes = input;
  else if (input instanceof ArrayBuffer) bytes = new Uint8Array(input);
  else bytes = new Uint8Array(0);
  if (bytes.length <= MAX_MAIL_BYTES) return bytes;
  // A line whose text ends at the limit is whole: only its line break is past it.
  if (bytes[MAX_MAIL_BYTES] === 10 || bytes[MAX_MAIL_BYTES] === 13) return bytes.subarray(0, MAX_MAIL_BYTES);
  return bytes.subarray(0, bytes.lastIndexOf(10, MAX_MAIL_BYTES - 1) + 1);
}

/**
 * A decoded text as the readers take it: LF line ends, and its first MAX_MAIL_LINES lines only (a body decoded from
 * base64 or quoted-printable may hold far more lines than it was written in).
 */
function asRead(decoded: string): string {
  const text = decoded.indexOf("\r") === -1 ? decoded : decoded.replace(/\r\n?/g, "\n");
  let end = -1;
  for (let n = 0; n < MAX_MAIL_LINES && end < text.length; n++) {
    end = text.indexOf("\n", end + 1);
    if (end === -1) end = text.length;
  }
  return end < text.length ? text.slice(0, end + 1) : text;
}

/** The text with the "> " quoting of its lines removed. */
function unquote(text: string): string {
  return linesOf(text)
    .map((line) => (line.startsWith("> ") ? line.slice(2) : line.startsWith(">") ? line.slice(1) : line))
    .join("\n");
}

function decodeHeader(value: string): string {
  if (value.indexOf("=?") === -1) return value;
  try {
    return decodeWords(value);
  } catch {
    return value;
  }
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
      value += ` ${line.trim()}`;
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
