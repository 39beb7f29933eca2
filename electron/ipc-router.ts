/**
 * The IPC router: one ipcMain handler per API message (channel "wirescope:<method>"). It checks
 * who is asking (isTrustedSender), that exactly one argument came, and hands the request to the
 * sender window's EngineConnection, which validates the arguments and answers with an IpcReply
 * envelope (a rejected invoke would lose the error code). A plain module: unit-tested with a
 * fake ipcMain.
 */
import { ENGINE_METHODS, ipcChannel, type EngineMethod } from '../src/api/messages.js';
import type { IpcReply } from '../src/api/transport-ipc.js';
import { isTrustedSender, type IpcSenderInfo } from './security.js';

/** What the router needs of Electron's ipcMain. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcSenderInfo, ...args: unknown[]) => Promise<unknown> | unknown): void;
  removeHandler(channel: string): void;
}

/** The per-window engine endpoint (EngineConnection). */
export interface RequestHandler {
  handle(method: unknown, params: unknown): Promise<IpcReply<unknown>>;
}

export interface RouterDeps {
  /** The connection of the window whose WebContents has this id, if it is one of ours. */
  connectionFor(contentsId: number): RequestHandler | undefined;
}

const forbidden: IpcReply<unknown> = {
  ok: false,
  error: { code: 'forbidden', message: 'this request did not come from a Wirescope window' },
};

export function registerIpcRouter(ipcMain: IpcMainLike, deps: RouterDeps): () => void {
  const channels: string[] = [];
  for (const method of ENGINE_METHODS) {
    const channel = ipcChannel(method);
    channels.push(channel);
    ipcMain.handle(channel, (event, ...args) => route(deps, method, event, args));
  }
  return () => {
    for (const c of channels) ipcMain.removeHandler(c);
  };
}

async function route(deps: RouterDeps, method: EngineMethod, event: IpcSenderInfo, args: unknown[]): Promise<IpcReply<unknown>> {
  const connection = deps.connectionFor(event.sender.id);
  if (!connection || !isTrustedSender(event, (id) => deps.connectionFor(id) !== undefined)) return forbidden;
  if (args.length > 1) {
    return { ok: false, error: { code: 'bad-request', message: `${method}: expected one parameters object, got ${args.length} arguments` } };
  }
  return connection.handle(method, args[0]);
}
