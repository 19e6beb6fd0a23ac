// runtime-classify: why a bounce happened, from its text and whatever else is known of it. The rules are catalog
// data (the bounce-reason registry and the reason-by-status, reason-by-reply and reason-by-wording registries, and
// every set whose rows carry a reason); this module is the order they are tried in. Written and tested once, here;
// the generator copies it into the out dir beside runtime.ts when the catalog has a bounce-reason registry.
// Plain ES2020, no dependencies, linear in the text's length.
import { codeSet, findCodes, MessageMatcher, patternMatches, pickEnhancedCode, pickReplyCode, type Code, type CodeFormat, type CodeSetIndex, type EntryData } from "./runtime.js";

/** What to do about a bounce. */
export type BounceAction = "retry" | "suppress" | "fix-setup" | "change-message" | "ask-recipient" | "none";
/** For fix-setup: which part of the sender's setup. */
export type SetupArea = "authentication" | "dns" | "reputation" | "rate" | "software";

/** What is known of one bounced recipient besides the text: what a mail parser reads from a DSN, say. */
export interface BounceFacts {
  /** What the receiving side said: an SMTP reply, a DSN's Diagnostic-Code, a bounce's wording. */
  readonly text: string;
  /** A DSN's Status: field ("5.1.1"). */
  readonly status?: string;
  /** The SMTP reply code, when known apart from the text. */
  readonly replyCode?: number;
  /** The SMTP command the failure answered (RCPT, MAIL, DATA, EHLO, HELO, CONN, STARTTLS); found in the text when not given. */
  readonly command?: string;
  /** A DSN's Action: field (failed, delayed, delivered). */
  readonly action?: string;
  /** A DSN's Diagnostic-Code type (smtp, x-unix). */
  readonly diagnosticType?: string;
  /** A reason the mail's form tells by itself (a feedback report, an auto-reply, an MTA's own category). */
  readonly reason?: string;
}

/** The pieces of evidence a result can rest on, strongest first. */
export type Evidence =
  | { readonly kind: "given"; readonly reason: string }
  | { readonly kind: "success"; readonly code: string }
  | { readonly kind: "wording"; readonly source: string; readonly name: string; readonly phrase: string }
  | { readonly kind: "enhanced-code"; readonly code: string }
  | { readonly kind: "reply-code"; readonly code: number }
  | { readonly kind: "code-class"; readonly code: string }
  | { readonly kind: "command"; readonly command: string }
  | { readonly kind: "action"; readonly action: string }
  | { readonly kind: "none" };

export interface Classification<Reason extends string, Info> {
  /** Why the bounce happened: a code of the bounce-reason registry. */
  readonly reason: Reason;
  /** Whether the address itself will never work (the reason's hardBounce: always, or when the failure is permanent). */
  readonly hardBounce: boolean;
  readonly action: BounceAction;
  /** For fix-setup: what to fix. */
  readonly setup?: SetupArea;
  /** The SMTP reply code the text reports (see pickReplyCode), or the one given. */
  readonly replyCode?: number;
  /** The enhanced status code the text reports (see pickEnhancedCode), or the Status field. */
  readonly enhancedCode?: string;
  /** The SMTP command the failure answered, where the text or the facts tell. */
  readonly command?: string;
  /** Every entry of every set that the text matched: by its code, or by its wording. */
  readonly matches: readonly Info[];
  /** What decided the reason. */
  readonly evidence: Evidence;
}

// ---------------------------------------------------------------------------------------------------------------
// The tables, as the generated index passes them

interface ReasonRow extends EntryData {
  readonly code: string;
  readonly attributes: {
    readonly hardBounce: "always" | "never" | "when-permanent";
    readonly action: BounceAction;
    readonly setup?: SetupArea;
    /** Where the reason is tried in the first pass (status or wording), if at all. */
    readonly firstPass?: number;
    /** Where its wording is tried in the second pass, if at all. */
    readonly secondPass?: number;
  };
}

interface RuleRow extends EntryData {
  readonly source: string;
  readonly reason?: string;
  /** Wording: early (decides before the passes); reply codes: first, second or last (where the pass tries them). */
  readonly attributes?: { readonly pass?: string; readonly vetoes?: string };
}

