// interscan: Trend Micro InterScan MSS's notices (From "InterScan …"): "Sent <<< RCPT TO:<a@b>" and "Received >>> 550
// …" lines, or "Unable to deliver message to <a@b>" for an address the gateway itself refused.
import { findCommand } from "mailcodes-runtime";
import { findAddresses } from "../address.js";
import { squeezed } from "../read.js";
import type { BounceRecord, Reader, Report } from "../report.js";

function isInterScan(report: Report): boolean {
  return (
    report.mail.from.startsWith('"InterScan') ||
    report.header("content-type").indexOf("InterScan") !== -1 ||
    report.mail.text.indexOf(" InterScan ") !== -1
  );
}

export const interscan = {
  format: "interscan",
  read(report: Report): BounceRecord[] | undefined {
    if (!isInterScan(report)) return undefined;
    const records: BounceRecord[] = [];
    for (const line of report.lines) {
      if (line === "") continue;
      const sent = line.indexOf(" <<< ");
      const received = line.indexOf(" >>> ");
      const unable = line.indexOf("Unable to deliver ") !== -1;
      let record = records[records.length - 1];
      if (line.indexOf("@") > 1 && line.indexOf(" <") > 1 && (sent > 1 || received > 1 || unable)) {
        const open = line.lastIndexOf("<");
        const close = line.lastIndexOf(">");
        const address = close > open ? findAddresses(line, 1, open, close + 1)[0]?.address : undefined;
        if (address !== undefined) {
          if (record === undefined || record.recipient !== address) {
            record = { recipient: address, text: "" };
            records.push(record);
          }
          if (unable) {
            record.text = line;
            record.reason = "userunknown";
          }
        }
      }
      if (record === undefined) continue;
      if (line.startsWith("Sent <<< ")) {
        const command = findCommand(line.slice(9));
        if (command !== undefined) record.command = command;
      } else if (line.startsWith("Received >>> ")) {
        record.text = line.slice(13);
      } else if (sent > 0 || received > 0) {
        // The same dialogue in another language: ">>>" the command sent, "<<<" the reply.
        if (received > 0) {
          const command = findCommand(line.slice(received));
          if (command !== undefined) record.command = command;
        }
        if (sent > 0) record.text = line.slice(sent + 5);
      }
    }
    return squeezed(records);
  },
} as const satisfies Reader;
