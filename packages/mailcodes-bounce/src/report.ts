// report: what every format reader works from (the mail, its DSN fields, its report lines) and what it gives back
// (one record per bounced recipient).
import type { BounceReason, EnhancedStatusCode, SmtpReplyCode } from "mailcodes";
import type { SmtpCommand } from "mailcodes-runtime";
import { addressAlone, findAddresses } from "./address.js";
import { type Dsn, type DsnAction, readDsn } from "./dsn.js";
import { MAX_TEXT_CHARS } from "./limits.js";
import type { Mail } from "./mail.js";
import { linesOf, squeeze } from "./text.js";

/** The longest line read as an address alone: an address is at most 254 characters. */
const ADDRESS_LINE_CHARS = 320;

/** The most lines a recipient's paragraph runs to: a real one is a few. */
const PARAGRAPH_LINES = 40;

/**
 * What a reader found out about one bounced recipient: the facts the catalog's classify is given, typed as the
 * catalog's unions (open where a mail can carry a code the catalog lacks).
 */
export interface BounceRecord {
  recipient: string;
  /** The text that says why: the diagnostic, the MTA's wording, or the report's prose. */
  text: string;
  /** The enhanced status code the report states for the recipient (a DSN's Status:). */
  status?: EnhancedStatusCode | (string & {});
  replyCode?: SmtpReplyCode | (number & {});
  /** The SMTP command the failure answered, where the format tells it. */
  command?: SmtpCommand;
  /** The DSN's Action (failed, delayed, delivered, …). */
  action?: DsnAction;
  /** The Diagnostic-Code type (smtp, x-unix, …). */
  diagnosticType?: string;
  /** A reason the format itself tells (a feedback report, an auto-reply, an MTA's own category). */
  reason?: BounceReason;
  originalRecipient?: string;
  remoteMta?: string;
  reportingMta?: string;
}

/**
 * A reader of one form of bounce, and what the dispatcher needs to know of it. Its `format` names the form in
 * results (and is the name of its module, formats/<format>.ts).
 */
export interface Reader<F extends string = string> {
  readonly format: F;
  /** A mail the reader is tried on before any other: its headers say it is of the reader's kind whatever its body holds. */
  readonly claims?: (report: Report) => boolean;
  /**
   * Reads what any mail may say (its prose, an auto-reply's headers), not a form: tried only when no reader of a form
   * knows the mail nor its attached message; on an attached message, as one (Report.attached).
   */
  readonly fallback?: boolean;
  /** Its mails are not delivery notices (an auto-reply, a feedback report): their words tell neither a delay nor why. */
  readonly notANotice?: true;
  /** The mail's records, or undefined (or none) when the mail is not of the reader's form. */
  read(report: Report): BounceRecord[] | undefined;
}

/** A mail with what readers share, computed once. */
export class Report {
  readonly mail: Mail;
  /**
   * The mail is a message attached to the one classified (a bounce forwarded as an attachment): its prose is a
   * bounce only where a mail system wrote it, and it is no auto-reply.
   */
  readonly attached: boolean;
  private dsnCache: Dsn | undefined;
  private linesCache: string[] | undefined;
  private firstLineOf: Map<string, number> | undefined;

  constructor(mail: Mail, attached = false) {
    this.mail = mail;
    this.attached = attached;
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

  /**
   * The report's lines about one recipient, squeezed: from the first line naming it to the next blank line or the next
   * line that starts with another address (at most PARAGRAPH_LINES lines and MAX_TEXT_CHARS characters); "" when no
   * line names it. The lines naming each address are indexed once, so a report's recipients cost one pass, not one
   * pass each.
   */
  paragraphAbout(recipient: string): string {
    const lines = this.lines;
    if (this.firstLineOf === undefined) {
      const index = new Map<string, number>();
      for (let i = 0; i < lines.length; i++)
        for (const found of findAddresses(lines[i]!)) if (!index.has(found.address)) index.set(found.address, i);
      this.firstLineOf = index;
    }
    const start = this.firstLineOf.get(recipient);
    if (start === undefined) return "";
    const out = [lines[start]!.slice(0, MAX_TEXT_CHARS)];
    let size = out[0]!.length;
    let next = start + 1;
    // An address alone on its line among others alone on theirs (a list of the failed ones, "  a@b", "  c@d", then
    // why): the words after the list are every listed address's, as they are the last one's.
    if (isAddressLine(out[0]!)) while (next - start <= PARAGRAPH_LINES && isAddressLine(lines[next])) next++;
    for (let i = next; i < lines.length && out.length < PARAGRAPH_LINES && size < MAX_TEXT_CHARS; i++) {
      const line = lines[i]!;
      if (out.length > 1 && (line.trim() === "" || startsWithAnotherAddress(line, recipient))) break;
      out.push(line.slice(0, MAX_TEXT_CHARS - size));
      size += line.length;
    }
    return squeeze(out.join(" "));
  }

  header(name: string): string {
    return this.mail.header(name);
  }

  /** A header of the returned message (the first, unfolded), or "". */
  originalHeader(name: string): string {
    const lower = `${name.toLowerCase()}:`;
    let started = false;
    let found: string | undefined;
    for (const line of linesOf(this.mail.original)) {
      if (found !== undefined) {
        if (line[0] === " " || line[0] === "\t") {
          found += ` ${line.trim()}`;
          continue;
        }
        return found;
      }
      if (line.trim() === "") {
        if (started) break;
        continue;
      }
      if (line.length > lower.length && line.slice(0, lower.length).toLowerCase() === lower)
        found = line.slice(lower.length).trim();
      else if (line.indexOf(":") > 0) started = true;
    }
    return found ?? "";
  }
}

/** Whether a line starts with an address other than the recipient's ("<b@example.org>: …"). Reads the line's head only. */
function startsWithAnotherAddress(line: string, recipient: string): boolean {
  const head = line.slice(0, 512).toLowerCase();
  const first = findAddresses(head, 1)[0];
  const before = first === undefined ? "" : head.slice(0, first.start).trim();
  return first !== undefined && (before === "" || before === "<") && head.indexOf(recipient) === -1;
}

/** Whether a line is an address alone (read only when it is short, as such a line is). */
function isAddressLine(line: string | undefined): boolean {
  return line !== undefined && line.length <= ADDRESS_LINE_CHARS && addressAlone(line) !== undefined;
}
