// feedback: abuse feedback reports (ARF, RFC 5965) — a recipient marked the message as spam. Every reported
// recipient (Original-Rcpt-To, Removal-Recipient) is a result with the reason feedback; a report that names none
// stands for the returned message's recipient. Also Hotmail's and Amazon SES's older complaint mails, and Apple's
// unsubscribe notices.
import { fieldAddresses } from "../address.js";
import type { BounceRecord, Reader, Report } from "../report.js";
import { linesOf } from "../text.js";

export const feedback = {
  format: "feedback",
  notANotice: true,
  read(report: Report): BounceRecord[] | undefined {
    const mail = report.mail;
    const type = mail.header("content-type").toLowerCase();
    const complaint =
      type.startsWith("multipart/mixed") &&
      mail.subject.indexOf("complaint about message from ") !== -1 &&
      /staff@hotmail\.com|complaints@email-abuse\.amazonses\.com/.test(mail.from);
    const apple = mail.header("x-apple-unsubscribe").trim().toLowerCase() === "true";
    if (
      !(
        type.indexOf("report-type=feedback-report") !== -1 ||
        type.indexOf('report-type="feedback-report"') !== -1 ||
        mail.feedback !== "" ||
        complaint ||
        apple
      )
    )
      return undefined;
    const recipients: string[] = [];
    for (const line of linesOf(mail.feedback !== "" ? mail.feedback : mail.text)) {
      const lower = line.slice(0, 20).toLowerCase();
      if (!lower.startsWith("original-rcpt-to:") && !lower.startsWith("removal-recipient:")) continue;
      const address = fieldAddresses(line.slice(line.indexOf(":") + 1), 1)[0];
      if (address !== undefined && recipients[recipients.length - 1] !== address) recipients.push(address);
    }
    if (recipients.length === 0) {
      const to =
        fieldAddresses(report.originalHeader("to"), 1)[0] ??
        (apple ? fieldAddresses(mail.header("from"), 1)[0] : undefined) ??
        fieldAddresses(mail.header("to"), 1)[0];
      if (to !== undefined) recipients.push(to);
    }
    const text = firstFeedbackLine(mail.feedback);
    return recipients.map((recipient) => ({ recipient, text, reason: "feedback" }));
  },
} as const satisfies Reader;

/** The report's Feedback-Type line, as the result's diagnostic. */
function firstFeedbackLine(part: string): string {
  for (const line of linesOf(part)) if (line.toLowerCase().startsWith("feedback-type:")) return line.trim();
  return "";
}
