// mailcodes-bounce: classifyBounce on real bounce mails (test/fixtures/sisimai), against Sisimai's labels; on
// garbage; and at its limits (its work on adversarial input grows linearly: linear.test.ts). The catalog is the
// generated one (generated/), so these tests need no built package.
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";

import { READERS } from "../packages/mailcodes-bounce/src/formats/index.ts";
import {
  type BounceResult,
  classifyBounce,
  MAX_MAIL_LINES,
  MAX_RECIPIENTS,
  MAX_TEXT_CHARS,
} from "../packages/mailcodes-bounce/src/index.ts";
import { MANY_RECIPIENT_FORMS, shortLinesMail } from "./bounce-adversarial.ts";
import { agreement, isPseudoStatus, mailOf, ratio, type Sample, samples } from "./bounce-corpus.ts";

const ALL = samples();
const byId = new Map(ALL.map((s) => [s.id, s]));

/** Every fact of a sample's labels, checked against the result in the same place. */
async function expectLabels(sample: Sample): Promise<BounceResult[]> {
  const results = await classifyBounce(mailOf(sample));
  expect(results.length, `${sample.id}: one result per labelled recipient`).toBe(sample.facts.length);
  sample.facts.forEach((fact, i) => {
    const r = results[i]!;
    expect(r.reason, `${sample.id}[${i}] reason`).toBe(fact.reason);
    expect(r.hardBounce, `${sample.id}[${i}] hardBounce`).toBe(fact.hardBounce);
    if (fact.status !== "" && !isPseudoStatus(fact.status))
      expect(r.enhancedCode, `${sample.id}[${i}] status`).toBe(fact.status);
    if (fact.replyCode !== "") expect(r.replyCode, `${sample.id}[${i}] reply code`).toBe(Number(fact.replyCode));
  });
  return results;
}

/** A sample of each category and of the forms the readers know, chosen for what each exercises. */
const REPRESENTATIVE: Record<string, readonly string[]> = {
  // MTAs' own forms: a procmail failure behind a 5.1.1 (Postfix), a Sendmail transcript, Exim's address block, a
  // qmail clone (Yahoo!), Gmail's SMTP state, Google Groups in Japanese, Exchange 2003's MSEXCH code, an Amazon SES
  // delivery (JSON), OpenSMTPD with two recipients, EZweb in ISO-2022-JP with X-SPASIGN, a forwarded bounce, V5
  // Sendmail, DragonFly, Zoho's delay, a broken MIME boundary (Messaging Server).
  lhost: [
    "lhost-postfix-01",
    "lhost-sendmail-01",
    "lhost-exim-01",
    "lhost-yahoo-05",
    "lhost-gmail-07",
    "lhost-googlegroups-01",
    "lhost-exchange2003-03",
    "lhost-amazonses-12",
    "lhost-opensmtpd-02",
    "lhost-ezweb-01",
    "lhost-sendmail-14",
    "lhost-v5sendmail-03",
    "lhost-dragonfly-29",
    "lhost-zoho-04",
    "lhost-messagingserver-03",
  ],
  // Providers' wording: Google's, Yahoo!'s TSS04 deferral, Microsoft's IP reputation, Orange's error label, Google
  // Workspace's NXDOMAIN as a temporary network error, Tencent, Mimecast.
  rhost: [
    "rhost-google-01",
    "rhost-yahooinc-02",
    "rhost-microsoft-05",
    "rhost-franceptt-05",
    "rhost-gsuite-04",
    "rhost-tencent-02",
    "rhost-mimecast-01",
    "rhost-kddi-02",
  ],
  // Plain DSNs: dovecot (a local delivery agent's own words), a broken boundary with procmail, three recipients.
  rfc3464: ["rfc3464-01", "rfc3464-04", "rfc3464-06", "rfc3464-35"],
  rfc3834: ["rfc3834-01", "rfc3834-03"],
  // Feedback reports: seven recipients, Apple's unsubscribe.
  arf: ["arf-16", "arf-26"],
};

