// names: spec names → TypeScript identifiers, in one small function (cf. protobuf-es safe-identifier.ts).

/**
 * Names the generated modules use themselves or that shadow globals a reader expects to mean the usual thing.
 * Member names are properties and may be anything; set names become top-level declarations and may not be these.
 */
const RESERVED_TYPE_NAMES = new Set([
  "Array", "BigInt", "Boolean", "Date", "Error", "Function", "Infinity", "JSON", "Map", "Math", "NaN", "Number",
  "Object", "Partial", "Promise", "Proxy", "Readonly", "ReadonlyArray", "ReadonlyMap", "Record", "Reflect", "RegExp",
  "Set", "String", "Symbol",
  // declared by the generated modules themselves
  "EnhancedStatusCode", "SubjectDetail", "CodeInfo", "CodeSource", "CodesBySource", "InfoBySource", "INFO", "LOOKUPS",
]);

/** The names a set's module declares at top level (all exported through the index, so they must not collide). */
export function moduleNames(typeName: string) {
  const lower = typeName[0]!.toLowerCase() + typeName.slice(1);
  return {
    type: typeName,
    info: `${typeName}Info`,
    infoOf: `${typeName}InfoOf`,
    table: `${lower}Table`,
    infos: `${lower}Infos`,
    is: `is${typeName}`,
    lookup: `lookup${typeName}`,
    fromName: `${lower}FromName`,
    parse: `parse${typeName}`,
    /** Per-outcome unions: XSuccess, XTransient, … */
    outcome: (outcome: string) => `${typeName}${outcome[0]!.toUpperCase()}${outcome.slice(1)}`,
  };
}

/** Keys every JavaScript object already has: as column or attribute keys they would read inherited members. */
export function isObjectMember(key: string): boolean {
  return key in Object.prototype;
}

/** "mailbox unavailable", "mailbox-unavailable" and "MailboxUnavailable" all become MailboxUnavailable. */
export function toPascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word.length > 0)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join("");
}

/** Why a converted name cannot be used, or undefined when it can. */
export function identifierProblem(identifier: string, use: "member" | "type"): string | undefined {
  if (identifier === "") return "has no letters or digits to make an identifier from";
  if (/^[0-9]/.test(identifier)) return `becomes ${identifier}, which starts with a digit; identifiers cannot`;
  if (use === "type" && RESERVED_TYPE_NAMES.has(identifier)) {
    return `becomes ${identifier}, a global or generated name the module would shadow; choose another`;
  }
  return undefined;
}
