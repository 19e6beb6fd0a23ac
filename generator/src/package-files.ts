// package-files: what the generator reads from its own package at run time. The same relative URLs serve the
// sources (generator/*.ts) and the compiled generator (dist/*.js): both folders sit at the package's root.
import { readFile } from "node:fs/promises";

/** The generator's version, for the generated headers. */
export async function generatorVersion(): Promise<string> {
  const manifest = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return manifest.version;
}
