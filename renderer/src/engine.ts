/**
 * The engine client the stores talk to. main.ts connects it (Electron IPC when the preload
 * bridge is there, else the serve-mode WebSocket); component tests install a fake with
 * `useEngineClient`. Only this module knows how the client was made.
 */
import { createEngineClient, findBridge, IpcTransport, WsTransport, type EngineClient } from './api';

let current: EngineClient | null = null;

/** Installs the client (main.ts, tests). */
export function useEngineClient(client: EngineClient | null): void {
  current = client;
}

/** The connected client; throws when the app has not connected yet (a programming error). */
export function engine(): EngineClient {
  if (!current) throw new Error('the engine is not connected yet');
  return current;
}

export function hasEngine(): boolean {
  return current !== null;
}

/** Connects to the shell this page runs in. */
export function connectEngine(loc: Location = window.location): EngineClient {
  const bridge = findBridge();
  const transport = bridge ? new IpcTransport(bridge) : WsTransport.forPage(loc);
  const client = createEngineClient(transport);
  useEngineClient(client);
  return client;
}
