// analyzer-page: the bounce analyzer's page. The page is only the form and the place for the results: the analyzer's
// script (a browser bundle of mailcodes-bounce and a catalog, given to the docs command) does the reading. The
// contract between them is the element ids below and the JSON in #analyzer-site: the sets and code pages the site
// has, so that the script links a match only to a page that exists.
import type { CodePage } from "./code-pages.ts";
import type { SiteContext } from "./fragments.ts";
import { Html, html } from "./html.ts";
import { page } from "./layout.ts";
import { ANALYZER_PATH, ANALYZER_SCRIPT_PATH, codePath, setPath } from "./links.ts";

/** What the analyzer's script reads of the site: where each set's and each code's page is. */
export interface AnalyzerSite {
  /** Set id → its page, its type name, and the language of each of its columns. */
  readonly sets: Readonly<
    Record<
      string,
      { readonly path: string; readonly name: string; readonly languages: Readonly<Record<string, string>> }
    >
  >;
  /** Code page key ("550", "X.7.26") → its page. */
  readonly codes: Readonly<Record<string, string>>;
  /** The set that defines the bounce reasons, whose rows a result's reason links to. */
  readonly reasons?: string;
}

export function analyzerPage(context: SiteContext, codePages: readonly CodePage[]): string {
  const site: AnalyzerSite = {
    sets: Object.fromEntries(
      context.catalog.sets.map((s) => [
        s.id,
        { path: setPath(s.id), name: s.name, languages: Object.fromEntries(s.columns.map((c) => [c.key, c.language])) },
      ]),
    ),
    codes: Object.fromEntries(codePages.map((p) => [p.key, codePath(p.key)])),
    ...(context.catalog.registries["bounce-reason"] !== undefined && {
      reasons: context.catalog.registries["bounce-reason"].id,
    }),
  };
  // Inside a <script> element "</script" or "<!--" would change how the page is parsed: "<" is written \u003c.
  const json = new Html(JSON.stringify(site).replaceAll("<", "\\u003c"));
  const main = html`<h1>Bounce analyzer</h1>
<p class="callout privacy"><strong>Nothing leaves this page.</strong> The mail or the log lines you paste, drop or open are read by a script running in your browser; the page sends nothing anywhere and has no server to send to (its security policy forbids every connection).</p>
<form id="analyzer-form" class="analyzer">
<label for="analyzer-input">A bounce mail (headers and all) or log lines</label>
<p id="analyzer-hint" class="hint">Paste it here, or drop a file (.eml, .txt, .log) onto the box. One line per log entry, such as <code>550 5.1.1 &lt;user@example.com&gt;: Recipient address rejected: User unknown</code>.</p>
<textarea id="analyzer-input" name="input" rows="12" spellcheck="false" aria-describedby="analyzer-hint"></textarea>
<div class="analyzer-controls">
<label class="file">Open a file <input type="file" id="analyzer-file" accept=".eml,.txt,.log,message/rfc822,text/plain"></label>
<fieldset>
<legend>Read as</legend>
<label><input type="radio" name="mode" value="auto" checked> whatever it looks like</label>
<label><input type="radio" name="mode" value="mail"> one mail</label>
<label><input type="radio" name="mode" value="lines"> log lines, one each</label>
</fieldset>
<button type="submit">Analyze</button>
</div>
</form>
<section id="analyzer-output" aria-labelledby="analyzer-results-heading">
<h2 id="analyzer-results-heading">Results</h2>
<p id="analyzer-status" role="status" aria-live="polite">Nothing analyzed yet.</p>
<div id="analyzer-results"></div>
</section>
<noscript><p class="callout">The analyzer runs as a script in this page: it needs JavaScript.</p></noscript>
<script type="application/json" id="analyzer-site">${json}</script>`;
  return page({
    path: ANALYZER_PATH,
    title: "Bounce analyzer",
    description:
      "Paste or drop a bounce mail or log lines: each recipient's reason, hard or soft, what to do, the codes and the catalog entries, read in your browser.",
    main,
    analyzer: true,
    scripts: [ANALYZER_SCRIPT_PATH],
  });
}
