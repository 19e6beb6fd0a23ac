// classification: what the classifier is given and what it answers, typed as precisely as the catalog's data — the
// reasons, codes and providers are the catalog's unions (a generated index fills them in), open where a mail can
// carry a code the catalog lacks; `setup` comes exactly with the fix-setup action.
import type { EntryData } from "./code-set.js";
import type { SmtpCommand } from "./smtp-command.js";

/** What to do about a bounce. */
export const BOUNCE_ACTIONS = ["retry", "suppress", "fix-setup", "change-message", "ask-recipient", "none"] as const;
export type BounceAction = (typeof BOUNCE_ACTIONS)[number];
/** For fix-setup: which part of the sender's setup. */
export const SETUP_AREAS = ["authentication", "dns", "reputation", "rate", "software"] as const;
export type SetupArea = (typeof SETUP_AREAS)[number];

/**
 * What is known of one bounced recipient besides the text: what a mail parser reads from a DSN, say. `Reason` is the
 * catalog's reasons (a generated index declares its BounceFacts with them).
 */
export interface BounceFactsOf<Reason extends string> {
  /** What the receiving side said: an SMTP reply, a DSN's Diagnostic-Code, a bounce's wording. */
  readonly text: string;
  /** A DSN's Status: field ("5.1.1"). */
  readonly status?: string;
  /** The SMTP reply code, when known apart from the text. */
  readonly replyCode?: number;
  /** The SMTP command the failure answered (any case; BDAT is DATA); found in the text when not given or not one. */
  readonly command?: SmtpCommand | (string & {});
  /** A DSN's Action: field (failed, delayed, delivered); not to be confused with the result's action, what to do. */
  readonly dsnAction?: string;
  /** A DSN's Diagnostic-Code type (smtp, x-unix). */
  readonly diagnosticType?: string;
  /** A reason the mail's form tells by itself (a feedback report, an auto-reply, an MTA's own category). */
  readonly reason?: Reason;
  /** The bounced address: its domain tells the provider whose wording applies (x@yahoo.co.jp, x@hotmail.com). */
  readonly recipient?: string;
  /** The host that refused the message (a DSN's Remote-MTA); found in the text ("host mx.example.net said:") if not given. */
  readonly remoteMta?: string;
  /** The host that wrote the report (a DSN's Reporting-MTA). */
  readonly reportingMta?: string;
  /** The MTA whose report the text is (exim, qmail, gmail, …): its own sentences count only in its reports. */
  readonly mta?: string;
}

/** BounceFacts with any reason: one that is not a code of the registry is ignored. */
export type BounceFacts = BounceFactsOf<string>;

/** The pieces of evidence a result can rest on, strongest first. */
export type Evidence =
  | { readonly kind: "given"; readonly reason: string }
  | { readonly kind: "success"; readonly code: string }
  | { readonly kind: "wording"; readonly source: string; readonly name: string; readonly phrase: string }
  | { readonly kind: "enhanced-code"; readonly code: string }
  | { readonly kind: "reply-code"; readonly code: number }
  | { readonly kind: "code-class"; readonly code: string }
  | { readonly kind: "command"; readonly command: SmtpCommand }
  | { readonly kind: "dsn-action"; readonly dsnAction: string }
  | { readonly kind: "none" };

/** What to do, and for fix-setup (and only then) what to fix. */
export type ClassifiedAction =
  | { readonly action: Exclude<BounceAction, "fix-setup">; readonly setup?: never }
  | { readonly action: "fix-setup"; readonly setup: SetupArea };

/**
 * Everything a classification says but what to do. The type parameters are the catalog's unions: its reasons, its
 * entries, its reply codes, its enhanced status codes, its providers' names.
 */
export interface ClassificationBase<
  Reason extends string = string,
  Info = EntryData,
  ReplyCode extends number = number,
  EnhancedCode extends string = string,
  Provider extends string = string,
> {
  /** Why the bounce happened: a code of the bounce-reason registry. */
  readonly reason: Reason;
  /** Whether the address itself will never work (the reason's hardBounce: always, or when the failure is permanent). */
  readonly hardBounce: boolean;
  /** The SMTP reply code the bounce reports: the one given, else the text's of the status's class. */
  readonly replyCode?: ReplyCode | (number & {});
  /** The enhanced status code the bounce reports: the Status field or the text's, whichever says more. */
  readonly enhancedCode?: EnhancedCode | (string & {});
  /** The SMTP command the failure answered, where the text or the facts tell. */
  readonly command?: SmtpCommand;
  /** The provider whose wording applied, where the hosts name one (a name of the provider set: Google, Yahoo, …). */
  readonly provider?: Provider;
  /** Every entry of every set that the text matched: by its code, or by its wording. */
  readonly matches: readonly Info[];
  /** What decided the reason. */
  readonly evidence: Evidence;
}

/** What the classifier answers: a ClassificationBase with what to do (see ClassifiedAction). */
export type Classification<
  Reason extends string = string,
  Info = EntryData,
  ReplyCode extends number = number,
  EnhancedCode extends string = string,
  Provider extends string = string,
> = ClassificationBase<Reason, Info, ReplyCode, EnhancedCode, Provider> & ClassifiedAction;
