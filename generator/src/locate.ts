// locate: a path into a spec's data → the line and column of the YAML node a person must fix.
import { isMap, isNode, isPair, isSeq, type Node, type Pair, type YAMLMap } from "yaml";
import { keyText, type LoadedSpec, type ParsedYaml, parseYaml } from "./load.ts";

export type Path = ReadonlyArray<string | number>;

/**
 * The node at `path` (or, when `key` is given, that key of the mapping at `path`). When the path runs out
 * (a missing property) the deepest node that exists is the place to fix. Each step is a look-up, not a search, so
 * locating every one of n diagnostics costs O(n), not O(n²).
 */
export function locate(spec: LoadedSpec, path: Path, key?: string): { line: number; column: number } {
  const { docs, lineCounter } = parsedYaml(spec);
  let node: unknown = docs[0]!.contents;
  for (const segment of path) {
    const next = child(node, segment);
    if (!isNode(next)) break;
    node = next;
  }
  if (key !== undefined && isMap(node)) {
    const pair = pairsOf(node).get(key);
    if (pair && isNode(pair.key)) node = pair.key;
  }
  const offset = (node as Node | null)?.range?.[0] ?? 0;
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

/** A mapping's value under a data key (its keys are strings in the data: 1 and "1" are one key), or an item. */
function child(node: unknown, segment: string | number): unknown {
  if (isMap(node)) return pairsOf(node).get(String(segment))?.value;
  if (isSeq(node))
    return node.items[typeof segment === "number" ? segment : /^\d+$/.test(segment) ? Number(segment) : -1];
  return undefined;
}

const parsed = new WeakMap<LoadedSpec, ParsedYaml>();
const pairs = new WeakMap<YAMLMap, Map<string, Pair>>();

/** A mapping's pairs by key, made once per mapping the first time a path goes through it. */
function pairsOf(map: YAMLMap): Map<string, Pair> {
  let byKey = pairs.get(map);
  if (byKey === undefined) {
    byKey = new Map();
    for (const item of map.items) {
      const text = isPair(item) ? keyText(item.key) : undefined;
      if (text !== undefined && !byKey.has(text)) byKey.set(text, item);
    }
    pairs.set(map, byKey);
  }
  return byKey;
}

/**
 * Positions are wanted only when there is a problem to report, so a spec's YAML tree (many times the size of its
 * text) is not kept from the load: it is parsed again here, once per spec with problems. The load accepted the
 * text, so this parse succeeds.
 */
function parsedYaml(spec: LoadedSpec): ParsedYaml {
  let yaml = parsed.get(spec);
  if (yaml === undefined) {
    yaml = parseYaml(spec.text);
    parsed.set(spec, yaml);
  }
  return yaml;
}
