// matcher: a provider's documented messages against what a bounce says — many phrases found in one pass over the
// folded text (Aho–Corasick), and a message known by its distinctive sentences.
import { foldIfPlain, foldLowered, foldText } from "./fold.js";

/** A state's fields in PhraseMatcher.node, four to a state so that a step reads one cache line. */
const CHAR = 0;
const CHILD = 1;
const SIBLING = 2;
const EMIT = 3;

/**
 * A multi-pattern matcher (Aho–Corasick): every occurrence of every pattern in one pass over the text, so finding
 * hundreds of phrases costs one reading of the text. Patterns are folded text, distinct, none empty. Both the trie
 * and the automaton are made as texts need them. The patterns are sorted, so that those a state's path starts are a
 * run of them; its children are made from that run the first time a step, a failure link or a row asks for them
 * (see expand). A state's row of transitions (see table) is made the first time a text steps from it — its failure
 * link's row, copied, with its own children over it — so a step of a text reads one number (rows: at most one a
 * state, 64 numbers each for the catalog's phrases). A cold process that classifies one line so makes the few states
 * and rows that line needs, not the 31,000 states of the whole trie; each is made once, so matching stays linear.
 */
class PhraseMatcher {
  /** The patterns in code-unit order, and each one's index among those given. */
  private readonly sorted: string[];
  private readonly ids: Int32Array;
  /**
   * The trie, four numbers a state: its character, its first child (0: none; -1: not made yet, see expand) and its
   * next sibling (0: none), and the nearest state where a pattern ends among itself and its failure chain (0: none;
   * -1 until found, see emitOf).
   */
  readonly node: Int32Array;
  readonly parent: Int32Array;
  /** The length of each state's path; and the run of sorted patterns longer than it that it starts (see expand). */
  private readonly depth: Int32Array;
  private readonly from: Int32Array;
  private readonly until: Int32Array;
  /** How many states are made. */
  private states = 0;
  /** Failure links, -1 until found (see failOf; a row made sets its children's). */
  readonly fail: Int32Array;
  /** The pattern that ends at each state (-1: none); and the state where each pattern ends, once it is made. */
  readonly own: Int32Array;
  readonly ends: Int32Array;
  /** The root's children by their character, for the characters past ASCII (see child). */
  readonly root: Map<number, number>;
  /**
   * Each ASCII character's column in a row: 1 and on for those of the patterns, 0 for the others (which lead to the
   * root from any state).
   */
  readonly column: Uint8Array;
  /** A row's length, a power of two (1 << shift) that holds the columns. */
  readonly shift: number;
  /**
   * Whether no pattern has a control character or DEL: they then have a column of their own, the last, which every
   * row leaves 0 (see matchFolded), and lead to the root as any character of no pattern.
   */
  readonly controlsApart: boolean;
  /**
   * The rows, in the order states are first reached: where each ASCII character leads, the state's row r as 2 r + 2,
   * plus 1 where a pattern ends at the state or on its failure chain. A row not yet made holds 0s (a made one none:
   * its column 0 leads to the root, whose row is the first). Two bytes a number while the rows allow (see rowFor).
   */
  table: Uint16Array | Int32Array;
  /** Each state's row, plus 1 (0: none yet); and each row's state. */
  readonly rowOf: Int32Array;
  readonly stateOf: Int32Array;
  /** How many rows are given out. */
  private rows = 0;

