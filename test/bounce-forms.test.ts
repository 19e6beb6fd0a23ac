// mailcodes-bounce: classifyBounce on hand-written bounces (test/fixtures/bounce-forms) in the forms MTAs, gateways
// and providers write — the rarer MTAs' own forms (Courier, Domino, Notes, m-FILTER, InterScan, MailMarshal …) and
// the modern notices a user meets (Microsoft 365, Gmail, Postfix with dovecot, Exim, iCloud, Yahoo!, Amazon SES …).
// expected.json gives, for each mail, the recipients in order and the reason Sisimai's rules give for the same facts;
// a result that knowingly differs carries `sisimai` (and why) and is listed, not asserted.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { classify } from "mailcodes";
import { describe, expect, it } from "vitest";
import { classifyBounce } from "../packages/mailcodes-bounce/src/index.ts";

const DIR = join(fileURLToPath(new URL(".", import.meta.url)), "fixtures", "bounce-forms");

interface Expected {
  readonly recipient: string;
  /** The reason Sisimai's rules give (and ours, unless `sisimai` says otherwise). */
  readonly reason: string;
  readonly status?: string;
  readonly replyCode?: number;
  readonly command?: string;
  readonly format: string;
  readonly hardBounce?: boolean;
  readonly action?: string;
  /** Where Sisimai's rules give another reason than ours: that reason, and why the two differ. */
  readonly sisimai?: string;
  readonly why?: string;
}

const EXPECTED = (JSON.parse(readFileSync(join(DIR, "expected.json"), "utf8")) as { mails: Record<string, Expected[]> })
  .mails;

const mail = (file: string) => readFileSync(join(DIR, file));

describe("classifyBounce on hand-written bounces in MTAs' and providers' forms", () => {
  for (const [file, expected] of Object.entries(EXPECTED)) {
    it(file, async () => {
      const results = await classifyBounce(mail(file));
      expect(
        results.map((r) => r.recipient),
        `${file}: one result per bounced recipient, in order`,
      ).toEqual(expected.map((e) => e.recipient));
      expected.forEach((e, i) => {
        const r = results[i]!;
        expect(r.format, `${file}[${i}] reader`).toBe(e.format);
        if (e.sisimai === undefined) expect(r.reason, `${file}[${i}] reason`).toBe(e.reason);
        else expect(r.reason, `${file}[${i}]: Sisimai's reason is known to differ`).not.toBe(e.sisimai);
        if (e.status !== undefined) expect(r.enhancedCode, `${file}[${i}] status`).toBe(e.status);
        if (e.replyCode !== undefined) expect(r.replyCode, `${file}[${i}] reply code`).toBe(e.replyCode);
        if (e.command !== undefined) expect(r.command, `${file}[${i}] command`).toBe(e.command);
        if (e.hardBounce !== undefined) expect(r.hardBounce, `${file}[${i}] hardBounce`).toBe(e.hardBounce);
        if (e.action !== undefined) expect(r.action, `${file}[${i}] action`).toBe(e.action);
      });
    });
  }

  it("agrees with Sisimai's rules on nearly every hand-written recipient", () => {
    const all = Object.values(EXPECTED).flat();
    const differing = all.filter((e) => e.sisimai !== undefined);
    for (const e of differing) expect(e.why, `${e.recipient}: a known difference says why`).toBeTruthy();
    expect(differing.length / all.length).toBeLessThanOrEqual(0.15);
  });
});

describe("a provider's wording under the statuses it gives a meaning of their own", () => {
  it("NTT DOCOMO's 550 Unknown user under 5.0.0 is an unknown user to RCPT, a refused message after DATA; under 5.2.0 its reception filter; au's reply with no address is its filter", () => {
    const facts = {
      text: "550 Unknown user hanako@docomo.ne.jp",
      recipient: "hanako@docomo.ne.jp",
      remoteMta: "mfsmax.docomo.ne.jp",
      command: "DATA",
    };
    expect(classify({ ...facts, status: "5.0.0" })).toMatchObject({ reason: "rejected", provider: "NTTDOCOMO" });
    expect(classify({ ...facts, text: "550 5.0.0 Unknown user hanako@docomo.ne.jp", status: "5.0.0" }).reason).toBe(
      "rejected",
    );
    expect(classify({ ...facts, status: "5.0.0", command: "RCPT" })).toMatchObject({
      reason: "userunknown",
      provider: "NTTDOCOMO",
    });
    expect(classify({ ...facts, status: "5.1.1" }).reason).toBe("userunknown");
    expect(classify({ ...facts, status: "5.2.0" }).reason).toBe("filtered");
    // au (KDDI): "550 <a@b>: User unknown" names the address; "550 : User unknown" is its filter.
    expect(
      classify({ text: "The response was: 550 <a@ezweb.ne.jp>: User unknown", recipient: "a@ezweb.ne.jp" }).reason,
    ).toBe("userunknown");
    expect(classify({ text: "The response was: 550 : User unknown", recipient: "a@ezweb.ne.jp" }).reason).toBe(
      "filtered",
    );
    // Elsewhere the same words after DATA say nothing of the address.
    expect(
      classify({ ...facts, status: "5.0.0", recipient: "hanako@example.com", remoteMta: "mx.example.com" }).reason,
    ).toBe("filtered");
  });
});

