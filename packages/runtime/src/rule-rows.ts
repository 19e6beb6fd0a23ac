// rule-rows: the classifier's contract with the catalog — what the rows of each registry it reads carry. The
// attributes are fixed here, once: the generator's schema refuses a spec that declares or writes any other (so a
// misspelt key cannot pass for a missing one), and the row types below, which the generated index's tables must
// satisfy, are derived from them.
import { BOUNCE_ACTIONS, SETUP_AREAS } from "./classification.js";
import type { EntryData } from "./code-set.js";
import type { CodeFormat } from "./codes.js";

/** One attribute a registry's rows carry: its type, its values where it is a choice, whether every row has it. */
export interface AttributeContract {
  readonly type: "string" | "integer";
  readonly enum?: readonly string[];
  readonly required?: true;
}

/** Whether a reason means the address itself is dead: always, never, or when the failure is permanent. */
export const HARD_BOUNCE = ["always", "never", "when-permanent"] as const;
/** Where a reply-code rule is tried: at its reason's place in the first or second pass, or last. */
export const REPLY_PASSES = ["first", "second", "last"] as const;
/** Wording tried outside the passes: early (decides before them), a local delivery agent's name, what it says. */
export const WORDING_PASSES = ["early", "agent", "agent-says"] as const;
/** The failures a provider's row may be limited to. */
export const FAILURES = ["permanent", "temporary"] as const;

/** The registries the classifier reads, and the attributes of their rows. */
export const RULE_ATTRIBUTES = {
  "bounce-reason": {
    hardBounce: { type: "string", enum: HARD_BOUNCE, required: true },
    action: { type: "string", enum: BOUNCE_ACTIONS, required: true },
    /** For fix-setup, and only for it (see the generator's rules). */
    setup: { type: "string", enum: SETUP_AREAS },
    firstPass: { type: "integer" },
    secondPass: { type: "integer" },
  },
  "reason-by-status": {},
  "reason-by-reply": { pass: { type: "string", enum: REPLY_PASSES, required: true } },
  "reason-by-wording": {
    pass: { type: "string", enum: WORDING_PASSES },
    /** A reason whose other phrases the row cancels. */
    vetoes: { type: "string" },
  },
  "reason-by-mta-wording": { mta: { type: "string", required: true } },
  "reason-by-provider-wording": {
    provider: { type: "string", required: true },
    failure: { type: "string", enum: FAILURES },
    unlessStatus: { type: "string" },
    /** The enhanced status codes under which alone the row counts. */
    status: { type: "string" },
    /** The SMTP commands after which alone the row counts. */
    command: { type: "string" },
  },
  "bounce-provider": { hosts: { type: "string", required: true } },
} as const satisfies Record<string, Record<string, AttributeContract>>;

export type RuleRegistry = keyof typeof RULE_ATTRIBUTES;

type ValueOf<A> = A extends { readonly enum: readonly (infer V)[] }
  ? V
  : A extends { readonly type: "integer" }
    ? number
    : string;
type Contract<R extends RuleRegistry> = (typeof RULE_ATTRIBUTES)[R];
type RequiredKeys<C> = { [K in keyof C]: C[K] extends { readonly required: true } ? K : never }[keyof C];

/** The attributes of a registry's rows, as RULE_ATTRIBUTES fixes them. */
export type RuleAttributes<R extends RuleRegistry> = {
  readonly [K in RequiredKeys<Contract<R>>]: ValueOf<Contract<R>[K]>;
} & { readonly [K in Exclude<keyof Contract<R>, RequiredKeys<Contract<R>>>]?: ValueOf<Contract<R>[K]> };

/** What the classifier reads of any entry: where it is from, the reason it leads to, the reply code it carries. */
export interface ClassifiedEntry extends EntryData {
  readonly source: string;
  readonly reason?: string;
  readonly replyCode?: unknown;
}

/** A row of the bounce-reason registry. */
export interface ReasonRow extends EntryData {
  readonly code: string;
  readonly attributes: RuleAttributes<"bounce-reason">;
}

/** A row of reason-by-status: an enhanced status code (or a range) and its reason. */
export interface StatusRuleRow extends EntryData {
  readonly reason: string;
}

/** A row of reason-by-reply: a reply code (or a range), its reason, and where it is tried. */
export interface ReplyRuleRow extends EntryData {
  readonly reason: string;
  readonly attributes: RuleAttributes<"reason-by-reply">;
}

/** A row of reason-by-wording: a phrase, its reason (none for a row that only vetoes), where it counts. */
export interface WordingRow extends ClassifiedEntry {
  readonly attributes: RuleAttributes<"reason-by-wording">;
}

/** A row of reason-by-mta-wording: a sentence that counts only in the reports of the MTAs named. */
export interface MtaWordingRow extends ClassifiedEntry {
  readonly reason: string;
  readonly attributes: RuleAttributes<"reason-by-mta-wording">;
}

/** A row of reason-by-provider-wording: a phrase that counts only in the bounces of the providers named. */
export interface ProviderWordingRow extends ClassifiedEntry {
  readonly reason: string;
  readonly attributes: RuleAttributes<"reason-by-provider-wording">;
}

/** A row of bounce-provider: a provider (its code is its name) and its hosts. */
export interface ProviderRow extends ClassifiedEntry {
  readonly code: string;
  readonly attributes: RuleAttributes<"bounce-provider">;
}

/** A set of the catalog as the classifier reads it. */
export interface SetTable<Row> {
  readonly entries: readonly Row[];
  readonly format: CodeFormat;
  /** The column bounces show (a provider's message, a phrase): its entries are found in text. */
  readonly inLogs?: string;
  readonly placeholders?: readonly string[];
}

/** The rows of the registries among the catalog's sets that the classifier reads row by row. */
interface TaggedRows {
  "reason-by-wording": WordingRow;
  "reason-by-mta-wording": MtaWordingRow;
  "reason-by-provider-wording": ProviderWordingRow;
  "bounce-provider": ProviderRow;
}

/** The registries whose tables the generated index tags with what they define (see ClassifiedSet). */
export const TAGGED_REGISTRIES: ReadonlyArray<keyof TaggedRows> = [
  "reason-by-wording",
  "reason-by-mta-wording",
  "reason-by-provider-wording",
  "bounce-provider",
];

/** A set as the generated index passes it: a plain one, or a registry whose rows the classifier reads, tagged. */
export type ClassifiedSet<Info> =
  | (SetTable<Info> & { readonly registry?: undefined })
  | { [R in keyof TaggedRows]: SetTable<Info & TaggedRows[R]> & { readonly registry: R } }[keyof TaggedRows];

/** The catalog's tables, as the generated index passes them to `classifier`. */
export interface ClassifierTables<Info> {
  /** The bounce-reason registry's entries. */
  readonly reasons: readonly ReasonRow[];
  /** Every set of the catalog but the bounce-reason, reason-by-status and reason-by-reply registries, in its order. */
  readonly sets: ReadonlyArray<ClassifiedSet<Info>>;
  readonly byStatus?: SetTable<StatusRuleRow>;
  readonly byReply?: SetTable<ReplyRuleRow>;
}
