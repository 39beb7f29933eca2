/**
 * The engine worker thread: one per window (Electron) or socket (serve mode), so decoding,
 * loading and filtering never run on the main event loop. It hosts a SessionController and
 * speaks a small message protocol with backend.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toErrorInfo } from '../api/errors.js';
import { SessionController, type ControllerOptions } from './controller.js';
import type { WorkerRequest, WorkerReply } from './backend.js';

const port = parentPort;
if (!port) throw new Error('engine worker: not started as a worker thread');

const data = (workerData ?? {}) as Pick<ControllerOptions, 'helper' | 'captureDir'>;
const post = (m: WorkerReply): void => port.postMessage(m);
const controller = new SessionController({ ...data, emit: (event) => post({ type: 'event', event }) });

port.on('message', (msg: WorkerRequest) => {
  if (msg.type === 'dispose') {
    void controller.dispose().finally(() => post({ type: 'disposed' }));
    return;
  }
  controller.handle(msg.method, msg.params as never).then(
    (result) => post({ type: 'result', id: msg.id, result }),
    (err) => post({ type: 'error', id: msg.id, error: toErrorInfo(err) }),
  );
});
post({ type: 'ready' });
