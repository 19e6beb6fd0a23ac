// Hostile but valid text: whatever a spec's free text holds, the generated code type-checks, lookups return it
// byte for byte, and nothing in it can end a string or a comment, start a JSDoc tag, or add a statement.
import { copyFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ts } from "ts-morph";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { copyRegistries, REGISTRY_DIR, run, tempDir, touchDocuments, typecheck } from "./helpers.ts";

/** Every piece names `pwned`: had any of them escaped its string or comment, `pwned` would be an identifier in the code. */
const LONG_MIXED = ("long */ pwned(); /* line with ${x} and `tick` " + "x".repeat(60)).repeat(1000).slice(0, 100_000);
const PIECES: Record<string, string> = {
  closeComment: "ends */ pwned(); /* here",
  onlyClose: "*/",
  openComment: "/* pwned(); not a comment",
  openJsDoc: "/** pwned(); nor a doc */",
  starsAround: "**/ pwned(); /**/ ***/",
  escapedLookalike: "*\\/ pwned(); *\\\\/",
  template: "${x} ${pwned()} `${pwned()}` ${`nested`}",
  backticks: "```ts\npwned()\n```",
  quotes: `'single' "double" \\' \\" ''' """ pwned()`,
  backslashes: "C:\\dir\\ \\\\ \\u0041 \\x41 \\n \\0 \\u{1F600} \\",
  lineSeparators: "before\u2028pwned();\u2029after\u2028",
  controls: "\u0001\u001B[31mred\u001B[0m\u007F tab\there CR\ralone pwned()",
  nul: "nul\u0000here, C1 \u009B31m pwned()",
  crlf: "windows\r\npwned()\r\n",
  nextLine: "next\u0085line pwned()",
  emoji: "👩‍👩‍👧‍👦 🏳️‍🌈 👍🏽 😀 𝕏 🇯🇵 \u{1F600}\u{1F1EF}\u{1F1F5}",
  rtl: "\u200Fright-to-left\u202Eexe.pwned\u202C \u200E",
  paramAtStart: "@param code pwned",
  tagsAfterNewline: "first line\n@param code pwned\n  @deprecated indented\n\t@returns tabbed\n * @see star",
  zeroWidthTag: "\u200B@deprecated after a zero-width space",
  midLineTag: "use it @deprecated in the middle of a line",
  script: "</script><script>pwned()</script><!-- -->",
  long100k: LONG_MIXED,
  longNoSpace: "y".repeat(100_000),
  ditto: "同上",
};
const ALL = Object.entries(PIECES)
  .filter(([key]) => !key.startsWith("long"))
  .map(([, text]) => text)
  .join("\n");

const SET_ID = "hostile-code";
const NAME = "HostileCode";
const REMARK_DITTO = "〃";

const source = {
  file: "sources/hostile.txt",
  title: ALL,
  publisher: ALL,
  url: "https://example.com/*/?q=${x}&a=`b`",
  language: "en",
};
const documentNotes = [{ heading: ALL, text: ALL }, ...Object.values(PIECES).map((text) => ({ text }))];
const setNotes = Object.values(PIECES).map((text) => ({ heading: text, text }));
const columns = [
  { key: "text", heading: ALL, language: "en", description: ALL },
  {
    key: "remark",
    heading: `remark ${PIECES["closeComment"]}`,
    language: "ja",
    description: ALL,
    required: false,
    ditto: REMARK_DITTO,
  },
];
const KIND = ["*/", "${x}", "\u2028", "同上"];
const attributes = [
  { key: "detail", heading: ALL, type: "string", description: ALL },
  {
    key: "kind",
    type: "string",
    enum: KIND,
    labels: Object.fromEntries(KIND.map((k) => [k, `label ${k} ${ALL}`])),
    description: ALL,
  },
];

interface RawEntry {
  code: number;
  name: string;
  texts: Record<string, string>;
  attributes: Record<string, string>;
  outcome: "failure";
  outcomeBasis: "document";
  replyCode?: { code: number; standard: false; note: string };
  enhancedCode?: { code: string; standard: false; note: string };
  erratum?: { sourceReads: string; note: string };
}

