// validate: the schema's and each rule's diagnostics, exactly, on small specs that break one thing at a time.

import { Ajv2020 } from "ajv/dist/2020.js";
import { BOUNCE_ACTIONS, GATED_REASONS, HARD_BOUNCE } from "mailcodes-runtime";
import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../generator/src/diagnostics.ts";
import { AJV_OPTIONS } from "../generator/src/schema.ts";
import { specSchema } from "../generator/src/spec-schema.ts";
import { modelTexts } from "./helpers.ts";

/** A small registry every fixture can reference: reply codes, enhanced classes and subject.details, reasons. */
const REGISTRY = `source:
  file: reference/r.tsv
  title: R
  publisher: P
  language: en
codeSets:
  - id: reply
    name: Reply
    table: T
    description: D
    codeFormat: smtp-reply
    defines: smtp-reply
    entries:
      - code: 550
        name: Mailbox unavailable
        outcome: permanent
        outcomeBasis: code-class
  - id: klass
    name: Klass
    table: T
    description: D
    codeFormat: integer
    defines: enhanced-status-class
    entries:
      - { code: 4, name: Transient, outcome: transient, outcomeBasis: document }
      - { code: 5, name: Permanent, outcome: permanent, outcomeBasis: document }
  - id: detail
    name: Detail
    table: T
    description: D
    codeFormat: enhanced-subject-detail
    defines: enhanced-subject-detail
    outcomes: false
    entries:
      - { code: X.1.1, name: Bad mailbox }
  - id: reason
    name: Reason
    table: T
    description: D
    codeFormat: alphanumeric
    defines: bounce-reason
    outcomes: false
    attributes:
      - { key: hardBounce, type: string, enum: [${HARD_BOUNCE.join(", ")}], required: true, description: D }
      - { key: action, type: string, enum: [${BOUNCE_ACTIONS.join(", ")}], required: true, description: D }
    entries:
${GATED_REASONS.map((reason) => `      - { code: ${reason}, name: ${reason}, attributes: { hardBounce: never, action: retry } }`).join("\n")}
`;

/** A valid spec; tests replace a line of it to break one thing. */
const SPEC = `source:
  file: sources/s.txt
  title: S
  publisher: P
  language: ja
codeSets:
  - id: things
    name: Things
    table: T
    description: D
    codeFormat: integer
    columns:
      - key: meaning
        heading: 説明
        language: ja
        description: What it means.
      - key: action
        heading: 対処方法
        language: ja
        description: What to do.
        ditto: 同上
    attributes:
      - key: count
        type: number
        enum: [1, 0.5]
        description: How much it counts.
    entries:
      - code: 1
        name: User unknown
        texts:
          meaning: 宛先なし
          action: 直す
        outcome: permanent
        outcomeBasis: code-class
        replyCode: 550
        reason: userunknown
      - code: 2
        name: Other
        texts:
          meaning: その他
          action: 同上
        attributes:
          count: 0.5
        outcome: failure
        outcomeBasis: document
`;

function problems(spec: string, registry = REGISTRY, documents?: readonly string[]): string[] {
  return modelTexts({ "spec/r.yaml": registry, "spec/s.yaml": spec }, documents).diagnostics.map(formatDiagnostic);
}

function edit(from: string, to: string, text = SPEC): string {
  expect(text).toContain(from);
  return text.replace(from, to);
}

/** A vendor's table: its own enhanced codes (multi-digit parts, ranges, two-code rows), under one code several rows. */
const VENDOR = `source: { file: sources/v.txt, title: V, publisher: P, language: en }
codeSets:
  - id: vendor
    name: Vendor
    table: NDR codes
    description: D
    codeFormat: enhanced-status
    repeatedCodes: true
    columns:
      - { key: text, heading: Description, language: en, description: The text. }
    entries:
      - { code: 4.4.316, name: Connection refused, texts: { text: a }, outcome: transient, outcomeBasis: code-class }
      - { code: 5.7.708, name: Tenant ip blocked, texts: { text: b }, outcome: permanent, outcomeBasis: code-class, reason: userunknown }
      - { code: [5.4.6, 5.4.14], name: Routing loop, texts: { text: c }, outcome: permanent, outcomeBasis: code-class }
      - { code: 5.7.500-699, name: Access denied, texts: { text: d }, outcome: permanent, outcomeBasis: code-class }
      - { code: 5.1.1, name: Bad address, texts: { text: e }, outcome: permanent, outcomeBasis: code-class, enhancedCode: 5.1.1 }
      - { code: 5.1.1, name: Bad address again, texts: { text: f }, outcome: permanent, outcomeBasis: code-class, replyCode: [550, { code: 571, standard: false, note: n }] }
`;

