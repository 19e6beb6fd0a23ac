// load: spec files → their data, after the checks only the YAML parser can make (syntax, duplicate keys, aliases…).
import { constants, type Stats } from "node:fs";
import { lstat, open, readdir } from "node:fs/promises";
import path from "node:path";
import {
  Composer,
  CST,
  type Document,
  isAlias,
  isCollection,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  Lexer,
  LineCounter,
  Parser,
  type Scalar,
} from "yaml";
import { compareStrings, type Diagnostic, showName } from "./diagnostics.ts";
import { describeFsError, kindOf, readBounded } from "./files.ts";
import { type BlockItem, regions, type Segment, type Snippet, type SpecIndex, splice } from "./reparse.ts";

/** Larger files are refused unread: real specs are tens of KiB, a synthetic 10,000-entry one 2.5 MiB. */
export const MAX_SPEC_BYTES = 8 * 1024 * 1024;
/** Deepest nesting a spec may have; a real one needs 6 (codeSets → entry → texts → value). */
export const MAX_DEPTH = 64;
/**
 * Most YAML tokens (keys, values, punctuation, spaces, line breaks) a spec may have. yaml's syntax tree costs up to
 * about 500 bytes a token, so bytes alone do not bound the memory: 8 MiB of `1,` is 4 million tokens, which exhausted
 * the heap. The largest real spec (bounce-wording.yaml) has about 30,000; a synthetic 10,000-entry one
 * (bench/synthetic.ts) 680,000.
 */
export const MAX_TOKENS = 2_000_000;
/** Most items one list or mapping may hold: a table of 100,000 rows is far beyond any document's, and bounds what validation reports. */
export const MAX_ITEMS = 100_000;

/** The limits a parse holds; tests pass smaller ones to reach them cheaply. */
export interface Limits {
  readonly maxTokens: number;
}
const LIMITS: Limits = { maxTokens: MAX_TOKENS };

/** A spec that parsed: its text (for positions, found again only when there is a problem to report) and its data. */
export interface LoadedSpec {
  /** The file as diagnostics and generated headers name it, in POSIX form (spec/arara.yaml). */
  readonly file: string;
  /** The text, for locate to find positions in when there is a problem to report. */
  readonly text: string;
  /** The document as plain data, for the schema and the model. */
  readonly data: unknown;
}

/** A spec's parse: its data when it has no problems, else the problems. */
export interface ParseResult {
  readonly spec?: LoadedSpec;
  readonly diagnostics: Diagnostic[];
}

export interface LoadResult {
  readonly specs: LoadedSpec[];
  readonly diagnostics: Diagnostic[];
}

/** A spec file as diagnostics name it; `badName` when its name is not UTF-8 (then `file` is the name escaped). */
export interface SpecFile {
  readonly file: string;
  readonly badName?: true;
}

/** Spec files in a directory, in code-point order so that nothing depends on readdir's order. */
export async function listSpecFiles(specDir: string): Promise<SpecFile[]> {
  // Names are read as bytes: a name that is not UTF-8 would otherwise become another name, which does not exist.
  const dir = toPosix(specDir);
  const files: SpecFile[] = [];
  for (const bytes of await readdir(specDir, { encoding: "buffer" })) {
    const name = bytes.toString("utf8");
    if (!/\.ya?ml$/.test(name)) continue;
    if (Buffer.from(name, "utf8").equals(bytes)) files.push({ file: path.posix.join(dir, name) });
    else files.push({ file: showName(Buffer.concat([Buffer.from(path.posix.join(dir, "/")), bytes])), badName: true });
  }
  return files.sort((a, b) => compareStrings(a.file, b.file));
}

/**
 * Parses kept by file and bytes: watch mode passes one, so that it parses again only the files that changed, and
 * of an edit of a clean spec, when it can, only the items the edit lies in (`index` says where they are).
 */
export type ParseCache = Map<string, CachedParse>;
export interface CachedParse {
  readonly bytes: Buffer;
  readonly result: ParseResult;
  readonly index?: SpecIndex | undefined;
  /** The last clean parse, while this one has problems: the edit that mends them is cut out against it. */
  readonly lastClean?: CachedParse;
}

