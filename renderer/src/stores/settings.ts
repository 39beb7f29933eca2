/**
 * User preferences that outlive the window: theme, time format, column widths, pane sizes,
 * diagram spacing, display-filter history, language. Persisted in localStorage (one JSON
 * value, versioned); anything unreadable there falls back to the defaults.
 */
import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import type { TimeFormat } from '../api';

export type Theme = 'light' | 'dark';
export type ColumnId = 'number' | 'time' | 'source' | 'destination' | 'protocol' | 'length' | 'info';
export type DiagramSpacing = 'even' | 'real';

export const STORAGE_KEY = 'wirescope.settings.v1';
export const HISTORY_LIMIT = 30;

export const DEFAULT_COLUMN_WIDTHS: Record<ColumnId, number> = {
  number: 70, time: 120, source: 170, destination: 170, protocol: 80, length: 70, info: 600,
};

const TIME_FORMATS: TimeFormat[] = ['relative', 'absolute', 'absolute-utc', 'delta', 'delta-displayed', 'epoch'];

interface Persisted {
  theme: Theme;
  timeFormat: TimeFormat;
  columnWidths: Record<ColumnId, number>;
  filterHistory: string[];
  locale: string;
  diagramSpacing: DiagramSpacing;
  /** Fraction of the packets view height given to the list. */
  listFraction: number;
  /** Fraction of the bottom pane width given to the detail tree. */
  detailFraction: number;
}

function systemTheme(): Theme {
  try {
    return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  } catch {
    return 'light';
  }
}

function load(): Partial<Persisted> {
  try {
    const text = window.localStorage?.getItem(STORAGE_KEY);
    const v = text ? (JSON.parse(text) as unknown) : null;
    return v && typeof v === 'object' ? (v as Partial<Persisted>) : {};
  } catch {
    return {};
  }
}

const clampFraction = (v: unknown, d: number): number =>
  typeof v === 'number' && Number.isFinite(v) ? Math.min(0.9, Math.max(0.1, v)) : d;

export const useSettingsStore = defineStore('settings', () => {
  const saved = load();
  const theme = ref<Theme>(saved.theme === 'dark' || saved.theme === 'light' ? saved.theme : systemTheme());
  const timeFormat = ref<TimeFormat>(TIME_FORMATS.includes(saved.timeFormat as TimeFormat) ? saved.timeFormat! : 'relative');
  const columnWidths = ref<Record<ColumnId, number>>({ ...DEFAULT_COLUMN_WIDTHS });
  if (saved.columnWidths && typeof saved.columnWidths === 'object') {
    for (const id of Object.keys(DEFAULT_COLUMN_WIDTHS) as ColumnId[]) {
      const w = saved.columnWidths[id];
      if (typeof w === 'number' && w >= 30 && w <= 4000) columnWidths.value[id] = w;
    }
  }
  const filterHistory = ref<string[]>(
    Array.isArray(saved.filterHistory) ? saved.filterHistory.filter((s) => typeof s === 'string').slice(0, HISTORY_LIMIT) : [],
  );
  const locale = ref<string>(typeof saved.locale === 'string' ? saved.locale : 'en');
  const diagramSpacing = ref<DiagramSpacing>(saved.diagramSpacing === 'real' ? 'real' : 'even');
  const listFraction = ref(clampFraction(saved.listFraction, 0.55));
  const detailFraction = ref(clampFraction(saved.detailFraction, 0.55));

  function toggleTheme(): void {
    theme.value = theme.value === 'dark' ? 'light' : 'dark';
  }

  /** Puts an applied filter at the top of the history (no duplicates, bounded). */
  function rememberFilter(expression: string): void {
    const e = expression.trim();
    if (!e) return;
    filterHistory.value = [e, ...filterHistory.value.filter((x) => x !== e)].slice(0, HISTORY_LIMIT);
  }

  function setColumnWidth(id: ColumnId, width: number): void {
    columnWidths.value = { ...columnWidths.value, [id]: Math.round(Math.min(4000, Math.max(30, width))) };
  }

  function persist(): void {
    const value: Persisted = {
      theme: theme.value,
      timeFormat: timeFormat.value,
      columnWidths: columnWidths.value,
      filterHistory: filterHistory.value,
      locale: locale.value,
      diagramSpacing: diagramSpacing.value,
      listFraction: listFraction.value,
      detailFraction: detailFraction.value,
    };
    try {
      window.localStorage?.setItem(STORAGE_KEY, JSON.stringify(value));
    } catch {
      // storage full or disabled: preferences last for this window only
    }
  }
  watch([theme, timeFormat, columnWidths, filterHistory, locale, diagramSpacing, listFraction, detailFraction], persist, { deep: true });

  return {
    theme, timeFormat, columnWidths, filterHistory, locale, diagramSpacing, listFraction, detailFraction,
    toggleTheme, rememberFilter, setColumnWidth,
  };
});
