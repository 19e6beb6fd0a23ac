// gateways: the notices of mail gateways and filters that write forms of their own.
// - QUALITIA Active!hunter (X-AHMailID): ">>> a@b <a@b>" under "----- The following addresses had permanent fatal
//   errors -----", the remote server's reply under "----- Transcript of session follows -----".
// - Digital Arts m-FILTER (X-Mailer: m-FILTER, "failure notice"): the address on a line of its own, the reply under
//   "-------server message", the command under "-------SMTP command".
// - Trend Micro InterScan MSS (From "InterScan …"): "Sent <<< RCPT TO:<a@b>" and "Received >>> 550 …" lines, or
//   "Unable to deliver message to <a@b>" for an address the gateway itself refused.
// - MailFoundry ("Message delivery has failed", Received … (MAILFOUNDRY)): "Unable to deliver message to: <a@b>",
//   then "Delivery failed for the following reason:" and the server's reply.
// - Trustwave MailMarshal ("Undeliverable Mail: \"…\""): "Could not be delivered because of", the reply, then "The
//   following recipients were affected:" and the addresses indented.
// - Mimecast ("Email Delivery Failure", Message-IDs …mimecast.lan): "-- a@b" lines for the recipients, "-- …" lines
//   for what went wrong, and a DSN part.
import type { BounceRecord, Format, Report } from "../report.js";
import { findAddresses, isAddress, squeeze } from "../text.js";
import { dsnRecord } from "./rfc3464.js";
import { commandIn, squeezedWithCommands } from "./smtp.js";

export const activehunter: Format = {
  name: "activehunter",
  read(report: Report): BounceRecord[] | undefined {
    if (!report.mail.headers.has("x-ahmailid")) return undefined;
    const records: BounceRecord[] = [];
    let on = false;
    let reply = "";
    for (const line of report.lines) {
      if (!on) {
        on = line.startsWith("  ----- The following addresses had permanent fatal errors -----");
        continue;
      }
      if (line === "") continue;
      if (line.startsWith(">>> ") && line.indexOf("@") > 0) {
        const address = findAddresses(line, 1)[0]?.address;
        if (address !== undefined) records.push({ recipient: address, text: "" });
        continue;
      }
      // The first line of the transcript that is text (not the banners, which start with spaces or dashes).
      const c = line.charCodeAt(0);
      if (reply === "" && records.length > 0 && c >= 48 && c <= 122) reply = line;
    }
    const text = squeeze(reply);
    for (const record of records) record.text = text;
    return records;
  },
};

export const mfilter: Format = {
  name: "mfilter",
  read(report: Report): BounceRecord[] | undefined {
    if (report.mail.subject !== "failure notice" || report.header("x-mailer") !== "m-FILTER") return undefined;
    const records: BounceRecord[] = [];
    let section: "none" | "message" | "command" = "none";
    for (const line of report.lines) {
      if (line.startsWith("-------original message") || line.startsWith("-------original mail info")) break;
      const trimmed = line.trim();
      if (trimmed === "") continue;
      if (trimmed.indexOf(" ") === -1 && trimmed.indexOf("@") > 0 && isAddress(trimmed)) {
        records.push({ recipient: findAddresses(trimmed, 1)[0]!.address, text: "" });
        section = "none";
        continue;
      }
      if (trimmed === "-------server message") {
        section = "message";
        continue;
      }
      if (trimmed === "-------SMTP command") {
        section = "command";
        continue;
      }
      const record = records[records.length - 1];
      if (record === undefined) continue;
      if (section === "message" && record.text === "") {
        record.text = trimmed;
        section = "none";
      } else if (section === "command") {
        const command = commandIn(trimmed);
        if (command !== undefined) {
          record.command = command;
          section = "none";
        }
      }
    }
    for (const record of records) record.text = squeeze(record.text);
    return records;
  },
};

function isInterScan(report: Report): boolean {
  return report.mail.from.startsWith("\"InterScan") || report.header("content-type").indexOf("InterScan") !== -1 || report.mail.text.indexOf(" InterScan ") !== -1;
}