export async function loadSpecs(specDir: string, cache?: ParseCache): Promise<LoadResult> {
  const specs: LoadedSpec[] = [];
  const diagnostics: Diagnostic[] = [];
  const files = await listSpecFiles(specDir);
  if (cache) for (const file of [...cache.keys()]) if (!files.some((f) => f.file === file)) cache.delete(file);
  for (const { file, badName } of files) {
    const read = badName ? { problem: "file name is not valid UTF-8; rename the file" } : await readSpecFile(file);
    let result: ParseResult;
    if ("problem" in read) {
      result = { diagnostics: [at(file, 1, 1, read.problem)] };
    } else if (cache) {
      const cached = cache.get(file);
      const parsed = cached?.bytes.equals(read.bytes) ? cached : parseWatched(file, read.bytes, cached);
      cache.set(file, parsed);
      result = parsed.result;
    } else {
      result = parseSpec(file, read.bytes);
    }
    if (result.spec) specs.push(result.spec);
    for (const d of result.diagnostics) diagnostics.push(d); // not push(...): a spec can have 300,000 problems
  }
  return { specs, diagnostics };
}

/**
 * A spec's bytes, read only from a regular file and never more than MAX_SPEC_BYTES + 1 of them, counted as they are
 * read: a pipe or a device claims a size of 0 and may never end, and opening a pipe blocks until a writer comes.
 * Anything else is a problem to report at the file (so the other specs are still checked), never an exception.
 */
export async function readSpecFile(file: string): Promise<{ bytes: Buffer } | { problem: string }> {
  const notRegular = (stats: Stats) => `${kindOf(stats)}, not a file; a spec must be a regular file`;
  let handle;
  try {
    // lstat first, so that a pipe, socket or device is never opened; a symbolic link is opened, and then checked.
    const linkStats = await lstat(file);
    if (!linkStats.isFile() && !linkStats.isSymbolicLink()) return { problem: notRegular(linkStats) };
    handle = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0));
  } catch (error) {
    return { problem: `cannot be read (${describeFsError(error)}); a spec must be a readable regular file` };
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return { problem: notRegular(stats) };
    if (stats.size > MAX_SPEC_BYTES) return { problem: sizeMessage(stats.size) };
    const { bytes, complete } = await readBounded(handle, MAX_SPEC_BYTES, stats.size);
    return complete ? { bytes } : { problem: sizeMessage(undefined) };
  } catch (error) {
    return { problem: `cannot be read (${describeFsError(error)}); a spec must be a readable regular file` };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** Parses one spec's bytes. Pure: the file name is only used to label diagnostics. */
export function parseSpec(file: string, bytes: Uint8Array, limits: Limits = LIMITS): ParseResult {
  const decoded = decodeSpec(file, bytes);
  return "text" in decoded ? parseText(file, decoded.text, limits, false).result : decoded;
}

/**
 * parseSpec for watch mode, which keeps what it gives: an edit of a spec that parsed cleanly is parsed alone when
 * reparse can cut it out, and a clean parse is indexed for the next edit.
 */
export function parseWatched(file: string, bytes: Buffer, previous: CachedParse | undefined): CachedParse {
  // An edit that leaves a problem (half-typed YAML, a NUL) is parsed in full, to say where; the edits after it, against
  // the last clean parse, so that the one that mends the spec is parsed alone again.
  const clean = previous?.index ? previous : previous?.lastClean;
  const decoded = decodeSpec(file, bytes);
  if (!("text" in decoded)) return { bytes, result: decoded, ...(clean && { lastClean: clean }) };
  const { text } = decoded;
  // Only the text is parsed: bytes that decode to the same text (a BOM added) give the same result.
  if (previous?.index && previous.result.spec?.text === text) return { ...previous, bytes };
  const parsed = (clean && reparse(file, text, clean)) ?? parseText(file, text, LIMITS, true);
  return { bytes, ...parsed, ...(parsed.index === undefined && clean && { lastClean: clean }) };
}

function lineCount(text: string): number {
  let lines = 1;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) lines++;
  return lines;
}

/**
 * An edit of a spec whose last parse was clean, parsed alone: the new lines of the items it lies in (reparse's
 * regions, smallest first, while less than half the text) are parsed as a document of their own. If that is not
 * clean and as plain as the spec, the edit is parsed in full, which says why; if it holds other items than the
 * region's, the next region is tried.
 */
