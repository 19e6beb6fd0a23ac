// isps: the notices some providers write in forms of their own.
// - BIGLOBE (and the cable providers on its system: postmaster@…biglobe/inacatv/tmtv/ttv.ne.jp, "Returned mail:"):
//   the addresses under "----- The following addresses had delivery problems -----", the reason under "-----
//   Non-delivered information -----".
// - au by KDDI (no-reply@….dion.ne.jp, Received from ezweb.ne.jp or au.com): "Your mail sent on: …", then "Could not
//   be delivered to: <a@b>" and the reason, indented. X-SPASIGN: NG says the recipient's filter refused it.
// - 1&1 (From "Mail Delivery System", "Mail delivery failed: returning message to sender", Exim's opening but the
//   address unindented): "The following address failed:", the address, "For the following reason:" and the reason;
//   or "a@b:" and "SMTP error from remote server for TEXT command, host: … reason: 550 …".
// - Deutsche Telekom (T-Online) and Smail 3, which it runs: banners "|---- Failed addresses follow: ----|" with
//   " <a@b>" and the server's reply below, or " a@b ... failed: reason" (Smail), after an optional message log.
// Their own sentences are catalog wording for the biglobe, kddi and einsundeins MTAs.
import type { BounceRecord, Format, Report } from "../report.js";
import { findAddresses, isAddress, squeeze } from "../text.js";
import { commandIn, squeezedWithCommands, statusIn } from "./smtp.js";

const BIGLOBE_DOMAINS = ["@biglobe.ne.jp", "@inacatv.ne.jp", "@tmtv.ne.jp", "@ttv.ne.jp"];

export const biglobe: Format = {
  name: "biglobe",
  read(report: Report): BounceRecord[] | undefined {
    const from = report.mail.from.toLowerCase();
    if (from.indexOf("postmaster@") === -1 || !report.mail.subject.startsWith("Returned mail:") || !BIGLOBE_DOMAINS.some((d) => from.indexOf(d) !== -1)) return undefined;
    const records: BounceRecord[] = [];
    let on = false;
    let said = "";
    for (const line of report.lines) {
      if (!on) {
        on = line.indexOf("----- The following addresses had delivery problems -----") !== -1;
        continue;
      }
      const trimmed = line.trim();
      if (trimmed === "") continue;
      if (trimmed.indexOf(" ") === -1 && trimmed.indexOf("@") > 1 && isAddress(trimmed)) {
        records.push({ recipient: findAddresses(trimmed, 1)[0]!.address, text: "" });
        continue;
      }
      if (records.length > 0 && trimmed.indexOf("--") === -1) said += " " + trimmed;
    }
    const text = squeeze(said);
    for (const record of records) record.text = text;
    return records;
  },
};

function isKddi(report: Report): boolean {
  const from = report.mail.from.toLowerCase();
  if (from.indexOf("no-reply@.") !== -1 || from.indexOf(".dion.ne.jp") !== -1) return true;
  if (report.header("reply-to").toLowerCase().indexOf("no-reply@app.auone-net.jp") !== -1) return true;
  return (report.mail.headers.get("received") ?? []).some((r) => r.indexOf("ezweb.ne.jp (") !== -1 || r.indexOf(".au.com (") !== -1);
}

export const kddi: Format = {
  name: "kddi",
  read(report: Report): BounceRecord[] | undefined {
    if (!isKddi(report)) return undefined;
    const records: BounceRecord[] = [];
    let on = false;
    for (const line of report.lines) {
      if (!on) {
        on = line.startsWith("Your mail sent on:") || line.startsWith("Your mail attempted to be delivered on:");
        if (!on) continue;
      }
      if (line === "") continue;
      const at = line.indexOf(" Could not be delivered to: <");
      if (at !== -1) {
        const address = findAddresses(line.slice(at), 1)[0]?.address;
        if (address !== undefined) records.push({ recipient: address, text: "" });
        continue;
      }
      const record = records[records.length - 1];
      if (record !== undefined && line.startsWith(" ")) record.text += " " + line;
    }
    const filtered = report.header("x-spasign") === "NG";
    for (const record of records) {
      record.text = squeeze(record.text);
      const command = commandIn(record.text);
      if (command !== undefined) record.command = command;
      if (filtered) record.reason = "filtered";
      else if (command === "RCPT") record.reason = "userunknown";
    }
    return records;
  },
};