export const interscan: Format = {
  name: "interscan",
  read(report: Report): BounceRecord[] | undefined {
    if (!isInterScan(report)) return undefined;
    const records: BounceRecord[] = [];
    for (const line of report.lines) {
      if (line === "") continue;
      const sent = line.indexOf(" <<< ");
      const received = line.indexOf(" >>> ");
      const unable = line.indexOf("Unable to deliver ") !== -1;
      let record = records[records.length - 1];
      if (line.indexOf("@") > 1 && line.indexOf(" <") > 1 && (sent > 1 || received > 1 || unable)) {
        const open = line.lastIndexOf("<");
        const close = line.lastIndexOf(">");
        const address = close > open ? findAddresses(line.slice(open, close + 1), 1)[0]?.address : undefined;
        if (address !== undefined) {
          if (record === undefined || record.recipient !== address) {
            record = { recipient: address, text: "" };
            records.push(record);
          }
          if (unable) {
            record.text = line;
            record.reason = "userunknown";
          }
        }
      }
      if (record === undefined) continue;
      if (line.startsWith("Sent <<< ")) {
        const command = commandIn(line.slice(9));
        if (command !== undefined) record.command = command;
      } else if (line.startsWith("Received >>> ")) {
        record.text = line.slice(13);
      } else if (sent > 0 || received > 0) {
        // The same dialogue in another language: ">>>" the command sent, "<<<" the reply.
        if (received > 0) {
          const command = commandIn(line.slice(received));
          if (command !== undefined) record.command = command;
        }
        if (sent > 0) record.text = line.slice(sent + 5);
      }
    }
    for (const record of records) record.text = squeeze(record.text);
    return records;
  },
};

export const mailfoundry: Format = {
  name: "mailfoundry",
  read(report: Report): BounceRecord[] | undefined {
    if (report.mail.subject !== "Message delivery has failed" || !(report.mail.headers.get("received") ?? []).some((r) => r.indexOf("(MAILFOUNDRY) id") !== -1)) return undefined;
    const records: BounceRecord[] = [];
    let reading = false;
    for (const line of report.lines) {
      if (line.startsWith("Unable to deliver message to: <") && line.indexOf("@") > 0) {
        const address = findAddresses(line, 1)[0]?.address;
        if (address !== undefined) records.push({ recipient: address, text: "" });
        reading = false;
        continue;
      }
      const record = records[records.length - 1];
      if (record === undefined || line === "") continue;
      if (line.trim() === "Delivery failed for the following reason:") {
        reading = true;
        record.text = line;
        continue;
      }
      if (reading && !line.startsWith("-")) record.text += " " + line;
    }
    return squeezedWithCommands(records);
  },
};

export const mailmarshal: Format = {
  name: "mailmarshal",
  read(report: Report): BounceRecord[] | undefined {
    if (!report.mail.subject.startsWith("Undeliverable Mail: \"")) return undefined;
    const recipients: string[] = [];
    let on = false;
    let because = "";
    let state: "before" | "because" | "after" = "before";
    let reportingMta: string | undefined;
    for (const line of report.lines) {
      if (!on) {
        on = line.startsWith("Your message:");
        continue;
      }
      if (line.startsWith("    ") && line.indexOf("@") > 0 && isAddress(line.trim())) {
        recipients.push(findAddresses(line, 1)[0]!.address);
        continue;
      }
      if (line.trim() === "Could not be delivered because of") {
        state = "because";
        because = line.trim();
        continue;
      }
      if (state === "because") {
        if (line.startsWith("The following recipients were affected:")) state = "after";
        else because += " " + line;
        continue;
      }
      if (line.startsWith("Reporting-MTA:")) {
        const host = line.slice(line.indexOf("<") + 1, line.lastIndexOf(">")).trim().toLowerCase();
        if (host !== "" && line.indexOf("<") !== -1) reportingMta = host;
      }
    }
    const text = squeeze(because);
    return [...new Set(recipients)].map((recipient) => ({ recipient, text, ...(reportingMta !== undefined && { reportingMta }) }));
  },
};

export const mimecast: Format = {
  name: "mimecast",
  read(report: Report): BounceRecord[] | undefined {
    if (report.mail.subject.indexOf("Email Delivery Failure") === -1 && !report.header("message-id").endsWith(".mimecast.lan>")) return undefined;
    const records: BounceRecord[] = [];
    let said = "";
    for (const line of report.lines) {
      if (!line.startsWith("-- ")) continue;
      const rest = line.slice(3).trim();
      if (rest.indexOf(" ") === -1 && isAddress(rest)) records.push({ recipient: findAddresses(rest, 1)[0]!.address, text: "" });
      else said += " " + rest;
    }
    if (records.length === 0) return undefined;
    const byAddress = new Map(report.dsn.recipients.map((r) => [r.recipient, r]));
    return records.map((record) => {
      const dsn = byAddress.get(record.recipient) ?? (records.length === 1 ? report.dsn.recipients[0] : undefined);
      const text = squeeze(said + " " + (dsn?.diagnostic ?? ""));
      return dsn === undefined ? { ...record, text } : dsnRecord(report, dsn, text);
    });
  },
};
