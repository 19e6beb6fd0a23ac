// bracketed: an unnamed MTA's notices ("Returned Mail: …" or "Mail Delivery Failure", or from "Mail Delivery System"):
// "The original message was received at …", then "a@b [User unknown]" under "---The following addresses had delivery
// errors---".
import { addressAlone } from "../address.js";
import { addToLast, recordsIn, withCommands } from "../read.js";
import type { BounceRecord, Reader, Report } from "../report.js";

export const bracketed = {
  format: "bracketed",
  read(report: Report): BounceRecord[] | undefined {
    const subject = report.mail.subject;
    const from = report.mail.from;
    const mailer = from.indexOf('"Mail Deliver');
    if (
      !subject.startsWith("Returned Mail: ") &&
      !subject.startsWith("Mail Delivery Failure") &&
      !(mailer !== -1 && from.indexOf('System" ', mailer) !== -1)
    )
      return undefined;
    const opening = "The original message was received at ";
    const records = recordsIn(report.lines, { after: (line) => line.startsWith(opening) }, (line, records) => {
      const at = line.indexOf("@");
      const open = at === -1 ? -1 : line.indexOf(" [", at);
      const address =
        open !== -1 && line.indexOf("]", open) !== -1 ? addressAlone(line.trim().split(" ")[0]!) : undefined;
      if (address !== undefined) records.push({ recipient: address, text: line.trim() });
      else addToLast(records, line);
    });
    return records && withCommands(records);
  },
} as const satisfies Reader;
