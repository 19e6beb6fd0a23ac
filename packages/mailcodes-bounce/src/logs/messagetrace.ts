// messagetrace: Microsoft 365's and Exchange's message traces, as the CSV or tab-separated files they are exported to:
// Get-MessageTrace's (RecipientAddress, Status: Delivered, Failed, Pending, FilteredAsSpam …), Get-MessageTraceDetail's
// (Event: Deliver, Fail, Defer, Send external …; Detail), the admin center's downloads and historical search reports
// (recipient_address, event_id, recipient_status; a summary report's "a@b##Receive, Fail"), and Exchange Server's
// message tracking logs ("#Fields: date-time,…,event-id,…,recipient-address,recipient-status,…"). A row means nothing
// without its header, so the header row is read first and names the columns of the rows after it; a row whose status
// is not about a delivery (Receive, Expanded, Getting status …) reports none.
import type { BounceReason } from "mailcodes";
import { MAX_RECIPIENTS } from "../limits.js";
import type { LogLine, LogLineReader, LogRecord, LogStatus } from "./line.js";

/** Where a trace's facts are, by the header's column names (lower case, letters and digits only). */
const RECIPIENT_COLUMNS = ["recipientaddress", "recipient"];
/** A summary report's one column of "address##events" for every recipient. */
const RECIPIENT_EVENTS_COLUMN = "recipientstatus";
const STATUS_COLUMNS = ["status", "deliverystatus", "event", "eventid"];
const DETAIL_COLUMNS = ["detail", "details", "recipientstatus", "statusdetail"];
const ID_COLUMNS = ["messagetraceid", "internalmessageid", "networkmessageid", "messageid"];
const SENDER_COLUMNS = ["senderaddress", "sender"];

/** The statuses and events that are about a delivery (as their names are written, letters only, lower case). */
const STATUSES: ReadonlyMap<string, { readonly status: LogStatus; readonly reason?: BounceReason }> = new Map([
  ["delivered", { status: "sent" }],
  ["deliver", { status: "sent" }],
  ["send", { status: "sent" }],
  ["sendexternal", { status: "sent" }],
  ["pending", { status: "deferred" }],
  ["defer", { status: "deferred" }],
  ["deferred", { status: "deferred" }],
  ["failed", { status: "bounced" }],
  ["fail", { status: "bounced" }],
  ["drop", { status: "bounced" }],
  ["dropped", { status: "bounced" }],
  ["filteredasspam", { status: "bounced", reason: "spamdetected" }],
  ["quarantined", { status: "bounced", reason: "filtered" }],
  ["malware", { status: "bounced", reason: "virusdetected" }],
]);

interface Columns {
  readonly separator: string;
  readonly recipient: number;
  /** Whether the recipient column is a summary's "address##events" (its statuses are in it). */
  readonly recipientEvents: boolean;
  readonly status: number;
  readonly detail: number;
  readonly id: number;
  readonly sender: number;
}

export const messagetrace: LogLineReader<"messagetrace"> = {
  format: "messagetrace",
  mta: "exchange2007",
  open() {
    let columns: Columns | undefined;
    let tracking = false; // in an Exchange tracking log, whose comment lines come before its #Fields:
    return (line: LogLine) => {
      const text = line.text;
      const header = columnsOf(text);
      if (header !== undefined) {
        columns = header;
        return [];
      }
      // A tracking log's comment lines (#Software:, #Version:, #Date:), and the "#TYPE …" line PowerShell starts an
      // export of Exchange's objects with.
      if (
        text.startsWith("#Software: Microsoft Exchange") ||
        (text.startsWith("#TYPE ") && text.indexOf(".Exchange.") !== -1)
      )
        tracking = true;
      if (text[0] === "#" && (tracking || columns !== undefined)) return [];
      return columns === undefined ? undefined : row(cells(text, columns.separator), columns);
    };
  },
};

