// rules: what the JSON Schema cannot say, as small functions. Each reads the parts of the specs that passed the
// schema (a spec whose entry 5 is malformed still has its other entries checked) and returns located problems.
import { GATED_REASONS, OUTCOMES, parseRange, type Range } from "mailcodes-runtime";
import type { LoadedSpec } from "./load.ts";
import type { Path } from "./locate.ts";
import {
  type AttributeData,
  type Code,
  type CodeSetData,
  type ColumnData,
  codesOf,
  type EntryData,
  listOf,
  type Outcome,
  otherMember,
  type Registry,
  registryKey,
  type SpecData,
  subjectDetailOf,
} from "./model.ts";
import {
  declaredNames,
  identifierProblem,
  isObjectMember,
  isReservedName,
  isRuntimeName,
  RESERVED_MODULES,
  toPascalCase,
} from "./names.ts";

/** A problem at a place in a spec: the node at `path`, or its key `key`. */
export interface Problem {
  readonly spec: LoadedSpec;
  readonly path: Path;
  readonly key?: string;
  readonly message: string;
}

export interface EntryView {
  readonly spec: LoadedSpec;
  readonly path: Path;
  readonly data: EntryData;
  /** Which table of the set it is in: 0 the set's own, then its extensions. */
  readonly part: number;
  /** The row above it in its table as written, whether or not that row passed the schema (undefined for the first). */
  readonly above: unknown;
}

export interface SetView {
  readonly spec: LoadedSpec;
  readonly path: Path;
  readonly data: CodeSetData;
  /** Its rows that passed the schema, in order (for an own set: its extensions' rows after its own). */
  readonly entries: readonly EntryView[];
  /** Whether every row passed the schema: only then can a code's absence be trusted. */
  readonly complete: boolean;
}

export interface Context {
  readonly specs: ReadonlyArray<{ readonly spec: LoadedSpec; readonly data: SpecData; readonly sourceOk: boolean }>;
  /** Sets of their own (not extensions) whose header passed the schema, with their extensions' rows. */
  readonly sets: readonly SetView[];
  /** Extensions whose header passed the schema, each with its own rows only. */
  readonly extensions: readonly SetView[];
  /** Source documents that exist, as specs name them (sources/000_….txt). */
  readonly documents: ReadonlySet<string>;
  /** Whether every spec passed the schema whole: only then is a missing registry worth reporting. */
  readonly complete: boolean;
  /** "spec/x.yaml:12:5": where a node is, for messages that point at a second place. */
  readonly where: (spec: LoadedSpec, path: Path) => string;
}

export type Rule = (context: Context) => Problem[];

const at = (spec: LoadedSpec, path: Path, message: string, key?: string): Problem => ({
  spec,
  path,
  message,
  ...(key !== undefined && { key }),
});

// ---------------------------------------------------------------------------------------------------------------
// Specs and sets

export const sourceFileExists: Rule = ({ specs, documents }) =>
  specs
    .filter((s) => s.sourceOk && !documents.has(s.data.source.file))
    .map(({ spec, data }) =>
      at(
        spec,
        ["source", "file"],
        `${JSON.stringify(data.source.file)} does not exist; source.file names the document's text, relative to the spec's folder`,
      ),
    );

export const uniqueSetIds: Rule = ({ sets, where }) => {
  const problems: Problem[] = [];
  const seen = new Map<string, SetView>();
  for (const set of sets) {
    const id = set.data.id!;
    const first = seen.get(id);
    if (RESERVED_MODULES.has(id))
      problems.push(
        at(
          set.spec,
          [...set.path, "id"],
          `code set id \`${id}\` would overwrite the generated ${id}.ts; choose another`,
        ),
      );
    else if (first)
      problems.push(
        at(
          set.spec,
          [...set.path, "id"],
          `code set id \`${id}\` is already used at ${where(first.spec, [...first.path, "id"])}`,
        ),
      );
    else seen.set(id, set);
  }
  return problems;
};

