// cli: argv → exit code. The only module that prints.
import { parseArgs } from "node:util";
import { formatDiagnostic, oneLine, sortDiagnostics, type Diagnostic } from "./diagnostics.ts";
import type { GeneratedFile } from "./emit.ts";
import type { LoadResult } from "./load.ts";
import { loadSpecsInWorker } from "./load-in-worker.ts";
import type { Catalog } from "./model.ts";
import { compare, OutDirError, shownPath, writeOutDir } from "./write.ts";

export const EXIT = { ok: 0, stale: 1, invalid: 2 } as const;

const USAGE = `Usage: mailcodes <command> [options]

Commands:
  generate   validate the specs and write the TypeScript they produce to the out dir
  check      regenerate in memory and compare with the out dir; writes nothing
  validate   validate the specs only; writes nothing

Options:
  --spec-dir DIR   where the YAML specs are (default: spec)
  --out-dir DIR    where the generated TypeScript goes (default: generated)
  --enum           emit TypeScript enums instead of \`as const\` objects (not erasable syntax)
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
}

const processIo: Io = { out: (t) => process.stdout.write(t + "\n"), err: (t) => process.stderr.write(t + "\n") };

export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        "spec-dir": { type: "string", default: "spec" },
        "out-dir": { type: "string", default: "generated" },
        enum: { type: "boolean", default: false },
        timings: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    io.err(`mailcodes: ${(error as Error).message}\n\n${USAGE}`);
    return EXIT.invalid;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(USAGE);
    return EXIT.ok;
  }
  const command = positionals[0];
  if (positionals.length !== 1 || !["generate", "check", "validate"].includes(command!)) {
    io.err(`mailcodes: ${command === undefined ? "no command given" : `unknown command: ${positionals.join(" ")}`}\n\n${USAGE}`);
    return EXIT.invalid;
  }
  const stages = new Stages();
  const code = await run(command as Command, values["spec-dir"], values["out-dir"], values.enum, io, stages);
  if (values.timings) io.err(stages.summary());
  return code;
}

type Command = "generate" | "check" | "validate";

async function run(command: Command, specDir: string, outDir: string, enumStyle: boolean, io: Io, stages: Stages): Promise<number> {
  // Parsing is the longest stage, so it starts first, on a worker thread. Meanwhile this thread loads what comes
  // after it: the validator (ajv compiles the schema as it loads) and, for generate and check, the emitter
  // (ts-morph carries the TypeScript compiler: about half a second).
  const loading = loadSpecsInWorker(specDir);
  const validator = import("./validate.ts");
  const emitter = command === "validate" ? undefined : import("./emit.ts");
  emitter?.catch(() => undefined); // awaited below; not an unhandled rejection when the specs are invalid
  const catalog = await catalogOf(loading, validator, specDir, io, stages);
  if (catalog === undefined) return EXIT.invalid;
  if (command === "validate") {
    io.out(`mailcodes: specs in ${specDir} are valid`);
    return EXIT.ok;
  }
  const { emit } = await emitter!;
  const files = emit(catalog, { enumStyle: enumStyle ? "enum" : "const" });
  stages.lap("emit");
  try {
    return command === "check" ? await check(outDir, files, io) : await generate(outDir, files, io);
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
  // Node's start, tsx's when it runs the sources, and the CLI's own modules, until main() runs.
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

/**
 * load → validate: the Catalog, or undefined after printing every diagnostic. Its own function so that the specs'
 * texts and data are garbage once it returns.
 */
async function catalogOf(
  loading: Promise<LoadResult>,
  validator: Promise<typeof import("./validate.ts")>,
  specDir: string,
  io: Io,
  stages: Stages,
): Promise<Catalog | undefined> {
  let diagnostics: Diagnostic[];
  try {
    const [loaded, { validate }] = await Promise.all([loading, validator]);
    stages.lap("load");
    const result = validate(loaded.specs);
    stages.lap("validate");
    diagnostics = [...loaded.diagnostics, ...result.diagnostics];
    if (diagnostics.length === 0 && loaded.specs.length === 0) {
      io.err(`mailcodes: no specs (*.yaml) in ${specDir}`);
      return undefined;
    }
    if (diagnostics.length === 0 && result.catalog) return result.catalog;
  } catch (error) {
    if (!isFsError(error)) throw error;
    io.err(`mailcodes: ${oneLine((error as Error).message)}`);
    return undefined;
  }
  for (const d of sortDiagnostics(diagnostics)) io.err(formatDiagnostic(d));
  io.err(`mailcodes: ${diagnostics.length} problem${diagnostics.length === 1 ? "" : "s"} in the specs; nothing was written`);
  return undefined;
}

async function generate(outDir: string, files: readonly GeneratedFile[], io: Io): Promise<number> {
  const result = await writeOutDir(outDir, files);
  io.out(`mailcodes: ${outDir}: ${result.written.length} written, ${result.removed.length} removed, ${result.unchanged.length} unchanged`);
  return EXIT.ok;
}

async function check(outDir: string, files: readonly GeneratedFile[], io: Io): Promise<number> {
  const { stale, missing, orphaned, unchanged } = await compare(outDir, files);
  if (stale.length + missing.length + orphaned.length === 0) {
    io.out(`mailcodes: ${outDir} is current (${unchanged.length} files)`);
    return EXIT.ok;
  }
  // Names are shown escaped (a name from the file system could otherwise forge a line of this output).
  for (const { path, diff } of stale) io.err(`stale: ${shownPath(outDir, path)}\n${diff}`);
  for (const path of missing) io.err(`missing: ${shownPath(outDir, path)}`);
  for (const name of orphaned) io.err(`orphaned: ${shownPath(outDir, name)} (no spec produces it)`);
  io.err(`mailcodes: ${outDir} is not what the specs produce; run \`make generate\` (or \`npx mailcodes generate\`) and commit the result`);
  return EXIT.stale;
}

function isFsError(error: unknown): boolean {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === "string" && typeof (error as NodeJS.ErrnoException).syscall === "string";
}
