// spec-schema: the JSON Schema of a spec, written once. The validator checks specs against it (ajv), the spec's
// TypeScript types are derived from it (json-schema-to-ts), and spec/mailcodes.schema.json is printed from it for
// editors (`npm run build` writes it; a test fails when the committed file differs).
import type { FromSchema } from "json-schema-to-ts";
import { type AttributeContract, CODE_FORMATS, OUTCOMES, REGISTRIES, RULE_ATTRIBUTES } from "mailcodes-runtime";

const text = { description: "Text exactly as the document gives it.", type: "string", minLength: 1 } as const;

const languageTag = {
  type: "string",
  pattern: "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
  title: 'a BCP 47 language tag, as "ja" or "en"',
} as const;

/** One to three digits, no leading zero: a part of an enhanced status code as RFC 3463 writes it. */
const PART = "(0|[1-9][0-9]{0,2})";

/** The forms a code may take, per codeFormat. A range is written "from-to" and stands for every code in between. */
const codeForms = {
  "smtp-reply": [
    { type: "integer", minimum: 100, maximum: 599 },
    { type: "string", pattern: "^[1-5][0-9]{2}-[1-5][0-9]{2}$", title: 'a range of reply codes, as "530-539"' },
  ],
  "enhanced-status": [
    {
      type: "string",
      pattern: `^[245]\\.${PART}\\.${PART}$`,
      title: 'an enhanced status code: class 2, 4 or 5, then subject and detail of 1-3 digits, as "5.1.1" or "4.4.316"',
    },
    { type: "string", pattern: `^[245]\\.${PART}\\.${PART}-${PART}$`, title: 'a range of details, as "5.7.500-699"' },
  ],
  "enhanced-subject-detail": [
    {
      type: "string",
      pattern: `^[Xx]\\.${PART}\\.${PART}$`,
      title: 'a subject.detail code written with x, as "x.1.1"',
    },
  ],
  pattern: [
    {
      type: "string",
      pattern: "^[0-9XxYy*]+(\\.[0-9XxYy*]+)*$",
      title: 'a class pattern of digits and x, y or *, as "2**", "4.x.x", "x0x" or "X.1.YYY"',
    },
  ],
  integer: [
    { type: "integer", minimum: -999999999, maximum: 999999999 },
    { type: "string", pattern: "^-?[0-9]{1,9}--?[0-9]{1,9}$", title: 'a range of integers, as "600-699"' },
  ],
  alphanumeric: [
    {
      type: "string",
      pattern: "^[A-Za-z0-9]+([._-][A-Za-z0-9]+)*$",
      maxLength: 40,
      title: 'letters and digits joined by "-", "." or "_", as "RP-001" or "XGEMAIL_0011"',
    },
  ],
} as const;

/** `code` under a codeFormat: one code, or a list of the codes a row gives together ("5.4.6 or 5.4.14"). */
function codeOf<const F extends ReadonlyArray<object>>(forms: F) {
  return {
    anyOf: [...forms, { type: "array", minItems: 2, uniqueItems: true, items: { anyOf: forms } }],
  } as const;
}

/**
 * Per codeFormat, what `code` must be in each entry: of the format's forms; `none` has no code. A row of a set of codes
 * may have none either, where the document gives it none: it is known by its name (and found by its text).
 */
function codeRule<F extends keyof typeof codeForms>(format: F) {
  return {
    if: { properties: { codeFormat: { const: format } }, required: ["codeFormat"] },
    then: {
      properties: {
        entries: { type: "array", items: { type: "object", properties: { code: codeOf(codeForms[format]) } } },
      },
    },
  } as const;
}

const nonStandard = <const C extends object>(code: C, example: string) =>
  ({
    type: "object",
    description: `A code the row carries that no standard defines (so it is not resolved), with why; as ${example}.`,
    title: `a code no standard defines, as ${example}`,
    additionalProperties: false,
    required: ["code", "standard", "note"],
    properties: {
      code,
      standard: { description: "Always false: the code is knowingly not a standard one.", const: false },
      note: { ...text, description: "Why the code is not standard, in English." },
    },
  }) as const;

