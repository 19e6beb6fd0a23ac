// The mailcodes-bounce command: SMTP and log lines, whole mails, standard input, and its errors (issues 11 and 19).
// In process through classifyMain; through the bin (the package's dist/) where the test is about the process.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { closeSync, openSync, writeFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { classify } from "mailcodes";
import { classifyBounce, MAX_MAIL_BYTES } from "mailcodes-bounce";
import { describe, expect, it } from "vitest";
import { classifyMain, looksLikeMail } from "../packages/mailcodes-bounce/src/cli.ts";
import { ROOT, tempDir } from "./helpers.ts";

const EMAILS = path.join(ROOT, "test/fixtures/sisimai/emails");
const BIN = path.join(ROOT, "packages/mailcodes-bounce/bin/mailcodes-bounce.js");

interface Result {
  readonly code: number;
  readonly records: Record<string, unknown>[];
  readonly err: string;
}

async function classifyCli(argv: readonly string[], stdin: string | Buffer = ""): Promise<Result> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await classifyMain(argv, {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    stdin: (async function* () {
      yield Buffer.from(stdin);
    })(),
  });
  return { code, records: out.map((line) => JSON.parse(line) as Record<string, unknown>), err: err.join("\n") };
}

const GMAIL = [
  "550-5.1.1 The email account that you tried to reach does not exist. Please try",
  "550-5.1.1 double-checking the recipient's email address for typos or",
  "550 5.1.1 unnecessary spaces. Learn more at https://support.google.com/mail/?p=NoSuchUser",
].join("\n");
const POSTFIX_LOG =
  "Nov 23 10:00:00 mx postfix/smtp[1]: ABC: to=<a@example.jp>, relay=mx.example.jp[192.0.2.1]:25, dsn=5.2.2, status=bounced " +
  "(host mx.example.jp[192.0.2.1] said: 552 5.2.2 Mailbox full (in reply to RCPT TO command))";

