// The log readers, in the order they are tried: those that know a line by its syslog tag first (cheap), then Exim's
// (a message id among the line's first words), then the message traces (a header row, then its rows).
import { exim } from "./exim.js";
import { messagetrace } from "./messagetrace.js";
import { postfix } from "./postfix.js";
import { sendmail } from "./sendmail.js";

export const LOG_READERS = [postfix, sendmail, exim, messagetrace] as const;

/** The log a result was read from: the `format` of the reader that read it. */
export type LogFormat = (typeof LOG_READERS)[number]["format"];
