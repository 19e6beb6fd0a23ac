// plaintext: a bounce with no delivery-status fields and no form of its own — a notice in prose, in whatever words
// and language its MTA writes (GroupWise, SMTP32, Netscape, old Exchange and qmail notices, translations). Its
// recipients are read by general rules, the strongest that names one deciding:
//  1. X-Failed-Recipients;
//  2. the addresses the report lists: a line that starts with one ("<a@b>:", "a@b on <date>", "  * a@b", "'a@b'",
//     "a@b<mailto:a@b>", an X.400 address's "SMTP=a@b") and ends there or goes on with punctuation or the failure;
//     under a heading that says what follows was not delivered ("did not reach the following recipient(s):"), also a
//     display name's address ("Dupont, Marie <a@b>") and a label's ("Recipient: <a@b>");
//  3. an address on a line that says a delivery failed ("User's mailbox is full: <a@b>", "Local mailbox a@b is
//     unavailable"), the returned message's own recipients giving way to any other ("Delivery to alias@… (forwarded
//     to a@b) failed");
//  4. the returned message's To:, when the mail says a delivery failed and its report names no one.
// The notice's writer's, the list's and roles' addresses are never recipients here, the original sender's only when
// the report names no other (parties.ts). A mail that does not say it is a bounce, or whose report does not say a
// delivery failed, gives nothing. The text is the recipient's paragraph, or the whole prose. One pass over the lines.
import { findCodes } from "mailcodes-runtime";
import { fieldAddresses, findAddresses } from "../address.js";
import { MAX_RECIPIENTS } from "../limits.js";
import { partiesOf } from "../parties.js";
import { proseOf } from "../read.js";
import type { BounceRecord, Reader, Report } from "../report.js";

/** What a mail system's From says (a mailer daemon, a postmaster, a delivery system, the null sender). */
const MAIL_SYSTEMS = [
  "mailer-daemon",
  "postmaster",
  "mail delivery",
  "mail administrator",
  "system administrator",
  "mdaemon",
  "<>",
];
/** What else a bounce's From may say (an address no one reads, a bounce handler's). */
const DAEMONS = [...MAIL_SYSTEMS, "no-reply@", "noreply@", "bounce"];
/** What a bounce's Subject says. */
const SUBJECTS = [
  "undeliver",
  "returned",
  "failure",
  "failed",
  "delivery",
  "bounce",
  "not delivered",
  "unzustellbar",
  "non remis",
  "error",
  "notice",
  "could not",
  "rejected",
  "mail system",
  "message status",
  "non recapitat",
  "não entregue",
  "entrega",
  "配信",
];
/** A person's reply ("Re: mail delivery errors") talks about a bounce; it is none. */
const REPLY_SUBJECTS = ["re:", "aw:", "sv:", "antw:", "ref:", "rif:", "réf:"];

/**
 * What a notice says of a delivery that did not happen or has not yet (lower case): its failure, a delay, or the
 * state of the recipient's mailbox, in the words and languages notices are written in.
 */
