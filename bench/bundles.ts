// Bundle sizes: what a consumer ships for one enum, one lookup, classify, and the whole index, each beside its target
// (issue 20). make bench prints this section into bench/RESULTS.md; run alone (`npx tsx bench/bundles.ts`, no build
// needed: esbuild reads the sources through tsconfig.json's paths) it rewrites only that section.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { build, type Metafile } from "esbuild";
import { ts } from "ts-morph";

const ROOT = path.resolve(import.meta.dirname, "..");
const RESULTS = path.join(ROOT, "bench/RESULTS.md");
const HEADING = "## Bundle sizes";

interface Case {
  readonly label: string;
  readonly source: string;
  /** The most minified bytes it may take, where the issue sets one. */
  readonly target?: number;
}

const CASES: readonly Case[] = [
  {
    label: "one small enum (SmpDeliveryCode)",
    source: `import { SmpDeliveryCode } from "./generated/smp-delivery-code.ts"; console.log(SmpDeliveryCode.MailboxUnavailable);`,
  },
  {
    label: "one registry enum (SmtpReplyCode, 41 rows)",
    source: `import { SmtpReplyCode } from "./generated/smtp-reply-code.ts"; console.log(SmtpReplyCode.MailboxUnavailable);`,
    target: 1200,
  },
  {
    label: "one lookup (lookupSmtpReplyCode)",
    source: `import { lookupSmtpReplyCode } from "./generated/smtp-reply-code.ts"; console.log(lookupSmtpReplyCode(550));`,
    target: 5000,
  },
  {
    label: "its entries alone (smtpReplyCodeEntries): the lookup's floor",
    source: `import { smtpReplyCodeEntries } from "./generated/smtp-reply-code.ts"; console.log(smtpReplyCodeEntries);`,
  },
  {
    label: "one parser (parseSmtpReplyCode)",
    source: `import { parseSmtpReplyCode } from "./generated/smtp-reply-code.ts"; console.log(parseSmtpReplyCode("550 x"));`,
  },
  {
    label: "classify",
    source: `import { classify } from "./generated/index.ts"; console.log(classify("550 5.1.1 user unknown"));`,
    target: 250_000,
  },
  {
    label: "the index (lookup across sets)",
    source: `import { lookup } from "./generated/index.ts"; console.log(lookup("gmail", "ServerBusy"));`,
  },
];

interface Measured {
  /** Minified, as esbuild writes it by default: non-ASCII text escaped (`\u30E1`, six bytes a character). */
  readonly bytes: number;
  /** Minified with `charset: "utf8"`, as bundlers that write UTF-8 do (three bytes a Japanese character). */
  readonly utf8: number;
  readonly gzip: number;
  /** The bytes of its string literals (default output, then UTF-8). */
  readonly strings: number;
  readonly stringsUtf8: number;
  /** Minified bytes by input file (relative to the repository). */
  readonly byInput: ReadonlyArray<readonly [string, number]>;
}

export async function measure(source: string): Promise<Measured> {
  const options = {
    stdin: { contents: source, resolveDir: ROOT, loader: "ts" },
    bundle: true,
    minify: true,
    format: "esm",
    write: false,
    platform: "neutral",
    metafile: true,
    outfile: "bundle.js",
  } as const;
  const result = await build(options);
  const utf8 = await build({ ...options, metafile: false, charset: "utf8" });
  const bytes = result.outputFiles[0]!.contents;
  const output = Object.values((result.metafile as Metafile).outputs)[0]!;
  const byInput = Object.entries(output.inputs)
    .map(([file, input]) => [file, input.bytesInOutput] as const)
    .filter(([, size]) => size > 0)
    .sort((a, b) => b[1] - a[1]);
  return {
    bytes: bytes.length,
    utf8: utf8.outputFiles[0]!.contents.length,
    gzip: gzipSync(bytes).length,
    strings: stringBytes(result.outputFiles[0]!.text),
    stringsUtf8: stringBytes(utf8.outputFiles[0]!.text),
    byInput,
  };
}

const RUNTIME = "packages/runtime/src/";

