/**
 * The engine API contract (§3): every request the renderer may send, with its parameters and
 * result, and every event the engine pushes. One table, used by the typed client, both
 * transports, the Electron preload (one function per message), the IPC router and the
 * serve-mode socket. Requests are scoped to the window (Electron) or socket (serve mode) that
 * sends them: each has its own capture session. Browser-safe.
 */
import type {
  ApiErrorInfo, AppInfo, CaptureInfo, CaptureStats, CaptureStatus, Conversation, Endpoint,
  ExportResult, FieldCompletion, FilterCheck, FilterResult, FollowResult, InterfaceInfo,
  LoadProgress, PacketDetail, PacketsAppended, RecentFile, RowWindow, SequenceDiagram,
} from './types.js';

/** Which packets an export writes. */
export type ExportScope = 'all' | 'displayed' | 'selected';
export type CaptureFileFormat = 'pcap' | 'pcapng';

export interface EngineRequests {
  /** Which shell, what it can do, a capture named on the command line, recoverable captures. */
  appInfo: { params: Record<string, never>; result: AppInfo };
  /**
   * Opens a capture file (closing the current one). Without `path` the shell asks the user
   * (Electron's open dialog); serve mode requires a path (an uploaded file's path included).
   */
  openFile: { params: { path?: string }; result: CaptureInfo };
  /**
   * Closes the capture. A live capture with unsaved packets is not closed unless `discard`
   * is true: the result then says `closed: false` with the count, so the UI can ask.
   */
  close: { params: { discard?: boolean }; result: { closed: boolean; unsavedPackets: number } };
  /** Stops reading the file; the packets read so far stay. */
  cancelLoad: { params: Record<string, never>; result: { packets: number } };
  /** Rows [start, start+count) of the displayed view (count ≤ 5000). */
  getRows: { params: { start: number; count: number }; result: RowWindow };
  /** Decodes one packet for the detail tree and hex pane (by frame number). */
  getPacket: { params: { number: number }; result: PacketDetail };
  /** Position of a frame in the displayed view (-1 when the filter hides it): Ctrl+G, diagram clicks. */
  locatePacket: { params: { number: number }; result: { index: number } };
  /** Applies a display filter ("" clears it); resolves when every packet was tested. */
  applyFilter: { params: { expression: string }; result: FilterResult };
  validateFilter: { params: { expression: string }; result: FilterCheck };
  /** Field names starting with `prefix` (filter bar completion), at most `limit` (default 50). */
  completeField: { params: { prefix: string; limit?: number }; result: FieldCompletion[] };
  getConversations: { params: { kind: 'tcp' | 'udp' | 'ip' }; result: Conversation[] };
  getEndpoints: { params: { kind: 'tcp' | 'udp' | 'ip' }; result: Endpoint[] };
  getStats: { params: { transactionLimit?: number }; result: CaptureStats };
  followStream: { params: { protocol: 'tcp' | 'udp'; stream: number }; result: FollowResult };
  /**
   * A sequence diagram for some streams, or for the packets a filter selects (at most
   * `limit` arrows, default 2000).
   */
  getSequence: {
    params: { streams?: number[]; protocol?: 'tcp' | 'udp'; filter?: string; limit?: number };
    result: SequenceDiagram;
  };
  /**
   * Writes packets as pcap or pcapng: all, the displayed view, or the frames listed in `frames`.
   * Where the file goes: see AppInfo.saveMode.
   */
  exportPackets: {
    params: { format: CaptureFileFormat; scope: ExportScope; frames?: number[]; path?: string };
    result: ExportResult;
  };
  listInterfaces: { params: Record<string, never>; result: InterfaceInfo[] };
  /** Starts a live capture in this window (closing the current capture). */
  startCapture: {
    params: { interface: string; captureFilter?: string; snaplen?: number; promiscuous?: boolean };
    result: CaptureInfo;
  };
  stopCapture: { params: Record<string, never>; result: CaptureStatus };
  /** Saves the live capture (stopping it first); its packets then count as saved. */
  saveCapture: { params: { format: CaptureFileFormat; path?: string }; result: ExportResult };
  /** Drops the live capture's temp file and closes the capture. */
  discardCapture: { params: Record<string, never>; result: { discarded: boolean } };
  listRecent: { params: Record<string, never>; result: RecentFile[] };
  /** Opens a live capture left over from an earlier run (AppInfo.recoverable); it stays unsaved. */
  recoverCapture: { params: { path: string }; result: CaptureInfo };
  /** Deletes a left-over live capture. */
  discardRecovered: { params: { path: string }; result: { discarded: boolean } };
}

