// unabletodeliver: an unnamed MTA's notices ("Delivery failure" from a MAILER-DAEMON): "Unable to deliver message to
// the following address(es).", then "<a@b>:" and the reason below.
import { findAddresses } from "../address.js";
import { addToLast, recordsIn, withCommands } from "../read.js";
import type { BounceRecord, Reader, Report } from "../report.js";

export const unabletodeliver = {
  format: "unabletodeliver",
  read(report: Report): BounceRecord[] | undefined {
    const subject = report.mail.subject;
    if (
      report.mail.from.indexOf("MAILER-DAEMON@") === -1 &&
      !["Delivery failure", "failure delivery", "failed delivery"].some((s) => subject.startsWith(s))
    )
      return undefined;
    const opening = "Unable to deliver message to the following address";
    const records = recordsIn(report.lines, { after: (line) => line.startsWith(opening) }, (line, records) => {
      const close = line.indexOf(">:");
      if (line.startsWith("<") && close > 1) {
        const address = findAddresses(line.slice(1, close), 2);
        if (address.length === 1 && address[0]!.start === 0 && address[0]!.end === close - 1) {
          records.push({ recipient: address[0]!.address, text: line.slice(close + 2).trim() });
          return;
        }
      }
      addToLast(records, line);
    });
    return records && withCommands(records);
  },
} as const satisfies Reader;
