// Adversarial input for the bounce readers: the catalog's own wording cut in half (every fragment starts a match
// that fails late) and the log syntax readers key on, repeated to a size. Shared by the bounce tests and
// bench/classify.ts.
import { bounceWordingEntries, mtaWordingEntries, providerWordingEntries } from "../generated/index.ts";

/** Log and report syntax the readers look for. */
const SYNTAX = [
  "550-5.1.1 ",
  "550 5.1.1 ",
  "421-4.7.0 ",
  "Status: ",
  "Status: 5.1.1 (",
  "Diagnostic-Code: smtp; ",
  "Final-Recipient: rfc822; ",
  "Action: failed\n",
  "Remote-MTA: dns; ",
  "<a@b.example>: ",
  "a@",
  "@b.",
  ">>> RCPT TO:<",
  "<<< 550 ",
  "(in reply to ",
  "host mx.example.net[192.0.2.1] said: ",
  "#5.",
  "(#4.4.1",
  "5.7.7",
  "AUP#",
  "_41",
  "\n  ",
  "\n",
  " ",
  "...",
  "…",
  "「",
];

function fragments(): string[] {
  const phrases = [...bounceWordingEntries, ...mtaWordingEntries, ...providerWordingEntries].map((e) => e.texts.phrase);
  const out: string[] = [];
  for (const p of phrases) {
    out.push(p.slice(0, Math.max(1, p.length - 1)));
    out.push(p.slice(0, Math.ceil(p.length / 2)));
  }
  return out.concat(SYNTAX);
}

/** About `size` characters of adversarial text (deterministic). */
export function adversarialText(size: number): string {
  return repeatedToSize(fragments(), size);
}

/** `size` characters of the parts, repeated in a fixed pseudo-random order. */
export function repeatedToSize(parts: readonly string[], size: number): string {
  const chunks: string[] = [];
  let length = 0;
  let seed = 12345;
  while (length < size) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const part = parts[seed % parts.length]!;
    chunks.push(part);
    length += part.length;
  }
  return chunks.join("").slice(0, size);
}

/**
 * The forms an adversarial mail can take: each makes a different reader read it (the Subject, From and markers they
 * key on). Exim's opens with a recipient, so that its reader takes the rest as that recipient's text at every size.
 */
export const ADVERSARIAL_FORMS: Readonly<
  Record<string, { readonly from: string; readonly subject: string; readonly start: string }>
> = {
  postfix: {
    from: "MAILER-DAEMON@example.net (Mail Delivery System)",
    subject: "Undelivered Mail Returned to Sender",
    start: "This is the mail system at host example.net.",
  },
  sendmail: {
    from: "Mail Delivery Subsystem <MAILER-DAEMON@example.net>",
    subject: "Returned mail: see transcript for details",
    start: "   ----- Transcript of session follows -----",
  },
  exim: {
    from: "Mail Delivery System <Mailer-Daemon@example.net>",
    subject: "Mail delivery failed: returning message to sender",
    start: "This message was created automatically by mail delivery software.\n\n  a@b.example",
  },
  qmail: {
    from: "MAILER-DAEMON@example.net",
    subject: "failure notice",
    start: "Hi. This is the qmail-send program at example.net.",
  },
  gmail: {
    from: "Mail Delivery Subsystem <mailer-daemon@googlemail.com>",
    subject: "Delivery Status Notification (Failure)",
    start: "Delivery to the following recipient failed permanently:",
  },
};

/** A multipart report of about `size` bytes whose parts are adversarial text, in one of the forms: the readers' worst case. */
export function adversarialMail(size: number, form: keyof typeof ADVERSARIAL_FORMS = "postfix"): string {
  const { from, subject, start } = ADVERSARIAL_FORMS[form]!;
  const body = adversarialText(Math.max(0, size - 600));
  const half = Math.floor(body.length / 2);
  return [
    `From: ${from}`,
    "To: a@b.example",
    `Subject: ${subject}`,
    "X-Failed-Recipients: a@b.example",
    "MIME-Version: 1.0",
    'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
    "",
    "--b",
    "Content-Type: text/plain; charset=utf-8",
    "",
    start,
    body.slice(0, half),
    "--b",
    "Content-Type: message/delivery-status",
    "",
    "Reporting-MTA: dns; mx.example.net",
    "",
    body.slice(half),
    "--b--",
    "",
  ].join("\n");
}

