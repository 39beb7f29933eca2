/**
 * Conversation identity for request/response matching: Wireshark's find_or_create_conversation
 * (transport, both addresses and ports, either direction). Isomorphic.
 */
import type { DissectContext } from '../../decode/context.js';

function addressText(v4: number, v6: Uint8Array | null, version: number): string {
  if (version === 6 && v6) {
    let s = '';
    for (let i = 0; i < v6.length; i++) s += (v6[i] < 16 ? '0' : '') + v6[i].toString(16);
    return s;
  }
  return String(v4 >>> 0);
}

/** "proto|lowEndpoint|highEndpoint": the same string for both directions. */
export function conversationKey(ctx: DissectContext): string {
  const net = ctx.net;
  const a = `${addressText(net.v4Src, net.v6Src, net.version)}/${ctx.meta.srcPort}`;
  const b = `${addressText(net.v4Dst, net.v6Dst, net.version)}/${ctx.meta.dstPort}`;
  return a < b ? `${ctx.meta.ipProto}|${a}|${b}` : `${ctx.meta.ipProto}|${b}|${a}`;
}
