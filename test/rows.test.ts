// rows: how a set's entry rows share their columns when printed as calls of one function (the emitted modules are
// checked to read back as the data in emit.test.ts).
import { describe, expect, it } from "vitest";
import { Name } from "../generator/src/literal.ts";
import { rowShape } from "../generator/src/rows.ts";

describe("rowShape", () => {
  it("writes a value every row shares once, and a column that repeats another reads its parameter", () => {
    const shape = rowShape([
      { source: "s", code: "A", name: "A", texts: { phrase: "a" }, attributes: {} },
      { source: "s", code: "B", name: "B", texts: { phrase: "b" }, attributes: {} },
    ])!;
    expect(shape.members).toEqual([
      { key: "source", source: { kind: "constant", value: "s" } },
      { key: "code", source: { kind: "parameter", name: "code" } },
      { key: "name", source: { kind: "parameter", name: "code" } },
      {
        key: "texts",
        source: { kind: "object", members: [{ key: "phrase", source: { kind: "parameter", name: "phrase" } }] },
      },
      { key: "attributes", source: { kind: "object", members: [] } },
    ]);
    expect(shape.calls).toEqual([
      ["A", "a"],
      ["B", "b"],
    ]);
    // The parameter that stands for both columns is typed as both.
    expect(shape.parameters[0]!.paths).toEqual([["code"], ["name"]]);
  });

  it("passes a key only some rows have last, undefined where a row lacks it before one it has", () => {
    const shape = rowShape([
      { code: 1, texts: { text: "one" }, reason: "x" },
      { code: 2, texts: { text: "two", notes: "n" } },
      { code: 3, texts: { text: "three" }, erratum: { note: "e" } },
    ])!;
    expect(shape.parameters.map(({ name, path, optional }) => ({ name, path, optional }))).toEqual([
      { name: "code", path: ["code"], optional: false },
      { name: "text", path: ["texts", "text"], optional: false },
      { name: "notes", path: ["texts", "notes"], optional: true },
      { name: "reason", path: ["reason"], optional: true },
      { name: "erratum", path: ["erratum"], optional: true },
    ]);
    expect(shape.calls).toEqual([
      [1, "one", undefined, "x"],
      [2, "two", "n"],
      [3, "three", undefined, undefined, { note: "e" }],
    ]);
  });

  it("names a parameter as its key only where that is a free identifier", () => {
    const shape = rowShape([
      { class: 1, default: 2, entry: 3, "two words": 4, texts: { class: 5 } },
      { class: 6, default: 7, entry: 8, "two words": 9, texts: { class: 10 } },
    ])!;
    const names = shape.parameters.map((p) => p.name);
    expect(names).toHaveLength(5);
    expect(new Set(names).size).toBe(5);
    for (const name of names) expect(name).toMatch(/^column\d+$/);
  });

  it("compares values as printed, names too, and leaves fewer than two rows as they are", () => {
    const shape = rowShape([
      { reason: new Name("R", "A"), code: 1 },
      { reason: new Name("R", "A"), code: 2 },
    ])!;
    expect(shape.members[0]).toEqual({ key: "reason", source: { kind: "constant", value: new Name("R", "A") } });
    expect(rowShape([{ code: 1 }])).toBeUndefined();
    expect(rowShape([])).toBeUndefined();
  });
});
