// mailcodes-bounce: reads a whole bounce mail and classifies each bounced recipient with the mailcodes catalog.
import { classify, type BounceClassification } from "mailcodes";
import { FORMATS } from "./formats/index.js";
import { readMail } from "./mail.js";
import { Report, type BounceRecord } from "./report.js";
import { squeeze } from "./text.js";

export type { BounceRecord } from "./report.js";
/** How much of a mail classifyBounce reads: its first 8 MiB (a bounce is far smaller; the rest would only cost). */
export { MAX_MAIL_BYTES } from "./mail.js";

/** One bounced recipient: the catalog's classification of what the mail says about it, and where that was read. */
export interface BounceResult extends BounceClassification {
  /** The bounced address, lower case. */
  readonly recipient: string;
  /** The text that decided: the recipient's diagnostic, or the report's wording about it. */
  readonly diagnostic: string;
  /** Which reader found the recipient: an MTA's format ("postfix", "exim" …), "rfc3464", "feedback", "autoreply" … */
  readonly format: string;
  /** The DSN's Action for the recipient (failed, delayed, delivered …), where the mail gives one. */
  readonly reportedAction?: string;
  readonly originalRecipient?: string;
  /** The MTA that refused the message (a DSN's Remote-MTA, or the host the MTA names). */
  readonly remoteMta?: string;
  /** The MTA that wrote the report (a DSN's Reporting-MTA). */
  readonly reportingMta?: string;
}

/**
 * Reads a bounce mail (its raw bytes or text) and returns one result per bounced recipient, in the order the mail
 * reports them. Never throws: a mail that says nothing of a bounce gives [], a recipient whose reason cannot be told
 * gives onhold (text but no rule) or undefined (no text).
 */
export async function classifyBounce(raw: string | Uint8Array | ArrayBuffer): Promise<BounceResult[]> {
  try {
    const report = new Report(await readMail(raw));
    for (const format of FORMATS) {
      let records: BounceRecord[] | undefined;
      try {
        records = format.read(report);
      } catch {
        records = undefined;
      }
      if (records !== undefined && records.length > 0) return records.map((r) => result(r, format.name));
    }
    return [];
  } catch {
    return [];
  }
}

function result(r: BounceRecord, format: string): BounceResult {
  const text = squeeze(r.text);
  const classification = classify({
    text,
    recipient: r.recipient,
    mta: format,
    ...(r.remoteMta !== undefined && { remoteMta: r.remoteMta }),
    ...(r.reportingMta !== undefined && { reportingMta: r.reportingMta }),
    ...(r.status !== undefined && { status: r.status }),
    ...(r.replyCode !== undefined && { replyCode: r.replyCode }),
    ...(r.command !== undefined && { command: r.command }),
    ...(r.action !== undefined && { action: r.action }),
    ...(r.diagnosticType !== undefined && { diagnosticType: r.diagnosticType }),
    ...(r.reason !== undefined && { reason: r.reason }),
  });
  return {
    ...classification,
    recipient: r.recipient,
    diagnostic: text,
    format,
    ...(r.action !== undefined && { reportedAction: r.action }),
    ...(r.originalRecipient !== undefined && { originalRecipient: r.originalRecipient }),
    ...(r.remoteMta !== undefined && { remoteMta: r.remoteMta }),
    ...(r.reportingMta !== undefined && { reportingMta: r.reportingMta }),
  };
}
