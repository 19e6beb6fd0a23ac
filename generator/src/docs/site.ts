// site: the catalog as a static site: every page, the search data, the assets and (when given) the analyzer's
// script, as files by their path in the site. Pure but for reading the assets; the same catalog gives the same bytes.
import type { Catalog } from "../model.ts";
import { analyzerPage } from "./analyzer-page.ts";
import { assets } from "./assets.ts";
import { codePageHtml } from "./code-page.ts";
import { codePages } from "./code-pages.ts";
import type { SiteContext } from "./fragments.ts";
import { indexPage } from "./index-page.ts";
import { ANALYZER_PATH, ANALYZER_SCRIPT_PATH, codePath, INDEX_PATH, SEARCH_DATA_PATH, setPath } from "./links.ts";
import { searchDataScript, searchItems } from "./search-data.ts";
import { setPage } from "./set-page.ts";

export interface SiteFile {
  /** The path in the site, "/"-separated ("set/gmail.html"). */
  readonly path: string;
  readonly text: string;
}

export interface SiteOptions {
  /** The analyzer's browser bundle (mailcodes-bounce and a catalog); without it the site has no analyzer page. */
  readonly analyzerScript?: string;
}

/** Every file of the site, in path order. */
export async function buildSite(catalog: Catalog, options: SiteOptions = {}): Promise<SiteFile[]> {
  const pages = codePages(catalog);
  const context: SiteContext = {
    catalog,
    codePages: new Set(pages.map((p) => `${p.kind}:${p.key}`)),
    analyzer: options.analyzerScript !== undefined,
  };
  const files: SiteFile[] = [
    { path: INDEX_PATH, text: indexPage(context, pages) },
    ...catalog.sets.map((set) => ({ path: setPath(set.id), text: setPage(context, set) })),
    ...pages.map((p) => ({ path: codePath(p.key), text: codePageHtml(context, p) })),
    { path: SEARCH_DATA_PATH, text: searchDataScript(searchItems(catalog, pages)) },
    ...(await assets()),
  ];
  if (options.analyzerScript !== undefined) {
    files.push(
      { path: ANALYZER_PATH, text: analyzerPage(context, pages) },
      { path: ANALYZER_SCRIPT_PATH, text: options.analyzerScript },
    );
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
