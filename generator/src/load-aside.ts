// load-aside: a spec dir loaded on a thread of its own, so that the thread that asked compiles the schema and loads
// the printer meanwhile (at 10,000 entries, a third of what parsing takes). Only the compiled generator does so: a
// worker runs JavaScript files, and under the sources (the tests) the load runs where it is asked.
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import type { LoadResult } from "./load.ts";

export interface SpecDirLoad {
  readonly loaded: LoadResult;
  /** The source documents the specs name that exist (see existingDocuments). */
  readonly documents: ReadonlySet<string>;
}

/** The specs of a spec dir and the documents they name, loaded here. */
export async function loadSpecDir(specDir: string): Promise<SpecDirLoad> {
  // Imported here, on the thread that loads: the thread that starts a worker does not wait for the YAML parser.
  const { existingDocuments, loadSpecs } = await import("./load.ts");
  const loaded = await loadSpecs(specDir);
  return { loaded, documents: await existingDocuments(specDir, loaded.specs) };
}

/** What a worker answers: the load, or the error it threw (an Error's own fields do not cross threads). */
type Answer =
  | { readonly load: SpecDirLoad }
  | { readonly error: { readonly message: string; readonly stack?: string; readonly fields: Record<string, unknown> } };

const ASIDE = "mailcodes load-aside";

/** loadSpecDir on a worker thread, when this module is compiled JavaScript; else here. */
export function loadSpecDirAside(specDir: string): Promise<SpecDirLoad> {
  if (!import.meta.url.endsWith(".js")) return loadSpecDir(specDir);
  const load = new Promise<SpecDirLoad>((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { [ASIDE]: specDir } });
    worker.once("message", (answer: Answer) => {
      if ("load" in answer) return resolve(answer.load);
      const { message, stack, fields } = answer.error;
      reject(Object.assign(new Error(message), fields, stack === undefined ? {} : { stack }));
    });
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`loading ${specDir} stopped (worker exit code ${code})`)));
  });
  load.catch(() => undefined); // awaited once the caller has loaded what it needs: not an unhandled rejection meanwhile
  return load;
}

// The worker's side: load, answer, end.
if (!isMainThread && typeof workerData?.[ASIDE] === "string") {
  const answer = (value: Answer) => parentPort!.postMessage(value);
  loadSpecDir(workerData[ASIDE] as string).then(
    (load) => answer({ load: { loaded: load.loaded, documents: new Set(load.documents) } }),
    (error: unknown) => {
      const { message, stack, ...fields } = error instanceof Error ? error : new Error(String(error));
      answer({ error: { message, ...(stack !== undefined && { stack }), fields: { ...fields } } });
    },
  );
}
