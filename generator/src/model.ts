// model: checked specs → the Catalog, everything emission needs, derived once: sets with their extensions' rows,
// ditto texts resolved, references resolved against the registries, names, outcome unions. Pure; no I/O. It runs
// only on specs that validate passed, so it reports nothing.

import {
  type Code,
  type CodeFormat,
  type CodeSetOptions,
  OUTCOMES,
  type Outcome,
  parseRange,
  type Registry,
} from "mailcodes-runtime";
import { compareStrings } from "./diagnostics.ts";
import type { LoadedSpec } from "./load.ts";
import type { Memo } from "./memo.ts";
import { type ModuleNames, moduleNames, toPascalCase } from "./names.ts";
import type { SpecDocument } from "./spec-schema.ts";

export { type Code, type CodeFormat, OUTCOMES, type Outcome, type Registry };

export type OutcomeBasis = "code-class" | "document";
export type AttributeValue = string | number | boolean;

/** The spec as the schema describes it, and its parts. */
export type SpecData = SpecDocument;
export type CodeSetData = SpecData["codeSets"][number];
export type EntryData = CodeSetData["entries"][number];
export type ColumnData = NonNullable<CodeSetData["columns"]>[number];
export type AttributeData = NonNullable<CodeSetData["attributes"]>[number];
export type ReferenceData = Exclude<
  NonNullable<EntryData["replyCode"] | EntryData["enhancedCode"]>,
  readonly unknown[]
>;

export interface Catalog {
  /** In output order: by spec file, then as each spec lists them. Extensions are folded into the set they extend. */
  readonly sets: readonly CodeSet[];
  /** The set that defines each registry. */
  readonly registries: Readonly<Partial<Record<Registry, CodeSet>>>;
  /** The spec dir as named in headers ("spec"). */
  readonly specDir: string;
  /** The full enhanced status code ("5.1.1"), when the catalog has both registries it is made of. */
  readonly enhancedCode?: EnhancedCode;
}

/** What the full enhanced status code type is made of: the class registry, and the subject.detail one. */
export interface EnhancedCode {
  readonly classes: CodeSet;
  readonly subjects: CodeSet;
  /** The subject.detail part of every registered code ("X.1.1" gives "1.1"), each once, in the registry's order. */
  readonly subjectDetails: readonly string[];
}

export interface Document {
  readonly file: string;
  readonly title: string;
  readonly publisher: string;
  readonly url?: string;
  readonly language: string;
}

export interface Note {
  readonly heading?: string;
  readonly text: string;
}

/** Where a set's rows come from: its own table, or a table of another spec that extends it. */
export interface Part {
  /** The spec file (spec/rfc5321.yaml). */
  readonly specFile: string;
  readonly document: Document;
  /** Notes of the document as a whole. */
  readonly documentNotes: readonly Note[];
  readonly table: string;
  readonly notes: readonly Note[];
}

export interface Column {
  readonly key: string;
  readonly heading: string;
  readonly language: string;
  readonly description: string;
  readonly required: boolean;
  readonly ditto?: string;
  readonly inLogs: boolean;
  /** Every entry has a text in it (else the info's field for it is optional). */
  readonly always: boolean;
}

export interface Attribute {
  readonly key: string;
  readonly heading?: string;
  readonly description: string;
  readonly type: "string" | "number" | "integer" | "boolean";
  readonly enum?: readonly AttributeValue[];
  readonly labels?: Readonly<Record<string, string>>;
  readonly required: boolean;
  /** Every entry has a value for it (else the info's field for it is optional). */
  readonly always: boolean;
}

