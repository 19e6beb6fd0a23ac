// Mail logs read a line at a time (issue 17, log lines): hand-written logs of Postfix, Exim, Sendmail and Microsoft's
// message traces (test/fixtures/logs/), each line with the deliveries it reports — recipient, the MTA's own status,
// queue id — or none; the catalog's classification of what they say; and the contract of dsnAction and of the
// reader's memory.
import { readFileSync } from "node:fs";
import path from "node:path";
import {
  classifyLogLine,
  type LogLineResult,
  LogReader,
  MAX_RECIPIENTS,
  MAX_REMEMBERED_DEFERRALS,
} from "mailcodes-bounce";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers.ts";

const LOGS = path.join(ROOT, "test/fixtures/logs");

/** Each line of a log as a fresh LogReader reads them in order, numbered from 1 (blank lines left out). */
function readLog(file: string): Map<number, LogLineResult[] | undefined> {
  const reader = new LogReader();
  const out = new Map<number, LogLineResult[] | undefined>();
  readFileSync(path.join(LOGS, file), "utf8")
    .split("\n")
    .forEach((line, i) => {
      if (line !== "") out.set(i + 1, reader.read(line));
    });
  return out;
}

/** What the log's lines report: [line, recipient, mtaStatus, queueId] per result. */
function deliveries(
  log: Map<number, LogLineResult[] | undefined>,
): Array<[number, string | undefined, string, string | undefined]> {
  return [...log].flatMap(([n, results]) =>
    (results ?? []).map(
      (r) => [n, r.recipient, r.mtaStatus, r.queueId] as [number, string | undefined, string, string | undefined],
    ),
  );
}

/** The lines no reader knows: undefined, not [] (another program's line in the log). */
function unknown(log: Map<number, LogLineResult[] | undefined>): number[] {
  return [...log].filter(([, results]) => results === undefined).map(([n]) => n);
}

/** The result of a line that reports one delivery. */
function only(log: Map<number, LogLineResult[] | undefined>, line: number): LogLineResult {
  const results = log.get(line);
  expect(results, `line ${line}`).toHaveLength(1);
  return results![0]!;
}