export type EngineMethod = keyof EngineRequests;
export type ParamsOf<M extends EngineMethod> = EngineRequests[M]['params'];
export type ResultOf<M extends EngineMethod> = EngineRequests[M]['result'];

/** Every method, in a fixed order (the preload exposes one function per entry). */
export const ENGINE_METHODS = [
  'appInfo', 'openFile', 'close', 'cancelLoad', 'getRows', 'getPacket', 'locatePacket',
  'applyFilter', 'validateFilter', 'completeField', 'getConversations', 'getEndpoints',
  'getStats', 'followStream', 'getSequence', 'exportPackets', 'listInterfaces', 'startCapture',
  'stopCapture', 'saveCapture', 'discardCapture', 'listRecent', 'recoverCapture', 'discardRecovered',
] as const satisfies readonly EngineMethod[];

// Compile-time check that ENGINE_METHODS lists every method.
type Missing = Exclude<EngineMethod, (typeof ENGINE_METHODS)[number]>;
const everyMethodListed: Missing extends never ? true : Missing = true;
void everyMethodListed;

export function isEngineMethod(name: unknown): name is EngineMethod {
  return typeof name === 'string' && (ENGINE_METHODS as readonly string[]).includes(name);
}

/** Shell commands from native menus that the renderer carries out (Electron). */
export type MenuCommand =
  | 'open-interfaces' | 'start-capture' | 'stop-capture' | 'save-as' | 'export'
  | 'find' | 'go-to-packet' | 'toggle-theme' | 'time-format-relative' | 'time-format-absolute'
  | 'time-format-delta' | 'view-conversations' | 'view-statistics' | 'view-sequence'
  | 'view-follow' | 'zoom-in' | 'zoom-out' | 'zoom-reset' | 'about' | 'presentation';

export interface EngineEvents {
  /** Loading (or filtering) progress; `finished` once. */
  progress: LoadProgress;
  /** New packets indexed (file loading, live capture), batched at most every 100 ms. */
  packets: PacketsAppended;
  /** A capture was opened in this window, whoever asked (renderer, menu, command line, drop). */
  opened: CaptureInfo;
  /** The capture was closed. */
  closed: { captureId: number };
  captureState: CaptureStatus;
  /** A problem not tied to a request (the file became unreadable, the helper died …). */
  error: ApiErrorInfo;
  menu: { command: MenuCommand };
}

export type EngineEventName = keyof EngineEvents;

export const ENGINE_EVENTS = [
  'progress', 'packets', 'opened', 'closed', 'captureState', 'error', 'menu',
] as const satisfies readonly EngineEventName[];

export interface EngineEventMessage<E extends EngineEventName = EngineEventName> {
  event: E;
  data: EngineEvents[E];
}

export type AnyEngineEvent = { [E in EngineEventName]: EngineEventMessage<E> }[EngineEventName];

/** Wire messages of the serve-mode socket (and the engine worker). */
export interface RequestMessage {
  id: number;
  method: EngineMethod;
  params: unknown;
}

export type ResponseMessage =
  | { id: number; result: unknown }
  | { id: number; error: ApiErrorInfo };

/** Electron IPC channel names: one per method, one for events. */
export const IPC_PREFIX = 'wirescope:';
export const IPC_EVENT_CHANNEL = 'wirescope:event';
export function ipcChannel(method: EngineMethod): string {
  return IPC_PREFIX + method;
}
