// matcher: a provider's documented messages against what a bounce says — many phrases found in one pass over the
// folded text (Aho–Corasick), and a message known by its distinctive sentences.
import { foldedCodes, foldInto, foldText } from "./fold.js";
/** How deep in the trie states get a full row of ASCII transitions. */
const DENSE_DEPTH = 2;

/**
 * A multi-pattern matcher (Aho–Corasick): every occurrence of every pattern in one pass over the text, so finding
 * hundreds of phrases costs one reading of the text. Patterns are folded text. Built with maps, then kept in typed
 * arrays: the root's transitions for ASCII in a table, a state with one child as that child's character and state,
 * only branching states as maps; each step reads a few array cells.
 */
class PhraseMatcher {
  readonly lengths: number[] = [];
  readonly fail: Int32Array;
  /** The patterns that end at each state (through failure links too): outputs[outStart[s] .. outStart[s + 1]). */
  readonly outStart: Int32Array;
  readonly outputs: Int32Array;
  readonly rootAscii: Int32Array;
  readonly root: Map<number, number>;
  /** A state's only child: its character (-1 when it has none or several) and its state. */
  readonly onlyChar: Int32Array;
  readonly onlyNext: Int32Array;
  /** The children of states with several. */
  readonly branches: Array<Map<number, number> | undefined>;
  /** Each shallow state's row of ASCII transitions in `dense` (-1 for the others). */
  readonly denseRow: Int32Array;
  readonly dense: Int32Array;