describe("mailcodes-bounce, lines", () => {
  it("gives one JSON line per reply: continuation lines join the line that ends them, blank lines are skipped", async () => {
    const result = await classifyCli([], `${GMAIL}\n\n${POSTFIX_LOG}\r\n`);
    expect(result).toMatchObject({ code: 0, err: "" });
    expect(result.records).toHaveLength(2);
    const [gmail, postfix] = result.records;
    expect(gmail).toMatchObject({
      file: "-",
      line: 1,
      text: GMAIL,
      reason: "userunknown",
      hardBounce: true,
      action: "suppress",
      replyCode: 550,
      enhancedCode: "5.1.1",
    });
    expect(postfix).toMatchObject({
      file: "-",
      line: 5,
      text: POSTFIX_LOG,
      reason: "mailboxfull",
      hardBounce: false,
      action: "retry",
      enhancedCode: "5.2.2",
      command: "RCPT",
    });
  });

  it("prints what classify gives, with matches named by source, code and name", async () => {
    const [record] = (await classifyCli(["--lines"], GMAIL)).records;
    const expected = classify(GMAIL);
    expect(record).toMatchObject({ reason: expected.reason, evidence: JSON.parse(JSON.stringify(expected.evidence)) });
    expect(record!["matches"]).toEqual(expected.matches.map((m) => ({ source: m.source, code: m.code, name: m.name })));
    expect(record!["matches"]).toContainEqual({
      source: "gmail",
      code: "AccountDoesNotExist",
      name: "AccountDoesNotExist",
    });
  });

  it("reads DSN fields as lines, not as a mail, and ends a reply left open at the end of the input", async () => {
    const result = await classifyCli(
      [],
      "Status: 4.2.2\nDiagnostic-Code: smtp; 452-4.2.2 The recipient's inbox is out of storage space.",
    );
    expect(result.records.map((r) => [r["line"], r["enhancedCode"]])).toEqual([
      [1, "4.2.2"],
      [2, "4.2.2"],
    ]);
    expect(result.records[1]).toMatchObject({ reason: "mailboxfull", hardBounce: false });
  });

  it("reads a mail log: a line per delivery with its recipient, none for the log's other lines, replies still (issue 17)", async () => {
    const log = await readFile(path.join(ROOT, "test/fixtures/logs/postfix.log"), "utf8");
    const result = await classifyCli([], `${log}550-5.1.1 No such user\n550 5.1.1 here\n`);
    expect(result).toMatchObject({ code: 0, err: "" });
    // Connections, cleanup, warnings, dovecot's and opendkim's lines give nothing; the expiry on line 24 gives both of
    // its message's deferred recipients; the reply after the log is classified as a reply.
    expect(result.records.map((r) => [r["line"], r["recipient"], r["mtaStatus"]])).toEqual([
      [6, "kijitora@example.jp", "bounced"],
      [7, "sabitora@example.net", "sent"],
      [8, "mikeneko@example.com", "deferred"],
      [11, "nobody@example.org", "bounced"],
      [12, "info@example.org", "deferred"],
      [14, "sales@example.org", "bounced"],
      [15, "info@example.org", "bounced"],
      [16, "info@example.org", "bounced"],
      [18, "root@mx1.example.org", "sent"],
      [19, "suzu@example.org", "bounced"],
      [22, "order@example.co.jp", "deferred"],
      [23, "shipping@example.co.jp", "deferred"],
      [24, "order@example.co.jp", "expired"],
      [24, "shipping@example.co.jp", "expired"],
      [28, undefined, undefined],
    ]);
    const line6 = log.split("\n")[5];
    expect(result.records[0]).toEqual(
      expect.objectContaining({
        file: "-",
        recipient: "kijitora@example.jp",
        reason: "userunknown",
        hardBounce: true,
        format: "postfix",
        dsnAction: "failed",
        queueId: "4HbQ2X1kZ7z9sWQ",
        remoteMta: "mx.example.jp",
        text: line6,
      }),
    );
    expect(result.records[2]).toMatchObject({ dsnAction: "delayed", action: "retry", hardBounce: false });
    expect(result.records[1]).toMatchObject({ reason: "delivered", action: "none", dsnAction: "delivered" });
    expect(result.records[14]).toMatchObject({ text: "550-5.1.1 No such user\n550 5.1.1 here", reason: "userunknown" });
  });

  it("reads a message trace by its header row, from a file", async () => {
    const file = path.join(ROOT, "test/fixtures/logs/messagetrace.csv");
    const result = await classifyCli([file]);
    expect(result.records.map((r) => [r["line"], r["recipient"], r["mtaStatus"], r["format"]])).toEqual([
      [2, "kijitora@example.jp", "bounced", "messagetrace"],
      [3, "sabitora@example.net", "sent", "messagetrace"],
      [4, "mikeneko@example.com", "deferred", "messagetrace"],
      [6, "taro@example.co.jp", "bounced", "messagetrace"],
    ]);
  });
});

describe("mailcodes-bounce, mails", () => {
  it("gives one line per bounced recipient of an .eml file, as classifyBounce reads it", async () => {
    const file = path.join(EMAILS, "lhost-exim-01.eml");
    const result = await classifyCli([file]);
    const expected = await classifyBounce(await readFile(file));
    expect(result.code).toBe(0);
    expect(result.records.map((r) => [r["recipient"], r["reason"], r["enhancedCode"], r["format"]])).toEqual(
      expected.map((r) => [r.recipient, r.reason, r.enhancedCode, r.format]),
    );
    // Sisimai's label for this mail.
    expect(result.records[0]).toMatchObject({
      file,
      reason: "blocked",
      hardBounce: false,
      enhancedCode: "5.7.0",
      replyCode: 550,
    });
  });

  it("knows a mail on standard input, or in a file of any name, by its header block", async () => {
    const raw = await readFile(path.join(EMAILS, "lhost-sendmail-01.eml"), "utf8");
    expect(looksLikeMail(Buffer.from(raw))).toBe(true);
    const fromStdin = await classifyCli([], raw);
    expect(fromStdin.records).toHaveLength(1);
    expect(fromStdin.records[0]).toMatchObject({
      file: "-",
      reason: "userunknown",
      hardBounce: true,
      enhancedCode: "5.1.1",
    });
    const renamed = path.join(await tempDir(), "bounce.txt");
    await writeFile(renamed, raw);
    expect((await classifyCli([renamed])).records[0]).toMatchObject({ file: renamed, reason: "userunknown" });
  });

  it("says so on stderr when a mail reports no bounce, and still exits 0", async () => {
    const result = await classifyCli(
      ["--mail"],
      "From: a@example.com\nTo: b@example.com\nSubject: hello\n\nJust a note.\n",
    );
    expect(result).toMatchObject({ code: 0, records: [] });
    expect(result.err).toBe("mailcodes-bounce: standard input: no bounced recipient found in the mail");
  });
});

