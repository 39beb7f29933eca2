/**
 * Installs teaching mode into the app: its messages (English and Simplified Chinese, under
 * `teach`) into vue-i18n, and the full-window "present" view into the view registry (no tab:
 * it is opened by the Present buttons, the Electron menu's Presentation command, or its route
 * `#/present…`, see route.ts). Call after Pinia is installed.
 */
import { registerView } from '../views/registry';
import { TEACH_CATALOGS } from './lib';
import PresentView from './PresentView.vue';
import { followPresentRoute } from './route';

export const PRESENT_VIEW = 'present';

/** The part of the app's vue-i18n instance teaching mode needs. */
export interface MergeableI18n {
  global: { mergeLocaleMessage(locale: string, messages: Record<string, unknown>): void };
}

export function installTeachMessages(i18n: MergeableI18n): void {
  for (const [locale, catalog] of Object.entries(TEACH_CATALOGS)) {
    i18n.global.mergeLocaleMessage(locale, { teach: catalog });
  }
}

export function installTeaching(i18n: MergeableI18n): void {
  installTeachMessages(i18n);
  registerView({ id: PRESENT_VIEW, titleKey: 'teach.ui.present', component: PresentView, needsCapture: true, fullWindow: true });
  followPresentRoute();
}