  constructor(patterns: readonly string[]) {
    // The sort compares code units natively, and the ids are found by name, so that nothing here runs a step a
    // character: a cold process runs this once, not yet compiled.
    const idOf = new Map<string, number>();
    let capacity = 1;
    for (let id = 0; id < patterns.length; id++) {
      idOf.set(patterns[id]!, id);
      capacity += patterns[id]!.length;
    }
    if (idOf.size !== patterns.length || idOf.has(""))
      throw new Error("PhraseMatcher: patterns must be distinct and not empty");
    this.sorted = [...patterns].sort();
    this.ids = new Int32Array(patterns.length);
    for (let i = 0; i < patterns.length; i++) this.ids[i] = idOf.get(this.sorted[i]!)!;
    // A state for every character of the patterns at most: the bound the arrays are made for.
    this.node = new Int32Array(capacity * 4);
    this.parent = new Int32Array(capacity);
    this.depth = new Int32Array(capacity);
    this.from = new Int32Array(capacity);
    this.until = new Int32Array(capacity);
    this.fail = new Int32Array(capacity).fill(-1);
    this.own = new Int32Array(capacity);
    this.ends = new Int32Array(patterns.length).fill(-1);
    this.rowOf = new Int32Array(capacity);
    this.stateOf = new Int32Array(capacity);
    this.newState(0, 0, 0, patterns.length, 0);
    this.node[EMIT] = 0;
    this.fail[0] = 0;
    this.expand(0);
    this.root = new Map();
    for (let to = this.node[CHILD]!; to !== 0; to = this.node[to * 4 + SIBLING]!)
      this.root.set(this.node[to * 4 + CHAR]!, to);
    const column = new Uint8Array(128);
    let width = 1;
    for (const character of new Set(patterns.join(""))) {
      const c = character.charCodeAt(0);
      if (c < 128) column[c] = width++;
    }
    // The control characters and DEL, where no pattern has them, have a column of their own that no row fills (0: the
    // step goes out of the loop), so that a scan of a text taken for plain (see MessageMatcher.matchAll) meets them.
    let controls = 0;
    for (let c = 0; c < 128; c++) if ((c < 32 || c === 127) && column[c] === 0) controls++;
    this.controlsApart = controls === 33;
    if (this.controlsApart) {
      for (let c = 0; c < 32; c++) column[c] = width;
      column[127] = width;
    }
    this.column = column;
    let shift = 0;
    while (1 << shift < width + 1) shift++;
    this.shift = shift;
    this.table = new Uint16Array(64 << shift);
    // The root's row, the first: every character to the root (row 0, as 2), but its children's.
    this.rowFor(0);
    this.table.fill(2, 0, width);
    this.overlayChildren(0, 0, 0);
  }

  /**
   * A state below `parent` by the character c, for the sorted patterns [from, until), whose paths all start with its
   * own, `depth` long: the one as long as that ends here (it sorts first).
   */
  private newState(parent: number, c: number, from: number, until: number, depth: number): number {
    const t = this.states++;
    const { node } = this;
    node[t * 4 + CHAR] = c;
    node[t * 4 + CHILD] = -1;
    node[t * 4 + EMIT] = -1;
    this.parent[t] = parent;
    this.depth[t] = depth;
    this.own[t] = -1;
    if (from < until && this.sorted[from]!.length === depth) {
      const id = this.ids[from]!;
      this.own[t] = id;
      this.ends[id] = t;
      from++;
    }
    this.from[t] = from;
    this.until[t] = until;
    return t;
  }

  /** A state's children, made once, in order: one for each character that follows its path in its patterns. */
  private expand(s: number): void {
    const { node, sorted } = this;
    if (node[s * 4 + CHILD] !== -1) return;
    node[s * 4 + CHILD] = 0;
    const at = this.depth[s]!;
    let last = 0;
    for (let i = this.from[s]!, until = this.until[s]!; i < until; ) {
      const c = sorted[i]!.charCodeAt(at);
      let j = i + 1;
      while (j < until && sorted[j]!.charCodeAt(at) === c) j++;
      const t = this.newState(s, c, i, j, at + 1);
      if (last === 0) node[s * 4 + CHILD] = t;
      else node[last * 4 + SIBLING] = t;
      last = t;
      i = j;
    }
  }

  /**
   * Where the state of a row leads by a character, as `table` writes it: from its row (made here if it is not yet),
   * or, past ASCII, by the goto and failure links.
   */
  step(row: number, c: number): number {
    if (c < 128) {
      if (this.table[row << this.shift] === 0) this.makeRows(this.stateOf[row]!);
      return this.table[(row << this.shift) + this.column[c]!]!;
    }
    let s = this.stateOf[row]!;
    let to = this.child(s, c);
    while (to === 0 && s !== 0) {
      s = this.failOf(s);
      to = this.child(s, c);
    }
    let reached = this.rowOf[to]! - 1;
    if (reached < 0) reached = this.rowFor(to);
    let emit = this.node[to * 4 + EMIT]!;
    if (emit === -1) emit = this.emitOf(to);
    return reached * 2 + 2 + Math.min(emit, 1);
  }

  /**
   * The rows of a state and of its failure chain not yet made, nearest the root first (the root's always is): each its
   * link's row, copied, with its own children over it. (Written with few branches: a text of phrases never seen before
   * makes a row at most every character, and the linearity tests count that work.)
   */
  private makeRows(state: number): void {
    const { rowOf, fail, shift } = this;
    const chain: number[] = [];
    for (let s = state; ; ) {
      let row = rowOf[s]! - 1;
      if (row < 0) row = this.rowFor(s);
      if (this.table[row << shift] !== 0) break;
      chain.push(s);
      let f = fail[s]!;
      if (f === -1) f = this.failOf(s);
      s = f;
    }
    for (let k = chain.length - 1; k >= 0; k--) {
      const s = chain[k]!;
      const from = (rowOf[fail[s]!]! - 1) << shift;
      const to = (rowOf[s]! - 1) << shift;
      this.table.copyWithin(to, from, from + (1 << shift));
      this.overlayChildren(s, from, to);
    }
  }

