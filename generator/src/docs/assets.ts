// assets: the site's stylesheet, search script and icon, as files of the generator's package (docs-assets/ beside src/
// and dist/, so that the same relative URL serves the sources and the compiled generator).
import { readFile } from "node:fs/promises";
import { ICON_PATH, SEARCH_SCRIPT_PATH, STYLE_PATH } from "./links.ts";

const ASSETS = [STYLE_PATH, SEARCH_SCRIPT_PATH, ICON_PATH] as const;

/** The assets by their path in the site. */
export async function assets(): Promise<Array<{ path: string; text: string }>> {
  return Promise.all(
    ASSETS.map(async (name) => ({
      path: name,
      text: await readFile(new URL(`../../docs-assets/${name}`, import.meta.url), "utf8"),
    })),
  );
}
