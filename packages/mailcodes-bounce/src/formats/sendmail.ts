// sendmail: Sendmail's DSNs ("Returned mail: see transcript for details", "Warning: could not send message for
// past 4 hours"). What the remote server said is in the transcript of the session ("<<< 550 5.1.1 …" lines), the
// command it answered in its ">>> RCPT To:<…>" lines; a transcript with replies and no command is a refused
// greeting. Records come from the DSN fields, their text from the replies and the Diagnostic-Code.
import { dsnField } from "../dsn.js";
import type { BounceRecord, Format, Report } from "../report.js";
import { findAddresses, squeeze } from "../text.js";
import { commandIn, hasCodes, statusIn } from "./smtp.js";
import { dsnRecord } from "./rfc3464.js";

export const TRANSCRIPT = "----- Transcript of session follows -----";

/** "<a@b.example>... User unknown": an address in brackets followed by "." (sendmail's "..."). */
function isAddressLine(line: string): boolean {
  const at = line.indexOf("@");
  const close = at === -1 ? -1 : line.indexOf(">", at);
  return close !== -1 && line[close + 1] === ".";
}

export const sendmail: Format = {
  name: "sendmail",
  read(report: Report): BounceRecord[] | undefined {
    const subject = report.mail.subject;
    if (report.header("x-aol-ip") !== "" || !(subject.startsWith("Warning: ") || subject.endsWith("see transcript for details"))) return undefined;
    const start = report.lines.findIndex((l) => l.indexOf(TRANSCRIPT) !== -1);
    if (start === -1) return undefined;
    const recipients = report.dsn.recipients;
    if (recipients.length === 0) return undefined;
    const replies: string[] = [];
    let command: string | undefined;
    let otherText = "";
    let otherStatus: string | undefined;
    let sessionError = false;
    for (const line of report.lines.slice(start + 1)) {
      if (dsnField(line) !== undefined || line.startsWith("Content-Type:")) break;
      if (line.startsWith(" ")) continue;
      if (line.startsWith(">>> ")) {
        command ??= commandIn(line.slice(4));
      } else if (line.startsWith("<<< ")) {
        if (!replies.includes(line.slice(4))) replies.push(line.slice(4));
      } else if (!sessionError) {
        if (line.startsWith("... while talking to ")) {
          sessionError = true;
        } else if (line.startsWith("<") && isAddressLine(line)) {
          otherText = line.indexOf(" ") === -1 ? "" : line.slice(line.indexOf(" ") + 1);
        } else if (hasCodes(line)) {
          otherStatus = statusIn(line) ?? otherStatus;
          otherText = (otherText + " " + line).trim();
        } else if (line.startsWith("Message: ") || line.startsWith("Warning: ")) {
          otherText = (otherText + " " + line).trim();
        }
      }
    }
    return recipients.map((r) => {
      let text = r.diagnostic ?? "";
      if (otherText !== "" && (text === "" || /^[0-9]+$/.test(text))) text = otherText;
      if (replies.length > 0 && recipients.length === 1) text = replies.join(" ") + " " + text;
      const record = dsnRecord(report, r, squeeze(text));
      const found = command ?? commandIn(text) ?? (replies.length > 0 ? "EHLO" : undefined);
      if (found !== undefined) record.command = found;
      if (record.status === undefined && otherStatus !== undefined) record.status = otherStatus;
      return record;
    });
  },
};

/**
 * Sendmail V5 and other sendmails that write no DSN ("Returned mail: …", the transcript and then "----- Unsent
 * message follows -----"): the recipients are the "<a@b>... reason" lines of the transcript, each with the
 * dialogue ("While talking to host:", ">>> RCPT To:<a@b>", "<<< 550 …") that led to it.
 */
export const v5sendmail: Format = {
  name: "v5sendmail",
  read(report: Report): BounceRecord[] | undefined {
    if (!report.mail.subject.startsWith("Returned mail: ") || report.dsn.recipients.length > 0) return undefined;
    const start = report.lines.findIndex((l) => l.indexOf(TRANSCRIPT) !== -1);
    if (start === -1) return undefined;
    const records: BounceRecord[] = [];
    const unattached: string[] = [];
    let remote: string | undefined;
    let command: string | undefined;
    for (const line of report.lines.slice(start + 1)) {
      if (line === "") continue;
      if (line.startsWith(">>> ")) command = commandIn(line.slice(4));
      const bracket = line.indexOf("<");
      const close = line.indexOf(">...");
      const named = bracket !== -1 && close > bracket ? findAddresses(line.slice(bracket, close + 1), 1)[0]?.address : undefined;
      const rcptTo = line.toUpperCase().indexOf(">>> RCPT TO:") !== -1 ? findAddresses(line, 1)[0]?.address : undefined;
      const address = named ?? rcptTo;
      if (address !== undefined) {
        if (remote === undefined) {
          unattached.push(line);
          continue;
        }
        const last = records[records.length - 1];
        if (last !== undefined && (address === last.recipient || (command === "MAIL" && line.startsWith("<<< ")))) {
          last.text += " " + line;
          command = undefined;
        } else {
          records.push({ recipient: address, text: line, remoteMta: remote, ...(command !== undefined && { command }) });
        }
      } else if (line.indexOf("While talking to ") !== -1) {
        remote = line.slice(line.indexOf("While talking to ") + 17).replace(/:$/, "").trim().toLowerCase();
      } else if (line.startsWith(">>> ") || line.startsWith("<<< ")) {
        const last = records[records.length - 1];
        if (last !== undefined) last.text += " " + line;
        else unattached.push(line);
      } else {
        unattached.push(line);
      }
    }
    if (records.length === 0) {
      for (const line of unattached) {
        const address = findAddresses(line, 1)[0]?.address;
        if (address !== undefined) records.push({ recipient: address, text: line });
      }
    }
    for (const record of records) {
      record.text = squeeze(record.text);
      const found = record.command ?? commandIn(record.text);
      if (found !== undefined) record.command = found;
    }
    return records;
  },
};
