// The emit cache watch mode keeps: after an edit, the modules it gives are those a fresh emit gives, whether the
// edit is to a set's own spec or to a registry that other modules name.
import { cp, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EmitCache, emit } from "../generator/src/emit.ts";
import { existingDocuments, loadSpecs, type ParseCache } from "../generator/src/load.ts";
import { checkAndModel } from "../generator/src/pipeline.ts";
import { REGISTRIES_FOLDER } from "../generator/src/registries.ts";
import { SPEC_DIR, tempDir } from "./helpers.ts";

describe("emit cache", () => {
  it("gives what a fresh emit gives after each edit, and reprints only what an edit reaches", async () => {
    const dir = await tempDir();
    await cp(SPEC_DIR, dir, { recursive: true });
    // The registries as the spec dir's own, so that an edit can reach them.
    for (const name of (await readdir(REGISTRIES_FOLDER)).filter((n) => n.endsWith(".yaml")))
      await cp(path.join(REGISTRIES_FOLDER, name), path.join(dir, name));
    await cp(path.join(REGISTRIES_FOLDER, "reference"), path.join(dir, "reference"), { recursive: true });
    const parsed: ParseCache = new Map();
    const cache = new EmitCache();
    const options = { generatorVersion: "0.0.0" };
    const run = async () => {
      const { specs } = await loadSpecs(dir, parsed);
      const { catalog, diagnostics } = checkAndModel(specs, await existingDocuments(dir, specs), dir);
      expect(diagnostics).toEqual([]);
      const cached = emit(catalog!, options, cache);
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
    // A registry's wording: its own module only.
    await edit("rfc5321.yaml", /^( {4}description: )/m, "$1Edited. ");
    const edited = await run();
    expect(changed(second, edited)).toEqual(["smtp-reply-code.ts"]);
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
