// postfix: Postfix's bounces ("Undelivered Mail Returned to Sender"). The prose holds a paragraph per recipient,
// "<a@b>: host mx.example.net[192.0.2.1] said: 550 5.1.1 … (in reply to RCPT TO command)", often fuller than the
// DSN's Diagnostic-Code; the command is in "(in reply to … command)". A report whose DSN part is missing ("---
// Delivery report unavailable ---") stands for the returned message's recipient, with nothing to say. Its SMTP
// server's notices to the postmaster ("Postfix SMTP server: errors from host[…]") hold the session's transcript
// (" In:  RCPT TO:<a@b>", " Out: 550 …"): the recipients it refused.

import { findCommand } from "mailcodes-runtime";
import { fieldAddresses, findAddresses } from "../address.js";
import { dsnRecord, replyIn, section, statusIn, transcriptRecords } from "../read.js";
import type { BounceRecord, Reader, Report } from "../report.js";
import { squeeze } from "../text.js";

export const postfix = {
  format: "postfix",
  read(report: Report): BounceRecord[] | undefined {
    const subject = report.mail.subject;
    if (
      report.header("x-aol-ip") !== "" ||
      (subject !== "Undelivered Mail Returned to Sender" && subject.indexOf(" SMTP server: errors from ") === -1)
    )
      return undefined;
    // Postfix's SMTP server tells the postmaster of a session's errors by its transcript, with no DSN.
    if (subject.indexOf(" SMTP server: errors from ") !== -1 && report.dsn.recipients.length === 0) {
      const transcript = section(report.lines, { after: (line) => line.startsWith("Transcript of session follows") });
      if (transcript !== undefined) return transcriptRecords(transcript, "In:", "Out:");
    }
    const paragraphs = recipientParagraphs(report.lines);
    let command: BounceRecord["command"];
    for (const line of report.lines) {
      if (line.indexOf("(in reply to ") !== -1 || line.indexOf("command)") !== -1) {
        command = findCommand(line.slice(Math.max(0, line.indexOf("(in reply to "))));
        if (command !== undefined) break;
      }
    }
    const recipients = report.dsn.recipients;
    if (recipients.length === 0) {
      if (paragraphs.size > 0)
        return [...paragraphs].map(([recipient, text]) => postfixRecord({ recipient, text }, text, command));
      if (report.mail.text.indexOf("--- Delivery report unavailable ---") !== -1) {
        const to = fieldAddresses(report.originalHeader("to"), 1)[0];
        return to === undefined ? undefined : [{ recipient: to, text: "" }];
      }
      return undefined;
    }
    const only = paragraphs.size === 1 && recipients.length === 1 ? [...paragraphs.values()][0] : undefined;
    return recipients.map((r) => {
      const record = dsnRecord(report, r);
      let text = r.diagnostic ?? "";
      const paragraph = paragraphs.get(r.recipient) ?? only ?? "";
      if (paragraph !== "") {
        if (text === "" || /^[0-9]+$/.test(text)) {
          text = paragraph;
        } else {
          let fromParagraph: string | undefined;
          if (record.status === undefined || record.status.endsWith(".0.0")) {
            fromParagraph = statusIn(paragraph);
            if (fromParagraph !== undefined && !fromParagraph.endsWith(".0.0")) record.status = fromParagraph;
          }
          if (
            (fromParagraph !== undefined || replyIn(paragraph) !== undefined) &&
            paragraph.length >= text.length &&
            paragraph.indexOf(text) !== -1
          )
            text = paragraph;
        }
      }
      if (record.diagnosticType === "x-postfix") record.diagnosticType = "smtp";
      return postfixRecord(record, text, command);
    });
  },
} as const satisfies Reader;

function postfixRecord(record: BounceRecord, text: string, command: BounceRecord["command"]): BounceRecord {
  record.text = squeeze(text);
  const found = command ?? commandOf(record.text);
  if (found !== undefined) record.command = found;
  return record;
}

/**
 * The command a Postfix paragraph answered. "host … refused to talk to me:" is a refused greeting, which Sisimai's
 * Postfix reader names HELO; "connect to …: server refused to talk to me:" stays the connection's (CONN).
 */
function commandOf(text: string): BounceRecord["command"] {
  const refused = text.indexOf("refused to talk to me:") !== -1 && text.indexOf("connect to") === -1;
  return refused ? "HELO" : findCommand(text);
}

/** The prose's "<a@b>: …" paragraphs by recipient: the first line and the lines after it, to a blank line. */
function recipientParagraphs(lines: readonly string[]): Map<string, string> {
  const paragraphs = new Map<string, string>();
  let current: string | undefined;
  for (const line of lines) {
    if (line.trim() === "") {
      current = undefined;
      continue;
    }
    if (line[0] === "<") {
      const close = line.indexOf(">");
      const colon = line.indexOf(":", close);
      const address = close > 1 ? findAddresses(line.slice(1, close), 1)[0] : undefined;
      // "<a@b>: …" or "<a@b> (expanded from <c@d>): …"
      if (
        address !== undefined &&
        address.start === 0 &&
        address.end === close - 1 &&
        colon !== -1 &&
        (colon === close + 1 ||
          line
            .slice(close + 1, colon)
            .trim()
            .startsWith("(expanded from"))
      ) {
        current = address.address;
        paragraphs.set(current, line.slice(colon + 1).trim());
        continue;
      }
    }
    if (current !== undefined) paragraphs.set(current, `${paragraphs.get(current)!} ${line.trim()}`);
  }
  return paragraphs;
}
