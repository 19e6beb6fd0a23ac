// sources: each source document is transcribed completely and verbatim. The specs are loaded and validated as the
// CLI does, and the checks run on the resulting Catalog (ditto marks resolved, errata applied), against the
// documents in spec/sources as captured.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../generator/src/diagnostics.ts";
import type { Catalog, CodeSet, Document, Entry, Note } from "../generator/src/model.ts";
import { modelSpecDir } from "../generator/src/pipeline.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
/** The folder a spec's source.file ("sources/000_….txt") is relative to: the spec's own. */
const SPEC_DIR = path.join(ROOT, "spec");

// As the CLI does: load the spec folder, validate, model.
const modelled = await modelSpecDir(SPEC_DIR);
const problems = modelled.diagnostics.map(formatDiagnostic);

// ---------------------------------------------------------------------------------------------------------------
// The catalog

function catalog(): Catalog {
  if (!modelled.catalog) throw new Error(`the specs do not validate:\n${problems.join("\n")}`);
  return modelled.catalog;
}

/** What a spec transcribes from its document: its sets (with the table and notes of their own part). */
interface Spec {
  readonly file: string;
  readonly source: Document;
  readonly notes: readonly Note[];
  readonly codeSets: ReadonlyArray<CodeSet & { readonly table: string; readonly notes: readonly Note[] }>;
}

/** The one spec transcribed from a document, found by its `source.file` (e.g. "sources/000_….txt"). */
function specOf(file: string): Spec {
  const sets = catalog().sets.filter((set) => set.parts[0]!.document.file === file);
  const specFiles = [...new Set(sets.map((set) => set.parts[0]!.specFile))];
  expect(specFiles, `specs transcribed from ${file}`).toHaveLength(1);
  const own = sets[0]!.parts[0]!;
  return {
    file: own.specFile,
    source: own.document,
    notes: own.documentNotes,
    codeSets: sets.map((set) => ({ ...set, table: set.parts[0]!.table, notes: set.parts[0]!.notes })),
  };
}

function setOf(file: string, id: string): Spec["codeSets"][number] {
  const set = specOf(file).codeSets.find((s) => s.id === id);
  if (!set) throw new Error(`no code set ${id} in the spec of ${file}`);
  return set;
}

function entryOf(set: CodeSet, code: Entry["code"]): Entry {
  const entry = set.entries.find((e) => e.code === code);
  if (!entry) throw new Error(`no entry ${code} in ${set.id}`);
  return entry;
}

const textOf = (entry: Entry, column: string) => entry.texts.find((t) => t.column === column)?.text;
const codesOf = (set: CodeSet) => set.entries.map((e) => e.code);
/** An entry's texts in column order as the document prints them: a ditto mark rather than the text it repeats. */
const printed = (entry: Entry) => entry.texts.map((t) => t.ditto?.mark ?? t.text);
/** The code the document prints for an entry: where there is an erratum, what the document reads. */
const printedCode = (entry: Entry) => String(entry.erratum?.sourceReads ?? entry.code);

// ---------------------------------------------------------------------------------------------------------------
// The documents

/** The captured text of the document a spec names (source.file is relative to the spec dir). */
function documentOf(file: string): string {
  return readFileSync(path.join(SPEC_DIR, file), "utf8");
}

/** The part of a document after `from` (which must occur exactly once) and before the first `to` after it. */
function between(document: string, from: string, to?: string): string {
  const start = document.indexOf(from);
  expect(start, `"${from}" in the document`).toBeGreaterThanOrEqual(0);
  expect(document.indexOf(from, start + 1), `"${from}" only once in the document`).toBe(-1);
  const end = to === undefined ? document.length : document.indexOf(to, start + from.length);
  expect(end, `"${to}" after "${from}"`).toBeGreaterThanOrEqual(0);
  return document.slice(start + from.length, end);
}

/**
 * Whitespace is the only thing allowed to differ between a spec text and its document: every run of it (spaces,
 * newlines, U+00A0) becomes ONE space, and the ends are trimmed. The captures break lines at cell boundaries, and a
 * spec keeps such a break as "\n" (or splits the cells into separate texts), so a line break and a space must
 * compare equal. Collapsing to one space rather than to nothing keeps word boundaries: deleting all whitespace would
 * also accept words the document runs together pulled apart, or the reverse ("yahoo.co.jpaccount", "1 日"). Where
 * the capture runs two CELLS together with no space at all ("503Bad sequence…"), the row checks below allow it.
 */
