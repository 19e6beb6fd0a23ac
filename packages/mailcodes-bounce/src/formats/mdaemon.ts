// mdaemon: MDaemon's delivery failure notices ("Permanent Delivery Failure", From "MDaemon at …", X-MDDSN-Message):
// the SMTP session's log between "--- Session Transcript ---" and "--- End Transcript ---", each line time-stamped,
// "--> RCPT To:<a@b>" for what MDaemon sent and "<-- 550 5.1.1 …" for what the server answered. A refusal answers the
// last command sent: after RCPT TO it is that recipient's; before (the greeting, MAIL FROM) or after DATA it is every
// recipient's.

import { findCommand } from "mailcodes-runtime";
import { fieldAddresses, findAddresses } from "../address.js";
import { replyIn, section } from "../read.js";
import type { BounceRecord, Reader, Report } from "../report.js";
import { squeeze } from "../text.js";

export const mdaemon = {
  format: "mdaemon",
  read(report: Report): BounceRecord[] | undefined {
    const known = report.mail.headers.has("x-mddsn-message") || report.mail.from.indexOf("MDaemon") !== -1;
    if (!known) return undefined;
    const records: BounceRecord[] = [];
    const accepted = new Set<string>();
    let command: BounceRecord["command"];
    let recipient: string | undefined;
    let failed = "";
    let failedCommand: BounceRecord["command"];
    const transcript = section(report.lines, {
      after: (line) => line.startsWith("--- Session Transcript ---"),
      until: (line) => line.startsWith("--- End Transcript ---"),
    });
    for (const line of transcript ?? []) {
      // " Mon 2025-03-31 08:59:58.351: --> RCPT To:<a@b>": what follows the time stamp.
      const stamp = line.indexOf(": ");
      const said = stamp === -1 ? line.trim() : line.slice(stamp + 2).trim();
      if (said.startsWith("--> ")) {
        command = findCommand(said.slice(4)) ?? command;
        recipient = command === "RCPT" ? findAddresses(said, 1)[0]?.address : undefined;
        continue;
      }
      if (!said.startsWith("<-- ")) continue;
      const reply = replyIn(said.slice(4));
      if (reply === undefined || reply < 400) {
        if (recipient !== undefined) accepted.add(recipient);
        continue;
      }
      if (command === "RCPT" && recipient !== undefined) {
        records.push({ recipient, text: squeeze(said.slice(4)), command });
        recipient = undefined;
      } else if (failed === "") {
        failed = squeeze(said.slice(4));
        failedCommand = command;
      }
    }
    if (failed !== "") {
      const everyone = accepted.size > 0 ? [...accepted] : fieldAddresses(report.originalHeader("to"));
      for (const address of everyone)
        records.push({
          recipient: address,
          text: failed,
          ...(failedCommand !== undefined && { command: failedCommand }),
        });
    }
    return records;
  },
} as const satisfies Reader;