const recipient = (i: number) => `user${i}@host${i % 97}.example`;
const each = (count: number, line: (i: number) => string) =>
  Array.from({ length: count }, (_, i) => line(i)).join("\n");

/**
 * Bounces that report many recipients, in the forms whose readers look up each recipient's own text: a reader that
 * searches the whole report once per recipient takes time quadratic in them.
 */
export const MANY_RECIPIENT_FORMS: Readonly<Record<string, (count: number) => string>> = {
  "X-Failed-Recipients and a paragraph each": (n) =>
    [
      "From: MAILER-DAEMON@example.net",
      "Subject: Undelivered",
      `X-Failed-Recipients: ${each(n, recipient).replaceAll("\n", ", ")}`,
      "",
      each(n, (i) => `${recipient(i)}\n  550 5.1.1 no such user\n`),
    ].join("\n"),
  "an address line each": (n) =>
    [
      "From: MAILER-DAEMON@example.net",
      "Subject: Undelivered",
      "",
      each(n, (i) => `<${recipient(i)}>: 550 5.1.1 no such user\n`),
    ].join("\n"),
  "DSN blocks with no Diagnostic-Code": (n) =>
    [
      "From: MAILER-DAEMON@example.net",
      "Subject: Undelivered",
      "MIME-Version: 1.0",
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
      "",
      "--b",
      "Content-Type: text/plain",
      "",
      each(n, (i) => `${recipient(i)}\n  no such user here\n`),
      "--b",
      "Content-Type: message/delivery-status",
      "",
      "Reporting-MTA: dns; mx.example.net",
      "",
      each(n, (i) => `Final-Recipient: rfc822; ${recipient(i)}\nAction: failed\nStatus: 5.1.1\n`),
      "--b--",
      "",
    ].join("\n"),
  "Gmail's recipient lines": (n) =>
    [
      "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>",
      "Subject: Delivery Status Notification (Failure)",
      "",
      "Delivery to the following recipient failed permanently:",
      "",
      each(n, (i) => `     ${recipient(i)}\n`),
      "Technical details of permanent failure:",
      "550 5.1.1 no such user",
    ].join("\n"),
};

/** What a plain notice's prose is made of: headings, listed, labelled and quoted addresses, failures beside them. */
const NOTICE_PARTS = [
  "did not reach the following recipient(s):\n",
  "Die Zustellung an folgende Empfänger ist fehlgeschlagen:\n",
  "  * a@b.example (user unknown)\n",
  "'c@d.example' on Tue, 4 Mar 2003\n",
  "e@f.example<mailto:e@f.example>\n",
  "User's mailbox is full: <g@h.example>\n",
  "Recipient: <i@j.example>\n",
  "Dupont, Marie <k@l.example>\n",
  "c=US;a= ;p=x;dda:SMTP=m@n.example; on Tue\n",
  "Delivery to o@p.example (forwarded to q@r.example) failed\n",
  "postmaster@example.net\n",
  "c=US;a= ;",
  "smtp=",
  "mailbox ",
  "the following ",
  "Dupont <",
  "<mailto:",
  "'",
  "@",
  "a@",
  "@b.",
  "\n",
];

/**
 * A plain notice (no DSN part, no MTA's form) of about `size` bytes whose report is adversarial prose: every way the
 * plaintext reader finds a recipient, cut and repeated.
 */
export function adversarialNotice(size: number): string {
  const body = repeatedToSize(NOTICE_PARTS.concat(fragments()), Math.max(0, size - 200));
  return ["From: postmaster@example.net", "To: kim@example.org", "Subject: Undeliverable mail", "", body, ""].join(
    "\n",
  );
}

/** A bounce of about `size` bytes whose report is one short line after another (each line costs the MIME parser most). */
export function shortLinesMail(size: number): string {
  return [
    "From: MAILER-DAEMON@example.net",
    "Subject: Undelivered",
    "X-Failed-Recipients: a@b.example",
    "",
    "a@b.example: 550 5.1.1 no such user",
    "x\n".repeat(Math.max(0, size / 2 - 100)),
  ].join("\n");
}