describe("Postfix's log", () => {
  const log = readLog("postfix.log");
  const id = "4HbQ2X1kZ7z9sWQ";

  it("gives a result for each delivery, refusal and expiry, and nothing for its other lines", () => {
    expect(deliveries(log)).toEqual([
      [6, "kijitora@example.jp", "bounced", id],
      [7, "sabitora@example.net", "sent", id],
      [8, "mikeneko@example.com", "deferred", id],
      [11, "nobody@example.org", "bounced", undefined],
      [12, "info@example.org", "deferred", undefined],
      [14, "sales@example.org", "bounced", undefined],
      [15, "info@example.org", "bounced", "C3D4E5F6A7"],
      [16, "info@example.org", "bounced", "D4E5F6A7B8"],
      [18, "root@mx1.example.org", "sent", "9C2D33C020"],
      [19, "suzu@example.org", "bounced", "B2C3D4E5F6"],
      [22, "order@example.co.jp", "deferred", "7F3A12C01B"],
      [23, "shipping@example.co.jp", "deferred", "7F3A12C01B"],
      // The queue manager's expiry names no recipient: it is each deferred recipient's of the message.
      [24, "order@example.co.jp", "expired", "7F3A12C01B"],
      [24, "shipping@example.co.jp", "expired", "7F3A12C01B"],
    ]);
    // dovecot's and opendkim's lines are no Postfix line; connections, cleanup, warnings, a refusal at MAIL (no
    // recipient) and an address probe (status=undeliverable) are Postfix's, about no delivery.
    expect(unknown(log)).toEqual([20, 21]);
    for (const line of [1, 2, 3, 4, 5, 9, 10, 13, 17, 25, 26, 27]) expect(log.get(line), `line ${line}`).toEqual([]);
  });

  it("reads a delivery's fields: the relay, orig_to, dsn= and the reply in parentheses", () => {
    expect(only(log, 6)).toMatchObject({
      format: "postfix",
      dsnAction: "failed",
      remoteMta: "mx.example.jp",
      enhancedCode: "5.1.1",
      replyCode: 550,
      command: "RCPT",
      reason: "userunknown",
      hardBounce: true,
      action: "suppress",
      diagnostic:
        "host mx.example.jp[198.51.100.7] said: 550 5.1.1 <kijitora@example.jp>: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command)",
    });
    expect(only(log, 7)).toMatchObject({
      originalRecipient: "sabi@example.org",
      remoteMta: "mx2.example.net",
      diagnostic: "250 2.0.0 Ok: queued as 4HbQ2Y3Lm1z4xTR",
    });
    expect(only(log, 18)).toMatchObject({ originalRecipient: "root", diagnostic: "delivered to mailbox" });
    expect(only(log, 18).remoteMta).toBeUndefined(); // relay=local names no host
    expect(only(log, 19)).toMatchObject({ remoteMta: "mail.example.org", command: "DATA", reason: "mailboxfull" });
  });

  it("reads a refusal's reply, command and sender, and a 4xx refusal as deferred", () => {
    expect(only(log, 11)).toMatchObject({
      sender: "spammer@example.biz",
      command: "RCPT",
      enhancedCode: "5.1.1",
      reason: "userunknown",
      dsnAction: "failed",
    });
    expect(only(log, 11).diagnostic).toBe(
      "550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in local recipient table",
    );
    expect(only(log, 12)).toMatchObject({ replyCode: 450, dsnAction: "delayed", action: "retry", hardBounce: false });
    // postscreen writes its envelope with commas; a milter's END-OF-MESSAGE is DATA; a header check's text follows
    // the envelope.
    expect(only(log, 14)).toMatchObject({
      sender: "x@example.info",
      diagnostic: expect.stringContaining("blocked using zen.spamhaus.org"),
    });
    expect(only(log, 15)).toMatchObject({ command: "DATA", diagnostic: "5.7.1 Spam message rejected" });
    expect(only(log, 16)).toMatchObject({ diagnostic: "5.7.1 Message content rejected", reason: "spamdetected" });
    expect(only(log, 16).command).toBeUndefined();
  });

  it("gives an expiry the last deferral's text, and a message's expiry once", () => {
    expect(log.get(24)![0]).toMatchObject({
      dsnAction: "failed",
      reason: "expired",
      diagnostic: "connect to mx.example.co.jp[192.0.2.77]:25: Connection timed out",
    });
    const reader = new LogReader();
    const lines = readFileSync(path.join(LOGS, "postfix.log"), "utf8").split("\n");
    for (const line of lines.slice(21, 24)) reader.read(line);
    // Read again, the expiry finds no deferral left in mind: one result for the message, with its sender.
    expect(reader.read(lines[23]!)).toEqual([
      expect.objectContaining({ mtaStatus: "expired", queueId: "7F3A12C01B", sender: "shop@example.org" }),
    ]);
  });

  it("reads a delivery line by its form under any syslog name, and no other line of another program", () => {
    const line =
      "Nov 23 10:00:00 mx1 postfix-out/smtp[77]: 1A2B3C: to=<a@example.net>, relay=none, delay=1, dsn=4.4.1, status=deferred (connect to example.net[192.0.2.1]:25: Connection refused)";
    expect(classifyLogLine(line.replace("postfix-out/smtp", "mta-out/smtp"))).toMatchObject([
      { recipient: "a@example.net", mtaStatus: "deferred" },
    ]);
    expect(
      new LogReader().read("Nov 23 10:00:00 mx1 mta-out/smtp[77]: warning: no MX host for example.net"),
    ).toBeUndefined();
  });
});

