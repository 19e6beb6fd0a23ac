// delay: whether a notice is a delay warning — the reporting server still holds the message and keeps trying —
// whatever its form, in the words MTAs write it: Sendmail's and Exchange's "THIS IS A WARNING MESSAGE ONLY",
// Postfix's "Delayed Mail (still being retried)", Exim's "has not yet been delivered … Delivery attempts will
// continue" and "has been frozen", Exchange's "Delivery to the following recipients has been delayed" and "will
// continue to be attempted", Messaging Server's "is still awaiting delivery", and their translations. A DSN's own
// Action field decides where there is one (see index.ts); this is what tells the rest.
import { foldText } from "mailcodes-runtime";
import { findAddresses } from "./address.js";
import type { Mail } from "./mail.js";
import type { Report } from "./report.js";

/** Sentences only a delay warning writes (folded: lower case, white space as one space). */
const STILL_TRYING: readonly string[] = [
  // English
  "this is a warning message only",
  "this is a warning only",
  "you do not need to resend your message",
  "you don't need to resend your message",
  "will continue to try",
  "will continue trying",
  "will keep trying",
  "will keep on trying",
  "continue to be attempted",
  "delivery attempts will continue",
  "it will be retried until",
  "still being retried",
  "has not yet been delivered",
  "have not yet been delivered",
  "message still undelivered after",
  "is still awaiting delivery",
  "has been frozen",
  "recipient has been delayed",
  "recipients has been delayed",
  "recipients have been delayed",
  "delivery has been delayed",
  "delivery is delayed",
  "message has been delayed",
  "will retry delivery",
  "will be retried for",
  // German
  "dies ist nur eine warnung",
  "sie müssen die nachricht nicht erneut senden",
  "wurde verzögert",
  "weiterhin versucht",
  // French
  "ceci est un message d'avertissement",
  "ceci est uniquement un avertissement",
  "vous n'avez pas besoin de renvoyer",
  "a été retardée",
  "a été différée",
  "ont été retardées",
  "continuera d'essayer",
  // Spanish, Portuguese, Italian
  "esto es solo un mensaje de advertencia",
  "esto es sólo un mensaje de advertencia",
  "no es necesario que vuelva a enviar",
  "se ha retrasado",
  "se seguirá intentando",
  "seguirá intentando",
  "foi atrasada",
  "continuará tentando",
  "questo è solo un messaggio di avviso",
  "è stata ritardata",
  // Japanese
  "配信が遅延",
  "配送が遅延",
  "配信が遅れています",
  "再送を試みます",
  "再試行します",
];

/**
 * What delay warnings' Subjects say: "Delivery Status Notification (Delay)", Postfix's "Delayed Mail (still being
 * retried)", Exim's "Warning: message … delayed 24 hours", Exchange's "Delivery delayed:", Courier's "WARNING: delayed
 * mail.", and their translations. Only these: a notice may carry the returned message's own Subject.
 */
const DELAY_SUBJECTS: readonly string[] = [
  "(delay)",
  "delayed mail",
  "delivery delayed",
  "delayed delivery",
  "delivery delay",
  "message delayed",
  "mail delayed",
  "zustellung verzögert",
  "remise différée",
  "remise retardée",
  "entrega retrasada",
  "配信遅延",
];
/** A Subject that says the message failed or is returned is not a delay warning's, whatever else it says. */
const FAILURE_SUBJECTS: readonly string[] = [
  "fail",
  "undeliver",
  "returned",
  "not delivered",
  "unzustellbar",
  "non remis",
];

/** How much of a notice's text is read for its sentences: a delay warning says so in its first lines. */
const NOTICE_HEAD = 16 * 1024;

/** Whether a notice says the server is still trying to deliver the message (its Subject, or its report's text). */
export function isDelayWarning(mail: Mail): boolean {
  const subject = mail.subject.toLowerCase();
  if (FAILURE_SUBJECTS.some((w) => subject.indexOf(w) !== -1)) return false;
  if (DELAY_SUBJECTS.some((w) => subject.indexOf(w) !== -1)) return true;
  // Exim's "Warning: message 1ty9Zz-000Aaa-1C delayed 24 hours".
  if (subject.startsWith("warning: message ") && subject.indexOf(" delayed ") !== -1) return true;
  const text = foldText(mail.text.length > NOTICE_HEAD ? mail.text.slice(0, NOTICE_HEAD) : mail.text);
  return STILL_TRYING.some((sentence) => text.indexOf(sentence) !== -1);
}

/**
 * Which of a notice's recipients the server still tries: all of them in a delay warning, else those a notice that
 * lists its recipients by outcome lists apart as still tried (Sendmail's "----- The following addresses had transient
 * non-fatal errors -----" beside its "permanent fatal errors"), else none.
 */
export function stillTried(report: Report): (recipient: string) => boolean {
  if (isDelayWarning(report.mail)) return () => true;
  const listed = new Set<string>();
  let inList = false;
  for (const line of report.lines) {
    if (line.indexOf("transient non-fatal errors") !== -1) inList = true;
    else if (line.trim() === "" || line.indexOf("-----") !== -1) inList = inList && line.trim() === "";
    else if (inList) for (const found of findAddresses(line)) listed.add(found.address);
  }
  return (recipient) => listed.has(recipient);
}
