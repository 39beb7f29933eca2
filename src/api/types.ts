/**
 * The data shapes of the engine API (§3): what the renderer receives. Plain JSON-like objects
 * (plus Uint8Array for packet bytes) so they cross Electron IPC (structured clone) and the
 * serve-mode WebSocket (src/api/codec.ts) unchanged. Browser-safe: no Node imports.
 */
import type { ColorRule } from './flags.js';
import type {
  Arrow, ArrowStyle, DiagramNote, DiagramTcp, Lifeline, SequenceDiagramModel,
} from '../analysis/sequence/types.js';
import type { EndpointState } from '../analysis/tcp/states.js';


export type ExpertSeverity = 'chat' | 'note' | 'warn' | 'error';

/** Which shell the renderer runs in and what it can do there (`appInfo`). */
export interface AppInfo {
  shell: 'electron' | 'serve' | 'test';
  version: string;
  /** A capture named on the command line (`wirescope serve FILE`, `electron . FILE`): open it. */
  initialFile: string | null;
  /** False when `cap`/libpcap is not installed: the capture toolbar explains instead of failing. */
  liveCapture: boolean;
  /** Why live capture is unavailable (install hint), when it is. */
  liveCaptureProblem: string | null;
  /**
   * Where exports and saved captures go. 'dialog': the shell asks the user (Electron), the
   * renderer passes no path. 'path-or-download': the renderer may pass a server-side path, or
   * none to get a download URL (serve mode).
   */
  saveMode: 'dialog' | 'path-or-download';
  /** Live captures of an earlier run that were neither saved nor discarded (crash, kill). */
  recoverable: RecoverableCapture[];
}

export interface RecoverableCapture {
  path: string;
  interface: string;
  sizeBytes: number;
  /** Modification time, ms since the epoch. */
  modifiedMs: number;
}

export interface RecentFile {
  path: string;
  name: string;
  openedMs: number;
}

/** One interface described by the capture file (pcap header, pcapng IDB). */
export interface CaptureFileInterface {
  name: string | null;
  linkType: number;
  snapLen: number;
  /** Decimal digits of the timestamp resolution (6 for µs pcap, 9 for ns). */
  timePrecision: number;
}

/** The open capture (`openFile`, `startCapture`, the `opened` event). */
export interface CaptureInfo {
  /** Changes whenever another capture is opened in this window/connection. */
  captureId: number;
  /** File name for the title bar ("http-handshake.pcap", "Live: lo"). */
  name: string;
  /** Absolute path of the file read (for a live capture: its temp pcapng). */
  path: string;
  source: 'file' | 'live';
  format: 'pcap' | 'pcapng';
  sizeBytes: number;
  interfaces: CaptureFileInterface[];
  /** Digits used for the Time column (the finest resolution of the file's interfaces). */
  timePrecision: number;
  /** Packets indexed so far. */
  packets: number;
  loading: boolean;
  /** A live capture whose packets are only in the temp file (save or discard before closing). */
  unsaved: boolean;
}

export interface LoadProgress {
  captureId: number;
  phase: 'load' | 'filter';
  /** Bytes of the file read (load) or packets tested (filter). */
  done: number;
  /** File size (load; grows during live capture) or packets to test (filter). */
  total: number;
  packets: number;
  finished: boolean;
  elapsedMs: number;
  /** The file is damaged after some packets: those were kept (one clear sentence). */
  warning?: string;
}

/** Packets were added (file loading, live capture): batched, at most every 100 ms. */
export interface PacketsAppended {
  captureId: number;
  /** All packets indexed. */
  total: number;
  /** Packets in the current view (= total without a display filter). */
  displayed: number;
}

/** One line of the packet list: Wireshark's default columns. */
export interface PacketRow {
  /** Frame number, 1-based (No. column, frame.number). */
  number: number;
  /** Position of this row in the displayed view, 0-based. */
  index: number;
  /** Absolute time: seconds since the epoch and nanoseconds within the second. */
  epochSec: number;
  epochNsec: number;
  /** Nanoseconds since the first packet of the capture (frame.time_relative). */
  relativeNs: number;
  /** Nanoseconds since the previous captured packet (frame.time_delta). */
  deltaNs: number;
  /** Nanoseconds since the previous displayed packet (frame.time_delta_displayed). */
  deltaDisplayedNs: number;
  source: string;
  destination: string;
  protocol: string;
  /** Bytes on the wire (frame.len). */
  length: number;
  capturedLength: number;
  info: string;
  /** The first of Wireshark's default coloring rules that matches. */
  color: ColorRule;
  /** AnalysisFlag bits (src/api/flags.ts). */
  flags: number;
  /** Most severe expert note of the packet, null when none. */
  expert: ExpertSeverity | null;
  /** tcp.stream or udp.stream, -1 when the packet is in neither. */
  stream: number;
  streamKind: 'tcp' | 'udp' | null;
}

