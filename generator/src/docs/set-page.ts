// set-page: a page per code set: where it comes from, what its columns and attributes mean, and every entry, each
// with its texts verbatim in the document's language beside one another, its attributes, the codes it carries
// (linked to their pages) and its erratum. Each entry's anchor is its member name.
import type { CodeSet, Entry, Note } from "../model.ts";
import {
  attributeValue,
  citation,
  codeLink,
  entryCodes,
  erratumText,
  languageName,
  outcome,
  reasonLink,
  references,
  type SiteContext,
  setLanguage,
} from "./fragments.ts";
import { type Html, html, langOf } from "./html.ts";
import { page } from "./layout.ts";
import { INDEX_PATH, rootOf, setPath } from "./links.ts";

/** A column of the entries' table: its header, and its cell for an entry (undefined: empty). */
interface TableColumn {
  readonly heading: Html;
  /** The plain heading, repeated before each cell when a narrow screen stacks the table. */
  readonly label: string;
  readonly language?: string;
  /** A column of the document's texts (given room first), not a short value. */
  readonly text?: boolean;
  readonly cell: (entry: Entry) => Html | undefined;
}

export function setPage(context: SiteContext, set: CodeSet): string {
  const path = setPath(set.id);
  const language = setLanguage(set);
  const columns = tableColumns(context, set, path);
  const main = html`<nav class="crumbs" aria-label="Breadcrumb"><a href="${rootOf(path)}${INDEX_PATH}">Catalog</a> › <span>${set.name}</span></nav>
<h1><span${langOf(language)}>${set.parts[0]!.table}</span></h1>
<p class="meta"><code>${set.id}</code> · type <code>${set.name}</code> · ${set.entries.length} ${set.entries.length === 1 ? "entry" : "entries"} · codes: ${set.codeFormat}${set.defines !== undefined && html` · the <code>${set.defines}</code> registry`}</p>
<p class="description">${set.description}</p>
<section aria-labelledby="source">
<h2 id="source">Source</h2>
${set.parts.map(
  (part, i) => html`<div class="part" id="part-${i}">
<p>${i > 0 && html`Extended by `}${citation(part.document)}; table <span${langOf(part.document.language)}>${part.table}</span>; transcribed in <code>${part.specFile}</code> from <code>${part.document.file}</code>.</p>
${notes([...part.documentNotes, ...part.notes], part.document.language)}
</div>`,
)}
</section>
<section aria-labelledby="fields">
<h2 id="fields">Columns${set.attributes.length > 0 && " and attributes"}</h2>
<dl class="fields">
${set.columns.map(
  (
    c,
  ) => html`<dt><span${langOf(c.language)}>${c.heading}</span>${c.key !== c.heading && html` <code>${c.key}</code>`}</dt>
<dd>${c.description} <span class="field-facts">(${languageName(c.language)}${!c.required && ", optional"}${c.ditto !== undefined && html`; the document writes <span${langOf(c.language)}>${c.ditto}</span> for the text of the row above`}${c.inLogs && "; the text bounces show"})</span></dd>
`,
)}${set.attributes.map(
  (a) => html`<dt>${a.heading !== undefined && a.heading !== a.key && html`${a.heading} `}<code>${a.key}</code></dt>
<dd>${a.description} <span class="field-facts">(${a.type}${a.required ? ", on every entry" : ", optional"}${a.enum !== undefined && html`; one of ${a.enum.map((v, i) => html`${i > 0 && ", "}${attributeValue(set, a.key, v)}`)}`})</span></dd>
`,
)}</dl>
</section>
<section aria-labelledby="entries">
<h2 id="entries">Entries</h2>
${set.parts.map((part, i) => {
  const rows = set.entries.filter((e) => e.part === i);
  if (rows.length === 0) return undefined;
  return html`${set.parts.length > 1 && html`<h3 id="entries-${i}">From <span${langOf(part.document.language)}>${part.table}</span> (${rows.length})</h3>`}
<div class="table-wrap">
<table class="entries">
<caption class="visually-hidden">${set.name}: entries${set.parts.length > 1 && html` from ${part.document.title}`}</caption>
<thead><tr>${columns.map((c) => html`<th scope="col"${langOf(c.language ?? "en")}>${c.heading}</th>`)}</tr></thead>
<tbody>
${rows.map((entry) => entryRow(entry, columns))}</tbody>
</table>
</div>`;
})}
</section>`;
  return page({
    path,
    title: `${set.name}: ${set.parts[0]!.table}`,
    description: set.description,
    main,
    analyzer: context.analyzer,
  });
}