const replyCodeRef = {
  anyOf: [
    { type: "integer", minimum: 100, maximum: 599 },
    nonStandard(
      { description: "The reply code as the document gives it.", type: "integer", minimum: 100, maximum: 999 },
      "{ code: 571, standard: false, note: … }",
    ),
  ],
} as const;

const enhancedCodeRef = {
  anyOf: [
    { type: "string", pattern: `^[245]\\.${PART}\\.${PART}$`, title: 'an enhanced status code, as "5.1.1"' },
    nonStandard(
      {
        description: "The enhanced status code as the document gives it, quoted.",
        type: "string",
        pattern: `^[0-9]\\.${PART}\\.${PART}$`,
        title: 'three dot-separated parts, as "5.7.708"',
      },
      '{ code: "5.7.708", standard: false, note: … }',
    ),
  ],
} as const;

/** A reference field: one reference, or the list of references a row gives ("451, 550"). */
const oneOrMany = <const R extends object>(ref: R, description: string) =>
  ({ description, anyOf: [ref, { type: "array", minItems: 1, items: ref }] }) as const;

const notes = {
  type: "array",
  items: {
    type: "object",
    additionalProperties: false,
    required: ["text"],
    properties: {
      heading: { ...text, description: "The note's heading in the document (e.g. 注意), verbatim." },
      text: { ...text, description: "The note's text, verbatim." },
    },
  },
} as const;

const identifierName = {
  description:
    'Words that become a PascalCase TypeScript identifier ("mailbox unavailable" and "MailboxUnavailable" both give MailboxUnavailable).',
  type: "string",
  pattern: "^[A-Za-z0-9]+([ _-][A-Za-z0-9]+)*$",
  maxLength: 100,
  title: 'words of letters and digits separated by single spaces, "-" or "_", as "Mailbox unavailable"',
} as const;

const setId = {
  type: "string",
  pattern: "^[a-z][a-z0-9]*(-[a-z0-9]+)*$",
  maxLength: 60,
  title: 'kebab-case, as "smtp-reply-code"',
} as const;

const column = {
  description: "A text column of the table.",
  type: "object",
  additionalProperties: false,
  required: ["key", "heading", "language", "description"],
  properties: {
    key: {
      description: "Field name in the generated info (camelCase).",
      type: "string",
      pattern: "^[a-z][A-Za-z0-9]*$",
      maxLength: 60,
      title: 'camelCase, as "meaning"',
    },
    heading: {
      ...text,
      description:
        "The column's heading in the document, verbatim (or the role the text plays where the document has no heading).",
    },
    language: {
      ...languageTag,
      description:
        "Language of this column's text (ja, en). A row giving English and Japanese has one column for each.",
    },
    description: { ...text, description: "What the column holds, in English." },
    required: { description: "Whether every entry has this text. Default true.", type: "boolean" },
    ditto: {
      ...text,
      description:
        'The mark the document uses for "same as the row above" in this column (e.g. 同上). An entry whose text is exactly this mark gets the text of the row above, and is recorded as ditto.',
    },
    inLogs: {
      description:
        "Whether this column's text is what appears in bounces and logs (a provider's message). The generated parser finds an entry by it: its words in order, white space and quotes folded, the set's placeholders matching anything. In a set of codes, the parser reads the code first and tells the rows of that code apart by this text; a line with no code finds its row by the text alone where no other row has the same. At most one column per set.",
      type: "boolean",
    },
  },
} as const;

const attribute = {
  description: "A typed datum per row.",
  type: "object",
  additionalProperties: false,
  required: ["key", "type", "description"],
  properties: {
    key: {
      description: "Field name in the generated info (camelCase).",
      type: "string",
      pattern: "^[a-z][A-Za-z0-9]*$",
      maxLength: 60,
      title: 'camelCase, as "count"',
    },
    heading: { ...text, description: "The column's heading in the document, verbatim, where the datum is a column." },
    description: { ...text, description: "What the datum means, in English, and where the document says it." },
    type: { description: "The datum's type.", enum: ["string", "number", "integer", "boolean"] },
    enum: {
      description: "The values allowed, when the datum is a choice.",
      type: "array",
      minItems: 1,
      uniqueItems: true,
      items: { type: ["string", "number", "boolean"] },
    },
    labels: {
      description: "For a choice: how the document writes each value, verbatim (e.g. system: システム).",
      type: "object",
      additionalProperties: text,
    },
    required: {
      description: "Whether every entry has this datum. Default false (absent means the document leaves it blank).",
      type: "boolean",
    },
  },
} as const;