function reparse(file: string, text: string, previous: CachedParse): Omit<CachedParse, "bytes"> | undefined {
  const { spec, diagnostics } = previous.result;
  const { index } = previous;
  if (!spec || diagnostics.length > 0 || !index) return undefined;
  // A block collection's items (comments among them, as the parser counts them) start a line each: a text of no more
  // lines than MAX_ITEMS cannot pass the items' limit, which the data's items, fewer, could not tell.
  if (lineCount(text) > MAX_ITEMS) return undefined;
  for (const region of regions(index.items, spec.text, text)) {
    // Parsing half the text costs what parsing the text does, and a full parse may follow.
    if (region.snippet.length * 2 > text.length) return undefined;
    const first = index.items[region.start]!;
    const snippet = parseSnippet(region.snippet, region.end + region.delta - first.line);
    if (!snippet) return undefined;
    // The limits, held with room to spare: the snippet's tokens are added and the region's old ones not taken off.
    const tokens = index.tokens + snippet.tokens;
    if (tokens > LIMITS.maxTokens / 2 || first.path.length + depthOf(snippet.data) > MAX_DEPTH) return undefined;
    const spliced = splice(index.items, region, spec.data, snippet);
    if (spliced === undefined) continue;
    return {
      result: { spec: { file, text, data: spliced.data }, diagnostics: [] },
      index: { items: spliced.items, tokens },
    };
  }
  return undefined;
}

/**
 * A snippet's data and block items (its last line is `last`, not counting the line break that ends it), and its
 * tokens; undefined unless it is a clean YAML document as plain as a spec: no anchor, alias, tag, directive,
 * document marker or explicit key. An empty snippet is no items.
 */
