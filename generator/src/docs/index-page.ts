// index-page: the site's front page: the documents and their sets, then every code page, reply codes and enhanced
// codes apart, each with the registry's text for it.
import type { CodeSet, Document } from "../model.ts";
import { codeTitle } from "./code-page.ts";
import type { CodePage } from "./code-pages.ts";
import { publication, type SiteContext, setLanguage } from "./fragments.ts";
import { type Html, html, langOf } from "./html.ts";
import { page } from "./layout.ts";
import { ANALYZER_PATH, codePath, INDEX_PATH, setPath } from "./links.ts";

interface DocumentGroup {
  readonly document: Document;
  /** The sets whose own table is in the document, and those it extends (with the part it gives). */
  readonly sets: Array<{ set: CodeSet; part: number }>;
}

export function indexPage(context: SiteContext, codePages: readonly CodePage[]): string {
  const groups = documentGroups(context.catalog.sets);
  const entries = context.catalog.sets.reduce((n, s) => n + s.entries.length, 0);
  const reply = codePages.filter((p) => p.kind === "reply");
  const enhanced = codePages.filter((p) => p.kind === "enhanced");
  const main = html`<h1>Mail delivery codes, every document side by side</h1>
<p class="lead">${groups.length} documents, ${context.catalog.sets.length} code sets, ${entries} entries. Each SMTP reply code and enhanced status code has a page listing every entry of every document that carries it; each set has a page with every entry, its texts verbatim in the document's language.</p>
${context.analyzer && html`<p class="callout">Holding a bounce? Paste it into the <a href="${ANALYZER_PATH}">bounce analyzer</a>: it reads the mail in this page, and nothing leaves your browser.</p>`}
<section aria-labelledby="documents">
<h2 id="documents">Documents</h2>
${groups.map(
  (g) => html`<article class="document">
<h3${langOf(g.document.language)}>${g.document.title}</h3>
<p class="source">${publication(g.document)}${g.document.url !== undefined && html` · <a href="${g.document.url}" rel="external">the document</a>`}</p>
<ul class="sets">
${g.sets.map(({ set, part }) => {
  const count = set.entries.filter((e) => e.part === part).length;
  return html`<li><a href="${setPath(set.id)}${part > 0 ? `#entries-${part}` : ""}"><span${langOf(g.document.language)}>${set.parts[part]!.table}</span></a> <code>${set.name}</code> <span class="count">${part > 0 ? html`extends <span${langOf(setLanguage(set))}>${set.parts[0]!.table}</span>, ${count} ${count === 1 ? "entry" : "entries"}` : html`${count} ${count === 1 ? "entry" : "entries"}`}</span><br><span class="description">${set.description}</span></li>
`;
})}</ul>
</article>
`,
)}</section>
${codeList("reply-codes", "SMTP reply codes", reply)}
${codeList("enhanced-codes", "Enhanced status codes", enhanced)}`;
  return page({
    path: INDEX_PATH,
    title: "Catalog",
    description:
      "Mail delivery codes (SMTP reply codes, enhanced status codes, providers' and services' own codes) as each document writes them.",
    main,
    analyzer: context.analyzer,
  });
}

function codeList(id: string, heading: string, pages: readonly CodePage[]): Html | undefined {
  if (pages.length === 0) return undefined;
  return html`<section aria-labelledby="${id}">
<h2 id="${id}">${heading} <span class="count">(${pages.length})</span></h2>
<ul class="code-list">
${pages.map((p) => {
  const title = codeTitle(p);
  return html`<li><a href="${codePath(p.key)}"><code>${p.key}</code> <span>${title ?? (p.registered.length > 0 ? "registered without a text" : "in no registry of the catalog")}</span></a></li>
`;
})}</ul>
</section>`;
}

/** The documents in catalog order, each with the sets it has a table of. */
function documentGroups(sets: readonly CodeSet[]): DocumentGroup[] {
  const groups = new Map<string, DocumentGroup>();
  for (const set of sets) {
    set.parts.forEach((part, i) => {
      const key = `${part.document.file}\n${part.document.title}`;
      let group = groups.get(key);
      if (group === undefined) {
        group = { document: part.document, sets: [] };
        groups.set(key, group);
      }
      group.sets.push({ set, part: i });
    });
  }
  return [...groups.values()];
}