  /**
   * A row given out to a state that has none. The table grows as needed, and takes four bytes a number once a row's
   * number (2 r + 3 at most) no longer fits in two.
   */
  private rowFor(state: number): number {
    const row = this.rows++;
    const wide = this.table instanceof Int32Array || row * 2 + 3 > 0xffff;
    const full = row << this.shift >= this.table.length;
    if (full || wide !== this.table instanceof Int32Array) {
      const grown = wide ? new Int32Array(this.table.length * (full ? 2 : 1)) : new Uint16Array(this.table.length * 2);
      grown.set(this.table);
      this.table = grown;
    }
    this.rowOf[state] = row + 1;
    this.stateOf[row] = state;
    return row;
  }

  /**
   * A state's children over its row (at `at`), its failure link's row (at `linked`) when copied: each ASCII one's
   * failure link is where that row leads by its character (the root's row leads every character to the root), and its
   * nearest state where a pattern ends is itself or its link's.
   */
  private overlayChildren(s: number, linked: number, at: number): void {
    this.expand(s);
    const { column, node, fail, own, stateOf, rowOf } = this;
    for (let t = node[s * 4 + CHILD]!; t !== 0; t = node[t * 4 + SIBLING]!) {
      const c = node[t * 4 + CHAR]!;
      if (c >= 128) continue;
      const f = stateOf[(this.table[linked + column[c]!]! - 2) >> 1]!;
      fail[t] = f;
      let emit = node[f * 4 + EMIT]!;
      if (own[t] !== -1) emit = t;
      if (emit === -1) emit = this.emitOf(f);
      node[t * 4 + EMIT] = emit;
      let row = rowOf[t]! - 1;
      if (row < 0) row = this.rowFor(t);
      this.table[at + column[c]!] = row * 2 + 2 + Math.min(emit, 1);
    }
  }

