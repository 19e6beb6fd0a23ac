// notices: unnamed MTAs' notices, by their form. "Delivery status notification" from "Mail Delivery System",
// with the recipients as "  * a@b" bullets and the cause under "Technical details" ("SMTP:RCPT host …: 553 …",
// "Routing: Could not find a gateway for …"); "There was an error sending your mail" ("We had trouble
// delivering your message"), a line per recipient; "Returned Mail: …" or "Mail Delivery Failure" ("The original
// message was received at …", then "a@b [User unknown]" under "---The following addresses had delivery errors---");
// and "Delivery failure" from a MAILER-DAEMON ("Unable to deliver message to the following address(es).", "<a@b>:"
// and the reason below).
import type { BounceRecord, Format, Report } from "../report.js";
import { findAddresses, isAddress, squeeze } from "../text.js";
import { commandIn, squeezedWithCommands } from "./smtp.js";

export const bracketed: Format = {
  name: "bracketed",
  read(report: Report): BounceRecord[] | undefined {
    const subject = report.mail.subject;
    const from = report.mail.from;
    const mailer = from.indexOf("\"Mail Deliver");
    if (!subject.startsWith("Returned Mail: ") && !subject.startsWith("Mail Delivery Failure") && !(mailer !== -1 && from.indexOf("System\" ", mailer) !== -1)) return undefined;
    const records: BounceRecord[] = [];
    let on = false;
    for (const line of report.lines) {
      if (!on) {
        on = line.startsWith("The original message was received at ");
        continue;
      }
      if (line === "") continue;
      const at = line.indexOf("@");
      const open = at === -1 ? -1 : line.indexOf(" [", at);
      if (open !== -1 && line.indexOf("]", open) !== -1) {
        const word = line.trim().split(" ")[0]!;
        if (isAddress(word)) {
          records.push({ recipient: findAddresses(word, 1)[0]!.address, text: line.trim() });
          continue;
        }
      }
      const record = records[records.length - 1];
      if (record !== undefined) record.text += " " + line;
    }
    return squeezedWithCommands(records);
  },
};

export const unableToDeliver: Format = {
  name: "unabletodeliver",
  read(report: Report): BounceRecord[] | undefined {
    const subject = report.mail.subject;
    if (report.mail.from.indexOf("MAILER-DAEMON@") === -1 && !["Delivery failure", "failure delivery", "failed delivery"].some((s) => subject.startsWith(s))) return undefined;
    const records: BounceRecord[] = [];
    let on = false;
    for (const line of report.lines) {
      if (!on) {
        on = line.startsWith("Unable to deliver message to the following address");
        continue;
      }
      if (line === "") continue;
      const close = line.indexOf(">:");
      if (line.startsWith("<") && close > 1) {
        const address = findAddresses(line.slice(1, close), 2);
        if (address.length === 1 && address[0]!.start === 0 && address[0]!.end === close - 1) {
          records.push({ recipient: address[0]!.address, text: line.slice(close + 2).trim() });
          continue;
        }
      }
      const record = records[records.length - 1];
      if (record !== undefined) record.text += " " + line;
    }
    return squeezedWithCommands(records);
  },
};

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
