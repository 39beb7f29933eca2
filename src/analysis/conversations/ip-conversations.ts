/**
 * IP conversations and endpoints (Wireshark's Statistics → Conversations / Endpoints, IPv4 and
 * IPv6 tabs): packets and bytes (frame.len) each way, first packet and duration. Fed once per
 * packet with the outermost IP header (ctx.meta). "A" is the source of the conversation's first
 * packet, as tshark -z conv,ip. Isomorphic.
 */
import type { DissectContext } from '../../decode/context.js';
import type { AnalysisClock } from '../clock.js';
import { AddressBook, V6_FLAG } from './addresses.js';
import { PairIndex } from './pair-table.js';

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
  constructor(readonly a: number, readonly b: number, readonly family: number, readonly first: number) {
    this.last = first;
  }
}

class IpEndpoint {
  txPackets = 0;
  txBytes = 0;
  rxPackets = 0;
  rxBytes = 0;
  constructor(readonly addr: number, readonly family: number) {}
}

export class IpConversations {
  private convs = new PairIndex();
  private convList: IpConversation[] = [];
  private endpointIndex = new PairIndex();
  private endpoints: IpEndpoint[] = [];

  constructor(private readonly book: AddressBook, private readonly clock: AnalysisClock) {}

  /** Counts one packet by its outermost IP header (no-op for non-IP packets). */
  account(ctx: DissectContext): void {
    const m = ctx.meta;
    let src: number;
    let dst: number;
    let family: number;
    if (m.ipVersion === 4) {
      src = m.ip4Src;
      dst = m.ip4Dst;
      family = 0;
    } else if (m.ipVersion === 6 && m.ip6Src && m.ip6Dst) {
      src = this.book.v6(m.ip6Src);
      dst = this.book.v6(m.ip6Dst);
      family = V6_FLAG;
    } else return;
    const now = this.clock.now(ctx.frame);
    const len = ctx.frame.origLen;
    const index = this.convs.get(src, family, dst, family);
    let c: IpConversation;
    if (index < 0) {
      c = new IpConversation(src, dst, family, now);
      this.convs.set(src, family, dst, family, this.convList.length);
      this.convList.push(c);
    } else c = this.convList[index];
    if (c.a === src) {
      c.packetsAB++;
      c.bytesAB += len;
    } else {
      c.packetsBA++;
      c.bytesBA += len;
    }
    c.last = now;
    const s = this.endpoint(src, family);
    s.txPackets++;
    s.txBytes += len;
    const d = this.endpoint(dst, family);
    d.rxPackets++;
    d.rxBytes += len;
  }

  private endpoint(addr: number, family: number): IpEndpoint {
    const index = this.endpointIndex.get(addr, family, 0, 0);
    if (index >= 0) return this.endpoints[index];
    const e = new IpEndpoint(addr, family);
    this.endpointIndex.set(addr, family, 0, 0, this.endpoints.length);
    this.endpoints.push(e);
    return e;
  }

  conversations(): IpConversationSummary[] {
    return this.convList.map((c) => ({
      a: this.book.text(c.a, c.family !== 0),
      b: this.book.text(c.b, c.family !== 0),
      packetsAB: c.packetsAB,
      bytesAB: c.bytesAB,
      packetsBA: c.packetsBA,
      bytesBA: c.bytesBA,
      relativeStart: c.first / 1e9,
      duration: (c.last - c.first) / 1e9,
    }));
  }

  endpointList(): IpEndpointSummary[] {
    return this.endpoints.map((e) => ({
      address: this.book.text(e.addr, e.family !== 0),
      packets: e.txPackets + e.rxPackets,
      bytes: e.txBytes + e.rxBytes,
      txPackets: e.txPackets,
      txBytes: e.txBytes,
      rxPackets: e.rxPackets,
      rxBytes: e.rxBytes,
    }));
  }

  reset(): void {
    this.convs = new PairIndex();
    this.convList = [];
    this.endpointIndex = new PairIndex();
    this.endpoints = [];
  }
}
