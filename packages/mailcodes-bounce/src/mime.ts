// mime: a mail's raw bytes read as lines of byte-for-byte characters, to find its header block, its parts, their types
// and boundaries without decoding anything: what readMail sets aside before postal-mime decodes the rest. Each
// function is one pass.
/** The part types that hold a returned message, or its headers. */
export const ORIGINAL_TYPES = ["message/rfc822", "message/global", "message/partial", "text/rfc822-headers", "text/rfc822-header", "message/rfc822-headers", "message/global-headers"];

/** The bytes up to the end of their `count`th line (all of them when they have no more). */
export function firstLines(bytes: Uint8Array, count: number): Uint8Array {
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
export function attachedMessage(latin1: string, bytes: Uint8Array, bodyStart: number): Uint8Array | undefined {
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

/** Byte for character: for finding headers, boundaries and part types without decoding. */
export function latin1Of(bytes: Uint8Array): string {
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

export function decodeUtf8(content: ArrayBuffer | Uint8Array): string {
  return utf8.decode(content);
}

/** Where the header block ends: `at` is the end of the last header line, `body` where the body starts. */
export function headerEnd(text: string): { at: number; body: number } {
  const lf = text.indexOf("\n\n");
  const crlf = text.indexOf("\r\n\r\n");
  if (lf === -1 && crlf === -1) return { at: text.length, body: text.length };
  if (crlf !== -1 && (lf === -1 || crlf < lf)) return { at: crlf, body: crlf + 4 };
  return { at: lf, body: lf + 2 };
}

/**
 * The mail without the messages it returns (message/rfc822 and the like) and without HTML bodies that repeat a plain
 * text part: the returned messages say nothing of the bounce but their headers, which are kept apart (raw, as the
 * first such part gives them), and postal-mime decodes far less (on Node 20, every line it decodes costs a Blob
 * chunk). The mail is returned as it was when it has neither.
 */
export function withoutReturnedBodies(latin1: string, bytes: Uint8Array, bodyStart: number): { bytes: Uint8Array; returned: string } {
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
