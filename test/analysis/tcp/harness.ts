/**
 * Test harness for the TCP/UDP analysis hooks.
 *
 *  - `tcpFrame(spec)` builds real Ethernet/IPv4/TCP bytes (options included, checksums zero).
 *  - `AnalysisHarness.feed(bytes, time)` runs one frame through the hooks: through the real
 *    decoders (decodePacket) when the Ethernet, IPv4 and TCP dissectors are registered, else
 *    through a small stand-in that parses the headers into a TcpSegmentInfo and calls the hooks
 *    in the order the TCP dissector contract (src/decode/context.ts) prescribes. Either way
 *    the analysis is exercised through DecodeHooks, and the result reads the analysis fields
 *    from a FieldCollector plus the analysis slots of the segment.
 */
import {
  decodePacket, DecodeSession, DissectContext, FieldCollector, fieldCount, formatFieldValue, lookupField,
  type FieldDef, type FrameInfo, type TcpSegmentInfo, type UdpDatagramInfo,
} from '../../../src/decode/index.js';
import { etherTypes, ipProtocols, linkTypes } from '../../../src/decode/registry.js';
import { createAnalyzer, type Analyzer } from '../../../src/analysis/index.js';

export const FIN = 0x01;
export const SYN = 0x02;
export const RST = 0x04;
export const PSH = 0x08;
export const ACK = 0x10;

export interface TcpSpec {
  src: string;
  dst: string;
  sport: number;
  dport: number;
  seq: number;
  ack?: number;
  flags: number;
  win?: number;
  /** Payload length (bytes of 'x'), or explicit payload. */
  len?: number;
  mss?: number;
  ws?: number;
  sackPerm?: boolean;
  /** SACK blocks, raw: [left, right, …]. */
  sack?: number[];
  ts?: [number, number];
}

function ip4(text: string): number[] {
  return text.split('.').map(Number);
}

function be16(n: number): number[] {
  return [(n >>> 8) & 255, n & 255];
}

function be32(n: number): number[] {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
}

function tcpOptions(s: TcpSpec): number[] {
  const o: number[] = [];
  if (s.mss !== undefined) o.push(2, 4, ...be16(s.mss));
  if (s.sackPerm) o.push(4, 2);
  if (s.ts) o.push(8, 10, ...be32(s.ts[0]), ...be32(s.ts[1]));
  if (s.ws !== undefined) o.push(1, 3, 3, s.ws);
  if (s.sack && s.sack.length) {
    o.push(1, 1, 5, 2 + 4 * s.sack.length);
    for (const e of s.sack) o.push(...be32(e));
  }
  while (o.length % 4) o.push(0);
  return o;
}

/** Ethernet II + IPv4 + TCP bytes for a segment. */
export function tcpFrame(s: TcpSpec): Uint8Array {
  const opts = tcpOptions(s);
  const payload = new Array(s.len ?? 0).fill(0x78);
  const tcpLen = 20 + opts.length;
  const tcp = [
    ...be16(s.sport), ...be16(s.dport), ...be32(s.seq >>> 0), ...be32((s.ack ?? 0) >>> 0),
    (tcpLen / 4) << 4, s.flags & 0xff, ...be16(s.win ?? 65535), 0, 0, 0, 0, ...opts, ...payload,
  ];
  const total = 20 + tcp.length;
  const ip = [0x45, 0, ...be16(total), 0, 1, 0x40, 0, 64, 6, 0, 0, ...ip4(s.src), ...ip4(s.dst)];
  const eth = [0, 0, 0x5e, 0, 0x53, 2, 0, 0, 0x5e, 0, 0x53, 1, 0x08, 0x00];
  return Uint8Array.from([...eth, ...ip, ...tcp]);
}

// ------------------------------------------------------------------ stand-in dissector

interface L3 {
  version: 4 | 6;
  src4: number;
  dst4: number;
  src6: Uint8Array | null;
  dst6: Uint8Array | null;
  proto: number;
  /** Offset and reported length of the upper layer. */
  offset: number;
  length: number;
  fragment: boolean;
}

