// Properties, with fast-check and fixed seeds (reproducible; change SEED to explore further):
//  (a) random VALID specs, next to the real registries and a bounce-reason registry, generate; every module (the
//      index too) imports without throwing; and every lookup, lookupAll, guard, parser, name lookup, entry list, map
//      and table returns the spec's data. Through the CLI they also type-check under strict tsc, check as current and
//      import in Node itself. The specs use every codeFormat, enhanced codes with parts of 1-3 digits, ranges, rows
//      with several codes, repeatedCodes, reference lists, non-standard references, reasons, errata, ditto marks, and
//      extensions (`extends`) of their sets from a second spec.
//  (b) random specs that DEFINE the registries themselves (smtp-reply, enhanced-status-class, enhanced-subject-detail;
//      not bounce-reason, whose reasons and attributes the classifier fixes), with random valid codes and random set names, among them names close to what the modules
//      declare ("Enhanced status code success", "X Info", "Code Info"): validate refuses them with a diagnostic that
//      names the collision, or the output type-checks and every module imports without throwing and returns its data.
//  (c) random MUTATIONS of the real specs (and of a fixture using the newer spec features) never crash the CLI: exit 0
//      or 2, and every diagnostic is path:line:column: message, at a place the file has.
// Each property also stops at a time limit (a deadline for the async ones), so that the file stays near a minute on
// two cores; a slower machine runs a prefix of the same seeded inputs. Below the properties, the smallest specs
// that broke the generator once, one test each.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { isDeepStrictEqual, promisify } from "node:util";
import { transformSync } from "esbuild";
import fc from "fast-check";
import * as runtime from "mailcodes-runtime";
import {
  type CodeFormat,
  GATED_REASONS,
  OUTCOMES,
  type Outcome,
  type Registry as RuntimeRegistry,
} from "mailcodes-runtime";
import { Project } from "ts-morph";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, parseDocument, type Scalar, stringify, visit } from "yaml";
import { emit, type GeneratedFile } from "../generator/src/emit.ts";
import { type LoadedSpec, parseSpec } from "../generator/src/load.ts";
import { generatorVersion } from "../generator/src/package-files.ts";
import { checkAndModel } from "../generator/src/pipeline.ts";
import type { SpecDocument } from "../generator/src/spec-schema.ts";
import {
  copyRegistries,
  REGISTRY_DIR,
  REGISTRY_SPECS,
  ROOT,
  run,
  SPEC_DIR,
  tempDir,
  touchDocuments,
  typecheck,
} from "./helpers.ts";

const SEED = 20_251_123;
const exec = promisify(execFile);
/** The real specs, each a target of the mutations. */
const SPEC_FILES = [
  "arara.yaml",
  "bearmail.yaml",
  "delivery-error-codes.yaml",
  "error-mail-help.yaml",
  ...REGISTRY_SPECS,
  "smp.yaml",
];

// ---------------------------------------------------------------------------------------------------------------
// ---------------------------------------------------------------------------------------------------------------
// Spec data, as a spec file writes it

type Value = string | number | boolean;
type Code = number | string;
/** A spec as the schema accepts it, and its parts: the generator's own type. */
type RawSpec = SpecDocument;
type RawSet = RawSpec["codeSets"][number];
type RawEntry = RawSet["entries"][number];
type RawSource = RawSpec["source"];
type RawNote = NonNullable<RawSpec["notes"]>[number];
type RawColumn = NonNullable<RawSet["columns"]>[number];
type RawAttribute = NonNullable<RawSet["attributes"]>[number];
type Listed<T> = T extends readonly (infer Item)[] ? Item : T;
/** A reference to a registry's code: the code, or one no standard defines, with a note. */
type RawReference = Extract<Listed<NonNullable<RawEntry["replyCode"] | RawEntry["enhancedCode"]>>, object>;
type Format = CodeFormat;
/** The registries these specs reference and define. */
type Registry = Extract<
  RuntimeRegistry,
  "smtp-reply" | "enhanced-status-class" | "enhanced-subject-detail" | "bounce-reason"
>;
/** Spec files by name (random.yaml), as written into the spec dir. */
type World = Record<string, RawSpec>;

/** The documented conversion (names.ts): words of letters and digits, each capitalised, joined. */
const pascal = (name: string) =>
  name
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join("");
const lowerFirst = (name: string) => name[0]!.toLowerCase() + name.slice(1);
const capitalize = (word: string) => word[0]!.toUpperCase() + word.slice(1);
/** How registries and uniqueness compare codes (model.ts registryKey): integers as they are, strings in any case. */
const regKey = (code: Code) => (typeof code === "number" ? `#${code}` : code.toUpperCase());
const codesOf = (entry: RawEntry): Code[] =>
  entry.code === undefined ? [] : Array.isArray(entry.code) ? entry.code : [entry.code];
const listOf = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];
const own = (texts: Record<string, string> | undefined, key: string) =>
  texts !== undefined && Object.hasOwn(texts, key) ? texts[key] : undefined;
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

const CLASS_OUTCOME: Record<string, Outcome> = {
  "2": "success",
  "3": "intermediate",
  "4": "transient",
  "5": "permanent",
};
/** Keys every object inherits: the schema allows them as column and attribute keys, the rules refuse them. */
const INHERITED_KEYS = ["constructor", "toString", "valueOf", "hasOwnProperty", "isPrototypeOf", "toLocaleString"];
/** Names the generated code declares or uses itself, or globals: set names that must be refused or still compile. */
const ADVERSARIAL_NAMES = [
  "Enhanced status code success",
  "Enhanced Status Code",
  "Enhanced Status Code Transient",
  "Enhanced Status Code Permanent",
  "Enhanced Status Code Failure",
  "Enhanced Status Code Intermediate",
  "Subject Detail",
  "Code Info",
  "Code Source",
  "Codes By Source",
  "Info By Source",
  "Lookup",
  "LOOKUPS",
  "INFO",
  "X Info",
  "X",
  "C",
  "O",
  "S",
  "Set",
  "Map",
  "Readonly Map",
  "Partial",
  "Code Set",
  "Entries By Code",
  "Find Codes",
  "Pick Enhanced Code",
  "Split Enhanced Code",
  "Runtime",
  "Index",
  "Smtp Reply Code",
];
/**
 * Names drawn from what the runtime exports (values and types, as the compiler reads its sources), and the name X of
 * each isX, parseX and lookupX: set names whose modules would declare what a generated module imports from it.
 */
const RUNTIME_EXPORTS = [
  ...new Project({ tsConfigFilePath: path.join(ROOT, "packages/runtime/tsconfig.build.json") })
    .getSourceFileOrThrow(path.join(ROOT, "packages/runtime/src/index.ts"))
    .getExportedDeclarations()
    .keys(),
];
const RUNTIME_NAMES = RUNTIME_EXPORTS.flatMap((name) => [
  name,
  ...(/^(?:is|parse|lookup)([A-Z]\w*)$/.exec(name)?.slice(1) ?? []),
]);
/** Names built from another set's name N that collide with what N's module declares. */
const DERIVED_NAMES = (other: string) => [
  `${other} Info`,
  `${other} Info Of`,
  `All ${other}`,
  ...OUTCOMES.map((o) => `${other} ${o}`),
];

// ---------------------------------------------------------------------------------------------------------------
// Arbitraries

/** Free text: anything a document may hold, weighted towards what is hard to print in TypeScript. */
const HARD = [
  "*/",
  "/*",
  "/**",
  "${",
  "`",
  "'",
  '"',
  "\\",
  "\\u0041",
  "\n",
  "\r",
  "\r\n",
  "\t",
  "\u2028",
  "\u2029",
  "\u0085",
  "\u200B",
  "\u200F",
  "\u202E",
  "\uFEFF",
  "@param ",
  " ",
  "同上",
  "〃",
  "👩‍👩‍👧‍👦",
  "</script>",
  "\u0000",
  "\u001B",
  "\u007F",
  "550-",
  "5.1.1 ",
];
const TEXT = fc.string({
  unit: fc.oneof(
    fc.constantFrom(...HARD),
    fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }),
    fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
  ),
  minLength: 1,
  maxLength: 12,
});
const WORD = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,6}$/);
const IDENTIFIER_NAME = fc
  .tuple(
    WORD,
    fc.array(fc.tuple(fc.constantFrom(" ", "-", "_"), fc.stringMatching(/^[A-Za-z0-9]{1,6}$/)), { maxLength: 2 }),
  )
  .map(([first, rest]) => first + rest.map(([sep, word]) => sep + word).join(""));
const SET_ID = fc.stringMatching(/^[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4}){0,2}$/);
const KEY = fc.oneof(
  { weight: 60, arbitrary: fc.stringMatching(/^[a-z][A-Za-z0-9]{0,6}$/) },
  { weight: 1, arbitrary: fc.constantFrom(...INHERITED_KEYS) },
);
const LANGUAGE = fc.oneof(fc.constantFrom("en", "ja"), fc.stringMatching(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$/));
const attributeValue = (type: RawAttribute["type"]): fc.Arbitrary<Value> =>
  type === "string"
    ? TEXT
    : type === "boolean"
      ? fc.boolean()
      : type === "integer"
        ? fc.maxSafeInteger()
        : fc.double({ noNaN: true, noDefaultInfinity: true });

/** A part of an enhanced status code: 1-3 digits, no leading zero. Subjects are mostly 0-7, as every registered one. */
const DETAIL = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 9 }) },
  { weight: 2, arbitrary: fc.integer({ min: 10, max: 999 }) },
);
const SUBJECT = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 7 }) },
  { weight: 1, arbitrary: fc.integer({ min: 8, max: 999 }) },
);
const CLASS = fc.constantFrom(2, 4, 5);
/** One code of each format (a range is a string "low-high"; see RANGES). */
const CODES: Record<Exclude<Format, "none">, fc.Arbitrary<Code>> = {
  "smtp-reply": fc.integer({ min: 100, max: 599 }),
  "enhanced-status": fc.tuple(CLASS, SUBJECT, DETAIL).map(([c, s, d]) => `${c}.${s}.${d}`),
  "enhanced-subject-detail": fc
    .tuple(fc.constantFrom("X", "X", "x"), SUBJECT, DETAIL)
    .map(([x, s, d]) => `${x}.${s}.${d}`),
  pattern: fc.stringMatching(/^[0-9XxYy*]{1,4}(\.[0-9XxYy*]{1,3}){0,2}$/),
  integer: fc.integer({ min: -999_999_999, max: 999_999_999 }),
  // Some alphanumeric codes begin the way an SMTP reply line does ("250-A"), or look like a range ("250-1").
  alphanumeric: fc.oneof(
    { weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z0-9]{1,5}([.-][A-Za-z0-9]{1,5}){0,3}$/) },
    { weight: 1, arbitrary: fc.stringMatching(/^[2-5][0-9]{2}[.-][A-Za-z0-9]{1,4}$/) },
  ),
};
/** Ranges ("600-699", "530-539", "5.7.500-699"): small, so that a set has room for other codes. */
const RANGES: Partial<Record<Format, fc.Arbitrary<string>>> = {
  "smtp-reply": fc
    .tuple(fc.integer({ min: 100, max: 599 }), fc.integer({ min: 0, max: 30 }))
    .map(([low, w]) => `${low}-${Math.min(599, low + w)}`),
  integer: fc
    .tuple(fc.integer({ min: -999_999_999, max: 999_999_899 }), fc.integer({ min: 0, max: 100 }))
    .map(([low, w]) => `${low}-${low + w}`),
  "enhanced-status": fc
    .tuple(CLASS, SUBJECT, fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 120 }))
    .map(([c, s, low, w]) => `${c}.${s}.${low}-${Math.min(999, low + w)}`),
};

