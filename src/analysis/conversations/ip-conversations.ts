/**
 * IP conversations and endpoints (Wireshark's Statistics → Conversations / Endpoints, IPv4 and
 * IPv6 tabs): packets and bytes (frame.len) each way, first packet and duration. Fed once per
 * packet with the outermost IP header (ctx.meta). "A" is the source of the conversation's first
 * packet, as tshark -z conv,ip. Isomorphic.
 */
import type { DissectContext } from '../../decode/context.js';
import type { AnalysisClock } from '../clock.js';
import { AddressBook } from './addresses.js';
import { PairTable } from './pair-table.js';

export interface IpConversationSummary {
  a: string;
  b: string;
  packetsAB: number;
  bytesAB: number;
  packetsBA: number;
  bytesBA: number;
  /** Seconds since the capture's first packet, and duration in seconds. */
  relativeStart: number;
  duration: number;
}

export interface IpEndpointSummary {
  address: string;
  packets: number;
  bytes: number;
  txPackets: number;
  txBytes: number;
  rxPackets: number;
  rxBytes: number;
}

class IpConversation {
  packetsAB = 0;
  bytesAB = 0;
  packetsBA = 0;
  bytesBA = 0;
  last: number;
  constructor(readonly a: number, readonly b: number, readonly first: number) {
    this.last = first;
  }
}

class IpEndpoint {
  txPackets = 0;
  txBytes = 0;
  rxPackets = 0;
  rxBytes = 0;
  constructor(readonly id: number) {}
}

export class IpConversations {
  private convs = new PairTable<IpConversation>();
  private convList: IpConversation[] = [];
  private endpoints = new Map<number, IpEndpoint>();

  constructor(private readonly book: AddressBook, private readonly clock: AnalysisClock) {}

  /** Counts one packet by its outermost IP header (no-op for non-IP packets). */
  account(ctx: DissectContext): void {
    const m = ctx.meta;
    let src: number;
    let dst: number;
    if (m.ipVersion === 4) {
      src = this.book.v4(m.ip4Src);
      dst = this.book.v4(m.ip4Dst);
    } else if (m.ipVersion === 6 && m.ip6Src && m.ip6Dst) {
      src = this.book.v6(m.ip6Src);
      dst = this.book.v6(m.ip6Dst);
    } else return;
    const now = this.clock.now(ctx.frame);
    const len = ctx.frame.origLen;
    let c = this.convs.get(src, dst);
    if (!c) {
      c = new IpConversation(src, dst, now);
      this.convs.set(src, dst, c);
      this.convList.push(c);
    }
    if (c.a === src) {
      c.packetsAB++;
      c.bytesAB += len;
    } else {
      c.packetsBA++;
      c.bytesBA += len;
    }
    c.last = now;
    const s = this.endpoint(src);
    s.txPackets++;
    s.txBytes += len;
    const d = this.endpoint(dst);
    d.rxPackets++;
    d.rxBytes += len;
  }

  private endpoint(id: number): IpEndpoint {
    let e = this.endpoints.get(id);
    if (!e) this.endpoints.set(id, (e = new IpEndpoint(id)));
    return e;
  }

  conversations(): IpConversationSummary[] {
    return this.convList.map((c) => ({
      a: this.book.text(c.a),
      b: this.book.text(c.b),
      packetsAB: c.packetsAB,
      bytesAB: c.bytesAB,
      packetsBA: c.packetsBA,
      bytesBA: c.bytesBA,
      relativeStart: c.first / 1e9,
      duration: (c.last - c.first) / 1e9,
    }));
  }

  endpointList(): IpEndpointSummary[] {
    return [...this.endpoints.values()].map((e) => ({
      address: this.book.text(e.id),
      packets: e.txPackets + e.rxPackets,
      bytes: e.txBytes + e.rxBytes,
      txPackets: e.txPackets,
      txBytes: e.txBytes,
      rxPackets: e.rxPackets,
      rxBytes: e.rxBytes,
    }));
  }

  reset(): void {
    this.convs = new PairTable();
    this.convList = [];
    this.endpoints = new Map();
  }
}
