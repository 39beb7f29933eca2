/**
 * From decoded packets to diagram input: after each decodePacket (with the analyzer's hooks),
 * `add` keeps the few facts an arrow needs; `finish` asks the TCP analysis for what is only
 * known later (client/server of each stream, each side's state after every packet). The engine
 * (replaying a stream's packets) and `wirescope diagram` both use it. Isomorphic.
 */
import type { DissectContext } from '../../decode/context.js';
import { formatIPv4, formatIPv6 } from '../../decode/fields/format.js';
import type { Analyzer } from '../index.js';
import type { EndpointState } from '../tcp/states.js';
import type { BuildOptions } from './build.js';
import type { DiagramPacket } from './types.js';

/**
 * The packet's own addresses: the outermost IP header's (ctx.meta), not ctx.net, which an ICMP
 * error's quoted header overwrites as Wireshark's pinfo->src/dst would be — an ICMP "port
 * unreachable" from B to A must be drawn from B to A, not along the quoted A → B datagram.
 */
function hostOf(ctx: DissectContext, source: boolean): string {
  const meta = ctx.meta;
  if (meta.ipVersion === 6) {
    const a = source ? meta.ip6Src : meta.ip6Dst;
    return a ? formatIPv6(a) : '';
  }
  if (meta.ipVersion === 4) return formatIPv4(source ? meta.ip4Src : meta.ip4Dst);
  return source ? ctx.cols.src : ctx.cols.dst;
}

/** TCP lifeline label: "192.0.2.1:49152", "[2001:db8::1]:80" (Wireshark's endpoint style). */
export function tcpEndpoint(ctx: DissectContext, port: number, source: boolean): string {
  const host = hostOf(ctx, source);
  return ctx.meta.ipVersion === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

export class DiagramCollector {
  readonly packets: DiagramPacket[] = [];

  constructor(private readonly analyzer: Analyzer, private readonly limit = 100_000) {}

  /** Records one decoded packet. `dupAck` comes from tcp.analysis.duplicate_ack_num / _frame. */
  add(ctx: DissectContext, dupAck: { num: number; frame: number } = { num: 0, frame: 0 }, arp?: DiagramPacket['arp']): void {
    if (this.packets.length > this.limit) return;
    const seg = ctx.meta.tcp;
    const frame = ctx.frame;
    const base = { frame: frame.number, tsSec: frame.tsSec, tsNsec: frame.tsNsec, protocol: ctx.cols.protocol, info: ctx.cols.info };
    if (seg && seg.stream >= 0) {
      this.packets.push({
        ...base,
        src: tcpEndpoint(ctx, seg.srcPort, true),
        dst: tcpEndpoint(ctx, seg.dstPort, false),
        tcp: {
          stream: seg.stream, flags: seg.flags, seq: seg.relSeq, ack: seg.relAck, rawSeq: seg.seq, rawAck: seg.ack,
          len: seg.segmentLength, window: seg.windowSize >= 0 ? seg.windowSize : seg.window,
          analysisFlags: seg.analysisFlags ?? 0, dupAckNum: dupAck.num, dupAckFrame: dupAck.frame,
          mss: seg.mss, windowScale: seg.windowScale, sackPermitted: seg.sackPermitted,
        },
      });
      return;
    }
    this.packets.push({ ...base, src: hostOf(ctx, true), dst: hostOf(ctx, false), ...(arp ? { arp } : {}) });
  }

  /** Fills in states and client/server, and returns what buildSequenceDiagram needs. */
  finish(): { packets: DiagramPacket[]; options: BuildOptions } {
    const streamEndpoints = new Map<number, { client: string; server: string }>();
    const initialStates = new Map<number, { client: EndpointState; server: EndpointState }>();
    for (const p of this.packets) {
      const tcp = p.tcp;
      if (!tcp) continue;
      let ends = streamEndpoints.get(tcp.stream);
      if (!ends) {
        const s = this.analyzer.tcp.summary(tcp.stream);
        if (s) {
          ends = { client: s.client.endpoint, server: s.server.endpoint };
          streamEndpoints.set(tcp.stream, ends);
          initialStates.set(tcp.stream, s.initialStates);
        }
      }
      if (ends) tcp.fromClient = p.src === ends.client;
      const st = this.analyzer.stateAfter(p.frame);
      if (st && st.stream === tcp.stream) {
        tcp.clientState = st.client;
        tcp.serverState = st.server;
      }
    }
    return { packets: this.packets, options: { streamEndpoints, initialStates } };
  }
}