describe("Exim's main log", () => {
  const log = readLog("exim-mainlog");

  it("gives a result for each =>, ==, ** and refused RCPT, and nothing for arrivals, completions and connections", () => {
    expect(deliveries(log)).toEqual([
      [2, "kijitora@example.jp", "bounced", "1tEj8K-000Bq2-3Z"],
      [3, "sabitora@example.net", "sent", "1tEj8K-000Bq2-3Z"],
      [4, "mikeneko@example.com", "deferred", "1tEj8K-000Bq2-3Z"],
      [5, "nobody@example.invalid", "bounced", "1tEj8K-000Bq2-3Z"],
      [7, "news@example.org", "sent", "1tEj8M-000Bq9-Ab"],
      [9, "nobody@example.org", "bounced", undefined],
      [10, "info@example.org", "deferred", undefined],
      [12, "suzu@example.org", "sent", "1tEj9A-000C01-Qw"],
      [13, "taro@example.co.jp", "bounced", "1tEjAb-00000005kXq-1cUX"],
      [14, "hanako@example.com", "deferred", "1tEjAc-00000005kXr-2dVY"],
      // Exim gives up on an address whose retry time has passed: expired.
      [16, "mikeneko@example.com", "expired", "1tEj8K-000Bq2-3Z"],
    ]);
    // Once the log has shown itself Exim's, its lines without a message id are Exim's too.
    expect(unknown(log)).toEqual([]);
    for (const line of [1, 6, 8, 11, 15, 17]) expect(log.get(line), `line ${line}`).toEqual([]);
    expect(new LogReader().read("2024-11-23 10:02:00 SMTP connection from [192.0.2.25]:50123")).toBeUndefined();
  });

  it("reads the error after the fields, the host and the confirmation", () => {
    expect(only(log, 2)).toMatchObject({
      format: "exim",
      remoteMta: "mx.example.jp",
      command: "RCPT",
      enhancedCode: "5.1.1",
      reason: "userunknown",
      diagnostic: expect.stringMatching(
        /^SMTP error from remote mail server after RCPT TO:<kijitora@example\.jp>: 550 5\.1\.1 /,
      ),
    });
    expect(only(log, 3)).toMatchObject({
      diagnostic: "250 2.0.0 Ok: queued as 4HbQ2Y3Lm1z4xTR",
      reason: "delivered",
      action: "none",
    });
    expect(only(log, 5)).toMatchObject({ diagnostic: "Unrouteable address", reason: "hostunknown" });
    expect(only(log, 9)).toMatchObject({
      sender: "spammer@example.biz",
      command: "RCPT",
      diagnostic: "Unrouteable address",
    });
    expect(only(log, 13)).toMatchObject({ command: "DATA", reason: "spamdetected" });
    expect(only(log, 16)).toMatchObject({
      diagnostic: "retry timeout exceeded",
      dsnAction: "failed",
      reason: "expired",
    });
  });

  it("reads Exim's lines through syslog", () => {
    const line =
      "Nov 23 10:05:00 mx2 exim[3456]: 2024-11-23 10:05:00 1tEjBc-000D12-Kx ** hanako@example.com R=dnslookup T=remote_smtp H=mx.example.com [192.0.2.40]: SMTP error from remote mail server after RCPT TO:<hanako@example.com>: 550 5.7.1 Recipient address rejected: Access denied";
    expect(classifyLogLine(line)).toMatchObject([
      {
        recipient: "hanako@example.com",
        mtaStatus: "bounced",
        queueId: "1tEjBc-000D12-Kx",
        remoteMta: "mx.example.com",
      },
    ]);
  });
});

describe("Sendmail's log", () => {
  const log = readLog("sendmail.log");
  const id = "4ANA00Ab004211";

  it("gives a result for each recipient of a to= line and each refused RCPT, and an expiry to the deferred ones", () => {
    expect(deliveries(log)).toEqual([
      [2, "kijitora@example.jp", "bounced", id],
      [4, "sabitora@example.net", "sent", id],
      [4, "kuro@example.net", "sent", id],
      [5, "mikeneko@example.com", "deferred", id],
      [6, "nobody@example.com", "bounced", "4ANA10Cd004300"],
      [8, "root", "sent", "4ANA20Ef004301"],
      [9, "taro@example.co.jp", "bounced", "4ANA30Gh004302"],
      [10, "hanako@example.com", "deferred", "4ANA40Ij004310"],
      [11, "mikeneko@example.com", "deferred", id],
      [12, "mikeneko@example.com", "expired", id],
      [13, "news@example.org", "sent", "4ANA04Ab005000"],
    ]);
    expect(unknown(log)).toEqual([]);
    for (const line of [1, 3, 7]) expect(log.get(line), `line ${line}`).toEqual([]);
  });

  it("reads stat= as the text, dsn= as the code, and the relay's host", () => {
    expect(only(log, 2)).toMatchObject({
      format: "sendmail",
      diagnostic: "User unknown",
      enhancedCode: "5.1.1",
      remoteMta: "mx.example.jp",
      reason: "userunknown",
    });
    expect(only(log, 5)).toMatchObject({
      diagnostic: "452 4.2.2 <mikeneko@example.com>... Mailbox full",
      reason: "mailboxfull",
      dsnAction: "delayed",
    });
    expect(only(log, 6)).toMatchObject({
      command: "RCPT",
      reason: "norelaying",
      diagnostic: "550 5.7.1 <nobody@example.com>... Relaying denied",
    });
    expect(only(log, 12)).toMatchObject({ diagnostic: "Connection timed out with mx.example.com.", reason: "expired" });
  });
});

