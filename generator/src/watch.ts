// watch: generate, then again whenever a spec changes, until stopped. Problems are printed as they appear and the
// out dir keeps its last good output; a fixed spec generates again. Each run parses only the specs whose bytes
// changed, checks the schema only of those (schema.ts remembers), and prints only the modules whose sets changed.
import { type FSWatcher, watch as watchDir } from "node:fs";
import { stat } from "node:fs/promises";
import { type Diagnostic, formatDiagnostic, oneLine, sortDiagnostics } from "./diagnostics.ts";
import { type EmitOptions, emit } from "./emit.ts";
import { existingDocuments, type LoadedSpec, loadSpecs, type ParseCache } from "./load.ts";
import { Memo } from "./memo.ts";
import type { CodeSet } from "./model.ts";
import { checkAndModel } from "./pipeline.ts";
import { OutDirMemory, writeOutDir } from "./write.ts";

export interface WatchOptions {
  readonly specDir: string;
  readonly outDir: string;
  readonly emit: EmitOptions;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** Stops watching (Ctrl-C in the CLI). */
  readonly signal: AbortSignal;
  /** Called after each run with how long it took: the bench measures the edit loop with it. */
  readonly ran?: (run: { readonly ms: number; readonly ok: boolean }) => void;
}

/** A small pause before a run, so that an editor's save (often several file events) makes one run. */
const SETTLE_MS = 20;

/**
 * Runs until the signal aborts (exit code 0), or until it can no longer watch (2, said on stderr). A watch follows
 * the directory it opened, not its path; so after each change the spec dir is watched again by its path, and a spec
 * dir deleted and created again is followed. One that is gone when a change is handled stops the watch, rather than
 * leave the out dir silently stale.
 */
export async function watchSpecs(options: WatchOptions): Promise<number> {
  const { specDir, err } = options;
  if (
    !(await stat(specDir).then(
      (s) => s.isDirectory(),
      () => false,
    ))
  ) {
    err(`mailcodes: the spec dir ${oneLine(specDir)} is not a directory, or does not exist (--spec-dir)`);
    return 2;
  }
  const session = new Session(options);
  await session.run();
  options.out(`mailcodes: watching ${specDir} (Ctrl-C stops)`);
  const code = await new Promise<number>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    let watcher: FSWatcher | undefined;
    const stop = (code: number, why?: string) => {
      if (why !== undefined) err(`mailcodes: stopped watching ${oneLine(specDir)}: ${oneLine(why)}`);
      clearTimeout(timer);
      watcher?.close();
      resolve(code);
    };
    /** Watches the directory now at the path; false (and stopped) when there is none. */
    const arm = (): boolean => {
      watcher?.close();
      try {
        watcher = watchDir(specDir, { persistent: true }, () => {
          clearTimeout(timer);
          timer = setTimeout(() => arm() && void session.request(), SETTLE_MS);
        });
      } catch (error) {
        const gone = (error as NodeJS.ErrnoException).code === "ENOENT";
        stop(2, gone ? "it was deleted; start the watch again once it is back" : (error as Error).message);
        return false;
      }
      watcher.on("error", (error) => stop(2, error.message));
      return true;
    };
    if (!arm()) return;
    if (options.signal.aborted) stop(0);
    options.signal.addEventListener("abort", () => stop(0), { once: true });
  });
  await session.idle();
  return code;
}

class Session {
  private readonly parsed: ParseCache = new Map();
  private readonly models = new Memo<CodeSet>();
  private readonly modules = new Memo<string>();
  private readonly outDir = new OutDirMemory();
  private running: Promise<void> | undefined;
  private again = false;
  private readonly options: WatchOptions;

  constructor(options: WatchOptions) {
    this.options = options;
  }

  /** A run now, or one more after the run under way (changes made during a run are not lost). */
  async request(): Promise<void> {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.run().finally(() => (this.running = undefined));
    await this.running;
    if (this.again) {
      this.again = false;
      await this.request();
    }
  }

  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async run(): Promise<void> {
    const { specDir, outDir, out, err, ran } = this.options;
    const started = performance.now();
    let diagnostics: Diagnostic[] = [];
    try {
      const specs = await this.load(diagnostics);
      const result = checkAndModel(specs, await existingDocuments(specDir, specs), specDir, this.models);
      diagnostics = sortDiagnostics([...diagnostics, ...result.diagnostics]);
      if (diagnostics.length === 0 && result.specCount === 0) {
        // As generate refuses it: an out dir is not emptied because its specs are gone.
        err(`mailcodes: no specs (*.yaml) in ${specDir}; ${outDir} keeps its last output; waiting for changes`);
        ran?.({ ms: Math.round(performance.now() - started), ok: false });
        return;
      }
      if (diagnostics.length === 0 && result.catalog) {
        const written = await writeOutDir(
          outDir,
          emit(result.catalog, this.options.emit, this.modules),
          undefined,
          this.outDir,
        );
        const ms = Math.round(performance.now() - started);
        out(
          `mailcodes: ${outDir}: ${written.written.length} written, ${written.removed.length} removed, ${written.unchanged.length} unchanged (${ms} ms)`,
        );
        ran?.({ ms, ok: true });
        return;
      }
    } catch (error) {
      // An out dir that cannot be written, a spec that cannot be read: say so and keep watching.
      err(`mailcodes: ${oneLine((error as Error).message)}`);
      ran?.({ ms: Math.round(performance.now() - started), ok: false });
      return;
    }
    for (const d of diagnostics) err(formatDiagnostic(d));
    err(
      `mailcodes: ${diagnostics.length} problem${diagnostics.length === 1 ? "" : "s"} in the specs; ${outDir} keeps its last output; waiting for changes`,
    );
    ran?.({ ms: Math.round(performance.now() - started), ok: false });
  }

  /** The specs as parsed: a file whose bytes did not change keeps its parse (and its schema check). */
  private async load(diagnostics: Diagnostic[]): Promise<LoadedSpec[]> {
    const loaded = await loadSpecs(this.options.specDir, this.parsed);
    for (const d of loaded.diagnostics) diagnostics.push(d);
    return loaded.specs;
  }
}
