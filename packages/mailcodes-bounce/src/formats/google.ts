// google: the bounces Google's mail systems write (From mailer-daemon@googlemail.com, "Delivery Status
// Notification (Failure)"): Gmail's own ("Delivery to the following recipient failed permanently:", the remote
// server's reply quoted with Gmail's SMTP state, "(state 14)"), Google Groups' ("the group you tried to contact …
// may not exist, or you may not have permission to post", in the poster's language), and Google Workspace's
// ("** Address not found **", with no DSN fields). Gmail's own sentences ("DNS Error: Domain name not found") are
// catalog wording for the gmail MTA.
import type { BounceRecord, Format, Report } from "../report.js";
import { findAddresses, isAddress, squeeze } from "../text.js";
import { statusIn } from "./smtp.js";

/** Gmail's SMTP states: the command each answered, and what a failure there is. */
const STATES: Readonly<Record<string, readonly [command: string, reason: string]>> = {
  "6": ["MAIL", "failedstarttls"],
  "8": ["AUTH", "systemerror"],
  "9": ["AUTH", "failedstarttls"],
  "12": ["AUTH", "norelaying"],
  "13": ["EHLO", "blocked"],
  "14": ["RCPT", "userunknown"],
  "15": ["DATA", "filtered"],
  "17": ["DATA", "filtered"],
  "18": ["DATA", "filtered"],
};

function fromGoogle(report: Report): boolean {
  return report.mail.from.indexOf("<mailer-daemon@googlemail.com>") !== -1 && report.mail.subject.indexOf("Delivery Status Notification") !== -1;
}

export const gmail: Format = {
  name: "gmail",
  read(report: Report): BounceRecord[] | undefined {
    if (!fromGoogle(report)) return undefined;
    const records: BounceRecord[] = [];
    let on = false;
    let before = "";
    for (const line of report.lines) {
      if (!on) {
        if (line.startsWith("Delivery to the following recipient")) on = true;
        else continue;
      }
      if (line === "") continue;
      if (line.startsWith(" ") && isAddress(line)) {
        records.push({ recipient: findAddresses(line, 1)[0]!.address, text: before });
        before = "";
      } else if (records.length > 0) {
        records[records.length - 1]!.text += " " + line;
      } else {
        before += " " + line;
      }
    }
    for (const record of records) {
      record.text = squeeze(record.text);
      const at = record.text.indexOf(" (state ");
      if (at === -1) continue;
      const close = record.text.indexOf(")", at);
      const state = STATES[record.text.slice(at + 8, close === -1 ? at + 10 : close)];
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
};

export const googlegroups: Format = {
  name: "googlegroups",
  read(report: Report): BounceRecord[] | undefined {
    if (!fromGoogle(report) || report.header("x-failed-recipients") === "" || report.header("x-google-smtp-source") === "" || report.mail.text.indexOf("Google Groups") === -1) return undefined;
    // The reasons a post can fail are listed as four bullets: the group does not exist, or the sender may not post.
    const text = report.mail.text;
    let bullets = 0;
    for (let at = text.indexOf("\n *"); at !== -1; at = text.indexOf("\n *", at + 3)) bullets++;
    if (bullets === 0) for (let at = text.indexOf("\n*"); at !== -1; at = text.indexOf("\n*", at + 2)) bullets++;
    const reason = bullets === 4 ? "rejected" : "onhold";
    const said = squeeze(text);
    return findAddresses(report.header("x-failed-recipients")).map((a) => ({ recipient: a.address, text: said, reason }));
  },
};

export const googleworkspace: Format = {
  name: "googleworkspace",
  read(report: Report): BounceRecord[] | undefined {
    if (!fromGoogle(report) || report.dsn.recipients.length > 0) return undefined;
    const text = report.mail.text;
    const start = text.indexOf("** ");
    if (start === -1) return undefined;
    const to = findAddresses(report.originalHeader("to"), 1)[0]?.address;
    if (to === undefined) return undefined;
    return [{ recipient: to, text: squeeze(text.slice(start)) }];
  },
};
