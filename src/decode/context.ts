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
  /** frame.interface_id; -1 when the file format has none (classic pcap). */
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

/**
 * What the TCP dissector knows about one segment, and what the analysis tells it back.
 *
 * Contract between the TCP dissector (src/decode/protocols/tcp.ts) and the analysis
 * (src/analysis, through DecodeHooks), in the order things happen for one segment:
 *  1. The dissector parses the header and the options into a fresh TcpSegmentInfo (the raw
 *     values below) and sets the "analysis results" to their no-analysis defaults.
 *  2. `hooks.tcp(ctx, seg)`: the analysis updates its per-connection state and writes its
 *     results into the analysis slots (stream, relSeq, relAck, nextSeq, windowSize,
 *     windowSizeScaleFactor, sackBase, infoPrefix). It must not write to the sink here: no TCP
 *     field has been reported yet.
 *  3. The dissector reports the TCP tree in Wireshark's order: ports, then
 *     `hooks.tcpFields(ctx, seg, 'ports')` (tcp.stream, tcp.completeness), tcp.len, tcp.seq
 *     (= relSeq), tcp.seq_raw, tcp.nxtseq (when nextSeq ≥ 0), tcp.ack (= relAck), tcp.ack_raw,
 *     header length, flags, window, tcp.window_size / _scalefactor (when reported), checksum,
 *     urgent pointer, options (SACK edges minus sackBase, mod 2^32), then
 *     `hooks.tcpFields(ctx, seg, 'options')` ([Timestamps], [SEQ/ACK analysis] tcp.analysis.*),
 *     then tcp.payload, then `hooks.tcpFields(ctx, seg, 'payload')` (tcp.segment_data,
 *     tcp.reassembled_in …), and closes the TCP tree.
 *  4. The Info column is built from the analysis slots: `${infoPrefix}${src} → ${dst} [flags]
 *     Seq=${relSeq} Ack=${relAck} Win=${windowSize ≥ 0 ? windowSize : window} … Len=…`.
 *  5. When the segment carries payload: `hooks.tcpPayload(ctx, seg)`; returning true means the
 *     analysis took the payload (buffered it for reassembly, or dissected a reassembled PDU
 *     itself through `dissectTcpPayload` of tcp.ts). Otherwise the dissector hands
 *     [payloadOffset, payloadOffset + payloadLength) to the application by ports/heuristics
 *     (`dissectTcpPayload`), else `data`. An application dissector may replace the Info
 *     column; `infoPrefix` is put back in front of it afterwards (Wireshark's column fence).
 * The object is made per segment and stored in ctx.meta.tcp (when ctx.nested is 0).
 */
export interface TcpSegmentInfo {
  srcPort: number;
  dstPort: number;
  /** Raw sequence / acknowledgment numbers (tcp.seq_raw / tcp.ack_raw). */
  seq: number;
  ack: number;
  /** The 12 flag bits (AE/CWR/ECE/URG/ACK/PSH/RST/SYN/FIN incl. the 3 reserved bits). */
  flags: number;
  /** Raw window field (tcp.window_size_value). */
  window: number;
  /** Header length in bytes (data offset × 4). */
  hdrLen: number;
  urgentPointer: number;
  /** Absolute offset of the TCP header in the frame. */
  headerOffset: number;
  /** Absolute offset of the payload in the frame (or in the reassembled IP datagram's buffer). */
  payloadOffset: number;
  /** Payload bytes present in the captured data. */
  payloadLength: number;
  /** Payload bytes the IP header says exist (tcp.len); > payloadLength when the capture is cut. */
  segmentLength: number;
  /** MSS option value, -1 when absent. */
  mss: number;
  /** Window scale shift count from the option, -1 when absent. */
  windowScale: number;
  sackPermitted: boolean;
  /** Raw SACK edges: [left0, right0, left1, right1, …]; a shared empty array when none (read only). */
  sack: number[];
  tsVal: number;
  tsEcr: number;
  hasTimestamps: boolean;

