// plain-mime: a mail that asks nothing of postal-mime but its plainest work — inline text/plain parts in a charset the
// engine decodes, bodies as written, in base64 or in quoted-printable, HTML only beside a plain text in an alternative —
// read here as postal-mime reads it, in one pass and synchronously: postal-mime awaits every line and makes a blob of
// every part, most of what classifyBounce spends on such a mail. Any other mail is postal-mime's (mail.ts).
import { decodeBase64 } from "./base64.js";
import { decodeUtf8, ORIGINAL_TYPES, type Part } from "./mime.js";

/** What mail.ts takes of postal-mime's reading: the text parts joined, the delivery-status and feedback parts, the returned messages. */
export interface PlainParts {
  readonly text: string;
  readonly dsn: string;
  readonly feedback: string;
  readonly original: string;
}

/** What this module needs of a TextDecoder. */
interface Decoder {
  decode(bytes: Uint8Array): string;
}

/**
 * The mail's parts as postal-mime gives them to mail.ts (its `text`, and its delivery-status and feedback-report
 * attachments joined as mail.ts joins them; the returned messages are what forParser kept of them, `returned`), or
 * undefined when the mail needs more than this module reads.
 */
export function plainParts(latin1: string, bytes: Uint8Array, root: Part, returned: string): PlainParts | undefined {
  const texts: string[] = [];
  let dsn = "";
  let feedback = "";
  let headerBytes = 0;
  let html = false;
  /** Reads a part; `alternative` is the multipart/alternative it is in, whose texts postal-mime takes as one. */
  const read = (part: Part, alternative: { plain: boolean } | undefined): boolean => {
    // postal-mime refuses a mail of more than 2 MiB of headers: one with half as many is read here.
    headerBytes += part.headersEnd - part.headersStart;
    if (headerBytes > HEADER_BYTES) return false;
    if (part.type.startsWith("multipart/")) {
      // A digest's parts default to messages, a part in two alternatives is told by the inner one: postal-mime's.
      if (part.type === "multipart/digest" || part.boundary === undefined) return false;
      if (part.type !== "multipart/alternative") return part.children.every((child) => read(child, alternative));
      if (alternative !== undefined) return false;
      const own = { plain: false };
      // An alternative of HTML alone is a text postal-mime makes from the HTML: its to make.
      return part.children.every((child) => read(child, own)) && (own.plain || !html);
    }
    const isText = part.type === "text/plain" || (part.type === "" && part.contentTypeAt === undefined);
    if (isText || part.type === "text/html") {
      // postal-mime's inline text: no Content-Disposition but "inline".
      if (!isInline(latin1.slice(part.headersStart, part.headersEnd))) return false;
      if (part.type === "text/html") {
        html = true;
        return alternative !== undefined; // beside a plain text, which is what is read
      }
      const decoder = decoderOf(part, latin1);
      if (decoder === undefined) return false;
      texts.push(decoder.decode(contentOf(part, bytes)));
      if (alternative !== undefined) alternative.plain = true;
      return true;
    }
    if (part === root && ORIGINAL_TYPES.includes(part.type)) return false;
    // Joined as mail.ts joins postal-mime's attachments.
    if (part.type === "message/delivery-status" || part.type === "message/global-delivery-status")
      dsn += (dsn ? "\n\n" : "") + decodeUtf8(contentOf(part, bytes));
    else if (part.type === "message/feedback-report")
      feedback += (feedback ? "\n" : "") + decodeUtf8(contentOf(part, bytes));
    // Any other part is an attachment mail.ts does not read (a returned message's body is set aside by forParser).
    return true;
  };
  if (!read(root, undefined)) return undefined;
  const text = texts.join("\n");
  // No plain text but HTML: postal-mime's text is then made from the HTML.
  if (text === "" && html) return undefined;
  return { text, dsn, feedback, original: returned };
}

/** Whether a part's headers leave it inline: no Content-Disposition, or a first one of "inline". */
function isInline(headers: string): boolean {
  const disposition = DISPOSITION.exec(headers);
  return disposition === null || /^[ \t]*inline[ \t]*(?:;|\r?$)/i.test(disposition[1]!);
}

/** A part's first Content-Disposition header and what follows its colon on its first line. */
const DISPOSITION = /(?:^|\n)content-disposition[ \t]*:([^\n]*)/i;

/** The most header bytes a mail read here has, all parts together. */
const HEADER_BYTES = 1 << 20;

/**
 * A part's body as postal-mime decodes it: base64 decoded (as base64.ts reads it), or else line by line, each line's
 * trailing carriage returns dropped: as written, a line feed after each line; in quoted-printable, "=XX" decoded and a
 * line feed after each line that does not end with "=".
 */
function contentOf(part: Part, bytes: Uint8Array): Uint8Array {
  const body = bytes.subarray(part.bodyStart, Math.min(part.bodyEnd, bytes.length));
  if (part.encoding === "base64") return decodeBase64(body);
  const quoted = part.encoding === "quoted-printable";
  if (!quoted && body.indexOf(13) === -1 && (body.length === 0 || body[body.length - 1] === 10)) return body;
  const out = new Uint8Array(body.length + 1);
  let length = 0;
  let lineStart = 0;
  for (let i = 0; i <= body.length; i++) {
    if (i < body.length && body[i] !== 10) continue;
    if (i === body.length && lineStart === i) break;
    let end = i;
    while (end > lineStart && body[end - 1] === 13) end--;
    if (!quoted) {
      out.set(body.subarray(lineStart, end), length);
      length += end - lineStart;
      out[length++] = 10;
    } else {
      const soft = end > lineStart && body[end - 1] === 61; // "="
      if (soft) end--;
      for (let k = lineStart; k < end; k++) {
        const high = k + 2 < end && body[k] === 61 ? hexNibble(body[k + 1]!) : -1;
        const low = high < 0 ? -1 : hexNibble(body[k + 2]!);
        if (low < 0) {
          out[length++] = body[k]!;
        } else {
          out[length++] = (high << 4) | low;
          k += 2;
        }
      }
      if (!soft) out[length++] = 10;
    }
    lineStart = i + 1;
  }
  return out.subarray(0, length);
}

/** A hexadecimal digit's value, or -1. */
function hexNibble(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** A text part's Content-Type when it is plain: "text/plain", with a charset at most (quoted or not). */
const PLAIN_TEXT = /^text\/plain[ \t]*(?:;[ \t]*charset[ \t]*=[ \t]*("?)([A-Za-z0-9_.:-]+)\1[ \t]*;?[ \t]*)?$/i;

/** The decoders made, by charset (only labels the engine took: a mail cannot make the map grow without bound). */
const decoders = new Map<string, Decoder>();

/** The decoder of a text part's charset (UTF-8 without one), or undefined when it is not one the engine knows by that name. */
function decoderOf(part: Part, latin1: string): Decoder | undefined {
  let charset = "utf8";
  if (part.contentTypeAt !== undefined) {
    const [start, end] = part.contentTypeAt;
    const value = latin1
      .slice(latin1.indexOf(":", start) + 1, end)
      .replace(/[\r\n]+[ \t]/g, " ")
      .trim();
    const plain = PLAIN_TEXT.exec(value);
    if (plain === null) return undefined;
    charset = plain[2]?.toLowerCase() ?? charset;
  }
  let decoder = decoders.get(charset);
  if (decoder === undefined) {
    // The labels TextDecoder takes are the ones postal-mime takes as written; for the others it has aliases.
    try {
      decoder = new TextDecoder(charset);
    } catch {
      return undefined;
    }
    decoders.set(charset, decoder);
  }
  return decoder;
}
