// schema: the JSON Schema check of one spec, with each ajv error turned into a diagnostic at the offending node.
import { readFileSync } from "node:fs";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import type { Diagnostic } from "./diagnostics.ts";
import { locate, type Path } from "./locate.ts";
import type { LoadedSpec } from "./load.ts";

export const SCHEMA_URL = new URL("../spec/mailcodes.schema.json", import.meta.url);

/** Compiled once, as the module loads: compiling (~0.1 s) costs more than checking a spec. */
const validateSchema: ValidateFunction = new Ajv2020({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true }).compile(
  JSON.parse(readFileSync(SCHEMA_URL, "utf8")),
);

export function checkSchema(spec: LoadedSpec): Diagnostic[] {
  if (validateSchema(spec.data)) return [];
  return usefulErrors(validateSchema.errors ?? []).map((error) => {
    const path = pointerToPath(error.instancePath);
    const key = error.keyword === "additionalProperties" ? String(error.params["additionalProperty"]) : undefined;
    const { line, column } = locate(spec, path, key);
    return { file: spec.file, line, column, message: describe(error, path) };
  });
}

/**
 * ajv reports an if/then failure twice (the inner error and "must match then") and a oneOf failure once per branch;
 * a person needs one line saying what is wrong, so keep the inner error of then, and only the oneOf summary.
 */
function usefulErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const oneOfs = errors.filter((e) => e.keyword === "oneOf").map((e) => e.instancePath);
  const underOneOf = (e: ErrorObject) => e.keyword !== "oneOf" && oneOfs.some((p) => e.instancePath === p || e.instancePath.startsWith(p + "/"));
  return errors.filter((e) => e.keyword !== "if" && !underOneOf(e));
}

function describe(error: ErrorObject, path: Path): string {
  const name = path.length === 0 ? "the spec" : typeof path.at(-1) === "number" ? `item ${String(path.at(-1))} of ${String(path.at(-2))}` : `\`${String(path.at(-1))}\``;
  const got = error.data === undefined ? "" : ` (got ${preview(error.data)})`;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return `missing required property \`${String(params["missingProperty"])}\` in ${name}`;
    case "additionalProperties": {
      const allowed = Object.keys((error.parentSchema as { properties?: object }).properties ?? {});
      return `unknown property \`${String(params["additionalProperty"])}\`; allowed here: ${allowed.join(", ")}`;
    }
    case "type":
      return `${name} must be ${String(params["type"]).replace(",", " or ")}${got}`;
    case "enum":
      return `${name} must be one of ${(params["allowedValues"] as unknown[]).map((v) => JSON.stringify(v)).join(", ")}${got}`;
    case "const":
      return `${name} must be ${JSON.stringify(params["allowedValue"])}${got}`;
    case "pattern":
      return `${name} must be ${(error.parentSchema as { title?: string }).title ?? `a match for ${String(params["pattern"])}`}${got}`;
    case "false schema":
      return `${name} is not allowed here (codeFormat none: entries are known by name and have no code)`;
    case "oneOf":
      return `${name} has the wrong form${got}: ${(error.parentSchema as { description?: string }).description ?? "see the schema"}`;
    default:
      return `${name} ${error.message ?? "is invalid"}${got}`;
  }
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? text.slice(0, 57) + "..." : text;
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
