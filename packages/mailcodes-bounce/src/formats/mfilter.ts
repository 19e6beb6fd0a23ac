// mfilter: Digital Arts m-FILTER's notices (X-Mailer: m-FILTER, "failure notice"): the address on a line of its own,
// the reply under "-------server message", the command under "-------SMTP command".
import { findCommand } from "mailcodes-runtime";
import { addressAlone } from "../address.js";
import { section, squeezed } from "../read.js";
import type { BounceRecord, Reader, Report } from "../report.js";

export const mfilter = {
  format: "mfilter",
  read(report: Report): BounceRecord[] | undefined {
    if (report.mail.subject !== "failure notice" || report.header("x-mailer") !== "m-FILTER") return undefined;
    const lines = section(report.lines, {
      until: (line) => line.startsWith("-------original message") || line.startsWith("-------original mail info"),
    });
    const records: BounceRecord[] = [];
    let part: "none" | "message" | "command" = "none";
    for (const line of lines ?? []) {
      const trimmed = line.trim();
      if (trimmed === "") continue;
      const address = trimmed.indexOf(" ") === -1 && trimmed.indexOf("@") > 0 ? addressAlone(trimmed) : undefined;
      if (address !== undefined) {
        records.push({ recipient: address, text: "" });
        part = "none";
        continue;
      }
      if (trimmed === "-------server message") {
        part = "message";
        continue;
      }
      if (trimmed === "-------SMTP command") {
        part = "command";
        continue;
      }
      const record = records[records.length - 1];
      if (record === undefined) continue;
      if (part === "message" && record.text === "") {
        record.text = trimmed;
        part = "none";
      } else if (part === "command") {
        const command = findCommand(trimmed);
        if (command !== undefined) {
          record.command = command;
          part = "none";
        }
      }
    }
    return squeezed(records);
  },
} as const satisfies Reader;
