// autoreply: automatic replies (RFC 3834: Auto-Submitted, Precedence: auto_reply; "Out of office" and the like in
// the Subject) — not failures, reason vacation, for the address that replied. A fallback, tried only after every
// bounce form, since a bounce is auto-submitted too (a mail from a mailer daemon or postmaster is not an auto-reply);
// but it claims a mail whose Subject says "Auto:", "Auto Reply" or "Automatic reply" before any other reader.
import { fieldAddresses } from "../address.js";
import type { BounceRecord, Reader, Report } from "../report.js";
import { squeeze } from "../text.js";

const SUBJECT_STARTS = ["auto:", "auto response:", "automatic reply:", "out of office:", "out of the office:"];

export const autoreply = {
  format: "autoreply",
  fallback: true,
  notANotice: true,
  /** Subjects that say the mail is an auto-reply whatever else it holds ("Auto: …", "Auto Reply: …", "Automatic reply: …"). */
  claims(report: Report): boolean {
    const s = report.mail.subject
      .toLowerCase()
      .replace(/[[\]_]/g, " ")
      .trimStart();
    return s.startsWith("auto:") || s.startsWith("auto reply") || s.startsWith("automatic reply");
  },
  read(report: Report): BounceRecord[] | undefined {
    if (report.attached) return undefined;
    const mail = report.mail;
    const from = mail.from.toLowerCase();
    const subject = mail.subject.toLowerCase();
    if (["root@", "postmaster@", "mailer-daemon@"].some((s) => from.indexOf(s) !== -1)) return undefined;
    if (mail.header("to").toLowerCase().indexOf("root@") !== -1) return undefined;
    if (subject.indexOf("security information for") !== -1 || subject.indexOf("mail failure -") !== -1)
      return undefined;
    const submitted = mail.header("auto-submitted").toLowerCase();
    const auto =
      submitted.startsWith("auto-generated") ||
      submitted.startsWith("auto-replied") ||
      submitted.startsWith("auto-notified") ||
      mail.header("precedence").toLowerCase().startsWith("auto_reply") ||
      SUBJECT_STARTS.some((s) => subject.startsWith(s)) ||
      mail.header("x-apple-action").toLowerCase().startsWith("vacation");
    if (!auto) return undefined;
    const recipient = fieldAddresses(mail.header("from"), 1)[0] ?? fieldAddresses(mail.header("return-path"), 1)[0];
    if (recipient === undefined) return undefined;
    return [{ recipient, text: squeeze(mail.text).slice(0, 1000), reason: "vacation" }];
  },
} as const satisfies Reader;