/** A set of the catalog, for matching its entries and reading their reasons. */
export interface ClassifiedSet<Info> {
  readonly entries: readonly Info[];
  readonly format: CodeFormat;
  /** The column bounces show (a provider's message, a phrase): its entries are found in text. */
  readonly inLogs?: string;
  readonly placeholders?: readonly string[];
}

export interface ClassifierTables<Info> {
  /** The bounce-reason registry's entries. */
  readonly reasons: readonly EntryData[];
  /** Every set of the catalog but the bounce-reason registry; the three rule registries by what they define. */
  readonly sets: ReadonlyArray<ClassifiedSet<Info>>;
  readonly byStatus?: ClassifiedSet<Info>;
  readonly byReply?: ClassifiedSet<Info>;
}

/** Reasons after which the rules are tried anyway: what an MTA's own category says only roughly (as in Sisimai). */
const RETRIED = new Set(["undefined", "onhold", "systemerror", "securityerror", "expired", "networkerror", "hostunknown", "userunknown"]);
/** SMTP commands before the message's data, after which content-based reasons cannot be. */
const BEFORE_DATA = new Set(["CONN", "EHLO", "HELO", "MAIL", "RCPT"]);

// ---------------------------------------------------------------------------------------------------------------

/** Builds the classifier over the catalog's tables; its indexes are built on first use. */
export function classifier<Reason extends string, Info extends EntryData>(tables: ClassifierTables<Info>): (input: string | BounceFacts) => Classification<Reason, Info> {
  let prepared: Prepared<Info> | undefined;
  return (input) => {
    prepared ??= prepare(tables);
    const facts: BounceFacts = typeof input === "string" ? { text: input } : input;
    return decide<Reason, Info>(prepared, facts);
  };
}

interface TextSet<Info> {
  readonly set: ClassifiedSet<Info>;
  readonly matcher?: MessageMatcher;
  readonly index: CodeSetIndex<Code, Info & EntryData>;
}

interface Prepared<Info> {
  readonly reasons: ReadonlyMap<string, ReasonRow>;
  readonly firstPass: readonly string[];
  readonly secondPass: readonly string[];
  readonly sets: ReadonlyArray<TextSet<Info>>;
  readonly byStatus?: CodeSetIndex<Code, Info & EntryData>;
  readonly byReply?: CodeSetIndex<Code, Info & EntryData>;
}

function prepare<Info extends EntryData>(tables: ClassifierTables<Info>): Prepared<Info> {
  const reasons = new Map<string, ReasonRow>();
  for (const row of tables.reasons) reasons.set(String(row.code), row as unknown as ReasonRow);
  const ordered = (pick: (row: ReasonRow) => number | undefined) =>
    [...reasons.values()].filter((r) => pick(r) !== undefined).sort((a, b) => pick(a)! - pick(b)!).map((r) => r.code);
  return {
    reasons,
    firstPass: ordered((r) => r.attributes.firstPass),
    secondPass: ordered((r) => r.attributes.secondPass),
    sets: tables.sets.map((set) => ({
      set,
      index: codeSet<Code, Info>(set.entries, { format: set.format }),
      ...(set.inLogs !== undefined && { matcher: new MessageMatcher(set.entries.map((e) => e.texts[set.inLogs!] ?? ""), set.placeholders) }),
    })),
    ...(tables.byStatus && { byStatus: codeSet<Code, Info>(tables.byStatus.entries, { format: "enhanced-status" }) }),
    ...(tables.byReply && { byReply: codeSet<Code, Info>(tables.byReply.entries, { format: "smtp-reply" }) }),
  };
}

/** A wording match: the entry, and the reason it leads to. */
interface Worded<Info> {
  readonly entry: Info;
  readonly reason: string;
  readonly pass: string;
}

