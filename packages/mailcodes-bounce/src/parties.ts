// parties: whose an address in a bounce is, besides a recipient's — the notice's writer and the list it serves
// (the notice's From, Reply-To, Sender, Errors-To; the returned message's List-* addresses; postmaster, owner-…,
// …-admin, …-bounces and the like), the original sender (the notice's To, the returned message's From), and the
// returned message's own recipients' headers (its To, Cc, Delivered-To). A report names these too — "Please reply
// to Postmaster@…", "Your message to list@… could not be delivered to …", "Sent by: …" — and none of them is the
// bounced address while the report names another.
import { fieldAddresses } from "./address.js";
import { parseHeaders } from "./mail.js";
import type { BounceRecord, Report } from "./report.js";

/** Local parts of addresses that are a role, a list's or a mail system's, not a person's mailbox. */
const ROLE_NAMES = new Set([
  "mailer-daemon",
  "mailerdaemon",
  "postmaster",
  "listserv",
  "majordomo",
  "mailman",
  "ezmlm",
  "noreply",
  "no-reply",
  "donotreply",
  "do-not-reply",
]);
const ROLE_PREFIXES = ["owner-", "bounce-", "bounces-"];
const ROLE_SUFFIXES = ["-owner", "-admin", "-request", "-bounce", "-bounces"];
/** Variable envelope return paths: a list's bounce address with the member's written in (list-bounces+a=b@…). */
const ROLE_INFIXES = ["-bounces+", "-return-", "-owner+"];

/** Whether an address (lower case) is a role's, a list's or a mail system's. */
export function isRoleAddress(address: string): boolean {
  const local = address.slice(0, address.lastIndexOf("@"));
  return (
    ROLE_NAMES.has(local) ||
    ROLE_PREFIXES.some((p) => local.startsWith(p)) ||
    ROLE_SUFFIXES.some((s) => local.endsWith(s)) ||
    ROLE_INFIXES.some((s) => local.indexOf(s) !== -1)
  );
}

export interface Parties {
  /** The notice's writer, the list it serves, or a role: never a bounced address while the report names another. */
  reporter(address: string): boolean;
  /** The notice's writer's and the list's own addresses (its From, Reply-To …; the returned message's List-*). */
  readonly writer: ReadonlySet<string>;
  /** The original sender's addresses: a bounced address only when the report names no other. */
  readonly sender: ReadonlySet<string>;
  /** The returned message's recipients' header fields (To, Cc, Delivered-To): the recipients it was sent to. */
  readonly returned: ReadonlySet<string>;
  /** The returned message's To addresses, in order. */
  readonly to: readonly string[];
}

const NOTICE_WRITER = ["from", "sender", "reply-to", "errors-to", "return-path"];
const NOTICE_SENDER = ["to", "cc", "delivered-to", "x-original-to"];
const RETURNED_SENDER = ["from", "sender", "reply-to", "errors-to", "return-path"];
const RETURNED_RECIPIENTS = ["to", "cc", "delivered-to", "x-original-to"];
const LIST_FIELDS = ["list-post", "list-owner", "list-help", "list-subscribe", "list-unsubscribe", "x-beenthere"];

/** The most of a returned message read for its header block: headers are a few KB. */
const HEADER_BLOCK_CHARS = 64 * 1024;

const cache = new WeakMap<Report, Parties>();

/** Whose the addresses of a report's headers and of its returned message's headers are. Read once per report. */
export function partiesOf(report: Report): Parties {
  let parties = cache.get(report);
  if (parties !== undefined) return parties;
  const returned = parseHeaders(headerBlock(report.mail.original));
  const addresses = (headers: (name: string) => readonly string[], names: readonly string[]) => {
    // Loops, not flatMap: a report has a dozen such fields, read for every mail.
    const found: string[] = [];
    for (const name of names)
      for (const value of headers(name)) for (const address of fieldAddresses(value)) found.push(address);
    return found;
  };
  const notice = (name: string) => report.mail.headers.get(name) ?? [];
  const original = (name: string) => returned.get(name) ?? [];
  const writer = new Set([...addresses(notice, NOTICE_WRITER), ...addresses(original, LIST_FIELDS)]);
  parties = {
    reporter: (address) => writer.has(address) || isRoleAddress(address),
    writer,
    sender: new Set([...addresses(notice, NOTICE_SENDER), ...addresses(original, RETURNED_SENDER)]),
    returned: new Set(addresses(original, RETURNED_RECIPIENTS)),
    to: addresses(original, ["to"]),
  };
  cache.set(report, parties);
  return parties;
}

/** The header block a returned message's text starts with (after any blank lines), or "". */
function headerBlock(original: string): string {
  let start = 0;
  while (start < original.length && (original[start] === "\n" || original[start] === "\r")) start++;
  const end = original.indexOf("\n\n", start);
  return original.slice(start, Math.min(end === -1 ? original.length : end, start + HEADER_BLOCK_CHARS));
}

/**
 * A reader's records without those for the notice's writer's, a role's or the original sender's address, when any
 * other remains: such an address is named in a report (a postmaster to write to, the sender it was sent by) but it
 * did not bounce.
 */
export function withoutParties(records: BounceRecord[], report: Report): BounceRecord[] {
  if (records.length < 2) return records;
  const parties = partiesOf(report);
  const kept = records.filter((r) => !parties.reporter(r.recipient) && !parties.sender.has(r.recipient));
  return kept.length > 0 ? kept : records;
}