const entries: RawEntry[] = Object.entries(PIECES).map(([key, text], i) => ({
  code: i + 1,
  name: key,
  texts: { text },
  attributes: { detail: text, ...(i % 3 === 0 && { kind: KIND[i % KIND.length]! }) },
  outcome: "failure",
  outcomeBasis: "document",
  ...(i % 3 === 1 && { replyCode: { code: 990 + (i % 9), standard: false, note: text } }),
  ...(i % 3 === 2 && { enhancedCode: { code: `9.${i}.${i}`, standard: false, note: text } }),
  ...(i % 4 === 1 && { erratum: { sourceReads: `reads ${text}`, note: text } }),
}));
// Remarks: every third row repeats the row above with the ditto mark (a ditto of a ditto repeats the original row),
// some rows have none (the column is optional), never right above a ditto.
const isDitto = (i: number) => i > 0 && (i % 3 === 0 || entries[i]!.name === "ditto");
entries.forEach((entry, i) => {
  if (isDitto(i)) entry.texts["remark"] = REMARK_DITTO;
  else if (i % 5 === 4 && !(i + 1 < entries.length && isDitto(i + 1))) return;
  else entry.texts["remark"] = i === 0 ? "first remark */ pwned();" : `remark ${entry.texts["text"]!}`;
});
entries.push({
  code: 1000,
  name: "everything",
  texts: { text: ALL, remark: ALL },
  attributes: { detail: ALL },
  outcome: "failure",
  outcomeBasis: "document",
  erratum: { sourceReads: ALL, note: ALL },
});

const SPEC = {
  source,
  notes: documentNotes,
  codeSets: [
    {
      id: SET_ID,
      name: NAME,
      table: ALL,
      description: ALL,
      codeFormat: "integer",
      columns,
      attributes,
      placeholders: ["${x}", "*/", "\u2028"],
      notes: setNotes,
      entries,
    },
  ],
};

const member = (name: string) => name[0]!.toUpperCase() + name.slice(1);

/** What lookupHostileCode(code) must return, computed from the spec data alone (not from the generator's model). */
function expectedInfo(entry: RawEntry, index: number): Record<string, unknown> {
  const texts = { ...entry.texts };
  let ditto: Record<string, unknown> | undefined;
  if (texts["remark"] === REMARK_DITTO) {
    let from = index - 1;
    while (entries[from]!.texts["remark"] === REMARK_DITTO) from--;
    texts["remark"] = entries[from]!.texts["remark"]!;
    ditto = { remark: { mark: REMARK_DITTO, from: entries[from]!.code } };
  }
  return {
    source: SET_ID,
    code: entry.code,
    name: member(entry.name),
    outcome: entry.outcome,
    outcomeBasis: entry.outcomeBasis,
    texts,
    attributes: entry.attributes,
    ...(entry.replyCode && { nonStandardReplyCode: { code: entry.replyCode.code, note: entry.replyCode.note } }),
    ...(entry.enhancedCode && {
      nonStandardEnhancedCode: { code: entry.enhancedCode.code, note: entry.enhancedCode.note },
    }),
    ...(entry.erratum && { erratum: entry.erratum }),
    ...(ditto && { ditto }),
  };
}

let root: string;
let specDir: string;
let outDir: string;
let moduleText: string;
let generate: { code: number; out: string; err: string };

