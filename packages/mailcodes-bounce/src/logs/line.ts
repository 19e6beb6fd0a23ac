// line: what every log reader works from (a line, its syslog tag read once) and gives back (one record per delivery
// the line reports), and the few ways MTAs write a field that the readers share. Each helper is a pass over its text
// with indexOf; none uses a pattern that can backtrack.
import type { BounceReason } from "mailcodes";
import type { SmtpCommand } from "mailcodes-runtime";

/** What an MTA's log says it did with a recipient: delivered it, will try again, gave up at once or at its deadline. */
export type LogStatus = "sent" | "deferred" | "bounced" | "expired";

/** One delivery a log line reports. */
export interface LogRecord {
  /** The recipient, lower case; absent only where the line is about a whole message (Postfix's expiry). */
  recipient?: string;
  status: LogStatus;
  /** What the MTA says of it: the remote server's reply, the MTA's own error, or "". */
  text: string;
  /** The MTA's id for the message: a queue id (Postfix, Sendmail), a message id (Exim), a trace id (Microsoft). */
  queueId?: string;
  /** The enhanced status code the line states in a field of its own (Postfix's and Sendmail's dsn=). */
  enhancedCode?: string;
  /** The SMTP command the line says was refused (a rejection at RCPT). */
  command?: SmtpCommand;
  /** A reason the log itself tells (Microsoft's FilteredAsSpam). */
  reason?: BounceReason;
  remoteMta?: string;
  originalRecipient?: string;
  sender?: string;
}

/** A line as the readers see it: its syslog tag and message read once for all of them. */
export interface LogLine {
  readonly text: string;
  /** The program's tag, lower case ("postfix/smtp", "sendmail", "exim4"), for a line in syslog's form. */
  readonly tag: string | undefined;
  /** What follows "tag[pid]: " (the whole line when it has no tag). */
  readonly message: string;
}

/**
 * Reads one log's lines in order: the line's deliveries, [] for a line of the log about none, undefined for a line
 * that is not of the log.
 */
export type ReadLogLine = (line: LogLine) => LogRecord[] | undefined;

/** A reader of one MTA's log. */
export interface LogLineReader<F extends string = string> {
  /** The name results give for the log's form. */
  readonly format: F;
  /** The MTA whose own wording (the catalog's mta-wording rows) applies to the log's texts. */
  readonly mta: string;
  /** A reading of one log from its first line: what it keeps from line to line (a trace's columns) is its own. */
  open(): ReadLogLine;
}

/** How far into a line a log's prefix (time stamp, host, tag, ids) can run: no further is searched for one. */
export const HEAD_CHARS = 512;

/** The line with its syslog tag: "… host tag[pid]: message", the first "]: " in its head preceded by a pid. */
export function logLine(text: string): LogLine {
  const end = text.indexOf("]: ");
  if (end > 0 && end < HEAD_CHARS) {
    const open = text.lastIndexOf("[", end);
    if (open > 0 && isDigits(text, open + 1, end)) {
      const tag = text.slice(text.lastIndexOf(" ", open) + 1, open).toLowerCase();
      if (tag !== "") return { text, tag, message: text.slice(end + 3) };
    }
  }
  return { text, tag: undefined, message: text };
}

function isDigits(text: string, from: number, to: number): boolean {
  if (from >= to) return false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Whether text is a queue id as MTAs write them: letters and digits (Postfix's, Sendmail's, "NOQUEUE"). */
export function isQueueId(text: string): boolean {
  if (text.length === 0 || text.length > 24) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122))) return false;
  }
  return true;
}

/**
 * The value of a field written `name=value` in a list of fields separated by ", " (Postfix's and Sendmail's): from
 * after `marker` (", relay=") to the next ", ", or undefined when the list has no such field.
 */
export function fieldValue(text: string, marker: string): string | undefined {
  const at = text.indexOf(marker);
  if (at === -1) return undefined;
  const from = at + marker.length;
  const end = text.indexOf(", ", from);
  return text.slice(from, end === -1 ? text.length : end);
}

/** The text in the angle brackets that open at `from` ("<a@b.example>"), lower case, or undefined when empty. */
export function bracketed(text: string, from: number): string | undefined {
  if (text.charCodeAt(from) !== 60) return undefined;
  const close = text.indexOf(">", from + 1);
  const inner =
    close === -1
      ? ""
      : text
          .slice(from + 1, close)
          .trim()
          .toLowerCase();
  return inner === "" ? undefined : inner;
}

/** The host an MTA field names ("mx.example.net[192.0.2.1]:25", "mx.example.net. [192.0.2.1]"), lower case. */
export function hostIn(value: string): string | undefined {
  let end = value.length;
  for (const stop of ["[", " ", ":"]) {
    const at = value.indexOf(stop);
    if (at !== -1 && at < end) end = at;
  }
  let host = value.slice(0, end).toLowerCase();
  if (host.endsWith(".")) host = host.slice(0, -1);
  return host.indexOf(".") > 0 ? host : undefined;
}

/** What a refusal's text says of the recipient: deferred when its code is a 4xx one (the client will try again). */
export function refusalStatus(text: string): LogStatus {
  return text.trimStart()[0] === "4" ? "deferred" : "bounced";
}