function parseSnippet(snippet: string, last: number): Snippet | undefined {
  if (snippet === "") return { data: [], items: [], tokens: 0 };
  let parsed: ReturnType<typeof parseWithin>;
  try {
    parsed = parseWithin(snippet, LIMITS, true);
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
  if ("passed" in parsed || parsed.special || parsed.docs.length !== 1) return undefined;
  const doc = parsed.docs[0]!;
  if (doc.errors.length > 0 || doc.warnings.length > 0) return undefined;
  const data = plainData(doc.contents);
  const items = blockItems(doc.contents, snippet, parsed.lineCounter, last);
  return data === NOT_PLAIN || items === undefined ? undefined : { data, items, tokens: parsed.tokens };
}

/** How many collections deep a value nests: 0 for a scalar. */
function depthOf(value: unknown): number {
  if (value === null || typeof value !== "object") return 0;
  let deepest = 0;
  for (const child of Object.values(value)) deepest = Math.max(deepest, depthOf(child));
  return deepest + 1;
}

/**
 * The block items of a tree composed with its source tokens whose `-` or key starts its line, in line order, each
 * to the line before the next item of its collection, or to its parent's last line (`last`). Undefined if the tree
 * and its tokens do not match as expected.
 */
function blockItems(
  node: unknown,
  text: string,
  lines: LineCounter,
  last: number,
  path: readonly Segment[] = [],
  found: BlockItem[] = [],
): BlockItem[] | undefined {
  let kind: BlockItem["kind"];
  const children: Array<{ offset: number; segment: Segment; value: unknown }> = [];
  if (isMap(node) && node.srcToken?.type === "block-map") {
    kind = "pair";
    for (const pair of node.items) {
      const offset = (pair.srcToken?.key ?? pair.srcToken?.sep?.[0])?.offset;
      const segment = keyText(pair.key);
      if (offset === undefined || segment === undefined) return undefined;
      children.push({ offset, segment, value: pair.value });
    }
  } else if (isSeq(node) && node.srcToken?.type === "block-seq") {
    kind = "seq";
    const dashes = node.srcToken.items.flatMap((item) => item.start.filter((token) => token.type === "seq-item-ind"));
    if (dashes.length !== node.items.length) return undefined;
    for (const [i, value] of node.items.entries()) children.push({ offset: dashes[i]!.offset, segment: i, value });
  } else {
    return found;
  }
  const starts = children.map(({ offset }) => lines.linePos(offset).line - 1);
  for (const [i, { offset, segment, value }] of children.entries()) {
    const line = starts[i]!;
    const end = i + 1 < starts.length ? starts[i + 1]! - 1 : last;
    const lineStart = lines.lineStarts[line]!;
    const itemPath = [...path, segment];
    if (/^ *$/.test(text.slice(lineStart, offset)))
      found.push({ line, end, indent: offset - lineStart, kind, path: itemPath });
    if (!blockItems(value, text, lines, end, itemPath, found)) return undefined;
  }
  return found;
}

/** The text of a spec's bytes, or why the bytes are not a text a spec can be. */
function decodeSpec(file: string, bytes: Uint8Array): { text: string } | ParseResult {
  const tooLarge = sizeProblem(file, bytes.byteLength);
  if (tooLarge) return { diagnostics: [tooLarge] };
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if ((buffer[0] === 0xff && buffer[1] === 0xfe) || (buffer[0] === 0xfe && buffer[1] === 0xff)) {
    return { diagnostics: [at(file, 1, 1, "file is UTF-16; save it as UTF-8")] };
  }
  // A byte order mark is not a column: without it, positions on line 1 are what an editor shows.
  const text = buffer.toString("utf8").replace(/^\uFEFF/, "");
  const bad = firstInvalidUtf8Byte(buffer, text);
  if (bad !== undefined) {
    const { line, column } = textPosition(
      text,
      buffer
        .subarray(0, bad)
        .toString("utf8")
        .replace(/^\uFEFF/, "").length,
    );
    return {
      diagnostics: [
        at(
          file,
          line,
          column,
          `invalid UTF-8 (byte 0x${buffer[bad]!.toString(16).padStart(2, "0")}); save the file as UTF-8`,
        ),
      ],
    };
  }
  const nul = text.indexOf("\0");
  if (nul !== -1) {
    const { line, column } = textPosition(text, nul);
    return { diagnostics: [at(file, line, column, "NUL character in the file; specs are text")] };
  }
  // YAML reads a CR alone as a line break, yaml (the parser) does not: lines and values would not be what an editor
  // shows, so it is refused rather than read one way or the other.
  const lone = /\r(?!\n)/g;
  const cr = lone.exec(text);
  if (cr) {
    const { line, column } = textPosition(text, cr.index);
    const count = 1 + (text.slice(cr.index + 1).match(lone)?.length ?? 0);
    return {
      diagnostics: [
        at(
          file,
          line,
          column,
          `line break CR without LF (old Mac OS line endings; ${count} in the file); save the file with LF or CRLF line endings, and write a carriage return in a text as "\\r"`,
        ),
      ],
    };
  }
  return { text };
}

const problems = (diagnostics: Diagnostic[]) => ({ result: { diagnostics } });

/** A decoded spec's parse; `indexed` (watch mode) indexes a clean one's block items for reparse. */
function parseText(
  file: string,
  text: string,
  limits: Limits,
  indexed: boolean,
): { result: ParseResult; index?: SpecIndex | undefined } {
  let parsed: ReturnType<typeof parseWithin>;
  try {
    parsed = parseWithin(text, limits, indexed);
  } catch (error) {
    if (error instanceof RangeError) return problems([at(file, 1, 1, TOO_DEEP)]);
    throw error;
  }
  if ("passed" in parsed) {
    const { line, column } = textPosition(text, parsed.offset);
    return problems([at(file, line, column, parsed.passed)]);
  }
  const { docs, lineCounter } = parsed;
  const pos = (offset: number) => lineCounter.linePos(offset);
  if (docs.length === 0) {
    return problems([at(file, 1, 1, "file holds no YAML document; a spec is a mapping with `source` and `codeSets`")]);
  }
  const diagnostics: Diagnostic[] = [];
  for (const extra of docs.slice(1)) {
    const { line, col } = pos(extra.range[0]);
    diagnostics.push(
      at(file, line, col, "a second YAML document; a spec file holds exactly one (remove the `---` or split the file)"),
    );
  }
  const doc = docs[0]!;
  for (const problem of [...doc.errors, ...doc.warnings]) {
    const { line, col } = pos(problem.pos[0]);
    const message = yamlMessage(problem.code, problem.message);
    // yaml reports a stack overflow once per level it unwinds; one line says it.
    if (message === TOO_DEEP && diagnostics.some((d) => d.message === TOO_DEEP)) continue;
    diagnostics.push(at(file, line, col, message));
  }
  // A tree as plain as specs are becomes data in one walk; any other is looked at closely, to say what is wrong.
  const plain = diagnostics.length === 0 ? plainData(doc.contents) : NOT_PLAIN;
  if (plain !== NOT_PLAIN) {
    // Reparse cuts a document only where no anchor, alias, tag or directive can reach across the cut.
    const items =
      indexed && !parsed.special
        ? blockItems(doc.contents, text, lineCounter, lineCounter.lineStarts.length - 1)
        : undefined;
    return {
      result: { spec: { file, text, data: plain }, diagnostics },
      index: items && { items, tokens: parsed.tokens },
    };
  }
  for (const offset of duplicateKeys(doc)) {
    const { line, col } = pos(offset);
    diagnostics.push(at(file, line, col, DUPLICATE_KEY));
  }
  if (diagnostics.length === 0) for (const d of checkShape(file, doc, pos, parsed.tags)) diagnostics.push(d);
  if (diagnostics.length > 0) return problems(diagnostics);
  return { result: { spec: { file, text, data: doc.toJS() }, diagnostics } };
}

export interface ParsedYaml {
  readonly docs: Document.Parsed[];
  readonly lineCounter: LineCounter;
  /** Where each tag (!!str, !!omap…) starts, in order: a node's range starts after its tag. */
  readonly tags: readonly number[];
}

/** The YAML documents of a text that parseSpec accepted, with node offsets and a LineCounter for their positions. */
export function parseYaml(text: string): ParsedYaml {
  const parsed = parseWithin(text, LIMITS);
  if ("passed" in parsed) throw new Error(`parseYaml: a text past the limits (${parsed.passed}); parseSpec refuses it`);
  return parsed;
}

/** Where a text first passes a limit, and the message that says which. */
interface Passed {
  readonly offset: number;
  readonly passed: string;
}

// Keys are checked for uniqueness by duplicateKeys: yaml's own check compares each key with all before it.
const OPTIONS = { uniqueKeys: false, merge: false, strict: true } as const;

/** What reparse needs to know of a parse besides the documents. */
interface Scanned {
  /** The text's YAML tokens, as the limit counts them. */
  readonly tokens: number;
  /** An anchor, alias, tag, directive, document marker or explicit key is among them. */
  readonly special: boolean;
}

/**
 * yaml's own pipeline (lexer → parser → composer, as parseAllDocuments runs it), with the limits held at each stage
 * before the next one can exhaust the heap or the stack: tokens and flow nesting as the lexer makes them, then the
 * nesting of the syntax tree, which the composer walks recursively. `sourceTokens` keeps each node's CST token on
 * it, for blockItems.
 */
function parseWithin(text: string, limits: Limits, sourceTokens = false): (ParsedYaml & Scanned) | Passed {
  const parser = new Parser();
  const cst: CST.Token[] = [];
  const tags: number[] = [];
  const scanned = scanLexemes(text, limits, parser, cst, tags);
  if ("passed" in scanned) return scanned;
  for (const token of parser.end()) cst.push(token);
  const version = cst.find((token) => token.type === "directive" && /^%YAML[ \t]/.test(token.source));
  if (version && "source" in version) {
    const number = version.source.split(/[ \t]+/)[1] ?? "";
    if (number !== "1.2") return { offset: version.offset, passed: unsupportedVersion(number) };
  }
  const shape = shapeInTree(cst);
  if (shape !== undefined) return shape;
  const docs = [...new Composer(sourceTokens ? { ...OPTIONS, keepSourceTokens: true } : OPTIONS).compose(cst)];
  // Line starts are counted from the text itself rather than by the parser, which misses the line breaks inside a
  // quoted scalar on some error paths; every position is then the line and column an editor shows.
  const lineCounter = new LineCounter();
  lineCounter.addNewLine(0);
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) lineCounter.addNewLine(i + 1);
  return { docs, lineCounter, tags, ...scanned };
}