describe("Microsoft 365's and Exchange's message traces", () => {
  const trace = "3c7e1a52-9b0d-4f6e-8d21-08dd0b7e4a11";

  it("reads Get-MessageTrace's export by its header row: Failed, Delivered, Pending, FilteredAsSpam, not Expanded", () => {
    const log = readLog("messagetrace.csv");
    expect(deliveries(log)).toEqual([
      [2, "kijitora@example.jp", "bounced", trace],
      [3, "sabitora@example.net", "sent", trace],
      [4, "mikeneko@example.com", "deferred", trace],
      [6, "taro@example.co.jp", "bounced", "5d2b9c70-1e3f-4a8b-b6c4-08dd0b7f1c22"],
    ]);
    expect(log.get(1)).toEqual([]);
    expect(log.get(5)).toEqual([]);
    expect(only(log, 2)).toMatchObject({ format: "messagetrace", sender: "news@contoso.com", dsnAction: "failed" });
    expect(only(log, 6)).toMatchObject({ sender: "promo@contoso.com", reason: "spamdetected" });
    // Without its header, a row is nobody's.
    const row = readFileSync(path.join(LOGS, "messagetrace.csv"), "utf8").split("\n")[1]!;
    expect(new LogReader().read(row)).toBeUndefined();
    expect(classifyLogLine(row)).toEqual([]);
  });

  it("reads Get-MessageTraceDetail's events and their Detail, quoted cells and doubled quotes", () => {
    const log = readLog("messagetrace-detail.csv");
    expect(deliveries(log)).toEqual([
      [3, "kijitora@example.jp", "bounced", trace],
      [4, "mikeneko@example.com", "deferred", trace],
      [5, "sabitora@example.net", "sent", trace],
    ]);
    expect(log.get(2)).toEqual([]);
    expect(only(log, 3)).toMatchObject({
      enhancedCode: "5.1.1",
      reason: "userunknown",
      diagnostic: expect.stringContaining("RESOLVER.ADR.RecipientNotFound"),
    });
    expect(only(log, 4).diagnostic).toContain('responded with: "421 4.7.0 Try again later, closing connection."');
  });

  it("reads a historical search's tab-separated report and a summary report's address##events", () => {
    const extended = readLog("historical-search.tsv");
    expect(deliveries(extended)).toEqual([
      [3, "kijitora@example.jp", "bounced", "50328782"],
      [4, "sabitora@example.net", "sent", "50328782"],
    ]);
    expect(extended.get(2)).toEqual([]); // RECEIVE
    expect(only(extended, 3)).toMatchObject({ reason: "userunknown", enhancedCode: "5.1.1" });
    const summary = readLog("historical-summary.csv");
    expect(deliveries(summary)).toEqual([
      [2, "kijitora@example.jp", "bounced", trace],
      [2, "sabitora@example.net", "sent", trace],
      [2, "mikeneko@example.com", "deferred", trace],
    ]);
  });

  it("reads Exchange Server's message tracking log by its #Fields: line", () => {
    const log = readLog("exchange-tracking.log");
    expect(deliveries(log)).toEqual([
      [7, "kijitora@example.jp", "bounced", "21474836481"],
      [8, "mikeneko@example.com", "deferred", "21474836481"],
    ]);
    expect(unknown(log)).toEqual([]);
    expect(only(log, 8)).toMatchObject({ reason: "mailboxfull", dsnAction: "delayed", action: "retry" });
  });
});

