// read: what the readers share, so that no reader imports another — the part of a report a reader reads and how it
// finishes its records, the codes a text holds (as the catalog's runtime finds them, so a code means the same here as
// in classify), a DSN's records and a report's prose, and the forms more than one reader knows.
import { findCodes, findCommand } from "mailcodes-runtime";
import { findAddresses } from "./address.js";
import { type DsnRecipient, dsnField, isExpired } from "./dsn.js";
import type { BounceRecord, Report } from "./report.js";
import { squeeze } from "./text.js";

/** Where the part of a report that a reader reads starts and ends. */
export interface Bounds {
  /** It starts after the first line this takes… */
  readonly after?: (line: string) => boolean;
  /** …or at that line, which is read too. With neither, it starts at the first line. */
  readonly from?: (line: string) => boolean;
  /** It ends before the first line this takes, wherever that stands: a closing line before the start leaves no part. */
  readonly until?: (line: string) => boolean;
}

/**
 * The lines of the part of a report a reader reads, or undefined when the part never starts (the mail is not of the
 * reader's form). One pass over the lines.
 */
export function section(lines: readonly string[], bounds: Bounds): readonly string[] | undefined {
  const opens = bounds.after ?? bounds.from;
  let start = opens === undefined ? 0 : -1;
  let end = 0;
  for (; end < lines.length; end++) {
    const line = lines[end]!;
    if (bounds.until?.(line) === true) break;
    if (start === -1 && opens!(line)) start = bounds.after !== undefined ? end + 1 : end;
  }
  return start === -1 ? undefined : lines.slice(start, Math.max(start, end));
}

/**
 * The skeleton most readers share: each line of their part of the report (blank lines skipped) is given to `each`
 * with the records so far, to start a recipient's record or add to one; the texts are squeezed at the end. Undefined
 * when the part never starts.
 */
export function recordsIn(
  lines: readonly string[],
  bounds: Bounds,
  each: (line: string, records: BounceRecord[]) => void,
): BounceRecord[] | undefined {
  const part = section(lines, bounds);
  if (part === undefined) return undefined;
  const records: BounceRecord[] = [];
  for (const line of part) if (line !== "") each(line, records);
  return squeezed(records);
}

/** Adds a line to the text of the last recipient found; false when none has been found yet. */
export function addToLast(records: readonly BounceRecord[], line: string): boolean {
  const last = records[records.length - 1];
  if (last === undefined) return false;
  last.text += ` ${line}`;
  return true;
}

/** The records, each text squeezed: how a reader that gathers lines finishes. */
export function squeezed(records: BounceRecord[]): BounceRecord[] {
  for (const record of records) record.text = squeeze(record.text);
  return records;
}

/** The records, each given the SMTP command its (squeezed) text names: how a reader of prose paragraphs finishes. */
export function withCommands(records: BounceRecord[]): BounceRecord[] {
  for (const record of records) {
    const command = findCommand(record.text);
    if (command !== undefined) record.command = command;
  }
  return records;
}

/** The first enhanced status code in a text ("5.1.1"): a whole token. */
export function statusIn(text: string): string | undefined {
  return findCodes(text).enhancedCodes[0]?.code;
}

/** The first SMTP reply code in a text where a reply stands (a line's start, after a colon or semicolon, before an enhanced code). */
export function replyIn(text: string): number | undefined {
  return findCodes(text).replyCodes[0]?.code;
}

/** Whether a line holds a reply code and an enhanced status code (a server's reply quoted in a report). */
export function hasCodes(text: string): boolean {
  const found = findCodes(text); // one scan for both kinds
  return found.replyCodes.length > 0 && found.enhancedCodes.length > 0;
}