const entry = {
  description: "One row of the table.",
  type: "object",
  additionalProperties: false,
  required: ["name"],
  properties: {
    code: {
      // Every form's type, for the types derived from the schema; each codeFormat's rule below checks the form.
      type: ["integer", "string", "array"],
      items: { type: ["integer", "string"] },
      description:
        'The row\'s code in the set\'s codeFormat: one code, a range ("5.7.500-699"), or the list of codes the row gives together ("5.4.6 or 5.4.14" as [5.4.6, 5.4.14]). Where the document is wrong (see erratum), the corrected code. Absent under codeFormat none, and on a row the document gives no code ("n/a"): that row is known by its name, which is its code in the generated type, and found by its text.',
    },
    name: {
      ...identifierName,
      description: "Identifier of the enum member, unique in the set after conversion to PascalCase.",
    },
    texts: { description: "The row's texts by column key, verbatim.", type: "object", additionalProperties: text },
    attributes: {
      description: "The row's typed data by attribute key.",
      type: "object",
      additionalProperties: { type: ["string", "number", "boolean"] },
    },
    outcome: {
      description:
        "What the code means for delivery: success, intermediate (3xx: go on), transient (try again later), permanent (do not retry as is), or failure (the document says it failed but not whether for good).",
      enum: OUTCOMES,
    },
    outcomeBasis: {
      description:
        "Where the outcome comes from: code-class (the code's class digit, e.g. 5xx) or document (the document's words for the row or its table).",
      enum: ["code-class", "document"],
    },
    replyCode: oneOrMany(
      replyCodeRef,
      "The SMTP reply code(s) the row carries: each must resolve in the smtp-reply registry, or be marked { code, standard: false, note } when no standard defines it.",
    ),
    enhancedCode: oneOrMany(
      enhancedCodeRef,
      'The enhanced status code(s) the row carries ("5.1.1"): each must resolve in the enhanced-status-class and enhanced-subject-detail registries, or be marked { code: "5.7.708", standard: false, note } when no standard defines it.',
    ),
    reason: {
      description:
        "Why a bounce with this row's code or text happens, as a code of the bounce-reason registry (userunknown, mailboxfull, …): what a classifier reports for it.",
      type: "string",
      pattern: "^[a-z][a-z0-9]*$",
      title: 'a bounce reason, as "userunknown"',
    },
    erratum: {
      description: "The document gives this row wrongly: what it reads, and why the code above is the correction.",
      type: "object",
      additionalProperties: false,
      required: ["sourceReads", "note"],
      properties: {
        sourceReads: { description: "The code as the document prints it.", type: ["integer", "string"] },
        note: { ...text, description: "Why it is wrong and what says so, in English." },
      },
    },
  },
  dependentRequired: { outcome: ["outcomeBasis"], outcomeBasis: ["outcome"] },
} as const;

const entries = {
  description: "The rows of the table, in the document's order.",
  type: "array",
  minItems: 1,
  items: entry,
} as const;

/**
 * What the rows of a registry the classifier reads carry is its contract (RULE_ATTRIBUTES): a set that defines one
 * declares no other attribute, each as the contract types it, and every one the contract requires, so that a
 * misspelt or renamed key is refused where it is written instead of being silently ignored. (Rows are checked
 * against the declarations, extensions' rows too.)
 */
