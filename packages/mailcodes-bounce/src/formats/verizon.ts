// verizon: Verizon Wireless' bounces (vtext.com, vzwpix.com): "Error: Invalid user address", the server's reply under
// "Error message below:", and the recipient in "Message details: … RCPT TO: a@b" (read.ts's readErrorDetails, the
// form Apache James writes too). Verizon's own sentences are catalog wording for the verizon MTA.
import { fromVerizon, readErrorDetails } from "../read.js";
import type { Reader } from "../report.js";

export const verizon = {
  format: "verizon",
  read: (report) => (fromVerizon(report) ? readErrorDetails(report) : undefined),
} as const satisfies Reader;
