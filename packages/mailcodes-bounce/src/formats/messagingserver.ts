// messagingserver: Oracle (formerly Sun, formerly iPlanet) Messaging Server: RFC 3464 reports (MIME boundaries
// "Boundary_(ID_…", Subject "Delivery Notification: …") whose prose repeats each recipient's fields ("Recipient
// address:", "Reason:", "Diagnostic code:"); its own sentences are catalog wording for the messagingserver MTA.
import { dsnRecord } from "../read.js";
import type { BounceRecord, Reader, Report } from "../report.js";

export const messagingserver = {
  format: "messagingserver",
  read(report: Report): BounceRecord[] | undefined {
    if (
      report.header("content-type").indexOf("Boundary_(ID_") === -1 &&
      !report.mail.subject.startsWith("Delivery Notification: ")
    )
      return undefined;
    const recipients = report.dsn.recipients;
    if (recipients.length === 0) return undefined;
    // What the report says of each recipient is its Diagnostic-Code and its Status comment ("5.1.2 (Illegal
    // host/domain name found)"); the prose around them repeats the returned message's headers.
    return recipients.map((r) => {
      const text =
        r.diagnostic !== undefined && r.diagnostic !== ""
          ? r.diagnostic
          : r.comments !== undefined
            ? ""
            : report.paragraphAbout(r.recipient);
      return dsnRecord(report, r, text);
    });
  },
} as const satisfies Reader;