describe("the schema", () => {
  it("maps errors to the offending node, counting items from 1", () => {
    expect(problems(edit("    codeFormat: integer", "    codeFormat: integr"))).toEqual([
      'spec/s.yaml:11:17: `codeFormat` of item 1 of `codeSets` must be one of "smtp-reply", "enhanced-status", "enhanced-subject-detail", "pattern", "integer", "alphanumeric", "none" (got "integr")',
    ]);
    expect(problems(edit("      - code: 2\n", "      - code: two\n"))).toEqual([
      'spec/s.yaml:37:15: `code` of item 2 of `entries` has the wrong form (got "two"): one of: an integer -999999999-999999999; a range of integers, as "600-699"; a list of those',
    ]);
  });

  it("points an unknown property at its key and lists the allowed ones", () => {
    expect(problems(edit("    table: T\n", "    table: T\n    tabel: T\n"))).toEqual([
      expect.stringMatching(/^spec\/s\.yaml:10:5: unknown property `tabel`; allowed here: id, name, extends, table, /),
    ]);
  });

  it("points a missing required property at the mapping that lacks it", () => {
    expect(problems(edit("  publisher: P\n", ""))).toEqual([
      "spec/s.yaml:2:3: missing required property `publisher` in `source`",
    ]);
  });

  it("takes a non-standard enhanced code as a quoted string, as its message suggests", () => {
    expect(
      problems(
        edit("        replyCode: 550\n", '        enhancedCode: { code: "5.7.708", standard: false, note: vendor }\n'),
      ),
    ).toEqual([]);
  });
});

describe("all problems in one run", () => {
  it("runs the rules on every part that passed the schema: a bad entry does not hide its neighbours' problems", () => {
    const broken = edit("          count: 0.5", "          count: 0.1").replace(
      "        outcome: permanent\n",
      "        outcome: permanent\n        bogus: 1\n",
    );
    expect(problems(broken)).toEqual([
      expect.stringMatching(/^spec\/s\.yaml:34:9: unknown property `bogus`/),
      "spec/s.yaml:44:18: attribute `count` 0.1 is not one of its values: 1, 0.5",
    ]);
  });

  it("reports every problem of every file, sorted", () => {
    const broken = edit("      - code: 2\n", "      - code: 1\n").replace(
      "    name: Things",
      "    name: Things\n    bogus: 1",
    );
    const registry = REGISTRY.replace("  title: R\n", "");
    expect(problems(broken, registry)).toEqual([
      "spec/r.yaml:2:3: missing required property `title` in `source`",
      expect.stringMatching(/^spec\/s\.yaml:9:5: unknown property `bogus`/),
    ]);
  });
});

describe("rule: sourceFileExists", () => {
  it("reports a source.file that does not exist", () => {
    expect(problems(SPEC, REGISTRY, ["reference/r.tsv"])).toEqual([
      "spec/s.yaml:2:9: \"sources/s.txt\" does not exist; source.file names the document's text, relative to the spec's folder",
    ]);
  });
  it("refuses a path that leaves the spec folder", () => {
    expect(problems(edit("  file: sources/s.txt", "  file: ../s.txt"))).toEqual([
      expect.stringMatching(/^spec\/s\.yaml:2:9: `file` must be a relative path inside the spec folder/),
    ]);
  });
});

describe("rule: uniqueSetIds", () => {
  it("rejects a set id used twice across files, and the ids of the generator's own modules", () => {
    const other = SPEC.replace("    name: Things", "    name: Others").replace(
      "file: sources/s.txt",
      "file: sources/t.txt",
    );
    expect(
      modelTexts({ "spec/r.yaml": REGISTRY, "spec/s.yaml": SPEC, "spec/t.yaml": other }).diagnostics.map(
        formatDiagnostic,
      ),
    ).toEqual(["spec/t.yaml:7:9: code set id `things` is already used at spec/s.yaml:7:9"]);
    expect(problems(edit("  - id: things", "  - id: index"))).toEqual([
      "spec/s.yaml:7:9: code set id `index` would overwrite the generated index.ts; choose another",
    ]);
  });
});

