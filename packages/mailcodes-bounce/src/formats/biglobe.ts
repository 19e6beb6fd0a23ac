// biglobe: BIGLOBE's notices, and those of the cable providers on its system (postmaster@…biglobe/inacatv/tmtv/ttv.ne.jp,
// "Returned mail:"): the addresses under "----- The following addresses had delivery problems -----", the reason
// under "----- Non-delivered information -----". Its own sentences are catalog wording for the biglobe MTA.
import { addressAlone } from "../address.js";
import { recordsIn } from "../read.js";
import type { BounceRecord, Reader, Report } from "../report.js";
import { squeeze } from "../text.js";

const DOMAINS = ["@biglobe.ne.jp", "@inacatv.ne.jp", "@tmtv.ne.jp", "@ttv.ne.jp"];

export const biglobe = {
  format: "biglobe",
  read(report: Report): BounceRecord[] | undefined {
    const from = report.mail.from.toLowerCase();
    if (
      from.indexOf("postmaster@") === -1 ||
      !report.mail.subject.startsWith("Returned mail:") ||
      !DOMAINS.some((d) => from.indexOf(d) !== -1)
    )
      return undefined;
    const opening = "----- The following addresses had delivery problems -----";
    let said = "";
    const records = recordsIn(report.lines, { after: (line) => line.indexOf(opening) !== -1 }, (line, records) => {
      const trimmed = line.trim();
      const address = trimmed.indexOf(" ") === -1 && trimmed.indexOf("@") > 1 ? addressAlone(trimmed) : undefined;
      if (address !== undefined) records.push({ recipient: address, text: "" });
      else if (records.length > 0 && trimmed !== "" && trimmed.indexOf("--") === -1) said += ` ${trimmed}`;
    });
    const text = squeeze(said);
    for (const record of records ?? []) record.text = text;
    return records;
  },
} as const satisfies Reader;
