// The catalog's pages (mailcodes docs), in process: what each page holds, that every link leads somewhere, that the
// same specs give the same bytes, and how the command treats its out dir. The browser tests are docs-browser.slow.
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { runInNewContext } from "node:vm";
import { beforeAll, describe, expect, it } from "vitest";
import { buildAnalyzer } from "../analyzer/build.ts";
import { escapeHtml, html } from "../generator/src/docs/html.ts";
import { buildSite } from "../generator/src/docs/site.ts";
import type { Catalog } from "../generator/src/model.ts";
import { modelSpecDir } from "../generator/src/pipeline.ts";
import { copyOfSpecs, run, SPEC_DIR, snapshot, tempDir } from "./helpers.ts";

const ANALYZER = "/* the analyzer's bundle */\n";
let catalog: Catalog;
let site: Map<string, string>;

beforeAll(async () => {
  catalog = (await modelSpecDir(SPEC_DIR)).catalog!;
  site = new Map((await buildSite(catalog, { analyzerScript: ANALYZER })).map((f) => [f.path, f.text]));
});

const pageOf = (p: string): string => {
  const text = site.get(p);
  if (text === undefined) throw new Error(`the site has no ${p}`);
  return text;
};

describe("html", () => {
  it("escapes text and attribute values, and keeps markup built by html as it is", () => {
    const text = `<img src=x onerror="alert('1')"> & co`;
    expect(html`<p title="${text}">${text}${html`<br>`}</p>`.text).toBe(
      '<p title="&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt; &amp; co">&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt; &amp; co<br></p>',
    );
    expect(html`${undefined}${false}${null}${[1, "<", html`<i>`]}`.text).toBe("1&lt;<i>");
  });
});

