// fragments: the small pieces several pages show alike: a set's label, a document's citation, a code's link, an
// entry's texts and facts. Each takes the path of the page it goes on, for its relative links.
import type { Catalog, CodeSet, Document, Entry, Reference } from "../model.ts";
import { type CodeKind, codeKeyOf } from "./code-pages.ts";
import { type Html, html, langOf } from "./html.ts";
import { codePath, entryPath, rootOf, setPath } from "./links.ts";

/** What the pages link to: the site's code pages, and the catalog the entries come from. */
export interface SiteContext {
  readonly catalog: Catalog;
  /** "reply:550", "enhanced:X.7.26": the code pages the site has. */
  readonly codePages: ReadonlySet<string>;
  readonly analyzer: boolean;
}

const LANGUAGE_NAMES = new Intl.DisplayNames(["en"], { type: "language" });

export function languageName(language: string): string {
  return LANGUAGE_NAMES.of(language) ?? language;
}

/** The language a set's texts are in: its own document's. */
export function setLanguage(set: CodeSet): string {
  return set.parts[0]!.document.language;
}

/** A set as lists name it: its type name, then its table's name in the document's language. */
export function setLabel(set: CodeSet): Html {
  return html`<span class="table-name"${langOf(setLanguage(set))}>${set.parts[0]!.table}</span> <code class="set-name">${set.name}</code>`;
}

export function setLink(set: CodeSet, from: string): Html {
  return html`<a href="${rootOf(from)}${setPath(set.id)}">${setLabel(set)}</a>`;
}

/** A document: its title (linked where it is published), then its publication. */
export function citation(document: Document): Html {
  const title = html`<cite${langOf(document.language)}>${document.title}</cite>`;
  return html`${document.url === undefined ? title : html`<a href="${document.url}" rel="external">${title}</a>`} ${publication(document)}`;
}

/** Who published a document, and in which language. */
export function publication(document: Document): Html {
  return html`<span class="publisher">${document.publisher}</span> <span class="language">(${languageName(document.language)})</span>`;
}

/** The code page of a code, or undefined when the site has none. */
export function codeHref(context: SiteContext, kind: CodeKind, key: string, from: string): string | undefined {
  return context.codePages.has(`${kind}:${key}`) ? `${rootOf(from)}${codePath(key)}` : undefined;
}

/** A code, linked to its page where there is one. */
export function codeLink(context: SiteContext, kind: CodeKind, code: string | number, from: string): Html {
  const href = codeHref(context, kind, codeKeyOf(kind, code), from);
  return href === undefined ? html`<code>${code}</code>` : html`<a href="${href}"><code>${code}</code></a>`;
}

function referenceItem(context: SiteContext, kind: CodeKind, ref: Reference, from: string): Html {
  return html`<li>${codeLink(context, kind, ref.code, from)}${!ref.standard && html` <span class="note">not the registry's: ${ref.note}</span>`}</li>`;
}

/** The reply and enhanced codes an entry carries, each linked to its page, a non-standard one with its note. */
export function references(context: SiteContext, entry: Entry, from: string): Html | undefined {
  if (entry.replyCodes.length + entry.enhancedCodes.length === 0) return undefined;
  return html`<ul class="codes-carried">${entry.replyCodes.map((r) => referenceItem(context, "reply", r, from))}${entry.enhancedCodes.map((r) => referenceItem(context, "enhanced", r, from))}</ul>`;
}

/** An entry's reason, linked to its row of the reason registry. */
export function reasonLink(context: SiteContext, entry: Entry, from: string): Html | undefined {
  const reason = entry.reason;
  if (reason === undefined) return undefined;
  const registry = context.catalog.registries["bounce-reason"];
  if (registry === undefined || !reason.standard || reason.member === undefined)
    return html`<code>${reason.code}</code>`;
  return html`<a href="${rootOf(from)}${entryPath(registry.id, reason.member)}"><code>${reason.code}</code></a>`;
}

/** An entry's outcome, and where it comes from. */
export function outcome(entry: Entry): Html | undefined {
  if (entry.outcome === undefined) return undefined;
  return html`${entry.outcome}<span class="basis">${entry.outcomeBasis === "document" ? "as the document says" : "by the code's class"}</span>`;
}

/** An attribute's value, with the document's own words for it where the set gives them. */
export function attributeValue(set: CodeSet, key: string, value: string | number | boolean): Html {
  const label = set.attributes.find((a) => a.key === key)?.labels?.[String(value)];
  return html`<code>${String(value)}</code>${label !== undefined && html` <span${langOf(setLanguage(set))}>${label}</span>`}`;
}

export function erratumText(entry: Entry): Html | undefined {
  if (entry.erratum === undefined) return undefined;
  return html`The document reads <code>${entry.erratum.sourceReads}</code>: ${entry.erratum.note}`;
}

/** The code an entry is known by in its set: its code(s), or its name in a set without codes. */
export function entryCodes(set: CodeSet, entry: Entry): readonly (string | number)[] {
  return set.codeFormat === "none" ? [entry.member] : (entry.codes ?? [entry.code]);
}
