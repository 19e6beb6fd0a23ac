// A downstream bounce handler, written against the package the way the README shows.
// `make test` type-checks this folder with its own strict tsconfig; the @ts-expect-error lines must stay errors.
import { type CodeInfo, lookup } from "mailcodes";
import {
  type EnhancedStatusCode,
  type EnhancedStatusCodeTransient,
  parseEnhancedStatusCode,
} from "mailcodes/enhanced-status-subject-detail";
import { GmailError, lookupGmailError, parseGmailError } from "mailcodes/gmail";
import { lookupSmpDeliveryCode, SmpDeliveryCode } from "mailcodes/smp-delivery-code";
import {
  isSmtpReplyCode,
  lookupSmtpReplyCode,
  parseSmtpReplyCode,
  SmtpReplyCode,
  type SmtpReplyCodePermanent,
} from "mailcodes/smtp-reply-code";

// Enum members and literals are the same type.
const unavailable: SmtpReplyCode = SmtpReplyCode.MailboxUnavailable;
const literal: SmtpReplyCode = 550;
// @ts-expect-error 599 is not a reply code of RFC 5321.
const wrong: SmtpReplyCode = 599;

// What to do with a reply code: an exhaustive switch over the outcome, with a `never` check.
type Action = "done" | "continue" | "retry" | "drop-address" | "investigate";
export function actionFor(code: SmtpReplyCode): Action {
  const info = lookupSmtpReplyCode(code);
  switch (info.outcome) {
    case "success":
      return "done";
    case "intermediate":
      return "continue";
    case "transient":
      return "retry";
    case "permanent":
      return "drop-address";
    default: {
      const unreachable: never = info;
      return unreachable;
    }
  }
}

// Narrowing on the outcome narrows the code.
export function permanentCode(code: SmtpReplyCode): SmtpReplyCodePermanent | undefined {
  const info = lookupSmtpReplyCode(code);
  if (info.outcome === "permanent") {
    const permanent: SmtpReplyCodePermanent = info.code;
    return permanent;
  }
  // @ts-expect-error outside the permanent branch the code is not known to be permanent.
  const notPermanent: SmtpReplyCodePermanent = info.code;
  return notPermanent;
}

// Unknown input from a log: guards and parsers return typed values or undefined, never throw.
export function fromLog(line: string): Action | undefined {
  const code = parseSmtpReplyCode(line); // "550-5.1.1 The email account…" → 550
  return code === undefined ? undefined : actionFor(code);
}
export function fromUnknown(value: unknown): SmtpReplyCode | undefined {
  return isSmtpReplyCode(value) ? value : undefined;
}

// Enhanced status codes: the full code type, and its per-class unions.
const enhanced: EnhancedStatusCode | undefined = parseEnhancedStatusCode("(#4.4.1)");
const transient: EnhancedStatusCodeTransient = "4.4.7";
// @ts-expect-error 5.4.7 is permanent, not transient.
const notTransient: EnhancedStatusCodeTransient = "5.4.7";
// @ts-expect-error 6 is not a class of enhanced status code.
const badClass: EnhancedStatusCode = "6.1.1";

// Cross-references are typed: from Gmail's entry to the standard reply code's meaning.
export function standardMeaning(line: string): string | undefined {
  const error = parseGmailError(line);
  if (error === undefined) return undefined;
  const gmail = lookupGmailError(error);
  // Every Gmail reply code is registered (454 by RFC 3207 and RFC 4954): the field is a registry code, never undefined.
  const reply: SmtpReplyCode = gmail.replyCode;
  return lookupSmtpReplyCode(reply).texts.text;
}
const busy = lookupGmailError(GmailError.ServerBusy);
// @ts-expect-error Gmail entries are known by name; there is no "Busy" member.
lookupGmailError(GmailError.Busy);

// Typed data: SMP's invalidation rule is a number on each entry.
const rule: 1 | 3 = lookupSmpDeliveryCode(SmpDeliveryCode.UserNotLocal).attributes.invalidateAfterErrors;

// The union of every entry of every set, discriminated by `source`.
export function describe(info: CodeInfo): string {
  if (info.source === "gmail") {
    const error: GmailError = info.code;
    return `${info.replyCode} ${info.enhancedCode} ${error}`;
  }
  if (info.source === "smp-delivery-code") {
    // @ts-expect-error SMP's codes are numbers; narrowing on source narrowed the code.
    const asString: string = info.code;
    return asString;
  }
  return String(info.code);
}

// lookup(source, code): the result's type follows the source.
const smp = lookup("smp-delivery-code", 42550);
const smpRule: 1 | 3 = smp.attributes.invalidateAfterErrors;
// A value that is not one of the set's codes is looked up as unknown input: the result may be undefined.
// @ts-expect-error 42550 is not one of Gmail's codes, so the result is not known to be defined.
const notGmail: { source: "gmail" } = lookup("gmail", 42550);
const maybe = lookup("arara-code", Number("-502"));
const maybeCount: number | undefined = maybe?.attributes.count;

export const used = [
  notGmail,
  unavailable,
  literal,
  wrong,
  enhanced,
  transient,
  notTransient,
  badClass,
  busy,
  rule,
  smpRule,
  maybeCount,
];
