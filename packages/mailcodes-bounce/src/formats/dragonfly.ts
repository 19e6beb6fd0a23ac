// dragonfly: the DragonFly Mail Agent's bounces ("This is the DragonFly Mail Agent …", "There was an error
// delivering your mail to <a@b>."); "mx.example.net [192.0.2.1] did not like our RCPT TO:" names the remote host
// and the command. Its own sentences ("Could not deliver for the last …") are catalog wording for the dragonfly MTA.
import type { BounceRecord, Format, Report } from "../report.js";
import { findAddresses, squeeze } from "../text.js";
import { commandIn } from "./smtp.js";

export const dragonfly: Format = {
  name: "dragonfly",
  read(report: Report): BounceRecord[] | undefined {
    if (report.mail.subject.indexOf("Mail delivery failed") === -1 || !(report.mail.headers.get("received") ?? []).some((r) => r.indexOf(" (DragonFly Mail Agent") !== -1)) return undefined;
    const records: BounceRecord[] = [];
    let on = false;
    for (const line of report.lines) {
      if (!on) {
        on = line.startsWith("This is the DragonFly Mail Agent ");
        continue;
      }
      if (line === "") continue;
      if (line.startsWith("There was an error delivering your mail to <")) {
        const address = findAddresses(line, 1)[0]?.address;
        if (address !== undefined) records.push({ recipient: address, text: "" });
        continue;
      }
      const record = records[records.length - 1];
      if (record === undefined) continue;
      record.text += " " + line;
      const at = line.indexOf(" did not like our ");
      if (at !== -1 && record.remoteMta === undefined) {
        const host = line.slice(0, at).trim().split(" ")[0] ?? "";
        if (host.indexOf(".") > 0) record.remoteMta = host.toLowerCase();
        const command = commandIn(line.slice(at));
        if (command !== undefined) record.command = command;
      }
    }
    for (const record of records) record.text = squeeze(record.text);
    return records;
  },
};
