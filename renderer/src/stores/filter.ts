/**
 * The display filter bar: the text being typed, its validation (asked of the engine as you
 * type, stale answers dropped), field-name completion, the applied expression and history.
 * Applying a filter re-pages the packet list and keeps the selected packet when it stays shown.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { FieldCompletion, FilterCheck } from '../api';
import { engine } from '../engine';
import { useRowsStore } from './rows';
import { useSelectionStore } from './selection';
import { useSessionStore } from './session';
import { useSettingsStore } from './settings';

export type FilterState = 'empty' | 'checking' | 'valid' | 'warning' | 'invalid';

export const VALIDATE_DELAY_MS = 120;

/** The field-name-like word ending at `caret` (what completion completes). */
export function wordAt(text: string, caret: number): { start: number; word: string } {
  let start = caret;
  while (start > 0 && /[A-Za-z0-9_.-]/.test(text[start - 1])) start--;
  return { start, word: text.slice(start, caret) };
}

export const useFilterStore = defineStore('filter', () => {
  const text = ref('');
  const applied = ref('');
  const check = shallowRef<FilterCheck | null>(null);
  /** The text `check` is about (a check for older text is not shown as current). */
  const checkedText = ref('');
  const completions = shallowRef<FieldCompletion[]>([]);
  const completionWord = ref({ start: 0, word: '' });
  const applying = ref(false);
  let validateTimer: ReturnType<typeof setTimeout> | null = null;
  let validateToken = 0;
  let completeToken = 0;

  const state = computed<FilterState>(() => {
    if (!text.value.trim()) return 'empty';
    if (checkedText.value !== text.value || !check.value) return 'checking';
    if (!check.value.ok) return 'invalid';
    return check.value.warnings?.length ? 'warning' : 'valid';
  });
  const dirty = computed(() => text.value.trim() !== applied.value);

  async function validateNow(expression: string): Promise<FilterCheck | null> {
    const token = ++validateToken;
    try {
      const result = await engine().validateFilter({ expression });
      if (token !== validateToken) return null;
      check.value = result;
      checkedText.value = expression;
      return result;
    } catch {
      return null;
    }
  }

  async function complete(expression: string, caret: number): Promise<void> {
    const w = wordAt(expression, caret);
    completionWord.value = w;
    const token = ++completeToken;
    // Complete field names only where one can start: a word beginning with a letter.
    if (!w.word || !/^[A-Za-z]/.test(w.word)) {
      completions.value = [];
      return;
    }
    try {
      const list = await engine().completeField({ prefix: w.word, limit: 30 });
      if (token !== completeToken) return;
      completions.value = list.length === 1 && list[0].name === w.word ? [] : list;
    } catch {
      completions.value = [];
    }
  }

  /** The user typed: validate shortly (debounced) and offer completions. */
  function setText(value: string, caret = value.length): void {
    text.value = value;
    if (validateTimer) clearTimeout(validateTimer);
    if (!value.trim()) {
      check.value = null;
      checkedText.value = value;
      completions.value = [];
      return;
    }
    validateTimer = setTimeout(() => void validateNow(value), VALIDATE_DELAY_MS);
    void complete(value, caret);
  }

  function closeCompletions(): void {
    completeToken++;
    completions.value = [];
  }

  /** Replaces the word being completed with a field name. */
  function acceptCompletion(name: string): number {
    const { start, word } = completionWord.value;
    const next = text.value.slice(0, start) + name + text.value.slice(start + word.length);
    const caret = start + name.length;
    closeCompletions();
    text.value = next;
    if (validateTimer) clearTimeout(validateTimer);
    void validateNow(next);
    return caret;
  }

  /** Applies an expression ("" clears). Returns false when it is not a valid filter. */
  async function apply(expression: string = text.value): Promise<boolean> {
    const expr = expression.trim();
    const session = useSessionStore();
    if (!session.capture) {
      text.value = expression;
      return false;
    }
    if (validateTimer) clearTimeout(validateTimer);
    text.value = expression;
    closeCompletions();
    if (expr) {
      const result = await validateNow(expression);
      if (result && !result.ok) return false;
    } else {
      check.value = null;
      checkedText.value = expression;
    }
    applying.value = true;
    try {
      const res = await engine().applyFilter({ expression: expr });
      applied.value = res.expression;
      useRowsStore().reset(res.captureId, res.displayed, res.total);
      if (expr) useSettingsStore().rememberFilter(expr);
      await useSelectionStore().relocate();
      return true;
    } catch (err) {
      session.reportError(err);
      return false;
    } finally {
      applying.value = false;
    }
  }

  /** Esc: empties the bar and shows every packet again. */
  async function clear(): Promise<void> {
    const had = applied.value !== '';
    setText('');
    if (had) await apply('');
  }

  function resetForCapture(): void {
    applied.value = '';
    closeCompletions();
  }

  return {
    text, applied, check, checkedText, completions, completionWord, applying, state, dirty,
    setText, validateNow, complete, closeCompletions, acceptCompletion, apply, clear, resetForCapture,
  };
});
