// reparse: where an edit of a watched spec lies among the block items of its previous parse, and the data and items
// once load.ts has parsed those items' new lines alone. Whatever is not certain here gives up: a full parse follows.

export type Segment = string | number;

/** A block sequence item or block mapping pair whose `-` or key is the first non-space of its line. */
export interface BlockItem {
  /** Its first line (0-based). */
  readonly line: number;
  /**
   * Its last line: the one before the next item of its collection, or its parent's last line (the text's for the
   * root's), so that the comments and blank lines after it are its own and the line after it starts an item.
   */
  readonly end: number;
  readonly indent: number;
  readonly kind: "seq" | "pair";
  /** Where its value is in the data. */
  readonly path: readonly Segment[];
}

/** What watch keeps of a clean parse to parse the next edit of the spec alone. */
export interface SpecIndex {
  /** In line order, so an item's descendants follow it. */
  readonly items: readonly BlockItem[];
  /** At least the text's YAML tokens: exact after a full parse, a bound after splices. */
  readonly tokens: number;
}

/** Consecutive sibling items (items[start] the first) that hold the edit, and the new text of their lines. */
export interface Region {
  readonly start: number;
  /** After their last descendant in items. */
  readonly stop: number;
  readonly siblings: number;
  /** Their old last line. */
  readonly end: number;
  /** Lines the edit added (fewer than 0: removed). */
  readonly delta: number;
  readonly snippet: string;
}

/**
 * The runs of items the edit from oldText to newText lies in, smallest first: the children of the innermost item
 * holding all the changed lines that together hold them, then that item, then each item around it. A run is left out
 * when its new lines are indented less than it or hold a tab in their indentation, or when the line after it could
 * continue it (only a less indented item or the next sibling cannot).
 */
export function* regions(items: readonly BlockItem[], oldText: string, newText: string): Generator<Region> {
  const before = oldText.split("\n");
  const after = newText.split("\n");
  const delta = after.length - before.length;
  // The changed lines: before[a, b) became after[a, b + delta). A text's last piece has no line break after it: it
  // is the same as another line only when it is the other text's last piece too (a blank line that loses its break
  // changes the value of a `|+` scalar above it).
  const same = (i: number, j: number) =>
    before[i] === after[j] && (i === before.length - 1) === (j === after.length - 1);
  let a = 0;
  while (a < before.length && a < after.length && same(a, a)) a++;
  let b = before.length;
  while (b > a && b + delta > a && same(b - 1, b - 1 + delta)) b--;

  const region = (start: number, last: number, siblings: number): Region | undefined => {
    const first = items[start]!;
    const end = items[last]!.end;
    let stop = last + 1;
    while (stop < items.length && items[stop]!.line <= end) stop++;
    const next = items[stop];
    const sibling = next?.indent === first.indent && next.path.length === first.path.length;
    if (end + 1 < before.length && !(next?.line === end + 1 && (next.indent < first.indent || sibling))) return;
    const lines = after.slice(first.line, end + delta + 1);
    for (const line of lines) {
      const indent = line.search(/[^ ]/);
      if (indent !== -1 && line.slice(indent) !== "\r" && (indent < first.indent || line[indent] === "\t")) return;
    }
    const snippet = lines.length === 0 ? "" : lines.join("\n") + (end + delta + 1 < after.length ? "\n" : "");
    return { start, stop, siblings, end, delta, snippet };
  };

  // An insertion (a === b) belongs to the item whose lines it follows. Items in line order: outermost first.
  const holding: number[] = [];
  for (let i = 0; i < items.length && items[i]!.line <= a; i++) {
    const item = items[i]!;
    if (item.line <= a && b <= item.end + 1 && (a < b || item.line < a)) holding.push(i);
  }
  const inner = holding.at(-1) ?? -1;
  const depth = (items[inner]?.path.length ?? 0) + 1;
  let start = -1;
  let last = -1;
  for (let i = inner + 1; a < b && i < items.length && items[i]!.line < b; i++) {
    if (items[i]!.path.length !== depth || items[i]!.end < a) continue;
    if (start === -1) start = i;
    last = i;
  }
  if (start !== -1 && items[start]!.line <= a) {
    const run = region(start, last, items.slice(start, last + 1).filter((item) => item.path.length === depth).length);
    if (run) yield run;
  }
  for (const i of holding.reverse()) {
    const item = region(i, i, 1);
    if (item) yield item;
  }
}

/** The new lines of a region parsed alone: the data of their root collection, their items, their YAML tokens. */
export interface Snippet {
  readonly data: unknown;
  readonly items: readonly BlockItem[];
  readonly tokens: number;
}

