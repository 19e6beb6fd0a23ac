// package-files: what the generator reads from its own package at run time. The same relative URLs serve the
// sources (generator/*.ts) and the compiled generator (dist/*.js): both folders sit at the package's root.
import { readFile } from "node:fs/promises";

/** The runtime module, copied into every out dir as runtime.ts. */
export async function runtimeSource(): Promise<string> {
  return readFile(new URL("../generator/runtime/runtime.ts", import.meta.url), "utf8");
}

/** The generator's version, for the generated headers. */
export async function generatorVersion(): Promise<string> {
  const manifest = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  return manifest.version;
}