const NOT_DELIVERED = [
  // English
  "undeliverable",
  "undelivered",
  "not delivered",
  "not be delivered",
  "n't be delivered",
  "unable to deliver",
  "could not deliver",
  "couldn't deliver",
  "cannot deliver",
  "failed to deliver",
  "delivery failed",
  "delivery has failed",
  "delivery failure",
  "delivery to the following",
  "delivery problem",
  "delivery error",
  "did not reach",
  "failed to reach",
  "could not be forwarded",
  "fatal error",
  "permanent error",
  "mailbox is full",
  "mailbox full",
  "mailbox unavailable",
  "is unavailable",
  "over quota",
  "quota exceeded",
  "exceeds allowed size",
  "user unknown",
  "unknown user",
  "unknown recipient",
  "recipient unknown",
  "no such user",
  "no such recipient",
  "no such address",
  "no mailbox",
  "user not found",
  "recipient not found",
  "address not found",
  "mailbox not found",
  "does not exist",
  "doesn't exist",
  "invalid recipient",
  "invalid address",
  "address rejected",
  "recipient rejected",
  "was rejected",
  "were rejected",
  "rejected by",
  "account has been disabled",
  "account is disabled",
  "mailbox disabled",
  "not accepting",
  "relay access denied",
  "has been delayed",
  "have been delayed",
  "not yet been delivered",
  "will continue to try",
  "will keep trying",
  "still being retried",
  "has been frozen",
  "could not be sent",
  "non-delivery",
  // German
  "unzustellbar",
  "nicht zugestellt",
  "nicht zustellbar",
  "zustellung an",
  "fehlgeschlagen",
  "existiert nicht",
  "postfach",
  // French
  "non remis",
  "pas pu être remis",
  "pas pu être distribué",
  "a échoué",
  "échec de la remise",
  "impossible de remettre",
  "introuvable",
  "n'existe pas",
  "boîte aux lettres",
  // Spanish
  "no se ha podido entregar",
  "no se pudo entregar",
  "no pudo ser entregado",
  "no se puede entregar",
  "error en la entrega",
  "buzón",
  "no existe",
  // Italian
  "non è stato recapitato",
  "non recapitat",
  "recapito non riuscito",
  "impossibile recapitare",
  "casella piena",
  "inesistente",
  // Portuguese
  "não pôde ser entregue",
  "não foi possível entregar",
  "não foi entregue",
  "falha na entrega",
  "destinatário desconhecido",
  "caixa postal",
  // Dutch, Swedish
  "onbestelbaar",
  "kon niet worden bezorgd",
  "niet afgeleverd",
  "kunde inte levereras",
  "misslyckades",
  // Polish, Czech, Russian, Turkish, Korean
  "nie powiodło się",
  "nie można dostarczyć",
  "nezdařilo",
  "nelze doručit",
  "не удалось доставить",
  "не доставлено",
  "teslim edilemedi",
  "başarısız",
  "배달하지 못했",
  // Japanese, Chinese
  "配信に失敗",
  "配信できません",
  "送信できませんでした",
  "届きませんでした",
  "配送できません",
  "存在しません",
  "无法投递",
  "投递失败",
  "无法送达",
];
/** Words that, with a recipient word, make a line the heading of a list ("the following recipient(s):"). */
const LIST_WORDS = [
  "following",
  "these recipients",
  "folgende",
  "suivant",
  "siguiente",
  "seguent",
  "seguint",
  "volgende",
  "följande",
  "次の",
  "以下",
  "下列",
  "następując",
  "následující",
  "следующ",
  "다음",
];
const RECIPIENT_WORDS = [
  "recipient",
  "address",
  "destinat",
  "empfänger",
  "adress",
  "indirizz",
  "endereço",
  "ontvanger",
  "mottagare",
  "宛先",
  "アドレス",
  "受信者",
  "收件人",
  "adresat",
  "odbiorc",
  "příjemc",
  "получател",
  "alıcı",
  "받는 사람",
];
/** Labels a list gives its recipients with ("Recipient: <a@b>"). */
const LABELS = [
  "recipient",
  "recipient address",
  "address",
  "empfänger",
  "destinataire",
  "destinatario",
  "destinatário",
  "ontvanger",
  "mottagare",
  "宛先",
  "收件人",
];
/** Header fields a returned message quoted inline writes: their addresses are its, not the report's. */
const HEADER_FIELDS = [
  "from",
  "to",
  "cc",
  "bcc",
  "reply-to",
  "sender",
  "return-path",
  "delivered-to",
  "subject",
  "received",
  "message-id",
  "in-reply-to",
  "references",
  "errors-to",
];

/** Header fields only a returned message starts with (the notice's own are its headers, not its text). */
const RETURNED_STARTS = ["received: ", "return-path:", "message-id:", "delivered-to:"];

/** The longest line read for a heading, and for a failure beside an address: a notice's sentences are short. */
const HEADING_CHARS = 300;
const SENTENCE_CHARS = 1000;

export const plaintext = {
  format: "plaintext",
  fallback: true,
  read(report: Report): BounceRecord[] | undefined {
    if (!saysBounce(report)) return undefined;
    let recipients = fieldAddresses(report.header("x-failed-recipients"));
    if (recipients.length === 0) recipients = namedRecipients(report);
    if (recipients.length === 0) return undefined;
    const prose = proseOf(report);
    return recipients.slice(0, MAX_RECIPIENTS).map((recipient) => {
      const paragraph = recipients.length > 1 ? report.paragraphAbout(recipient) : "";
      return { recipient, text: paragraph !== "" ? paragraph : prose };
    });
  },
} as const satisfies Reader;

