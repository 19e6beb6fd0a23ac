// The readers, in the order they are tried: formats that are exclusive by their form first, then the MTAs' own
// formats (each checks its fingerprints — Subject, From, headers, its wording — and finds nothing in other mail),
// then the generic DSN, then the prose of a bounce with no fields, then auto-replies. The first that finds a
// recipient wins.
import type { Format } from "../report.js";
import { amazonses } from "./amazonses.js";
import { autoreply } from "./autoreply.js";
import { dragonfly } from "./dragonfly.js";
import { courier } from "./courier.js";
import { exchange2003 } from "./exchange.js";
import { exim } from "./exim.js";
import { ezweb } from "./ezweb.js";
import { feedback } from "./feedback.js";
import { fml } from "./fml.js";
import { activehunter, interscan, mailfoundry, mailmarshal, mfilter, mimecast } from "./gateways.js";
import { gmx } from "./gmx.js";
import { gmail, googlegroups, googleworkspace } from "./google.js";
import { imail } from "./imail.js";
import { biglobe, einsundeins, kddi, smail } from "./isps.js";
import { domino, notes } from "./lotus.js";
import { mdaemon } from "./mdaemon.js";
import { bracketed, bulleted, errorSending, unableToDeliver } from "./notices.js";
import { opensmtpd } from "./opensmtpd.js";
import { plaintext } from "./plaintext.js";
import { postfix } from "./postfix.js";
import { qmail } from "./qmail.js";
import { exchange2007, messagingserver, rfc3464 } from "./rfc3464.js";
import { sendmail, v5sendmail } from "./sendmail.js";
import { apachejames, verizon } from "./verizon.js";
import { zoho } from "./zoho.js";

export const FORMATS: readonly Format[] = [
  feedback,
  amazonses,
  smail,
  exim,
  einsundeins,
  sendmail,
  exchange2003,
  interscan,
  kddi,
  fml,
  verizon,
  apachejames,
  postfix,
  opensmtpd,
  mfilter,
  activehunter,
  qmail,
  unableToDeliver,
  courier,
  messagingserver,
  googleworkspace,
  gmail,
  googlegroups,
  gmx,
  zoho,
  domino,
  notes,
  mailmarshal,
  imail,
  mailfoundry,
  mimecast,
  v5sendmail,
  ezweb,
  biglobe,
  dragonfly,
  bracketed,
  bulleted,
  errorSending,
  mdaemon,
  exchange2007,
  rfc3464,
  plaintext,
  autoreply,
];
