// Properties, with fast-check and fixed seeds (reproducible; change SEED to explore further):
//  (a) random VALID specs generate, type-check, and every lookup (and parse, fromName, the table) returns the spec's data;
//  (b) random MUTATIONS of the real specs never crash the CLI: exit 0 or 2, and every diagnostic is path:line:column.
// Each property also stops at a time limit (the async ones skip their remaining runs after a deadline), so that the
// file stays under a minute on two cores; a slower machine runs a prefix of the same seeded inputs. Below the
// properties, the smallest specs they (or a reading of emit.ts) found breaking the generator, one test each.
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { transformSync } from "esbuild";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isScalar, parse, parseDocument, stringify, visit, type Scalar } from "yaml";
import { emit, type GeneratedFile } from "../generator/emit.ts";
import { generatorVersion, runtimeSources } from "../generator/package-files.ts";
import { parseSpec, type LoadedSpec } from "../generator/load.ts";
import { identifierProblem } from "../generator/names.ts";
import { checkAndModel } from "../generator/pipeline.ts";
import { copyRegistries, REGISTRY_SPECS, run, SPEC_DIR, tempDir, touchDocuments, typecheck } from "./helpers.ts";

const SEED = 20_251_123;
const REGISTRY_FILES = REGISTRY_SPECS;
const SPEC_FILES = ["arara.yaml", "bearmail.yaml", "delivery-error-codes.yaml", "error-mail-help.yaml", ...REGISTRY_SPECS, "smp.yaml"];

// ---------------------------------------------------------------------------------------------------------------
// Spec data, as a spec file writes it

type Value = string | number | boolean;
interface RawNote { heading?: string; text: string }
interface RawSource { file: string; title: string; publisher: string; url?: string; language: string }
interface RawColumn { key: string; heading: string; language: string; description: string; required?: boolean; ditto?: string; inLogs?: boolean }
interface RawAttribute {
  key: string; heading?: string; description: string; type: "string" | "number" | "integer" | "boolean";
  enum?: Value[]; labels?: Record<string, string>; required?: boolean;
}
interface RawReference { code: number | string; standard: false; note: string }
interface RawEntry {
  code?: number | string; name: string; texts?: Record<string, string>; attributes?: Record<string, Value>;
  outcome?: string; outcomeBasis?: string; replyCode?: number | RawReference; enhancedCode?: string | RawReference;
  erratum?: { sourceReads: number | string; note: string };
}
interface RawSet {
  id: string; name: string; table: string; description: string; codeFormat: string; outcomes?: boolean;
  columns?: RawColumn[]; attributes?: RawAttribute[]; notes?: RawNote[]; entries: RawEntry[];
}
interface RawSpec { source: RawSource; notes?: RawNote[]; codeSets: RawSet[] }

/** The documented conversion (names.ts): words of letters and digits, each capitalised, joined. */
const pascal = (name: string) => name.split(/[^A-Za-z0-9]+/).filter((w) => w.length > 0).map((w) => w[0]!.toUpperCase() + w.slice(1)).join("");
/** The registries' own set names: taken. (Names the validator refuses by design are filtered with identifierProblem.) */
const REGISTRY_NAMES = new Set(["SmtpReplyCode", "EnhancedStatusClass", "EnhancedStatusSubjectDetail"]);
const REGISTRY_IDS = new Set(["smtp-reply-code", "enhanced-status-class", "enhanced-status-subject-detail", "index"]);
/** Names the generated modules declare themselves; the schema allows them as set names (see `refusable`). */
const GENERATED_NAMES = ["Code Info", "Codes By Source", "Info By Source", "Code Source", "INFO", "LOOKUPS", "Enhanced Status Code"];
/** Keys every object inherits. The schema allows them as column and attribute keys. */
const INHERITED_KEYS = ["constructor", "toString", "valueOf", "hasOwnProperty", "isPrototypeOf", "toLocaleString"];
const CLASS_OUTCOME: Record<string, string> = { "2": "success", "3": "intermediate", "4": "transient", "5": "permanent" };
const OUTCOMES = ["success", "intermediate", "transient", "permanent", "failure"];

// ---------------------------------------------------------------------------------------------------------------
// Arbitraries

/** Free text: anything a document may hold, weighted towards what is hard to print in TypeScript. */
const HARD = ["*/", "/*", "/**", "${", "`", "'", '"', "\\", "\\u0041", "\n", "\r", "\r\n", "\t", "\u2028", "\u2029", "\u0085", "\u200B", "\u200F", "\u202E", "\uFEFF", "@param ", " ", "同上", "〃", "👩‍👩‍👧‍👦", "</script>", "\u0000", "\u001B", "\u007F"];
const TEXT = fc.string({
  unit: fc.oneof(fc.constantFrom(...HARD), fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }), fc.string({ unit: "binary", minLength: 1, maxLength: 1 })),
  minLength: 1,
  maxLength: 12,
});
const WORD = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,6}$/);
const IDENTIFIER_NAME = fc
  .tuple(WORD, fc.array(fc.tuple(fc.constantFrom(" ", "-", "_"), fc.stringMatching(/^[A-Za-z0-9]{1,6}$/)), { maxLength: 2 }))
  .map(([first, rest]) => first + rest.map(([sep, word]) => sep + word).join(""));
