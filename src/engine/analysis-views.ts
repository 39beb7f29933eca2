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
  SequenceDiagram, SequenceLifeline,
} from '../api/types.js';
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

const seqDiff = (a: number, b: number): number => ((a - b) | 0);

interface Direction {
  next: number | null;
  /** Out-of-order segments waiting for the gap before them: seq → bytes. */
  pending: Map<number, { data: Uint8Array; frame: number }>;
}

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
  const chunks: FollowChunk[] = [];
  const totals = { client: 0, server: 0 };
  const session = new DecodeSession();
  session.wantsColumns = false;
  const emit = (from: 'client' | 'server', frame: number, data: Uint8Array, missing = 0): void => {
    if (data.length === 0 && missing === 0) return;
    const last = chunks[chunks.length - 1];
    // Consecutive data from the same side reads as one block, as tshark prints it.
    if (last && missing === 0 && last.missing === 0 && last.from === from) {
      const merged = new Uint8Array(last.data.length + data.length);
      merged.set(last.data);
      merged.set(data, last.data.length);
      last.data = merged;
    } else chunks.push({ from, frame, data, missing });
    totals[from] += data.length;
  };
  const dirs: Record<'client' | 'server', Direction> = {
    client: { next: null, pending: new Map() },
    server: { next: null, pending: new Map() },
  };
  for (const i of packets) {
    const from = ix.source[i] === clientAddr && ix.srcPort[i] === clientPort ? 'client' : 'server';
    const { ctx, bytes } = decodeAlone(rc, session, i);
    if (protocol === 'udp') {
      const m = ctx.meta;
      if (m.udpPayloadOffset >= 0) emit(from, i + 1, bytes.slice(m.udpPayloadOffset, m.udpPayloadOffset + m.udpPayloadLength));
      continue;
    }
    const seg = ctx.meta.tcp;
    if (!seg) continue;
    const dir = dirs[from];
    const syn = (seg.flags & 0x02) !== 0;
    if (dir.next === null) dir.next = (seg.seq + (syn ? 1 : 0)) >>> 0;
    else if (syn) continue;
    const len = seg.payloadLength;
    if (len <= 0) continue;
    let seq = syn ? (seg.seq + 1) >>> 0 : seg.seq;
    let data = bytes.subarray(seg.payloadOffset, seg.payloadOffset + len);
    const behind = seqDiff(dir.next, seq);
    if (behind > 0) {
      // Retransmitted bytes already delivered: keep only what is new.
      if (behind >= data.length) continue;
      data = data.subarray(behind);
      seq = dir.next;
    }
    if (seqDiff(seq, dir.next) > 0) {
      dir.pending.set(seq, { data: data.slice(), frame: i + 1 });
      continue;
    }
    emit(from, i + 1, data.slice());
    dir.next = (dir.next + data.length) >>> 0;
    drainPending(dir, (d, frame) => emit(from, frame, d));
  }
  // Whatever still waits lies after a gap the capture never filled.
  for (const from of ['client', 'server'] as const) {
    const dir = dirs[from];
    const rest = [...dir.pending.entries()].sort((a, b) => seqDiff(a[0], b[0]));
    for (const [seq, { data, frame }] of rest) {
      if (dir.next === null) break;
      const gap = seqDiff(seq, dir.next);
      if (gap > 0) emit(from, frame, new Uint8Array(0), gap);
      const skip = Math.max(0, -gap);
      if (skip < data.length) {
        emit(from, frame, data.subarray(skip));
        dir.next = (seq + data.length) >>> 0;
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
    clientBytes: totals.client,
    serverBytes: totals.server,
    filter: `${protocol}.stream eq ${stream}`,
  };
}

function drainPending(dir: Direction, emit: (data: Uint8Array, frame: number) => void): void {
  for (;;) {
    let progressed = false;
    for (const [seq, seg] of dir.pending) {
      const behind = seqDiff(dir.next!, seq);
      if (behind < 0) continue;
      dir.pending.delete(seq);
      if (behind < seg.data.length) {
        const fresh = seg.data.subarray(behind);
        emit(fresh, seg.frame);
        dir.next = (dir.next! + fresh.length) >>> 0;
      }
      progressed = true;
    }
    if (!progressed) return;
  }
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
  const lifelines: SequenceLifeline[] = [];
  const lifelineOf = new Map<string, number>();
  const lifeline = (addr: string, port: number): number => {
    const key = port >= 0 ? `${addr.includes(':') ? `[${addr}]` : addr}:${port}` : addr;
    let k = lifelineOf.get(key);
    if (k === undefined) {
      k = lifelines.length;
      lifelines.push({ label: key, address: addr, port, role: null });
      lifelineOf.set(key, k);
    }
    return k;
  };
  // Relative sequence numbers: per stream and direction, the first sequence number seen.
  const isn = new Map<string, number>();
  const session = new DecodeSession();
  session.wantsColumns = false;
  const arrows: SequenceArrow[] = [];
  for (const i of packets) {
    const f = ix.flags[i];
    const hasPorts = (f & IndexBit.PORTS) !== 0;
    const srcAddr = ix.addresses.get(ix.source[i]);
    const dstAddr = ix.addresses.get(ix.destination[i]);
    const from = lifeline(srcAddr, hasPorts ? ix.srcPort[i] : -1);
    const to = lifeline(dstAddr, hasPorts ? ix.dstPort[i] : -1);
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
    if (f & IndexBit.TCP) {
      const { ctx } = decodeAlone(rc, session, i);
      const seg = ctx.meta.tcp;
      if (seg) {
        const names = tcpFlagList(seg.flags);
        const keyOut = `${ix.stream[i]}|${from}`;
        const keyIn = `${ix.stream[i]}|${to}`;
        if (!isn.has(keyOut)) isn.set(keyOut, seg.seq);
        const base = isn.get(keyOut)!;
        arrow.seq = (seg.seq - base) >>> 0;
        if (seg.flags & 0x10) {
          const peer = isn.get(keyIn);
          arrow.ack = peer === undefined ? seg.ack : (seg.ack - peer) >>> 0;
        }
        arrow.len = seg.segmentLength;
        arrow.tcpFlags = names;
        arrow.label = names.join(', ') + (seg.segmentLength > 0 ? ` Len=${seg.segmentLength}` : '');
        if ((seg.flags & 0x12) === 0x02) {
          lifelines[from].role ??= 'client';
          lifelines[to].role ??= 'server';
        }
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