/** A range code's prefix and bounds, as the rules and the runtime read it ("5.7.500-699" → "5.7.", 500, 699). */
function rangeOf(code: Code, format: Format): { prefix: string; low: number; high: number } | undefined {
  if (typeof code !== "string" || (format !== "integer" && format !== "smtp-reply" && format !== "enhanced-status"))
    return undefined;
  const match =
    format === "enhanced-status"
      ? /^([245]\.[0-9]{1,3}\.)([0-9]{1,3})-([0-9]{1,3})$/.exec(code)
      : /^()(-?[0-9]{1,9})-(-?[0-9]{1,9})$/.exec(code);
  return match ? { prefix: match[1]!, low: Number(match[2]), high: Number(match[3]) } : undefined;
}

/** A concrete code as an interval, to compare with ranges: 550 → "", 550, 550; "5.7.12" → "5.7.", 12, 12. */
function intervalOf(code: Code, format: Format): { prefix: string; low: number; high: number } | undefined {
  const range = rangeOf(code, format);
  if (range) return range;
  if (typeof code === "number") return { prefix: "", low: code, high: code };
  if (format !== "enhanced-status") return undefined;
  const dot = code.lastIndexOf(".");
  return { prefix: code.slice(0, dot + 1), low: Number(code.slice(dot + 1)), high: Number(code.slice(dot + 1)) };
}

/** What references can resolve to: the registries' codes. */
interface Registries {
  has: ReadonlySet<Registry>;
  replyCodes: number[];
  classes: number[];
  /** As the registry writes them ("X.1.1", maybe "x.1.1"). */
  subjectDetails: string[];
  reasons: string[];
}

function enhancedCodesOf(registries: Registries): string[] {
  return registries.classes.flatMap((c) => registries.subjectDetails.map((sd) => `${c}${sd.slice(1)}`));
}

