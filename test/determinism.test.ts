// The same specs give byte-identical output: whatever order the specs are read in, whatever the locale and time
// zone of the process, and whatever line endings or byte order mark the spec files are saved with.
import { execFile } from "node:child_process";
import { cp, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { existingDocuments, loadSpecs } from "../generator/src/load.ts";
import { checkAndModel } from "../generator/src/pipeline.ts";
import { emitFiles, REGISTRY_DIR, REGISTRY_SPECS, ROOT, run, SPEC_DIR, tempDir } from "./helpers.ts";

const exec = promisify(execFile);
const CLI = path.join(ROOT, "generator/bin/mailcodes.js");

/**
 * Extra specs next to the real ones. Their file names sort differently by code point than by a locale's collation
 * ("A" < "a-b" < "aa" < "i" < "ı", where Turkish puts ı before i), their ids and names hold letters Turkish case mapping treats differently
 * (i/I/ı/İ), their numbers would be written differently by toLocaleString, and their texts use every multi-line
 * YAML form, so that line endings matter if anything does.
 */
const EXTRA_SPECS: Record<string, string> = {
  "A.yaml": spec("title-i", "Title I", "integer", [
    '      - { code: 1234567, name: istanbul, texts: { text: "İstanbul ıi Iİ" }, attributes: { weight: 1234567.5 }, outcome: failure, outcomeBasis: document }',
    '      - { code: -1, name: Iris, texts: { text: "IRIS iris" }, attributes: { weight: 0.000001 }, outcome: success, outcomeBasis: document }',
  ]),
  "a-b.yaml": spec("i-code", "I Code", "alphanumeric", [
    '      - { code: i-1, name: lower i, texts: { text: "i" }, attributes: { weight: 1e21 }, outcome: failure, outcomeBasis: document }',
    '      - { code: I-2, name: Upper I, texts: { text: "I" }, attributes: { weight: -0.5 }, outcome: failure, outcomeBasis: document }',
  ]),
  "aa.yaml": [
    "source: { file: sources/multiline.txt, title: Multi-line, publisher: P, language: en }",
    "codeSets:",
    "  - id: multi-line",
    "    name: Multi Line",
    "    table: t",
    "    description: >-",
    "      Folded over",
    "      two lines,",
    "",
    "      and a paragraph.",
    "    codeFormat: pattern",
    "    columns:",
    "      - { key: text, heading: Text, language: en, description: Text. }",
    "    entries:",
    "      - code: 2XX",
    "        name: literal",
    "        texts:",
    "          text: |",
    "            Line one",
    "              indented two",
    "",
    "            after a blank line",
    "        outcome: success",
    "        outcomeBasis: document",
    "      - code: 4XX",
    "        name: double quoted",
    '        texts: { text: "a double-quoted scalar',
    "          folded over lines,",
    "",
    "          with an escaped \\",
    '          line break and a trailing space " }',
    "        outcome: transient",
    "        outcomeBasis: document",
    "      - code: 5XX",
    "        name: plain",
    "        texts:",
    "          text: a plain scalar",
    "            over two lines",
    "        outcome: permanent",
    "        outcomeBasis: document",
    "",
  ].join("\n"),
  "i.yaml": spec("dotted", "Dotted", "none", [
    '      - { name: dotted i, texts: { text: "İi" }, outcome: failure, outcomeBasis: document }',
  ]),
  "ı.yaml": spec("dotless", "Dotless", "none", [
    '      - { name: dotless i, texts: { text: "ıI" }, outcome: failure, outcomeBasis: document }',
  ]),
};

function spec(id: string, name: string, codeFormat: string, entries: string[]): string {
  return [
    `source: { file: sources/${id}.txt, title: ${name}, publisher: P, language: tr }`,
    "codeSets:",
    `  - id: ${id}`,
    `    name: ${name}`,
    "    table: t",
    "    description: d",
    `    codeFormat: ${codeFormat}`,
    "    columns:",
    "      - { key: text, heading: Metin, language: tr, description: Text. }",
    ...(codeFormat === "none"
      ? []
      : ["    attributes:", "      - { key: weight, type: number, description: A number. }"]),
    "    entries:",
    ...entries,
    "",
  ].join("\n");
}

/** The real specs, and the standard registries (copied beside them, so that they too are read every way). */
const SPEC_FILES = async () => [
  ...(await readdir(SPEC_DIR)).filter((n) => n.endsWith(".yaml")).map((n) => path.join(SPEC_DIR, n)),
  ...REGISTRY_SPECS.map((n) => path.join(REGISTRY_DIR, n)),
];

/** Real specs (and the extras) written into `dir` in the given order of names. */
async function writeSpecs(
  dir: string,
  order: "forward" | "reverse",
  transform: (text: string, index: number) => string | Buffer = (t) => t,
): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const texts = new Map<string, string>();
  for (const file of await SPEC_FILES()) texts.set(path.basename(file), await readFile(file, "utf8"));
  for (const [name, text] of Object.entries(EXTRA_SPECS)) texts.set(name, text);
  const names = [...texts.keys()].sort();
  for (const name of order === "forward" ? names : names.reverse())
    await writeFile(path.join(dir, name), transform(texts.get(name)!, names.indexOf(name)));
  for (const folder of ["sources", "reasons"])
    await cp(path.join(SPEC_DIR, folder), path.join(dir, folder), { recursive: true });
  await cp(path.join(REGISTRY_DIR, "reference"), path.join(dir, "reference"), { recursive: true });
  // The extras' documents: named by their specs, so they must exist.
  for (const text of Object.values(EXTRA_SPECS))
    await writeFile(path.join(dir, /file: (sources\/[^,]+),/.exec(text)![1]!), "");
}

