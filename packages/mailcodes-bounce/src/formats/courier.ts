// courier: the Courier MTA's delivery status notifications (From "Courier mail server at …", Subject "NOTICE: mail
// delivery status." or "WARNING: delayed mail.", Message-IDs <courier.…>). The report is an RFC 3464 DSN; the prose
// repeats each recipient's dialogue ("<a@b>:", the host, ">>> RCPT TO:<a@b>", "<<< 550 …"), which tells the command
// the reply answered. Courier's own sentences ("No such domain.", "DNS lookup failed.") are catalog wording for the
// courier MTA.

import { findCommand } from "mailcodes-runtime";
import { findAddresses } from "../address.js";
import { dsnRecord } from "../read.js";
import type { BounceRecord, Reader, Report } from "../report.js";

function isCourier(report: Report): boolean {
  const subject = report.mail.subject;
  return (
    report.mail.from.indexOf("Courier mail server at ") !== -1 ||
    subject.indexOf("NOTICE: mail delivery status.") !== -1 ||
    subject.indexOf("WARNING: delayed mail.") !== -1 ||
    report.header("message-id").startsWith("<courier.")
  );
}

export const courier = {
  format: "courier",
  read(report: Report): BounceRecord[] | undefined {
    if (!isCourier(report)) return undefined;
    const recipients = report.dsn.recipients;
    if (recipients.length === 0) return undefined;
    // The command of each recipient's dialogue: the first ">>> " line after the line naming it, else the report's first.
    const commands = new Map<string, NonNullable<BounceRecord["command"]>>();
    let first: BounceRecord["command"];
    let current: string | undefined;
    const known = new Set(recipients.map((r) => r.recipient));
    for (const line of report.lines) {
      if (line.startsWith(">>> ")) {
        const command = findCommand(line.slice(4));
        if (command === undefined) continue;
        first ??= command;
        if (current !== undefined && !commands.has(current)) commands.set(current, command);
        continue;
      }
      if (line.startsWith("<") && line.trimEnd().endsWith(">:")) {
        const address = findAddresses(line, 1)[0]?.address;
        current = address !== undefined && known.has(address) ? address : undefined;
      }
    }
    return recipients.map((r) => {
      const text =
        r.diagnostic !== undefined && r.diagnostic !== "" ? r.diagnostic : report.paragraphAbout(r.recipient);
      const record = dsnRecord(report, r, text);
      const command = commands.get(r.recipient) ?? first ?? findCommand(text);
      if (command !== undefined) record.command = command;
      return record;
    });
  },
} as const satisfies Reader;
