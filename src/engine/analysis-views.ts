/**
 * Views that need more than the index: Follow Stream, sequence diagrams, transactions. They
 * replay the packets concerned (read back by their indexed offsets) through the decoders and
 * the analysis's public functions: the TCP reassembler (src/analysis/follow), the
 * sequence-diagram model (src/analysis/sequence), the transaction trackers of the index pass.
 */
import { analysisFlagLabels, TCP_ANALYSIS_MASK } from '../api/flags.js';
import { ApiError } from '../api/errors.js';
import type {
  DnsTransaction, FollowChunk, FollowResult, HttpTransaction, IcmpEchoPair, SequenceDiagram,
} from '../api/types.js';
import { createAnalyzer, type Analyzer } from '../analysis/index.js';
import type { HttpPair } from '../analysis/transactions/index.js';
import { followTcpStream } from '../analysis/follow/follow.js';
import type { StreamSegment } from '../analysis/reassembly/types.js';
import { buildSequenceDiagram, DiagramCollector, noteText } from '../analysis/sequence/index.js';
import { DNS_RCODES, DNS_TYPE_NAMES } from '../decode/protocols/dns-fields.js';
import {
  decodePacket, DecodeSession, FieldCollector, fieldCount, formatFieldValue, lookupField, NullSink,
  type DissectContext, type FieldDef,
} from '../decode/index.js';
import type { DetailDecoder } from './detail.js';
import { IndexBit, type PacketIndex } from './packet-index.js';
import type { PacketReader } from './packet-reader.js';

export interface ReplayContext {
  captureId: number;
  /** The index pass's analyzer (its transaction lists cover every packet indexed). */
  analyzer?: Analyzer;
  index: PacketIndex;
  reader: PacketReader;
  detail: DetailDecoder;
  path: string;
}

const nullSink = new NullSink();

function streamPackets(ix: PacketIndex, kindBit: number, stream: number, limit = Infinity): number[] {
  const out: number[] = [];
  for (let i = 0; i < ix.count && out.length < limit; i++) {
    if ((ix.flags[i] & kindBit) && ix.stream[i] === stream) out.push(i);
  }
  return out;
}

/** Decodes packet i without analysis (what one packet says about itself). */
function decodeAlone(rc: ReplayContext, session: DecodeSession, i: number): { ctx: DissectContext; bytes: Uint8Array } {
  const bytes = rc.reader.read(rc.index, i);
  const ctx = decodePacket(rc.detail.frameInfo(i), bytes, session, nullSink);
  return { ctx, bytes };
}

function endpointLabel(address: string, port: number): string {
  return `${address.includes(':') ? `[${address}]` : address}:${port}`;
}

/**
 * Follow Stream. TCP goes through the analysis's reassembler (src/analysis/follow: sequence
 * order, retransmitted overlap trimmed, gaps the peer acknowledged shown as missing bytes);
 * UDP is the datagrams' payloads in order.
 */