describe("what every log's results promise", () => {
  const all = [
    "postfix.log",
    "exim-mainlog",
    "sendmail.log",
    "messagetrace.csv",
    "messagetrace-detail.csv",
    "historical-search.tsv",
    "historical-summary.csv",
    "exchange-tracking.log",
  ].flatMap((file) => [...readLog(file).values()].flatMap((r) => r ?? []));

  it("a delivery is delivered and asks nothing; a deferral is delayed, retried and never hard; a failure is failed", () => {
    expect(all.length).toBeGreaterThan(40);
    for (const r of all) {
      if (r.mtaStatus === "sent")
        expect(r).toMatchObject({ dsnAction: "delivered", reason: "delivered", action: "none", hardBounce: false });
      if (r.mtaStatus === "deferred")
        expect(r).toMatchObject({ dsnAction: "delayed", action: "retry", hardBounce: false });
      if (r.mtaStatus === "bounced" || r.mtaStatus === "expired") expect(r.dsnAction).toBe("failed");
      expect(r.recipient).toBe(r.recipient?.toLowerCase());
    }
  });

  it("gives an expiry that names no recipient alone its queue id and sender, and a line of no log nothing", () => {
    expect(
      classifyLogLine(
        "Nov 23 11:15:00 mx1 postfix/qmgr[1022]: 7F3A12C01B: from=<shop@example.org>, status=expired, returned to sender",
      ),
    ).toMatchObject([
      {
        mtaStatus: "expired",
        dsnAction: "failed",
        reason: "expired",
        queueId: "7F3A12C01B",
        sender: "shop@example.org",
      },
    ]);
    expect(classifyLogLine("550 5.1.1 <a@example.net>: Recipient address rejected")).toEqual([]);
    expect(classifyLogLine("")).toEqual([]);
    expect(classifyLogLine(42 as unknown as string)).toEqual([]);
  });

  it("gives at most MAX_RECIPIENTS results for a line", () => {
    const to = Array.from({ length: MAX_RECIPIENTS + 5 }, (_, i) => `<u${i}@example.net>`).join(",");
    const results = classifyLogLine(
      `Nov 23 10:00:00 mail sendmail[1]: 4ANA00Ab004211: to=${to}, delay=00:00:01, mailer=esmtp, dsn=5.1.1, stat=User unknown`,
    );
    expect(results).toHaveLength(MAX_RECIPIENTS);
    expect(results[MAX_RECIPIENTS - 1]!.recipient).toBe(`u${MAX_RECIPIENTS - 1}@example.net`);
  });

  it("keeps MAX_REMEMBERED_DEFERRALS deferred recipients in mind, forgetting the least recently deferred message first", () => {
    const reader = new LogReader();
    const deferral = (id: string, to: string) =>
      `Nov 23 10:00:00 mx postfix/smtp[1]: ${id}: to=<${to}>, relay=none, dsn=4.4.1, status=deferred`; // no text: classified at once
    const expiry = (id: string) =>
      `Nov 28 10:00:00 mx postfix/qmgr[2]: ${id}: from=<s@example.org>, status=expired, returned to sender`;
    reader.read(deferral("AAAAA1", "first@example.net"));
    reader.read(deferral("AAAAA2", "second@example.net"));
    for (let i = 0; i < MAX_REMEMBERED_DEFERRALS - 2; i++) reader.read(deferral(`B${i}`, `r${i}@example.net`));
    reader.read(deferral("AAAAA1", "first@example.net")); // deferred again: now the most recent
    reader.read(deferral("CCCCC1", "one-more@example.net"));
    expect(reader.read(expiry("AAAAA2"))!.map((r) => r.recipient)).toEqual([undefined]);
    expect(reader.read(expiry("AAAAA1"))!.map((r) => r.recipient)).toEqual(["first@example.net"]);
    // A recipient delivered or bounced in the end is no longer one its message's expiry names.
    reader.read(deferral("DDDDD1", "a@example.net"));
    reader.read(deferral("DDDDD1", "b@example.net"));
    reader.read(deferral("DDDDD1", "b@example.net").replace("status=deferred", "status=sent"));
    expect(reader.read(expiry("DDDDD1"))!.map((r) => r.recipient)).toEqual(["a@example.net"]);
  });
});