const SET_NAME = fc
  .oneof(
    { weight: 20, arbitrary: IDENTIFIER_NAME },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom("Alpha", "Beta Code"), fc.constantFrom("", " Info", " Info Of")).map(([a, b]) => a + b) },
    { weight: 1, arbitrary: fc.constantFrom(...GENERATED_NAMES) },
  )
  .filter((name) => !REGISTRY_NAMES.has(pascal(name)) && identifierProblem(pascal(name)) === undefined);
const SET_ID = fc.stringMatching(/^[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4}){0,2}$/).filter((id) => id.length <= 60 && !REGISTRY_IDS.has(id));
const KEY = fc.oneof({ weight: 20, arbitrary: fc.stringMatching(/^[a-z][A-Za-z0-9]{0,6}$/) }, { weight: 1, arbitrary: fc.constantFrom(...INHERITED_KEYS) });
const LANGUAGE = fc.oneof(fc.constantFrom("en", "ja"), fc.stringMatching(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$/));
const CODES: Record<string, fc.Arbitrary<number | string>> = {
  integer: fc.integer({ min: -999_999_999, max: 999_999_999 }),
  // Some alphanumeric codes begin the way an SMTP reply line does ("250-A").
  alphanumeric: fc.oneof(fc.stringMatching(/^[A-Za-z0-9]{1,5}([.-][A-Za-z0-9]{1,5}){0,3}$/), fc.stringMatching(/^[2-5][0-9]{2}[.-][A-Za-z0-9]{1,4}$/)),
  pattern: fc.stringMatching(/^[0-9Xx*]{1,4}(\.[0-9Xx*]{1,3}){0,2}$/),
};
const attributeValue = (type: RawAttribute["type"]): fc.Arbitrary<Value> =>
  type === "string" ? TEXT : type === "boolean" ? fc.boolean() : type === "integer" ? fc.maxSafeInteger() : fc.double({ noNaN: true, noDefaultInfinity: true });

interface Registries { replyCodes: number[]; enhancedCodes: string[] }

/** A valid spec, built step by step; `extras` adds references, errata and code-class outcomes. */
function randomSpec(g: fc.GeneratorValue, registries: Registries, extras: boolean): RawSpec {
  const count = g(fc.integer, { min: 1, max: 3 });
  const names = g(() => fc.uniqueArray(SET_NAME, { minLength: count, maxLength: count, selector: pascal }));
  const ids = g(() => fc.uniqueArray(SET_ID, { minLength: count, maxLength: count }));
  const url = g(fc.option, fc.webUrl(), { nil: undefined });
  return {
    source: {
      file: `sources/${g(fc.stringMatching, /^[A-Za-z0-9._-]{1,12}$/)}`, title: g(() => TEXT), publisher: g(() => TEXT),
      ...(url !== undefined && { url }), language: g(() => LANGUAGE),
    },
    ...optional("notes", g(fc.option, notes(), { nil: undefined })),
    codeSets: names.map((name, s) => randomSet(g, ids[s]!, name, registries, extras)),
  };
}

function notes(): fc.Arbitrary<RawNote[]> {
  // (fc.record builds objects without a prototype; a spec's notes are plain objects.)
  return fc.array(fc.record({ heading: TEXT, text: TEXT }, { requiredKeys: ["text"] }).map((note) => ({ ...note })), { minLength: 1, maxLength: 2 });
}

