// pipeline: load → validate → model, for a spec dir (the CLI, watch mode and the tests all run it this way).
import type { Diagnostic } from "./diagnostics.ts";
import { sortDiagnostics } from "./diagnostics.ts";
import type { LoadedSpec } from "./load.ts";
import { loadSpecDir, type SpecDirLoad } from "./load-aside.ts";
import type { Memo } from "./memo.ts";
import { buildCatalog, type Catalog, type CodeSet } from "./model.ts";
import { builtinRegistries, builtinsFor } from "./registries.ts";
import { validate } from "./validate.ts";

export interface Modelled {
  /** Every problem of every spec, sorted; the catalog exists only when there are none, and some spec. */
  readonly diagnostics: readonly Diagnostic[];
  readonly catalog?: Catalog;
  /** How many specs parsed (0 with no diagnostics: an empty spec dir). */
  readonly specCount: number;
}

/**
 * Validates parsed specs and, when they have no problem, models them. `documents`: the source files that exist. No
 * specs, no catalog: a spec dir that lost its specs must not empty the out dir (generate and watch refuse it alike).
 * `memo`: the sets modelled in watch mode's runs before (see buildCatalog).
 */
export function checkAndModel(
  specs: readonly LoadedSpec[],
  documents: ReadonlySet<string>,
  specDir: string,
  memo?: Memo<CodeSet>,
): Modelled {
  // The standard registries the specs refer to come from the generator, unless the spec dir has its own.
  const builtin = builtinsFor(specs);
  const all = builtin.specs.length === 0 ? specs : [...specs, ...builtin.specs];
  const diagnostics = validate(
    all,
    builtin.documents.length === 0 ? documents : new Set([...documents, ...builtin.documents]),
  );
  if (diagnostics.length > 0 || specs.length === 0) return { diagnostics, specCount: specs.length };
  return { diagnostics, catalog: buildCatalog(all, specDirName(specDir), memo), specCount: specs.length };
}

/**
 * load → validate → model. `lap` is called after each stage, for --timings. `loading`: the load, when it is already
 * under way (the CLI starts it on a thread of its own before it loads this module).
 */
export async function modelSpecDir(
  specDir: string,
  lap: (stage: string) => void = () => undefined,
  loading: Promise<SpecDirLoad> = loadSpecDir(specDir),
): Promise<Modelled> {
  builtinRegistries(); // parsed while the spec dir loads (on a thread of its own, in the CLI)
  const { loaded, documents } = await loading;
  lap("load");
  const result = checkAndModel(loaded.specs, documents, specDir);
  lap("validate and model");
  if (loaded.diagnostics.length === 0) return result;
  return { diagnostics: sortDiagnostics([...loaded.diagnostics, ...result.diagnostics]), specCount: result.specCount };
}

/** The spec dir as generated headers name it: POSIX form, no trailing slash. */
export function specDirName(specDir: string): string {
  return (
    specDir
      .split(/[\\/]+/)
      .filter((part, i, all) => part !== "" || (i === 0 && all.length > 1))
      .join("/") || "."
  );
}