/** Whether an enhanced code resolves (class and subject.detail both registered): then it cannot be non-standard. */
function resolves(code: string, registries: Registries): boolean {
  const [cls] = code.split(".");
  return (
    registries.classes.includes(Number(cls)) &&
    registries.subjectDetails.some((sd) => regKey(sd) === regKey(`X${code.slice(code.indexOf("."))}`))
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Random sets, in two steps: the skeleton (names, ids, formats, row counts, codes), so that the registries' codes
// are known; then the rows' texts, data and references.

interface Skeleton {
  id: string;
  name: string;
  format: Format;
  defines?: Registry;
  repeatedCodes: boolean;
  outcomes: boolean | undefined;
  /** Rows per part: the set's own table, then each extension's. */
  parts: number[];
  names: string[];
  codes: Array<Code[] | undefined>;
}

/** Unique by registry key, and (without repeatedCodes) no code in another's range. */
class CodeBook {
  readonly keys = new Set<string>();
  readonly intervals: Array<{ prefix: string; low: number; high: number }> = [];
  readonly format: Format;
  constructor(format: Format) {
    this.format = format;
  }
  fits(code: Code): boolean {
    if (this.keys.has(regKey(code))) return false;
    const interval = intervalOf(code, this.format);
    return (
      interval === undefined ||
      !this.intervals.some((i) => i.prefix === interval.prefix && i.low <= interval.high && i.high >= interval.low)
    );
  }
  add(code: Code): void {
    this.keys.add(regKey(code));
    const interval = intervalOf(code, this.format);
    if (interval) this.intervals.push(interval);
  }
}

function randomCodes(
  g: fc.GeneratorValue,
  format: Format,
  rows: number,
  repeated: boolean,
  pool?: fc.Arbitrary<Code>,
): Array<Code[] | undefined> {
  if (format === "none") return Array.from({ length: rows }, () => undefined);
  const book = new CodeBook(format);
  const used: Code[] = [];
  const one =
    pool ??
    (RANGES[format]
      ? fc.oneof({ weight: 6, arbitrary: CODES[format] }, { weight: 1, arbitrary: RANGES[format]! })
      : CODES[format]);
  return Array.from({ length: rows }, () => {
    const count = pool ? 1 : g(fc.constantFrom, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3);
    const row: Code[] = [];
    while (row.length < count) {
      const reuse = repeated && used.length > 0 && g(fc.integer, { min: 0, max: 3 }) === 0;
      let code: Code = reuse ? g(fc.constantFrom, ...used) : g(() => one.filter((c) => repeated || book.fits(c)));
      // Repeated codes as the document may write them: in another case ("ab", "AB").
      if (reuse && typeof code === "string" && /[a-z]/i.test(code) && g(fc.boolean))
        code = code === code.toUpperCase() ? code.toLowerCase() : code.toUpperCase();
      if (row.some((c) => regKey(c) === regKey(code))) {
        if (reuse || repeated) break; // a row lists a code once; with repeatedCodes, give up the extra code
        continue;
      }
      row.push(code);
      book.add(code);
      used.push(code);
    }
    return row;
  });
}

interface NamePool {
  /** Names the world's sets have so far: derived names collide with them. */
  taken: string[];
  adversarial: boolean;
}

function randomName(g: fc.GeneratorValue, pool: NamePool): string {
  const derived = pool.taken.flatMap(DERIVED_NAMES);
  const arbitraries = [{ weight: 14, arbitrary: IDENTIFIER_NAME }];
  if (pool.adversarial)
    arbitraries.push(
      { weight: 1, arbitrary: fc.constantFrom(...ADVERSARIAL_NAMES) },
      { weight: 1, arbitrary: fc.constantFrom(...RUNTIME_NAMES) },
    );
  if (pool.adversarial && derived.length > 0) arbitraries.push({ weight: 1, arbitrary: fc.constantFrom(...derived) });
  // Valid names only: words of letters and digits (the schema), not starting with a digit once converted.
  const name = g(() => fc.oneof(...arbitraries).filter((n) => /^[A-Za-z]/.test(pascal(n)) && n.length <= 100));
  pool.taken.push(name);
  return name;
}

function randomSkeleton(
  g: fc.GeneratorValue,
  options: {
    ids: Set<string>;
    names: NamePool;
    format?: Format;
    defines?: Registry;
    extensions: boolean;
    rows?: { min: number; max: number };
    codePool?: fc.Arbitrary<Code>;
  },
): Skeleton {
  const ids = options.names.adversarial
    ? fc.oneof({ weight: 30, arbitrary: SET_ID }, { weight: 1, arbitrary: fc.constantFrom("index", "runtime") })
    : SET_ID;
  const id = g(() => ids.filter((i) => !options.ids.has(i)));
  options.ids.add(id);
  const name = randomName(g, options.names);
  const format =
    options.format ??
    g(() =>
      fc.constantFrom<Format[]>(
        "integer",
        "alphanumeric",
        "none",
        "pattern",
        "smtp-reply",
        "enhanced-status",
        "enhanced-subject-detail",
      ),
    );
  const repeatedCodes = format !== "none" && !options.codePool && g(fc.integer, { min: 0, max: 4 }) === 0;
  const partCount = options.extensions ? g(fc.constantFrom, 1, 1, 1, 1, 2, 3) : 1;
  const rows = options.rows ?? { min: 1, max: 7 };
  const parts = Array.from({ length: partCount }, (_, i) =>
    g(fc.integer, { min: i === 0 ? rows.min : 1, max: i === 0 ? rows.max : 3 }),
  );
  const total = parts.reduce((a, b) => a + b, 0);
  const names = g(() => fc.uniqueArray(IDENTIFIER_NAME, { minLength: total, maxLength: total, selector: pascal }));
  return {
    id,
    name,
    format,
    ...optional("defines", options.defines),
    repeatedCodes,
    outcomes: g(fc.constantFrom, undefined, true, false),
    parts,
    names,
    codes: randomCodes(g, format, total, repeatedCodes, options.codePool),
  };
}

/** The registries a world's sets define, with the codes references may use (extensions' rows included). */
function registriesOf(skeletons: readonly Skeleton[]): Registries {
  const codes = (registry: Registry) =>
    skeletons.filter((s) => s.defines === registry).flatMap((s) => s.codes.flatMap((c) => c ?? []));
  return {
    has: new Set(skeletons.flatMap((s) => (s.defines ? [s.defines] : []))),
    replyCodes: codes("smtp-reply").filter((c): c is number => typeof c === "number"),
    classes: codes("enhanced-status-class").map(Number),
    subjectDetails: codes("enhanced-subject-detail").map(String),
    reasons: codes("bounce-reason").map(String),
  };
}

function notes(): fc.Arbitrary<RawNote[]> {
  // (fc.record builds objects without a prototype; a spec's notes are plain objects.)
  return fc.array(
    fc.record({ heading: TEXT, text: TEXT }, { requiredKeys: ["text"] }).map((note) => ({ ...note })),
    { minLength: 1, maxLength: 2 },
  );
}

interface BuiltSet {
  own: RawSet;
  extensions: RawSet[];
}

/** The set (and its extensions) with rows: texts, attributes, references, reasons, errata, outcomes. */
function buildSet(g: fc.GeneratorValue, sk: Skeleton, registries: Registries, extras: boolean): BuiltSet {
  const keys = g(() => fc.uniqueArray(KEY, { maxLength: 3 }));
  const inLogs = g(fc.integer, { min: -1, max: keys.length - 1 }); // at most one column is the text met in logs
  const columns: RawColumn[] = keys.map((key, c) => {
    const required = g(fc.constantFrom, undefined, true, false);
    const ditto =
      c === inLogs
        ? undefined
        : g(fc.option, fc.oneof(fc.constantFrom("同上", "〃"), TEXT), { nil: undefined, freq: 3 });
    return {
      key,
      heading: g(() => TEXT),
      language: g(() => LANGUAGE),
      description: g(() => TEXT),
      ...optional("required", required),
      ...optional("ditto", ditto),
      ...(c === inLogs && { inLogs: true }),
    };
  });
  const attributes: RawAttribute[] = g(() => fc.uniqueArray(KEY, { maxLength: 2 })).map((key) => {
    const type = g(fc.constantFrom, "string", "number", "integer", "boolean") as RawAttribute["type"];
    const values = g(
      fc.option,
      fc.uniqueArray(attributeValue(type), { minLength: 1, maxLength: 3, selector: (v) => String(v) }),
      { nil: undefined },
    );
    const labelled = values?.filter(() => g(fc.boolean));
    const labels =
      labelled && labelled.length > 0 ? Object.fromEntries(labelled.map((v) => [String(v), g(() => TEXT)])) : undefined;
    return {
      key,
      ...optional("heading", g(fc.option, TEXT, { nil: undefined })),
      description: g(() => TEXT),
      type,
      ...optional("enum", values),
      ...optional("labels", labels),
      ...optional("required", g(fc.constantFrom, undefined, true, false)),
    };
  });
  const logTexts = new Set<string>();
  const parts: RawEntry[][] = [];
  let row = 0;
  for (const size of sk.parts) {
    const entries: RawEntry[] = [];
    for (let i = 0; i < size; i++, row++) {
      const codes = sk.codes[row];
      const texts: Record<string, string> = {};
      for (const column of columns) {
        const above = own(entries[i - 1]?.texts, column.key);
        if (column.ditto !== undefined && above !== undefined && g(fc.boolean)) {
          texts[column.key] = column.ditto;
          continue;
        }
        if (column.required === false && g(fc.boolean)) continue;
        // The text met in logs tells the rows apart: unique, as the rules want.
        const text = g(() => (column.inLogs ? TEXT.filter((t) => !logTexts.has(t)) : TEXT));
        if (column.inLogs) logTexts.add(text);
        // The mark itself only where it can repeat a row above.
        texts[column.key] =
          column.ditto !== undefined && text === column.ditto && above === undefined ? `${text}.` : text;
      }
      const values: Record<string, Value> = {};
      for (const attribute of attributes) {
        if (attribute.required !== true && g(fc.boolean)) continue;
        values[attribute.key] = attribute.enum
          ? g(fc.constantFrom, ...attribute.enum)
          : g(attributeValue, attribute.type);
      }
      const entry: RawEntry = {
        ...(codes !== undefined && { code: codes.length === 1 ? codes[0]! : codes }),
        name: sk.names[row]!,
        ...(columns.length > 0 || g(fc.boolean) ? { texts } : {}),
        ...(attributes.length > 0 && (Object.keys(values).length > 0 || g(fc.boolean)) ? { attributes: values } : {}),
      };
      if (extras) addExtras(g, entry, registries);
      if (sk.outcomes !== false) {
        const digit = classDigit(sk.format, entry);
        if (digit !== undefined && CLASS_OUTCOME[digit] && g(fc.boolean))
          Object.assign(entry, { outcome: CLASS_OUTCOME[digit], outcomeBasis: "code-class" });
        else Object.assign(entry, { outcome: g(fc.constantFrom, ...OUTCOMES), outcomeBasis: "document" });
      }
      entries.push(entry);
    }
    parts.push(entries);
  }
  const base: RawSet = {
    id: sk.id,
    name: sk.name,
    table: g(() => TEXT),
    description: g(() => TEXT),
    codeFormat: sk.format,
    ...optional("defines", sk.defines),
    ...(sk.repeatedCodes && { repeatedCodes: true }),
    ...optional("outcomes", sk.outcomes),
    ...(columns.length > 0 || g(fc.boolean) ? { columns } : {}),
    ...(attributes.length > 0 ? { attributes } : {}),
    ...optional("notes", g(fc.option, notes(), { nil: undefined })),
    entries: parts[0]!,
  };
  const extensions = parts.slice(1).map(
    (entries): RawSet => ({
      extends: sk.id,
      table: g(() => TEXT),
      codeFormat: sk.format,
      ...optional("notes", g(fc.option, notes(), { nil: undefined })),
      entries,
    }),
  );
  return { own: base, extensions };
}

function addExtras(g: fc.GeneratorValue, entry: RawEntry, registries: Registries): void {
  const note = () => g(() => TEXT);
  // Non-standard codes of the form a document prints (a reply code, an x.y.z code) that no registry holds. Codes of
  // another type (a reply code written "5xx") are pinned by a counterexample below: refusing them is right too.
  const nonStandardReply = fc.integer({ min: 100, max: 999 }).filter((code) => !registries.replyCodes.includes(code));
  const nonStandardEnhanced = fc
    .tuple(fc.integer({ min: 0, max: 9 }), SUBJECT, DETAIL)
    .map(([c, s, d]) => `${c}.${s}.${d}`)
    .filter((code) => !resolves(code, registries));
  const enhancedCodes = enhancedCodesOf(registries);
  type Ref<C> = C | { code: C; standard: false; note: string };
  const refs = <C extends Code>(
    standard: readonly C[],
    nonStandard: fc.Arbitrary<C>,
  ): Ref<C> | Array<Ref<C>> | undefined => {
    const count = g(fc.constantFrom, 0, 0, 1, 1, 1, 2, 3);
    const list: Array<Ref<C>> = [];
    for (let i = 0; i < count; i++) {
      if (standard.length > 0 && g(fc.integer, { min: 0, max: 2 }) > 0) list.push(g(fc.constantFrom, ...standard));
      else list.push({ code: g(() => nonStandard), standard: false, note: note() });
    }
    if (list.length === 0) return undefined;
    return list.length === 1 && g(fc.boolean) ? list[0]! : list;
  };
  const reply = refs(registries.has.has("smtp-reply") ? registries.replyCodes : [], nonStandardReply);
  if (reply !== undefined) entry.replyCode = reply;
  const standardEnhanced =
    registries.has.has("enhanced-status-class") && registries.has.has("enhanced-subject-detail") ? enhancedCodes : [];
  const enhanced = refs(standardEnhanced, nonStandardEnhanced);
  if (enhanced !== undefined) entry.enhancedCode = enhanced;
  if (registries.has.has("bounce-reason") && registries.reasons.length > 0 && g(fc.boolean))
    entry.reason = g(fc.constantFrom, ...registries.reasons);
  if (g(fc.boolean)) {
    const first = codesOf(entry)[0];
    const reads = g(() =>
      fc.oneof(fc.integer(), TEXT).filter((r) => first === undefined || regKey(r) !== regKey(first)),
    );
    entry.erratum = { sourceReads: reads, note: note() };
  }
}

/** The class digit outcomeBasis code-class takes (the outcome rule): the row's own code, or the first code it carries. */
function classDigit(format: Format, entry: RawEntry): string | undefined {
  const first = codesOf(entry)[0];
  if (
    first !== undefined &&
    (format === "smtp-reply" || format === "enhanced-status" || (format === "pattern" && /^[2-5]/.test(String(first))))
  )
    return String(first)[0];
  const carried = listOf(entry.replyCode)[0] ?? listOf(entry.enhancedCode)[0];
  if (carried === undefined) return undefined;
  return String(typeof carried === "object" ? carried.code : carried)[0];
}

function randomSource(g: fc.GeneratorValue): RawSource {
  const url = g(fc.option, fc.webUrl(), { nil: undefined });
  return {
    file: `sources/${g(fc.stringMatching, /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,11}$/)}`,
    title: g(() => TEXT),
    publisher: g(() => TEXT),
    ...(url !== undefined && { url }),
    language: g(() => LANGUAGE),
  };
}

/** The sets in random.yaml, their extensions (if any) in random-extension.yaml. */
function worldOf(g: fc.GeneratorValue, built: readonly BuiltSet[]): World {
  const world: World = {
    "random.yaml": {
      source: randomSource(g),
      ...optional("notes", g(fc.option, notes(), { nil: undefined })),
      codeSets: built.map((b) => b.own),
    },
  };
  const extensions = built.flatMap((b) => b.extensions);
  if (extensions.length > 0) {
    // In any order: a set's rows are its own, then its extensions' in the order the spec lists them.
    const ordered = g(() =>
      fc.shuffledSubarray(extensions, { minLength: extensions.length, maxLength: extensions.length }),
    );
    world["random-extension.yaml"] = {
      source: randomSource(g),
      ...optional("notes", g(fc.option, notes(), { nil: undefined })),
      codeSets: ordered,
    };
  }
  return world;
}

/** (a) A random valid spec (and maybe its extension spec) of 1-3 sets next to the given registries. */
function randomUserWorld(
  g: fc.GeneratorValue,
  registries: Registries,
  taken: readonly string[],
  extras: boolean,
): World {
  const count = g(fc.integer, { min: 1, max: 3 });
  const ids = new Set([
    "smtp-reply-code",
    "enhanced-status-class",
    "enhanced-status-subject",
    "enhanced-status-subject-detail",
    "bounce-reason",
  ]);
  const names: NamePool = { taken: [...taken], adversarial: true };
  const skeletons = Array.from({ length: count }, () => randomSkeleton(g, { ids, names, extensions: extras }));
  return worldOf(
    g,
    skeletons.map((sk) => buildSet(g, sk, registries, extras)),
  );
}

/** (b) Random sets that define the registries themselves, and sets that use them, in one or two specs. */
function randomRegistryWorld(g: fc.GeneratorValue): World {
  const ids = new Set<string>();
  const names: NamePool = { taken: [], adversarial: true };
  const skeletons: Skeleton[] = [];
  // Each is defined: without one, references resolve against the generator's own registries.
  const define = (
    registry: Registry,
    format: Format,
    codePool: fc.Arbitrary<Code> | undefined,
    rows: { min: number; max: number },
  ) => {
    // (A class registry has at most the three codes 2, 4 and 5: no room for extensions.)
    const extensions = registry !== "enhanced-status-class";
    skeletons.push(
      randomSkeleton(g, { ids, names, format, defines: registry, extensions, rows, ...optional("codePool", codePool) }),
    );
  };
  define("smtp-reply", "smtp-reply", undefined, { min: 1, max: 6 });
  define("enhanced-status-class", "integer", CLASS, { min: 1, max: 3 });
  define("enhanced-subject-detail", "enhanced-subject-detail", CODES["enhanced-subject-detail"], { min: 1, max: 6 });
  const users = g(fc.integer, { min: 0, max: 2 });
  for (let i = 0; i < users; i++) skeletons.push(randomSkeleton(g, { ids, names, extensions: true }));
  const ordered = g(() => fc.shuffledSubarray(skeletons, { minLength: skeletons.length, maxLength: skeletons.length }));
  if (ordered.length === 0) ordered.push(randomSkeleton(g, { ids, names, extensions: false }));
  const registries = registriesOf(ordered);
  return worldOf(
    g,
    ordered.map((sk) => buildSet(g, sk, registries, g(fc.boolean))),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// What the generated modules must hold, computed from the spec data alone

/** A set as the modules see it: its own rows, then its extensions' (in spec file order, then as listed). */
interface SetPlan {
  spec: RawSpec;
  set: RawSet;
  parts: Array<{ spec: RawSpec; set: RawSet }>;
  rows: Array<{ entry: RawEntry; part: number; index: number }>;
}

function plansOf(world: World): SetPlan[] {
  const files = Object.keys(world).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const all = files.flatMap((file) => world[file]!.codeSets.map((set) => ({ spec: world[file]!, set })));
  return all
    .filter(({ set }) => set.extends === undefined)
    .map(({ spec, set }) => {
      const parts = [{ spec, set }, ...all.filter((e) => e.set.extends === set.id)];
      return {
        spec,
        set,
        parts,
        rows: parts.flatMap((p, part) => p.set.entries.map((entry, index) => ({ entry, part, index }))),
      };
    });
}

const codeOf = (entry: RawEntry): Code => codesOf(entry)[0] ?? pascal(entry.name);

/** What lookupX, xEntries and lookupAllX give for a row: all of its spec data. */
function expectedInfo(plan: SetPlan, row: number): Record<string, unknown> {
  const { entry, part, index } = plan.rows[row]!;
  const rowsOfPart = plan.parts[part]!.set.entries;
  const texts: Record<string, string> = {};
  const ditto: Record<string, { mark: string; from: Code }> = {};
  for (const column of plan.set.columns ?? []) {
    const text = own(entry.texts, column.key);
    if (text === undefined) continue;
    if (column.ditto === undefined || text !== column.ditto || index === 0) {
      texts[column.key] = text;
      continue;
    }
    let from = index - 1;
    while (from > 0 && own(rowsOfPart[from]!.texts, column.key) === column.ditto) from--;
    texts[column.key] = own(rowsOfPart[from]!.texts, column.key)!;
    ditto[column.key] = { mark: column.ditto, from: codeOf(rowsOfPart[from]!) };
  }
  const info: Record<string, unknown> = { source: plan.set.id, code: codeOf(entry) };
  const codes = codesOf(entry);
  if (codes.length > 1) info["codes"] = codes;
  info["name"] = pascal(entry.name);
  if (entry.outcome !== undefined) Object.assign(info, { outcome: entry.outcome, outcomeBasis: entry.outcomeBasis });
  info["texts"] = texts;
  if ((plan.set.attributes ?? []).length > 0) info["attributes"] = entry.attributes ?? {};
  for (const field of ["replyCode", "enhancedCode"] as const) {
    const refs = listOf(entry[field]);
    const standard = refs.filter((r): r is Code => typeof r !== "object");
    const other = refs
      .filter((r): r is RawReference => typeof r === "object")
      .map((r) => ({ code: r.code, note: r.note }));
    const otherField = `nonStandard${capitalize(field)}`;
    if (standard.length > 0) info[field] = standard[0];
    if (standard.length > 1) info[`${field}s`] = standard;
    if (other.length > 0) info[otherField] = other[0];
    if (other.length > 1) info[`${otherField}s`] = other;
  }
  if (entry.reason !== undefined) info["reason"] = entry.reason;
  if (entry.erratum) info["erratum"] = entry.erratum;
  if (Object.keys(ditto).length > 0) info["ditto"] = ditto;
  return info;
}

function expectedTable(plan: SetPlan): Record<string, unknown> {
  const part = ({ spec, set }: { spec: RawSpec; set: RawSet }) => ({
    document: spec.source,
    table: set.table,
    ...(spec.notes && spec.notes.length > 0 && { documentNotes: spec.notes }),
    ...(set.notes && set.notes.length > 0 && { notes: set.notes }),
  });
  return {
    id: plan.set.id,
    description: plan.set.description,
    ...part(plan.parts[0]!),
    columns: (plan.set.columns ?? []).map(({ key, heading, language }) => ({ key, heading, language })),
    ...(plan.parts.length > 1 && { extensions: plan.parts.slice(1).map(part) }),
  };
}

/** The key a lookup finds a code by (runtime codeKey): integers by value, strings exactly as written. */
const exactKey = (value: unknown) =>
  typeof value === "number" && Number.isInteger(value)
    ? `#${value}`
    : typeof value === "string"
      ? `=${value}`
      : undefined;

/** The rows a lookupAll(value) gives: those listing the value itself; else those with a range holding it. Each once. */
function rowsFor(plan: SetPlan, value: Code): number[] {
  const format = plan.set.codeFormat;
  const exact = plan.rows.flatMap((r, i) => (codesOf(r.entry).some((c) => exactKey(c) === exactKey(value)) ? [i] : []));
  if (format === "none") return plan.rows.flatMap((r, i) => (pascal(r.entry.name) === value ? [i] : []));
  // The rows of the code itself, then those whose range holds it.
  return [
    ...exact,
    ...plan.rows.flatMap((r, i) =>
      !exact.includes(i) && codesOf(r.entry).some((c) => inRange(c, format, value)) ? [i] : [],
    ),
  ];
}

function inRange(code: Code, format: Format, value: Code): boolean {
  const range = rangeOf(code, format);
  if (!range) return false;
  if (typeof value === "number") return range.prefix === "" && value >= range.low && value <= range.high;
  if (range.prefix === "" || !value.startsWith(range.prefix) || !/^[0-9]{1,3}$/.test(value.slice(range.prefix.length)))
    return false;
  const n = Number(value.slice(range.prefix.length));
  return n >= range.low && n <= range.high;
}

/** Concrete codes inside each range that no row lists itself: lookups must find the range's row. */
function probesOf(plan: SetPlan): Code[] {
  const format = plan.set.codeFormat;
  const listed = new Set(plan.rows.flatMap((r) => codesOf(r.entry).map((c) => exactKey(c))));
  return [
    ...new Set(
      plan.rows.flatMap((r) =>
        codesOf(r.entry).flatMap((code) => {
          const range = rangeOf(code, format);
          if (!range) return [];
          return [range.low, range.high, Math.floor((range.low + range.high) / 2)].map((n) =>
            range.prefix === "" ? n : `${range.prefix}${n}`,
          );
        }),
      ),
    ),
  ].filter((probe) => !listed.has(exactKey(probe)));
}

/** Whether the runtime's token reader finds an enhanced code in text: class 2, 4 or 5, a subject 0-7, a detail of 1-3 digits. */
const readableEnhanced = (code: string) => /^[245]\.[0-7]\.(0|[1-9][0-9]{0,2})$/.test(code);

// ---------------------------------------------------------------------------------------------------------------
// Running the generated modules

const transpiled = new Map<string, string>();

/** Every generated module, run in process from its text (transpiled by esbuild): loads each by its file name. */
function moduleLoader(files: readonly GeneratedFile[]): (file: string) => Record<string, unknown> {
  const texts = new Map(files.map((f) => [f.path, f.text]));
  const loaded = new Map<string, { exports: Record<string, unknown> }>();
  const load = (file: string): Record<string, unknown> => {
    const cached = loaded.get(file);
    if (cached) return cached.exports;
    const text = texts.get(file);
    if (text === undefined) throw new Error(`no generated module ${file}`);
    let code = transpiled.get(text);
    if (code === undefined) {
      code = transformSync(text, { loader: "ts", format: "cjs", target: "es2020", sourcefile: file }).code;
      transpiled.set(text, code);
    }
    const module = { exports: {} as Record<string, unknown> };
    loaded.set(file, module);
    const require = (id: string) => {
      if (id === "mailcodes-runtime") return runtime; // what every generated module imports its logic from
      const match = /^\.\/([a-z0-9-]+)\.js$/.exec(id);
      if (!match) throw new Error(`${file} imports ${id}, which is not a generated module`);
      return load(`${match[1]}.ts`);
    };
    new Function("module", "exports", "require", code)(module, module.exports, require);
    return module.exports;
  };
  return load;
}

/** Imports every module (index.ts last) in Node itself, as ES modules: "" when none throws, else what was thrown. */
async function importNatively(outDir: string, jsDir: string): Promise<string> {
  await mkdir(jsDir, { recursive: true });
  await writeFile(path.join(jsDir, "package.json"), JSON.stringify({ type: "module" }));
  // The modules import mailcodes-runtime: the workspace's, built.
  await symlink(path.join(ROOT, "node_modules"), path.join(jsDir, "node_modules"), "dir");
  const names = (await readdir(outDir))
    .filter((n) => n.endsWith(".ts"))
    .sort((a, b) => (a === "index.ts" ? 1 : b === "index.ts" ? -1 : a < b ? -1 : 1));
  for (const name of names) {
    const { code } = transformSync(await readFile(path.join(outDir, name), "utf8"), {
      loader: "ts",
      format: "esm",
      target: "es2020",
      sourcefile: name,
    });
    await writeFile(path.join(jsDir, name.replace(/\.ts$/, ".js")), code);
  }
  const urls = names.map((n) => pathToFileURL(path.join(jsDir, n.replace(/\.ts$/, ".js"))).href);
  const script =
    "for (const url of process.argv.slice(1)) { const m = await import(url); if (Object.keys(m).length === 0) throw new Error(url + ' exports nothing'); }";
  try {
    await exec(process.execPath, ["--input-type=module", "-e", script, ...urls]);
    return "";
  } catch (error) {
    return String((error as { stderr?: string }).stderr ?? error);
  }
}

type Fn = (...args: unknown[]) => unknown;

/** Every lookup, guard, parser, name lookup, list, map and table of each set returns exactly the spec's data. */
function checkModules(world: World, files: readonly GeneratedFile[]): void {
  const load = moduleLoader(files);
  const index = load("index.ts");
  for (const plan of plansOf(world)) {
    const { set } = plan;
    const mod = load(`${set.id}.ts`);
    const name = pascal(set.name!);
    const lower = lowerFirst(name);
    const fn = (key: string) => {
      expect(typeof mod[key], `${set.id}.ts exports ${key}`).toBe("function");
      return mod[key] as Fn;
    };
    const [lookup, is, fromName, parseCode] = [
      fn(`lookup${name}`),
      fn(`is${name}`),
      fn(`${lower}FromName`),
      fn(`parse${name}`),
    ];
    const lookupAll = mod[`lookupAll${name}`] as Fn | undefined;
    expect(lookupAll !== undefined, `lookupAll${name} exactly when the set says repeatedCodes`).toBe(
      set.repeatedCodes === true,
    );
    const infos = plan.rows.map((_, i) => expectedInfo(plan, i));
    const format = set.codeFormat;
    const rowCode = (i: number) => codeOf(plan.rows[i]!.entry);

    // The entries, in the document's order; ditto.from names the origin row's code (unless a known bug says otherwise).
    const entries = mod[`${lower}Entries`] as Array<Record<string, unknown>>;
    expect(entries.length).toBe(plan.rows.length);
    entries.forEach((actual, i) => {
      const expected = { ...infos[i]! };
      expect(actual, `${set.id} entry ${i + 1}`).toStrictEqual(expected);
    });
    const entryAt = (i: number) => entries[i];

    // The enum object, the name lookup, the map of first rows.
    const object = mod[name] as Record<string, unknown>;
    expect(Object.entries(object)).toEqual(plan.rows.map((r, i) => [pascal(r.entry.name), rowCode(i)]));
    plan.rows.forEach((r, i) => {
      expect(fromName(pascal(r.entry.name))).toStrictEqual(rowCode(i));
    });
    for (const unknown of ["toString", "constructor", "__proto__", ""])
      if (!plan.rows.some((r) => pascal(r.entry.name) === unknown)) expect(fromName(unknown)).toBeUndefined();
    const firstRows = new Map<Code, Record<string, unknown>>();
    plan.rows.forEach((_, i) => {
      if (!firstRows.has(rowCode(i))) firstRows.set(rowCode(i), entryAt(i)!);
    });
    expect([...(mod[`${lower}Infos`] as ReadonlyMap<Code, unknown>)]).toEqual([...firstRows]);
    expect(mod[`${lower}Table`]).toStrictEqual(expectedTable(plan));

    // Lookups by every code a row lists, and by codes inside ranges; the index's lookup agrees.
    const listed =
      format === "none" ? plan.rows.map((r) => pascal(r.entry.name)) : plan.rows.flatMap((r) => codesOf(r.entry));
    for (const value of [...listed, ...probesOf(plan)]) {
      const rows = rowsFor(plan, value);
      expect(rows.length, `${set.id}: rows for ${JSON.stringify(value)}`).toBeGreaterThan(0);
      const found = lookup(value);
      expect(found, `lookup${name}(${JSON.stringify(value)})`).toBe(entryAt(rows[0]!));
      if (lookupAll) expect(lookupAll(value), `lookupAll${name}(${JSON.stringify(value)})`).toEqual(rows.map(entryAt));
      expect(is(value), `is${name}(${JSON.stringify(value)})`).toBe(true); // a row's code, or one inside its range
      expect(
        (index["lookup"] as Fn)(set.id, value),
        `lookup(${JSON.stringify(set.id)}, ${JSON.stringify(value)})`,
      ).toBe(found);
    }
    for (const unknown of [
      undefined,
      null,
      {},
      [],
      "__proto__",
      "constructor",
      "toString",
      Number.NaN,
      1e300,
      5.5,
      -0.5,
      "",
    ]) {
      if (listed.some((c) => Object.is(c, unknown))) continue;
      expect(lookup(unknown), `lookup${name}(${String(unknown)})`).toBeUndefined();
      expect(is(unknown)).toBe(false);
      if (lookupAll) expect(lookupAll(unknown)).toEqual([]);
    }
    expect((index["lookup"] as Fn)("no-such-set", listed[0])).toBeUndefined();
    expect((index["lookup"] as Fn)("__proto__", listed[0])).toBeUndefined();

    // Parsers: every code read back from its text form, a range's as written; a code inside a range as itself.
    if (format !== "none") {
      for (const code of listed) {
        const first = plan.rows.findIndex((r) => codesOf(r.entry).some((c) => regKey(c) === regKey(code)));
        const expected = codesOf(plan.rows[first]!.entry).find((c) => regKey(c) === regKey(code))!;
        const actual = parseCode(` ${String(code)} `);
        expect(actual, `parse${name}(${JSON.stringify(` ${String(code)} `)})`).toStrictEqual(expected);
      }
      for (const probe of probesOf(plan)) {
        // Codes are read from text with a one-digit subject 0-7 (so that version numbers are not codes).
        if (typeof probe === "string" && !readableEnhanced(probe)) continue;
        expect(parseCode(` ${String(probe)} `), `parse${name}(${JSON.stringify(String(probe))})`).toStrictEqual(probe);
      }
      expect(parseCode("")).toBeUndefined();
    }
    // A set known by its messages: parse finds an entry by the text met in logs.
    const logColumn = set.columns?.find((c) => c.inLogs);
    if (format === "none" && logColumn) {
      // Texts compared as the runtime compares them (white space, quotes and reply-code prefixes folded).
      const fold = runtime.foldText;
      const logText = (i: number) => (infos[i]!["texts"] as Record<string, string | undefined>)[logColumn.key];
      const folded = plan.rows.map((_, i) => fold(logText(i) ?? "").replace(/ /g, ""));
      plan.rows.forEach((r, i) => {
        const text = logText(i);
        if (text === undefined || folded[i] === "") return;
        const found = parseCode(text);
        expect(found, `parse${name}(${JSON.stringify(text)}) finds an entry`).toBeDefined();
        // The entry itself, unless another message contains this one or is contained in it (either may be the match).
        const alike = folded.some(
          (other, j) => j !== i && other !== "" && (other.includes(folded[i]!) || folded[i]!.includes(other)),
        );
        if (!alike) expect(found, `parse${name}(${JSON.stringify(text)})`).toBe(pascal(r.entry.name));
      });
    }
  }
}

/** Registry checks: every class with every subject.detail is a full enhanced status code, found in text. */
function checkEnhancedCodes(world: World, files: readonly GeneratedFile[]): void {
  const plans = plansOf(world);
  const classes = plans.find((p) => p.set.defines === "enhanced-status-class");
  const details = plans.find((p) => p.set.defines === "enhanced-subject-detail");
  if (!classes || !details) return;
  const mod = moduleLoader(files)(`${details.set.id}.ts`);
  const [is, parseCode] = [mod["isEnhancedStatusCode"] as Fn, mod["parseEnhancedStatusCode"] as Fn];
  const classCodes = classes.rows.flatMap((r) => codesOf(r.entry));
  for (const sd of details.rows.flatMap((r) => codesOf(r.entry)).map(String)) {
    for (const cls of classCodes) {
      const full = `${cls}${sd.slice(1)}`;
      expect(is(full), `isEnhancedStatusCode(${JSON.stringify(full)})`).toBe(true);
      // Codes are read from text with a one-digit subject 0-7 (so that version numbers are not codes).
      if (!readableEnhanced(full)) continue;
      expect(parseCode(`Status: ${full}`), `parseEnhancedStatusCode("Status: ${full}")`).toBe(full);
    }
    for (const cls of [2, 4, 5].filter((c) => !classCodes.includes(c))) expect(is(`${cls}${sd.slice(1)}`)).toBe(false);
  }
  expect(is("9.9.9")).toBe(false);
  expect(is(551)).toBe(false);
}

/** What the checked worlds held, by property: printed at the end, to show the properties are not vacuous. */
const coverage = new Map<string, Map<string, number>>();
function tally(property: string, world: World): void {
  const counts = coverage.get(property) ?? new Map<string, number>();
  coverage.set(property, counts);
  const add = (feature: string, yes: boolean) => yes && counts.set(feature, (counts.get(feature) ?? 0) + 1);
  add("worlds", true);
  for (const plan of plansOf(world)) {
    const entries = plan.rows.map((r) => r.entry);
    add(`format ${plan.set.codeFormat}`, true);
    add(`defines ${plan.set.defines}`, plan.set.defines !== undefined);
    add(
      "ranges",
      entries.some((e) => codesOf(e).some((c) => rangeOf(c, plan.set.codeFormat))),
    );
    add(
      "enhanced parts of 2-3 digits",
      entries.some((e) =>
        codesOf(e).some(
          (c) => typeof c === "string" && /[0-9]{2}/.test(c) && plan.set.codeFormat.startsWith("enhanced"),
        ),
      ),
    );
    add(
      "rows with several codes",
      entries.some((e) => codesOf(e).length > 1),
    );
    add("repeatedCodes", plan.set.repeatedCodes === true);
    add("extensions", plan.parts.length > 1);
    add(
      "reference lists",
      entries.some((e) => Array.isArray(e.replyCode) || Array.isArray(e.enhancedCode)),
    );
    add(
      "non-standard references",
      entries.some((e) => [...listOf(e.replyCode), ...listOf(e.enhancedCode)].some((r) => typeof r === "object")),
    );
    add(
      "reasons",
      entries.some((e) => e.reason !== undefined),
    );
    add(
      "errata",
      entries.some((e) => e.erratum !== undefined),
    );
    add(
      "ditto marks",
      entries.some((e) =>
        (plan.set.columns ?? []).some((c) => c.ditto !== undefined && own(e.texts, c.key) === c.ditto),
      ),
    );
    add(
      "inLogs parse (codeFormat none)",
      plan.set.codeFormat === "none" && (plan.set.columns ?? []).some((c) => c.inLogs),
    );
  }
}
/** Why random specs were refused (in memory), by kind of diagnostic. */
const refusals = new Map<string, number>();
const refusalKind = (message: string) => message.replace(/"[^"]*"|`[^`]*`|\b[A-Z]\w*\b|spec\/\S+/g, "…").slice(0, 60);
afterAll(() => {
  console.log(`refusals (in memory): ${[...refusals].map(([kind, n]) => `${kind} (${n})`).join("; ")}`);
  for (const [property, counts] of coverage)
    console.log(`${property}: ${[...counts].map(([feature, n]) => `${feature} ${n}`).join(", ")}`);
});

// ---------------------------------------------------------------------------------------------------------------
// Refusals: only for names and keys that collide with what the generated code declares or inherits

/** Every name a set's module may declare at top level (an over-approximation: every outcome, lookupAll always). */
function declaredBy(set: RawSet): string[] {
  const type = pascal(set.name!);
  const lower = lowerFirst(type);
  const names = [
    type,
    `${type}Info`,
    `${type}InfoOf`,
    `${lower}Table`,
    `${lower}Entries`,
    `${lower}Infos`,
    `is${type}`,
    `lookup${type}`,
    `lookupAll${type}`,
    `${lower}FromName`,
    `parse${type}`,
    `parse${type}Entry`,
    `${type}InRange`,
    ...OUTCOMES.map((o) => type + capitalize(o)),
  ];
  if (set.defines === "enhanced-subject-detail")
    names.push(
      "EnhancedStatusCode",
      "isEnhancedStatusCode",
      "parseEnhancedStatusCode",
      "lookupEnhancedStatusCode",
      "EnhancedStatusCodeInfo",
      "SubjectDetail",
      ...OUTCOMES.map((o) => `EnhancedStatusCode${capitalize(o)}`),
    );
  return names;
}

/** What the index declares, and library types a module uses or a reader expects to mean the usual thing. */
/** What the index declares (and, with a bounce-reason registry, re-exports), and the XInfoOf type parameters. */
const INDEX_DECLARES = new Set([
  "CodeInfo",
  "CodeSource",
  "CodesBySource",
  "InfoBySource",
  "lookup",
  "LOOKUPS",
  "classify",
  "BounceClassification",
  "BounceFacts",
  "BounceAction",
  "SetupArea",
  "Evidence",
  "C",
  "O",
]);
const LIBRARY_TYPES = new Set([
  "Partial",
  "Readonly",
  "ReadonlyArray",
  "ReadonlyMap",
  "Record",
  "Required",
  "Pick",
  "Omit",
]);

/**
 * Whether a diagnostic refuses the world for a reason that is right: a set name that declares what another set (or
 * the index, or a global) declares; a key every object inherits; a module id the generator writes itself; or a
 * known bug's refusal. Anything else refuses a valid spec.
 */
function rightRefusal(world: World, beside: readonly LoadedSpec[], message: string): boolean {
  const specs = [...Object.values(world), ...beside.map((s) => s.data as RawSpec)];
  const sets = specs.flatMap((spec) => spec.codeSets.filter((s) => s.extends === undefined));
  const byName = (name: string) => sets.filter((s) => s.name === name);
  let m = /^name "(.+)" declares (\w+), a global or a name the generated code uses itself; choose another$/.exec(
    message,
  );
  if (m)
    return (
      byName(m[1]!).some((s) => declaredBy(s).includes(m![2]!)) &&
      (INDEX_DECLARES.has(m[2]!) || LIBRARY_TYPES.has(m[2]!) || m[2]! in globalThis)
    );
  m =
    /^name "(.+)" declares (\w+), which mailcodes-runtime exports \(the generated modules import from it\); choose another$/.exec(
      message,
    );
  if (m) return byName(m[1]!).some((s) => declaredBy(s).includes(m![2]!)) && RUNTIME_EXPORTS.includes(m[2]!);
  m = /^name "(.+)" declares (\w+), which the set at .+ declares too; choose another$/.exec(message);
  if (m) {
    const [, name, declared] = m;
    return (
      byName(name!).some((s) => declaredBy(s).includes(declared!)) &&
      sets.filter((s) => declaredBy(s).includes(declared!)).length >= 2
    );
  }
  m = /^key `(\w+)` is a name every JavaScript object already has; choose another$/.exec(message);
  if (m) return m[1]! in Object.prototype;
  m = /^code set id `(\w+)` would overwrite the generated \w+\.ts; choose another$/.exec(message);
  if (m) return m[1] === "index" || m[1] === "runtime";
  // A key refused above is also missing where an attribute says required: the same cause.
  m = /^missing required attribute `(\w+)`$/.exec(message);
  if (m) return m[1]! in Object.prototype;
  return false;
}

// ---------------------------------------------------------------------------------------------------------------

/**
 * The spec as YAML, written by the yaml package. Its block scalars lose a leading space in a few texts (" \n" is
 * written as "|+" with no indentation indicator and reads back as "\n"): such a spec is written double-quoted.
 */
function toYaml(spec: RawSpec): string {
  const plain = stringify(spec, { aliasDuplicateObjects: false });
  if (isDeepStrictEqual(parse(plain), spec)) return plain;
  return stringify(spec, { aliasDuplicateObjects: false, defaultStringType: "QUOTE_DOUBLE", defaultKeyType: "PLAIN" });
}

function yamlOf(world: World): Record<string, string> {
  const texts = Object.fromEntries(Object.entries(world).map(([file, spec]) => [file, toYaml(spec)]));
  for (const [file, text] of Object.entries(texts))
    expect(parse(text), `yaml writes ${file} faithfully`).toStrictEqual(world[file]);
  return texts;
}

/** Re-throws with the specs that failed, as YAML (fast-check's record of a generator is hard to read). */
function withSpecs(texts: Record<string, string>, error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  const shown = Object.entries(texts)
    .map(
      ([file, text]) =>
        `--- ${file} ---\n${text.length > 6000 ? `${text.slice(0, 6000)}\n... (${text.length} characters)` : text}`,
    )
    .join("\n");
  throw new Error(`${message}\n${shown}`, { cause: error });
}

/** The attributes the classifier requires of a bounce-reason registry's rows (see rule-rows.ts). */
const REASON_ATTRIBUTES: RawAttribute[] = [
  {
    key: "hardBounce",
    type: "string",
    enum: ["always", "never", "when-permanent"],
    required: true,
    description: "Whether the address is dead.",
  },
  {
    key: "action",
    type: "string",
    enum: ["retry", "suppress", "fix-setup", "change-message", "ask-recipient", "none"],
    required: true,
    description: "What to do.",
  },
];

/**
 * A bounce-reason registry of the real one's codes (the documents' entries name them) without its rules, which would
 * bring the wording and code rule sets into every run: references to reasons resolve against it.
 */
const REAL_REASONS = (
  parse(readFileSync(path.join(SPEC_DIR, "bounce-reasons.yaml"), "utf8")) as {
    codeSets: { id: string; entries: { code: string }[] }[];
  }
).codeSets
  .find((set) => set.id === "bounce-reason")!
  .entries.map((entry) => entry.code);
const REASONS_YAML = `source: { file: sources/reasons.txt, title: Bounce reasons, publisher: mailcodes tests, language: en }
codeSets:
  - id: bounce-reason
    name: Bounce Reason
    table: Reasons
    description: Why a bounce happens, as a classifier reports it.
    codeFormat: alphanumeric
    defines: bounce-reason
    outcomes: false
    attributes:
${REASON_ATTRIBUTES.map((a) => `      - { key: ${a.key}, type: string, enum: [${(a.enum ?? []).join(", ")}], required: true, description: ${a.description} }`).join("\n")}
    entries:
${REAL_REASONS.map((code) => `      - { code: ${code}, name: ${code}, attributes: { hardBounce: never, action: retry } }`).join("\n")}
`;

/** The newer spec features in one spec, for the mutations: ranges, code lists, repeated codes, reasons, reference lists, an extension. */
const FEATURES_YAML = `source: { file: sources/features.txt, title: Features, publisher: mailcodes tests, language: en }
notes:
  - { heading: Note, text: A vendor's table. }
codeSets:
  - id: vendor-status
    name: Vendor Status
    table: NDR codes
    description: A vendor's enhanced codes.
    codeFormat: enhanced-status
    repeatedCodes: true
    columns:
      - { key: text, heading: Description, language: en, description: The text., ditto: same }
    attributes:
      - { key: weight, type: number, enum: [1, 0.5], labels: { "1": one }, description: A weight. }
    entries:
      - { code: 4.4.316, name: Connection refused, texts: { text: a }, outcome: transient, outcomeBasis: code-class }
      - { code: 5.7.708, name: Tenant ip blocked, texts: { text: same }, outcome: permanent, outcomeBasis: code-class, reason: userunknown }
      - { code: [5.4.6, 5.4.14], name: Routing loop, texts: { text: c }, attributes: { weight: 1 }, outcome: permanent, outcomeBasis: code-class }
      - { code: 5.7.500-699, name: Access denied, texts: { text: d }, outcome: permanent, outcomeBasis: code-class }
      - { code: 5.1.1, name: Bad address, texts: { text: e }, outcome: permanent, outcomeBasis: code-class, enhancedCode: 5.1.1 }
      - code: 5.1.1
        name: Bad address again
        texts: { text: f }
        outcome: permanent
        outcomeBasis: code-class
        replyCode: [550, { code: 571, standard: false, note: Not standard. }]
        enhancedCode: [5.1.1, { code: 5.9.12, standard: false, note: Not registered. }]
        erratum: { sourceReads: 5.1.11, note: Misprinted. }
  - id: vendor-number
    name: Vendor Number
    table: Numbers
    description: A vendor's numbers.
    codeFormat: integer
    columns:
      - { key: text, heading: Text, language: en, description: The text., inLogs: true }
    entries:
      - { code: 600-699, name: Six hundreds, texts: { text: six }, outcome: failure, outcomeBasis: document, replyCode: 550 }
      - { code: [7, -8], name: Seven, texts: { text: seven }, outcome: transient, outcomeBasis: code-class, replyCode: [421, 450] }
  - extends: bounce-reason
    table: More reasons
    codeFormat: alphanumeric
    entries:
      - { code: quotaexceeded, name: Quota exceeded, attributes: { hardBounce: never, action: retry } }
`;

let registrySpecs: LoadedSpec[];
let realRegistries: Registries;
let emitOptions: { generatorVersion: string };
beforeAll(async () => {
  emitOptions = { generatorVersion: await generatorVersion() };
  registrySpecs = [];
  for (const name of REGISTRY_SPECS) {
    const { spec, diagnostics } = parseSpec(`spec/${name}`, await readFile(path.join(REGISTRY_DIR, name)));
    expect(diagnostics).toEqual([]);
    registrySpecs.push(spec!);
  }
  registrySpecs.push(parseSpec("spec/reasons.yaml", Buffer.from(REASONS_YAML)).spec!);
  const sets = registrySpecs.flatMap((s) => (s.data as RawSpec).codeSets);
  const codes = (defines: Registry) => {
    const base = sets.find((s) => s.defines === defines)!;
    return [base, ...sets.filter((s) => s.extends === base.id)].flatMap((s) => s.entries.flatMap(codesOf));
  };
  realRegistries = {
    has: new Set(["smtp-reply", "enhanced-status-class", "enhanced-subject-detail", "bounce-reason"]),
    replyCodes: codes("smtp-reply").filter((c): c is number => typeof c === "number"),
    classes: codes("enhanced-status-class").map(Number),
    subjectDetails: codes("enhanced-subject-detail").map(String),
    reasons: codes("bounce-reason").map(String),
  };
  expect(realRegistries.replyCodes).toContain(550);
  expect(enhancedCodesOf(realRegistries)).toContain("5.1.1");
});

/** The names the registries' sets take. */
const REGISTRY_NAMES = [
  "Smtp Reply Code",
  "Enhanced Status Class",
  "Enhanced Status Subject",
  "Enhanced Status Subject Detail",
  "Bounce Reason",
];

/** load → validate → emit, in memory, the world next to the given specs; undefined when rightly refused. */
function pipeline(
  world: World,
  texts: Record<string, string>,
  beside: readonly LoadedSpec[],
): GeneratedFile[] | undefined {
  const loaded = Object.entries(texts).map(([file, text]) => {
    const { spec, diagnostics } = parseSpec(`spec/${file}`, Buffer.from(text));
    expect(diagnostics, `${file} loads`).toEqual([]);
    return spec!;
  });
  const specs = [...beside, ...loaded];
  const result = checkAndModel(specs, new Set(specs.map((s) => (s.data as RawSpec).source.file)), "spec");
  if (result.diagnostics.length > 0) {
    for (const d of result.diagnostics)
      refusals.set(refusalKind(d.message), (refusals.get(refusalKind(d.message)) ?? 0) + 1);
    const wrong = result.diagnostics.filter((d) => !rightRefusal(world, beside, d.message));
    expect(
      wrong.map((d) => `${d.file}:${d.line}:${d.column}: ${d.message}`),
      "a valid spec refused",
    ).toEqual([]);
    return undefined;
  }
  return emit(result.catalog!, emitOptions);
}

describe("random valid specs", () => {
  for (const extras of [false, true]) {
    it(`emit in memory, import, and every lookup returns the spec's data (${extras ? "with references, reasons, errata, code lists, extensions" : "texts, codes, ranges, names, attributes, ditto marks"})`, () => {
      let emitted = 0;
      fc.assert(
        fc.property(fc.gen(), (g) => {
          const world = randomUserWorld(g, realRegistries, REGISTRY_NAMES, extras);
          const texts = yamlOf(world);
          try {
            const files = pipeline(world, texts, registrySpecs);
            if (!files) return;
            checkModules(world, files);
            tally(`in memory${extras ? ", with extras" : ""}`, world);
            emitted++;
          } catch (error) {
            withSpecs(texts, error);
          }
        }),
        { seed: SEED + (extras ? 1 : 0), numRuns: 150, plugins: [fc.interruptAfterTimeLimit(9_000)] },
      );
      expect(emitted, "random specs generated and checked (not refused)").toBeGreaterThanOrEqual(20);
    }, 30_000);
  }

  it("generate through the CLI, type-check under strict tsc, check as current, import in Node, and return the spec's data", async () => {
    const root = await tempDir();
    let runs = 0;
    let typechecked = 0;
    // A deadline instead of fast-check's interrupt plugin, which would leave a run going while the temp dir is removed.
    const deadline = Date.now() + 15_000;
    await fc.assert(
      fc.asyncProperty(fc.gen(), async (g) => {
        if (Date.now() > deadline) return;
        const world = randomUserWorld(g, realRegistries, REGISTRY_NAMES, g(fc.boolean));
        const texts = yamlOf(world);
        const dir = path.join(root, String(runs++));
        const specDir = path.join(dir, "spec");
        const outDir = path.join(dir, "generated");
        await copyRegistries(specDir);
        await writeFile(path.join(specDir, "reasons.yaml"), REASONS_YAML);
        for (const [file, text] of Object.entries(texts)) await writeFile(path.join(specDir, file), text);
        await touchDocuments(specDir, [
          REASONS_YAML,
          ...Object.values(world).map((spec) => `file: ${spec.source.file}`),
        ]);
        try {
          const generated = await run("generate", "--spec-dir", specDir, "--out-dir", outDir);
          if (generated.code === 2) {
            const wrong = generated.err
              .split("\n")
              .slice(0, -1)
              .filter((line) => !rightRefusal(world, registrySpecs, line.replace(/^.+?\.yaml:\d+:\d+: /, "")));
            expect(wrong, "a valid spec refused").toEqual([]);
            return;
          }
          expect(generated).toMatchObject({ code: 0, err: "" });
          expect(await run("check", "--spec-dir", specDir, "--out-dir", outDir)).toMatchObject({ code: 0, err: "" });
          const files = await Promise.all(
            (await readdir(outDir)).map(async (name) => ({
              path: name,
              text: await readFile(path.join(outDir, name), "utf8"),
            })),
          );
          checkModules(world, files);
          expect(await importNatively(outDir, path.join(dir, "js")), "every module imported in Node").toBe("");
          expect(await typecheck(outDir), "tsc over the generated code").toBe("");
          tally("through the CLI", world);
          typechecked++;
        } catch (error) {
          withSpecs(texts, error);
        }
      }),
      { seed: SEED + 2, numRuns: 40 },
    );
    expect(typechecked, "random specs generated, type-checked and checked (not refused)").toBeGreaterThanOrEqual(8);
  }, 60_000);
});

describe("random specs that define the registries themselves", () => {
  it("are refused with a diagnostic naming the collision, or type-check, import (index too) and return their data", async () => {
    const root = await tempDir();
    let runs = 0;
    const outcomes = { refused: 0, compiled: 0, registries: 0 };
    const deadline = Date.now() + 20_000;
    await fc.assert(
      fc.asyncProperty(fc.gen(), async (g) => {
        if (Date.now() > deadline) return;
        const world = randomRegistryWorld(g);
        const texts = yamlOf(world);
        try {
          const files = pipeline(world, texts, []);
          if (!files) {
            outcomes.refused++;
            tally("defining the registries, refused", world);
            return;
          }
          const outDir = path.join(root, String(runs++), "generated");
          await mkdir(outDir, { recursive: true });
          for (const file of files) await writeFile(path.join(outDir, file.path), file.text);
          checkModules(world, files);
          checkEnhancedCodes(world, files);
          expect(await importNatively(outDir, path.join(outDir, "..", "js")), "every module imported in Node").toBe("");
          expect(await typecheck(outDir), "tsc over the generated code").toBe("");
          tally("defining the registries", world);
          outcomes.compiled++;
          if (plansOf(world).filter((p) => p.set.defines !== undefined).length >= 3) outcomes.registries++;
        } catch (error) {
          withSpecs(texts, error);
        }
      }),
      { seed: SEED + 5, numRuns: 60 },
    );
    expect(outcomes.refused, "some worlds refused for a collision").toBeGreaterThan(0);
    expect(outcomes.compiled, "worlds that compiled").toBeGreaterThanOrEqual(10);
    expect(outcomes.registries, "compiled worlds defining three registries or more").toBeGreaterThanOrEqual(3);
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------------------------
// (c) Mutations of the real specs

type Mutation =
  | { kind: "delete-line"; at: number }
  | { kind: "duplicate-line"; at: number }
  | { kind: "swap-lines"; a: number; b: number }
  | { kind: "insert"; at: number; text: string }
  | { kind: "truncate"; at: number }
  | { kind: "replace-scalar"; at: number; value: unknown };

const YAML_PUNCTUATION = [
  ":",
  ": ",
  "-",
  "- ",
  "[",
  "]",
  "{",
  "}",
  ",",
  "#",
  "&a",
  "*a",
  "!",
  "!!str ",
  "|",
  ">",
  "'",
  '"',
  "\\",
  "%",
  "@",
  "`",
  "?",
  "\t",
  "\n",
  "\r",
  " ",
  "  ",
  "---\n",
  "...\n",
  "\uFEFF",
  "\u0000",
  "\u00E9",
  "\uD800",
  "🙂",
];
const MUTATION: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("delete-line" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("duplicate-line" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("swap-lines" as const), a: fc.nat(), b: fc.nat() }),
  fc.record({
    kind: fc.constant("insert" as const),
    at: fc.nat(),
    text: fc.string({
      unit: fc.oneof(fc.constantFrom(...YAML_PUNCTUATION), fc.string({ unit: "binary", minLength: 1, maxLength: 1 })),
      minLength: 1,
      maxLength: 8,
    }),
  }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant("replace-scalar" as const),
    at: fc.nat(),
    value: fc.oneof(
      TEXT,
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.constantFrom(
        "",
        "x".repeat(5000),
        "- a",
        "{",
        "5.1.1",
        "X.1.1",
        "x.12.345",
        "5.7.500-699",
        "699-600",
        "600-699",
        "250-1",
        "userunknown",
        "nosuchreason",
        "constructor",
        "__proto__",
        "index",
      ),
      fc.constantFrom(
        [550, 551],
        ["5.1.1", "5.1.1"],
        [],
        { code: 571, standard: false, note: "n" },
        { code: "5.1.1", standard: false, note: "n" },
      ),
    ),
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
      let count = 0;
      visit(doc, { Scalar: () => void count++ });
      if (count === 0) return bytes;
      const target = mutation.at % count;
      let n = 0;
      // A scalar becomes another scalar, or a list or map in its place.
      visit(doc, {
        Scalar: (key, node: Scalar) => {
          if (n++ !== target) return undefined;
          if (typeof mutation.value !== "object" || mutation.value === null) {
            node.value = mutation.value;
            return undefined;
          }
          // (A key stays a scalar: a list or map there becomes its text.)
          if (key === "key") {
            node.value = JSON.stringify(mutation.value);
            return undefined;
          }
          return doc.createNode(mutation.value);
        },
      });
      return Buffer.from(doc.toString(), "utf8");
    }
  }
}

/** The spec files each validate run sees beside its target: the registries and the fixtures (unmutated). */
const BESIDE = [...REGISTRY_SPECS, "reasons.yaml", "features.yaml"];
const TARGETS = [...SPEC_FILES, "reasons.yaml", "features.yaml"];

/** A spec dir with every document the specs name (copied, or touched for the fixtures); specs are written per run. */
async function mutationDir(): Promise<string> {
  const specDir = path.join(await tempDir(), "spec");
  await copyRegistries(specDir);
  await cp(path.join(SPEC_DIR, "sources"), path.join(specDir, "sources"), { recursive: true });
  await touchDocuments(specDir, [REASONS_YAML, FEATURES_YAML]);
  return specDir;
}

/** The bytes of a random mutation of a spec, written next to the registries and fixtures; the CLI's validate run on them. */
async function validateMutated(
  specDir: string,
  originals: ReadonlyMap<string, Buffer>,
  target: string,
  mutations: readonly Mutation[],
) {
  const bytes = mutations.reduce(mutate, originals.get(target)!);
  const names = [...new Set([...BESIDE, target])];
  for (const name of await readdir(specDir)) if (name.endsWith(".yaml")) await rm(path.join(specDir, name));
  for (const name of names) await writeFile(path.join(specDir, name), name === target ? bytes : originals.get(name)!);
  const result = await run("validate", "--spec-dir", specDir);
  const context = `${target} after ${JSON.stringify(mutations).slice(0, 400)}\n${result.err.slice(0, 3000)}`;
  const texts = new Map(
    names.map((n) => [
      path.join(specDir, n),
      (n === target ? bytes : originals.get(n)!).toString("utf8").replace(/^\uFEFF/, ""),
    ]),
  );
  return { result, context, texts };
}

describe("random mutations of the real specs", () => {
  const originals = new Map<string, Buffer>();
  beforeAll(async () => {
    for (const name of SPEC_FILES)
      originals.set(name, await readFile(path.join(REGISTRY_SPECS.includes(name) ? REGISTRY_DIR : SPEC_DIR, name)));
    originals.set("reasons.yaml", Buffer.from(REASONS_YAML));
    originals.set("features.yaml", Buffer.from(FEATURES_YAML));
  });
  const mutations = fc.tuple(fc.constantFrom(...TARGETS), fc.array(MUTATION, { minLength: 1, maxLength: 3 }));

  it("unmutated, the specs and fixtures validate", async () => {
    const specDir = await mutationDir();
    for (const target of TARGETS) {
      const { result, context } = await validateMutated(specDir, originals, target, []);
      expect(result, context).toMatchObject({ code: 0, err: "" });
    }
  });

  it("validate exits 0 or 2, never throws, and prints every problem as path:line:column: message", async () => {
    const specDir = await mutationDir();
    const outcomes = { valid: 0, invalid: 0 };
    const deadline = Date.now() + 6_000;
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
      { seed: SEED + 3, numRuns: 250 },
    );
    expect(outcomes.invalid).toBeGreaterThan(0);
    expect(outcomes.valid).toBeGreaterThan(0);
  }, 60_000);

  it("points every diagnostic at a place in the file: a line it has, at most one column past that line's end", async () => {
    const specDir = await mutationDir();
    const deadline = Date.now() + 4_000;
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
          expect(column, `${line}: column\n${context}`).toBeLessThanOrEqual(
            fileLines![row - 1]!.replace(/\r$/, "").length + 1,
          );
        }
      }),
      { seed: SEED + 4, numRuns: 150 },
    );
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------------------------
// Counterexamples: the smallest specs found (by the properties above, or by reading the generator) that break it or
// that it must refuse, one test each, so that each problem is named on its own.

const SOURCE: RawSource = { file: "sources/x.txt", title: "T", publisher: "P", language: "en" };
const TEXT_COLUMN: RawColumn = { key: "text", heading: "Text", language: "en", description: "The text." };
const entry = (name: string, extra: Partial<RawEntry> = {}): RawEntry => ({
  name,
  texts: { text: `text of ${name}` },
  outcome: "failure",
  outcomeBasis: "document",
  ...extra,
});
const codeSet = (id: string, name: string, extra: Partial<RawSet> = {}): RawSet => ({
  id,
  name,
  table: "Table",
  description: "A set.",
  codeFormat: "integer",
  columns: [TEXT_COLUMN],
  entries: [entry("One", { code: 1 })],
  ...extra,
});
/** Registries of its own, for a counterexample without the real ones: classes 2, 4, 5; X.1.1; 550; userunknown. */
const registrySets = (
  classes: RawEntry[] = [2, 4, 5].map((c) => ({
    code: c,
    name: `Class ${c}`,
    outcome: CLASS_OUTCOME[String(c)]!,
    outcomeBasis: "document",
  })),
  details: Code[] = ["X.1.1"],
): RawSet[] => [
  {
    id: "reply",
    name: "Reply",
    table: "T",
    description: "D",
    codeFormat: "smtp-reply",
    defines: "smtp-reply",
    entries: [{ code: 550, name: "Unavailable", outcome: "permanent", outcomeBasis: "code-class" }],
  },
  {
    id: "klass",
    name: "Klass",
    table: "T",
    description: "D",
    codeFormat: "integer",
    defines: "enhanced-status-class",
    entries: classes,
  },
  {
    id: "detail",
    name: "Detail",
    table: "T",
    description: "D",
    codeFormat: "enhanced-subject-detail",
    defines: "enhanced-subject-detail",
    outcomes: false,
    entries: details.map((code, i) => ({ code, name: `Detail ${i}` })),
  },
];

interface Counterexample {
  /** Spec files (beside the real registries, unless `alone`). */
  world: World;
  alone?: boolean;
  /** Refusing is the only right answer: every diagnostic matches, and some names this. */
  refused?: RegExp;
  /** Refusing (with a diagnostic matching this) is a right answer too. */
  refusable?: RegExp;
  /** Checks of the generated modules beyond checkModules (which runs on every counterexample that generates). */
  check?: (load: (file: string) => Record<string, unknown>) => void;
}

const world = (...codeSets: RawSet[]): World => ({ "random.yaml": { source: SOURCE, codeSets } });
const COUNTEREXAMPLES: Record<string, Counterexample> = {
  "an alphanumeric code that begins like an SMTP reply line (250-A) parses back to itself": {
    world: world(
      codeSet("alnum", "Alnum Code", {
        codeFormat: "alphanumeric",
        entries: [entry("A", { code: "250-A" }), entry("B", { code: "212-Z7" }), entry("C", { code: "A" })],
      }),
    ),
  },
  "column and attribute keys named like Object.prototype members (constructor, toString, valueOf) are refused": {
    refused: /`(constructor|toString)` is a name every JavaScript object already has/,
    world: world(
      codeSet("inherited", "Inherited Code", {
        columns: [
          TEXT_COLUMN,
          { key: "constructor", heading: "C", language: "en", description: "Optional.", required: false },
        ],
        attributes: [
          { key: "toString", type: "string", description: "Optional." },
          {
            key: "kind",
            type: "string",
            enum: ["valueOf", "plain"],
            labels: { plain: "Plain" },
            description: "A choice.",
          },
        ],
        entries: [entry("One", { code: 1, attributes: { kind: "valueOf" } })],
      }),
    ),
  },
  "a set named X next to a set named X Info (XInfo is also the type of X's entries) is refused": {
    refused: /^name "Alpha Info" declares AlphaInfo, which the set at .+ declares too/,
    world: world(codeSet("alpha", "Alpha"), codeSet("alpha-info", "Alpha Info")),
  },
  "a set named Classification (a type the index imports from the runtime) is refused": {
    refused:
      /^name "Classification" declares Classification, which mailcodes-runtime exports \(the generated modules import from it\)/,
    world: world(codeSet("classification", "Classification")),
  },
  "a set named LOOKUPS (a name of the index's own) is refused; one named INFO generates": {
    refused: /^name "LOOKUPS" declares LOOKUPS, a global or a name the generated code uses itself/,
    world: world(codeSet("info", "INFO"), codeSet("lookups", "LOOKUPS")),
  },
  "a set named Enhanced status code success, beside the real registries, is refused (EnhancedStatusCodeSuccess)": {
    refused:
      /^name "Enhanced status code success" declares EnhancedStatusCodeSuccess, which the set at .*iana-enhanced-status-codes\.yaml:\d+:\d+ declares too/,
    world: world(codeSet("success", "Enhanced status code success")),
  },
  "sets named Code Info and X next to X Info Of are refused": {
    refused: /declares (CodeInfo, a global or a name the generated code uses itself|BetaInfoOf, which the set)/,
    world: world(codeSet("code-info", "Code Info"), codeSet("beta", "Beta"), codeSet("beta-info-of", "Beta Info Of")),
  },
  "a custom enhanced-status-class set with codes 9 and -1 is refused": {
    alone: true,
    refused: /^(9|-1) cannot be a code of the enhanced-status-class registry: its codes are 2, 4 or 5/,
    world: world(
      ...registrySets([
        { code: 9, name: "Nine", outcome: "permanent", outcomeBasis: "document" },
        { code: -1, name: "Minus one", outcome: "transient", outcomeBasis: "document" },
      ]),
    ),
  },
  "a non-standard reply code written as a string, and a non-standard enhanced code written as a number, are refused": {
    refused: /`(replyCode|enhancedCode)` of item \d of `entries` has the wrong form/,
    world: world(
      codeSet("carried", "Carried Code", {
        entries: [
          // @ts-expect-error the spec's type refuses a reply code written as a string, as the validator must
          entry("One", { code: 1, replyCode: { code: "5xx", standard: false, note: "The document writes a class." } }),
          // @ts-expect-error and an enhanced code written as a number
          entry("Two", { code: 2, enhancedCode: { code: 42, standard: false, note: "The document writes a number." } }),
        ],
      }),
    ),
  },
  "errata of one set that read a number in one row and a string in another": {
    world: world(
      codeSet("errata", "Errata Code", {
        entries: [
          entry("One", { code: 1, erratum: { sourceReads: 7, note: "Misprinted as 7." } }),
          entry("Two", { code: 2, erratum: { sourceReads: "2 ", note: "Printed with a space." } }),
        ],
      }),
    ),
  },
  "codes of every new form: 1-3 digit parts, ranges, several codes a row, repeated codes, reference lists, reasons, an extension":
    {
      world: {
        "random.yaml": {
          source: SOURCE,
          codeSets: [
            codeSet("vendor", "Vendor", {
              codeFormat: "enhanced-status",
              repeatedCodes: true,
              entries: [
                entry("Refused", {
                  code: "4.4.316",
                  outcome: "transient",
                  outcomeBasis: "code-class",
                  reason: "userunknown",
                }),
                entry("Loop", {
                  code: ["5.4.6", "5.4.14"],
                  enhancedCode: ["5.4.6", { code: "5.4.14", standard: false, note: "n" }],
                }),
                entry("Denied", { code: "5.7.500-699", replyCode: [550, 554] }),
                entry("Bad", { code: "5.1.1", enhancedCode: "5.1.1" }),
                entry("Bad again", { code: "5.1.1", replyCode: [550, { code: 571, standard: false, note: "n" }] }),
              ],
            }),
            codeSet("numbers", "Numbers", {
              entries: [entry("Range", { code: "600-699" }), entry("Two", { code: [7, -8] })],
            }),
          ],
        },
        "random-extension.yaml": {
          source: { ...SOURCE, file: "sources/y.txt" },
          codeSets: [
            {
              extends: "vendor",
              table: "More",
              codeFormat: "enhanced-status",
              entries: [entry("More", { code: "2.0.0" })],
            },
          ],
        },
      },
      check: (load) => {
        const vendor = load("vendor.ts");
        expect((vendor["lookupVendor"] as Fn)("5.7.650")).toMatchObject({ name: "Denied" });
        expect((vendor["lookupAllVendor"] as Fn)("5.1.1")).toMatchObject([{ name: "Bad" }, { name: "BadAgain" }]);
        expect((vendor["parseVendor"] as Fn)("550 5.7.600 denied")).toBe("5.7.600");
        expect((load("numbers.ts")["lookupNumbers"] as Fn)(650)).toMatchObject({ name: "Range" });
      },
    },

  // What the properties found broken once, and how the generator answers now.
  "sets named C and O (the XInfoOf type parameters): refused, naming the collision": {
    refusable: /^name "[CO]" declares [CO], a global or a name the generated code uses itself; choose another$/,
    world: world(codeSet("c", "C"), codeSet("o", "O")),
  },
  "a custom enhanced-status-class set with two classes of one outcome: one EnhancedStatusCodeFailure over both": {
    alone: true,
    world: world(
      ...registrySets([
        { code: 4, name: "Four", outcome: "failure", outcomeBasis: "document" },
        { code: 5, name: "Five", outcome: "failure", outcomeBasis: "document" },
      ]),
    ),
  },
  "a class of outcome intermediate: EnhancedStatusCodeIntermediate checked against a set of that name": {
    alone: true,
    refusable:
      /^name "Enhanced Status Code Intermediate" declares EnhancedStatusCodeIntermediate, which the set at .+ declares too/,
    world: world(
      ...registrySets([{ code: 2, name: "Two", outcome: "intermediate", outcomeBasis: "document" }]),
      codeSet("esci", "Enhanced Status Code Intermediate"),
    ),
  },
  "a bounce-reason set with outcomes: a row's reason is typed as any reason": {
    alone: true,
    world: world({
      id: "reason",
      name: "Reason",
      table: "T",
      description: "D",
      codeFormat: "alphanumeric",
      defines: "bounce-reason",
      attributes: REASON_ATTRIBUTES,
      entries: [
        {
          code: "a",
          name: "A",
          outcome: "success",
          outcomeBasis: "document",
          reason: "userunknown",
          attributes: { hardBounce: "never", action: "none" },
        },
        ...GATED_REASONS.map((code) => ({
          code,
          name: code,
          outcome: "failure" as const,
          outcomeBasis: "document" as const,
          attributes: { hardBounce: "never", action: "retry" },
        })),
      ],
    }),
  },
  "isEnhancedStatusCode holds for registered codes whose subject is not one digit 0-7 (5.8.0, 5.12.345)": {
    alone: true,
    world: world(...registrySets(undefined, ["X.1.1", "X.8.0", "X.12.345"])),
    check: (load) => {
      const detail = load("detail.ts");
      for (const code of ["5.1.1", "5.8.0", "5.12.345"])
        expect((detail["isEnhancedStatusCode"] as Fn)(code), code).toBe(true);
    },
  },
  'isEnhancedStatusCode("5.1.1") holds when the subject.detail registry writes x.1.1': {
    alone: true,
    world: world(...registrySets(undefined, ["x.1.1"])),
    check: (load) =>
      expect((load("detail.ts")["isEnhancedStatusCode"] as Fn)("5.1.1"), 'isEnhancedStatusCode("5.1.1")').toBe(true),
  },
  "parse of a row's second code gives that code": {
    world: world(
      codeSet("vendor", "Vendor", {
        codeFormat: "enhanced-status",
        entries: [entry("Loop", { code: ["5.4.6", "5.4.14"] })],
      }),
      codeSet("alnum", "Alnum", { codeFormat: "alphanumeric", entries: [entry("One", { code: ["ab", "cd"] })] }),
    ),
    check: (load) => {
      expect((load("vendor.ts")["parseVendor"] as Fn)(" 5.4.14 ")).toBe("5.4.14");
      expect((load("alnum.ts")["parseAlnum"] as Fn)("cd")).toBe("cd");
    },
  },
  "a row's second code that differs from a first code only in case (code: [ab, AB]) is in the set's type": {
    world: world(
      codeSet("alnum", "Alnum", { codeFormat: "alphanumeric", entries: [entry("One", { code: ["ab", "AB"] })] }),
    ),
  },
  "ditto.from names the origin, not another row whose code differs only in case": {
    world: world(
      codeSet("messages", "Messages", {
        codeFormat: "none",
        outcomes: false,
        columns: [{ ...TEXT_COLUMN, ditto: "same" }],
        entries: [
          { name: "ab", texts: { text: "hello" } },
          { name: "AB", texts: { text: "same" } },
        ],
      }),
    ),
    check: (load) =>
      expect((load("messages.ts")["messagesEntries"] as Array<Record<string, unknown>>)[1]!["ditto"]).toEqual({
        text: { mark: "same", from: "Ab" },
      }),
  },
  "alphanumeric codes that look like ranges (250-1, 1-5 beside 3-9) are codes, not ranges": {
    world: world(
      codeSet("alnum", "Alnum", {
        codeFormat: "alphanumeric",
        entries: [entry("One", { code: "250-1" }), entry("Two", { code: "1-5" }), entry("Three", { code: "3-9" })],
      }),
    ),
  },
};

describe("counterexamples", () => {
  let root: string;
  const generated = new Map<string, { code: number; out: string; err: string }>();
  const tscOutput = new Map<string, string>();
  const imported = new Map<string, string>();
  const slug = (name: string) =>
    name
      .replace(/[^A-Za-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 60);

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "mailcodes-counterexamples-"));
    for (const [name, example] of Object.entries(COUNTEREXAMPLES)) {
      const dir = path.join(root, slug(name));
      const specDir = path.join(dir, "spec");
      if (example.alone) await mkdir(specDir, { recursive: true });
      else {
        await copyRegistries(specDir);
        await writeFile(path.join(specDir, "reasons.yaml"), REASONS_YAML);
      }
      for (const [file, spec] of Object.entries(example.world)) await writeFile(path.join(specDir, file), toYaml(spec));
      await touchDocuments(specDir, [
        REASONS_YAML,
        ...Object.values(example.world).map((spec) => `file: ${spec.source.file}`),
      ]);
      const result = await run("generate", "--spec-dir", specDir, "--out-dir", path.join(dir, "generated"));
      generated.set(name, result);
      if (result.code === 0) {
        imported.set(name, await importNatively(path.join(dir, "generated"), path.join(dir, "js")));
        tscOutput.set(name, await typecheck(path.join(dir, "generated")));
      }
    }
  }, 60_000);
  afterAll(() => rm(root, { recursive: true, force: true }));

  for (const [name, { world: specs, refused, refusable, check }] of Object.entries(COUNTEREXAMPLES)) {
    const what = refused
      ? "refused with a diagnostic naming it"
      : `${refusable ? "refused with a diagnostic naming it, or " : ""}generated code that type-checks, imports and returns the spec's data`;
    it(`${name}: ${what}`, async () => {
      const result = generated.get(name)!;
      if (refused || (refusable && result.code === 2)) {
        expect(result.code, result.err).toBe(2);
        const lines = result.err
          .split("\n")
          .slice(0, -1)
          .map((line) => line.replace(/^.+?\.yaml:\d+:\d+: /, ""));
        expect(
          lines.some((line) => (refused ?? refusable)!.test(line)),
          result.err,
        ).toBe(true);
        if (refused) for (const line of lines) expect(line).toMatch(refused);
        return;
      }
      expect(result).toMatchObject({ code: 0, err: "" });
      const dir = path.join(root, slug(name), "generated");
      expect(imported.get(name), "every module imported in Node").toBe("");
      expect(tscOutput.get(name), "tsc over the generated code").toBe("");
      const files = await Promise.all(
        (await readdir(dir))
          .filter((n) => n.endsWith(".ts"))
          .map(async (n) => ({ path: n, text: await readFile(path.join(dir, n), "utf8") })),
      );
      checkModules(specs, files);
      check?.(moduleLoader(files));
    });
  }
});

describe("counterexamples: diagnostics", () => {
  async function validateText(text: string) {
    const dir = path.join(await tempDir(), "spec");
    await mkdir(dir);
    await writeFile(path.join(dir, "x.yaml"), text);
    return { dir, result: await run("validate", "--spec-dir", dir) };
  }

  it("a key holding a line break or control characters still gives one line per diagnostic, without raw control characters", async () => {
    const { result } = await validateText(
      '"\\r\\n\\0\\e[31m": 1\nsource: { file: sources/x.txt, title: T, publisher: P, language: en }\ncodeSets: []\n',
    );
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

  it("a missing required attribute named toString is reported, with the key itself", async () => {
    const dir = path.join(await tempDir(), "spec");
    await mkdir(dir);
    await touchDocuments(dir, [`file: ${SOURCE.file}`]);
    const spec: RawSpec = {
      source: SOURCE,
      codeSets: [
        codeSet("inherited", "Inherited Code", {
          attributes: [{ key: "toString", type: "string", description: "Required.", required: true }],
        }),
      ],
    };
    await writeFile(path.join(dir, "random.yaml"), toYaml(spec));
    const result = await run("validate", "--spec-dir", dir);
    expect(result.code).toBe(2);
    expect(result.err).toContain("key `toString` is a name every JavaScript object already has");
    expect(result.err).toContain("missing required attribute `toString`");
  });
});