/** The runtime's modules a bundle carries ("code-set, codes"). */
export function runtimeModules(m: Measured): string {
  const names = m.byInput.filter(([file]) => file.startsWith(RUNTIME)).map(([file]) => path.basename(file, ".ts"));
  return names.length === 0 ? "none" : names.sort().join(", ");
}

/** The bytes of a bundle's string literals, quotes included: the text no printing of the rows can leave out. */
function stringBytes(bundle: string): number {
  let sum = 0;
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))
      sum += Buffer.byteLength(node.getText(file));
    else node.forEachChild(visit);
  };
  const file = ts.createSourceFile("bundle.js", bundle, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  visit(file);
  return sum;
}

const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

/** The section of bench/RESULTS.md, from its heading on. */
export async function bundleSection(): Promise<string> {
  const rows: string[][] = [];
  let classify: Measured | undefined;
  let entries: Measured | undefined;
  for (const c of CASES) {
    const m = await measure(c.source);
    if (c.label === "classify") classify = m;
    if (c.label.startsWith("its entries alone")) entries = m;
    const target =
      c.target === undefined
        ? "—"
        : `≤ ${c.target.toLocaleString("en-US")}: ${c.target >= m.bytes ? "met" : "**not met**"}`;
    rows.push([
      c.label,
      m.bytes.toLocaleString("en-US"),
      m.utf8.toLocaleString("en-US"),
      m.gzip.toLocaleString("en-US"),
      target,
      runtimeModules(m),
    ]);
  }
  const generated = classify!.byInput.filter(([file]) => file.startsWith("generated/"));
  const data = generated.reduce((sum, [, size]) => sum + size, 0);
  const runtime = classify!.byInput
    .filter(([file]) => file.startsWith(RUNTIME))
    .reduce((sum, [, size]) => sum + size, 0);
  const largest = generated
    .slice(0, 4)
    .map(([file, size]) => `${path.basename(file, ".ts")} ${kb(size)}`)
    .join(", ");
  const head = [
    "imports",
    "minified bytes",
    "minified, UTF-8 output",
    "gzip bytes",
    "target (minified)",
    "runtime modules in it",
  ];
  return `${HEADING}

A consumer file bundled and minified by esbuild (ESM, tree-shaken), from the sources (tsconfig.json's paths: the same
modules the packages ship compiled). Each runtime operation is a function of its own, so a bundle carries those it
calls: a lookup brings no text parser (find-codes, the matcher, fold). Entry rows are calls of one function a set
(\`entry("ServerBusy", "transient", …)\`), so what every row of a set shares is written once; the calls are marked pure, so
an enum alone carries no row.

| ${head.join(" | ")} |
|${head.map(() => "---").join("|")}|
${rows.map((r) => `| ${r.join(" | ")} |`).join("\n")}

- **lookupSmtpReplyCode:** the set's 41 entries alone take ${entries!.bytes.toLocaleString("en-US")} bytes minified, of which their string literals (every text, name and attribute, quotes included) are ${entries!.strings.toLocaleString("en-US")}${entries!.strings > 5000 ? ", more than the 5 kB target before any code" : ""}. The lookup adds the index (code-set, codes) and nothing else.
- **classify:** the generated entries of the sets it reads take ${kb(data)} of its ${kb(classify!.bytes)} (the runtime ${kb(runtime)}); the largest: ${largest}. A classification returns the entries it matched, so every set's rows ship whole: its string literals alone take ${kb(classify!.strings)} in esbuild's default output, which escapes every non-ASCII character in six bytes (${kb(classify!.stringsUtf8)} in UTF-8 output)${classify!.strings > 250_000 ? ", more than the 250 kB target before any code" : ""}.
`;
}

/** Replaces the bundle section of RESULTS.md (the last section) with a fresh one. */
async function rewriteResults(): Promise<void> {
  const results = readFileSync(RESULTS, "utf8");
  const at = results.indexOf(HEADING);
  const section = await bundleSection();
  writeFileSync(RESULTS, at === -1 ? `${results.trimEnd()}\n\n${section}` : results.slice(0, at) + section);
  console.log(section);
}

if (import.meta.filename === path.resolve(process.argv[1] ?? "")) await rewriteResults();
