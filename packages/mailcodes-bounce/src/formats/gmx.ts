// gmx: GMX's and web.de's bounces (X-GMX-Antispam): Exim's sentences, but the failed address on a line of its own
// in quotes or brackets, and "host: mx.example.net" and "SMTP error from remote server after RCPT command:" on
// lines of their own.

import { findCommand } from "mailcodes-runtime";
import { findAddresses } from "../address.js";
import { recordsIn } from "../read.js";
import type { BounceRecord, Reader, Report } from "../report.js";

export const gmx = {
  format: "gmx",
  read(report: Report): BounceRecord[] | undefined {
    if (!report.mail.headers.has("x-gmx-antispam")) return undefined;
    const opening = "This message was created automatically by mail delivery software";
    return recordsIn(report.lines, { after: (line) => line.startsWith(opening) }, (line, records) => {
      const record = records[records.length - 1];
      if (line.indexOf("@") > 1 && (line.startsWith('"') || line.startsWith("<"))) {
        const address = findAddresses(line, 1)[0]?.address;
        if (address !== undefined) records.push({ recipient: address, text: "" });
      } else if (record !== undefined && line.startsWith("SMTP error ")) {
        const command = findCommand(line);
        if (command !== undefined) record.command = command;
      } else if (record !== undefined && line.startsWith("host: ")) {
        record.remoteMta = line.slice(6).trim().toLowerCase();
      } else if (record !== undefined) {
        record.text += ` ${line}`;
      }
    });
  },
} as const satisfies Reader;
