// mailcodes-bounce: the generic plaintext reader on hand-written notices with no DSN part and no MTA's own form
// (test/fixtures/plain-notices, issue 17 kinds 2 and 3): the recipients a report names in prose, in any wording and
// language; never the notice's writer's, the list's, a role's or the sender's address while the report names
// another; and nothing for a mail that is no bounce.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { classifyBounce } from "../packages/mailcodes-bounce/src/index.ts";
import { isRoleAddress } from "../packages/mailcodes-bounce/src/parties.ts";

const DIR = join(fileURLToPath(new URL(".", import.meta.url)), "fixtures", "plain-notices");

interface Expected {
  readonly recipient: string;
  readonly reason?: string;
  readonly status?: string;
}

const EXPECTED = (JSON.parse(readFileSync(join(DIR, "expected.json"), "utf8")) as { mails: Record<string, Expected[]> })
  .mails;

describe("plain-text notices: the recipients the report names", () => {
  it.each(Object.entries(EXPECTED))("%s", async (file, expected) => {
    const results = await classifyBounce(readFileSync(join(DIR, file)));
    expect(results.map((r) => r.recipient)).toEqual(expected.map((e) => e.recipient));
    expected.forEach((e, i) => {
      expect(results[i]!.format).toBe("plaintext");
      if (e.reason !== undefined) expect(results[i]!.reason, `${e.recipient} reason`).toBe(e.reason);
      if (e.status !== undefined) expect(results[i]!.enhancedCode, `${e.recipient} status`).toBe(e.status);
    });
  });
});

/** A notice from a mail system with the given Subject and report, the returned message's headers attached. */
function notice(report: string, returned = "From: kim@example.org\nTo: lee@example.net\nSubject: hello", extra = "") {
  return [
    "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>",
    "To: kim@example.org",
    "Subject: Delivery failure",
    extra,
    'Content-Type: multipart/mixed; boundary="b"',
    "",
    "--b",
    "Content-Type: text/plain",
    "",
    report,
    "--b",
    "Content-Type: text/rfc822-headers",
    "",
    returned,
    "",
    "--b--",
    "",
  ]
    .filter((line, i) => i !== 3 || line !== "")
    .join("\n");
}
const recipientsOf = async (mail: string) => (await classifyBounce(mail)).map((r) => r.recipient);