describe("rule: setNames", () => {
  it("rejects set names that shadow globals or the index's names", () => {
    expect(problems(edit("    name: Things", "    name: object"))).toEqual([
      'spec/s.yaml:8:11: name "object" declares Object, a global or a name the generated code uses itself; choose another',
    ]);
  });
  it("rejects set names that declare what the generated modules import from the runtime (issue 19, item 14)", () => {
    expect(problems(edit("    name: Things", "    name: Classification"))).toEqual([
      'spec/s.yaml:8:11: name "Classification" declares Classification, which mailcodes-runtime exports (the generated modules import from it); choose another',
    ]);
    expect(problems(edit("    name: Things", "    name: split enhanced code"))).toEqual([]); // declares SplitEnhancedCode: no clash
    expect(problems(edit("    name: Things", "    name: Digit"))).toEqual([
      'spec/s.yaml:8:11: name "Digit" declares isDigit, which mailcodes-runtime exports (the generated modules import from it); choose another',
    ]);
  });
  it("rejects a set whose declarations collide with another module's, the registry's extras included", () => {
    expect(problems(edit("    name: Things", "    name: Enhanced status code success"))).toEqual([
      expect.stringMatching(
        /^spec\/s\.yaml:8:11: name "Enhanced status code success" declares EnhancedStatusCodeSuccess, which the set at spec\/r\.yaml:\d+:\d+ declares too/,
      ),
    ]);
    expect(problems(edit("    name: Things", "    name: Reply info"))).toEqual([
      expect.stringMatching(/declares ReplyInfo, which the set at spec\/r\.yaml:8:11 declares too/),
    ]);
  });
});

describe("rule: registries", () => {
  it("allows one set per registry, and points to extends for the rest", () => {
    const second = edit("  - id: things", "  - id: things\n    defines: smtp-reply").replace(
      "    codeFormat: integer",
      "    codeFormat: smtp-reply",
    );
    expect(problems(second)).toContainEqual(
      expect.stringMatching(
        /`defines: smtp-reply` is already declared at spec\/r\.yaml:\d+:\d+; one set defines each registry \(add rows to it from another spec with `extends: reply`\)/,
      ),
    );
  });
  it("refuses class codes that are not RFC 3463 classes, so no parser is built from them", () => {
    const registry = REGISTRY.replace("{ code: 4, name: Transient", "{ code: 9, name: Transient").replace(
      "{ code: 5, name: Permanent",
      "{ code: -1, name: Permanent",
    );
    expect(problems(SPEC, registry)).toEqual([
      "spec/r.yaml:25:17: 9 cannot be a code of the enhanced-status-class registry: its codes are 2, 4 or 5 (RFC 3463's classes)",
      "spec/r.yaml:26:17: -1 cannot be a code of the enhanced-status-class registry: its codes are 2, 4 or 5 (RFC 3463's classes)",
    ]);
  });
  it("needs a code on every row of a registry looked up by code", () => {
    expect(
      problems(
        SPEC,
        REGISTRY.replace("      - code: 550\n        name: Mailbox unavailable", "      - name: Mailbox unavailable"),
      ),
    ).toContainEqual("spec/r.yaml:14:15: a row of the smtp-reply registry needs a `code`");
  });
});