export interface CodeSet {
  readonly id: string;
  /** PascalCase identifier of the generated enum and types. */
  readonly name: string;
  /** Every top-level name its module declares. */
  readonly names: ModuleNames;
  readonly description: string;
  readonly codeFormat: CodeFormat;
  readonly defines?: Registry;
  readonly repeatedCodes: boolean;
  readonly outcomes: boolean;
  readonly columns: readonly Column[];
  readonly attributes: readonly Attribute[];
  readonly placeholders: readonly string[];
  /** The set's own table first, then each extension's. */
  readonly parts: readonly Part[];
  readonly entries: readonly Entry[];
  /** The outcomes its entries have, in OUTCOMES order, each with its entries. */
  readonly byOutcome: readonly OutcomeGroup[];
  /** Codes beyond the members' own (a row's second code): part of the set's type. */
  readonly extraCodes: readonly Code[];
  /** Some row's code is a range ("5.7.500-699"): a code in it finds that row. */
  readonly hasRanges: boolean;
  /** Every code inside the rows' ranges, each once, in order (see Entry.inRange): part of the set's type. */
  readonly inRange?: CodesInRange;
  readonly inLogs?: Column;
  /** The specs its rows come from, as parsed, each once, its own first. */
  readonly specs: readonly LoadedSpec[];
  /** What the runtime's index of the set is given (the generated module passes it to codeSet). */
  readonly options: CodeSetOptions;
  /** The fields its info type has beyond those every set's has. */
  readonly info: InfoFields;
}

export interface OutcomeGroup {
  readonly outcome: Outcome;
  readonly entries: readonly Entry[];
}

/** Whether an info field is on every entry, or only on some (a field on none is not there at all). */
export type Presence = "required" | "optional";

/** The info's fields for the codes entries carry in one registry: each there when some entry carries such a code. */
export interface CarriedFields {
  /** The first standard code (replyCode, enhancedCode). */
  readonly standard?: Presence;
  /** Every standard code (replyCodes…): some entry carries several. */
  readonly standardList: boolean;
  /** The first code no standard defines, with why (nonStandardReplyCode…). */
  readonly nonStandard: boolean;
  /** Every such code: some entry carries several. */
  readonly nonStandardList: boolean;
}

export interface InfoFields {
  /** Some row gives several codes: `codes`. */
  readonly codes: boolean;
  /** What `outcomeBasis` reads, in the order entries first give each. */
  readonly outcomeBases: readonly OutcomeBasis[];
  readonly replyCodes: CarriedFields;
  readonly enhancedCodes: CarriedFields;
  readonly reason?: Presence;
  /** The kinds of code errata read ("number", "string"), sorted: `erratum` is there when some entry has one. */
  readonly erratumReads: ReadonlyArray<"number" | "string">;
  /** The columns that have a ditto mark: `ditto` is there when some column has one. */
  readonly dittoColumns: readonly Column[];
}

export interface EntryText {
  readonly column: string;
  /** The text, with a ditto mark already replaced by the text it stands for. */
  readonly text: string;
  /** When the document wrote a ditto mark (同上) here: the mark, and the code and member of the row whose text it repeats. */
  readonly ditto?: { readonly mark: string; readonly from: Code; readonly fromMember: string };
}

/** A code an entry carries: resolved in its registry (with the member it names there), or knowingly non-standard. */
export type Reference =
  | { readonly code: Code; readonly standard: true; readonly member?: string }
  | { readonly code: Code; readonly standard: false; readonly note: string };

/**
 * The codes inside a range ("5.7.500-699" holds "5.7.500" … "5.7.699"), each written out for the types; or "number"
 * where an integer range holds more than MAX_TYPED_RANGE codes, too many to write (its codes are typed as numbers).
 */
export type CodesInRange = readonly Code[] | "number";

/** The most codes a range's type lists one by one: every enhanced (0-999) and reply range fits. */
export const MAX_TYPED_RANGE = 1000;

/** A row's code after its first: the enum member that holds it in enum style ("RoutingLoop_5_4_14"). */
export interface OtherCode {
  readonly code: Code;
  readonly member: string;
}