export function followStream(rc: ReplayContext, protocol: 'tcp' | 'udp', stream: number): FollowResult {
  const ix = rc.index;
  const bit = protocol === 'tcp' ? IndexBit.TCP : IndexBit.UDP;
  const packets = streamPackets(ix, bit, stream);
  if (packets.length === 0) throw new ApiError('not-found', `there is no ${protocol.toUpperCase()} stream ${stream} in this capture`);
  const first = packets[0];
  const clientAddr = ix.source[first];
  const clientPort = ix.srcPort[first];
  const client = { address: ix.addresses.get(clientAddr), port: clientPort };
  const server = { address: ix.addresses.get(ix.destination[first]), port: ix.dstPort[first] };
  const session = new DecodeSession();
  session.wantsColumns = false;
  const chunks: FollowChunk[] = [];
  const totals = [0, 0];
  if (protocol === 'udp') {
    for (const i of packets) {
      const node = ix.source[i] === clientAddr && ix.srcPort[i] === clientPort ? 0 : 1;
      const { ctx, bytes } = decodeAlone(rc, session, i);
      const m = ctx.meta;
      if (m.udpPayloadOffset < 0 || m.udpPayloadLength <= 0) continue;
      const data = bytes.slice(m.udpPayloadOffset, m.udpPayloadOffset + m.udpPayloadLength);
      chunks.push({ from: node === 0 ? 'client' : 'server', frame: i + 1, data, missing: 0 });
      totals[node] += data.length;
    }
  } else {
    const segments: StreamSegment[] = [];
    for (const i of packets) {
      const { ctx, bytes } = decodeAlone(rc, session, i);
      const seg = ctx.meta.tcp;
      if (!seg) continue;
      segments.push({
        frame: i + 1,
        tsSec: ix.tsSec[i],
        tsNsec: ix.tsNsec[i],
        src: endpointLabel(ix.addresses.get(ix.source[i]), ix.srcPort[i]),
        dst: endpointLabel(ix.addresses.get(ix.destination[i]), ix.dstPort[i]),
        seq: seg.seq,
        ack: seg.ack,
        flags: seg.flags,
        payload: bytes.slice(seg.payloadOffset, seg.payloadOffset + Math.max(0, seg.payloadLength)),
        segLen: Math.max(0, seg.segmentLength),
      });
    }
    const result = followTcpStream(stream, segments);
    for (const c of result.chunks) {
      const from = c.node === 0 ? 'client' : 'server';
      if (c.kind === 'data') {
        chunks.push({ from, frame: c.frame, data: c.bytes, missing: 0 });
        totals[c.node] += c.bytes.length;
      } else if (c.kind === 'gap') {
        chunks.push({ from, frame: c.frame, data: new Uint8Array(0), missing: c.missing });
      }
    }
  }
  return {
    captureId: rc.captureId,
    protocol,
    stream,
    client,
    server,
    chunks,
    clientBytes: totals[0],
    serverBytes: totals[1],
    filter: `${protocol}.stream eq ${stream}`,
  };
}

export interface SequenceRequest {
  streams: number[] | null;
  protocol: 'tcp' | 'udp';
  /** Packet indexes selected by a filter (instead of streams). */
  packets: number[] | null;
  limit: number;
  title: string;
}

/**
 * A sequence diagram through the analysis's model builder (src/analysis/sequence), as
 * `wirescope diagram` makes it: lifelines client first, arrows with flags, relative seq/ack and
 * analysis texts, each side's RFC 793 state, teaching notes. Only the packets concerned are
 * replayed: the selected ones and the other packets of their TCP streams (the analysis needs
 * the whole connection); stream numbers are mapped back to the capture's.
 */
