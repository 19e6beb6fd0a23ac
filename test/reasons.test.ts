// The reasons' first-pass tests against what the classifier assumes of them to skip most: a test decides only by what
// is stated, by the reason its status names, or by the wording firstPassWording lists for it.
import { describe, expect, it } from "vitest";
import type { Evidence } from "../packages/runtime/src/classification.ts";
import { firstPassTest, firstPassWording, GATED_REASONS, type Gate } from "../packages/runtime/src/reasons.ts";
import { SMTP_COMMANDS, type SmtpCommand } from "../packages/runtime/src/smtp-command.ts";

/** A gate whose every field is given, and whose wording says exactly the reasons `said`. */
function gate(fields: Omit<Gate, "says" | "words" | "diagnosticType" | "dsnAction">, said: ReadonlySet<string>): Gate {
  const evidence: Evidence = { kind: "wording", source: "test", name: "row", phrase: "phrase" };
  return {
    ...fields,
    diagnosticType: undefined,
    dsnAction: undefined,
    says: (reason) => said.has(reason),
    words: (reason) => (said.has(reason) ? evidence : undefined),
  };
}

/** Every gated reason, and one no test is written for (it gets the usual test). */
const REASONS: readonly string[] = [...GATED_REASONS, "notgated"];
const OTHERS_OF = (reason: string): Array<string | undefined> => [undefined, ...REASONS.filter((r) => r !== reason)];
const COMMANDS: Array<SmtpCommand | undefined> = [undefined, ...SMTP_COMMANDS];
const STATUSES = [
  ["", false],
  ["", true],
  ["5.2.3", true],
  ["5.1.1", true],
] as const;
const NOTHING_STATED = {
  given: undefined,
  statusReason: undefined,
  replyReason: undefined,
  replyCode: 550,
  command: undefined,
  status: "",
  hasStatus: false,
};

describe("first-pass tests", () => {
  it.each(REASONS)("%s decides by nothing but what is stated, its status's reason or its listed wording", (reason) => {
    const test = firstPassTest(reason);
    const wording = new Set(firstPassWording(reason));
    // Every other reason's wording matched, the reason's own and its listed ones not.
    const said = new Set(REASONS.filter((r) => !wording.has(r)));
    const decided: string[] = [];
    // One gate, its fields set in turn (a million gates made would take seconds).
    const g = { ...gate({ ...NOTHING_STATED }, said) } as { -readonly [K in keyof Gate]: Gate[K] };
    for (const given of OTHERS_OF(reason))
      for (const statusReason of OTHERS_OF(reason))
        for (const command of COMMANDS)
          for (const [status, hasStatus] of STATUSES) {
            g.given = given;
            g.statusReason = statusReason;
            g.replyReason = OTHERS_OF(reason)[(command?.length ?? 0) % REASONS.length];
            g.command = command;
            g.status = status;
            g.hasStatus = hasStatus;
            if (test(g, reason) !== undefined) decided.push(JSON.stringify(g));
          }
    expect(decided).toEqual([]);
  });

  it("lets filtered decide by the unknown user's wording, which it lists", () => {
    const fields = { ...NOTHING_STATED, command: "DATA" as const, hasStatus: true };
    expect(firstPassWording("filtered")).toContain("userunknown");
    expect(firstPassTest("filtered")(gate(fields, new Set(["userunknown"])), "filtered")).toMatchObject({
      kind: "wording",
    });
  });
});
