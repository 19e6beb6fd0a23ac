// opensmtpd: OpenSMTPD's bounces ("This is the MAILER-DAEMON, please DO NOT REPLY to this e-mail."): one line per
// failed recipient, "a@b: 550 5.1.1 … User Unknown". Its own sentences ("Envelope expired") are catalog wording for
// the opensmtpd MTA.

import { findAddresses } from "../address.js";
import { section } from "../read.js";
import type { BounceRecord, Reader, Report } from "../report.js";

export const opensmtpd = {
  format: "opensmtpd",
  read(report: Report): BounceRecord[] | undefined {
    const received = (report.mail.headers.get("received") ?? []).some((r) => r.indexOf(" (OpenSMTPD) with ") !== -1);
    if (
      report.mail.subject.indexOf("Delivery status notification") === -1 &&
      report.mail.from.indexOf("Mailer Daemon <") === -1 &&
      !received
    )
      return undefined;
    const lines = section(report.lines, {
      after: (line) => line.startsWith("    This is the MAILER-DAEMON, please DO NOT REPLY to this"),
      until: (line) => line.startsWith("    Below is a copy of the original message:"),
    });
    const records: BounceRecord[] = [];
    for (const line of lines ?? []) {
      const colon = line.indexOf(": ");
      if (colon <= 0 || line[0] === " ") continue;
      const address = findAddresses(line.slice(0, colon), 2);
      if (address.length === 1 && address[0]!.start === 0 && address[0]!.end === colon)
        records.push({ recipient: address[0]!.address, text: line.slice(colon + 2).trim() });
    }
    return records;
  },
} as const satisfies Reader;
