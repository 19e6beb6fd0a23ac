// The `mailcodes-bounce` command: bounce text in, one JSON line per result out, for people piping logs. SMTP replies
// (one per line, `550-` continuation lines joined to their last line) go to the catalog's classify; whole mails (.eml
// files, input that starts with a mail's header block, or an mbox of them) go to classifyBounce, one line per
// recipient. The catalog and the mail reader are loaded when first needed: a run over lines never loads the MIME parser.
import { once } from "node:events";
import { fstatSync, readFileSync } from "node:fs";
import { open, stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { parseArgs } from "node:util";
import type { BounceClassification } from "mailcodes";
import type { BounceResult } from "./index.js";
import { MAX_MAIL_BYTES } from "./limits.js";
import type { LogLineResult, LogReader } from "./log-line.js";

export const CLASSIFY_USAGE = `Usage: mailcodes-bounce [--mail | --lines] [FILE…]

Classifies bounces and prints one JSON line per result on stdout. FILE - (or no FILE) reads standard input.

  --lines   every line is an SMTP reply or a log line (550- continuation lines join the line that ends them)
  --mail    the input is one whole mail (a bounce, a DSN, a feedback report), or an mbox of them
            Without either, a .eml or .mbox file is mail, and so is input that starts with a mail's header block.

Each result has reason, hardBounce, action (and setup), replyCode, enhancedCode, command, provider, evidence,
matches ({source, code, name}), and where it came from: file and line, or file, mail (in an mbox) and recipient.

A line of a mail log (Postfix, Exim, Sendmail, a Microsoft 365 or Exchange message trace after its header row)
gives one result per recipient it reports a delivery for, with recipient, mtaStatus (sent, deferred, bounced,
expired), dsnAction (delivered, delayed, failed) and queueId; a line that reports none gives nothing, and so do
other programs' lines in a log, unless they are SMTP replies.

A line is read up to its first 1 MiB; a reply is classified by 1,000 lines at a time (the rest as a reply of its
own); a mail is read up to its first 8 MiB (as classifyBounce reads it). Stderr says when any of them applies.

Exit codes: 0 done; 2 bad usage, an input that could not be read (the others are still classified), or an output
that could not be written.`;

/**
 * A line of a log is classified by its first MAX_LINE_BYTES (its line end aside); a reply by MAX_REPLY_LINES lines at a
 * time.
 */
export const MAX_LINE_BYTES = 1024 * 1024;
export const MAX_REPLY_LINES = 1000;
/**
 * What classifyBounce looks at of a mail: its first MAX_MAIL_BYTES and the byte after them, which tells it whether
 * its last line is whole. The command hands it those bytes as they are and leaves the cut to it: one cut, the same
 * for a mail read from a file and one given to classifyBounce.
 */
const MAIL_BYTES_USED = MAX_MAIL_BYTES + 1;
/** How much of the input is looked at to tell a mail from lines. */
const SNIFF_BYTES = 64 * 1024;

export interface ClassifyIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Standard input (the process's own unless a test gives one). */
  readonly stdin?: AsyncIterable<Uint8Array | string>;
  /** Resolves when `out` can take more. */
  readonly drain?: () => Promise<void>;
  /** Told as soon as an input fails (the process records its exit code, in case its output is closed early). */
  readonly failed?: () => void;
}

type Mode = "auto" | "mail" | "lines";

/** A problem with one input: named on stderr, and the run goes on with the next. */
class InputError extends Error {}

/** An input as given: "-" for standard input, or a file's name (its bytes, where they are not UTF-8). */
type Input = string | Buffer;

/** The command's options, and the tokens they were read from (a file's token says where its name was given). */
function parseOptions(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    tokens: true,
    options: {
      mail: { type: "boolean", default: false },
      lines: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
}

export async function classifyMain(argv: readonly Input[], io: ClassifyIo): Promise<number> {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(argv.map((arg) => (typeof arg === "string" ? arg : arg.toString("utf8"))));
  } catch (error) {
    io.err(
      `mailcodes-bounce: ${oneLine(usageProblem(error as Error & { code?: string }))}; see mailcodes-bounce --help`,
    );
    return 2;
  }
  const { values, tokens } = parsed;
  if (values.help) {
    io.out(CLASSIFY_USAGE);
    return 0;
  }
  if (values.mail && values.lines) {
    io.err("mailcodes-bounce: --mail and --lines exclude each other; see mailcodes-bounce --help");
    return 2;
  }
  const mode: Mode = values.mail ? "mail" : values.lines ? "lines" : "auto";
  // The files as given (a name's bytes stay bytes), not as parseArgs read them.
  const files = tokens.flatMap((token) => (token.kind === "positional" ? [argv[token.index]!] : []));
  let failed = false;
  for (const input of files.length === 0 ? ["-"] : files) {
    try {
      await classifyInput(input, mode, io);
    } catch (error) {
      // One line, whatever went wrong: a stranger's input must not end in a stack trace.
      const problem =
        error instanceof InputError
          ? error.message
          : isFsError(error)
            ? fsProblem(error)
            : `could not be read: ${error instanceof Error ? error.message : String(error)}`;
      io.err(`mailcodes-bounce: ${shown(input)}: ${oneLine(problem)}`);
      failed = true;
      io.failed?.();
    }
  }
  return failed ? 2 : 0;
}

/**
 * The command as a process (the bin calls this): its output goes into a pipe at the reader's pace. A reader that goes
 * away (`| head`) ends the run quietly, with the exit code the inputs read so far earned; any other failed write (a
 * full disk, `> /dev/full`) is one line on stderr and exit 2, never a stack trace.
 */
export async function main(argv: readonly string[]): Promise<number> {
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    process.stderr.write(`mailcodes-bounce: cannot write to standard output: ${oneLine(error.message)}\n`);
    process.exit(2);
  });
  process.stderr.on("error", () => process.exit(2));
  return classifyMain(givenArguments(argv), {
    out: (text) => process.stdout.write(text + "\n"),
    err: (text) => process.stderr.write(text + "\n"),
    drain: async () => {
      if (process.stdout.writableNeedDrain) await once(process.stdout, "drain");
    },
    failed: () => (process.exitCode = 2),
  });
}

