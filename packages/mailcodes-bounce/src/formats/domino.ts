// domino: HCL (formerly IBM, formerly Lotus) Domino's notices ("DELIVERY FAILURE: …" or "DELIVERY_FAILURE" in the
// Subject): "Your message … was not delivered to:", the address indented on a line of its own, then "because:" and
// the reason on the next line, sometimes with a DSN part beside it. Its own sentences ("not listed in Domino
// Directory") are catalog wording for the domino MTA.
import { addressAlone } from "../address.js";
import { dsnRecord, section } from "../read.js";
import type { BounceRecord, Reader, Report } from "../report.js";
import { squeeze } from "../text.js";

export const domino = {
  format: "domino",
  read(report: Report): BounceRecord[] | undefined {
    const subject = report.mail.subject;
    if (!subject.startsWith("DELIVERY FAILURE:") && subject.indexOf("DELIVERY_FAILURE") === -1) return undefined;
    const records: BounceRecord[] = [];
    let expectAddress = false;
    let expectReason = false;
    for (const line of section(report.lines, { after: (line) => line.startsWith("Your message") }) ?? []) {
      const trimmed = line.trim();
      if (trimmed === "") continue;
      if (trimmed === "was not delivered to:") {
        expectAddress = true;
        expectReason = false;
        continue;
      }
      if (trimmed === "because:") {
        expectReason = true;
        continue;
      }
      const address = expectAddress && line.startsWith("  ") ? addressAlone(trimmed) : undefined;
      if (address !== undefined) {
        records.push({ recipient: address, text: "" });
        expectAddress = false;
        continue;
      }
      if (expectReason) {
        const record = records[records.length - 1];
        if (record !== undefined && record.text === "") record.text = trimmed;
        expectReason = false;
      }
    }
    // No prose to read: the DSN part alone.
    if (records.length === 0) return report.dsn.recipients.map((r) => dsnRecord(report, r));
    const byAddress = new Map(report.dsn.recipients.map((r) => [r.recipient, r]));
    return records.map((record) => {
      const dsn =
        byAddress.get(record.recipient) ??
        (records.length === 1 && report.dsn.recipients.length === 1 ? report.dsn.recipients[0] : undefined);
      if (dsn === undefined) return { ...record, text: squeeze(record.text) };
      return dsnRecord(report, dsn, squeeze(record.text !== "" ? record.text : (dsn.diagnostic ?? "")));
    });
  },
} as const satisfies Reader;