/** Set names become identifiers, and every name a module declares must be free across modules (the index exports them all). */
export const setNames: Rule = ({ sets, where }) => {
  const problems: Problem[] = [];
  const declared = new Map<string, SetView>();
  for (const set of sets) {
    const name = toPascalCase(set.data.name!);
    const path = [...set.path, "name"];
    const problem = identifierProblem(name);
    if (problem) {
      problems.push(at(set.spec, path, `name "${set.data.name}" ${problem}`));
      continue;
    }
    const names = declaredNames(name, {
      outcomes: OUTCOMES,
      ...(set.data.defines !== undefined && { defines: set.data.defines }),
    });
    const reserved = names.find(isReservedName);
    const imported = names.find(isRuntimeName);
    const taken = names.find((n) => declared.has(n));
    if (imported !== undefined) {
      problems.push(
        at(
          set.spec,
          path,
          `name "${set.data.name}" declares ${imported}, which mailcodes-runtime exports (the generated modules import from it); choose another`,
        ),
      );
    } else if (reserved !== undefined) {
      problems.push(
        at(
          set.spec,
          path,
          `name "${set.data.name}" declares ${reserved}, a global or a name the generated code uses itself; choose another`,
        ),
      );
    } else if (taken !== undefined) {
      const first = declared.get(taken)!;
      problems.push(
        at(
          set.spec,
          path,
          `name "${set.data.name}" declares ${taken}, which the set at ${where(first.spec, [...first.path, "name"])} declares too; choose another`,
        ),
      );
    } else {
      for (const n of names) declared.set(n, set);
    }
  }
  return problems;
};

export const extensionsResolve: Rule = ({ sets, extensions }) =>
  extensions.flatMap((extension) => {
    const base = sets.find((s) => s.data.id === extension.data.extends);
    if (base === undefined) {
      return [
        at(
          extension.spec,
          [...extension.path, "extends"],
          `\`extends: ${extension.data.extends}\` names no code set; it takes the id of the set whose rows this table continues`,
        ),
      ];
    }
    if (base.data.codeFormat !== extension.data.codeFormat) {
      return [
        at(
          extension.spec,
          [...extension.path, "codeFormat"],
          `codeFormat ${extension.data.codeFormat} differs from the extended set's (${base.data.codeFormat})`,
        ),
      ];
    }
    return [];
  });

/** What each registry's codes must be, so that the readers built on it get well-formed parts. */
const REGISTRY_FORMAT: Readonly<Record<Registry, { format: string; codes?: (code: Code) => boolean; what?: string }>> =
  {
    "smtp-reply": { format: "smtp-reply" },
    "enhanced-status-class": {
      format: "integer",
      codes: (code) => code === 2 || code === 4 || code === 5,
      what: "2, 4 or 5 (RFC 3463's classes)",
    },
    "enhanced-subject-detail": { format: "enhanced-subject-detail" },
    "bounce-reason": {
      format: "alphanumeric",
      codes: (code) => typeof code === "string" && /^[a-z][a-z0-9]*$/.test(code),
      what: 'lower-case letters and digits, as "userunknown"',
    },
    "reason-by-status": { format: "enhanced-status" },
    "reason-by-reply": { format: "smtp-reply" },
    "reason-by-wording": { format: "none" },
    "reason-by-mta-wording": { format: "none" },
    "reason-by-provider-wording": { format: "none" },
    "bounce-provider": { format: "none" },
  };

/** The registries of rules that lead to a reason, and whether their rows are wording (found by an inLogs column). */
const REASON_RULES: Readonly<Partial<Record<Registry, { readonly wording: boolean }>>> = {
  "reason-by-status": { wording: false },
  "reason-by-reply": { wording: false },
  "reason-by-wording": { wording: true },
  "reason-by-mta-wording": { wording: true },
  "reason-by-provider-wording": { wording: true },
};

