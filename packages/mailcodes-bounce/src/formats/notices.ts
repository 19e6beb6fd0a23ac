// notices: two unnamed MTAs' notices, by their form. "Delivery status notification" from "Mail Delivery System",
// with the recipients as "  * a@b" bullets and the cause under "Technical details" ("SMTP:RCPT host …: 553 …",
// "Routing: Could not find a gateway for …"); and "There was an error sending your mail" ("We had trouble
// delivering your message"), a line per recipient.
import type { BounceRecord, Format, Report } from "../report.js";
import { findAddresses, isAddress, squeeze } from "../text.js";
import { commandIn } from "./smtp.js";

export const bulleted: Format = {
  name: "bulleted",
  read(report: Report): BounceRecord[] | undefined {
    if (!report.mail.from.startsWith("Mail Delivery System") || !report.mail.subject.startsWith("Delivery status notification")) return undefined;
    const records: BounceRecord[] = [];
    for (const line of report.lines) {
      const trimmed = line.trim();
      if (line.startsWith(" ") && trimmed.startsWith("* ") && isAddress(trimmed.slice(2))) {
        records.push({ recipient: findAddresses(trimmed, 1)[0]!.address, text: "" });
      } else if (records.length > 0 && line.startsWith("SMTP:")) {
        const record = records[records.length - 1]!;
        record.text += " " + line;
        const command = commandIn(line.slice(5, 12));
        if (command !== undefined) record.command = command;
      } else if (records.length > 0 && line.startsWith("Routing: ")) {
        records[records.length - 1]!.text += " " + line;
      }
    }
    for (const record of records) record.text = squeeze(record.text);
    return records;
  },
};

export const errorSending: Format = {
  name: "errorsending",
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
      const command = commandIn(line);
      if (command !== undefined) record.command = command;
      records.push(record);
    }
    return records;
  },
};