describe("the generator's own registries", () => {
  /** The fixture registry without its reply, class and subject.detail sets: the bounce reasons alone. */
  const REASONS_ONLY =
    REGISTRY.slice(0, REGISTRY.indexOf("  - id: reply")) + REGISTRY.slice(REGISTRY.indexOf("  - id: reason"));
  const BUILT_IN = "mailcodes-generator/registries";

  it("resolve a spec dir's references when it has no registry of its own, and refuse a standard code marked non-standard", () => {
    const result = modelTexts({
      "spec/r.yaml": REASONS_ONLY,
      "spec/s.yaml": edit("        replyCode: 550", "        replyCode: 550\n        enhancedCode: 5.1.1"),
    });
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
    const reply = result.catalog!.registries["smtp-reply"]!;
    expect([reply.id, reply.parts.map((part) => part.specFile)]).toEqual([
      "smtp-reply-code",
      [`${BUILT_IN}/rfc5321.yaml`, `${BUILT_IN}/smtp-reply-codes-extended.yaml`],
    ]);
    expect(result.catalog!.sets.find((set) => set.id === "things")!.entries[0]!.replyCodes).toEqual([
      { code: 550, standard: true, member: "MailboxUnavailable" },
    ]);
    expect(result.catalog!.enhancedCode?.subjects.id).toBe("enhanced-status-subject-detail");
    expect(
      problems(
        edit("        replyCode: 550", "        replyCode: { code: 550, standard: false, note: n }"),
        REASONS_ONLY,
      ),
    ).toEqual([
      "spec/s.yaml:35:28: 550 is marked standard: false, but the registries define it; write it as a plain value",
    ]);
    expect(problems(edit("        replyCode: 550", "        replyCode: 599"), REASONS_ONLY)).toEqual([
      `spec/s.yaml:35:20: 599 does not resolve: 599 is not in the smtp-reply registry (${BUILT_IN}/rfc5321.yaml:14:14); fix it, or mark it { code: 599, standard: false, note: "why" } if no standard defines it`,
    ]);
  });

  it("come only where a spec refers to them or extends them", () => {
    const result = modelTexts({
      "spec/r.yaml": REASONS_ONLY,
      "spec/s.yaml": edit("        replyCode: 550\n", "", edit("outcomeBasis: code-class", "outcomeBasis: document")),
    });
    expect(result.catalog!.sets.map((set) => set.id)).toEqual(["reason", "things"]);
    const extension = `source: { file: sources/x.txt, title: X, publisher: P, language: en }
codeSets:
  - extends: smtp-reply-code
    table: T
    codeFormat: smtp-reply
    entries:
      - { code: 599, name: Vendor reply, texts: { text: A vendor's reply. }, attributes: { definedIn: X, section: "1" }, outcome: permanent, outcomeBasis: code-class }
`;
    const extended = modelTexts({
      "spec/r.yaml": REASONS_ONLY,
      "spec/s.yaml": edit("        replyCode: 550", "        replyCode: 599"),
      "spec/x.yaml": extension,
    });
    expect(extended.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(extended.catalog!.registries["smtp-reply"]!.parts.map((part) => part.specFile)).toEqual([
      `${BUILT_IN}/rfc5321.yaml`,
      `${BUILT_IN}/smtp-reply-codes-extended.yaml`,
      "spec/x.yaml",
    ]);
  });

  it("give way to a spec dir's own registry, with the built-in sets that extend it", () => {
    const result = modelTexts({ "spec/r.yaml": REGISTRY, "spec/s.yaml": SPEC });
    expect(result.catalog!.sets.map((set) => set.id)).toEqual(["reply", "klass", "detail", "reason", "things"]);
    expect(
      result
        .catalog!.sets.flatMap((set) => set.parts.map((part) => part.specFile))
        .filter((file) => file.startsWith(BUILT_IN)),
    ).toEqual([]);
    // With the reply registry its own, the built-in subject.details go too: their rows carry reply codes.
    const replyOnly =
      REGISTRY.slice(0, REGISTRY.indexOf("  - id: klass")) + REGISTRY.slice(REGISTRY.indexOf("  - id: reason"));
    expect(
      problems(edit("        replyCode: 550", "        replyCode: 550\n        enhancedCode: 5.1.1"), replyOnly),
    ).toEqual(['spec/s.yaml:36:23: "5.1.1" cannot be resolved: no code set says `defines: enhanced-subject-detail`']);
  });
});

/** A wording registry, as spec/bounce-wording.yaml writes one: "blacklisted url in message" decides before the passes. */
const WORDING = `source: { file: sources/w.txt, title: W, publisher: P, language: en }
codeSets:
  - id: wording
    name: Wording
    table: T
    description: D
    codeFormat: none
    defines: reason-by-wording
    outcomes: false
    columns:
      - { key: phrase, heading: Phrase, language: en, description: The words., inLogs: true }
    attributes:
      - key: pass
        type: string
        enum: [early, agent, agent-says]
        description: Where the row counts.
    entries:
      - { name: blacklisted url, texts: { phrase: blacklisted url in message }, reason: userunknown, attributes: { pass: early } }
      - { name: no such user, texts: { phrase: no such user }, reason: userunknown }
`;

describe("the classifier's contract: the attributes of the registries it reads are fixed", () => {
  it("refuses an attribute renamed in the declaration and the rows, where it is declared (no silent change of answer)", () => {
    const renamed = WORDING.replace("      - key: pass", "      - key: stage").replace(
      "{ pass: early }",
      "{ stage: early }",
    );
    expect(problems(renamed)).toEqual([
      'spec/s.yaml:13:14: `key` of item 1 of `attributes` must be one of "pass", "vetoes" (got "stage"): the classifier reads reason-by-wording rows\' `pass`, `vetoes` (see rule-rows.ts in mailcodes-runtime)',
    ]);
  });

  it("refuses an attribute misspelt in a row, at the row", () => {
    expect(problems(edit("{ pass: early }", "{ pas: early }", WORDING))).toEqual([
      "spec/s.yaml:18:116: unknown attribute `pas`; this set's attributes are: pass",
    ]);
  });

  it("refuses a declaration whose type or values differ from the contract's", () => {
    expect(problems(edit("enum: [early, agent, agent-says]", "enum: [early, agent]", WORDING))).toEqual([
      'spec/s.yaml:15:15: `enum` of item 1 of `attributes` must be ["early","agent","agent-says"] (got ["early","agent"]): the classifier reads reason-by-wording rows\' `pass`, `vetoes` (see rule-rows.ts in mailcodes-runtime)',
    ]);
  });

  it("needs every attribute the contract requires, and no attribute on a registry whose rows carry none", () => {
    const byStatus = `source: { file: sources/b.txt, title: B, publisher: P, language: en }
codeSets:
  - id: by-status
    name: By status
    table: T
    description: D
    codeFormat: enhanced-status
    defines: reason-by-status
    outcomes: false
    attributes:
      - { key: pass, type: string, description: D }
    entries:
      - { code: 5.1.1, name: Bad mailbox, reason: userunknown, attributes: { pass: first } }
`;
    expect(problems(byStatus)).toEqual([
      "spec/s.yaml:11:7: `attributes` of item 1 of `codeSets` must have at most 0 items: the classifier reads reason-by-status rows' reason alone (see rule-rows.ts in mailcodes-runtime)",
    ]);
    const withoutAction = REGISTRY.replace(/ {6}- \{ key: action,.*\n/, "").replaceAll(", action: retry", "");
    expect(problems(SPEC, withoutAction)).toEqual([
      "spec/r.yaml:44:7: `attributes` of item 4 of `codeSets` lacks the attribute `action`: the classifier reads bounce-reason rows' `hardBounce`, `action`, `setup`, `firstPass`, `secondPass` (see rule-rows.ts in mailcodes-runtime)",
    ]);
  });

  it("holds setup to the fix-setup action", () => {
    const setup = REGISTRY.replace(
      "    attributes:\n",
      "    attributes:\n      - { key: setup, type: string, enum: [authentication, dns, reputation, rate, software], description: D }\n",
    );
    expect(
      problems(
        SPEC,
        setup.replace(
          "code: blocked, name: blocked, attributes: { hardBounce: never, action: retry }",
          "code: blocked, name: blocked, attributes: { hardBounce: never, action: fix-setup }",
        ),
      ),
    ).toEqual([
      expect.stringMatching(
        /^spec\/r\.yaml:\d+:\d+: a reason whose action is fix-setup says which part of the setup: add `setup`$/,
      ),
    ]);
    expect(problems(SPEC, setup.replace("action: retry } }\n", "action: retry, setup: dns } }\n"))).toEqual([
      expect.stringMatching(/^spec\/r\.yaml:\d+:\d+: `setup` is for a reason whose action is fix-setup alone$/),
    ]);
  });

  it("refuses a vetoed reason that is not in the bounce-reason registry", () => {
    const vetoes = WORDING.replace(
      "        description: Where the row counts.\n",
      "        description: Where the row counts.\n      - { key: vetoes, type: string, description: D }\n",
    );
    expect(problems(edit("{ pass: early }", "{ pass: early, vetoes: rejectd }", vetoes))).toEqual([
      'spec/s.yaml:19:137: "rejectd" is not a code of the bounce-reason registry: the row would cancel nothing',
    ]);
  });

  it("needs every reason the classifier's code tests by name in the bounce-reason registry", () => {
    expect(
      problems(
        SPEC,
        REGISTRY.replace(
          "      - { code: speeding, name: speeding, attributes: { hardBounce: never, action: retry } }\n",
          "",
        ),
      ),
    ).toEqual([
      "spec/r.yaml:41:14: the classifier tests the reasons `speeding` by name, which this registry lacks; add them",
    ]);
  });
});

describe("rule: extensionsResolve", () => {
  const EXTENSION = `source: { file: sources/e.txt, title: E, publisher: P, language: en }
codeSets:
  - extends: reply
    table: Later RFCs
    codeFormat: smtp-reply
    entries:
      - { code: 521, name: Host does not accept mail, outcome: permanent, outcomeBasis: code-class }
`;
  it("adds rows to a registry from another spec: they resolve references like its own", () => {
    const spec = edit("        replyCode: 550", "        replyCode: 521");
    const result = modelTexts({ "spec/r.yaml": REGISTRY, "spec/s.yaml": spec, "spec/e.yaml": EXTENSION });
    expect(result.diagnostics).toEqual([]);
    const reply = result.catalog!.sets.find((s) => s.id === "reply")!;
    expect(reply.entries.map((e) => [e.code, e.part])).toEqual([
      [550, 0],
      [521, 1],
    ]);
    expect(reply.parts.map((p) => p.specFile)).toEqual(["spec/r.yaml", "spec/e.yaml"]);
  });
  it("reports an extension of no set, or of another code format", () => {
    const run = (extension: string) =>
      modelTexts({ "spec/r.yaml": REGISTRY, "spec/s.yaml": SPEC, "spec/e.yaml": extension }).diagnostics.map(
        formatDiagnostic,
      );
    expect(run(EXTENSION.replace("extends: reply", "extends: replies"))).toEqual([
      "spec/e.yaml:3:14: `extends: replies` names no code set; it takes the id of the set whose rows this table continues",
    ]);
    expect(run(EXTENSION.replace("    codeFormat: smtp-reply", "    codeFormat: integer"))).toEqual([
      "spec/e.yaml:5:17: codeFormat integer differs from the extended set's (smtp-reply)",
    ]);
    expect(run(EXTENSION.replace("    table: Later RFCs", "    table: Later RFCs\n    id: more"))).toEqual([
      "spec/e.yaml:5:9: `id` of item 1 of `codeSets` is not allowed here: a set that extends another takes this from the set it extends; remove it",
    ]);
  });
});

describe("rules: columns and attributes", () => {
  it("rejects keys every object has, and a second inLogs column", () => {
    expect(
      problems(
        edit("      - key: meaning", "      - key: constructor")
          .replace("          meaning:", "          constructor:")
          .replace("          meaning:", "          constructor:"),
      ),
    ).toEqual(["spec/s.yaml:13:14: key `constructor` is a name every JavaScript object already has; choose another"]);
    expect(
      problems(
        edit(
          "        description: What it means.",
          "        description: What it means.\n        inLogs: true",
        ).replace("        ditto: 同上", "        ditto: 同上\n        inLogs: true"),
      ),
    ).toEqual(["spec/s.yaml:23:17: a second `inLogs` column; the parser matches one column per set"]);
  });
  it("rejects enum values of another type and labels for values not in the enum", () => {
    expect(problems(edit("        enum: [1, 0.5]", "        enum: [1, 0.5, yes]\n        labels: { 2: two }"))).toEqual(
      [
        'spec/s.yaml:25:15: enum value "yes" is not of the attribute\'s type number',
        'spec/s.yaml:26:19: label for "2", which is not in the attribute\'s enum',
      ],
    );
  });
});

describe("rule: entryNames", () => {
  it("rejects names that collide after conversion to identifiers, or start with a digit", () => {
    expect(problems(edit("        name: Other", "        name: user-unknown"))).toEqual([
      'spec/s.yaml:38:15: name "user-unknown" becomes UserUnknown, already used by "User unknown" at spec/s.yaml:29:15',
    ]);
    expect(problems(edit("        name: Other", "        name: 4xx codes"))).toEqual([
      'spec/s.yaml:38:15: name "4xx codes" becomes 4xxCodes, which starts with a digit; identifiers cannot',
    ]);
  });
});

describe("rule: entryCodes", () => {
  it("rejects a duplicate code, pointing at the second and naming the first and the way to allow it", () => {
    expect(problems(edit("      - code: 2\n", "      - code: 1\n"))).toEqual([
      "spec/s.yaml:37:15: code 1 is already used at spec/s.yaml:28:15; if the document lists one code on several rows, say `repeatedCodes: true` on the set",
    ]);
  });
  it("accepts a vendor's own codes outside every registry: multi-digit parts, ranges, two-code rows, repeated codes", () => {
    const result = modelTexts({ "spec/r.yaml": REGISTRY, "spec/v.yaml": VENDOR });
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
    const vendor = result.catalog!.sets.find((s) => s.id === "vendor")!;
    expect(vendor.entries.map((e) => e.code)).toEqual(["4.4.316", "5.7.708", "5.4.6", "5.7.500-699", "5.1.1", "5.1.1"]);
    expect(vendor.entries[2]!.codes).toEqual(["5.4.6", "5.4.14"]);
    expect(vendor.extraCodes).toEqual(["5.4.14"]);
    expect(vendor.entries[5]!.replyCodes).toEqual([
      { code: 550, standard: true, member: "MailboxUnavailable" },
      { code: 571, standard: false, note: "n" },
    ]);
  });
  it("takes a row known by name only in a set of codes, its name its code, which no other row's code may be", () => {
    const byName = modelTexts({
      "spec/r.yaml": REGISTRY,
      "spec/v.yaml": VENDOR.replace(
        "{ code: 4.4.316, name: Connection refused, texts: { text: a }, outcome: transient, outcomeBasis: code-class }",
        "{ name: Connection refused, texts: { text: a }, outcome: transient, outcomeBasis: document }",
      ),
    });
    expect(byName.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(byName.catalog!.sets.find((s) => s.id === "vendor")!.entries[0]).toMatchObject({
      code: "ConnectionRefused",
      byName: true,
      others: [],
    });
    const clash = edit(
      "    codeFormat: integer",
      "    codeFormat: alphanumeric",
      edit("      - code: 2\n", "      - code: UserUnknown\n", edit("      - code: 1\n        name", "      - name")),
    );
    expect(problems(clash)).toEqual([
      'spec/s.yaml:36:15: code "UserUnknown" is already taken at spec/s.yaml:28:15: a row without a code has its name as its code; rename the row',
    ]);
  });
  it("rejects a row whose codes after its first would make one enum member", () => {
    const alike = edit(
      "    codeFormat: integer",
      "    codeFormat: alphanumeric",
      edit("      - code: 2\n", "      - code: C-3\n", edit("      - code: 1\n", "      - code: [A-1, B-2, B.2]\n")),
    );
    expect(problems(alike)).toEqual([
      'spec/s.yaml:28:15: two of the row\'s codes give the same enum member; "A-1", "B-2", "B.2" must differ in more than their punctuation',
    ]);
  });
  it("rejects a downward range, and a code inside another row's range unless codes may repeat", () => {
    const downward = VENDOR.replace("5.7.500-699", "5.7.699-500");
    expect(modelTexts({ "spec/r.yaml": REGISTRY, "spec/v.yaml": downward }).diagnostics.map(formatDiagnostic)).toEqual([
      'spec/v.yaml:15:17: range "5.7.699-500" runs downward; write the smaller bound first',
    ]);
    const overlapping = VENDOR.replace("    repeatedCodes: true\n", "")
      .replace("code: 5.7.708", "code: 5.7.508")
      .replace("      - { code: 5.1.1, name: Bad address again", "      - { code: 5.1.2, name: Bad address again");
    expect(
      modelTexts({ "spec/r.yaml": REGISTRY, "spec/v.yaml": overlapping }).diagnostics.map(formatDiagnostic),
    ).toEqual([
      'spec/v.yaml:12:17: code "5.7.508" overlaps the range 5.7.500-699 at spec/v.yaml:14:17; if the document means it, say `repeatedCodes: true` on the set',
    ]);
  });
});

describe("rule: entryTexts", () => {
  it("rejects unknown columns and a missing required text", () => {
    expect(problems(edit("          meaning: その他\n", "          meening: その他\n"))).toEqual([
      "spec/s.yaml:38:15: missing text for required column `meaning` (説明); add texts.meaning or mark the column required: false",
      "spec/s.yaml:40:11: unknown column `meening`; this set's columns are: meaning, action",
    ]);
  });
  it("rejects a ditto mark on the first row", () => {
    expect(problems(edit("          action: 直す", "          action: 同上"))).toEqual([
      "spec/s.yaml:32:19: ditto mark 同上 has no text in the row above to repeat",
    ]);
  });
  it("takes a log text repeated under another code, and rejects two rows with one log text the code cannot tell apart", () => {
    const logs = edit("        ditto: 同上", "        inLogs: true").replace(
      "          action: 同上",
      "          action: 直す",
    );
    expect(problems(logs)).toEqual([]); // the parser reads the code first
    const sameCode = edit(
      "      - code: 2\n",
      "      - code: 1\n",
      edit("    codeFormat: integer", "    codeFormat: integer\n    repeatedCodes: true", logs),
    );
    expect(problems(sameCode)).toEqual([
      'spec/s.yaml:42:19: this action is the same as "User unknown"\'s at spec/s.yaml:33:19 under the same code; a parser could not tell the two rows apart',
    ]);
    const noCode = edit("      - code: 2\n        name: Other\n", "      - name: Other\n", logs);
    expect(problems(noCode)).toEqual([
      'spec/s.yaml:40:19: this action is the same as "User unknown"\'s at spec/s.yaml:32:19 (a row without a code is found by its text alone); a parser could not tell the two rows apart',
    ]);
  });
});

describe("rule: entryAttributes", () => {
  it("rejects values outside the attribute's enum, unknown attributes, and a missing required one", () => {
    expect(problems(edit("          count: 0.5", "          count: 0.1"))).toEqual([
      "spec/s.yaml:43:18: attribute `count` 0.1 is not one of its values: 1, 0.5",
    ]);
    expect(problems(edit("          count: 0.5", "          cnt: 0.5"))).toEqual([
      expect.stringMatching(/^spec\/s\.yaml:43:11: unknown attribute `cnt`/),
    ]);
    expect(
      problems(
        edit(
          "        description: How much it counts.",
          "        description: How much it counts.\n        required: true",
        ),
      ),
    ).toEqual(["spec/s.yaml:30:15: missing required attribute `count`"]);
  });
});

describe("rule: outcomes", () => {
  it("rejects an outcome that contradicts the code class it claims to come from", () => {
    expect(problems(edit("        outcome: permanent\n", "        outcome: transient\n"))).toEqual([
      "spec/s.yaml:33:18: outcome transient contradicts the code class 5 (permanent) that outcomeBasis code-class names",
    ]);
  });
});

describe("rule: errata", () => {
  it("rejects an erratum that reads the same as its correction", () => {
    expect(
      problems(
        edit("        replyCode: 550\n", "        replyCode: 550\n        erratum: { sourceReads: 1, note: n }\n"),
      ),
    ).toEqual(["spec/s.yaml:36:33: erratum reads 1, the same as the code; an erratum names its correction in `code`"]);
  });
});

describe("rule: references", () => {
  it("rejects a reference that does not resolve, with the form that marks it non-standard", () => {
    expect(problems(edit("        replyCode: 550", "        replyCode: 551"))).toEqual([
      'spec/s.yaml:35:20: 551 does not resolve: 551 is not in the smtp-reply registry (spec/r.yaml:12:14); fix it, or mark it { code: 551, standard: false, note: "why" } if no standard defines it',
    ]);
    expect(problems(edit("        reason: userunknown", "        reason: nosuchreason"))).toEqual([
      expect.stringMatching(
        /^spec\/s\.yaml:36:17: "nosuchreason" does not resolve: "nosuchreason" is not in the bounce-reason registry .*; use one of its codes$/,
      ),
    ]);
  });
  it("rejects a non-standard mark on a code the registries define, in a list too", () => {
    expect(
      problems(edit("        replyCode: 550", "        replyCode: [550, { code: 550, standard: false, note: n }]")),
    ).toEqual([
      "spec/s.yaml:35:34: 550 is marked standard: false, but the registries define it; write it as a plain value",
    ]);
  });
  it("resolves an enhanced code by its class and its subject.detail", () => {
    expect(problems(edit("        replyCode: 550", "        enhancedCode: [5.1.1, 5.1.2]"))).toEqual([
      expect.stringMatching(
        /^spec\/s\.yaml:35:31: "5\.1\.2" does not resolve: "X\.1\.2" is not in the enhanced-subject-detail registry/,
      ),
    ]);
  });
});

describe("rule: placeholders", () => {
  it("rejects a placeholder that occurs in no text", () => {
    expect(problems(edit("    columns:\n", "    placeholders: [(address)]\n    columns:\n"))).toEqual([
      'spec/s.yaml:12:20: placeholder "(address)" occurs in no entry\'s text',
    ]);
  });
});

describe("the spec schema", () => {
  it("is a valid JSON Schema 2020-12 (the generator compiles it without checking it against the meta-schema)", () => {
    const ajv = new Ajv2020({ ...AJV_OPTIONS, validateSchema: true });
    expect(ajv.validateSchema(specSchema), JSON.stringify(ajv.errors)).toBe(true);
    // And a broken one is refused: the check above can fail.
    expect(ajv.validateSchema({ ...specSchema, type: "no such type" })).toBe(false);
  });
});