export interface Entry {
  /** Which of the set's parts the row comes from. */
  readonly part: number;
  /**
   * The row's code (its first, when it gives several; corrected, where there is an erratum); for a row without one
   * (codeFormat none, or a row the document gives no code), the member name.
   */
  readonly code: Code;
  /** The row has no code of its own: it is known by its name (its `code`), and found by its text. */
  readonly byName?: true;
  /** Every code of the row, when it gives several. */
  readonly codes?: readonly Code[];
  /** The row's codes after its first, each with its enum member. */
  readonly others: readonly OtherCode[];
  /** The codes inside the row's ranges, when it has one: lookups find the row by each, guards accept each. */
  readonly inRange?: CodesInRange;
  /** PascalCase identifier of the enum member. */
  readonly member: string;
  readonly texts: readonly EntryText[];
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  readonly outcome?: Outcome;
  readonly outcomeBasis?: OutcomeBasis;
  readonly replyCodes: readonly Reference[];
  readonly enhancedCodes: readonly Reference[];
  /** The bounce reason, resolved in the bounce-reason registry. */
  readonly reason?: Reference;
  readonly erratum?: { readonly sourceReads: Code; readonly note: string };
}

/**
 * Builds the Catalog from specs that passed validation. `memo`: the sets modelled before, by what they were made from
 * (watch mode keeps one across runs, so that an edit to one spec models again only the sets it feeds).
 */
export function buildCatalog(specs: readonly LoadedSpec[], specDir: string, memo?: Memo<CodeSet>): Catalog {
  // By file name, then path: the generator's own registries fall among a spec dir's files as if they were there.
  const ordered = [...specs].sort(
    (a, b) => compareStrings(baseName(a.file), baseName(b.file)) || compareStrings(a.file, b.file),
  );
  const own = ordered.flatMap((spec) =>
    (spec.data as SpecData).codeSets.filter((set) => set.extends === undefined).map((set) => ({ spec, set })),
  );
  const extensions = ordered.flatMap((spec) =>
    (spec.data as SpecData).codeSets.filter((set) => set.extends !== undefined).map((set) => ({ spec, set })),
  );
  const extending = (set: CodeSetData) => extensions.filter((e) => e.set.extends === set.id);
  // Every set's references resolve against these registries: the specs they come from are an input of every set.
  const registrySpecs = own
    .filter(({ set }) => set.defines !== undefined && REFERENCED.includes(set.defines))
    .flatMap(({ spec, set }) => [spec, ...extending(set).map((e) => e.spec)]);
  let registryCodes: Map<Registry, Map<string, string>> | undefined;
  const sets = own.map(({ spec, set }) => {
    const make = () => {
      registryCodes ??= codesOfRegistries(own, extending);
      return buildSet(spec, set, extending(set), registryCodes);
    };
    if (memo === undefined) return make();
    const inputs = [spec, set, ...extending(set).flatMap((e) => [e.spec, e.set]), ...registrySpecs];
    return memo.get(`${spec.file}\n${set.id}`, inputs, make);
  });
  const registries: Partial<Record<Registry, CodeSet>> = {};
  for (const set of sets) if (set.defines) registries[set.defines] = set;
  const classes = registries["enhanced-status-class"];
  const subjects = registries["enhanced-subject-detail"];
  const enhancedCode = classes && subjects && { classes, subjects, subjectDetails: subjectDetailsOf(subjects) };
  return { sets, registries, specDir, ...(enhancedCode && { enhancedCode }) };
}

/** The registries a row's codes and reason are references into (see buildEntry). */
const REFERENCED: readonly Registry[] = ["smtp-reply", "enhanced-subject-detail", "bounce-reason"];

/** Each referenced registry's codes, with the member each names (the first row's, where rows share a code). */
function codesOfRegistries(
  own: ReadonlyArray<{ spec: LoadedSpec; set: CodeSetData }>,
  extending: (set: CodeSetData) => ReadonlyArray<{ spec: LoadedSpec; set: CodeSetData }>,
): Map<Registry, Map<string, string>> {
  const registryCodes = new Map<Registry, Map<string, string>>();
  for (const { set } of own) {
    if (set.defines === undefined || !REFERENCED.includes(set.defines)) continue;
    const members = new Map<string, string>();
    for (const entry of [set, ...extending(set).map((e) => e.set)].flatMap((s) => s.entries))
      for (const code of codesOf(entry))
        if (!members.has(registryKey(code))) members.set(registryKey(code), toPascalCase(entry.name));
    registryCodes.set(set.defines, members);
  }
  return registryCodes;
}