/** YAML 1.1 reads 017 as 15, 1:30 as 90 and yes as true; a spec is one reading of its text, YAML 1.2's. */
function unsupportedVersion(version: string): string {
  const differences =
    version === "1.1" ? ", and 1.1 reads some values differently (017 as 15, 1:30 as 90, yes as true)" : "";
  return `%YAML ${version} is not supported: specs are read as YAML 1.2${differences}; remove the directive`;
}

/**
 * Feeds each lexeme of the text to the parser (its tokens go to `cst`, and where each tag starts to `tags`),
 * stopping at the first that passes a limit: more than `maxTokens` tokens,
 * more than MAX_DEPTH flow collections open ([ and { outside quotes, comments and block scalars, which the lexer
 * knows), or more than MAX_DEPTH compact block entries ("- - -", "? ? ?") at the start of a line. The nesting counts
 * are lower bounds of the real depth, so no spec within the limit is refused; they let a 50,000-level spec be refused
 * after 65 levels instead of after building a 50,000-level tree.
 */
function scanLexemes(text: string, limits: Limits, parser: Parser, cst: CST.Token[], tags: number[]): Passed | Scanned {
  let tokens = 0;
  let special = false;
  let offset = 0;
  let flow = 0;
  let compact = 0;
  let lineStart = true;
  let afterScalarMarker = false;
  for (const lexeme of new Lexer().lex(text)) {
    // The lexeme after the "plain scalar" marker is the scalar's text, whatever it looks like.
    const scalarText: boolean = afterScalarMarker;
    const type = scalarText ? "scalar" : CST.tokenType(lexeme);
    afterScalarMarker = !scalarText && lexeme === SCALAR_MARKER;
    // The lexer's markers (a document, a plain scalar, the end of a broken flow collection follows) are not text.
    const marker = !scalarText && (afterScalarMarker || type === "doc-mode" || type === "flow-error-end");
    if (!marker && ++tokens > limits.maxTokens) return { offset, passed: tooManyTokens(limits.maxTokens) };
    switch (type) {
      case "flow-seq-start":
      case "flow-map-start":
        if (++flow > MAX_DEPTH) return { offset, passed: TOO_DEEP };
        lineStart = false;
        break;
      case "flow-seq-end":
      case "flow-map-end":
        if (flow > 0) flow--;
        lineStart = false;
        break;
      case "doc-mode":
      case "doc-start":
      case "doc-end":
      case "flow-error-end":
        flow = 0;
        break;
      case "newline":
        lineStart = true;
        compact = 0;
        break;
      case "space":
        break;
      case "seq-item-ind":
      case "explicit-key-ind":
        if (lineStart && flow === 0 && ++compact > MAX_DEPTH) return { offset, passed: TOO_DEEP };
        break;
      default:
        if (!marker) lineStart = false;
    }
    if (type === "tag") tags.push(offset);
    if (!scalarText && type !== null && SPECIAL.has(type)) special = true;
    for (const token of parser.next(lexeme)) cst.push(token);
    if (!marker) offset += lexeme.length;
  }
  return { tokens, special };
}

