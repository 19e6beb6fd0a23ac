// load: a spec's data is what yaml's own toJS makes of its document, key order included — for every spec, registry
// and fixture the project has, a large synthetic one, and YAML written every way a spec may be written.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { syntheticSpec } from "../bench/synthetic.ts";
import { parseSpec, parseYaml } from "../generator/src/load.ts";
import { REGISTRIES_FOLDER } from "../generator/src/registries.ts";
import { ROOT, SPEC_DIR } from "./helpers.ts";

/** YAML's ways of writing plain data, keys an object already has; the two without a document and the collection key give none. */
const WRITTEN = [
  "a: 1\nb: [1, 2, {c: d}]\n",
  "__proto__: { polluted: true }\nconstructor: 1\ntoString: x\nhasOwnProperty: y\n",
  "1: one\n2: two\n10: ten\n-1: minus\n0x1F: hex\n",
  "~: null key\ntrue: yes\nfalse: no\nnull-valued: null\n",
  "floats: [1.0, -0.0, .5, 1e3, .inf, -.inf, .nan, 0o17, 017, +12]\n",
  'quoted: ["a\\tb\\u00e9\\x41", \'it\'\'s\', "\\""]\nplain: multi\n  line words\n',
  "block: |\n  kept\n    indented\n\nfolded: >-\n  folded\n  lines\n",
  "<<: not a merge\nempty:\nlist:\n  -\n  - ~\n",
  "{ flow: map, with: [nested, { deep: [ {} , [] ] }] }\n",
  "# only a comment\n",
  "",
  "just a scalar\n",
  "- a\n- b: 1\n  c: 2\n- [x, y]\n",
  '!!str 1: !!int "2"\n!!map { a: !!seq [ !!bool true ] }: 3\n',
  "? complex\n: value\n",
  Array.from({ length: 30 }, (_, i) => `${"  ".repeat(i)}k${i}:`).join("\n") + " 1\n",
];

async function yamlFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await yamlFiles(full)));
    else if (/\.ya?ml$/.test(entry.name)) found.push(full);
  }
  return found;
}

/** parseSpec's data, when it gives data, against yaml's toJS of the same document. */
function expectSameData(name: string, bytes: Buffer): boolean {
  const { spec } = parseSpec(name, bytes);
  if (spec === undefined) return false;
  const expected = parseYaml(spec.text).docs[0]!.toJS() as unknown;
  expect(spec.data, name).toStrictEqual(expected);
  // toStrictEqual ignores key order, which is the order of the generated rows' fields.
  expect(JSON.stringify(spec.data), name).toBe(JSON.stringify(expected));
  expect(Object.getPrototypeOf(spec.data ?? {}), name).not.toHaveProperty("polluted");
  return true;
}

describe("load's data", () => {
  it("is yaml's toJS of every spec, registry and fixture in the repository", async () => {
    const files = [
      ...(await yamlFiles(SPEC_DIR)),
      ...(await yamlFiles(REGISTRIES_FOLDER)),
      ...(await yamlFiles(path.join(ROOT, "test/fixtures"))),
    ];
    expect(files.length).toBeGreaterThan(40);
    let withData = 0;
    for (const file of files) if (expectSameData(path.relative(ROOT, file), await readFile(file))) withData++;
    expect(withData).toBeGreaterThan(20);
  });

  it("is yaml's toJS of a synthetic spec of 2,000 entries, and of YAML written every way", () => {
    expect(
      expectSameData(
        "synthetic.yaml",
        Buffer.from(syntheticSpec({ entries: 2000, firstCode: 100000, id: "synthetic-code" })),
      ),
    ).toBe(true);
    const given = WRITTEN.filter((text, i) => expectSameData(`written-${i}.yaml`, Buffer.from(text)));
    expect(WRITTEN.length - given.length).toBe(3);
  });

  it("still reports what the plain walk leaves to the checks: a key twice, an alias, a tag that makes other data", () => {
    const messages = (text: string) =>
      parseSpec("s.yaml", Buffer.from(text)).diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`);
    expect(messages("a: 1\nb: 2\na: 3\n")).toEqual([
      "3:1 Map keys must be unique: this key appears twice in the same mapping",
    ]);
    expect(messages("a: &x 1\nb: *x\n")[0]).toMatch(/^2:4 alias \*x is not allowed/);
    expect(messages("a: !!set { b }\n")[0]).toMatch(/^1:4 tag !!set makes a set/);
    expect(messages("? [a]\n: 1\n")[0]).toMatch(/^1:3 a mapping key must be a scalar/);
  });
});
