/** Sortable tables: click a column once for descending numbers / ascending text, again to flip. */
import { computed, ref, type Ref } from 'vue';

export type SortValue = string | number;

export function useSort<T>(rows: Ref<T[] | null>, columns: Record<string, (row: T) => SortValue>, initial: string, initialDesc = false) {
  const key = ref(initial);
  const desc = ref(initialDesc);

  const sorted = computed(() => {
    const list = rows.value ? [...rows.value] : [];
    const get = columns[key.value];
    if (!get) return list;
    list.sort((a, b) => {
      const x = get(a);
      const y = get(b);
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true });
      return desc.value ? -c : c;
    });
    return list;
  });

  function sortBy(k: string): void {
    if (key.value === k) desc.value = !desc.value;
    else {
      key.value = k;
      const sample = rows.value?.[0];
      desc.value = sample !== undefined && typeof columns[k]?.(sample) === 'number';
    }
  }

  function indicator(k: string): string {
    return key.value === k ? (desc.value ? ' ▼' : ' ▲') : '';
  }

  function ariaSort(k: string): 'ascending' | 'descending' | 'none' {
    return key.value === k ? (desc.value ? 'descending' : 'ascending') : 'none';
  }

  return { key, desc, sorted, sortBy, indicator, ariaSort };
}
