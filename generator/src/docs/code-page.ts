// code-page: a page per standard code: the registry's entry, then every entry of every document that carries the
// code, grouped by set, each with its texts verbatim and a link to its row; then the classes and ranges covering it.
import type { CodeSet } from "../model.ts";
import type { Carrier, CodePage } from "./code-pages.ts";
import {
  attributeValue,
  citation,
  erratumText,
  outcome,
  reasonLink,
  references,
  type SiteContext,
  setLabel,
} from "./fragments.ts";
import { type Html, html, langOf } from "./html.ts";
import { page } from "./layout.ts";
import { codePath, entryPath, INDEX_PATH, rootOf } from "./links.ts";

/** What a code page is titled by: the registry's first text for it (RFC 5321's reply text, IANA's sample text). */
export function codeTitle(codePage: CodePage): string | undefined {
  return codePage.registered[0]?.entry.texts[0]?.text;
}

export function codePageHtml(context: SiteContext, codePage: CodePage): string {
  const path = codePath(codePage.key);
  const kindName = codePage.kind === "reply" ? "SMTP reply code" : "Enhanced status code";
  const title = codeTitle(codePage);
  const main = html`<nav class="crumbs" aria-label="Breadcrumb"><a href="${rootOf(path)}${INDEX_PATH}">Catalog</a> › <a href="${rootOf(path)}${INDEX_PATH}#${codePage.kind}-codes">${kindName}s</a></nav>
<h1><code>${codePage.key}</code>${title !== undefined && html` <span class="code-title">${title}</span>`}</h1>
<p class="meta">${kindName}${codePage.aliases.length > 0 && html` · carried as ${codePage.aliases.map((a, i) => html`${i > 0 && ", "}<code>${a}</code>`)}`}${codePage.registered.length === 0 && " · in no registry of the catalog"}</p>
${section(context, path, "registered", "In the registry", codePage.registered)}
${section(context, path, "carriers", `Documents that carry ${codePage.key}`, codePage.carriers)}
${section(context, path, "covering", "Classes and ranges that cover it", codePage.covering)}`;
  return page({
    path,
    title: `${codePage.key}${title !== undefined ? ` ${title}` : ""}`,
    description: `${kindName} ${codePage.key}: every entry of every document in the catalog that carries it.`,
    main,
    analyzer: context.analyzer,
  });
}

function section(
  context: SiteContext,
  path: string,
  id: string,
  heading: string,
  carriers: readonly Carrier[],
): Html | undefined {
  if (carriers.length === 0) return undefined;
  const groups: Array<{ set: CodeSet; carriers: Carrier[] }> = [];
  for (const carrier of carriers) {
    const last = groups.at(-1);
    if (last?.set === carrier.set) last.carriers.push(carrier);
    else groups.push({ set: carrier.set, carriers: [carrier] });
  }
  return html`<section aria-labelledby="${id}">
<h2 id="${id}">${heading} <span class="count">(${carriers.length})</span></h2>
${groups.map(
  (g) => html`<section class="set-group" aria-label="${g.set.name}">
<h3>${setLabel(g.set)}</h3>
<p class="source">${citation(g.set.parts[0]!.document)}</p>
${g.carriers.map((c) => card(context, path, c))}</section>
`,
)}</section>`;
}

/** One entry as a card: its code as it carries it, its texts under their headings, its facts, a link to its row. */
function card(context: SiteContext, path: string, carrier: Carrier): Html {
  const { set, entry } = carrier;
  const part = set.parts[entry.part]!;
  const href = `${rootOf(path)}${entryPath(set.id, entry.member)}`;
  const facts: Array<[string, Html | undefined]> = [
    ...set.attributes.map((a): [string, Html | undefined] => {
      const value = entry.attributes[a.key];
      return [a.heading ?? a.key, value === undefined ? undefined : attributeValue(set, a.key, value)];
    }),
    ["Outcome", outcome(entry)],
    ["Codes", references(context, entry, path)],
    ["Reason", reasonLink(context, entry, path)],
    ["Erratum", erratumText(entry)],
  ];
  const columns = new Map(set.columns.map((c) => [c.key, c]));
  return html`<article class="entry">
<h4><a href="${href}"><code>${set.codeFormat === "none" ? entry.member : String(carrier.code)}</code>${set.codeFormat !== "none" && html` <span class="member">${entry.member}</span>`}</a>${part !== set.parts[0] && html` <span class="from">from <span${langOf(part.document.language)}>${part.table}</span></span>`}</h4>
${carrier.note !== undefined && html`<p class="note">Not the registry's code here: ${carrier.note}</p>`}
<dl>
${entry.texts.map((t) => {
  const column = columns.get(t.column)!;
  return html`<dt${langOf(column.language)}>${column.heading}</dt><dd${langOf(column.language)}>${t.text}</dd>
`;
})}${facts.map(([label, value]) => value !== undefined && html`<dt>${label}</dt><dd>${value}</dd>\n`)}</dl>
</article>
`;
}
