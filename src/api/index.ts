/**
 * The engine API (§3) — the only part of src/ the renderer imports: data types, the message
 * table, boundary validation, the transport interface and its two implementations.
 * Browser-safe: nothing here imports Node, Electron or engine code.
 *
 * Renderer usage:
 *   const transport = findBridge() ? new IpcTransport(findBridge()!) : WsTransport.forPage(location);
 *   const api = createEngineClient(transport);
 *   const info = await api.openFile({ path });
 *   api.on('packets', ({ displayed }) => …);
 *   const { rows } = await api.getRows({ start: 0, count: 100 });
 */
export * from './types.js';
export * from './flags.js';
export * from './messages.js';
export * from './errors.js';
export * from './format.js';
export { validateRequest, LIMITS } from './validate.js';
export { createEngineClient, type EngineClient, type EngineTransport, type LocalFile } from './transport.js';
export { IpcTransport, findBridge, type WirescopeBridge, type IpcReply } from './transport-ipc.js';
export { WsTransport, type WsTransportOptions, type WebSocketLike } from './transport-ws.js';
export { encodeMessage, decodeMessage } from './codec.js';
