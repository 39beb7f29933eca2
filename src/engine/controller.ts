/**
 * SessionController: the engine side of one window (Electron) or socket (serve mode). It owns
 * the open capture (a CaptureSession) and the live capture feeding it, and answers the
 * session-scoped requests of the API. It runs inside the engine worker (worker.ts), or in the
 * caller's thread for tests and the CLI (backend.ts). Parameters arrive validated.
 */
import { closeSync, copyFileSync, openSync } from 'node:fs';
import { basename } from 'node:path';
import { ApiError } from '../api/errors.js';
import type { AnyEngineEvent, EngineMethod, ParamsOf, ResultOf } from '../api/messages.js';
import type { CaptureInfo, CaptureStatus, FieldCompletion, FilterCheck } from '../api/types.js';
import { allFields } from '../decode/index.js';
import { compileFilter } from '../filter/index.js';
import { compileDisplayFilter } from './filter-pass.js';
import { appendAll, CaptureSession } from './session.js';
import { HelperCapture, listInterfaces, type HelperOptions } from './live/helper-process.js';
import { DEFAULT_SNAPLEN } from './live/helper-protocol.js';
import { adoptCapture, isTempCapture, newCapturePath, removeCapture } from './live/temp-store.js';

/** Methods the controller answers (the connection handles appInfo, listRecent, discardRecovered). */
export type ControllerMethod = Exclude<EngineMethod, 'appInfo' | 'listRecent' | 'discardRecovered'>;

export interface ControllerOptions {
  emit(event: AnyEngineEvent): void;
  helper?: HelperOptions;
  /** Temp directory for live captures (default: temp-store's). */
  captureDir?: string;
}

const STATUS_INTERVAL_MS = 500;

interface LiveState {
  helper: HelperCapture;
  fd: number;
  status: CaptureStatus;
  lastStatusEmit: number;
  helperPackets: number;
}

export class SessionController {
  private session: CaptureSession | null = null;
  private live: LiveState | null = null;
  private nextCaptureId = 1;
  private readonly emit: (event: AnyEngineEvent) => void;

  constructor(private readonly opts: ControllerOptions) {
    this.emit = opts.emit;
  }

