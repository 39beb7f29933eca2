/**
 * The object the preload script exposes as `window.wirescope`: one function per API message
 * (each sends exactly its one parameters object over its own channel), `onEvent` for engine
 * events (the Electron event object is never handed to the page), and `pathForFile` for
 * dropped files. Built from injected ipcRenderer/webUtils so it is testable without Electron.
 */
import { ENGINE_METHODS, IPC_EVENT_CHANNEL, ipcChannel, type AnyEngineEvent } from '../src/api/messages.js';
import type { LocalFile } from '../src/api/transport.js';
import type { WirescopeBridge } from '../src/api/transport-ipc.js';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function buildBridge(ipc: IpcRendererLike, pathForFile: (file: LocalFile) => string): WirescopeBridge {
  const bridge: Record<string, unknown> = {};
  for (const method of ENGINE_METHODS) {
    const channel = ipcChannel(method);
    bridge[method] = (params: unknown) => ipc.invoke(channel, params ?? {});
  }
  bridge.onEvent = (listener: (event: AnyEngineEvent) => void) => {
    const wrapped = (_event: unknown, message: unknown): void => listener(message as AnyEngineEvent);
    ipc.on(IPC_EVENT_CHANNEL, wrapped);
    return () => {
      ipc.removeListener(IPC_EVENT_CHANNEL, wrapped);
    };
  };
  bridge.pathForFile = (file: LocalFile) => {
    try {
      return pathForFile(file);
    } catch {
      return '';
    }
  };
  return Object.freeze(bridge) as WirescopeBridge;
}
