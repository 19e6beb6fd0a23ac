// The labelled Sisimai corpus (test/fixtures/sisimai) and how results are scored against its labels: shared by the
// bounce tests and bench/classify.ts.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const CORPUS = join(fileURLToPath(new URL(".", import.meta.url)), "fixtures", "sisimai");

export type Category = "lhost" | "rhost" | "rfc3464" | "rfc3834" | "arf";
export const CATEGORIES: readonly Category[] = ["lhost", "rhost", "rfc3464", "rfc3834", "arf"];

export interface Fact {
  readonly status: string;
  readonly replyCode: string;
  readonly reason: string;
  readonly hardBounce: boolean;
}

export interface Sample {
  readonly id: string;
  readonly file: string;
  readonly category: Category;
  readonly engine: string;
  readonly facts: readonly Fact[];
}

export function samples(): Sample[] {
  return (JSON.parse(readFileSync(join(CORPUS, "labels.json"), "utf8")) as { samples: Sample[] }).samples;
}

export function mailOf(sample: Sample): Buffer {
  return readFileSync(join(CORPUS, sample.file));
}

/** What is compared of one result. */
export interface Predicted {
  readonly reason: string;
  readonly hardBounce: boolean;
  readonly enhancedCode?: string;
  readonly replyCode?: number;
  readonly recipient?: string;
  readonly diagnostic?: string;
  readonly format?: string;
}

/** A status Sisimai makes up from its reason (x.0.9xx): not in the mail's text, so only the reason is compared. */
export function isPseudoStatus(status: string): boolean {
  return /^[245]\.0\.9[0-9][0-9]$/.test(status);
}

export interface Tally {
  reason: [number, number];
  hard: [number, number];
  status: [number, number];
  reply: [number, number];
}

export interface Miss {
  readonly id: string;
  readonly index: number;
  readonly category: Category;
  readonly what: "reason" | "hard" | "status" | "reply";
  readonly expected: string;
  readonly got: string;
  readonly result?: Predicted;
}

export interface Agreement {
  readonly overall: Tally;
  readonly byCategory: Record<Category, Tally>;
  readonly misses: Miss[];
  readonly facts: number;
}

const emptyTally = (): Tally => ({ reason: [0, 0], hard: [0, 0], status: [0, 0], reply: [0, 0] });

/**
 * Agreement of results with the labels, fact by fact (the n-th result against the n-th fact): the reason and
 * hard/soft always; the status where the label's is in the text (not empty, not a pseudo x.0.9xx); the reply code
 * where the label has one.
 */
export function agreement(runs: ReadonlyArray<{ sample: Sample; results: readonly Predicted[] }>): Agreement {
  const overall = emptyTally();
  const byCategory = Object.fromEntries(CATEGORIES.map((c) => [c, emptyTally()])) as Record<Category, Tally>;
  const misses: Miss[] = [];
  let facts = 0;
  for (const { sample, results } of runs) {
    sample.facts.forEach((fact, index) => {
      facts++;
      const r = results[index];
      const tallies = [overall, byCategory[sample.category]];
      const count = (what: keyof Tally, ok: boolean, expected: string, got: string) => {
        for (const t of tallies) {
          t[what][1]++;
          if (ok) t[what][0]++;
        }
        if (!ok)
          misses.push({
            id: sample.id,
            index,
            category: sample.category,
            what,
            expected,
            got,
            ...(r !== undefined && { result: r }),
          });
      };
      count("reason", r?.reason === fact.reason, fact.reason, r?.reason ?? "(no result)");
      count(
        "hard",
        r?.hardBounce === fact.hardBounce,
        String(fact.hardBounce),
        r === undefined ? "(no result)" : String(r.hardBounce),
      );
      if (fact.status !== "" && !isPseudoStatus(fact.status))
        count("status", r?.enhancedCode === fact.status, fact.status, r?.enhancedCode ?? "(none)");
      if (fact.replyCode !== "")
        count(
          "reply",
          r?.replyCode !== undefined && String(r.replyCode) === fact.replyCode,
          fact.replyCode,
          r?.replyCode !== undefined ? String(r.replyCode) : "(none)",
        );
    });
  }
  return { overall, byCategory, misses, facts };
}

export function ratio([ok, all]: [number, number]): number {
  return all === 0 ? 1 : ok / all;
}
