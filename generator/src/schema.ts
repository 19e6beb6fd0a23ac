// schema: the JSON Schema check of one spec, each ajv error turned into a diagnostic at the offending node, and the
// places that failed, so that the semantic rules can still run on every part of the spec that passed.
import { Ajv2020, type ErrorObject } from "ajv/dist/2020.js";
import type { Diagnostic } from "./diagnostics.ts";
import type { LoadedSpec } from "./load.ts";
import { locate, type Path } from "./locate.ts";
import { specSchema } from "./spec-schema.ts";

/** How the spec schema is compiled (test/validate.test.ts checks the schema itself against JSON Schema 2020-12). */
export const AJV_OPTIONS = {
  allErrors: true,
  verbose: true,
  strict: true,
  strictRequired: false,
  allowUnionTypes: true,
  // The schema is the generator's own, checked against the meta-schema by its tests: compiling the meta-schema at
  // every start took a third of the compile.
  validateSchema: false,
} as const;

/** Compiled once, as the module loads: compiling costs more than checking a spec. */
const validateSchema = new Ajv2020(AJV_OPTIONS).compile(specSchema);

export interface SchemaResult {
  readonly diagnostics: Diagnostic[];
  /** The data paths of the values that failed (a missing property fails at the object that lacks it). */
  readonly failed: Path[];
}

/** Each parsed spec is checked once: watch mode validates again only what an edit parsed anew. */
const checked = new WeakMap<LoadedSpec, SchemaResult>();

export function checkSchema(spec: LoadedSpec): SchemaResult {
  let result = checked.get(spec);
  if (result === undefined) checked.set(spec, (result = check(spec)));
  return result;
}

function check(spec: LoadedSpec): SchemaResult {
  if (validateSchema(spec.data)) return { diagnostics: [], failed: [] };
  const errors = usefulErrors(validateSchema.errors ?? []);
  const failed = errors.map((error) => pointerToPath(error.instancePath));
  const diagnostics = errors.map((error, i) => {
    const path = failed[i]!;
    const key = error.keyword === "additionalProperties" ? String(error.params["additionalProperty"]) : undefined;
    const { line, column } = locate(spec, path, key);
    return { file: spec.file, line, column, message: describe(error, path) };
  });
  return { diagnostics, failed };
}

/**
 * ajv reports an if/then failure twice (the inner error and "must match then") and an anyOf failure once per
 * branch and once for the whole; a person needs one line saying what is wrong, so keep the inner error of then, and
 * only the anyOf summary, which says which forms are allowed.
 */
function usefulErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  // An alternative inside another (a list of references, each of which has forms) reports at each level: the
  // outermost says it all, and every error under it is one of the branches it sums up. Alternatives are found by
  // their place, each error looking at its own place and those above it (a spec nests at most 64 levels).
  const alternatives = new Map<string, ErrorObject[]>();
  for (const e of errors)
    if (e.keyword === "anyOf" || e.keyword === "oneOf")
      alternatives.set(e.instancePath, [...(alternatives.get(e.instancePath) ?? []), e]);
  const coveringOf = (e: ErrorObject) => {
    for (let at: string | undefined = e.instancePath; at !== undefined; at = parentPointer(at)) {
      const found = alternatives.get(at)?.find((o) => o !== e && covers(o, e));
      if (found) return found;
    }
    return undefined;
  };
  const outer = new Set([...alternatives.values()].flat().filter((e) => coveringOf(e) === undefined));
  // A value's type is checked where a property is declared and its form by a rule that narrows it: the form says more.
  const formAt = new Set([...outer].map((e) => e.instancePath));
  // A list that lacks an item (contains) reports why each of its items is not it: the lack says it all.
  return errors.filter(
    (e) =>
      e.keyword !== "if" &&
      !e.schemaPath.includes("/contains/") &&
      !(e.keyword === "type" && formAt.has(e.instancePath)) &&
      (outer.has(e) || coveringOf(e) === undefined),
  );
}

/** Whether error `a` is an alternative whose branches produced `b`: at or above b's place, earlier in its schema path. */
function covers(a: ErrorObject, b: ErrorObject): boolean {
  const at = b.instancePath === a.instancePath || b.instancePath.startsWith(a.instancePath + "/");
  return at && b.schemaPath.startsWith(a.schemaPath.replace(/\/(anyOf|oneOf)$/, "/")) && b.schemaPath !== a.schemaPath;
}

/** "/a/b/1" → "/a/b", "/a" → "", "" → undefined. */
function parentPointer(pointer: string): string | undefined {
  return pointer === "" ? undefined : pointer.slice(0, pointer.lastIndexOf("/"));
}