describe("the rules a notice's recipients are read by", () => {
  it("takes an address the report lists before one beside a failure, and either before the returned message's To", async () => {
    expect(await recipientsOf(notice("Delivery failed.\n\n<ann@example.net>: 550 5.1.1 no such user"))).toEqual([
      "ann@example.net",
    ]);
    expect(await recipientsOf(notice("Delivery failed: the mailbox of ann@example.net is full."))).toEqual([
      "ann@example.net",
    ]);
    expect(await recipientsOf(notice("Your message could not be delivered."))).toEqual(["lee@example.net"]);
  });

  it("reads a display name's or a label's address only under a heading that says what follows failed", async () => {
    const listed = "Ann Lee <ann@example.net>\nRecipient: <bo@example.net>\nCy Sato (cy@example.net)";
    expect(await recipientsOf(notice(`Delivery to the following recipients failed:\n\n${listed}`))).toEqual([
      "ann@example.net",
      "bo@example.net",
      "cy@example.net",
    ]);
    expect(await recipientsOf(notice(`Thank you for your message.\n\n${listed}`))).toEqual([]);
  });

  it.each([
    ["Dutch", "De bezorging is mislukt voor de volgende ontvangers of groepen:"],
    ["Swedish", "Leveransen till följande mottagare eller grupper misslyckades:"],
    ["Polish", "Dostarczenie do następujących adresatów lub grup nie powiodło się:"],
    ["Czech", "Doručení následujícím příjemcům nebo skupinám se nezdařilo:"],
    ["Russian", "Не удалось доставить сообщение следующим получателям или группам:"],
    ["Turkish", "Şu alıcılara veya gruplara teslim başarısız oldu:"],
    ["Korean", "다음 받는 사람 또는 그룹에게 배달하지 못했습니다."],
    ["Chinese", "无法传递到以下收件人或组:"],
  ])("knows a heading in %s", async (_language, heading) => {
    expect(await recipientsOf(notice(`${heading}\n\nAnn Lee <ann@example.net>`, "Subject: x"))).toEqual([
      "ann@example.net",
    ]);
  });

  it("takes an address at a line's start only with what a list writes after it", async () => {
    const report = (line: string) => notice(`Your message was not delivered.\n\n${line}`, "Subject: x");
    for (const line of [
      "ann@example.net",
      "<ann@example.net>: no",
      "ann@example.net (user unknown)",
      "  * ann@example.net",
      "ann@example.net on Tue, 4 Mar 2003",
      "ann@example.net<mailto:ann@example.net>",
    ])
      expect(await recipientsOf(report(line)), line).toEqual(["ann@example.net"]);
    for (const line of ["ann@example.net wrote:", "ann@example.net for help with this notice"])
      expect(await recipientsOf(report(line)), line).toEqual([]);
  });

  it("never takes a role's, the notice writer's or a list's address while the report names another", async () => {
    const report =
      "The following recipients were rejected:\n\npostmaster@example.net\n<ann@example.net>: user unknown\nhelp-owner@lists.example.org\nlist@lists.example.org";
    const returned = "From: kim@example.org\nTo: list@lists.example.org\nList-Post: <mailto:list@lists.example.org>";
    expect(await recipientsOf(notice(report, returned))).toEqual(["ann@example.net"]);
    // Named alone, a role's address is the recipient (a mail to a postmaster can bounce too).
    expect(await recipientsOf(notice("Delivery failed:\n\n<postmaster@example.net>: 550 5.1.1 user unknown"))).toEqual([
      "postmaster@example.net",
    ]);
  });

  it("takes the sender's address only when the report names no other and the returned message went to it", async () => {
    const report = (also: string) => `The following addresses failed:\n\n<kim@example.org>: mailbox full\n${also}`;
    const toSelf = "From: kim@example.org\nTo: kim@example.org";
    expect(await recipientsOf(notice(report("<ann@example.net>: no such user"), toSelf))).toEqual(["ann@example.net"]);
    expect(await recipientsOf(notice(report(""), toSelf))).toEqual(["kim@example.org"]);
    // A warning about the reader's own mailbox returns no message: it is no bounce.
    const warning = "From: System Administrator <admin@example.org>\nTo: kim@example.org\nSubject: Mailbox notice\n\n";
    expect(await recipientsOf(`${warning}kim@example.org: mailbox is full (98%).\n`)).toEqual([]);
  });

  it("drops the returned message's own recipients beside a failure for another address the line names", async () => {
    const report = "Delivery to lee@example.net (forwarded to ann@example.net) failed: mailbox full";
    expect(await recipientsOf(notice(report))).toEqual(["ann@example.net"]);
    expect(await recipientsOf(notice("Delivery to lee@example.net failed: mailbox full"))).toEqual(["lee@example.net"]);
  });

  it("reads no further than a returned message quoted inline behind words no reader knows", async () => {
    const report = [
      "Your message could not be delivered to the following recipient:",
      "",
      "<ann@example.net>: 550 5.1.1 user unknown",
      "",
      "=== Begin of the returned message ===",
      "Return-Path: <kim@example.org>",
      "From: kim@example.org",
      "To: ann@example.net",
      "",
      "bo@example.net: your order failed to ship, call us",
    ].join("\n");
    expect(await recipientsOf(notice(report))).toEqual(["ann@example.net"]);
  });

  it("drops a role's or the sender's record any reader gives, when the mail reports another", async () => {
    const dsn = [
      "From: MAILER-DAEMON@mx.example.net",
      "To: kim@example.org",
      "Subject: Delivery Status Notification",
      "",
      "Final-Recipient: rfc822; mailer-daemon@mx.example.net",
      "Action: failed",
      "Status: 5.0.0",
      "",
      "Final-Recipient: rfc822; ann@example.net",
      "Action: failed",
      "Status: 5.1.1",
      "",
    ].join("\n");
    expect(await recipientsOf(dsn)).toEqual(["ann@example.net"]);
  });

  it("reads a bounce attached to a mail no reader knows only when a mail system wrote it", async () => {
    const forward = (from: string) =>
      [
        "From: list-bounces@lists.example.org",
        "To: list-owner@lists.example.org",
        "Subject: Uncaught bounce notification",
        'Content-Type: multipart/mixed; boundary="o"',
        "",
        "--o",
        "Content-Type: text/plain",
        "",
        "The attached message was received as a bounce.",
        "--o",
        "Content-Type: message/rfc822",
        "",
        `From: ${from}`,
        "To: list-bounces@lists.example.org",
        "Subject: Delivery failure",
        "",
        "User's mailbox is full: <ann@example.net>",
        "--o--",
        "",
      ].join("\n");
    expect(await recipientsOf(forward("postmaster@mx.example.net"))).toEqual(["ann@example.net"]);
    expect(await recipientsOf(forward("Kim <kim@example.org>"))).toEqual([]);
  });
});

describe("a mail that is no bounce", () => {
  it("gives nothing though its Subject or From looks like a bounce's", async () => {
    const mail = (from: string, subject: string, body: string) =>
      `From: ${from}\nTo: kim@example.org\nSubject: ${subject}\n\n${body}\n`;
    expect(
      await recipientsOf(
        mail("Lee <lee@example.net>", "Re: delivery failure", "ann@example.net: could not be delivered, they say"),
      ),
    ).toEqual([]);
    expect(
      await recipientsOf(mail("noreply@shop.example", "Delivery notice", "Contact us:\nhelp@shop.example\n")),
    ).toEqual([]);
    expect(
      await recipientsOf(mail("noreply@shop.example", "Your order", "Write to returns@shop.example (returns desk)")),
    ).toEqual([]);
  });
});

describe("role addresses", () => {
  it.each([
    ["mailer-daemon@mx.example.net", true],
    ["postmaster@example.net", true],
    ["owner-staff@lists.example.org", true],
    ["staff-owner@lists.example.org", true],
    ["staff-admin@lists.example.org", true],
    ["staff-request@lists.example.org", true],
    ["staff-bounces+ann=example.net@lists.example.org", true],
    ["announce-return-12-ann=example.net@lists.example.org", true],
    ["ann@example.net", false],
    ["administrator@example.net", false],
    ["owner@example.net", false],
  ])("%s: %s", (address, role) => {
    expect(isRoleAddress(address)).toBe(role);
  });
});
