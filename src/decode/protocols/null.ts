/**
 * BSD loopback encapsulations: NULL (link type 0) starts with a 4-byte address family in the
 * capturing host's byte order; LOOP (108, OpenBSD) with one in network byte order. Families
 * follow Wireshark's table: 2 = IPv4 and the BSD IPv6 values 24 (NetBSD/OpenBSD), 28
 * (FreeBSD) and 30 (Darwin); Linux's AF_INET6 (10) is not a BSD family and, as in tshark,
 * stays data. NULL headers above 1500 are EtherTypes (some captures put one there).
 * Isomorphic.
 */
import type { DissectContext } from '../context.js';
import { defineField, defineProtocol } from '../fields/types.js';
import { etherTypes, linkTypes } from '../registry.js';
import { dissectData } from './data.js';
import { ETHERTYPE_NAMES } from './ethernet-types.js';
import { linkReportedEnd } from './ethernet.js';
import { need } from './ip-damage.js';
import { dissectIPv4 } from './ipv4.js';
import { dissectIPv6 } from './ipv6.js';

export const nullProto = defineProtocol('null', 'Null/Loopback');
export const nullFields = {
  family: defineField({
    name: 'null.family', label: 'Family', type: 'uint', bits: 32,
    valueStrings: { 2: 'IP', 7: 'OSI', 16: 'Appletalk', 23: 'Netware IPX/SPX', 24: 'IPv6', 28: 'IPv6', 30: 'IPv6' },
  }),
  type: defineField({ name: 'null.type', label: 'Type', type: 'uint', base: 'hex', bits: 16, valueStrings: ETHERTYPE_NAMES }),
};

/** Wireshark's placeholder columns for link layers without addresses (raw IP, loopback). */
export function placeholderColumns(ctx: DissectContext, info: string): void {
  ctx.setAddresses('N/A', 'N/A');
  ctx.setProtocol('N/A');
  ctx.setInfo(info);
}

function byFamily(ctx: DissectContext, family: number, offset: number, end: number): void {
  if (family === 2) dissectIPv4(ctx, offset, end);
  else if (family === 24 || family === 28 || family === 30) dissectIPv6(ctx, offset, end);
  else dissectData(ctx, offset, end);
}

function dissectNullLike(ctx: DissectContext, offset: number, end: number, networkOrder: boolean): void {
  const rend = linkReportedEnd(ctx, end);
  const { sink, bytes } = ctx;
  ctx.protocols.push('null');
  placeholderColumns(ctx, 'Null/Loopback');
  sink.open(nullProto, offset, Math.max(0, Math.min(4, ctx.remaining(offset))), null);
  if (!need(ctx, 'Null/Loopback', 'null.family', offset, 4, rend)) {
    sink.close();
    return;
  }
  const be = ((bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3]) >>> 0;
  let value = be;
  if (!networkOrder) {
    // Host order of an unknown machine: read it little-endian, and if only the upper half is set
    // the writer was big-endian (Wireshark's rule).
    const le = ((bytes[offset + 3] << 24) | (bytes[offset + 2] << 16) | (bytes[offset + 1] << 8) | bytes[offset]) >>> 0;
    value = (le & 0xffff0000) !== 0 && (le & 0xffff) === 0 ? be : le;
    if (value > 1500) {
      sink.add(nullFields.type, offset, 4, value);
      sink.close();
      const next = etherTypes.get(value);
      if (next) next(ctx, offset + 4, rend);
      else dissectData(ctx, offset + 4, rend);
      return;
    }
  }
  sink.add(nullFields.family, offset, 4, value);
  sink.close();
  byFamily(ctx, value, offset + 4, rend);
}

export function dissectNull(ctx: DissectContext, offset: number, end: number): void {
  dissectNullLike(ctx, offset, end, false);
}

export function dissectLoop(ctx: DissectContext, offset: number, end: number): void {
  dissectNullLike(ctx, offset, end, true);
}

linkTypes.set(0, dissectNull);
linkTypes.set(108, dissectLoop);