/** The classifier's rule registries: every row names the reason it leads to, and the wording rows have a phrase. */
export const ruleRegistries: Rule = ({ sets }) =>
  sets.flatMap((set) => {
    const registry = set.data.defines;
    const rules = registry === undefined ? undefined : REASON_RULES[registry];
    if (rules === undefined) return [];
    // A wording row may only cancel a reason's other phrases (attribute vetoes) instead of leading to one.
    const vetoes = (e: EntryView) => registry === "reason-by-wording" && e.data.attributes?.["vetoes"] !== undefined;
    const problems = set.entries
      .filter((e) => e.data.reason === undefined && !vetoes(e))
      .map((e) => at(e.spec, [...e.path, "name"], `a row of the ${registry} registry needs a \`reason\``));
    if (rules.wording && !(set.data.columns ?? []).some((c) => c.inLogs)) {
      problems.push(
        at(
          set.spec,
          [...set.path, "columns"],
          `the ${registry} registry needs an \`inLogs\` column: the phrase a bounce's text is searched for`,
        ),
      );
    }
    return problems;
  });

/** The bounce-reason registry's rows say which part of the setup to fix exactly when their action is fix-setup. */
export const reasonSetup: Rule = ({ sets }) =>
  sets
    .filter((set) => set.data.defines === "bounce-reason")
    .flatMap((set) =>
      set.entries.flatMap((e) => {
        const attributes = e.data.attributes ?? {};
        const fix = attributes["action"] === "fix-setup";
        if (fix && attributes["setup"] === undefined)
          return [
            at(
              e.spec,
              [...e.path, "attributes"],
              "a reason whose action is fix-setup says which part of the setup: add `setup`",
            ),
          ];
        if (!fix && attributes["setup"] !== undefined)
          return [
            at(e.spec, [...e.path, "attributes", "setup"], "`setup` is for a reason whose action is fix-setup alone"),
          ];
        return [];
      }),
    );

/**
 * What a rule row names by value is there to be named: a provider-wording row's providers are rows of the
 * bounce-provider registry, a wording row's vetoed reason a code of the bounce-reason registry. (Renaming a provider
 * or a reason must not silently leave its rules counting nowhere.)
 */
export const ruleNames: Rule = ({ sets }) => {
  const registry = (name: Registry) => sets.find((set) => set.data.defines === name);
  const checks: ReadonlyArray<readonly [rules: Registry, attribute: string, names: Registry, otherwise: string]> = [
    ["reason-by-provider-wording", "provider", "bounce-provider", "the row would count for no provider"],
    ["reason-by-wording", "vetoes", "bounce-reason", "the row would cancel nothing"],
  ];
  return checks.flatMap(([rules, attribute, names, otherwise]) => {
    const set = registry(rules);
    const known = registry(names);
    if (set === undefined || known === undefined || !known.complete) return [];
    // A set of codeFormat none is known by name: its codes are its names as identifiers.
    const codesOfRow = (e: EntryView) =>
      known.data.codeFormat === "none" ? [toPascalCase(e.data.name)] : codesOf(e.data).map(String);
    const codes = new Set(known.entries.flatMap(codesOfRow));
    return set.entries.flatMap((e) => {
      const value = e.data.attributes?.[attribute];
      if (typeof value !== "string") return [];
      const unknown = value.split(/\s+/).filter((name) => name !== "" && !codes.has(name));
      const path = [...e.path, "attributes", attribute];
      return unknown.map((name) =>
        at(e.spec, path, `${JSON.stringify(name)} is not a code of the ${names} registry: ${otherwise}`),
      );
    });
  });
};

/** Every reason the classifier's code tests by name is a code of the bounce-reason registry, so that none is dead. */
export const gatedReasons: Rule = ({ sets }) =>
  sets
    .filter((set) => set.data.defines === "bounce-reason" && set.complete)
    .flatMap((set) => {
      const codes = new Set(set.entries.flatMap((e) => codesOf(e.data).map(String)));
      const missing = GATED_REASONS.filter((reason) => !codes.has(reason));
      if (missing.length === 0) return [];
      const list = missing.map((reason) => `\`${reason}\``).join(", ");
      return [
        at(
          set.spec,
          [...set.path, "defines"],
          `the classifier tests the reasons ${list} by name, which this registry lacks; add them`,
        ),
      ];
    });

