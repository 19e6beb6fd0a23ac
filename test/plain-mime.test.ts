// plain-mime reads the plainest mails as postal-mime reads them: for every mail it reads — the fixtures, and text parts
// written each plain way (charsets, line ends, base64, empty, unterminated) — it gives what postal-mime gives; every
// other mail it leaves to postal-mime.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MAX_MAIL_LINES } from "../packages/mailcodes-bounce/src/limits.ts";
import { postalParts, withinLimit } from "../packages/mailcodes-bounce/src/mail.ts";
import {
  firstLines,
  forParser,
  latin1Of,
  partsOf,
  returnedHeaders,
  rewrittenWithin,
} from "../packages/mailcodes-bounce/src/mime.ts";
import { plainParts } from "../packages/mailcodes-bounce/src/plain-mime.ts";
import { dsnMail, failed } from "./hostile-mail.ts";

const FIXTURES = join(import.meta.dirname, "fixtures");

/**
 * What plain-mime and postal-mime make of a mail, as mail.ts asks them: plain-mime reads the mail as it stands when
 * what postal-mime would read of it written again is all of it, and else (or when it cannot) what postal-mime would
 * read; each undefined where plain-mime leaves the mail to postal-mime.
 */
async function bothReadings(mail: string | Uint8Array) {
  const bytes = withinLimit(mail);
  const latin1 = latin1Of(bytes);
  const tree = partsOf(latin1);
  const given = forParser(latin1, bytes, tree);
  const lines = firstLines(given.bytes, MAX_MAIL_LINES);
  const written = latin1Of(lines);
  const asItStands = rewrittenWithin(bytes, tree, MAX_MAIL_LINES)
    ? plainParts(latin1, bytes, tree, returnedHeaders(latin1, bytes, tree))
    : undefined;
  return {
    plain: asItStands ?? plainParts(written, lines, partsOf(written), given.returned),
    asItStands,
    asWritten: plainParts(written, lines, partsOf(written), given.returned),
    postal: await postalParts(lines, given.returned),
  };
}

const lineCount = (bytes: Uint8Array) =>
  bytes.reduce((n, byte) => n + (byte === 10 ? 1 : 0), 0) +
  (bytes.length > 0 && bytes[bytes.length - 1] !== 10 ? 1 : 0);

function fixtureMails(): Array<[string, Buffer]> {
  const mails: Array<[string, Buffer]> = [];
  const emails = join(FIXTURES, "sisimai/emails");
  for (const name of readdirSync(emails).sort()) mails.push([`sisimai/${name}`, readFileSync(join(emails, name))]);
  for (const dir of ["plain-notices", "bounce-forms", "bounce-edges"]) {
    for (const name of readdirSync(join(FIXTURES, dir)).sort()) {
      if (name.endsWith(".eml")) mails.push([`${dir}/${name}`, readFileSync(join(FIXTURES, dir, name))]);
    }
  }
  return mails;
}

