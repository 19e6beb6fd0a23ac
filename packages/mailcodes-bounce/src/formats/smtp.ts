// smtp: reading SMTP dialogue out of a report's lines — which command a line names, and which codes it holds (found
// as the catalog's runtime finds them, so a code means the same here as in classify). Each is a scan of one line.
import { findCodes } from "mailcodes-runtime";
import type { BounceRecord } from "../report.js";
import { squeeze } from "../text.js";

const COMMANDS = ["STARTTLS", "EHLO", "HELO", "MAIL", "RCPT", "DATA", "AUTH", "BDAT", "QUIT", "RSET"];

/**
 * The SMTP command a text names first, written as the dialogue writes it, in capitals ("RCPT TO:<…>", "MAIL FROM",
 * "DATA"; "end of data" → DATA, "initial connection" → CONN): "mail server" is not a command.
 */
export function commandIn(text: string): string | undefined {
  let best: string | undefined;
  let at = Infinity;
  for (const c of COMMANDS) {
    let i = text.indexOf(c);
    while (i !== -1 && i < at) {
      const before = i === 0 ? " " : text[i - 1]!;
      const after = text[i + c.length] ?? " ";
      if (!isWordChar(before) && !isWordChar(after)) {
        at = i;
        best = c;
        break;
      }
      i = text.indexOf(c, i + 1);
    }
  }
  if (best === "BDAT") return "DATA";
  if (best !== undefined) return best;
  const lower = text.toLowerCase();
  if (lower.indexOf("end of data") !== -1) return "DATA";
  if (lower.indexOf("initial connection") !== -1 || lower.indexOf("connect to") !== -1) return "CONN";
  return undefined;
}

function isWordChar(c: string): boolean {
  return (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c === "_" || c === "-";
}

/** The first enhanced status code in a text ("5.1.1"), as the catalog's runtime finds codes: a whole token. */
export function statusIn(text: string): string | undefined {
  return findCodes(text).enhancedCodes[0]?.code;
}

/** The first SMTP reply code in a text where a reply stands (a line's start, after a colon or semicolon, before an enhanced code). */
export function replyIn(text: string): number | undefined {
  return findCodes(text).replyCodes[0]?.code;
}

/** Whether a line holds a reply code and an enhanced status code (a server's reply quoted in a report). */
export function hasCodes(text: string): boolean {
  const found = findCodes(text); // one scan for both kinds
  return found.replyCodes.length > 0 && found.enhancedCodes.length > 0;
}

/** The records with each text squeezed and the SMTP command it names: how readers of prose paragraphs finish. */
export function squeezedWithCommands(records: BounceRecord[]): BounceRecord[] {
  for (const record of records) {
    record.text = squeeze(record.text);
    const command = commandIn(record.text);
    if (command !== undefined) record.command = command;
  }
  return records;
}