export interface RowWindow {
  captureId: number;
  start: number;
  rows: PacketRow[];
  /** Packets in the displayed view. */
  displayed: number;
  total: number;
}

/** A node of the detail tree (TreeSink output, serialized). */
export interface DetailNode {
  /** Display-filter name ("ip.src", "tcp.analysis.retransmission", "frame"). */
  field: string;
  /** The whole tree line as Wireshark shows it ("Source Address: 10.0.0.1"). */
  label: string;
  /**
   * Absolute byte range in `PacketDetail.bytes` (or, when `source` is set, in
   * `PacketDetail.sources[source].bytes`); length 0 for generated values.
   */
  offset: number;
  length: number;
  generated: boolean;
  /** Present for filters and field export, not shown in Wireshark's tree. */
  hidden: boolean;
  /** tshark -T fields text of the value ("" for protocol and label nodes). */
  value: string;
  /** A display filter that matches this value ("Apply as filter"), null when none makes sense. */
  filter: string | null;
  expert?: { severity: ExpertSeverity; group: string; message: string };
  /** Index into PacketDetail.sources when the range is in reassembled data, not the frame. */
  source?: number;
  children?: DetailNode[];
}

/** Bytes other than the frame that tree nodes point into (Wireshark's extra hex-pane tabs). */
export interface DataSourceBytes {
  /** "Reassembled IPv4 (3008 bytes)", "Reassembled TCP (1460 bytes)". */
  name: string;
  bytes: Uint8Array;
}

export interface DecodeProblemInfo {
  kind: 'truncated' | 'malformed';
  layer: string;
  field: string;
  offset: number;
  message: string;
}

export interface PacketDetail {
  captureId: number;
  number: number;
  /** The captured bytes (hex pane). */
  bytes: Uint8Array;
  /** Reassembled data the tree also points into (extra hex-pane tabs), usually empty. */
  sources: DataSourceBytes[];
  /** frame.protocols split ("eth", "ethertype", "ip", "tcp", "http"). */
  layers: string[];
  tree: DetailNode[];
  problems: DecodeProblemInfo[];
  /** The row's columns, for the header of a detail view. */
  row: PacketRow;
}

export interface FilterResult {
  captureId: number;
  /** The expression applied ("" clears the filter). */
  expression: string;
  displayed: number;
  total: number;
  elapsedMs: number;
}

export interface FilterCheck {
  ok: boolean;
  /** One clear sentence, with the character range of the problem in the expression. */
  error?: { message: string; start: number; end: number };
  /** Fields in the expression that are deprecated or suspicious (yellow in Wireshark). */
  warnings?: string[];
}

export interface FieldCompletion {
  name: string;
  label: string;
  type: string;
  blurb?: string;
}

/** A point of a conversation: address plus port (port -1 for IP-level conversations). */
export interface ConversationEnd {
  address: string;
  port: number;
}

export interface Conversation {
  kind: 'tcp' | 'udp' | 'ip';
  /** tcp.stream / udp.stream, -1 for IP conversations. */
  stream: number;
  a: ConversationEnd;
  b: ConversationEnd;
  /** Which side opened the connection (sent the first SYN), null when the capture does not show it. */
  client: 'a' | 'b' | null;
  packetsAtoB: number;
  bytesAtoB: number;
  packetsBtoA: number;
  bytesBtoA: number;
  /** Nanoseconds since the first packet of the capture. */
  startNs: number;
  durationNs: number;
  /** Packets of the conversation carrying a TCP analysis flag. */
  flaggedPackets: number;
  /** Count per analysis flag label ("TCP Retransmission": 3). */
  flagCounts: Record<string, number>;
  firstFrame: number;
}

export interface Endpoint {
  kind: 'tcp' | 'udp' | 'ip';
  address: string;
  port: number;
  packets: number;
  bytes: number;
  txPackets: number;
  txBytes: number;
  rxPackets: number;
  rxBytes: number;
}

export interface ProtocolNode {
  protocol: string;
  /** Packets whose frame.protocols chain has this prefix. */
  packets: number;
  bytes: number;
  children: ProtocolNode[];
}

export interface DnsTransaction {
  queryFrame: number;
  responseFrame: number | null;
  name: string;
  type: string;
  rcode: string | null;
  answers: string[];
  responseTimeNs: number | null;
}

export interface HttpTransaction {
  requestFrame: number;
  responseFrame: number | null;
  method: string;
  host: string;
  uri: string;
  status: number | null;
  responseTimeNs: number | null;
  stream: number;
}

export interface IcmpEchoPair {
  requestFrame: number;
  replyFrame: number | null;
  source: string;
  destination: string;
  id: number;
  seq: number;
  rttNs: number | null;
}

