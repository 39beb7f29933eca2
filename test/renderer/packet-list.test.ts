// @vitest-environment happy-dom
/**
 * The packet list: rows from the real engine with Wireshark's coloring classes, virtualization
 * (a million-row capture renders a window, not a million elements), keyboard navigation and
 * selection loading the packet's detail.
 */
import { mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COLOR_RULES, type PacketRow } from '../../src/api/index.js';
import PacketList from '../../renderer/src/components/packets/PacketList.vue';
import { useRowsStore } from '../../renderer/src/stores/rows';
import { useSelectionStore } from '../../renderer/src/stores/selection';
import { useSessionStore } from '../../renderer/src/stores/session';
import { useSettingsStore } from '../../renderer/src/stores/settings';
import { fakeEngine, fakeLayout, fixture, freshPinia, plugins, realEngine, until } from './helpers';

let restoreLayout: () => void;
beforeEach(() => {
  localStorage.clear();
  restoreLayout = fakeLayout();
});
afterEach(() => restoreLayout());

describe('packet list on a real capture', () => {
  it('shows the handshake capture row by row, colored by Wireshark rule, and selects with the keyboard', async () => {
    const engine = realEngine();
    const pinia = freshPinia();
    const session = useSessionStore();
    await session.openPath(fixture('http-handshake.pcap'));
    const wrapper = mount(PacketList, { global: { plugins: plugins(pinia) }, attachTo: document.body });
    const rows = useRowsStore();
    await until(() => wrapper.findAll('[data-testid="packet-row"][data-number]').length === rows.displayed && rows.displayed > 0, 'rows');

    const { rows: expected } = await engine.client.getRows({ start: 0, count: 100 });
    const shown = wrapper.findAll('[data-testid="packet-row"]');
    expect(shown.map((r) => Number(r.attributes('data-number')))).toEqual(expected.map((r) => r.number));
    for (const [i, row] of expected.entries()) {
      const el = shown[i];
      expect(el.classes()).toContain(`pkt-color-${row.color}`);
      expect(el.find('.col-info').text()).toBe(row.info.trim());
      expect(el.find('.col-source').text()).toBe(row.source);
      expect(el.find('.col-protocol').text()).toBe(row.protocol);
    }
    expect(shown[0].find('.col-info').text()).toContain('[SYN]');

    // Keyboard: the first ArrowDown selects row 0, End the last, Home the first again.
    const list = wrapper.find('[data-testid="packet-list"]');
    const selection = useSelectionStore();
    await list.trigger('keydown', { key: 'ArrowDown' });
    await until(() => selection.detail?.number === expected[0].number, 'first packet detail');
    await list.trigger('keydown', { key: 'ArrowDown' });
    await until(() => selection.detail?.number === expected[1].number, 'second packet detail');
    expect(wrapper.find('[data-testid="packet-row"][aria-selected="true"]').attributes('data-number')).toBe(String(expected[1].number));
    await list.trigger('keydown', { key: 'End' });
    await until(() => selection.index === expected.length - 1 && selection.detail?.number === expected.at(-1)!.number, 'last');
    await list.trigger('keydown', { key: 'Home' });
    await until(() => selection.index === 0, 'first');
    await list.trigger('keydown', { key: 'PageDown' });
    await until(() => selection.index > 1, 'page down');

    // The time column follows the chosen format.
    useSettingsStore().timeFormat = 'delta';
    await until(() => wrapper.findAll('.col-time')[1]?.text() === (expected[1].deltaNs / 1e9).toFixed(6), 'delta time');
    wrapper.unmount();
    await engine.dispose();
  });
});

/** happy-dom scrolls without telling anyone: make scrollTo move and fire 'scroll' as a browser does. */
function scrollable(el: HTMLElement, onScroll?: (top: number) => void): void {
  el.scrollTo = ((opts: ScrollToOptions) => {
    const top = Number(opts.top ?? 0);
    el.scrollTop = top;
    onScroll?.(top);
    el.dispatchEvent(new Event('scroll'));
  }) as typeof el.scrollTo;
}

function syntheticRow(i: number): PacketRow {
  return {
    number: i + 1, index: i, epochSec: 1_700_000_000 + Math.floor(i / 1000), epochNsec: (i % 1000) * 1_000_000,
    relativeNs: i * 1_000_000, deltaNs: 1_000_000, deltaDisplayedNs: 1_000_000, source: `10.0.${(i >> 8) & 255}.${i & 255}`,
    destination: '10.1.0.1', protocol: i % 2 ? 'UDP' : 'TCP', length: 60 + (i % 1400), capturedLength: 60 + (i % 1400),
    info: `row ${i + 1}`, color: COLOR_RULES[i % COLOR_RULES.length], flags: 0, expert: null, stream: -1, streamKind: null,
  };
}

