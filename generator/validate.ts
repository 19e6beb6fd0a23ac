// validate: loaded specs → a Catalog, or every problem of every file (JSON Schema first, then the rules it cannot say).
import type { Diagnostic } from "./diagnostics.ts";
import { compareStrings, sortDiagnostics } from "./diagnostics.ts";
import type { LoadedSpec } from "./load.ts";
import { locate, type Path } from "./locate.ts";
import type {
  AttributeValue, Catalog, Code, CodeSet, Column, Entry, EntryText, Outcome, Reference, Registry, Spec,
} from "./model.ts";
import { OUTCOMES } from "./model.ts";
import { identifierProblem, isObjectMember, moduleNames, toPascalCase } from "./names.ts";
import { checkSchema } from "./schema.ts";

/** The data as the schema guarantees it (optional fields as in spec/mailcodes.schema.json). */
interface RawReference { code: Code; standard: false; note: string }
interface RawEntry {
  code?: Code; name: string; texts?: Record<string, string>; attributes?: Record<string, AttributeValue>;
  outcome?: Outcome; outcomeBasis?: Entry["outcomeBasis"];
  replyCode?: number | RawReference; enhancedCode?: string | RawReference;
  erratum?: { sourceReads: Code; note: string };
}
interface RawSet extends Omit<CodeSet, "name" | "outcomes" | "columns" | "attributes" | "placeholders" | "notes" | "entries" | "specFile" | "source"> {
  name: string; outcomes?: boolean; columns?: Array<Omit<Column, "required" | "inLogs"> & { required?: boolean; inLogs?: boolean }>;
  attributes?: Array<Omit<CodeSet["attributes"][number], "required"> & { required?: boolean }>;
  placeholders?: string[]; notes?: Spec["notes"]; entries: RawEntry[];
}
interface RawSpec { source: Spec["source"]; notes?: Spec["notes"]; codeSets: RawSet[] }

export type ValidateResult = { catalog: Catalog; diagnostics: [] } | { catalog?: undefined; diagnostics: Diagnostic[] };

export function validate(loaded: readonly LoadedSpec[]): ValidateResult {
  const diagnostics: Diagnostic[] = [];
  const valid = loaded.filter((spec) => {
    const problems = checkSchema(spec);
    diagnostics.push(...problems);
    return problems.length === 0;
  });
  // References resolve against the registries that passed the schema; see Rules.resolve for a missing one.
  const rules = new Rules(valid, valid.length === loaded.length);
  const specs = valid.map((spec) => rules.spec(spec));
  diagnostics.push(...rules.diagnostics);
  if (diagnostics.length > 0) return { diagnostics: sortDiagnostics(diagnostics) };
  return { catalog: { specs: specs.sort((a, b) => compareStrings(a.file, b.file)) }, diagnostics: [] };
}

/** Where a set was declared, to point at the first one when a second collides. */
interface Seen { spec: LoadedSpec; path: Path }

class Rules {
  readonly diagnostics: Diagnostic[] = [];
  private readonly ids = new Map<string, Seen>();
  private readonly typeNames = new Map<string, Seen>();
  private readonly registries = new Map<Registry, { codes: Set<string>; seen: Seen }>();

  private readonly registriesComplete: boolean;

  constructor(specs: readonly LoadedSpec[], registriesComplete: boolean) {
    this.registriesComplete = registriesComplete;
    // Registries first: a reference may point into a spec read later.
    for (const spec of specs) {
      (spec.data as RawSpec).codeSets.forEach((set, s) => {
        if (!set.defines) return;
        const seen = { spec, path: ["codeSets", s, "defines"] };
        const first = this.registries.get(set.defines);
        if (first) {
          this.report(seen, `\`defines: ${set.defines}\` is already declared at ${where(first.seen)}; one set defines each registry`);
          return;
        }
        this.registries.set(set.defines, { codes: new Set(set.entries.map((e) => normalizeCode(e.code ?? ""))), seen });
      });
    }
  }

  spec(loaded: LoadedSpec): Spec {
    const raw = loaded.data as RawSpec;
    return {
      file: loaded.file,
      source: raw.source,
      notes: raw.notes ?? [],
      codeSets: raw.codeSets.map((set, s) => this.codeSet(loaded, raw, set, ["codeSets", s])),
    };
  }

