/**
 * Views that need more than the index: Follow Stream, sequence diagrams, transactions. They
 * replay the packets concerned (read back by their indexed offsets) through the decoders.
 *
 * Seam: stream reassembly, per-endpoint TCP state and DNS/HTTP/ICMP transactions belong to
 * src/analysis (§5). Until its public API offers them, the functions here build what the
 * decoders' per-packet summaries (ctx.meta) give directly: payload in sequence order with
 * retransmitted overlap trimmed and gaps marked, arrows with relative seq/ack, no states, no
 * transactions. Swap in the analysis functions here; callers do not change.
 */
import { analysisFlagLabels, TCP_ANALYSIS_MASK } from '../api/flags.js';
import { ApiError } from '../api/errors.js';
import type {
  DnsTransaction, FollowChunk, FollowResult, HttpTransaction, IcmpEchoPair, SequenceArrow,
  SequenceDiagram, SequenceLifeline, TcpState,
} from '../api/types.js';
import { createAnalyzer } from '../analysis/index.js';
import { followTcpStream } from '../analysis/follow/follow.js';
import type { StreamSegment } from '../analysis/reassembly/types.js';
import { decodePacket, DecodeSession, NullSink, type DissectContext } from '../decode/index.js';
import type { DetailDecoder } from './detail.js';
import { IndexBit, type PacketIndex } from './packet-index.js';
import type { PacketReader } from './packet-reader.js';

export interface ReplayContext {
  captureId: number;
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

/** Wireshark's order of flag names in the flow graph: FIN, SYN, RST, PSH, ACK, URG, ECE, CWR. */
const TCP_FLAG_ORDER: readonly [number, string][] = [
  [0x01, 'FIN'], [0x02, 'SYN'], [0x04, 'RST'], [0x08, 'PSH'], [0x10, 'ACK'], [0x20, 'URG'], [0x40, 'ECE'], [0x80, 'CWR'],
];

function tcpFlagList(flags: number): string[] {
  return TCP_FLAG_ORDER.filter(([b]) => flags & b).map(([, n]) => n);
}

export interface SequenceRequest {
  streams: number[] | null;
  protocol: 'tcp' | 'udp';
  /** Packet indexes selected by a filter (instead of streams). */
  packets: number[] | null;
  limit: number;
}

export function sequenceDiagram(rc: ReplayContext, req: SequenceRequest): SequenceDiagram {
  const ix = rc.index;
  let packets: number[];
  if (req.packets) packets = req.packets;
  else {
    const bit = req.protocol === 'tcp' ? IndexBit.TCP : IndexBit.UDP;
    const wanted = new Set(req.streams ?? []);
    packets = [];
    for (let i = 0; i < ix.count; i++) {
      if ((ix.flags[i] & bit) && wanted.has(ix.stream[i])) packets.push(i);
    }
  }
  const truncated = packets.length > req.limit;
  if (truncated) packets = packets.slice(0, req.limit);

  // The TCP analysis over the streams concerned gives relative numbers, client/server and the
  // endpoints' RFC 793 states after each packet. Packets of a stream before the first selected
  // one are fed too, so states and numbers are those of the whole connection.
  const tcpStreams = new Set<number>();
  for (const i of packets) if (ix.flags[i] & IndexBit.TCP && ix.stream[i] >= 0) tcpStreams.add(ix.stream[i]);
  const selected = new Set(packets);
  const analyzer = createAnalyzer();
  const session = new DecodeSession(analyzer.hooks);
  session.wantsColumns = false;
  session.firstTime = { sec: ix.tsSec[0], nsec: ix.tsNsec[0] };
  const decoded = new Map<number, { seq: number; ack: number; flags: number; len: number }>();
  const lastSelected = packets.length ? packets[packets.length - 1] : -1;
  for (let i = 0; i <= lastSelected; i++) {
    const inStream = (ix.flags[i] & IndexBit.TCP) !== 0 && tcpStreams.has(ix.stream[i]);
    if (!inStream && !selected.has(i)) continue;
    const { ctx } = decodeAlone(rc, session, i);
    const seg = ctx.meta.tcp;
    if (seg && selected.has(i)) decoded.set(i, { seq: seg.relSeq, ack: seg.relAck, flags: seg.flags, len: seg.segmentLength });
  }
  const summaries = analyzer.tcpStreams();

  const lifelines: SequenceLifeline[] = [];
  const lifelineOf = new Map<string, number>();
  const lifeline = (addr: string, port: number): number => {
    const key = port >= 0 ? endpointLabel(addr, port) : addr;
    let k = lifelineOf.get(key);
    if (k === undefined) {
      k = lifelines.length;
      lifelines.push({ label: key, address: addr, port, role: null });
      lifelineOf.set(key, k);
    }
    return k;
  };
  for (const sum of summaries) {
    const c = lifeline(sum.client.address, sum.client.port);
    const sv = lifeline(sum.server.address, sum.server.port);
    lifelines[c].role ??= 'client';
    lifelines[sv].role ??= 'server';
  }
  const arrows: SequenceArrow[] = [];
  const states: (TcpState | null)[] = lifelines.map(() => null);
  for (const i of packets) {
    const f = ix.flags[i];
    const hasPorts = (f & IndexBit.PORTS) !== 0;
    const from = lifeline(ix.addresses.get(ix.source[i]), hasPorts ? ix.srcPort[i] : -1);
    const to = lifeline(ix.addresses.get(ix.destination[i]), hasPorts ? ix.dstPort[i] : -1);
    while (states.length < lifelines.length) states.push(null);
    const analysis = f & TCP_ANALYSIS_MASK;
    const arrow: SequenceArrow = {
      frame: i + 1,
      relativeNs: ix.diffNs(0, i),
      from,
      to,
      protocol: ix.protocols.get(ix.protocol[i]),
      label: ix.info.get(i),
      flags: f & 0x00ffffff,
      flagLabels: analysisFlagLabels(analysis),
      stream: f & (IndexBit.TCP | IndexBit.UDP) ? ix.stream[i] : -1,
    };
    const seg = decoded.get(i);
    if (seg) {
      const names = tcpFlagList(seg.flags);
      arrow.seq = seg.seq;
      if (seg.flags & 0x10) arrow.ack = seg.ack;
      arrow.len = seg.len;
      arrow.tcpFlags = names;
      arrow.label = names.join(', ') + (seg.len > 0 ? ` Len=${seg.len}` : '');
      const st = analyzer.stateAfter(i + 1);
      const sum = st ? summaries[st.stream] : undefined;
      if (st && sum) {
        const c = lifelineOf.get(sum.client.endpoint) ?? lifelineOf.get(endpointLabel(sum.client.address, sum.client.port));
        const sv = lifelineOf.get(sum.server.endpoint) ?? lifelineOf.get(endpointLabel(sum.server.address, sum.server.port));
        if (c !== undefined && st.client !== 'UNKNOWN') states[c] = st.client as TcpState;
        if (sv !== undefined && st.server !== 'UNKNOWN') states[sv] = st.server as TcpState;
        arrow.statesAfter = states.slice();
      }
    }
    arrows.push(arrow);
  }
  return { captureId: rc.captureId, lifelines, arrows, truncated };
}

export interface Transactions {
  dns: DnsTransaction[];
  http: HttpTransaction[];
  icmpEcho: IcmpEchoPair[];
  truncated: boolean;
}

/** DNS/HTTP/ICMP transactions: the analysis module's to provide (empty until then). */
export function transactions(_rc: ReplayContext, _limit: number): Transactions {
  return { dns: [], http: [], icmpEcho: [], truncated: false };
}
