// registries: the standard registries the generator carries (registries/: RFC 5321's and later RFCs' reply codes,
// IANA's enhanced status codes with their classes and subjects, and the tables they are transcribed from), and which
// of them a spec dir gets: each one its rows refer to (replyCode, enhancedCode) or its sets extend, unless it declares
// that registry, or a set of the same id, itself — then its own replaces the built-in one, and the built-ins that
// extend it or refer to it go with it (their references were written for the standard one).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { compareStrings } from "./diagnostics.ts";
import { type LoadedSpec, parseSpec } from "./load.ts";

/** registries/ at the package's root, beside src/ and dist/ (the same URL serves both). */
const FOLDER = new URL("../registries/", import.meta.url);

/** How diagnostics and generated headers name a built-in spec: by the package's folder, wherever it is installed. */
export const BUILTIN_DIR = "mailcodes-generator/registries";

/** The folder the built-in specs are read from. */
export const REGISTRIES_FOLDER = fileURLToPath(FOLDER);

/** What a built-in spec declares, read from its data. */
interface Builtin {
  readonly spec: LoadedSpec;
  /** Its document (source.file, relative to registries/). */
  readonly document: string;
  readonly ids: readonly string[];
  readonly defines: readonly string[];
  readonly extends: readonly string[];
  /** The registries its rows refer to. */
  readonly uses: readonly string[];
}

let builtins: readonly Builtin[] | undefined;

/** The built-in specs, parsed once per process (on first need; the CLI asks early, while the spec dir loads). */
export function builtinRegistries(): readonly Builtin[] {
  if (builtins === undefined) {
    const names = readdirSync(FOLDER)
      .filter((name) => name.endsWith(".yaml"))
      .sort(compareStrings);
    builtins = names.map((name) => {
      const file = `${BUILTIN_DIR}/${name}`;
      const { spec, diagnostics } = parseSpec(file, readFileSync(new URL(name, FOLDER)));
      if (spec === undefined)
        throw new Error(`the generator's own ${file} does not parse: ${diagnostics.map((d) => d.message).join("; ")}`);
      const data = spec.data as {
        source: { file: string };
        codeSets: ReadonlyArray<{ id?: string; defines?: string; extends?: string }>;
      };
      const pick = (key: "id" | "defines" | "extends") =>
        data.codeSets.flatMap((set) => (set[key] === undefined ? [] : [set[key]!]));
      const uses = [...declarations([spec]).used];
      return {
        spec,
        document: data.source.file,
        ids: pick("id"),
        defines: pick("defines"),
        extends: pick("extends"),
        uses,
      };
    });
  }
  return builtins;
}

/** The registries a reference field resolves against. */
const REFERENCES: Readonly<Record<string, readonly string[]>> = {
  replyCode: ["smtp-reply"],
  enhancedCode: ["enhanced-status-class", "enhanced-subject-detail"],
};

/**
 * The built-in specs a spec dir's specs need, with the documents they are transcribed from: those that define a
 * registry their rows refer to, or a set they extend, and what those need in turn (the later RFCs' reply codes refer to
 * enhanced codes), with the built-ins that extend them. Read from the specs as parsed, before they are checked:
 * whatever does not parse as expected asks for nothing.
 */
export function builtinsFor(specs: readonly LoadedSpec[]): {
  readonly specs: readonly LoadedSpec[];
  readonly documents: readonly string[];
} {
  const own = declarations(specs);
  if (own.used.size === 0 && own.extended.size === 0) return { specs: [], documents: [] };
  const replaced = (b: Builtin) =>
    b.ids.some((id) => own.ids.has(id)) || [...b.defines, ...b.uses].some((registry) => own.defined.has(registry));
  let all = builtinRegistries().filter((b) => !replaced(b));
  // A built-in extension goes with the set it extends.
  for (let size = -1; size !== all.length; ) {
    size = all.length;
    all = all.filter((b) => b.extends.every((id) => all.some((other) => other.ids.includes(id))));
  }
  const used = new Set(own.used);
  const extended = new Set(own.extended);
  const chosen = new Set<Builtin>();
  for (let size = -1; size !== chosen.size; ) {
    size = chosen.size;
    for (const b of all) {
      const wanted = b.defines.some((registry) => used.has(registry)) || b.ids.some((id) => extended.has(id));
      const extending = b.extends.some((id) => [...chosen].some((c) => c.ids.includes(id)));
      if (chosen.has(b) || !(wanted || extending)) continue;
      chosen.add(b);
      const needs = declarations([b.spec]);
      for (const registry of needs.used) used.add(registry);
      for (const id of needs.extended) extended.add(id);
    }
  }
  const kept = all.filter((b) => chosen.has(b));
  return {
    specs: kept.map((b) => b.spec),
    documents: kept.map((b) => b.document).filter((file) => existsSync(new URL(file, FOLDER))),
  };
}

/** What specs declare (set ids, registries defined) and need (registries their rows refer to, sets they extend). */
function declarations(specs: readonly LoadedSpec[]) {
  const used = new Set<string>();
  const extended = new Set<string>();
  const ids = new Set<string>();
  const defined = new Set<string>();
  for (const spec of specs) {
    const sets = (spec.data as { codeSets?: unknown } | null)?.codeSets;
    for (const set of Array.isArray(sets) ? (sets as unknown[]) : []) {
      if (!isObject(set)) continue;
      if (typeof set["id"] === "string") ids.add(set["id"]);
      if (typeof set["defines"] === "string") defined.add(set["defines"]);
      if (typeof set["extends"] === "string") extended.add(set["extends"]);
      const entries = set["entries"];
      for (const entry of Array.isArray(entries) ? (entries as unknown[]) : []) {
        if (!isObject(entry)) continue;
        for (const field of Object.keys(REFERENCES))
          if (Object.hasOwn(entry, field)) for (const registry of REFERENCES[field]!) used.add(registry);
      }
    }
  }
  return { used, extended, ids, defined };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