function baseName(file: string): string {
  return file.slice(file.lastIndexOf("/") + 1);
}

/** "X.1.1" (or "x.1.1") → "1.1", for every code of the registry's rows. */
function subjectDetailsOf(subjects: CodeSet): string[] {
  return [
    ...new Set(
      subjects.entries.flatMap((e) => [e.code, ...(e.codes ?? [])]).map((code) => String(code).replace(/^[xX]\./, "")),
    ),
  ];
}

function buildSet(
  spec: LoadedSpec,
  set: CodeSetData,
  extensions: ReadonlyArray<{ spec: LoadedSpec; set: CodeSetData }>,
  registryCodes: ReadonlyMap<Registry, ReadonlyMap<string, string>>,
): CodeSet {
  const parts = [{ spec, set }, ...extensions].map(({ spec: s, set: part }) => partOf(s, part));
  const entries: Entry[] = [];
  [set, ...extensions.map((e) => e.set)].forEach((part, p) => {
    const rows: Entry[] = [];
    for (const data of part.entries)
      rows.push(buildEntry(data, p, set.codeFormat, set.columns ?? [], rows, registryCodes));
    for (const row of rows) entries.push(row);
  });
  const columns: Column[] = (set.columns ?? []).map((c) => ({
    key: c.key,
    heading: c.heading,
    language: c.language,
    description: c.description,
    required: c.required ?? true,
    inLogs: c.inLogs ?? false,
    ...(c.ditto !== undefined && { ditto: c.ditto }),
    always: entries.every((e) => e.texts.some((t) => t.column === c.key)),
  }));
  const attributes: Attribute[] = (set.attributes ?? []).map((a) => ({
    key: a.key,
    description: a.description,
    type: a.type,
    required: a.required ?? false,
    ...(a.heading !== undefined && { heading: a.heading }),
    ...(a.enum !== undefined && { enum: a.enum }),
    ...(a.labels !== undefined && { labels: a.labels }),
    always: entries.every((e) => Object.hasOwn(e.attributes, a.key)),
  }));
  const name = toPascalCase(set.name!);
  // The type holds every spelling: a second code that differs from a first code only in case is still its own.
  const primary = new Set<Code>(entries.map((e) => e.code));
  const extraCodes = entries.flatMap((e) => (e.codes ?? []).slice(1)).filter((code) => !primary.has(code));
  const inLogs = columns.find((c) => c.inLogs);
  const inRange = rangeUnion(entries);
  const placeholders = set.placeholders ?? [];
  const options: CodeSetOptions = {
    format: set.codeFormat,
    ...(inLogs !== undefined && { inLogs: inLogs.key }),
    ...(inLogs !== undefined && placeholders.length > 0 && { placeholders }),
  };
  return {
    id: set.id!,
    name,
    names: moduleNames(name),
    description: set.description!,
    codeFormat: set.codeFormat,
    ...(set.defines !== undefined && { defines: set.defines }),
    repeatedCodes: set.repeatedCodes ?? false,
    outcomes: set.outcomes ?? true,
    columns,
    attributes,
    placeholders,
    parts,
    entries,
    byOutcome: outcomeGroups(entries),
    extraCodes: [...new Set(extraCodes)],
    hasRanges: inRange !== undefined,
    ...(inRange !== undefined && { inRange }),
    ...(inLogs !== undefined && { inLogs }),
    specs: [...new Set([spec, ...extensions.map((e) => e.spec)])],
    options,
    info: infoFields(entries, columns),
  };
}