const SPECIAL = new Set<string>([
  "anchor",
  "alias",
  "tag",
  "directive-line",
  "doc-start",
  "doc-end",
  "byte-order-mark",
  "explicit-key-ind",
]);

const SCALAR_MARKER = "\x1f";

/**
 * Where the syntax tree first nests a collection deeper than MAX_DEPTH (the document's value is level 1), or first
 * holds a collection of more than MAX_ITEMS items: the validator reports every item that is wrong, and a million of
 * them would exhaust the heap.
 */
function shapeInTree(cst: readonly CST.Token[]): { offset: number; passed: string } | undefined {
  // Collections only, as two parallel stacks: a spec's tree has hundreds of thousands of nodes.
  const tokens: CST.Token[] = [];
  const depths: number[] = [];
  const push = (token: CST.Token | null | undefined, depth: number) => {
    if (token && (token.type === "block-map" || token.type === "block-seq" || token.type === "flow-collection"))
      tokens.push(token), depths.push(depth);
  };
  for (const token of cst) if (token.type === "document") push(token.value, 1);
  while (tokens.length > 0) {
    const token = tokens.pop() as CST.BlockMap | CST.BlockSequence | CST.FlowCollection;
    const depth = depths.pop()!;
    if (depth > MAX_DEPTH) return { offset: token.offset, passed: TOO_DEEP };
    if (token.items.length > MAX_ITEMS) return { offset: token.offset, passed: TOO_MANY_ITEMS };
    for (const item of token.items) {
      if ("key" in item) push(item.key, depth + 1);
      push(item.value, depth + 1);
    }
  }
  return undefined;
}

/** 2000000 → "2,000,000", whatever the locale. */
function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+$)/g, ",");
}

function tooManyTokens(max: number): string {
  return `more than ${grouped(max)} YAML tokens (keys, values, punctuation, spaces and line breaks); a spec may have at most ${grouped(max)} (real specs have a few thousand): split it into several files`;
}

const TOO_DEEP = `nesting too deep; a spec may nest at most ${MAX_DEPTH} levels`;
const TOO_MANY_ITEMS = `more than ${grouped(MAX_ITEMS)} items in one list or mapping; a spec's may hold at most ${grouped(MAX_ITEMS)} (a table of more rows is split across specs with extends)`;

function sizeProblem(file: string, size: number): Diagnostic | undefined {
  if (size <= MAX_SPEC_BYTES) return undefined;
  return at(file, 1, 1, sizeMessage(size));
}

