// mimecast: Mimecast's notices ("Email Delivery Failure", Message-IDs …mimecast.lan): "-- a@b" lines for the
// recipients, "-- …" lines for what went wrong, and a DSN part.
import { addressAlone } from "../address.js";
import { dsnRecord } from "../read.js";
import type { BounceRecord, Reader, Report } from "../report.js";
import { squeeze } from "../text.js";

export const mimecast = {
  format: "mimecast",
  read(report: Report): BounceRecord[] | undefined {
    if (
      report.mail.subject.indexOf("Email Delivery Failure") === -1 &&
      !report.header("message-id").endsWith(".mimecast.lan>")
    )
      return undefined;
    const records: BounceRecord[] = [];
    let said = "";
    for (const line of report.lines) {
      if (!line.startsWith("-- ")) continue;
      const rest = line.slice(3).trim();
      const address = rest.indexOf(" ") === -1 ? addressAlone(rest) : undefined;
      if (address !== undefined) records.push({ recipient: address, text: "" });
      else said += ` ${rest}`;
    }
    if (records.length === 0) return undefined;
    const byAddress = new Map(report.dsn.recipients.map((r) => [r.recipient, r]));
    return records.map((record) => {
      const dsn = byAddress.get(record.recipient) ?? (records.length === 1 ? report.dsn.recipients[0] : undefined);
      const text = squeeze(`${said} ${dsn?.diagnostic ?? ""}`);
      return dsn === undefined ? { ...record, text } : dsnRecord(report, dsn, text);
    });
  },
} as const satisfies Reader;
