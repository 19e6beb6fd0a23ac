// zoho: Zoho Mail's bounces (X-ZohoMail): a line per recipient, "a@b Invalid Address, ERROR_CODE :550, ERROR_CODE
// :5.1.1 …", or for a delay "[Status: Error, Address: <a@b>, ResponseCode 421, , Host not reachable.]", which
// Zoho writes for a delivery it keeps retrying.

import { findAddresses } from "../address.js";
import { addToLast, recordsIn } from "../read.js";
import type { BounceRecord, Reader, Report } from "../report.js";

export const zoho = {
  format: "zoho",
  read(report: Report): BounceRecord[] | undefined {
    if (!report.mail.headers.has("x-zohomail")) return undefined;
    const opening = "This message was created automatically by mail delivery";
    const records = recordsIn(report.lines, { after: (line) => line.startsWith(opening) }, (line, records) => {
      if ((line.indexOf("@") !== -1 && line.indexOf("ERROR_CODE :") !== -1) || line.startsWith("[Status: ")) {
        const address = findAddresses(line, 1)[0]?.address;
        if (address !== undefined) records.push({ recipient: address, text: line });
      } else if (!line.startsWith("-----")) {
        addToLast(records, line);
      }
    });
    for (const record of records ?? []) {
      if (record.text.indexOf("Host not reachable") !== -1) record.reason = "expired";
    }
    return records;
  },
} as const satisfies Reader;
