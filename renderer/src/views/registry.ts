/**
 * The views the main area can show, in tab order. A view is a component plus the i18n key of
 * its tab title and the key that opens it. Later features add theirs with `registerView`
 * (teaching mode adds "Present") before the app mounts; the shell (App.vue) needs no change.
 */
import { markRaw, shallowReactive, type Component } from 'vue';

export interface ViewDefinition {
  id: string;
  /** i18n key of the tab title. */
  titleKey: string;
  component: Component;
  /** Keyboard shortcut shown in the tab's tooltip and handled by the shell (e.g. "Alt+2"). */
  shortcut?: string;
  /** Needs an open capture (greyed out before). */
  needsCapture?: boolean;
  /** Full-window views hide the toolbar, filter bar and tabs (teaching mode's projector view). */
  fullWindow?: boolean;
}

export const VIEWS: ViewDefinition[] = shallowReactive([]);

export function registerView(view: ViewDefinition): void {
  const i = VIEWS.findIndex((v) => v.id === view.id);
  const def = { ...view, component: markRaw(view.component) };
  if (i >= 0) VIEWS.splice(i, 1, def);
  else VIEWS.push(def);
}

export function findView(id: string): ViewDefinition | undefined {
  return VIEWS.find((v) => v.id === id);
}
