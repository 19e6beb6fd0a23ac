// links: where each thing of the catalog lives in the site, as a path from the site's root. Set ids, member names
// and code keys are plain by the schema ([a-z0-9-], PascalCase, digits, dots and X): safe in file names and anchors.
import type { CodeKey } from "./code-pages.ts";

export const INDEX_PATH = "index.html";
export const ANALYZER_PATH = "analyzer.html";
export const STYLE_PATH = "site.css";
export const ICON_PATH = "favicon.svg";
export const SEARCH_SCRIPT_PATH = "search.js";
export const SEARCH_DATA_PATH = "search-data.js";
export const ANALYZER_SCRIPT_PATH = "analyzer.js";

export function setPath(setId: string): string {
  return `set/${setId}.html`;
}

/** An entry's place on its set's page: the anchor is its member name, unique in the set. */
export function entryPath(setId: string, member: string): string {
  return `${setPath(setId)}#${member}`;
}

export function codePath(key: CodeKey): string {
  return `code/${key}.html`;
}

/** From a page to the site's root: "" for the pages at the root, "../" for those one folder down. */
export function rootOf(pagePath: string): string {
  return "../".repeat(pagePath.split("/").length - 1);
}
