// rfc3464: the generic delivery status notification — one result per recipient block of the delivery-status part
// (or of DSN fields written inline). With one recipient, the report's prose is read with its Diagnostic-Code (MTAs
// put the reason in either); with several, each recipient's own Diagnostic-Code, or the prose's paragraph about
// it. PowerMTA's X-PowerMTA-BounceCategory names the reason itself.
import { dsnField, type DsnRecipient } from "../dsn.js";
import type { BounceRecord, Format, Report } from "../report.js";
import { squeeze } from "../text.js";
import { commandIn } from "./smtp.js";

/** PowerMTA's bounce categories (X-PowerMTA-BounceCategory) and the reasons they stand for. */
const POWERMTA: Readonly<Record<string, string>> = {
  "bad-domain": "hostunknown",
  "bad-mailbox": "userunknown",
  "inactive-mailbox": "suspend",
  "message-expired": "expired",
  "no-answer-from-host": "networkerror",
  "policy-related": "policyviolation",
  "quota-issues": "mailboxfull",
  "routing-errors": "systemerror",
  "spam-related": "spamdetected",
};

const BOILERPLATE_STARTS = ["Content-", "This is a MIME", "This is a multi", "This is an auto", "This multi-part", "###", "***", "--"];
const BOILERPLATE_HAS = ["--- The follow", "--- Transcript"];

/** The report's prose: its human-readable lines before any DSN field, boilerplate dropped, squeezed. */
export function proseOf(report: Report): string {
  const kept: string[] = [];
  for (const line of report.lines) {
    if (report.mail.dsn === "" && dsnField(line) !== undefined && /^(reporting-mta|final-recipient|original-recipient|arrival-date|received-from-mta)/i.test(line)) break;
    if (BOILERPLATE_STARTS.some((s) => line.startsWith(s)) || BOILERPLATE_HAS.some((s) => line.indexOf(s) !== -1)) continue;
    kept.push(line);
  }
  return squeeze(kept.join(" "));
}

/** A DSN recipient's record: its fields, and the text given (its Diagnostic-Code when none is). */
export function dsnRecord(report: Report, r: DsnRecipient, text?: string): BounceRecord {
  const base = text ?? r.diagnostic ?? "";
  return {
    recipient: r.recipient,
    text: r.comments !== undefined && base.indexOf(r.comments) === -1 ? (base + " " + r.comments).trim() : base,
    ...(r.status !== undefined && { status: r.status }),
    ...(r.action !== undefined && { action: r.action }),
    ...(r.diagnosticType !== undefined && { diagnosticType: r.diagnosticType }),
    ...(r.originalRecipient !== undefined && { originalRecipient: r.originalRecipient }),
    ...(r.remoteMta !== undefined && { remoteMta: r.remoteMta }),
    ...(report.dsn.reportingMta !== undefined && { reportingMta: report.dsn.reportingMta }),
  };
}

/** The lines of the prose about one recipient: from the line naming it to the next blank line or address line. */
export function paragraphAbout(report: Report, recipient: string): string {
  const out: string[] = [];
  let on = false;
  for (const line of report.lines) {
    const lower = line.toLowerCase();
    if (!on) {
      if (lower.indexOf(recipient) !== -1) {
        on = true;
        out.push(line);
      }
      continue;
    }
    if (line.trim() === "" && out.length > 1) break;
    if (lower.indexOf("@") !== -1 && lower.indexOf(recipient) === -1 && /^\s*<?[^\s@]+@/.test(line) && out.length > 1) break;
    out.push(line);
  }
  return squeeze(out.join(" "));
}

export const rfc3464: Format = {
  name: "rfc3464",
  read: readDsnReport,
};

/**
 * Exchange 2007 and later (Exchange Online, Outlook.com): RFC 3464 reports whose Diagnostic-Code carries the NDR
 * code ("550 5.1.1 RESOLVER.ADR.RecipNotFound; not found"); the codes are catalog wording for the exchange2007 MTA.
 */
export const exchange2007: Format = {
  name: "exchange2007",
  read(report: Report): BounceRecord[] | undefined {
    const subject = report.mail.subject;
    const ndr = report.mail.headers.has("x-ms-exchange-message-is-ndr") || (report.mail.headers.has("content-language") && /^(Undeliverable|Non remis|Non recapitabile|Unzustellbar|No se puede entregar|Onbestelbaar|Olevererbart|Nie można dostarczyć|Nao entregue|Não entregue|Kézbesíthetetlen)/.test(subject));
    return ndr ? readDsnReport(report) : undefined;
  },
};

/**
 * Oracle (formerly Sun, formerly iPlanet) Messaging Server: RFC 3464 reports (MIME boundaries "Boundary_(ID_…",
 * Subject "Delivery Notification: …") whose prose repeats each recipient's fields ("Recipient address:", "Reason:",
 * "Diagnostic code:"); its own sentences are catalog wording for the messagingserver MTA.
 */
export const messagingserver: Format = {
  name: "messagingserver",
  read(report: Report): BounceRecord[] | undefined {
    if (report.header("content-type").indexOf("Boundary_(ID_") === -1 && !report.mail.subject.startsWith("Delivery Notification: ")) return undefined;
    const recipients = report.dsn.recipients;
    if (recipients.length === 0) return undefined;
    // What the report says of each recipient is its Diagnostic-Code and its Status comment ("5.1.2 (Illegal
    // host/domain name found)"); the prose around them repeats the returned message's headers.
    return recipients.map((r) => {
      const text = r.diagnostic !== undefined && r.diagnostic !== "" ? r.diagnostic : r.comments !== undefined ? "" : paragraphAbout(report, r.recipient);
      return dsnRecord(report, r, text);
    });
  },
};

function readDsnReport(report: Report): BounceRecord[] | undefined {
  {
    const recipients = report.dsn.recipients;
    if (recipients.length === 0) return undefined;
    const category = (report.dsn.message.get("x-powermta-bouncecategory") ?? recipients[0]!.fields.get("x-powermta-bouncecategory") ?? "").trim().toLowerCase();
    const given = POWERMTA[category];
    const prose = recipients.length === 1 ? proseOf(report) : "";
    return recipients.map((r) => {
      let text: string;
      let command: string | undefined;
      if (recipients.length === 1) {
        const diagnostic = r.diagnostic ?? "";
        text = diagnostic !== "" && prose.indexOf(diagnostic) !== -1 ? prose : (prose + " " + diagnostic).trim();
      } else {
        const paragraph = paragraphAbout(report, r.recipient);
        text = r.diagnostic !== undefined && r.diagnostic !== "" ? r.diagnostic : paragraph;
        // The prose may tell the command the recipient's diagnostic does not ("(in reply to RCPT TO command)").
        const at = paragraph.indexOf("in reply to ");
        if (at !== -1) command = commandIn(paragraph.slice(at));
      }
      const record = dsnRecord(report, r, text);
      if (command !== undefined) record.command = command;
      if (given !== undefined) record.reason = given;
      return record;
    });
  }
}