/** `size` undefined: the file kept giving bytes past the limit (it grew, or claimed a wrong size). */
function sizeMessage(size: number | undefined): string {
  return `file is ${size ?? `more than ${MAX_SPEC_BYTES}`} bytes; a spec may be at most ${MAX_SPEC_BYTES} bytes (8 MiB)`;
}

function yamlMessage(code: string, message: string): string {
  if (message.startsWith("Maximum call stack size exceeded")) return TOO_DEEP;
  const first = message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
  if (code === "TAG_RESOLVE_FAILED") return `${first}; specs use plain YAML values, no tags`;
  if (code === "TAB_AS_INDENT") return `${first}; indent with spaces`;
  return first;
}

const DUPLICATE_KEY = "Map keys must be unique: this key appears twice in the same mapping";

/**
 * A mapping key as the spec's data has it: the data is plain objects, whose keys are strings, so 1 and "1" (or ~ and
 * "") are the same key. yaml's toJS makes keys the same way.
 */
export function keyText(key: unknown): string | undefined {
  if (!isScalar(key)) return undefined;
  return key.value === null ? "" : String(key.value);
}

/** The offset of every key that repeats one before it in the same mapping: one set per mapping, so linear. */
function duplicateKeys(doc: Document.Parsed): number[] {
  const offsets: number[] = [];
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!isCollection(node)) continue;
    const seen = new Set<string>();
    for (const item of node.items) {
      if (!isPair(item)) {
        stack.push(item);
        continue;
      }
      stack.push(item.key, item.value);
      const text = isMap(node) ? keyText(item.key) : undefined;
      if (text === undefined) continue;
      if (seen.has(text)) offsets.push((item.key as Scalar).range?.[0] ?? 0);
      else seen.add(text);
    }
  }
  return offsets;
}

const NOT_PLAIN = Symbol("not plain");

/**
 * What doc.toJS() makes of a node, when it and every node under it are as duplicateKeys and checkShape want them (no
 * alias, no tag that makes other than plain data, no collection as a key, no key twice in a mapping, no collection
 * deeper than MAX_DEPTH); NOT_PLAIN otherwise. One walk instead of three over a tree of hundreds of thousands of
 * nodes. Recursive: shapeInTree bounded the depth before the tree was built.
 */
function plainData(node: unknown, depth = 1): unknown {
  if (node === null) return null; // an empty document, a key without a value
  if (!isNode(node) || (node.tag !== undefined && !PLAIN_TAGS.has(node.tag))) return NOT_PLAIN;
  if (isScalar(node)) return node.value;
  if (depth > MAX_DEPTH) return NOT_PLAIN;
  if (isSeq(node)) {
    const items: unknown[] = [];
    for (const item of node.items) {
      const value = plainData(item, depth + 1);
      if (value === NOT_PLAIN) return NOT_PLAIN;
      items.push(value);
    }
    return items;
  }
  if (!isMap(node)) return NOT_PLAIN;
  const map: Record<string, unknown> = {};
  for (const pair of node.items) {
    const key =
      isScalar(pair.key) && (pair.key.tag === undefined || PLAIN_TAGS.has(pair.key.tag))
        ? keyText(pair.key)
        : undefined;
    if (key === undefined || Object.hasOwn(map, key)) return NOT_PLAIN;
    const value = plainData(pair.value, depth + 1);
    if (value === NOT_PLAIN) return NOT_PLAIN;
    // As toJS sets it: a key an object has already ("__proto__", "constructor") becomes the map's own.
    if (key in map) Object.defineProperty(map, key, { value, writable: true, enumerable: true, configurable: true });
    else map[key] = value;
  }
  return map;
}

/** Tags whose values toJS keeps as plain data; "!" is the non-specific tag (a string). */
const PLAIN_TAGS = new Set([
  "!",
  ...["str", "int", "float", "bool", "null", "map", "seq"].map((t) => `tag:yaml.org,2002:${t}`),
]);
/** What the other tags yaml knows make: values a plain object cannot keep (an ordered map becomes a Map…). */
const TAG_MAKES: Record<string, string> = {
  omap: "an ordered map",
  set: "a set",
  pairs: "a list of pairs",
  binary: "binary data",
  timestamp: "a date",
};

/**
 * Aliases are refused (a transcription has no use for them, and refusing them rules out alias bombs and
 * recursive merges), and so is nesting deeper than MAX_DEPTH. So are tags that make other values than plain data
 * (!!omap, !!set…: the data would silently lose them) and keys that are collections (the data's keys are text).
 * Iterative, so a deep document cannot overflow the stack.
 */