function decide<Reason extends string, Info extends EntryData>(p: Prepared<Info>, facts: BounceFacts): Classification<Reason, Info> {
  const found = findCodes(facts.text);
  const enhancedCode = pickEnhancedCode(found, isAnyCode, facts.status);
  const replyCode = facts.replyCode ?? pickReplyCode(found, (code): code is number => enhancedCode === undefined || String(code)[0] === enhancedCode[0]);
  const command = (facts.command ?? findCommand(facts.text))?.toUpperCase();
  const { matches, worded, vetoed } = matchSets(p, facts.text, enhancedCode, replyCode);
  const statusReason = enhancedCode !== undefined ? reasonOf(p.byStatus?.lookup(enhancedCode)) : undefined;
  const replyRule = replyCode !== undefined ? (p.byReply?.lookup(replyCode) as RuleRow | undefined) : undefined;
  const replyAt = (pass: string) => (replyRule?.attributes?.pass === pass ? replyRule.reason : undefined);

  const result = (reason: string, evidence: Evidence): Classification<Reason, Info> => {
    const row = p.reasons.get(reason) ?? p.reasons.get("undefined");
    const hard = row?.attributes.hardBounce ?? "never";
    const permanent = isPermanent(enhancedCode, replyCode, facts.text);
    return {
      reason: (row?.code ?? reason) as Reason,
      hardBounce: hard === "always" || (hard === "when-permanent" && permanent),
      action: row?.attributes.action ?? "retry",
      ...(row?.attributes.setup !== undefined && { setup: row.attributes.setup }),
      ...(replyCode !== undefined && { replyCode }),
      ...(enhancedCode !== undefined && { enhancedCode }),
      ...(command !== undefined && { command }),
      matches,
      evidence,
    };
  };

  // What the mail's form says, unless it is one of the rough reasons the text may refine.
  if (facts.reason !== undefined && !RETRIED.has(facts.reason)) return result(facts.reason, { kind: "given", reason: facts.reason });
  if (enhancedCode !== undefined && enhancedCode[0] === "2") return result("delivered", { kind: "success", code: enhancedCode });

  // Rows marked as a provider's or an MTA's own wording come first: they name the case exactly.
  const early = worded.find((w) => w.pass === "early");
  if (early) return result(early.reason, wordingEvidence(early));

  // The first pass: each reason in turn, by its status code or its wording, within what the SMTP dialogue allows.
  const ctx: Gate = { statusReason, status: enhancedCode ?? "", replyReason: replyAt("first"), replyCode, command, worded, vetoed, facts };
  for (const reason of p.firstPass) {
    const decided = firstPass(reason, ctx);
    if (decided) return result(reason, decided);
  }
  if (facts.reason !== undefined && facts.reason !== "undefined" && facts.reason !== "onhold") return result(facts.reason, { kind: "given", reason: facts.reason });

  // The second pass: wording only, then the codes, then what the dialogue tells.
  for (const reason of p.secondPass) {
    const w = worded.find((x) => x.reason === reason && !vetoed.has(reason));
    if (w) return result(reason, wordingEvidence(w));
    if (replyAt("second") === reason) return result(reason, { kind: "reply-code", code: replyCode! });
  }
  if (statusReason !== undefined) return result(statusReason, { kind: "enhanced-code", code: enhancedCode! });
  if (enhancedCode !== undefined && enhancedCode[2] === "6") return result("contenterror", { kind: "code-class", code: enhancedCode });
  if (enhancedCode !== undefined && enhancedCode[2] === "7") return result("securityerror", { kind: "code-class", code: enhancedCode });
  if (facts.diagnosticType !== undefined && facts.diagnosticType.toLowerCase().startsWith("x-unix")) return result("mailererror", { kind: "given", reason: "mailererror" });
  const last = replyAt("last");
  if (last !== undefined) return result(last, { kind: "reply-code", code: replyCode! });
  if (facts.action !== undefined && /^(delayed|expired)$/i.test(facts.action)) return result("expired", { kind: "action", action: facts.action });
  if (command === "EHLO" || command === "HELO") return result("blocked", { kind: "command", command });
  if (facts.reason !== undefined) return result(facts.reason, { kind: "given", reason: facts.reason });
  return result(facts.text.trim() === "" ? "undefined" : "onhold", { kind: "none" });
}

