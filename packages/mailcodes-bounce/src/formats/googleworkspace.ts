// googleworkspace: Google Workspace's bounces (from Google's mailer daemon, with no DSN fields): "** Address not found
// **" and what follows, for the returned message's recipient.
import { fieldAddresses } from "../address.js";
import { fromGoogle } from "../read.js";
import type { BounceRecord, Reader, Report } from "../report.js";
import { squeeze } from "../text.js";

export const googleworkspace = {
  format: "googleworkspace",
  read(report: Report): BounceRecord[] | undefined {
    if (!fromGoogle(report) || report.dsn.recipients.length > 0) return undefined;
    const text = report.mail.text;
    const start = text.indexOf("** ");
    if (start === -1) return undefined;
    const to = fieldAddresses(report.originalHeader("to"), 1)[0];
    if (to === undefined) return undefined;
    return [{ recipient: to, text: squeeze(text.slice(start)) }];
  },
} as const satisfies Reader;
