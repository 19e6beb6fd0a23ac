// mailcodes-bounce: reads a whole bounce mail and classifies each bounced recipient with the mailcodes catalog.
import { type BounceClassification, type BounceFacts, classify } from "mailcodes";
import { stillTried } from "./delay.js";
import type { DsnAction } from "./dsn.js";
import { type BounceFormat, READERS } from "./formats/index.js";
import { MAX_RECIPIENTS, MAX_TEXT_CHARS } from "./limits.js";
import { readMail } from "./mail.js";
import type { Mutable } from "./mutable.js";
import { withoutParties } from "./parties.js";
import { proseOf } from "./read.js";
import { type BounceRecord, type Reader, Report } from "./report.js";
import { squeeze } from "./text.js";

/** What a handler switches on, re-exported so that one import serves it (they are the catalog's). */
export type { BounceAction, BounceReason, SetupArea } from "mailcodes";
export type { DsnAction } from "./dsn.js";
export type { BounceFormat } from "./formats/index.js";
/**
 * How much of a mail classifyBounce reads: its first 8 MiB and 10,000 lines (its returned messages' bodies set
 * aside), its first 1,000 recipients, 16 K characters of each recipient's text. A real bounce is far inside them;
 * past them a mail would only cost.
 */
export { MAX_MAIL_BYTES, MAX_MAIL_LINES, MAX_RECIPIENTS, MAX_TEXT_CHARS } from "./limits.js";
export {
  classifyLogLine,
  type LogFormat,
  type LogLineResult,
  LogReader,
  type LogStatus,
  MAX_REMEMBERED_DEFERRALS,
} from "./log-line.js";
export type { BounceRecord } from "./report.js";

/** One bounced recipient: the catalog's classification of what the mail says about it, and where that was read. */
export type BounceResult = BounceClassification & {
  /** The bounced address, lower case. */
  readonly recipient: string;
  /** The text that decided: the recipient's diagnostic, or the report's wording about it. */
  readonly diagnostic: string;
  /** Which reader found the recipient: an MTA's format ("postfix", "exim" …), "rfc3464", "feedback", "autoreply" … */
  readonly format: BounceFormat;
  /** The DSN's Action for the recipient (one of RFC 3464's five), where the mail gives one; `action` is what to do. */
  readonly dsnAction?: DsnAction;
  readonly originalRecipient?: string;
  /** The MTA that refused the message (a DSN's Remote-MTA, or the host the MTA names). */
  readonly remoteMta?: string;
  /** The MTA that wrote the report (a DSN's Reporting-MTA). */
  readonly reportingMta?: string;
};

/**
 * Reads a bounce mail (its raw bytes or text) and returns one result per bounced recipient, in the order the mail
 * reports them. Never throws: a mail that says nothing of a bounce gives [], a recipient whose reason cannot be told
 * gives onhold (text but no rule) or undefined (no text).
 */
export async function classifyBounce(raw: string | Uint8Array | ArrayBuffer): Promise<BounceResult[]> {
  return classifyMail(raw, 0);
}

async function classifyMail(raw: string | Uint8Array | ArrayBuffer, depth: number): Promise<BounceResult[]> {
  try {
    const report = new Report(await readMail(raw), depth > 0);
    const readers: readonly Reader<BounceFormat>[] = READERS;
    for (const reader of readers) {
      if (reader.claims?.(report) !== true) continue;
      const found = tryReader(reader, report);
      if (found !== undefined) return found;
    }
    for (const reader of readers) {
      if (reader.fallback === true) continue;
      const found = tryReader(reader, report);
      if (found !== undefined) return found;
    }
    // No reader knew the mail's form: it may be a bounce forwarded as an attachment (a person's "FW: Undeliverable",
    // a helpdesk ticket, a list's "Uncaught bounce notification"). The attached message is read as the bounce, once;
    // the fallbacks read it as an attached mail (Report.attached), whose prose is a bounce only if a mail system wrote it.
    const attached = depth === 0 ? report.mail.attached() : undefined;
    if (attached !== undefined) {
      const inner = await classifyMail(attached, depth + 1);
      if (inner.length > 0) return inner;
    }
    for (const reader of readers) {
      if (reader.fallback !== true) continue;
      const found = tryReader(reader, report);
      if (found !== undefined) return found;
    }
    return [];
  } catch {
    return [];
  }
}