function describe(error: ErrorObject, path: Path): string {
  const name = nameOf(path);
  const got = error.data === undefined || !SHOWS_VALUE.has(error.keyword) ? "" : ` (got ${preview(error.data)})`;
  const params = error.params as Record<string, unknown>;
  const parent = error.parentSchema as (Form & { properties?: object }) | undefined;
  // A fixed value's title says what fixes it (the classifier's contract, for a rule registry's attributes).
  const why = parent?.title !== undefined ? `: ${parent.title}` : "";
  switch (error.keyword) {
    case "required":
      return `missing required property \`${String(params["missingProperty"])}\` in ${name}`;
    case "additionalProperties":
      return `unknown property \`${String(params["additionalProperty"])}\`; allowed here: ${Object.keys(parent?.properties ?? {}).join(", ")}`;
    case "type":
      return `${name} must be ${String(params["type"]).replace(",", " or ")}${got}`;
    case "enum":
      return `${name} must be one of ${(params["allowedValues"] as unknown[]).map((v) => JSON.stringify(v)).join(", ")}${got}${why}`;
    case "const":
      return `${name} must be ${JSON.stringify(params["allowedValue"])}${got}${why}`;
    case "contains":
      return `${name} lacks ${parent?.title ?? "an item it needs"}`;
    case "maxItems":
      return `${name} must have at most ${String(params["limit"])} items${why}`;
    case "pattern":
      return `${name} must be ${parent?.title ?? `a match for ${String(params["pattern"])}`}${got}`;
    case "not":
      return `${name} is not allowed here: ${parent?.description ?? "see the schema"}`;
    case "anyOf":
    case "oneOf":
      return `${name} has the wrong form${got}: ${formsOf(parent)}`;
    case "dependentRequired":
      return `\`${String(params["property"])}\` needs \`${String(params["missingProperty"])}\` beside it in ${name}`;
    default:
      return `${name} ${error.message ?? "is invalid"}${got}`;
  }
}

/** What an anyOf allows, in words: each form's title (or, for a form without one, what it is). */
function formsOf(schema: Form | undefined): string {
  const forms = (schema?.anyOf ?? []).flatMap(formNames);
  return forms.length > 0 ? `one of: ${forms.join("; ")}` : (schema?.description ?? "see the schema");
}

interface Form {
  title?: string;
  description?: string;
  type?: string;
  minimum?: number;
  maximum?: number;
  anyOf?: Form[];
}

function formNames(form: Form): string[] {
  if (form.title) return [form.title];
  if (form.anyOf) return form.anyOf.flatMap(formNames);
  if (form.type === "integer") return [`an integer ${form.minimum}-${form.maximum}`];
  if (form.type === "array") return ["a list of those"];
  return form.description ? [form.description.replace(/\.$/, "")] : [];
}

/** How a message names the value at a path: `code` of entry 3 (ordinals count from 1, as people do). */
function nameOf(path: Path): string {
  if (path.length === 0) return "the spec";
  const last = path.at(-1)!;
  if (typeof last === "number") return `item ${last + 1} of \`${String(path.at(-2))}\``;
  const owner = path.at(-2);
  return typeof owner === "number" ? `\`${last}\` of item ${owner + 1} of \`${String(path.at(-3))}\`` : `\`${last}\``;
}

/** The keywords whose messages show the value that failed (an unknown key's message does not show its whole mapping). */
const SHOWS_VALUE = new Set([
  "type",
  "enum",
  "const",
  "pattern",
  "anyOf",
  "oneOf",
  "minimum",
  "maximum",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "uniqueItems",
]);

/** A value as JSON, cut at 60 characters; a large list or mapping is not serialised whole to show its start. */
function preview(value: unknown): string {
  const text = JSON.stringify(shallow(value, 2)) ?? String(value);
  return text.length > 60 ? text.slice(0, 57) + "..." : text;
}

/** The first few items of lists and mappings, a few levels deep: enough for 60 characters. */
function shallow(value: unknown, depth: number): unknown {
  if (typeof value !== "object" || value === null)
    return typeof value === "string" && value.length > 80 ? value.slice(0, 80) : value;
  if (depth === 0) return Array.isArray(value) ? [] : {};
  if (Array.isArray(value)) return value.slice(0, 10).map((item) => shallow(item, depth - 1));
  return Object.fromEntries(
    Object.entries(value)
      .slice(0, 10)
      .map(([key, item]) => [key, shallow(item, depth - 1)]),
  );
}

/** "/codeSets/0/entries/3" → ["codeSets", 0, "entries", 3] (RFC 6901 unescaping). */
function pointerToPath(pointer: string): Path {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((part) => (/^(0|[1-9][0-9]*)$/.test(part) ? Number(part) : part));
}
