// dsn: the fields of a delivery status notification (RFC 3464, and RFC 1894 before it), per message and per
// recipient, read the way real reports write them: a second Final-Recipient starts the next recipient (fields
// before the first belong to it), continuation lines are joined, "Final-Recipient: <addr>" without a type is
// accepted, and a field's parenthesised comment ("Status: 5.2.1 (mailbox disabled)") is kept as diagnostic text.
import { findCodes } from "mailcodes-runtime";
import { fieldAddresses, firstAddress } from "./address.js";
import { MAX_RECIPIENTS } from "./limits.js";
import { linesOf, squeeze } from "./text.js";

/** What a report says of one recipient. */
export interface DsnRecipient {
  /** Final-Recipient (else X-Actual-Recipient, else Original-Recipient), lower case. */
  recipient: string;
  originalRecipient?: string;
  action?: DsnAction;
  /** The Status field's code ("5.1.1"). */
  status?: string;
  /** The Diagnostic-Code text, continuation lines joined, its type ("smtp;") removed. */
  diagnostic?: string;
  /** The Diagnostic-Code type: smtp, x-unix, x-postfix … (lower case). */
  diagnosticType?: string;
  /** Comments in parentheses of the recipient's fields (Status: 5.2.1 (mailbox disabled)). */
  comments?: string;
  remoteMta?: string;
  /** Every field of the recipient's block, by lower-case name (the last value wins). */
  fields: Map<string, string>;
}

export interface Dsn {
  /** Per-message fields by lower-case name: Reporting-MTA, Received-From-MTA, Arrival-Date … */
  readonly message: ReadonlyMap<string, string>;
  readonly recipients: DsnRecipient[];
  readonly reportingMta?: string;
}

const MESSAGE_FIELDS = new Set([
  "reporting-mta",
  "received-from-mta",
  "arrival-date",
  "dsn-gateway",
  "original-envelope-id",
  "x-original-message-id",
  "x-postfix-queue-id",
  "x-postfix-sender",
  "x-powermta-virtualmta",
  "x-powermta-bouncecategory",
]);
const RECIPIENT_FIELDS = new Set([
  "final-recipient",
  "original-recipient",
  "x-actual-recipient",
  "action",
  "status",
  "remote-mta",
  "diagnostic-code",
  "last-attempt-date",
  "will-retry-until",
  "x-display-name",
  "final-log-id",
]);

/** The field name of a line "Name: value" if it is a DSN field (lower case), else undefined. */
export function dsnField(line: string): string | undefined {
  const colon = line.indexOf(":");
  if (colon < 5 || colon > 30) return undefined;
  const name = line.slice(0, colon).trim().toLowerCase();
  return MESSAGE_FIELDS.has(name) || RECIPIENT_FIELDS.has(name) ? name : undefined;
}

/** The text of a field value after its type: "rfc822; a@b" gives "a@b", "smtp; 550 …" gives "550 …". */
export function afterType(value: string): { type?: string; text: string } {
  const semi = value.indexOf(";");
  if (semi > 0 && semi <= 20 && /^[A-Za-z0-9-]+$/.test(value.slice(0, semi).trim()))
    return { type: value.slice(0, semi).trim().toLowerCase(), text: value.slice(semi + 1).trim() };
  return { text: value.trim() };
}

/**
 * The address a recipient field gives ("rfc822; a@b.example", "utf-8; josé@b.example", "<a@b.example>"), read as a
 * header's address is: RFC 6533's utf-8 type writes a character as \x{HEX} where it must.
 */
function recipientOf(value: string): string | undefined {
  const { type, text } = afterType(value);
  const written =
    type === "utf-8"
      ? text.replace(/\\x\{([0-9A-Fa-f]{1,6})\}/g, (sequence, hex: string) => codePoint(hex) ?? sequence)
      : text;
  return fieldAddresses(written, 1)[0];
}

function codePoint(hex: string): string | undefined {
  const n = Number.parseInt(hex, 16);
  return n > 0 && n <= 0x10ffff && (n < 0xd800 || n > 0xdfff) ? String.fromCodePoint(n) : undefined;
}

/** The enhanced status code a Status field starts with ("5.1.1 (…)" gives "5.1.1"), a code as the runtime reads codes. */
export function statusCode(value: string): string | undefined {
  const first = findCodes(value.trim()).enhancedCodes[0];
  return first?.index === 0 ? first.code : undefined;
}

/** RFC 3464's actions (section 2.3.3): what the reporting MTA did about the recipient. */
export const DSN_ACTIONS = ["failed", "delayed", "delivered", "relayed", "expanded"] as const;
export type DsnAction = (typeof DSN_ACTIONS)[number];

/**
 * An Action field's value as one of RFC 3464's actions: its first word, in any case ("failed", "Delayed (will
 * retry)"); "expired", which some MTAs write for a message given up on after its delays, is "failed" (no longer
 * tried: "delayed" says the server still tries; see isExpired); anything else is no action.
 */
export function dsnActionOf(value: string): DsnAction | undefined {
  const word = actionWord(value);
  if (word === "expired") return "failed";
  return DSN_ACTIONS.find((action) => action === word);
}

