// The readers, in the order they are tried (as go-sisimai's lhost/order.go lists its modules): formats that are
// exclusive by their form first, then the MTAs' own formats (each checks its fingerprints — Subject, From, headers,
// its wording — and finds nothing in other mail), then the generic DSN, then the fallbacks (the prose of a bounce with
// no fields, auto-replies). The first that finds a recipient wins; what else a reader needs of the dispatcher is in
// its entry (Reader: claims, fallback).
import { activehunter } from "./activehunter.js";
import { amazonses } from "./amazonses.js";
import { apachejames } from "./apachejames.js";
import { autoreply } from "./autoreply.js";
import { biglobe } from "./biglobe.js";
import { bracketed } from "./bracketed.js";
import { bulleted } from "./bulleted.js";
import { courier } from "./courier.js";
import { domino } from "./domino.js";
import { dragonfly } from "./dragonfly.js";
import { einsundeins } from "./einsundeins.js";
import { errorsending } from "./errorsending.js";
import { exchange2003 } from "./exchange2003.js";
import { exchange2007 } from "./exchange2007.js";
import { exim } from "./exim.js";
import { ezweb } from "./ezweb.js";
import { feedback } from "./feedback.js";
import { fml } from "./fml.js";
import { gmail } from "./gmail.js";
import { gmx } from "./gmx.js";
import { googlegroups } from "./googlegroups.js";
import { googleworkspace } from "./googleworkspace.js";
import { imail } from "./imail.js";
import { interscan } from "./interscan.js";
import { kddi } from "./kddi.js";
import { mailfoundry } from "./mailfoundry.js";
import { mailmarshal } from "./mailmarshal.js";
import { mdaemon } from "./mdaemon.js";
import { messagingserver } from "./messagingserver.js";
import { mfilter } from "./mfilter.js";
import { mimecast } from "./mimecast.js";
import { notes } from "./notes.js";
import { opensmtpd } from "./opensmtpd.js";
import { plaintext } from "./plaintext.js";
import { postfix } from "./postfix.js";
import { qmail } from "./qmail.js";
import { rfc3464 } from "./rfc3464.js";
import { sendmail } from "./sendmail.js";
import { smail } from "./smail.js";
import { unabletodeliver } from "./unabletodeliver.js";
import { v5sendmail } from "./v5sendmail.js";
import { verizon } from "./verizon.js";
import { zoho } from "./zoho.js";

export const READERS = [
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
  unabletodeliver,
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
  errorsending,
  mdaemon,
  exchange2007,
  rfc3464,
  plaintext,
  autoreply,
] as const;

/** The form a result was read in: the `format` of the reader that found it. */
export type BounceFormat = (typeof READERS)[number]["format"];
