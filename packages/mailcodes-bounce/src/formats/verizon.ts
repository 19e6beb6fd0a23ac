// verizon: Verizon Wireless' (vtext.com, vzwpix.com) bounces, and Apache James' of the same form: "Error: Invalid
// user address", the server's reply under "Error message below:", and the recipient in "Message details: …
// RCPT TO: a@b" (or the "Original Message:" headers' To:). Verizon's own sentences are catalog wording for the
// verizon MTA; James writes none of its own.
import type { BounceRecord, Format, Report } from "../report.js";
import { findAddresses, squeeze } from "../text.js";

function isVerizon(report: Report): boolean {
  const from = report.mail.from.toLowerCase();
  const at = from.indexOf("sysadmin@");
  return from.indexOf("post_master@vtext.com") !== -1 || (at !== -1 && from.indexOf(".vzwpix.com", at) !== -1);
}

function isJames(report: Report): boolean {
  return report.mail.subject === "[BOUNCE]" || report.header("message-id").indexOf(".JavaMail.") !== -1 || (report.mail.headers.get("received") ?? []).some((r) => r.indexOf("JAMES SMTP Server") !== -1);
}

function read(report: Report): BounceRecord[] | undefined {
  const text = report.mail.text;
  let details = text.indexOf("Message details:");
  if (details === -1) details = text.indexOf("Original Message:");
  if (details === -1) return undefined;
  let recipient: string | undefined;
  for (const line of text.slice(details).split("\n")) {
    const trimmed = line.trim();
    if (trimmed.startsWith("RCPT TO:") || trimmed.startsWith("To:")) {
      recipient = findAddresses(trimmed, 1)[0]?.address;
      if (recipient !== undefined) break;
    }
  }
  if (recipient === undefined) return undefined;
  const error = text.indexOf("Error: ");
  return [{ recipient, text: squeeze(text.slice(error === -1 || error > details ? 0 : error, details)) }];
}

export const verizon: Format = {
  name: "verizon",
  read: (report) => (isVerizon(report) ? read(report) : undefined),
};

export const apachejames: Format = {
  name: "apachejames",
  read: (report) => (!isVerizon(report) && isJames(report) ? read(report) : undefined),
};