export const registries: Rule = ({ sets, where }) => {
  const problems: Problem[] = [];
  const seen = new Map<Registry, SetView>();
  for (const set of sets) {
    const registry = set.data.defines;
    if (registry === undefined) continue;
    const first = seen.get(registry);
    const path = [...set.path, "defines"];
    if (first) {
      problems.push(
        at(
          set.spec,
          path,
          `\`defines: ${registry}\` is already declared at ${where(first.spec, [...first.path, "defines"])}; one set defines each registry (add rows to it from another spec with \`extends: ${first.data.id}\`)`,
        ),
      );
      continue;
    }
    seen.set(registry, set);
    const rule = REGISTRY_FORMAT[registry];
    if (set.data.codeFormat !== rule.format) {
      problems.push(
        at(
          set.spec,
          [...set.path, "codeFormat"],
          `a set that defines ${registry} has codeFormat ${rule.format}, not ${set.data.codeFormat}`,
        ),
      );
      continue;
    }
    for (const entry of set.entries) {
      // A registry is looked up by code: a row known by name only would answer to no code.
      if (rule.format !== "none" && codesOf(entry.data).length === 0)
        problems.push(at(entry.spec, [...entry.path, "name"], `a row of the ${registry} registry needs a \`code\``));
      for (const code of codesOf(entry.data)) {
        if (rule.codes && !rule.codes(code))
          problems.push(
            at(
              entry.spec,
              [...entry.path, "code"],
              `${JSON.stringify(code)} cannot be a code of the ${registry} registry: its codes are ${rule.what}`,
            ),
          );
      }
    }
  }
  return problems;
};

// ---------------------------------------------------------------------------------------------------------------
// Columns and attributes

export const columns: Rule = ({ sets }) =>
  sets.flatMap((set) => {
    const problems: Problem[] = [];
    const list: readonly ColumnData[] = set.data.columns ?? [];
    problems.push(
      ...duplicates(
        list.map((c) => c.key),
        (i) =>
          at(
            set.spec,
            [...set.path, "columns", i, "key"],
            `column key \`${list[i]!.key}\` is already used by column ${list.findIndex((c) => c.key === list[i]!.key) + 1}`,
          ),
      ),
    );
    list.forEach((column, i) => {
      if (isObjectMember(column.key))
        problems.push(
          at(
            set.spec,
            [...set.path, "columns", i, "key"],
            `key \`${column.key}\` is a name every JavaScript object already has; choose another`,
          ),
        );
      if (column.inLogs && list.findIndex((c) => c.inLogs) !== i)
        problems.push(
          at(
            set.spec,
            [...set.path, "columns", i, "inLogs"],
            "a second `inLogs` column; the parser matches one column per set",
          ),
        );
    });
    return problems;
  });

export const attributes: Rule = ({ sets }) =>
  sets.flatMap((set) => {
    const problems: Problem[] = [];
    const list: readonly AttributeData[] = set.data.attributes ?? [];
    problems.push(
      ...duplicates(
        list.map((a) => a.key),
        (i) =>
          at(
            set.spec,
            [...set.path, "attributes", i, "key"],
            `attribute key \`${list[i]!.key}\` is already used by attribute ${list.findIndex((a) => a.key === list[i]!.key) + 1}`,
          ),
      ),
    );
    list.forEach((attribute, i) => {
      const path = [...set.path, "attributes", i];
      if (isObjectMember(attribute.key))
        problems.push(
          at(
            set.spec,
            [...path, "key"],
            `key \`${attribute.key}\` is a name every JavaScript object already has; choose another`,
          ),
        );
      for (const value of attribute.enum ?? []) {
        if (!ofType(attribute.type, value))
          problems.push(
            at(
              set.spec,
              [...path, "enum"],
              `enum value ${JSON.stringify(value)} is not of the attribute's type ${attribute.type}`,
            ),
          );
      }
      for (const label of Object.keys(attribute.labels ?? {})) {
        if (!attribute.enum?.some((v) => String(v) === label))
          problems.push(
            at(
              set.spec,
              [...path, "labels"],
              `label for ${JSON.stringify(label)}, which is not in the attribute's enum`,
              label,
            ),
          );
      }
    });
    return problems;
  });