function entryRow(entry: Entry, columns: readonly TableColumn[]): Html {
  const [first, ...rest] = columns;
  const cells = rest.map((c) => {
    const cell = c.cell(entry);
    return cell === undefined
      ? html`<td class="empty" data-label="${c.label}"></td>`
      : html`<td${c.text && html` class="text"`} data-label="${c.label}"${langOf(c.language ?? "en")}>${cell}</td>`;
  });
  return html`<tr id="${entry.member}"><th scope="row">${first!.cell(entry)}</th>${cells}</tr>
`;
}

/** The table's columns: the code, the texts, the attributes, then the facts that some entry of the set has. */
function tableColumns(context: SiteContext, set: CodeSet, path: string): TableColumn[] {
  const has = (test: (e: Entry) => boolean) => set.entries.some(test);
  const codeColumn: TableColumn = {
    heading: html`${set.codeFormat === "none" ? "Name" : "Code"}`,
    label: set.codeFormat === "none" ? "Name" : "Code",
    cell: (entry) =>
      html`${entryCodes(set, entry).map((code, i) => html`${i > 0 && html` or `}${ownCode(context, set, code, path)}`)}${set.codeFormat !== "none" && html`<span class="member">${entry.member}</span>`}<a class="anchor" href="#${entry.member}" aria-label="Link to ${entry.member}">#</a>`,
  };
  const textColumns = set.columns.map(
    (column): TableColumn => ({
      heading: html`${column.heading}`,
      label: column.heading,
      language: column.language,
      text: true,
      cell: (entry) => {
        const text = entry.texts.find((t) => t.column === column.key);
        if (text === undefined) return undefined;
        return html`${text.text}${text.ditto !== undefined && html`<small class="ditto" lang="en">Written <span${langOf(column.language)}>${text.ditto.mark}</span> in the document: the text of <a href="#${text.ditto.fromMember}"><code>${text.ditto.from}</code></a>.</small>`}`;
      },
    }),
  );
  const attributeColumns = set.attributes.map(
    (attribute): TableColumn => ({
      heading: html`${attribute.heading ?? attribute.key}`,
      label: attribute.heading ?? attribute.key,
      cell: (entry) => {
        const value = entry.attributes[attribute.key];
        return value === undefined ? undefined : attributeValue(set, attribute.key, value);
      },
    }),
  );
  const facts: TableColumn[] = [];
  if (has((e) => e.outcome !== undefined)) facts.push({ heading: html`Outcome`, label: "Outcome", cell: outcome });
  if (has((e) => e.replyCodes.length + e.enhancedCodes.length > 0))
    facts.push({ heading: html`Codes`, label: "Codes", cell: (e) => references(context, e, path) });
  if (has((e) => e.reason !== undefined))
    facts.push({ heading: html`Reason`, label: "Reason", cell: (e) => reasonLink(context, e, path) });
  if (has((e) => e.erratum !== undefined)) facts.push({ heading: html`Erratum`, label: "Erratum", cell: erratumText });
  return [codeColumn, ...textColumns, ...attributeColumns, ...facts];
}

/** A row's own code: linked to its code page where it is a reply or enhanced code. */
function ownCode(context: SiteContext, set: CodeSet, code: string | number, path: string): Html {
  if (set.codeFormat === "smtp-reply") return codeLink(context, "reply", code, path);
  if (set.codeFormat === "enhanced-status" || set.codeFormat === "enhanced-subject-detail")
    return codeLink(context, "enhanced", code, path);
  return html`<code>${code}</code>`;
}

function notes(list: readonly Note[], language: string): Html | undefined {
  if (list.length === 0) return undefined;
  return html`${list.map(
    (
      n,
    ) => html`<blockquote class="note"${langOf(language)}>${n.heading !== undefined && html`<p class="note-heading">${n.heading}</p>`}${n.text.split("\n").map((line) => html`<p>${line}</p>`)}</blockquote>
`,
  )}`;
}
