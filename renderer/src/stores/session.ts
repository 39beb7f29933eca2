/**
 * The capture session of this window: which shell we run in, the open capture, load progress,
 * the live capture's state, interfaces, recent files, and the messages shown to the user
 * (errors as clear sentences, never a blank screen). Engine events arrive here and are handed
 * to the other stores.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import {
  ApiError, type AppInfo, type CaptureFileFormat, type CaptureInfo, type CaptureStatus, type ExportScope,
  type InterfaceInfo, type LoadProgress, type LocalFile, type RecentFile, type ExportResult,
} from '../api';
import { engine } from '../engine';
import { useFilterStore } from './filter';
import { useRowsStore } from './rows';
import { useSelectionStore } from './selection';
import { useViewsStore } from './views';

export interface UserMessage {
  id: number;
  kind: 'error' | 'warning' | 'info';
  /** A sentence from the engine (shown as is), or … */
  text?: string;
  /** … an i18n key of ours with its parameters. */
  key?: string;
  params?: Record<string, string | number>;
  /** One button next to the message ("Open it"). */
  action?: { key: string; run: () => void };
}

let messageId = 0;

export function errorText(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}

export const useSessionStore = defineStore('session', () => {
  const app = shallowRef<AppInfo | null>(null);
  const capture = shallowRef<CaptureInfo | null>(null);
  const progress = shallowRef<LoadProgress | null>(null);
  const captureStatus = shallowRef<CaptureStatus | null>(null);
  const interfaces = shallowRef<InterfaceInfo[]>([]);
  const recent = shallowRef<RecentFile[]>([]);
  const messages = ref<UserMessage[]>([]);
  /** Expert notes in the capture (analysis findings + damaged packets), once loaded. */
  const expertCount = ref<number | null>(null);
  const opening = ref(false);
  const connected = ref(false);
  let unsubscribe: (() => void)[] = [];

  const localNames = new Map<number, string>();
  /** The capture's name as the user knows it (an uploaded file keeps the name they picked). */
  const displayName = computed(() => {
    const c = capture.value;
    return c ? localNames.get(c.captureId) ?? c.name : '';
  });
  const loading = computed(() => {
    const p = progress.value;
    return !!p && !p.finished && p.phase === 'load' && p.captureId === capture.value?.captureId;
  });
  const capturing = computed(() => {
    const s = captureStatus.value?.state;
    return s === 'capturing' || s === 'starting' || s === 'stopping';
  });

  function push(m: Omit<UserMessage, 'id'>): void {
    // The same sentence twice is said once.
    if (messages.value.some((x) => x.text === m.text && x.key === m.key)) return;
    messages.value = [...messages.value, { ...m, id: ++messageId }].slice(-5);
  }

  function notify(kind: UserMessage['kind'], text: string): void {
    push({ kind, text });
  }

  function notifyKey(kind: UserMessage['kind'], key: string, params?: Record<string, string | number>, action?: UserMessage['action']): void {
    push({ kind, key, ...(params ? { params } : {}), ...(action ? { action } : {}) });
  }

  function reportError(err: unknown): void {
    if (err instanceof ApiError && err.code === 'cancelled') return;
    notify('error', errorText(err));
  }

  function dismiss(id: number): void {
    messages.value = messages.value.filter((m) => m.id !== id);
  }

  /** A capture became the window's capture (our request, a menu, a drop, the command line). */
  function adopt(info: CaptureInfo): void {
    const same = capture.value?.captureId === info.captureId;
    capture.value = info;
    if (same) return;
    expertCount.value = null;
    if (progress.value?.captureId !== info.captureId) progress.value = null;
    useRowsStore().reset(info.captureId, info.packets, info.packets);
    useSelectionStore().clear();
    useFilterStore().resetForCapture();
    useViewsStore().resetForCapture();
    void useRowsStore().ensure(0, 1);
    // A small file is read before openFile answers: its progress events came first.
    if (!info.loading || progress.value?.finished) void refreshExpertCount();
    if (info.source === 'file') void refreshRecent();
  }

  async function refreshExpertCount(): Promise<void> {
    const id = capture.value?.captureId;
    try {
      const stats = await engine().getStats({ transactionLimit: 0 });
      if (stats.captureId !== id) return;
      let n = stats.malformedPackets + stats.truncatedPackets;
      for (const v of Object.values(stats.analysisCounts)) n += v;
      expertCount.value = n;
    } catch {
      expertCount.value = null;
    }
  }

  function onProgress(p: LoadProgress): void {
    if (capture.value && p.captureId !== capture.value.captureId) return;
    progress.value = p;
    if (p.finished && p.phase === 'load') {
      if (capture.value) capture.value = { ...capture.value, loading: false, packets: p.packets };
      if (p.warning) notify('warning', p.warning);
      void refreshExpertCount();
      void useRowsStore().ensure(0, 1);
    }
  }

  /** Subscribes to engine events and loads what the shell tells us at start. */
  async function start(): Promise<void> {
    const api = engine();
    unsubscribe.forEach((off) => off());
    unsubscribe = [
      api.on('opened', adopt),
      api.on('progress', onProgress),
      api.on('packets', (ev) => {
        useRowsStore().onPackets(ev);
        if (capture.value && ev.captureId === capture.value.captureId) capture.value = { ...capture.value, packets: ev.total };
      }),
      api.on('captureState', (s) => {
        captureStatus.value = s;
        if (s.error) reportError(s.error);
        if (s.state === 'stopped') void refreshExpertCount();
      }),
      api.on('closed', (ev) => {
        if (capture.value?.captureId === ev.captureId) {
          capture.value = null;
          useSelectionStore().clear();
          useRowsStore().reset(0, 0, 0);
        }
      }),
      api.on('error', (e) => notify('error', e.message)),
    ];
    try {
      const info = await api.appInfo({});
      app.value = info;
      connected.value = true;
      void refreshRecent();
      if (info.initialFile) await openPath(info.initialFile);
      const left = info.recoverable[0];
      if (left) {
        notifyKey('warning', 'messages.recoverable', { count: info.recoverable.length, name: left.interface }, {
          key: 'messages.recoverOpen',
          run: () => void run(() => engine().recoverCapture({ path: left.path })).then((c) => c && adopt(c)),
        });
      }
    } catch (err) {
      reportError(err);
    }
  }

  async function refreshRecent(): Promise<void> {
    try {
      recent.value = await engine().listRecent({});
    } catch {
      // the recent list is a convenience
    }
  }

  async function run<T>(job: () => Promise<T>): Promise<T | undefined> {
    opening.value = true;
    try {
      const result = await job();
      return result;
    } catch (err) {
      reportError(err);
      return undefined;
    } finally {
      opening.value = false;
    }
  }

  /** Opens a capture by path (recent files, the server's files, Electron's dialog when no path). */
  async function openPath(path?: string): Promise<void> {
    const info = await run(() => engine().openFile(path === undefined ? {} : { path }));
    if (info) adopt(info);
  }

  /** Opens a file picked or dropped in the page (serve mode uploads it first). */
  async function openLocal(file: LocalFile): Promise<void> {
    const info = await run(() => engine().openLocalFile(file));
    if (!info) return;
    // Serve mode stores uploads under a unique name: show the name the user picked.
    localNames.set(info.captureId, file.name);
    adopt(info);
  }

  async function loadInterfaces(): Promise<void> {
    try {
      interfaces.value = await engine().listInterfaces({});
    } catch (err) {
      reportError(err);
    }
  }

  async function startCapture(iface: string, captureFilter: string): Promise<void> {
    const info = await run(() => engine().startCapture({ interface: iface, ...(captureFilter.trim() ? { captureFilter: captureFilter.trim() } : {}) }));
    if (info) adopt(info);
  }

  async function stopCapture(): Promise<void> {
    try {
      captureStatus.value = await engine().stopCapture({});
    } catch (err) {
      reportError(err);
    }
  }

  /** Exports packets; serve mode hands back a one-time download URL, which we follow. */
  async function exportPackets(format: CaptureFileFormat, scope: ExportScope, frames?: number[]): Promise<ExportResult | undefined> {
    try {
      const result = await engine().exportPackets({ format, scope, ...(frames ? { frames } : {}) });
      deliver(result);
      return result;
    } catch (err) {
      reportError(err);
      return undefined;
    }
  }

  async function saveCapture(format: CaptureFileFormat): Promise<void> {
    try {
      deliver(await engine().saveCapture({ format }));
    } catch (err) {
      reportError(err);
    }
  }

  function deliver(result: ExportResult): void {
    if (result.cancelled) return;
    if (result.downloadUrl) {
      const a = document.createElement('a');
      a.href = result.downloadUrl;
      a.download = '';
      a.rel = 'noopener';
      document.body.appendChild(a);
      a.click();
      a.remove();
    }
  }

  async function closeCapture(discard = false): Promise<{ closed: boolean; unsavedPackets: number } | undefined> {
    try {
      return await engine().close({ discard });
    } catch (err) {
      reportError(err);
      return undefined;
    }
  }

  return {
    app, capture, progress, captureStatus, interfaces, recent, messages, expertCount, opening, connected,
    loading, capturing, displayName,
    notify, notifyKey, reportError, dismiss, adopt, start, refreshRecent, openPath, openLocal, loadInterfaces,
    startCapture, stopCapture, exportPackets, saveCapture, closeCapture,
  };
});
