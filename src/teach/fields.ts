/**
 * Field look-ups over one packet's detail tree: the first value of a field, all its values,
 * and the node itself (for its byte range). Built once per packet; the tree is small (a few
 * hundred nodes), so a flat map by field name is cheap. Isomorphic.
 */
import type { LessonPacket, TreeNode } from './types.js';

export interface FoundNode {
  node: TreeNode;
  /** Index of the top-level layer (tree root) the node is in. */
  layer: number;
}

export class PacketFields {
  private readonly byName = new Map<string, FoundNode[]>();

  constructor(readonly packet: LessonPacket) {
    packet.tree.forEach((root, layer) => {
      const walk = (n: TreeNode): void => {
        let list = this.byName.get(n.field);
        if (!list) this.byName.set(n.field, (list = []));
        list.push({ node: n, layer });
        if (n.children) for (const c of n.children) walk(c);
      };
      walk(root);
    });
  }

  has(field: string): boolean {
    return this.byName.has(field);
  }

  /** First value of a field ('' when absent). */
  get(field: string): string {
    return this.byName.get(field)?.[0]?.node.value ?? '';
  }

  /** First value as a number (NaN when absent or not numeric; hex like 0x0800 is read). */
  num(field: string): number {
    const v = this.get(field);
    return v === '' ? NaN : Number(v);
  }

  /** Boolean fields print "1"/"0" (or "True"/"False"). */
  flag(field: string): boolean | undefined {
    const v = this.get(field);
    if (v === '') return undefined;
    return v === '1' || v.toLowerCase() === 'true';
  }

  all(field: string): string[] {
    return (this.byName.get(field) ?? []).map((f) => f.node.value);
  }

  node(field: string): FoundNode | undefined {
    return this.byName.get(field)?.[0];
  }
}