/** A DSN recipient's record: its fields, and the text given (its Diagnostic-Code when none is). */
export function dsnRecord(report: Report, r: DsnRecipient, text?: string): BounceRecord {
  const base = text ?? r.diagnostic ?? "";
  return {
    recipient: r.recipient,
    text: r.comments !== undefined && base.indexOf(r.comments) === -1 ? `${base} ${r.comments}`.trim() : base,
    ...(r.status !== undefined && { status: r.status }),
    ...(r.action !== undefined && { action: r.action }),
    ...(isExpired(r.fields.get("action") ?? "") && { reason: "expired" as const }),
    ...(r.diagnosticType !== undefined && { diagnosticType: r.diagnosticType }),
    ...(r.originalRecipient !== undefined && { originalRecipient: r.originalRecipient }),
    ...(r.remoteMta !== undefined && { remoteMta: r.remoteMta }),
    ...(report.dsn.reportingMta !== undefined && { reportingMta: report.dsn.reportingMta }),
  };
}

/** PowerMTA's bounce categories (X-PowerMTA-BounceCategory) and the reasons they stand for. */
const POWERMTA = new Map<string, NonNullable<BounceRecord["reason"]>>([
  ["bad-domain", "hostunknown"],
  ["bad-mailbox", "userunknown"],
  ["inactive-mailbox", "suspend"],
  ["message-expired", "expired"],
  ["no-answer-from-host", "networkerror"],
  ["policy-related", "policyviolation"],
  ["quota-issues", "mailboxfull"],
  ["routing-errors", "systemerror"],
  ["spam-related", "spamdetected"],
]);

/**
 * The records of a DSN, one per recipient block. With one recipient, the report's prose is read with its
 * Diagnostic-Code (MTAs put the reason in either); with several, each recipient's own Diagnostic-Code, or the
 * prose's paragraph about it. PowerMTA's X-PowerMTA-BounceCategory names the reason itself.
 */
export function dsnRecords(report: Report): BounceRecord[] | undefined {
  const recipients = report.dsn.recipients;
  if (recipients.length === 0) return undefined;
  const category = (
    report.dsn.message.get("x-powermta-bouncecategory") ??
    recipients[0]!.fields.get("x-powermta-bouncecategory") ??
    ""
  )
    .trim()
    .toLowerCase();
  const given = POWERMTA.get(category);
  const prose = recipients.length === 1 ? proseOf(report) : "";
  return recipients.map((r) => {
    let text: string;
    let command: BounceRecord["command"];
    if (recipients.length === 1) {
      const diagnostic = r.diagnostic ?? "";
      text = diagnostic !== "" && prose.indexOf(diagnostic) !== -1 ? prose : `${prose} ${diagnostic}`.trim();
    } else {
      const paragraph = report.paragraphAbout(r.recipient);
      text = r.diagnostic !== undefined && r.diagnostic !== "" ? r.diagnostic : paragraph;
      // The prose may tell the command the recipient's diagnostic does not ("(in reply to RCPT TO command)").
      const at = paragraph.indexOf("in reply to ");
      if (at !== -1) command = findCommand(paragraph.slice(at));
    }
    const record = dsnRecord(report, r, text);
    if (command !== undefined) record.command = command;
    if (given !== undefined) record.reason = given;
    return record;
  });
}

const BOILERPLATE_STARTS = [
  "Content-",
  "This is a MIME",
  "This is a multi",
  "This is an auto",
  "This multi-part",
  "###",
  "***",
  "--",
];
const BOILERPLATE_HAS = ["--- The follow", "--- Transcript"];

/** The report's prose: its human-readable lines before any DSN field, boilerplate dropped, squeezed. */
export function proseOf(report: Report): string {
  const kept: string[] = [];
  for (const line of report.lines) {
    if (
      report.mail.dsn === "" &&
      dsnField(line) !== undefined &&
      /^(reporting-mta|final-recipient|original-recipient|arrival-date|received-from-mta)/i.test(line)
    )
      break;
    if (BOILERPLATE_STARTS.some((s) => line.startsWith(s)) || BOILERPLATE_HAS.some((s) => line.indexOf(s) !== -1))
      continue;
    kept.push(line);
  }
  return squeeze(kept.join(" "));
}

/** The lines of Sendmail's transcript of the session, after its banner; undefined when the report has none. */
export function sendmailTranscript(report: Report): readonly string[] | undefined {
  return section(report.lines, { after: (line) => line.indexOf("----- Transcript of session follows -----") !== -1 });
}

