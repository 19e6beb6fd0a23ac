// errorsending: an unnamed MTA's notices ("There was an error sending your mail", "We had trouble delivering your
// message"): a line per recipient.
import { findCommand } from "mailcodes-runtime";
import { findAddresses } from "../address.js";
import type { BounceRecord, Reader, Report } from "../report.js";
import { squeeze } from "../text.js";

export const errorsending = {
  format: "errorsending",
  read(report: Report): BounceRecord[] | undefined {
    if (!report.mail.subject.startsWith("There was an error sending your mail")) return undefined;
    const records: BounceRecord[] = [];
    for (const line of report.lines) {
      const first = line.startsWith("The following recipients returned permanent errors: ");
      if (!first && !line.startsWith("SMTP Server <")) continue;
      const found = findAddresses(line);
      const address = first ? found[0] : found[found.length - 1];
      if (address === undefined) continue;
      const record: BounceRecord = { recipient: address.address, text: squeeze(line) };
      const command = findCommand(line);
      if (command !== undefined) record.command = command;
      records.push(record);
    }
    return records;
  },
} as const satisfies Reader;
