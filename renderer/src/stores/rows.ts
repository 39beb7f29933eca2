/**
 * The rows of the displayed view, fetched from the engine in pages as the list scrolls.
 * Bulk data stays outside Vue's reactivity: pages live in a plain Map and one counter
 * (`version`) tells readers that something arrived. A bounded number of pages is kept
 * (least recently used out), so scrolling a million rows keeps memory flat.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { PacketRow, PacketsAppended } from '../api';
import { engine } from '../engine';

export const PAGE_SIZE = 200;
export const MAX_PAGES = 300;

export const useRowsStore = defineStore('rows', () => {
  const captureId = ref(0);
  const displayed = ref(0);
  const total = ref(0);
  /** Bumped whenever pages arrive or are dropped: components read it to re-render. */
  const version = ref(0);
  /** Bumped when the whole view changed (new capture or filter): lists ask for their rows again. */
  const epoch = ref(0);
  /** Set when a page request failed (the list shows it instead of endless placeholders). */
  const lastError = ref<string | null>(null);

  const pages = new Map<number, PacketRow[]>();
  const inflight = new Map<number, Promise<void>>();
  let generation = 0;

  function touch(page: number, rows: PacketRow[]): void {
    pages.delete(page);
    pages.set(page, rows);
    while (pages.size > MAX_PAGES) {
      const oldest = pages.keys().next().value as number;
      pages.delete(oldest);
    }
  }

  /** The row at a display index, or undefined while its page is not loaded (see ensure). */
  function rowAt(index: number): PacketRow | undefined {
    void version.value;
    const page = pages.get(Math.floor(index / PAGE_SIZE));
    return page?.[index % PAGE_SIZE];
  }

  function fetchPage(page: number): Promise<void> {
    const existing = inflight.get(page);
    if (existing) return existing;
    const gen = generation;
    const p = engine()
      .getRows({ start: page * PAGE_SIZE, count: PAGE_SIZE })
      .then((w) => {
        if (gen !== generation) return;
        touch(page, w.rows);
        displayed.value = w.displayed;
        total.value = w.total;
        lastError.value = null;
        version.value++;
      })
      .catch((err: unknown) => {
        if (gen === generation) lastError.value = err instanceof Error ? err.message : String(err);
      })
      .finally(() => {
        if (inflight.get(page) === p) inflight.delete(page);
      });
    inflight.set(page, p);
    return p;
  }

  /** Makes sure rows [start, end) are loaded or on their way. */
  function ensure(start: number, end: number): Promise<void> {
    const last = Math.min(end, displayed.value) - 1;
    if (last < start) return Promise.resolve();
    const jobs: Promise<void>[] = [];
    for (let p = Math.floor(Math.max(0, start) / PAGE_SIZE); p <= Math.floor(last / PAGE_SIZE); p++) {
      const have = pages.get(p);
      const complete = have && (have.length === PAGE_SIZE || p * PAGE_SIZE + have.length >= displayed.value);
      if (complete) {
        touch(p, have);
      } else jobs.push(fetchPage(p));
    }
    return Promise.all(jobs).then(() => undefined);
  }

  /** The row at `index`, fetching its page when needed (keyboard navigation, Ctrl+G). */
  async function fetchRow(index: number): Promise<PacketRow | undefined> {
    if (index < 0 || index >= displayed.value) return undefined;
    const have = rowAt(index);
    if (have) return have;
    await ensure(index, index + 1);
    return rowAt(index);
  }

  /** A new capture (or a new display filter result): everything cached is stale. */
  function reset(id: number, displayedCount: number, totalCount: number): void {
    generation++;
    pages.clear();
    inflight.clear();
    captureId.value = id;
    displayed.value = displayedCount;
    total.value = totalCount;
    lastError.value = null;
    epoch.value++;
    version.value++;
  }

  /** Packets were appended (loading, live capture): only the partial last page is stale. */
  function onPackets(ev: PacketsAppended): void {
    if (ev.captureId !== captureId.value) return;
    total.value = ev.total;
    if (ev.displayed < displayed.value) {
      // Fewer rows than before: the view itself changed (a filter), every cached page is stale.
      reset(ev.captureId, ev.displayed, ev.total);
      return;
    }
    if (ev.displayed !== displayed.value) {
      if (displayed.value > 0) {
        const lastPage = Math.floor((displayed.value - 1) / PAGE_SIZE);
        const have = pages.get(lastPage);
        if (have && have.length < PAGE_SIZE) pages.delete(lastPage);
      }
      displayed.value = ev.displayed;
      version.value++;
    }
  }

  /** Number of pages cached (tests, diagnostics). */
  function cachedPages(): number {
    return pages.size;
  }

  return { captureId, displayed, total, version, epoch, lastError, rowAt, ensure, fetchRow, reset, onPackets, cachedPages };
});
