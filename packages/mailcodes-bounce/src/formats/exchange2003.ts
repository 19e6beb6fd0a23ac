// exchange: Microsoft Exchange 2003's (and its Internet Mail Service's) non-delivery reports: "did not reach the
// following recipient(s): a@b on <date>", then the reason and an MSEXCH diagnostic with a hexadecimal code
// ("MSEXCH:IMS:…:0 (000C05A6) Unknown Recipient"); the codes are catalog wording. Exchange 2007 and later write
// RFC 3464 reports, read by rfc3464.

import { findAddresses } from "../address.js";
import { addToLast, recordsIn } from "../read.js";
import type { BounceRecord, Reader, Report } from "../report.js";

export const exchange2003 = {
  format: "exchange2003",
  read(report: Report): BounceRecord[] | undefined {
    const mailer = report.header("x-mailer");
    const known =
      report.mail.headers.has("x-ms-embedded-report") ||
      mailer.startsWith("Internet Mail Service (") ||
      mailer.startsWith("Microsoft Exchange Server Internet Mail Connector") ||
      report.header("x-mimeole").startsWith("Produced By Microsoft Exchange") ||
      (report.mail.headers.get("received") ?? []).some((r) => r.indexOf(" with Internet Mail Service (") !== -1);
    if (!known) return undefined;
    return recordsIn(report.lines, {}, (line, records) => {
      const on = line.indexOf(" on ");
      const trimmed = line.trim().toLowerCase();
      if (
        on !== -1 &&
        line.slice(0, on).indexOf("@") !== -1 &&
        !trimmed.startsWith("to:") &&
        !trimmed.startsWith("sent:")
      ) {
        // "c=US;a= ;p=org;o=site;cat:SMTP=user@example.com; on …" (an X.400 address): the SMTP address in it.
        const head = line.slice(0, on);
        const smtp = head.toLowerCase().indexOf(":smtp=");
        const address = findAddresses(line, 1, smtp === -1 ? 0 : smtp + 6, on)[0]?.address;
        if (address !== undefined) {
          records.push({ recipient: address, text: "" });
          return;
        }
      }
      addToLast(records, line);
    });
  },
} as const satisfies Reader;