  private codeSet(spec: LoadedSpec, raw: RawSpec, set: RawSet, path: Path): CodeSet {
    const at = (...rest: Array<string | number>): Seen => ({ spec, path: [...path, ...rest] });
    this.unique(this.ids, set.id, at("id"), `code set id \`${set.id}\``);
    if (set.id === "index") this.report(at("id"), "code set id `index` would overwrite the generated index.ts; choose another");
    const name = toPascalCase(set.name);
    const nameProblem = identifierProblem(name, "type");
    if (nameProblem) this.report(at("name"), `name "${set.name}" ${nameProblem}`);
    else this.declares(name, set, at("name"));

    const columns = (set.columns ?? []).map((c) => ({ ...c, required: c.required ?? true, inLogs: c.inLogs ?? false }));
    columns.forEach((column, i) => {
      if (column.inLogs && columns.findIndex((c) => c.inLogs) !== i) this.report(at("columns", i, "inLogs"), "a second `inLogs` column; the parser matches one column per set");
    });
    const attributes = (set.attributes ?? []).map((a) => ({ ...a, required: a.required ?? false }));
    this.uniqueWithin(columns.map((c) => c.key), (i) => at("columns", i, "key"), "column key");
    this.uniqueWithin(attributes.map((a) => a.key), (i) => at("attributes", i, "key"), "attribute key");
    for (const [kind, keys] of [["columns", columns.map((c) => c.key)], ["attributes", attributes.map((a) => a.key)]] as const) {
      keys.forEach((key, i) => {
        if (isObjectMember(key)) this.report(at(kind, i, "key"), `key \`${key}\` is a name every JavaScript object already has; choose another`);
      });
    }
    attributes.forEach((attribute, i) => {
      for (const value of attribute.enum ?? []) {
        const problem = valueProblem(attribute, value, false);
        if (problem) this.report(at("attributes", i, "enum"), `enum value ${JSON.stringify(value)} ${problem}`);
      }
      for (const label of Object.keys(attribute.labels ?? {})) {
        if (!attribute.enum?.some((v) => String(v) === label)) {
          this.report({ spec, path: [...path, "attributes", i, "labels"] }, `label for ${JSON.stringify(label)}, which is not in the attribute's enum`);
        }
      }
    });

    const members = new Map<string, Seen & { name: string }>();
    const codes = new Map<string, Seen>();
    const entries: Entry[] = [];
    set.entries.forEach((rawEntry, e) => {
      const entryAt = (...rest: Array<string | number>) => at("entries", e, ...rest);
      const member = toPascalCase(rawEntry.name);
      const problem = identifierProblem(member, "member");
      const first = members.get(member);
      if (problem) this.report(entryAt("name"), `name "${rawEntry.name}" ${problem}`);
      else if (first) this.report(entryAt("name"), `name "${rawEntry.name}" becomes ${member}, already used by "${first.name}" at ${where(first)}`);
      else members.set(member, { ...entryAt("name"), name: rawEntry.name });
      const code = rawEntry.code ?? member;
      if (rawEntry.code !== undefined) this.unique(codes, normalizeCode(code), entryAt("code"), `code ${JSON.stringify(code)}`);
      entries.push({
        code,
        member,
        texts: this.texts(set, columns, rawEntry, entries, entryAt),
        attributes: this.attributes(attributes, rawEntry, entryAt),
        ...(rawEntry.outcome !== undefined && { outcome: rawEntry.outcome, outcomeBasis: rawEntry.outcomeBasis! }),
        ...this.references(set, rawEntry, entryAt),
        ...(rawEntry.erratum && { erratum: rawEntry.erratum }),
      });
      this.outcome(set, rawEntry, entryAt);
      if (rawEntry.erratum && normalizeCode(rawEntry.erratum.sourceReads) === normalizeCode(code)) {
        this.report(entryAt("erratum", "sourceReads"), `erratum reads ${JSON.stringify(rawEntry.erratum.sourceReads)}, the same as the code; an erratum names its correction in \`code\``);
      }
    });

    const placeholders = set.placeholders ?? [];
    placeholders.forEach((placeholder, i) => {
      if (!entries.some((entry) => entry.texts.some((t) => t.text.includes(placeholder)))) {
        this.report(at("placeholders", i), `placeholder ${JSON.stringify(placeholder)} occurs in no entry's text`);
      }
    });

    return {
      id: set.id, name, table: set.table, description: set.description, codeFormat: set.codeFormat,
      ...(set.defines && { defines: set.defines }),
      outcomes: set.outcomes ?? true, columns, attributes, placeholders, notes: set.notes ?? [], entries,
      specFile: spec.file, source: raw.source,
    };
  }

