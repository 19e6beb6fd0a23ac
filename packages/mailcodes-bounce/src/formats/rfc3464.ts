// rfc3464: the generic delivery status notification — one result per recipient block of the delivery-status part
// (or of DSN fields written inline), read as read.ts's dsnRecords reads any DSN.
import { dsnRecords } from "../read.js";
import type { Reader } from "../report.js";

export const rfc3464 = {
  format: "rfc3464",
  read: dsnRecords,
} as const satisfies Reader;
