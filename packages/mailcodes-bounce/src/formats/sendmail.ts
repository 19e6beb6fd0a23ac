// sendmail: Sendmail's DSNs ("Returned mail: see transcript for details", "Warning: could not send message for
// past 4 hours"). What the remote server said is in the transcript of the session ("<<< 550 5.1.1 …" lines), the
// command it answered in its ">>> RCPT To:<…>" lines; a transcript with replies and no command is a refused
// greeting. Records come from the DSN fields, their text from the replies and the Diagnostic-Code.
import { findCommand } from "mailcodes-runtime";
import { dsnField } from "../dsn.js";
import { dsnRecord, hasCodes, sendmailTranscript, statusIn } from "../read.js";
import type { BounceRecord, Reader, Report } from "../report.js";
import { squeeze } from "../text.js";

/** "<a@b.example>... User unknown": an address in brackets followed by "." (sendmail's "..."). */
function isAddressLine(line: string): boolean {
  const at = line.indexOf("@");
  const close = at === -1 ? -1 : line.indexOf(">", at);
  return close !== -1 && line[close + 1] === ".";
}

export const sendmail = {
  format: "sendmail",
  read(report: Report): BounceRecord[] | undefined {
    const subject = report.mail.subject;
    if (
      report.header("x-aol-ip") !== "" ||
      !(subject.startsWith("Warning: ") || subject.endsWith("see transcript for details"))
    )
      return undefined;
    const transcript = sendmailTranscript(report);
    if (transcript === undefined) return undefined;
    const recipients = report.dsn.recipients;
    if (recipients.length === 0) return undefined;
    const replies = new Set<string>(); // each reply once, in order
    let command: BounceRecord["command"];
    const other: string[] = []; // what the transcript says besides the dialogue, for recipients with no diagnostic
    let otherStatus: string | undefined;
    let sessionError = false;
    for (const line of transcript) {
      if (dsnField(line) !== undefined || line.startsWith("Content-Type:")) break;
      if (line.startsWith(" ")) continue;
      if (line.startsWith(">>> ")) {
        command ??= findCommand(line.slice(4));
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
    const otherCommand = findCommand(otherText);
    return recipients.map((r) => {
      let text = r.diagnostic ?? "";
      if (otherText !== "" && (text === "" || /^[0-9]+$/.test(text))) text = otherText;
      if (replies.size > 0 && recipients.length === 1) text = squeeze(`${[...replies].join(" ")} ${text}`);
      const record = dsnRecord(report, r, text);
      const found =
        command ?? (text === otherText ? otherCommand : findCommand(text)) ?? (replies.size > 0 ? "EHLO" : undefined);
      if (found !== undefined) record.command = found;
      if (record.status === undefined && otherStatus !== undefined) record.status = otherStatus;
      return record;
    });
  },
} as const satisfies Reader;
