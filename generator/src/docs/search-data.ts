// search-data: what the search box searches, as a script that sets one global (a script, not JSON to fetch, so that
// the site works from file:// too). The search script loads it on first use and ranks matches itself.
import type { Catalog } from "../model.ts";
import { codeTitle } from "./code-page.ts";
import type { CodePage } from "./code-pages.ts";
import { entryCodes } from "./fragments.ts";
import { codePath, entryPath, setPath } from "./links.ts";

/** The global the data script sets; the search script reads it. */
export const SEARCH_GLOBAL = "mailcodesSearchData";

/**
 * One thing the search can find: its kind, its page, what it is shown as (a code, a table's name), the context
 * shown beside it (a set's name, a code's registry text), and the rest of its text, searched but not shown whole.
 * For a code, the text holds the full codes it is carried as ("5.7.26"), which find it as exactly as its own key.
 */
export type SearchItem = readonly [
  kind: "code" | "set" | "entry",
  path: string,
  title: string,
  context: string,
  text: string,
];

export function searchItems(catalog: Catalog, codePages: readonly CodePage[]): SearchItem[] {
  const items: SearchItem[] = codePages.map((p) => [
    "code",
    codePath(p.key),
    p.key,
    codeTitle(p) ?? (p.kind === "reply" ? "SMTP reply code" : "Enhanced status code"),
    p.aliases.join(" "),
  ]);
  for (const set of catalog.sets) {
    items.push(["set", setPath(set.id), set.parts[0]!.table, set.name, `${set.id} ${set.description}`]);
    for (const entry of set.entries) {
      const carried = [
        ...entry.replyCodes.map((r) => String(r.code)),
        ...entry.enhancedCodes.map((r) => String(r.code)),
      ];
      items.push([
        "entry",
        entryPath(set.id, entry.member),
        entryCodes(set, entry).join(" or "),
        set.name,
        [
          ...entry.texts.map((t) => t.text),
          entry.member,
          ...carried,
          ...(entry.reason ? [entry.reason.code] : []),
        ].join("\n"),
      ]);
    }
  }
  return items;
}

/** The data script: deterministic (the items in catalog order), one item a line. */
export function searchDataScript(items: readonly SearchItem[]): string {
  // "<" is written \u003c, as in any script text that might hold "</script" (this one is its own file, but is cheap).
  const lines = items.map((item) => JSON.stringify(item).replaceAll("<", "\\u003c"));
  return `// The catalog's search data: [kind, path, title, context, text].\nself.${SEARCH_GLOBAL} = [\n${lines.join(",\n")}\n];\n`;
}
