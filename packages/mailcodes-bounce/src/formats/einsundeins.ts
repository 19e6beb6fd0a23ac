// einsundeins: 1&1's notices (From "Mail Delivery System", "Mail delivery failed: returning message to sender",
// Exim's opening but the address unindented): "The following address failed:", the address, "For the following
// reason:" and the reason; or "a@b:" and "SMTP error from remote server for TEXT command, host: … reason: 550 …". Its
// own sentences are catalog wording for the einsundeins MTA.
import { findCommand } from "mailcodes-runtime";
import { section, squeezed, statusIn } from "../read.js";
import type { BounceRecord, Reader, Report } from "../report.js";
import { addressAlone } from "../text.js";

export const einsundeins = {
  format: "einsundeins",
  read(report: Report): BounceRecord[] | undefined {
    if (
      !report.mail.from.startsWith('"Mail Delivery System"') ||
      report.mail.subject !== "Mail delivery failed: returning message to sender"
    )
      return undefined;
    const lines = section(report.lines, {
      after: (line) => line.startsWith("This message was created automatically by mail delivery software"),
    });
    if (lines === undefined) return undefined;
    const records: BounceRecord[] = [];
    let loose = "";
    for (const line of lines) {
      const trimmed = line.trim();
      if (trimmed === "") continue;
      const bare = trimmed.endsWith(":") ? trimmed.slice(0, -1) : trimmed;
      const address =
        trimmed.indexOf("@") > 0 && (trimmed.endsWith(":") || trimmed.indexOf(" ") === -1)
          ? addressAlone(bare)
          : undefined;
      if (address !== undefined) {
        records.push({ recipient: address, text: "" });
        continue;
      }
      const record = records[records.length - 1];
      if (record === undefined) continue;
      if (trimmed.startsWith("For the following reason:")) record.text = trimmed;
      else if (record.text !== "") record.text += ` ${trimmed}`;
      else loose += ` ${trimmed}`;
    }
    for (const record of records) if (record.text === "") record.text = loose;
    for (const record of squeezed(records)) {
      const text = record.text;
      let command = findCommand(text);
      const host = text.indexOf("host: ");
      if (host !== -1 && text.indexOf(" reason:", host) !== -1) {
        const name = text
          .slice(host + 6)
          .split(" ")[0]!
          .toLowerCase();
        if (name.indexOf(".") > 0) record.remoteMta = name;
        const status = statusIn(text);
        if (status !== undefined) record.status = status;
        if (text.indexOf("for TEXT command") !== -1) command = "DATA";
      }
      if (command !== undefined) record.command = command;
    }
    return records;
  },
} as const satisfies Reader;
