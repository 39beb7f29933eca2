/**
 * UDP conversations: udp.stream (0-based, in order of first appearance of the address/port
 * pair, either direction, as Wireshark's find_or_create_conversation) and the per-stream
 * timestamps udp.time_relative / udp.time_delta, which Wireshark shows only for datagrams with
 * payload outside ICMP errors (and only those advance "previous frame"). A quoted datagram in
 * an ICMP error still gets the stream of the datagram it quotes. Isomorphic.
 */
import type { DissectContext, UdpDatagramInfo } from '../../decode/context.js';
import { defineField } from '../../decode/fields/types.js';
import { formatRelTime } from '../../decode/fields/format.js';
import { GENERATED } from '../../decode/sink.js';
import { textField } from '../tcp/fields.js';
import { AddressBook, packetAddresses, type AddressPair } from '../conversations/addresses.js';
import { PairIndex } from '../conversations/pair-table.js';
import type { AnalysisClock } from '../clock.js';

export const udpAnalysisFields = {
  stream: defineField({ name: 'udp.stream', label: 'Stream index', type: 'uint', bits: 32 }),
  timeRelative: defineField({ name: 'udp.time_relative', label: 'Time since first frame', type: 'rel_time' }),
  timeDelta: defineField({ name: 'udp.time_delta', label: 'Time since previous frame', type: 'rel_time' }),
};

export interface UdpStreamSummary {
  stream: number;
  /** Endpoint that sent the first datagram, and its peer. */
  a: string;
  b: string;
  packetsAB: number;
  bytesAB: number;
  packetsBA: number;
  bytesBA: number;
  firstFrame: number;
  lastFrame: number;
  /** Seconds since the capture's first packet, and duration in seconds. */
  relativeStart: number;
  duration: number;
}

class UdpConversation {
  packets: [number, number] = [0, 0];
  bytes: [number, number] = [0, 0];
  lastFrame = 0;
  lastTime: number;
  tsPrev: number;
  constructor(
    readonly stream: number,
    /** First sender (A) and its peer (B): address word, port word (addresses.ts). */
    readonly addrA: number, readonly pwA: number, readonly addrB: number, readonly pwB: number,
    readonly tsFirst: number, readonly firstFrame: number,
  ) {
    this.lastTime = tsFirst;
    this.tsPrev = tsFirst;
  }
}

export class UdpAnalyzer {
  private table = new PairIndex();
  private streams: UdpConversation[] = [];
  private readonly addrs: AddressPair = { src: 0, dst: 0, family: 0 };

  constructor(private readonly book: AddressBook, private readonly clock: AnalysisClock) {}

  /** hooks.udp: adds udp.stream (and the timestamps) to the UDP tree. */
  onDatagram(ctx: DissectContext, dgram?: UdpDatagramInfo): void {
    const srcPort = dgram ? dgram.srcPort : ctx.meta.srcPort;
    const dstPort = dgram ? dgram.dstPort : ctx.meta.dstPort;
    if (srcPort < 0 || dstPort < 0) return;
    if (!packetAddresses(ctx, this.book, this.addrs)) return;
    const now = this.clock.now(ctx.frame);
    const src = this.addrs.src;
    const dst = this.addrs.dst;
    const spw = srcPort | this.addrs.family;
    const dpw = dstPort | this.addrs.family;
    const index = this.table.get(src, spw, dst, dpw);
    let conv: UdpConversation;
    if (index < 0) {
      conv = new UdpConversation(this.streams.length, src, spw, dst, dpw, now, ctx.frame.number);
      this.streams.push(conv);
      this.table.set(src, spw, dst, dpw, conv.stream);
    } else conv = this.streams[index];
    if (dgram) dgram.stream = conv.stream;
    const sink = ctx.sink;
    const text = sink.wantsText;
    const offset = dgram ? dgram.headerOffset + 8 : 0;
    sink.add(udpAnalysisFields.stream, offset, 0, conv.stream, GENERATED,
      text ? `[Stream index: ${conv.stream}]` : undefined);
    const nested = ctx.nested > 0;
    if (!nested) {
      const dir = conv.addrA === src && conv.pwA === spw ? 0 : 1;
      conv.packets[dir]++;
      conv.bytes[dir] += ctx.frame.origLen;
      conv.lastFrame = ctx.frame.number;
      conv.lastTime = now;
    }
    const length = dgram ? dgram.length : ctx.meta.udpPayloadLength + 8;
    if (nested || length === 8) return;
    const delta = now - conv.tsPrev;
    conv.tsPrev = now;
    const rel = now - conv.tsFirst;
    sink.open(textField, 0, 0, null, GENERATED, text ? '[Timestamps]' : undefined);
    sink.add(udpAnalysisFields.timeRelative, 0, 0, rel, GENERATED,
      text ? `[Time since first frame: ${formatRelTime(rel)} seconds]` : undefined);
    sink.add(udpAnalysisFields.timeDelta, 0, 0, delta, GENERATED,
      text ? `[Time since previous frame: ${formatRelTime(delta)} seconds]` : undefined);
    sink.close();
  }

  get streamCount(): number {
    return this.streams.length;
  }

  summaries(): UdpStreamSummary[] {
    return this.streams.map((c) => ({
      stream: c.stream,
      a: this.book.endpointText(c.addrA, c.pwA),
      b: this.book.endpointText(c.addrB, c.pwB),
      packetsAB: c.packets[0],
      bytesAB: c.bytes[0],
      packetsBA: c.packets[1],
      bytesBA: c.bytes[1],
      firstFrame: c.firstFrame,
      lastFrame: c.lastFrame,
      relativeStart: c.tsFirst / 1e9,
      duration: (c.lastTime - c.tsFirst) / 1e9,
    }));
  }

  reset(): void {
    this.table = new PairIndex();
    this.streams = [];
  }
}
