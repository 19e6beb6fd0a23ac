// verizon: Verizon Wireless' (vtext.com, vzwpix.com) and Apache James' bounces: "Error: Invalid user address",
// the server's reply under "Error message below:", and the recipient in "Message details: … RCPT TO: a@b".
import type { BounceRecord, Format, Report } from "../report.js";
import { findAddresses, squeeze } from "../text.js";

export const verizon: Format = {
  name: "verizon",
  read(report: Report): BounceRecord[] | undefined {
    const from = report.mail.from;
    const james = report.mail.subject === "[BOUNCE]" || report.header("message-id").indexOf(".JavaMail.") !== -1 || (report.mail.headers.get("received") ?? []).some((r) => r.indexOf("JAMES SMTP Server") !== -1);
    if (from.indexOf("post_master@vtext.com") === -1 && !/sysadmin@.*\.vzwpix\.com/.test(from.slice(0, 200)) && !james) return undefined;
    const text = report.mail.text;
    const details = text.indexOf("Message details:");
    if (details === -1) return undefined;
    let recipient: string | undefined;
    for (const line of text.slice(details).split("\n")) {
      const trimmed = line.trim();
      if (trimmed.startsWith("RCPT TO:")) {
        recipient = findAddresses(trimmed, 1)[0]?.address;
        break;
      }
    }
    if (recipient === undefined) return undefined;
    const error = text.indexOf("Error: ");
    const said = squeeze(text.slice(error === -1 ? 0 : error, details));
    return [{ recipient, text: said, ...(/550 - Requested action not taken: no such user here|No valid recipients/.test(said) && { reason: "userunknown" }) }];
  },
};
