// locate: a path into a spec's data → the line and column of the YAML node a person must fix.
import { isMap, isNode, isScalar, type Node } from "yaml";
import type { LoadedSpec } from "./load.ts";

export type Path = ReadonlyArray<string | number>;

/**
 * The node at `path` (or, when `key` is given, that key of the mapping at `path`). When the path runs out
 * (a missing property) the deepest node that exists is the place to fix.
 */
export function locate(spec: LoadedSpec, path: Path, key?: string): { line: number; column: number } {
  let node: unknown = spec.doc.contents;
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
  const { line, col } = spec.lineCounter.linePos(offset);
  return { line, column: col };
}