describe("a DSN whose Final-Recipient has no local part", () => {
  it('takes the address its Diagnostic-Code names (as Sendmail writes "@host" for an address it could not parse)', async () => {
    const dsn = (final: string) =>
      [
        "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.com>",
        "Subject: Returned mail: see transcript for details",
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
        "",
        "--b",
        "",
        "   ----- Transcript of session follows -----",
        "... while talking to mail.example.org.:",
        ">>> RCPT To:<kim@mail.example.org>",
        "<<< 550 5.1.1 <kim@mail.example.org>... User unknown",
        "",
        "--b",
        "Content-Type: message/delivery-status",
        "",
        "Reporting-MTA: dns; mx.example.com",
        "",
        `Final-Recipient: ${final}`,
        "Action: failed",
        "Status: 5.1.1",
        "Diagnostic-Code: SMTP; 550 5.1.1 <kim@mail.example.org>... User unknown",
        "",
        "--b--",
        "",
      ].join("\n");
    expect(
      (await classifyBounce(dsn("RFC822; @mail.example.org"))).map((r) => [r.recipient, r.reason, r.format]),
    ).toEqual([["kim@mail.example.org", "userunknown", "sendmail"]]);
    // A field with no address at all leaves the DSN with no recipient: Sendmail's reader finds none.
    expect((await classifyBounce(dsn("RFC822; unknown"))).every((r) => r.format !== "sendmail")).toBe(true);
  });
});

describe("an attached message", () => {
  it("is read as the bounce only when it is one, and only by the readers of forms", async () => {
    const outer = (inner: string) =>
      [
        "From: a@example.com",
        "To: b@example.com",
        "Subject: FW: see below",
        'Content-Type: multipart/mixed; boundary="o"',
        "",
        "--o",
        "Content-Type: text/plain",
        "",
        "Have a look.",
        "",
        "--o",
        "Content-Type: message/rfc822",
        "",
        inner,
        "--o--",
        "",
      ].join("\n");
    const bounce = mail("exim-fail.eml").toString("latin1");
    expect((await classifyBounce(outer(bounce))).map((r) => [r.recipient, r.reason, r.format])).toEqual([
      ["robin@example.net", "userunknown", "exim"],
    ]);
    // An ordinary message attached, with an address on a line of its own: nothing bounced.
    const ordinary = [
      "From: c@example.com",
      "To: d@example.com",
      "Subject: notes",
      "",
      "Write to",
      "e@example.org",
      "about it.",
      "",
    ].join("\n");
    expect(await classifyBounce(outer(ordinary))).toEqual([]);
  });
});

describe("each reader claims only its own form", () => {
  // Each mail with its reader's fingerprints rewritten (Subject, From, the headers the reader looks for) is not read
  // by that reader: readers recognise forms by what the form writes, not by the shape of any bounce.
  const cases: Array<[file: string, replacements: ReadonlyArray<readonly [string, string]>, reader: string]> = [
    ["domino-01.eml", [["Subject: DELIVERY FAILURE:", "Subject: Returned:"]], "domino"],
    ["notes-01.eml", [["Subject: Undeliverable message", "Subject: Message notice"]], "notes"],
    ["mfilter-01.eml", [["X-Mailer: m-FILTER", "X-Mailer: other"]], "mfilter"],
    ["activehunter-01.eml", [["X-AHMailID:", "X-Other-ID:"]], "activehunter"],
    ["mailfoundry-01.eml", [["(MAILFOUNDRY) id", "(ESMTP) id"]], "mailfoundry"],
    ["biglobe-01.eml", [["postmaster@biglobe.ne.jp", "postmaster@example.com"]], "biglobe"],
    [
      "courier-01.eml",
      [
        ["Courier mail server at", "Mail server at"],
        ["NOTICE: mail delivery status.", "Delivery status"],
        ["<courier.", "<c."],
      ],
      "courier",
    ],
    [
      "interscan-01.eml",
      [
        ['"InterScan MSS"', "Postmaster"],
        [" InterScan ", " Gateway "],
      ],
      "interscan",
    ],
  ];
  for (const [file, replacements, reader] of cases) {
    it(`${reader} needs its fingerprints`, async () => {
      let text = mail(file).toString("latin1");
      for (const [from, to] of replacements) {
        expect(text.indexOf(from), `${file} has ${from}`).toBeGreaterThanOrEqual(0);
        text = text.split(from).join(to);
      }
      const before = await classifyBounce(mail(file));
      expect(before.every((r) => r.format === reader)).toBe(true);
      const after = await classifyBounce(text);
      expect(after.every((r) => r.format !== reader)).toBe(true);
    });
  }
});
