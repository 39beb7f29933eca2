// @vitest-environment happy-dom
/**
 * Follow stream: the HTTP fixture's request and response from the real engine, in the client's
 * and the server's colors with HTTP messages separated; hex and raw modes; search; a gap shown
 * as "[N bytes missing in capture]"; hostile bytes stay text.
 */
import { mount } from '@vue/test-utils';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FollowResult } from '../../src/api/index.js';
import FollowStreamView from '../../renderer/src/components/follow/FollowStreamView.vue';
import { useSessionStore } from '../../renderer/src/stores/session';
import { useViewsStore } from '../../renderer/src/stores/views';
import { asciiText } from '../../renderer/src/util/follow-text';
import { hexDumpLines } from '../../renderer/src/util/hex';
import { fakeEngine, fixture, freshPinia, plugins, realEngine, until } from './helpers';

beforeEach(() => localStorage.clear());

describe('follow stream on a real HTTP exchange', () => {
  let engine: ReturnType<typeof realEngine>;
  beforeAll(() => {
    engine = realEngine();
  });
  afterAll(() => engine.dispose());

  it('shows request and response in two colors, separated, with hex/raw modes and search', async () => {
    const pinia = freshPinia();
    await useSessionStore().openPath(fixture('http-handshake.pcap'));
    const views = useViewsStore();
    const wrapper = mount(FollowStreamView, { global: { plugins: plugins(pinia) }, attachTo: document.body });
    await views.openFollow({ protocol: 'tcp', stream: 0 });
    await until(() => wrapper.findAll('[data-testid="follow-chunk"]').length > 0, 'chunks');
    const result = views.follow.data!;
    const chunks = wrapper.findAll('[data-testid="follow-chunk"]');
    expect(chunks.length).toBe(result.chunks.length);
    const client = chunks.filter((c) => c.classes().includes('client'));
    const server = chunks.filter((c) => c.classes().includes('server'));
    expect(client[0].text()).toMatch(/^GET \/index\.html HTTP\/1\.1/);
    expect(server[0].text()).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(client[0].text()).toBe(asciiText(result.chunks.find((c) => c.from === 'client')!.data).trim());
    const seps = wrapper.findAll('[data-testid="follow-http-separator"]');
    expect(seps.map((s) => s.classes().find((c) => c === 'request' || c === 'response'))).toEqual(['request', 'response']);

    // Hex dump: Wireshark's layout, offsets per direction.
    await wrapper.find('[data-mode="hex"]').trigger('click');
    const first = result.chunks[0];
    expect(wrapper.findAll('[data-testid="follow-chunk"]')[0].text()).toBe(hexDumpLines(first.data, 0).join('\n'));
    await wrapper.find('[data-mode="raw"]').trigger('click');
    expect(wrapper.findAll('[data-testid="follow-chunk"]')[0].text()).toBe(
      Array.from(first.data, (b) => b.toString(16).padStart(2, '0')).join(''),
    );

    // Search (ASCII): every occurrence marked, the counter says how many.
    await wrapper.find('[data-mode="ascii"]').trigger('click');
    const all = result.chunks.map((c) => asciiText(c.data).toLowerCase()).join('\u0000');
    const expected = all.split('html').length - 1;
    expect(expected).toBeGreaterThan(1);
    await wrapper.find('[data-testid="follow-search"]').setValue('HTML');
    expect(wrapper.findAll('[data-testid="follow-content"] mark').length).toBe(expected);
    expect(wrapper.find('[data-testid="follow-match-count"]').text()).toBe(`1 of ${expected}`);
    await wrapper.find('.search').trigger('submit');
    expect(wrapper.find('[data-testid="follow-match-count"]').text()).toBe(`2 of ${expected}`);
    expect(wrapper.find('mark.current').attributes('data-match')).toBe('1');

    // One direction only.
    await wrapper.find('[data-testid="follow-direction"]').setValue('server');
    expect(wrapper.findAll('[data-testid="follow-chunk"]').every((c) => c.classes().includes('server'))).toBe(true);
    wrapper.unmount();
  });
});

describe('follow stream rendering', () => {
  it('shows a gap as [N bytes missing in capture] and hostile bytes as text', async () => {
    const enc = new TextEncoder();
    const result: FollowResult = {
      captureId: 1, protocol: 'tcp', stream: 3,
      client: { address: '192.0.2.1', port: 40000 }, server: { address: '192.0.2.2', port: 80 },
      chunks: [
        { from: 'client', frame: 4, data: enc.encode('GET /<script>alert(1)</script> HTTP/1.1\r\nHost: x\r\n\r\n'), missing: 0 },
        { from: 'server', frame: 6, data: new Uint8Array(0), missing: 1448 },
        { from: 'server', frame: 7, data: enc.encode('<img src=x onerror=alert(1)>'), missing: 0 },
      ],
      clientBytes: 52, serverBytes: 28, filter: 'tcp.stream eq 3',
    };
    fakeEngine({ followStream: () => result });
    const pinia = freshPinia();
    const views = useViewsStore();
    const wrapper = mount(FollowStreamView, { global: { plugins: plugins(pinia) }, attachTo: document.body });
    await views.openFollow({ protocol: 'tcp', stream: 3 });
    await until(() => wrapper.findAll('[data-testid="follow-chunk"]').length === 3, 'chunks');
    const chunks = wrapper.findAll('[data-testid="follow-chunk"]');
    expect(chunks[1].text()).toBe('[1448 bytes missing in capture]');
    expect(chunks[1].attributes('data-from')).toBe('gap');
    expect(chunks[0].text()).toContain('<script>alert(1)</script>');
    expect(chunks[2].text()).toBe('<img src=x onerror=alert(1)>');
    expect(wrapper.find('[data-testid="follow-content"] script').exists()).toBe(false);
    expect(wrapper.find('[data-testid="follow-content"] img').exists()).toBe(false);
    wrapper.unmount();
  });
});
