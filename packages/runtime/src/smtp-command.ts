// smtp-command: the one reader of which SMTP command a failure answered. The classifier, the bounce readers and
// the generator's rules all ask it; no other list of commands exists.
import { isCommandJoined } from "./chars.js";

const COMMANDS = ["STARTTLS", "EHLO", "HELO", "MAIL", "RCPT", "DATA", "AUTH", "QUIT", "RSET", "BDAT"];
const COMMANDS_LOWER = COMMANDS.map((c) => c.toLowerCase());
/** The commands a dialogue names without a marker, in the order the last found wins (as Sisimai reads them). */
const BARE_COMMANDS = ["HELO", "EHLO", "STARTTLS", "AUTH", "MAIL", "RCPT", "DATA", "QUIT"];

/**
 * The SMTP command a failure answered, as MTAs write it: "(in reply to RCPT TO command)", "after RCPT TO:<…>",
 * ">>> RCPT TO:<…>", "after end of data" (DATA), "after initial connection" (CONN); else a command written in
 * capitals on its own ("MAIL FROM:", "[RCPT_TO]"), the one furthest into the dialogue. One pass over the text per
 * marker, so linear.
 */
export function findCommand(text: string): string | undefined {
  return typeof text === "string" ? commandOf(text, text.toLowerCase()) : undefined;
}

/** findCommand, given the text in lower case too. */
export function commandOf(text: string, lower: string): string | undefined {
  const after = (marker: string): string | undefined => {
    const at = lower.indexOf(marker);
    if (at === -1) return undefined;
    for (let k = 0; k < COMMANDS.length; k++) if (lower.startsWith(COMMANDS_LOWER[k]!, at + marker.length)) return COMMANDS[k];
    return undefined;
  };
  const found = after("in reply to ") ?? after(">>> ") ?? after("smtp error from remote mail server after ") ?? after("after ");
  if (found !== undefined) return found === "BDAT" ? "DATA" : found;
  if (lower.indexOf("end of data") !== -1) return "DATA";
  if (lower.indexOf("after initial connection") !== -1 || lower.indexOf("refused to talk to me") !== -1) return "CONN";
  let bare: string | undefined;
  for (const c of BARE_COMMANDS) {
    for (let at = text.indexOf(c); at !== -1; at = text.indexOf(c, at + 1)) {
      if (!isCommandJoined(text.charCodeAt(at - 1)) && !isCommandJoined(text.charCodeAt(at + c.length))) {
        bare = c;
        break;
      }
    }
  }
  return bare;
}
