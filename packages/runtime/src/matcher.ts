// matcher: a provider's documented messages against what a bounce says — many phrases found in one pass over the
// folded text (Aho–Corasick), and a message known by its distinctive sentences.
import { foldedCodes, foldInto, foldText } from "./fold.js";
/** How deep in the trie states get a full row of ASCII transitions. */
const DENSE_DEPTH = 2;

/**
 * A multi-pattern matcher (Aho–Corasick): every occurrence of every pattern in one pass over the text, so finding
 * hundreds of phrases costs one reading of the text. Patterns are folded text, none empty. The trie is built whole,
 * in flat arrays (a state's children as a list: first child, next sibling); each state's failure link, and the next
 * state on its failure chain where a pattern ends, are found the first time a text needs them and kept. A cold
 * process that classifies one line so finds the few links that line needs, not the tens of thousands of the whole
 * trie; across texts each link is found once, so matching stays linear.
 */
class PhraseMatcher {
  readonly lengths: number[] = [];
  /** The trie: each state's character, parent, first child and next sibling (0: none). */
  readonly char: Int32Array;
  readonly parent: Int32Array;
  readonly firstChild: Int32Array;
  readonly sibling: Int32Array;
  /** Failure links, -1 until found (see failOf). */
  readonly fail: Int32Array;
  /** The patterns that end at each state, as a list: the first, and each one's next (-1 ends it). */
  readonly ownFirst: Int32Array;
  readonly ownNext: Int32Array;
  /** The nearest state on a state's failure chain where a pattern ends (0 for none), -1 until found (see outLinkOf). */
  readonly outLink: Int32Array;
  readonly rootAscii: Int32Array;
  readonly root: Map<number, number>;
  /** Each shallow state's row of ASCII transitions in `dense` (-1 for the others). */
  readonly denseRow: Int32Array;
  readonly dense: Int32Array;

  constructor(patterns: readonly string[]) {
    let capacity = 1;
    for (const pattern of patterns) capacity += pattern.length;
    this.char = new Int32Array(capacity);
    this.parent = new Int32Array(capacity);
    this.firstChild = new Int32Array(capacity);
    this.sibling = new Int32Array(capacity);
    this.ownFirst = new Int32Array(capacity).fill(-1);
    this.ownNext = new Int32Array(patterns.length).fill(-1);
    this.rootAscii = new Int32Array(128);
    this.root = new Map();
    const lastChild = new Int32Array(capacity);
    const ownLast = new Int32Array(capacity);
    let states = 1;
    patterns.forEach((pattern, id) => {
      let state = 0;
      for (let i = 0; i < pattern.length; i++) {
        const c = pattern.charCodeAt(i);
        let to = this.child(state, c);
        if (to === 0) {
          to = states++;
          this.char[to] = c;
          this.parent[to] = state;
          if (this.firstChild[state] === 0) this.firstChild[state] = to;
          else this.sibling[lastChild[state]!] = to;
          lastChild[state] = to;
          if (state === 0) {
            if (c < 128) this.rootAscii[c] = to;
            this.root.set(c, to);
          }
        }
        state = to;
      }
      if (this.ownFirst[state] === -1) this.ownFirst[state] = id;
      else this.ownNext[ownLast[state]!] = id;
      ownLast[state] = id;
      this.lengths[id] = pattern.length;
    });
    this.fail = new Int32Array(states).fill(-1);
    this.outLink = new Int32Array(states).fill(-1);
    this.fail[0] = 0;
    this.outLink[0] = 0;
    // The states nearest the root, where a scan spends most of its time, get a full row of ASCII transitions
    // (failure links followed in advance): one array read per character there. A row is its failure link's, and
    // then its own children; the root's children come first, then theirs, so a link's row is always made first.
    const shallow: number[] = [0];
    for (let depth = 0, from = 0; depth < DENSE_DEPTH; depth++) {
      const to = shallow.length;
      for (let k = from; k < to; k++) {
        for (let s = this.firstChild[shallow[k]!]!; s !== 0; s = this.sibling[s]!) shallow.push(s);
      }
      from = to;
    }
    this.denseRow = new Int32Array(states).fill(-1);
    this.dense = new Int32Array(shallow.length * 128);
    shallow.forEach((state, row) => {
      this.denseRow[state] = row;
      if (state !== 0) {
        const linked = this.denseRow[this.failOf(state)]! * 128;
        this.dense.copyWithin(row * 128, linked, linked + 128);
      }
      for (let to = this.firstChild[state]!; to !== 0; to = this.sibling[to]!) {
        if (this.char[to]! < 128) this.dense[row * 128 + this.char[to]!] = to;
      }
    });
  }