export const einsundeins: Format = {
  name: "einsundeins",
  read(report: Report): BounceRecord[] | undefined {
    if (!report.mail.from.startsWith("\"Mail Delivery System\"") || report.mail.subject !== "Mail delivery failed: returning message to sender") return undefined;
    const records: BounceRecord[] = [];
    let on = false;
    let loose = "";
    for (const line of report.lines) {
      if (!on) {
        on = line.startsWith("This message was created automatically by mail delivery software");
        continue;
      }
      const trimmed = line.trim();
      if (trimmed === "") continue;
      const bare = trimmed.endsWith(":") ? trimmed.slice(0, -1) : trimmed;
      if (trimmed.indexOf("@") > 0 && (trimmed.endsWith(":") || trimmed.indexOf(" ") === -1) && isAddress(bare)) {
        records.push({ recipient: findAddresses(bare, 1)[0]!.address, text: "" });
        continue;
      }
      const record = records[records.length - 1];
      if (record === undefined) continue;
      if (trimmed.startsWith("For the following reason:")) record.text = trimmed;
      else if (record.text !== "") record.text += " " + trimmed;
      else loose += " " + trimmed;
    }
    for (const record of records) {
      record.text = squeeze(record.text !== "" ? record.text : loose);
      const text = record.text;
      let command = commandIn(text);
      const host = text.indexOf("host: ");
      if (host !== -1 && text.indexOf(" reason:", host) !== -1) {
        const name = text.slice(host + 6).split(" ")[0]!.toLowerCase();
        if (name.indexOf(".") > 0) record.remoteMta = name;
        const status = statusIn(text);
        if (status !== undefined) record.status = status;
        if (text.indexOf("for TEXT command") !== -1) command = "DATA";
      }
      if (command !== undefined) record.command = command;
    }
    return records;
  },
};

const SMAIL_LOG = "|------------------------- Message log follows: -------------------------|";
const SMAIL_FAILED = "|------------------------- Failed addresses follow: ---------------------|";
const SMAIL_ENDS = ["|------------------------- Message text follows: ------------------------|", "|------------------------- Message header follows: ----------------------|"];

export const smail: Format = {
  name: "smail",
  read(report: Report): BounceRecord[] | undefined {
    const text = report.mail.text;
    if (text.indexOf(SMAIL_FAILED) === -1) return undefined;
    const records: BounceRecord[] = [];
    let on = false;
    let log = "";
    for (const line of report.lines) {
      if (SMAIL_ENDS.some((e) => line.startsWith(e))) break;
      if (!on) {
        if (line.startsWith(SMAIL_FAILED)) on = true;
        else if (line.trim() !== "" && !line.startsWith(SMAIL_LOG)) log += " " + line;
        continue;
      }
      const trimmed = line.trim();
      if (trimmed === "") continue;
      if (line.startsWith(" <") && trimmed.endsWith(">") && trimmed.indexOf(" ") === -1) {
        const address = findAddresses(trimmed, 1)[0]?.address;
        if (address !== undefined) records.push({ recipient: address, text: "" });
        continue;
      }
      const dots = trimmed.indexOf(" ... ");
      if (line.startsWith(" ") && dots > 0 && isAddress(trimmed.slice(0, dots))) {
        // Smail: " a@b ... failed: reason", after the message log that tells more.
        records.push({ recipient: findAddresses(trimmed.slice(0, dots), 1)[0]!.address, text: log + " " + trimmed });
        continue;
      }
      const record = records[records.length - 1];
      if (record !== undefined) record.text += " " + trimmed;
    }
    return squeezedWithCommands(records);
  },
};