  // ---- Analysis results (written by hooks.tcp; defaults = "no analysis") ----
  /** tcp.stream; -1 when no analysis ran (the dissector then reports no tcp.stream). */
  stream: number;
  /** tcp.seq as shown (relative to the ISN); default: the raw sequence number. */
  relSeq: number;
  /** tcp.ack as shown (relative); default: the raw acknowledgment number. */
  relAck: number;
  /** tcp.nxtseq (relative); -1: not reported. */
  nextSeq: number;
  /** tcp.window_size (the scaled window); -1: not reported, Info's Win= uses the raw window. */
  windowSize: number;
  /** tcp.window_size_scalefactor (-1 unknown, -2 no scaling, else the multiplier); -3: not reported. */
  windowSizeScaleFactor: number;
  /** Subtracted (mod 2^32) from the SACK edges: Wireshark shows them relative to the peer's ISN. */
  sackBase: number;
  /** Analysis text in front of the Info column, e.g. "[TCP Retransmission] " (trailing space included). */
  infoPrefix: string;
  /** Text appended to the Info column after the application's (e.g. " [TCP segment of a reassembled PDU]"). */
  infoSuffix: string;
  /**
   * Wireshark's TCP analysis flags of this segment as a bitmask (TCP_A_* of packet-tcp.c, see
   * src/analysis/tcp/flags.ts: 0x1 retransmission, 0x8 keep-alive, 0x200 out-of-order …); 0 when
   * none or when no analysis ran. The dissector does not hand keep-alive payload to
   * applications; the packet index stores it per packet.
   */
  analysisFlags?: number;
}

/**
 * What the UDP dissector passes to `hooks.udp` (step after its header fields). Ports are needed
 * because quoted UDP headers inside ICMP errors do not fill ctx.meta.
 */
export interface UdpDatagramInfo {
  srcPort: number;
  dstPort: number;
  /** Absolute offset of the UDP header in the frame. */
  headerOffset: number;
  /** The UDP length field (udp.length); 8 = empty payload (Wireshark then shows no timestamps). */
  length: number;
  /** Analysis result: udp.stream (-1 until the hook ran). */
  stream: number;
}

/**
 * Wireshark's pinfo->src / pinfo->dst: the addresses of the innermost IP header dissected so
 * far, including the quoted header inside an ICMP error (unlike ctx.meta). TCP/UDP
 * conversations (tcp.stream, udp.stream) are keyed by them. IPv4/IPv6 dissectors set it.
 */