/**
 * The data and items with the region's items replaced by the snippet's; undefined when those are not the same items:
 * the same kind at the same indentation, starting the snippet's first line, and a mapping's the same keys (a
 * sequence's any number, as long as it keeps one; the items' limit is the caller's).
 */
export function splice(
  items: readonly BlockItem[],
  region: Region,
  data: unknown,
  snippet: Snippet,
): { data: unknown; items: BlockItem[] } | undefined {
  const first = items[region.start]!;
  const heads = snippet.items.filter((item) => item.path.length === 1);
  if (
    snippet.data === null ||
    typeof snippet.data !== "object" ||
    heads.length !== Object.keys(snippet.data).length ||
    heads.some((item) => item.kind !== first.kind || item.indent !== first.indent) ||
    (heads[0] !== undefined && heads[0].line !== 0)
  )
    return undefined;
  if (first.kind === "pair") {
    const keys = items.slice(region.start, region.stop).filter((item) => item.path.length === first.path.length);
    if (keys.length !== heads.length || keys.some((item, i) => item.path.at(-1) !== heads[i]!.path[0]))
      return undefined;
  } else {
    const parent = first.path
      .slice(0, -1)
      .reduce((node: unknown, key) => (node as Record<Segment, unknown>)[key], data);
    // An emptied sequence would be no sequence.
    const size = (parent as unknown[]).length - region.siblings + heads.length;
    if (size < 1) return undefined;
  }
  return {
    data: spliceData(data, first, region.siblings, snippet.data as unknown[] | Record<string, unknown>),
    items: spliceItems(items, region, snippet.items, heads.length),
  };
}

/**
 * The data with `count` siblings from `first` on replaced: a sequence's by `values` (any number), a mapping's each by
 * the value under its key in `values`. Only the containers on the way are copied: the old data is shared, never
 * changed.
 */
function spliceData(
  data: unknown,
  first: BlockItem,
  count: number,
  values: readonly unknown[] | Readonly<Record<string, unknown>>,
): unknown {
  const { path, kind } = first;
  const at = path[path.length - 1]!;
  const replace = (container: unknown): unknown => {
    if (kind === "seq") {
      const list = container as unknown[];
      return list.slice(0, at as number).concat(values as unknown[], list.slice((at as number) + count));
    }
    // Spread and assignment keep each key an own property, "__proto__" too, in the same order.
    const map: Record<string, unknown> = { ...(container as Record<string, unknown>) };
    for (const key of Object.keys(values)) map[key] = (values as Record<string, unknown>)[key];
    return map;
  };
  const copy = (node: unknown, depth: number): unknown => {
    if (depth === path.length - 1) return replace(node);
    const container = node as Record<Segment, unknown>;
    const copied = (Array.isArray(node) ? node.slice() : { ...container }) as Record<Segment, unknown>;
    copied[path[depth]!] = copy(container[path[depth]!], depth + 1);
    return copied;
  };
  return copy(data, 0);
}

/**
 * The items after the splice: the snippet's (`added`, their lines counted from the snippet's first, their paths from
 * its root collection) in place of the region's, the later ones moved by the lines added and, in a sequence that
 * gained or lost items, renumbered.
 */
function spliceItems(
  items: readonly BlockItem[],
  region: Region,
  added: readonly BlockItem[],
  count: number,
): BlockItem[] {
  const { line, path } = items[region.start]!;
  const depth = path.length;
  const at = path[depth - 1]!;
  const renumber = typeof at === "number" ? count - region.siblings : 0;
  const next = items[region.stop];
  // A run taken from the end of its collection leaves its lines (no more than the text's last, empty one) to the
  // item before it, and that item's last descendants.
  const emptied = count === 0 && !(next?.line === region.end + 1 && next.path.length === depth);
  const spliced: BlockItem[] = [];
  for (const item of items.slice(0, region.start)) {
    if (item.end >= region.end) spliced.push({ ...item, end: item.end + region.delta });
    else if (emptied && item.end === line - 1) spliced.push({ ...item, end: region.end + region.delta });
    else spliced.push(item);
  }
  for (const item of added) {
    const [head, ...rest] = item.path;
    const segment = typeof head === "number" ? (at as number) + head : head!;
    spliced.push({
      ...item,
      line: item.line + line,
      end: item.end + line,
      path: [...path.slice(0, -1), segment, ...rest],
    });
  }
  // The later siblings and their descendants come first, up to the first item outside the parent.
  let inParent = renumber !== 0;
  for (const item of items.slice(region.stop)) {
    inParent &&= item.path.length >= depth;
    const moved = inParent ? item.path.map((s, i) => (i === depth - 1 ? (s as number) + renumber : s)) : item.path;
    spliced.push({ ...item, line: item.line + region.delta, end: item.end + region.delta, path: moved });
  }
  return spliced;
}
