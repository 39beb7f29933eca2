/**
 * Transport for the Electron shell: the preload script (electron/preload.ts) exposes
 * `window.wirescope`, one function per message through contextBridge; each returns an
 * IpcReply envelope (ipcRenderer.invoke would flatten thrown errors into a string, losing the
 * code). Browser-safe: no Node or Electron imports.
 */
import type { AnyEngineEvent, EngineMethod, ParamsOf, ResultOf } from './messages.js';
import { rejectWith, type EngineTransport, type LocalFile } from './transport.js';
import type { ApiErrorInfo, CaptureInfo } from './types.js';
import { ApiError } from './errors.js';

export type IpcReply<T> = { ok: true; result: T } | { ok: false; error: ApiErrorInfo };

/** What the preload puts on `window.wirescope`. */
export type WirescopeBridge = {
  [M in EngineMethod]: (params: ParamsOf<M>) => Promise<IpcReply<ResultOf<M>>>;
} & {
  /** Subscribes to engine events for this window; returns the unsubscribe function. */
  onEvent(listener: (event: AnyEngineEvent) => void): () => void;
  /** The file-system path of a dropped/picked File (Electron's webUtils.getPathForFile). */
  pathForFile(file: LocalFile): string;
};

/** The bridge when the page runs inside the Electron shell, else null. */
export function findBridge(): WirescopeBridge | null {
  const g = globalThis as { wirescope?: WirescopeBridge };
  return g.wirescope && typeof g.wirescope.onEvent === 'function' ? g.wirescope : null;
}

export class IpcTransport implements EngineTransport {
  private readonly unsubscribers: (() => void)[] = [];

  constructor(private readonly bridge: WirescopeBridge) {}

  async request<M extends EngineMethod>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    const fn = this.bridge[method] as ((p: ParamsOf<M>) => Promise<IpcReply<ResultOf<M>>>) | undefined;
    if (typeof fn !== 'function') throw new ApiError('bad-request', `the shell does not offer "${method}"`);
    const reply = await fn(params);
    if (reply && reply.ok === true) return reply.result;
    throw rejectWith(reply && reply.ok === false ? reply.error : undefined);
  }

  subscribe(listener: (event: AnyEngineEvent) => void): () => void {
    const off = this.bridge.onEvent(listener);
    this.unsubscribers.push(off);
    return off;
  }

  openLocalFile(file: LocalFile): Promise<CaptureInfo> {
    const path = this.bridge.pathForFile(file);
    if (!path) return Promise.reject(new ApiError('not-found', `cannot open "${file.name}": it is not a file on this computer`));
    return this.request('openFile', { path });
  }

  dispose(): void {
    for (const off of this.unsubscribers.splice(0)) off();
  }
}