export interface CaptureStats {
  captureId: number;
  packets: number;
  /** Sum of frame.len. */
  bytes: number;
  capturedBytes: number;
  /** Time of the first and last packet (seconds since the epoch + nanoseconds). */
  firstTime: { sec: number; nsec: number } | null;
  lastTime: { sec: number; nsec: number } | null;
  durationNs: number;
  protocolHierarchy: ProtocolNode[];
  /** Packets per TCP analysis flag label. */
  analysisCounts: Record<string, number>;
  malformedPackets: number;
  truncatedPackets: number;
  /** Transactions from the analysis (empty until the analysis module provides them). */
  dns: DnsTransaction[];
  http: HttpTransaction[];
  icmpEcho: IcmpEchoPair[];
  /** Set when a transaction list was cut at its limit. */
  transactionsTruncated: boolean;
}

/** One contiguous run of stream payload from one side, or a gap the capture did not see. */
export interface FollowChunk {
  from: 'client' | 'server';
  /** First frame that contributed these bytes. */
  frame: number;
  /** Payload bytes (empty for a gap). */
  data: Uint8Array;
  /** Bytes missing in the capture at this point ([N bytes missing in capture]); 0 for data. */
  missing: number;
}

export interface FollowResult {
  captureId: number;
  protocol: 'tcp' | 'udp';
  stream: number;
  client: ConversationEnd;
  server: ConversationEnd;
  chunks: FollowChunk[];
  clientBytes: number;
  serverBytes: number;
  /** The display filter that selects the stream (Wireshark puts it in the filter bar). */
  filter: string;
}

/**
 * Sequence diagrams use the analysis's model (src/analysis/sequence/types.ts), shared with
 * `wirescope diagram` and the teaching view (type-only imports: nothing of it runs in the page).
 */
/** RFC 793 state of a TCP endpoint ('UNKNOWN' when the capture started mid-connection). */
export type TcpState = EndpointState;
export type { ArrowStyle, DiagramTcp, Lifeline as SequenceLifeline };

/** A teaching note: its kind and facts, and the English sentence for them. */
export type SequenceNote = DiagramNote & { text: string };

export type SequenceArrow = Omit<Arrow, 'notes'> & { notes: SequenceNote[] };

export interface SequenceDiagram extends Omit<SequenceDiagramModel, 'arrows'> {
  captureId: number;
  arrows: SequenceArrow[];
}

export interface ExportResult {
  packets: number;
  sizeBytes: number;
  format: 'pcap' | 'pcapng';
  /** Where the file was written (Electron dialog, serve mode with a path). */
  path?: string;
  /** Serve mode without a path: a one-time URL that downloads the file (token included). */
  downloadUrl?: string;
  /** Electron: the user cancelled the save dialog; nothing was written. */
  cancelled?: boolean;
}

export interface InterfaceAddress {
  address: string;
  netmask: string | null;
  family: 'ipv4' | 'ipv6' | 'other';
}

export interface InterfaceInfo {
  name: string;
  description: string | null;
  addresses: InterfaceAddress[];
  loopback: boolean;
  /** Operational state from the OS ("up", "down", "unknown"). */
  status: 'up' | 'down' | 'unknown';
}

export type CaptureStateName = 'idle' | 'starting' | 'capturing' | 'stopping' | 'stopped' | 'failed';

/** The live capture's state (`captureState` event, `stopCapture` result). */
export interface CaptureStatus {
  captureId: number;
  state: CaptureStateName;
  interface: string | null;
  captureFilter: string;
  packets: number;
  bytes: number;
  /** Packets the kernel dropped (socket buffer full), null when the OS does not report it. */
  kernelDrops: number | null;
  /** Packets lost between the helper and the engine (must stay 0). */
  ourDrops: number;
  /** The temp pcapng holding the packets until saved or discarded. */
  tempFile: string | null;
  unsaved: boolean;
  startedMs: number | null;
  error?: ApiErrorInfo;
}

export type ApiErrorCode =
  /** The request itself is wrong (unknown method, bad argument): a renderer bug. */
  | 'bad-request'
  /** No capture is open in this window/connection. */
  | 'no-capture'
  | 'not-found'
  | 'not-a-capture'
  | 'io'
  | 'bad-filter'
  /** Live capture: the helper lacks CAP_NET_RAW/CAP_NET_ADMIN. */
  | 'capture-permission'
  | 'no-such-interface'
  | 'interface-gone'
  | 'bad-capture-filter'
  /** cap/libpcap not installed. */
  | 'capture-unavailable'
  /** Another operation (capture, load) prevents this one. */
  | 'busy'
  /** Closing would lose a live capture that was not saved. */
  | 'unsaved'
  | 'cancelled'
  | 'forbidden'
  | 'internal';

export interface ApiErrorInfo {
  code: ApiErrorCode;
  /** One clear sentence for the user, saying what to do where there is something to do. */
  message: string;
}
