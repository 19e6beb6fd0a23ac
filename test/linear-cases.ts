// What must take work linear in its input, and the inputs that would show it if it did not: every text reader the
// catalog exports (issue 11), classify and classifyBounce on adversarial text and mail and on bounces for many
// recipients, and a spec's YAML read and located (issue 12, hole 7). linear.test.ts counts each case's steps at a
// small scale; linear.slow.test.ts times it by CPU at the scale a user might meet.
import { readdirSync } from "node:fs";
import path from "node:path";
import { findCodes, foldText } from "mailcodes-runtime";
import { classify } from "../generated/index.ts";
import { parseSpec } from "../generator/src/load.ts";
import { locate } from "../generator/src/locate.ts";
import { classifyBounce, LogReader } from "../packages/mailcodes-bounce/src/index.ts";
import {
  ADVERSARIAL_FORMS,
  adversarialMail,
  adversarialNotice,
  adversarialText,
  MANY_RECIPIENT_FORMS,
  repeatedToSize,
  shortLinesMail,
} from "./bounce-adversarial.ts";

/** How much larger the large input is than the small one. */
export const GROWTH = 8;

export interface LinearCase {
  readonly name: string;
  /** The small scale (characters, recipients or keys) at which each tier measures: the large is GROWTH times it. */
  readonly scale: { readonly fast: number; readonly slow: number };
  /** The input made at a scale, and the call on it that is measured (each call does all of the work again). */
  readonly at: (scale: number) => () => unknown;
}

const K = 1024;
const SYNTAX = [
  "550-5.1.1 ",
  "550 ",
  "Status: 5.1.1 (",
  "Diagnostic-Code: smtp; ",
  "<a@b.example>: ",
  "#5.",
  "(#4.4.1",
  "5.7.",
  "192.0.2.",
  "\n",
  " ",
  "“",
  "'",
];

/** A reader's texts cut short (every fragment starts a match that fails late) and log syntax, in a fixed order. */
const readerInput = (texts: readonly string[], size: number) =>
  repeatedToSize(
    texts.flatMap((t) => [t.slice(0, Math.max(1, t.length - 1)), t.slice(0, Math.ceil(t.length / 2))]).concat(SYNTAX),
    size,
  );

interface Reader {
  readonly name: string;
  readonly read: (text: string) => unknown;
  /** The texts its input is made of: its own set's. */
  readonly texts: readonly string[];
}

/** Every module's `parse…` functions, with the texts of the module's entries; then the runtime's readers. */
async function readers(): Promise<Reader[]> {
  const found: Reader[] = [];
  const modules = readdirSync(path.join(import.meta.dirname, "../generated")).filter(
    (file) => file.endsWith(".ts") && file !== "index.ts",
  );
  for (const file of modules.sort()) {
    const module = (await import(`../generated/${file}`)) as Record<string, unknown>;
    const texts = Object.entries(module)
      .filter(([name, value]) => name.endsWith("Entries") && Array.isArray(value))
      .flatMap(([, entries]) =>
        (entries as { code: unknown; texts: Record<string, string | undefined> }[]).flatMap((e) => [
          String(e.code),
          ...Object.values(e.texts).filter((t): t is string => t !== undefined),
        ]),
      );
    for (const [name, value] of Object.entries(module)) {
      // A module may re-export another's function: each is measured once, where it is defined.
      if (name.startsWith("parse") && typeof value === "function" && !found.some((r) => r.read === value))
        found.push({ name: `${file}: ${name}`, read: value as Reader["read"], texts });
    }
  }
  const allTexts = found.flatMap((r) => r.texts);
  return [
    ...found,
    { name: "runtime: findCodes", read: findCodes, texts: allTexts },
    { name: "runtime: foldText", read: foldText, texts: allTexts },
    { name: "index: classify", read: classify, texts: allTexts },
  ];
}

/** Every text reader, on adversarial text made of its own texts. */
export const READERS: readonly LinearCase[] = (await readers()).map(({ name, read, texts }) => ({
  name: `${name}, on its texts cut short`,
  scale: { fast: 8 * K, slow: 128 * K },
  at: (size) => {
    const text = readerInput(texts, size);
    return () => read(text);
  },
}));

/**
 * One log line of each form the log readers know, its middle made of the syntax they search for (field markers,
 * brackets, quotes, separators) so that every search starts often and fails late; a trace's row comes after its header.
 */
