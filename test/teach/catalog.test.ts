/**
 * The teaching catalogs: Chinese has exactly the English keys, every message compiles and
 * prints the same through vue-i18n (the UI) as through formatTeach (exports, tests), and every
 * parameter a message names is one its note kind supplies.
 */
import { describe, expect, it } from 'vitest';
import { createI18n } from 'vue-i18n';
import en from '../../src/teach/messages/en.js';
import zh from '../../src/teach/messages/zh-CN.js';
import { formatTeach, localizeParams, catalogString, TEACH_CATALOGS } from '../../src/teach/index.js';

function leaves(obj: unknown, prefix = ''): string[] {
  if (typeof obj === 'string') return [prefix];
  return Object.entries(obj as Record<string, unknown>).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);

describe('teaching catalogs', () => {
  it('Simplified Chinese has every English key and no other', () => {
    expect(leaves(zh).sort()).toEqual(leaves(en).sort());
  });

  it('each Chinese message names the same parameters as its English twin', () => {
    for (const key of leaves(en)) {
      expect(new Set(placeholders(catalogString(zh, key))), key).toEqual(new Set(placeholders(catalogString(en, key))));
    }
  });

  it('Chinese messages are written in Chinese (not copied English)', () => {
    const notes = leaves(zh).filter((k) => k.startsWith('note.') || k.startsWith('why.'));
    for (const key of notes) {
      const text = catalogString(zh, key).replace(/\{\w+\}/g, '');
      if (text.trim().length > 3) expect(/[\u4e00-\u9fff]/.test(text), key).toBe(true);
    }
  });

  it('vue-i18n formats every message exactly as formatTeach does, in both languages', () => {
    // Untyped on purpose: vue-i18n's message-schema inference is too deep for these catalogs.
    type Translate = (key: string, params: Record<string, unknown>) => string;
    const make = createI18n as unknown as (o: object) => { global: { t: Translate; locale: { value: string } } };
    const i18n = make({ legacy: false, locale: 'en', messages: { en: { teach: en }, 'zh-CN': { teach: zh } }, missingWarn: false, fallbackWarn: false });
    const t = i18n.global.t;
    for (const locale of Object.keys(TEACH_CATALOGS)) {
      i18n.global.locale.value = locale;
      for (const key of leaves(en)) {
        const params: Record<string, string | number> = {};
        placeholders(catalogString(en, key)).forEach((p, i) => (params[p] = p.toLowerCase().includes('sender') || p === 'side' ? 'server' : 1000 + i));
        const raw = { ...params };
        for (const k of Object.keys(raw)) if (/^[A-Z]/.test(k)) delete raw[k];
        const ours = formatTeach({ key, params: raw }, locale);
        const theirs = t(`teach.${key}`, localizeParams(raw, (k) => t(`teach.${k}`, {})));
        expect(theirs, `${locale} ${key}`).toBe(ours);
        expect(ours.length, `${locale} ${key}`).toBeGreaterThan(0);
      }
    }
  });

  it('role words are translated and capitalised for sentence starts', () => {
    const msg = { key: 'note.syn', params: { sender: 'client', receiver: 'server', seq: 0, isn: 42 } };
    expect(formatTeach(msg, 'en')).toMatch(/^Client → server: SYN\. The client /);
    expect(formatTeach(msg, 'zh-CN')).toMatch(/^客户端 → 服务器：SYN。客户端/);
  });
});
