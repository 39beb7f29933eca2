/**
 * Pure helpers over a packet's detail tree: stable keys for nodes (so expanded subtrees stay
 * expanded from packet to packet, as in Wireshark), the path to a node, and the field that
 * owns a byte (the hex pane's click → field link).
 */
import type { DetailNode } from '../api';

export interface IndexedTree {
  /** Key of every node: parent key / field # index among same-named siblings. */
  keys: Map<DetailNode, string>;
  parents: Map<DetailNode, DetailNode | null>;
  byKey: Map<string, DetailNode>;
}

export function indexTree(tree: DetailNode[]): IndexedTree {
  const keys = new Map<DetailNode, string>();
  const parents = new Map<DetailNode, DetailNode | null>();
  const byKey = new Map<string, DetailNode>();
  const walk = (nodes: DetailNode[], parent: DetailNode | null, prefix: string): void => {
    const seen = new Map<string, number>();
    for (const node of nodes) {
      const n = seen.get(node.field) ?? 0;
      seen.set(node.field, n + 1);
      const key = `${prefix}/${node.field}#${n}`;
      keys.set(node, key);
      parents.set(node, parent);
      byKey.set(key, node);
      if (node.children?.length) walk(node.children, node, key);
    }
  };
  walk(tree, null, '');
  return { keys, parents, byKey };
}

/** The node and its ancestors' keys (to expand down to it). */
export function ancestorKeys(index: IndexedTree, node: DetailNode): string[] {
  const out: string[] = [];
  let p = index.parents.get(node) ?? null;
  while (p) {
    out.push(index.keys.get(p)!);
    p = index.parents.get(p) ?? null;
  }
  return out;
}

/** Which byte source a node's range is in: 0 = the frame, 1 + i = PacketDetail.sources[i]. */
export function sourceOf(node: DetailNode): number {
  return node.source === undefined ? 0 : node.source + 1;
}

/**
 * The most specific visible field covering `offset` in `source`: the deepest, then the
 * shortest node whose range contains the byte (Wireshark's hex-pane click).
 */
export function fieldAtByte(tree: DetailNode[], offset: number, source: number): DetailNode | null {
  let best: DetailNode | null = null;
  let bestDepth = -1;
  const walk = (nodes: DetailNode[], depth: number): void => {
    for (const node of nodes) {
      if (node.hidden) continue;
      if (node.length > 0 && sourceOf(node) === source && offset >= node.offset && offset < node.offset + node.length) {
        if (!best || depth > bestDepth || (depth === bestDepth && node.length < best.length)) {
          best = node;
          bestDepth = depth;
        }
      }
      if (node.children?.length) walk(node.children, depth + 1);
    }
  };
  walk(tree, 0);
  return best;
}

/** Number of expert notes in a tree (for badges). */
export function countExperts(tree: DetailNode[]): number {
  let n = 0;
  const walk = (nodes: DetailNode[]): void => {
    for (const node of nodes) {
      if (node.expert) n++;
      if (node.children) walk(node.children);
    }
  };
  walk(tree);
  return n;
}
