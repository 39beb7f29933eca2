/**
 * The controller in the caller's thread (tests, tools). A module of its own so that the shells,
 * which only use the worker backend, do not load the decoder in their main thread.
 */
import type { ParamsOf, ResultOf } from '../api/messages.js';
import type { BackendOptions, EngineBackend } from './backend.js';
import { SessionController, type ControllerMethod } from './controller.js';

/** The controller in this thread. */
export class InProcessBackend implements EngineBackend {
  readonly controller: SessionController;

  constructor(opts: BackendOptions) {
    const { onEvent, ...rest } = opts;
    this.controller = new SessionController({ ...rest, emit: onEvent });
  }

  call<M extends ControllerMethod>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    return this.controller.handle(method, params);
  }

  dispose(): Promise<void> {
    return this.controller.dispose();
  }
}
