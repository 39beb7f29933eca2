/** Wording lesson messages through vue-i18n (the same catalogs the exports use). */
import { useI18n } from 'vue-i18n';
import { joinSentences, localizeParams, type TeachMessage } from './lib';

export function useTeachText() {
  const { t, locale } = useI18n();
  const tt = (key: string, params: Record<string, unknown> = {}): string => t(`teach.${key}`, params as Record<string, string | number>);
  const message = (m: TeachMessage): string => tt(m.key, localizeParams(m.params, (k) => tt(k)));
  const paragraph = (ms: TeachMessage[]): string => joinSentences(ms.map(message), locale.value);
  return { t, tt, locale, message, paragraph };
}