/** Every file of a dir, by name. */
async function filesOf(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const name of (await readdir(dir)).sort()) files.set(name, await readFile(path.join(dir, name)));
  return files;
}

function expectSameFiles(actual: Map<string, Buffer>, expected: Map<string, Buffer>, label: string): void {
  expect([...actual.keys()], label).toEqual([...expected.keys()]);
  for (const [name, bytes] of expected) {
    const got = actual.get(name)!;
    if (!got.equals(bytes)) expect(got.toString("utf8"), `${label}: ${name}`).toBe(bytes.toString("utf8")); // a readable diff
    expect(got.equals(bytes), `${label}: ${name} byte for byte`).toBe(true);
  }
}

// The specs (with the extras) written in name order, and what the CLI generates from them: every test below
// generates them again another way, into the same spec dir (generated headers name the spec files), and must give
// these bytes.
let root: string;
let dir: string;
let expected: Map<string, Buffer>;
beforeAll(async () => {
  root = await tempDir(true);
  dir = path.join(root, "spec");
  await writeSpecs(dir, "forward");
  expect(await run("generate", "--spec-dir", dir, "--out-dir", path.join(root, "expected"))).toMatchObject({
    code: 0,
    err: "",
  });
  expected = await filesOf(path.join(root, "expected"));
  expect(expected.size).toBeGreaterThan(5);
});

describe("deterministic output", () => {
  it("gives the same bytes whatever order the loaded specs are validated in", async () => {
    await writeSpecs(dir, "forward");
    const { specs, diagnostics } = await loadSpecs(dir);
    expect(diagnostics).toEqual([]);
    const documents = await existingDocuments(dir, specs);
    const interleave = [...specs.filter((_, i) => i % 2 === 1), ...specs.filter((_, i) => i % 2 === 0)];
    for (const [label, order] of [
      ["reversed", [...specs].reverse()],
      ["odd then even", interleave],
    ] as const) {
      const result = checkAndModel([...order], documents, dir);
      expect(result.diagnostics, label).toEqual([]);
      const files = new Map((await emitFiles(result.catalog!)).map((f) => [f.path, Buffer.from(f.text)]));
      expectSameFiles(files, expected, label);
    }
  });

  it("gives the same bytes when the spec files were written to the spec dir in reverse order", async () => {
    await writeSpecs(dir, "reverse");
    expect(await run("generate", "--spec-dir", dir, "--out-dir", path.join(root, "reverse"))).toMatchObject({
      code: 0,
      err: "",
    });
    expectSameFiles(await filesOf(path.join(root, "reverse")), expected, "reverse write order");
  });

  it("gives the same bytes under another locale and time zone (tr_TR, Pacific/Chatham and C, UTC)", async () => {
    await writeSpecs(dir, "forward");
    const generateWith = async (out: string, env: Record<string, string>) => {
      const { LANG: _lang, LC_ALL: _all, LC_COLLATE: _collate, LC_CTYPE: _ctype, TZ: _tz, ...rest } = process.env;
      const child = await exec(
        process.execPath,
        [CLI, "generate", "--spec-dir", dir, "--out-dir", path.join(root, out)],
        { cwd: ROOT, env: { ...rest, ...env } },
      );
      expect(child.stderr).toBe("");
      return filesOf(path.join(root, out));
    };
    const [turkish, posix] = await Promise.all([
      generateWith("tr", { LANG: "tr_TR.UTF-8", LC_ALL: "tr_TR.UTF-8", TZ: "Pacific/Chatham" }),
      generateWith("c", { LANG: "C", LC_ALL: "C", TZ: "UTC" }),
    ]);
    expectSameFiles(turkish, expected, "tr_TR / Pacific/Chatham");
    expectSameFiles(posix, expected, "C / UTC");
  });

  it("gives the same bytes from specs saved with CRLF line endings, a UTF-8 byte order mark, or both", async () => {
    const crlf = (text: string) => text.replace(/\n/g, "\r\n");
    const bom = (text: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")]);
    // One generate: the spec files take the three forms in turn (the multi-line extra, aa.yaml, gets CRLF).
    const forms = [crlf, bom, (text: string) => bom(crlf(text))];
    await writeSpecs(dir, "forward", (text, index) => forms[index % forms.length]!(text));
    expect(await readFile(path.join(dir, "aa.yaml"), "utf8")).toContain("a double-quoted scalar\r\n");
    expect(await run("generate", "--spec-dir", dir, "--out-dir", path.join(root, "crlf-bom"))).toMatchObject({
      code: 0,
      err: "",
    });
    expectSameFiles(await filesOf(path.join(root, "crlf-bom")), expected, "CRLF, BOM, both");
    // The multi-line texts really are multi-line, with LF only.
    const multi = expected.get("multi-line.ts")!.toString("utf8");
    expect(multi).toContain('"Line one\\n  indented two\\n\\nafter a blank line\\n"');
    expect(multi).not.toContain("\\r");
    expect(multi).not.toContain("\r");
  });
});