describe("classifyBounce on real bounces: Sisimai's labels", () => {
  for (const [category, ids] of Object.entries(REPRESENTATIVE)) {
    for (const id of ids) {
      it(`${category}: ${id}`, async () => {
        const sample = byId.get(id);
        expect(sample, `${id} is in labels.json`).toBeDefined();
        expect(sample!.category).toBe(category);
        await expectLabels(sample!);
      });
    }
  }

  it("gives each result the fields a bounce handler needs, under their names", async () => {
    const [r] = await classifyBounce(mailOf(byId.get("lhost-sendmail-01")!));
    expect(r).toMatchObject({
      recipient: "userunknown@bouncehammer.jp",
      reason: "userunknown",
      hardBounce: true,
      enhancedCode: "5.1.1",
      replyCode: 550,
      action: "suppress",
      format: "sendmail",
    });
    expect(r!.diagnostic).toContain("User Unknown");
    expect(r!.evidence.kind).toBe("enhanced-code");
    expect(r!.matches.some((m) => m.source === "smtp-reply-code" && m.code === 550)).toBe(true);
  });

  it("leaves enhancedCode and replyCode out when the mail gives none", async () => {
    const [r] = await classifyBounce(mailOf(byId.get("lhost-googlegroups-01")!));
    expect(r!.reason).toBe("rejected");
    expect("enhancedCode" in r!).toBe(false);
    expect("replyCode" in r!).toBe(false);
  });

  it("reads strings, Buffers, Uint8Arrays and ArrayBuffers alike", async () => {
    const buffer = mailOf(byId.get("lhost-exim-01")!);
    const bytes = new Uint8Array(buffer);
    const expected = await classifyBounce(buffer);
    expect(await classifyBounce(bytes)).toEqual(expected);
    expect(await classifyBounce(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))).toEqual(
      expected,
    );
    expect(await classifyBounce(buffer.toString("latin1"))).toEqual(expected);
  });
});

describe("classifyBounce over the whole corpus", () => {
  it("agrees with the labels: reason ≥ 97%, hard/soft ≥ 98%, status and reply codes ≥ 97% where the text carries them", async () => {
    const runs = [];
    for (const sample of ALL) runs.push({ sample, results: await classifyBounce(mailOf(sample)) });
    const a = agreement(runs);
    expect(a.facts).toBe(370);
    expect(ratio(a.overall.reason)).toBeGreaterThanOrEqual(0.97);
    expect(ratio(a.overall.hard)).toBeGreaterThanOrEqual(0.98);
    expect(ratio(a.overall.status)).toBeGreaterThanOrEqual(0.97);
    expect(ratio(a.overall.reply)).toBeGreaterThanOrEqual(0.97);
    for (const category of ["lhost", "rhost", "rfc3464", "rfc3834", "arf"] as const)
      expect(ratio(a.byCategory[category].reason), category).toBeGreaterThanOrEqual(0.9);
  });
});

describe("classifyBounce on garbage", () => {
  const garbage: Array<[string, string | Uint8Array | ArrayBuffer]> = [
    ["empty", ""],
    ["empty bytes", new Uint8Array(0)],
    ["NULs", "\0".repeat(1000)],
    ["random bytes", randomBytes(64 * 1024, 1)],
    ["headers only", "From: MAILER-DAEMON\nSubject: Undelivered Mail Returned to Sender"],
    [
      "a declared boundary that never comes",
      'Content-Type: multipart/report; boundary="x"\n\nFinal-Recipient: rfc822; a@b.example\nStatus: 5.1.1\n',
    ],
    [
      "unterminated parts",
      'Content-Type: multipart/mixed; boundary="x"\n\n--x\nContent-Type: message/delivery-status\n\nFinal-Recipient: rfc822;',
    ],
    ["deep nesting", nested(400)],
    ["a lone surrogate and control characters", "Subject: \ud800\u0001\u0002\n\n\udfff<a@b.c>: 550 \u0000 5.1.1"],
    ["a huge header", "X-Long: " + "a".repeat(3_000_000) + "\n\nbody"],
    ["JSON that is not SES's", 'Subject: x\n\n{"notificationType": 5, "bounce": null}'],
    ["an unknown charset", "Content-Type: text/plain; charset=x-unknown-7\n\n550 5.1.1 <a@b.example>: User unknown"],
  ];
  for (const [name, input] of garbage) {
    it(`never throws: ${name}`, async () => {
      const results = await classifyBounce(input);
      expect(Array.isArray(results)).toBe(true);
      for (const r of results) expect(typeof r.reason).toBe("string");
    });
  }

  it("never throws on values of the wrong type", async () => {
    for (const value of [undefined, null, 42, {}, [], new Date()])
      expect(await classifyBounce(value as unknown as string)).toEqual([]);
  });

  it("reads a bounce with no structure from its prose", async () => {
    const [r] = await classifyBounce(
      "From: MAILER-DAEMON@example.net\nSubject: failure notice\nX-Failed-Recipients: nobody@example.org\n\nnobody@example.org: 550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown (in reply to RCPT TO command)\n",
    );
    expect(r).toMatchObject({
      recipient: "nobody@example.org",
      reason: "userunknown",
      hardBounce: true,
      enhancedCode: "5.1.1",
      replyCode: 550,
    });
  });
});

