// log-line: MTAs' mail logs, a line at a time — Postfix, Exim, Sendmail, and Microsoft 365's and Exchange's message
// traces. A line that reports a delivery gives one result per recipient: the recipient, what the MTA did with it (its
// own status: sent, deferred, bounced, expired), the queue id, and the catalog's classification of what the MTA or
// the remote server said; any other line of a log gives nothing. The readers (logs/*.ts) know the forms; what the
// words and codes mean is the catalog's, as for mails.
import { type BounceClassification, type BounceFacts, type BounceReason, classify } from "mailcodes";
import type { DsnAction } from "./dsn.js";
import { MAX_RECIPIENTS, MAX_TEXT_CHARS } from "./limits.js";
import { LOG_READERS, type LogFormat } from "./logs/index.js";
import { type LogRecord, type LogStatus, logLine } from "./logs/line.js";
import type { Mutable } from "./mutable.js";
import { squeeze } from "./text.js";

export type { LogFormat } from "./logs/index.js";
export type { LogStatus } from "./logs/line.js";

/**
 * How many deferred recipients a LogReader keeps in mind (of all messages together), for the expiry lines that name
 * none; and how much of each one's text (which an expiry's result gives as its diagnostic).
 */
export const MAX_REMEMBERED_DEFERRALS = 10_000;
const REMEMBERED_TEXT_CHARS = 1024;

/** What the MTA's status is as RFC 3464's action: sent is delivered; deferred, delayed (still tried); else failed. */
const DSN_ACTIONS = { sent: "delivered", deferred: "delayed", bounced: "failed", expired: "failed" } as const;

/** What a log line says of one recipient, besides the catalog's classification of it. */
interface LogFacts {
  /** The log the line is of. */
  readonly format: LogFormat;
  /** What the MTA did with the recipient, in its own words. */
  readonly mtaStatus: LogStatus;
  /** The same as RFC 3464's action: "delayed" whenever the MTA still tries, as for a mail's DSN. */
  readonly dsnAction: Extract<DsnAction, "delivered" | "delayed" | "failed">;
  /** The text that was classified: the remote server's reply or the MTA's own words ("" when the line has none). */
  readonly diagnostic: string;
  /** The MTA's id for the message: Postfix's or Sendmail's queue id, Exim's message id, a trace's message id. */
  readonly queueId?: string;
  /** The host the MTA was talking to (Postfix's relay=, Exim's H=, Sendmail's relay=). */
  readonly remoteMta?: string;
  /** The address the recipient was written as before aliasing (Postfix's orig_to=). */
  readonly originalRecipient?: string;
  /** The message's sender, where the line names it. */
  readonly sender?: string;
}

/**
 * One recipient's delivery as a log line reports it. Every result names its recipient, but one: an expiry that names
 * none (Postfix's "from=<…>, status=expired, returned to sender", Sendmail's "DSN: Cannot send message for 5 days")
 * where the reader has not read the message's deferrals before it.
 */
export type LogLineResult = BounceClassification &
  LogFacts &
  (
    | { readonly mtaStatus: Exclude<LogStatus, "expired">; readonly recipient: string }
    | { readonly mtaStatus: "expired"; readonly recipient?: string }
  );

/**
 * Reads a log's lines in order. It remembers what a log's later lines need of its earlier ones: a message trace's
 * header row (its columns), and the deferred recipients of each message (at most MAX_REMEMBERED_DEFERRALS, the
 * messages least recently deferred forgotten first), so that a message's expiry gives a result for each of them.
 */
export class LogReader {
  private readonly readers = LOG_READERS.map((reader) => ({ reader, read: reader.open() }));
  /** The deferred recipients of each message ("format queueId"), the least recently deferred message first. */
  private readonly deferred = new Map<string, Map<string, LogRecord>>();
  private remembered = 0;

