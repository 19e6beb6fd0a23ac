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
    const replies = new Set<string>(); // each reply once, in order
    let command: string | undefined;
    const other: string[] = []; // what the transcript says besides the dialogue, for recipients with no diagnostic
    let otherStatus: string | undefined;
    let sessionError = false;
    for (const line of report.lines.slice(start + 1)) {
      if (dsnField(line) !== undefined || line.startsWith("Content-Type:")) break;
      if (line.startsWith(" ")) continue;
      if (line.startsWith(">>> ")) {
        command ??= commandIn(line.slice(4));
      } else if (line.startsWith("<<< ")) {
        replies.add(line.slice(4));
      } else if (!sessionError) {
        if (line.startsWith("... while talking to ")) {
          sessionError = true;
        } else if (line.startsWith("<") && isAddressLine(line)) {
          other.length = 0;
          if (line.indexOf(" ") !== -1) other.push(line.slice(line.indexOf(" ") + 1));
        } else if (hasCodes(line)) {
          otherStatus = statusIn(line) ?? otherStatus;
          other.push(line);
        } else if (line.startsWith("Message: ") || line.startsWith("Warning: ")) {
          other.push(line);
        }
      }
    }
    // Read once, however many recipients share it.
    const otherText = squeeze(other.join(" "));
    const otherCommand = commandIn(otherText);
    return recipients.map((r) => {
      let text = r.diagnostic ?? "";
      if (otherText !== "" && (text === "" || /^[0-9]+$/.test(text))) text = otherText;
      if (replies.size > 0 && recipients.length === 1) text = squeeze([...replies].join(" ") + " " + text);
      const record = dsnRecord(report, r, text);
      const found = command ?? (text === otherText ? otherCommand : commandIn(text)) ?? (replies.size > 0 ? "EHLO" : undefined);
      if (found !== undefined) record.command = found;
      if (record.status === undefined && otherStatus !== undefined) record.status = otherStatus;
      return record;
    });
  },
};

/**
 * Sendmail V5 and other sendmails that write no DSN ("Returned mail: …", the transcript and then "----- Unsent
 * message follows -----"): the recipients are the " <a@b>... reason" lines of the transcript and its ">>> RCPT
 * To:<a@b>" lines, each with the dialogue that led to it ("While talking to host:", ">>> …", "<<< …"). The refusal
 * of MAIL FROM ("<<< 501 <sender>... no access") names the sender, not a recipient: it belongs to the recipient the
 * transcript names next. Lines before the first "While talking to" and lines of no dialogue are kept apart, and read
 * only when the transcript names no recipient.
 */
export const v5sendmail: Format = {
  name: "v5sendmail",
  read(report: Report): BounceRecord[] | undefined {
    if (!report.mail.subject.startsWith("Returned mail: ") || report.dsn.recipients.length > 0) return undefined;
    const start = report.lines.findIndex((l) => l.indexOf(TRANSCRIPT) !== -1);
    if (start === -1) return undefined;
    const records: BounceRecord[] = [];
    /** Lines of no dialogue, by how many recipients were named before them. */
    const apart: string[] = [];
    let current: BounceRecord = { recipient: "", text: "" };
    let remote: string | undefined;
    let command: string | undefined;
    for (const line of report.lines.slice(start + 1)) {
      if (line === "") continue;
      if (line.startsWith(">>> ")) command = commandIn(line.slice(4)) ?? command;
      const address = transcriptAddress(line);
      if (address !== undefined) {
        if (remote === undefined) {
          apart[records.length] = (apart[records.length] ?? "") + " " + line;
          continue;
        }
        if (address === current.recipient || (command === "MAIL" && line.startsWith("<<< "))) {
          current.text += " " + line;
          command = undefined;
        } else {
          if (current.recipient !== "") {
            records.push(current);
            current = { recipient: "", text: "" };
          }
          current.recipient = address;
          current.remoteMta = remote;
          current.text += " " + line;
          if (current.command === undefined && command !== undefined) current.command = command;
        }
      } else if (line.indexOf("While talking to ") !== -1) {
        const host = line.slice(line.indexOf("While talking to ") + 17).replace(/:$/, "").trim().toLowerCase();
        if (host.indexOf(".") > 0) remote = host;
      } else if (line.startsWith(">>> ") || line.startsWith("<<< ")) {
        current.text += " " + line;
      } else {
        const named = records.length + (current.recipient !== "" ? 1 : 0);
        apart[named] = (apart[named] ?? "") + " " + line;
      }
    }
    if (current.recipient !== "") records.push(current);
    if (records.length === 0) {
      apart.forEach((text, i) => {
        const address = findAddresses(text, 1)[0]?.address;
        if (address !== undefined && i >= 0) records.push({ recipient: address, text });
      });
      if (records.length === 0) {
        const to = findAddresses(report.originalHeader("to"), 1)[0]?.address;
        if (to !== undefined) records.push({ recipient: to, text: "" });
      }
    }
    records.forEach((record, i) => {
      if (record.text.trim() === "" && apart[i] !== undefined) record.text = apart[i]!;
      record.text = squeeze(record.text);
      const found = record.command ?? commandIn(record.text);
      if (found !== undefined) record.command = found;
    });
    return records;
  },
};

/** The address a transcript line names as a recipient: " <a@b>... reason", or ">>> RCPT To:<a@b>". */
function transcriptAddress(line: string): string | undefined {
  const open = line.indexOf(" <");
  if (open !== -1) {
    const at = line.indexOf("@", open);
    const close = at === -1 ? -1 : line.indexOf(">...", at);
    if (close !== -1) return findAddresses(line.slice(open + 2, close), 1)[0]?.address;
  }
  const rcpt = line.toUpperCase().indexOf(">>> RCPT TO:");
  if (rcpt === -1) return undefined;
  const from = line.indexOf(":<", rcpt);
  const end = from === -1 ? -1 : line.indexOf(">", from);
  return end === -1 ? undefined : findAddresses(line.slice(from + 2, end), 1)[0]?.address;
}