/** The entries of each outcome, in OUTCOMES order, the outcomes no entry has left out. */
function outcomeGroups(entries: readonly Entry[]): OutcomeGroup[] {
  const byOutcome = new Map<Outcome, Entry[]>();
  for (const entry of entries) {
    if (entry.outcome === undefined) continue;
    const group = byOutcome.get(entry.outcome);
    if (group) group.push(entry);
    else byOutcome.set(entry.outcome, [entry]);
  }
  return OUTCOMES.flatMap((outcome) => {
    const group = byOutcome.get(outcome);
    return group ? [{ outcome, entries: group }] : [];
  });
}

/** Which fields the set's info has, and which of them every entry fills. */
function infoFields(entries: readonly Entry[], columns: readonly Column[]): InfoFields {
  const reason = presence(entries, (e) => (e.reason ? 1 : 0));
  return {
    codes: entries.some((e) => e.codes !== undefined),
    outcomeBases: [...new Set(entries.flatMap((e) => (e.outcomeBasis ? [e.outcomeBasis] : [])))],
    replyCodes: carriedFields(entries, (e) => e.replyCodes),
    enhancedCodes: carriedFields(entries, (e) => e.enhancedCodes),
    ...(reason.field && { reason: reason.field }),
    erratumReads: [
      ...new Set(entries.flatMap((e) => (e.erratum ? [typeof e.erratum.sourceReads as "number" | "string"] : []))),
    ].sort(),
    dittoColumns: columns.filter((c) => c.ditto !== undefined),
  };
}

function carriedFields(entries: readonly Entry[], carried: (e: Entry) => readonly Reference[]): CarriedFields {
  const count = (references: readonly Reference[], standard: boolean) =>
    references.reduce((n, r) => (r.standard === standard ? n + 1 : n), 0);
  const standard = presence(entries, (e) => count(carried(e), true));
  const nonStandard = presence(entries, (e) => count(carried(e), false));
  return {
    ...(standard.field && { standard: standard.field }),
    standardList: standard.several,
    nonStandard: nonStandard.field !== undefined,
    nonStandardList: nonStandard.several,
  };
}

/** A field from a count per entry: on every entry, some or none; and whether some entry has several. */
function presence(entries: readonly Entry[], count: (e: Entry) => number): { field?: Presence; several: boolean } {
  let some = 0;
  let several = false;
  for (const entry of entries) {
    const n = count(entry);
    if (n > 0) some++;
    if (n > 1) several = true;
  }
  if (some === 0) return { several };
  return { field: some === entries.length ? "required" : "optional", several };
}

function partOf(spec: LoadedSpec, set: CodeSetData): Part {
  const data = spec.data as SpecData;
  const { file, title, publisher, url, language } = data.source;
  return {
    specFile: spec.file,
    document: { file, title, publisher, ...(url !== undefined && { url }), language },
    documentNotes: notesOf(data.notes),
    table: set.table,
    notes: notesOf(set.notes),
  };
}

function notesOf(notes: SpecData["notes"]): Note[] {
  return (notes ?? []).map((n) => ({ ...(n.heading !== undefined && { heading: n.heading }), text: n.text }));
}

function buildEntry(
  data: EntryData,
  part: number,
  format: CodeFormat,
  columns: readonly ColumnData[],
  above: readonly Entry[],
  registryCodes: ReadonlyMap<Registry, ReadonlyMap<string, string>>,
): Entry {
  const member = toPascalCase(data.name);
  const codes = codesOf(data);
  const code = codes[0] ?? member;
  const inRange = codesInRanges(codes, format);
  return {
    part,
    code,
    member,
    ...(codes.length === 0 && { byName: true as const }),
    ...(codes.length > 1 && { codes }),
    others: codes.slice(1).map((other) => ({ code: other, member: otherMember(member, other) })),
    ...(inRange !== undefined && { inRange }),
    texts: textsOf(data, columns, above),
    attributes: data.attributes ?? {},
    ...(data.outcome !== undefined && { outcome: data.outcome, outcomeBasis: data.outcomeBasis! }),
    replyCodes: listOf(data.replyCode).map((ref) => reference(ref, [["smtp-reply", (c) => c]], registryCodes)),
    enhancedCodes: listOf(data.enhancedCode).map((ref) =>
      reference(ref, [["enhanced-subject-detail", subjectDetailOf]], registryCodes),
    ),
    ...(data.reason !== undefined && { reason: reference(data.reason, [["bounce-reason", (c) => c]], registryCodes) }),
    ...(data.erratum !== undefined && { erratum: data.erratum }),
  };
}

