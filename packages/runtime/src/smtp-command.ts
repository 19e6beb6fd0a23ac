// smtp-command: the one reader of which SMTP command a failure answered. The classifier, the bounce readers and
// the generator's rules all ask it; no other list of commands exists.
import { isCommandJoined } from "./chars.js";

/** Every command the finder returns: CONN is the connection itself (a refusal before any command), BDAT reads as DATA. */
export const SMTP_COMMANDS = [
  "CONN",
  "EHLO",
  "HELO",
  "STARTTLS",
  "AUTH",
  "MAIL",
  "RCPT",
  "DATA",
  "QUIT",
  "RSET",
] as const;
/** The SMTP command a failure answered, as findCommand names it. */
export type SmtpCommand = (typeof SMTP_COMMANDS)[number];

const COMMANDS = ["STARTTLS", "EHLO", "HELO", "MAIL", "RCPT", "DATA", "AUTH", "QUIT", "RSET", "BDAT"] as const;
const COMMANDS_LOWER = COMMANDS.map((c) => c.toLowerCase());
/** The commands a dialogue names without a marker, in the order the last found wins (as Sisimai reads them). */
const BARE_COMMANDS: readonly SmtpCommand[] = ["HELO", "EHLO", "STARTTLS", "AUTH", "MAIL", "RCPT", "DATA", "QUIT"];

/** A command as a reader or a caller gives it ("rcpt", "BDAT"), as findCommand would name it; undefined if it is none. */
export function smtpCommandOf(value: string): SmtpCommand | undefined {
  const upper = value.toUpperCase();
  return upper === "BDAT" ? "DATA" : SMTP_COMMANDS.find((c) => c === upper);
}

/**
 * The SMTP command a failure answered, as MTAs write it: "(in reply to RCPT TO command)", "after RCPT TO:<…>",
 * ">>> RCPT TO:<…>", "after end of data" (DATA), "after initial connection" (CONN); else a command written in
 * capitals on its own ("MAIL FROM:", "[RCPT_TO]"), the one furthest into the dialogue; else a failure to "connect
 * to" the host (CONN: "connect to mx.example.net[192.0.2.1]:25: Connection timed out"). One pass over the text per
 * marker (and one for whether any is there, and one for the bare commands), so linear.
 */
export function findCommand(text: string): SmtpCommand | undefined {
  return typeof text === "string" ? commandOf(text, text.toLowerCase()) : undefined;
}

/**
 * findCommand, given the text in lower case too; and, with `unmarked`, told that none of COMMAND_MARKERS is in it (a
 * caller whose matcher looked for them in its folded text, which holds every one the lower case holds).
 */
export function commandOf(text: string, lower: string, unmarked = false): SmtpCommand | undefined {
  // Most texts hold none of the markers: one search tells, instead of one per marker.
  const marked = !unmarked && MARKERS.test(lower);
  if (marked) {
    const after = (marker: string): (typeof COMMANDS)[number] | undefined => {
      const at = lower.indexOf(marker);
      if (at === -1) return undefined;
      for (let k = 0; k < COMMANDS.length; k++)
        if (lower.startsWith(COMMANDS_LOWER[k]!, at + marker.length)) return COMMANDS[k];
      return undefined;
    };
    const found =
      after("in reply to ") ?? after(">>> ") ?? after("smtp error from remote mail server after ") ?? after("after ");
    if (found !== undefined) return found === "BDAT" ? "DATA" : found;
    if (lower.indexOf("end of data") !== -1) return "DATA";
    if (lower.indexOf("after initial connection") !== -1 || lower.indexOf("refused to talk to me") !== -1)
      return "CONN";
  }
  let bare = -1;
  BARE.lastIndex = 0;
  for (let m = BARE.exec(text); m !== null; m = BARE.exec(text)) {
    if (!isCommandJoined(text.charCodeAt(m.index - 1)) && !isCommandJoined(text.charCodeAt(BARE.lastIndex)))
      bare = Math.max(bare, BARE_COMMANDS.indexOf(m[0] as SmtpCommand));
  }
  if (bare !== -1) return BARE_COMMANDS[bare];
  return marked && lower.indexOf("connect to") !== -1 ? "CONN" : undefined;
}

/** Every marker commandOf reads ("after " stands for the two that hold it), in lower case. */
export const COMMAND_MARKERS = [
  "in reply to ",
  ">>> ",
  "after ",
  "end of data",
  "refused to talk to me",
  "connect to",
] as const;

/** Whether a text's lower case holds any of COMMAND_MARKERS, in one search (none of them holds a special character). */
const MARKERS = new RegExp(COMMAND_MARKERS.join("|"));

/**
 * Where BARE_COMMANDS are written, in one search. An occurrence that stands alone is never hidden by one this search
 * passes over: overlapping it, that one would be joined to it.
 */
const BARE = /HELO|EHLO|STARTTLS|AUTH|MAIL|RCPT|DATA|QUIT/g;
