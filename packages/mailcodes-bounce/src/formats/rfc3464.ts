// rfc3464: the generic delivery status notification — one result per recipient block of the delivery-status part
// (or of DSN fields written inline). With one recipient, the report's prose is read with its Diagnostic-Code (MTAs
// put the reason in either); with several, each recipient's own Diagnostic-Code, or the prose's paragraph about
// it. PowerMTA's X-PowerMTA-BounceCategory names the reason itself.
import { dsnField, type DsnRecipient } from "../dsn.js";
import type { BounceRecord, Format, Report } from "../report.js";
import { findAddresses, squeeze } from "../text.js";
import { commandIn, replyIn, statusIn } from "./smtp.js";

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
 * An NDR is told by two of its signs: an "Undeliverable:" Subject (in the sender's language), a Microsoft postmaster
 * as From, an NDR code, its administrators' section ("Diagnostic information for administrators:", "Error Details"),
 * a Content-Language header. One with no DSN part is read from that section: each recipient on a line of its own,
 * then what the remote server returned ("Remote Server returned '550 5.1.1 …'"); else the "Recipient Address:" of its
 * "Original Message Details".
 */
export const exchange2007: Format = {
  name: "exchange2007",
  read(report: Report): BounceRecord[] | undefined {
    if (!isExchangeNdr(report)) return undefined;
    return report.dsn.recipients.length > 0 ? readDsnReport(report) : readNdrProse(report);
  },
};

const NDR_SUBJECT = /^(Undeliverable|Non remis|Non recapitabile|Unzustellbar|No se puede entregar|Onbestelbaar|Olevererbart|Nie można dostarczyć|Nao entregue|Não entregue|Kézbesíthetetlen)/;
const NDR_TITLES = ["Undeliverable", "Non_remis_", "Non remis ", "Non recapitabile", "Olevererbart"];
const NDR_SECTIONS = ["Error Details", "Diagnostic information for administrators:", "Informations de diagnostic pour les administrateurs", "Informazioni di diagnostica per gli amministratori", "Diagnostisk information f"];
const NDR_GENERATED_BY = ["DSN generated by:", "Generating server", "Serveur de g", "Server di generazione", "Genererande server"];

function isExchangeNdr(report: Report): boolean {
  const subject = report.mail.subject;
  const language = report.mail.headers.has("content-language");
  if (report.mail.headers.has("x-ms-exchange-message-is-ndr") || (language && NDR_SUBJECT.test(subject))) return true;
  const text = report.mail.text;
  let signs = Number(language);
  if (NDR_TITLES.some((t) => subject.indexOf(t) !== -1)) signs++;
  const from = report.mail.from.toLowerCase();
  if (from.indexOf("postmaster@outlook.com") !== -1 || from.indexOf(".onmicrosoft.com") !== -1) signs++;
  if (text.indexOf(" RESOLVER.") !== -1 || text.indexOf(" QUEUE.") !== -1) signs++;
  if (signs < 2 && report.lines.some((line) => NDR_SECTIONS.some((s) => line.startsWith(s)))) signs++;
  return signs >= 2;
}

/** An NDR without a DSN part: its administrators' section, a recipient per line and the server's reply below. */
function readNdrProse(report: Report): BounceRecord[] | undefined {
  const records: BounceRecord[] = [];
  let on = false;
  let remote: string | undefined;
  for (const line of report.lines) {
    if (!on) {
      on = NDR_SECTIONS.some((s) => line.startsWith(s));
      continue;
    }
    const trimmed = line.trim();
    if (trimmed === "") continue;
    if (trimmed.indexOf(" ") === -1 && trimmed.indexOf("@") > 1) {
      const address = findAddresses(trimmed, 1)[0]?.address;
      if (address !== undefined) {
        records.push({ recipient: address, text: "" });
        continue;
      }
    }
    if (NDR_GENERATED_BY.some((g) => trimmed.startsWith(g))) {
      const host = trimmed.slice(trimmed.indexOf(":") + 1).trim().split(" ")[0]!.toLowerCase();
      if (host.indexOf(".") > 0) remote = host;
      continue;
    }
    if (replyIn(trimmed) !== undefined || statusIn(trimmed) !== undefined || trimmed.indexOf("Remote Server ") !== -1) {
      if (records.length === 0) records.push({ recipient: "", text: "" });
      records[records.length - 1]!.text += " " + trimmed;
    }
  }
  if (records.length > 0 && records[0]!.recipient === "") {
    // The reply came before any address: the recipient is the one "Original Message Details" names.
    const at = report.mail.text.indexOf("\nRecipient Address:");
    const address = at === -1 ? undefined : findAddresses(report.mail.text.slice(at, report.mail.text.indexOf("\n", at + 1)), 1)[0]?.address;
    if (address === undefined) records.shift();
    else records[0]!.recipient = address;
  }
  for (const record of records) {
    record.text = squeeze(record.text);
    if (remote !== undefined) record.reportingMta = remote;
  }
  return records.filter((r) => r.recipient !== "");
}

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
