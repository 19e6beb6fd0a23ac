// make bench: generation against its floor, the watch loop, and bundle sizes → bench/RESULTS.md (classification has
// its own bench, bench/classify.ts → bench/CLASSIFY.md, which make bench runs after this one).
//
// No assertions here: machines are shared and noisy, so the targets are read as ratios measured in one run. The
// floor is a node process that only parses the same YAML files with the same library (yaml's parseAllDocuments, as
// the loader calls it); a cold generate is compared with it in time and in peak memory.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import path from "node:path";
import { bundleSection } from "./bundles.ts";
import { syntheticSpec } from "./synthetic.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const CLI = path.join(ROOT, "generator/bin/mailcodes.js");
const PEAK = path.join(ROOT, "bench/peak-memory.mjs");
const work = mkdtempSync(path.join(tmpdir(), "mailcodes-bench-"));

interface Measure {
  ms: number;
  rssMb: number;
}

/** One cold node process: wall time and peak memory. */
function cold(args: readonly string[]): Measure {
  const start = process.hrtime.bigint();
  const child = spawnSync(process.execPath, ["--import", PEAK, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (child.status !== 0) throw new Error(`node ${args.join(" ")} exited ${child.status}:\n${child.stderr}`);
  return { ms, rssMb: Number(/BENCH_MAX_RSS_KB=(\d+)/.exec(child.stderr)?.[1]) / 1024 };
}

/** The best of runs, each measure on its own (the least disturbed by other load). */
function best(runs: readonly Measure[]): Measure {
  return { ms: Math.min(...runs.map((r) => r.ms)), rssMb: Math.min(...runs.map((r) => r.rssMb)) };
}

// The floor: parse every spec of a dir, and the standard registries the generator carries beside it, with yaml,
// nothing else.
const REGISTRIES = path.join(ROOT, "generator/registries");
const FLOOR = path.join(work, "floor.mjs");
writeFileSync(
  FLOOR,
  `
import { readdirSync, readFileSync } from "node:fs";
import { parseAllDocuments } from ${JSON.stringify(import.meta.resolve("yaml"))};
for (const dir of process.argv.slice(2)) {
  for (const name of readdirSync(dir).filter((n) => n.endsWith(".yaml")).sort()) {
    for (const doc of parseAllDocuments(readFileSync(dir + "/" + name, "utf8"), { uniqueKeys: true, strict: true, prettyErrors: false, merge: false })) doc.toJS();
  }
}
`,
);

/** A spec dir of synthetic entries in files of `perFile`, and the documents they name (the registries are built in). */
function syntheticSpecDir(name: string, entries: number, perFile: number): string {
  const dir = path.join(work, name, "spec");
  mkdirSync(path.join(dir, "sources"), { recursive: true });
  writeFileSync(path.join(dir, "sources/synthetic.txt"), "");
  for (let part = 0; part * perFile < entries; part++) {
    const count = Math.min(perFile, entries - part * perFile);
    writeFileSync(
      path.join(dir, `synthetic-${part}.yaml`),
      syntheticSpec({ entries: count, firstCode: 100000 + part * perFile, id: `synthetic-code-${part}` }),
    );
  }
  return dir;
}

const RUNS = 5;
interface Row {
  label: string;
  entries: number;
  floor: Measure;
  generate: Measure;
  check: Measure;
}
const rows: Row[] = [];

function measureDir(label: string, specDir: string, entries: number, runs: number): void {
  const out = path.join(path.dirname(specDir), "out");
  // In turn, a round at a time, so that the floor and generate see the machine alike (a shared machine drifts).
  const floors: Measure[] = [];
  const generates: Measure[] = [];
  const checks: Measure[] = [];
  for (let round = 0; round < runs; round++) {
    floors.push(cold([FLOOR, specDir, REGISTRIES]));
    rmSync(out, { recursive: true, force: true });
    generates.push(cold([CLI, "generate", "--spec-dir", specDir, "--out-dir", out]));
    checks.push(cold([CLI, "check", "--spec-dir", specDir, "--out-dir", out]));
  }
  rows.push({ label, entries, floor: best(floors), generate: best(generates), check: best(checks) });
}

const realSpec = path.join(work, "real", "spec");
cpSync(path.join(ROOT, "spec"), realSpec, { recursive: true });
const realEntries = readdirSync(realSpec)
  .filter((n) => n.endsWith(".yaml"))
  .reduce((sum, n) => sum + (readFileSync(path.join(realSpec, n), "utf8").match(/^ {6}- /gm)?.length ?? 0), 0);
measureDir("real (spec/)", realSpec, realEntries, RUNS);
for (const [n, perFile] of [
  [1_000, 1_000],
  [10_000, 10_000],
  [10_000, 1_000],
  [25_000, 10_000],
  [50_000, 10_000],
] as const) {
  const files = Math.ceil(n / perFile);
  measureDir(
    `synthetic, ${files === 1 ? "1 file" : `${files} files`}`,
    syntheticSpecDir(`n${n}-${perFile}`, n, perFile),
    n,
    n >= 25_000 ? 2 : RUNS,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The edit loop: generate --watch on the real specs; each spec edited in turn (a set's description), once warm.

interface Edit {
  spec: string;
  runMs: number;
  endToEndMs: number;
}

async function watchEdits(): Promise<Edit[]> {
  const specDir = path.join(work, "watch", "spec");
  cpSync(path.join(ROOT, "spec"), specDir, { recursive: true });
  const child = spawn(
    process.execPath,
    [CLI, "generate", "--watch", "--spec-dir", specDir, "--out-dir", path.join(work, "watch", "out")],
    { cwd: ROOT },
  );
  let buffer = "";
  const waiters: Array<(line: string) => void> = [];
  // Lines no one waits for yet are kept: two can come in one chunk ("… written …" and "watching …").
  const unread: string[] = [];
  child.stdout.on("data", (chunk: Buffer) => {
    buffer += chunk.toString("utf8");
    let nl;
    while ((nl = buffer.indexOf("\n")) !== -1) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      const waiter = waiters.shift();
      if (waiter) waiter(line);
      else unread.push(line);
    }
  });
  const nextLine = () =>
    new Promise<string>((resolve) => (unread.length > 0 ? resolve(unread.shift()!) : waiters.push(resolve)));
  await nextLine(); // the first generate
  await nextLine(); // "watching"
  const specs = readdirSync(specDir)
    .filter((n) => n.endsWith(".yaml"))
    .sort();
  const edits: Edit[] = [];
  for (let round = 0; round < 4; round++) {
    for (const spec of specs) {
      const file = path.join(specDir, spec);
      const text = readFileSync(file, "utf8");
      const edited = text.replace(
        /^( {4}description: )(.*)$/m,
        (_, key: string, value: string) =>
          `${key}${value.startsWith('"') ? `"${round} ${value.slice(1)}` : `${round} ${value}`}`,
      );
      const start = performance.now();
      const line = nextLine();
      writeFileSync(file, edited);
      const printed = await line;
      const endToEndMs = performance.now() - start;
      const runMs = Number(/\((\d+) ms\)$/.exec(printed)?.[1]);
      if (!/ written, /.test(printed)) throw new Error(`watch did not regenerate ${spec}: ${printed}`);
      if (round > 0) edits.push({ spec, runMs, endToEndMs }); // round 0 warms up
    }
  }
  child.kill("SIGINT");
  return edits;
}
const edits = await watchEdits();

// Bundle sizes: bench/bundles.ts (runnable alone).
const bundles = await bundleSection();
rmSync(work, { recursive: true, force: true });

// ---------------------------------------------------------------------------------------------------------------

const table = (head: string[], body: string[][]) =>
  [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...body.map((r) => `| ${r.join(" | ")} |`)].join(
    "\n",
  );
const ratio = (a: number, b: number) => (a / b).toFixed(2);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const real = rows[0]!;
const tenK = rows.find((r) => r.entries === 10_000 && r.label.endsWith("1 file"))!;
const perEntry = (r: Row) => (r.generate.ms - r.floor.ms) / r.entries;
const synthetic = rows.slice(1);
const verdict = (ok: boolean) => (ok ? "met" : "**not met**");
const worstEdit = Math.max(...edits.map((e) => e.runMs));
const bySpec = [...new Set(edits.map((e) => e.spec))].map((spec) => {
  const own = edits.filter((e) => e.spec === spec);
  return [
    spec,
    String(median(own.map((e) => e.runMs))),
    String(Math.max(...own.map((e) => e.runMs))),
    median(own.map((e) => e.endToEndMs)).toFixed(0),
  ];
});

const report = `# Benchmark results

Measured by \`make bench\` on ${cpus().length} × ${cpus()[0]?.model.trim() ?? "unknown CPU"}, Node ${process.version}. Every run is a cold
process (\`node bin/mailcodes.js …\`, the generator compiled by \`make\`), best of ${RUNS} (2 from 25,000 entries), the floor,
generate and check run in turn a round at a time. The floor is a
node process that only parses the same YAML files with the same library (\`yaml\`'s \`parseAllDocuments\`, as the loader
calls it). Synthetic specs (bench/synthetic.ts: two Japanese text columns, one with ditto marks, an attribute, a
reference; about 250 bytes of YAML an entry) sit beside the registries of reply and enhanced status codes.

## Generation against its floor

${table(
  ["specs", "entries", "floor ms", "floor MB", "generate ms", "× floor", "generate MB", "× floor", "check ms"],
  rows.map((r) => [
    r.label,
    r.entries.toLocaleString("en-US"),
    r.floor.ms.toFixed(0),
    r.floor.rssMb.toFixed(0),
    r.generate.ms.toFixed(0),
    ratio(r.generate.ms, r.floor.ms),
    r.generate.rssMb.toFixed(0),
    ratio(r.generate.rssMb, r.floor.rssMb),
    r.check.ms.toFixed(0),
  ]),
)}

- **Real specs:** generate takes ${ratio(real.generate.ms, real.floor.ms)}× the floor (target ≤ 5×: ${verdict(real.generate.ms <= 5 * real.floor.ms)}); loading ts-morph dominates.
- **10,000 entries in one file:** ${ratio(tenK.generate.ms, tenK.floor.ms)}× the floor in time (target ≤ 1.5×: ${verdict(tenK.generate.ms <= 1.5 * tenK.floor.ms)}) and ${ratio(tenK.generate.rssMb, tenK.floor.rssMb)}× in peak memory (target ≤ 2×: ${verdict(tenK.generate.rssMb <= 2 * tenK.floor.rssMb)}).
- **Growth:** time above the floor per 1,000 entries — ${synthetic.map((r) => `${r.entries.toLocaleString("en-US")}: ${(perEntry(r) * 1000).toFixed(0)} ms`).join("; ")} (flat or falling: linear).

## The edit loop: generate --watch

Each spec edited in turn (one set's description), 3 rounds after a warm-up round, on a copy of the real specs. "run" is
the regeneration the watcher reports (parse of the changed spec, validation of all, model, printing of the changed
modules, write); "end to end" adds the file system's notice and the watcher's ${20} ms settling pause.

${table(["spec edited", "run ms (median)", "run ms (worst)", "end to end ms (median)"], bySpec)}

Worst run: ${worstEdit} ms (target: a one-spec edit regenerated in ≤ 100 ms once warm: ${verdict(worstEdit <= 100)}).

${bundles}`;
console.log(report);
writeFileSync(path.join(ROOT, "bench/RESULTS.md"), report);
