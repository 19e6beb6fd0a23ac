// gmail: Gmail's own bounces (From mailer-daemon@googlemail.com, "Delivery Status Notification (Failure)"): "Delivery
// to the following recipient failed permanently:", the remote server's reply quoted with Gmail's SMTP state, "(state
// 14)". Gmail's own sentences ("DNS Error: Domain name not found") are catalog wording for the gmail MTA.
import { addressAlone } from "../address.js";
import { fromGoogle, recordsIn, statusIn } from "../read.js";
import type { BounceRecord, Reader, Report } from "../report.js";

/** Gmail's SMTP states: the command each answered, and what a failure there is. */
const STATES = new Map<
  string,
  readonly [command: NonNullable<BounceRecord["command"]>, reason: NonNullable<BounceRecord["reason"]>]
>([
  ["6", ["MAIL", "failedstarttls"]],
  ["8", ["AUTH", "systemerror"]],
  ["9", ["AUTH", "failedstarttls"]],
  ["12", ["AUTH", "norelaying"]],
  ["13", ["EHLO", "blocked"]],
  ["14", ["RCPT", "userunknown"]],
  ["15", ["DATA", "filtered"]],
  ["17", ["DATA", "filtered"]],
  ["18", ["DATA", "filtered"]],
]);

export const gmail = {
  format: "gmail",
  read(report: Report): BounceRecord[] | undefined {
    if (!fromGoogle(report)) return undefined;
    const opening = "Delivery to the following recipient";
    let before = "";
    const records = recordsIn(report.lines, { from: (line) => line.startsWith(opening) }, (line, records) => {
      const address = line.startsWith(" ") ? addressAlone(line) : undefined;
      if (address !== undefined) {
        records.push({ recipient: address, text: before });
        before = "";
      } else if (records.length > 0) {
        records[records.length - 1]!.text += ` ${line}`;
      } else {
        before += ` ${line}`;
      }
    });
    for (const record of records ?? []) {
      const at = record.text.indexOf(" (state ");
      if (at === -1) continue;
      const close = record.text.indexOf(")", at);
      const state = STATES.get(record.text.slice(at + 8, close === -1 ? at + 10 : close));
      if (state !== undefined) {
        record.command = state[0];
        // A status code that names a case ("550 5.2.2 … Mailbox Full (state 14)") says more than the state: as in
        // Sisimai, the state's reason stands only when the reply has no such code (none, or an X.Y.0 one).
        const status = statusIn(record.text);
        if (status === undefined || status.indexOf(".0") !== -1) record.reason = state[1];
      }
    }
    return records;
  },
} as const satisfies Reader;