const LOG_LINES: Readonly<Record<string, (size: number) => readonly string[]>> = {
  "Postfix's delivery": (size) => [
    `Nov 23 10:00:00 mx postfix/smtp[1]: 4HbQ2X1kZ7z9sWQ: to=<a@b.example>, ${repeatedToSize([", relay=mx[", ", orig_to=<", ", dsn=5.", " (", ")"], size / 2)}, status=bounced (${repeatedToSize(["said: 550 5.1.1 ", " (", ")", ", status=sent"], size / 2)})`,
  ],
  "Postfix's refusal": (size) => [
    `Nov 23 10:00:00 mx postfix/smtpd[1]: NOQUEUE: reject: RCPT from x[192.0.2.1]: ${repeatedToSize(["550 5.1.1 <a@b.example>: ", " from ", "]: ", " helo=<", ">: "], size)}; from=<s@b.example> to=<a@b.example> proto=ESMTP helo=<${repeatedToSize([" to=<", ">", ": "], size / 8)}>: 5.7.1 x`,
  ],
  "Exim's failure": (size) => [
    `2024-11-23 10:00:00 1tEj8K-000Bq2-3Z ** a@b.example ${repeatedToSize([" R=x", " H=mx [192.0.2.1]", ' C="250 ', '"', ": ", "<", " rejected RCPT <"], size)}`,
  ],
  "Sendmail's recipients": (size) => [
    `Nov 23 10:00:00 mail sendmail[1]: 4ANA00Ab004211: to=${repeatedToSize(["<a@b.example>,", "c@d.example,", "<>,", "|x,"], size)}, relay=mx. [192.0.2.1], dsn=5.1.1, stat=User unknown`,
  ],
  "a message trace's row": (size) => [
    '"RecipientAddress","Status","Detail","SenderAddress","MessageTraceId"',
    `"${repeatedToSize(["a@b.example;", "c@d.example##Receive, Fail;", '""', ";"], size)}","Failed","${repeatedToSize(['550 5.1.1 "";', '","', ";"], size / 2)}","s@b.example","x"`,
  ],
};

/** A flat spec of `n` keys, each on its line. */
const flatSpec = (n: number) =>
  "source: { file: sources/x.txt, title: T, publisher: P, language: en }\ncodeSets: []\n" +
  Array.from({ length: n }, (_, i) => `k${i}: ${i}`).join("\n") +
  "\n";

export const CASES: readonly LinearCase[] = [
  ...READERS,
  {
    name: "classify, on the bounce wording cut short",
    scale: { fast: 8 * K, slow: 128 * K },
    at: (size) => {
      const text = adversarialText(size);
      return () => classify(text);
    },
  },
  ...Object.entries(LOG_LINES).map(([form, linesOf]) => ({
    name: `LogReader, on ${form} made of its syntax`,
    scale: { fast: 8 * K, slow: 128 * K },
    at: (size: number) => {
      const lines = linesOf(size);
      return () => {
        const reader = new LogReader();
        for (const line of lines) reader.read(line);
      };
    },
  })),
  ...Object.keys(ADVERSARIAL_FORMS).map((form) => ({
    name: `classifyBounce, on adversarial mail read as ${form}'s`,
    scale: { fast: 8 * K, slow: 64 * K },
    at: (size: number) => {
      const mail = adversarialMail(size, form);
      return () => classifyBounce(mail);
    },
  })),
  {
    name: "classifyBounce, on adversarial prose read as a plain notice's",
    // Below 32 K the prose names no recipient and nothing is classified: compare sizes that both classify.
    scale: { fast: 32 * K, slow: 64 * K },
    at: (size) => {
      const mail = adversarialNotice(size);
      return () => classifyBounce(mail);
    },
  },
  ...Object.entries(MANY_RECIPIENT_FORMS).map(([form, mailOf]) => ({
    name: `classifyBounce, on a bounce for many recipients (${form})`,
    scale: { fast: 50, slow: 1000 },
    at: (recipients: number) => {
      const mail = mailOf(recipients);
      return () => classifyBounce(mail);
    },
  })),
  {
    name: "classifyBounce, on a mail of short lines (the MIME parser reads at most MAX_MAIL_LINES)",
    scale: { fast: 8 * K, slow: 128 * K },
    at: (size) => {
      const mail = shortLinesMail(size);
      return () => classifyBounce(mail);
    },
  },
  {
    name: "parseSpec, on a spec of many keys (duplicate keys are found by a set per mapping)",
    scale: { fast: 250, slow: 2500 },
    at: (keys) => {
      const bytes = Buffer.from(flatSpec(keys));
      return () => parseSpec("spec/x.yaml", bytes);
    },
  },
  {
    name: "locate, every key of a spec of many keys (positions come from an index built once per spec)",
    scale: { fast: 250, slow: 2500 },
    at: (keys) => {
      const spec = parseSpec("spec/x.yaml", Buffer.from(flatSpec(keys))).spec!;
      return () => {
        const fresh = { ...spec }; // what locate builds once per spec is built again, and counted
        for (let i = 0; i < keys; i++) locate(fresh, [`k${i}`]), locate(fresh, [], `k${i}`);
      };
    },
  },
];
