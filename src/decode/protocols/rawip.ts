/**
 * Raw IP link types: 101 (LINKTYPE_RAW, Wireshark's "raw" layer; the version nibble picks IPv4
 * or IPv6), 228 (LINKTYPE_IPV4) and 229 (LINKTYPE_IPV6), which go straight to the IP decoder
 * with no layer of their own, as in tshark. Isomorphic.
 */
import type { DissectContext } from '../context.js';
import { defineProtocol } from '../fields/types.js';
import { linkTypes } from '../registry.js';
import { linkReportedEnd } from './ethernet.js';
import { runShort } from './ip-damage.js';
import { dissectIPv4, dissectIPv4Link } from './ipv4.js';
import { dissectIPv6 } from './ipv6.js';
import { placeholderColumns } from './null.js';

export const rawProto = defineProtocol('raw', 'Raw packet data');

export function dissectRaw(ctx: DissectContext, offset: number, end: number): void {
  const rend = linkReportedEnd(ctx, end);
  const { sink } = ctx;
  ctx.protocols.push('raw');
  placeholderColumns(ctx, 'Raw packet data');
  sink.open(rawProto, offset, Math.max(0, Math.min(rend, ctx.bytes.length) - offset), null);
  sink.close();
  if (offset >= ctx.bytes.length || offset >= rend) {
    runShort(ctx, 'Raw packet data', 'ip.version', offset, 1, rend);
    return;
  }
  const version = ctx.bytes[offset] >> 4;
  if (version === 4) dissectIPv4(ctx, offset, rend);
  else if (version === 6) dissectIPv6(ctx, offset, rend);
  else {
    // Wireshark gives up on the frame: nothing it knows starts that way.
    runShort(ctx, 'Raw packet data', 'ip.version', offset, rend - offset + 1, rend);
  }
}

linkTypes.set(101, dissectRaw);
linkTypes.set(228, (ctx, offset, end) => dissectIPv4Link(ctx, offset, linkReportedEnd(ctx, end)));
linkTypes.set(229, (ctx, offset, end) => dissectIPv6(ctx, offset, linkReportedEnd(ctx, end)));
