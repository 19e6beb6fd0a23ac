// bulleted: an unnamed MTA's notices ("Delivery status notification" from "Mail Delivery System"): the recipients as
// "  * a@b" bullets, the cause under "Technical details" ("SMTP:RCPT host …: 553 …", "Routing: Could not find a
// gateway for …").
import { findCommand } from "mailcodes-runtime";
import { addressAlone } from "../address.js";
import { addToLast, squeezed } from "../read.js";
import type { BounceRecord, Reader, Report } from "../report.js";

export const bulleted = {
  format: "bulleted",
  read(report: Report): BounceRecord[] | undefined {
    if (
      !report.mail.from.startsWith("Mail Delivery System") ||
      !report.mail.subject.startsWith("Delivery status notification")
    )
      return undefined;
    const records: BounceRecord[] = [];
    for (const line of report.lines) {
      const trimmed = line.trim();
      const address = line.startsWith(" ") && trimmed.startsWith("* ") ? addressAlone(trimmed.slice(2)) : undefined;
      if (address !== undefined) {
        records.push({ recipient: address, text: "" });
      } else if (line.startsWith("SMTP:") && addToLast(records, line)) {
        const command = findCommand(line.slice(5, 12));
        if (command !== undefined) records[records.length - 1]!.command = command;
      } else if (line.startsWith("Routing: ")) {
        addToLast(records, line);
      }
    }
    return squeezed(records);
  },
} as const satisfies Reader;