/** A text part written each plain way, in a report, alone, in quoted-printable and beside its HTML in an alternative. */
function writtenMails(): Array<[string, string]> {
  const mails: Array<[string, string]> = [];
  const types = [
    "",
    "text/plain",
    "text/plain; charset=us-ascii",
    'text/plain; charset="UTF-8"',
    "TEXT/PLAIN; CHARSET=ISO-8859-1;",
    "text/plain;charset=iso-2022-jp",
  ];
  const bodies = [
    "550 5.1.1 User unknown\n",
    "caf\u00e9\n",
    "one\r\ntwo\r\n",
    "bare\rreturn\n",
    "trailing\r\r\n",
    "\n\n",
    "",
    "no line end",
    "\ufeffmarked\n",
  ];
  for (const type of types) {
    for (const body of bodies) {
      const headers = type === "" ? "" : `Content-Type: ${type}`;
      mails.push([
        `${type} ${JSON.stringify(body)} in a report`,
        dsnMail({ textHeaders: headers, text: body, fields: failed("a@b.example") }),
      ]);
      const base64 = Buffer.from(body).toString("base64");
      mails.push([
        `${type} ${JSON.stringify(body)} in base64`,
        dsnMail({
          textHeaders: `${headers}\nContent-Transfer-Encoding: base64`,
          text: base64,
          fields: failed("a@b.example"),
        }),
      ]);
      mails.push([`${type} ${JSON.stringify(body)} alone`, `From: a@b.example\nSubject: x\n${headers}\n\n${body}`]);
      const quoted = body
        .replace(/=/g, "=3D")
        .replace(/\u00e9/g, "=C3=A9")
        .replace(/ \n/g, "=20\n")
        .concat(" soft=\nbreak =ZZ =4")
        .concat("=");
      mails.push([
        `${type} ${JSON.stringify(body)} in quoted-printable`,
        dsnMail({
          textHeaders: `${headers}\nContent-Transfer-Encoding: quoted-printable`,
          text: quoted,
          fields: failed("a@b.example"),
        }),
      ]);
      const alternative = `Content-Type: multipart/alternative; boundary="alt"\n\n--alt\n${headers}\n\n${body}\n--alt\nContent-Type: text/html\n\n<p>${body}</p>\n--alt--`;
      mails.push([
        `${type} ${JSON.stringify(body)} beside its HTML`,
        dsnMail({ textHeaders: "Content-Disposition: inline", text: "", fields: failed("a@b.example") }).replace(
          "Content-Disposition: inline\n\n",
          `${alternative}\n`,
        ),
      ]);
    }
  }
  return mails;
}

describe("plain-mime", () => {
  it("gives what postal-mime gives, for every fixture it reads (most of them)", async () => {
    let read = 0;
    for (const [name, mail] of fixtureMails()) {
      const { asItStands, asWritten, postal } = await bothReadings(mail);
      if (asWritten !== undefined) expect(asWritten, `${name}, written again`).toEqual(postal);
      if (asItStands === undefined) continue;
      read++;
      expect(asItStands, name).toEqual(postal);
    }
    expect(read).toBeGreaterThan(350);
  });

  it("reads a mail only when what postal-mime would read of it written again is all of it", async () => {
    const base64 = Buffer.from("x".repeat(600_000)).toString("base64");
    const mails = [
      dsnMail({ text: "line\n".repeat(9_900), fields: failed("a@b.example") }),
      dsnMail({ text: "line\n".repeat(10_100), fields: failed("a@b.example") }),
      dsnMail({
        textHeaders: "Content-Type: text/plain\nContent-Transfer-Encoding: base64",
        text: base64,
        fields: failed("a@b.example"),
      }),
    ];
    const within = [];
    for (const mail of mails) {
      const bytes = withinLimit(mail);
      const tree = partsOf(latin1Of(bytes));
      within.push(rewrittenWithin(bytes, tree, MAX_MAIL_LINES));
      if (within.at(-1))
        expect(lineCount(forParser(latin1Of(bytes), bytes, tree).bytes)).toBeLessThanOrEqual(MAX_MAIL_LINES);
      const { plain, postal } = await bothReadings(mail);
      // Cut at MAX_MAIL_LINES or not, it is plain enough to read as postal-mime reads it.
      expect(plain).toEqual(postal);
    }
    // The base64 body on one line is 10,527 lines written again.
    expect(within).toEqual([true, false, false]);
  });

  it.each(writtenMails())("gives what postal-mime gives: %s", async (_name, mail) => {
    const { plain, postal } = await bothReadings(mail);
    expect(plain).toEqual(postal);
  });

  it.each([
    ["an HTML text alone", "Content-Type: text/html"],
    ["a text with a parameter beside its charset", "Content-Type: text/plain; charset=utf-8; format=flowed"],
    ["a text attached", "Content-Type: text/plain\nContent-Disposition: attachment"],
    ["a charset the engine has no decoder of by that name", "Content-Type: text/plain; charset=unicode-1-1-utf-7"],
    [
      "an alternative of HTML alone",
      'Content-Type: multipart/alternative; boundary="alt"\n\n--alt\nContent-Type: text/html\n\n<p>x</p>\n--alt--',
    ],
  ])("leaves %s to postal-mime", async (_name, textHeaders) => {
    const { plain } = await bothReadings(dsnMail({ textHeaders, text: "x", fields: failed("a@b.example") }));
    expect(plain).toBeUndefined();
  });
});
