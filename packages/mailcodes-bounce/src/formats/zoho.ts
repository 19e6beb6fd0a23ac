// zoho: Zoho Mail's bounces (X-ZohoMail): a line per recipient, "a@b Invalid Address, ERROR_CODE :550, ERROR_CODE
// :5.1.1 …", or for a delay "[Status: Error, Address: <a@b>, ResponseCode 421, , Host not reachable.]", which
// Zoho writes for a delivery it keeps retrying.
import type { BounceRecord, Format, Report } from "../report.js";
import { findAddresses, squeeze } from "../text.js";

export const zoho: Format = {
  name: "zoho",
  read(report: Report): BounceRecord[] | undefined {
    if (!report.mail.headers.has("x-zohomail")) return undefined;
    const records: BounceRecord[] = [];
    let on = false;
    for (const line of report.lines) {
      if (!on) {
        on = line.startsWith("This message was created automatically by mail delivery");
        continue;
      }
      if (line === "") continue;
      if ((line.indexOf("@") !== -1 && line.indexOf("ERROR_CODE :") !== -1) || line.startsWith("[Status: ")) {
        const address = findAddresses(line, 1)[0]?.address;
        if (address !== undefined) records.push({ recipient: address, text: line });
      } else if (records.length > 0 && !line.startsWith("-----")) {
        records[records.length - 1]!.text += " " + line;
      }
    }
    for (const record of records) {
      record.text = squeeze(record.text);
      if (record.text.indexOf("Host not reachable") !== -1) record.reason = "expired";
    }
    return records;
  },
};
