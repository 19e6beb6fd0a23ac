// chars: the character classes the readers share, one name per meaning.

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** A letter or digit: what a vendor's word-like code ("SC-001") is made of. */
export function isAlphanumeric(c: number): boolean {
  return isDigit(c) || isAsciiLetter(c);
}

/** A character that makes a code part of a longer word or number when it touches it: a letter, digit, dot or _. */
export function isCodeJoined(c: number): boolean {
  return isAlphanumeric(c) || c === 46 || c === 95;
}

/** A letter, digit or "@": what joins a command word to the text around it (NaN, outside the text, does not). */
export function isCommandJoined(c: number): boolean {
  return isAlphanumeric(c) || c === 64;
}