/**
 * The process's arguments, each as the bytes it was given where those are not UTF-8: Node decodes argv lossily, and a
 * file name in another encoding would name no file. Linux shows the bytes in /proc/self/cmdline (its last entries are
 * the arguments); elsewhere the decoded strings are all there is.
 */
function givenArguments(argv: readonly string[]): Input[] {
  let entries: Buffer[];
  try {
    const cmdline = readFileSync("/proc/self/cmdline");
    entries = [];
    for (let from = 0, end = cmdline.indexOf(0); end !== -1; from = end + 1, end = cmdline.indexOf(0, from)) {
      entries.push(cmdline.subarray(from, end));
    }
  } catch {
    return [...argv];
  }
  const given = entries.slice(entries.length - argv.length);
  if (given.length !== argv.length || given.some((bytes, i) => bytes.toString("utf8") !== argv[i])) return [...argv];
  return argv.map((arg, i) => (Buffer.from(arg, "utf8").equals(given[i]!) ? arg : given[i]!));
}

/** A file's name as the output gives it: as given, its bytes that are not UTF-8 written \xNN. */
function nameOf(input: Input): string {
  if (typeof input === "string") return input;
  const strict = new TextDecoder("utf-8", { fatal: true });
  const decoded = (bytes: Buffer): string | undefined => {
    try {
      return strict.decode(bytes);
    } catch {
      return undefined;
    }
  };
  let name = "";
  for (let i = 0; i < input.length; ) {
    let char: string | undefined;
    let length = 1;
    for (; length <= 4 && char === undefined; length++) char = decoded(input.subarray(i, i + length));
    name += char ?? `\\x${input[i]!.toString(16).padStart(2, "0")}`;
    i += char === undefined ? 1 : length - 1;
  }
  return name;
}

function shown(input: Input): string {
  return input === "-" ? "standard input" : oneLine(nameOf(input));
}