export function sequenceDiagram(rc: ReplayContext, req: SequenceRequest): SequenceDiagram {
  const ix = rc.index;
  let selected: number[];
  if (req.packets) selected = req.packets;
  else {
    const bit = req.protocol === 'tcp' ? IndexBit.TCP : IndexBit.UDP;
    const wanted = new Set(req.streams ?? []);
    selected = [];
    for (let i = 0; i < ix.count; i++) if ((ix.flags[i] & bit) && wanted.has(ix.stream[i])) selected.push(i);
  }
  const truncated = selected.length > req.limit;
  if (truncated) selected = selected.slice(0, req.limit);
  const chosen = new Set(selected);
  const tcpStreams = new Set<number>();
  for (const i of selected) if ((ix.flags[i] & IndexBit.TCP) && ix.stream[i] >= 0) tcpStreams.add(ix.stream[i]);
  const last = selected.length ? selected[selected.length - 1] : -1;

  const analyzer = createAnalyzer();
  const session = new DecodeSession(analyzer.hooks);
  session.firstTime = { sec: ix.tsSec[0], nsec: ix.tsNsec[0] };
  const dupNum = lookupField('tcp.analysis.duplicate_ack_num');
  const dupFrame = lookupField('tcp.analysis.duplicate_ack_frame');
  const arpDefs = ['arp.opcode', 'arp.src.hw_mac', 'arp.src.proto_ipv4', 'arp.dst.hw_mac', 'arp.dst.proto_ipv4'].map((n) => lookupField(n));
  const fields = new FieldCollector([dupNum, dupFrame, ...arpDefs].filter((d): d is FieldDef => d !== undefined), fieldCount());
  const first = (def: FieldDef | undefined): string => {
    const occ = def ? fields.get(def) : undefined;
    return def && occ && occ.count ? formatFieldValue(def, occ.values[0]) : '';
  };
  const collector = new DiagramCollector(analyzer, req.limit);
  /** The replay's stream number → the capture's. */
  const streamMap = new Map<number, number>();
  // IP fragments that precede a selected reassembled packet are needed for its reassembly.
  const pairs = new Set<number>();
  for (let i = 0; i < ix.count; i++) {
    if (chosen.has(i) || ((ix.flags[i] & IndexBit.TCP) && tcpStreams.has(ix.stream[i]))) pairs.add(ix.source[i] * 0x4000000 + ix.destination[i]);
  }
  const isFragment = (i: number) => (ix.flags[i] & IndexBit.FRAGMENT) !== 0 && pairs.has(ix.source[i] * 0x4000000 + ix.destination[i]);
  for (let i = 0; i <= last; i++) {
    const inStream = (ix.flags[i] & IndexBit.TCP) !== 0 && tcpStreams.has(ix.stream[i]);
    if (!inStream && !chosen.has(i) && !isFragment(i)) continue;
    fields.reset();
    const bytes = rc.reader.read(ix, i);
    const ctx = decodePacket(rc.detail.frameInfo(i), bytes, session, fields);
    const seg = ctx.meta.tcp;
    if (seg && seg.stream >= 0 && (ix.flags[i] & IndexBit.TCP)) streamMap.set(seg.stream, ix.stream[i]);
    if (!chosen.has(i)) continue;
    const opcode = first(arpDefs[0]);
    collector.add(
      ctx,
      { num: Number(first(dupNum) || 0), frame: Number(first(dupFrame) || 0) },
      opcode ? { opcode: Number(opcode), senderMac: first(arpDefs[1]), senderIp: first(arpDefs[2]), targetMac: first(arpDefs[3]), targetIp: first(arpDefs[4]) } : undefined,
    );
  }
  const { packets, options } = collector.finish();
  const model = buildSequenceDiagram(packets, { ...options, title: req.title, limit: req.limit });
  const global = (s: number): number => (s >= 0 ? streamMap.get(s) ?? s : s);
  return {
    ...model,
    captureId: rc.captureId,
    truncated: truncated || model.truncated,
    lifelines: model.lifelines.map((l) => ({ ...l, stream: global(l.stream) })),
    arrows: model.arrows.map((a) => ({
      ...a,
      ...(a.tcp ? { tcp: { ...a.tcp, stream: global(a.tcp.stream) } } : {}),
      notes: a.notes.map((n) => ({ ...n, text: noteText(n) })),
    })),
  };
}

export interface Transactions {
  dns: DnsTransaction[];
  http: HttpTransaction[];
  icmpEcho: IcmpEchoPair[];
  truncated: boolean;
}

/** Reads a few fields of single packets, each decoded in its stream's context. */
class FieldReader {
  private readonly defs: Map<string, FieldDef>;
  private readonly collector: FieldCollector;

  constructor(private readonly rc: ReplayContext, names: string[]) {
    this.defs = new Map(names.flatMap((n) => {
      const d = lookupField(n);
      return d ? [[n, d] as const] : [];
    }));
    this.collector = new FieldCollector([...this.defs.values()], fieldCount());
  }

  /** Field name → values (formatted as tshark -T fields prints them) of frame `frame`. */
  read(frame: number): (name: string) => string[] {
    const i = frame - 1;
    this.collector.reset();
    if (i >= 0 && i < this.rc.index.count) this.rc.detail.decodeInto(i, this.collector);
    return (name) => {
      const def = this.defs.get(name);
      if (!def) return [];
      const occ = this.collector.get(def);
      const out: string[] = [];
      for (let k = 0; k < occ.count; k++) {
        const v = occ.values[k];
        const names = def.valueStrings;
        out.push(typeof v === 'number' && names?.[v] !== undefined ? names[v] : formatFieldValue(def, v));
      }
      return out;
    };
  }
}