  private texts(set: RawSet, columns: readonly Column[], entry: RawEntry, previous: readonly Entry[], at: (...p: Array<string | number>) => Seen): EntryText[] {
    for (const key of Object.keys(entry.texts ?? {})) {
      if (!columns.some((c) => c.key === key)) {
        this.report({ ...at("texts"), key }, `unknown column \`${key}\`; this set's columns are: ${columns.map((c) => c.key).join(", ") || "(none)"}`);
      }
    }
    const texts: EntryText[] = [];
    for (const column of columns) {
      const text = entry.texts && Object.hasOwn(entry.texts, column.key) ? entry.texts[column.key] : undefined;
      if (text === undefined) {
        if (column.required) this.report(at("name"), `missing text for required column \`${column.key}\` (${column.heading}); add texts.${column.key} or mark the column required: false`);
        continue;
      }
      if (column.ditto === undefined || text !== column.ditto) {
        texts.push({ column: column.key, text });
        continue;
      }
      const above = previous.at(-1);
      const repeated = above?.texts.find((t) => t.column === column.key);
      if (!above || !repeated) {
        this.report(at("texts", column.key), `ditto mark ${column.ditto} has no text in the row above to repeat (set ${set.id})`);
        texts.push({ column: column.key, text }); // keeps the rows below from repeating the same complaint
        continue;
      }
      // A ditto of a ditto repeats the original row's text, and names that row.
      texts.push({ column: column.key, text: repeated.text, ditto: { mark: column.ditto, from: repeated.ditto?.from ?? above.code } });
    }
    return texts;
  }

  private attributes(declared: CodeSet["attributes"], entry: RawEntry, at: (...p: Array<string | number>) => Seen): Record<string, AttributeValue> {
    const values = entry.attributes ?? {};
    for (const [key, value] of Object.entries(values)) {
      const attribute = declared.find((a) => a.key === key);
      if (!attribute) {
        this.report({ ...at("attributes"), key }, `unknown attribute \`${key}\`; this set's attributes are: ${declared.map((a) => a.key).join(", ") || "(none)"}`);
        continue;
      }
      const problem = valueProblem(attribute, value, true);
      if (problem) this.report(at("attributes", key), `attribute \`${key}\` ${JSON.stringify(value)} ${problem}`);
    }
    for (const attribute of declared) {
      if (attribute.required && !Object.hasOwn(values, attribute.key)) this.report(at("name"), `missing required attribute \`${attribute.key}\``);
    }
    return values;
  }

  private outcome(set: RawSet, entry: RawEntry, at: (...p: Array<string | number>) => Seen): void {
    if ((set.outcomes ?? true) === false) {
      if (entry.outcome !== undefined) this.report(at("outcome"), "`outcome` given, but the set says `outcomes: false`");
      return;
    }
    if (entry.outcome === undefined) {
      this.report(at("name"), "missing `outcome` (success, intermediate, transient, permanent or failure) and `outcomeBasis`");
      return;
    }
    if (entry.outcomeBasis !== "code-class") return;
    const classDigit = codeClass(set, entry);
    if (classDigit === undefined) {
      this.report(at("outcomeBasis"), "`outcomeBasis: code-class`, but the entry carries no SMTP or enhanced code to take the class from; use `document`");
    } else if (CLASS_OUTCOME[classDigit] !== entry.outcome) {
      this.report(at("outcome"), `outcome ${entry.outcome} contradicts the code class ${classDigit} (${CLASS_OUTCOME[classDigit] ?? "no outcome"}) that outcomeBasis code-class names`);
    }
  }

  private references(set: RawSet, entry: RawEntry, at: (...p: Array<string | number>) => Seen): Pick<Entry, "replyCode" | "enhancedCode"> {
    // A row of a table of standard codes is itself a reference to that code.
    if (set.defines === undefined && entry.code !== undefined) {
      if (set.codeFormat === "smtp-reply") this.resolve("reply", entry.code, at("code"));
      if (set.codeFormat === "enhanced-status") this.resolve("enhanced", entry.code, at("code"));
      if (set.codeFormat === "enhanced-subject-detail") this.resolve("subject-detail", entry.code, at("code"));
    }
    const out: { replyCode?: Reference; enhancedCode?: Reference } = {};
    if (entry.replyCode !== undefined) out.replyCode = this.reference("reply", entry.replyCode, at("replyCode"));
    if (entry.enhancedCode !== undefined) out.enhancedCode = this.reference("enhanced", entry.enhancedCode, at("enhancedCode"));
    return out;
  }

  private reference(kind: CarriedKind, raw: Code | RawReference, at: Seen): Reference {
    if (typeof raw !== "object") {
      this.resolve(kind, raw, at);
      return { code: raw, standard: true };
    }
    if (lookups(kind, raw.code).every(([registry, code]) => this.registries.get(registry)?.codes.has(normalizeCode(code)))) {
      this.report({ ...at, path: [...at.path, "code"] }, `${JSON.stringify(raw.code)} is marked standard: false, but it is a standard code; write it as a plain value`);
    }
    return { code: raw.code, standard: false, note: raw.note };
  }

