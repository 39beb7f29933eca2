// @vitest-environment happy-dom
/**
 * The display filter bar against the real engine: validation as you type (red with the error
 * sentence and the engine's bad range marked, green when valid), field completion with labels,
 * Enter applies (the list shrinks to the engine's count) and goes into the history, Esc clears.
 */
import { mount } from '@vue/test-utils';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import FilterBar from '../../renderer/src/components/filter/FilterBar.vue';
import { useFilterStore } from '../../renderer/src/stores/filter';
import { useRowsStore } from '../../renderer/src/stores/rows';
import { useSessionStore } from '../../renderer/src/stores/session';
import { useSettingsStore } from '../../renderer/src/stores/settings';
import { fixture, freshPinia, plugins, realEngine, until } from './helpers';

let engine: ReturnType<typeof realEngine>;
beforeAll(() => {
  engine = realEngine();
});
afterAll(() => engine.dispose());
beforeEach(() => localStorage.clear());

async function setup() {
  const pinia = freshPinia();
  await useSessionStore().openPath(fixture('http-handshake.pcap'));
  const wrapper = mount(FilterBar, { global: { plugins: plugins(pinia) }, attachTo: document.body });
  const input = wrapper.find('[data-testid="filter-input"]');
  const type = async (text: string): Promise<void> => {
    (input.element as HTMLInputElement).value = text;
    (input.element as HTMLInputElement).setSelectionRange(text.length, text.length);
    await input.trigger('input');
  };
  return { wrapper, input, type };
}

describe('display filter bar', () => {
  it('marks a bad expression red with the engine’s sentence and the bad range', async () => {
    const { wrapper, type } = await setup();
    const expr = 'tcp.port == ';
    await type(expr);
    await until(() => wrapper.find('[data-testid="filter-error"]').exists(), 'error shown');
    const check = await engine.client.validateFilter({ expression: expr });
    expect(check.ok).toBe(false);
    expect(wrapper.find('[data-testid="filter-input"]').attributes('data-state')).toBe('invalid');
    expect(wrapper.find('[data-testid="filter-error"]').text()).toContain(check.error!.message);
    const bad = expr.slice(check.error!.start, check.error!.end) || ' ';
    expect(wrapper.find('[data-testid="filter-error-range"]').text()).toBe(bad.trim());
    // Enter does not apply an invalid filter.
    await wrapper.find('[data-testid="filter-input"]').trigger('keydown', { key: 'Enter' });
    expect(useFilterStore().applied).toBe('');

    await type('tcp.foo_bar');
    await until(() => wrapper.find('[data-testid="filter-error"]').text().includes('tcp.foo_bar'), 'unknown field error');
    expect(wrapper.find('[data-testid="filter-error-range"]').text()).toBe('tcp.foo_bar');

    await type('tcp.port == 80');
    await until(() => wrapper.find('[data-testid="filter-input"]').attributes('data-state') === 'valid', 'valid');
    expect(wrapper.find('[data-testid="filter-error"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it('completes field names with their labels', async () => {
    const { wrapper, type, input } = await setup();
    await type('tcp.analysis.retr');
    await until(() => wrapper.findAll('[data-testid="filter-completions"] li').length > 0, 'completions');
    const expected = await engine.client.completeField({ prefix: 'tcp.analysis.retr', limit: 30 });
    const items = wrapper.findAll('[data-testid="filter-completions"] li');
    expect(items.map((li) => li.find('.name').text())).toEqual(expected.map((c) => c.name));
    expect(items[0].find('.flabel').text()).toBe(expected[0].label);
    await input.trigger('keydown', { key: 'Tab' });
    await until(() => useFilterStore().text === expected[0].name, 'accepted completion');
    expect(wrapper.find('[data-testid="filter-completions"]').exists()).toBe(false);

    // With suggestions open but none highlighted, Enter applies what was typed ("dns" is a filter).
    await type('tcp');
    await until(() => wrapper.findAll('[data-testid="filter-completions"] li').length > 1, 'tcp suggestions');
    await input.trigger('keydown', { key: 'Enter' });
    await until(() => useFilterStore().applied === 'tcp', 'typed text applied');
    // ↓ highlights a suggestion; Enter then takes it instead.
    await type('tcp.analysis.retr');
    await until(() => wrapper.findAll('[data-testid="filter-completions"] li').length > 0, 'suggestions again');
    await input.trigger('keydown', { key: 'ArrowDown' });
    await input.trigger('keydown', { key: 'Enter' });
    await until(() => useFilterStore().text === expected[0].name, 'Enter took the highlighted suggestion');
    expect(useFilterStore().applied).toBe('tcp');
    wrapper.unmount();
  });

  it('Enter applies and remembers the filter, Esc clears it', async () => {
    const { wrapper, type, input } = await setup();
    const rows = useRowsStore();
    await until(() => rows.total > 0, 'capture loaded');
    const total = rows.total;
    const expr = 'tcp.flags.syn == 1';
    const expected = (await engine.client.applyFilter({ expression: expr })).displayed;
    await engine.client.applyFilter({ expression: '' });
    await type(expr);
    await input.trigger('keydown', { key: 'Enter' });
    await until(() => useFilterStore().applied === expr && rows.displayed === expected, 'filter applied');
    expect(expected).toBeLessThan(total);
    expect(useSettingsStore().filterHistory[0]).toBe(expr);
    expect(wrapper.find('[data-testid="filter-applied"]').text()).toContain(expr);

    await input.trigger('keydown', { key: 'Escape' });
    await until(() => useFilterStore().applied === '' && rows.displayed === total, 'cleared');
    expect((input.element as HTMLInputElement).value).toBe('');

    // History: ↓ in the empty bar offers it; Enter re-applies it.
    await input.trigger('keydown', { key: 'ArrowDown' });
    expect(wrapper.find('[data-testid="filter-history"]').text()).toContain(expr);
    await input.trigger('keydown', { key: 'Enter' });
    await until(() => useFilterStore().applied === expr, 'history re-applied');
    wrapper.unmount();
  });
});