function checkShape(
  file: string,
  doc: Document.Parsed,
  pos: (offset: number) => { line: number; col: number },
  tags: readonly number[],
): Diagnostic[] {
  const stack: Array<{ node: unknown; depth: number }> = [{ node: doc.contents, depth: 1 }];
  const aliases: Array<{ offset: number; source: string }> = [];
  const problems: Diagnostic[] = [];
  const report = (offset: number, message: string) => {
    const { line, col } = pos(offset);
    problems.push(at(file, line, col, message));
  };
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (isAlias(node)) {
      aliases.push({ offset: node.range?.[0] ?? 0, source: node.source });
      continue;
    }
    if (isNode(node) && node.tag !== undefined && !PLAIN_TAGS.has(node.tag)) {
      const name = node.tag.replace(/^tag:yaml\.org,2002:/, "");
      const makes = TAG_MAKES[name] ?? "a value of its own type";
      report(
        tagStart(tags, node.range?.[0] ?? 0),
        `tag ${name === node.tag ? name : `!!${name}`} makes ${makes}, which a spec's data cannot hold; specs use plain YAML values, no tags`,
      );
    }
    if (!isCollection(node)) continue;
    if (depth > MAX_DEPTH) {
      const { line, col } = pos(node.range?.[0] ?? 0);
      return [at(file, line, col, `nesting too deep; a spec may nest at most ${MAX_DEPTH} levels`)];
    }
    for (const item of node.items) {
      if (!isPair(item)) {
        stack.push({ node: item, depth: depth + 1 });
        continue;
      }
      stack.push({ node: item.key, depth: depth + 1 }, { node: item.value, depth: depth + 1 });
      if (isCollection(item.key)) {
        // A block mapping's range starts at its first ":"; its first key is where it starts in the text.
        const first = item.key.items[0];
        const start = Math.min(
          item.key.range?.[0] ?? 0,
          (isPair(first) && isNode(first.key) ? first.key.range?.[0] : undefined) ?? Infinity,
        );
        report(
          start,
          `a mapping key must be a scalar (text or a number), not a ${isMap(item.key) ? "mapping" : "sequence"}; the spec's data has text keys`,
        );
      }
    }
  }
  if (aliases.length > 0) {
    const first = aliases.reduce((a, b) => (b.offset < a.offset ? b : a));
    const more = aliases.length > 1 ? ` (${aliases.length} aliases in the file)` : "";
    report(first.offset, `alias *${first.source} is not allowed in a spec; write the value out${more}`);
  }
  return problems;
}

/** Where the tag of a node starting at `offset` starts: the last tag before it (tags are in order). */
function tagStart(tags: readonly number[], offset: number): number {
  let [low, high] = [0, tags.length];
  while (low < high) {
    const middle = (low + high) >> 1;
    if (tags[middle]! < offset) low = middle + 1;
    else high = middle;
  }
  return low > 0 ? tags[low - 1]! : offset;
}

/** A valid prefix re-encodes to the same bytes, so the first difference is the first invalid byte. */
function firstInvalidUtf8Byte(buffer: Buffer, text: string): number | undefined {
  if (!text.includes("\uFFFD")) return undefined;
  const again = Buffer.from(text, "utf8");
  for (let i = 0; i < buffer.length; i++) if (buffer[i] !== again[i]) return i;
  return undefined;
}

function textPosition(text: string, index: number): { line: number; column: number } {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < index; i = text.indexOf("\n", i + 1)) line++;
  return { line, column: index - (text.lastIndexOf("\n", index - 1) + 1) + 1 };
}

function at(file: string, line: number, column: number, message: string): Diagnostic {
  return { file, line, column, message };
}

function toPosix(p: string): string {
  return p.split(path.sep).join(path.posix.sep);
}

/**
 * The source documents the specs name that exist as files, as the specs name them (sources/000_….txt, relative to
 * the spec dir). Validation reports the others.
 */
export async function existingDocuments(specDir: string, specs: readonly LoadedSpec[]): Promise<Set<string>> {
  const existing = new Set<string>();
  for (const spec of specs) {
    const file = (spec.data as { source?: { file?: unknown } } | null)?.source?.file;
    if (
      typeof file !== "string" ||
      file.split("/").some((part) => part === ".." || part === "") ||
      path.isAbsolute(file)
    )
      continue;
    const stats = await lstat(path.join(specDir, file)).catch(() => undefined);
    if (stats?.isFile()) existing.add(file);
  }
  return existing;
}
