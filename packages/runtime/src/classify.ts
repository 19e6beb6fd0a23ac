// classify: why a bounce happened, from its text and whatever else is known of it. The rules are catalog data (the
// bounce-reason registry; the reason-by-status, reason-by-reply and wording registries; the providers; every set
// whose rows carry a reason), read through the row types of rule-rows.ts; each reason's own tests are in reasons.ts;
// this module is the order they are tried in. Plain ES2020, no dependencies, linear in the text's length, and it
// never throws.
import type {
  BounceAction,
  BounceFactsOf,
  Classification,
  ClassificationBase,
  Evidence,
  SetupArea,
} from "./classification.js";
import { parseIn } from "./code-parse.js";
import { type CodeSetIndex, codeSet, lookupAllIn, lookupIn } from "./code-set.js";
import { type Code, type CodeFormat, patternMatches, splitEnhancedCode } from "./codes.js";
import { CONTEXT_RANK, type CodeContext, type CodeVisitor, isAside, scanCodes } from "./find-codes.js";
import { type MessageGroup, MessageMatcher } from "./matcher.js";
import {
  type FirstPassTest,
  firstPassTest,
  firstPassWording,
  type Gate,
  isRough,
  LAST_RESORTS,
  REASON,
  REASON_TESTS,
  REPLY_LAST,
} from "./reasons.js";
import type {
  ClassifiedEntry,
  ClassifiedSet,
  ClassifierTables,
  ReasonRow,
  ReplyRuleRow,
  StatusRuleRow,
} from "./rule-rows.js";
import { COMMAND_MARKERS, commandOf, type SmtpCommand, smtpCommandOf } from "./smtp-command.js";

/** Builds the classifier over the catalog's tables; its indexes are built on first use. Never throws. */
export function classifier<
  Reason extends string,
  Info extends ClassifiedEntry,
  ReplyCode extends number = number,
  EnhancedCode extends string = string,
  Provider extends string = string,
>(
  tables: ClassifierTables<Info>,
): (input: string | BounceFactsOf<Reason>) => Classification<Reason, Info, ReplyCode, EnhancedCode, Provider> {
  type Result = Classification<Reason, Info, ReplyCode, EnhancedCode, Provider>;
  let prepared: Prepared<Info> | undefined;
  return (input) => {
    if (prepared === undefined) prepared = prepare(tables);
    const p = prepared;
    let facts = NO_FACTS;
    try {
      facts = factsOf(input, p);
      // The engine's reasons, codes and providers are the catalog's: its rows are where they come from.
      return decide(p, facts) as Result;
    } catch {
      // Defensive: the rules are data, and a fault in them (or an input object whose getters throw) must not take a
      // bounce handler down.
      return fallback(p, facts) as Result;
    }
  };
}

/** The facts the classifier works from: every field present (undefined when unknown), so that they have one shape. */
interface Facts {
  readonly text: string;
  readonly status: string | undefined;
  readonly replyCode: number | undefined;
  readonly command: SmtpCommand | undefined;
  readonly dsnAction: string | undefined;
  readonly diagnosticType: string | undefined;
  readonly reason: string | undefined;
  readonly recipient: string | undefined;
  readonly remoteMta: string | undefined;
  readonly reportingMta: string | undefined;
  readonly mta: string | undefined;
}

/** The facts of a text alone, every field written out (spreading a template costs more than the rest of a short text). */
function textFacts(text: string): Facts {
  return {
    text,
    status: undefined,
    replyCode: undefined,
    command: undefined,
    dsnAction: undefined,
    diagnosticType: undefined,
    reason: undefined,
    recipient: undefined,
    remoteMta: undefined,
    reportingMta: undefined,
    mta: undefined,
  };
}

const NO_FACTS: Facts = textFacts("");

/** The facts of an input, with anything that is not what its field says dropped (a reason not in the registry too). */
function factsOf<Info extends ClassifiedEntry>(input: unknown, p: Prepared<Info>): Facts {
  if (typeof input === "string") return textFacts(input);
  const raw = typeof input === "object" && input !== null ? (input as { readonly [key: string]: unknown }) : {};
  const reply = raw["replyCode"];
  const command = raw["command"];
  return {
    text: typeof raw["text"] === "string" ? raw["text"] : "",
    status: stringOf(raw["status"]),
    replyCode: typeof reply === "number" && Number.isInteger(reply) && reply >= 200 && reply <= 599 ? reply : undefined,
    command: typeof command === "string" ? smtpCommandOf(command) : undefined,
    dsnAction: stringOf(raw["dsnAction"]),
    diagnosticType: stringOf(raw["diagnosticType"]),
    reason: knownReason(p, raw["reason"]),
    recipient: stringOf(raw["recipient"]),
    remoteMta: stringOf(raw["remoteMta"]),
    reportingMta: stringOf(raw["reportingMta"]),
    mta: stringOf(raw["mta"]),
  };
}

/** A code of the reason registry, or undefined: a misspelt reason must not hide what the text says. */
function knownReason<Info extends ClassifiedEntry>(p: Prepared<Info>, value: unknown): string | undefined {
  return typeof value === "string" && p.reasons.has(value) ? value : undefined;
}

