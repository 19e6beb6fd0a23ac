// ezweb: au (KDDI)'s EZweb bounces (From Postmaster@ezweb.ne.jp or @au.com, "Mail System Error - Returned Mail").
// X-SPASIGN: NG says the recipient's domain filter refused the message. Its Japanese lines repeat the English ones
// and are skipped; its own sentences ("The user(s) account is disabled.") are catalog wording for the ezweb MTA.

import { findCommand } from "mailcodes-runtime";
import { findAddresses } from "../address.js";
import { recordsIn } from "../read.js";
import type { BounceRecord, Reader, Report } from "../report.js";

const OPENINGS = ["The user(s) ", "Your message ", "Each of the following", "<"];

export const ezweb = {
  format: "ezweb",
  read(report: Report): BounceRecord[] | undefined {
    const from = report.mail.from;
    const received = report.mail.headers.get("received") ?? [];
    const messageId = report.header("message-id");
    const score =
      Number(from.indexOf("Postmaster@ezweb.ne.jp") !== -1) +
      Number(from.indexOf("Postmaster@au.com") !== -1) +
      Number(report.mail.subject === "Mail System Error - Returned Mail") +
      Number(received.some((r) => r.indexOf("ezweb.ne.jp (EZweb Mail) with") !== -1 || r.indexOf(".au.com (") !== -1)) +
      Number(messageId.indexOf(".ezweb.ne.jp>") !== -1) +
      Number(messageId.indexOf(".au.com>") !== -1);
    if (score < 2) return undefined;
    const bounds = {
      from: (line: string) => OPENINGS.some((opening) => line.startsWith(opening)),
      until: (line: string) => line.startsWith("--------------------------------------------------"),
    };
    let before = "";
    const records = recordsIn(report.lines, bounds, (line, records) => {
      const bracketed = line.indexOf("<") !== -1 && line.indexOf("@") !== -1 && line.indexOf(">") !== -1;
      if (bracketed && (line.indexOf("Recipient: <", 2) !== -1 || line.startsWith("<"))) {
        const address = findAddresses(line.slice(line.indexOf("<")), 1)[0]?.address;
        if (address !== undefined) {
          records.push({ recipient: address, text: `${before} ${line}` });
          return;
        }
      }
      if (/[^\x00-\x7f]/.test(line)) return;
      const record = records[records.length - 1];
      if (record === undefined) before += ` ${line}`;
      else {
        record.text += ` ${line}`;
        if (line.indexOf(" >>> ") !== -1) {
          const command = findCommand(line);
          if (command !== undefined) record.command = command;
        }
      }
    });
    const filtered = report.header("x-spasign") === "NG";
    for (const record of records ?? []) {
      if (filtered) record.reason = "filtered";
      else if (
        !record.recipient.endsWith("@ezweb.ne.jp") &&
        !record.recipient.endsWith("@au.com") &&
        record.text.startsWith("<") &&
        !/(account is|not delivered within|was rejected by)/.test(record.text)
      )
        record.reason = "userunknown";
    }
    return records;
  },
} as const satisfies Reader;
