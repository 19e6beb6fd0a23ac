// The bounce analyzer, in the browser: reads what is pasted, dropped or opened with mailcodes-bounce (a whole mail)
// or the catalog's classify (log lines, one each), and shows each recipient's classification with links into the
// site. Nothing is sent anywhere: the page's policy forbids connections, and this script makes none.
// The page (generator/src/docs/analyzer-page.ts) holds the form, the elements named below and #analyzer-site.
import { type BounceClassification, classify, lookup } from "mailcodes";
import { type BounceResult, classifyBounce } from "mailcodes-bounce";

/** What the page says of the site: where each set's and each code's page is (see AnalyzerSite in the generator). */
interface Site {
  readonly sets: Readonly<
    Record<
      string,
      { readonly path: string; readonly name: string; readonly languages: Readonly<Record<string, string>> }
    >
  >;
  readonly codes: Readonly<Record<string, string>>;
  readonly reasons?: string;
}

/** One thing analyzed: a recipient of a mail, or a log line. */
interface Row {
  readonly heading: string;
  readonly result: BounceClassification & Partial<Omit<BounceResult, keyof BounceClassification>>;
}

/** Log lines read at most: a pasted log past this is cut, and the status says so. */
const MAX_LINES = 2000;

const byId = <T extends HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`the analyzer page has no #${id}`);
  return element as T;
};

const form = byId<HTMLFormElement>("analyzer-form");
const input = byId<HTMLTextAreaElement>("analyzer-input");
const fileInput = byId<HTMLInputElement>("analyzer-file");
const status = byId<HTMLElement>("analyzer-status");
const output = byId<HTMLElement>("analyzer-results");
const site = JSON.parse(byId("analyzer-site").textContent ?? "{}") as Site;
const root = document.documentElement.dataset["root"] ?? "";

/** A file dropped or opened: read as its bytes (a mail's charset is the mail's business), until the text is edited. */
let opened: { readonly name: string; readonly bytes: Uint8Array } | undefined;

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  className?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className !== undefined) node.className = className;
  return node;
}

/** A link to a page of the site, or the plain text where the site has no such page. */
function link(path: string | undefined, text: string, code = true): HTMLElement {
  const label = code ? element("code", text) : document.createTextNode(text);
  if (path === undefined) {
    const span = element("span");
    span.append(label);
    return span;
  }
  const a = element("a");
  a.href = root + path;
  a.append(label);
  return a;
}

function entryPath(source: string, name: string): string | undefined {
  const set = site.sets[source];
  return set === undefined ? undefined : `${set.path}#${name}`;
}

function reasonLink(reason: string): HTMLElement {
  const entry = lookup("bounce-reason", reason);
  return link(
    site.reasons !== undefined && entry !== undefined ? entryPath(site.reasons, entry.name) : undefined,
    reason,
  );
}

function codeLink(code: string | number): HTMLElement {
  const key = typeof code === "number" ? String(code) : `X${code.slice(code.indexOf("."))}`.toUpperCase();
  return link(site.codes[key], String(code));
}

function evidenceOf(result: Row["result"]): Node[] {
  const evidence = result.evidence;
  switch (evidence.kind) {
    case "given":
      return [document.createTextNode("the mail's form says so: "), reasonLink(evidence.reason)];
    case "success":
      return [document.createTextNode("a success code: "), element("code", evidence.code)];
    case "wording":
      return [
        document.createTextNode("the wording "),
        element("q", evidence.phrase),
        document.createTextNode(" ("),
        link(
          entryPath(evidence.source, evidence.name),
          `${site.sets[evidence.source]?.name ?? evidence.source} ${evidence.name}`,
        ),
        document.createTextNode(")"),
      ];
    case "enhanced-code":
      return [document.createTextNode("the enhanced status code "), codeLink(evidence.code)];
    case "reply-code":
      return [document.createTextNode("the reply code "), codeLink(evidence.code)];
    case "code-class":
      return [document.createTextNode("the code's class: "), element("code", evidence.code)];
    case "command":
      return [document.createTextNode("the SMTP command it answered: "), element("code", evidence.command)];
    case "dsn-action":
      return [document.createTextNode("the DSN's action: "), element("code", evidence.dsnAction)];
    case "none":
      return [document.createTextNode("nothing: no rule applied")];
  }
}

/** The matched catalog entries: each linked to its row, with its first text. */
function matchesOf(result: Row["result"]): HTMLElement {
  const list = element("ul");
  for (const match of result.matches) {
    const li = element("li");
    const label = `${site.sets[match.source]?.name ?? match.source} ${match.code === match.name ? match.name : `${match.code} ${match.name}`}`;
    li.append(link(entryPath(match.source, match.name), label));
    const [column, text] =
      Object.entries(match.texts as Record<string, string | undefined>).find(([, t]) => t !== undefined) ?? [];
    if (column !== undefined && text !== undefined) {
      const span = element("span", text.length > 160 ? `${text.slice(0, 160)}…` : text);
      span.lang = site.sets[match.source]?.languages[column] ?? "";
      li.append(" ", span);
    }
    list.append(li);
  }
  return list;
}