  /** The child of a state by a character, or 0. */
  child(state: number, c: number): number {
    if (state === 0) return c < 128 ? this.rootAscii[c]! : (this.root.get(c) ?? 0);
    let to = this.firstChild[state]!;
    while (to !== 0 && this.char[to] !== c) to = this.sibling[to]!;
    return to;
  }

  /**
   * A state's failure link: the longest proper suffix of its path that is also a path. Found once, then kept; the
   * links it needs first (its parent's, and those of the states its search passes) are found on an explicit stack,
   * so a pattern of any length cannot exhaust the call stack.
   */
  failOf(state: number): number {
    const { fail, parent } = this;
    if (fail[state] !== -1) return fail[state]!;
    const stack = [state];
    /** For each state on the stack, where its search stopped for a link not yet known (-1: not started). */
    const resume = [-1];
    while (stack.length > 0) {
      const top = stack.length - 1;
      const s = stack[top]!;
      const p = parent[s]!;
      let f = resume[top]!;
      if (f === -1) {
        if (p !== 0 && fail[p] === -1) {
          stack.push(p);
          resume.push(-1);
          continue;
        }
        f = fail[p]!;
      }
      const c = this.char[s]!;
      let to = p === 0 ? 0 : this.child(f, c);
      while (p !== 0 && to === 0 && f !== 0 && fail[f] !== -1) {
        f = fail[f]!;
        to = this.child(f, c);
      }
      if (p !== 0 && to === 0 && f !== 0) {
        resume[top] = f;
        stack.push(f);
        resume.push(-1);
        continue;
      }
      fail[s] = to;
      stack.pop();
      resume.pop();
    }
    return fail[state]!;
  }

  /** The nearest state on a state's failure chain where a pattern ends, or 0 (found once, then kept). */
  outLinkOf(state: number): number {
    const path: number[] = [];
    let link: number;
    for (let s = state; ; ) {
      if (this.outLink[s] !== -1) {
        link = this.outLink[s]!;
        break;
      }
      path.push(s);
      const f = this.failOf(s);
      if (f === 0 || this.ownFirst[f] !== -1) {
        link = f;
        break;
      }
      s = f;
    }
    for (const s of path) this.outLink[s] = link;
    return link;
  }
}

/** One message to look for: the fragments of its distinctive part, in order. */
interface MessageKey {
  readonly fragments: readonly number[];
  /** How much literal text the key holds: among matches, the longest is the most specific. */
  readonly weight: number;
}

/** Where a placeholder stood in a folded message: the only place a key's text may have a gap. */
const GAP = "\u0000";

/** A group of messages a MessageMatcher looks for together (see MessageMatcher.combine). */
export interface MessageGroup {
  readonly messages: readonly string[];
  /** Text in the messages standing for run-time values (an address, an IP address): it matches anything. */
  readonly placeholders?: readonly string[];
  /** Match every message by all of its text, not only by its distinctive sentences (for phrases). */
  readonly whole?: boolean;
  /**
   * The fewest characters of literal text (placeholders aside) a message's distinctive part holds: a first sentence
   * as short as "… does not like recipient." tells too little, and the next sentences are added until it holds this
   * many. Default 0.
   */
  readonly minimumKey?: number;
}

/**
 * Finds which of a set of messages a text contains. Each message is matched by its distinctive part: its first
 * sentence, or as many sentences from its start as it takes to tell it from the other messages, so the help text
 * and links a provider appends (or leaves out) do not matter. That part must appear as written (white space,
 * quotes and reply-code prefixes folded, see foldText), except that a placeholder matches any text.
 */
export class MessageMatcher {
  private readonly keys: MessageKey[] = [];
  private readonly matcher: PhraseMatcher;
  /** For each fragment, the keys that use it and where (key and position packed: key * 65536 + position). */
  private readonly users: number[][] = [];
  /** Per-key progress of the current matchAll, kept between calls (and reset after each) so a call allocates little. */
  private readonly nextFragment: Int32Array;
  private readonly earliestStart: Int32Array;

