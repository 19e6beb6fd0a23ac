// locate: a path into a spec's data → the line and column of the YAML node a person must fix.
import { isMap, isNode, isScalar, type Node } from "yaml";
import { parseYaml, type LoadedSpec, type ParsedYaml } from "./load.ts";

export type Path = ReadonlyArray<string | number>;

/**
 * The node at `path` (or, when `key` is given, that key of the mapping at `path`). When the path runs out
 * (a missing property) the deepest node that exists is the place to fix.
 */
export function locate(spec: LoadedSpec, path: Path, key?: string): { line: number; column: number } {
  const { docs, lineCounter } = parsedYaml(spec);
  let node: unknown = docs[0]!.contents;
  for (const segment of path) {
    const next = isNode(node) && "get" in node ? (node as { get(k: unknown, keepScalar: true): unknown }).get(segment, true) : undefined;
    if (!isNode(next)) break;
    node = next;
  }
  if (key !== undefined && isMap(node)) {
    const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === key);
    if (pair && isNode(pair.key)) node = pair.key;
  }
  const offset = (node as Node | null)?.range?.[0] ?? 0;
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

const parsed = new WeakMap<LoadedSpec, ParsedYaml>();

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
