// The catalog's pages in a real browser: Debian's Chromium (/usr/bin/chromium, or $CHROMIUM), driven by
// playwright-core (which downloads no browser), loads the site from a server on localhost that the test starts:
// the search finds codes and phrases, a code's page lists the documents' entries, the analyzer reads real bounces
// (dropped or opened) exactly as classifyBounce does in Node, no page logs an error or reaches past localhost, and
// each kind of page is photographed, at a desktop's width and a phone's, into test/output/docs-browser/.
import { access, mkdir, mkdtemp, readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { classify } from "mailcodes";
import { classifyBounce } from "mailcodes-bounce";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildAnalyzer } from "../analyzer/build.ts";
import { buildSite } from "../generator/src/docs/site.ts";
import { writeSite } from "../generator/src/docs/write-site.ts";
import { modelSpecDir } from "../generator/src/pipeline.ts";
import { ROOT, SPEC_DIR, tempDir } from "./helpers.ts";

const CHROMIUM = process.env["CHROMIUM"] ?? "/usr/bin/chromium";
const SHOTS = path.join(ROOT, "test/output/docs-browser");
const EMAILS = path.join(ROOT, "test/fixtures/sisimai/emails");
/** Real bounces of several forms: two recipients (Postfix), Gmail's, a Japanese carrier's, a feedback report of seven, a DSN of three. */
const MAILS = ["lhost-postfix-11.eml", "lhost-gmail-01.eml", "lhost-ezweb-01.eml", "arf-16.eml", "rfc3464-35.eml"];
const PHONE = { width: 390, height: 844 };
/** The browser's DataTransfer, which a drop carries (the tests' types are Node's, without the DOM's). */
declare const DataTransfer: new () => { readonly items: { add(file: File): void } };
const DESKTOP = { width: 1280, height: 900 };

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
};

let siteDir: string;
let server: Server;
let base: string;
let context: BrowserContext;
/** Everything any page logged as an error, and every request that went past the local server. */
const errors: string[] = [];
const foreign: string[] = [];

beforeAll(async () => {
  await access(CHROMIUM).catch(() => {
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM)`);
  });
  const work = await tempDir(true);
  siteDir = path.join(work, "site");
  const bundle = path.join(work, "analyzer.js");
  await buildAnalyzer(bundle);
  const catalog = (await modelSpecDir(SPEC_DIR)).catalog!;
  await writeSite(siteDir, await buildSite(catalog, { analyzerScript: await readFile(bundle, "utf8") }));
  server = createServer((request, response) => {
    const file = path.join(
      siteDir,
      path.posix.normalize(decodeURIComponent(new URL(request.url!, "http://x").pathname)),
    );
    readFile(file).then(
      (bytes) =>
        response.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" }).end(bytes),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  await mkdir(SHOTS, { recursive: true });
  context = await chromium.launchPersistentContext(await mkdtemp(path.join(tmpdir(), "mailcodes-chromium-")), {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    viewport: DESKTOP,
  });
  context.on("request", (request) => {
    const url = request.url();
    if (!url.startsWith(base) && !url.startsWith("file:") && !url.startsWith("data:")) foreign.push(url);
  });
}, 300_000);

afterAll(async () => {
  await context?.close();
  await new Promise((resolve) => server?.close(resolve));
});

async function open(url: string, viewport = DESKTOP): Promise<Page> {
  const page = await context.newPage();
  await page.setViewportSize(viewport);
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`${page.url()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`${page.url()}: ${error.message}`));
  await page.goto(url);
  return page;
}

/** A screenshot of the page; a whole page (fullPage) where what matters is below the first screen. */
async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage });
}

/** What the results list shows, link by link. */
async function results(page: Page): Promise<string[]> {
  return page.locator("#search-results a").evaluateAll((links) => links.map((a) => a.getAttribute("href")!));
}

