// Hostile mails for mailcodes-bounce's reader (issue 19): built here once, for the fast tier (mail-reader.test.ts)
// and for the processes the slow tier measures (mail-reader.slow.test.ts).

/** A DSN (multipart/report) with a human-readable part and its delivery-status part. */
export function dsnMail(options: { text?: string; textHeaders?: string; statusType?: string; fields: string }): string {
  return [
    "From: MAILER-DAEMON@mx.example.net",
    "Subject: Delivery report",
    "MIME-Version: 1.0",
    'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
    "",
    "--b",
    options.textHeaders ?? "Content-Type: text/plain; charset=utf-8",
    "",
    options.text ?? "Your message could not be delivered.",
    "",
    "--b",
    `Content-Type: ${options.statusType ?? "message/delivery-status"}`,
    "",
    "Reporting-MTA: dns; mx.example.net",
    "",
    options.fields,
    "",
    "--b--",
    "",
  ].join("\n");
}

export const failed = (recipient: string) =>
  `Final-Recipient: rfc822; ${recipient}\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 user unknown`;

/**
 * A base64 text part of about `size` bytes written as "A=" repeated, in lines of 76 or in one line; of the type given
 * (one with a parameter beside its charset is postal-mime's to read, not plain-mime's).
 */
export function paddedBase64Mail(size: number, lines: boolean, type = "text/plain; charset=utf-8"): string {
  const body = lines ? `${"A=".repeat(38)}\n`.repeat(Math.ceil(size / 77)) : `${"A=".repeat(size / 2)}\n`;
  return dsnMail({
    textHeaders: `Content-Type: ${type}\nContent-Transfer-Encoding: base64`,
    text: body,
    fields: failed("a@b.example"),
  });
}

/** A DSN of about `size` bytes whose text part is ordinary prose (in lines of about 1,000 characters, few enough to be read). */
export function ordinaryMail(size: number): string {
  const line = `${"The message could not be delivered to one of its recipients; details follow. ".repeat(13)}\n`;
  return dsnMail({ text: line.repeat(Math.ceil(size / line.length)), fields: failed("a@b.example") });
}

/** A DSN of about `size` bytes whose Diagnostic-Code is "said: " repeated, on one line. */
export function saidMail(size: number): string {
  return dsnMail({ fields: `${failed("a@b.example")} ${"said: ".repeat(Math.floor(size / 6))}` });
}