/** A bounce Google's mail systems wrote (Gmail's, Google Groups', Google Workspace's). */
export function fromGoogle(report: Report): boolean {
  return (
    report.mail.from.indexOf("<mailer-daemon@googlemail.com>") !== -1 &&
    report.mail.subject.indexOf("Delivery Status Notification") !== -1
  );
}

/** A bounce from Verizon Wireless (vtext.com, vzwpix.com). */
export function fromVerizon(report: Report): boolean {
  const from = report.mail.from.toLowerCase();
  const at = from.indexOf("sysadmin@");
  return from.indexOf("post_master@vtext.com") !== -1 || (at !== -1 && from.indexOf(".vzwpix.com", at) !== -1);
}

/**
 * The form Verizon's and Apache James' bounces share: "Error: …", the server's reply under "Error message below:",
 * and the recipient in "Message details: … RCPT TO: a@b" (or the "Original Message:" headers' To:).
 */
export function readErrorDetails(report: Report): BounceRecord[] | undefined {
  const text = report.mail.text;
  let details = text.indexOf("Message details:");
  if (details === -1) details = text.indexOf("Original Message:");
  if (details === -1) return undefined;
  let recipient: string | undefined;
  for (const line of text.slice(details).split("\n")) {
    const trimmed = line.trim();
    if (trimmed.startsWith("RCPT TO:") || trimmed.startsWith("To:")) {
      recipient = findAddresses(trimmed, 1)[0]?.address;
      if (recipient !== undefined) break;
    }
  }
  if (recipient === undefined) return undefined;
  const error = text.indexOf("Error: ");
  return [{ recipient, text: squeeze(text.slice(error === -1 || error > details ? 0 : error, details)) }];
}

/**
 * The recipients a session transcript shows refused (" In:  RCPT TO:<a@b>" and " Out: 550 …", as Postfix's SMTP
 * server writes its "errors from" notices; a line indented past its marker goes on with the one before): a recipient
 * refused at RCPT TO with that reply, and one accepted there with the refusal of the message that followed (at DATA
 * or BDAT, or at its end). A refusal before any recipient names none. Two passes over the lines.
 */
export function transcriptRecords(lines: readonly string[], sent: string, received: string): BounceRecord[] {
  // The dialogue: what the client said and what the server answered, a reply's lines ("550-…", "550 …") as one.
  const turns: Array<{ said: boolean; text: string }> = [];
  for (const raw of lines) {
    const line = raw.trim();
    const last = turns[turns.length - 1];
    if (line.startsWith(sent)) turns.push({ said: true, text: line.slice(sent.length).trim() });
    else if (line.startsWith(received)) {
      const text = line.slice(received.length).trim();
      if (last !== undefined && !last.said && /^[0-9]{3}-/.test(last.text) && text.startsWith(last.text.slice(0, 3)))
        last.text += ` ${text.slice(4)}`;
      else turns.push({ said: false, text });
    } else if (line !== "" && raw.length > line.length && last !== undefined) last.text += ` ${line}`;
    else if (line === "" && turns.length > 0) break; // the transcript ends at its first blank line
  }
  const records: BounceRecord[] = [];
  let command = "";
  let recipient: string | undefined;
  let accepted: string[] = [];
  for (const turn of turns) {
    if (turn.said) {
      command = turn.text.slice(0, 4).toUpperCase();
      recipient = command === "RCPT" ? findAddresses(turn.text, 1)[0]?.address : undefined;
      continue;
    }
    const code = Number(turn.text.slice(0, 3));
    const refused = code >= 400 && code < 600;
    if (command === "RCPT" && recipient !== undefined) {
      if (refused) records.push({ recipient, text: turn.text, command: "RCPT" });
      else if (code >= 200 && code < 300) accepted.push(recipient);
      recipient = undefined;
    } else if (refused && (command === "DATA" || command === "BDAT")) {
      for (const to of accepted) records.push({ recipient: to, text: turn.text, command: "DATA" });
      accepted = [];
    }
  }
  return squeezed(records);
}
