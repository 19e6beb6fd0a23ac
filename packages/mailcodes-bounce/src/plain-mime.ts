// plain-mime: a mail that asks nothing of postal-mime but its plainest work — text/plain parts in a charset the engine
// decodes, bodies as written or in base64, no alternatives, no HTML — read here as postal-mime reads it, in one pass and
// synchronously: postal-mime awaits every line and makes a blob of every part, most of what classifyBounce spends on
// such a mail. Any other mail is postal-mime's (mail.ts).
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
  const read = (part: Part): boolean => {
    // postal-mime refuses a mail of more than 2 MiB of headers: one with half as many is read here.
    headerBytes += part.headersEnd - part.headersStart;
    if (headerBytes > HEADER_BYTES) return false;
    if (part.type.startsWith("multipart/")) {
      // An alternative's parts are one text told twice, a digest's default to messages: postal-mime's to sort out.
      if (part.type === "multipart/alternative" || part.type === "multipart/digest" || part.boundary === undefined) return false;
      return part.children.every(read);
    }
    if (part.encoding === "quoted-printable" || part.type === "text/html") return false;
    if (part.type === "text/plain" || (part.type === "" && part.contentTypeAt === undefined)) {
      // postal-mime's inline text: no Content-Disposition (which may make it an attachment), no parameter but a charset.
      if (/(?:^|\n)content-disposition[ \t]*:/i.test(latin1.slice(part.headersStart, part.headersEnd))) return false;
      const decoder = decoderOf(part, latin1);
      if (decoder === undefined) return false;
      texts.push(decoder.decode(contentOf(part, bytes)));
      return true;
    }
    if (part === root && ORIGINAL_TYPES.includes(part.type)) return false;
    // Joined as mail.ts joins postal-mime's attachments.
    if (part.type === "message/delivery-status" || part.type === "message/global-delivery-status")
      dsn += (dsn ? "\n\n" : "") + decodeUtf8(contentOf(part, bytes));
    else if (part.type === "message/feedback-report") feedback += (feedback ? "\n" : "") + decodeUtf8(contentOf(part, bytes));
    // Any other part is an attachment mail.ts does not read (a returned message's body is set aside by forParser).
    return true;
  };
  if (!read(root)) return undefined;
  return { text: texts.join("\n"), dsn, feedback, original: returned };
}

/** The most header bytes a mail read here has, all parts together. */
const HEADER_BYTES = 1 << 20;

/**
 * A part's body as postal-mime decodes it: base64 decoded (as base64.ts reads it), or else line by line, each line's
 * trailing carriage returns dropped and a line feed after it.
 */
function contentOf(part: Part, bytes: Uint8Array): Uint8Array {
  const body = bytes.subarray(part.bodyStart, Math.min(part.bodyEnd, bytes.length));
  if (part.encoding === "base64") return decodeBase64(body);
  if (body.indexOf(13) === -1 && (body.length === 0 || body[body.length - 1] === 10)) return body;
  const out = new Uint8Array(body.length + 1);
  let length = 0;
  let lineStart = 0;
  for (let i = 0; i <= body.length; i++) {
    if (i < body.length && body[i] !== 10) continue;
    if (i === body.length && lineStart === i) break;
    let end = i;
    while (end > lineStart && body[end - 1] === 13) end--;
    out.set(body.subarray(lineStart, end), length);
    length += end - lineStart;
    out[length++] = 10;
    lineStart = i + 1;
  }
  return out.subarray(0, length);
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
