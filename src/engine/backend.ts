/**
 * How a connection (Electron window, serve-mode socket, test) reaches its SessionController:
 * in a worker thread (the shells: nothing heavy on the main event loop) or in the same thread
 * (tests, tools: in-process-backend.ts). Both behave the same.
 */
import type { Worker } from 'node:worker_threads';
import { ApiError } from '../api/errors.js';
import type { AnyEngineEvent, ParamsOf, ResultOf } from '../api/messages.js';
import type { ApiErrorInfo } from '../api/types.js';
// Types only: the controller and the whole decoder load in the worker, not in the shell's thread.
import type { ControllerMethod, ControllerOptions } from './controller.js';
import { siblingModule, startWorker } from './script-runner.js';

/**
 * The engine worker's young generation: 24 MB (8 MB semi-spaces) instead of V8's default of
 * up to 48. Indexing allocates short-lived objects per packet at a steady rate, and beyond
 * 8 MB semi-spaces scavenges get rarer without getting cheaper per object: measured on the
 * 550 MB bench capture, the same load time and about 17 MB less peak memory.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 24 };

export type WorkerRequest =
  | { type: 'call'; id: number; method: ControllerMethod; params: unknown }
  | { type: 'dispose' };

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'result'; id: number; result: unknown }
  | { type: 'error'; id: number; error: ApiErrorInfo }
  | { type: 'event'; event: AnyEngineEvent }
  | { type: 'disposed' };

export interface EngineBackend {
  call<M extends ControllerMethod>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>>;
  dispose(): Promise<void>;
}

export type BackendOptions = Omit<ControllerOptions, 'emit'> & { onEvent(event: AnyEngineEvent): void };

/** The controller in its own worker thread. */
export class WorkerBackend implements EngineBackend {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>();
  private dead: ApiError | null = null;
  private disposed: Promise<void> | null = null;

  constructor(opts: BackendOptions) {
    const { onEvent, ...data } = opts;
    this.worker = startWorker(siblingModule(import.meta.url, 'worker'), { workerData: data, resourceLimits: WORKER_LIMITS });
    this.worker.on('message', (m: WorkerReply) => {
      if (m.type === 'event') onEvent(m.event);
      else if (m.type === 'result' || m.type === 'error') {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.type === 'result') p.resolve(m.result);
        else p.reject(ApiError.from(m.error));
      }
    });
    const fail = (why: string): void => {
      if (this.dead) return;
      this.dead = new ApiError('internal', `the engine stopped unexpectedly (${why}); reopen the capture`);
      for (const p of this.pending.values()) p.reject(this.dead);
      this.pending.clear();
      if (!this.disposed) onEvent({ event: 'error', data: this.dead.toInfo() });
    };
    this.worker.on('error', (err) => fail(err.message));
    this.worker.on('exit', (code) => fail(`exit code ${code}`));
  }

  call<M extends ControllerMethod>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise<ResultOf<M>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ type: 'call', id, method, params } satisfies WorkerRequest);
    });
  }

  dispose(): Promise<void> {
    this.disposed ??= new Promise<void>((resolve) => {
      if (this.dead) {
        resolve();
        return;
      }
      const done = (): void => {
        void this.worker.terminate().then(() => resolve(), () => resolve());
      };
      this.worker.on('message', (m: WorkerReply) => {
        if (m.type === 'disposed') done();
      });
      this.worker.postMessage({ type: 'dispose' } satisfies WorkerRequest);
      // Do not wait forever for a stuck worker.
      setTimeout(done, 6000).unref();
    });
    return this.disposed;
  }
}
