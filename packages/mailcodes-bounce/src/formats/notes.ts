// notes: HCL (formerly IBM, formerly Lotus) Notes' notices ("Undeliverable message"): the reasons and the addresses
// under "------- Failure Reasons --------", before "------- Returned Message --------". Its own sentences ("User not
// listed in public Name & Address Book") are catalog wording for the notes MTA.
import { addressAlone, fieldAddresses } from "../address.js";
import { section, squeezed } from "../read.js";
import type { BounceRecord, Reader, Report } from "../report.js";

export const notes = {
  format: "notes",
  read(report: Report): BounceRecord[] | undefined {
    if (!report.mail.subject.startsWith("Undeliverable message")) return undefined;
    const lines = section(report.lines, {
      after: (line) => line.startsWith("------- Failure Reasons"),
      until: (line) => line.startsWith("------- Returned Message"),
    });
    if (lines === undefined) return undefined;
    const records: BounceRecord[] = [];
    let pending = "";
    for (const line of lines) {
      const trimmed = line.trim();
      if (trimmed === "" || trimmed.startsWith("-")) continue;
      const address = trimmed.indexOf(" ") === -1 && trimmed.indexOf("@") > 0 ? addressAlone(trimmed) : undefined;
      if (address !== undefined) {
        // A reason written before the address is the address's.
        records.push({ recipient: address, text: pending });
        pending = "";
      } else {
        pending += ` ${trimmed}`;
      }
    }
    if (records.length === 0) {
      const to = fieldAddresses(report.originalHeader("to"), 1)[0];
      if (to === undefined) return undefined;
      records.push({ recipient: to, text: pending });
      pending = "";
    }
    // Lines after the last address are about it too.
    if (pending !== "") records[records.length - 1]!.text += ` ${pending}`;
    return squeezed(records);
  },
} as const satisfies Reader;
