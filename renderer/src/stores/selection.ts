/**
 * The selected packet (by display index and frame number), its decoded detail, the selected
 * field and which subtrees are expanded. The detail is bulk data: a shallowRef, never made
 * deeply reactive. Field selection links the tree and the hex pane both ways.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { DetailNode, PacketDetail } from '../api';
import { engine } from '../engine';
import { ancestorKeys, fieldAtByte, indexTree, sourceOf, type IndexedTree } from '../util/detail-tree';
import { useRowsStore } from './rows';
import { useSessionStore } from './session';

export const useSelectionStore = defineStore('selection', () => {
  const rows = useRowsStore();
  /** Display index of the selected row (-1: none, or hidden by the filter). */
  const index = ref(-1);
  /** Frame number of the selected packet (0: none). */
  const number = ref(0);
  const detail = shallowRef<PacketDetail | null>(null);
  const tree = shallowRef<IndexedTree | null>(null);
  const node = shallowRef<DetailNode | null>(null);
  const expanded = ref<Set<string>>(new Set());
  /** Hex-pane tab: 0 = the frame, 1 + i = reassembled source i. */
  const hexSource = ref(0);
  const loadingDetail = ref(false);
  /** Bumped by every selection, so the packet list can scroll to it. */
  const revealTick = ref(0);
  /** How to bring it into view: 'auto' (keyboard steps) or 'center' (jumps from elsewhere). */
  const revealAlign = ref<'auto' | 'center'>('auto');
  let detailToken = 0;

  const nodeKey = computed(() => (node.value && tree.value ? tree.value.keys.get(node.value) ?? null : null));

  /** Bytes currently highlighted in the hex pane: [start, end) in `hexSource`. */
  const highlight = computed(() => {
    const n = node.value;
    if (!n || n.length <= 0 || sourceOf(n) !== hexSource.value) return null;
    return { start: n.offset, end: n.offset + n.length };
  });

  async function loadDetail(frame: number): Promise<void> {
    const token = ++detailToken;
    loadingDetail.value = true;
    const previousKey = nodeKey.value;
    try {
      const d = await engine().getPacket({ number: frame });
      if (token !== detailToken) return;
      const idx = indexTree(d.tree);
      detail.value = d;
      tree.value = idx;
      // Keep the same field selected from packet to packet when it exists (Wireshark does).
      const same = previousKey ? idx.byKey.get(previousKey) ?? null : null;
      node.value = same;
      hexSource.value = same ? sourceOf(same) : 0;
    } catch (err) {
      if (token !== detailToken) return;
      detail.value = null;
      tree.value = null;
      node.value = null;
      useSessionStore().reportError(err);
    } finally {
      if (token === detailToken) loadingDetail.value = false;
    }
  }

  /** Selects the row at a display index (list click, arrows). */
  async function selectIndex(i: number): Promise<void> {
    if (i < 0 || i >= rows.displayed) return;
    const row = await rows.fetchRow(i);
    if (!row) return;
    index.value = i;
    revealAlign.value = 'auto';
    revealTick.value++;
    if (row.number !== number.value || !detail.value) {
      number.value = row.number;
      await loadDetail(row.number);
    }
  }

  /**
   * Selects a frame by number (Ctrl+G, diagram arrows, transaction tables). Returns false when
   * the frame does not exist; a frame hidden by the filter is still shown in the detail pane.
   */
  async function selectNumber(frame: number): Promise<boolean> {
    if (!Number.isInteger(frame) || frame < 1 || frame > rows.total) return false;
    const { index: i } = await engine().locatePacket({ number: frame });
    index.value = i;
    number.value = frame;
    revealAlign.value = 'center';
    revealTick.value++;
    await loadDetail(frame);
    return true;
  }

  /** The display index of the selected frame changed (new filter): find it again. */
  async function relocate(): Promise<void> {
    if (!number.value) return;
    try {
      const { index: i } = await engine().locatePacket({ number: number.value });
      index.value = i;
      revealAlign.value = 'center';
      revealTick.value++;
    } catch {
      index.value = -1;
    }
  }

  function selectNode(n: DetailNode | null): void {
    node.value = n;
    if (n && tree.value) {
      if (n.length > 0) hexSource.value = sourceOf(n);
      const keys = ancestorKeys(tree.value, n);
      if (keys.some((k) => !expanded.value.has(k))) {
        const next = new Set(expanded.value);
        for (const k of keys) next.add(k);
        expanded.value = next;
      }
    }
  }

  /** Hex pane click: the most specific field owning the byte. */
  function selectByte(offset: number): void {
    const d = detail.value;
    if (!d) return;
    selectNode(fieldAtByte(d.tree, offset, hexSource.value));
  }

  function isExpanded(key: string): boolean {
    return expanded.value.has(key);
  }

  function setExpanded(key: string, open: boolean): void {
    if (expanded.value.has(key) === open) return;
    const next = new Set(expanded.value);
    if (open) next.add(key);
    else next.delete(key);
    expanded.value = next;
  }

  /** Expands (or collapses) a node and everything under it. */
  function setSubtreeExpanded(root: DetailNode, open: boolean): void {
    const t = tree.value;
    if (!t) return;
    const next = new Set(expanded.value);
    const walk = (n: DetailNode): void => {
      const k = t.keys.get(n);
      if (k && n.children?.length) {
        if (open) next.add(k);
        else next.delete(k);
      }
      n.children?.forEach(walk);
    };
    walk(root);
    expanded.value = next;
  }

  function clear(): void {
    detailToken++;
    index.value = -1;
    number.value = 0;
    detail.value = null;
    tree.value = null;
    node.value = null;
    hexSource.value = 0;
    loadingDetail.value = false;
  }

  return {
    index, number, detail, tree, node, nodeKey, expanded, hexSource, highlight, loadingDetail, revealTick, revealAlign,
    selectIndex, selectNumber, relocate, selectNode, selectByte, isExpanded, setExpanded, setSubtreeExpanded, clear,
  };
});
