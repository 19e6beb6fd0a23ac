// fml: the fml mailing list manager's notices (X-MLServer, From …-admin@, Message-IDs with .FML): a poster who is
// not a member, a loop, a duplicated Message-ID. The notice's Subject says what happened as much as its text, so it
// is read with the text; fml's sentences are catalog wording for the fml MTA.

import { findAddresses } from "../address.js";
import { addToLast, recordsIn } from "../read.js";
import type { BounceRecord, Reader, Report } from "../report.js";
import { squeeze } from "../text.js";

export const fml = {
  format: "fml",
  read(report: Report): BounceRecord[] | undefined {
    if (
      !report.mail.headers.has("x-mlserver") ||
      report.mail.from.indexOf("-admin@") === -1 ||
      report.header("message-id").indexOf(".FML") === -1
    )
      return undefined;
    const records = recordsIn(report.lines, {}, (line, records) => {
      const open = line.indexOf("<");
      const address = open === -1 ? undefined : findAddresses(line.slice(open), 1)[0]?.address;
      if (address !== undefined) records.push({ recipient: address, text: line });
      else addToLast(records, line);
    });
    const subject = squeeze(report.mail.subject);
    for (const record of records ?? []) record.text = `${record.text} ${subject}`.trim();
    return records;
  },
} as const satisfies Reader;
