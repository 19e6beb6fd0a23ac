// v5sendmail: Sendmail V5 and other sendmails that write no DSN ("Returned mail: …", the transcript and then "-----
// Unsent message follows -----"): the recipients are the " <a@b>... reason" lines of the transcript and its ">>> RCPT
// To:<a@b>" lines, each with the dialogue that led to it ("While talking to host:", ">>> …", "<<< …"). The refusal of
// MAIL FROM ("<<< 501 <sender>... no access") names the sender, not a recipient: it belongs to the recipient the
// transcript names next. Lines before the first "While talking to" and lines of no dialogue are kept apart, and read
// only when the transcript names no recipient.
import { findCommand } from "mailcodes-runtime";
import { fieldAddresses, findAddresses } from "../address.js";
import { sendmailTranscript } from "../read.js";
import type { BounceRecord, Reader, Report } from "../report.js";
import { squeeze } from "../text.js";

export const v5sendmail = {
  format: "v5sendmail",
  read(report: Report): BounceRecord[] | undefined {
    if (!report.mail.subject.startsWith("Returned mail: ") || report.dsn.recipients.length > 0) return undefined;
    const transcript = sendmailTranscript(report);
    if (transcript === undefined) return undefined;
    const records: BounceRecord[] = [];
    /** Lines of no dialogue, by how many recipients were named before them. */
    const apart: string[] = [];
    let current: BounceRecord = { recipient: "", text: "" };
    let remote: string | undefined;
    let command: BounceRecord["command"];
    for (const line of transcript) {
      if (line === "") continue;
      if (line.startsWith(">>> ")) command = findCommand(line.slice(4)) ?? command;
      const address = transcriptAddress(line);
      if (address !== undefined) {
        if (remote === undefined) {
          apart[records.length] = `${apart[records.length] ?? ""} ${line}`;
          continue;
        }
        if (address === current.recipient || (command === "MAIL" && line.startsWith("<<< "))) {
          current.text += ` ${line}`;
          command = undefined;
        } else {
          if (current.recipient !== "") {
            records.push(current);
            current = { recipient: "", text: "" };
          }
          current.recipient = address;
          current.remoteMta = remote;
          current.text += ` ${line}`;
          if (current.command === undefined && command !== undefined) current.command = command;
        }
      } else if (talkingTo(line) !== -1) {
        const host = line
          .slice(talkingTo(line) + 17)
          .replace(/\.?:$/, "")
          .trim()
          .toLowerCase();
        if (host.indexOf(".") > 0) remote = host;
      } else if (line.startsWith(">>> ") || line.startsWith("<<< ")) {
        current.text += ` ${line}`;
      } else {
        const named = records.length + (current.recipient !== "" ? 1 : 0);
        apart[named] = `${apart[named] ?? ""} ${line}`;
      }
    }
    if (current.recipient !== "") records.push(current);
    if (records.length === 0) {
      apart.forEach((text, i) => {
        const address = findAddresses(text, 1)[0]?.address;
        if (address !== undefined && i >= 0) records.push({ recipient: address, text });
      });
      if (records.length === 0) {
        const to = fieldAddresses(report.originalHeader("to"), 1)[0];
        if (to !== undefined) records.push({ recipient: to, text: "" });
      }
    }
    records.forEach((record, i) => {
      if (record.text.trim() === "" && apart[i] !== undefined) record.text = apart[i]!;
      record.text = squeeze(record.text);
      const found = record.command ?? findCommand(record.text);
      if (found !== undefined) record.command = found;
    });
    return records;
  },
} as const satisfies Reader;

/** Where "While talking to " (Sendmail V5) or "... while talking to " (Sendmail 8) starts in a line, or -1. */
function talkingTo(line: string): number {
  const at = line.indexOf("hile talking to ");
  return at > 0 && (line[at - 1] === "W" || line[at - 1] === "w") ? at - 1 : -1;
}

/** The address a transcript line names as a recipient: "<a@b>... reason" (at its start or after a space), or ">>> RCPT To:<a@b>". */
function transcriptAddress(line: string): string | undefined {
  const open = line.startsWith("<") ? -1 : line.indexOf(" <");
  if (open !== -1 || line.startsWith("<")) {
    const at = line.indexOf("@", open + 2);
    const close = at === -1 ? -1 : line.indexOf(">...", at);
    if (close !== -1) return findAddresses(line, 1, open + 2, close)[0]?.address;
  }
  const rcpt = line.toUpperCase().indexOf(">>> RCPT TO:");
  if (rcpt === -1) return undefined;
  const from = line.indexOf(":<", rcpt);
  const end = from === -1 ? -1 : line.indexOf(">", from);
  return end === -1 ? undefined : findAddresses(line, 1, from + 2, end)[0]?.address;
}