function isAnyCode(_code: string): _code is string {
  return true;
}

function reasonOf(entry: EntryData | undefined): string | undefined {
  return (entry as { reason?: string } | undefined)?.reason;
}

function wordingEvidence<Info extends EntryData>(w: Worded<Info>): Evidence {
  const row = w.entry as unknown as RuleRow;
  const phrase = Object.keys(row.texts).map((k) => row.texts[k]).find((t) => t !== undefined) ?? "";
  return { kind: "wording", source: row.source, name: row.name, phrase };
}

/** Every entry the text matches: by the codes found (sets keyed by codes), by wording (sets with an inLogs column). */
function matchSets<Info extends EntryData>(p: Prepared<Info>, text: string, enhanced: string | undefined, reply: number | undefined): { matches: Info[]; worded: Array<Worded<Info>>; vetoed: Set<string> } {
  const matches: Info[] = [];
  const worded: Array<Worded<Info>> = [];
  const vetoed = new Set<string>();
  for (const { set, matcher, index } of p.sets) {
    let found: readonly Info[] = [];
    if (matcher !== undefined) {
      found = matcher.matchAll(text).map((i) => set.entries[i]!);
      for (const entry of found) {
        const reason = reasonOf(entry);
        const { pass, vetoes } = (entry as unknown as RuleRow).attributes ?? {};
        if (reason !== undefined) worded.push({ entry, reason, pass: pass ?? "first" });
        if (vetoes !== undefined) vetoed.add(vetoes);
      }
    } else if (set.format === "smtp-reply") {
      found = reply === undefined ? [] : index.lookupAll(reply);
    } else if (set.format === "enhanced-status") {
      found = enhanced === undefined ? [] : index.lookupAll(enhanced);
    } else if (set.format === "enhanced-subject-detail") {
      found = enhanced === undefined ? [] : index.lookupAll("X" + enhanced.slice(1)).concat(index.lookupAll("x" + enhanced.slice(1)));
    } else if (set.format === "pattern") {
      found = set.entries.filter((e) => typeof e.code === "string" && ((enhanced !== undefined && patternMatches(e.code, enhanced)) || (reply !== undefined && patternMatches(e.code, reply))));
    } else if (set.format === "integer") {
      // A service's own codes are not in a bounce's text; its rows that carry the reply code found are.
      found = reply === undefined ? [] : set.entries.filter((e) => carries(e, "replyCode", reply));
    } else if (set.format === "alphanumeric") {
      const code = index.parse(text);
      found = code === undefined ? [] : index.lookupAll(code);
      for (const entry of found) {
        const reason = reasonOf(entry);
        if (reason !== undefined) worded.push({ entry, reason, pass: "first" });
      }
    }
    matches.push(...found);
  }
  return { matches, worded, vetoed };
}

function carries(entry: EntryData, field: "replyCode", code: number): boolean {
  const value = (entry as unknown as Record<string, unknown>)[field];
  return value === code;
}

/** What the first pass needs to know. */
interface Gate {
  readonly statusReason: string | undefined;
  readonly status: string;
  /** The reason a reply-code rule gives in the first pass. */
  readonly replyReason: string | undefined;
  readonly replyCode: number | undefined;
  /** Reasons whose wording a matched phrase cancels. */
  readonly vetoed: ReadonlySet<string>;
  readonly command: string | undefined;
  readonly worded: ReadonlyArray<Worded<EntryData>>;
  readonly facts: BounceFacts;
}

/**
 * Whether the first pass settles on `reason`: its status code names it, or its wording matched, within the limits the
 * SMTP dialogue sets (wording about an unknown user decides only for a RCPT reply or a status saying so; content
 * reasons cannot follow a command before DATA; and the like, as Sisimai reads bounces).
 */
