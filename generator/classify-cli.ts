// `mailcodes classify`: bounce text in, one JSON line per result out, for people piping logs. SMTP replies (one per
// line, `550-` continuation lines joined to their last line) go to the catalog's classify; whole mails (.eml files,
// or input that starts with a mail's header block) go to mailcodes-bounce's classifyBounce, one line per recipient.
import { open, stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import type { BounceClassification } from "mailcodes";
import type { BounceResult } from "mailcodes-bounce";
import { isFsError, oneLine, usageProblem } from "./diagnostics.ts";

export const CLASSIFY_USAGE = `Usage: mailcodes classify [--mail | --lines] [FILE…]

Classifies bounces and prints one JSON line per result on stdout. FILE - (or no FILE) reads standard input.

  --lines   every line is an SMTP reply or a log line (550- continuation lines join the line that ends them)
  --mail    every input is one whole mail (a bounce, a DSN, a feedback report); one result per recipient
            Without either, a .eml file is a mail, and so is input that starts with a mail's header block.

Each result has reason, hardBounce, action (and setup), replyCode, enhancedCode, command, provider, evidence,
matches ({source, code, name}), and where it came from: file and line, or file and recipient.

Exit codes: 0 done; 2 bad usage, or an input could not be read (the others are still classified).`;

/** A mail is read whole into memory; real bounces are far smaller, and this bounds what a stranger's file costs. */
export const MAX_MAIL_BYTES = 64 * 1024 * 1024;
/** How much of the input is looked at to tell a mail from lines. */
const SNIFF_BYTES = 64 * 1024;

export interface ClassifyIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Standard input (the process's own unless a test gives one). */
  readonly stdin?: AsyncIterable<Uint8Array | string>;
  /** Resolves when `out` can take more. */
  readonly drain?: () => Promise<void>;
}

type Mode = "auto" | "mail" | "lines";

export async function classifyMain(argv: readonly string[], io: ClassifyIo): Promise<number> {
  let values, positionals;
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { mail: { type: "boolean", default: false }, lines: { type: "boolean", default: false }, help: { type: "boolean", short: "h", default: false } },
    }));
  } catch (error) {
    io.err(`mailcodes classify: ${oneLine(usageProblem(error as Error & { code?: string }))}; see mailcodes classify --help`);
    return 2;
  }
  if (values.help) {
    io.out(CLASSIFY_USAGE);
    return 0;
  }
  if (values.mail && values.lines) {
    io.err("mailcodes classify: --mail and --lines exclude each other; see mailcodes classify --help");
    return 2;
  }
  const mode: Mode = values.mail ? "mail" : values.lines ? "lines" : "auto";
  const inputs = positionals.length === 0 ? ["-"] : positionals;
  const { classify } = await import("mailcodes");
  const { classifyBounce } = await import("mailcodes-bounce");
  const readers: Readers = { classify, classifyBounce };
  let failed = false;
  for (const input of inputs) {
    try {
      await classifyInput(input, mode, readers, io);
    } catch (error) {
      if (!(error instanceof InputError) && !isFsError(error)) throw error;
      io.err(`mailcodes classify: ${input === "-" ? "standard input" : oneLine(input)}: ${error instanceof InputError ? error.message : oneLine(fsProblem(error))}`);
      failed = true;
    }
  }
  return failed ? 2 : 0;
}

interface Readers {
  readonly classify: (text: string) => BounceClassification;
  readonly classifyBounce: (raw: Uint8Array) => Promise<BounceResult[]>;
}

class InputError extends Error {}

async function classifyInput(input: string, mode: Mode, readers: Readers, io: ClassifyIo): Promise<void> {
  // Looked at before it is opened: opening a FIFO would wait for a writer.
  if (input !== "-" && !(await stat(input)).isFile()) throw new InputError("not a regular file (use - for standard input)");
  const handle = input === "-" ? undefined : await open(input, "r");
  try {
    const stream = handle !== undefined ? handle.createReadStream({ autoClose: false }) : Readable.from(io.stdin ?? process.stdin);
    const { head, rest } = await sniff(stream);
    const isMail = mode === "mail" || (mode === "auto" && (input.toLowerCase().endsWith(".eml") || looksLikeMail(head)));
    if (isMail) await classifyMail(input, await readAll(head, rest), readers, io);
    else await classifyLines(input, head, rest, readers, io);
  } finally {
    await handle?.close();
  }
}

/** The first SNIFF_BYTES of the input (or all of it), and an iterator over what follows. */
async function sniff(stream: Readable): Promise<{ head: Buffer; rest: AsyncIterator<Buffer | string> }> {
  const rest = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  const parts: Buffer[] = [];
  let size = 0;
  while (size < SNIFF_BYTES) {
    const next = await rest.next();
    if (next.done) break;
    const chunk = Buffer.from(next.value);
    parts.push(chunk);
    size += chunk.length;
  }
  return { head: Buffer.concat(parts), rest };
}

async function readAll(head: Buffer, rest: AsyncIterator<Buffer | string>): Promise<Buffer> {
  const parts = [head];
  let size = head.length;
  for (let next = await rest.next(); !next.done; next = await rest.next()) {
    const chunk = Buffer.from(next.value);
    size += chunk.length;
    if (size > MAX_MAIL_BYTES) throw new InputError(`a mail larger than ${MAX_MAIL_BYTES / 1024 / 1024} MiB is not read`);
    parts.push(chunk);
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
  return /^(received|return-path|from|to|subject|date|message-id|mime-version|content-type|delivered-to):/im.test(block);
}

async function classifyMail(input: string, raw: Buffer, readers: Readers, io: ClassifyIo): Promise<void> {
  const results = await readers.classifyBounce(raw);
  if (results.length === 0) io.err(`mailcodes classify: ${input}: no bounced recipient found in the mail`);
  for (const result of results) {
    const { recipient, format, diagnostic, reportedAction, remoteMta, reportingMta } = result;
    io.out(JSON.stringify({ file: input, recipient, ...fields(result), format, reportedAction, remoteMta, reportingMta, diagnostic }));
    await io.drain?.();
  }
}

/** One SMTP reply per line; `550-…` lines are continuations and join the line that ends the reply. */
async function classifyLines(input: string, head: Buffer, rest: AsyncIterator<Buffer | string>, readers: Readers, io: ClassifyIo): Promise<void> {
  const lines = createInterface({ input: Readable.from(chain(head, rest)), crlfDelay: Infinity });
  let pending: string[] = [];
  let firstLine = 0;
  let number = 0;
  const print = async () => {
    const text = pending.join("\n");
    pending = [];
    io.out(JSON.stringify({ file: input, line: firstLine, ...fields(readers.classify(text)), text }));
    await io.drain?.();
  };
  for await (const line of lines) {
    number++;
    if (line.trim() === "") continue;
    if (pending.length === 0) firstLine = number;
    pending.push(line);
    if (!/^\s*\d{3}-/.test(line)) await print(); // a 550- line is continued by the next
  }
  if (pending.length > 0) await print();
}

async function* chain(head: Buffer, rest: AsyncIterator<Buffer | string>): AsyncGenerator<Buffer | string> {
  yield head;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
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
  if (error.code === "EISDIR") return "a directory, not a file";
  if (error.code === "EACCES") return "permission denied";
  return error.message;
}