async function classifyInput(input: Input, mode: Mode, io: ClassifyIo): Promise<void> {
  // Looked at before it is opened: a directory cannot be read (and Node reads one given as standard input as if it
  // were empty), and a socket cannot be opened by name. Pipes are read as cat reads them
  // (`mailcodes-bounce <(zcat mail.log.gz)`).
  if (input !== "-") {
    const kind = await stat(input);
    if (kind.isDirectory()) throw new InputError("a directory, not a file");
    if (kind.isSocket()) throw new InputError("a socket, not a file");
  } else if (io.stdin === undefined && fstatSync(0).isDirectory()) {
    throw new InputError("a directory, not a file");
  }
  const handle = input === "-" ? undefined : await open(input, "r");
  const stream =
    handle !== undefined ? handle.createReadStream({ autoClose: false }) : Readable.from(io.stdin ?? process.stdin);
  try {
    const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
    const head = await sniff(chunks);
    const name = nameOf(input).toLowerCase();
    const isMail =
      mode === "mail" || (mode === "auto" && (name.endsWith(".eml") || name.endsWith(".mbox") || looksLikeMail(head)));
    if (isMail) await classifyMails(input, head, chunks, io);
    else await classifyLines(input, head, chunks, io);
  } finally {
    // What is not used is not read: a mail's bytes past what classifyBounce looks at stay where they are.
    stream.destroy();
    await handle?.close();
  }
}

/** The input's first chunks, SNIFF_BYTES or more of them (or all of it); the iterator goes on after them. */
async function sniff(chunks: AsyncIterator<Buffer | string>): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  while (size < SNIFF_BYTES) {
    const chunk = await nextChunk(chunks);
    if (chunk === undefined) break;
    parts.push(chunk);
    size += chunk.length;
  }
  return Buffer.concat(parts);
}

/**
 * Whether text starts as a mail does: an mbox From_ line or a header field, and a header block naming a field that
 * only mails carry, ended by a blank line. A log of DSN fields ("Status: 5.1.1") is not a mail.
 */
export function looksLikeMail(head: Buffer): boolean {
  const text = head.toString("latin1");
  const end = text.search(/\r?\n\r?\n/);
  if (end < 0) return false;
  const block = text.slice(0, end);
  if (!/^(From |[!-9;-~]+:)/.test(block)) return false;
  return /^(received|return-path|from|to|subject|date|message-id|mime-version|content-type|delivered-to):/im.test(
    block,
  );
}

/**
 * A mail, or an mbox of them (input that starts with a From_ line; a From_ line after a blank line starts the next).
 * Each mail is kept up to MAIL_BYTES_USED, and classifyBounce cuts it as it cuts any mail.
 */
async function classifyMails(
  input: Input,
  head: Buffer,
  chunks: AsyncIterator<Buffer | string>,
  io: ClassifyIo,
): Promise<void> {
  const { classifyBounce } = await import("./index.js");
  const mbox = head.subarray(0, 5).toString("latin1") === "From ";
  let parts: Buffer[] = [];
  let size = 0;
  let count = 0;
  let afterBlank = true;
  const classifyMail = async () => {
    count++;
    const label = `${shown(input)}${mbox ? ` (mail ${count})` : ""}`;
    if (size > MAX_MAIL_BYTES)
      io.err(
        `mailcodes-bounce: ${label}: more than ${MAX_MAIL_BYTES / 1024 / 1024} MiB; its first ${MAX_MAIL_BYTES / 1024 / 1024} MiB were read`,
      );
    const results: BounceResult[] = await classifyBounce(Buffer.concat(parts));
    [parts, size] = [[], 0];
    if (results.length === 0) io.err(`mailcodes-bounce: ${label}: no bounced recipient found in the mail`);
    for (const result of results) {
      const { recipient, originalRecipient, format, diagnostic, dsnAction, remoteMta, reportingMta } = result;
      const where = mbox ? { file: nameOf(input), mail: count } : { file: nameOf(input) };
      io.out(
        JSON.stringify({
          ...where,
          recipient,
          ...fields(result),
          originalRecipient,
          format,
          dsnAction,
          remoteMta,
          reportingMta,
          diagnostic,
        }),
      );
      await io.drain?.();
    }
  };
  for await (const line of rawLinesOf(head, chunks, MAIL_BYTES_USED)) {
    const fromLine = mbox && afterBlank && line.subarray(0, 5).toString("latin1") === "From ";
    afterBlank = line.length <= 2 && (line[0] === 10 || (line[0] === 13 && line[1] === 10));
    if (fromLine) {
      if (count > 0 || size > 0) await classifyMail();
      continue; // the separator is not part of the mail
    }
    const kept = line.subarray(0, MAIL_BYTES_USED - size);
    if (kept.length > 0) parts.push(kept);
    size += kept.length;
    if (!mbox && size === MAIL_BYTES_USED) break; // one mail: the rest is not looked at
  }
  if (size > 0 || count === 0) await classifyMail();
}

