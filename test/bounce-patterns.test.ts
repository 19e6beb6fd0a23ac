// The bounce readers and the classifier read text in passes, with few regular expressions; those few must not be able
// to backtrack super-linearly. This finds every regular expression literal in their sources and rejects a quantified
// group that holds a quantifier ((a+)+, (\s*x)*) and two unbounded quantifiers in a row over characters both can match
// (\s*\s*, [a-z]+\w+), the shapes that make a pattern's time grow faster than its input.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SOURCES = [join(ROOT, "packages/mailcodes-bounce/src"), join(ROOT, "packages/runtime/src")];

function files(path: string): string[] {
  if (statSync(path).isFile()) return [path];
  return readdirSync(path).flatMap((name) => files(join(path, name)));
}

/** Regular expression literals: a "/" where an expression starts, up to the closing "/" and its flags. */
function literals(source: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < source.length; i++) {
    if (source[i] !== "/" || source[i + 1] === "/" || source[i + 1] === "*") {
      if (source[i] === "/" && source[i + 1] === "/") i = source.indexOf("\n", i);
      else if (source[i] === "/" && source[i + 1] === "*") i = source.indexOf("*/", i) + 1;
      else if (source[i] === '"' || source[i] === "'" || source[i] === "`") i = skipString(source, i);
      if (i < 0) break;
      continue;
    }
    let k = i - 1;
    while (k >= 0 && (source[k] === " " || source[k] === "\t")) k--;
    if (!"(,=:[!&|?{};".includes(source[k] ?? ";") && !source.slice(Math.max(0, k - 5), k + 1).endsWith("return"))
      continue;
    let end = i + 1;
    let inClass = false;
    while (end < source.length && source[end] !== "\n" && (source[end] !== "/" || inClass)) {
      if (source[end] === "\\") end++;
      else if (source[end] === "[") inClass = true;
      else if (source[end] === "]") inClass = false;
      end++;
    }
    if (source[end] !== "/") continue;
    found.push(source.slice(i + 1, end));
    i = end;
  }
  return found;
}

function skipString(source: string, start: number): number {
  const quote = source[start]!;
  for (let i = start + 1; i < source.length; i++) {
    if (source[i] === "\\") i++;
    else if (source[i] === quote) return i;
  }
  return source.length;
}

/** The pattern's tokens: a class, an escape, a group start or end, or a character, each with its quantifier. */
function tokens(pattern: string): Array<{ atom: string; quantifier: string }> {
  const out: Array<{ atom: string; quantifier: string }> = [];
  for (let i = 0; i < pattern.length; ) {
    let atom: string;
    if (pattern[i] === "[") {
      let end = i + 1;
      while (end < pattern.length && pattern[end] !== "]") end += pattern[end] === "\\" ? 2 : 1;
      atom = pattern.slice(i, end + 1);
    } else if (pattern[i] === "\\") {
      atom = pattern.slice(i, i + 2);
    } else if (pattern[i] === "(") {
      atom = pattern.startsWith("(?:", i) ? "(?:" : "(";
    } else {
      atom = pattern[i]!;
    }
    i += atom.length;
    let quantifier = "";
    if ("*+?".includes(pattern[i] ?? "")) quantifier = pattern[i++]!;
    else if (pattern[i] === "{") {
      const close = pattern.indexOf("}", i);
      quantifier = pattern.slice(i, close + 1);
      i = close + 1;
    }
    if (pattern[i] === "?" && quantifier !== "") i++;
    out.push({ atom, quantifier });
  }
  return out;
}

const unbounded = (q: string) => q === "*" || q === "+" || /,\}$/.test(q);

/** What a pattern does that can backtrack without bound, or undefined. */
function danger(pattern: string): string | undefined {
  const list = tokens(pattern);
  const open: number[] = [];
  const quantifiedInside: boolean[] = [];
  for (let i = 0; i < list.length; i++) {
    const { atom, quantifier } = list[i]!;
    if (atom === "(" || atom === "(?:") {
      open.push(i);
      quantifiedInside.push(false);
      continue;
    }
    if (atom === ")") {
      open.pop();
      const inner = quantifiedInside.pop() ?? false;
      if (inner && unbounded(quantifier)) return "a quantified group holds a quantifier";
      if (unbounded(quantifier) && quantifiedInside.length > 0) quantifiedInside[quantifiedInside.length - 1] = true;
      continue;
    }
    if (unbounded(quantifier) && quantifiedInside.length > 0) quantifiedInside[quantifiedInside.length - 1] = true;
    const next = list[i + 1];
    if (unbounded(quantifier) && next !== undefined && unbounded(next.quantifier) && overlaps(atom, next.atom))
      return `${atom}${quantifier} then ${next.atom}${next.quantifier}`;
  }
  return undefined;
}

/** Whether two atoms can match a common character (roughly: the same atom, or a class with a wide escape). */
function overlaps(a: string, b: string): boolean {
  if (a === b) return true;
  const wide = (x: string) =>
    x === "." || x === "\\s" || x === "\\S" || x === "\\w" || x === "\\W" || x.startsWith("[^");
  return wide(a) || wide(b);
}

describe("the bounce readers' and the classifier's regular expressions", () => {
  const all = SOURCES.flatMap(files).flatMap((file) =>
    literals(readFileSync(file, "utf8")).map((pattern) => ({ file: file.slice(ROOT.length), pattern })),
  );

  it("are found (the check reads them)", () => {
    expect(all.length).toBeGreaterThan(10);
  });

  for (const { file, pattern } of all) {
    it(`${file}: /${pattern}/ cannot backtrack without bound`, () => {
      expect(danger(pattern)).toBeUndefined();
    });
  }

  it("the check itself rejects the shapes it is for", () => {
    for (const bad of ["(a+)+", "(\\s*x)*", "\\s*\\s*", "[^@]+\\w+", "(?:ab*)+"])
      expect(danger(bad), bad).toBeDefined();
    for (const good of ["^[0-9]{3}$", "[ \\t]+", "^(delayed|expired)$", "\\r\\n?"])
      expect(danger(good), good).toBeUndefined();
  });
});
