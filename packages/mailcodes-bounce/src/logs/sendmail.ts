// sendmail: Sendmail's lines in the mail log (tags sendmail, sm-mta, sm-msp-queue). A delivery attempt is one line
// per mailer call, for one recipient or several ("QUEUEID: to=<a@b>,<c@b>, delay=…, mailer=esmtp, pri=…,
// relay=mx.b.example. [192.0.2.1], dsn=5.1.1, stat=User unknown"): stat Sent, Deferred (with why), or the failure in
// words, dsn= its code. A message given up on after its queue timeout is the line of the DSN it returns ("QUEUEID:
// DSNID: DSN: Cannot send message for 5 days"), which names no recipient; a recipient refused by a ruleset is
// "QUEUEID: ruleset=check_rcpt, arg1=<a@b>, relay=…, reject=550 5.7.1 <a@b>... Relaying denied". Any other line of
// Sendmail's reports no delivery.
import { MAX_RECIPIENTS } from "../limits.js";
import {
  fieldValue,
  hostIn,
  isQueueId,
  type LogLine,
  type LogLineReader,
  type LogRecord,
  type LogStatus,
  refusalStatus,
} from "./line.js";

export const sendmail: LogLineReader<"sendmail"> = {
  format: "sendmail",
  mta: "sendmail",
  open: () => read,
};

function read(line: LogLine): LogRecord[] | undefined {
  const tag = line.tag;
  if (tag === undefined || !(tag === "sendmail" || tag.startsWith("sm-"))) return undefined;
  const message = line.message;
  const colon = message.indexOf(": ");
  const queueId = colon === -1 ? "" : message.slice(0, colon);
  if (!isQueueId(queueId)) return [];
  const rest = message.slice(colon + 2);
  if (rest.startsWith("to=")) return delivery(queueId, rest);
  if (rest.startsWith("ruleset=check_rcpt, ")) return refusal(queueId, rest);
  const dsn = rest.indexOf(": DSN: Cannot send message for ");
  if (dsn !== -1 && isQueueId(rest.slice(0, dsn))) return [{ status: "expired", text: rest.slice(dsn + 7), queueId }];
  return [];
}

function delivery(queueId: string, fields: string): LogRecord[] {
  const stat = fields.indexOf(", stat=");
  if (stat === -1) return [];
  const said = fields.slice(stat + 7);
  const before = fields.slice(0, stat);
  const dsn = fieldValue(before, ", dsn=");
  const status = statusOf(said, dsn);
  if (status === undefined) return [];
  const text = said.startsWith("Deferred: ") ? said.slice(10) : said;
  const host = hostIn(fieldValue(before, ", relay=") ?? "");
  const end = before.indexOf(", ");
  const list = before.slice(3, end === -1 ? before.length : end);
  const out: LogRecord[] = [];
  // The recipients are read no further than a line's results go.
  for (let from = 0; from <= list.length && out.length < MAX_RECIPIENTS; ) {
    const comma = list.indexOf(",", from);
    const recipient = addressOf(list.slice(from, comma === -1 ? list.length : comma));
    from = comma === -1 ? list.length + 1 : comma + 1;
    if (recipient === undefined) continue;
    const record: LogRecord = { recipient, status, text, queueId };
    if (dsn !== undefined && dsn !== "") record.enhancedCode = dsn;
    if (host !== undefined) record.remoteMta = host;
    out.push(record);
  }
  return out;
}

/** Sent, Deferred, or a failure; "queued" (kept for a later queue run, not tried) is no delivery yet. */
function statusOf(stat: string, dsn: string | undefined): LogStatus | undefined {
  if (stat.startsWith("Sent")) return "sent";
  if (stat.startsWith("Deferred")) return "deferred";
  if (stat.startsWith("queued")) return undefined;
  const kind = dsn?.[0];
  return kind === "2" ? "sent" : kind === "4" ? "deferred" : "bounced";
}

/** A recipient as to= writes it ("<a@b>", "a@b", a local user "user"); a file or a pipe is none. */
function addressOf(written: string): string | undefined {
  let address = written.trim();
  if (address.startsWith("<") && address.endsWith(">")) address = address.slice(1, -1);
  if (address === "" || address[0] === "|" || address[0] === "/" || address[0] === '"') return undefined;
  return address.toLowerCase();
}

function refusal(queueId: string, fields: string): LogRecord[] {
  const arg = fieldValue(fields, ", arg1=");
  const recipient = arg === undefined ? undefined : addressOf(arg);
  const reject = fields.indexOf(", reject=");
  if (recipient === undefined || reject === -1) return [];
  const text = fields.slice(reject + 9);
  const record: LogRecord = { recipient, status: refusalStatus(text), text, command: "RCPT" };
  if (queueId !== "NOQUEUE") record.queueId = queueId;
  return [record];
}