const squash = (text: string) => text.replace(/[\s\u00a0]+/g, " ").trim();
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The known exception to "a text occurs as is": columns whose line breaks stand for the bullet items of a list,
 * whose "-" markers the spec drops (as the column's description says). Their lines must occur one after another,
 * separated only by whitespace and at most one "-". The 001 checks prove this exception is still needed.
 * (The only other exception, 002's 7** and 8** rows that the capture leaves empty, is spelled out in its describe.)
 */
const LISTED_COLUMNS = new Set(["delivery-error-class.details"]);

/** Whether a text occurs in the document, whitespace aside; a listed text's lines may be separated by "-" markers. */
function occurs(document: string, text: string, listed = false): boolean {
  if (!listed) return squash(document).includes(squash(text));
  return new RegExp(
    text
      .split("\n")
      .map((line) => escapeRegExp(squash(line)))
      .join(" (?:- )?"),
  ).test(squash(document));
}

/**
 * Why `document` does not read exactly as `cells`, one after another, with at most a space between two cells
 * (captures often run cells together: "40000正常に…", "502 Command not implemented指定された…"); undefined if it does.
 */
function misreading(document: string, cells: readonly string[]): string | undefined {
  const flat = squash(document);
  let at = 0;
  for (const cell of cells) {
    const next = new RegExp(` ?${escapeRegExp(squash(cell))}`, "y");
    next.lastIndex = at;
    if (!next.test(flat))
      return `expected ${JSON.stringify(squash(cell))}, the document reads ${JSON.stringify(flat.slice(at, at + 80))}`;
    at = next.lastIndex;
  }
  return at === flat.length ? undefined : `the document goes on: ${JSON.stringify(flat.slice(at, at + 80))}`;
}

/** The rows of a part of a document: each starts at a line beginning with `head` and runs to the next such line. */
function rowsOf(text: string, head: RegExp): Array<{ head: string; body: string }> {
  const starts = [...text.matchAll(new RegExp(`^(?:${head.source})`, "gm"))];
  return starts.map((match, i) => ({
    head: squash(match[0]),
    body: text.slice(match.index + match[0].length, starts[i + 1]?.index ?? text.length),
  }));
}

type Row = readonly [head: string, cells: readonly string[]];

/** The document's rows are exactly `expected`: the same heads in the same order, each body reading as its cells. */
function expectRows(text: string, head: RegExp, expected: readonly Row[]): void {
  const rows = rowsOf(text, head);
  expect(rows.map((row) => row.head)).toEqual(expected.map(([h]) => h));
  const misread = rows
    .map((row, i) => [row.head, misreading(row.body, expected[i]![1])])
    .filter(([, problem]) => problem);
  expect(misread).toEqual([]);
}

/** One row per heading, for lists where a heading (a code) is followed by several entries' messages. */
function byHeading(entries: readonly Entry[], head: (entry: Entry) => string): Row[] {
  const rows: Array<[string, string[]]> = [];
  for (const entry of entries) {
    const last = rows.at(-1);
    if (last?.[0] === head(entry)) last[1].push(...printed(entry));
    else rows.push([head(entry), printed(entry)]);
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------------------------
// Checks every document gets

interface Transcribed {
  where: string;
  text: string;
  listed: boolean;
}

/** Everything a spec copies from its document: title, table names, notes, labels, placeholders and every text. */
function transcribed(spec: Spec): Transcribed[] {
  const all: Transcribed[] = [];
  const add = (where: string, text: string | undefined, listed = false) =>
    text !== undefined && all.push({ where, text, listed });
  const addNotes = (where: string, notes: readonly Note[]) =>
    notes.forEach((note, i) => {
      add(`${where} note ${i} heading`, note.heading);
      add(`${where} note ${i}`, note.text);
    });
  add("source.title", spec.source.title);
  addNotes("spec", spec.notes);
  for (const set of spec.codeSets) {
    add(`${set.id} table`, set.table);
    addNotes(set.id, set.notes);
    for (const attribute of set.attributes) {
      for (const [value, label] of Object.entries(attribute.labels ?? {}))
        add(`${set.id} ${attribute.key} label ${value}`, label);
    }
    for (const placeholder of set.placeholders) add(`${set.id} placeholder`, placeholder);
    for (const entry of set.entries) {
      for (const t of entry.texts) {
        const ditto = t.ditto ? ` (${t.ditto.mark} of ${t.ditto.from})` : "";
        add(`${set.id} ${entry.code} ${t.column}${ditto}`, t.text, LISTED_COLUMNS.has(`${set.id}.${t.column}`));
      }
    }
  }
  return all;
}

function itIsVerbatim(file: string): void {
  it("holds every text of every entry, every note, heading and label of its spec verbatim (whitespace aside)", () => {
    const document = documentOf(file);
    const spec = specOf(file);
    const all = transcribed(spec);
    // Not vacuous: at least one text per entry, besides titles and notes.
    expect(all.length).toBeGreaterThan(spec.codeSets.flatMap((set) => set.entries).length);
    expect(all.filter((t) => !occurs(document, t.text, t.listed)).map((t) => `${t.where}: ${t.text}`)).toEqual([]);
  });
}

/** A typo of the document survives in the spec, in as many distinct texts as the document prints it: not corrected. */
function itKeepsTypo(file: string, typo: string, times: number): void {
  it(`keeps the document's own typo "${typo}"`, () => {
    expect(documentOf(file).split(typo).length - 1).toBe(times);
    const texts = new Set(
      transcribed(specOf(file))
        .map((t) => t.text)
        .filter((text) => text.includes(typo)),
    );
    expect(texts.size).toBe(times);
  });
}

// ---------------------------------------------------------------------------------------------------------------

describe("the specs", () => {
  it("load and validate without diagnostics", () => {
    expect(problems).toEqual([]);
    expect(modelled.catalog).toBeDefined();
  });

  it("transcribe each source document in exactly one spec", () => {
    // Every document, whatever its format (.txt, .md, …); the folder's README describes them.
    const documents = readdirSync(path.join(SPEC_DIR, "sources"))
      .filter((name) => name !== "README.md")
      .map((name) => `sources/${name}`);
    const transcriptions = [...new Set(catalog().sets.map((set) => set.parts[0]!.document.file))].filter((file) =>
      file.startsWith("sources/"),
    );
    expect(documents.length).toBeGreaterThan(0);
    expect(transcriptions.sort()).toEqual(documents.sort());
  });
});

describe("000 SMP メール配信コード一覧", () => {
  const FILE = "sources/000_14764aadb8d94394.txt";
  const smp = () => setOf(FILE, "smp-delivery-code");

  it("has the 26 codes 40000 … 91003, and the table reads row by row as the entries (code, 説明, 対処方法 or 同上)", () => {
    const set = smp();
    expect(set.entries).toHaveLength(26);
    expect([set.entries[0]!.code, set.entries.at(-1)!.code]).toEqual([40000, 91003]);
    const table = between(documentOf(FILE), "コード説明対処方法");
    expect(
      misreading(
        table,
        set.entries.flatMap((e) => [String(e.code), ...printed(e)]),
      ),
    ).toBeUndefined();
  });

  it("invalidates an address after 1 error for 42521, 42551 and 42553 only, after 3 for all others", () => {
    expect(documentOf(FILE)).toContain("42521,42551,42553でエラーとなった場合、1回のエラーで");
    const once = [42521, 42551, 42553];
    const set = smp();
    expect(set.entries.map((e) => [e.code, e.attributes.invalidateAfterErrors])).toEqual(
      codesOf(set).map((code) => [code, once.includes(code as number) ? 1 : 3]),
    );
  });

  it("gives every 425xx code the reply code of its last three digits, except 42559 which carries 550", () => {
    expect(documentOf(FILE)).toContain(
      "42559メールデータ送信終了のピリオドの送信後、送信先メールサーバから「550」応答した",
    );
    const expected = (code: number) =>
      code === 42559 ? 550 : Math.floor(code / 100) === 425 ? code % 1000 : undefined;
    const set = smp();
    expect(set.entries.map((e) => [e.code, e.replyCodes[0]?.code])).toEqual(
      codesOf(set).map((code) => [code, expected(code as number)]),
    );
    expect(entryOf(set, 42559).replyCodes).toEqual([{ code: 550, standard: true, member: "MailboxUnavailable" }]);
  });

  it("records each 同上 as a ditto of the row it repeats, with that row's text", () => {
    const set = smp();
    const dittos = set.entries.flatMap((e) =>
      e.texts.filter((t) => t.ditto).map((t) => [e.code, t.column, t.ditto!.mark, t.ditto!.from]),
    );
    expect(dittos).toEqual([
      [40001, "action", "同上", 40000],
      [41601, "action", "同上", 41606],
      [41607, "action", "同上", 41606],
      [41609, "action", "同上", 41608],
      [42501, "action", "同上", 42500],
      [42502, "action", "同上", 42500],
      [42503, "action", "同上", 42500],
      [42504, "action", "同上", 42500],
    ]);
    expect(documentOf(FILE).split("同上").length - 1).toBe(dittos.length);
    for (const [code, , , from] of dittos) {
      const original = entryOf(set, from!);
      expect(original.texts.find((t) => t.column === "action")?.ditto).toBeUndefined();
      expect(textOf(entryOf(set, code!), "action"), `${code} repeats ${from}`).toBe(textOf(original, "action"));
    }
    expect(textOf(entryOf(set, 40001), "action")).toBe("メールは送られていますので、特に対処は必要ありません。");
    expect(textOf(entryOf(set, 42504), "action")).toBe(textOf(entryOf(set, 42500), "action"));
  });

  itIsVerbatim(FILE);
});

describe("001 配信エラーコード", () => {
  const FILE = "sources/001_dd24064266f92736.txt";
  const classes = () => setOf(FILE, "delivery-error-class");
  const details = () => setOf(FILE, "delivery-error-detail");

  it("has the 3 classes 2.x.x, 4.x.x, 5.x.x, as the class table lists them", () => {
    const set = classes();
    expect(codesOf(set)).toEqual(["2.x.x", "4.x.x", "5.x.x"]);
    const table = [
      "エラーコード | 内容 |",
      "---|---|",
      ...set.entries.map((e) => `${e.code} | ${textOf(e, "meaning")} |`),
    ];
    expect(occurs(documentOf(FILE), table.join("\n"))).toBe(true);
  });

  it("gives 4.x.x the retry policy 24 h, every 3 min at first, at most every 15 min, counting as 1 error", () => {
    const document = documentOf(FILE);
    for (const words of ["24時間再送を試みます", "3分に1回再送し", "最大15分間隔で再送", "エラー1回とカウント"])
      expect(document).toContain(words);
    const set = classes();
    expect(set.entries.map((e) => [e.code, e.attributes])).toEqual([
      ["2.x.x", {}],
      ["4.x.x", { retryHours: 24, initialRetryIntervalMinutes: 3, maxRetryIntervalMinutes: 15, errorCount: 1 }],
      ["5.x.x", {}],
    ]);
  });

  it("keeps the explanations under 4.x.x and 5.x.x as their bullet items, the one exception to verbatim", () => {
    const document = documentOf(FILE);
    const explained = classes().entries.filter((e) => textOf(e, "details") !== undefined);
    expect(explained.map((e) => e.code)).toEqual(["4.x.x", "5.x.x"]);
    for (const entry of explained) {
      const details = textOf(entry, "details")!;
      // Needed: with the markers the document prints, the text does not occur as is.
      expect(occurs(document, details), `${entry.code} details as is`).toBe(false);
      // And right: the items follow the class's own heading, in order, with nothing but "-" between them.
      expect(
        occurs(document, `${entry.code} ${textOf(entry, "meaning")}\n${details}`, true),
        `${entry.code} details`,
      ).toBe(true);
    }
  });

  it("keeps the note that 5.0.0 is the undefined permanent error, verbatim", () => {
    const lines = documentOf(FILE)
      .split("\n")
      .filter((line) => line.includes("5.0.0"));
    expect(lines).toHaveLength(1);
    expect(classes().notes.map((n) => squash(n.text))).toContain(squash(lines[0]!));
    expect(classes().notes.map((n) => n.text)).toContain(
      "※ エラーコードが 5.0.0 は未定義の恒久的なエラーです。未定義のため、エラーの原因は特定できません。",
    );
  });

  it("has the 48 details x.1.0–x.1.8, x.2.0–x.2.4, x.3.0–x.3.5, x.4.0–x.4.7, x.5.0–x.5.5, x.6.0–x.6.5, x.7.0–x.7.7", () => {
    const last = { 1: 8, 2: 4, 3: 5, 4: 7, 5: 5, 6: 5, 7: 7 };
    const expected = Object.entries(last).flatMap(([subject, n]) =>
      Array.from({ length: n + 1 }, (_, detail) => `x.${subject}.${detail}`),
    );
    expect(expected).toHaveLength(48);
    expect(codesOf(details())).toEqual(expected);
    expect([...documentOf(FILE).matchAll(/^x\.\d\.\d(?= \|)/gm)].map((m) => m[0])).toEqual(expected);
  });

  it("reads each x.N.x table as its sentence, its heading row and its entries (code | 内容 |) in order", () => {
    const set = details();
    const groups = [...new Set(set.entries.map((e) => textOf(e, "group")!))];
    expect(groups).toHaveLength(7);
    for (const group of groups) {
      const rows = set.entries.filter((e) => textOf(e, "group") === group);
      expect(group.startsWith(String(rows[0]!.code).replace(/\d$/, "x")), group).toBe(true);
      const table = [
        group,
        "エラーコード | 内容 |",
        "---|---|",
        ...rows.map((e) => `${e.code} | ${textOf(e, "meaning")} |`),
      ];
      expect(occurs(documentOf(FILE), table.join("\n")), group).toBe(true);
    }
  });

  itKeepsTypo(FILE, "プロコトル", 2);
  itIsVerbatim(FILE);
});

describe("002 Arara SMTP応答コード一覧", () => {
  const FILE = "sources/002_d468e94aee9832f5.txt";
  const codes = () => setOf(FILE, "arara-code");
  const classes = () => setOf(FILE, "arara-code-class");
  /** The 7** and 8** rows: the capture leaves them empty (one 6** cell spans all three); the spec repeats 6**. */
  const SPANNED_BY_6XX = ["7**", "8**"];

  it("has the 5 classes 2**, 5**, 6**, 7**, 8**, reading as the class table (7** and 8** repeating 6**)", () => {
    const set = classes();
    expect(codesOf(set)).toEqual(["2**", "5**", "6**", "7**", "8**"]);
    const table = between(documentOf(FILE), "コード | 説明 | 補足 |", "SMTP応答コード一覧");
    const cells = rowsOf(table, /\d\*\* \|/).map((row) => [
      row.head,
      row.body
        .split("|")
        .map((c) => squash(c))
        .filter(Boolean),
    ]);
    expect(cells).toEqual(
      set.entries.map((e) => [`${e.code} |`, SPANNED_BY_6XX.includes(String(e.code)) ? [] : printed(e).map(squash)]),
    );
    for (const code of SPANNED_BY_6XX) expect(entryOf(set, code).texts).toEqual(entryOf(set, "6**").texts);
  });

  it("has the 73 codes -3 … 850 in document order, each row's 問題箇所, 内容, カウント and 原因 in place", () => {
    const set = codes();
    expect(set.entries).toHaveLength(73);
    expect([set.entries[0]!.code, set.entries.at(-1)!.code]).toEqual([-3, 850]);
    const labels = set.attributes.find((a) => a.key === "location")!.labels!;
    const table = between(documentOf(FILE), "コード | 問題箇所 | 内容 | カウント | 原因 |");
    // A row is "code | 問題箇所 | 内容 | カウント | 原因 |", but where カウント is blank the capture drops that cell
    // and the 原因 moves up into its place ("-500 | システム | … | バウンスメール内に… | |"): a number is the count.
    // A row starts with its code and 問題箇所; a line "1 | |" is the カウント of the row above, run onto its own line.
    const fromDocument = rowsOf(table, /-?\d+ \|(?= (?:システム|ユーザ|–) \|)/).map((row) => {
      const [location, meaning, ...rest] = row.body.split("|").map((c) => squash(c));
      const filled = rest.filter(Boolean);
      const count = /^\d+(\.\d+)?$/.test(filled[0] ?? "") ? Number(filled.shift()) : undefined;
      return { code: parseInt(row.head, 10), location, meaning, count, cause: filled.shift(), rest: filled };
    });
    const fromSpec = set.entries.map((e) => ({
      code: e.code,
      location: labels[String(e.attributes.location)],
      meaning: [textOf(e, "meaningEn"), textOf(e, "meaning")].filter(Boolean).join(" "),
      count: e.attributes.count,
      cause: textOf(e, "cause"),
      rest: [],
    }));
    expect(fromSpec).toEqual(fromDocument);
  });

  it("gives カウント only as the numbers 1, 0.5 and 0.1", () => {
    const counts = codes()
      .entries.map((e) => e.attributes.count)
      .filter((count) => count !== undefined);
    expect(counts.every((count) => typeof count === "number")).toBe(true);
    expect([...new Set(counts)].sort((x, y) => Number(x) - Number(y))).toEqual([0.1, 0.5, 1]);
  });

  it("places the cells of sample rows as the document does", () => {
    const set = codes();
    const row = (code: number) => {
      const e = entryOf(set, code);
      return {
        location: e.attributes.location,
        count: e.attributes.count,
        meaning: textOf(e, "meaning"),
        cause: textOf(e, "cause"),
      };
    };
    expect(row(552)).toEqual({
      location: "user",
      count: 0.1,
      meaning: "ディスク不足のため、要求された処理は実行不能",
      cause: "相手側サーバまたはユーザ用のディスクスペースが不足しメールを保存できない",
    });
    expect(row(-500)).toEqual({
      location: "system",
      count: undefined,
      meaning: "バウンスメールのエラーコードが取得できなかった",
      cause: "バウンスメール内にエラーコードが入っていないか、取得できなかった。障害ではない。",
    });
    expect(row(250)).toEqual({
      location: "none",
      count: undefined,
      meaning: "要求された処理は実行可能完了",
      cause: "送信完了",
    });
    expect(row(501)).toEqual({ location: "user", count: 1, meaning: "引数の文法に間違いがある", cause: undefined });
    expect(row(801)).toEqual({
      location: "user",
      count: 0.5,
      meaning: "ユーザのアカウントが無効になっている",
      cause: "エンドユーザとキャリア、プロバイダ間での何かしらの事由",
    });
    expect(textOf(entryOf(set, 250), "meaningEn")).toBe("Requested mail action okay, completed");
  });

  itKeepsTypo(FILE, "faild", 3);
  itIsVerbatim(FILE);
});

describe("003 BearMail メールのエラーコード(SMTPステータスコード)の意味と対策", () => {
  const FILE = "sources/003_e4b8305ee81c0c82.txt";
  const set = (id: string) => setOf(FILE, id);
  const reply = (e: Entry) => String(e.replyCodes[0]?.code);

  it("has the 4 first digits and the 4 second digits of the numbering rule, as listed", () => {
    const document = documentOf(FILE);
    const first = set("reply-code-first-digit");
    expect(codesOf(first)).toEqual(["2xx", "3xx", "4xx", "5xx"]);
    expectRows(
      between(document, "●1桁目", "●2桁目"),
      /[2-5]xx/,
      first.entries.map((e) => [String(e.code), printed(e)]),
    );
    const second = set("reply-code-second-digit");
    expect(codesOf(second)).toEqual(["x0x", "x1x", "x2x", "x5x"]);
    expectRows(
      between(document, "●2桁目", "●3桁目"),
      /x\dx/,
      second.entries.map((e) => [String(e.code), [`(${textOf(e, "label")})…${textOf(e, "meaning")}`]]),
    );
  });

  it("has the 14 reply codes to watch, the second 552 (mailbox name not allowed) recorded as 553", () => {
    const document = documentOf(FILE);
    const codes = set("bearmail-reply-code");
    expect(codes.entries.map(printedCode)).toEqual([
      "421",
      "450",
      "451",
      "452",
      "500",
      "501",
      "502",
      "503",
      "504",
      "550",
      "551",
      "552",
      "552",
      "554",
    ]);
    expect(entryOf(codes, 553).erratum?.sourceReads).toBe(552);
    expect(codes.entries.filter((e) => e.erratum).map((e) => e.code)).toEqual([553]);
    const rows = (digit: string) =>
      codes.entries.filter((e) => printedCode(e).startsWith(digit)).map((e): Row => [printedCode(e), printed(e)]);
    expectRows(between(document, "●一時的なエラー(1桁目が”4″のエラー)", "●永続的なエラー"), /\d{3}/, rows("4"));
    expectRows(between(document, "●永続的なエラー(1桁目が”5″のエラー)", "4から始まる"), /\d{3}/, rows("5"));
  });

  it("has the 35 Gmail messages in 19 (reply code, enhanced code) pairs, each under its pair's heading", () => {
    const gmail = set("gmail");
    expect(gmail.entries).toHaveLength(35);
    const pair = (e: Entry) => `${reply(e)}, “${e.enhancedCodes[0]?.code}”`;
    expect(new Set(gmail.entries.map(pair)).size).toBe(19);
    const section = between(documentOf(FILE), "\nGmail\n", "※参考:SMTPエラーリファレンス");
    expect(rowsOf(section, /\d{3}, “\d\.\d\.\d”/)).toHaveLength(19);
    expectRows(section, /\d{3}, “\d\.\d\.\d”/, byHeading(gmail.entries, pair));
  });

  it("has the 11 Yahoo!メール messages under their codes, placeholders kept verbatim", () => {
    const yahoo = set("yahoo-mail");
    expect(yahoo.entries).toHaveLength(11);
    const section = between(documentOf(FILE), "\nYahoo!メール\n", "※参考:メール送信エラー");
    expect(rowsOf(section, /\d{3}/).map((row) => row.head)).toEqual(["441", "443", "550", "553", "554"]);
    expectRows(section, /\d{3}/, byHeading(yahoo.entries, reply));
    for (const placeholder of ["(受信者のメールアドレス)", "IPアドレス"]) {
      expect(yahoo.placeholders).toContain(placeholder);
      expect(section).toContain(placeholder);
      expect(
        yahoo.entries.filter((e) => textOf(e, "message")!.includes(placeholder)).length,
        placeholder,
      ).toBeGreaterThan(1);
    }
  });

  it("has the 11 Outlook.com codes, with reply code 421 for RP-, 550 for the others", () => {
    const outlook = set("outlook-com");
    const expected = [
      "RP-001",
      "RP-002",
      "RP-003",
      "SC-001",
      "SC-002",
      "SC-003",
      "SC-004",
      "DY-001",
      "DY-002",
      "OU-001",
      "OU-002",
    ];
    expect(codesOf(outlook)).toEqual(expected);
    expect(outlook.entries.map((e) => [e.code, e.replyCodes[0]?.code])).toEqual(
      expected.map((code) => [code, code.startsWith("RP-") ? 421 : 550]),
    );
    const section = between(documentOf(FILE), "\nOutlook\n", "※参考:トラブルシューティング");
    expectRows(
      section,
      /\d{3} [A-Z]{2}-\d{3}/,
      outlook.entries.map((e) => [`${reply(e)} ${e.code}`, printed(e)]),
    );
  });

  itKeepsTypo(FILE, "可能性がります", 1);
  itIsVerbatim(FILE);
});

describe("004 Mail / エラーメール & SMTP応答コード一覧", () => {
  const FILE = "sources/004_1e9cd35e00807a54.txt";

  it("has the 10 error-mail messages, the table reading as their メッセージ, 意味 and 原因 in order", () => {
    const messages = setOf(FILE, "error-mail-message");
    expect(messages.entries).toHaveLength(10);
    const table = between(documentOf(FILE), "メッセージ 意味 原因", "SMTP応答コード一覧\n応答コード");
    expect(misreading(table, messages.entries.flatMap(printed))).toBeUndefined();
  });

  it("marks as appearing in From or Subject exactly the messages whose 意味 says so", () => {
    const messages = setOf(FILE, "error-mail-message");
    const labels = messages.attributes.find((a) => a.key === "appearsIn")!.labels!;
    const said = (e: Entry) => Object.keys(labels).find((value) => textOf(e, "meaning")!.includes(labels[value]!));
    expect(messages.entries.map((e) => [e.member, e.attributes.appearsIn])).toEqual(
      messages.entries.map((e) => [e.member, said(e)]),
    );
    expect(messages.entries.filter((e) => e.attributes.appearsIn).length).toBe(3);
  });

  it("has the 22 reply codes in document order, the first printed 221 recorded as 211, and 221 again later", () => {
    const codes = setOf(FILE, "help-reply-code");
    expect(codes.entries).toHaveLength(22);
    expect(codes.entries[0]!.code).toBe(211);
    expect(codes.entries[0]!.erratum?.sourceReads).toBe(221);
    expect(codes.entries.findIndex((e) => e.code === 221)).toBeGreaterThan(0);
    const table = between(documentOf(FILE), "応答コード 意味");
    expect(rowsOf(table, /\d{3}/)[0]!.head).toBe("221");
    expectRows(
      table,
      /\d{3}/,
      codes.entries.map((e) => [printedCode(e), printed(e)]),
    );
  });

  itIsVerbatim(FILE);
});
