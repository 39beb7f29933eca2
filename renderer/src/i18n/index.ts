/**
 * UI strings (vue-i18n, Composition API mode). Every locale is one file in ./locales/ whose
 * default export is a LocaleFile: adding Simplified Chinese is adding locales/zh-CN.ts with the
 * same keys as en.ts (the type checker lists any key it misses). English is the fallback.
 * vue-i18n's JIT message compiler needs no eval, so the strict CSP of both shells holds.
 */
import { createI18n } from 'vue-i18n';
import en from './locales/en';

export type MessageSchema = typeof en.messages;

/** Turns every leaf string of the English schema into `string` (for other locales). */
type Strings<T> = { [K in keyof T]: T[K] extends string ? string : Strings<T[K]> };

export interface LocaleFile {
  /** BCP 47 tag: "en", "zh-CN". */
  code: string;
  /** The language's own name, for the language menu ("English", "简体中文"). */
  name: string;
  messages: Strings<MessageSchema>;
}

const files = import.meta.glob<{ default: LocaleFile }>('./locales/*.ts', { eager: true });

/** Every locale shipped, English first. */
export const LOCALES: LocaleFile[] = Object.values(files)
  .map((m) => m.default)
  .sort((a, b) => (a.code === 'en' ? -1 : b.code === 'en' ? 1 : a.code.localeCompare(b.code)));

export function createAppI18n(locale = 'en') {
  const messages: Record<string, Strings<MessageSchema>> = {};
  for (const file of LOCALES) messages[file.code] = file.messages;
  return createI18n<[Strings<MessageSchema>], string, false>({
    legacy: false,
    locale: messages[locale] ? locale : 'en',
    fallbackLocale: 'en',
    messages,
    // Packet text never reaches vue-i18n; messages are ours. Keep the console quiet in tests.
    missingWarn: false,
    fallbackWarn: false,
  });
}
