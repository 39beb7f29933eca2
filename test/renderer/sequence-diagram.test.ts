// @vitest-environment happy-dom
/**
 * The sequence diagram, drawn by Vue from the engine's real diagrams: the handshake's SYN /
 * SYN, ACK / ACK with each side's state after each arrow, retransmissions colored and named,
 * real-time spacing that never lets rows collide, clicking an arrow selecting its packet, a
 * standalone SVG export, and hostile DNS names drawn as text.
 */
import { mount } from '@vue/test-utils';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import SequenceDiagram from '../../renderer/src/components/sequence/SequenceDiagram.vue';
import SequenceView from '../../renderer/src/components/sequence/SequenceView.vue';
import { standaloneSvg } from '../../renderer/src/components/sequence/export';
import { GEOMETRY, layoutDiagram, PALETTES } from '../../renderer/src/components/sequence/layout';
import { useSelectionStore } from '../../renderer/src/stores/selection';
import { useSessionStore } from '../../renderer/src/stores/session';
import { useViewsStore } from '../../renderer/src/stores/views';
import { fakeLayout, fixture, freshPinia, plugins, realEngine, until } from './helpers';

let engine: ReturnType<typeof realEngine>;
beforeAll(() => {
  engine = realEngine();
});
afterAll(() => engine.dispose());
beforeEach(() => localStorage.clear());

async function diagramOf(file: string, params: Parameters<typeof engine.client.getSequence>[0]) {
  await engine.client.openFile({ path: fixture(file) });
  return engine.client.getSequence(params);
}

describe('sequence diagram', () => {
  it('draws the handshake with flags, seq/ack and each side’s TCP state after each arrow', async () => {
    const diagram = await diagramOf('http-handshake.pcap', { streams: [0], protocol: 'tcp' });
    const pinia = freshPinia();
    const wrapper = mount(SequenceDiagram, {
      props: { diagram, spacing: 'even', theme: 'light', zoom: 1, selectedFrame: 0 },
      global: { plugins: plugins(pinia) },
    });
    const arrows = wrapper.findAll('[data-testid="sequence-arrow"]');
    expect(arrows.length).toBe(diagram.arrows.length);
    expect(diagram.arrows.slice(0, 3).map((a) => a.label)).toEqual(['SYN', 'SYN, ACK', 'ACK']);
    for (const [i, a] of diagram.arrows.entries()) {
      expect(arrows[i].attributes('data-frame')).toBe(String(a.frame));
      expect(arrows[i].text()).toContain(a.label);
      expect(arrows[i].text()).toContain(a.detail);
    }
    expect(arrows[0].attributes('data-kind')).toBe('handshake');
    // States: the first arrow changes both sides; the rendered marks are the model's.
    const states = (i: number) => arrows[i].findAll('[data-testid="sequence-state"]').map((s) => s.attributes('data-state'));
    expect(states(0)).toEqual(diagram.arrows[0].states.filter(Boolean));
    expect(states(2)).toEqual(['ESTABLISHED', 'ESTABLISHED']);
    expect(arrows[0].findAll('[data-changed="true"]').length).toBe(2);
    expect(wrapper.findAll('[data-testid="sequence-initial-state"]').map((s) => s.attributes('data-state'))).toEqual(
      diagram.lifelines.map((l) => l.initialState).filter(Boolean),
    );
    // Lifelines name the endpoints.
    expect(wrapper.findAll('[data-testid="sequence-lifeline"]').map((l) => l.text())).toEqual(
      diagram.lifelines.map((l) => expect.stringContaining(l.label)),
    );

    await arrows[1].trigger('click');
    expect(wrapper.emitted('select')).toEqual([[diagram.arrows[1].frame]]);
  });

  it('colors and names retransmissions; real spacing keeps rows apart and marks time', async () => {
    const diagram = await diagramOf('http-bulk-lossy.pcap', { filter: 'tcp.analysis.retransmission || tcp.analysis.duplicate_ack', limit: 200 });
    expect(diagram.arrows.length).toBeGreaterThan(2);
    const pinia = freshPinia();
    const wrapper = mount(SequenceDiagram, {
      props: { diagram, spacing: 'real', theme: 'dark', zoom: 1.5, selectedFrame: diagram.arrows[0].frame },
      global: { plugins: plugins(pinia) },
    });
    const arrows = wrapper.findAll('[data-testid="sequence-arrow"]');
    for (const [i, a] of diagram.arrows.entries()) {
      const kind = arrows[i].attributes('data-kind');
      expect(['retransmission', 'dup-ack']).toContain(kind);
      for (const text of a.analysis) expect(arrows[i].text()).toContain(`[${text}]`);
      const line = arrows[i].find('line');
      expect(line.attributes('stroke')).toBe(PALETTES.dark.arrows[kind as 'retransmission' | 'dup-ack']);
    }
    const layout = layoutDiagram(diagram, 'real', PALETTES.dark);
    for (let i = 1; i < layout.arrows.length; i++) expect(layout.arrows[i].y - layout.arrows[i - 1].y).toBeGreaterThanOrEqual(GEOMETRY.row - 1e-6);
    expect(layout.ticks.length).toBeGreaterThan(1);
    const svg = wrapper.find('svg');
    expect(Number(svg.attributes('width'))).toBeCloseTo(layout.width * 1.5);
  });

  it('draws hostile DNS names as text', async () => {
    const diagram = await diagramOf('hostile.pcap', { filter: 'dns' });
    const pinia = freshPinia();
    const wrapper = mount(SequenceDiagram, {
      props: { diagram, spacing: 'even', theme: 'light', zoom: 1, selectedFrame: 0 },
      global: { plugins: plugins(pinia) },
    });
    expect(wrapper.text()).toContain('<script>alert(1)</script>');
    expect(wrapper.text()).toContain('<img src=x onerror=alert(1)>');
    expect(wrapper.find('script').exists()).toBe(false);
    expect(wrapper.find('img').exists()).toBe(false);
    const exported = standaloneSvg(wrapper.find('svg').element as unknown as SVGSVGElement);
    expect(exported).toContain('&lt;script&gt;');
    expect(exported).not.toContain('<script>');
  });

  it('in the view, clicking an arrow selects its packet; the SVG export is standalone', async () => {
    const restore = fakeLayout();
    const pinia = freshPinia();
    await useSessionStore().openPath(fixture('http-handshake.pcap'));
    const views = useViewsStore();
    const wrapper = mount(SequenceView, { global: { plugins: plugins(pinia) }, attachTo: document.body });
    await views.openSequence({ streams: [0], protocol: 'tcp' });
    await until(() => wrapper.findAll('[data-testid="sequence-arrow"]').length > 0, 'arrows');
    await wrapper.findAll('[data-testid="sequence-arrow"]')[2].trigger('click');
    const selection = useSelectionStore();
    await until(() => selection.detail?.number === views.sequence.data!.arrows[2].frame, 'packet selected');
    expect(wrapper.find('[data-testid="sequence-arrow"][data-frame="3"] rect').attributes('fill')).toBe(PALETTES.light.selection);
    const text = standaloneSvg(wrapper.find('svg').element as unknown as SVGSVGElement);
    expect(text.startsWith('<?xml')).toBe(true);
    expect(text).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(text).not.toMatch(/data-v-|cursor=/);
    expect(text).toContain('SYN, ACK');
    wrapper.unmount();
    restore();
  });
});
