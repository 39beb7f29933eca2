// @vitest-environment happy-dom
/**
 * Detail tree ↔ hex pane, on real packets: selecting a field highlights exactly its bytes;
 * clicking a byte selects the most specific field owning it and expands the tree down to it;
 * expert notes are highlighted; "Apply as filter" applies the field's filter.
 */
import { mount } from '@vue/test-utils';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DetailNode } from '../../src/api/index.js';
import PacketsView from '../../renderer/src/components/packets/PacketsView.vue';
import { useFilterStore } from '../../renderer/src/stores/filter';
import { useRowsStore } from '../../renderer/src/stores/rows';
import { useSelectionStore } from '../../renderer/src/stores/selection';
import { useSessionStore } from '../../renderer/src/stores/session';
import { fieldAtByte } from '../../renderer/src/util/detail-tree';
import { fakeLayout, fixture, freshPinia, plugins, realEngine, until } from './helpers';

let engine: ReturnType<typeof realEngine>;
let restoreLayout: () => void;
beforeAll(() => {
  engine = realEngine();
});
afterAll(() => engine.dispose());
beforeEach(() => {
  localStorage.clear();
  restoreLayout = fakeLayout();
});
afterEach(() => restoreLayout());

function find(nodes: DetailNode[], field: string): DetailNode | null {
  for (const n of nodes) {
    if (n.field === field) return n;
    const c = n.children ? find(n.children, field) : null;
    if (c) return c;
  }
  return null;
}

async function openAndSelect(file: string, frame: number) {
  const pinia = freshPinia();
  await useSessionStore().openPath(fixture(file));
  await until(() => useRowsStore().displayed > 0, 'rows');
  const wrapper = mount(PacketsView, { global: { plugins: plugins(pinia) }, attachTo: document.body });
  const selection = useSelectionStore();
  await selection.selectNumber(frame);
  await until(() => wrapper.findAll('[data-testid="detail-line"]').length > 0, 'detail tree');
  return { wrapper, selection };
}

const highlighted = (wrapper: ReturnType<typeof mount>): number[] =>
  wrapper.findAll('[data-testid="hex-byte"].hl').map((b) => Number(b.attributes('data-offset')));

describe('detail tree and hex pane', () => {
  it('a selected field highlights its bytes; a clicked byte selects its field', async () => {
    const { wrapper, selection } = await openAndSelect('http-handshake.pcap', 1);
    const detail = await engine.client.getPacket({ number: 1 });
    const ipSrc = find(detail.tree, 'ip.src')!;
    expect(ipSrc.length).toBe(4);

    // Expand the IPv4 layer in the tree and click its source address.
    const ipLine = wrapper.find('[data-testid="detail-line"][data-field="ip"]');
    await ipLine.find('.twisty').trigger('click');
    await until(() => wrapper.find('[data-testid="detail-line"][data-field="ip.src"]').exists(), 'ip expanded');
    await wrapper.find('[data-testid="detail-line"][data-field="ip.src"]').trigger('click');
    await until(() => highlighted(wrapper).length === 4, 'highlight');
    expect(highlighted(wrapper)).toEqual([0, 1, 2, 3].map((i) => ipSrc.offset + i));
    expect(wrapper.find('[data-testid="detail-line"][aria-selected="true"]').attributes('data-field')).toBe('ip.src');

    // Click a byte of the TCP destination port: the tree selects tcp.dstport, expanded to it.
    const dst = find(detail.tree, 'tcp.dstport')!;
    expect(fieldAtByte(detail.tree, dst.offset + 1, 0)?.field).toBe('tcp.dstport');
    await wrapper.find(`[data-testid="hex-byte"][data-offset="${dst.offset + 1}"]`).trigger('click');
    await until(() => selection.node?.field === 'tcp.dstport', 'byte click selects the field');
    expect(wrapper.find('[data-testid="detail-line"][aria-selected="true"]').attributes('data-field')).toBe('tcp.dstport');
    expect(highlighted(wrapper)).toEqual([dst.offset, dst.offset + 1]);

    // Keyboard in the tree: ↑ moves the selection to the line above, and the highlight with it.
    const tree = wrapper.find('[data-testid="packet-details"]');
    const lines = wrapper.findAll('[data-testid="detail-line"]');
    const at = lines.findIndex((l) => l.attributes('aria-selected') === 'true');
    await tree.trigger('keydown', { key: 'ArrowUp' });
    await until(() => selection.nodeKey === lines[at - 1].attributes('data-key'), 'moved up');

    // "Apply as filter" on the selected field.
    await wrapper.find(`[data-testid="detail-line"][data-field="tcp.dstport"]`).trigger('click');
    await until(() => wrapper.find('[data-testid="apply-as-filter"]').exists(), 'actions');
    await wrapper.find('[data-testid="apply-as-filter"]').trigger('click');
    await until(() => useFilterStore().applied === dst.filter, 'filter applied');
    wrapper.unmount();
  });

  it('highlights expert notes (analysis flags) in the tree', async () => {
    const flagged = await (async () => {
      await engine.client.openFile({ path: fixture('http-bulk-lossy.pcap') });
      await engine.client.applyFilter({ expression: 'tcp.analysis.retransmission' });
      const { rows } = await engine.client.getRows({ start: 0, count: 1 });
      return rows[0].number;
    })();
    const { wrapper } = await openAndSelect('http-bulk-lossy.pcap', flagged);
    const detail = await engine.client.getPacket({ number: flagged });
    const expertFields: string[] = [];
    const walk = (nodes: DetailNode[]): void => nodes.forEach((n) => (n.expert && !n.hidden && expertFields.push(n.field), n.children && walk(n.children)));
    walk(detail.tree);
    expect(expertFields.length).toBeGreaterThan(0);
    // Expand everything so the notes are visible.
    const selection = useSelectionStore();
    for (const n of selection.detail!.tree) selection.setSubtreeExpanded(n, true);
    await until(() => wrapper.findAll('[data-testid="detail-line"].expert-note, [data-testid="detail-line"].expert-warn').length > 0, 'expert lines');
    const marked = wrapper.findAll('[data-testid="detail-line"]').filter((l) => /expert-(note|warn|error|chat)/.test(l.classes().join(' ')));
    expect(marked.map((l) => l.attributes('data-field')).sort()).toEqual([...expertFields].sort());
    wrapper.unmount();
  });
});
