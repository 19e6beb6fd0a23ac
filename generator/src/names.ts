// names: spec names → TypeScript identifiers, and every name a generated module declares, in one place: emit
// declares these names, and validate checks them for collisions across modules (the index exports them all) and
// with what the modules import from the runtime.
import * as runtime from "mailcodes-runtime";

/** Globals a reader expects to mean the usual thing: a set may not shadow them with its own declarations. */
const GLOBALS = new Set([
  "Array",
  "BigInt",
  "Boolean",
  "Date",
  "Error",
  "Function",
  "Infinity",
  "JSON",
  "Map",
  "Math",
  "NaN",
  "Number",
  "Object",
  "Partial",
  "Promise",
  "Proxy",
  "Readonly",
  "ReadonlyArray",
  "ReadonlyMap",
  "Record",
  "Reflect",
  "RegExp",
  "Set",
  "String",
  "Symbol",
]);

/** Module ids the generator writes itself: no set may take them. */
export const RESERVED_MODULES = new Set(["index"]);

/** The names a set's module declares at top level. */
export function moduleNames(typeName: string) {
  const lower = typeName[0]!.toLowerCase() + typeName.slice(1);
  return {
    type: typeName,
    info: `${typeName}Info`,
    infoOf: `${typeName}InfoOf`,
    table: `${lower}Table`,
    entries: `${lower}Entries`,
    infos: `${lower}Infos`,
    is: `is${typeName}`,
    lookup: `lookup${typeName}`,
    lookupAll: `lookupAll${typeName}`,
    fromName: `${lower}FromName`,
    parse: `parse${typeName}`,
    parseEntry: `parse${typeName}Entry`,
    /** Every code inside a range row: part of the set's type. */
    inRange: `${typeName}InRange`,
    /** Per-outcome unions: XSuccess, XTransient, … */
    outcome: (outcome: string) => `${typeName}${capitalize(outcome)}`,
  };
}

export type ModuleNames = ReturnType<typeof moduleNames>;

/** The full enhanced status code type, and what the enhanced-subject-detail registry's module adds for it. */
export const ENHANCED = {
  type: "EnhancedStatusCode",
  /** Per class: EnhancedStatusCodeSuccess, …Transient, …Permanent. */
  ofClass: (outcome: string) => `EnhancedStatusCode${capitalize(outcome)}`,
  is: "isEnhancedStatusCode",
  parse: "parseEnhancedStatusCode",
  /** The concrete code's lookup ("5.1.1" → the registry's rows for its class and its subject.detail), and what it gives. */
  lookup: "lookupEnhancedStatusCode",
  info: "EnhancedStatusCodeInfo",
  subjectDetail: "SubjectDetail",
} as const;

/** What the index declares beside re-exporting every module. */
export const INDEX = {
  codeInfo: "CodeInfo",
  codeSource: "CodeSource",
  codesBySource: "CodesBySource",
  infoBySource: "InfoBySource",
  lookup: "lookup",
  lookups: "LOOKUPS",
} as const;

/** What the index declares for classification, when the catalog has a bounce-reason registry. */
export const CLASSIFY = { classify: "classify", classification: "BounceClassification", facts: "BounceFacts" } as const;

/** The runtime's types the index re-exports beside them. */
export const CLASSIFY_TYPES = ["BounceAction", "SetupArea", "Evidence"] as const;

/** Every top-level name a set's module declares (private ones too: a clash would not compile). */
export function declaredNames(typeName: string, options: { defines?: string; outcomes: readonly string[] }): string[] {
  const n = moduleNames(typeName);
  const names = [
    n.type,
    n.info,
    n.infoOf,
    n.table,
    n.entries,
    n.infos,
    n.is,
    n.lookup,
    n.lookupAll,
    n.fromName,
    n.parse,
    n.parseEntry,
    n.inRange,
    ...options.outcomes.map(n.outcome),
  ];
  if (options.defines === "enhanced-subject-detail") {
    names.push(
      ENHANCED.type,
      ENHANCED.is,
      ENHANCED.parse,
      ENHANCED.lookup,
      ENHANCED.info,
      ENHANCED.subjectDetail,
      ...options.outcomes.map(ENHANCED.ofClass),
    );
  }
  return names;
}

/** The type parameters of the generated XInfoOf interfaces: a set may not take them as its name. */
export const TYPE_PARAMETERS = { code: "C", outcome: "O" } as const;

/** The runtime's types the index imports: emit imports these. */
export const RUNTIME_TYPES = ["BounceFactsOf", "Classification"] as const;

/**
 * What the generated modules import, or may, from the runtime: every value it exports (read from the runtime itself,
 * so that a name it gains is covered at once) and the types the index imports.
 */
const RUNTIME_NAMES: ReadonlySet<string> = new Set([...Object.keys(runtime), ...RUNTIME_TYPES]);

/** Whether a generated module may import this name from the runtime: a set may not declare it too. */
export function isRuntimeName(name: string): boolean {
  return RUNTIME_NAMES.has(name);
}

const RESERVED_NAMES: ReadonlySet<string> = new Set([
  ...Object.values(INDEX),
  ...Object.values(CLASSIFY),
  ...CLASSIFY_TYPES,
  ...Object.values(TYPE_PARAMETERS),
]);

/** Names a set may not declare: globals, and the index's own. */
export function isReservedName(name: string): boolean {
  return GLOBALS.has(name) || RESERVED_NAMES.has(name);
}

/** Keys every JavaScript object already has: as column or attribute keys they would read inherited members. */
export function isObjectMember(key: string): boolean {
  return key in Object.prototype;
}

/** "mailbox unavailable", "mailbox-unavailable" and "MailboxUnavailable" all become MailboxUnavailable. */
export function toPascalCase(name: string): string {
  // One pass, not split and join: every entry's name goes through here, in validation and in the model.
  let identifier = "";
  let wordStart = true;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const lower = c >= 0x61 && c <= 0x7a;
    if (!(lower || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39))) {
      wordStart = true;
      continue;
    }
    identifier += wordStart && lower ? String.fromCharCode(c - 0x20) : name[i];
    wordStart = false;
  }
  return identifier;
}

/** Why a converted name cannot be used, or undefined when it can. */
export function identifierProblem(identifier: string): string | undefined {
  if (identifier === "") return "has no letters or digits to make an identifier from";
  if (/^[0-9]/.test(identifier)) return `becomes ${identifier}, which starts with a digit; identifiers cannot`;
  return undefined;
}

function capitalize(word: string): string {
  return word[0]!.toUpperCase() + word.slice(1);
}