/** The reader's results for the mail, or undefined when it finds no recipient (or fails). */
function tryReader(reader: Reader<BounceFormat>, report: Report): BounceResult[] | undefined {
  let records: BounceRecord[] | undefined;
  try {
    const read = reader.read(report);
    records = read === undefined ? undefined : withoutParties(read, report);
  } catch {
    records = undefined;
  }
  return records !== undefined && records.length > 0 ? results(records, reader, report) : undefined;
}

function results(records: readonly BounceRecord[], reader: Reader<BounceFormat>, report: Report): BounceResult[] {
  const kept = records.slice(0, MAX_RECIPIENTS);
  // A recipient the mail gives no DSN Action for is delayed when the notice says the server still tries it.
  if (reader.notANotice !== true && kept.some((r) => r.action === undefined)) {
    const delayed = stillTried(report);
    for (const r of kept) if (r.action === undefined && delayed(r.recipient)) r.action = "delayed";
  }
  // The prose speaks for a recipient with no words of its own when it speaks of no other: the report's only one, or
  // one of many none of which has words of its own (an X-Failed-Recipients list over a template's sentence).
  const proseSpeaks = kept.length === 1 || kept.every((r) => r.text === "");
  let prose: string | undefined;
  return kept.map((r) => {
    const found = result(r, reader.format);
    if (r.text !== "" || reader.notANotice === true) return found;
    // A recipient its reader found no words for: the notice's words about it, else its prose, may still say why —
    // taken when they name a reason (words that name none leave the result as it was: nothing to read).
    for (const words of [report.paragraphAbout(r.recipient), proseSpeaks ? (prose ??= proseOf(report)) : ""]) {
      const worded = words === "" ? undefined : result({ ...r, text: words }, reader.format);
      if (worded !== undefined && worded.reason !== "onhold") return worded;
    }
    return found;
  });
}

function result(r: BounceRecord, format: BounceFormat): BounceResult {
  // Readers may give every recipient the whole report: it is cut before it is squeezed, so each costs at most the cap.
  const text = squeeze(r.text.length > MAX_TEXT_CHARS ? r.text.slice(0, MAX_TEXT_CHARS) : r.text);
  // Built field by field: a spread of each optional field costs more than classifying a short text.
  const facts: Mutable<BounceFacts> = { text, recipient: r.recipient, mta: format };
  if (r.remoteMta !== undefined) facts.remoteMta = r.remoteMta;
  if (r.reportingMta !== undefined) facts.reportingMta = r.reportingMta;
  if (r.status !== undefined) facts.status = r.status;
  if (r.replyCode !== undefined) facts.replyCode = r.replyCode;
  if (r.command !== undefined) facts.command = r.command;
  if (r.action !== undefined) facts.dsnAction = r.action;
  if (r.diagnosticType !== undefined) facts.diagnosticType = r.diagnosticType;
  if (r.reason !== undefined) facts.reason = r.reason;
  // The classification is made for this call (classify returns a new object each time): completed in place, with the
  // fields a spread into a copy would add after its own, in the same order.
  const out = classify(facts) as Mutable<BounceResult>;
  out.recipient = r.recipient;
  out.diagnostic = text;
  out.format = format;
  if (r.action !== undefined) out.dsnAction = r.action;
  if (r.originalRecipient !== undefined) out.originalRecipient = r.originalRecipient;
  if (r.remoteMta !== undefined) out.remoteMta = r.remoteMta;
  if (r.reportingMta !== undefined) out.reportingMta = r.reportingMta;
  return out;
}