// ---------------------------------------------------------------------------------------------------------------
// Entries

export const entryNames: Rule = ({ sets, where }) =>
  sets.flatMap((set) => {
    const problems: Problem[] = [];
    const seen = new Map<string, EntryView>();
    for (const entry of set.entries) {
      const member = toPascalCase(entry.data.name);
      const path = [...entry.path, "name"];
      const problem = identifierProblem(member);
      const first = seen.get(member);
      if (problem) problems.push(at(entry.spec, path, `name "${entry.data.name}" ${problem}`));
      else if (first)
        problems.push(
          at(
            entry.spec,
            path,
            `name "${entry.data.name}" becomes ${member}, already used by "${first.data.name}" at ${where(first.spec, [...first.path, "name"])}`,
          ),
        );
      else seen.set(member, entry);
    }
    return problems;
  });

/**
 * Codes are unique in a set (unless it says repeatedCodes), a row known by name only taking its name as its code;
 * ranges run upward, no code falls in another row's range, and a row's codes after its first make distinct enum members.
 */
export const entryCodes: Rule = ({ sets, where }) =>
  sets.flatMap((set) => {
    const problems: Problem[] = [];
    const seen = new Map<string, EntryView>();
    const ranges: Array<{ entry: EntryView; code: string } & Range> = [];
    for (const entry of set.entries) {
      const given = codesOf(entry.data);
      // (Two codes after the first are needed to clash.)
      if (
        given.length > 2 &&
        new Set(given.slice(1).map((code) => otherMember(toPascalCase(entry.data.name), code))).size < given.length - 1
      )
        problems.push(
          at(
            entry.spec,
            [...entry.path, "code"],
            `two of the row's codes give the same enum member; ${given.map((c) => JSON.stringify(c)).join(", ")} must differ in more than their punctuation`,
          ),
        );
      const own = given.length > 0 || set.data.codeFormat === "none" ? given : [toPascalCase(entry.data.name)];
      for (const code of own) {
        const range = parseRange(code, set.data.codeFormat);
        if (range) {
          if (range.from > range.to)
            problems.push(
              at(
                entry.spec,
                [...entry.path, "code"],
                `range ${JSON.stringify(code)} runs downward; write the smaller bound first`,
              ),
            );
          ranges.push({ entry, code: String(code), ...range });
        }
        const key = registryKey(code);
        const first = seen.get(key);
        const byName = (e: EntryView) => set.data.codeFormat !== "none" && codesOf(e.data).length === 0;
        if (first && first !== entry && (byName(entry) || byName(first))) {
          // A row without a code is known by its name: it may share no code, even where codes repeat.
          const place = (e: EntryView) => [...e.path, byName(e) ? "name" : "code"];
          problems.push(
            at(
              entry.spec,
              place(entry),
              `code ${JSON.stringify(code)} is already taken at ${where(first.spec, place(first))}: a row without a code has its name as its code; rename the row`,
            ),
          );
        } else if (first && first !== entry && !set.data.repeatedCodes) {
          problems.push(
            at(
              entry.spec,
              [...entry.path, "code"],
              `code ${JSON.stringify(code)} is already used at ${where(first.spec, [...first.path, "code"])}; if the document lists one code on several rows, say \`repeatedCodes: true\` on the set`,
            ),
          );
        } else if (!first) {
          seen.set(key, entry);
        }
      }
    }
    if (set.data.repeatedCodes) return problems;
    for (const range of ranges) {
      for (const entry of set.entries) {
        if (entry === range.entry) continue;
        for (const code of codesOf(entry.data)) {
          const other = parseRange(code, set.data.codeFormat);
          const [prefix, low, high] = other
            ? [other.prefix, other.from, other.to]
            : splitNumber(code, set.data.codeFormat);
          if (
            prefix === range.prefix &&
            low !== undefined &&
            high !== undefined &&
            low <= range.to &&
            high >= range.from
          ) {
            problems.push(
              at(
                entry.spec,
                [...entry.path, "code"],
                `code ${JSON.stringify(code)} overlaps the range ${range.code} at ${where(range.entry.spec, [...range.entry.path, "code"])}; if the document means it, say \`repeatedCodes: true\` on the set`,
              ),
            );
          }
        }
      }
    }
    return problems;
  });

