// activehunter: QUALITIA Active!hunter's notices (X-AHMailID): ">>> a@b <a@b>" under "----- The following addresses
// had permanent fatal errors -----", the remote server's reply under "----- Transcript of session follows -----".
import { findAddresses } from "../address.js";
import { recordsIn } from "../read.js";
import type { BounceRecord, Reader, Report } from "../report.js";
import { squeeze } from "../text.js";

export const activehunter = {
  format: "activehunter",
  read(report: Report): BounceRecord[] | undefined {
    if (!report.mail.headers.has("x-ahmailid")) return undefined;
    const opening = "  ----- The following addresses had permanent fatal errors -----";
    let reply = "";
    const records = recordsIn(report.lines, { after: (line) => line.startsWith(opening) }, (line, records) => {
      if (line.startsWith(">>> ") && line.indexOf("@") > 0) {
        const address = findAddresses(line, 1)[0]?.address;
        if (address !== undefined) records.push({ recipient: address, text: "" });
        return;
      }
      // The first line of the transcript that is text (not the banners, which start with spaces or dashes).
      const c = line.charCodeAt(0);
      if (reply === "" && records.length > 0 && c >= 48 && c <= 122) reply = line;
    });
    const text = squeeze(reply);
    for (const record of records ?? []) record.text = text;
    return records;
  },
} as const satisfies Reader;
