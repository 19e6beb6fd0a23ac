// Builds the bounce analyzer's browser bundle: page.ts with mailcodes-bounce, the catalog and the runtime, from their
// sources, for the platform "browser" — which is the proof that the packages run in a browser: esbuild refuses to
// resolve a node: import (or any Node built-in) there, and every module bundled must be ours or postal-mime.
// `make docs` runs it: `tsx analyzer/build.ts analyzer/dist/analyzer.js`, then gives the bundle to `mailcodes docs`.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

const ROOT = path.resolve(import.meta.dirname, "..");

/** The modules the bundle may hold, by path from the repository's root. */
const ALLOWED = [
  /^analyzer\//,
  /^generated\//,
  /^packages\/runtime\/src\//,
  /^packages\/mailcodes-bounce\/src\//,
  // (a node_modules reached through a link shows as a path beside the repository's)
  /(^|\/)node_modules\/postal-mime\//,
];

export interface Bundle {
  readonly bytes: number;
  /** Every module bundled, by path from the repository's root. */
  readonly inputs: readonly string[];
}

export async function buildAnalyzer(outfile: string): Promise<Bundle> {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ["analyzer/page.ts"],
    outfile: path.resolve(outfile),
    bundle: true,
    platform: "browser",
    format: "iife",
    target: "es2020",
    minify: true,
    charset: "utf8",
    legalComments: "none",
    metafile: true,
    logLevel: "warning",
  });
  const inputs = Object.keys(result.metafile.inputs).sort();
  const foreign = inputs.filter((input) => !ALLOWED.some((allowed) => allowed.test(input)));
  if (foreign.length > 0) throw new Error(`the analyzer's bundle holds modules it must not: ${foreign.join(", ")}`);
  const output = Object.values(result.metafile.outputs)[0]!;
  return { bytes: output.bytes, inputs };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const outfile = process.argv[2] ?? "analyzer/dist/analyzer.js";
  const bundle = await buildAnalyzer(outfile);
  process.stdout.write(`analyzer: ${outfile}: ${bundle.bytes} bytes, ${bundle.inputs.length} modules\n`);
}
