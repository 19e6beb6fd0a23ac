// A vendor's own table (test/fixtures/vendor): enhanced codes with multi-digit parts outside every registry, ranges,
// a row with two codes, one code on two rows, a code inside a range. It generates code that type-checks, whose
// types hold every code, and whose lookups say what they return.
import { cp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { copyRegistries, ROOT, run, tempDir, typecheck } from "./helpers.ts";

const FIXTURE = path.join(ROOT, "test/fixtures/vendor");
let outDir: string;
type Fn = (value: unknown) => unknown;
let mod: Record<string, unknown>;

beforeAll(async () => {
  const root = await tempDir(true);
  const specDir = path.join(root, "spec");
  outDir = path.join(root, "generated");
  await copyRegistries(specDir);
  await cp(FIXTURE, specDir, { recursive: true });
  const generated = await run("generate", "--spec-dir", specDir, "--out-dir", outDir);
  expect(generated).toMatchObject({ code: 0, err: "" });
  mod = (await import(pathToFileURL(path.join(outDir, "example-ndr.ts")).href)) as Record<string, unknown>;
});

const call = (name: string, value: unknown) => (mod[name] as Fn)(value);
const nameOf = (info: unknown) => (info as { name: string } | undefined)?.name;

describe("a vendor's table of codes", () => {
  it("generates code that type-checks, with every code in the set's type (a row's second code too)", async () => {
    const text = await readFile(path.join(outDir, "example-ndr.ts"), "utf8");
    expect(text).toContain('export type ExampleNdr = (typeof ExampleNdr)[keyof typeof ExampleNdr] | "5.4.14";');
    // A consumer's use of the types: wrong codes do not compile.
    await writeFile(path.join(outDir, "use.ts"), [
      'import { ExampleNdr, lookupExampleNdr, type ExampleNdrPermanent } from "./example-ndr.js";',
      'const a: ExampleNdr = "4.4.316";',
      'const b: ExampleNdr = "5.4.14";',
      'const c: ExampleNdr = "5.7.500-699";',
      'const d: ExampleNdrPermanent = ExampleNdr.TrafficNotAcceptedFromIp;',
      '// @ts-expect-error not a code of the table',
      'const e: ExampleNdr = "5.7.1";',
      "export const used = [a, b, c, d, e, lookupExampleNdr(\"5.2.2\").texts.cause];",
    ].join("\n"));
    expect(await typecheck(outDir)).toBe("");
  });

  it("finds a code in a range, the row of a second code, and an exact code before a range holding it", () => {
    expect(nameOf(call("lookupExampleNdr", "5.7.512"))).toBe("AccessDeniedByTenantRule");
    expect(nameOf(call("lookupExampleNdr", "5.7.749"))).toBe("TenantThresholdExceeded");
    expect(call("lookupExampleNdr", "5.7.750")).toBeUndefined();
    expect(nameOf(call("lookupExampleNdr", "5.4.14"))).toBe("RoutingLoopDetected");
    expect(nameOf(call("lookupExampleNdr", "5.7.708"))).toBe("TrafficNotAcceptedFromIp");
    expect(call("isExampleNdr", "5.4.14")).toBe(true);
    expect(call("isExampleNdr", "5.7.512")).toBe(false); // a code in a range is looked up by it, but is not a member's value
  });

  it("says what lookups return for a code on several rows: the first row, and every row through lookupAll", () => {
    expect(nameOf(call("lookupExampleNdr", "5.2.2"))).toBe("MailboxFull");
    expect((call("lookupAllExampleNdr", "5.2.2") as unknown[]).map(nameOf)).toEqual(["MailboxFull", "SubmissionQuotaExceeded"]);
    expect(call("lookupAllExampleNdr", "5.9.9")).toEqual([]);
  });

  it("parses the vendor's codes from bounce text, multi-digit details whole", () => {
    expect(call("parseExampleNdr", "550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP.")).toBe("5.7.708");
    expect(call("parseExampleNdr", "Remote server returned '550 5.4.14 Hop count exceeded - possible mail loop'")).toBe("5.4.14");
    expect(call("parseExampleNdr", "Status: 4.4.316")).toBe("4.4.316");
    expect(call("parseExampleNdr", "550 5.7.512 Access denied, message blocked by a transport rule")).toBe("5.7.500-699");
    expect(call("parseExampleNdr", "at 4.4.31 past midnight")).toBeUndefined();
  });

  it("keeps a reference no standard defines apart, and lists of references in order", () => {
    const refused = call("lookupExampleNdr", "4.4.316") as Record<string, unknown>;
    expect(refused["nonStandardEnhancedCode"]).toEqual({ code: "4.4.316", note: "A vendor's detail, not in the IANA registry." });
    const notFound = call("lookupExampleNdr", "5.1.10") as Record<string, unknown>;
    expect([notFound["replyCode"], notFound["replyCodes"], notFound["enhancedCode"]]).toEqual([550, [550, 556], "5.1.10"]);
  });
});