/** The columns a header row names, or undefined when the line is no trace's header. */
function columnsOf(line: string): Columns | undefined {
  const fields = line.startsWith("#Fields: ") ? line.slice(9) : line;
  if (fields.length > 4096) return undefined;
  const lower = fields.toLowerCase();
  if (lower.indexOf("recipient") === -1) return undefined;
  for (const separator of ["\t", ",", ";"]) {
    if (fields.indexOf(separator) === -1) continue;
    const names = cells(fields, separator).map(nameOf);
    const find = (wanted: readonly string[]) => {
      for (const name of wanted) {
        const at = names.indexOf(name);
        if (at !== -1) return at;
      }
      return -1;
    };
    let recipient = find(RECIPIENT_COLUMNS);
    const recipientEvents = recipient === -1;
    if (recipientEvents) recipient = names.indexOf(RECIPIENT_EVENTS_COLUMN);
    const status = find(STATUS_COLUMNS);
    if (recipient === -1 || (status === -1 && !recipientEvents)) continue;
    const detail = find(DETAIL_COLUMNS);
    return {
      separator,
      recipient,
      recipientEvents,
      status,
      detail: detail === recipient ? -1 : detail,
      id: find(ID_COLUMNS),
      sender: find(SENDER_COLUMNS),
    };
  }
  return undefined;
}

/** A column's name as looked up: lower case, letters and digits only ("Recipient address", "recipient-address"). */
function nameOf(name: string): string {
  let out = "";
  for (const c of name.toLowerCase()) if ((c >= "a" && c <= "z") || (c >= "0" && c <= "9")) out += c;
  return out;
}

/** The statuses' key: letters only, lower case ("Send external", "FilteredAsSpam", "FAIL"). */
function statusKey(status: string): string {
  let out = "";
  for (const c of status.toLowerCase()) if (c >= "a" && c <= "z") out += c;
  return out;
}

/** A row's cells, as CSV writes them (RFC 4180: a quoted cell may hold the separator and doubled quotes). */
function cells(line: string, separator: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let cell = "";
      let from = i + 1;
      for (;;) {
        const quote = line.indexOf('"', from);
        if (quote === -1) {
          cell += line.slice(from);
          i = line.length;
          break;
        }
        cell += line.slice(from, quote);
        if (line[quote + 1] === '"') {
          cell += '"';
          from = quote + 2;
          continue;
        }
        i = quote + 1;
        break;
      }
      out.push(cell);
      const next = line.indexOf(separator, i);
      if (next === -1) break;
      i = next + 1;
    } else {
      const next = line.indexOf(separator, i);
      out.push(line.slice(i, next === -1 ? line.length : next).trim());
      if (next === -1) break;
      i = next + 1;
    }
  }
  return out;
}

function row(values: readonly string[], columns: Columns): LogRecord[] {
  const at = (column: number) => (column === -1 ? "" : (values[column] ?? "").trim());
  const detail = at(columns.detail);
  const queueId = at(columns.id);
  const sender = at(columns.sender).toLowerCase();
  const out: LogRecord[] = [];
  // A cell may name several recipients (a tracking log's "a@b;c@d", with as many statuses in recipient-status); they
  // are read no further than a line's results go.
  const recipients = at(columns.recipient).split(";", MAX_RECIPIENTS);
  const details = detail.split(";", MAX_RECIPIENTS);
  for (let k = 0; k < recipients.length; k++) {
    let recipient = recipients[k]!.trim();
    let status = at(columns.status);
    if (columns.recipientEvents) {
      // "a@b##Receive, Send": the last event is where the message stands.
      const mark = recipient.indexOf("##");
      if (mark === -1) continue;
      const events = recipient.slice(mark + 2).split(",");
      status = events[events.length - 1]!;
      recipient = recipient.slice(0, mark);
    }
    const known = STATUSES.get(statusKey(status));
    if (known === undefined || recipient.indexOf("@") === -1) continue;
    const text = details.length === recipients.length && recipients.length > 1 ? details[k]!.trim() : detail;
    const record: LogRecord = { recipient: recipient.toLowerCase(), status: known.status, text };
    if (known.reason !== undefined) record.reason = known.reason;
    if (queueId !== "") record.queueId = queueId;
    if (sender.indexOf("@") !== -1) record.sender = sender;
    out.push(record);
  }
  return out;
}