function parseIp(b: Uint8Array, off: number, end: number): L3 | null {
  if (off + 20 > end) return null;
  const v = b[off] >> 4;
  if (v === 4) {
    const hl = (b[off] & 15) * 4;
    const total = (b[off + 2] << 8) | b[off + 3];
    const fragOff = ((b[off + 6] & 0x1f) << 8) | b[off + 7];
    const mf = (b[off + 6] & 0x20) !== 0;
    return {
      version: 4,
      src4: ((b[off + 12] << 24) | (b[off + 13] << 16) | (b[off + 14] << 8) | b[off + 15]) >>> 0,
      dst4: ((b[off + 16] << 24) | (b[off + 17] << 16) | (b[off + 18] << 8) | b[off + 19]) >>> 0,
      src6: null, dst6: null, proto: b[off + 9], offset: off + hl, length: total - hl,
      fragment: mf || fragOff !== 0,
    };
  }
  if (v === 6 && off + 40 <= end) {
    const plen = (b[off + 4] << 8) | b[off + 5];
    return {
      version: 6, src4: 0, dst4: 0, src6: b.subarray(off + 8, off + 24), dst6: b.subarray(off + 24, off + 40),
      proto: b[off + 6], offset: off + 40, length: plen, fragment: false,
    };
  }
  return null;
}

function linkPayload(linkType: number, b: Uint8Array): number {
  if (linkType === 1) {
    let off = 12;
    let et = (b[off] << 8) | b[off + 1];
    while (et === 0x8100) { off += 4; et = (b[off] << 8) | b[off + 1]; }
    return et === 0x0800 || et === 0x86dd ? off + 2 : -1;
  }
  if (linkType === 113) return 16;
  if (linkType === 276) return 20;
  if (linkType === 101 || linkType === 228 || linkType === 229) return 0;
  return -1;
}

export function parseSegment(b: Uint8Array, off: number, reported: number): TcpSegmentInfo | null {
  if (off + 20 > b.length) return null;
  const hdrLen = (b[off + 12] >> 4) * 4;
  const seg: TcpSegmentInfo = {
    srcPort: (b[off] << 8) | b[off + 1],
    dstPort: (b[off + 2] << 8) | b[off + 3],
    seq: ((b[off + 4] << 24) | (b[off + 5] << 16) | (b[off + 6] << 8) | b[off + 7]) >>> 0,
    ack: ((b[off + 8] << 24) | (b[off + 9] << 16) | (b[off + 10] << 8) | b[off + 11]) >>> 0,
    flags: ((b[off + 12] & 0x0f) << 8) | b[off + 13],
    window: (b[off + 14] << 8) | b[off + 15],
    hdrLen,
    urgentPointer: (b[off + 18] << 8) | b[off + 19],
    headerOffset: off,
    payloadOffset: off + hdrLen,
    payloadLength: Math.max(0, Math.min(b.length, off + reported) - off - hdrLen),
    segmentLength: reported >= hdrLen ? reported - hdrLen : -1,
    mss: -1, windowScale: -1, sackPermitted: false, sack: [], tsVal: 0, tsEcr: 0, hasTimestamps: false,
    stream: -1, relSeq: 0, relAck: 0, nextSeq: -1, windowSize: -1, windowSizeScaleFactor: -3, sackBase: 0,
    infoPrefix: '', infoSuffix: '',
  };
  seg.relSeq = seg.seq;
  seg.relAck = seg.ack;
  const end = Math.min(b.length, off + hdrLen);
  for (let p = off + 20; p < end; ) {
    const kind = b[p];
    if (kind === 0) break;
    if (kind === 1) { p++; continue; }
    if (p + 1 >= end) break;
    const len = b[p + 1];
    if (len < 2 || p + len > end) break;
    if (kind === 2 && len === 4) seg.mss = (b[p + 2] << 8) | b[p + 3];
    else if (kind === 3 && len === 3) seg.windowScale = b[p + 2];
    else if (kind === 4 && len === 2) seg.sackPermitted = true;
    else if (kind === 5) {
      for (let q = p + 2; q + 8 <= p + len; q += 8) {
        seg.sack.push(((b[q] << 24) | (b[q + 1] << 16) | (b[q + 2] << 8) | b[q + 3]) >>> 0,
          ((b[q + 4] << 24) | (b[q + 5] << 16) | (b[q + 6] << 8) | b[q + 7]) >>> 0);
      }
    } else if (kind === 8 && len === 10) seg.hasTimestamps = true;
    p += len;
  }
  return seg;
}

function setNet(ctx: DissectContext, l3: L3): void {
  ctx.net.version = l3.version;
  ctx.net.v4Src = l3.src4;
  ctx.net.v4Dst = l3.dst4;
  ctx.net.v6Src = l3.src6;
  ctx.net.v6Dst = l3.dst6;
}

