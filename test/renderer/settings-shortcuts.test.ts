// @vitest-environment happy-dom
/**
 * Preferences survive a new window (localStorage), bad stored values fall back to defaults,
 * the filter history stays short and unique; the keyboard shortcuts reach their commands and
 * leave text fields alone.
 */
import { nextTick } from 'vue';
import { beforeEach, describe, expect, it } from 'vitest';
import { addCommand } from '../../renderer/src/commands';
import { HISTORY_LIMIT, STORAGE_KEY, useSettingsStore } from '../../renderer/src/stores/settings';
import { handleShortcut } from '../../renderer/src/util/shortcuts';
import { freshPinia } from './helpers';

beforeEach(() => localStorage.clear());

describe('settings', () => {
  it('persist across windows and ignore what they cannot read', async () => {
    freshPinia();
    const s = useSettingsStore();
    s.theme = 'dark';
    s.timeFormat = 'delta';
    s.setColumnWidth('info', 900);
    s.diagramSpacing = 'real';
    await nextTick();
    freshPinia(); // a new window
    const again = useSettingsStore();
    expect([again.theme, again.timeFormat, again.columnWidths.info, again.diagramSpacing]).toEqual(['dark', 'delta', 900, 'real']);

    localStorage.setItem(STORAGE_KEY, JSON.stringify({ theme: 'neon', timeFormat: 'bogus', columnWidths: { info: -5 }, filterHistory: [1, 'tcp'] }));
    freshPinia();
    const fallback = useSettingsStore();
    expect(['light', 'dark']).toContain(fallback.theme);
    expect(fallback.timeFormat).toBe('relative');
    expect(fallback.columnWidths.info).toBeGreaterThan(30);
    expect(fallback.filterHistory).toEqual(['tcp']);
    localStorage.setItem(STORAGE_KEY, '{not json');
    freshPinia();
    expect(useSettingsStore().timeFormat).toBe('relative');
  });

  it('keeps the filter history unique, newest first, bounded', () => {
    freshPinia();
    const s = useSettingsStore();
    for (let i = 0; i < HISTORY_LIMIT + 10; i++) s.rememberFilter(`tcp.port == ${i}`);
    s.rememberFilter('tcp.port == 3');
    expect(s.filterHistory.length).toBe(HISTORY_LIMIT);
    expect(s.filterHistory[0]).toBe('tcp.port == 3');
    expect(s.filterHistory.filter((x) => x === 'tcp.port == 3').length).toBe(1);
  });
});

describe('keyboard shortcuts', () => {
  it('route Ctrl+O, Ctrl+F, /, Ctrl+E and Ctrl+G to their commands, but not "/" typed in a field', () => {
    freshPinia();
    const seen: string[] = [];
    const offs = (['open', 'focus-filter', 'toggle-capture', 'go-to-packet'] as const).map((c) => addCommand(c, () => seen.push(c)));
    const key = (k: string, init: KeyboardEventInit = {}, target?: EventTarget) => {
      const ev = new KeyboardEvent('keydown', { key: k, ...init });
      if (target) Object.defineProperty(ev, 'target', { value: target });
      return handleShortcut(ev);
    };
    expect(key('o', { ctrlKey: true })).toBe(true);
    expect(key('f', { ctrlKey: true })).toBe(true);
    expect(key('/', {}, document.body)).toBe(true);
    expect(key('e', { ctrlKey: true })).toBe(true);
    expect(key('g', { ctrlKey: true })).toBe(true);
    const input = document.createElement('input');
    expect(key('/', {}, input)).toBe(false);
    expect(key('x', {})).toBe(false);
    expect(seen).toEqual(['open', 'focus-filter', 'focus-filter', 'toggle-capture', 'go-to-packet']);
    offs.forEach((off) => off());
  });
});
