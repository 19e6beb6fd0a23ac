// postfix: Postfix's mail log. A delivery attempt is one line per recipient from its delivery agents
// ("QUEUEID: to=<a@b>, orig_to=<…>, relay=mx.example.net[192.0.2.1]:25, delay=…, dsn=5.1.1, status=bounced (host …
// said: 550 5.1.1 … (in reply to RCPT TO command))"), status sent, deferred, bounced or expired; a message given up on
// after its queue lifetime is one line of the queue manager ("QUEUEID: from=<s@b>, status=expired, returned to
// sender") that names no recipient; a recipient refused by the SMTP server or a milter is a reject line
// ("NOQUEUE: reject: RCPT from host[192.0.2.9]: 550 5.1.1 <a@b>: Recipient address rejected: …; from=<s@b>
// to=<a@b> proto=ESMTP helo=<…>"). Every other line of Postfix (connections, cleanup, warnings) reports no delivery.
import { smtpCommandOf } from "mailcodes-runtime";
import {
  bracketed,
  fieldValue,
  hostIn,
  isQueueId,
  type LogLine,
  type LogLineReader,
  type LogRecord,
  type LogStatus,
  refusalStatus,
} from "./line.js";

const STATUSES: readonly LogStatus[] = ["sent", "deferred", "bounced", "expired"];

export const postfix: LogLineReader<"postfix"> = {
  format: "postfix",
  mta: "postfix",
  open: () => read,
};

function read(line: LogLine): LogRecord[] | undefined {
  const own = line.tag !== undefined && line.tag.indexOf("postfix") !== -1;
  const message = line.message;
  const colon = message.indexOf(": ");
  const id = colon === -1 ? "" : message.slice(0, colon);
  const rest = message.slice(colon + 2);
  // A delivery line is Postfix's by its form, whatever name its instance logs under (syslog_name).
  if (!isQueueId(id)) return own ? [] : undefined;
  if (rest.startsWith("to=<") && (own || rest.indexOf(", status=") !== -1)) return delivery(id, rest);
  if (!own) return undefined;
  if (rest.startsWith("from=<") && rest.indexOf(", status=expired") !== -1) {
    const sender = bracketed(rest, 5);
    return [{ status: "expired", text: "", queueId: id, ...(sender !== undefined && { sender }) }];
  }
  if (rest.startsWith("reject: ")) return rejection(id, rest.slice(8));
  if (rest.startsWith("milter-reject: ")) return rejection(id, rest.slice(15));
  return [];
}

/** "to=<a@b>, orig_to=<…>, relay=…, …, dsn=X.Y.Z, status=WORD (text)": one record, or none for another status. */
function delivery(queueId: string, fields: string): LogRecord[] {
  const recipient = bracketed(fields, 3);
  const marker = fields.indexOf(", status=");
  if (recipient === undefined || marker === -1) return [];
  const from = marker + 9;
  let end = from;
  while (end < fields.length && isLetter(fields.charCodeAt(end))) end++;
  const status = STATUSES.find((s) => s === fields.slice(from, end));
  // deliverable and undeliverable are address probes (verify), not deliveries.
  if (status === undefined) return [];
  // The text in parentheses after the status runs to the line's last ")": it holds parentheses of its own.
  const open = fields.indexOf(" (", end);
  const close = fields.lastIndexOf(")");
  const text = open !== -1 && close > open ? fields.slice(open + 2, close) : "";
  const before = fields.slice(0, marker);
  const record: LogRecord = { recipient, status, text, queueId };
  const original = before.indexOf(", orig_to=<");
  if (original !== -1) {
    const address = bracketed(before, original + 10);
    if (address !== undefined) record.originalRecipient = address;
  }
  const relay = fieldValue(before, ", relay=");
  const host = relay === undefined ? undefined : hostIn(relay);
  if (host !== undefined) record.remoteMta = host;
  const dsn = fieldValue(before, ", dsn=");
  if (dsn !== undefined && dsn !== "") record.enhancedCode = dsn;
  return [record];
}

/**
 * A refusal: "RCPT from host[192.0.2.9]: 550 5.1.1 <a@b>: …; from=<s> to=<a@b> proto=ESMTP helo=<h>", or a cleanup's
 * "header Subject: … from host[192.0.2.9]; from=<s> to=<a@b> proto=ESMTP helo=<h>: 5.7.1 …". Its recipient is to=<…>;
 * a refusal before any recipient (CONNECT, MAIL, EHLO) names none and gives no record.
 */
function rejection(queueId: string, body: string): LogRecord[] {
  const envelope = body.indexOf("; from=<");
  const to = body.indexOf(" to=<", envelope === -1 ? 0 : envelope);
  const recipient = to === -1 ? undefined : bracketed(body, to + 4);
  if (recipient === undefined) return [];
  const said = envelope === -1 ? body.slice(0, to) : body.slice(0, envelope);
  // The refused command and its client ("RCPT from host[192.0.2.9]: ", postscreen's "… from [192.0.2.9]:54321: ").
  const from = said.indexOf(" from ");
  const client = from === -1 ? -1 : said.indexOf(": ", from);
  let text = client === -1 ? said : said.slice(client + 2);
  // A header or body check's text follows the envelope, after its helo=<…>.
  const helo = body.indexOf(" helo=<", to);
  const after = helo === -1 ? -1 : body.indexOf(">: ", helo);
  if (after !== -1) text = client === -1 ? body.slice(after + 3) : `${text} ${body.slice(after + 3)}`;
  const space = said.indexOf(" ");
  const word = space === -1 ? "" : said.slice(0, space);
  const command = word === "END-OF-MESSAGE" ? "DATA" : word === "CONNECT" ? "CONN" : smtpCommandOf(word);
  const record: LogRecord = { recipient, status: refusalStatus(text), text };
  if (queueId !== "NOQUEUE") record.queueId = queueId;
  if (command !== undefined) record.command = command;
  const sender = envelope === -1 ? undefined : bracketed(body, envelope + 7);
  if (sender !== undefined) record.sender = sender;
  return [record];
}

function isLetter(c: number): boolean {
  return c >= 97 && c <= 122;
}
