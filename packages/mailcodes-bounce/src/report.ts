// report: what every format reader works from (the mail, its DSN fields, its report lines) and what it gives back
// (one record per bounced recipient).
import { readDsn, type Dsn } from "./dsn.js";
import type { Mail } from "./mail.js";
import { linesOf } from "./text.js";

/** What a reader found out about one bounced recipient: the facts the catalog's classify is given. */
export interface BounceRecord {
  recipient: string;
  /** The text that says why: the diagnostic, the MTA's wording, or the report's prose. */
  text: string;
  /** The enhanced status code the report states for the recipient (a DSN's Status:). */
  status?: string;
  replyCode?: number;
  /** The SMTP command the failure answered, where the format tells it. */
  command?: string;
  /** The DSN's Action (failed, delayed, delivered, …). */
  action?: string;
  /** The Diagnostic-Code type (smtp, x-unix, …). */
  diagnosticType?: string;
  /** A reason the format itself tells (a feedback report, an auto-reply, an MTA's own category). */
  reason?: string;
  originalRecipient?: string;
  remoteMta?: string;
  reportingMta?: string;
}

/** A reader of one kind of bounce: undefined (or no records) when the mail is not of its kind. */
export interface Format {
  readonly name: string;
  read(report: Report): BounceRecord[] | undefined;
}

/** A mail with what readers share, computed once. */
export class Report {
  readonly mail: Mail;
  private dsnCache: Dsn | undefined;
  private linesCache: string[] | undefined;

  constructor(mail: Mail) {
    this.mail = mail;
  }

  /** The DSN fields: of the delivery-status part, or of the report's text when it writes them inline. */
  get dsn(): Dsn {
    this.dsnCache ??= readDsn(this.mail.dsn !== "" ? this.mail.dsn : this.mail.text);
    return this.dsnCache;
  }

  /** The human-readable report's lines. */
  get lines(): string[] {
    this.linesCache ??= linesOf(this.mail.text);
    return this.linesCache;
  }

  header(name: string): string {
    return this.mail.header(name);
  }

  /** A header of the returned message (the first, unfolded), or "". */
  originalHeader(name: string): string {
    const lower = name.toLowerCase() + ":";
    let started = false;
    let found: string | undefined;
    for (const line of linesOf(this.mail.original)) {
      if (found !== undefined) {
        if (line[0] === " " || line[0] === "\t") {
          found += " " + line.trim();
          continue;
        }
        return found;
      }
      if (line.trim() === "") {
        if (started) break;
        continue;
      }
      if (line.length > lower.length && line.slice(0, lower.length).toLowerCase() === lower) found = line.slice(lower.length).trim();
      else if (line.indexOf(":") > 0) started = true;
    }
    return found ?? "";
  }
}
