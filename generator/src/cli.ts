// cli: argv → exit code. The only module that prints.
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { formatDiagnostic, isFsError, oneLine, usageProblem } from "./diagnostics.ts";
import type { GeneratedFile } from "./emit.ts";
import { loadSpecDirAside, type SpecDirLoad } from "./load-aside.ts";
import type { Catalog } from "./model.ts";
import { generatorVersion } from "./package-files.ts";
import type { Modelled } from "./pipeline.ts";
import { compare, OutDirError, shownPath, writeOutDir } from "./write.ts";

export const EXIT = { ok: 0, stale: 1, invalid: 2 } as const;

const USAGE = `Usage: mailcodes <command> [options]

Commands:
  generate   validate the specs and write the TypeScript they produce to the out dir
  check      regenerate in memory and compare with the out dir; writes nothing
  validate   validate the specs only; writes nothing
  docs       write the catalog as a static site to the out dir: a page per document's set and per code, search

Options:
  --spec-dir DIR   where the YAML specs are (default: spec)
  --out-dir DIR    where the generated TypeScript goes (default: generated; for docs, the site: default site)
  --analyzer FILE  docs: the bounce analyzer's browser bundle (\`make docs\` builds the project's); without it the
                   site has no analyzer page
  --enum           emit TypeScript enums instead of \`as const\` objects (not erasable syntax)
  --watch          generate: keep running, and generate again whenever a spec changes (Ctrl-C stops)
  --timings        print how long each stage took, to stderr
  -h, --help       show this help

Exit codes:
  0  done; for check, the out dir is current
  1  check only: the out dir is stale (files differ, are missing, or are orphaned)
  2  invalid specs, or bad usage; nothing was written

Diagnostics go to stderr as path:line:column: message.`;

export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Stops --watch (the process's own stops on Ctrl-C). */
  readonly signal?: AbortSignal;
}

/**
 * The process's own streams. A write that fails (a full disk, `> /dev/full`; a closed pipe) is one line on stderr and
 * exit 2, never a stack trace, nor check's "stale" code. Node reports it after the write returns; nothing is written
 * in the out dir after the lines are printed, so exiting then leaves no lock and no scratch file.
 */
function processIo(): Io {
  process.stdout.on("error", (error) => {
    process.stderr.write(`mailcodes: cannot write to standard output: ${oneLine(error.message)}\n`);
    process.exit(EXIT.invalid);
  });
  process.stderr.on("error", () => process.exit(EXIT.invalid));
  return { out: (t) => process.stdout.write(t + "\n"), err: (t) => process.stderr.write(t + "\n") };
}

/** Ctrl-C (or a TERM) ends --watch cleanly, with exit code 0. */
function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  for (const name of ["SIGINT", "SIGTERM"] as const) process.once(name, () => controller.abort());
  return controller.signal;
}

export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        "spec-dir": { type: "string", default: "spec" },
        "out-dir": { type: "string" },
        analyzer: { type: "string" },
        enum: { type: "boolean", default: false },
        timings: { type: "boolean", default: false },
        watch: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    io.err(`mailcodes: ${usageProblem(error as Error & { code?: string })}; see mailcodes --help`);
    return EXIT.invalid;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(USAGE);
    return EXIT.ok;
  }
  const command = positionals[0];
  if (positionals.length !== 1 || !["generate", "check", "validate", "docs"].includes(command!)) {
    const problem =
      command === undefined
        ? "no command given"
        : positionals.length > 1
          ? `one command at a time (got ${positionals.join(" ")})`
          : `unknown command ${command}`;
    io.err(`mailcodes: ${problem}; the commands are generate, check, validate and docs (see mailcodes --help)`);
    return EXIT.invalid;
  }
  if (command === "docs") return docs(values["spec-dir"], values["out-dir"] ?? "site", values.analyzer, io);
  const outDir = values["out-dir"] ?? "generated";
  if (values.watch) {
    if (command !== "generate") {
      io.err("mailcodes: --watch goes with generate; see mailcodes --help");
      return EXIT.invalid;
    }
    const { watchSpecs } = await import("./watch.ts");
    const emitOptions = {
      enumStyle: values.enum ? ("enum" as const) : ("const" as const),
      generatorVersion: await generatorVersion(),
    };
    return watchSpecs({
      specDir: values["spec-dir"],
      outDir,
      emit: emitOptions,
      out: io.out,
      err: io.err,
      signal: io.signal ?? interruptSignal(),
    });
  }
  const stages = new Stages();
  const code = await run(command as Command, values["spec-dir"], outDir, values.enum, io, stages);
  if (values.timings) io.err(stages.summary());
  return code;
}

type Command = "generate" | "check" | "validate";

