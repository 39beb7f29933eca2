/**
 * Transport for serve mode: the engine API over one WebSocket (src/server). Requests carry an
 * id, the server answers with the same id; events arrive unsolicited. Payloads are JSON with
 * bytes in base64 (codec.ts). Dropped files are uploaded over HTTP first, then opened by their
 * server-side path. Browser-safe: the WebSocket and fetch implementations are the page's own
 * (injectable for Node tests).
 */
import { decodeMessage, encodeMessage } from './codec.js';
import { ApiError, isApiErrorInfo } from './errors.js';
import type { AnyEngineEvent, EngineMethod, ParamsOf, ResultOf } from './messages.js';
import { rejectWith, type EngineTransport, type LocalFile } from './transport.js';
import type { CaptureInfo } from './types.js';

/** The part of the WHATWG WebSocket API we use (the browser's, or the `ws` package in tests). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'close' | 'error' | 'message', listener: (ev: { data?: unknown; code?: number; reason?: string }) => void): void;
}

export type WebSocketFactory = (url: string) => WebSocketLike;

export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body: unknown; credentials?: string }) =>
  Promise<{ ok: boolean; status: number; json(): Promise<unknown>; text(): Promise<string> }>;

export interface WsTransportOptions {
  /** ws://host:port/api?token=… */
  url: string;
  /** Base URL for HTTP endpoints (uploads): http://host:port (default: derived from `url`). */
  httpBase?: string;
  /** Access token, when it is not in a cookie already. */
  token?: string;
  createSocket?: WebSocketFactory;
  fetch?: FetchLike;
}

const OPEN = 1;

interface Pending {
  resolve(v: unknown): void;
  reject(e: unknown): void;
}

export class WsTransport implements EngineTransport {
  private socket: WebSocketLike;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly queue: string[] = [];
  private readonly listeners = new Set<(e: AnyEngineEvent) => void>();
  private closedError: ApiError | null = null;
  private readonly httpBase: string;
  private readonly fetchImpl: FetchLike | undefined;
  private readonly token: string | undefined;
  /** Resolves once the socket is open (rejects if it closes first). */
  readonly ready: Promise<void>;

  constructor(opts: WsTransportOptions) {
    const create = opts.createSocket ?? ((url: string) => {
      const WS = (globalThis as unknown as { WebSocket?: new (u: string) => WebSocketLike }).WebSocket;
      if (!WS) throw new ApiError('io', 'this environment has no WebSocket');
      return new WS(url);
    });
    this.token = opts.token;
    const url = opts.token && !/[?&]token=/.test(opts.url)
      ? `${opts.url}${opts.url.includes('?') ? '&' : '?'}token=${encodeURIComponent(opts.token)}`
      : opts.url;
    this.httpBase = opts.httpBase ?? url.replace(/^ws(s?):\/\//, 'http$1://').replace(/\/[^/]*(\?.*)?$/, '');
    this.fetchImpl = opts.fetch ?? (globalThis as unknown as { fetch?: FetchLike }).fetch?.bind(globalThis);
    this.socket = create(url);
    this.ready = new Promise<void>((resolve, reject) => {
      this.socket.addEventListener('open', () => {
        for (const msg of this.queue.splice(0)) this.socket.send(msg);
        resolve();
      });
      this.socket.addEventListener('close', (ev) => {
        const why = ev.reason ? `: ${ev.reason}` : '';
        this.fail(new ApiError('io', `the connection to the Wirescope server was closed${why}`));
        reject(this.closedError);
      });
    });
    this.ready.catch(() => {});
    this.socket.addEventListener('message', (ev) => this.onMessage(ev.data));
  }

  /** The transport for a page served by `wirescope serve` (same host, token from the URL or cookie). */
  static forPage(location: { protocol: string; host: string; search: string }, opts: Partial<WsTransportOptions> = {}): WsTransport {
    const token = new URLSearchParams(location.search).get('token') ?? undefined;
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return new WsTransport({
      url: `${scheme}//${location.host}/api`,
      httpBase: `${location.protocol}//${location.host}`,
      ...(token ? { token } : {}),
      ...opts,
    });
  }

  private fail(err: ApiError): void {
    if (this.closedError) return;
    this.closedError = err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    for (const l of this.listeners) l({ event: 'error', data: err.toInfo() });
  }

  private onMessage(data: unknown): void {
    let msg: unknown;
    try {
      msg = decodeMessage(typeof data === 'string' ? data : String(data));
    } catch {
      return;
    }
    if (!msg || typeof msg !== 'object') return;
    const m = msg as { id?: unknown; result?: unknown; error?: unknown; event?: unknown; data?: unknown };
    if (typeof m.id === 'number') {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if ('error' in m && m.error !== undefined) p.reject(rejectWith(isApiErrorInfo(m.error) ? m.error : undefined));
      else p.resolve(m.result);
    } else if (typeof m.event === 'string') {
      for (const l of this.listeners) l(m as AnyEngineEvent);
    }
  }

  request<M extends EngineMethod>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    if (this.closedError) return Promise.reject(this.closedError);
    const id = this.nextId++;
    const text = encodeMessage({ id, method, params });
    return new Promise<ResultOf<M>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      if (this.socket.readyState === OPEN) this.socket.send(text);
      else this.queue.push(text);
    });
  }

  subscribe(listener: (event: AnyEngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async openLocalFile(file: LocalFile): Promise<CaptureInfo> {
    if (!this.fetchImpl) throw new ApiError('io', 'this environment cannot upload files');
    const q = `name=${encodeURIComponent(file.name)}${this.token ? `&token=${encodeURIComponent(this.token)}` : ''}`;
    const res = await this.fetchImpl(`${this.httpBase}/upload?${q}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: file,
      credentials: 'same-origin',
    });
    if (!res.ok) {
      const text = await res.text().catch(() => '');
      throw new ApiError(res.status === 403 ? 'forbidden' : 'io', `uploading "${file.name}" failed (${res.status}${text ? `: ${text}` : ''})`);
    }
    const body = (await res.json()) as { path?: unknown };
    if (typeof body.path !== 'string') throw new ApiError('io', `uploading "${file.name}" failed: the server gave no path`);
    return this.request('openFile', { path: body.path });
  }

  dispose(): void {
    this.fail(new ApiError('cancelled', 'the connection was closed by the page'));
    this.socket.close(1000, 'bye');
  }
}
