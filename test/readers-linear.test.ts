// Every text reader the catalog exports takes time linear in its input (issue 11): each module's parse functions,
// the runtime's findCodes and foldText, and classify. Each is fed its own set's texts cut short (every fragment
// starts a match that fails late) mixed with log syntax, at 128 K and 1 M characters; 8× the input must take well
// under 12× the time (a quadratic reader takes 64×). Ratios, not times: the machine is shared.
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { findCodes, foldText } from "mailcodes-runtime";
import { classify } from "../generated/index.ts";
import { repeatedToSize } from "./bounce-adversarial.ts";
import { ROOT } from "./helpers.ts";

const SYNTAX = ["550-5.1.1 ", "550 ", "Status: 5.1.1 (", "Diagnostic-Code: smtp; ", "<a@b.example>: ", "#5.", "(#4.4.1", "5.7.", "192.0.2.", "\n", " ", "“", "'"];

interface Reader {
  readonly name: string;
  readonly read: (text: string) => unknown;
  /** The texts its input is made of. */
  readonly texts: readonly string[];
}

/** Every module's `parse…` functions, with the texts of the module's entries. */
async function moduleReaders(): Promise<Reader[]> {
  const readers: Reader[] = [];
  const modules = readdirSync(path.join(ROOT, "generated")).filter((file) => file.endsWith(".ts") && !file.startsWith("runtime") && file !== "index.ts");
  for (const file of modules.sort()) {
    const module = (await import(`../generated/${file}`)) as Record<string, unknown>;
    const texts = Object.entries(module)
      .filter(([name, value]) => name.endsWith("Entries") && Array.isArray(value))
      .flatMap(([, entries]) => (entries as { code: unknown; texts: Record<string, string | undefined> }[]).flatMap((e) => [String(e.code), ...Object.values(e.texts).filter((t): t is string => t !== undefined)]));
    for (const [name, value] of Object.entries(module)) {
      // The index re-exports the modules' functions: each is timed once, where it is defined.
      if (name.startsWith("parse") && typeof value === "function" && !readers.some((r) => r.read === value)) readers.push({ name: `${file}: ${name}`, read: value as (text: string) => unknown, texts });
    }
  }
  return readers;
}

/** About `size` characters: the texts cut short, and log syntax, in a fixed pseudo-random order. */
function adversarial(texts: readonly string[], size: number): string {
  return repeatedToSize(texts.flatMap((t) => [t.slice(0, Math.max(1, t.length - 1)), t.slice(0, Math.ceil(t.length / 2))]).concat(SYNTAX), size);
}

function bestTime(read: (text: string) => unknown, text: string): number {
  let best = Infinity;
  for (let run = 0; run < 5; run++) {
    const start = performance.now();
    read(text);
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

const readers = await moduleReaders();
const allTexts = readers.flatMap((r) => r.texts);
readers.push(
  { name: "runtime: findCodes", read: findCodes, texts: allTexts },
  { name: "runtime: foldText", read: foldText, texts: allTexts },
  { name: "index: classify", read: classify, texts: allTexts },
);

describe("every text reader takes time linear in its input", () => {
  it("finds the readers: a parse function in every module with codes, and the runtime's", () => {
    expect(readers.length).toBeGreaterThan(20);
    expect(readers.map((r) => r.name)).toEqual(expect.arrayContaining(["yahoo-mail.ts: parseYahooMailError", "error-mail-message.ts: parseErrorMailMessage", "gmail.ts: parseGmailError"]));
  });

  it.each(readers.map((r) => [r.name, r] as const))("%s: 8× the input takes well under 12× the time", (_name, reader) => {
    const small = adversarial(reader.texts, 128 * 1024);
    const large = adversarial(reader.texts, 1024 * 1024);
    reader.read(large); // warm up
    const [smallMs, largeMs] = [bestTime(reader.read, small), bestTime(reader.read, large)];
    // A reader that stops at the first code it finds takes no time at either size: nothing to compare.
    expect(largeMs / Math.max(smallMs, 0.1), `${smallMs.toFixed(2)} ms, then ${largeMs.toFixed(2)} ms`).toBeLessThan(12);
  });
});