/** "RoutingLoop" and "5.4.14" → "RoutingLoop_5_4_14": a member name no row's own can be (they have no "_"). */
export function otherMember(member: string, code: Code): string {
  return `${member}_${String(code)
    .replace(/^-/, "Minus")
    .replace(/[^A-Za-z0-9]+/g, "_")}`;
}

/** The codes inside a row's ranges, or undefined when it has none. */
function codesInRanges(codes: readonly Code[], format: CodeFormat): CodesInRange | undefined {
  const within: Code[] = [];
  let ranges = 0;
  for (const code of codes) {
    const range = parseRange(code, format);
    if (range === undefined) continue;
    ranges++;
    if (range.to - range.from + 1 > MAX_TYPED_RANGE) return "number";
    for (let n = range.from; n <= range.to; n++) within.push(range.prefix === "" ? n : `${range.prefix}${n}`);
  }
  return ranges === 0 ? undefined : within;
}

/** Every code inside the rows' ranges, each once; "number" when one is too long to write out. */
function rangeUnion(entries: readonly Entry[]): CodesInRange | undefined {
  const ranged = entries.filter((e) => e.inRange !== undefined);
  if (ranged.length === 0) return undefined;
  if (ranged.some((e) => e.inRange === "number")) return "number";
  return [...new Set(ranged.flatMap((e) => e.inRange as readonly Code[]))];
}

/** An entry's texts in column order, a ditto mark replaced by the text of the row above (which names its origin). */
function textsOf(data: EntryData, columns: readonly ColumnData[], above: readonly Entry[]): EntryText[] {
  const texts: EntryText[] = [];
  for (const column of columns) {
    const text = data.texts && Object.hasOwn(data.texts, column.key) ? data.texts[column.key] : undefined;
    if (text === undefined) continue;
    const previous = above.at(-1);
    const repeated = previous?.texts.find((t) => t.column === column.key);
    if (column.ditto === undefined || text !== column.ditto || previous === undefined || repeated === undefined) {
      texts.push({ column: column.key, text });
    } else {
      const origin = repeated.ditto ?? { from: previous.code, fromMember: previous.member };
      texts.push({
        column: column.key,
        text: repeated.text,
        ditto: { mark: column.ditto, from: origin.from, fromMember: origin.fromMember },
      });
    }
  }
  return texts;
}

/** A reference resolved in a registry: standard, naming the member it resolves to there. */
function reference(
  data: ReferenceData,
  lookups: ReadonlyArray<readonly [Registry, (code: Code) => Code]>,
  registryCodes: ReadonlyMap<Registry, ReadonlyMap<string, string>>,
): Reference {
  if (typeof data === "object") return { code: data.code, standard: false, note: data.note };
  const [registry, key] = lookups[0]!;
  const member = registryCodes.get(registry)?.get(registryKey(key(data)));
  return { code: data, standard: true, ...(member !== undefined && { member }) };
}

/** The codes of a row: none (codeFormat none), one, or the list it gives. */
export function codesOf(entry: Pick<EntryData, "code">): Code[] {
  if (entry.code === undefined) return [];
  return Array.isArray(entry.code) ? [...entry.code] : [entry.code as Code];
}

export function listOf<T>(value: T | readonly T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? [...(value as readonly T[])] : [value as T];
}

/** "5.1.1" → "X.1.1": the subject.detail registry's code for an enhanced status code. */
export function subjectDetailOf(code: Code): string {
  return "X" + String(code).slice(String(code).indexOf("."));
}

/** How registries compare codes: integers as they are, strings case-insensitively (x.1.1 is X.1.1). */
export function registryKey(code: Code): string {
  return typeof code === "number" ? `#${code}` : code.toUpperCase();
}