/** The stand-in: link → IP → TCP/UDP (and UDP/TCP quoted in ICMP errors), calling the hooks. */
export function standIn(ctx: DissectContext): TcpSegmentInfo | null {
  const b = ctx.bytes;
  const off = linkPayload(ctx.frame.linkType, b);
  if (off < 0) return null;
  const l3 = parseIp(b, off, b.length);
  if (!l3) return null;
  const m = ctx.meta;
  m.ipVersion = l3.version;
  m.ip4Src = l3.src4;
  m.ip4Dst = l3.dst4;
  m.ip6Src = l3.src6;
  m.ip6Dst = l3.dst6;
  m.ipProto = l3.proto;
  m.ipFragment = l3.fragment;
  setNet(ctx, l3);
  if (l3.fragment) return null; // the stand-in does not reassemble
  return transport(ctx, l3);
}

function transport(ctx: DissectContext, l3: L3): TcpSegmentInfo | null {
  const b = ctx.bytes;
  const hooks = ctx.hooks;
  if (l3.proto === 6) {
    const seg = parseSegment(b, l3.offset, l3.length);
    if (!seg) return null;
    if (!ctx.nested) { ctx.meta.tcp = seg; ctx.meta.srcPort = seg.srcPort; ctx.meta.dstPort = seg.dstPort; }
    hooks.tcp?.(ctx, seg);
    hooks.tcpFields?.(ctx, seg, 'ports');
    hooks.tcpFields?.(ctx, seg, 'options');
    hooks.tcpFields?.(ctx, seg, 'payload');
    return seg;
  }
  if (l3.proto === 17 && l3.offset + 8 <= b.length) {
    const d: UdpDatagramInfo = {
      srcPort: (b[l3.offset] << 8) | b[l3.offset + 1],
      dstPort: (b[l3.offset + 2] << 8) | b[l3.offset + 3],
      headerOffset: l3.offset,
      length: (b[l3.offset + 4] << 8) | b[l3.offset + 5],
      stream: -1,
    };
    if (!ctx.nested) { ctx.meta.srcPort = d.srcPort; ctx.meta.dstPort = d.dstPort; }
    hooks.udp?.(ctx, d);
    return null;
  }
  if ((l3.proto === 1 || l3.proto === 58) && l3.offset + 8 <= b.length) {
    const type = b[l3.offset];
    const isError = l3.proto === 1 ? type === 3 || type === 11 || type === 4 || type === 5 || type === 12
      : type >= 1 && type <= 4;
    if (!isError) return null;
    const inner = parseIp(b, l3.offset + 8, b.length);
    if (!inner) return null;
    ctx.nested++;
    setNet(ctx, inner);
    try {
      transport(ctx, inner);
    } finally {
      ctx.nested--;
    }
  }
  return null;
}

/** Are the real link/IP/TCP decoders there? */
export function realDecodersPresent(): boolean {
  return linkTypes.has(1) && etherTypes.has(0x0800) && ipProtocols.has(6);
}

// ------------------------------------------------------------------ harness

export const ANALYSIS_FIELDS = [
  'tcp.stream', 'udp.stream', 'tcp.completeness', 'tcp.time_relative', 'tcp.time_delta',
  'tcp.analysis', 'tcp.analysis.flags', 'tcp.analysis.retransmission', 'tcp.analysis.fast_retransmission',
  'tcp.analysis.spurious_retransmission', 'tcp.analysis.out_of_order', 'tcp.analysis.duplicate_ack',
  'tcp.analysis.duplicate_ack_num', 'tcp.analysis.duplicate_ack_frame', 'tcp.analysis.lost_segment',
  'tcp.analysis.ack_lost_segment', 'tcp.analysis.zero_window', 'tcp.analysis.zero_window_probe',
  'tcp.analysis.zero_window_probe_ack', 'tcp.analysis.window_full', 'tcp.analysis.window_update',
  'tcp.analysis.keep_alive', 'tcp.analysis.keep_alive_ack', 'tcp.analysis.reused_ports',
  'tcp.analysis.bytes_in_flight', 'tcp.analysis.push_bytes_sent', 'tcp.analysis.ack_rtt',
  'tcp.analysis.acks_frame', 'tcp.analysis.initial_rtt', 'tcp.analysis.rto', 'tcp.analysis.rto_frame',
  'udp.time_relative', 'udp.time_delta',
];

/** What one frame produced. */
export interface FrameResult {
  frame: number;
  /** tshark -T fields text of each analysis field ('' when absent). */
  fields: Record<string, string>;
  /** The segment with its analysis slots (null for non-TCP frames). */
  seg: TcpSegmentInfo | null;
  /** Info prefix and analysis flags of the segment. */
  prefix: string;
  flags: number;
  experts: string[];
}

export class AnalysisHarness {
  analyzer: Analyzer = createAnalyzer();
  session: DecodeSession;
  private readonly defs: FieldDef[];
  private readonly collector: FieldCollector;
  private frame = 0;
  readonly useRealDecoders: boolean;
  /** Every frame fed in the first pass (for writing a pcap to check with tshark). */
  readonly recorded: { bytes: Uint8Array; tsSec: number; tsNsec: number }[] = [];
  private recording = true;

