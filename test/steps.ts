// The work a call does, counted rather than timed, so that a linearity test gives the same answer on a busy machine:
// the blocks of JavaScript it runs (V8's block coverage: every function entry, loop turn and branch taken, in our
// code and in its dependencies) plus the characters that the searching built-ins pass over for it (regular
// expressions, indexOf and the like), which run as one step each but cost as much as the text they scan. Copies
// (slice, join, spread) are not counted; neither is a regular expression's backtracking inside one match, which
// bounce-patterns.test.ts rules out; the slow tier (linear.slow.test.ts) times the same cases by CPU time.
//
// Block counters go into a function when it is compiled, so import this module before the code you count (its top
// level starts counting); stepsOf refuses to count a call that ran one of the repository's functions compiled before.
// (The in-process inspector session answers synchronously.) Not for use under `vitest --coverage`, which owns the
// same counters.
import { Session } from "node:inspector";

const session = new Session();
session.connect();
const post = (method: string, params?: object): unknown => {
  let answer: unknown;
  session.post(method, params, (error, result) => {
    if (error) throw error;
    answer = result;
  });
  return answer;
};
post("Profiler.enable");
post("Profiler.startPreciseCoverage", { callCount: true, detailed: true });
/** The repository's own code and its dependencies, apart from the test runner's. */
const ROOT_URL = new URL("..", import.meta.url).href;
const counted = (url: string) => url.startsWith(ROOT_URL) && !/\/node_modules\/(@vitest|vitest|vite)\//.test(url);

/** Characters passed over by the searching built-ins while a count runs. */
let scanned = 0;

const clamp = (position: unknown, length: number) => Math.min(Math.max(Math.trunc(Number(position)) || 0, 0), length);
/** From `start`, up to and through what was found at `at`, or to the end when nothing was. */
const upTo = (length: number, start: number, at: number, found: number) =>
  at < 0 ? length - start : at - start + found;

type BuiltIn = (this: never, ...args: never[]) => unknown;
type Counted = [owner: object, name: string, wrap: (original: BuiltIn) => BuiltIn];
const stringIndexOf = String.prototype.indexOf;
const arrayIndexOf = Array.prototype.indexOf;

/** Each counted built-in, wrapped so that it adds the characters (or items) it passes over. */
const COUNTED: Counted[] = [
  // Every regular expression method (match, replace, split, test, …) calls exec, as the language defines them.
  [
    RegExp.prototype,
    "exec",
    (exec) =>
      function (this: RegExp, text: unknown) {
        const s = String(text);
        const start = this.global || this.sticky ? clamp(this.lastIndex, s.length) : 0;
        const sticky = this.sticky; // split and matchAll try one place per call
        const match = exec.call(this as never, s as never) as RegExpExecArray | null;
        scanned +=
          match === null
            ? sticky
              ? 1
              : s.length - start
            : Math.max(1, upTo(s.length, start, match.index, match[0].length));
        return match;
      },
  ],
  ...(["indexOf", "includes"] as const).map(
    (name) =>
      [
        String.prototype,
        name,
        (original: BuiltIn) =>
          function (this: string, search: unknown, from?: unknown) {
            const start = clamp(from, this.length);
            scanned += upTo(this.length, start, stringIndexOf.call(this, String(search), start), String(search).length);
            return original.call(this as never, search as never, from as never);
          },
      ] as Counted,
  ),
  [
    String.prototype,
    "lastIndexOf",
    (original) =>
      function (this: string, search: unknown, from?: unknown) {
        const at = original.call(this as never, search as never, from as never) as number;
        const end = from === undefined ? this.length : clamp(from, this.length);
        scanned += at < 0 ? end : end - at + String(search).length;
        return at;
      },
  ],
  // With a string pattern (a regular expression is counted by exec): the whole text, or up to the first match.
  ...(["split", "replaceAll", "replace"] as const).map(
    (name) =>
      [
        String.prototype,
        name,
        (original: BuiltIn) =>
          function (this: string, ...args: unknown[]) {
            if (!(args[0] instanceof RegExp))
              scanned +=
                name === "replace"
                  ? upTo(this.length, 0, stringIndexOf.call(this, String(args[0])), String(args[0]).length)
                  : this.length;
            return original.apply(this as never, args as never);
          },
      ] as Counted,
  ),
  ...(
    [
      "toLowerCase",
      "toUpperCase",
      "toLocaleLowerCase",
      "toLocaleUpperCase",
      "trim",
      "trimStart",
      "trimEnd",
      "normalize",
    ] as const
  ).map(
    (name) =>
      [
        String.prototype,
        name,
        (original: BuiltIn) =>
          function (this: string, ...args: unknown[]) {
            scanned += this.length;
            return original.apply(this as never, args as never);
          },
      ] as Counted,
  ),
  ...(["indexOf", "includes"] as const).map(
    (name) =>
      [
        Array.prototype,
        name,
        (original: BuiltIn) =>
          function (this: unknown[], ...args: unknown[]) {
            const start = clamp(args[1], this.length);
            scanned += upTo(this.length, start, arrayIndexOf.call(this, args[0], start), 1);
            return original.apply(this as never, args as never);
          },
      ] as Counted,
  ),
];

/** Wraps the counted built-ins; returns what puts them back. */
function countBuiltIns(): () => void {
  const originals = COUNTED.map(([owner, name]) => (owner as Record<string, BuiltIn>)[name]!);
  COUNTED.forEach(([owner, name, wrap], i) => {
    (owner as Record<string, BuiltIn>)[name] = wrap(originals[i]!);
  });
  return () =>
    COUNTED.forEach(([owner, name], i) => {
      (owner as Record<string, BuiltIn>)[name] = originals[i]!;
    });
}

interface Coverage {
  result: Array<{
    url: string;
    functions: Array<{ functionName: string; isBlockCoverage: boolean; ranges: Array<{ count: number }> }>;
  }>;
}

/** The steps `work` takes (awaited): blocks of JavaScript run, plus characters the searching built-ins pass over. */
export async function stepsOf(work: () => unknown): Promise<number> {
  post("Profiler.takePreciseCoverage"); // resets the counters
  scanned = 0;
  const restore = countBuiltIns();
  try {
    await work();
  } finally {
    restore();
  }
  const { result } = post("Profiler.takePreciseCoverage") as Coverage;
  let blocks = 0;
  for (const script of result) {
    if (script.url === import.meta.url || !counted(script.url)) continue; // the counting itself, the test runner
    for (const fn of script.functions) {
      if (!fn.isBlockCoverage && fn.ranges[0]!.count > 0) {
        throw new Error(
          `${script.url}: ${fn.functionName || "a function"} ran uncounted (compiled before steps.ts was imported)`,
        );
      }
      for (const range of fn.ranges) blocks += range.count;
    }
  }
  return blocks + scanned;
}
