// The invalid-spec corpus: one broken spec per file in test/fixtures/invalid/, each run through the real CLI
// next to the real registries, with the exact diagnostics it must give, and proof that nothing was written.
import { copyFile, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { copyRegistries, ROOT, run, snapshot, tempDir, touchDocuments } from "./helpers.ts";

const FIXTURES = path.join(ROOT, "test/fixtures/invalid");
const COMMANDS = ["validate", "check", "generate"] as const;
/** The temp spec dir, as the expected diagnostics write it. */
const S = "<spec-dir>";

/** Fixtures too big to commit, written into the temp spec dir at test time. */
const GENERATED: Record<string, () => string> = {
  "deep-flow-nesting.yaml": () => "[".repeat(50_000) + "]".repeat(50_000) + "\n",
  "deep-block-nesting.yaml": () => "- ".repeat(50_000) + "x\n",
  "huge-scalar.yaml": () => `source:\n  title: ${"x".repeat(30 * 1024 * 1024)}\n`,
};

/**
 * Fixtures whose expected diagnostics are what the CLI SHOULD print, not what it prints today.
 * Their tests fail until the generator is fixed; do not "fix" them by copying the current output.
 */

/** fixture → the exact diagnostics the CLI prints for it (then comes the summary line). */
const CORPUS: Record<string, string[]> = {
  // --- bytes and YAML --------------------------------------------------------------------------------------------
  "empty.yaml": [
    `${S}/empty.yaml:1:1: file holds no YAML document; a spec is a mapping with \`source\` and \`codeSets\``,
  ],
  "comment-only.yaml": [
    `${S}/comment-only.yaml:1:1: file holds no YAML document; a spec is a mapping with \`source\` and \`codeSets\``,
  ],
  "invalid-utf8.yaml": [`${S}/invalid-utf8.yaml:10:39: invalid UTF-8 (byte 0xe9); save the file as UTF-8`],
  "nul-byte.yaml": [`${S}/nul-byte.yaml:10:23: NUL character in the file; specs are text`],
  "bom-unknown-field.yaml": [
    `${S}/bom-unknown-field.yaml:1:1: unknown property \`version\`; allowed here: source, notes, codeSets`,
  ],
  "crlf-unknown-field.yaml": [
    `${S}/crlf-unknown-field.yaml:13:5: unknown property \`tabel\`; allowed here: id, name, extends, table, description, codeFormat, defines, repeatedCodes, outcomes, columns, attributes, placeholders, notes, entries`,
  ],
  "yaml-syntax-error.yaml": [
    `${S}/yaml-syntax-error.yaml:14:5: Flow sequence in block collection must be sufficiently indented and end with a ]`,
  ],
  "tab-indentation.yaml": [`${S}/tab-indentation.yaml:15:1: Tabs are not allowed as indentation; indent with spaces`],
  "duplicate-key.yaml": [
    `${S}/duplicate-key.yaml:16:9: Map keys must be unique: this key appears twice in the same mapping`,
  ],
  "two-documents.yaml": [
    `${S}/two-documents.yaml:16:1: a second YAML document; a spec file holds exactly one (remove the \`---\` or split the file)`,
  ],
  "unknown-tag.yaml": [
    `${S}/unknown-tag.yaml:3:10: Unresolved tag: tag:yaml.org,2002:python/object/apply:os.system; specs use plain YAML values, no tags`,
  ],
  "alias-bomb.yaml": [
    `${S}/alias-bomb.yaml:3:8: alias *a is not allowed in a spec; write the value out (80 aliases in the file)`,
  ],
  "recursive-merge.yaml": [`${S}/recursive-merge.yaml:6:7: alias *a is not allowed in a spec; write the value out`],
  "deep-flow-nesting.yaml": [`${S}/deep-flow-nesting.yaml:1:65: nesting too deep; a spec may nest at most 64 levels`],
  "deep-block-nesting.yaml": [
    `${S}/deep-block-nesting.yaml:1:129: nesting too deep; a spec may nest at most 64 levels`,
  ],
  "huge-scalar.yaml": [
    `${S}/huge-scalar.yaml:1:1: file is 31457298 bytes; a spec may be at most 8388608 bytes (8 MiB)`,
  ],

  // --- schema: shape, types, unknown and missing properties -----------------------------------------------------
  "top-level-list.yaml": [
    `${S}/top-level-list.yaml:1:1: the spec must be object (got [{"source":"sources/corpus.txt"},{"codeSets":[]}])`,
  ],
  "top-level-scalar.yaml": [
    `${S}/top-level-scalar.yaml:1:1: the spec must be object (got "just a sentence, not a mapping")`,
  ],
  "code-string-in-integer-set.yaml": [
    `${S}/code-string-in-integer-set.yaml:14:15: \`code\` of item 1 of \`entries\` has the wrong form (got "42"): one of: an integer -999999999-999999999; a range of integers, as "600-699"; a list of those`,
  ],
  "outcome-number.yaml": [
    `${S}/outcome-number.yaml:15:18: \`outcome\` of item 1 of \`entries\` must be one of "success", "intermediate", "transient", "permanent", "failure" (got 5)`,
  ],
  "reply-code-string.yaml": [
    `${S}/reply-code-string.yaml:17:20: \`replyCode\` of item 1 of \`entries\` has the wrong form (got "550"): one of: an integer 100-599; a code no standard defines, as { code: 571, standard: false, note: … }; a list of those`,
  ],
  "unknown-field-top.yaml": [
    `${S}/unknown-field-top.yaml:6:1: unknown property \`version\`; allowed here: source, notes, codeSets`,
  ],
  "unknown-field-set.yaml": [
    `${S}/unknown-field-set.yaml:12:5: unknown property \`outcome\`; allowed here: id, name, extends, table, description, codeFormat, defines, repeatedCodes, outcomes, columns, attributes, placeholders, notes, entries`,
  ],
  "unknown-field-entry.yaml": [
    `${S}/unknown-field-entry.yaml:16:9: unknown property \`text\`; allowed here: code, name, texts, attributes, outcome, outcomeBasis, replyCode, enhancedCode, reason, erratum`,
  ],
  "unknown-field-column.yaml": [
    `${S}/unknown-field-column.yaml:18:9: unknown property \`width\`; allowed here: key, heading, language, description, required, ditto, inLogs`,
  ],
  "missing-source.yaml": [`${S}/missing-source.yaml:1:1: missing required property \`source\` in the spec`],
  "missing-code-sets.yaml": [`${S}/missing-code-sets.yaml:1:1: missing required property \`codeSets\` in the spec`],
  "missing-entry-name.yaml": [
    `${S}/missing-entry-name.yaml:16:9: missing required property \`name\` in item 2 of \`entries\``,
  ],
  "missing-column-heading.yaml": [
    `${S}/missing-column-heading.yaml:14:9: missing required property \`heading\` in item 1 of \`columns\``,
  ],

  // --- schema: code formats ---------------------------------------------------------------------------------------
  "smtp-reply-999.yaml": [
    `${S}/smtp-reply-999.yaml:13:15: \`code\` of item 1 of \`entries\` has the wrong form (got 999): one of: an integer 100-599; a range of reply codes, as "530-539"; a list of those`,
  ],
  "smtp-reply-42.yaml": [
    `${S}/smtp-reply-42.yaml:13:15: \`code\` of item 1 of \`entries\` has the wrong form (got 42): one of: an integer 100-599; a range of reply codes, as "530-539"; a list of those`,
  ],
  "enhanced-status-class-6.yaml": [
    `${S}/enhanced-status-class-6.yaml:13:15: \`code\` of item 1 of \`entries\` has the wrong form (got "6.1.1"): one of: an enhanced status code: class 2, 4 or 5, then subject and detail of 1-3 digits, as "5.1.1" or "4.4.316"; a range of details, as "5.7.500-699"; a list of those`,
  ],
  "alphanumeric-with-space.yaml": [
    `${S}/alphanumeric-with-space.yaml:14:15: \`code\` of item 1 of \`entries\` has the wrong form (got "RP 001"): one of: letters and digits joined by "-", "." or "_", as "RP-001" or "XGEMAIL_0011"; a list of those`,
  ],
  "code-in-none-set.yaml": [
    `${S}/code-in-none-set.yaml:15:15: \`code\` of item 2 of \`entries\` is not allowed here: codeFormat none: entries are known by name and have no code`,
  ],

  // --- rules: uniqueness and names -------------------------------------------------------------------------------
  "duplicate-code.yaml": [
    `${S}/duplicate-code.yaml:16:15: code 7 is already used at ${S}/duplicate-code.yaml:14:15; if the document lists one code on several rows, say \`repeatedCodes: true\` on the set`,
  ],
  "duplicate-name.yaml": [
    `${S}/duplicate-name.yaml:17:15: name "Rejected" becomes Rejected, already used by "Rejected" at ${S}/duplicate-name.yaml:15:15`,
  ],
  "name-collision-after-conversion.yaml": [
    `${S}/name-collision-after-conversion.yaml:17:15: name "user-unknown" becomes UserUnknown, already used by "User unknown" at ${S}/name-collision-after-conversion.yaml:15:15`,
  ],
  "set-name-object.yaml": [
    `${S}/set-name-object.yaml:8:11: name "Object" declares Object, a global or a name the generated code uses itself; choose another`,
  ],
  "set-name-map.yaml": [
    `${S}/set-name-map.yaml:8:11: name "map" declares Map, a global or a name the generated code uses itself; choose another`,
  ],
  "set-id-index.yaml": [
    `${S}/set-id-index.yaml:7:9: code set id \`index\` would overwrite the generated index.ts; choose another`,
  ],
  "name-starts-with-digit.yaml": [
    `${S}/name-starts-with-digit.yaml:15:15: name "4xx codes" becomes 4xxCodes, which starts with a digit; identifiers cannot`,
  ],
  "set-name-starts-with-digit.yaml": [
    `${S}/set-name-starts-with-digit.yaml:8:11: name "2nd table" becomes 2ndTable, which starts with a digit; identifiers cannot`,
  ],

  // --- rules: references ----------------------------------------------------------------------------------------------
  "reply-code-unresolved.yaml": [
    `${S}/reply-code-unresolved.yaml:17:20: 599 does not resolve: 599 is not in the smtp-reply registry (${S}/rfc5321.yaml:14:14); fix it, or mark it { code: 599, standard: false, note: "why" } if no standard defines it`,
  ],
  "enhanced-code-unresolved.yaml": [
    `${S}/enhanced-code-unresolved.yaml:17:23: "5.9.9" does not resolve: "X.9.9" is not in the enhanced-subject-detail registry (${S}/iana-enhanced-status-codes.yaml:22:14); fix it, or mark it { code: "5.9.9", standard: false, note: "why" } if no standard defines it`,
  ],
  "non-standard-mark-on-standard-code.yaml": [
    `${S}/non-standard-mark-on-standard-code.yaml:18:17: 550 is marked standard: false, but the registries define it; write it as a plain value`,
  ],

  // --- rules: texts, attributes, outcomes, errata ------------------------------------------------------------------
  "ditto-on-first-row.yaml": [
    `${S}/ditto-on-first-row.yaml:23:19: ditto mark 同上 has no text in the row above to repeat`,
  ],
  "unknown-column-in-texts.yaml": [
    `${S}/unknown-column-in-texts.yaml:23:11: unknown column \`meening\`; this set's columns are: meaning`,
  ],
  "texts-key-not-camel-case.yaml": [
    `${S}/texts-key-not-camel-case.yaml:23:11: unknown column \`Meaning\`; this set's columns are: meaning`,
  ],
  "attribute-outside-enum.yaml": [
    `${S}/attribute-outside-enum.yaml:22:19: attribute \`origin\` "network" is not one of its values: "system", "user"`,
  ],
  "outcome-contradicts-code-class.yaml": [
    `${S}/outcome-contradicts-code-class.yaml:15:18: outcome permanent contradicts the code class 4 (transient) that outcomeBasis code-class names`,
  ],
  "erratum-equals-code.yaml": [
    `${S}/erratum-equals-code.yaml:17:24: erratum reads 42, the same as the code; an erratum names its correction in \`code\``,
  ],
  // --- v2 spec features: ranges, code lists, extends, reasons, registries, documents, log texts --------------------
  "range-downward.yaml": [
    `${S}/range-downward.yaml:14:15: range "5.7.699-500" runs downward; write the smaller bound first`,
  ],
  "range-overlap.yaml": [
    `${S}/range-overlap.yaml:16:15: code "5.7.508" overlaps the range 5.7.500-699 at ${S}/range-overlap.yaml:14:15; if the document means it, say \`repeatedCodes: true\` on the set`,
  ],
  "code-list-bad-item.yaml": [
    `${S}/code-list-bad-item.yaml:14:15: \`code\` of item 1 of \`entries\` has the wrong form (got ["5.4.6","5.4.x"]): one of: an enhanced status code: class 2, 4 or 5, then subject and detail of 1-3 digits, as "5.1.1" or "4.4.316"; a range of details, as "5.7.500-699"; a list of those`,
  ],
  "extends-unknown-set.yaml": [
    `${S}/extends-unknown-set.yaml:7:14: \`extends: no-such-set\` names no code set; it takes the id of the set whose rows this table continues`,
  ],
  "extends-format-mismatch.yaml": [
    `${S}/extends-format-mismatch.yaml:9:17: codeFormat integer differs from the extended set's (smtp-reply)`,
  ],
  "extends-with-id.yaml": [
    `${S}/extends-with-id.yaml:8:9: \`id\` of item 1 of \`codeSets\` is not allowed here: a set that extends another takes this from the set it extends; remove it`,
  ],
  "duplicate-log-text.yaml": [
    `${S}/duplicate-log-text.yaml:19:27: this message is the same as "First"'s at ${S}/duplicate-log-text.yaml:17:27; a parser could not tell the two rows apart`,
  ],
  "missing-source-file.yaml": [
    `${S}/missing-source-file.yaml:2:9: "sources/not-there.txt" does not exist; source.file names the document's text, relative to the spec's folder`,
  ],
  "source-file-outside.yaml": [
    `${S}/source-file-outside.yaml:2:9: \`file\` must be a relative path inside the spec folder, as sources/000_document.txt (got "../corpus.txt")`,
  ],
  "second-registry.yaml": [
    `${S}/second-registry.yaml:12:14: \`defines: smtp-reply\` is already declared at ${S}/rfc5321.yaml:14:14; one set defines each registry (add rows to it from another spec with \`extends: smtp-reply-code\`)`,
  ],
  "set-name-generated.yaml": [
    `${S}/set-name-generated.yaml:8:11: name "Enhanced status code success" declares EnhancedStatusCodeSuccess, which the set at ${S}/iana-enhanced-status-codes.yaml:18:11 declares too; choose another`,
  ],
  "reason-unresolved.yaml": [
    `${S}/reason-unresolved.yaml:16:17: "userunknown" cannot be resolved: no code set says \`defines: bounce-reason\``,
  ],
  "wording-without-reason.yaml": [
    `${S}/wording-without-reason.yaml:17:15: a row of the reason-by-wording registry needs a \`reason\``,
  ],
};

/** A spec every fixture is a broken copy of, in spirit: proves the harness itself is not what fails. */
const VALID = `source:
  file: sources/corpus.txt
  title: Invalid-spec corpus
  publisher: mailcodes tests
  language: en
codeSets:
  - id: control
    name: Control
    table: T
    description: A valid set.
    codeFormat: integer
    entries:
      - code: 1
        name: One
        outcome: permanent
        outcomeBasis: document
        replyCode: 550
        enhancedCode: "5.1.1"
`;

/** Looks like a file a previous generate wrote: a run that wrongly went ahead would delete it as an orphan. */
const SENTINEL = {
  name: "old.ts",
  text: "// Code generated by mailcodes from spec/old.yaml. DO NOT EDIT.\nexport {};\n",
};

/** A temp spec dir holding the registries and the named fixtures, and an out dir holding only the sentinel. */
async function setUp(
  names: readonly string[],
  extra: Record<string, string> = {},
): Promise<{ specDir: string; outDir: string }> {
  const root = await tempDir();
  const specDir = path.join(root, "spec");
  const outDir = path.join(root, "out");
  await mkdir(specDir);
  await mkdir(outDir);
  await copyRegistries(specDir);
  for (const name of names) {
    const generate = GENERATED[name];
    if (generate) await writeFile(path.join(specDir, name), generate());
    else await copyFile(path.join(FIXTURES, name), path.join(specDir, name));
  }
  for (const [name, text] of Object.entries(extra)) await writeFile(path.join(specDir, name), text);
  // The documents the fixtures name exist: each fixture breaks one thing, and it is not that (but for the one whose
  // document is missing on purpose).
  const named = names.filter((n) => !(n in GENERATED) && n !== "missing-source-file.yaml");
  const texts = await Promise.all([
    ...named.map((n) => readFile(path.join(FIXTURES, n), "latin1")),
    ...Object.values(extra),
  ]);
  await touchDocuments(specDir, texts);
  await writeFile(path.join(outDir, SENTINEL.name), SENTINEL.text);
  return { specDir, outDir };
}

/**
 * Runs one command and checks what every rejection must be: exit 2, no output, no stack trace, nothing written.
 * Returns the stderr lines. (A hang would hit vitest's test timeout; how fast rejection is belongs in the bench.)
 */
async function rejects(command: (typeof COMMANDS)[number], specDir: string, outDir: string): Promise<string[]> {
  const outBefore = await snapshot(outDir);
  const specBefore = await snapshot(specDir);
  const result = await run(command, "--spec-dir", specDir, "--out-dir", outDir);
  const err = result.err.split(specDir).join(S);
  expect(err, "no stack trace").not.toContain("    at ");
  expect(result.out, "nothing on stdout").toBe("");
  expect(result.code, `exit code of ${command}; stderr:\n${err}`).toBe(2);
  expect(await snapshot(outDir), "out dir unchanged").toEqual(outBefore);
  expect(await snapshot(specDir), "spec dir unchanged").toEqual(specBefore);
  return err.split("\n");
}

function summary(count: number): string {
  return `mailcodes: ${count} problem${count === 1 ? "" : "s"} in the specs; nothing was written`;
}

/** Sorted as the CLI sorts (file, line, column, message), from the printed line. */
function sortLines(lines: readonly string[]): string[] {
  const key = (line: string) => {
    const m = /^(.*?):(\d+):(\d+): (.*)$/.exec(line)!;
    return { file: m[1]!, line: Number(m[2]), column: Number(m[3]), message: m[4]! };
  };
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...lines].sort((x, y) => {
    const a = key(x);
    const b = key(y);
    return cmp(a.file, b.file) || a.line - b.line || a.column - b.column || cmp(a.message, b.message);
  });
}