  constructor(opts: { real?: boolean } = {}) {
    this.session = new DecodeSession(this.analyzer.hooks);
    this.defs = ANALYSIS_FIELDS.map((n) => lookupField(n)!).filter(Boolean);
    this.collector = new FieldCollector(this.defs, fieldCount(), true);
    this.useRealDecoders = opts.real ?? realDecodersPresent();
  }

  /** Starts the second pass (tshark -2): same packets again, fresh decode session. */
  secondPass(): void {
    this.analyzer.beginSecondPass();
    this.session = new DecodeSession(this.analyzer.hooks);
    this.frame = 0;
    this.recording = false;
  }

  /** Decodes one frame (time in seconds, fractional) and returns the analysis output. */
  feed(bytes: Uint8Array, time: number, linkType = 1, origLen = bytes.length): FrameResult {
    const sec = Math.floor(time);
    const nsec = Math.round((time - sec) * 1e9);
    return this.feedAt(bytes, sec, nsec, linkType, origLen);
  }

  feedAt(bytes: Uint8Array, tsSec: number, tsNsec: number, linkType = 1, origLen = bytes.length): FrameResult {
    const info: FrameInfo = {
      number: ++this.frame, tsSec, tsNsec, capLen: bytes.length, origLen, interfaceId: 0, linkType,
    };
    if (this.recording) this.recorded.push({ bytes, tsSec, tsNsec });
    this.collector.reset();
    let ctx: DissectContext;
    let seg: TcpSegmentInfo | null;
    if (this.useRealDecoders) {
      ctx = decodePacket(info, bytes, this.session, this.collector);
      seg = ctx.meta.tcp;
    } else {
      ctx = new DissectContext(bytes, this.collector, info, this.session);
      seg = standIn(ctx);
    }
    const fields: Record<string, string> = {};
    this.defs.forEach((d, i) => {
      const occ = this.collector.column(i);
      const parts: string[] = [];
      for (let k = 0; k < occ.count; k++) parts.push(formatFieldValue(d, occ.values[k], bytes, occ.offsets[k], occ.lengths[k]));
      fields[d.name] = parts.join(',');
    });
    return {
      frame: info.number, fields, seg, prefix: seg?.infoPrefix ?? '', flags: seg?.analysisFlags ?? 0,
      experts: ctx.experts.map((e) => e.message),
    };
  }
}

/** A two-endpoint conversation builder: keeps seq/ack per side so tests read like a diagram. */
export class Conversation {
  readonly h: AnalysisHarness;
  /** Capture time as whole seconds + nanoseconds (exact: no floating-point drift). */
  sec = 1_700_000_000;
  nsec = 0;
  constructor(
    readonly client = { addr: '192.0.2.1', port: 40000 },
    readonly server = { addr: '198.51.100.2', port: 80 },
    h?: AnalysisHarness,
  ) {
    this.h = h ?? new AnalysisHarness();
  }

  /** Sends a segment from 'c' (client) or 's' (server) after `dt` seconds. */
  send(from: 'c' | 's', spec: Omit<TcpSpec, 'src' | 'dst' | 'sport' | 'dport'>, dt = 0.001): FrameResult {
    this.nsec += Math.round(dt * 1e9);
    this.sec += Math.floor(this.nsec / 1e9);
    this.nsec %= 1e9;
    const a = from === 'c' ? this.client : this.server;
    const b = from === 'c' ? this.server : this.client;
    return this.h.feedAt(tcpFrame({ src: a.addr, dst: b.addr, sport: a.port, dport: b.port, ...spec }), this.sec, this.nsec);
  }
}

/** A classic pcap (Ethernet, ns timestamps) of the recorded frames, to check a test with tshark. */
export function toPcap(frames: { bytes: Uint8Array; tsSec: number; tsNsec: number }[]): Uint8Array {
  const size = 24 + frames.reduce((n, f) => n + 16 + f.bytes.length, 0);
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  v.setUint32(0, 0xa1b23c4d, true);
  v.setUint16(4, 2, true);
  v.setUint16(6, 4, true);
  v.setUint32(16, 262144, true);
  v.setUint32(20, 1, true);
  let o = 24;
  for (const f of frames) {
    v.setUint32(o, f.tsSec, true);
    v.setUint32(o + 4, f.tsNsec, true);
    v.setUint32(o + 8, f.bytes.length, true);
    v.setUint32(o + 12, f.bytes.length, true);
    out.set(f.bytes, o + 16);
    o += 16 + f.bytes.length;
  }
  return out;
}
