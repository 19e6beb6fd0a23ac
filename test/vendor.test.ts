// Vendors' tables written the natural way (test/fixtures/natural): a provider's NDR table in one set — its messages
// marked inLogs, vendor codes, ranges, rows with two codes, 5.7.1 on three rows, messages repeated under another code,
// a row without a code — a sending service's bounce types (General under two types), and a gateway's codes with "_".
// Generated alone, with no registry beside them: their standard codes resolve against the generator's own. Both
// output modes compile strictly; guards, unions, lookups and parsers agree on every code a row holds.
import { cp, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import type { CodeSet } from "../generator/src/model.ts";
import { modelSpecDir } from "../generator/src/pipeline.ts";
import { ROOT, run, tempDir, typecheck } from "./helpers.ts";

const FIXTURE = path.join(ROOT, "test/fixtures/natural");
type Fn = (value: unknown) => unknown;
type Module = Record<string, unknown>;
let constDir: string;
let enumDir: string;
let ndr: Module;
let bounceType: Module;
let gateway: Module;
let enumNdr: Module;
let registry: Module;
let sets: readonly CodeSet[];

beforeAll(async () => {
  const root = await tempDir(true);
  const specDir = path.join(root, "spec");
  await cp(FIXTURE, specDir, { recursive: true });
  constDir = path.join(root, "const");
  enumDir = path.join(root, "enum");
  const generated = await Promise.all([
    run("generate", "--spec-dir", specDir, "--out-dir", constDir),
    run("generate", "--enum", "--spec-dir", specDir, "--out-dir", enumDir),
  ]);
  for (const result of generated) expect(result).toMatchObject({ code: 0, err: "" });
  const load = async (dir: string, id: string) =>
    (await import(pathToFileURL(path.join(dir, `${id}.ts`)).href)) as Module;
  [ndr, bounceType, gateway, enumNdr, registry] = await Promise.all([
    load(constDir, "example-365-ndr"),
    load(constDir, "example-bounce-type"),
    load(constDir, "example-gateway"),
    load(enumDir, "example-365-ndr"),
    load(constDir, "enhanced-status-subject-detail"),
  ]);
  sets = (await modelSpecDir(specDir)).catalog!.sets;
});

const call = (mod: Module, name: string, value: unknown) => (mod[name] as Fn)(value);
const nameOf = (info: unknown) => (info as { name: string } | undefined)?.name;
const setOf = (id: string) => sets.find((set) => set.id === id)!;
const descriptionOf = (entry: CodeSet["entries"][number]) => entry.texts.find((t) => t.column === "description")!.text;

describe("vendors' tables written the natural way, generated alone", () => {
  it("carry the standard registries their references need, from the generator, and nothing else of it", async () => {
    expect((await readdir(constDir)).sort()).toEqual([
      "enhanced-status-class.ts",
      "enhanced-status-subject-detail.ts",
      "enhanced-status-subject.ts",
      "example-365-ndr.ts",
      "example-bounce-type.ts",
      "example-gateway.ts",
      "index.ts",
      "smtp-reply-code.ts",
    ]);
    const notFound = call(ndr, "lookupExample365Ndr", "5.1.10") as Record<string, unknown>;
    expect([notFound["replyCode"], notFound["enhancedCode"], notFound["nonStandardEnhancedCode"]]).toEqual([
      550,
      "5.1.10",
      undefined,
    ]);
  });

  it("compile under strict settings in both modes, every code a row holds in the set's type and its outcome's", async () => {
    await writeFile(
      path.join(constDir, "use.ts"),
      [
        'import { isExample365Ndr, lookupExample365Ndr, type Example365Ndr, type Example365NdrPermanent, type Example365NdrTransient } from "./example-365-ndr.js";',
        'import { type ExampleGateway } from "./example-gateway.js";',
        'const inRange: Example365NdrTransient = "4.7.512";',
        'const second: Example365NdrPermanent = "5.7.708";',
        'const byName: Example365NdrPermanent = "BlockedByMailFlowRule";',
        'const underscore: ExampleGateway = "XGEMAIL_0011";',
        "// @ts-expect-error outside every range",
        'const outside: Example365Ndr = "4.7.700";',
        "// @ts-expect-error a permanent code is not transient",
        'const wrongOutcome: Example365NdrTransient = "5.7.708";',
        "declare const value: unknown;",
        "const guarded: Example365Ndr | undefined = isExample365Ndr(value) ? value : undefined;",
        'export const used = [inRange, second, byName, underscore, outside, wrongOutcome, guarded, lookupExample365Ndr("4.7.512").texts.cause];',
      ].join("\n"),
    );
    await writeFile(
      path.join(enumDir, "use.ts"),
      [
        'import { Example365Ndr, isExample365Ndr, lookupExample365Ndr, type Example365NdrInRange, type Example365NdrPermanent } from "./example-365-ndr.js";',
        "const second: Example365NdrPermanent = Example365Ndr.TrafficNotAcceptedFromIp_5_7_708;",
        'const inRange: Example365NdrPermanent = "5.7.512";',
        "const codes: readonly Example365Ndr[] = lookupExample365Ndr(Example365Ndr.RoutingLoopDetected).codes ?? [];",
        "declare const value: unknown;",
        "const guarded: Example365Ndr | Example365NdrInRange | undefined = isExample365Ndr(value) ? value : undefined;",
        'export const used = [second, inRange, codes, guarded, lookupExample365Ndr("4.7.512").texts.cause];',
      ].join("\n"),
    );
    expect(await Promise.all([typecheck(constDir), typecheck(enumDir, { erasableSyntaxOnly: false })])).toEqual([
      "",
      "",
    ]);
  });

  it("accept every code a row holds in the guard and find the row by it, ranges included", () => {
    for (const set of sets.filter((s) => s.id.startsWith("example-"))) {
      const mod = set.id === "example-365-ndr" ? ndr : set.id === "example-bounce-type" ? bounceType : gateway;
      for (const entry of set.entries) {
        for (const code of [
          ...(entry.codes ?? [entry.code]),
          ...(entry.inRange === "number" ? [] : (entry.inRange ?? [])),
        ]) {
          expect(call(mod, set.names.is, code), `${set.id} ${code}`).toBe(true);
          const rows = set.repeatedCodes
            ? (call(mod, set.names.lookupAll, code) as unknown[])
            : [call(mod, set.names.lookup, code)];
          expect(rows.map(nameOf), `${set.id} ${code}`).toContain(entry.member);
        }
      }
    }
    expect(nameOf(call(ndr, "lookupExample365Ndr", "4.7.512"))).toBe("AccessDeniedTryLater");
    expect(nameOf(call(ndr, "lookupExample365Ndr", "5.7.708"))).toBe("TrafficNotAcceptedFromIp"); // its own row before the range's
    expect(nameOf(call(ndr, "lookupExample365Ndr", "5.7.749"))).toBe("TenantThresholdExceeded");
    for (const outside of ["4.7.700", "5.7.750", "5.7.5", "5.7.1-2", "n/a"])
      expect(call(ndr, "isExample365Ndr", outside), outside).toBe(false);
    expect((call(ndr, "lookupAllExample365Ndr", "5.7.1") as unknown[]).map(nameOf)).toEqual([
      "DeliveryNotAuthorized",
      "UnableToRelay",
      "NotAllowedToSendAsSender",
    ]);
  });

  it("parse the code a line holds, and among the rows of that code the one whose message it holds", () => {
    const parsed = (line: string) => [
      call(ndr, "parseExample365Ndr", line),
      nameOf(call(ndr, "parseExample365NdrEntry", line)),
    ];
    expect(parsed("550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP.")).toEqual([
      "5.7.708",
      "TrafficNotAcceptedFromIp",
    ]);
    expect(parsed("451 4.7.512 Access denied, please try again later")).toEqual(["4.7.512", "AccessDeniedTryLater"]);
    expect(parsed("Remote server returned '550 5.4.14 Routing loop detected'")).toEqual([
      "5.4.14",
      "RoutingLoopDetected",
    ]);
    expect(parsed("550 5.7.1 Unable to relay")).toEqual(["5.7.1", "UnableToRelay"]);
    expect(parsed("550 5.7.1 Client does not have permissions to send as this sender")).toEqual([
      "5.7.1",
      "NotAllowedToSendAsSender",
    ]);
    expect(parsed("550 5.7.1 Go away")).toEqual(["5.7.1", "DeliveryNotAuthorized"]); // no row's message: the code's first row
    // A message the document repeats under another code: the code tells the rows apart, and nothing else can.
    expect(parsed("452 4.2.2 The recipient's mailbox is full")).toEqual(["4.2.2", "MailboxFullForNow"]);
    expect(parsed("550 5.2.2 The recipient's mailbox is full")).toEqual(["5.2.2", "MailboxFull"]);
    expect(parsed("The recipient's mailbox is full")).toEqual([undefined, undefined]);
    expect(parsed("at 4.4.31 past midnight")).toEqual([undefined, undefined]);
    // The same in enum style.
    expect(
      call(
        enumNdr,
        "parseExample365Ndr",
        "550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP.",
      ),
    ).toBe("5.7.708");
  });

  it("find a row by its message alone where no other row has that message, the row without a code included", () => {
    const set = setOf("example-365-ndr");
    const repeated = (text: string) => set.entries.filter((e) => descriptionOf(e) === text).length > 1;
    for (const entry of set.entries) {
      const message = descriptionOf(entry);
      expect(nameOf(call(ndr, "parseExample365NdrEntry", message)), message).toBe(
        repeated(message) ? undefined : entry.member,
      );
    }
    expect(set.entries.filter((e) => repeated(descriptionOf(e)))).toHaveLength(4);
    const byName = "Your message couldn't be delivered because it was blocked by a mail flow rule.";
    expect(call(ndr, "parseExample365Ndr", `Delivery has failed. ${byName}`)).toBe("BlockedByMailFlowRule");
    expect(call(ndr, "example365NdrFromName", "BlockedByMailFlowRule")).toBe("BlockedByMailFlowRule");
  });

  it("tell a subtype under two types apart by its message, and read a word only as a code written as the set writes it", () => {
    const parsed = (line: string) => [
      call(bounceType, "parseExampleBounceType", line),
      nameOf(call(bounceType, "parseExampleBounceTypeEntry", line)),
    ];
    const set = setOf("example-bounce-type");
    for (const entry of set.entries)
      expect(parsed(descriptionOf(entry)), entry.member).toEqual([entry.code, entry.member]);
    expect(parsed("General: The recipient's server sent a temporary bounce without a more precise subtype.")).toEqual([
      "General",
      "TransientGeneral",
    ]);
    expect(parsed("bounceSubType General")).toEqual(["General", "PermanentGeneral"]);
    // "suppressed" in a sentence is a word; the code is Suppressed.
    expect(parsed("Sending was suppressed: the address is on the account's suppression list.")).toEqual([
      "OnAccountSuppressionList",
      "OnAccountSuppressionList",
    ]);
    expect((call(bounceType, "lookupAllExampleBounceType", "General") as unknown[]).map(nameOf)).toEqual([
      "PermanentGeneral",
      "TransientGeneral",
    ]);
  });

  it("read vendor codes joined by _ as one code", () => {
    expect(call(gateway, "parseExampleGateway", "550 XGEMAIL_0011 Command rejected")).toBe("XGEMAIL_0011");
    expect(call(gateway, "parseExampleGateway", "550 xgemail_0012 rejected")).toBe("XGEMAIL_0012");
    expect(call(gateway, "parseExampleGateway", "550 XGEMAIL_00111 rejected")).toBeUndefined();
  });

  it("look a concrete enhanced status code up in the registry, with its class's meaning", () => {
    const info = call(registry, "lookupEnhancedStatusCode", "5.1.1") as {
      code: string;
      class: { name: string; outcome: string };
      subjectDetail: { code: string; texts: { sampleText: string } };
    };
    expect([
      info.code,
      info.class.name,
      info.class.outcome,
      info.subjectDetail.code,
      info.subjectDetail.texts.sampleText,
    ]).toEqual(["5.1.1", "PermanentFailure", "permanent", "X.1.1", "Bad destination mailbox address"]);
    expect((call(registry, "lookupEnhancedStatusCode", "4.7.26") as { class: { name: string } }).class.name).toBe(
      "PersistentTransientFailure",
    );
    for (const unknown of ["5.9.9", "X.1.1", "3.1.1", "5.1.1 ", 511, undefined])
      expect(call(registry, "lookupEnhancedStatusCode", unknown), String(unknown)).toBeUndefined();
  });
});