describe('packet list and display filters', () => {
  it('refetches rows when a filter’s packets event arrives before its answer (as over the WebSocket)', async () => {
    const engine = realEngine();
    const pinia = freshPinia();
    const session = useSessionStore();
    await session.start(); // engine events reach the stores
    await session.openPath(fixture('http-bulk-lossy.pcap'));
    const rows = useRowsStore();
    await until(() => !session.loading && rows.total > 1000, 'loaded');
    const wrapper = mount(PacketList, { global: { plugins: plugins(pinia) }, attachTo: document.body });
    await until(() => wrapper.findAll('[data-testid="packet-row"][data-number]').length > 20, 'first page shown');
    const { displayed } = await engine.client.applyFilter({ expression: 'tcp.analysis.retransmission' });
    const { rows: flagged } = await engine.client.getRows({ start: 0, count: 100 });
    rows.onPackets({ captureId: rows.captureId, total: rows.total, displayed }); // the event…
    const shownNumbers = () => wrapper.findAll('[data-testid="packet-row"]').map((r) => Number(r.attributes('data-number')));
    await until(() => shownNumbers().join() === flagged.slice(0, shownNumbers().length).map((r) => r.number).join(), 'flagged rows');
    rows.reset(rows.captureId, displayed, rows.total); // …then the answer, with the same count
    await until(() => shownNumbers().join() === flagged.slice(0, shownNumbers().length).map((r) => r.number).join() && !wrapper.find('.placeholder').exists(), 'still flagged rows');
    for (const info of wrapper.findAll('.col-info')) expect(info.text()).toMatch(/Retransmission/);
    wrapper.unmount();
    await engine.dispose();
  });
});

describe('packet list virtualization', () => {
  it('renders only a window of a million rows and fetches just the pages in view', async () => {
    const TOTAL = 1_000_000;
    const fake = fakeEngine({
      getRows: ({ start, count }) => ({
        captureId: 1, start, displayed: TOTAL, total: TOTAL,
        rows: Array.from({ length: Math.max(0, Math.min(count, TOTAL - start)) }, (_, k) => syntheticRow(start + k)),
      }),
      getPacket: ({ number }) => ({
        captureId: 1, number, bytes: new Uint8Array(60), sources: [], layers: ['eth'], tree: [], problems: [], row: syntheticRow(number - 1),
      }),
      locatePacket: ({ number }) => ({ index: number - 1 }),
    });
    const pinia = freshPinia();
    const rows = useRowsStore();
    rows.reset(1, TOTAL, TOTAL);
    const wrapper = mount(PacketList, { global: { plugins: plugins(pinia) }, attachTo: document.body });
    await until(() => wrapper.findAll('[data-testid="packet-row"][data-number]').length > 0, 'first rows');
    scrollable(wrapper.find('[data-testid="packet-list"]').element as HTMLElement);
    const rendered = wrapper.findAll('[data-testid="packet-row"]').length;
    expect(rendered).toBeGreaterThan(10);
    expect(rendered).toBeLessThan(200);
    expect(fake.calls.filter((c) => c.method === 'getRows').length).toBeLessThanOrEqual(2);

    // Jump to the middle (Ctrl+G path): the row is fetched and shown selected.
    const selection = useSelectionStore();
    await selection.selectNumber(500_001);
    await until(() => wrapper.find('[data-testid="packet-row"][data-number="500001"]').exists(), 'middle row rendered');
    expect(wrapper.find('[data-testid="packet-row"][data-number="500001"]').attributes('aria-selected')).toBe('true');
    expect(wrapper.findAll('[data-testid="packet-row"]').length).toBeLessThan(200);
    expect(rows.cachedPages()).toBeLessThan(10);
    wrapper.unmount();
  });

  it('follows new packets during a live capture while the user stays at the bottom', async () => {
    let total = 50;
    fakeEngine({
      getRows: ({ start, count }) => ({
        captureId: 1, start, displayed: total, total,
        rows: Array.from({ length: Math.max(0, Math.min(count, total - start)) }, (_, k) => syntheticRow(start + k)),
      }),
    });
    const pinia = freshPinia();
    const session = useSessionStore();
    session.captureStatus = {
      captureId: 1, state: 'capturing', interface: 'lo', captureFilter: '', packets: total, bytes: 0, kernelDrops: 0,
      ourDrops: 0, tempFile: null, unsaved: true, startedMs: 0,
    };
    const rows = useRowsStore();
    rows.reset(1, total, total);
    const wrapper = mount(PacketList, { global: { plugins: plugins(pinia) }, attachTo: document.body });
    await until(() => wrapper.findAll('[data-testid="packet-row"][data-number]').length > 0, 'rows');
    const el = wrapper.find('[data-testid="packet-list"]').element as HTMLElement;
    let scrolledTo = -1;
    scrollable(el, (top) => (scrolledTo = top));
    total = 5000;
    // What the session store does with the engine's 'packets' event.
    rows.onPackets({ captureId: 1, total, displayed: total });
    await until(() => scrolledTo > 4000 * 22, 'scrolled to the newest packet');

    // The user scrolls up to read: new packets no longer pull the list down.
    el.scrollTop = 0;
    el.dispatchEvent(new Event('scroll'));
    scrolledTo = -1;
    total = 9000;
    rows.onPackets({ captureId: 1, total, displayed: total });
    await until(() => wrapper.vm !== null && rows.displayed === 9000, 'count grew');
    await new Promise((r) => setTimeout(r, 100));
    expect(scrolledTo).toBe(-1);
    wrapper.unmount();
  });
});
