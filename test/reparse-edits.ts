// Edits of the real specs as someone typing might make them, and the check that watch mode's parse of each (alone
// when it can) is what a full parse gives: reparse.test.ts runs a few, reparse.slow.test.ts many.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { expect, vi } from "vitest";
import { Lexer } from "yaml";
import { type CachedParse, parseSpec, parseWatched } from "../generator/src/load.ts";
import { SPEC_DIR } from "./helpers.ts";

export const FILE = "spec/x.yaml";

/** What `run` gives, and how many characters it handed to yaml's lexer: the work a parse does. */
export function lexing<T>(run: () => T): { value: T; chars: number } {
  const lex = vi.spyOn(Lexer.prototype, "lex");
  try {
    const value = run();
    return { value, chars: lex.mock.calls.reduce((sum, [source]) => sum + source.length, 0) };
  } finally {
    lex.mockRestore();
  }
}

/** Freezes the data, so that a splice that wrote into the old data throws. Shared parts are frozen already. */
function freeze(value: unknown): void {
  if (value === null || typeof value !== "object" || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) freeze(child);
}

/**
 * The edit from the previous parse to `text` as watch parses it, checked against parseSpec of `text`: the same
 * diagnostics and the same data, key order included; the old data is left as it was. `items` checks the block items
 * kept for the next edit against a full parse's too (a second full parse).
 */
export function edit(previous: CachedParse, text: string, items = true): { next: CachedParse; chars: number } {
  freeze(previous.result.spec?.data);
  const bytes = Buffer.from(text);
  const { value: next, chars } = lexing(() => parseWatched(FILE, bytes, previous));
  const full = parseSpec(FILE, bytes);
  expect(next.result.diagnostics).toEqual(full.diagnostics);
  expect(JSON.stringify(next.result.spec?.data)).toBe(JSON.stringify(full.spec?.data));
  expect(next.result.spec?.data).toStrictEqual(full.spec?.data);
  expect(next.result.spec?.text).toBe(full.spec?.text);
  if (items) expectSameItems(next, text);
  return { next, chars };
}

/** The block items watch keeps are the ones a full parse of the text finds. */
export function expectSameItems(parsed: CachedParse, text: string): void {
  expect(parsed.index?.items).toEqual(parseWatched(FILE, Buffer.from(text), undefined).index?.items);
}

/** Pieces of YAML an edit writes: its punctuation, its markers, and words. */
const PIECES = [
  ...["- ", "-", ": ", ":", "{", "}", "[", "]", ", ", ",", '"', "'", "\\", "#", " # note", "? ", "|", "|+", ">-", "|2"],
  ...["&a ", "*a", "!!str ", "!x ", "---", "...", "%YAML 1.2", "\n", "\n  ", "\n      - ", "  ", "\t", "\r", "\0"],
  ...["null", "~", "true", "017", "0x1F", "1e3", ".nan", "name", "code", "reason", "__proto__", "é", "…", "\uFEFF"],
];
const WORDS = ["word", "two words", "x", "42", "texts", "description"];
const piecesText = fc
  .array(fc.oneof(fc.constantFrom(...PIECES), fc.constantFrom(...WORDS)), { maxLength: 4 })
  .map((pieces) => pieces.join(""));

/** A span of a line replaced, a line inserted (a copy of one nearby, or pieces), or lines deleted. */
export type Edit =
  | { kind: "replace"; line: number; from: number; length: number; text: string }
  | { kind: "insert"; line: number; copy: number | undefined; indent: number; text: string }
  | { kind: "delete"; line: number; count: number };

export const anEdit: fc.Arbitrary<Edit> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("replace" as const),
      line: fc.nat(),
      from: fc.nat(120),
      length: fc.nat(8),
      text: piecesText,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("insert" as const),
      line: fc.nat(),
      copy: fc.option(fc.integer({ min: -3, max: 3 }), { nil: undefined }),
      indent: fc.nat(10),
      text: piecesText,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("delete" as const),
      line: fc.nat(),
      count: fc.integer({ min: 1, max: 3 }),
    }),
  },
);

export function apply(text: string, change: Edit): string {
  const lines = text.split("\n");
  const at = change.line % lines.length;
  if (change.kind === "replace") {
    const line = lines[at]!;
    const from = Math.min(change.from, line.length);
    lines[at] = line.slice(0, from) + change.text + line.slice(from + change.length);
  } else if (change.kind === "insert") {
    const copy = change.copy === undefined ? undefined : lines[(at + change.copy + lines.length) % lines.length];
    lines.splice(at, 0, copy ?? " ".repeat(change.indent) + change.text);
  } else {
    lines.splice(at, change.count);
  }
  return lines.join("\n");
}

/** The real specs, each with watch's parse of it (parsed once: a parse is pure, its data frozen by the checks). */
export const SPECS: ReadonlyArray<{ readonly name: string; readonly text: string; readonly parsed: CachedParse }> =
  readdirSync(SPEC_DIR)
    .filter((name) => name.endsWith(".yaml"))
    .sort()
    .map((name) => {
      const text = readFileSync(path.join(SPEC_DIR, name), "utf8");
      return { name, text, parsed: parseWatched(FILE, Buffer.from(text), undefined) };
    });

/**
 * Runs `numRuns` chains of edits of a random real spec, each edit checked against a full parse and made after the
 * last clean one (a broken spec's next save is parsed in full anyway), and the items kept checked at each chain's
 * end. How many edits there were, and how many were parsed from less than half their text.
 */
export function checkRandomEdits(seed: number, numRuns: number): { edits: number; alone: number } {
  let edits = 0;
  let alone = 0;
  fc.assert(
    fc.property(fc.nat(SPECS.length - 1), fc.array(anEdit, { minLength: 1, maxLength: 6 }), (which, changes) => {
      let { text, parsed } = SPECS[which]!;
      for (const change of changes) {
        const edited = apply(text, change);
        const { next, chars } = edit(parsed, edited, false);
        edits++;
        if (chars < edited.length / 2) alone++;
        // Edits go on from a broken text too: those after it are cut out against the last clean parse.
        [text, parsed] = [edited, next];
      }
      if (parsed.result.diagnostics.length === 0) expectSameItems(parsed, text);
    }),
    { seed, numRuns },
  );
  return { edits, alone };
}