  /** Reports each part of a code that is missing from its registry. */
  private resolve(kind: CarriedKind, shown: Code, at: Seen): void {
    for (const [registry, code] of lookups(kind, shown)) {
      const found = this.registries.get(registry);
      if (!found) {
        // When a spec failed the schema, the registry may be in it: say nothing rather than something misleading.
        if (this.registriesComplete) this.report(at, `${JSON.stringify(shown)} cannot be resolved: no code set says \`defines: ${registry}\``);
      } else if (!found.codes.has(normalizeCode(code))) {
        this.report(at, `${JSON.stringify(shown)} does not resolve: ${JSON.stringify(code)} is not in the ${registry} registry (${where(found.seen)}); fix the code, or mark it { code, standard: false, note }`);
      }
    }
  }

  /** Every top-level name the set's module declares must be free: the index exports them all. */
  private declares(name: string, set: RawSet, at: Seen): void {
    const n = moduleNames(name);
    const declared = [n.type, n.info, n.infoOf, n.table, n.infos, n.is, n.lookup, n.fromName, n.parse, ...OUTCOMES.map(n.outcome)];
    const taken = declared.find((d) => this.typeNames.has(d));
    if (taken !== undefined) {
      this.report(at, `name "${set.name}" declares ${taken}, which the set at ${where(this.typeNames.get(taken)!)} declares too; choose another`);
      return;
    }
    for (const d of declared) this.typeNames.set(d, at);
  }

  private unique(seen: Map<string, Seen>, key: string, at: Seen, what: string): void {
    const first = seen.get(key);
    if (first) this.report(at, `${what} is already used at ${where(first)}`);
    else seen.set(key, at);
  }

  private uniqueWithin(keys: readonly string[], at: (i: number) => Seen, what: string): void {
    const seen = new Map<string, Seen>();
    keys.forEach((key, i) => this.unique(seen, key, at(i), `${what} \`${key}\``));
  }

  private report(at: Seen & { key?: string }, message: string): void {
    const { line, column } = locate(at.spec, at.path, at.key);
    this.diagnostics.push({ file: at.spec.file, line, column, message });
  }
}

type CarriedKind = "reply" | "enhanced" | "subject-detail";

/** The registry look-ups a code needs: a reply code one; an enhanced code its class and its subject.detail. */
function lookups(kind: CarriedKind, code: Code): Array<[Registry, Code]> {
  if (kind === "reply") return [["smtp-reply", code]];
  if (kind === "subject-detail") return [["enhanced-subject-detail", code]];
  const [classDigit, subject, detail] = String(code).split(".");
  return [["enhanced-status-class", Number(classDigit)], ["enhanced-subject-detail", `X.${subject}.${detail}`]];
}

const CLASS_OUTCOME: Record<string, Outcome> = { "2": "success", "3": "intermediate", "4": "transient", "5": "permanent" };

/** The class digit an entry's outcome follows under outcomeBasis code-class. */
function codeClass(set: RawSet, entry: RawEntry): string | undefined {
  if (entry.code !== undefined && (set.codeFormat === "smtp-reply" || set.codeFormat === "enhanced-status")) return String(entry.code)[0];
  if (entry.code !== undefined && set.codeFormat === "pattern" && /^[2-5]/.test(String(entry.code))) return String(entry.code)[0];
  const carried = entry.replyCode ?? entry.enhancedCode;
  if (carried === undefined) return undefined;
  return String(typeof carried === "object" ? carried.code : carried)[0];
}

/** x.1.1 and X.1.1 are the same subject.detail code. */
function normalizeCode(code: Code): string {
  return String(code).toUpperCase();
}

function valueProblem(attribute: CodeSet["attributes"][number], value: AttributeValue, checkEnum: boolean): string | undefined {
  const ok =
    attribute.type === "integer" ? Number.isInteger(value) : attribute.type === "number" ? typeof value === "number" && Number.isFinite(value) : typeof value === attribute.type;
  if (!ok) return `is not of the attribute's type ${attribute.type}`;
  if (checkEnum && attribute.enum && !attribute.enum.includes(value)) {
    return `is not one of the attribute's values: ${attribute.enum.map((v) => JSON.stringify(v)).join(", ")}`;
  }
  return undefined;
}

function where(seen: Seen): string {
  const { line, column } = locate(seen.spec, seen.path);
  return `${seen.spec.file}:${line}:${column}`;
}
