// imail: Ipswitch IMail Server's bounces ("Undeliverable Mail", X-Mailer <SMTP32 v…>): a line per recipient
// ("Unknown user: a@b"), and the remote server's reply after "Body of message generated response:". Its own
// sentences are catalog wording for the imail MTA.
import { findAddresses } from "../address.js";
import type { BounceRecord, Reader, Report } from "../report.js";
import { squeeze } from "../text.js";

export const imail = {
  format: "imail",
  read(report: Report): BounceRecord[] | undefined {
    if (!report.mail.subject.startsWith("Undeliverable Mail ") && !report.header("x-mailer").startsWith("<SMTP32 v"))
      return undefined;
    const records: BounceRecord[] = [];
    let response = "";
    for (const line of report.lines) {
      const colon = line.indexOf(": ");
      if ((colon > 8 && line.indexOf("@", colon) !== -1) || line.startsWith("undeliverable ")) {
        const address = findAddresses(line, 1)[0]?.address;
        if (address !== undefined) records.push({ recipient: address, text: line });
      } else if (line.indexOf("Body of message generated response:") !== -1) {
        response = line;
      } else if (response !== "") {
        response += ` ${line}`;
      }
    }
    const said = squeeze(response);
    for (const record of records) record.text = `${said} ${squeeze(record.text)}`.trim();
    return records;
  },
} as const satisfies Reader;