function ruleAttributes(
  registry: string,
  contract: Readonly<Record<string, AttributeContract>>,
): { readonly if: object; readonly then: object } {
  const keys = Object.keys(contract);
  const fixed = `the classifier reads ${registry} rows' ${keys.map((k) => `\`${k}\``).join(", ") || "reason alone"} (see rule-rows.ts in mailcodes-runtime)`;
  const declaration = (key: string, attribute: AttributeContract) => ({
    if: { properties: { key: { const: key } }, required: ["key"] },
    then: {
      required: ["type", ...(attribute.enum ? ["enum"] : []), ...(attribute.required ? ["required"] : [])],
      properties: {
        type: { const: attribute.type, title: fixed },
        ...(attribute.enum && { enum: { const: attribute.enum, title: fixed } }),
        required: { const: attribute.required ?? false, title: fixed },
      },
    },
  });
  const required = keys.filter((key) => contract[key]!.required);
  const attributes =
    keys.length === 0
      ? { type: "array", maxItems: 0, title: fixed }
      : {
          type: "array",
          items: {
            type: "object",
            properties: { key: { enum: keys, title: fixed } },
            allOf: keys.map((key) => declaration(key, contract[key]!)),
          },
          ...(required.length > 0 && {
            allOf: required.map((key) => ({
              contains: { type: "object", properties: { key: { const: key } }, required: ["key"] },
              title: `the attribute \`${key}\`: ${fixed}`,
            })),
          }),
        };
  return {
    if: { properties: { defines: { const: registry } }, required: ["defines"] },
    then: { ...(required.length > 0 && { required: ["attributes"] }), properties: { attributes } },
  };
}

/** What an extension (`extends`) may not say: the extended set's applies. */
const fromExtendedSet = {
  not: {},
  description: "a set that extends another takes this from the set it extends; remove it",
} as const;

/**
 * A table of the document: a set of its own, or (with `extends`) rows added to a set declared in another spec.
 * The properties give the types; the if/then rules below only narrow (which properties each form needs, and each
 * codeFormat's codes), so the types derived from the schema stay simple.
 */
const codeSet = {
  description: "One table of the document.",
  type: "object",
  additionalProperties: false,
  required: ["table", "codeFormat", "entries"],
  properties: {
    id: {
      ...setId,
      description:
        "Stable id of the set, in kebab-case: the generated module's file name and the `source` field of its entries.",
    },
    name: { ...identifierName, description: "Name of the generated enum and type, e.g. SmtpReplyCode." },
    extends: {
      ...setId,
      description:
        "Instead of id, name and the rest: the id of the set (declared in another spec, or earlier in this one) whose rows this table continues, as a registry split across documents. The rows use that set's columns, attributes and rules.",
    },
    table: {
      ...text,
      description: "Which section or table of the document the set comes from, by its heading, verbatim.",
    },
    description: { ...text, description: "What the set is, in a sentence of English (ours, not the document's)." },
    codeFormat: {
      description:
        'The form of the codes: smtp-reply (integer 100-599, as 550), enhanced-status (string class.subject.detail, 1-3 digits a part, as "5.1.1" or "5.7.708"), enhanced-subject-detail (string X.subject.detail, as "x.1.1"), pattern (a class written with placeholders, as "2**", "4.x.x", "x0x"), integer (a service\'s own numeric code, as -502 or 42550), alphanumeric (a provider\'s code, as "RP-001" or "XGEMAIL_0011"), none (entries have no code of their own and are known by name, as Gmail\'s messages). smtp-reply, enhanced-status and integer codes may also be ranges ("5.7.500-699"). A set that extends another repeats that set\'s codeFormat.',
      enum: CODE_FORMATS,
    },
    defines: {
      description:
        "Marks this set as a registry. References resolve against smtp-reply (replyCode), enhanced-status-class (the class digit of enhancedCode: codes 2, 4, 5), enhanced-subject-detail (the rest of enhancedCode) and bounce-reason (reason). The classifier's rules are registries too, each row with a reason: reason-by-status (codeFormat enhanced-status: a full code, as 5.1.1, or a range), reason-by-reply (codeFormat smtp-reply) and reason-by-wording (codeFormat none, with an inLogs column of phrases). One set defines each; other specs add rows to it with `extends` (your own wording, say).",
      enum: REGISTRIES,
    },
    repeatedCodes: {
      description:
        "Whether the document lists the same code on several rows (different messages under one code). Lookups by code then give the first such row, and lookupAllX every row. Default false: a repeated code is an error.",
      type: "boolean",
    },
    outcomes: {
      description:
        "Whether entries carry an outcome. false for tables whose rows do not classify a result (e.g. the meaning of a code's second digit). Default true.",
      type: "boolean",
    },
    columns: {
      description: "The text columns of the table, in the document's order. Every entry's texts use these keys.",
      type: "array",
      items: column,
    },
    attributes: {
      description: "Typed data the table gives per row (a number, a flag, a choice), as opposed to free text.",
      type: "array",
      items: attribute,
    },
    placeholders: {
      description:
        "Text in this set's texts that stands for a value filled in at run time (an address, an IP address, a number), verbatim, e.g. (受信者のメールアドレス). Each must occur in some entry's text.",
      type: "array",
      uniqueItems: true,
      items: text,
    },
    notes: { ...notes, description: "Notes that belong to this table, verbatim." },
    entries,
  },
  allOf: [
    {
      if: { required: ["extends"] },
      then: {
        properties: {
          id: fromExtendedSet,
          name: fromExtendedSet,
          description: fromExtendedSet,
          defines: fromExtendedSet,
          repeatedCodes: fromExtendedSet,
          outcomes: fromExtendedSet,
          columns: fromExtendedSet,
          attributes: fromExtendedSet,
          placeholders: fromExtendedSet,
        },
      },
      else: { required: ["id", "name", "description"] },
    },
    codeRule("smtp-reply"),
    codeRule("enhanced-status"),
    codeRule("enhanced-subject-detail"),
    codeRule("pattern"),
    codeRule("integer"),
    codeRule("alphanumeric"),
    ...Object.entries(RULE_ATTRIBUTES).map(([registry, contract]) => ruleAttributes(registry, contract)),
    {
      if: { properties: { codeFormat: { const: "none" } }, required: ["codeFormat"] },
      then: {
        properties: {
          entries: {
            type: "array",
            items: {
              type: "object",
              properties: {
                code: { not: {}, description: "codeFormat none: entries are known by name and have no code" },
              },
            },
          },
        },
      },
    },
  ],
} as const;