export const entryTexts: Rule = ({ sets, where }) =>
  sets.flatMap((set) => {
    const problems: Problem[] = [];
    const list: readonly ColumnData[] = set.data.columns ?? [];
    const inLogs = list.find((c) => c.inLogs);
    const logTexts = new Map<string, EntryView[]>();
    set.entries.forEach((entry) => {
      const texts = entry.data.texts ?? {};
      for (const key of Object.keys(texts)) {
        if (!list.some((c) => c.key === key))
          problems.push(
            at(
              entry.spec,
              [...entry.path, "texts"],
              `unknown column \`${key}\`; this set's columns are: ${list.map((c) => c.key).join(", ") || "(none)"}`,
              key,
            ),
          );
      }
      for (const column of list) {
        const text = Object.hasOwn(texts, column.key) ? texts[column.key] : undefined;
        if (text === undefined) {
          if (column.required ?? true)
            problems.push(
              at(
                entry.spec,
                [...entry.path, "name"],
                `missing text for required column \`${column.key}\` (${column.heading}); add texts.${column.key} or mark the column required: false`,
              ),
            );
          continue;
        }
        const aboveText = (entry.above as { texts?: Record<string, unknown> } | undefined)?.texts?.[column.key];
        if (column.ditto !== undefined && text === column.ditto && typeof aboveText !== "string") {
          problems.push(
            at(
              entry.spec,
              [...entry.path, "texts", column.key],
              `ditto mark ${column.ditto} has no text in the row above to repeat`,
            ),
          );
        }
        if (column === inLogs) {
          // A set of codes reads the code first: a message repeated under another code is told apart by it.
          const same = logTexts.get(text) ?? [];
          const first = same.find((other) => !toldApart(set.data, entry.data, other.data));
          if (first) {
            const why =
              set.data.codeFormat === "none"
                ? ""
                : codesOf(entry.data).length === 0 || codesOf(first.data).length === 0
                  ? " (a row without a code is found by its text alone)"
                  : " under the same code";
            problems.push(
              at(
                entry.spec,
                [...entry.path, "texts", column.key],
                `this ${column.key} is the same as "${first.data.name}"'s at ${where(first.spec, [...first.path, "texts", column.key])}${why}; a parser could not tell the two rows apart`,
              ),
            );
          }
          logTexts.set(text, [...same, entry]);
        }
      }
    });
    return problems;
  });

/** Whether a parser tells two rows with the same log text apart: in a set of codes, by codes they do not share. */
function toldApart(set: CodeSetData, a: EntryData, b: EntryData): boolean {
  if (set.codeFormat === "none") return false;
  const codes = new Set(codesOf(a).map(registryKey));
  return codes.size > 0 && codesOf(b).length > 0 && !codesOf(b).some((code) => codes.has(registryKey(code)));
}

export const entryAttributes: Rule = ({ sets }) =>
  sets.flatMap((set) => {
    const problems: Problem[] = [];
    const declared: readonly AttributeData[] = set.data.attributes ?? [];
    for (const entry of set.entries) {
      const values = entry.data.attributes ?? {};
      for (const [key, value] of Object.entries(values)) {
        const attribute = declared.find((a) => a.key === key);
        if (!attribute) {
          problems.push(
            at(
              entry.spec,
              [...entry.path, "attributes"],
              `unknown attribute \`${key}\`; this set's attributes are: ${declared.map((a) => a.key).join(", ") || "(none)"}`,
              key,
            ),
          );
        } else if (!ofType(attribute.type, value)) {
          problems.push(
            at(
              entry.spec,
              [...entry.path, "attributes", key],
              `attribute \`${key}\` ${JSON.stringify(value)} is not of the attribute's type ${attribute.type}`,
            ),
          );
        } else if (attribute.enum && !attribute.enum.includes(value)) {
          problems.push(
            at(
              entry.spec,
              [...entry.path, "attributes", key],
              `attribute \`${key}\` ${JSON.stringify(value)} is not one of its values: ${attribute.enum.map((v) => JSON.stringify(v)).join(", ")}`,
            ),
          );
        }
      }
      for (const attribute of declared) {
        if (attribute.required && !Object.hasOwn(values, attribute.key))
          problems.push(at(entry.spec, [...entry.path, "name"], `missing required attribute \`${attribute.key}\``));
      }
    }
    return problems;
  });

