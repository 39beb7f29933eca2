/**
 * EngineConnection: the API boundary of one window (Electron IPC router) or socket (serve
 * mode). Every request is validated here (src/api/validate.ts) before anything acts on it;
 * the shell-specific parts — file dialogs, where saved files go, downloads — are injected as
 * ShellServices; the rest is forwarded to this connection's engine backend (a worker thread).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { ApiError, toErrorInfo } from '../api/errors.js';
import type { AnyEngineEvent, CaptureFileFormat, EngineMethod, ParamsOf, ResultOf } from '../api/messages.js';
import { validateRequest } from '../api/validate.js';
import type { AppInfo, ApiErrorInfo, ExportResult } from '../api/types.js';
import { WorkerBackend, type BackendOptions, type EngineBackend } from './backend.js';
import type { ControllerMethod } from './controller.js';
import type { HelperOptions } from './live/helper-process.js';
import { CAP_MISSING_HINT } from './live/helper-protocol.js';
import { captureDir, isTempCapture, recoverableCaptures, removeCapture } from './live/temp-store.js';
import { RecentFiles } from './recent.js';

export interface ShellServices {
  shell: AppInfo['shell'];
  version: string;
  initialFile?: string | null;
  /** 'dialog': the shell asks the user where to save (renderer paths refused). */
  saveMode: AppInfo['saveMode'];
  /** Asks the user for a capture to open (Electron); null when cancelled. */
  chooseOpenPath?(): Promise<string | null>;
  /** Asks the user where to write (Electron); null when cancelled. */
  chooseSavePath?(purpose: 'export' | 'save', format: CaptureFileFormat, defaultName: string): Promise<string | null>;
  /** Serve mode: makes a written file downloadable once; returns its URL. */
  registerDownload?(path: string, fileName: string): string;
  recent?: RecentFiles;
  helper?: HelperOptions;
  captureDir?: string;
  /** Builds the backend (default: a worker thread). */
  createBackend?(opts: BackendOptions): EngineBackend;
}

export type IpcReply = { ok: true; result: unknown } | { ok: false; error: ApiErrorInfo };

/** True when the optional libpcap binding is installed and built. */
export function liveCaptureProblem(): string | null {
  try {
    const req = createRequire(import.meta.url);
    const pkg = req.resolve('cap/package.json');
    if (!existsSync(join(dirname(pkg), 'build', 'Release', 'cap.node'))) return CAP_MISSING_HINT;
    return null;
  } catch {
    return CAP_MISSING_HINT;
  }
}

export class EngineConnection {
  private readonly backend: EngineBackend;
  private readonly recent: RecentFiles;
  private disposed = false;

  constructor(private readonly services: ShellServices, private readonly sendEvent: (event: AnyEngineEvent) => void) {
    this.recent = services.recent ?? new RecentFiles();
    const opts: BackendOptions = {
      onEvent: (e) => {
        if (!this.disposed) this.sendEvent(e);
      },
    };
    if (services.helper) opts.helper = services.helper;
    if (services.captureDir) opts.captureDir = services.captureDir;
    this.backend = services.createBackend ? services.createBackend(opts) : new WorkerBackend(opts);
  }

  /** Handles one request from an untrusted sender; never throws (errors come back as replies). */
  async handle(method: unknown, params: unknown): Promise<IpcReply> {
    try {
      const clean = validateRequest(method, params);
      const result = await this.dispatch(method as EngineMethod, clean);
      return { ok: true, result };
    } catch (err) {
      return { ok: false, error: toErrorInfo(err) };
    }
  }

  private forward<M extends ControllerMethod>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    if (this.disposed) return Promise.reject(new ApiError('cancelled', 'this window or connection was closed'));
    return this.backend.call(method, params);
  }

  private async dispatch(method: EngineMethod, params: unknown): Promise<unknown> {
    switch (method) {
      case 'appInfo':
        return this.appInfo();
      case 'listRecent':
        return this.recent.list();
      case 'openFile':
        return this.openFile(params as ParamsOf<'openFile'>);
      case 'exportPackets':
        return this.write('export', params as ParamsOf<'exportPackets'>, (path) =>
          this.forward('exportPackets', { ...(params as ParamsOf<'exportPackets'>), path }));
      case 'saveCapture':
        return this.write('save', params as ParamsOf<'saveCapture'>, (path) =>
          this.forward('saveCapture', { ...(params as ParamsOf<'saveCapture'>), path }));
      case 'recoverCapture': {
        const p = params as ParamsOf<'recoverCapture'>;
        this.checkTemp(p.path);
        return this.forward('recoverCapture', { path: resolve(p.path) });
      }
      case 'discardRecovered': {
        const p = params as ParamsOf<'discardRecovered'>;
        this.checkTemp(p.path);
        const abs = resolve(p.path);
        if (!recoverableCaptures(this.dir).some((r) => r.path === abs)) {
          throw new ApiError('forbidden', `${p.path} is in use by a running capture, or not a left-over capture`);
        }
        return { discarded: removeCapture(abs) };
      }
      default:
        return this.forward(method as ControllerMethod, params as never);
    }
  }

  private get dir(): string {
    return this.services.captureDir ?? captureDir();
  }

  private checkTemp(path: string): void {
    if (!isTempCapture(path, this.dir)) throw new ApiError('forbidden', `${path} is not a left-over live capture`);
  }

  appInfo(): AppInfo {
    const problem = liveCaptureProblem();
    return {
      shell: this.services.shell,
      version: this.services.version,
      initialFile: this.services.initialFile ?? null,
      liveCapture: problem === null,
      liveCaptureProblem: problem,
      saveMode: this.services.saveMode,
      recoverable: recoverableCaptures(this.dir),
    };
  }

  private async openFile(p: ParamsOf<'openFile'>) {
    let path = p.path;
    if (path === undefined) {
      if (!this.services.chooseOpenPath) throw new ApiError('bad-request', 'openFile: "path" is required');
      const chosen = await this.services.chooseOpenPath();
      if (!chosen) throw new ApiError('cancelled', 'no file was chosen');
      path = chosen;
    }
    const abs = resolve(path);
    const info = await this.forward('openFile', { path: abs });
    this.recent.add(abs);
    return info;
  }

  /** Where a written file goes: the user's choice (dialog), the given path, or a download. */
  private async write(
    purpose: 'export' | 'save',
    p: { format: CaptureFileFormat; path?: string },
    run: (path: string) => Promise<ExportResult>,
  ): Promise<ExportResult> {
    const ext = p.format === 'pcap' ? 'pcap' : 'pcapng';
    if (this.services.saveMode === 'dialog') {
      if (p.path !== undefined) throw new ApiError('forbidden', 'the application chooses where files are saved: call without a path');
      const chosen = await this.services.chooseSavePath?.(purpose, p.format, `${purpose === 'save' ? 'capture' : 'export'}.${ext}`);
      if (!chosen) return { packets: 0, sizeBytes: 0, format: p.format, cancelled: true };
      return run(resolve(chosen));
    }
    if (p.path !== undefined) return run(resolve(p.path));
    if (!this.services.registerDownload) throw new ApiError('bad-request', `${purpose === 'save' ? 'saveCapture' : 'exportPackets'}: "path" is required`);
    const dir = join(tmpdir(), 'wirescope-downloads');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const name = `wirescope-${purpose}-${Date.now()}.${ext}`;
    const path = join(dir, name);
    const result = await run(path);
    const out: ExportResult = { ...result, downloadUrl: this.services.registerDownload(path, basename(name)) };
    delete out.path;
    return out;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.backend.dispose();
  }
}
