/**
 * The state one packet's dissection threads through the protocol decoders: the bytes, the
 * sink that receives fields, the Wireshark columns, the flat packet summary used by the index
 * and the analysis, and the structured decode problems. Isomorphic.
 */
import type { FieldDef, FieldValue, Timestamp } from './fields/types.js';
import type { ExpertNote, FieldSink } from './sink.js';
import { malformedFields } from './problems.js';

export interface FrameInfo {
  number: number;
  tsSec: number;
  tsNsec: number;
  capLen: number;
  origLen: number;
  interfaceId: number;
  linkType: number;
  comments?: string[];
}

/** §4: truncated (caplen too short) and malformed (fields contradict each other) differ. */
export interface DecodeProblem {
  kind: 'truncated' | 'malformed';
  layer: string;
  field: string;
  needed: number;
  available: number;
  offset: number;
  message: string;
}

/** What the TCP dissector knows about one segment (raw values straight from the header). */
export interface TcpSegmentInfo {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  /** The 12 flag bits (NS/CWR/ECE/URG/ACK/PSH/RST/SYN/FIN incl. reserved). */
  flags: number;
  window: number;
  hdrLen: number;
  urgentPointer: number;
  /** Absolute offset of the payload in the frame (or in the reassembled IP datagram's buffer). */
  payloadOffset: number;
  /** Payload bytes present in the captured data. */
  payloadLength: number;
  /** Payload bytes the IP header says exist (tcp.len); > payloadLength when the capture is cut. */
  segmentLength: number;
  mss: number;
  windowScale: number;
  sackPermitted: boolean;
  /** Raw SACK edges: [left0, right0, left1, right1, …]. */
  sack: number[];
  tsVal: number;
  tsEcr: number;
  hasTimestamps: boolean;
}

/** Flat per-packet summary: what the packet index and the analysis need, no tree. */
export interface PacketMeta {
  /** 0 none, 4 IPv4, 6 IPv6 (the outermost IP header; quoted headers in ICMP do not count). */
  ipVersion: 0 | 4 | 6;
  ip4Src: number;
  ip4Dst: number;
  ip6Src: Uint8Array | null;
  ip6Dst: Uint8Array | null;
  /** Upper-layer protocol number of the (last) IP header, -1 when none. */
  ipProto: number;
  srcPort: number;
  dstPort: number;
  tcp: TcpSegmentInfo | null;
  /** UDP payload location, -1 when not UDP. */
  udpPayloadOffset: number;
  udpPayloadLength: number;
  /** True once an IP fragment was seen that is not (yet) reassembled. */
  ipFragment: boolean;
}

export function emptyMeta(): PacketMeta {
  return {
    ipVersion: 0, ip4Src: 0, ip4Dst: 0, ip6Src: null, ip6Dst: null, ipProto: -1,
    srcPort: -1, dstPort: -1, tcp: null, udpPayloadOffset: -1, udpPayloadLength: 0, ipFragment: false,
  };
}

/** Wireshark's summary columns. */
export interface Columns {
  protocol: string;
  info: string;
  src: string;
  dst: string;
}

/** Extension points for stateful analysis (src/analysis) — decoders stay pure functions. */
export interface DecodeHooks {
  /**
   * Called by the TCP dissector after the header fields and before the payload is handed on:
   * the analysis adds its generated fields (tcp.stream, relative seq, analysis flags) to the
   * sink and may prefix the Info column.
   */
  tcp?: (ctx: DissectContext, seg: TcpSegmentInfo) => void;
  /** Called by the UDP dissector after its header fields (udp.stream). */
  udp?: (ctx: DissectContext) => void;
  /** Called by application dissectors with transaction keys (DNS id, HTTP, ICMP echo). */
  transaction?: (ctx: DissectContext, kind: string, key: string, isRequest: boolean) => void;
}

/** State that lives across packets of one capture (fragment tables, first/previous time). */
export class DecodeSession {
  firstTime: Timestamp | null = null;
  prevTime: Timestamp | null = null;
  /** Per-protocol state (IP fragment reassembly …), keyed by the protocol's name. */
  readonly protocolState = new Map<string, unknown>();
  constructor(public hooks: DecodeHooks = {}) {}

  state<T>(key: string, make: () => T): T {
    let s = this.protocolState.get(key) as T | undefined;
    if (s === undefined) {
      s = make();
      this.protocolState.set(key, s);
    }
    return s;
  }
}

export class DissectContext {
  readonly view: DataView;
  /** Protocol chain for frame.protocols ("eth:ethertype:ip:tcp:http"). */
  readonly protocols: string[] = [];
  readonly cols: Columns = { protocol: '', info: '', src: '', dst: '' };
  readonly problems: DecodeProblem[] = [];
  readonly experts: ExpertNote[] = [];
  readonly meta: PacketMeta = emptyMeta();
  /** >0 while decoding a quoted packet inside an ICMP error: do not touch meta/columns. */
  nested = 0;

  constructor(
    readonly bytes: Uint8Array,
    readonly sink: FieldSink,
    readonly frame: FrameInfo,
    readonly session: DecodeSession,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get hooks(): DecodeHooks {
    return this.session.hooks;
  }

  /** Bytes available from `offset` to the end of the captured data. */
  remaining(offset: number): number {
    return Math.max(0, this.bytes.length - offset);
  }

  setProtocol(name: string): void {
    if (!this.nested) this.cols.protocol = name;
  }

  setInfo(text: string): void {
    if (!this.nested) this.cols.info = text;
  }

  appendInfo(text: string): void {
    if (!this.nested) this.cols.info = this.cols.info ? `${this.cols.info} ${text}` : text;
  }

  setAddresses(src: string, dst: string): void {
    if (!this.nested) {
      this.cols.src = src;
      this.cols.dst = dst;
    }
  }

  note(note: ExpertNote): void {
    this.experts.push(note);
    this.sink.expert(note);
  }

  /**
   * Records that the capture ends before `field` of `layer` (needs `needed` bytes at `offset`).
   * Adds Wireshark's "[Packet size limited during capture]" marker node with an expert note.
   */
  truncated(layer: string, field: string, offset: number, needed: number): void {
    const available = this.remaining(offset);
    const message = `${layer}: ${field} needs ${needed} bytes at offset ${offset}, only ${available} captured`;
    this.problems.push({ kind: 'truncated', layer, field, needed, available, offset, message });
    this.sink.add(malformedFields.short, offset, available, null, 0,
      `[Packet size limited during capture: ${layer} truncated]`);
    this.note({ severity: 'warn', group: 'malformed', message });
  }

  /** Records a contradiction inside the packet: Wireshark's "[Malformed Packet: X]". */
  malformed(layer: string, field: string, offset: number, length: number, reason: string): void {
    const message = `${layer}: ${field}: ${reason}`;
    this.problems.push({
      kind: 'malformed', layer, field, needed: length, available: this.remaining(offset), offset, message,
    });
    this.sink.add(malformedFields.malformed, offset, Math.min(length, this.remaining(offset)), null, 0,
      `[Malformed Packet: ${layer}: ${reason}]`);
    this.note({ severity: 'error', group: 'malformed', message });
  }

  /** Shorthand for a leaf field whose value is read by the caller. */
  add(def: FieldDef, offset: number, length: number, value: FieldValue, flags?: number, text?: string): void {
    this.sink.add(def, offset, length, value, flags, text);
  }
}

/** A protocol decoder: reads bytes [offset, end) of the frame and reports to ctx. Never throws. */
export type Dissector = (ctx: DissectContext, offset: number, end: number) => void;
