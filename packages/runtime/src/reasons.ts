// reasons: each reason's own tests, as Sisimai pairs a reason's phrases with its test — in the first pass, whether
// the bounce is that reason within what the SMTP dialogue allows; as a last resort, what the codes' classes and the
// dialogue tell of it when nothing else did. Every reason this code names is in GATED_REASONS, and the generator's
// validator checks that each is a code of the bounce-reason registry: renaming a reason cannot silently drop its test.
import type { Evidence } from "./classification.js";
import type { SmtpCommand } from "./smtp-command.js";

/** Every reason the classifier's code names. */
export const GATED_REASONS = [
  "badreputation",
  "blocked",
  "contenterror",
  "delivered",
  "exceedlimit",
  "expired",
  "filtered",
  "hasmoved",
  "hostunknown",
  "mailboxfull",
  "mailererror",
  "mesgtoobig",
  "networkerror",
  "norelaying",
  "notaccept",
  "notcompliantrfc",
  "onhold",
  "rejected",
  "securityerror",
  "spamdetected",
  "speeding",
  "suspend",
  "systemerror",
  "toomanyconn",
  "undefined",
  "userunknown",
  "vacation",
] as const;
export type GatedReason = (typeof GATED_REASONS)[number];

/** The gated reasons by name (REASON.userunknown): the code names reasons only so, so a misspelling does not compile. */
export const REASON = Object.fromEntries(GATED_REASONS.map((r) => [r, r])) as { readonly [R in GatedReason]: R };

/** What a reason's test may ask of the bounce. */
export interface Gate {
  /** The reason its enhanced status code names (reason-by-status), if any. */
  readonly statusReason: string | undefined;
  /** Its enhanced status code, "" when it has none. */
  readonly status: string;
  /** Whether it gives a status at all: a code in the text, or a Status field (well-formed or not). */
  readonly hasStatus: boolean;
  /** The reason a reply-code rule of the first pass gives, if any. */
  readonly replyReason: string | undefined;
  readonly replyCode: number | undefined;
  readonly command: SmtpCommand | undefined;
  /** The reason the mail's form or the MTA gave, if any. */
  readonly given: string | undefined;
  readonly diagnosticType: string | undefined;
  readonly dsnAction: string | undefined;
  /** Whether wording the passes may take says `reason` (no matched row vetoes it). */
  says(reason: string): boolean;
  /** The evidence of the first such wording row, if any. */
  words(reason: string): Evidence | undefined;
}

/** What a first-pass test finds: the evidence, true for "as given", undefined for "not this reason". */
export type Decision = Evidence | true | undefined;

/** A first-pass test: whether the bounce is `reason`. */
export type FirstPassTest = (g: Gate, reason: string) => Decision;

/** A reason's tests. */
export interface ReasonTests {
  /** In the first pass, at the reason's place (its firstPass attribute). */
  readonly first?: FirstPassTest;
  /** As a last resort (see LAST_RESORTS), when no status code named a reason that holds. */
  readonly last?: (g: Gate, reason: string) => Evidence | undefined;
}

/** Reasons after which the rules are tried anyway: what an MTA's own category says only roughly (as in Sisimai). */
const ROUGH = new Set<string>([
  REASON.undefined,
  REASON.onhold,
  REASON.systemerror,
  REASON.securityerror,
  REASON.expired,
  REASON.networkerror,
  REASON.hostunknown,
  REASON.userunknown,
]);

export function isRough(reason: string): boolean {
  return ROUGH.has(reason);
}

/** Reasons a status code or the wording must not be read as for a refused address (the user-unknown vetoes). */
const NOT_A_USER = [
  REASON.norelaying,
  REASON.blocked,
  REASON.mailboxfull,
  REASON.hasmoved,
  REASON.rejected,
  REASON.notaccept,
];

/** SMTP commands before the message's data, after which content-based reasons cannot be. */
function beforeData(command: SmtpCommand | undefined): boolean {
  return command === "CONN" || command === "EHLO" || command === "HELO" || command === "MAIL" || command === "RCPT";
}

function byStatus(g: Gate, reason: string): Evidence | undefined {
  return g.statusReason === reason ? { kind: "enhanced-code", code: g.status } : undefined;
}

/** A first-pass test that comes after what is stated: the reason given, then a first-pass reply-code rule's. */
function afterStated(test: FirstPassTest): FirstPassTest {
  return (g, reason) => {
    if (g.given === reason) return true;
    if (g.replyReason === reason) return { kind: "reply-code", code: g.replyCode! };
    return test(g, reason);
  };
}

/** The first-pass test of a reason without one of its own: what is stated, its status code, its wording. */
const usualFirstPass = afterStated((g, reason) => byStatus(g, reason) ?? g.words(reason));

/** Reasons no status code names: what is stated, or their wording. */
const wordsOnly = afterStated((g, reason) => g.words(reason));

/** Spam needs a status to go by, and cannot be said of a command before the data. */
function spamdetected(g: Gate, reason: string): Decision {
  if (!g.hasStatus) return undefined;
  if (g.given === reason) return true;
  return byStatus(g, reason) ?? (beforeData(g.command) ? undefined : g.words(reason));
}

function codeClass(g: Gate, subject: string): Evidence | undefined {
  return g.status[2] === subject ? { kind: "code-class", code: g.status } : undefined;
}

