/** Walking a decoded field tree in tests. */
import type { FieldNode, TreeSink } from '../../src/decode/index.js';

/** Every node of the tree, depth first (tree order, as tshark lists occurrences). */
export function nodes(tree: TreeSink): FieldNode[] {
  const out: FieldNode[] = [];
  const walk = (list: FieldNode[] | undefined) => {
    for (const n of list ?? []) {
      out.push(n);
      walk(n.children);
    }
  };
  walk(tree.roots);
  return out;
}

/** Values of every occurrence of a field, in tree order. */
export function fieldValues(tree: TreeSink, name: string): unknown[] {
  return nodes(tree).filter((n) => n.def.name === name).map((n) => n.value);
}
