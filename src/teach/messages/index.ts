/**
 * Teaching catalogs by locale code (BCP 47, as the UI's vue-i18n locales). The UI merges each
 * under `teach`; the Markdown export and the tests format with them directly (format.ts).
 */
import en from './en.js';
import zhCN from './zh-CN.js';
import type { TeachCatalog } from './schema.js';

export type { TeachCatalog } from './schema.js';

export const TEACH_CATALOGS: Readonly<Record<string, TeachCatalog>> = { en, 'zh-CN': zhCN };

export function teachCatalog(locale: string): TeachCatalog {
  return TEACH_CATALOGS[locale] ?? TEACH_CATALOGS[locale.split('-')[0]] ?? en;
}