function firstPass(reason: string, g: Gate): Evidence | undefined {
  const said = (r: string) => (g.vetoed.has(r) ? undefined : g.worded.find((w) => w.reason === r));
  const byStatus: Evidence | undefined = g.statusReason === reason ? { kind: "enhanced-code", code: g.status } : undefined;
  if (g.replyReason === reason) return { kind: "reply-code", code: g.replyCode! };
  const byWords = (r: string = reason): Evidence | undefined => {
    const w = said(r);
    return w ? wordingEvidence(w) : undefined;
  };
  const command = g.command;
  switch (reason) {
    case "mesgtoobig":
      if (g.statusReason === "exceedlimit") return undefined;
      return byStatus ?? byWords();
    case "suspend":
      return byWords();
    case "hasmoved":
      return byWords();
    case "norelaying":
      if (g.facts.reason === "securityerror" || g.facts.reason === "systemerror" || command === "CONN" || command === "EHLO" || command === "HELO") return undefined;
      return byStatus ?? byWords();
    case "userunknown":
      if (g.statusReason === "suspend") return undefined;
      if (g.statusReason === "userunknown") {
        const vetoed = ["norelaying", "blocked", "mailboxfull", "hasmoved", "rejected", "notaccept"].some((r) => said(r));
        return vetoed ? undefined : byStatus;
      }
      return command === "RCPT" ? byWords() : undefined;
    case "filtered":
      if (g.statusReason === "suspend") return undefined;
      if (g.statusReason === "filtered") return byWords("userunknown") ?? byWords() ?? byStatus;
      if (command !== undefined && BEFORE_DATA.has(command)) return undefined;
      return byWords() ?? byWords("userunknown");
    case "contenterror":
      if (said("spamdetected") && g.statusReason !== undefined && !(command !== undefined && BEFORE_DATA.has(command))) return undefined;
      return byStatus ?? byWords();
    case "rejected": {
      if (g.statusReason === "rejected") return byStatus;
      const open = command === "MAIL" || (command === "DATA" && g.statusReason !== "userunknown") || g.statusReason === undefined || ["undefined", "onhold", "securityerror", "systemerror"].includes(g.statusReason);
      return open ? byWords() : undefined;
    }
    case "hostunknown":
      if (g.statusReason === "hostunknown") return said("networkerror") ? undefined : byStatus;
      return byWords();
    case "spamdetected":
      if (g.statusReason === "spamdetected") return byStatus;
      if (g.statusReason === undefined && g.facts.status === undefined) return undefined;
      if (command !== undefined && BEFORE_DATA.has(command)) return undefined;
      return byWords();
    default:
      return byStatus ?? byWords();
  }
}

/** Whether a failure is for good: a 5 class code, or, without codes, no words saying it is temporary. */
function isPermanent(enhanced: string | undefined, reply: number | undefined, text: string): boolean {
  const digit = enhanced?.[0] ?? (reply !== undefined ? String(reply)[0] : undefined);
  if (digit !== undefined) return digit === "5";
  const lower = text.toLowerCase();
  return lower.indexOf(" temporar") === -1 && lower.indexOf(" persistent") === -1;
}

const COMMANDS = ["STARTTLS", "EHLO", "HELO", "MAIL", "RCPT", "DATA", "AUTH", "QUIT", "RSET", "BDAT"];

/**
 * The SMTP command a failure answered, as MTAs write it: "(in reply to RCPT TO command)", "after RCPT TO:<…>",
 * ">>> RCPT TO:<…>", "after end of data" (DATA), "after initial connection" (CONN). One pass over the text per
 * marker, so linear.
 */
export function findCommand(text: string): string | undefined {
  const lower = text.toLowerCase();
  const after = (marker: string): string | undefined => {
    const at = lower.indexOf(marker);
    if (at === -1) return undefined;
    const rest = lower.slice(at + marker.length, at + marker.length + 12).toUpperCase();
    return COMMANDS.find((c) => rest.startsWith(c));
  };
  const found = after("in reply to ") ?? after(">>> ") ?? after("after ") ?? after("smtp error from remote mail server after ");
  if (found !== undefined) return found === "BDAT" ? "DATA" : found;
  if (lower.indexOf("after end of data") !== -1 || lower.indexOf("end of data") !== -1) return "DATA";
  if (lower.indexOf("after initial connection") !== -1 || lower.indexOf("refused to talk to me") !== -1) return "CONN";
  return undefined;
}