const CLASS_OUTCOME: Readonly<Record<string, Outcome>> = {
  "2": "success",
  "3": "intermediate",
  "4": "transient",
  "5": "permanent",
};

export const outcomes: Rule = ({ sets }) =>
  sets.flatMap((set) =>
    set.entries.flatMap((entry) => {
      const { outcome, outcomeBasis } = entry.data;
      if (set.data.outcomes === false)
        return outcome === undefined
          ? []
          : [at(entry.spec, [...entry.path, "outcome"], "`outcome` given, but the set says `outcomes: false`")];
      if (outcome === undefined)
        return [
          at(
            entry.spec,
            [...entry.path, "name"],
            "missing `outcome` (success, intermediate, transient, permanent or failure) and `outcomeBasis`",
          ),
        ];
      if (outcomeBasis !== "code-class") return [];
      const digit = classDigit(set.data, entry.data);
      if (digit === undefined)
        return [
          at(
            entry.spec,
            [...entry.path, "outcomeBasis"],
            "`outcomeBasis: code-class`, but the entry carries no SMTP or enhanced code to take the class from; use `document`",
          ),
        ];
      if (CLASS_OUTCOME[digit] !== outcome)
        return [
          at(
            entry.spec,
            [...entry.path, "outcome"],
            `outcome ${outcome} contradicts the code class ${digit} (${CLASS_OUTCOME[digit] ?? "no outcome"}) that outcomeBasis code-class names`,
          ),
        ];
      return [];
    }),
  );

/** The class digit an entry's outcome follows under outcomeBasis code-class. */
function classDigit(set: CodeSetData, entry: EntryData): string | undefined {
  const own = codesOf(entry)[0];
  if (
    own !== undefined &&
    (set.codeFormat === "smtp-reply" ||
      set.codeFormat === "enhanced-status" ||
      (set.codeFormat === "pattern" && /^[2-5]/.test(String(own))))
  )
    return String(own)[0];
  const carried = listOf(entry.replyCode)[0] ?? listOf(entry.enhancedCode)[0];
  if (carried === undefined) return undefined;
  return String(typeof carried === "object" ? carried.code : carried)[0];
}

export const errata: Rule = ({ sets }) =>
  sets.flatMap((set) =>
    set.entries.flatMap((entry) => {
      const { erratum } = entry.data;
      const code = codesOf(entry.data)[0];
      if (!erratum || code === undefined || registryKey(erratum.sourceReads) !== registryKey(code)) return [];
      return [
        at(
          entry.spec,
          [...entry.path, "erratum", "sourceReads"],
          `erratum reads ${JSON.stringify(erratum.sourceReads)}, the same as the code; an erratum names its correction in \`code\``,
        ),
      ];
    }),
  );

export const placeholders: Rule = ({ sets }) =>
  sets.flatMap((set) =>
    (set.data.placeholders ?? []).flatMap((placeholder, i) =>
      set.complete && !set.entries.some((e) => Object.values(e.data.texts ?? {}).some((t) => t.includes(placeholder)))
        ? [
            at(
              set.spec,
              [...set.path, "placeholders", i],
              `placeholder ${JSON.stringify(placeholder)} occurs in no entry's text`,
            ),
          ]
        : [],
    ),
  );

// ---------------------------------------------------------------------------------------------------------------
// References

type Lookup = readonly [Registry, Code];

