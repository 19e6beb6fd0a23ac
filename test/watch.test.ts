// generate --watch: generates, then again on every change to a spec, prints problems and keeps running, and stops
// with exit 0 when told to. (How fast a warm edit is regenerated is measured in the bench.)
import { renameSync } from "node:fs";
import { cp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../generator/src/cli.ts";
import { copyOfSpecs, ROOT, snapshot, tempDir } from "./helpers.ts";

/**
 * Lines printed so far, and a way to wait for one that matches. It waits on what the watch prints, never on a clock:
 * a watch that never prints the line leaves the test to vitest's own timeout.
 */
function recorder() {
  const lines: string[] = [];
  const waiters: Array<() => void> = [];
  const push = (text: string) => {
    lines.push(...text.split("\n"));
    for (const wake of waiters.splice(0)) wake();
  };
  const waitFor = async (pattern: RegExp, from: number): Promise<number> => {
    for (;;) {
      const index = lines.findIndex((line, i) => i >= from && pattern.test(line));
      if (index !== -1) return index;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  return { lines, push, waitFor };
}

/** `generate --watch` over a fresh copy of the real specs, printing into a recorder; `stop` aborts it. */
async function startWatch() {
  const specDir = await copyOfSpecs();
  const outDir = path.join(await tempDir(), "generated");
  const { lines, push, waitFor } = recorder();
  const controller = new AbortController();
  const exit = main(["generate", "--watch", "--spec-dir", specDir, "--out-dir", outDir], {
    out: push,
    err: push,
    signal: controller.signal,
  });
  return { specDir, outDir, lines, waitFor, exit, stop: () => controller.abort() };
}

describe("generate --watch", () => {
  it("regenerates on a change, reports a broken spec without touching the out dir, recovers, and stops with 0", async () => {
    const { specDir, outDir, lines, waitFor, exit, stop } = await startWatch();
    const smp = path.join(specDir, "smp.yaml");
    const original = await readFile(smp, "utf8");

    await waitFor(/^mailcodes: watching /, 0);
    const modules = (await readdir(path.join(ROOT, "generated"))).length; // the committed catalog: what the specs make
    expect(lines[0]).toMatch(new RegExp(`: ${modules} written, 0 removed, 0 unchanged \\(\\d+ ms\\)$`));
    const module = () => readFile(path.join(outDir, "smp-delivery-code.ts"), "utf8");
    expect(await module()).toContain("DeliveryCompleted: 40000");

    let at = lines.length;
    await writeFile(smp, original.replace("name: DeliveryCompleted", "name: Delivery done"));
    const oneWritten = new RegExp(`: 1 written, 0 removed, ${modules - 1} unchanged \\(\\d+ ms\\)$`);
    at = (await waitFor(oneWritten, at)) + 1;
    expect(await module()).toContain("DeliveryDone: 40000");

    const before = await snapshot(outDir);
    await writeFile(smp, original.replace("name: DeliveryCompleted", "name: 9 lives"));
    at = (await waitFor(/keeps its last output; waiting for changes$/, at)) + 1;
    expect(
      lines.some((line) => /smp\.yaml:\d+:\d+: name "9 lives" becomes 9Lives, which starts with a digit/.test(line)),
    ).toBe(true);
    expect(await snapshot(outDir)).toEqual(before);

    await writeFile(smp, original);
    await waitFor(oneWritten, at);
    expect(await module()).toContain("DeliveryCompleted: 40000");

    stop();
    expect(await exit).toBe(0);
  });

  it("refuses a spec dir left without specs, as generate does, and deletes nothing (issue 19, item 17)", async () => {
    const { specDir, outDir, lines, waitFor, exit, stop } = await startWatch();
    try {
      const at = (await waitFor(/^mailcodes: watching /, 0)) + 1;
      const before = await snapshot(outDir);
      for (const name of await readdir(specDir)) if (name.endsWith(".yaml")) await rm(path.join(specDir, name));
      await waitFor(
        new RegExp(
          `^mailcodes: no specs \\(\\*\\.yaml\\) in ${specDir}; ${outDir} keeps its last output; waiting for changes$`,
        ),
        at,
      );
      expect(await snapshot(outDir)).toEqual(before);
      expect(lines.slice(at).filter((line) => / removed/.test(line))).toEqual([]);
    } finally {
      stop();
    }
    expect(await exit).toBe(0);
  });

  it("follows the spec dir's path when it is replaced by another directory (issue 19, item 16)", async () => {
    const { specDir, outDir, waitFor, exit, stop } = await startWatch();
    const module = () => readFile(path.join(outDir, "smp-delivery-code.ts"), "utf8");
    try {
      let at = (await waitFor(/^mailcodes: watching /, 0)) + 1;
      const replacement = `${specDir}-new`;
      await cp(specDir, replacement, { recursive: true });
      const smp = path.join(replacement, "smp.yaml");
      const original = await readFile(smp, "utf8");
      await writeFile(smp, original.replace("name: DeliveryCompleted", "name: Delivery done"));
      // In one step, as far as the watch can tell: the old directory goes, the new one takes its path.
      renameSync(specDir, `${specDir}-old`);
      renameSync(replacement, specDir);
      at = (await waitFor(/: 1 written, 0 removed, \d+ unchanged/, at)) + 1;
      expect(await module()).toContain("DeliveryDone: 40000");
      await writeFile(
        path.join(specDir, "smp.yaml"),
        original.replace("name: DeliveryCompleted", "name: Delivery finished"),
      );
      await waitFor(/: 1 written, 0 removed, \d+ unchanged/, at);
      expect(await module()).toContain("DeliveryFinished: 40000");
    } finally {
      stop();
    }
    expect(await exit).toBe(0);
  });

  it("says it stopped, and exits 2, when the spec dir is deleted (issue 19, item 16)", async () => {
    const { specDir, waitFor, exit, stop } = await startWatch();
    try {
      const at = (await waitFor(/^mailcodes: watching /, 0)) + 1;
      await rm(specDir, { recursive: true });
      await waitFor(
        new RegExp(`^mailcodes: stopped watching ${specDir}: it was deleted; start the watch again once it is back$`),
        at,
      );
    } finally {
      stop();
    }
    expect(await exit).toBe(2);
  });

  it("says so, and exits 2, when the spec dir does not exist", async () => {
    const err: string[] = [];
    const specDir = path.join(await tempDir(), "nope");
    expect(
      await main(["generate", "--watch", "--spec-dir", specDir], { out: () => undefined, err: (t) => err.push(t) }),
    ).toBe(2);
    expect(err).toEqual([`mailcodes: the spec dir ${specDir} is not a directory, or does not exist (--spec-dir)`]);
  });

  it("goes with generate only", async () => {
    const err: string[] = [];
    expect(await main(["check", "--watch"], { out: () => undefined, err: (t) => err.push(t) })).toBe(2);
    expect(err).toEqual(["mailcodes: --watch goes with generate; see mailcodes --help"]);
  });
});