describe("mailcodes-bounce, limits and forms", () => {
  it("reads an mbox: one line per recipient of each mail, numbered by mail", async () => {
    const from = "From MAILER-DAEMON Thu Jan  1 00:00:00 2026\n";
    const mails = ["lhost-exim-01.eml", "lhost-postfix-13.eml"];
    const texts = await Promise.all(mails.map((m) => readFile(path.join(EMAILS, m), "utf8")));
    const mbox = path.join(await tempDir(), "bounces.mbox");
    await writeFile(mbox, texts.map((t) => from + t + (t.endsWith("\n") ? "" : "\n")).join("\n"));
    const result = await classifyCli([mbox]);
    const expected = await Promise.all(texts.map((t) => classifyBounce(t)));
    expect(result.code).toBe(0);
    expect(result.records.map((r) => [r["mail"], r["recipient"], r["reason"]])).toEqual(
      expected.flatMap((rs, i) => rs.map((r) => [i + 1, r.recipient, r.reason])),
    );
    expect(result.records).toHaveLength(3);
  });

  it("cuts a line at 1 MiB and a reply at 1,000 lines, saying so, and reads on", async () => {
    const long = `550 5.1.1 ${"x".repeat(2 * 1024 * 1024)}\n${POSTFIX_LOG}\n`;
    const result = await classifyCli(["--lines"], long);
    expect(result.records.map((r) => [r["line"], r["enhancedCode"], (r["text"] as string).length])).toEqual([
      [1, "5.1.1", 1024 * 1024],
      [2, "5.2.2", POSTFIX_LOG.length],
    ]);
    expect(result.err).toBe("mailcodes-bounce: standard input: line 1 is longer than 1 MiB; its first 1 MiB were read");
    const continued = await classifyCli(["--lines"], "550-5.1.1 more\n".repeat(2500) + "550 5.1.1 end\n");
    expect(continued.records.map((r) => r["line"])).toEqual([1, 1001, 2001]);
    // Said on stderr (issue 19.9); a reply of exactly 1,000 lines is not cut.
    expect(continued.err.split("\n")).toEqual([
      "mailcodes-bounce: standard input: the reply at line 1 is longer than 1,000 lines; from line 1001 on it is classified as a reply of its own",
      "mailcodes-bounce: standard input: the reply at line 1001 is longer than 1,000 lines; from line 2001 on it is classified as a reply of its own",
    ]);
    const whole = await classifyCli(["--lines"], "550-5.1.1 more\n".repeat(999) + "550 5.1.1 end\n");
    expect(whole).toMatchObject({ err: "", records: [{ line: 1 }] });
  });

  it("counts a line's text against 1 MiB, not its line end (issue 19.10)", async () => {
    // A line of exactly 1 MiB is whole, whatever its line end; one byte more is cut.
    for (const end of ["\n", "\r\n", ""]) {
      const exact = await classifyCli(["--lines"], `550 5.1.1 ${"x".repeat(1024 * 1024 - 10)}${end}`);
      expect({ err: exact.err, length: (exact.records[0]!["text"] as string).length }).toEqual({
        err: "",
        length: 1024 * 1024,
      });
    }
    const over = await classifyCli(["--lines"], `550 5.1.1 ${"x".repeat(1024 * 1024 - 9)}\r\n`);
    expect(over.err).toBe("mailcodes-bounce: standard input: line 1 is longer than 1 MiB; its first 1 MiB were read");
    expect((over.records[0]!["text"] as string).length).toBe(1024 * 1024);
  });

  it("cuts a mail past 8 MiB where classifyBounce cuts it: a last line ending at the limit is read (issue 19.7)", async () => {
    const head = "From: MAILER-DAEMON@example.net\nSubject: failure notice\n\n";
    const last = "nobody@example.org: 550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown\n";
    // `over` bytes past the limit: 1 is the last line's line break alone, 2 its last character too.
    for (const over of [1, 2]) {
      const room = MAX_MAIL_BYTES + over - head.length - last.length - 1;
      const padding = `${"x".repeat(65_535)}\n`.repeat(Math.floor(room / 65_536)) + `${"y".repeat(room % 65_536)}\n`;
      const mail = Buffer.from(head + padding + last);
      expect(mail.length).toBe(MAX_MAIL_BYTES + over);
      const expected = await classifyBounce(mail);
      const result = await classifyCli(["--mail"], mail);
      expect(result.records.map((r) => [r["recipient"], r["reason"]])).toEqual(
        expected.map((r) => [r.recipient, r.reason]),
      );
      expect(result.err.split("\n")[0]).toBe(
        "mailcodes-bounce: standard input: more than 8 MiB; its first 8 MiB were read",
      );
      if (over === 1) expect(expected.map((r) => r.recipient)).toEqual(["nobody@example.org"]);
    }
  });

  it("reads a mail no further than classifyBounce looks (issue 19.8)", async () => {
    // A bounce in its first lines, then 256 MiB of NULs as a sparse file reads (one line that never ends): the
    // command must stop pulling soon after 8 MiB.
    const bounce =
      "From: MAILER-DAEMON@example.net\nSubject: failure notice\n\nnobody@example.org: 550 5.1.1 User unknown\n";
    const chunk = Buffer.alloc(65_536);
    let pulled = 0;
    const stdin = (async function* () {
      yield Buffer.from(bounce);
      for (let i = 0; i < 4096; i++) {
        pulled += chunk.length;
        yield chunk;
      }
    })();
    const out: string[] = [];
    const code = await classifyMain(["--mail"], { out: (t) => out.push(t), err: () => undefined, stdin });
    expect(code).toBe(0);
    expect(out.map((line) => JSON.parse(line).recipient)).toEqual(["nobody@example.org"]);
    expect(pulled).toBeLessThanOrEqual(MAX_MAIL_BYTES + 4 * chunk.length);
  });

  it("reads a named pipe as cat does (process substitution)", async () => {
    const fifo = path.join(await tempDir(), "replies");
    execFileSync("mkfifo", [fifo]);
    const writer = writeFile(fifo, `${POSTFIX_LOG}\n`);
    const result = await classifyCli([fifo]);
    await writer;
    expect(result).toMatchObject({ code: 0, err: "" });
    expect(result.records[0]).toMatchObject({ file: fifo, line: 1, reason: "mailboxfull" });
  });
});