  constructor(patterns: readonly string[]) {
    // The trie in flat arrays, a state's children as a list (first child, next sibling) and the root's in a table:
    // built with a Map per state, its tens of thousands of states took most of a cold start's first classify.
    let capacity = 1;
    for (const pattern of patterns) capacity += pattern.length;
    const char = new Int32Array(capacity);
    const firstChild = new Int32Array(capacity);
    const lastChild = new Int32Array(capacity);
    const sibling = new Int32Array(capacity);
    /** The patterns that end at each state, as a list: the first, and each one's next (-1 ends it). */
    const ownFirst = new Int32Array(capacity).fill(-1);
    const ownLast = new Int32Array(capacity);
    const ownNext = new Int32Array(patterns.length).fill(-1);
    const rootAscii = new Int32Array(128);
    const root = new Map<number, number>();
    const child = (state: number, c: number): number => {
      if (state === 0) return c < 128 ? rootAscii[c]! : (root.get(c) ?? 0);
      for (let to = firstChild[state]!; to !== 0; to = sibling[to]!) if (char[to] === c) return to;
      return 0;
    };
    let states = 1;
    patterns.forEach((pattern, id) => {
      let state = 0;
      for (let i = 0; i < pattern.length; i++) {
        const c = pattern.charCodeAt(i);
        let to = child(state, c);
        if (to === 0) {
          to = states++;
          char[to] = c;
          if (firstChild[state] === 0) firstChild[state] = to;
          else sibling[lastChild[state]!] = to;
          lastChild[state] = to;
          if (state === 0 && c < 128) rootAscii[c] = to;
          if (state === 0) root.set(c, to);
        }
        state = to;
      }
      if (ownFirst[state] === -1) ownFirst[state] = id;
      else ownNext[ownLast[state]!] = id;
      ownLast[state] = id;
      this.lengths[id] = pattern.length;
    });
    // Breadth first (`order`, the root first): a state's failure link is the longest proper suffix of its path that
    // is also a path, and is met before the state.
    const fail = new Int32Array(states);
    const order = new Int32Array(states);
    const depth = new Int32Array(states);
    for (let head = 0, tail = 1; head < tail; head++) {
      const state = order[head]!;
      for (let to = firstChild[state]!; to !== 0; to = sibling[to]!) {
        order[tail++] = to;
        depth[to] = depth[state]! + 1;
        if (state === 0) continue;
        const c = char[to]!;
        let f = fail[state]!;
        while (f !== 0 && child(f, c) === 0) f = fail[f]!;
        fail[to] = child(f, c);
      }
    }
    this.fail = fail;
    // A state's outputs: its own patterns, then its failure link's.
    const count = new Int32Array(states);
    for (let k = 0; k < states; k++) {
      const state = order[k]!;
      let n = state === 0 ? 0 : count[fail[state]!]!;
      for (let id = ownFirst[state]!; id !== -1; id = ownNext[id]!) n++;
      count[state] = n;
    }
    this.outStart = new Int32Array(states + 1);
    for (let s = 0; s < states; s++) this.outStart[s + 1] = this.outStart[s]! + count[s]!;
    this.outputs = new Int32Array(this.outStart[states]!);
    for (let k = 0; k < states; k++) {
      const state = order[k]!;
      let at = this.outStart[state]!;
      for (let id = ownFirst[state]!; id !== -1; id = ownNext[id]!) this.outputs[at++] = id;
      const linked = this.outStart[fail[state]!]!;
      if (state !== 0 && count[fail[state]!]! > 0) this.outputs.copyWithin(at, linked, linked + count[fail[state]!]!);
    }
    this.root = root;
    this.rootAscii = rootAscii;
    // The states nearest the root, where a scan spends most of its time, get a full row of ASCII transitions
    // (failure links followed in advance): one array read per character there. A row is its failure link's, and then
    // its own children.
    let shallow = 0;
    while (shallow < states && depth[order[shallow]!]! <= DENSE_DEPTH) shallow++;
    this.denseRow = new Int32Array(states).fill(-1);
    this.dense = new Int32Array(shallow * 128);
    for (let row = 0; row < shallow; row++) {
      const state = order[row]!;
      this.denseRow[state] = row;
      const linked = this.denseRow[fail[state]!]! * 128;
      if (state !== 0) this.dense.copyWithin(row * 128, linked, linked + 128);
      for (let to = firstChild[state]!; to !== 0; to = sibling[to]!) {
        if (char[to]! < 128) this.dense[row * 128 + char[to]!] = to;
      }
    }
    this.onlyChar = new Int32Array(states).fill(-1);
    this.onlyNext = new Int32Array(states);
    this.branches = [];
    for (let s = 1; s < states; s++) {
      const first = firstChild[s]!;
      if (first === 0) continue;
      if (sibling[first] === 0) {
        this.onlyChar[s] = char[first]!;
        this.onlyNext[s] = first;
        continue;
      }
      const children = new Map<number, number>();
      for (let to = first; to !== 0; to = sibling[to]!) children.set(char[to]!, to);
      this.branches[s] = children;
    }
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
    let best = -1;
    for (const m of this.matchAll(text)) if (best === -1 || this.keys[m]!.weight > this.keys[best]!.weight) best = m;
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
    // automaton's step is written out here, its one user, so that the hot loop reads locals and makes no call.
    const nextFragment = this.nextFragment;
    const earliestStart = this.earliestStart;
    const users = this.users;
    const { lengths, fail, outStart, outputs, rootAscii, root, onlyChar, onlyNext, branches, denseRow, dense } = this.matcher;
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
        if (onlyChar[state] === c) {
          state = onlyNext[state]!;
          break;
        }
        const to = branches[state]?.get(c);
        if (to !== undefined) {
          state = to;
          break;
        }
        state = fail[state]!;
      }
      for (let k = outStart[state]!, last = outStart[state + 1]!; k < last; k++) {
        const fragment = outputs[k]!;
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
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const stop = c === 46 || c === 33 || c === 63; // . ! ?
    if (c === 0x3002 || (stop && (i + 1 === text.length || text.charCodeAt(i + 1) === 32))) {
      sentences.push(text.slice(start, i + 1).trim());
      start = i + 1;
    }
  }
  const rest = text.slice(start).trim();
  if (rest.length > 0) sentences.push(rest);
  return sentences;
}

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
