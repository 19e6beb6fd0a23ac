// smail: Deutsche Telekom's (T-Online) notices and Smail 3's, which it runs: banners "|---- Failed addresses
// follow: ----|" with " <a@b>" and the server's reply below, or " a@b ... failed: reason" (Smail), after an optional
// message log that tells more.
import { addressAlone, findAddresses } from "../address.js";
import { addToLast, recordsIn, section, withCommands } from "../read.js";
import type { BounceRecord, Reader, Report } from "../report.js";

const LOG = "|------------------------- Message log follows: -------------------------|";
const FAILED = "|------------------------- Failed addresses follow: ---------------------|";
const ENDS = [
  "|------------------------- Message text follows: ------------------------|",
  "|------------------------- Message header follows: ----------------------|",
];

export const smail = {
  format: "smail",
  read(report: Report): BounceRecord[] | undefined {
    if (report.mail.text.indexOf(FAILED) === -1) return undefined;
    const ends = (line: string) => ENDS.some((e) => line.startsWith(e));
    const isFailed = (line: string) => line.startsWith(FAILED);
    // The message log: the lines before the banner.
    let log = "";
    for (const line of section(report.lines, { until: (line) => isFailed(line) || ends(line) }) ?? []) {
      if (line.trim() !== "" && !line.startsWith(LOG)) log += ` ${line}`;
    }
    const records = recordsIn(report.lines, { after: isFailed, until: ends }, (line, records) => {
      const trimmed = line.trim();
      if (trimmed === "") return;
      if (line.startsWith(" <") && trimmed.endsWith(">") && trimmed.indexOf(" ") === -1) {
        const address = findAddresses(trimmed, 1)[0]?.address;
        if (address !== undefined) records.push({ recipient: address, text: "" });
        return;
      }
      const dots = trimmed.indexOf(" ... ");
      const address = line.startsWith(" ") && dots > 0 ? addressAlone(trimmed.slice(0, dots)) : undefined;
      if (address !== undefined) records.push({ recipient: address, text: `${log} ${trimmed}` });
      else addToLast(records, trimmed);
    });
    return records && withCommands(records);
  },
} as const satisfies Reader;