describe("invalid-spec corpus", () => {
  it("has an expectation for every fixture file, and a file for every expectation", async () => {
    const committed = (await readdir(FIXTURES)).sort();
    const expected = Object.keys(CORPUS)
      .filter((name) => !(name in GENERATED))
      .sort();
    expect(committed).toEqual(expected);
    expect(Object.keys(CORPUS).length).toBeGreaterThanOrEqual(32);
    for (const name of Object.keys(GENERATED)) expect(CORPUS).toHaveProperty([name]);
  });

  it("accepts the registries with a valid spec next to them (the control)", async () => {
    const { specDir, outDir } = await setUp([], { "control.yaml": VALID });
    const result = await run("validate", "--spec-dir", specDir, "--out-dir", outDir);
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
  });

  // generate, the command that would write: validate and check read the specs the same way, as the shared run shows.
  it.each(Object.keys(CORPUS))("rejects %s", async (name) => {
    const { specDir, outDir } = await setUp([name]);
    expect(await rejects("generate", specDir, outDir)).toEqual([...CORPUS[name]!, summary(CORPUS[name]!.length)]);
  });

  it.each(COMMANDS)(
    "%s reports every problem of every fixture in one run when they share a spec dir, sorted by file then line",
    async (command) => {
      const names = Object.keys(CORPUS);
      const { specDir, outDir } = await setUp(names);
      // A reference to a registry no spec defines is reported only when every spec passed the schema (a broken spec
      // might be the one that defines it), so in the shared run that one line is not expected.
      const expected = sortLines(
        names.flatMap((name) => CORPUS[name]!).filter((line) => !line.includes("cannot be resolved: no code set says")),
      );
      expect(await rejects(command, specDir, outDir)).toEqual([...expected, summary(expected.length)]);
    },
  );
});
