/**
 * The presentation's route: `#/present` (the selected exchange, else the filter), or
 * `#/present?stream=N[&protocol=udp]`, or `#/present?filter=<display filter>` — so a lesson can
 * be bookmarked or opened from a link on a course page. Carried out once a capture is open
 * and loaded; the hash is cleared when the presentation is left.
 */
import { watch } from 'vue';
import { useSessionStore } from '../stores/session';
import { useViewsStore } from '../stores/views';
import { useTeachStore, type PresentTarget } from './store';

/** null: not a presentation route; 'default': present without a target. */
export function parsePresentRoute(hash: string): PresentTarget | 'default' | null {
  const m = /^#\/?present(?:\?(.*))?$/.exec(hash);
  if (!m) return null;
  const q = new URLSearchParams(m[1] ?? '');
  const filter = q.get('filter');
  if (filter && filter.trim()) return { filter: filter.trim().slice(0, 4096) };
  const stream = q.get('stream');
  if (stream !== null && /^\d{1,9}$/.test(stream)) return { streams: [Number(stream)], protocol: q.get('protocol') === 'udp' ? 'udp' : 'tcp' };
  return 'default';
}

export function followPresentRoute(): void {
  const session = useSessionStore();
  const teach = useTeachStore();
  const views = useViewsStore();
  let wanted: PresentTarget | 'default' | null = null;
  const apply = (): void => {
    if (!wanted || !session.capture || session.loading) return;
    const target = wanted;
    wanted = null;
    if (target === 'default') views.show('present');
    else void teach.present(target);
  };
  const onHash = (): void => {
    wanted = parsePresentRoute(window.location.hash);
    apply();
  };
  window.addEventListener('hashchange', onHash);
  onHash();
  watch(() => [session.capture?.captureId, session.loading] as const, apply);
  // Leaving the presentation clears its route, so a reload does not re-enter it.
  watch(
    () => views.active,
    (active, before) => {
      if (before === 'present' && active !== 'present' && parsePresentRoute(window.location.hash)) {
        window.history.replaceState(null, '', window.location.pathname + window.location.search);
      }
    },
  );
}
