/**
 * Conversations, endpoints, protocol hierarchy and analysis counts — computed from the index
 * alone (one pass over typed arrays, no decoding). Conversations follow tshark's `-z conv`:
 * address A is the lower of the two (Wireshark compares addresses, then ports), "A→B" counts
 * what A sent; bytes are frame lengths.
 */
import {
  ANALYSIS_FLAG_LABELS, AnalysisFlag, TCP_ANALYSIS_MASK,
} from '../api/flags.js';
import type { Conversation, Endpoint, ProtocolNode } from '../api/types.js';
import { IndexBit, type PacketIndex } from './packet-index.js';

/** Orders two address strings the way Wireshark's cmp_address does (bytes of the address). */
export function compareAddresses(a: string, b: string): number {
  const ka = addressKey(a);
  const kb = addressKey(b);
  const n = Math.min(ka.length, kb.length);
  for (let i = 0; i < n; i++) if (ka[i] !== kb[i]) return ka[i] - kb[i];
  return ka.length - kb.length;
}

function addressKey(s: string): number[] {
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (v4) return [4, +v4[1], +v4[2], +v4[3], +v4[4]];
  if (s.includes(':') && /^[0-9a-fA-F:.]+$/.test(s)) {
    const [head, tail = ''] = s.split('::');
    const h = head ? head.split(':') : [];
    const t = tail ? tail.split(':') : [];
    const groups = s.includes('::') ? [...h, ...Array(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t] : h;
    return [6, ...groups.flatMap((g) => {
      const n = parseInt(g, 16) || 0;
      return [n >> 8, n & 255];
    })];
  }
  return [9, ...Array.from(s, (c) => c.charCodeAt(0))];
}

interface ConvAccumulator {
  aId: number;
  bId: number;
  aPort: number;
  bPort: number;
  stream: number;
  client: 'a' | 'b' | null;
  pAB: number;
  bAB: number;
  pBA: number;
  bBA: number;
  first: number;
  last: number;
  flagged: number;
  flagCounts: Record<string, number>;
}

function newConv(ix: PacketIndex, i: number, srcId: number, dstId: number, sp: number, dp: number, stream: number): ConvAccumulator {
  const cmp = compareAddresses(ix.addresses.get(srcId), ix.addresses.get(dstId));
  const srcIsA = cmp < 0 || (cmp === 0 && sp <= dp);
  return {
    aId: srcIsA ? srcId : dstId, bId: srcIsA ? dstId : srcId,
    aPort: srcIsA ? sp : dp, bPort: srcIsA ? dp : sp,
    stream, client: null, pAB: 0, bAB: 0, pBA: 0, bBA: 0, first: i, last: i, flagged: 0, flagCounts: {},
  };
}

function addPacket(c: ConvAccumulator, ix: PacketIndex, i: number, fromA: boolean): void {
  const len = ix.origLen[i];
  if (fromA) {
    c.pAB++;
    c.bAB += len;
  } else {
    c.pBA++;
    c.bBA += len;
  }
  c.last = i;
  const f = ix.flags[i];
  // The client is whoever sent the first SYN without ACK.
  if (c.client === null && (f & AnalysisFlag.TCP_SYN) && !(f & AnalysisFlag.TCP_ACK)) c.client = fromA ? 'a' : 'b';
  const analysis = f & TCP_ANALYSIS_MASK;
  if (analysis) {
    c.flagged++;
    for (let bit = 1; bit <= TCP_ANALYSIS_MASK; bit <<= 1) {
      if (analysis & bit) {
        const label = ANALYSIS_FLAG_LABELS[bit];
        if (label) c.flagCounts[label] = (c.flagCounts[label] ?? 0) + 1;
      }
    }
  }
}

function finish(kind: Conversation['kind'], c: ConvAccumulator, ix: PacketIndex): Conversation {
  return {
    kind,
    stream: c.stream,
    a: { address: ix.addresses.get(c.aId), port: c.aPort },
    b: { address: ix.addresses.get(c.bId), port: c.bPort },
    client: c.client,
    packetsAtoB: c.pAB,
    bytesAtoB: c.bAB,
    packetsBtoA: c.pBA,
    bytesBtoA: c.bBA,
    startNs: ix.count ? ix.diffNs(0, c.first) : 0,
    durationNs: ix.diffNs(c.first, c.last),
    flaggedPackets: c.flagged,
    flagCounts: c.flagCounts,
    firstFrame: c.first + 1,
  };
}

/**
 * Wireshark's IPv6 tap skips a fragment whose datagram is not complete yet (it only counts the
 * packet that completes the reassembly); the IPv4 tap counts every fragment.
 */
function unreassembledV6(flags: number): boolean {
  return (flags & (IndexBit.IPV6 | IndexBit.FRAGMENT)) === (IndexBit.IPV6 | IndexBit.FRAGMENT);
}

/** TCP/UDP conversations keyed by stream index; IP conversations by address pair. */
export function conversations(ix: PacketIndex, kind: 'tcp' | 'udp' | 'ip'): Conversation[] {
  const out: ConvAccumulator[] = [];
  if (kind === 'ip') {
    const byPair = new Map<number, ConvAccumulator>();
    for (let i = 0; i < ix.count; i++) {
      if (!(ix.flags[i] & (IndexBit.IPV4 | IndexBit.IPV6)) || unreassembledV6(ix.flags[i])) continue;
      const s = ix.source[i];
      const d = ix.destination[i];
      const key = s < d ? s * 0x4000000 + d : d * 0x4000000 + s;
      let c = byPair.get(key);
      if (!c) {
        c = newConv(ix, i, s, d, -1, -1, -1);
        byPair.set(key, c);
        out.push(c);
      }
      addPacket(c, ix, i, s === c.aId);
    }
  } else {
    const bit = kind === 'tcp' ? IndexBit.TCP : IndexBit.UDP;
    const byStream: ConvAccumulator[] = [];
    for (let i = 0; i < ix.count; i++) {
      const f = ix.flags[i];
      if (!(f & bit) || !(f & IndexBit.PORTS)) continue;
      const stream = ix.stream[i];
      const s = ix.source[i];
      const d = ix.destination[i];
      const sp = ix.srcPort[i];
      const dp = ix.dstPort[i];
      let c = stream >= 0 ? byStream[stream] : undefined;
      if (!c) {
        c = newConv(ix, i, s, d, sp, dp, stream);
        if (stream >= 0) byStream[stream] = c;
        out.push(c);
      }
      addPacket(c, ix, i, s === c.aId && sp === c.aPort);
    }
  }
  return out.map((c) => finish(kind, c, ix));
}

/** Endpoints: every address (ip) or address:port (tcp/udp) with what it sent and received. */
export function endpoints(ix: PacketIndex, kind: 'tcp' | 'udp' | 'ip'): Endpoint[] {
  const map = new Map<number, Endpoint>();
  const order: Endpoint[] = [];
  const bit = kind === 'tcp' ? IndexBit.TCP : kind === 'udp' ? IndexBit.UDP : IndexBit.IPV4 | IndexBit.IPV6;
  const get = (addr: number, port: number): Endpoint => {
    const key = kind === 'ip' ? addr : addr * 65536 + port;
    let e = map.get(key);
    if (!e) {
      e = { kind, address: ix.addresses.get(addr), port: kind === 'ip' ? -1 : port, packets: 0, bytes: 0, txPackets: 0, txBytes: 0, rxPackets: 0, rxBytes: 0 };
      map.set(key, e);
      order.push(e);
    }
    return e;
  };
  for (let i = 0; i < ix.count; i++) {
    const f = ix.flags[i];
    if (!(f & bit)) continue;
    if (kind !== 'ip' && !(f & IndexBit.PORTS)) continue;
    if (kind === 'ip' && unreassembledV6(f)) continue;
    const len = ix.origLen[i];
    const src = get(ix.source[i], ix.srcPort[i]);
    const dst = get(ix.destination[i], ix.dstPort[i]);
    src.packets++;
    src.bytes += len;
    src.txPackets++;
    src.txBytes += len;
    // A packet to itself (loopback) counts for the endpoint twice, as tshark counts it.
    dst.packets++;
    dst.bytes += len;
    dst.rxPackets++;
    dst.rxBytes += len;
  }
  return order;
}

/** tshark -z io,phs: packets and bytes per protocol-chain prefix. */
export function protocolHierarchy(ix: PacketIndex): ProtocolNode[] {
  const perChain = new Map<number, { packets: number; bytes: number }>();
  for (let i = 0; i < ix.count; i++) {
    const id = ix.chain[i];
    let s = perChain.get(id);
    if (!s) {
      s = { packets: 0, bytes: 0 };
      perChain.set(id, s);
    }
    s.packets++;
    s.bytes += ix.origLen[i];
  }
  const roots: ProtocolNode[] = [];
  for (const [id, s] of perChain) {
    const chain = ix.chains.get(id);
    if (!chain) continue;
    let level = roots;
    for (const proto of chain.split(':')) {
      let node = level.find((n) => n.protocol === proto);
      if (!node) {
        node = { protocol: proto, packets: 0, bytes: 0, children: [] };
        level.push(node);
      }
      node.packets += s.packets;
      node.bytes += s.bytes;
      level = node.children;
    }
  }
  const sort = (nodes: ProtocolNode[]): void => {
    nodes.sort((a, b) => b.packets - a.packets);
    for (const n of nodes) sort(n.children);
  };
  sort(roots);
  return roots;
}

export interface FlagTotals {
  analysisCounts: Record<string, number>;
  malformed: number;
  truncated: number;
  bytes: number;
  capturedBytes: number;
}

export function flagTotals(ix: PacketIndex): FlagTotals {
  const perBit = new Float64Array(32);
  let bytes = 0;
  let captured = 0;
  for (let i = 0; i < ix.count; i++) {
    bytes += ix.origLen[i];
    captured += ix.capLen[i];
    let f = ix.flags[i] & (TCP_ANALYSIS_MASK | AnalysisFlag.MALFORMED | AnalysisFlag.TRUNCATED);
    while (f) {
      const low = f & -f;
      perBit[31 - Math.clz32(low)]++;
      f &= f - 1;
    }
  }
  const analysisCounts: Record<string, number> = {};
  for (let b = 0; b < 15; b++) {
    if (perBit[b] > 0) analysisCounts[ANALYSIS_FLAG_LABELS[1 << b]] = perBit[b];
  }
  return {
    analysisCounts,
    malformed: perBit[16],
    truncated: perBit[17],
    bytes,
    capturedBytes: captured,
  };
}