/**
 * The reasons' tests, within the limits the SMTP dialogue sets, as Sisimai reads bounces: wording about an unknown
 * user decides only for a RCPT reply or a status saying so, content reasons cannot follow a command before DATA, …
 */
export const REASON_TESTS: { readonly [R in GatedReason]?: ReasonTests } = {
  spamdetected: { first: spamdetected },
  mesgtoobig: {
    first: afterStated((g, reason) => {
      const tooMany = g.statusReason === REASON.exceedlimit || g.status === "5.2.3";
      return byStatus(g, reason) ?? (tooMany ? undefined : g.words(reason));
    }),
  },
  suspend: { first: wordsOnly },
  hasmoved: { first: wordsOnly },
  notcompliantrfc: { first: wordsOnly },
  badreputation: { first: wordsOnly },
  // A rate refusal's words, unless they are about connections or recipients ("connection rate limit exceeded",
  // "throttling failure: maximum sending rate exceeded"), which toomanyconn's say more exactly.
  speeding: { first: afterStated((g, reason) => (g.says(REASON.toomanyconn) ? undefined : g.words(reason))) },
  norelaying: {
    first: afterStated((g, reason) => {
      const given = g.given;
      const notRelaying = given === REASON.securityerror || given === REASON.systemerror || given === REASON.undefined;
      const greeting = g.command === "CONN" || g.command === "EHLO" || g.command === "HELO";
      return notRelaying || greeting ? undefined : g.words(reason);
    }),
  },
  userunknown: {
    first: afterStated((g, reason) => {
      if (g.statusReason === REASON.suspend) return undefined;
      if (g.statusReason === reason) return NOT_A_USER.some((r) => g.says(r)) ? undefined : byStatus(g, reason);
      return g.command === "RCPT" ? g.words(reason) : undefined;
    }),
  },
  filtered: {
    first: afterStated((g, reason) => {
      if (g.statusReason === REASON.suspend) return undefined;
      if (g.statusReason === reason) return g.words(REASON.userunknown) ?? g.words(reason);
      if (beforeData(g.command)) return undefined;
      return g.words(reason) ?? g.words(REASON.userunknown);
    }),
  },
  contenterror: {
    first: afterStated((g, reason) =>
      spamdetected(g, REASON.spamdetected) !== undefined ? undefined : (byStatus(g, reason) ?? g.words(reason)),
    ),
    last: (g) => codeClass(g, "6"),
  },
  rejected: {
    first: afterStated((g, reason) => {
      const status = byStatus(g, reason);
      if (status) return status;
      const named = g.statusReason ?? REASON.undefined;
      const open =
        g.command === "MAIL" ||
        (g.command === "DATA" && named !== REASON.userunknown) ||
        named === REASON.undefined ||
        named === REASON.onhold ||
        named === REASON.securityerror ||
        named === REASON.systemerror;
      return open ? g.words(reason) : undefined;
    }),
  },
  hostunknown: {
    first: afterStated((g, reason) => {
      if (g.statusReason !== reason) return g.words(reason);
      return g.says(REASON.networkerror) ? undefined : byStatus(g, reason);
    }),
  },
  securityerror: { last: (g) => codeClass(g, "7") },
  mailererror: {
    last: (g, reason) => (g.diagnosticType?.toLowerCase().startsWith("x-unix") ? { kind: "given", reason } : undefined),
  },
  expired: {
    last: (g) =>
      g.dsnAction !== undefined && /^(delayed|expired)$/i.test(g.dsnAction)
        ? { kind: "dsn-action", dsnAction: g.dsnAction }
        : undefined,
  },
  blocked: {
    last: (g) => (g.command === "EHLO" || g.command === "HELO" ? { kind: "command", command: g.command } : undefined),
  },
  vacation: { last: (g, reason) => g.words(reason) },
};

/** Where the reply-code rules tried last (reason-by-reply, pass last) come among the last resorts. */
export const REPLY_LAST = "reply-code rules tried last";

/** The last resorts in order: the codes' classes and the diagnostic type, the last reply-code rules, the dialogue. */
export const LAST_RESORTS = [
  REASON.contenterror,
  REASON.securityerror,
  REASON.mailererror,
  REPLY_LAST,
  REASON.expired,
  REASON.blocked,
  REASON.vacation,
] as const;

const TESTS_BY_REASON: ReadonlyMap<string, ReasonTests> = new Map(Object.entries(REASON_TESTS));

/** The wording a reason's first-pass test reads besides its own: filtered's, the unknown user's (see REASON_TESTS). */
const ALSO_WORDED: { readonly [R in GatedReason]?: readonly GatedReason[] } = { filtered: [REASON.userunknown] };

/**
 * The reasons whose wording may make a reason's first-pass test decide: its own, and ALSO_WORDED's. Every first-pass
 * test decides only by what is stated (the reason given, a first-pass reply rule's), by the reason its status code
 * names, or by such wording: where a bounce has none of these for a reason, its test would find nothing, and the
 * classifier does not run it (most bounces match few rows). The tests are held to this in test/reasons.test.ts.
 */
export function firstPassWording(reason: string): readonly string[] {
  return [reason, ...(ALSO_WORDED[reason as GatedReason] ?? [])];
}

/** A reason's first-pass test: its own, or the usual one. */
export function firstPassTest(reason: string): FirstPassTest {
  return TESTS_BY_REASON.get(reason)?.first ?? usualFirstPass;
}
