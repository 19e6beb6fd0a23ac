// registries: the standard registries the generator carries (registries/: RFC 5321's and later RFCs' reply codes,
// IANA's enhanced status codes with their classes and subjects, and the tables they are transcribed from), and which
// of them a spec dir gets: each one its rows refer to (replyCode, enhancedCode) or its sets extend, unless it declares
// that registry, or a set of the same id, itself — then its own replaces the built-in one, extensions and all.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { compareStrings } from "./diagnostics.ts";
import { parseSpec, type LoadedSpec } from "./load.ts";

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
}

let builtins: readonly Builtin[] | undefined;

/** The built-in specs, parsed once per process (on first need; the CLI asks early, while the spec dir loads). */
export function builtinRegistries(): readonly Builtin[] {
  if (builtins === undefined) {
    const names = readdirSync(FOLDER).filter((name) => name.endsWith(".yaml")).sort(compareStrings);
    builtins = names.map((name) => {
      const file = `${BUILTIN_DIR}/${name}`;
      const { spec, diagnostics } = parseSpec(file, readFileSync(new URL(name, FOLDER)));
      if (spec === undefined) throw new Error(`the generator's own ${file} does not parse: ${diagnostics.map((d) => d.message).join("; ")}`);
      const data = spec.data as { source: { file: string }; codeSets: ReadonlyArray<{ id?: string; defines?: string; extends?: string }> };
      const pick = (key: "id" | "defines" | "extends") => data.codeSets.flatMap((set) => (set[key] === undefined ? [] : [set[key]!]));
      return { spec, document: data.source.file, ids: pick("id"), defines: pick("defines"), extends: pick("extends") };
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
 * The built-in specs a spec dir's specs need, with the documents they are transcribed from. Read from the specs as
 * parsed, before they are checked: whatever does not parse as expected asks for nothing.
 */
export function builtinsFor(specs: readonly LoadedSpec[]): { readonly specs: readonly LoadedSpec[]; readonly documents: readonly string[] } {
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
        for (const field of Object.keys(REFERENCES)) if (Object.hasOwn(entry, field)) for (const registry of REFERENCES[field]!) used.add(registry);
      }
    }
  }
  if (used.size === 0 && extended.size === 0) return { specs: [], documents: [] };
  const all = builtinRegistries();
  const replaced = (b: Builtin) => b.ids.some((id) => ids.has(id)) || b.defines.some((registry) => defined.has(registry));
  const wanted = all.filter((b) => !replaced(b) && (b.defines.some((registry) => used.has(registry)) || b.ids.some((id) => extended.has(id))));
  // A built-in that extends a built-in set comes with it.
  const kept = [...wanted, ...all.filter((b) => !replaced(b) && !wanted.includes(b) && b.extends.some((id) => wanted.some((w) => w.ids.includes(id))))];
  const chosen = all.filter((b) => kept.includes(b));
  return { specs: chosen.map((b) => b.spec), documents: chosen.map((b) => b.document).filter((file) => existsSync(new URL(file, FOLDER))) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