// One generation for the whole file (helpers.tempDir is removed after each test).
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "mailcodes-hostile-"));
  specDir = path.join(root, "spec");
  outDir = path.join(root, "generated");
  await mkdir(specDir);
  await copyRegistries(specDir);
  const yamlText = stringify(SPEC, { aliasDuplicateObjects: false });
  expect(parse(yamlText)).toStrictEqual(SPEC); // the YAML says exactly what the test expects
  await writeFile(path.join(specDir, "hostile.yaml"), yamlText);
  await touchDocuments(specDir, [`file: ${SPEC.source.file}`]);
  generate = await run("generate", "--spec-dir", specDir, "--out-dir", outDir);
  moduleText = generate.code === 0 ? await readFile(path.join(outDir, `${SET_ID}.ts`), "utf8") : "";
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("hostile but valid text", () => {
  it("generates, and check then finds the out dir current", async () => {
    expect(generate).toMatchObject({ code: 0, err: "" });
    expect(await run("check", "--spec-dir", specDir, "--out-dir", outDir)).toMatchObject({ code: 0, err: "" });
  });

  it("generates code that type-checks", async () => {
    const dir = path.join(root, "typecheck");
    await cp(outDir, dir, { recursive: true });
    expect(await typecheck(dir)).toBe("");
  });

  it("returns every text, note and value byte for byte from the lookups and the table", async () => {
    const mod = (await import(pathToFileURL(path.join(outDir, `${SET_ID}.ts`)).href)) as Record<string, unknown>;
    const lookup = mod[`lookup${NAME}`] as (code: unknown) => Record<string, unknown> | undefined;
    entries.forEach((entry, i) => {
      const info = lookup(entry.code)!;
      const expected = expectedInfo(entry, i);
      expect(info, entry.name).toStrictEqual(expected);
      for (const [column, text] of Object.entries(expected["texts"] as Record<string, string>)) {
        const actual = (info["texts"] as Record<string, string>)[column]!;
        expect(Buffer.from(actual, "utf8").equals(Buffer.from(text, "utf8")), `${entry.name}.${column}`).toBe(true);
        expect(actual.length).toBe(text.length);
      }
    });
    // 同上 in a column without a ditto mark is just text: no ditto recorded, nothing repeated.
    const plain = lookup(entries.find((e) => e.name === "ditto")!.code)!;
    expect((plain["texts"] as Record<string, string>)["text"]).toBe("同上");
    expect(plain["ditto"]).toStrictEqual({ remark: { mark: REMARK_DITTO, from: expect.any(Number) } });

    expect(mod[`hostileCodeTable`]).toStrictEqual({
      id: SET_ID,
      table: ALL,
      description: ALL,
      document: source,
      documentNotes,
      notes: setNotes,
      columns: columns.map(({ key, heading, language }) => ({ key, heading, language })),
      placeholders: ["${x}", "*/", "\u2028"],
    });
    expect((mod[NAME] as Record<string, unknown>)["CloseComment"]).toBe(1);
  });

  it("exports exactly the expected names, at run time and in the module's declarations", async () => {
    const mod = (await import(pathToFileURL(path.join(outDir, `${SET_ID}.ts`)).href)) as Record<string, unknown>;
    expect(Object.keys(mod).sort()).toEqual(
      [
        NAME,
        "hostileCodeEntries",
        "hostileCodeFromName",
        "hostileCodeInfos",
        "hostileCodeTable",
        "isHostileCode",
        "lookupHostileCode",
        "parseHostileCode",
        "parseHostileCodeEntry",
      ].sort(),
    );
    const declared = exportedDeclarations(parseModule(moduleText));
    expect(declared).toEqual([
      `const ${NAME}`,
      `type ${NAME}`,
      `type ${NAME}Failure`,
      `interface ${NAME}InfoOf`,
      `type ${NAME}Info`,
      "const hostileCodeTable",
      "const hostileCodeEntries",
      "const hostileCodeInfos",
      "function isHostileCode",
      "function lookupHostileCode",
      "function lookupHostileCode",
      "function lookupHostileCode",
      "function hostileCodeFromName",
      "function parseHostileCode",
      "function parseHostileCodeEntry",
    ]);
    const index = (await import(pathToFileURL(path.join(outDir, "index.ts")).href)) as Record<string, unknown>;
    expect(Object.keys(index)).toContain("lookup");
    expect(Object.keys(index)).toContain(`lookup${NAME}`);
  });

  it("keeps every text inside its string or comment: the module parses cleanly and `pwned` is never code", () => {
    const source = parseModule(moduleText);
    expect(parseDiagnostics(source)).toEqual([]);
    expect(identifiers(source)).not.toContain("pwned");
    expect(identifiers(source)).not.toContain("x");
    // The object of codes has one property per entry and nothing else.
    const object = findConst(source, NAME);
    expect(object.properties.map((p) => (p.name as ts.Identifier).text)).toEqual(entries.map((e) => member(e.name)));
    // The list of entries has one element per entry.
    expect(findConst(source, "hostileCodeEntries", ts.isArrayLiteralExpression).elements).toHaveLength(entries.length);
  });

  it("never lets */ end a JSDoc block early: each block holds its text escaped, and nothing else", () => {
    const comments = blockComments(moduleText);
    for (const comment of comments) {
      const body = comment.slice(3, -2);
      expect(body).not.toContain("*/");
      expect(comment.startsWith("/**") || comment === "/* @__PURE__ */").toBe(true);
    }
    const docOf = (name: string) => jsDocText(findProperty(parseModule(moduleText), NAME, member(name)));
    expect(docOf("closeComment")).toContain("ends *\\/ pwned(); /* here");
    expect(docOf("onlyClose")).toContain("*\\/");
    expect(docOf("openJsDoc")).toContain("/** pwned(); nor a doc *\\/");
    expect(docOf("starsAround")).toContain("**\\/ pwned(); /**\\/ ***\\/");
    // Every line of a multi-line text is a line of the comment, after the " * " margin.
    expect(docOf("tagsAfterNewline")).toMatch(
      /\n {5}\* [^\n]*first line\n {5}\* \\@param code pwned\n {5}\* {3}\\@deprecated indented\n {5}\* \t\\@returns tabbed\n/,
    );
  });

  it("writes control characters from texts escaped in comments, as CLI messages show them: no NUL, no terminal escape (issue 19, item 19)", () => {
    const comments = blockComments(moduleText);
    expect(comments.length).toBeGreaterThan(entries.length);
    for (const comment of comments)
      expect(comment).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(moduleText).not.toMatch(/[\u0000\u001b]/); // the printer escapes them in string literals
    const docOf = (name: string) => jsDocText(findProperty(parseModule(moduleText), NAME, member(name)));
    expect(docOf("nul")).toContain("nul\\u0000here, C1 \\u009b31m pwned()");
    expect(docOf("controls")).toContain("\\u0001\\u001b[31mred\\u001b[0m\\u007f tab\there CR");
    expect(docOf("rtl")).toContain("\u200Fright-to-left\\u202eexe.pwned\\u202c \u200E");
  });

  it("lets no text start a JSDoc tag (TypeScript's parser finds only the set's own @see in the generated module)", () => {
    // Each tag found, with the comment line it starts on: the input that made it is recognisable there.
    const tags = new Set<string>();
    const visit = (node: ts.Node): void => {
      for (const tag of ts.getJSDocTags(node)) {
        const start = tag.getStart();
        const line = moduleText.slice(moduleText.lastIndexOf("\n", start) + 1, moduleText.indexOf("\n", start)).trim();
        tags.add(`@${tag.tagName.text} <- ${JSON.stringify(line.slice(0, 60))}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(parseModule(moduleText));
    expect([...tags].sort()).toEqual([
      expect.stringMatching(/^@see <- "\* @see \{@link https:\/\/example\.com\/%2A\/\?q=\$\{x%7D&a=`b` \| /),
    ]);
  });
});

describe("hostile text in a row of its own", () => {
  // Kept out of the big spec above so that its other assertions stay informative while this one fails: the printer
  // takes the closing quote of "…\\" for an escaped one, then the "/*" of the next text for the start of a comment,
  // and writes a "*/" of its own before the next JSDoc.
  it("a text ending in a backslash, then a text holding /*, generates code that parses and returns both", async () => {
    const dir = await tempDir();
    const spec = path.join(dir, "spec");
    const out = path.join(dir, "generated");
    await mkdir(spec);
    const texts = { a: "ends with a backslash \\", b: "/* then a comment opener" };
    const set = {
      source: { file: "sources/x.txt", title: "T", publisher: "P", language: "en" },
      codeSets: [
        {
          id: "slash-code",
          name: "Slash Code",
          table: "t",
          description: "d",
          codeFormat: "integer",
          outcomes: false,
          columns: ["a", "b"].map((key) => ({ key, heading: key, language: "en", description: "d" })),
          entries: [{ code: 1, name: "One", texts }],
        },
      ],
    };
    await writeFile(path.join(spec, "slash.yaml"), stringify(set, { aliasDuplicateObjects: false }));
    await touchDocuments(spec, ["file: sources/x.txt"]);
    expect(await run("generate", "--spec-dir", spec, "--out-dir", out)).toMatchObject({ code: 0, err: "" });
    const source = parseModule(await readFile(path.join(out, "slash-code.ts"), "utf8"));
    expect(parseDiagnostics(source)).toEqual([]);
    const mod = (await import(pathToFileURL(path.join(out, "slash-code.ts")).href)) as Record<
      string,
      (code: unknown) => { texts: unknown }
    >;
    expect(mod["lookupSlashCode"]!(1).texts).toStrictEqual(texts);
  });
});

describe("hostile text outside the specs' values", () => {
  it('a lone surrogate (YAML "\\ud800") is refused with a diagnostic, or generated so that check finds it current', async () => {
    const dir = await tempDir();
    const spec = path.join(dir, "spec");
    const out = path.join(dir, "generated");
    await mkdir(spec);
    const lone = {
      source: { file: "sources/lone.txt", title: "Lone", publisher: "P", language: "en" },
      codeSets: [
        {
          id: "lone-code",
          name: "Lone Code",
          table: "t",
          description: "d",
          codeFormat: "integer",
          outcomes: false,
          columns: [{ key: "text", heading: "h", language: "en", description: "d" }],
          entries: [{ code: 1, name: "One", texts: { text: "lone \uD800 surrogate" } }],
        },
      ],
    };
    await writeFile(path.join(spec, "lone.yaml"), stringify(lone, { aliasDuplicateObjects: false }));
    await touchDocuments(spec, ["file: sources/lone.txt"]);
    const generated = await run("generate", "--spec-dir", spec, "--out-dir", out);
    if (generated.code === 2) {
      expect(generated.err).toMatch(/^.+\/lone\.yaml:\d+:\d+: .+/);
      return;
    }
    expect(generated.code).toBe(0);
    const check = await run("check", "--spec-dir", spec, "--out-dir", out);
    expect(check, "generate then check must agree").toMatchObject({ code: 0, err: "" });
    const again = await run("generate", "--spec-dir", spec, "--out-dir", out);
    expect(again.out).toMatch(/ 0 written, 0 removed/);
  });

  it("a spec file name holding a line break cannot add code through the generated header", async () => {
    const dir = await tempDir();
    const spec = path.join(dir, "spec");
    const out = path.join(dir, "generated");
    await mkdir(spec);
    const name = "x\nexport const pwned = 1;\u2028export const pwned2 = 2;\n.yaml";
    await copyFile(path.join(REGISTRY_DIR, "rfc5321.yaml"), path.join(spec, name));
    await cp(path.join(REGISTRY_DIR, "reference"), path.join(spec, "reference"), { recursive: true });
    const generated = await run("generate", "--spec-dir", spec, "--out-dir", out);
    if (generated.code === 2) return; // refusing such a name is fine too
    expect(generated.code).toBe(0);
    for (const file of ["smtp-reply-code.ts", "index.ts"]) {
      const source = parseModule(await readFile(path.join(out, file), "utf8"));
      expect(identifiers(source), file).not.toContain("pwned");
      expect(identifiers(source), file).not.toContain("pwned2");
      expect(parseDiagnostics(source), file).toEqual([]);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------

function parseModule(text: string): ts.SourceFile {
  return ts.createSourceFile(`${SET_ID}.ts`, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
}

function parseDiagnostics(source: ts.SourceFile): string[] {
  const diagnostics = (source as unknown as { parseDiagnostics: readonly ts.Diagnostic[] }).parseDiagnostics;
  return diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

/** Every identifier in the module's code (comments and string contents are not code). */
function identifiers(source: ts.SourceFile): string[] {
  const found = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) found.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return [...found].sort();
}

/** "const X", "type X", ... for every exported top-level declaration, in order. */
function exportedDeclarations(source: ts.SourceFile): string[] {
  const out: string[] = [];
  for (const statement of source.statements) {
    const exported =
      ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!exported) continue;
    if (ts.isVariableStatement(statement))
      for (const d of statement.declarationList.declarations) out.push(`const ${d.name.getText()}`);
    else if (ts.isTypeAliasDeclaration(statement)) out.push(`type ${statement.name.text}`);
    else if (ts.isInterfaceDeclaration(statement)) out.push(`interface ${statement.name.text}`);
    else if (ts.isFunctionDeclaration(statement)) out.push(`function ${statement.name!.text}`);
    else out.push(`${ts.SyntaxKind[statement.kind]} ${statement.getText().slice(0, 40)}`);
  }
  return out;
}

/** The initializer of a top-level const, unwrapped from `as const`. */
function findConst<T extends ts.Node = ts.ObjectLiteralExpression>(
  source: ts.SourceFile,
  name: string,
  is: (node: ts.Node) => node is T = ts.isObjectLiteralExpression as never,
): T {
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (declaration.name.getText() !== name) continue;
      let init: ts.Node | undefined = declaration.initializer;
      while (init && ts.isAsExpression(init)) init = init.expression;
      if (init && is(init)) return init;
    }
  }
  throw new Error(`no const ${name} of the expected form`);
}

function findProperty(source: ts.SourceFile, objectName: string, property: string): ts.PropertyAssignment {
  const found = findConst(source, objectName).properties.find((p) => (p.name as ts.Identifier).text === property);
  if (!found || !ts.isPropertyAssignment(found)) throw new Error(`no property ${property}`);
  return found;
}

function jsDocText(node: ts.Node): string {
  return ts
    .getJSDocCommentsAndTags(node)
    .map((doc) => doc.getText())
    .join("\n");
}

/** The text of every block comment, found by TypeScript's scanner (so strings and regexps are skipped as such). */
function blockComments(text: string): string[] {
  const source = parseModule(text);
  const comments = new Set<string>();
  const visit = (node: ts.Node): void => {
    for (const range of ts.getLeadingCommentRanges(text, node.getFullStart()) ?? []) {
      if (range.kind === ts.SyntaxKind.MultiLineCommentTrivia)
        comments.add(`${range.pos}:${text.slice(range.pos, range.end)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return [...comments].map((c) => c.slice(c.indexOf(":") + 1));
}