/** Whether an Action field says the message expired: given up on after its delays (the reason expired). */
export function isExpired(value: string): boolean {
  return actionWord(value) === "expired";
}

function actionWord(value: string): string {
  return value.trim().toLowerCase().split(/\s/)[0]!;
}

/** The comments of a field value: the text in its parentheses, outside any Diagnostic-Code. */
function commentsOf(value: string): string {
  let out = "";
  let from = 0;
  for (;;) {
    const open = value.indexOf("(", from);
    if (open === -1) break;
    const close = value.indexOf(")", open + 1);
    if (close === -1) break;
    out += (out ? " " : "") + value.slice(open + 1, close).trim();
    from = close + 1;
  }
  return out;
}

/** Reads the DSN fields of a text (a delivery-status part, or a report that writes them inline). */
export function readDsn(text: string): Dsn {
  const message = new Map<string, string>();
  const recipients: Array<Map<string, string>> = [];
  let current: Map<string, string> | undefined;
  let last: { map: Map<string, string>; name: string } | undefined;
  let blank = false; // a blank line since the current recipient's last field
  for (const line of linesOf(text)) {
    if (line.length === 0) {
      last = undefined;
      blank = true;
      continue;
    }
    if ((line[0] === " " || line[0] === "\t") && last !== undefined) {
      last.map.set(last.name, `${last.map.get(last.name)!} ${line.trim()}`);
      continue;
    }
    const name = dsnField(line);
    if (name === undefined) {
      last = undefined;
      continue;
    }
    const value = line.slice(line.indexOf(":") + 1).trim();
    if (MESSAGE_FIELDS.has(name)) {
      if (!message.has(name)) message.set(name, value);
      last = { map: message, name };
      continue;
    }
    // A second Final-Recipient (or a second Original-Recipient after a Final-Recipient) starts the next recipient, and
    // so does, past a blank line, a field the current one has: a block that opens with its Action (as Exim writes
    // "Action: failed" before "Final-Recipient:") is the next recipient's, not more of the last one's.
    if (
      current === undefined ||
      (name === "final-recipient" && current.has("final-recipient")) ||
      (name === "original-recipient" && current.has("original-recipient") && current.has("final-recipient")) ||
      (blank && name !== "diagnostic-code" && current.has(name))
    ) {
      if (current === undefined || current.size > 0) {
        current = new Map();
        recipients.push(current);
      }
    }
    if (name === "diagnostic-code" && current.has(name)) current.set(name, `${current.get(name)!} ${value}`);
    else current.set(name, value);
    last = { map: current, name };
    blank = false;
  }
  const reportingMta = message.get("reporting-mta");
  const out: DsnRecipient[] = [];
  for (let index = 0; index < recipients.length && out.length < MAX_RECIPIENTS; index++) {
    const fields = recipients[index]!;
    const final = fields.get("final-recipient") ?? "";
    let address =
      recipientOf(final) ??
      recipientOf(fields.get("x-actual-recipient") ?? "") ??
      recipientOf(fields.get("original-recipient") ?? "");
    // "Final-Recipient: rfc822; @mail.example.org" (no local part): the address the Diagnostic-Code names.
    if (address === undefined && afterType(final).text.startsWith("@"))
      address = firstAddress(fields.get("diagnostic-code") ?? "");
    if (address === undefined) {
      // A block with no recipient (a Status or Diagnostic-Code before any recipient field): lend it to the next.
      const next = recipients[index + 1];
      if (next !== undefined) for (const [k, v] of fields) if (!next.has(k)) next.set(k, v);
      continue;
    }
    const r: DsnRecipient = { recipient: address, fields };
    const original = recipientOf(fields.get("original-recipient") ?? "");
    if (original !== undefined) r.originalRecipient = original;
    const action = fields.get("action");
    const known = action === undefined ? undefined : dsnActionOf(action);
    if (known !== undefined) r.action = known;
    const status = fields.get("status");
    if (status) {
      const code = statusCode(status);
      if (code !== undefined) r.status = code;
    }
    const diagnostic = fields.get("diagnostic-code");
    if (diagnostic !== undefined) {
      const { type, text } = afterType(diagnostic);
      if (type !== undefined) r.diagnosticType = type;
      r.diagnostic = squeeze(text);
    }
    const comments = [status, fields.get("action")]
      .filter((v): v is string => v !== undefined)
      .map(commentsOf)
      .filter((c) => c !== "")
      .join(" ");
    if (comments !== "") r.comments = comments;
    const remote = fields.get("remote-mta");
    if (remote) r.remoteMta = hostOf(afterType(remote).text);
    // Consecutive blocks for the same address are one recipient.
    const previous = out[out.length - 1];
    if (previous !== undefined && previous.recipient === address) continue;
    out.push(r);
  }
  return {
    message,
    recipients: out,
    ...(reportingMta !== undefined && { reportingMta: hostOf(afterType(reportingMta).text) }),
  };
}

/** The host name of an MTA field value ("mx.example.com [192.0.2.1]" gives "mx.example.com"), lower case. */
export function hostOf(value: string): string {
  const word = value.trim().split(/[\s;]/)[0] ?? "";
  return word
    .replace(/^\[|\]$/g, "")
    .replace(/\.$/, "")
    .toLowerCase();
}