/**
 * One SMTP reply per line (`550-…` lines are continuations and join the line that ends the reply), or a mail log's
 * lines: a line of a log the package reads gives a result per delivery it reports, and nothing else. An input with
 * such a line in its head is a log, whose other programs' lines (dovecot's, opendkim's) give nothing either, unless
 * they are SMTP replies.
 */
async function classifyLines(
  input: Input,
  head: Buffer,
  chunks: AsyncIterator<Buffer | string>,
  io: ClassifyIo,
): Promise<void> {
  const { classify } = await import("mailcodes");
  const { LogReader } = await import("./log-line.js");
  const log = new LogReader();
  let inLog = holdsLogLine(head, new LogReader());
  let pending: string[] = [];
  let firstLine = 0;
  let cutReply: number | undefined; // the first line of a reply printed at MAX_REPLY_LINES with more to come
  const print = async () => {
    const text = pending.join("\n");
    pending = [];
    io.out(JSON.stringify({ file: nameOf(input), line: firstLine, ...fields(classify(text)), text }));
    await io.drain?.();
  };
  for await (const { number, line, cut } of linesOf(head, chunks)) {
    if (cut)
      io.err(
        `mailcodes-bounce: ${shown(input)}: line ${number} is longer than ${MAX_LINE_BYTES / 1024 / 1024} MiB; its first ${MAX_LINE_BYTES / 1024 / 1024} MiB were read`,
      );
    if (line.trim() === "") continue;
    const logged = log.read(line);
    if (logged !== undefined) {
      inLog = true;
      if (pending.length > 0) await print();
      cutReply = undefined;
      for (const result of logged) {
        io.out(JSON.stringify({ file: nameOf(input), line: number, ...logFields(result), text: line }));
        await io.drain?.();
      }
      continue;
    }
    if (inLog && pending.length === 0 && !/^\s*[2-5]\d\d(?:[ -]|$)/.test(line)) continue;
    if (cutReply !== undefined) {
      io.err(
        `mailcodes-bounce: ${shown(input)}: the reply at line ${cutReply} is longer than ${MAX_REPLY_LINES.toLocaleString("en")} lines; from line ${number} on it is classified as a reply of its own`,
      );
      cutReply = undefined;
    }
    if (pending.length === 0) firstLine = number;
    pending.push(line);
    // A 550- line is continued by the next, up to a limit (a log of nothing but continuation lines is still read).
    const continued = /^\s*\d{3}-/.test(line);
    if (!continued || pending.length >= MAX_REPLY_LINES) {
      if (continued) cutReply = firstLine;
      await print();
    }
  }
  if (pending.length > 0) await print();
}

/**
 * The input's lines, each with its line end, cut at `maxLine` bytes (`cut` says so). A line longer than that is given
 * as soon as `maxLine` of it are read, and the rest of it is skipped as it comes: memory stays bounded by a line
 * however long the input's lines are, and a reader that has what it needs stops before the line's end.
 */
async function* rawLinesOf(
  head: Buffer,
  chunks: AsyncIterator<Buffer | string>,
  maxLine: number,
): AsyncGenerator<Buffer & { cut?: boolean }> {
  let parts: Buffer[] = [];
  let size = 0;
  let skipping = false; // in the rest of a line given cut
  const take = (cut: boolean) => {
    const line: Buffer & { cut?: boolean } = Buffer.concat(parts);
    if (cut) line.cut = true;
    [parts, size] = [[], 0];
    return line;
  };
  for (let chunk: Buffer | undefined = head; chunk !== undefined; chunk = await nextChunk(chunks)) {
    for (let from = 0; from < chunk.length; ) {
      const lineBreak = chunk.indexOf(10, from);
      const end = lineBreak === -1 ? chunk.length : lineBreak + 1; // this chunk's piece of the line
      if (!skipping && end - from > maxLine - size) {
        parts.push(chunk.subarray(from, from + maxLine - size));
        yield take(true);
        skipping = true;
      } else if (!skipping) {
        parts.push(chunk.subarray(from, end));
        size += end - from;
        if (lineBreak !== -1) yield take(false);
      }
      if (lineBreak !== -1) skipping = false;
      from = end;
    }
  }
  if (size > 0) yield take(false);
}

