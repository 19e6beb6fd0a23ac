// load-in-worker: loadSpecs on a worker thread. Meanwhile the main thread loads what comes after the parse (the
// validator, the emitter), and the parser's garbage, hundreds of MB for a large spec, goes with the worker instead
// of raising the main thread's peak.
import { Worker } from "node:worker_threads";
import type { LoadResult } from "./load.ts";

// The worker imports the load module beside this one, in the same form: compiled (dist/load.js), or the TypeScript
// source (generator/load.ts), for which it registers tsx itself, since a worker does not inherit module hooks.
// Both are passed as URLs: an evaluated worker would resolve a bare name against the working directory.
//
// yaml's parser reads process.env.LOG_TOKENS once per token, and in a worker process.env is an accessor that costs
// about 0.4 µs a read: a tenth of the parse of a large spec. Nothing in this worker writes the environment, so a
// plain copy serves.
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
Object.defineProperty(process, "env", { value: { ...process.env }, writable: true, enumerable: true, configurable: true });
(workerData.tsx ? import(workerData.tsx).then(({ register }) => register()) : Promise.resolve())
  .then(() => import(workerData.load))
  .then(({ loadSpecs }) => loadSpecs(workerData.specDir))
  .then((result) => parentPort.postMessage(result));
`;

export async function loadSpecsInWorker(specDir: string): Promise<LoadResult> {
  const source = import.meta.url.endsWith(".ts");
  const workerData = {
    specDir,
    load: new URL(source ? "./load.ts" : "./load.js", import.meta.url).href,
    tsx: source ? import.meta.resolve("tsx/esm/api") : undefined,
  };
  const worker = new Worker(WORKER, { eval: true, workerData });
  try {
    return await new Promise<LoadResult>((resolve, reject) => {
      worker.once("message", resolve);
      // A failure in the worker (a spec dir that cannot be read) arrives here with its code and syscall intact.
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`the spec loader's worker stopped early (exit code ${code})`)));
    });
  } finally {
    await worker.terminate();
  }
}