/** A text by column key, never an inherited member ("constructor" is a valid key). */
function own(texts: Record<string, string> | undefined, key: string): string | undefined {
  return texts !== undefined && Object.hasOwn(texts, key) ? texts[key] : undefined;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function randomSet(g: fc.GeneratorValue, id: string, name: string, registries: Registries, extras: boolean): RawSet {
  const codeFormat = g(fc.constantFrom, "integer", "alphanumeric", "none", "pattern");
  const outcomes = g(fc.constantFrom, undefined, true, false);
  const keys = g(() => fc.uniqueArray(KEY, { maxLength: 3 }));
  const inLogs = g(fc.integer, { min: -1, max: keys.length - 1 }); // at most one column is the text met in logs
  const columns: RawColumn[] = keys.map((key, c) => {
    const required = g(fc.constantFrom, undefined, true, false);
    const ditto = g(fc.option, fc.oneof(fc.constantFrom("同上", "〃"), TEXT), { nil: undefined, freq: 3 });
    return {
      key, heading: g(() => TEXT), language: g(() => LANGUAGE), description: g(() => TEXT),
      ...optional("required", required), ...optional("ditto", ditto), ...(c === inLogs && { inLogs: true }),
    };
  });
  const attributeKeys = g(() => fc.uniqueArray(KEY, { maxLength: 2 }));
  const attributes: RawAttribute[] = attributeKeys.map((key) => {
    const type = g(fc.constantFrom, "string", "number", "integer", "boolean") as RawAttribute["type"];
    const values = g(fc.option, fc.uniqueArray(attributeValue(type), { minLength: 1, maxLength: 3, selector: (v) => String(v) }), { nil: undefined });
    const labelled = values?.filter(() => g(fc.boolean));
    const labels = labelled && labelled.length > 0 ? Object.fromEntries(labelled.map((v) => [String(v), g(() => TEXT)])) : undefined;
    return {
      key, ...optional("heading", g(fc.option, TEXT, { nil: undefined })), description: g(() => TEXT), type,
      ...optional("enum", values), ...optional("labels", labels), ...optional("required", g(fc.constantFrom, undefined, true, false)),
    };
  });

  const n = g(fc.integer, { min: 1, max: 8 });
  const entryNames = g(() => fc.uniqueArray(IDENTIFIER_NAME, { minLength: n, maxLength: n, selector: pascal }));
  const codes = codeFormat === "none" ? undefined : g(() => fc.uniqueArray(CODES[codeFormat]!, { minLength: n, maxLength: n, selector: (c) => String(c).toUpperCase() }));
  const entries: RawEntry[] = [];
  entryNames.forEach((entryName, i) => {
    const code = codes?.[i];
    const texts: Record<string, string> = {};
    for (const column of columns) {
      const above = own(entries[i - 1]?.texts, column.key);
      if (column.ditto !== undefined && above !== undefined && g(fc.boolean)) {
        texts[column.key] = column.ditto;
        continue;
      }
      if (column.required === false && g(fc.boolean)) continue;
      const text = g(() => TEXT);
      // The mark itself only where it can repeat a row above.
      texts[column.key] = column.ditto !== undefined && text === column.ditto && above === undefined ? `${text}.` : text;
    }
    const values: Record<string, Value> = {};
    for (const attribute of attributes) {
      if (attribute.required !== true && g(fc.boolean)) continue;
      values[attribute.key] = attribute.enum ? g(fc.constantFrom, ...attribute.enum) : g(attributeValue, attribute.type);
    }
    const entry: RawEntry = {
      ...optional("code", code), name: entryName,
      ...(columns.length > 0 || g(fc.boolean) ? { texts } : {}),
      ...(attributes.length > 0 && (Object.keys(values).length > 0 || g(fc.boolean)) ? { attributes: values } : {}),
    };
    if (extras) addExtras(g, entry, registries);
    if (outcomes !== false) {
      const digit = codeClassDigit(codeFormat, entry);
      if (digit !== undefined && CLASS_OUTCOME[digit] && g(fc.boolean)) Object.assign(entry, { outcome: CLASS_OUTCOME[digit], outcomeBasis: "code-class" });
      else Object.assign(entry, { outcome: g(fc.constantFrom, ...OUTCOMES), outcomeBasis: "document" });
    }
    entries.push(entry);
  });
  return {
    id, name, table: g(() => TEXT), description: g(() => TEXT), codeFormat, ...optional("outcomes", outcomes),
    ...(columns.length > 0 || g(fc.boolean) ? { columns } : {}),
    ...(attributes.length > 0 ? { attributes } : {}),
    ...optional("notes", g(fc.option, notes(), { nil: undefined })),
    entries,
  };
}

function addExtras(g: fc.GeneratorValue, entry: RawEntry, { replyCodes, enhancedCodes }: Registries): void {
  const note = () => g(() => TEXT);
  // Non-standard codes of the form a document prints (a reply code, an x.y.z code) that no registry holds. Codes of
  // another type (a reply code written "5xx") are pinned by a counterexample below: refusing them is right too.
  const nonStandardReply = fc.integer({ min: 100, max: 999 }).filter((code) => !replyCodes.includes(code));
  const nonStandardEnhanced = fc.stringMatching(/^[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$/).filter((code) => !enhancedCodes.includes(code));
  const reply = g(fc.constantFrom, "none", "standard", "non-standard");
  if (reply === "standard") entry.replyCode = g(fc.constantFrom, ...replyCodes);
  if (reply === "non-standard") entry.replyCode = { code: g(() => nonStandardReply), standard: false, note: note() };
  const enhanced = g(fc.constantFrom, "none", "standard", "non-standard");
  if (enhanced === "standard") entry.enhancedCode = g(fc.constantFrom, ...enhancedCodes);
  if (enhanced === "non-standard") entry.enhancedCode = { code: g(() => nonStandardEnhanced), standard: false, note: note() };
  if (g(fc.boolean)) {
    const reads = g(() => fc.oneof(fc.integer(), TEXT).filter((r) => String(r).toUpperCase() !== String(entry.code ?? pascal(entry.name)).toUpperCase()));
    entry.erratum = { sourceReads: reads, note: note() };
  }
}

/** The class digit outcomeBasis code-class takes (validate.ts codeClass), for the formats generated here. */
function codeClassDigit(codeFormat: string, entry: RawEntry): string | undefined {
  if (entry.code !== undefined && codeFormat === "pattern" && /^[2-5]/.test(String(entry.code))) return String(entry.code)[0];
  const carried = entry.replyCode ?? entry.enhancedCode;
  if (carried === undefined) return undefined;
  return String(typeof carried === "object" ? carried.code : carried)[0];
}

// ---------------------------------------------------------------------------------------------------------------
// What the generated module must hold, computed from the spec data alone

function expectedInfo(set: RawSet, index: number): Record<string, unknown> {
  const entry = set.entries[index]!;
  const member = pascal(entry.name);
  const code = (e: RawEntry) => e.code ?? pascal(e.name);
  const texts: Record<string, string> = {};
  const ditto: Record<string, { mark: string; from: number | string }> = {};
  for (const column of set.columns ?? []) {
    const text = own(entry.texts, column.key);
    if (text === undefined) continue;
    if (column.ditto === undefined || text !== column.ditto) {
      texts[column.key] = text;
      continue;
    }
    let from = index - 1;
    while (own(set.entries[from]!.texts, column.key) === column.ditto) from--;
    texts[column.key] = own(set.entries[from]!.texts, column.key)!;
    ditto[column.key] = { mark: column.ditto, from: code(set.entries[from]!) };
  }
  const reference = (ref: number | string | RawReference) => (typeof ref === "object" ? { code: ref.code, note: ref.note } : ref);
  return {
    source: set.id, code: code(entry), name: member,
    ...(entry.outcome !== undefined && { outcome: entry.outcome, outcomeBasis: entry.outcomeBasis }),
    texts,
    ...((set.attributes ?? []).length > 0 && { attributes: entry.attributes ?? {} }),
    ...(entry.replyCode !== undefined && { [typeof entry.replyCode === "object" ? "nonStandardReplyCode" : "replyCode"]: reference(entry.replyCode) }),
    ...(entry.enhancedCode !== undefined && { [typeof entry.enhancedCode === "object" ? "nonStandardEnhancedCode" : "enhancedCode"]: reference(entry.enhancedCode) }),
    ...(entry.erratum && { erratum: entry.erratum }),
    ...(Object.keys(ditto).length > 0 && { ditto }),
  };
}

function expectedTable(spec: RawSpec, set: RawSet): Record<string, unknown> {
  return {
    id: set.id, table: set.table, description: set.description, document: spec.source,
    ...(spec.notes && { documentNotes: spec.notes }), ...(set.notes && { notes: set.notes }),
    columns: (set.columns ?? []).map(({ key, heading, language }) => ({ key, heading, language })),
  };
}

/** Runs a generated module (its imports are type-only, so it stands alone) and returns its exports. */
function evaluate(file: GeneratedFile): Record<string, unknown> {
  const { code } = transformSync(file.text, { loader: "ts", format: "cjs", target: "es2022", sourcefile: file.path });
  const module = { exports: {} as Record<string, unknown> };
  const require = (id: string) => {
    throw new Error(`${file.path} imports a value from ${id}`);
  };
  new Function("module", "exports", "require", code)(module, module.exports, require);
  return module.exports;
}

/** Every lookup, guard, name lookup, parser and table of each set returns exactly the spec's data. */
function checkModules(spec: RawSpec, files: readonly GeneratedFile[]): void {
  for (const set of spec.codeSets) {
    const file = files.find((f) => f.path === `${set.id}.ts`);
    expect(file, `${set.id}.ts is generated`).toBeDefined();
    const mod = evaluate(file!);
    const name = pascal(set.name);
    const lower = name[0]!.toLowerCase() + name.slice(1);
    const fn = (key: string) => mod[key] as (value: unknown) => unknown;
    const codes = mod[name] as Record<string, unknown>;
    set.entries.forEach((entry, i) => {
      const code = entry.code ?? pascal(entry.name);
      expect(fn(`lookup${name}`)(code), `lookup${name}(${JSON.stringify(code)})`).toStrictEqual(expectedInfo(set, i));
      expect(fn(`is${name}`)(code)).toBe(true);
      expect(fn(`${lower}FromName`)(pascal(entry.name))).toStrictEqual(code);
      expect(codes[pascal(entry.name)]).toStrictEqual(code);
      if (set.codeFormat !== "none") expect(fn(`parse${name}`)(` ${String(code)} `), `parse${name}(${JSON.stringify(String(code))})`).toStrictEqual(code);
    });
    expect(Object.keys(codes)).toEqual(set.entries.map((e) => pascal(e.name)));
    // A set known by its messages: parse finds an entry by the text met in logs (white space and case aside).
    const logColumn = set.columns?.find((c) => c.inLogs);
    if (set.codeFormat === "none" && logColumn) {
      const logText = (i: number) => (expectedInfo(set, i)["texts"] as Record<string, string | undefined>)[logColumn.key];
      const key = (text: string | undefined) => text?.replace(/\s+/g, "").toLowerCase();
      set.entries.forEach((entry, i) => {
        const text = logText(i);
        if (text === undefined || key(text) === "") return;
        const found = fn(`parse${name}`)(text);
        expect(found, `parse${name}(${JSON.stringify(text)}) finds an entry`).toBeDefined();
        const alike = set.entries.filter((_, j) => key(logText(j)) === key(text));
        if (alike.length === 1) expect(found, `parse${name}(${JSON.stringify(text)})`).toBe(pascal(entry.name));
      });
    }
    expect(mod[`${lower}Table`]).toStrictEqual(expectedTable(spec, set));
    for (const unknown of [undefined, null, {}, "__proto__", "constructor", Number.NaN, 1e300]) {
      if (set.entries.some((e) => Object.is(e.code ?? pascal(e.name), unknown))) continue;
      expect(fn(`lookup${name}`)(unknown)).toBeUndefined();
    }
  }
}

/**
 * The spec as YAML, written by the yaml package. Its block scalars lose a leading space in a few texts (" \n" is
 * written as "|+" with no indentation indicator and reads back as "\n"): such a spec is written double-quoted.
 */
function toYaml(spec: RawSpec): string {
  const plain = stringify(spec, { aliasDuplicateObjects: false });
  if (isDeepStrictEqual(parse(plain), spec)) return plain;
  return stringify(spec, { aliasDuplicateObjects: false, defaultStringType: "QUOTE_DOUBLE", defaultKeyType: "PLAIN" });
}

/** Re-throws with the spec that failed, as YAML (fast-check's record of a generator is hard to read). */
function withSpec(yamlText: string, error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  const shown = yamlText.length > 6000 ? `${yamlText.slice(0, 6000)}\n... (${yamlText.length} characters)` : yamlText;
  throw new Error(`${message}\n--- the spec (YAML) ---\n${shown}`, { cause: error });
}

// ---------------------------------------------------------------------------------------------------------------

let registrySpecs: LoadedSpec[];
let registries: Registries;
let emitOptions: { generatorVersion: string; runtime: Record<string, string> };
beforeAll(async () => {
  emitOptions = { generatorVersion: await generatorVersion(), runtime: await runtimeSources() };
  registrySpecs = [];
  for (const name of REGISTRY_FILES) {
    const { spec, diagnostics } = parseSpec(`spec/${name}`, await readFile(path.join(SPEC_DIR, name)));
    expect(diagnostics).toEqual([]);
    registrySpecs.push(spec!);
  }
  const sets = registrySpecs.flatMap((s) => (s.data as RawSpec).codeSets) as Array<RawSet & { defines?: string }>;
  const codesOf = (defines: string) => sets.find((s) => s.defines === defines)!.entries.map((e) => e.code!);
  const classes = codesOf("enhanced-status-class");
  const subjects = codesOf("enhanced-subject-detail").map((c) => String(c).slice(1));
  registries = { replyCodes: codesOf("smtp-reply") as number[], enhancedCodes: classes.flatMap((c) => subjects.map((s) => `${c}${s}`)) };
});

/**
 * Names and keys the schema allows but that collide with what the generated code declares (INFO, XInfo next to X) or
 * with what every object inherits (constructor): generating correct code for them, or refusing them with a
 * diagnostic that names them, are both right. Anything else a random spec is refused for is a valid spec refused.
 */
function refusable(spec: RawSpec): string[] {
  const declared = (type: string) => {
    const lower = type[0]!.toLowerCase() + type.slice(1);
    const outcomes = OUTCOMES.map((o) => type + o[0]!.toUpperCase() + o.slice(1));
    return [type, `${type}Info`, `${type}InfoOf`, `${lower}Table`, `is${type}`, `lookup${type}`, `${lower}FromName`, `parse${type}`, ...outcomes];
  };
  const types = [...REGISTRY_NAMES, ...spec.codeSets.map((set) => pascal(set.name))];
  const collides = (type: string) => types.some((other) => other !== type && declared(other).some((name) => declared(type).includes(name)));
  const names = spec.codeSets.map((set) => set.name).filter((name) => GENERATED_NAMES.includes(name) || collides(pascal(name)));
  const keys = spec.codeSets.flatMap((set) => [...(set.columns ?? []), ...(set.attributes ?? [])].map((c) => c.key)).filter((key) => INHERITED_KEYS.includes(key));
  return [...names.map((name) => `"${name}"`), ...keys.map((key) => `\`${key}\``)];
}

function expectRefusedFor(spec: RawSpec, messages: readonly string[]): void {
  const allowed = refusable(spec);
  expect(allowed, `a valid spec refused:\n${messages.join("\n")}`).not.toEqual([]);
  for (const message of messages) expect(allowed.some((what) => message.includes(what)), `refused for something else: ${message}`).toBe(true);
}

/** load → validate → emit, in memory, with the random spec next to the real registries; undefined when rightly refused. */
function pipeline(spec: RawSpec, yamlText: string): GeneratedFile[] | undefined {
  const { spec: loaded, diagnostics } = parseSpec("spec/random.yaml", Buffer.from(yamlText));
  expect(diagnostics, "the random spec loads").toEqual([]);
  const specs = [...registrySpecs, loaded!];
  const result = checkAndModel(specs, new Set(specs.map((s) => (s.data as RawSpec).source.file)), "spec");
  if (result.diagnostics.length > 0) {
    expectRefusedFor(spec, result.diagnostics.map((d) => d.message));
    return undefined;
  }
  return emit(result.catalog!, emitOptions);
}

describe("random valid specs", () => {
  for (const extras of [false, true]) {
    it(`emit in memory, and every lookup returns the spec's data (${extras ? "with references, errata and code-class outcomes" : "texts, codes, names, attributes, ditto marks"})`, () => {
      let emitted = 0;
      fc.assert(
        fc.property(fc.gen(), (g) => {
          const spec = randomSpec(g, registries, extras);
          const yamlText = toYaml(spec);
          expect(parse(yamlText), "yaml writes the spec faithfully").toStrictEqual(spec);
          try {
            const files = pipeline(spec, yamlText);
            if (files) checkModules(spec, files);
            if (files) emitted++;
          } catch (error) {
            withSpec(yamlText, error);
          }
        }),
        { seed: SEED + (extras ? 1 : 0), numRuns: 100, plugins: [fc.interruptAfterTimeLimit(10_000)] },
      );
      expect(emitted, "random specs generated and checked (not refused)").toBeGreaterThanOrEqual(10);
    });
  }

  it("generate through the CLI, type-check, check as current, and return the spec's data", async () => {
    const root = await tempDir();
    let runs = 0;
    let typechecked = 0;
    // A deadline instead of fast-check's interrupt plugin, which would leave a run going while the temp dir is removed.
    const deadline = Date.now() + 25_000;
    await fc.assert(
      fc.asyncProperty(fc.gen(), async (g) => {
        if (Date.now() > deadline) return;
        const spec = randomSpec(g, registries, g(fc.boolean));
        const yamlText = toYaml(spec);
        const dir = path.join(root, String(runs++));
        const specDir = path.join(dir, "spec");
        const outDir = path.join(dir, "generated");
        await mkdir(specDir, { recursive: true });
        await copyRegistries(specDir);
        await writeFile(path.join(specDir, "random.yaml"), yamlText);
        await touchDocuments(specDir, [`file: ${spec.source.file}`]);
        try {
          const generated = await run("generate", "--spec-dir", specDir, "--out-dir", outDir);
          if (generated.code === 2) {
            expectRefusedFor(spec, generated.err.split("\n").slice(0, -1));
            return;
          }
          expect(generated).toMatchObject({ code: 0, err: "" });
          expect(await run("check", "--spec-dir", specDir, "--out-dir", outDir)).toMatchObject({ code: 0, err: "" });
          const files = await Promise.all(spec.codeSets.map(async (set) => ({ path: `${set.id}.ts`, text: await readFile(path.join(outDir, `${set.id}.ts`), "utf8") })));
          checkModules(spec, files);
          expect(await typecheck(outDir), "tsc over the generated code").toBe("");
          typechecked++;
        } catch (error) {
          withSpec(yamlText, error);
        }
      }),
      { seed: SEED + 2, numRuns: 15 },
    );
    expect(typechecked, "random specs generated, type-checked and checked (not refused)").toBeGreaterThanOrEqual(5);
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------------------------
// (b) Mutations of the real specs

type Mutation =
  | { kind: "delete-line"; at: number }
  | { kind: "duplicate-line"; at: number }
  | { kind: "swap-lines"; a: number; b: number }
  | { kind: "insert"; at: number; text: string }
  | { kind: "truncate"; at: number }
  | { kind: "replace-scalar"; at: number; value: unknown };

const YAML_PUNCTUATION = [":", ": ", "-", "- ", "[", "]", "{", "}", ",", "#", "&a", "*a", "!", "!!str ", "|", ">", "'", '"', "\\", "%", "@", "`", "?", "\t", "\n", "\r", " ", "  ", "---\n", "...\n", "\uFEFF", "\u0000", "\u00E9", "\uD800", "🙂"];
const MUTATION: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("delete-line" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("duplicate-line" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("swap-lines" as const), a: fc.nat(), b: fc.nat() }),
  fc.record({
    kind: fc.constant("insert" as const), at: fc.nat(),
    text: fc.string({ unit: fc.oneof(fc.constantFrom(...YAML_PUNCTUATION), fc.string({ unit: "binary", minLength: 1, maxLength: 1 })), minLength: 1, maxLength: 8 }),
  }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant("replace-scalar" as const), at: fc.nat(),
    value: fc.oneof(TEXT, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom("", "x".repeat(5000), "- a", "{", "5.1.1", "X.1.1", "constructor", "__proto__")),
  }),
);

function mutate(bytes: Buffer, mutation: Mutation): Buffer {
  const lines = () => bytes.toString("utf8").split("\n");
  const join = (ls: string[]) => Buffer.from(ls.join("\n"), "utf8");
  switch (mutation.kind) {
    case "delete-line": {
      const ls = lines();
      ls.splice(mutation.at % ls.length, 1);
      return join(ls);
    }
    case "duplicate-line": {
      const ls = lines();
      const at = mutation.at % ls.length;
      ls.splice(at, 0, ls[at]!);
      return join(ls);
    }
    case "swap-lines": {
      const ls = lines();
      const [a, b] = [mutation.a % ls.length, mutation.b % ls.length];
      [ls[a], ls[b]] = [ls[b]!, ls[a]!];
      return join(ls);
    }
    case "insert": {
      const at = mutation.at % (bytes.length + 1);
      return Buffer.concat([bytes.subarray(0, at), Buffer.from(mutation.text, "utf8"), bytes.subarray(at)]);
    }
    case "truncate":
      return bytes.subarray(0, mutation.at % (bytes.length + 1));
    case "replace-scalar": {
      const doc = parseDocument(bytes.toString("utf8"));
      if (doc.errors.length > 0) return bytes;
      const scalars: Scalar[] = [];
      visit(doc, { Scalar: (_, node) => void scalars.push(node) });
      if (scalars.length === 0 || !isScalar(scalars[0])) return bytes;
      scalars[mutation.at % scalars.length]!.value = mutation.value;
      return Buffer.from(doc.toString(), "utf8");
    }
  }
}

/** The bytes of a random mutation of a real spec, written next to the registries; the CLI's validate run on them. */
async function validateMutated(specDir: string, originals: ReadonlyMap<string, Buffer>, target: string, mutations: readonly Mutation[]) {
  const bytes = mutations.reduce(mutate, originals.get(target)!);
  // The target next to the registries, so that its references resolve (or fail to, when a registry is the target).
  const names = [...new Set([...REGISTRY_FILES, target])];
  for (const name of await readdir(specDir)) await rm(path.join(specDir, name));
  for (const name of names) await writeFile(path.join(specDir, name), name === target ? bytes : originals.get(name)!);
  const result = await run("validate", "--spec-dir", specDir);
  const context = `${target} after ${JSON.stringify(mutations).slice(0, 400)}\n${result.err.slice(0, 3000)}`;
  const texts = new Map(names.map((n) => [path.join(specDir, n), (n === target ? bytes : originals.get(n)!).toString("utf8").replace(/^\uFEFF/, "")]));
  return { result, context, texts };
}

describe("random mutations of the real specs", () => {
  let specDir: string;
  const originals = new Map<string, Buffer>();
  beforeAll(async () => {
    for (const name of SPEC_FILES) originals.set(name, await readFile(path.join(SPEC_DIR, name)));
  });
  const mutations = fc.tuple(fc.constantFrom(...SPEC_FILES), fc.array(MUTATION, { minLength: 1, maxLength: 3 }));

  it("validate exits 0 or 2, never throws, and prints every problem as path:line:column: message", async () => {
    specDir = path.join(await tempDir(), "spec");
    await mkdir(specDir);
    const outcomes = { valid: 0, invalid: 0 };
    const deadline = Date.now() + 5_000;
    await fc.assert(
      fc.asyncProperty(mutations, async ([target, steps]) => {
        if (Date.now() > deadline) return;
        const { result, context } = await validateMutated(specDir, originals, target, steps);
        expect([0, 2], context).toContain(result.code);
        expect(result.err, context).not.toMatch(/\n\s+at .+:\d+:\d+\)?$/m);
        if (result.code === 0) {
          outcomes.valid++;
          expect(result.err, context).toBe("");
          return;
        }
        outcomes.invalid++;
        const lines = result.err.split("\n");
        expect(lines.at(-1), context).toMatch(/^mailcodes: \d+ problems? in the specs; nothing was written$/);
        for (const line of lines.slice(0, -1)) expect(line, context).toMatch(/^.+:\d+:\d+: .+/);
      }),
      { seed: SEED + 3, numRuns: 200 },
    );
    expect(outcomes.invalid).toBeGreaterThan(0);
  }, 60_000);

  it("points every diagnostic at a place in the file: a line it has, at most one column past that line's end", async () => {
    specDir = path.join(await tempDir(), "spec");
    await mkdir(specDir);
    const deadline = Date.now() + 2_000;
    await fc.assert(
      fc.asyncProperty(mutations, async ([target, steps]) => {
        if (Date.now() > deadline) return;
        const { result, context, texts } = await validateMutated(specDir, originals, target, steps);
        if (result.code !== 2) return;
        for (const line of result.err.split("\n").slice(0, -1)) {
          const match = /^(.+):(\d+):(\d+): /.exec(line);
          if (!match) continue; // the property above says so
          const fileLines = texts.get(match[1]!)?.split("\n");
          expect(fileLines, `${line}: names a spec file\n${context}`).toBeDefined();
          const [row, column] = [Number(match[2]), Number(match[3])];
          expect(row, `${line}: line\n${context}`).toBeGreaterThanOrEqual(1);
          expect(row, `${line}: line\n${context}`).toBeLessThanOrEqual(fileLines!.length);
          expect(column, `${line}: column\n${context}`).toBeGreaterThanOrEqual(1);
          expect(column, `${line}: column\n${context}`).toBeLessThanOrEqual(fileLines![row - 1]!.replace(/\r$/, "").length + 1);
        }
      }),
      { seed: SEED + 4, numRuns: 100 },
    );
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------------------------
// Counterexamples: the smallest valid specs found (by the properties above, or by reading emit.ts) that break the
// generator, one test each, so that each problem is named on its own.

const SOURCE: RawSource = { file: "sources/x.txt", title: "T", publisher: "P", language: "en" };
const TEXT_COLUMN: RawColumn = { key: "text", heading: "Text", language: "en", description: "The text." };
const entry = (name: string, extra: Partial<RawEntry> = {}): RawEntry => ({ name, texts: { text: `text of ${name}` }, outcome: "failure", outcomeBasis: "document", ...extra });
const codeSet = (id: string, name: string, extra: Partial<RawSet> = {}): RawSet => ({
  id, name, table: "Table", description: "A set.", codeFormat: "integer", columns: [TEXT_COLUMN], entries: [entry("One", { code: 1 })], ...extra,
});

/** name → the spec, and when refusing it (exit 2, a diagnostic matching `refusable`) would be a right answer too. */
const COUNTEREXAMPLES: Record<string, { spec: RawSpec; refusable?: RegExp }> = {
  "an alphanumeric code that begins like an SMTP reply line (250-A) parses back to itself": {
    spec: { source: SOURCE, codeSets: [codeSet("alnum", "Alnum Code", { codeFormat: "alphanumeric", entries: [entry("A", { code: "250-A" }), entry("B", { code: "212-Z7" }), entry("C", { code: "A" })] })] },
  },
  "column and attribute keys named like Object.prototype members (constructor, toString, valueOf)": {
    refusable: /constructor|toString|valueOf/,
    spec: {
      source: SOURCE,
      codeSets: [codeSet("inherited", "Inherited Code", {
        columns: [TEXT_COLUMN, { key: "constructor", heading: "C", language: "en", description: "Optional.", required: false }],
        attributes: [
          { key: "toString", type: "string", description: "Optional." },
          { key: "kind", type: "string", enum: ["valueOf", "plain"], labels: { plain: "Plain" }, description: "A choice." },
        ],
        entries: [entry("One", { code: 1, attributes: { kind: "valueOf" } })],
      })],
    },
  },
  "a set named X next to a set named X Info (XInfo is also the type of X's entries)": {
    refusable: /Alpha ?Info/,
    spec: { source: SOURCE, codeSets: [codeSet("alpha", "Alpha"), codeSet("alpha-info", "Alpha Info")] },
  },
  "sets named INFO and LOOKUPS (names of the generated modules' own constants)": {
    refusable: /INFO[\s\S]*LOOKUPS/,
    spec: { source: SOURCE, codeSets: [codeSet("info", "INFO"), codeSet("lookups", "LOOKUPS")] },
  },
  "a non-standard reply code written as a string, and a non-standard enhanced code written as a number": {
    refusable: /code/,
    spec: {
      source: SOURCE,
      codeSets: [codeSet("carried", "Carried Code", {
        entries: [
          entry("One", { code: 1, replyCode: { code: "5xx", standard: false, note: "The document writes a class." } }),
          entry("Two", { code: 2, enhancedCode: { code: 42, standard: false, note: "The document writes a number." } }),
        ],
      })],
    },
  },
  "errata of one set that read a number in one row and a string in another": {
    spec: {
      source: SOURCE,
      codeSets: [codeSet("errata", "Errata Code", {
        entries: [
          entry("One", { code: 1, erratum: { sourceReads: 7, note: "Misprinted as 7." } }),
          entry("Two", { code: 2, erratum: { sourceReads: "2 ", note: "Printed with a space." } }),
        ],
      })],
    },
  },
};

describe("counterexamples: small valid specs that break the generator", () => {
  let root: string;
  const tscOutput = new Map<string, string>();
  const generated = new Map<string, { code: number; out: string; err: string }>();

  beforeAll(async () => {
    root = await tempDirForFile();
    for (const [name, { spec }] of Object.entries(COUNTEREXAMPLES)) {
      const dir = path.join(root, slug(name));
      await mkdir(path.join(dir, "spec"), { recursive: true });
      for (const file of REGISTRY_FILES) await copyFile(path.join(SPEC_DIR, file), path.join(dir, "spec", file));
      await writeFile(path.join(dir, "spec", "random.yaml"), stringify(spec, { aliasDuplicateObjects: false }));
      generated.set(name, await run("generate", "--spec-dir", path.join(dir, "spec"), "--out-dir", path.join(dir, "generated")));
    }
    // One tsc per case (a syntax error anywhere stops tsc before it checks types anywhere), two at a time.
    const names = Object.keys(COUNTEREXAMPLES);
    for (let i = 0; i < names.length; i += 2) {
      const pair = names.slice(i, i + 2).filter((name) => generated.get(name)!.code === 0);
      await Promise.all(pair.map(async (name) => tscOutput.set(name, await typecheck(path.join(root, slug(name), "generated")))));
    }
  }, 60_000);

  for (const [name, { spec, refusable }] of Object.entries(COUNTEREXAMPLES)) {
    it(`${name}: ${refusable ? "refused with a diagnostic, or " : ""}generated code that type-checks and returns the spec's data`, async () => {
      const result = generated.get(name)!;
      if (refusable && result.code === 2) {
        expect(result.err).toMatch(/^.+\/random\.yaml:\d+:\d+: .+/);
        expect(result.err).toMatch(refusable);
        return;
      }
      expect(result).toMatchObject({ code: 0, err: "" });
      const dir = path.join(root, slug(name), "generated");
      expect(tscOutput.get(name), "tsc over the generated code").toBe("");
      const files = await Promise.all(spec.codeSets.map(async (set) => ({ path: `${set.id}.ts`, text: await readFile(path.join(dir, `${set.id}.ts`), "utf8") })));
      checkModules(spec, files);
    });
  }

  it("a missing required attribute named toString is reported like any other", async () => {
    const dir = path.join(await tempDir(), "spec");
    await mkdir(dir);
    const spec: RawSpec = {
      source: SOURCE,
      codeSets: [codeSet("inherited", "Inherited Code", { attributes: [{ key: "toString", type: "string", description: "Required.", required: true }] })],
    };
    await writeFile(path.join(dir, "random.yaml"), stringify(spec, { aliasDuplicateObjects: false }));
    const result = await run("validate", "--spec-dir", dir);
    expect(result.code).toBe(2);
    expect(result.err).toContain("missing required attribute `toString`");
  });
});

describe("counterexamples: diagnostics", () => {
  async function validateText(text: string) {
    const dir = path.join(await tempDir(), "spec");
    await mkdir(dir);
    await writeFile(path.join(dir, "x.yaml"), text);
    return { dir, result: await run("validate", "--spec-dir", dir) };
  }

  it("a key holding a line break or control characters still gives one line per diagnostic, without raw control characters", async () => {
    const { result } = await validateText('"\\r\\n\\0\\e[31m": 1\nsource: { file: sources/x.txt, title: T, publisher: P, language: en }\ncodeSets: []\n');
    expect(result.code).toBe(2);
    const lines = result.err.split("\n");
    expect(lines.at(-1)).toMatch(/^mailcodes: \d+ problems? in the specs; nothing was written$/);
    for (const line of lines.slice(0, -1)) {
      expect(line).toMatch(/^.+:\d+:\d+: .+/);
      expect(line).not.toMatch(/[\u0000-\u001f\u007f]/);
    }
  });

  it("positions after a multi-line quoted scalar are the lines the editor shows", async () => {
    // Line 4 is `  publisher: P`; yaml's LineCounter loses the line break inside the quoted scalar on line 2-3.
    const text = '  - id: x\n  title: "a\n    b"\n  publisher: P\n';
    const { dir, result } = await validateText(text);
    expect(result.code).toBe(2);
    const lines = text.split("\n");
    for (const line of result.err.split("\n").slice(0, -1)) {
      const [, row, column] = /:(\d+):(\d+): /.exec(line)!;
      expect(Number(column), line).toBeLessThanOrEqual(lines[Number(row) - 1]!.length + 1);
    }
    expect(result.err).toContain(`${dir}/x.yaml:4:3: Unexpected scalar token in YAML stream: "publisher"`);
  });
});

function slug(name: string): string {
  return name.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60);
}

/** A temp dir that lives as long as the file's tests (helpers.tempDir is removed after each test). */
async function tempDirForFile(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "mailcodes-counterexamples-"));
  afterAll(() => rm(dir, { recursive: true, force: true }));
  return dir;
}