/**
 * Whether the mail says it is a bounce at all: X-Failed-Recipients, or a mailer daemon's From, or a bounce's Subject
 * that is not a person's reply. A mail attached to the one classified must have been written by a mail system.
 */
function saysBounce(report: Report): boolean {
  if (report.header("x-failed-recipients") !== "") return true;
  const from = report.mail.from.toLowerCase();
  if (from.trim() === "" || MAIL_SYSTEMS.some((d) => from.indexOf(d) !== -1)) return true;
  if (report.attached) return false;
  if (DAEMONS.some((d) => from.indexOf(d) !== -1)) return true;
  const subject = report.mail.subject.toLowerCase().trimStart();
  return !REPLY_SUBJECTS.some((r) => subject.startsWith(r)) && SUBJECTS.some((w) => subject.indexOf(w) !== -1);
}

/** Whether a line (lower case) holds one of the phrases. */
function says(lower: string, phrases: readonly string[]): boolean {
  return patternOf(phrases).test(lower);
}

/** Each list of phrases as one pattern, made on first use: one search of a line, not one per phrase (a dozen times as quick). */
const patterns = new Map<readonly string[], RegExp>();
function patternOf(phrases: readonly string[]): RegExp {
  let pattern = patterns.get(phrases);
  if (pattern === undefined) {
    pattern = new RegExp(phrases.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"));
    patterns.set(phrases, pattern);
  }
  return pattern;
}

/** An address the report lists, and whether a heading said what follows was not delivered. */
interface Listed {
  readonly address: string;
  readonly underHeading: boolean;
}

/** The recipients the report names (rules 2 to 4 above), in its order, each once. */
function namedRecipients(report: Report): string[] {
  const listed: Listed[] = [];
  const beside: string[] = [];
  let underHeading = false;
  let failed = false;
  for (const line of report.lines) {
    if (line === "" || line[0] === ">") continue; // a quoted line is someone's words, not the notice's
    const lower = line.length <= SENTENCE_CHARS ? line.toLowerCase() : "";
    // A returned message quoted inline behind words no reader knows: its headers and body are the sender's.
    if (RETURNED_STARTS.some((start) => lower.startsWith(start))) break;
    const notDelivered = lower !== "" && says(lower, NOT_DELIVERED);
    if (line.indexOf("@") !== -1) {
      const address = leadingAddress(line, underHeading);
      if (address !== undefined) listed.push({ address, underHeading });
      else if (lower !== "" && (notDelivered || hasFailureCode(line)) && !isHeaderField(lower))
        for (const found of findAddresses(line)) beside.push(found.address);
    }
    if (notDelivered) failed = true;
    if (
      lower !== "" &&
      lower.length <= HEADING_CHARS &&
      (notDelivered || (says(lower, LIST_WORDS) && says(lower, RECIPIENT_WORDS)))
    )
      underHeading = true;
  }
  const parties = partiesOf(report);
  const named = (list: readonly string[]) => unique(list).filter((a) => !parties.reporter(a));
  const others = (list: readonly string[], ...sets: ReadonlyArray<ReadonlySet<string>>) =>
    list.filter((a) => !sets.some((s) => s.has(a)));

  // Rule 2: the report's list; the original sender's address only when the list names no other and the returned
  // message was sent to it too (a mail to oneself bounced; a warning about one's own mailbox is no bounce).
  const listedAddresses = unique(listed.filter((l) => l.underHeading || failed).map((l) => l.address));
  const list = named(listedAddresses);
  const notSender = others(list, parties.sender);
  const toSelf = list.filter((a) => parties.returned.has(a));
  if (notSender.length > 0 || toSelf.length > 0) return notSender.length > 0 ? notSender : toSelf;
  // Rule 3: a failure's sentence, never the sender's address; the returned message's recipients give way to another.
  const sentences = others(named(beside), parties.sender);
  const fresh = others(sentences, parties.returned);
  if (sentences.length > 0) return fresh.length > 0 ? fresh : sentences;
  // A role's address the report lists alone (a mail to a postmaster bounced too), then rule 4: the returned message's To.
  const roles = others(listedAddresses, parties.writer, parties.sender);
  if (roles.length > 0) return roles;
  if (!failed) return [];
  const to = others(named(parties.to), parties.sender)[0];
  return to === undefined ? [] : [to];
}

/** Whether a line quotes a refusal's codes (a 4xx or 5xx reply, or an enhanced status of class 4 or 5). */
function hasFailureCode(line: string): boolean {
  const found = findCodes(line);
  return (
    found.replyCodes.some((r) => r.code >= 400) ||
    found.enhancedCodes.some((e) => e.code[0] === "4" || e.code[0] === "5")
  );
}

/** Whether a line is a header field of a returned message quoted inline ("To: a@b", "Received: … for <a@b>"). */
function isHeaderField(lower: string): boolean {
  const colon = lower.indexOf(":");
  return (
    colon > 0 && (HEADER_FIELDS.includes(lower.slice(0, colon)) || lower.startsWith("x-") || lower.startsWith("list-"))
  );
}

/**
 * The address a line lists as a recipient (rule 2), or undefined: the line starts with it — after white space, a
 * bullet, an opening bracket or quote, "mailto:", or an X.400 address's "SMTP=" — and ends there or goes on with
 * punctuation, "on <date>", a failure's words or codes. Under a heading, a label's or a display name's address counts too.
 */
function leadingAddress(line: string, underHeading: boolean): string | undefined {
  let i = 0;
  while (line[i] === " " || line[i] === "\t") i++;
  if ("*-•+·".includes(line[i] ?? "x") && line[i + 1] === " ") i += 2;
  while (line[i] === " ") i++;
  const lower = line.slice(i, i + 40).toLowerCase();
  if (lower.startsWith("c=") || lower.startsWith("/c=")) return x400Address(line, i);
  if (underHeading) {
    const colon = lower.indexOf(":");
    if (colon > 0 && LABELS.includes(lower.slice(0, colon).trim())) {
      i += colon + 1;
      while (line[i] === " " || line[i] === "\t") i++;
    }
  }
  if (line.startsWith("mailto:", i)) i += 7;
  else if (line[i] === "<" || line[i] === "'" || line[i] === '"' || line[i] === "(") i++;
  const found = findAddresses(line, 1, i)[0];
  if (found === undefined) return undefined;
  if (found.start !== i && !(underHeading && isDisplayName(line.slice(i, found.start)))) return undefined;
  let rest = line.slice(found.end, found.end + 200);
  if (">'\")".includes(rest[0] ?? "x")) rest = rest.slice(1);
  rest = rest.trimStart();
  const accepted =
    rest === "" ||
    ":;,([.<-–".includes(rest[0]!) ||
    rest.startsWith("on ") ||
    says(rest.toLowerCase(), NOT_DELIVERED) ||
    hasFailureCode(rest);
  return accepted ? found.address : undefined;
}

/**
 * A display name before an address in angle brackets or parentheses ("Dupont, Marie <", "Vertrieb Nord<mailto:",
 * "Ann Lee ("): no field's name.
 */
function isDisplayName(text: string): boolean {
  const open = text.endsWith("<mailto:") ? 8 : text.endsWith("<") || text.endsWith("(") ? 1 : 0;
  const name = text.slice(0, text.length - open);
  return open > 0 && name.trim() !== "" && name.length <= 80 && !/[:@<>()]/.test(name);
}

/** The SMTP address of an X.400 address ("c=JP;a= ;p=Org;o=Site;dda:SMTP=a@b;"), or undefined. */
function x400Address(line: string, from: number): string | undefined {
  const lower = line.toLowerCase();
  for (const key of ["smtp=", "rfc-822="]) {
    const at = lower.indexOf(key, from);
    if (at === -1) continue;
    const found = findAddresses(line, 1, at + key.length)[0];
    if (found?.start === at + key.length) return found.address;
  }
  return undefined;
}

function unique(list: readonly string[]): string[] {
  return [...new Set(list)];
}