describe("the catalog's pages in Chromium", () => {
  it("finds 5.7.26 as you type, and its page lists IANA's entry and the rules that carry it", async () => {
    const page = await open(`${base}index.html`);
    await shot(page, "index-desktop");
    await page.locator("#search-input").pressSequentially("5.7.26");
    await expect.poll(() => results(page)).toContain("code/X.7.26.html");
    expect((await results(page))[0]).toBe("code/X.7.26.html");
    await shot(page, "search-desktop");
    await page.locator("#search-input").press("Enter");
    await page.waitForURL(/code\/X\.7\.26\.html$/);
    const registered = page.locator(
      "#registered ~ section a[href$='enhanced-status-subject-detail.html#MultipleAuthenticationChecksFailed']",
    );
    await expect.poll(() => registered.count()).toBe(1);
    const carriers = await page
      .locator("article.entry h4 a")
      .evaluateAll((links) => links.map((a) => a.getAttribute("href")));
    expect(carriers).toEqual(
      expect.arrayContaining([
        "../set/enhanced-status-subject-detail.html#MultipleAuthenticationChecksFailed",
        "../set/reason-by-status.html#C4S7D26",
        "../set/reason-by-status.html#C5S7D26",
      ]),
    );
    await shot(page, "code-desktop", true);
    await page.close();
  });

  it("lists IANA's, Gmail's and Outlook's entries on the 550 page", async () => {
    const page = await open(`${base}code/550.html`);
    const sets = await page
      .locator("article.entry h4 a")
      .evaluateAll((links) => links.map((a) => a.getAttribute("href")!.split("#")[0]));
    for (const set of ["enhanced-status-subject-detail", "gmail", "outlook-com", "smp-delivery-code"]) {
      expect(sets).toContain(`../set/${set}.html`);
    }
    await page.setViewportSize(PHONE);
    await shot(page, "code-phone");
    await page.close();
  });

  it("finds a Japanese phrase of SMP's table, and the keyboard reaches its row", async () => {
    const page = await open(`${base}set/gmail.html`);
    await page.keyboard.press("Tab");
    expect(await page.locator(":focus").textContent()).toBe("Skip to the content");
    await page.locator("#search-input").fill("再送期限を過ぎて");
    await expect.poll(() => results(page)).toContain("../set/smp-delivery-code.html#RetryPeriodExpired");
    await page.locator("#search-input").press("ArrowDown");
    expect(await page.locator(":focus").getAttribute("href")).toBe("../set/smp-delivery-code.html#RetryPeriodExpired");
    await page.keyboard.press("Enter");
    await page.waitForURL(/smp-delivery-code\.html#RetryPeriodExpired$/);
    expect(await page.locator("tr:target").getAttribute("id")).toBe("RetryPeriodExpired");
    await shot(page, "set-desktop");
    await page.setViewportSize(PHONE);
    await shot(page, "set-phone");
    await page.close();
  });

  it("works from file:// too (no server): the search loads its data", async () => {
    const page = await open(pathToFileURL(path.join(siteDir, "index.html")).href, PHONE);
    await page.locator("#search-input").fill("550");
    await expect.poll(() => results(page)).toContain("code/550.html");
    await shot(page, "index-phone");
    await page.close();
  });
});

describe("the bounce analyzer in Chromium", () => {
  it("reads a dropped bounce exactly as classifyBounce does in Node", async () => {
    const page = await open(`${base}analyzer.html`);
    const bytes = await readFile(path.join(EMAILS, MAILS[0]!));
    const drop = await page.evaluateHandle(
      ([name, data]) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([new Uint8Array(data)], name, { type: "message/rfc822" }));
        return transfer;
      },
      [MAILS[0]!, [...bytes]] as const,
    );
    await page.locator("#analyzer-input").dispatchEvent("drop", { dataTransfer: drop });
    const shown = await analyzed(page);
    const node = JSON.parse(JSON.stringify(await classifyBounce(bytes)));
    expect(node.length).toBe(2);
    expect(shown).toEqual(node);
    // The cards show what the JSON says, linked into the site.
    const reasons = await page.locator("[data-field=reason]").allTextContents();
    expect(reasons).toEqual(node.map((r: { reason: string }) => r.reason));
    expect(await page.locator("[data-field=reason] a").first().getAttribute("href")).toMatch(
      /^set\/bounce-reason\.html#/,
    );
    await shot(page, "analyzer-desktop", true);
    await page.setViewportSize(PHONE);
    await shot(page, "analyzer-phone", true);
    await page.close();
  });

  it("reads opened bounces of other forms as Node does", async () => {
    const page = await open(`${base}analyzer.html`);
    for (const mail of MAILS.slice(1)) {
      const file = path.join(EMAILS, mail);
      await page.locator("#analyzer-json").evaluateAll((found) => {
        for (const e of found) e.remove();
      });
      await page.locator("#analyzer-file").setInputFiles(file);
      const node = JSON.parse(JSON.stringify(await classifyBounce(await readFile(file))));
      expect(node.length, mail).toBeGreaterThan(0);
      expect(await analyzed(page), mail).toEqual(node);
    }
    await page.close();
  });

  it("reads pasted log lines one by one as classify does", async () => {
    const page = await open(`${base}analyzer.html`);
    const lines = [
      "550 5.7.26 This mail has been blocked because the sender is unauthenticated.",
      "452 4.2.2 The email account that you tried to reach is over quota.",
    ];
    await page.locator("#analyzer-input").fill(lines.join("\n"));
    await page.locator("#analyzer-form button[type=submit]").click();
    expect(await analyzed(page)).toEqual(
      JSON.parse(JSON.stringify(lines.map((line) => ({ ...classify(line), diagnostic: line })))),
    );
    expect(await page.locator("#analyzer-status").textContent()).toBe("Read as 2 log lines.");
    await page.close();
  });

  it("logged no error on any page, and nothing reached past the local server", () => {
    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
  });
});

/** The results the page shows, as its JSON panel gives them, once the analysis is done. */
async function analyzed(page: Page): Promise<unknown> {
  const json = page.locator("#analyzer-json pre");
  await json.waitFor({ state: "attached" });
  return JSON.parse((await json.textContent())!);
}