describe("the site", () => {
  it("has an index, a page per set with an anchor per entry, and the assets", () => {
    for (const p of ["index.html", "site.css", "search.js", "search-data.js", "analyzer.html", "analyzer.js"])
      pageOf(p);
    for (const set of catalog.sets) {
      const page = pageOf(`set/${set.id}.html`);
      for (const entry of set.entries) expect(page).toContain(`<tr id="${entry.member}">`);
      expect(pageOf("index.html")).toContain(`href="set/${set.id}.html"`);
    }
  });

  it("quotes every text of every entry verbatim on its set's page, marked with its language", () => {
    for (const set of catalog.sets) {
      const page = pageOf(`set/${set.id}.html`);
      for (const entry of set.entries) for (const t of entry.texts) expect(page).toContain(escapeHtml(t.text));
    }
    // SMP's table is Japanese: its cells say so, and a ditto mark (同上) is shown as the text it stands for, named.
    const smp = pageOf("set/smp-delivery-code.html");
    expect(smp).toMatch(
      /<td class="text" data-label="説明" lang="ja">再送を繰り返したが配信ができないまま再送期限を過ぎてしまったことを表す。/,
    );
    expect(smp).toContain(
      'Written <span lang="ja">同上</span> in the document: the text of <a href="#DeliveryCompleted"><code>40000</code></a>.',
    );
  });

  it("gives 5.7.26 a page with IANA's entry and each rule that carries it, and 550 one with IANA's, Gmail's, Outlook's and SMP's", () => {
    const x726 = pageOf("code/X.7.26.html");
    expect(x726).toContain("Multiple authentication checks failed");
    expect(x726).toContain('href="../set/enhanced-status-subject-detail.html#MultipleAuthenticationChecksFailed"');
    expect(x726).toContain('href="../set/reason-by-status.html#C5S7D26"');
    expect(x726).toContain('href="../set/reason-by-status.html#C4S7D26"');
    const reply550 = pageOf("code/550.html");
    for (const set of [
      "enhanced-status-subject-detail",
      "gmail",
      "outlook-com",
      "smp-delivery-code",
      "smtp-reply-code",
    ]) {
      expect(reply550).toContain(`href="../set/${set}.html#`);
    }
    // Classes that cover it: BearMail's 5xx and Arara's 5**.
    expect(reply550).toContain('href="../set/reply-code-first-digit.html#');
    expect(reply550).toContain('href="../set/arara-code-class.html#');
  });

  it("links every code an entry carries to its page, and the page back to the entry", () => {
    let links = 0;
    for (const set of catalog.sets) {
      const setPage = pageOf(`set/${set.id}.html`);
      for (const entry of set.entries) {
        const carried = [
          ...entry.replyCodes.map((r) => String(r.code)),
          ...entry.enhancedCodes.map((r) => `X${String(r.code).slice(1)}`.toUpperCase()),
        ];
        for (const key of carried) {
          expect(setPage).toContain(`href="../code/${key}.html"`);
          expect(pageOf(`code/${key}.html`)).toContain(`href="../set/${set.id}.html#${entry.member}"`);
          links++;
        }
      }
    }
    expect(links).toBeGreaterThan(200);
  });

  it("has no link that leads nowhere: every page and anchor linked to exists", () => {
    const ids = new Map(
      [...site].map(([p, text]) => [p, new Set([...text.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]!))]),
    );
    let checked = 0;
    for (const [p, text] of site) {
      if (!p.endsWith(".html")) continue;
      for (const [, href] of text.matchAll(/ (?:href|src)="([^"]+)"/g)) {
        if (/^[a-z]+:/.test(href!)) continue; // the documents' own addresses
        const [file, anchor] = href!.split("#");
        const target = file === "" ? p : path.posix.normalize(path.posix.join(path.posix.dirname(p), file!));
        expect(site.has(target), `${p} links to ${href}`).toBe(true);
        if (anchor !== undefined) expect(ids.get(target)?.has(anchor), `${p} links to ${href}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5000);
  });

  it("searches codes and phrases: the data names every page and entry, a code by the full codes it is carried as", () => {
    const data = runInNewContext(`${pageOf("search-data.js")}; self.mailcodesSearchData`, { self: {} }) as Array<
      [string, string, string, string, string]
    >;
    expect(data.length).toBe(site.size - 7 + catalog.sets.reduce((n, s) => n + s.entries.length, 0));
    const x726 = data.find(([kind, , title]) => kind === "code" && title === "X.7.26")!;
    expect(x726[1]).toBe("code/X.7.26.html");
    expect(x726[4].split(" ")).toEqual(["4.7.26", "5.7.26"]);
    const expired = data.find(
      ([kind, p]) => kind === "entry" && p === "set/smp-delivery-code.html#RetryPeriodExpired",
    )!;
    expect(expired[4]).toContain("再送期限を過ぎてしまった");
    for (const [, p] of data) expect(site.has(p.split("#")[0]!)).toBe(true);
  });

  it("has no analyzer page, and no link to one, without the analyzer's bundle", async () => {
    const files = await buildSite(catalog);
    expect(files.map((f) => f.path)).not.toContain("analyzer.html");
    expect(files.map((f) => f.path)).not.toContain("analyzer.js");
    for (const f of files) expect(f.text).not.toContain("analyzer.html");
  });

  it("is the same bytes for the same specs", async () => {
    const again = await buildSite(catalog, { analyzerScript: ANALYZER });
    expect(new Map(again.map((f) => [f.path, f.text]))).toEqual(site);
    expect(again.map((f) => f.path)).toEqual([...again.map((f) => f.path)].sort());
  });
});

describe("mailcodes docs", () => {
  it("writes the site with the analyzer given, then rewrites nothing when the specs are the same", async () => {
    const outDir = path.join(await tempDir(), "site");
    const bundle = path.join(path.dirname(outDir), "analyzer.js");
    await writeFile(bundle, ANALYZER);
    const first = await run("docs", "--spec-dir", SPEC_DIR, "--out-dir", outDir, "--analyzer", bundle);
    expect(first).toMatchObject({ code: 0, err: "" });
    expect(first.out).toMatch(/: \d+ written, 0 removed, 0 unchanged$/);
    expect(await readFile(path.join(outDir, "analyzer.js"), "utf8")).toBe(ANALYZER);
    expect(await readFile(path.join(outDir, "set/gmail.html"), "utf8")).toBe(pageOf("set/gmail.html"));
    const before = await snapshot(outDir);
    const second = await run("docs", "--spec-dir", SPEC_DIR, "--out-dir", outDir, "--analyzer", bundle);
    expect(second.out).toMatch(/: 0 written, 0 removed, \d+ unchanged$/);
    expect(await snapshot(outDir)).toEqual(before);
  });

  it("removes the pages of a set the specs no longer have, and escapes whatever a spec says", async () => {
    const specDir = await copyOfSpecs();
    const outDir = path.join(path.dirname(specDir), "site");
    expect((await run("docs", "--spec-dir", specDir, "--out-dir", outDir)).code).toBe(0);
    await rm(path.join(specDir, "arara.yaml"));
    const gmail = path.join(specDir, "bearmail.yaml");
    const hostile = `<script>alert("x")</script>`;
    await writeFile(
      gmail,
      (await readFile(gmail, "utf8")).replace('"Server busy, try again later."', JSON.stringify(hostile)),
    );
    const result = await run("docs", "--spec-dir", specDir, "--out-dir", outDir);
    expect(result.code).toBe(0);
    expect(await readFile(path.join(outDir, "set/arara-code.html"), "utf8").catch(() => "gone")).toBe("gone");
    const page = await readFile(path.join(outDir, "set/gmail.html"), "utf8");
    expect(page).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(page).not.toContain(hostile);
  });

  it("refuses a folder it did not write, and writes nothing for invalid specs", async () => {
    const outDir = await tempDir();
    await writeFile(path.join(outDir, "notes.txt"), "mine\n");
    const before = await snapshot(outDir);
    const refused = await run("docs", "--spec-dir", SPEC_DIR, "--out-dir", outDir);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain("is not empty and was not written by mailcodes docs");
    expect(await snapshot(outDir)).toEqual(before);
    const specDir = await copyOfSpecs();
    await writeFile(path.join(specDir, "smp.yaml"), "codeSets: [\n");
    const empty = path.join(path.dirname(specDir), "site");
    await mkdir(empty);
    expect((await run("docs", "--spec-dir", specDir, "--out-dir", empty)).code).toBe(2);
    expect(await snapshot(empty)).toEqual({});
  });
});

describe("the analyzer's bundle", () => {
  it("is built for the browser from the packages' sources: no Node built-in (esbuild resolves none there), no dist", async () => {
    const bundle = await buildAnalyzer(path.join(await tempDir(), "analyzer.js"));
    for (const module of [
      "analyzer/page.ts",
      "generated/index.ts",
      "packages/mailcodes-bounce/src/index.ts",
      "packages/runtime/src/index.ts",
    ]) {
      expect(bundle.inputs).toContain(module);
    }
    expect(bundle.inputs.filter((i) => /(^|\/)dist\//.test(i) && !i.includes("node_modules/postal-mime/"))).toEqual([]);
    expect(bundle.inputs).not.toContain("packages/mailcodes-bounce/src/cli.ts");
  });
});