  /**
   * @param messages the messages, as documented (placeholders included)
   * @param placeholders text in the messages standing for run-time values, which matches anything
   * @param options whole: match every message by all of its text, not only by its distinctive sentences (for phrases)
   */
  constructor(messages: readonly string[], placeholders: readonly string[] = [], options: { readonly whole?: boolean } = {}) {
    const fragments: string[] = [];
    this.add({ messages, placeholders, whole: options.whole === true }, fragments, new Map());
    this.matcher = new PhraseMatcher(fragments);
    this.nextFragment = new Int32Array(this.keys.length);
    this.earliestStart = new Int32Array(this.keys.length);
  }

  /**
   * One matcher for several groups of messages, each with its placeholders and mode, found in one pass over a text:
   * message i of group g has the index (the sizes of the groups before g) + i.
   */
  static combine(groups: readonly MessageGroup[]): MessageMatcher {
    const matcher = Object.create(MessageMatcher.prototype) as MessageMatcher;
    const self = matcher as unknown as { keys: MessageKey[]; users: number[][]; matcher: PhraseMatcher; nextFragment: Int32Array; earliestStart: Int32Array };
    self.keys = [];
    self.users = [];
    const fragments: string[] = [];
    const fragmentId = new Map<string, number>();
    for (const group of groups) matcher.add(group, fragments, fragmentId);
    self.matcher = new PhraseMatcher(fragments);
    self.nextFragment = new Int32Array(self.keys.length);
    self.earliestStart = new Int32Array(self.keys.length);
    return matcher;
  }

  private add(group: MessageGroup, fragments: string[], fragmentId: Map<string, number>): void {
    const gaps = placeholderPattern((group.placeholders ?? []).map(foldText));
    const split = group.messages.map((message) => sentencesOf(foldText(message), gaps));
    const prefixes = prefixIds(split);
    split.forEach((sentences, message) => {
      const m = this.keys.length;
      const key =
        group.whole === true
          ? sentences
          : distinctivePrefix(sentences, prefixes.ids[message]!, prefixes.counts, group.minimumKey);
      const parts = key
        .join(" ")
        .split(GAP)
        .map((part) => part.trim())
        .filter((part) => part.length > 0);
      const ids = parts.map((part) => {
        let id = fragmentId.get(part);
        if (id === undefined) {
          id = fragments.length;
          fragments.push(part);
          fragmentId.set(part, id);
          this.users.push([]);
        }
        return id;
      });
      ids.forEach((id, position) => this.users[id]!.push(m * 65536 + position));
      this.keys.push({ fragments: ids, weight: parts.reduce((sum, part) => sum + part.length, 0) });
    });
  }

  /** The index of the message the text contains (the most specific, then the first), or -1. Linear in the text. */
  match(text: string): number {
    return this.bestMatches(text)[0] ?? -1;
  }

  /**
   * The most specific of the messages the text contains that `among` admits, in the messages' order: every one that
   * is as specific as the most, so that a caller can tell a tie (the same message under two codes) from one answer.
   */
  bestMatches(text: string, among?: (message: number) => boolean): number[] {
    let best: number[] = [];
    let weight = -1;
    for (const m of this.matchAll(text)) {
      if (among !== undefined && !among(m)) continue;
      const w = this.keys[m]!.weight;
      if (w > weight) {
        best = [m];
        weight = w;
      } else if (w === weight) {
        best.push(m);
      }
    }
    return best;
  }

  /** The indexes of every message the text contains, in the messages' order. */
  matchAll(text: string): number[] {
    return this.matchCodes(foldInto(text));
  }

  /** The keys whose every fragment was found, in order; and their progress reset for the next call. */
  private finish(touched: readonly number[]): number[] {
    const matched: number[] = [];
    for (const m of touched) {
      if (this.nextFragment[m] === this.keys[m]!.fragments.length) matched.push(m);
      this.nextFragment[m] = 0;
      this.earliestStart[m] = 0;
    }
    return matched.length > 1 ? matched.sort((x, y) => x - y) : matched;
  }