function card(row: Row): HTMLElement {
  const r = row.result;
  const article = element("article", undefined, `result ${r.hardBounce ? "hard" : "soft"}`);
  article.append(element("h3", row.heading));
  const dl = element("dl");
  const field = (label: string, name: string, ...value: Array<Node | string>) => {
    const dd = element("dd");
    dd.dataset["field"] = name;
    dd.append(...value);
    dl.append(element("dt", label), dd);
  };
  field("Reason", "reason", reasonLink(r.reason));
  field(
    "Hard or soft",
    "hardBounce",
    r.hardBounce ? "hard: the address will not work" : "soft: the address may work later",
  );
  field("What to do", "action", element("code", r.action), r.setup !== undefined ? ` (fix: ${r.setup})` : "");
  if (r.replyCode !== undefined) field("Reply code", "replyCode", codeLink(r.replyCode));
  if (r.enhancedCode !== undefined) field("Enhanced code", "enhancedCode", codeLink(r.enhancedCode));
  if (r.command !== undefined) field("SMTP command", "command", element("code", r.command));
  if (r.provider !== undefined) field("Provider", "provider", r.provider);
  if (r.format !== undefined) field("Read by", "format", element("code", r.format));
  if (r.dsnAction !== undefined) field("DSN action", "dsnAction", element("code", r.dsnAction));
  if (r.remoteMta !== undefined) field("Remote MTA", "remoteMta", r.remoteMta);
  if (r.reportingMta !== undefined) field("Reporting MTA", "reportingMta", r.reportingMta);
  field("Evidence", "evidence", ...evidenceOf(r));
  field(`Catalog entries matched (${r.matches.length})`, "matches", r.matches.length > 0 ? matchesOf(r) : "none");
  if (r.diagnostic !== undefined) field("Diagnostic", "diagnostic", element("pre", r.diagnostic));
  article.append(dl);
  return article;
}

/** Whether a text is a mail: it opens with a header (or an mbox From line) and has a blank line after its headers. */
function looksLikeMail(text: string): boolean {
  return /^(From |[!-9;-~]+:[ \t]?)/.test(text.trimStart()) && /\r?\n\r?\n/.test(text);
}

async function analyze(): Promise<void> {
  const mode = (form.elements.namedItem("mode") as RadioNodeList).value;
  const text = input.value;
  const asMail = mode === "mail" || (mode === "auto" && (opened !== undefined || looksLikeMail(text)));
  let rows: Row[];
  let said: string;
  status.textContent = "Reading…";
  if (asMail) {
    const results = await classifyBounce(opened?.bytes ?? text);
    rows = results.map((result) => ({ heading: result.recipient, result }));
    said = `Read as one mail${opened !== undefined ? ` (${opened.name})` : ""}: ${results.length === 0 ? "it reports no bounced recipient." : `${results.length} bounced ${results.length === 1 ? "recipient" : "recipients"}${results[0] !== undefined ? `, in the ${results[0].format} form` : ""}.`}`;
  } else {
    const lines = text.split(/\r?\n/).filter((line) => line.trim() !== "");
    rows = lines.slice(0, MAX_LINES).map((line, i) => ({
      heading: `Line ${i + 1}: ${line.length > 100 ? `${line.slice(0, 100)}…` : line}`,
      result: { ...classify(line), diagnostic: line },
    }));
    said = `Read as ${lines.length} log ${lines.length === 1 ? "line" : "lines"}${lines.length > MAX_LINES ? `; the first ${MAX_LINES} shown` : ""}.`;
  }
  const json = element("details");
  json.id = "analyzer-json";
  json.className = "analyzer-json";
  json.append(
    element("summary", "The results as JSON"),
    element(
      "pre",
      JSON.stringify(
        rows.map((r) => r.result),
        null,
        2,
      ),
    ),
  );
  output.replaceChildren(...rows.map(card), ...(rows.length > 0 ? [json] : []));
  status.textContent = said;
}

async function open(file: File): Promise<void> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  opened = { name: file.name, bytes };
  input.value = new TextDecoder().decode(bytes);
  await analyze();
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  void analyze();
});
input.addEventListener("input", () => {
  opened = undefined;
});
input.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) form.requestSubmit();
});
fileInput.addEventListener("change", () => {
  const file = fileInput.files?.[0];
  if (file !== undefined) void open(file);
});
for (const name of ["dragenter", "dragover"] as const) {
  input.addEventListener(name, (event) => {
    event.preventDefault();
    input.classList.add("dragging");
  });
}
input.addEventListener("dragleave", () => input.classList.remove("dragging"));
input.addEventListener("drop", (event) => {
  event.preventDefault();
  input.classList.remove("dragging");
  const file = event.dataTransfer?.files[0];
  if (file !== undefined) void open(file);
});
