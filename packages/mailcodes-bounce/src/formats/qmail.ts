// qmail: qmail's bounces ("failure notice", "Hi. This is the qmail-send program at …") and the services that send
// its form (Yahoo!, and others). Each failed address is a "<a@b>:" line, what happened on the lines below it;
// qmail names the stage in its own words ("… does not like recipient." after RCPT, "… but my name was rejected."
// after EHLO), which tells the command. qmail's own sentences are catalog wording for the qmail MTA.

import { findCommand } from "mailcodes-runtime";
import { findAddresses } from "../address.js";
import { addToLast, recordsIn } from "../read.js";
import type { BounceRecord, Reader, Report } from "../report.js";
import { hasAny } from "../text.js";

const STARTS = [
  "Hi. This is the qmail",
  "He/Her is not ",
  "unable to deliver your message to the following addresses",
  "Su mensaje no pudo ser entregado",
  "Sorry, we were unable to deliver your message to the following address",
  "This is the machine generated message from mail service",
  "This is the mail delivery agent at",
  "Unable to deliver message to the following address",
  "Unfortunately, your mail was not delivered to the following address:",
  "Your mail message to the following address",
  "Your message to the following addresses",
  "We're sorry.",
];

/** The stage of the dialogue in qmail's words, and the command it answered. */
const STAGES: ReadonlyArray<readonly [words: string, command: NonNullable<BounceRecord["command"]>]> = [
  [" but greeting failed.", "CONN"],
  [" but my name was rejected.", "EHLO"],
  [" but sender was rejected.", "MAIL"],
  [" does not like recipient.", "RCPT"],
  [" failed on DATA command", "DATA"],
  [" failed after I sent the message", "DATA"],
];

export const qmail = {
  format: "qmail",
  read(report: Report): BounceRecord[] | undefined {
    const subject = report.mail.subject;
    const received = (report.mail.headers.get("received") ?? []).some((r) => r.indexOf("(qmail ") !== -1);
    if (!(subject === "failure notice" || subject === "Failure Notice" || received)) return undefined;
    const records = recordsIn(report.lines, { after: (line) => hasAny(line, STARTS) }, (line, records) => {
      if (line.startsWith("<") && line.indexOf(">:") !== -1) {
        const address = findAddresses(line.slice(1, line.indexOf(">:")), 1)[0]?.address;
        if (address !== undefined) {
          records.push({ recipient: address, text: line.slice(line.indexOf(">:") + 2).trim() });
          return;
        }
      }
      addToLast(records, line);
    });
    if (records === undefined || records.length === 0) return undefined;
    for (const record of records) {
      const text = record.text;
      const command = STAGES.find(([words]) => text.indexOf(words) !== -1)?.[1] ?? findCommand(text);
      if (command !== undefined) record.command = command;
      const refused = text.indexOf(" does not like recipient.");
      if (command === "EHLO" || command === "HELO") record.reason = "blocked";
      else if (refused !== -1 && text.indexOf("this message has been in the queue too long.", refused) !== -1)
        record.reason = "onhold";
    }
    return records;
  },
} as const satisfies Reader;