/** A non-empty string, or undefined. */
function stringOf(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** A set as the classifier reads it: every one of one shape, since the loop over sets reads them all (the tables vary). */
interface TextSet<Info extends ClassifiedEntry> {
  readonly set: ClassifiedSet<Info>;
  readonly index: CodeSetIndex<Code, Info>;
  readonly format: CodeFormat;
  readonly size: number;
  /** Whether it is the provider registry, whose rows are matched by host, not by text. */
  readonly byHost: boolean;
  /** For a set found in text (an inLogs column, or alphanumeric codes): its first message in the combined matcher. */
  readonly firstMessage: number | undefined;
}

/**
 * What one pair of codes (status, reply) leads to: the reason the status names, the reply's rule, and the entries of
 * each code-keyed set that has any for them (by set index, in the sets' order).
 */
interface CodeMemo<Info> {
  readonly statusReason: string | undefined;
  readonly replyRule: ReplyRuleRow | undefined;
  readonly found: ReadonlyArray<readonly [setIndex: number, entries: readonly Info[]]>;
}

interface Prepared<Info extends ClassifiedEntry> {
  readonly reasons: ReadonlyMap<string, ReasonRow>;
  /** The reasons of the first pass in order, each with its test. */
  readonly firstPass: readonly string[];
  /** Each first-pass reason's test, at its index in firstPass. */
  readonly firstPassTests: readonly FirstPassTest[];
  /** The reasons whose wording each first-pass test may decide by, at its index in firstPass (see firstPassWording). */
  readonly firstPassWording: ReadonlyArray<readonly string[]>;
  /**
   * The first pass's first 31 reasons as bits (1 << index): each reason's own, and the bits of the tests that may decide
   * by its wording (see firstPassWording). A text's candidates are the bits of what it states and of the rows it
   * matched: the tests of the others (most) are passed over at the cost of a bit's test.
   */
  readonly firstPassBit: ReadonlyMap<string, number>;
  readonly wordingBits: ReadonlyMap<string, number>;
  readonly secondPass: readonly string[];
  /** Each second-pass reason's index in secondPass. */
  readonly secondPassIndex: ReadonlyMap<string, number>;
  readonly sets: ReadonlyArray<TextSet<Info>>;
  /** Every set's messages and phrases, and the command markers (see markersFrom), found in one pass over a text. */
  readonly matcher: MessageMatcher;
  /**
   * The matcher's first message past the sets': COMMAND_MARKERS, looked for too so that a text whose folded form holds
   * none (most) is not searched for them again by commandOf. Folding keeps every marker the lower case holds (it
   * only lowers, joins white space into one space and drops reply prefixes, which no marker holds).
   */
  readonly markersFrom: number;
  /** The set each of the matcher's messages belongs to. */
  readonly setOfMessage: Int32Array;
  /** The sets keyed by codes, whose entries the codes found give (see byCodes). */
  readonly codeSets: readonly number[];
  /** The providers' host names and domains (lower case), by provider name. */
  readonly providers: readonly Provider[];
  readonly byStatus?: CodeSetIndex<Code, StatusRuleRow>;
  readonly byReply?: CodeSetIndex<Code, ReplyRuleRow>;
  /** What the codes of a bounce lead to, by its reply code (0: none) and then its status ("": none). */
  readonly codeMemo: Array<Map<string, CodeMemo<Info>> | undefined>;
  /** How many pairs codeMemo holds. */
  codeMemoSize: number;
}

function prepare<Info extends ClassifiedEntry>(tables: ClassifierTables<Info>): Prepared<Info> {
  const reasons = new Map<string, ReasonRow>();
  for (const row of tables.reasons) reasons.set(row.code, row);
  const ordered = (pick: (row: ReasonRow) => number | undefined) =>
    [...reasons.values()]
      .filter((r) => pick(r) !== undefined)
      .sort((a, b) => pick(a)! - pick(b)!)
      .map((r) => r.code);
  const providers: Provider[] = [];
  const groups: MessageGroup[] = [];
  let messages = 0;
  const sets = tables.sets.map((set): TextSet<Info> => {
    const textSet = (firstMessage: number | undefined): TextSet<Info> => ({
      set,
      index: codeSet<Code, Info>(set.entries, { format: set.format }),
      format: set.format,
      size: set.entries.length,
      byHost: set.registry === "bounce-provider",
      firstMessage,
    });
    if (set.registry === "bounce-provider") {
      // Providers are matched by host, not by text.
      for (const e of set.entries) {
        const hosts = e.attributes.hosts
          .toLowerCase()
          .split(/\s+/)
          .filter((h) => h !== "");
        const bare = hosts.map((h) => h.replace(/^\./, ""));
        providers.push({ name: e.code, hosts, bare, dotted: bare.map((h) => `.${h}`) });
      }
      return textSet(undefined);
    }
    if (set.format === "alphanumeric") {
      // A provider's own codes ("RP-001") are read as words (see parse); finding them first as text tells when to.
      const codes = set.entries.map((e) => String(e.code));
      groups.push({ messages: codes, whole: true });
      const firstMessage = messages;
      messages += codes.length;
      return textSet(firstMessage);
    }
    const inLogs = set.inLogs;
    if (inLogs === undefined) return textSet(undefined);
    const texts = set.entries.map((e) => e.texts[inLogs] ?? "");
    groups.push({
      messages: texts,
      ...(set.placeholders !== undefined && { placeholders: set.placeholders }),
      whole: texts.every((t) => t.length <= PHRASE_LENGTH),
      minimumKey: MINIMUM_KEY,
    });
    const firstMessage = messages;
    messages += texts.length;
    return textSet(firstMessage);
  });
  const firstPass = ordered((r) => r.attributes.firstPass);
  const secondPass = ordered((r) => r.attributes.secondPass);
  const firstPassBit = new Map<string, number>();
  const wordingBits = new Map<string, number>();
  firstPass.forEach((reason, k) => {
    if (k >= BITS) return;
    firstPassBit.set(reason, 1 << k);
    for (const r of firstPassWording(reason)) wordingBits.set(r, (wordingBits.get(r) ?? 0) | (1 << k));
  });
  const markersFrom = messages;
  groups.push({ messages: COMMAND_MARKERS, whole: true });
  const setOfMessage = new Int32Array(messages);
  sets.forEach((s, setIndex) => {
    if (s.firstMessage !== undefined) setOfMessage.fill(setIndex, s.firstMessage, s.firstMessage + s.size);
  });
  return {
    reasons,
    firstPass,
    firstPassTests: firstPass.map(firstPassTest),
    firstPassWording: firstPass.map(firstPassWording),
    firstPassBit,
    wordingBits,
    secondPass,
    secondPassIndex: new Map(secondPass.map((reason, k) => [reason, k])),
    sets,
    matcher: MessageMatcher.combine(groups),
    markersFrom,
    setOfMessage,
    codeSets: sets.flatMap((s, setIndex) => (s.firstMessage === undefined && !s.byHost ? [setIndex] : [])),
    providers,
    codeMemo: new Array<Map<string, CodeMemo<Info>> | undefined>(600).fill(undefined),
    codeMemoSize: 0,
    ...(tables.byStatus && {
      byStatus: codeSet<Code, StatusRuleRow>(tables.byStatus.entries, { format: "enhanced-status" }),
    }),
    ...(tables.byReply && { byReply: codeSet<Code, ReplyRuleRow>(tables.byReply.entries, { format: "smtp-reply" }) }),
  };
}

/**
 * Texts this short are phrases, matched whole (a rule table's); a set with longer ones holds messages (a provider's
 * documented texts), each matched by its distinctive sentences, so appended help text and links do not matter.
 */
const PHRASE_LENGTH = 120;

/** How much literal text a message is matched by at the least (see MessageGroup.minimumKey): a sentence or two. */
const MINIMUM_KEY = 40;

/** A wording match: the entry, and the reason it leads to. */
interface Worded<Info> {
  readonly entry: Info;
  readonly reason: string;
}

/**
 * What the text's wording says, sorted by where each row counts. A text matches few rows: each list is NO_WORDS until
 * a row goes into it (see added), so that a text makes only the lists it fills.
 */
interface Said<Info> {
  /** Every entry matched, by code or by wording. */
  readonly matches: Info[];
  /** Rows tried at their reason's place in the passes. */
  worded: Array<Worded<Info>>;
  /** Rows that decide before the passes: the provider's own wording first, then rows marked early. */
  early: Array<Worded<Info>>;
  /** The MTA's own sentences: the reason its report gives. */
  mta: Array<Worded<Info>>;
  /** Names of local delivery agents, and what an agent says. */
  agents: Array<Worded<Info>>;
  agentSays: Array<Worded<Info>>;
  /** The reasons whose wording a matched row cancels (undefined while none does, as for most texts). */
  vetoed: Set<string> | undefined;
}

/**
 * The first row of the wording tried in the passes that says `reason`, unless a matched row cancels the reason's
 * wording. A text matches few rows: they are looked through, which costs less than indexing them.
 */
function firstWorded<Info>(said: Said<Info>, reason: string): Worded<Info> | undefined {
  if (said.vetoed?.has(reason)) return undefined;
  for (const w of said.worded) if (w.reason === reason) return w;
  return undefined;
}

/** How many reasons of the first pass are bits (see Prepared.firstPassBit). */
const BITS = 31;

/** A reason's bits in a map of them (none for undefined). */
function bitOf(bits: ReadonlyMap<string, number>, reason: string | undefined): number {
  return reason === undefined ? 0 : (bits.get(reason) ?? 0);
}

/** Whether the wording tried in the passes holds a row of one of the reasons (vetoed or not). */
function anyWorded<Info>(worded: ReadonlyArray<Worded<Info>>, reasons: readonly string[]): boolean {
  for (let k = 0; k < worded.length; k++) {
    const reason = worded[k]!.reason;
    for (let r = 0; r < reasons.length; r++) if (reasons[r] === reason) return true;
  }
  return false;
}

/** One bounce as the reasons' tests see it (see Gate). */
class BounceGate<Info extends ClassifiedEntry> implements Gate {
  readonly statusReason: string | undefined;
  readonly status: string;
  readonly hasStatus: boolean;
  readonly replyReason: string | undefined;
  readonly replyCode: number | undefined;
  readonly command: SmtpCommand | undefined;
  readonly given: string | undefined;
  readonly diagnosticType: string | undefined;
  readonly dsnAction: string | undefined;
  private readonly said: Said<Info>;

  constructor(
    facts: Facts,
    codes: CodeMemo<Info>,
    enhanced: string | undefined,
    replyCode: number | undefined,
    command: SmtpCommand | undefined,
    given: string | undefined,
    said: Said<Info>,
  ) {
    this.statusReason = codes.statusReason;
    this.status = enhanced ?? "";
    this.hasStatus = enhanced !== undefined || facts.status !== undefined;
    this.replyReason = codes.replyRule?.attributes.pass === "first" ? codes.replyRule.reason : undefined;
    this.replyCode = replyCode;
    this.command = command;
    this.given = given;
    this.diagnosticType = facts.diagnosticType;
    this.dsnAction = facts.dsnAction;
    this.said = said;
  }

  says(reason: string): boolean {
    return firstWorded(this.said, reason) !== undefined;
  }

  words(reason: string): Evidence | undefined {
    const w = firstWorded(this.said, reason);
    return w ? wordingEvidence(w) : undefined;
  }
}

/** A classification in the making: the engine's own view, with the catalog's unions as plain strings and numbers. */
type Draft<Info> = { -readonly [K in keyof ClassificationBase<string, Info>]: ClassificationBase<string, Info>[K] } & {
  action: BounceAction;
  setup?: SetupArea;
};

function decide<Info extends ClassifiedEntry>(p: Prepared<Info>, facts: Facts): Classification<string, Info> {
  const text = facts.text;
  const lower = text.toLowerCase();
  // The codes are read in the lower case: a string the engine made, of one kind whatever the caller's was (a slice of
  // a mail, a concatenation), which the scans read quicker. It holds the same codes where it is as long and no Kelvin
  // sign became a "k" (the one letter past ASCII that lowers into it, and would join a code it touches).
  const codesText = lower.length === text.length && text.indexOf("\u212a") === -1 ? lower : text;
  const found = TEXT_CODES.read(codesText);
  const enhancedCode = statusOf(found, text, lower, facts.status);
  const replyCode = facts.replyCode ?? replyOf(found, text, lower, enhancedCode);
  const matched = p.matcher.matchAll(text, lower);
  // The markers' messages come last: those of the sets end where the first of them stands.
  let setMatches = matched.length;
  while (setMatches > 0 && matched[setMatches - 1]! >= p.markersFrom) setMatches--;
  const command = facts.command ?? commandOf(text, lower, setMatches === matched.length);
  const provider = providerOf(p, facts, lower);
  const memo = codeMemo(p, enhancedCode, replyCode);
  const said = matchSets(
    p,
    memo,
    matched,
    setMatches,
    text,
    enhancedCode,
    replyCode,
    command,
    provider,
    facts.mta?.toLowerCase(),
  );
  const { statusReason, replyRule } = memo;
  const replyAt = (pass: string) => (replyRule?.attributes.pass === pass ? replyRule.reason : undefined);

  const delayed = facts.dsnAction !== undefined && /^delayed\b/i.test(facts.dsnAction);
  const result = (reason: string, evidence: Evidence): Classification<string, Info> => {
    const row = p.reasons.get(reason) ?? p.reasons.get(REASON.undefined);
    const hard = row?.attributes.hardBounce ?? "never";
    // A delay warning (the reporting server still holds the message and retries) is never a hard bounce, and the
    // sender has only to wait, whatever the reason of the delay.
    const out = {
      reason: row?.code ?? reason,
      hardBounce:
        !delayed && (hard === "always" || (hard === "when-permanent" && isPermanent(enhancedCode, replyCode, lower))),
      action: delayed ? "retry" : (row?.attributes.action ?? "retry"),
    } as Draft<Info>;
    if (!delayed && row?.attributes.setup !== undefined) out.setup = row.attributes.setup;
    if (replyCode !== undefined) out.replyCode = replyCode;
    if (enhancedCode !== undefined) out.enhancedCode = enhancedCode;
    if (command !== undefined) out.command = command;
    if (provider !== undefined) out.provider = provider;
    out.matches = said.matches;
    out.evidence = evidence;
    // The validator holds a reason's setup to its action: setup exactly with fix-setup (see ClassifiedAction).
    return out as Classification<string, Info>;
  };

  // What the mail's form says, or the MTA's own sentence, unless it is one of the rough reasons the text may refine.
  const mtaSays = facts.reason === undefined ? said.mta[0] : undefined;
  const given = facts.reason ?? mtaSays?.reason;
  const givenEvidence = (): Evidence =>
    mtaSays !== undefined ? wordingEvidence(mtaSays) : { kind: "given", reason: given! };
  if (given !== undefined && !isRough(given)) return result(given, givenEvidence());
  if (enhancedCode !== undefined && enhancedCode[0] === "2") {
    return result(REASON.delivered, { kind: "success", code: enhancedCode });
  }

  // A local delivery agent (procmail, maildrop, dovecot …) that failed at delivery: its own words, or a mailer error.
  if (said.agents.length > 0 && (command === undefined || command === "DATA")) {
    const says = said.agentSays[0] ?? said.agents[0]!;
    return result(says.reason, wordingEvidence(says));
  }

  // The provider's own wording, then rows marked as naming the case exactly.
  const early = said.early[0];
  if (early !== undefined) return result(early.reason, wordingEvidence(early));

  // The first pass: each reason in turn, by its own test, within what the SMTP dialogue allows.
  const smtp = facts.diagnosticType === undefined || facts.diagnosticType.toLowerCase() === "smtp";
  // Made when a test first runs: most texts' first pass runs none.
  let gate: BounceGate<Info> | undefined;
  if (smtp) {
    const replyReason = replyAt("first");
    // A test decides only by what is stated, the status's reason or some wording (see firstPassWording): one with none
    // of these would find nothing. The candidates, as bits (see firstPassBit).
    let candidates = bitOf(p.firstPassBit, given) | bitOf(p.firstPassBit, replyReason);
    candidates |= bitOf(p.firstPassBit, statusReason);
    for (let w = 0; w < said.worded.length; w++) candidates |= bitOf(p.wordingBits, said.worded[w]!.reason);
    for (let k = 0; k < p.firstPass.length; k++) {
      const reason = p.firstPass[k]!;
      if (
        k < BITS
          ? (candidates & (1 << k)) === 0
          : reason !== given &&
            reason !== replyReason &&
            reason !== statusReason &&
            !anyWorded(said.worded, p.firstPassWording[k]!)
      )
        continue;
      const test = p.firstPassTests[k]!;
      gate ??= new BounceGate(facts, memo, enhancedCode, replyCode, command, given, said);
      const decided = test(gate, reason);
      if (decided) return result(reason, decided === true ? givenEvidence() : decided);
    }
  }
  if (given !== undefined && given !== REASON.undefined && given !== REASON.onhold)
    return result(given, givenEvidence());

  // A status naming a reason that is not a rough one decides; else the second pass (wording only, then the codes),
  // then the last resorts.
  if (statusReason !== undefined && !isRough(statusReason) && smtp) {
    return result(statusReason, { kind: "enhanced-code", code: enhancedCode! });
  }
  // The second pass's first reason with wording (the first row of it, unless vetoed), or the reply rule's of the
  // second pass, whichever comes first in it (the wording where they are one): found in one look over the rows.
  let second = p.secondPass.length;
  let secondWorded: Worded<Info> | undefined;
  for (let k = 0; k < said.worded.length; k++) {
    const w = said.worded[k]!;
    const at = p.secondPassIndex.get(w.reason);
    if (at !== undefined && at < second && !said.vetoed?.has(w.reason)) {
      second = at;
      secondWorded = w;
    }
  }
  const replySecond = replyAt("second");
  const replyAtSecond = replySecond === undefined ? undefined : p.secondPassIndex.get(replySecond);
  if (replyAtSecond !== undefined && replyAtSecond < second) {
    return result(replySecond!, { kind: "reply-code", code: replyCode! });
  }
  if (secondWorded !== undefined) return result(secondWorded.reason, wordingEvidence(secondWorded));
  if (statusReason !== undefined) return result(statusReason, { kind: "enhanced-code", code: enhancedCode! });
  for (const reason of LAST_RESORTS) {
    if (reason === REPLY_LAST) {
      const last = replyAt("last");
      if (last !== undefined) return result(last, { kind: "reply-code", code: replyCode! });
      continue;
    }
    const last = REASON_TESTS[reason]?.last;
    if (last === undefined) continue;
    gate ??= new BounceGate(facts, memo, enhancedCode, replyCode, command, given, said);
    const evidence = last(gate, reason);
    if (evidence !== undefined) return result(reason, evidence);
  }
  if (text.trim() !== "") return result(REASON.onhold, given === REASON.onhold ? givenEvidence() : { kind: "none" });
  return result(given ?? REASON.undefined, given !== undefined ? givenEvidence() : { kind: "none" });
}

/** What a classification is when the rules fail: undefined or onhold, and the codes as given. */
function fallback<Info extends ClassifiedEntry>(p: Prepared<Info>, facts: Facts): Classification<string, Info> {
  const reason = facts.text.trim() === "" ? REASON.undefined : REASON.onhold;
  const action = p.reasons.get(reason)?.attributes.action;
  return {
    reason,
    hardBounce: false,
    action: action === undefined || action === "fix-setup" ? "retry" : action,
    ...(facts.replyCode !== undefined && { replyCode: facts.replyCode }),
    matches: [],
    evidence: { kind: "none" },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Which codes a text reports

/**
 * The enhanced status code of a bounce: the given Status field, or the text's, whichever says more. Among the text's
 * codes, X.0.0 and 4.4.7 (delivery time expired) count only when there is no other; of the rest, each later code
 * replaces the one kept when it is more specific (see preferStatus). Then the Status field and the text's code are
 * weighed the same way, with the reply code's class deciding between codes of different classes.
 */
function statusOf(found: TextCodes, text: string, lower: string, given: string | undefined): string | undefined {
  const field = given !== undefined && splitEnhancedCode(given) !== undefined ? given : undefined;
  const inText = found.status();
  if (field === undefined) return inText;
  if (inText === undefined) return field;
  return preferStatus(field, inText, replyOf(found, text, lower, inText));
}

/**
 * What decide keeps of a text's codes as scanCodes finds them (a text may hold a hundred thousand): statusOf's
 * weighing of its enhanced codes, over all of them and over the stated ones, and the first reply code of the
 * strongest place, of each class and of any.
 */
class TextCodes implements CodeVisitor {
  /** The text scanned: the classified text, or its lower case where that holds the same codes. */
  text = "";
  /** Whether a code is stated, not in the prose: then codes in the prose (asides) are not weighed. */
  private stated = false;
  private keptAll: string | undefined;
  private vagueAll: string | undefined;
  private keptStated: string | undefined;
  private vagueStated: string | undefined;
  /** The first reply code of the strongest place of each class (by its first digit) and, last, of any; and its place's rank. */
  /**
   * Of the numbers standing alone that are registered reply codes, by class, the first that comes first in
   * REPLY_ORDER.
   */
  private readonly ordered: number[] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  private readonly orderRanks: number[] = [
    NO_ORDER,
    NO_ORDER,
    NO_ORDER,
    NO_ORDER,
    NO_ORDER,
    NO_ORDER,
    NO_ORDER,
    NO_ORDER,
    NO_ORDER,
    NO_ORDER,
  ];
  private readonly replies: number[] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  /** Each one's place's rank (NO_RANK: none found), by class; the last, at ANY_CLASS, of any class. */
  private readonly replyRanks: number[] = [4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4];

  /** Reads a text's codes, forgetting the last text's. */
  read(text: string): this {
    this.text = text;
    this.stated = false;
    this.keptAll = undefined;
    this.vagueAll = undefined;
    this.keptStated = undefined;
    this.vagueStated = undefined;
    for (let k = 0; k < 10; k++) {
      this.ordered[k] = 0;
      this.orderRanks[k] = NO_ORDER;
    }
    for (let k = 0; k <= ANY_CLASS; k++) {
      this.replies[k] = 0;
      this.replyRanks[k] = NO_RANK;
    }
    scanCodes(text, this);
    return this;
  }

  enhanced(start: number, end: number): void {
    const code = this.text.slice(start, end);
    // X.0.0 and 4.4.7 count only when there is no other; of the rest, each later code replaces the one kept when it is
    // more specific. A code in the prose is an aside ("550 5.1.1 user unknown (see 5.2.1)"): weighed only when no
    // code is stated.
    const vague = (code.length === 5 && code.charCodeAt(2) === 48 && code.charCodeAt(4) === 48) || code === "4.4.7";
    if (vague) this.vagueAll = code;
    else this.keptAll = this.keptAll === undefined ? code : preferStatus(this.keptAll, code, undefined);
    if (isAside(this.text, start)) return;
    this.stated = true;
    if (vague) this.vagueStated = code;
    else this.keptStated = this.keptStated === undefined ? code : preferStatus(this.keptStated, code, undefined);
  }

  /** The enhanced status code the text's codes give. */
  status(): string | undefined {
    return this.stated ? (this.keptStated ?? this.vagueStated) : (this.keptAll ?? this.vagueAll);
  }

  reply(start: number, _end: number, context: CodeContext): void {
    const rank = CONTEXT_RANK[context];
    const cls = this.text.charCodeAt(start) - 48;
    const replies = this.replies;
    const ranks = this.replyRanks;
    // The best of any class is the best of some class: a code that does not beat its own class's does not beat it.
    if (rank >= ranks[cls]!) return;
    // Three digits (see isReplyAt), read where they stand.
    const text = this.text;
    const code = cls * 100 + (text.charCodeAt(start + 1) - 48) * 10 + (text.charCodeAt(start + 2) - 48);
    replies[cls] = code;
    ranks[cls] = rank;
    if (rank < ranks[ANY_CLASS]!) {
      replies[ANY_CLASS] = code;
      ranks[ANY_CLASS] = rank;
    }
  }

  three(start: number): void {
    const text = this.text;
    // Not joined to a slash either (a path's or a date's part).
    if (text.charCodeAt(start - 1) === 47 || text.charCodeAt(start + 3) === 47) return;
    const code =
      (text.charCodeAt(start) - 48) * 100 + (text.charCodeAt(start + 1) - 48) * 10 + (text.charCodeAt(start + 2) - 48);
    const rank = code < 600 ? REPLY_RANK[code]! : NO_ORDER;
    if (rank === NO_ORDER) return;
    const cls = (code / 100) | 0;
    if (rank < this.orderRanks[cls]!) {
      this.ordered[cls] = code;
      this.orderRanks[cls] = rank;
    }
  }

  /**
   * Of the registered reply codes standing alone, the one that comes first in REPLY_ORDER, of a class ("5") or of
   * any (the classes in the order's order: 5, 4, 2); see replyOf.
   */
  ranked(cls: string | undefined): number | undefined {
    const at = cls === undefined ? -1 : cls.charCodeAt(0) - 48;
    if (at === -1) {
      for (const k of [5, 4, 2]) if (this.orderRanks[k] !== NO_ORDER) return this.ordered[k];
      return undefined;
    }
    return at >= 0 && at <= 9 && this.orderRanks[at] !== NO_ORDER ? this.ordered[at] : undefined;
  }

  /** The first reply code of the strongest place, of a class ("5") or of any. */
  replyCode(cls: string | undefined): number | undefined {
    const at = cls === undefined ? ANY_CLASS : cls.charCodeAt(0) - 48;
    return at >= 0 && at <= ANY_CLASS && this.replyRanks[at] !== NO_RANK ? this.replies[at] : undefined;
  }
}

/** Where TextCodes keeps the reply code of any class; and a rank no place has. */
const ANY_CLASS = 10;
const NO_RANK = 4;

/**
 * Of two enhanced status codes (the first as stated, the second as found), the one that says more: the class of the
 * reply code where the two differ in class; else the second unless the first is specific and the second is not
 * (X.0.0 and X.Y.0 and X.0.Z yield; 4.4.7, 4.7.0, 5.3.x and the protocol codes X.5.1, X.5.2, X.5.4, X.5.5 yield to
 * a code found with them; 5.1.1 holds against X.Y.0 and 5.5.x; 5.1.3 yields to 5.7.x).
 */
function preferStatus(stated: string, found: string, reply: number | undefined): string {
  if (stated === found) return stated;
  const replyClass = reply !== undefined ? String(reply)[0] : undefined;
  if (replyClass !== undefined && stated[0] !== found[0]) {
    if (replyClass === stated[0]) return stated;
    if (replyClass === found[0]) return found;
  }
  const zeroStated = stated.indexOf(".0") !== -1;
  const zeroFound = found.indexOf(".0") !== -1;
  if (stated.slice(1) === ".0.0") return found.slice(1) === ".0.0" ? stated : found;
  if (zeroStated && !zeroFound) return found;
  if (found.slice(1) === ".0.0") return stated;
  if (stated === "4.4.7" || stated === "4.7.0" || stated.startsWith("5.3.")) return found;
  const sub = stated.slice(1, 4);
  if (sub === ".5.1" && stated.length === 5) return found;
  if ((sub === ".5.2" || sub === ".5.4" || sub === ".5.5") && stated.length === 5) return found;
  if (stated === "5.1.1") return zeroFound || found.startsWith("5.5.") ? stated : found;
  if (stated === "5.1.3" && found.startsWith("5.7.")) return found;
  return stated;
}

/** Reply codes of each class, in the order a text's codes are preferred (the common refusals first). */
const REPLY_ORDER: Readonly<Record<string, readonly number[]>> = {
  "5": [550, 552, 553, 551, 521, 525, 523, 524, 530, 533, 534, 535, 538, 555, 556, 554, 500, 501, 502, 503, 504],
  "4": [421, 450, 451, 452, 422, 430, 432, 453, 454, 455, 458, 459],
  "2": [211, 214, 220, 221, 235, 250, 251, 252, 253],
};

/**
 * The SMTP reply code of a bounce, of the status code's class when there is one: the registered reply code standing
 * alone in the text (not joined to a letter, digit, dot or slash: not part of a date, an address, a version or a host
 * name) that comes first in REPLY_ORDER — the common refusals first, as Sisimai picks it (a transcript's "554 <a@b>...
 * 550 Host unknown" is a 550) —; else the first at a reply's place (see findCodes).
 */
function replyOf(found: TextCodes, text: string, lower: string, status: string | undefined): number | undefined {
  const cls = status?.[0];
  // One search in the lower case for the two spellings that count (a text rarely holds any).
  if (lower.indexOf("x-unix") !== -1 && (text.indexOf("X-UNIX") !== -1 || text.indexOf("x-unix") !== -1))
    return undefined;
  // The numbers standing alone were weighed as the codes were read (see TextCodes.three).
  return found.ranked(cls) ?? found.replyCode(cls);
}

/** Each registered reply code's place in REPLY_ORDER, within its class (NO_ORDER for other numbers). */
const NO_ORDER = 1000;
const REPLY_RANK = new Int16Array(600).fill(NO_ORDER);
for (const k in REPLY_ORDER) {
  const codes = REPLY_ORDER[k]!;
  for (let at = 0; at < codes.length; at++) REPLY_RANK[codes[at]!] = at;
}

/**
 * The one TextCodes decide reads a text's codes into, made once: decide is done with it before it is called again
 * (nothing it calls calls out of the engine).
 */
const TEXT_CODES = new TextCodes();

/** The evidence of each entry that decided a reason, made once (entries are the catalog's, immutable). */
const evidenceOf = new WeakMap<object, Evidence>();

function wordingEvidence<Info extends ClassifiedEntry>(w: Worded<Info>): Evidence {
  const known = evidenceOf.get(w.entry);
  if (known !== undefined) return known;
  const row = w.entry;
  let phrase = String(row.code);
  for (const k in row.texts) {
    const t = row.texts[k];
    if (t !== undefined) {
      phrase = t;
      break;
    }
  }
  const evidence: Evidence = { kind: "wording", source: row.source, name: row.name, phrase };
  evidenceOf.set(w.entry, evidence);
  return evidence;
}

/**
 * The provider whose wording applies: the one whose hosts the recipient's domain ends (x@hotmail.com for
 * ".hotmail.com"), else the one whose host names end the refusing host's name, else the reporting host's. The
 * refusing host is found in the text when not given ("host mx.example.net[192.0.2.1] said:").
 */
function providerOf<Info extends ClassifiedEntry>(p: Prepared<Info>, facts: Facts, lower: string): string | undefined {
  if (p.providers.length === 0) return undefined;
  const at = facts.recipient?.lastIndexOf("@") ?? -1;
  const domain = at === -1 ? "" : facts.recipient!.slice(at + 1).toLowerCase();
  if (domain.indexOf(".") > 0) {
    for (const { name, hosts } of p.providers)
      if (hosts.some((h) => h === domain || (h.endsWith(domain) && h[h.length - domain.length - 1] === ".")))
        return name;
  }
  return byHost(p, facts.remoteMta ?? hostInText(lower)) ?? byHost(p, facts.reportingMta);
}

/** A provider's name and hosts: as written (".hotmail.com" or "gmail.com"), bare of a leading dot, and with one. */
interface Provider {
  readonly name: string;
  readonly hosts: readonly string[];
  readonly bare: readonly string[];
  readonly dotted: readonly string[];
}

/** The provider one of whose hosts a host name is, or ends. */
function byHost<Info extends ClassifiedEntry>(p: Prepared<Info>, host: string | undefined): string | undefined {
  if (host === undefined || host === "") return undefined;
  const h = host.toLowerCase();
  for (const { name, bare, dotted } of p.providers) {
    for (let k = 0; k < bare.length; k++) if (h === bare[k] || h.endsWith(dotted[k]!)) return name;
  }
  return undefined;
}

/** A character of a host name in lower case: a-z, 0-9, "." or "-". */
function isHostChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 46 || c === 45;
}

/** The host an MTA's wording names as the one that refused: "host mx.example.net[…] said:", "host mx.example.net […]:". */
function hostInText(lower: string): string | undefined {
  for (let at = lower.indexOf("host "); at !== -1 && at < 4096; at = lower.indexOf("host ", at + 5)) {
    let end = at + 5;
    while (end < lower.length && end - at < 260 && isHostChar(lower.charCodeAt(end))) end++;
    const name = lower.slice(at + 5, end).replace(/\.$/, "");
    if (name.indexOf(".") > 0 && /[a-z]/.test(name) && (lower[end] === "[" || lower[end] === " " || lower[end] === ":"))
      return name;
  }
  return undefined;
}

/**
 * Every entry the text matches — by the codes found (sets keyed by codes, see CodeMemo), by wording (sets with an
 * inLogs column: the first `count` of the matcher's messages `matched`) — in the sets' order, and sorted by where each
 * counts. Only the sets with a match are visited.
 */
function matchSets<Info extends ClassifiedEntry>(
  p: Prepared<Info>,
  memo: CodeMemo<Info>,
  matched: readonly number[],
  count: number,
  text: string,
  enhanced: string | undefined,
  reply: number | undefined,
  command: SmtpCommand | undefined,
  provider: string | undefined,
  mta: string | undefined,
): Said<Info> {
  const failureClass = enhanced?.[0] ?? (reply !== undefined ? REPLY_CLASS[(reply / 100) | 0] : undefined);
  const said: Said<Info> = {
    matches: [],
    worded: NO_WORDS,
    early: NO_WORDS,
    mta: NO_WORDS,
    agents: NO_WORDS,
    agentSays: NO_WORDS,
    vetoed: undefined,
  };
  let providerRows: Array<Worded<Info>> | undefined;
  const byCode = memo.found;
  const noSet = p.sets.length;
  let next = 0; // the next of the matched messages
  let coded = 0; // the next of the code-keyed sets with entries
  for (;;) {
    const wordedSet = next < count ? p.setOfMessage[matched[next]!]! : noSet;
    const codedSet = coded < byCode.length ? byCode[coded]![0] : noSet;
    if (wordedSet === noSet && codedSet === noSet) break;
    if (codedSet < wordedSet) {
      const found = byCode[coded++]![1];
      for (let k = 0; k < found.length; k++) said.matches.push(found[k]!);
      continue;
    }
    const { set, index, format, firstMessage } = p.sets[wordedSet]!;
    const first = firstMessage!;
    const from = next;
    while (next < count && p.setOfMessage[matched[next]!] === wordedSet) next++;
    if (format === "alphanumeric") {
      // Its codes found as text tell that the text mentions one: read as words (see parse), they say which.
      const code = parseIn(index, text);
      const found = code === undefined ? [] : lookupAllIn(index, code);
      for (const entry of found)
        if (entry.reason !== undefined) said.worded = added(said.worded, { entry, reason: entry.reason });
      for (let k = 0; k < found.length; k++) said.matches.push(found[k]!);
      continue;
    }
    // A provider's or an MTA's own wording counts only in its bounces; some rows only for one class of failure.
    if (set.registry === "reason-by-provider-wording") {
      for (let m = from; m < next; m++) {
        const row = set.entries[matched[m]! - first]!;
        const { failure, unlessStatus } = row.attributes;
        if (provider === undefined || !inList(row.attributes.provider, provider)) continue;
        if (failure !== undefined && (failure === "permanent") !== (failureClass === "5")) continue;
        if (unlessStatus !== undefined && enhanced !== undefined && inList(unlessStatus, enhanced)) continue;
        const only = row.attributes;
        if (only.status !== undefined && (enhanced === undefined || !inList(only.status, enhanced))) continue;
        if (only.command !== undefined && (command === undefined || !inList(only.command, command))) continue;
        said.matches.push(row);
        (providerRows ??= []).push({ entry: row, reason: row.reason });
      }
    } else if (set.registry === "reason-by-mta-wording") {
      for (let m = from; m < next; m++) {
        const row = set.entries[matched[m]! - first]!;
        if (mta === undefined || !inList(row.attributes.mta, mta)) continue;
        said.matches.push(row);
        said.mta = added(said.mta, { entry: row, reason: row.reason });
      }
    } else if (set.registry === "reason-by-wording") {
      for (let m = from; m < next; m++) {
        const row = set.entries[matched[m]! - first]!;
        const { pass, vetoes } = row.attributes;
        said.matches.push(row);
        if (vetoes !== undefined) (said.vetoed ??= new Set()).add(vetoes);
        if (row.reason === undefined) continue;
        const w = { entry: row, reason: row.reason };
        if (pass === "early") said.early = added(said.early, w);
        else if (pass === "agent") said.agents = added(said.agents, w);
        else if (pass === "agent-says") said.agentSays = added(said.agentSays, w);
        else said.worded = added(said.worded, w);
      }
    } else {
      for (let m = from; m < next; m++) {
        const row = set.entries[matched[m]! - first]!;
        said.matches.push(row);
        if (row.reason !== undefined) said.worded = added(said.worded, { entry: row, reason: row.reason });
      }
    }
  }
  if (providerRows !== undefined) said.early = providerRows.concat(said.early);
  return said;
}

/** The list of Said that no row went into: shared, never written (see added). */
const NO_WORDS: Array<Worded<never>> = [];

/** A list of Said with one more row: NO_WORDS is not written, a list of its own is made instead. */
function added<Info>(list: Array<Worded<Info>>, w: Worded<Info>): Array<Worded<Info>> {
  if (list === NO_WORDS) return [w];
  list.push(w);
  return list;
}

/** A reply code's class by its first digit, as a string. */
const REPLY_CLASS = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

/** How many (status, reply) pairs codeMemo remembers before it starts again: a bounce stream has few. */
const CODE_MEMO = 512;

/** The memo of a pair of codes (see CodeMemo), made on first use. */
function codeMemo<Info extends ClassifiedEntry>(
  p: Prepared<Info>,
  enhanced: string | undefined,
  reply: number | undefined,
): CodeMemo<Info> {
  // By the reply code (an SMTP reply's three digits, below 600: an array of fast elements) first: no key is made of
  // the two.
  const byReply = (p.codeMemo[reply ?? 0] ??= new Map());
  let memo = byReply.get(enhanced ?? "");
  if (memo === undefined) {
    if (p.codeMemoSize >= CODE_MEMO) {
      for (const pairs of p.codeMemo) pairs?.clear();
      p.codeMemoSize = 0;
    }
    const found: Array<readonly [number, readonly Info[]]> = [];
    for (const setIndex of p.codeSets) {
      const entries = byCodes(p.sets[setIndex]!, enhanced, reply);
      if (entries.length > 0) found.push([setIndex, entries]);
    }
    memo = {
      statusReason: enhanced !== undefined && p.byStatus ? lookupIn(p.byStatus, enhanced)?.reason : undefined,
      replyRule: reply !== undefined && p.byReply ? lookupIn(p.byReply, reply) : undefined,
      found,
    };
    byReply.set(enhanced ?? "", memo);
    p.codeMemoSize++;
  }
  return memo;
}

/**
 * The entries of a code-keyed set for the codes found: by the reply code (smtp-reply), the status code
 * (enhanced-status, enhanced-subject-detail), either (pattern: a class written with x), or, for a service's own
 * codes, its rows that carry the reply code (integer).
 */
function byCodes<Info extends ClassifiedEntry>(
  { set, index }: TextSet<Info>,
  enhanced: string | undefined,
  reply: number | undefined,
): readonly Info[] {
  if (set.format === "smtp-reply") return reply === undefined ? [] : lookupAllIn(index, reply);
  if (set.format === "enhanced-status") return enhanced === undefined ? [] : lookupAllIn(index, enhanced);
  if (set.format === "enhanced-subject-detail") {
    return enhanced === undefined
      ? []
      : lookupAllIn(index, `X${enhanced.slice(1)}`).concat(lookupAllIn(index, `x${enhanced.slice(1)}`));
  }
  if (set.format === "pattern") {
    return set.entries.filter(
      (e) =>
        typeof e.code === "string" &&
        ((enhanced !== undefined && patternMatches(e.code, enhanced)) ||
          (reply !== undefined && patternMatches(e.code, reply))),
    );
  }
  // A service's own codes are not in a bounce's text; its rows that carry the reply code found are.
  if (set.format === "integer") return reply === undefined ? [] : set.entries.filter((e) => e.replyCode === reply);
  return [];
}

/** Whether a space-separated list holds a name. */
function inList(list: string, name: string): boolean {
  if (list === name) return true;
  let at = list.indexOf(name);
  while (at !== -1) {
    const end = at + name.length;
    if ((at === 0 || list[at - 1] === " ") && (end === list.length || list[end] === " ")) return true;
    at = list.indexOf(name, at + 1);
  }
  return false;
}

/**
 * Whether a failure is for good: a 5 class code, or, without codes, no words saying it is temporary (`lower`: the
 * text in lower case, which decide has made).
 */
function isPermanent(enhanced: string | undefined, reply: number | undefined, lower: string): boolean {
  if (enhanced !== undefined) return enhanced[0] === "5";
  if (reply !== undefined) return reply >= 500 && reply < 600;
  return lower.indexOf(" temporar") === -1 && lower.indexOf(" persistent") === -1;
}