/** The registry look-ups a carried code needs: a reply code one; an enhanced code its class and its subject.detail. */
const LOOKUPS = {
  replyCode: (code: Code): Lookup[] => [["smtp-reply", code]],
  enhancedCode: (code: Code): Lookup[] => [
    ["enhanced-status-class", Number(String(code).split(".")[0])],
    ["enhanced-subject-detail", subjectDetailOf(code)],
  ],
  reason: (code: Code): Lookup[] => [["bounce-reason", code]],
} as const;

/** Every carried code resolves in its registries, and one marked standard: false is really in none of them. */
export const references: Rule = ({ sets, complete, where }) => {
  const registry = new Map<Registry, SetView>();
  for (const set of sets)
    if (set.data.defines !== undefined && !registry.has(set.data.defines)) registry.set(set.data.defines, set);
  const codes = new Map<Registry, Set<string>>();
  for (const [name, set] of registry)
    codes.set(name, new Set(set.entries.flatMap((e) => codesOf(e.data).map(registryKey))));
  const problems: Problem[] = [];
  for (const set of sets) {
    for (const entry of set.entries) {
      for (const field of ["replyCode", "enhancedCode", "reason"] as const) {
        listOf(entry.data[field]).forEach((ref, i, all) => {
          const path =
            all.length > 1 || Array.isArray(entry.data[field]) ? [...entry.path, field, i] : [...entry.path, field];
          const code = typeof ref === "object" ? ref.code : ref;
          const lookups = LOOKUPS[field](code);
          if (typeof ref === "object") {
            if (lookups.every(([r, c]) => codes.get(r)?.has(registryKey(c)))) {
              problems.push(
                at(
                  entry.spec,
                  [...path, "code"],
                  `${JSON.stringify(code)} is marked standard: false, but the registries define it; write it as a plain value`,
                ),
              );
            }
            return;
          }
          for (const [name, part] of lookups) {
            const defining = registry.get(name);
            if (!defining) {
              if (complete)
                problems.push(
                  at(
                    entry.spec,
                    path,
                    `${JSON.stringify(code)} cannot be resolved: no code set says \`defines: ${name}\``,
                  ),
                );
            } else if (defining.complete && !codes.get(name)!.has(registryKey(part))) {
              const fix =
                field === "reason"
                  ? "use one of its codes"
                  : `fix it, or mark it { code: ${JSON.stringify(code)}, standard: false, note: "why" } if no standard defines it`;
              problems.push(
                at(
                  entry.spec,
                  path,
                  `${JSON.stringify(code)} does not resolve: ${JSON.stringify(part)} is not in the ${name} registry (${where(defining.spec, [...defining.path, "defines"])}); ${fix}`,
                ),
              );
            }
          }
        });
      }
    }
  }
  return problems;
};

export const RULES: readonly Rule[] = [
  sourceFileExists,
  uniqueSetIds,
  setNames,
  extensionsResolve,
  registries,
  ruleRegistries,
  reasonSetup,
  gatedReasons,
  ruleNames,
  columns,
  attributes,
  entryNames,
  entryCodes,
  entryTexts,
  entryAttributes,
  outcomes,
  errata,
  placeholders,
  references,
];

// ---------------------------------------------------------------------------------------------------------------

function ofType(type: AttributeData["type"], value: unknown): boolean {
  if (type === "integer") return Number.isInteger(value);
  if (type === "number") return typeof value === "number" && Number.isFinite(value);
  return typeof value === type;
}

/** Reports the second and later occurrence of each repeated value. */
function duplicates(values: readonly string[], report: (index: number) => Problem): Problem[] {
  const seen = new Set<string>();
  const problems: Problem[] = [];
  values.forEach((value, i) => {
    if (seen.has(value)) problems.push(report(i));
    seen.add(value);
  });
  return problems;
}

/** A plain code as [prefix, number, number], to compare with ranges ("5.7.512" → "5.7.", 512, 512). */
function splitNumber(code: Code, format: string): [string, number | undefined, number | undefined] {
  if (typeof code === "number") return ["", code, code];
  if (format !== "enhanced-status") return ["", undefined, undefined];
  const dot = code.lastIndexOf(".");
  const n = Number(code.slice(dot + 1));
  return [code.slice(0, dot + 1), n, n];
}