export const specSchema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: "mailcodes.schema.json",
  title: "mailcodes spec",
  description:
    "One source document of mail delivery codes, transcribed verbatim into code sets (one per table of the document).",
  type: "object",
  additionalProperties: false,
  required: ["source", "codeSets"],
  properties: {
    source: {
      description: "The document this spec is transcribed from.",
      type: "object",
      additionalProperties: false,
      required: ["file", "title", "publisher", "language"],
      properties: {
        file: {
          description:
            "Path of the document's text, relative to this spec's folder (sources/<file> for a source document, reference/<file> for a standard's table). It must exist.",
          type: "string",
          pattern: "^(?!/)(?!.*(^|/)\\.\\.?(/|$))[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$",
          title: "a relative path inside the spec folder, as sources/000_document.txt",
        },
        title: { ...text, description: "The document's title, verbatim." },
        publisher: { ...text, description: "Who publishes the document (service, company or standards body)." },
        url: {
          description: "Where the document is published, when known.",
          type: "string",
          pattern: "^https?://[^\\s]+$",
          title: "an http(s) URL",
        },
        language: { ...languageTag, description: "Language of the document's text, as a BCP 47 tag (ja, en)." },
      },
    },
    notes: { ...notes, description: "Notes of the document as a whole (boxes, asides), verbatim." },
    codeSets: {
      description:
        "The tables of the document, each becoming one generated module (or adding rows to one, with `extends`).",
      type: "array",
      minItems: 1,
      items: codeSet,
    },
  },
} as const;

/** A spec as the schema accepts it: the type the rules and the model read. */
export type SpecDocument = FromSchema<typeof specSchema>;

/** spec/mailcodes.schema.json's text: what `npm run build` writes for editors (the yaml-language-server line of a spec). */
export function schemaText(): string {
  return JSON.stringify(specSchema, null, 2) + "\n";
}
