/**
 * The one transport interface the renderer talks through (§2), and the typed client built on
 * it. Two implementations: transport-ipc.ts (Electron preload bridge) and transport-ws.ts
 * (serve mode). Nothing else in the renderer needs to know which shell it runs in.
 * Browser-safe.
 */
import { ApiError } from './errors.js';
import {
  ENGINE_METHODS, type AnyEngineEvent, type EngineEventName, type EngineEvents, type EngineMethod,
  type ParamsOf, type ResultOf,
} from './messages.js';
import type { CaptureInfo } from './types.js';

/** A file the user picked or dropped in the page (a DOM File satisfies this). */
export interface LocalFile {
  readonly name: string;
  readonly size: number;
}

export interface EngineTransport {
  /** Sends one request; rejects with ApiError. */
  request<M extends EngineMethod>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>>;
  /** Receives every engine event; returns the unsubscribe function. */
  subscribe(listener: (event: AnyEngineEvent) => void): () => void;
  /**
   * Opens a file the user dropped on (or picked in) the page: Electron resolves its path,
   * serve mode uploads it to the server first.
   */
  openLocalFile(file: LocalFile): Promise<CaptureInfo>;
  /** Releases the connection. */
  dispose(): void;
}

type Methods = { [M in EngineMethod]: (params: ParamsOf<M>) => Promise<ResultOf<M>> };

/**
 * The typed API: one function per message, `on(event, handler)` for events.
 * `client.getRows({ start: 0, count: 100 })`, `client.on('packets', (p) => …)`.
 */
export type EngineClient = Methods & {
  on<E extends EngineEventName>(event: E, handler: (data: EngineEvents[E]) => void): () => void;
  openLocalFile(file: LocalFile): Promise<CaptureInfo>;
  readonly transport: EngineTransport;
};

export function createEngineClient(transport: EngineTransport): EngineClient {
  const client = {
    transport,
    on<E extends EngineEventName>(event: E, handler: (data: EngineEvents[E]) => void) {
      return transport.subscribe((msg) => {
        if (msg.event === event) handler(msg.data as EngineEvents[E]);
      });
    },
    openLocalFile: (file: LocalFile) => transport.openLocalFile(file),
  } as Record<string, unknown>;
  for (const method of ENGINE_METHODS) {
    client[method] = (params: unknown) =>
      transport.request(method, (params ?? {}) as ParamsOf<typeof method>);
  }
  return client as EngineClient;
}

/** Rejection reason of a failed request, as ApiError (for transports). */
export function rejectWith(info: { code: string; message: string } | undefined): ApiError {
  if (!info) return new ApiError('internal', 'the engine returned neither a result nor an error');
  return new ApiError(info.code as ApiError['code'], info.message);
}
