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
    const next: Array<Map<number, number>> = [new Map()];
    const outs: number[][] = [[]];
    patterns.forEach((pattern, id) => {
      let state = 0;
      for (let i = 0; i < pattern.length; i++) {
        const c = pattern.charCodeAt(i);
        let to = next[state]!.get(c);
        if (to === undefined) {
          to = next.length;
          next.push(new Map());
          outs.push([]);
          next[state]!.set(c, to);
        }
        state = to;
      }
      outs[state]!.push(id);
      this.lengths[id] = pattern.length;
    });
    // Breadth first: a state's failure link is the longest proper suffix of its path that is also a path.
    const fail = new Int32Array(next.length);
    const queue: number[] = [];
    next[0]!.forEach((to) => queue.push(to));
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head]!;
      next[state]!.forEach((to, c) => {
        queue.push(to);
        let f = fail[state]!;
        while (f !== 0 && !next[f]!.has(c)) f = fail[f]!;
        const target = next[f]!.get(c);
        fail[to] = target !== undefined && target !== to ? target : 0;
        outs[to] = outs[to]!.concat(outs[fail[to]!]!);
      });
    }
    this.fail = fail;
    this.outStart = new Int32Array(next.length + 1);
    let total = 0;
    for (let s = 0; s < next.length; s++) {
      this.outStart[s] = total;
      total += outs[s]!.length;
    }
    this.outStart[next.length] = total;
    this.outputs = new Int32Array(total);
    for (let s = 0; s < next.length; s++) this.outputs.set(outs[s]!, this.outStart[s]!);
    this.root = next[0]!;
    this.rootAscii = new Int32Array(128);
    this.root.forEach((to, c) => {
      if (c < 128) this.rootAscii[c] = to;
    });
    // The states nearest the root, where a scan spends most of its time, get a full row of ASCII transitions
    // (failure links followed in advance): one array read per character there.
    const depth = new Int32Array(next.length);
    const shallow: number[] = [0];
    next[0]!.forEach((to) => (depth[to] = 1));
    for (const state of queue) {
      if (depth[state]! <= DENSE_DEPTH) shallow.push(state);
      next[state]!.forEach((to) => (depth[to] = depth[state]! + 1));
    }
    this.denseRow = new Int32Array(next.length).fill(-1);
    this.dense = new Int32Array(shallow.length * 128);
    shallow.forEach((state, row) => {
      this.denseRow[state] = row;
      for (let c = 0; c < 128; c++) {
        const to = next[state]!.get(c);
        this.dense[row * 128 + c] = to !== undefined ? to : state === 0 ? 0 : this.dense[this.denseRow[fail[state]!]! * 128 + c]!;
      }
    });
    this.onlyChar = new Int32Array(next.length).fill(-1);
    this.onlyNext = new Int32Array(next.length);
    this.branches = [];
    for (let s = 1; s < next.length; s++) {
      const children = next[s]!;
      if (children.size === 1) {
        children.forEach((to, c) => {
          this.onlyChar[s] = c;
          this.onlyNext[s] = to;
        });
      } else if (children.size > 1) {
        this.branches[s] = children;
      }
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
    const folded = (group.placeholders ?? []).map(foldText).filter((p) => p.length > 0);
    const split = group.messages.map((message) => sentencesOf(foldText(message), folded));
    const prefixes = countPrefixes(split);
    for (const sentences of split) {
      const m = this.keys.length;
      const parts = (group.whole === true ? sentences : distinctivePrefix(sentences, prefixes, group.minimumKey)).join(" ").split(GAP).map((part) => part.trim()).filter((part) => part.length > 0);
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
    }
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

/**
 * A folded message as sentences, each placeholder replaced by GAP. A sentence ends at ". ", "! ", "? " or "。".
 */
function sentencesOf(folded: string, placeholders: readonly string[]): string[] {
  const sentences: string[] = [];
  let current = "";
  for (let i = 0; i < folded.length; i++) {
    const placeholder = placeholders.find((p) => folded.startsWith(p, i));
    if (placeholder !== undefined) {
      current += GAP;
      i += placeholder.length - 1;
      continue;
    }
    const char = folded[i]!;
    current += char;
    if (char === "。" || ((char === "." || char === "!" || char === "?") && (folded[i + 1] === " " || i + 1 === folded.length))) {
      sentences.push(current.trim());
      current = "";
    }
  }
  if (current.trim().length > 0) sentences.push(current.trim());
  return sentences;
}

/** How many messages start with each run of leading sentences. */
function countPrefixes(all: readonly string[][]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const sentences of all) {
    let key = "";
    for (const sentence of sentences) {
      key += sentence + "\n";
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

/** The fewest leading sentences of a message that no other message starts with too (all of them if none do). */
function distinctivePrefix(sentences: readonly string[], prefixes: ReadonlyMap<string, number>, minimumKey = 0): string[] {
  let key = "";
  let literal = 0;
  for (let count = 1; count <= sentences.length; count++) {
    key += sentences[count - 1] + "\n";
    literal += sentences[count - 1]!.split(GAP).join("").trim().length;
    if (prefixes.get(key) === 1 && literal >= minimumKey) return sentences.slice(0, count);
  }
  return sentences.slice();
}