  /**
   * The line's results: one per recipient it reports a delivery for (its first MAX_RECIPIENTS), [] for a line of a
   * known log that reports none (a connection, a warning, an arrival), undefined for a line of no log the reader
   * knows. Never throws.
   */
  read(line: string): LogLineResult[] | undefined {
    if (typeof line !== "string") return undefined;
    const parsed = logLine(line);
    for (const { reader, read } of this.readers) {
      let records: LogRecord[] | undefined;
      try {
        records = read(parsed);
      } catch {
        records = [];
      }
      if (records === undefined) continue;
      const out: LogLineResult[] = [];
      for (const record of records.slice(0, MAX_RECIPIENTS))
        for (const r of this.remember(record, reader.format))
          if (out.length < MAX_RECIPIENTS) out.push(result(r, reader));
      return out;
    }
    return undefined;
  }

  /** The record as it stands in its message's history: an expiry naming no recipient is each deferred one's. */
  private remember(record: LogRecord, format: string): LogRecord[] {
    if (record.queueId === undefined) return [record];
    const key = `${format} ${record.queueId}`;
    const known = this.deferred.get(key);
    if (record.recipient === undefined) {
      if (known === undefined) return [record];
      this.forget(key, known);
      return [...known.values()].map((r) => ({ ...r, status: "expired", text: r.text !== "" ? r.text : record.text }));
    }
    if (record.status === "deferred") {
      const recipients = known ?? new Map<string, LogRecord>();
      // Deleted and set again: the Map's order is then the order of the last deferrals, oldest first.
      this.deferred.delete(key);
      this.deferred.set(key, recipients);
      if (!recipients.has(record.recipient)) this.remembered++;
      recipients.set(record.recipient, { ...record, text: record.text.slice(0, REMEMBERED_TEXT_CHARS) });
      while (this.remembered > MAX_REMEMBERED_DEFERRALS) {
        const [oldest, recipientsOf] = this.deferred.entries().next().value!;
        this.forget(oldest, recipientsOf);
      }
    } else if (known?.delete(record.recipient) === true) {
      this.remembered--;
      if (known.size === 0) this.deferred.delete(key);
    }
    return [record];
  }

  private forget(key: string, recipients: ReadonlyMap<string, LogRecord>): void {
    this.deferred.delete(key);
    this.remembered -= recipients.size;
  }
}

/**
 * What one log line says of each recipient it reports a delivery for (Postfix, Exim, Sendmail; a message trace's row
 * only with its header row before it: read a trace with a LogReader). [] for a line that reports none.
 */
export function classifyLogLine(line: string): LogLineResult[] {
  return new LogReader().read(line) ?? [];
}

function result(r: LogRecord, reader: { readonly format: LogFormat; readonly mta: string }): LogLineResult {
  const text = squeeze(r.text.length > MAX_TEXT_CHARS ? r.text.slice(0, MAX_TEXT_CHARS) : r.text);
  const dsnAction = DSN_ACTIONS[r.status];
  // The MTA's status decides what it can: a delivery is delivered, an expiry expired unless its text says more.
  const reason: BounceReason | undefined =
    r.reason ?? (r.status === "sent" ? "delivered" : r.status === "expired" ? "expired" : undefined);
  // Built field by field, not by spreading optional ones: a log has many lines, and each spread is an allocation.
  const facts: Mutable<BounceFacts> = { text, mta: reader.mta, dsnAction };
  if (r.recipient !== undefined) facts.recipient = r.recipient;
  if (r.enhancedCode !== undefined) facts.status = r.enhancedCode;
  if (r.command !== undefined) facts.command = r.command;
  if (r.remoteMta !== undefined) facts.remoteMta = r.remoteMta;
  if (reason !== undefined) facts.reason = reason;
  const out = classify(facts) as Mutable<BounceClassification & LogFacts & { recipient?: string }>;
  if (r.recipient !== undefined) out.recipient = r.recipient;
  out.format = reader.format;
  out.mtaStatus = r.status;
  out.dsnAction = dsnAction;
  out.diagnostic = text;
  if (r.queueId !== undefined) out.queueId = r.queueId;
  if (r.remoteMta !== undefined) out.remoteMta = r.remoteMta;
  if (r.originalRecipient !== undefined) out.originalRecipient = r.originalRecipient;
  if (r.sender !== undefined) out.sender = r.sender;
  // A record names its recipient unless it is an expiry (the readers' and remember's contract).
  return out as LogLineResult;
}
