// dragonfly: the DragonFly Mail Agent's bounces ("This is the DragonFly Mail Agent …", "There was an error
// delivering your mail to <a@b>."); "mx.example.net [192.0.2.1] did not like our RCPT TO:" names the remote host
// and the command. Its own sentences ("Could not deliver for the last …") are catalog wording for the dragonfly MTA.

import { findCommand } from "mailcodes-runtime";
import { findAddresses } from "../address.js";
import { addToLast, recordsIn } from "../read.js";
import type { BounceRecord, Reader, Report } from "../report.js";

export const dragonfly = {
  format: "dragonfly",
  read(report: Report): BounceRecord[] | undefined {
    if (
      report.mail.subject.indexOf("Mail delivery failed") === -1 ||
      !(report.mail.headers.get("received") ?? []).some((r) => r.indexOf(" (DragonFly Mail Agent") !== -1)
    )
      return undefined;
    const opening = "This is the DragonFly Mail Agent ";
    return recordsIn(report.lines, { after: (line) => line.startsWith(opening) }, (line, records) => {
      if (line.startsWith("There was an error delivering your mail to <")) {
        const address = findAddresses(line, 1)[0]?.address;
        if (address !== undefined) records.push({ recipient: address, text: "" });
        return;
      }
      if (!addToLast(records, line)) return;
      const record = records[records.length - 1]!;
      const at = line.indexOf(" did not like our ");
      if (at !== -1 && record.remoteMta === undefined) {
        const host = line.slice(0, at).trim().split(" ")[0] ?? "";
        if (host.indexOf(".") > 0) record.remoteMta = host.toLowerCase();
        const command = findCommand(line.slice(at));
        if (command !== undefined) record.command = command;
      }
    });
  },
} as const satisfies Reader;
