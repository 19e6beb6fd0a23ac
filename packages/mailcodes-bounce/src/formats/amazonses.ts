// amazonses: Amazon SES notifications (through SNS, as mail): JSON with a notificationType of Bounce (one result per
// bounced recipient, its diagnosticCode and status, and the reason SES's bounceType and bounceSubType name), DeliveryDelay (one per delayed recipient, still tried), Complaint
// (feedback) or Delivery (delivered).

import type { BounceReason } from "mailcodes";
import { fieldAddresses } from "../address.js";
import { afterType, dsnActionOf, statusCode } from "../dsn.js";
import type { BounceRecord, Reader, Report } from "../report.js";
import { linesOf, squeeze } from "../text.js";

export const amazonses = {
  format: "amazonses",
  read(report: Report): BounceRecord[] | undefined {
    const text = report.mail.text;
    if (text.indexOf("notificationType") === -1 && text.indexOf("eventType") === -1) return undefined;
    let data = parseNotification(jsonOf(text)) ?? parseNotification(objectText(text));
    if (data === undefined) return undefined;
    if (typeof data["Message"] === "string") data = parseNotification(data["Message"]) ?? data;
    const type = String(data["notificationType"] ?? data["eventType"] ?? "");
    const reportingMta =
      typeof (data["bounce"] as Record<string, unknown> | undefined)?.["reportingMTA"] === "string"
        ? afterType(String((data["bounce"] as Record<string, unknown>)["reportingMTA"])).text
        : undefined;
    const records: BounceRecord[] = [];
    if (type === "Bounce" || type === "DeliveryDelay") {
      // A delivery delay (SES's event publishing) lists the recipients SES still tries, as a bounce lists its own.
      const delay = type === "DeliveryDelay";
      const bounce = object(data[delay ? "deliveryDelay" : "bounce"]);
      for (const item of array(bounce[delay ? "delayedRecipients" : "bouncedRecipients"])) {
        const r = object(item);
        const recipient = fieldAddresses(String(r["emailAddress"] ?? ""), 1)[0];
        if (recipient === undefined) continue;
        const diagnostic = afterType(String(r["diagnosticCode"] ?? ""));
        const status = statusCode(String(r["status"] ?? ""));
        const action = delay ? "delayed" : dsnActionOf(String(r["action"] ?? "failed"));
        const text = squeeze(diagnostic.text);
        const reason = delay ? undefined : bounceReason(bounce, text === "" && status === undefined);
        records.push({
          recipient,
          text,
          ...(status !== undefined && { status }),
          ...(action !== undefined && { action }),
          diagnosticType: diagnostic.type ?? "smtp",
          ...(reason !== undefined && { reason }),
          ...(reportingMta !== undefined && { reportingMta }),
        });
      }
    } else if (type === "Complaint") {
      const complaint = object(data["complaint"]);
      for (const item of array(complaint["complainedRecipients"])) {
        const recipient = fieldAddresses(String(object(item)["emailAddress"] ?? ""), 1)[0];
        if (recipient !== undefined)
          records.push({ recipient, text: String(complaint["complaintFeedbackType"] ?? ""), reason: "feedback" });
      }
    } else if (type === "Delivery") {
      const delivery = object(data["delivery"]);
      const response = String(delivery["smtpResponse"] ?? "");
      for (const item of array(delivery["recipients"])) {
        const recipient = fieldAddresses(String(item), 1)[0];
        if (recipient !== undefined)
          records.push({ recipient, text: response, action: "delivered", reason: "delivered" });
      }
    }
    return records;
  },
} as const satisfies Reader;

/**
 * The reason SES's own classification of a bounce names (bounceType and bounceSubType): a full mailbox and a message
 * too large whatever the diagnostic says, as Sisimai reads them; NoEmail (the address does not exist) only where the
 * recipient comes with no diagnostic and no status, SES's word then being all there is.
 */
function bounceReason(bounce: Record<string, unknown>, bare: boolean): BounceReason | undefined {
  const type = bounce["bounceType"];
  const subtype = bounce["bounceSubType"];
  if (type === "Transient" && subtype === "MailboxFull") return "mailboxfull";
  if (type === "Transient" && subtype === "MessageTooLarge") return "mesgtoobig";
  if (type === "Permanent" && subtype === "NoEmail" && bare) return "userunknown";
  return undefined;
}

/**
 * The JSON object of the notification: from its first "{" line, folded lines joined. Mail wraps a long line with a
 * leading space on the next; Sendmail, past its line length, also ends the cut line with "!" ("…,\"action\":!" and
 * " \"failed\"…"), which goes with the fold.
 */
function jsonOf(text: string): string {
  let json = "";
  let inside = false;
  for (const line of linesOf(text)) {
    if (!inside) {
      if (!line.startsWith("{")) continue;
      inside = true;
      json = line;
      continue;
    }
    if (!line.startsWith(" ")) break;
    if (json.endsWith("!")) json = json.slice(0, -1);
    json += line.slice(1);
  }
  return json;
}

/** The text from the first "{" at a line's start to the last "}": SNS's envelope as it prints it, over many lines. */
function objectText(text: string): string {
  const start = text.startsWith("{") ? 0 : text.indexOf("\n{") + 1;
  const end = text.lastIndexOf("}");
  return start > 0 || text.startsWith("{") ? (end > start ? text.slice(start, end + 1) : "") : "";
}

function parseNotification(json: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function object(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function array(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