  /** Matches the first `length` codes of the fold buffer. */
  private matchCodes(length: number): number[] {
    // Greedy, in order: each key waits for its next fragment, starting after the end of the one before. The
    // automaton's step is written out here, its one user, so that the hot loop reads locals; it calls out only to find
    // a link the first time a text needs it.
    const nextFragment = this.nextFragment;
    const earliestStart = this.earliestStart;
    const users = this.users;
    const matcher = this.matcher;
    const { lengths, fail, char, firstChild, sibling, ownFirst, ownNext, outLink } = matcher;
    const { rootAscii, root, denseRow, dense } = matcher;
    const codes = foldedCodes();
    const touched: number[] = [];
    let state = 0;
    for (let i = 0; i < length; i++) {
      const c = codes[i]!;
      for (;;) {
        const row = denseRow[state]!;
        if (row !== -1 && c < 128) {
          state = dense[row * 128 + c]!;
          break;
        }
        if (state === 0) {
          state = c < 128 ? rootAscii[c]! : (root.get(c) ?? 0);
          break;
        }
        let to = firstChild[state]!;
        while (to !== 0 && char[to] !== c) to = sibling[to]!;
        if (to !== 0) {
          state = to;
          break;
        }
        const f = fail[state]!;
        state = f !== -1 ? f : matcher.failOf(state);
      }
      // The patterns ending here: this state's own, then those of each state on its failure chain where one ends.
      let at = ownFirst[state] !== -1 ? state : outLink[state]! !== -1 ? outLink[state]! : matcher.outLinkOf(state);
      while (at !== 0) {
        for (let fragment = ownFirst[at]!; fragment !== -1; fragment = ownNext[fragment]!) {
          const end = i + 1;
          const start = end - lengths[fragment]!;
          const list = users[fragment]!;
          for (let u = 0; u < list.length; u++) {
            const packed = list[u]!;
            const key = (packed / 65536) | 0;
            const position = packed - key * 65536;
            if (nextFragment[key] === position && start >= earliestStart[key]!) {
              if (position === 0) touched.push(key);
              nextFragment[key] = position + 1;
              earliestStart[key] = end;
            }
          }
        }
        at = outLink[at]! !== -1 ? outLink[at]! : matcher.outLinkOf(at);
      }
    }
    return this.finish(touched);
  }
}

/** One pattern for a group's placeholders (folded; the first that fits wins where several start at one place). */
function placeholderPattern(placeholders: readonly string[]): RegExp | undefined {
  const given = placeholders.filter((p) => p.length > 0);
  if (given.length === 0) return undefined;
  return new RegExp(given.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "g");
}

/**
 * A folded message as sentences, each placeholder replaced by GAP. A sentence ends at ". ", "! ", "? " or "。".
 * Cut by slicing, not built a character at a time: a catalog's thousands of messages are split on the first classify.
 */
function sentencesOf(folded: string, placeholders: RegExp | undefined): string[] {
  const text = placeholders === undefined ? folded : folded.replace(placeholders, GAP);
  const sentences: string[] = [];
  let start = 0;
  SENTENCE_END.lastIndex = 0;
  for (let end = SENTENCE_END.exec(text); end !== null; end = SENTENCE_END.exec(text)) {
    sentences.push(text.slice(start, end.index + 1).trim());
    start = end.index + 1;
  }
  const rest = text.slice(start).trim();
  if (rest.length > 0) sentences.push(rest);
  return sentences;
}

/** Where a sentence ends: "。", or ".", "!" or "?" before a space or the end. */
const SENTENCE_END = /。|[.!?](?= |$)/g;

/**
 * Each run of leading sentences of each message as a number (messages that start alike share it), and how many
 * messages start with each: one short key per sentence, where keys of whole runs would grow with each sentence.
 */
function prefixIds(all: readonly string[][]): { readonly ids: number[][]; readonly counts: number[] } {
  const idOf = new Map<string, number>();
  const counts: number[] = [];
  const ids = all.map((sentences) => {
    let id = -1;
    return sentences.map((sentence) => {
      const key = `${id}\n${sentence}`;
      let next = idOf.get(key);
      if (next === undefined) {
        next = counts.length;
        idOf.set(key, next);
        counts.push(0);
      }
      counts[next]!++;
      id = next;
      return id;
    });
  });
  return { ids, counts };
}

/** The fewest leading sentences of a message that no other message starts with too (all of them if none do). */
function distinctivePrefix(
  sentences: readonly string[],
  ids: readonly number[],
  counts: readonly number[],
  minimumKey = 0,
): string[] {
  let literal = 0;
  for (let count = 1; count <= sentences.length; count++) {
    literal += sentences[count - 1]!.split(GAP).join("").trim().length;
    if (counts[ids[count - 1]!] === 1 && literal >= minimumKey) return sentences.slice(0, count);
  }
  return sentences.slice();
}