export interface NetAddresses {
  /** 0 until an IP header was dissected. */
  version: 0 | 4 | 6;
  v4Src: number;
  v4Dst: number;
  v6Src: Uint8Array | null;
  v6Dst: Uint8Array | null;
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

/** Puts `m` back to emptyMeta()'s values (keep the two in step). */
function resetMeta(m: PacketMeta): void {
  m.ipVersion = 0;
  m.ip4Src = 0;
  m.ip4Dst = 0;
  m.ip6Src = null;
  m.ip6Dst = null;
  m.ipProto = -1;
  m.srcPort = -1;
  m.dstPort = -1;
  m.tcp = null;
  m.udpPayloadOffset = -1;
  m.udpPayloadLength = 0;
  m.ipFragment = false;
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
   * TCP step 2 (see TcpSegmentInfo): called once per segment before any TCP field is reported;
   * the analysis updates its state and fills the analysis slots of `seg`. No sink writes here.
   */
  tcp?: (ctx: DissectContext, seg: TcpSegmentInfo) => void;
  /**
   * TCP step 3: generated fields inside the TCP tree at Wireshark's positions — 'ports' right
   * after the port fields (tcp.stream, tcp.completeness), 'options' after the options
   * ([Timestamps], [SEQ/ACK analysis]), 'payload' after tcp.payload (reassembly fields).
   */
  tcpFields?: (ctx: DissectContext, seg: TcpSegmentInfo, where: 'ports' | 'options' | 'payload') => void;
  /**
   * TCP step 5: the segment's payload, after the TCP tree closed. Return true when the analysis
   * took it (reassembly); false lets the dissector hand it on by ports/heuristics.
   */
  tcpPayload?: (ctx: DissectContext, seg: TcpSegmentInfo) => boolean;
  /**
   * Called by the UDP dissector after its header fields (and checksum): the analysis adds
   * udp.stream and, for non-empty datagrams outside ICMP errors, udp.time_relative/time_delta,
   * and writes the stream into `dgram.stream`. Without `dgram` the ports come from ctx.meta.
   */
  udp?: (ctx: DissectContext, dgram?: UdpDatagramInfo) => void;
  /**
   * Called by application dissectors with transaction keys (DNS id, HTTP, ICMP echo), where
   * Wireshark puts the request/response link fields: the analysis adds them there (e.g.
   * dns.response_in / dns.response_to / dns.time) and may append to the Info column. Keys
   * (src/analysis/transactions): 'dns' | 'mdns' | 'llmnr' → the ID in decimal; 'icmp' |
   * 'icmpv6' → an opaque match key; 'http' → the full request URI (http.request.full_uri) for a
   * request, the status code ("200") for a response, called once per message after the headers.
   */
  transaction?: (ctx: DissectContext, kind: string, key: string, isRequest: boolean) => void;
}

/**
 * Bytes a packet's upper layers are decoded from when they are not the captured frame: a
 * reassembled IP datagram (Wireshark's "Reassembled IPv4" bytes tab). Field offsets reported
 * while a source is active are relative to `bytes`; sinks are told through `FieldSink.setSource`.
 */
export interface DataSource {
  /** Tab name, as Wireshark: "Reassembled IPv4 (3008 bytes)". */
  name: string;
  bytes: Uint8Array;
}

/** State that lives across packets of one capture (fragment tables, first/previous time). */
export class DecodeSession {
  firstTime: Timestamp | null = null;
  prevTime: Timestamp | null = null;
  /** Per-protocol state (IP fragment reassembly …), keyed by the protocol's name. */
  readonly protocolState = new Map<string, unknown>();
  /**
   * False when nobody reads the summary columns (`wirescope fields` without _ws.col.*): the
   * decoders then skip building Info strings (hot path). Read it through ctx.wantsColumns.
   */
  wantsColumns = true;
  /**
   * State kept for the whole file, shared with a later pass's session (Wireshark's file scope):
   * what decoders remember to show revisited frames the same way (completed IP reassemblies,
   * ARP duplicate findings). See `fileState`.
   */
  private readonly fileScope: Map<string, unknown>;

  /** `previousPass`: a session that already went over the same file (tshark -2, detail views). */
  constructor(public hooks: DecodeHooks = {}, previousPass?: DecodeSession) {
    this.fileScope = previousPass ? previousPass.fileScope : new Map();
  }

  state<T>(key: string, make: () => T): T {
    let s = this.protocolState.get(key) as T | undefined;
    if (s === undefined) {
      s = make();
      this.protocolState.set(key, s);
    }
    return s;
  }

  /**
   * Like `state`, but shared with later passes over the same file: decoders keep in it what they
   * need to recognise a frame they saw before (frame number ≤ the highest seen) and show it as
   * they did, or as Wireshark's second pass does ("[Reassembled in #20]").
   */
  fileState<T>(key: string, make: () => T): T {
    let s = this.fileScope.get(key) as T | undefined;
    if (s === undefined) {
      s = make();
      this.fileScope.set(key, s);
    }
    return s;
  }
}

export class DissectContext {
  /** The bytes being dissected (replaced only by `recycle`, between packets). */
  bytes: Uint8Array;
  view: DataView;
  frame: FrameInfo;
  /** Protocol chain for frame.protocols ("eth:ethertype:ip:tcp:http"). */
  readonly protocols: string[] = [];
  readonly cols: Columns = { protocol: '', info: '', src: '', dst: '' };
  readonly problems: DecodeProblem[] = [];
  readonly experts: ExpertNote[] = [];
  readonly meta: PacketMeta = emptyMeta();
  /** >0 while decoding a quoted packet inside an ICMP error: do not touch meta/columns. */
  nested = 0;
  /** pinfo->src/dst of Wireshark: set by the IP dissectors, also when nested (see NetAddresses). */
  readonly net: NetAddresses = { version: 0, v4Src: 0, v4Dst: 0, v6Src: null, v6Dst: null };

  /** The data source `bytes` belongs to; null for the captured frame itself. */
  readonly source: DataSource | null = null;

