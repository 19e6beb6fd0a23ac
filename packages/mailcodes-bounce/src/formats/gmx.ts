// gmx: GMX's and web.de's bounces (X-GMX-Antispam): Exim's sentences, but the failed address on a line of its own
// in quotes or brackets, and "host: mx.example.net" and "SMTP error from remote server after RCPT command:" on
// lines of their own.
import type { BounceRecord, Format, Report } from "../report.js";
import { findAddresses, squeeze } from "../text.js";
import { commandIn } from "./smtp.js";

export const gmx: Format = {
  name: "gmx",
  read(report: Report): BounceRecord[] | undefined {
    if (!report.mail.headers.has("x-gmx-antispam")) return undefined;
    const records: BounceRecord[] = [];
    let on = false;
    for (const line of report.lines) {
      if (!on) {
        on = line.startsWith("This message was created automatically by mail delivery software");
        continue;
      }
      if (line === "") continue;
      const record = records[records.length - 1];
      if (line.indexOf("@") > 1 && (line.startsWith("\"") || line.startsWith("<"))) {
        const address = findAddresses(line, 1)[0]?.address;
        if (address !== undefined) records.push({ recipient: address, text: "" });
      } else if (record !== undefined && line.startsWith("SMTP error ")) {
        const command = commandIn(line);
        if (command !== undefined) record.command = command;
      } else if (record !== undefined && line.startsWith("host: ")) {
        record.remoteMta = line.slice(6).trim().toLowerCase();
      } else if (record !== undefined) {
        record.text += " " + line;
      }
    }
    for (const record of records) record.text = squeeze(record.text);
    return records;
  },
};
