// validate: loaded specs → every problem of every file. The JSON Schema first; then the rules it cannot say, run on
// every part of every spec that passed it, so one run reports all there is to fix.
import type { Diagnostic } from "./diagnostics.ts";
import { sortDiagnostics } from "./diagnostics.ts";
import type { LoadedSpec } from "./load.ts";
import { locate, type Path } from "./locate.ts";
import type { SpecData } from "./model.ts";
import { type Context, type EntryView, RULES, type SetView } from "./rules.ts";
import { checkSchema } from "./schema.ts";

/**
 * Every problem in the specs, sorted; none means the specs can be modelled and emitted.
 * `documents` are the source documents that exist, as specs name them ("sources/000_….txt").
 */
export function validate(loaded: readonly LoadedSpec[], documents: ReadonlySet<string>): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const specs: Array<Context["specs"][number]> = [];
  const own: SetView[] = [];
  const extensions: SetView[] = [];
  for (const spec of loaded) {
    const { diagnostics: schemaProblems, failed } = checkSchema(spec);
    for (const d of schemaProblems) diagnostics.push(d); // not push(...): a spec can have 100,000 problems
    const passed = (path: Path) => !failed.some((f) => startsWith(f, path));
    // The parts the rules can read: the spec (when its top level is sound), each set's header, each entry.
    const data = spec.data as SpecData;
    if (!isObject(spec.data) || !Array.isArray(data.codeSets)) continue;
    specs.push({ spec, data, sourceOk: isObject(data.source) && passed(["source"]) });
    data.codeSets.forEach((set, s) => {
      const path: Path = ["codeSets", s];
      const headerFailed = failed.some((f) => startsWith(f, path) && !(f[2] === "entries" && typeof f[3] === "number"));
      if (headerFailed || !isObject(set) || !Array.isArray(set.entries)) return;
      const entries: EntryView[] = [];
      set.entries.forEach((data, e) => {
        if (passed([...path, "entries", e]))
          entries.push({ spec, path: [...path, "entries", e], data, part: 0, above: set.entries[e - 1] });
      });
      const view = { spec, path, data: set, entries, complete: entries.length === set.entries.length };
      (set.extends === undefined ? own : extensions).push(view);
    });
  }
  // An own set's rows are its own, then those of the sets that extend it (in spec order), numbered by part.
  const sets = own.map((set) => {
    // Rows of another code format cannot be read as this set's: that extension is reported, its rows left out.
    const parts = extensions.filter((e) => e.data.extends === set.data.id && e.data.codeFormat === set.data.codeFormat);
    const entries = [...set.entries, ...parts.flatMap((p, i) => p.entries.map((e) => ({ ...e, part: i + 1 })))];
    return { ...set, entries, complete: set.complete && parts.every((p) => p.complete) };
  });
  const context: Context = {
    specs,
    sets,
    extensions,
    documents,
    complete: diagnostics.length === 0,
    where: (spec, path) => {
      const { line, column } = locate(spec, path);
      return `${spec.file}:${line}:${column}`;
    },
  };
  for (const rule of RULES) {
    for (const problem of rule(context)) {
      const { line, column } = locate(problem.spec, problem.path, problem.key);
      diagnostics.push({ file: problem.spec.file, line, column, message: problem.message });
    }
  }
  return sortDiagnostics(diagnostics);
}

function startsWith(path: Path, prefix: Path): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => path[i] === segment);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