  /** The child of a state by a character, or 0. */
  child(state: number, c: number): number {
    if (state === 0) return this.root.get(c) ?? 0;
    this.expand(state);
    const node = this.node;
    let to = node[state * 4 + CHILD]!;
    while (to !== 0 && node[to * 4 + CHAR] !== c) to = node[to * 4 + SIBLING]!;
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
      const c = this.node[s * 4 + CHAR]!;
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

  /** The nearest state where a pattern ends among a state and its failure chain, or 0 (found once, then kept). */
  emitOf(state: number): number {
    const node = this.node;
    const path: number[] = [];
    let emit: number;
    for (let s = state; ; s = this.failOf(s)) {
      if (node[s * 4 + EMIT] !== -1) {
        emit = node[s * 4 + EMIT]!;
        break;
      }
      if (this.own[s] !== -1) {
        emit = s;
        break;
      }
      path.push(s);
    }
    for (const s of path) node[s * 4 + EMIT] = emit;
    node[state * 4 + EMIT] = emit;
    return emit;
  }
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

/** The groups MessageMatcher.combine hands its constructor (one way to build a matcher, so all have one shape). */
let combining: readonly MessageGroup[] | undefined;

/**
 * Finds which of a set of messages a text contains. Each message is matched by its distinctive part: its first
 * sentence, or as many sentences from its start as it takes to tell it from the other messages, so the help text
 * and links a provider appends (or leaves out) do not matter. That part must appear as written (white space,
 * quotes and reply-code prefixes folded, see foldText), except that a placeholder matches any text. A message's
 * key is its distinctive part cut at the placeholders into fragments, found in order.
 */
export class MessageMatcher {
  private readonly matcher: PhraseMatcher;
  /** Per key: how many fragments it has, and how much literal text (among matches, the longest is the most specific). */
  private readonly fragmentCount: Int32Array;
  private readonly weight: Int32Array;
  /**
   * What is read where a fragment ends, side by side (a text's few such places each read a few numbers), RECORD numbers
   * a fragment: the next fragment that ends on the failure chain of the state where it ends (UNKNOWN until found, NONE
   * where there is none; see emitted), its length, and where its users start and end in `users`.
   */
  private readonly records: Int32Array;
  /**
   * For each row of the automaton's table, the fragment that ends at the first state of its state's failure chain
   * where one does (the pattern of its emitOf): UNKNOWN until a text first reaches the row where one does. Read by the
   * row a step gives, it spares a text's every such step two reads far apart (the row's state, and that state's node).
   */
  private readonly rowRecord: Int32Array;
  /** The keys that use each fragment and where in them, two numbers a use: the key, the fragment's position in it. */
  private readonly users: Int32Array;
  /**
   * Per key, two numbers: the position of the fragment it waits for, and where that fragment may start at the
   * earliest. The progress of the current matchAll, kept between calls (and reset after each) so a call allocates
   * little.
   */
  private readonly progress: Int32Array;

  /**
   * @param messages the messages, as documented (placeholders included)
   * @param placeholders text in the messages standing for run-time values, which matches anything
   * @param options whole: match every message by all of its text, not only by its distinctive sentences (for phrases)
   */
  constructor(
    messages: readonly string[],
    placeholders: readonly string[] = [],
    options: { readonly whole?: boolean } = {},
  ) {
    const groups = combining ?? [{ messages, placeholders, whole: options.whole === true }];
    const fragments: string[] = [];
    const fragmentId = new Map<string, number>();
    /** Each key's fragments, in order. */
    const keys: number[][] = [];
    const weights: number[] = [];
    for (const group of groups) {
      const gaps = placeholderPattern((group.placeholders ?? []).map(foldText));
      const split = group.messages.map((message) => sentencesOf(foldText(message), gaps));
      // A group matched whole needs no message's distinctive part, nor what finds it.
      const prefixes = group.whole === true ? undefined : prefixIds(split);
      split.forEach((sentences, message) => {
        const key =
          prefixes === undefined
            ? sentences
            : distinctivePrefix(sentences, prefixes.ids[message]!, prefixes.counts, group.minimumKey);
        const parts = key
          .join(" ")
          .split(GAP)
          .map((part) => part.trim())
          .filter((part) => part.length > 0);
        keys.push(
          parts.map((part) => {
            let id = fragmentId.get(part);
            if (id === undefined) {
              id = fragments.length;
              fragments.push(part);
              fragmentId.set(part, id);
            }
            return id;
          }),
        );
        weights.push(parts.reduce((sum, part) => sum + part.length, 0));
      });
    }
    this.matcher = new PhraseMatcher(fragments);
    this.fragmentCount = Int32Array.from(keys, (ids) => ids.length);
    this.weight = Int32Array.from(weights);
    const userStart = new Int32Array(fragments.length + 1);
    for (const ids of keys) for (const id of ids) userStart[id + 1]!++;
    for (let f = 0; f < fragments.length; f++) userStart[f + 1]! += userStart[f]!;
    const filled = userStart.slice(0, fragments.length);
    const users = new Int32Array(userStart[fragments.length]! * 2);
    keys.forEach((ids, key) => {
      ids.forEach((id, position) => {
        const at = filled[id]!++ * 2;
        users[at] = key;
        users[at + 1] = position;
      });
    });
    this.users = users;
    const records = new Int32Array(fragments.length * RECORD);
    for (let f = 0; f < fragments.length; f++) {
      records[f * RECORD] = UNKNOWN;
      records[f * RECORD + 1] = fragments[f]!.length;
      records[f * RECORD + 2] = userStart[f]! * 2;
      records[f * RECORD + 3] = userStart[f + 1]! * 2;
    }
    this.records = records;
    this.rowRecord = new Int32Array(this.matcher.stateOf.length).fill(UNKNOWN);
    this.progress = new Int32Array(keys.length * 2);
  }

  /**
   * One matcher for several groups of messages, each with its placeholders and mode, found in one pass over a text:
   * message i of group g has the index (the sizes of the groups before g) + i.
   */
  static combine(groups: readonly MessageGroup[]): MessageMatcher {
    combining = groups;
    try {
      return new MessageMatcher([]);
    } finally {
      combining = undefined;
    }
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
      const w = this.weight[m]!;
      if (w > weight) {
        best = [m];
        weight = w;
      } else if (w === weight) {
        best.push(m);
      }
    }
    return best;
  }

  /** The indexes of every message the text contains, in the messages' order (`lower`: the text in lower case, if the caller has it). */
  matchAll(text: string, lower?: string): number[] {
    if (lower !== undefined && this.matcher.controlsApart) {
      // Most texts are plain (see foldText): taken for one, a text is scanned as it folds then, and the scan itself
      // meets a character that says it is not (a control, DEL or one past ASCII): then it is folded and scanned anew.
      const plain = foldIfPlain(lower);
      const matched = plain === undefined ? undefined : this.matchFolded(plain, true);
      if (matched !== undefined) return matched;
    }
    return this.matchFolded(lower === undefined ? foldText(text) : foldLowered(text, lower))!;
  }

  /** Nothing, and the progress of a scan given up reset for the next call. */
  private dropped(touched: readonly number[]): undefined {
    this.finish(touched);
    return undefined;
  }

  /** The keys whose every fragment was found, in order; and their progress reset for the next call. */
  private finish(touched: readonly number[]): number[] {
    const { progress, fragmentCount } = this;
    const matched: number[] = [];
    for (let k = 0; k < touched.length; k++) {
      const m = touched[k]!;
      if (progress[m * 2] === fragmentCount[m]) matched.push(m);
      progress[m * 2] = 0;
      progress[m * 2 + 1] = 0;
    }
    // A text matches few keys: sorted in place by insertion (the engine's sort with a comparator costs more than the
    // scan of a short text); many, by the engine's.
    if (matched.length > 16) return matched.sort(ascending);
    for (let k = 1; k < matched.length; k++) {
      const m = matched[k]!;
      let j = k - 1;
      for (; j >= 0 && matched[j]! > m; j--) matched[j + 1] = matched[j]!;
      matched[j + 1] = m;
    }
    return matched;
  }

  /**
   * Matches a folded text; or, `plainOnly`, a text taken for plain, giving undefined (and nothing kept) at the first
   * character that says it is not.
   */
  private matchFolded(folded: string, plainOnly = false): number[] | undefined {
    // The automaton's step is written out here, its one user, so that the hot loop reads locals; it calls out only to
    // make a row the first time a text needs it, for a character past ASCII, and where a pattern ends (see emitted).
    const matcher = this.matcher;
    const { column, shift } = matcher;
    const rowRecord = this.rowRecord;
    let table = matcher.table;
    const touched: number[] = [];
    let row = 0; // the root's
    for (let i = 0; i < folded.length; i++) {
      const c = folded.charCodeAt(i);
      let known = c < 128 ? table[(row << shift) + column[c]!]! : 0;
      if (known === 0) {
        if (plainOnly && c >= 128) return this.dropped(touched);
        known = matcher.step(row, c);
        table = matcher.table;
        if (known === 0) {
          // A control character or DEL (see controlsApart), which leads to the root.
          if (plainOnly) return this.dropped(touched);
          known = 2;
        }
      }
      row = (known - 2) >> 1;
      if ((known & 1) !== 0) {
        let record = rowRecord[row]!;
        if (record === UNKNOWN) record = this.recordOfRow(row);
        this.emitted(record, i + 1, touched);
      }
    }
    return this.finish(touched);
  }

  /** The record of a row's first state where a fragment ends (see rowRecord), found once. */
  private recordOfRow(row: number): number {
    const matcher = this.matcher;
    const state = matcher.stateOf[row]!;
    let at = matcher.node[state * 4 + EMIT]!;
    if (at === -1) at = matcher.emitOf(state);
    const record = at === 0 ? NONE : matcher.own[at]!;
    this.rowRecord[row] = record;
    return record;
  }

  /**
   * The fragments that end at `end`, where one does: the first, then each that ends at a state further along the
   * failure chain of the state where the one before it ends. Greedy, in order: each key waits for its next fragment,
   * starting after the end of the one before; `touched` gets each key whose first fragment is found.
   */
  private emitted(first: number, end: number, touched: number[]): void {
    const { progress, users, records } = this;
    for (let fragment = first; fragment !== NONE; ) {
      const at = fragment * RECORD;
      const start = end - records[at + 1]!;
      for (let u = records[at + 2]!, until = records[at + 3]!; u < until; u += 2) {
        const key = users[u]!;
        const position = users[u + 1]!;
        if (progress[key * 2] === position && start >= progress[key * 2 + 1]!) {
          if (position === 0) touched.push(key);
          progress[key * 2] = position + 1;
          progress[key * 2 + 1] = end;
        }
      }
      let next = records[at]!;
      if (next === UNKNOWN) next = this.nextRecord(fragment);
      fragment = next;
    }
  }

  /** The next fragment that ends on the failure chain of the state where a fragment ends (NONE: none), found once. */
  private nextRecord(fragment: number): number {
    const matcher = this.matcher;
    const f = matcher.failOf(matcher.ends[fragment]!);
    const at = f === 0 ? 0 : matcher.emitOf(f);
    const next = at === 0 ? NONE : matcher.own[at]!;
    this.records[fragment * RECORD] = next;
    return next;
  }
}

/** A fragment's numbers in MessageMatcher.records; and its next fragment, not yet found or none. */
const RECORD = 4;
const UNKNOWN = -1;
const NONE = -2;

function ascending(x: number, y: number): number {
  return x - y;
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
