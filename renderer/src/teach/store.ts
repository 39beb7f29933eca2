/**
 * Teaching mode's state: what is presented (a stream, or a display filter's packets), the
 * diagram the engine drew for it, the packets' detail trees (fetched in the background, the
 * current step first), the lesson built from both, the current step, autoplay and its speed.
 * Bulk data stays out of deep reactivity (shallowRef + a version counter).
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, triggerRef } from 'vue';
import type { PacketDetail, SequenceDiagram } from '../api';
import { engine } from '../engine';
import { errorText } from '../stores/session';
import { useViewsStore } from '../stores/views';
import { buildLesson, type Lesson, type LessonPacket } from './lib';

export type PresentTarget =
  | { streams: number[]; protocol: 'tcp' | 'udp' }
  | { filter: string };

/** Seconds per step in autoplay. */
export const SPEEDS = [0.5, 1, 2, 3, 5, 8];
/** Most packets a lesson takes (a class follows a few dozen; the lossy download has ~1000). */
export const LESSON_LIMIT = 2000;
const FETCH_BATCH = 8;

export const useTeachStore = defineStore('teach', () => {
  const target = ref<PresentTarget | null>(null);
  const returnTo = ref('packets');
  const diagram = shallowRef<SequenceDiagram | null>(null);
  const packets = shallowRef(new Map<number, LessonPacket>());
  const loading = ref(false);
  const error = ref<string | null>(null);
  const index = ref(0);
  const playing = ref(false);
  const speed = ref(2);
  let token = 0;

  const lesson = computed<Lesson | null>(() => (diagram.value ? buildLesson(diagram.value, packets.value) : null));
  const steps = computed(() => lesson.value?.steps ?? []);
  const step = computed(() => steps.value[index.value] ?? null);

  /** Opens the presentation of `t`, remembering the view to return to. */
  async function present(t: PresentTarget): Promise<void> {
    const views = useViewsStore();
    if (views.active !== 'present') returnTo.value = views.active;
    target.value = t;
    views.show('present');
    await load();
  }

  /**
   * Fetches the lesson's diagram. `keep`: the capture grew (presented while it was still
   * loading): keep the current step and the details already decoded.
   */
  async function load(keep = false): Promise<void> {
    const t = target.value;
    if (!t) return;
    const my = ++token;
    error.value = null;
    if (!keep) {
      loading.value = true;
      playing.value = false;
      index.value = 0;
      diagram.value = null;
      packets.value = new Map();
    }
    try {
      const d = await engine().getSequence('filter' in t ? { filter: t.filter, limit: LESSON_LIMIT } : { streams: t.streams, protocol: t.protocol, limit: LESSON_LIMIT });
      if (my !== token) return;
      diagram.value = d;
      loading.value = false;
      void fetchDetails(my);
    } catch (err) {
      if (my !== token) return;
      error.value = errorText(err);
      loading.value = false;
    }
  }

  /** Decodes the lesson's packets, nearest to the current step first, a few at a time. */
  async function fetchDetails(my: number): Promise<void> {
    const d = diagram.value;
    if (!d) return;
    const pending = new Set(d.arrows.map((a) => a.frame).filter((f) => !packets.value.has(f)));
    while (pending.size && my === token) {
      const here = steps.value[index.value]?.frame ?? d.arrows[0]?.frame ?? 0;
      const frames = [...pending].sort((a, b) => Math.abs(a - here) - Math.abs(b - here)).slice(0, FETCH_BATCH);
      let got: PacketDetail[];
      try {
        got = await Promise.all(frames.map((n) => engine().getPacket({ number: n })));
      } catch {
        return; // the capture changed or closed: the notes that need fields stay as they are
      }
      if (my !== token) return;
      for (const p of got) {
        packets.value.set(p.number, p);
        pending.delete(p.number);
      }
      for (const f of frames) pending.delete(f);
      triggerRef(packets);
    }
  }

  function go(i: number): void {
    const n = steps.value.length;
    if (!n) return;
    index.value = Math.max(0, Math.min(n - 1, i));
  }
  const next = (): void => {
    if (index.value >= steps.value.length - 1) playing.value = false;
    else go(index.value + 1);
  };
  const prev = (): void => go(index.value - 1);
  const first = (): void => go(0);
  const last = (): void => go(steps.value.length - 1);

  function togglePlay(): void {
    if (!playing.value && index.value >= steps.value.length - 1) go(0);
    playing.value = !playing.value;
  }

  function exit(): void {
    playing.value = false;
    useViewsStore().show(returnTo.value === 'present' ? 'packets' : returnTo.value);
  }

  /** A new capture: the lesson belongs to the old one. */
  function reset(): void {
    token++;
    target.value = null;
    diagram.value = null;
    packets.value = new Map();
    index.value = 0;
    playing.value = false;
    error.value = null;
    loading.value = false;
  }

  return {
    target, diagram, packets, loading, error, index, playing, speed, lesson, steps, step,
    present, load, refresh: () => load(true), go, next, prev, first, last, togglePlay, exit, reset,
  };
});
