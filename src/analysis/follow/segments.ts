/**
 * Turning decoded TCP segments into reassembly input: `streamSegmentOf` copies what follow
 * needs out of a packet being decoded (the frame buffer is reused afterwards), and
 * `collectingHooks` wraps an analyzer's hooks so every segment of chosen streams is collected
 * as the TCP dissector reports it — from the bytes the segment was decoded from, so TCP inside
 * reassembled IP datagrams works too. Used by `wirescope follow` and by the engine when it
 * replays a stream's packets. Isomorphic.
 */
import type { DecodeHooks, DissectContext, TcpSegmentInfo } from '../../decode/context.js';
import { formatIPv4, formatIPv6 } from '../../decode/fields/format.js';
import type { StreamSegment } from '../reassembly/types.js';

/** "192.0.2.1:49152" or "[2001:db8::1]:80", as tshark's Node lines (the innermost IP header). */
export function endpointLabel(ctx: DissectContext, port: number, source: boolean): string {
  const net = ctx.net;
  if (net.version === 6) {
    const a = source ? net.v6Src : net.v6Dst;
    return a ? `[${formatIPv6(a)}]:${port}` : `:${port}`;
  }
  return `${formatIPv4(source ? net.v4Src : net.v4Dst)}:${port}`;
}

/** A stream segment as follow needs it (the payload is copied). */
export function streamSegmentOf(ctx: DissectContext, seg: TcpSegmentInfo): StreamSegment {
  const start = seg.payloadOffset;
  return {
    frame: ctx.frame.number,
    tsSec: ctx.frame.tsSec,
    tsNsec: ctx.frame.tsNsec,
    src: endpointLabel(ctx, seg.srcPort, true),
    dst: endpointLabel(ctx, seg.dstPort, false),
    seq: seg.seq,
    ack: seg.ack,
    flags: seg.flags,
    payload: seg.payloadLength > 0 ? ctx.bytes.slice(start, start + seg.payloadLength) : new Uint8Array(0),
    segLen: seg.segmentLength,
  };
}

/**
 * `base` plus collection: `onSegment(stream, segment)` for every TCP segment (of a full header,
 * outside ICMP errors) whose tcp.stream passes `wanted`.
 */
export function collectingHooks(
  base: DecodeHooks, wanted: (stream: number) => boolean, onSegment: (stream: number, segment: StreamSegment) => void,
): DecodeHooks {
  return {
    ...base,
    tcpFields(ctx, seg, where) {
      base.tcpFields?.(ctx, seg, where);
      if (where === 'payload' && ctx.nested === 0 && seg.stream >= 0 && wanted(seg.stream)) onSegment(seg.stream, streamSegmentOf(ctx, seg));
    },
  };
}