/** The next chunk of the input as a Buffer (not a copy), or undefined at its end. */
async function nextChunk(chunks: AsyncIterator<Buffer | string>): Promise<Buffer | undefined> {
  const next = await chunks.next();
  if (next.done) return undefined;
  const value = next.value;
  return typeof value === "string" ? Buffer.from(value) : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

/**
 * The input's lines (LF or CRLF) as text, numbered, each read up to MAX_LINE_BYTES of text: its line end does not
 * count, so it is read with room for one (CRLF) and left out before the text is measured.
 */
async function* linesOf(
  head: Buffer,
  chunks: AsyncIterator<Buffer | string>,
): AsyncGenerator<{ number: number; line: string; cut: boolean }> {
  let number = 0;
  for await (const bytes of rawLinesOf(head, chunks, MAX_LINE_BYTES + 2)) {
    const end = bytes.length - (bytes[bytes.length - 1] === 10 ? (bytes[bytes.length - 2] === 13 ? 2 : 1) : 0);
    const cut = bytes.cut === true || end > MAX_LINE_BYTES;
    yield { number: ++number, line: bytes.toString("utf8", 0, Math.min(end, MAX_LINE_BYTES)), cut };
  }
}

/** Whether any line of the input's head is a line of a log the reader knows. */
function holdsLogLine(head: Buffer, probe: LogReader): boolean {
  const text = head.toString("utf8");
  for (let from = 0; from < text.length; ) {
    const end = text.indexOf("\n", from);
    const line = text.slice(from, end === -1 ? text.length : end).replace(/\r$/, "");
    if (line.trim() !== "" && probe.read(line) !== undefined) return true;
    if (end === -1) break;
    from = end + 1;
  }
  return false;
}

/** A log line's result as JSON: the recipient, the classification, and what the log says of the delivery. */
function logFields(r: LogLineResult): Record<string, unknown> {
  const { recipient, format, mtaStatus, dsnAction, queueId, remoteMta, originalRecipient, sender, diagnostic } = r;
  return {
    recipient,
    ...fields(r),
    format,
    mtaStatus,
    dsnAction,
    queueId,
    remoteMta,
    originalRecipient,
    sender,
    diagnostic,
  };
}

/** The classification as JSON: matches shortened to what names an entry (lookup gives the rest). */
function fields(c: BounceClassification): Record<string, unknown> {
  return {
    reason: c.reason,
    hardBounce: c.hardBounce,
    action: c.action,
    setup: c.setup,
    replyCode: c.replyCode,
    enhancedCode: c.enhancedCode,
    command: c.command,
    provider: c.provider,
    evidence: c.evidence,
    matches: c.matches.map((m) => ({ source: m.source, code: m.code, name: m.name })),
  };
}

function fsProblem(error: NodeJS.ErrnoException): string {
  if (error.code === "ENOENT") return "no such file";
  if (error.code === "EACCES") return "permission denied";
  return error.message;
}

/** A message on one line: control characters and line breaks (from a file name or an error) shown escaped. */
function oneLine(text: string): string {
  return text.replace(
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** An error from the file system (it names a system call), as opposed to a bug. */
function isFsError(error: unknown): error is NodeJS.ErrnoException {
  return (
    error instanceof Error &&
    typeof (error as NodeJS.ErrnoException).code === "string" &&
    typeof (error as NodeJS.ErrnoException).syscall === "string"
  );
}

/** node:util's parseArgs explains its errors for programmers; a user needs the option named. */
function usageProblem(error: Error & { code?: string }): string {
  const option = /'(-[^']*)'/.exec(error.message)?.[1];
  if (error.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") return `unknown option ${option ?? ""}`.trim();
  if (error.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE")
    return `option ${option ?? ""} needs a value`.replace("  ", " ");
  return error.message.split("\n")[0]!;
}