async function run(
  command: Command,
  specDir: string,
  outDir: string,
  enumStyle: boolean,
  io: Io,
  stages: Stages,
): Promise<number> {
  // The specs load on a thread of their own while this one compiles the schema (pipeline) and loads the printer.
  const loading = loadSpecDirAside(specDir);
  const emitter = command === "validate" ? undefined : import("./emit.ts");
  emitter?.catch(() => undefined); // awaited below; not an unhandled rejection when the specs are invalid
  const catalog = await catalogOf(specDir, io, stages, loading);
  if (catalog === undefined) return EXIT.invalid;
  if (command === "validate") {
    io.out(`mailcodes: specs in ${specDir} are valid`);
    return EXIT.ok;
  }
  const { emit } = await emitter!;
  const files = emit(catalog, { enumStyle: enumStyle ? "enum" : "const", generatorVersion: await generatorVersion() });
  stages.lap("emit");
  try {
    return command === "check" ? await check(specDir, outDir, files, io) : await generate(outDir, files, io);
  } catch (error) {
    if (error instanceof OutDirError || isFsError(error)) {
      io.err(`mailcodes: ${oneLine((error as Error).message)}`);
      return EXIT.invalid;
    }
    throw error;
  } finally {
    stages.lap(command === "check" ? "compare" : "write");
  }
}

/** --timings: how long each stage took. Loading the validator and the emitter overlaps the load, so has no lap. */
class Stages {
  private last = performance.now();
  // Node's start and the CLI's own modules, until main() runs.
  private readonly laps: string[] = [`start-up ${Math.round(this.last)} ms`];

  lap(stage: string): void {
    const now = performance.now();
    this.laps.push(`${stage} ${Math.round(now - this.last)} ms`);
    this.last = now;
  }

  summary(): string {
    return `mailcodes: timings: ${this.laps.join(", ")}; total ${Math.round(performance.now())} ms`;
  }
}

/** load → validate → model: the Catalog, or undefined after printing every diagnostic. */
async function catalogOf(
  specDir: string,
  io: Io,
  stages: Stages,
  loading: Promise<SpecDirLoad> = loadSpecDirAside(specDir),
): Promise<Catalog | undefined> {
  let result: Modelled;
  try {
    const { modelSpecDir } = await import("./pipeline.ts");
    result = await modelSpecDir(specDir, (stage) => stages.lap(stage), loading);
  } catch (error) {
    if (!isFsError(error)) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    io.err(
      `mailcodes: ${code === "ENOENT" ? `the spec dir ${specDir} does not exist (--spec-dir)` : code === "ENOTDIR" ? `the spec dir ${specDir} is not a directory (--spec-dir)` : oneLine((error as Error).message)}`,
    );
    return undefined;
  }
  if (result.specCount === 0 && result.diagnostics.length === 0) {
    io.err(`mailcodes: no specs (*.yaml) in ${specDir}`);
    return undefined;
  }
  if (result.catalog) return result.catalog;
  for (const d of result.diagnostics) io.err(formatDiagnostic(d));
  io.err(
    `mailcodes: ${result.diagnostics.length} problem${result.diagnostics.length === 1 ? "" : "s"} in the specs; nothing was written`,
  );
  return undefined;
}

/** docs: the catalog as a static site (generator/src/docs). */
async function docs(specDir: string, outDir: string, analyzer: string | undefined, io: Io): Promise<number> {
  const catalog = await catalogOf(specDir, io, new Stages());
  if (catalog === undefined) return EXIT.invalid;
  const [{ buildSite }, { writeSite }] = await Promise.all([import("./docs/site.ts"), import("./docs/write-site.ts")]);
  try {
    const analyzerScript = analyzer === undefined ? undefined : await readFile(analyzer, "utf8");
    const result = await writeSite(
      outDir,
      await buildSite(catalog, analyzerScript === undefined ? {} : { analyzerScript }),
    );
    io.out(`mailcodes: ${outDir}: ${result.written} written, ${result.removed} removed, ${result.unchanged} unchanged`);
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof OutDirError || isFsError(error))) throw error;
    io.err(`mailcodes: ${oneLine((error as Error).message)}`);
    return EXIT.invalid;
  }
}

async function generate(outDir: string, files: readonly GeneratedFile[], io: Io): Promise<number> {
  // The out dir is made if need be, but not its parent: a mistyped --out-dir should not grow a tree of folders.
  const parent = path.dirname(path.resolve(outDir));
  if (
    !(await stat(parent).then(
      (s) => s.isDirectory(),
      () => false,
    ))
  ) {
    io.err(`mailcodes: the out dir's parent ${parent} does not exist; create it, or check --out-dir`);
    return EXIT.invalid;
  }
  const result = await writeOutDir(outDir, files);
  io.out(
    `mailcodes: ${outDir}: ${result.written.length} written, ${result.removed.length} removed, ${result.unchanged.length} unchanged`,
  );
  return EXIT.ok;
}

async function check(specDir: string, outDir: string, files: readonly GeneratedFile[], io: Io): Promise<number> {
  const { stale, missing, orphaned, unchanged } = await compare(outDir, files);
  if (stale.length + missing.length + orphaned.length === 0) {
    io.out(`mailcodes: ${outDir} is current (${unchanged.length} files)`);
    return EXIT.ok;
  }
  // Names are shown escaped (a name from the file system could otherwise forge a line of this output).
  for (const { path, diff } of stale) io.err(`stale: ${shownPath(outDir, path)}\n${diff}`);
  for (const path of missing) io.err(`missing: ${shownPath(outDir, path)}`);
  for (const name of orphaned) io.err(`orphaned: ${shownPath(outDir, name)} (no spec produces it)`);
  io.err(
    `mailcodes: ${outDir} is not what the specs produce; run \`mailcodes generate --spec-dir ${specDir} --out-dir ${outDir}\` and commit the result`,
  );
  return EXIT.stale;
}