describe("mailcodes-bounce, errors", () => {
  it("names each input it cannot read, classifies the others, and exits 2", async () => {
    const dir = await tempDir();
    const log = path.join(dir, "bounces.log");
    await writeFile(log, `${POSTFIX_LOG}\n`);
    const result = await classifyCli([path.join(dir, "missing.eml"), dir, log]);
    expect(result.code).toBe(2);
    expect(result.records).toHaveLength(1);
    expect(result.records[0]).toMatchObject({ file: log, line: 1, reason: "mailboxfull" });
    expect(result.err.split("\n")).toEqual([
      `mailcodes-bounce: ${path.join(dir, "missing.eml")}: no such file`,
      `mailcodes-bounce: ${dir}: a directory, not a file`,
    ]);
  });

  it("names itself in its help, through the package's bin", () => {
    const help = execFileSync(process.execPath, [BIN, "--help"], { encoding: "utf8" });
    expect(help.split("\n")[0]).toBe("Usage: mailcodes-bounce [--mail | --lines] [FILE…]");
  });

  it("says why standard input cannot be read, and exits 2 (issue 19.11)", async () => {
    const dir = await tempDir();
    const stdin = openSync(dir, "r");
    try {
      const run = spawnSync(process.execPath, [BIN], { stdio: [stdin, "pipe", "pipe"], encoding: "utf8" });
      expect({ status: run.status, out: run.stdout, err: run.stderr }).toEqual({
        status: 2,
        out: "",
        err: "mailcodes-bounce: standard input: a directory, not a file\n",
      });
    } finally {
      closeSync(stdin);
    }
  });

  it("reads a file whose name is not UTF-8 by the bytes it was given (issue 19.12)", async () => {
    const dir = await tempDir();
    const name = Buffer.concat([
      Buffer.from(path.join(dir, "bounces-")),
      Buffer.from([0xff, 0xe9]),
      Buffer.from(".log"),
    ]);
    writeFileSync(name, `${POSTFIX_LOG}\n`);
    // A shell passes the bytes as they are (Node's own spawn would encode a string as UTF-8).
    const run = spawnSync(
      "/bin/sh",
      ["-c", `exec "$0" "$1" "$(printf '%s\\377\\351.log' "$2")"`, process.execPath, BIN, path.join(dir, "bounces-")],
      { encoding: "utf8" },
    );
    expect({ status: run.status, err: run.stderr }).toEqual({ status: 0, err: "" });
    expect(JSON.parse(run.stdout)).toMatchObject({
      file: `${path.join(dir, "bounces-")}\\xff\\xe9.log`,
      line: 1,
      reason: "mailboxfull",
    });
  });

  it("says in one line that its output cannot be written, and exits 2, never with a stack trace (issue 19.13)", () => {
    const full = openSync("/dev/full", "w");
    try {
      const run = spawnSync(process.execPath, [BIN], {
        input: `${POSTFIX_LOG}\n`,
        stdio: ["pipe", full, "pipe"],
        encoding: "utf8",
      });
      expect({ status: run.status, err: run.stderr }).toEqual({
        status: 2,
        err: "mailcodes-bounce: cannot write to standard output: ENOSPC: no space left on device, write\n",
      });
    } finally {
      closeSync(full);
    }
  });

  it.each([
    [["--mail", "--lines"], "mailcodes-bounce: --mail and --lines exclude each other; see mailcodes-bounce --help"],
    [["--bogus"], "mailcodes-bounce: unknown option --bogus; see mailcodes-bounce --help"],
  ])("refuses %j with one line and exit 2", async (argv, message) => {
    expect(await classifyCli(argv)).toEqual({ code: 2, records: [], err: message });
  });

  it.each([
    ["stops quietly, exit 0, when the reader of its output goes away (| head)", [], 0, ""],
    [
      "keeps exit 2 for an input it could not read before its reader went away",
      ["/no/such/file.eml"],
      2,
      "mailcodes-bounce: /no/such/file.eml: no such file\n",
    ],
  ])("%s", async (_title, before, code, stderr) => {
    const log = path.join(await tempDir(), "big.log");
    await writeFile(log, `${POSTFIX_LOG}\n`.repeat(20_000));
    const child = spawn(process.execPath, [BIN, ...before, log], { stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    const first = await new Promise<string>((resolve) =>
      child.stdout.once("data", (chunk: Buffer) => resolve(chunk.toString())),
    );
    child.stdout.destroy();
    const exit = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(JSON.parse(first.split("\n")[0]!)).toMatchObject({ line: 1, reason: "mailboxfull" });
    expect({ exit, err }).toEqual({ exit: code, err: stderr });
  });
});