/**
 * DNS, HTTP and ICMP echo transactions from the analysis's trackers (filled during the index
 * pass), with the names, methods and addresses read back from the packets involved.
 */
export function transactions(rc: ReplayContext, limit: number): Transactions {
  const tracker = rc.analyzer?.transactions;
  if (!tracker) return { dns: [], http: [], icmpEcho: [], truncated: false };
  const ix = rc.index;
  const fields = new FieldReader(rc, [
    'dns.qry.name', 'dns.qry.type', 'dns.flags.rcode', 'dns.a', 'dns.aaaa', 'dns.cname',
    'http.request.method', 'http.host', 'http.request.uri',
    'icmp.ident', 'icmp.seq', 'icmpv6.echo.identifier', 'icmpv6.echo.sequence_number',
  ]);
  const number = (s: string | undefined): number => (s === undefined ? 0 : Number(s.split(' ')[0]));
  const dns = tracker.dns.all.slice(0, limit).map((t): DnsTransaction => {
    const q = fields.read(t.queryFrame);
    const name = q('dns.qry.name')[0] ?? '';
    const typeNum = q('dns.qry.type')[0];
    const type = typeNum === undefined ? '' : DNS_TYPE_NAMES[Number(typeNum)] ?? typeNum;
    let rcode: string | null = null;
    let answers: string[] = [];
    if (t.responseFrame > 0) {
      const r = fields.read(t.responseFrame);
      const code = r('dns.flags.rcode')[0];
      rcode = code === undefined ? null : DNS_RCODES[Number(code)] ?? code;
      answers = [...r('dns.a'), ...r('dns.aaaa'), ...r('dns.cname')];
    }
    return {
      queryFrame: t.queryFrame, responseFrame: t.responseFrame > 0 ? t.responseFrame : null, name, type, rcode, answers,
      responseTimeNs: t.responseTimeNs >= 0 ? t.responseTimeNs : null,
    };
  });
  // One transaction per request (the tracker may list a request again once answered).
  const byRequest = new Map<number, HttpPair>();
  for (const t of tracker.http.all) {
    if (t.requestFrame <= 0) continue;
    const seen = byRequest.get(t.requestFrame);
    if (!seen || (seen.responseFrame <= 0 && t.responseFrame > 0)) byRequest.set(t.requestFrame, t);
  }
  const httpPairs = [...byRequest.values()].sort((a, b) => a.requestFrame - b.requestFrame);
  const http = httpPairs.slice(0, limit).map((t): HttpTransaction => {
    const q = fields.read(t.requestFrame);
    return {
      requestFrame: t.requestFrame,
      responseFrame: t.responseFrame > 0 ? t.responseFrame : null,
      method: q('http.request.method')[0] ?? '',
      host: q('http.host')[0] ?? '',
      uri: q('http.request.uri')[0] ?? t.fullUri,
      status: t.responseCode > 0 ? t.responseCode : null,
      responseTimeNs: t.responseTimeNs >= 0 ? t.responseTimeNs : null,
      stream: t.stream,
    };
  });
  const icmpEcho = tracker.echo.all.slice(0, limit).map((t): IcmpEchoPair => {
    const q = fields.read(t.requestFrame);
    const v6 = t.kind === 'icmpv6';
    const i = t.requestFrame - 1;
    return {
      requestFrame: t.requestFrame,
      replyFrame: t.replyFrame > 0 ? t.replyFrame : null,
      source: i >= 0 && i < ix.count ? ix.addresses.get(ix.source[i]) : '',
      destination: i >= 0 && i < ix.count ? ix.addresses.get(ix.destination[i]) : '',
      id: number(q(v6 ? 'icmpv6.echo.identifier' : 'icmp.ident')[0]),
      seq: number(q(v6 ? 'icmpv6.echo.sequence_number' : 'icmp.seq')[0]),
      rttNs: t.rttNs >= 0 ? t.rttNs : null,
    };
  });
  const truncated = tracker.dns.all.length > limit || httpPairs.length > limit || tracker.echo.all.length > limit;
  return { dns, http, icmpEcho, truncated };
}
