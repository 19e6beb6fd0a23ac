// mailmarshal: Trustwave MailMarshal's notices ("Undeliverable Mail: \"…\""): "Could not be delivered because of", the
// reply, then "The following recipients were affected:" and the addresses indented.
import { addressAlone } from "../address.js";
import { section } from "../read.js";
import type { BounceRecord, Reader, Report } from "../report.js";
import { squeeze } from "../text.js";

export const mailmarshal = {
  format: "mailmarshal",
  read(report: Report): BounceRecord[] | undefined {
    if (!report.mail.subject.startsWith('Undeliverable Mail: "')) return undefined;
    const lines = section(report.lines, { after: (line) => line.startsWith("Your message:") });
    if (lines === undefined) return undefined;
    const recipients = new Set<string>();
    let because = "";
    let state: "before" | "because" | "after" = "before";
    let reportingMta: string | undefined;
    for (const line of lines) {
      const address = line.startsWith("    ") && line.indexOf("@") > 0 ? addressAlone(line) : undefined;
      if (address !== undefined) {
        recipients.add(address);
        continue;
      }
      if (line.trim() === "Could not be delivered because of") {
        state = "because";
        because = line.trim();
        continue;
      }
      if (state === "because") {
        if (line.startsWith("The following recipients were affected:")) state = "after";
        else because += ` ${line}`;
        continue;
      }
      if (line.startsWith("Reporting-MTA:")) {
        const host = line
          .slice(line.indexOf("<") + 1, line.lastIndexOf(">"))
          .trim()
          .toLowerCase();
        if (host !== "" && line.indexOf("<") !== -1) reportingMta = host;
      }
    }
    const text = squeeze(because);
    return [...recipients].map((recipient) => ({
      recipient,
      text,
      ...(reportingMta !== undefined && { reportingMta }),
    }));
  },
} as const satisfies Reader;
