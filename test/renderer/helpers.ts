/**
 * Component-test helpers: the real engine in-process (EngineConnection + InProcessBackend, the
 * code paths the shells use) behind the renderer's client, or a scripted fake where a test needs
 * data no fixture has (a million rows, a stream with a gap); Pinia + vue-i18n for mounting; and
 * element sizes for happy-dom, which lays nothing out (the virtual lists need a viewport).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { vi } from 'vitest';
import { flushPromises } from '@vue/test-utils';
import {
  createEngineClient, type AnyEngineEvent, type EngineClient, type EngineMethod, type EngineTransport, type ParamsOf,
  type ResultOf,
} from '../../src/api/index.js';
import { rejectWith } from '../../src/api/transport.js';
import { InProcessBackend } from '../../src/engine/in-process-backend.js';
import { EngineConnection } from '../../src/engine/connection.js';
import { RecentFiles } from '../../src/engine/recent.js';
import { useEngineClient } from '../../renderer/src/engine';
import { createAppI18n } from '../../renderer/src/i18n';

export const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures');
export const fixture = (name: string): string => join(FIXTURES, name);

/** The real engine, in this process, as the renderer sees it. */
export function realEngine(): { client: EngineClient; dispose(): Promise<void> } {
  const listeners = new Set<(e: AnyEngineEvent) => void>();
  const dir = mkdtempSync(join(tmpdir(), 'wirescope-renderer-test-'));
  const conn = new EngineConnection(
    {
      shell: 'test',
      version: '0.0.0-test',
      saveMode: 'path-or-download',
      recent: new RecentFiles(join(dir, 'recent.json')),
      captureDir: dir,
      registerDownload: () => '/download/test',
      createBackend: (opts) => new InProcessBackend(opts),
    },
    (e) => listeners.forEach((l) => l(e)),
  );
  const transport: EngineTransport = {
    async request<M extends EngineMethod>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
      const reply = await conn.handle(method, params);
      if (reply.ok) return reply.result as ResultOf<M>;
      throw rejectWith(reply.error);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    openLocalFile: () => Promise.reject(new Error('not in tests')),
    dispose: () => listeners.clear(),
  };
  const client = createEngineClient(transport);
  useEngineClient(client);
  return { client, dispose: () => conn.dispose() };
}

/** A client whose methods a test scripts; unscripted methods reject. */
export function fakeEngine(methods: Partial<{ [M in EngineMethod]: (p: ParamsOf<M>) => ResultOf<M> | Promise<ResultOf<M>> }>) {
  const listeners = new Set<(e: AnyEngineEvent) => void>();
  const calls: { method: EngineMethod; params: unknown }[] = [];
  const transport: EngineTransport = {
    async request<M extends EngineMethod>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
      calls.push({ method, params });
      const fn = methods[method] as ((p: ParamsOf<M>) => ResultOf<M>) | undefined;
      if (!fn) throw rejectWith({ code: 'bad-request', message: `fake engine: ${method} not scripted` });
      return fn(params);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    openLocalFile: () => Promise.reject(new Error('not in tests')),
    dispose: () => listeners.clear(),
  };
  const client = createEngineClient(transport);
  useEngineClient(client);
  return { client, calls, emit: (e: AnyEngineEvent) => listeners.forEach((l) => l(e)) };
}

export function freshPinia(): Pinia {
  const pinia = createPinia();
  setActivePinia(pinia);
  return pinia;
}

/** Plugins for mount(): the active Pinia and English strings. */
export function plugins(pinia: Pinia) {
  return [pinia, createAppI18n('en')];
}

/** Gives every element a layout box (happy-dom has none), so virtual lists render rows. */
export function fakeLayout(width = 1200, height = 600): () => void {
  const rect = vi.spyOn(Element.prototype, 'getBoundingClientRect').mockReturnValue({
    x: 0, y: 0, top: 0, left: 0, right: width, bottom: height, width, height, toJSON: () => ({}),
  } as DOMRect);
  const oh = vi.spyOn(HTMLElement.prototype, 'offsetHeight', 'get').mockReturnValue(height);
  const ow = vi.spyOn(HTMLElement.prototype, 'offsetWidth', 'get').mockReturnValue(width);
  const ch = vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(height);
  // Scrollable content as tall as anything a test scrolls to.
  const sh = vi.spyOn(HTMLElement.prototype, 'scrollHeight', 'get').mockReturnValue(1e9);
  return () => {
    sh.mockRestore();
    rect.mockRestore();
    oh.mockRestore();
    ow.mockRestore();
    ch.mockRestore();
  };
}

/** Waits until `check` passes (engine answers and Vue updates are asynchronous). */
export async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  for (;;) {
    await flushPromises();
    let ok = false;
    try {
      ok = check();
    } catch {
      ok = false;
    }
    if (ok) return;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
