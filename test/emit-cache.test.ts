// The memos watch mode keeps: after an edit, the catalog and the modules they give are those a fresh run gives,
// whether the edit is to a set's own spec or to a registry that other modules name.
import { cp, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { emit } from "../generator/src/emit.ts";
import { existingDocuments, loadSpecs, type ParseCache } from "../generator/src/load.ts";
import { Memo } from "../generator/src/memo.ts";
import type { Catalog, CodeSet } from "../generator/src/model.ts";
import { checkAndModel } from "../generator/src/pipeline.ts";
import { REGISTRIES_FOLDER } from "../generator/src/registries.ts";
import { SPEC_DIR, tempDir } from "./helpers.ts";

/** A catalog's sets as data: a set's names hold a function (one per build), compared by what it gives. */
function comparable(catalog: Catalog) {
  return catalog.sets.map((set) => ({ ...set, names: { ...set.names, outcome: set.names.outcome("permanent") } }));
}

describe("watch's memos", () => {
  it("gives what a fresh emit gives after each edit, and reprints only what an edit reaches", async () => {
    const dir = await tempDir();
    await cp(SPEC_DIR, dir, { recursive: true });
    // The registries as the spec dir's own, so that an edit can reach them.
    for (const name of (await readdir(REGISTRIES_FOLDER)).filter((n) => n.endsWith(".yaml")))
      await cp(path.join(REGISTRIES_FOLDER, name), path.join(dir, name));
    await cp(path.join(REGISTRIES_FOLDER, "reference"), path.join(dir, "reference"), { recursive: true });
    const parsed: ParseCache = new Map();
    const models = new Memo<CodeSet>();
    const modules = new Memo<string>();
    const modelled: CodeSet[][] = [];
    const options = { generatorVersion: "0.0.0" };
    const run = async () => {
      const { specs } = await loadSpecs(dir, parsed);
      const documents = await existingDocuments(dir, specs);
      const { catalog, diagnostics } = checkAndModel(specs, documents, dir, models);
      expect(diagnostics).toEqual([]);
      expect(comparable(catalog!)).toEqual(comparable(checkAndModel(specs, documents, dir).catalog!));
      modelled.push([...catalog!.sets]);
      const cached = emit(catalog!, options, modules);
      expect(cached).toEqual(emit(catalog!, options));
      return new Map(cached.map((f) => [f.path, f.text]));
    };
    const edit = async (file: string, from: RegExp, to: string) => {
      const text = await readFile(path.join(dir, file), "utf8");
      expect(text).toMatch(from);
      await writeFile(path.join(dir, file), text.replace(from, to));
    };
    const changed = (before: Map<string, string>, after: Map<string, string>) =>
      [...after].filter(([p, text]) => before.get(p) !== text).map(([p]) => p);

    const first = await run();
    await edit("bounce-wording.yaml", /^( {4}description: )/m, "$1Edited. ");
    const second = await run();
    expect(changed(first, second)).toEqual(["bounce-wording.ts"]);
    // Modelled again: the edited spec's set alone.
    const [before, after] = modelled.slice(-2) as [CodeSet[], CodeSet[]];
    expect(after.filter((set, i) => set !== before[i]).map((set) => set.id)).toEqual(["bounce-wording"]);
    // A registry's wording: its own module only.
    await edit("rfc5321.yaml", /^( {4}description: )/m, "$1Edited. ");
    const edited = await run();
    expect(changed(second, edited)).toEqual(["smtp-reply-code.ts"]);
    // A registry is an input of every set: all are modelled again.
    const [kept, remade] = modelled.slice(-2) as [CodeSet[], CodeSet[]];
    expect(remade.every((set, i) => set !== kept[i])).toBe(true);
    // A registry's member renamed: every module that links to it follows.
    await edit("rfc5321.yaml", /name: MailboxUnavailable\b/, "name: MailboxUnavailableRenamed");
    const third = await run();
    const linking = [...third]
      .filter(([, text]) => text.includes("SmtpReplyCode.MailboxUnavailableRenamed"))
      .map(([p]) => p);
    expect(linking.length).toBeGreaterThan(1);
    for (const p of linking) expect(changed(edited, third)).toContain(p);
  });
});
