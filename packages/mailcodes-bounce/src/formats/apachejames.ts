// apachejames: Apache James' bounces ("[BOUNCE]", Message-IDs ….JavaMail…, Received … JAMES SMTP Server), in the form
// Verizon's have (read.ts's readErrorDetails). James writes no sentences of its own.
import { fromVerizon, readErrorDetails } from "../read.js";
import type { Reader, Report } from "../report.js";

function isJames(report: Report): boolean {
  return (
    report.mail.subject === "[BOUNCE]" ||
    report.header("message-id").indexOf(".JavaMail.") !== -1 ||
    (report.mail.headers.get("received") ?? []).some((r) => r.indexOf("JAMES SMTP Server") !== -1)
  );
}

export const apachejames = {
  format: "apachejames",
  read: (report) => (!fromVerizon(report) && isJames(report) ? readErrorDetails(report) : undefined),
} as const satisfies Reader;
