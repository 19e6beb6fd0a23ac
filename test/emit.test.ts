// emit: what the generated modules declare and return. Small specs given here, with the values their lookups must
// give written out by hand; and every set of the real specs, imported and run, checked against its own tables.
import { readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import type { GeneratedFile } from "../generator/src/emit.ts";
import type { Catalog, CodeSet } from "../generator/src/model.ts";
import { emitFiles, modelTexts, realCatalog, SPEC_DIR, tempDir, typecheck, writeFiles } from "./helpers.ts";

let catalog: Catalog;
let files: GeneratedFile[];
let dir: string;
beforeAll(async () => {
  catalog = await realCatalog();
  files = await emitFiles(catalog);
  dir = await writeFiles(files, true);
});

type Module = Record<string, unknown>;
const importFrom = async (folder: string, id: string): Promise<Module> =>
  (await import(pathToFileURL(path.join(folder, `${id}.ts`)).href)) as Module;
const load = (set: CodeSet): Promise<Module> => importFrom(dir, set.id);
const fn = (mod: Module, name: string) => mod[name] as (value: unknown) => unknown;

/** A vendor's table next to the real registries: each row gives emit one more thing to print. */
const GIVEN = `source: { file: sources/v.txt, title: V, publisher: P, language: en }
codeSets:
  - id: vendor-code
    name: Vendor Code
    table: T
    description: D
    codeFormat: integer
    repeatedCodes: true
    columns:
      - { key: text, heading: Text, language: en, description: The text. }
      - { key: action, heading: Action, language: en, description: What to do., ditto: same, required: false }
    attributes:
      - { key: weight, type: number, description: A number. }
    entries:
      - code: 1
        name: No such user
        texts: { text: No such user, action: Check the address }
        attributes: { weight: 2 }
        outcome: permanent
        outcomeBasis: document
        replyCode: [550, 551]
        enhancedCode: "5.1.1"
        reason: userunknown
      - code: 2
        name: Mailbox full
        texts: { text: Mailbox full, action: same }
        outcome: transient
        outcomeBasis: document
        replyCode: { code: 599, standard: false, note: Not in RFC 5321. }
        enhancedCode: [{ code: "4.2.9", standard: false, note: Not registered. }, { code: "4.2.8", standard: false, note: Nor this. }]
        erratum: { sourceReads: 3, note: The document prints 3. }
      - code: 1
        name: No such user again
        texts: { text: "No such user, a second row" }
        outcome: permanent
        outcomeBasis: document
  - id: vendor-status
    name: Vendor Status
    table: T
    description: D
    codeFormat: enhanced-status
    outcomes: false
    columns:
      - { key: text, heading: Text, language: en, description: The text. }
    entries:
      - { code: ["5.4.6", "5.4.14"], name: Routing loop, texts: { text: Loop } }
`;

/** What each row's lookup gives: all of its spec data, as users read it. */
const WANT = {
  noSuchUser: {
    source: "vendor-code",
    code: 1,
    name: "NoSuchUser",
    outcome: "permanent",
    outcomeBasis: "document",
    texts: { text: "No such user", action: "Check the address" },
    attributes: { weight: 2 },
    replyCode: 550,
    replyCodes: [550, 551],
    enhancedCode: "5.1.1",
    reason: "userunknown",
  },
  mailboxFull: {
    source: "vendor-code",
    code: 2,
    name: "MailboxFull",
    outcome: "transient",
    outcomeBasis: "document",
    // The ditto mark repeats the text of the row above, and says so.
    texts: { text: "Mailbox full", action: "Check the address" },
    attributes: {},
    nonStandardReplyCode: { code: 599, note: "Not in RFC 5321." },
    nonStandardEnhancedCode: { code: "4.2.9", note: "Not registered." },
    nonStandardEnhancedCodes: [
      { code: "4.2.9", note: "Not registered." },
      { code: "4.2.8", note: "Nor this." },
    ],
    erratum: { sourceReads: 3, note: "The document prints 3." },
    ditto: { action: { mark: "same", from: 1 } },
  },
  noSuchUserAgain: {
    source: "vendor-code",
    code: 1,
    name: "NoSuchUserAgain",
    outcome: "permanent",
    outcomeBasis: "document",
    texts: { text: "No such user, a second row" },
    attributes: {},
  },
  routingLoop: {
    source: "vendor-status",
    code: "5.4.6",
    codes: ["5.4.6", "5.4.14"],
    name: "RoutingLoop",
    texts: { text: "Loop" },
  },
};

describe("emit, given small specs", () => {
  let given: string;
  beforeAll(async () => {
    const specs: Record<string, string> = { "spec/v.yaml": GIVEN };
    specs["spec/bounce-reasons.yaml"] = readFileSync(path.join(SPEC_DIR, "bounce-reasons.yaml"), "utf8"); // the registries are the generator's
    const modelled = modelTexts(specs);
    expect(modelled.diagnostics).toEqual([]);
    given = await writeFiles(await emitFiles(modelled.catalog!), true);
  });

  it("gives each row's spec data from the lookups and the entries, in the document's order", async () => {
    const mod = await importFrom(given, "vendor-code");
    const want = [WANT.noSuchUser, WANT.mailboxFull, WANT.noSuchUserAgain];
    expect(mod["vendorCodeEntries"]).toStrictEqual(want);
    // Rows are built by calls of one function (see rows.ts): each keeps its members, and in the order of the data.
    expect(JSON.stringify(mod["vendorCodeEntries"])).toBe(JSON.stringify(want));
    expect(fn(mod, "lookupVendorCode")(1)).toEqual(WANT.noSuchUser); // a repeated code: its first row
    expect(fn(mod, "lookupVendorCode")(2)).toEqual(WANT.mailboxFull);
    expect(fn(mod, "lookupAllVendorCode")(1)).toEqual([WANT.noSuchUser, WANT.noSuchUserAgain]);
    expect(fn(mod, "lookupAllVendorCode")(3)).toEqual([]); // what the erratum says the document reads is not a code
    expect(fn(mod, "vendorCodeFromName")("NoSuchUserAgain")).toBe(1);
    expect(mod["VendorCode"]).toEqual({ NoSuchUser: 1, MailboxFull: 2, NoSuchUserAgain: 1 });
    expect(fn(mod, "parseVendorCode")(" 2 ")).toBe(2);
  });

  it("gives a row of several codes under each of them, with the first as its code", async () => {
    const mod = await importFrom(given, "vendor-status");
    expect(mod["vendorStatusEntries"]).toEqual([WANT.routingLoop]);
    expect(fn(mod, "lookupVendorStatus")("5.4.14")).toEqual(WANT.routingLoop);
    expect(fn(mod, "isVendorStatus")("5.4.14")).toBe(true);
    expect(fn(mod, "lookupVendorStatus")("5.4.1")).toBeUndefined();
    expect(mod["lookupAllVendorStatus"]).toBeUndefined(); // only a set with repeated codes has it
  });
});

describe("emit, given the real specs", () => {
  it("emits one module per code set and the index, each headed as generated, importing the runtime package", async () => {
    expect(files.map((f) => f.path)).toEqual([...catalog.sets.map((s) => `${s.id}.ts`), "index.ts"].sort());
    for (const set of catalog.sets) {
      const [first, second] = files.find((f) => f.path === `${set.id}.ts`)!.text.split("\n");
      expect(first).toBe(
        `// Code generated by mailcodes from ${[...new Set(set.parts.map((p) => p.specFile))].join(", ")}. DO NOT EDIT.`,
      );
      expect(second).toMatch(/^\/\/ mailcodes-generator \d+\.\d+\.\d+$/);
    }
    for (const file of files.filter((f) => f.path !== "index.ts"))
      expect(file.text, file.path).toContain(`from "mailcodes-runtime";`);
  });

  it("emits code that type-checks under strict settings with lib ES2020, erasable but for the enums asked for", async () => {
    const enums = await emitFiles(catalog, { enumStyle: "enum" });
    expect(enums.find((f) => f.path === "smtp-reply-code.ts")!.text).toContain("export enum SmtpReplyCode {");
    // One compiler run over both outputs, which allows only erasable syntax: it must refuse the enums and nothing else.
    const root = await tempDir();
    for (const [folder, output] of [
      ["erasable", files],
      ["enums", enums],
    ] as const) {
      await mkdir(path.join(root, folder));
      for (const file of output) await writeFile(path.join(root, folder, file.path), file.text);
    }
    const enumLines = enums.flatMap((file) =>
      file.text
        .split("\n")
        .flatMap((line, i) => (line.startsWith("export enum ") ? [`enums/${file.path}(${i + 1},`] : [])),
    );
    expect(enumLines.length).toBeGreaterThanOrEqual(catalog.sets.length);
    const problems = (await typecheck(root)).split("\n").filter((line) => line !== "");
    expect(problems.map((line) => line.slice(0, line.indexOf(",") + 1)).sort()).toEqual(enumLines.sort());
    for (const line of problems)
      expect(line).toMatch(/: error TS1294: This syntax is not allowed when 'erasableSyntaxOnly' is enabled\.$/);
  });

  it("puts logic in the runtime: a set's module holds data, types and one-line wrappers", () => {
    for (const file of files.filter((f) => f.path !== "index.ts")) {
      const bodies = [...file.text.matchAll(/^export function [^\n]*\{\n((?: {4}[^\n]*\n)*)\}/gm)].map(
        (m) => m[1]!.trim().split("\n").length,
      );
      expect(bodies.length, file.path).toBeGreaterThan(0);
      expect(Math.max(...bodies), file.path).toBeLessThanOrEqual(2);
    }
  });

  it("emits, for every real set, a row per entry and lookups that find each by its code and name, and nothing else", async () => {
    for (const set of catalog.sets) {
      const mod = await load(set);
      const n = set.names;
      const [lookup, is, fromName] = [fn(mod, n.lookup), fn(mod, n.is), fn(mod, n.fromName)];
      const entries = mod[n.entries] as Array<{ code: unknown; name: string }>;
      expect(
        entries.map((e) => [e.code, e.name]),
        set.id,
      ).toEqual(set.entries.map((e) => [e.code, e.member]));
      for (const entry of set.entries) {
        expect(lookup(entry.code), `${set.id} ${entry.code}`).toBe(entries.find((e) => e.code === entry.code));
        expect(is(entry.code)).toBe(true);
        expect(fromName(entry.member)).toBe(entry.code);
        expect((mod[set.name] as Record<string, unknown>)[entry.member]).toBe(entry.code);
      }
      for (const unknown of ["no such code", 123456789, null, undefined, {}, "constructor", "__proto__", NaN, 5.5]) {
        expect(lookup(unknown)).toBeUndefined();
        expect(is(unknown)).toBe(false);
      }
      expect(fromName("toString")).toBeUndefined();
      expect((mod[n.infos] as ReadonlyMap<unknown, unknown>).size).toBe(new Set(set.entries.map((e) => e.code)).size);
      if (set.repeatedCodes) {
        const lookupAll = fn(mod, n.lookupAll);
        // A code's own rows, then those whose range holds it, as the model says each row holds codes.
        const own = (code: unknown) =>
          entries.filter((_, i) => (set.entries[i]!.codes ?? [set.entries[i]!.code]).includes(code as never));
        const ranged = (code: unknown) =>
          entries.filter(
            (_, i) => Array.isArray(set.entries[i]!.inRange) && (set.entries[i]!.inRange as unknown[]).includes(code),
          );
        for (const entry of set.entries)
          expect(lookupAll(entry.code)).toEqual([...new Set([...own(entry.code), ...ranged(entry.code)])]);
        expect(lookupAll("no such code")).toEqual([]);
      }
    }
  });

  it("emits parsers that read each code back from its text form", async () => {
    for (const set of catalog.sets.filter((s) => s.codeFormat !== "none")) {
      const parse = fn(await load(set), set.names.parse);
      for (const entry of set.entries)
        expect(parse(` ${String(entry.code)} `), `${set.id} ${entry.code}`).toBe(entry.code);
      expect(parse("")).toBeUndefined();
      expect(parse("garbage")).toBeUndefined();
    }
  });

  it("emits parsers that find each message in its own text, for every set with a log text, where no other row has it", async () => {
    for (const set of catalog.sets.filter((s) => s.inLogs)) {
      const mod = await load(set);
      const [parse, parseEntry] = [fn(mod, set.names.parse), fn(mod, set.names.parseEntry)];
      const entries = mod[set.names.entries] as unknown[];
      const textOf = (entry: CodeSet["entries"][number]) => entry.texts.find((t) => t.column === set.inLogs!.key)?.text;
      set.entries.forEach((entry, i) => {
        const text = textOf(entry);
        if (text === undefined) return;
        // A message the document repeats under another code tells no row by itself (the code does).
        const alone = set.entries.filter((other) => textOf(other) === text).length === 1;
        expect(parseEntry(text), `${set.id} ${entry.member}`).toBe(alone ? entries[i] : undefined);
        if (set.codeFormat === "none") expect(parse(text), `${set.id} ${entry.member}`).toBe(entry.code);
      });
    }
  });
});
