// mailfoundry: MailFoundry's notices ("Message delivery has failed", Received … (MAILFOUNDRY)): "Unable to deliver
// message to: <a@b>", then "Delivery failed for the following reason:" and the server's reply.
import { findAddresses } from "../address.js";
import { squeezed, withCommands } from "../read.js";
import type { BounceRecord, Reader, Report } from "../report.js";

export const mailfoundry = {
  format: "mailfoundry",
  read(report: Report): BounceRecord[] | undefined {
    if (
      report.mail.subject !== "Message delivery has failed" ||
      !(report.mail.headers.get("received") ?? []).some((r) => r.indexOf("(MAILFOUNDRY) id") !== -1)
    )
      return undefined;
    const records: BounceRecord[] = [];
    let reading = false;
    for (const line of report.lines) {
      if (line.startsWith("Unable to deliver message to: <") && line.indexOf("@") > 0) {
        const address = findAddresses(line, 1)[0]?.address;
        if (address !== undefined) records.push({ recipient: address, text: "" });
        reading = false;
        continue;
      }
      const record = records[records.length - 1];
      if (record === undefined || line === "") continue;
      if (line.trim() === "Delivery failed for the following reason:") {
        reading = true;
        record.text = line;
        continue;
      }
      if (reading && !line.startsWith("-")) record.text += ` ${line}`;
    }
    return withCommands(squeezed(records));
  },
} as const satisfies Reader;
