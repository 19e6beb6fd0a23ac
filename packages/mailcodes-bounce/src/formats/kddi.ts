// kddi: au by KDDI's notices (no-reply@….dion.ne.jp, Received from ezweb.ne.jp or au.com): "Your mail sent on: …",
// then "Could not be delivered to: <a@b>" and the reason, indented. X-SPASIGN: NG says the recipient's filter refused
// it. Its own sentences are catalog wording for the kddi MTA.
import { findCommand } from "mailcodes-runtime";
import { findAddresses } from "../address.js";
import { addToLast, recordsIn } from "../read.js";
import type { BounceRecord, Reader, Report } from "../report.js";

function isKddi(report: Report): boolean {
  const from = report.mail.from.toLowerCase();
  if (from.indexOf("no-reply@.") !== -1 || from.indexOf(".dion.ne.jp") !== -1) return true;
  if (report.header("reply-to").toLowerCase().indexOf("no-reply@app.auone-net.jp") !== -1) return true;
  return (report.mail.headers.get("received") ?? []).some(
    (r) => r.indexOf("ezweb.ne.jp (") !== -1 || r.indexOf(".au.com (") !== -1,
  );
}

export const kddi = {
  format: "kddi",
  read(report: Report): BounceRecord[] | undefined {
    if (!isKddi(report)) return undefined;
    const opens = (line: string) =>
      line.startsWith("Your mail sent on:") || line.startsWith("Your mail attempted to be delivered on:");
    const records = recordsIn(report.lines, { from: opens }, (line, records) => {
      const at = line.indexOf(" Could not be delivered to: <");
      if (at === -1) {
        if (line.startsWith(" ")) addToLast(records, line);
        return;
      }
      const address = findAddresses(line.slice(at), 1)[0]?.address;
      if (address !== undefined) records.push({ recipient: address, text: "" });
    });
    const filtered = report.header("x-spasign") === "NG";
    for (const record of records ?? []) {
      const command = findCommand(record.text);
      if (command !== undefined) record.command = command;
      if (filtered) record.reason = "filtered";
      else if (command === "RCPT") record.reason = "userunknown";
    }
    return records;
  },
} as const satisfies Reader;
