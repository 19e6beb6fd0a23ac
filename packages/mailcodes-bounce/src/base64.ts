// base64: a part's base64 body decoded as postal-mime decodes it, and written again in its plainest form, so that
// what postal-mime then decodes costs it one buffer per 100 KB however the body was written. (Decoding "A=" repeated,
// postal-mime makes a buffer per "=": 600 MB for a body of 1 MiB.) Both are one pass.

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const EQUALS = 61;

/** Each byte's six bits, or -1 for a byte outside the alphabet. */
const SEXTETS = (() => {
  const table = new Int8Array(256).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i;
  return table;
})();

/**
 * The bytes a base64 body stands for, as postal-mime reads it: bytes outside the alphabet are skipped, and a run of
 * "=" ends a unit (some mailers pad every line), its incomplete bits dropped.
 */
export function decodeBase64(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.floor((body.length * 3) / 4) + 1);
  let length = 0;
  let bits = 0;
  let pending = 0;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i]!;
    const sextet = SEXTETS[byte]!;
    if (sextet >= 0) {
      pending = ((pending << 6) | sextet) & 0xffffff;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out[length++] = (pending >> bits) & 0xff;
      }
    } else if (byte === EQUALS) {
      pending = 0;
      bits = 0;
    }
  }
  return out.subarray(0, length);
}

/** The bytes as base64 in lines of 76 characters, each ended by LF, padded once at the end. */
export function encodeBase64(data: Uint8Array): Uint8Array {
  const chars = Math.ceil(data.length / 3) * 4;
  const out = new Uint8Array(chars + Math.ceil(chars / 76));
  let at = 0;
  let column = 0;
  const put = (c: number) => {
    out[at++] = c;
    if (++column === 76) {
      out[at++] = 10;
      column = 0;
    }
  };
  for (let i = 0; i < data.length; i += 3) {
    const a = data[i]!;
    const b = i + 1 < data.length ? data[i + 1]! : 0;
    const c = i + 2 < data.length ? data[i + 2]! : 0;
    put(ALPHABET.charCodeAt(a >> 2));
    put(ALPHABET.charCodeAt(((a & 3) << 4) | (b >> 4)));
    put(i + 1 < data.length ? ALPHABET.charCodeAt(((b & 15) << 2) | (c >> 6)) : EQUALS);
    put(i + 2 < data.length ? ALPHABET.charCodeAt(c & 63) : EQUALS);
  }
  if (column > 0) out[at++] = 10;
  return out.subarray(0, at);
}
