// einsundeins: 1&1's notices (From "Mail Delivery System", "Mail delivery failed: returning message to sender",
// Exim's opening but the address unindented): "The following address failed:", the address, "For the following
// reason:" and the reason; or "a@b:" and "SMTP error from remote server for TEXT command, host: … reason: 550 …". Its
// own sentences are catalog wording for the einsundeins MTA.
import { findCommand } from "mailcodes-runtime";
import { addressAlone } from "../address.js";
import { recordsIn, statusIn } from "../read.js";
import type { BounceRecord, Reader, Report } from "../report.js";
import { squeeze } from "../text.js";

export const einsundeins = {
  format: "einsundeins",
  read(report: Report): BounceRecord[] | undefined {
    if (
      !report.mail.from.startsWith('"Mail Delivery System"') ||
      report.mail.subject !== "Mail delivery failed: returning message to sender"
    )
      return undefined;
    const opening = "This message was created automatically by mail delivery software";
    let loose = "";
    const records = recordsIn(report.lines, { after: (line) => line.startsWith(opening) }, (line, records) => {
      const trimmed = line.trim();
      if (trimmed === "") return;
      const bare = trimmed.endsWith(":") ? trimmed.slice(0, -1) : trimmed;
      const address =
        trimmed.indexOf("@") > 0 && (trimmed.endsWith(":") || trimmed.indexOf(" ") === -1)
          ? addressAlone(bare)
          : undefined;
      if (address !== undefined) {
        records.push({ recipient: address, text: "" });
        return;
      }
      const record = records[records.length - 1];
      if (record === undefined) return;
      if (trimmed.startsWith("For the following reason:")) record.text = trimmed;
      else if (record.text !== "") record.text += ` ${trimmed}`;
      else loose += ` ${trimmed}`;
    });
    for (const record of records ?? []) {
      if (record.text === "") record.text = squeeze(loose);
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
