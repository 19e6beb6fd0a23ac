/** How a set's codes are written (see the spec schema's codeFormat). */
export const CODE_FORMATS = [
  "smtp-reply",
  "enhanced-status",
  "enhanced-subject-detail",
  "pattern",
  "integer",
  "alphanumeric",
  "none",
] as const;
export type CodeFormat = (typeof CODE_FORMATS)[number];

/** What an entry says of the delivery: by its code's class, or as its document says. */
export const OUTCOMES = ["success", "intermediate", "transient", "permanent", "failure"] as const;
export type Outcome = (typeof OUTCOMES)[number];

/**
 * The registries a set can define: references resolve against the first four, the classifier reads the others
 * (and the bounce-reason registry), each row's attributes as the classifier's contract fixes them (rule-rows.ts).
 */
export const REGISTRIES = [
  "smtp-reply",
  "enhanced-status-class",
  "enhanced-subject-detail",
  "bounce-reason",
  "reason-by-status",
  "reason-by-reply",
  "reason-by-wording",
  "reason-by-mta-wording",
  "reason-by-provider-wording",
  "bounce-provider",
] as const;
export type Registry = (typeof REGISTRIES)[number];

export type Code = string | number;

/** A range code ("5.7.500-699", "600-699"): the fixed prefix and the bounds of the number after it. */
export interface Range {
  readonly prefix: string;
  readonly from: number;
  readonly to: number;
}

/**
 * A range code's bounds: "5.7.500-699" → prefix "5.7.", 500 to 699; "600-699" and "-20--10" → prefix "", numbers.
 * Only the formats that write ranges have them ("250-1" is an alphanumeric code's own spelling). The validator and
 * the lookups read ranges here alike; the patterns are anchored and bounded, so they cannot backtrack.
 */
export function parseRange(code: Code, format: CodeFormat): Range | undefined {
  if (typeof code !== "string" || (format !== "enhanced-status" && format !== "integer" && format !== "smtp-reply"))
    return undefined;
  const match = format === "enhanced-status" ? ENHANCED_RANGE.exec(code) : NUMBER_RANGE.exec(code);
  return match ? { prefix: match[1]!, from: Number(match[2]), to: Number(match[3]) } : undefined;
}

const ENHANCED_RANGE = /^([245]\.[0-9]{1,3}\.)([0-9]{1,3})-([0-9]{1,3})$/;
const NUMBER_RANGE = /^()(-?[0-9]{1,9})-(-?[0-9]{1,9})$/;

/** Whether a concrete code falls in a range of the same format. */
export function inRange(range: Range, value: unknown): boolean {
  let number: number;
  if (typeof value === "number") {
    if (range.prefix !== "") return false;
    number = value;
  } else if (typeof value === "string" && range.prefix !== "" && value.startsWith(range.prefix)) {
    const rest = value.slice(range.prefix.length);
    if (!/^[0-9]{1,3}$/.test(rest)) return false; // anchored, no repetition of groups: cannot backtrack
    number = Number(rest);
  } else {
    return false;
  }
  return number >= range.from && number <= range.to;
}

/**
 * Whether a pattern ("4.x.x", "5**", "x0x", "X.1.YYY") covers a concrete code ("4.2.2", 550): part by part, a
 * part made only of x, y and * matches any digits, and otherwise each wildcard matches one digit.
 */
export function patternMatches(pattern: string, code: Code): boolean {
  const patternParts = pattern.split(".");
  const codeParts = String(code).split(".");
  if (patternParts.length !== codeParts.length) return false;
  return patternParts.every((part, i) => {
    const actual = codeParts[i]!;
    if (!/^[0-9]+$/.test(actual)) return false;
    if (/^[xXyY*]+$/.test(part)) return actual.length <= 3;
    if (part.length !== actual.length) return false;
    for (let k = 0; k < part.length; k++) {
      if (!isWildcard(part[k]!) && part[k] !== actual[k]) return false;
    }
    return true;
  });
}

function isWildcard(char: string): boolean {
  return char === "x" || char === "X" || char === "y" || char === "Y" || char === "*";
}

/** Whether a token is an enhanced status code as text carries one: class 2, 4 or 5, a subject 0-7, a detail of 1-3 digits. */
export function isEnhancedToken(token: string): boolean {
  return isEnhancedAt(token, 0, token.length);
}

/** isEnhancedToken for the part of a text from `start` to `end`, read where it stands. */
export function isEnhancedAt(text: string, start: number, end: number): boolean {
  // class . subject . detail: "5.1.1", "4.4.316"; the subject is one digit 0-7, the detail 1-3 characters after it.
  const n = end - start;
  if (n < 5 || n > 7) return false;
  const c = text.charCodeAt(start);
  const subject = text.charCodeAt(start + 2);
  if (
    (c !== 50 && c !== 52 && c !== 53) ||
    text.charCodeAt(start + 1) !== 46 ||
    text.charCodeAt(start + 3) !== 46 ||
    subject < 48 ||
    subject > 55
  )
    return false;
  for (let k = start + 4; k < end; k++) if (text.charCodeAt(k) === 46) return false;
  return n === 5 || text.charCodeAt(start + 4) !== 48;
}

/** Whether a token is an SMTP reply code as text carries one: "200" to "559" with a second digit of 5 at most. */
export function isReplyToken(token: string): boolean {
  return isReplyAt(token, 0, token.length);
}

/** isReplyToken for the part of a text from `start` to `end`, read where it stands. */
export function isReplyAt(text: string, start: number, end: number): boolean {
  if (end - start !== 3) return false;
  const a = text.charCodeAt(start);
  const b = text.charCodeAt(start + 1);
  const c = text.charCodeAt(start + 2);
  // "200" <= token <= "559", compared as strings are.
  const atLeast = a > 50 || (a === 50 && (b > 48 || (b === 48 && c >= 48)));
  const atMost = a < 53 || (a === 53 && (b < 53 || (b === 53 && c <= 57)));
  return atLeast && atMost && b <= 53;
}

/**
 * "5.1.1" → [5, "X.1.1"]: an enhanced status code's class and its subject.detail as a registry writes it. Any code of
 * RFC 3463's form (1-3 digits a part) splits; only reading codes in text keeps to one-digit subjects 0-7.
 */
export function splitEnhancedCode(value: unknown): [number, string] | undefined {
  if (typeof value !== "string" || !/^[245]\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})$/.test(value)) return undefined;
  return [value.charCodeAt(0) - 48, "X" + value.slice(1)];
}
