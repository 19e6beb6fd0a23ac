// plaintext: a bounce with no delivery-status fields and no format of its own (one that says it is a bounce: a mailer
// daemon's From, a bounce's Subject, X-Failed-Recipients) — its recipients are the addresses
// X-Failed-Recipients names, else the addresses the prose gives on lines of their own ("<a@b>:", "a@b"), else the
// returned message's To:. The text is the recipient's paragraph, or the whole prose.
import { addressAlone, fieldAddresses, findAddresses } from "../address.js";
import { MAX_RECIPIENTS } from "../limits.js";
import { proseOf } from "../read.js";
import type { BounceRecord, Reader, Report } from "../report.js";

/** What a bounce's From says (a mailer daemon, a postmaster, a delivery system, the null sender). */
const DAEMONS = [
  "mailer-daemon",
  "postmaster",
  "mail delivery",
  "mail administrator",
  "system administrator",
  "mdaemon",
  "<>",
  "no-reply@",
  "noreply@",
  "bounce",
];
/** What a bounce's Subject says. */
const SUBJECTS = [
  "undeliver",
  "returned",
  "failure",
  "failed",
  "delivery",
  "bounce",
  "not delivered",
  "unzustellbar",
  "non remis",
  "error",
  "notice",
  "could not",
  "rejected",
  "mail system",
];

/** Whether the mail says it is a bounce at all: X-Failed-Recipients, or a mailer daemon's From, or a bounce's Subject. */
function saysBounce(report: Report): boolean {
  if (report.header("x-failed-recipients") !== "") return true;
  const from = report.mail.from.toLowerCase();
  const subject = report.mail.subject.toLowerCase();
  return (
    from.trim() === "" || DAEMONS.some((d) => from.indexOf(d) !== -1) || SUBJECTS.some((w) => subject.indexOf(w) !== -1)
  );
}

export const plaintext = {
  format: "plaintext",
  fallback: true,
  read(report: Report): BounceRecord[] | undefined {
    if (!saysBounce(report)) return undefined;
    let recipients = fieldAddresses(report.header("x-failed-recipients"));
    if (recipients.length === 0) recipients = addressLines(report);
    if (recipients.length === 0) recipients = fieldAddresses(report.originalHeader("to"), 1);
    if (recipients.length === 0) return undefined;
    const prose = proseOf(report);
    return unique(recipients)
      .slice(0, MAX_RECIPIENTS)
      .map((recipient) => {
        const paragraph = recipients.length > 1 ? report.paragraphAbout(recipient) : "";
        return { recipient, text: paragraph !== "" ? paragraph : prose };
      });
  },
} as const satisfies Reader;

/** Addresses the prose gives at the start of a line: "<a@b>: …", "a@b", "  a@b". */
function addressLines(report: Report): string[] {
  const found: string[] = [];
  for (const line of report.lines) {
    const t = line.trim();
    if (t === "" || t.indexOf("@") === -1) continue;
    const first = findAddresses(t, 1)[0];
    if (first === undefined) continue;
    const before = t.slice(0, first.start);
    if (before !== "" && before !== "<") continue;
    const after = t.slice(first.end).replace(/^>/, "");
    if (after === "" || after[0] === ":" || after[0] === " " || addressAlone(t) !== undefined)
      found.push(first.address);
  }
  return unique(found);
}

function unique(list: readonly string[]): string[] {
  return [...new Set(list)];
}
