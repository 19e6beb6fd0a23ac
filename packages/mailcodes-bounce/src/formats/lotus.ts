// lotus: HCL (formerly IBM, formerly Lotus) Domino's and Notes' notices. Domino ("DELIVERY FAILURE: …" or
// "DELIVERY_FAILURE" in the Subject) writes "Your message … was not delivered to:", the address indented on a line of
// its own, then "because:" and the reason on the next line, sometimes with a DSN part beside it. Notes ("Undeliverable
// message") lists the reasons and the addresses under "------- Failure Reasons --------", before "------- Returned
// Message --------". Their own sentences ("not listed in Domino Directory", "User not listed in public Name & Address
// Book") are catalog wording for the domino and notes MTAs.
import type { BounceRecord, Format, Report } from "../report.js";
import { findAddresses, isAddress, squeeze } from "../text.js";
import { dsnRecord } from "./rfc3464.js";

export const domino: Format = {
  name: "domino",
  read(report: Report): BounceRecord[] | undefined {
    const subject = report.mail.subject;
    if (!subject.startsWith("DELIVERY FAILURE:") && subject.indexOf("DELIVERY_FAILURE") === -1) return undefined;
    const records: BounceRecord[] = [];
    let on = false;
    let expectAddress = false;
    let expectReason = false;
    for (const line of report.lines) {
      if (!on) {
        on = line.startsWith("Your message");
        continue;
      }
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
      if (expectAddress && line.startsWith("  ") && isAddress(trimmed)) {
        records.push({ recipient: findAddresses(trimmed, 1)[0]!.address, text: "" });
        expectAddress = false;
        continue;
      }
      if (expectReason) {
        const record = records[records.length - 1];
        if (record !== undefined && record.text === "") record.text = trimmed;
        expectReason = false;
      }
    }
    const byAddress = new Map(report.dsn.recipients.map((r) => [r.recipient, r]));
    if (records.length === 0) {
      // No prose to read: the DSN part alone.
      return report.dsn.recipients.map((r) => dsnRecord(report, r));
    }
    return records.map((record) => {
      const dsn = byAddress.get(record.recipient) ?? (records.length === 1 && report.dsn.recipients.length === 1 ? report.dsn.recipients[0] : undefined);
      if (dsn === undefined) return { ...record, text: squeeze(record.text) };
      return dsnRecord(report, dsn, squeeze(record.text !== "" ? record.text : (dsn.diagnostic ?? "")));
    });
  },
};

export const notes: Format = {
  name: "notes",
  read(report: Report): BounceRecord[] | undefined {
    if (!report.mail.subject.startsWith("Undeliverable message")) return undefined;
    const records: BounceRecord[] = [];
    let on = false;
    let pending = "";
    for (const line of report.lines) {
      if (!on) {
        on = line.startsWith("------- Failure Reasons");
        continue;
      }
      if (line.startsWith("------- Returned Message")) break;
      const trimmed = line.trim();
      if (trimmed === "" || trimmed.startsWith("-")) continue;
      if (trimmed.indexOf(" ") === -1 && trimmed.indexOf("@") > 0 && isAddress(trimmed)) {
        // A reason written before the address is the address's.
        records.push({ recipient: findAddresses(trimmed, 1)[0]!.address, text: pending });
        pending = "";
        continue;
      }
      pending += " " + trimmed;
    }
    if (!on) return undefined;
    if (records.length === 0) {
      const to = findAddresses(report.originalHeader("to"), 1)[0]?.address;
      if (to === undefined) return undefined;
      records.push({ recipient: to, text: pending });
      pending = "";
    }
    // Lines after the last address are about it too.
    if (pending !== "") records[records.length - 1]!.text += " " + pending;
    for (const record of records) record.text = squeeze(record.text);
    return records;
  },
};