describe("classifyBounce's limits", () => {
  it(`reports the first ${MAX_RECIPIENTS} recipients of a mail that names more, in the mail's order`, async () => {
    for (const mailOf of Object.values(MANY_RECIPIENT_FORMS)) {
      const results = await classifyBounce(mailOf(MAX_RECIPIENTS + 500));
      expect(results).toHaveLength(MAX_RECIPIENTS);
      expect([results[0]!.recipient, results.at(-1)!.recipient]).toEqual([
        "user0@host0.example",
        `user${MAX_RECIPIENTS - 1}@host${(MAX_RECIPIENTS - 1) % 97}.example`,
      ]);
    }
  });

  it(`reads a mail of more than ${MAX_MAIL_LINES} short lines up to its limit, finding the recipient before them`, async () => {
    expect(await classifyBounce(shortLinesMail(4 * MAX_MAIL_LINES))).toMatchObject([
      { recipient: "a@b.example", reason: "userunknown" },
    ]);
  });

  it(`classifies at most ${MAX_TEXT_CHARS} characters of a recipient's text, from its start`, async () => {
    const long = "550 5.1.1 no such user " + "and more words ".repeat(10_000);
    const [r] = await classifyBounce(
      `From: MAILER-DAEMON@example.net\nSubject: Undelivered\nX-Failed-Recipients: a@b.example\n\na@b.example: ${long}\n`,
    );
    expect(r!.diagnostic.length).toBeLessThanOrEqual(MAX_TEXT_CHARS);
    expect(r).toMatchObject({ reason: "userunknown", enhancedCode: "5.1.1", replyCode: 550 });
  });
});

describe("the readers", () => {
  it("are each the module named as the format it reports, each tried once", async () => {
    const dir = new URL("../packages/mailcodes-bounce/src/formats/", import.meta.url);
    const modules = readdirSync(dir).filter((file) => file.endsWith(".ts") && file !== "index.ts");
    for (const file of modules) {
      const exported = Object.values((await import(new URL(file, dir).href)) as Record<string, { format?: string }>);
      expect(
        exported.map((reader) => reader.format),
        file,
      ).toEqual([file.slice(0, -3)]);
    }
    const formats = READERS.map((reader) => reader.format);
    expect(new Set(formats).size, "no reader twice in the try order").toBe(formats.length);
    expect([...formats].sort()).toEqual(modules.map((file) => file.slice(0, -3)).sort());
  });

  it("let a reader that claims a mail read it before the others: an auto-reply's Subject", async () => {
    const mail =
      "From: Kim <kim@example.org>\nSubject: Automatic reply: Delivery failure\nX-Failed-Recipients: lee@example.net\n\nI am away.\n";
    expect((await classifyBounce(mail)).map((r) => [r.format, r.recipient, r.reason])).toEqual([
      ["autoreply", "kim@example.org", "vacation"],
    ]);
    // The same mail without that Subject is the bounce its fields say (plaintext comes before autoreply).
    const bounce = mail.replace("Automatic reply: ", "");
    expect((await classifyBounce(bounce)).map((r) => [r.format, r.recipient])).toEqual([
      ["plaintext", "lee@example.net"],
    ]);
  });

  it("give a DSN's Action as one of RFC 3464's five, or none", async () => {
    const dsn = (action: string) =>
      `From: MAILER-DAEMON@example.net\nSubject: Delivery Status Notification\n\nFinal-Recipient: rfc822; lee@example.net\nAction: ${action}\nStatus: 4.4.7\n`;
    const actions = [];
    for (const action of ["failed", "Delayed (will retry)", "expired", "bogus"])
      actions.push((await classifyBounce(dsn(action)))[0]?.dsnAction);
    // "expired" is a message given up on: failed, not still tried.
    expect(actions).toEqual(["failed", "delayed", "failed", undefined]);
  });

  it("type a result's format and dsnAction as closed unions (tsc checks the two comparisons below)", () => {
    const r: Pick<BounceResult, "format" | "dsnAction"> = { format: "postfix", dsnAction: "failed" };
    // @ts-expect-error: no reader reports "postfx"
    expect(r.format === "postfx").toBe(false);
    // @ts-expect-error: RFC 3464 has no action "failure"
    expect(r.dsnAction === "failure").toBe(false);
  });
});

function randomBytes(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    out[i] = x >> 16;
  }
  return out;
}

function nested(depth: number): string {
  let mail = "Content-Type: multipart/mixed; boundary=b0\n\n";
  for (let i = 0; i < depth; i++) mail += `--b${i}\nContent-Type: multipart/mixed; boundary=b${i + 1}\n\n`;
  return mail + "Final-Recipient: rfc822; a@b.example\n";
}