  /**
   * TCP desegmentation, Wireshark's pinfo->can_desegment / desegment_offset / desegment_len.
   * The analysis' reassembly (src/analysis/reassembly/desegment.ts, through hooks.tcpPayload)
   * sets `canDesegment` before it hands a TCP payload or a reassembled PDU to the application
   * dissectors. An application dissector that finds, with `canDesegment` true, that the PDU
   * starting at offset P is not complete within [offset, end):
   *  - reports nothing for that PDU (no sink fields, no `protocols` entry; PDUs before P that
   *    were complete are dissected normally). It may set the Info column first, as Wireshark's
   *    HTTP does with the request/status line ("GET /x HTTP/1.1 ");
   *  - sets `desegmentOffset = P` (absolute, in ctx.bytes) and `desegmentLen` to the number of
   *    bytes still needed after `end`, or DESEGMENT_ONE_MORE_SEGMENT when that is not known
   *    (e.g. HTTP headers without their blank line yet), then returns.
   * The reassembly buffers the rest and calls the dissector again, on the last segment, with
   * the whole PDU in a "Reassembled TCP" data source. When `canDesegment` is false (no
   * reassembly: a capture replayed without analysis), dissect as far as the bytes go.
   */
  canDesegment = false;
  desegmentOffset = 0;
  desegmentLen = 0;

  constructor(
    bytes: Uint8Array,
    readonly sink: FieldSink,
    frame: FrameInfo,
    readonly session: DecodeSession,
    /** When given: a view of the same packet over another data source (see `withSource`). */
    parent?: DissectContext,
    source?: DataSource,
  ) {
    this.bytes = bytes;
    this.frame = frame;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (parent) {
      this.protocols = parent.protocols;
      this.cols = parent.cols;
      this.problems = parent.problems;
      this.experts = parent.experts;
      this.meta = parent.meta;
      this.nested = parent.nested;
      this.net = parent.net;
      this.source = source ?? null;
    }
  }

  /**
   * Re-arms this top-level context for the next frame, as a fresh one would start, keeping its
   * objects: a bulk pass (the indexer) dissects hundreds of thousands of packets, and a
   * context with its columns, meta and lists per packet was a tenth of everything it allocated.
   * Only for a context nobody holds on to past its packet (the caller reads it, then recycles).
   */
  recycle(bytes: Uint8Array, frame: FrameInfo): this {
    this.bytes = bytes;
    this.frame = frame;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.protocols.length = 0;
    const cols = this.cols;
    cols.protocol = '';
    cols.info = '';
    cols.src = '';
    cols.dst = '';
    // Nearly always empty already (setting length calls into the runtime even then).
    if (this.problems.length !== 0) this.problems.length = 0;
    if (this.experts.length !== 0) this.experts.length = 0;
    resetMeta(this.meta);
    this.nested = 0;
    const net = this.net;
    net.version = 0;
    net.v4Src = 0;
    net.v4Dst = 0;
    net.v6Src = null;
    net.v6Dst = null;
    this.canDesegment = false;
    this.desegmentOffset = 0;
    this.desegmentLen = 0;
    return this;
  }

  /**
   * Decodes upper layers from another data source (a reassembled datagram): `fn` gets a context
   * sharing this packet's sink, columns, meta, protocols and problems whose `bytes` are
   * `source.bytes`; the sink is pointed at the source meanwhile and back at ours afterwards.
   */
  withSource(source: DataSource, fn: (sub: DissectContext) => void): void {
    const sub = new DissectContext(source.bytes, this.sink, this.frame, this.session, this, source);
    this.sink.setSource?.(source);
    try {
      fn(sub);
    } finally {
      this.sink.setSource?.(this.source);
    }
  }

  get hooks(): DecodeHooks {
    return this.session.hooks;
  }

  /** See DecodeSession.wantsColumns: when false, Info/Protocol texts need not be built. */
  get wantsColumns(): boolean {
    return this.session.wantsColumns;
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

/** desegmentLen: "give me the next segment too" (length unknown), as Wireshark's. */
export const DESEGMENT_ONE_MORE_SEGMENT = 0x0fffffff;
/** desegmentLen: "everything until the FIN" (e.g. an HTTP response without a length). */
export const DESEGMENT_UNTIL_FIN = 0x0ffffffe;

/** A protocol decoder: reads bytes [offset, end) of the frame and reports to ctx. Never throws. */
export type Dissector = (ctx: DissectContext, offset: number, end: number) => void;