  async handle<M extends ControllerMethod>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    const fn = (this as unknown as Record<string, (p: unknown) => unknown>)[`do_${method}`];
    if (typeof fn !== 'function') throw new ApiError('bad-request', `unknown method "${method}"`);
    return (await fn.call(this, params)) as ResultOf<M>;
  }

  private current(): CaptureSession {
    if (!this.session) throw new ApiError('no-capture', 'no capture is open: open a file or start a capture first');
    return this.session;
  }

  private ensureNothingUnsaved(action: string): void {
    const s = this.session;
    if (s && s.unsaved) {
      throw new ApiError('unsaved', `the live capture (${s.index.count} packets) has not been saved: save or discard it before you ${action}`);
    }
  }

  private closeCurrent(): void {
    const s = this.session;
    if (!s) return;
    this.session = null;
    s.close();
    this.emit({ event: 'closed', data: { captureId: s.captureId } });
  }

  private opened(s: CaptureSession): CaptureInfo {
    const info = s.info();
    this.emit({ event: 'opened', data: info });
    return info;
  }

  // ----------------------------------------------------------------- files

  async do_openFile(p: ParamsOf<'openFile'>): Promise<CaptureInfo> {
    if (!p.path) throw new ApiError('bad-request', 'openFile: "path" is required here');
    if (this.live?.helper.running) throw new ApiError('busy', 'a live capture is running: stop it before opening a file');
    this.ensureNothingUnsaved('open another file');
    this.closeCurrent();
    const s = new CaptureSession({ captureId: this.nextCaptureId++, path: p.path, source: 'file', emit: this.emit });
    await s.startFileLoad();
    this.session = s;
    return this.opened(s);
  }

  async do_recoverCapture(p: ParamsOf<'recoverCapture'>): Promise<CaptureInfo> {
    if (!isTempCapture(p.path, this.opts.captureDir)) {
      throw new ApiError('forbidden', `${p.path} is not a left-over live capture`);
    }
    if (this.live?.helper.running) throw new ApiError('busy', 'a live capture is running: stop it first');
    this.ensureNothingUnsaved('recover another capture');
    this.closeCurrent();
    const s = new CaptureSession({
      captureId: this.nextCaptureId++, path: p.path, source: 'live', name: `Recovered: ${basename(p.path)}`, emit: this.emit,
    });
    await s.startFileLoad();
    adoptCapture(p.path);
    s.unsaved = true;
    this.session = s;
    return this.opened(s);
  }

  async do_close(p: ParamsOf<'close'>): Promise<{ closed: boolean; unsavedPackets: number }> {
    const s = this.session;
    if (!s) return { closed: true, unsavedPackets: 0 };
    if (s.unsaved && !p.discard) return { closed: false, unsavedPackets: s.index.count };
    if (s.unsaved) return this.do_discardCapture().then(() => ({ closed: true, unsavedPackets: 0 }));
    this.closeCurrent();
    return { closed: true, unsavedPackets: 0 };
  }

  do_cancelLoad(): { packets: number } {
    return { packets: this.current().cancelLoad() };
  }

  // --------------------------------------------------------------- queries

  do_getRows(p: ParamsOf<'getRows'>) {
    return this.current().getRows(p.start, p.count);
  }

  do_getPacket(p: ParamsOf<'getPacket'>) {
    return this.current().getPacket(p.number);
  }

  do_locatePacket(p: ParamsOf<'locatePacket'>) {
    return { index: this.current().locate(p.number) };
  }

  do_applyFilter(p: ParamsOf<'applyFilter'>) {
    return this.current().applyFilter(p.expression);
  }

  do_validateFilter(p: ParamsOf<'validateFilter'>): FilterCheck {
    const text = p.expression.trim();
    if (text === '') return { ok: true };
    try {
      compileDisplayFilter(text);
      return { ok: true };
    } catch (err) {
      const compiled = compileFilter(text);
      if (!compiled.ok) return { ok: false, error: compiled.error };
      return { ok: false, error: { message: (err as Error).message, start: 0, end: text.length } };
    }
  }

  do_completeField(p: ParamsOf<'completeField'>): FieldCompletion[] {
    const prefix = p.prefix.toLowerCase();
    const limit = p.limit ?? 50;
    const out: FieldCompletion[] = [];
    const sorted = [...allFields()].filter((f) => f.name.toLowerCase().startsWith(prefix) && !f.name.startsWith('_ws.col'));
    // Shorter names first (protocols before their fields), then alphabetical.
    sorted.sort((a, b) => {
      const da = a.name.split('.').length;
      const db = b.name.split('.').length;
      return da - db || a.name.localeCompare(b.name);
    });
    for (const f of sorted.slice(0, limit)) {
      const c: FieldCompletion = { name: f.name, label: f.label, type: f.type };
      if (f.blurb) c.blurb = f.blurb;
      out.push(c);
    }
    return out;
  }

  do_getConversations(p: ParamsOf<'getConversations'>) {
    return this.current().getConversations(p.kind);
  }

  do_getEndpoints(p: ParamsOf<'getEndpoints'>) {
    return this.current().getEndpoints(p.kind);
  }

  do_getStats(p: ParamsOf<'getStats'>) {
    return this.current().getStats(p.transactionLimit);
  }

  do_followStream(p: ParamsOf<'followStream'>) {
    return this.current().followStream(p.protocol, p.stream);
  }

  do_getSequence(p: ParamsOf<'getSequence'>) {
    return this.current().getSequence(p);
  }

  do_exportPackets(p: ParamsOf<'exportPackets'>) {
    if (!p.path) throw new ApiError('bad-request', 'exportPackets: "path" is required here');
    const s = this.current();
    const selection = s.exportSelection(p.scope, p.frames);
    return s.exportPackets(p.path, p.format, selection);
  }

  // ----------------------------------------------------------------- live

  do_listInterfaces() {
    return listInterfaces(this.opts.helper);
  }

  private status(): CaptureStatus {
    const l = this.live;
    const s = this.session;
    if (!l) {
      return {
        captureId: s?.captureId ?? 0, state: 'idle', interface: null, captureFilter: '', packets: 0, bytes: 0,
        kernelDrops: null, ourDrops: 0, tempFile: null, unsaved: s?.unsaved ?? false, startedMs: null,
      };
    }
    l.status.packets = s && s.captureId === l.status.captureId ? s.index.count : l.status.packets;
    l.status.unsaved = s?.unsaved ?? false;
    return { ...l.status };
  }

  private emitStatus(force = true): void {
    const l = this.live;
    const now = performance.now();
    if (l && !force && now - l.lastStatusEmit < STATUS_INTERVAL_MS) return;
    if (l) l.lastStatusEmit = now;
    this.emit({ event: 'captureState', data: this.status() });
  }

  async do_startCapture(p: ParamsOf<'startCapture'>): Promise<CaptureInfo> {
    if (this.live?.helper.running) throw new ApiError('busy', `a capture on ${this.live.status.interface} is already running: stop it first`);
    this.ensureNothingUnsaved('start a new capture');
    this.closeCurrent();
    this.live = null;
    const path = newCapturePath(p.interface, this.opts.captureDir);
    const fd = openSync(path, 'a');
    const captureId = this.nextCaptureId++;
    const session = new CaptureSession({ captureId, path, source: 'live', name: `Live: ${p.interface}`, emit: this.emit });
    session.startLive();
    const status: CaptureStatus = {
      captureId, state: 'starting', interface: p.interface, captureFilter: p.captureFilter ?? '', packets: 0, bytes: 0,
      kernelDrops: null, ourDrops: 0, tempFile: path, unsaved: true, startedMs: Date.now(),
    };
    let live!: LiveState;
    const helper = new HelperCapture(
      {
        interface: p.interface,
        captureFilter: p.captureFilter ?? '',
        snaplen: p.snaplen ?? DEFAULT_SNAPLEN,
        promiscuous: p.promiscuous ?? true,
      },
      {
        onData: (chunk) => {
          // Temp file first: whatever the engine does next, the packets are on disk.
          appendAll(fd, chunk);
          session.appendLive(chunk);
          this.emitStatus(false);
        },
        onStats: (st) => {
          live.helperPackets = st.packets;
          live.status.bytes = st.bytes;
          live.status.kernelDrops = st.kernelDrops;
          this.emitStatus(false);
        },
        onExit: (error) => this.captureEnded(live, error),
      },
      this.opts.helper,
    );
    live = { helper, fd, status, lastStatusEmit: 0, helperPackets: 0 };
    this.live = live;
    this.session = session;
    this.emitStatus();
    try {
      await helper.start();
    } catch (err) {
      this.live = null;
      this.session = null;
      session.close();
      closeSync(fd);
      removeCapture(path);
      const e = err instanceof ApiError ? err : new ApiError('internal', String(err));
      this.emit({ event: 'captureState', data: { ...status, state: 'failed', unsaved: false, tempFile: null, error: e.toInfo() } });
      throw e;
    }
    status.state = 'capturing';
    this.emitStatus();
    return this.opened(session);
  }

  private captureEnded(live: LiveState, error: ApiError | null): void {
    try {
      closeSync(live.fd);
    } catch {
      // already closed
    }
    const s = this.session;
    if (s && s.captureId === live.status.captureId) {
      s.endLive();
      live.status.ourDrops = Math.max(0, live.helperPackets - s.index.count);
    }
    live.status.state = error ? 'failed' : 'stopped';
    if (error) {
      live.status.error = error.toInfo();
      this.emit({ event: 'error', data: error.toInfo() });
    }
    this.emitStatus();
  }

  async do_stopCapture(): Promise<CaptureStatus> {
    const l = this.live;
    if (!l) throw new ApiError('no-capture', 'no live capture is running');
    if (l.helper.running) {
      l.status.state = 'stopping';
      this.emitStatus();
      await l.helper.stop();
    }
    return this.status();
  }

  async do_saveCapture(p: ParamsOf<'saveCapture'>) {
    if (!p.path) throw new ApiError('bad-request', 'saveCapture: "path" is required here');
    const s = this.current();
    if (s.source !== 'live') throw new ApiError('bad-request', 'saveCapture saves live captures; use exportPackets for files');
    if (this.live?.helper.running) await this.do_stopCapture();
    let result;
    if (p.format === 'pcapng' && s.parser.packets === s.index.count) {
      // The temp file already is the pcapng: copy it byte for byte.
      copyFileSync(s.path, p.path);
      result = { packets: s.index.count, sizeBytes: s.parser.bytesConsumed, format: 'pcapng' as const, path: p.path };
    } else {
      result = s.exportPackets(p.path, p.format, s.exportSelection('all'));
    }
    s.unsaved = false;
    // Saved: the temp copy is no longer needed (open descriptors keep reading it on POSIX).
    removeCapture(s.path);
    this.emitStatus();
    return result;
  }

  async do_discardCapture(): Promise<{ discarded: boolean }> {
    const s = this.session;
    if (!s || s.source !== 'live') return { discarded: false };
    if (this.live?.helper.running) await this.live.helper.stop();
    this.closeCurrent();
    const removed = removeCapture(s.path);
    this.live = null;
    this.emitStatus();
    return { discarded: removed };
  }

  /** Stops everything (window closed, socket gone). Unsaved temp files stay for recovery. */
  async dispose(): Promise<void> {
    if (this.live?.helper.running) await this.live.helper.stop();
    this.session?.close();
    this.session = null;
  }

  /** Test/bench hook. */
  get currentSession(): CaptureSession | null {
    return this.session;
  }
}
