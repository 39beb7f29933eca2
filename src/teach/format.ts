/**
 * Wording a TeachMessage: role parameters translated (with a capitalised twin for the start of
 * a sentence), then `{name}` interpolation — the subset of vue-i18n's message syntax the
 * catalogs use, so the UI (vue-i18n's `t`) and the exports (this file) print the same text.
 * Isomorphic.
 */
import { teachCatalog, type TeachCatalog } from './messages/index.js';
import type { MessageParam, TeachMessage } from './types.js';

/** Parameters whose value is a role code ('client' | 'server' | 'host'). */
export const ROLE_PARAMS = ['sender', 'receiver', 'side', 'peer', 'first', 'other'] as const;

const cap = (p: string): string => p.charAt(0).toUpperCase() + p.slice(1);

/**
 * Parameters ready for interpolation: each role code replaced by its word (`translate` gets a
 * key under `teach.`, e.g. "role.client"), plus `Sender`, `Receiver` … for sentence starts.
 */
export function localizeParams(params: Record<string, MessageParam>, translate: (key: string) => string): Record<string, MessageParam> {
  const out: Record<string, MessageParam> = { ...params };
  for (const p of ROLE_PARAMS) {
    const v = params[p];
    if (v === 'client' || v === 'server' || v === 'host') {
      out[p] = translate(`role.${v}`);
      out[cap(p)] = translate(`roleCap.${v}`);
    }
  }
  return out;
}

/** The catalog string at a dotted path ('note.syn', 'why.three-way.q'); '' when absent. */
export function catalogString(catalog: TeachCatalog, key: string): string {
  let node: unknown = catalog;
  // Keys contain dots only as separators; hyphens belong to names ('syn-ack').
  for (const part of key.split('.')) {
    if (node === null || typeof node !== 'object') return '';
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : '';
}

/** `{name}` interpolation (vue-i18n's named format); unknown names print nothing, as in vue-i18n. */
export function interpolate(template: string, params: Record<string, MessageParam>, escape?: (s: string) => string): string {
  return template.replace(/\{\s*([A-Za-z_][\w]*)\s*\}/g, (_, name: string) => {
    const v = params[name];
    if (v === undefined) return '';
    return escape && typeof v === 'string' ? escape(v) : String(v);
  });
}

/**
 * The message worded in `locale` ('en', 'zh-CN'). `escape` is applied to string parameters
 * (packet text such as DNS names can reach them) — e.g. Markdown escaping for exports.
 */
export function formatTeach(msg: TeachMessage, locale: string, escape?: (s: string) => string): string {
  const catalog = teachCatalog(locale);
  const params = localizeParams(msg.params, (k) => catalogString(catalog, k));
  return interpolate(catalogString(catalog, msg.key), params, escape);
}

/** A UI string of the teaching catalog ('ui.stepOf'), with parameters. */
export function teachText(key: string, locale: string, params: Record<string, MessageParam> = {}): string {
  return interpolate(catalogString(teachCatalog(locale), key), params);
}

/** Sentences of one note paragraph joined as the language writes them (no spaces in Chinese). */
export function joinSentences(texts: string[], locale: string): string {
  return texts.join(locale.startsWith('zh') ? '' : ' ');
}
