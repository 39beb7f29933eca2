/**
 * IPv6 extension header bodies (RFC 8200 §4): the TLV options of Hop-by-Hop and Destination
 * Options headers (Pad1, PadN, Router Alert, Jumbo Payload, Tunnel Encapsulation Limit, others
 * kept as bytes) and the Routing header types Wireshark decodes (0 source route, 2 Mobile IPv6,
 * 4 segment routing; others as type-specific bytes). The header chain itself is walked in
 * ipv6.ts. An option whose length runs past its header is reported and ends the list.
 * Isomorphic.
 */
import type { DissectContext } from '../context.js';
import { defineField, defineProtocol } from '../fields/types.js';
import { formatIPv6 } from '../fields/format.js';
import { protocolWarning } from './ip-damage.js';
import { IP_PROTOCOL_NAMES } from './ip-names.js';

const OPTION_NAMES: Readonly<Record<number, string>> = {
  0: 'Pad1', 1: 'PadN', 4: 'Tunnel Encapsulation Limit', 5: 'Router Alert', 7: 'CALIPSO', 8: 'SMF_DPD',
  15: 'Performance and Diagnostic Metrics', 30: 'Experimental (0x1E)', 38: 'Quick-Start', 48: 'Path MTU Option',
  49: 'IOAM Option', 62: 'Experimental (0x3E)', 65: 'Tunnel Payload Forwarding (TPF) Information',
  94: 'Experimental (0x5E)', 99: 'RPL Option', 109: 'MPL Option', 126: 'Experimental (0x7E)',
  138: 'Endpoint Identification', 139: 'ILNP Nonce', 140: 'Line-Identification Option', 158: 'Experimental (0x9E)',
  190: 'Experimental (0xBE)', 194: 'Jumbo Payload', 201: 'Home Address', 222: 'Experimental (0xDE)', 238: 'IP_DFF',
  254: 'Experimental (0xFE)',
};

export const ipv6OptFields = {
  opt: defineField({ name: 'ipv6.opt', label: 'IPv6 Option', type: 'none' }),
  type: defineField({ name: 'ipv6.opt.type', label: 'Type', type: 'uint', base: 'hex', bits: 8, valueStrings: OPTION_NAMES }),
  action: defineField({
    name: 'ipv6.opt.type.action', label: 'Action', type: 'uint', bits: 8, bitmask: 0xc0,
    valueStrings: {
      0: 'Skip and continue', 1: 'Discard', 2: 'Discard and send ICMP Parameter Problem',
      3: 'Discard and send ICMP if not multicast',
    },
  }),
  change: defineField({ name: 'ipv6.opt.type.change', label: 'May Change', type: 'bool', bits: 8, bitmask: 0x20, trueFalse: ['Yes', 'No'] }),
  rest: defineField({ name: 'ipv6.opt.type.rest', label: 'Low-Order Bits', type: 'uint', base: 'hex', bits: 8, bitmask: 0x1f }),
  length: defineField({ name: 'ipv6.opt.length', label: 'Length', type: 'uint', bits: 8 }),
  pad1: defineField({ name: 'ipv6.opt.pad1', label: 'Pad1', type: 'none' }),
  padn: defineField({ name: 'ipv6.opt.padn', label: 'PadN', type: 'bytes' }),
  routerAlert: defineField({ name: 'ipv6.opt.router_alert', label: 'Router Alert', type: 'uint', bits: 16, valueStrings: { 0: 'MLD', 1: 'RSVP', 2: 'Active Network' } }),
  jumbo: defineField({ name: 'ipv6.opt.jumbo', label: 'Payload Length', type: 'uint', bits: 32 }),
  tel: defineField({ name: 'ipv6.opt.tel', label: 'Tunnel Encapsulation Limit', type: 'uint', bits: 8 }),
  unknown: defineField({ name: 'ipv6.opt.unknown', label: 'Unknown Option Payload', type: 'bytes' }),
  pmtuMin: defineField({ name: 'ipv6.opt.pmtu.min', label: 'Minimum Reported PMTU', type: 'uint', bits: 16 }),
  pmtuRtn: defineField({ name: 'ipv6.opt.pmtu.rtn', label: 'Return Minimum PMTU', type: 'uint', bits: 16 }),
  pmtuRFlag: defineField({ name: 'ipv6.opt.pmtu.r_flag', label: 'Return Flag', type: 'bool' }),
  invalidLen: defineField({ name: 'ipv6.opt.invalid_len', label: 'Invalid IPv6 option length', type: 'none' }),
};

/** The three option-carrying / routing headers, each a protocol of its own in frame.protocols. */
export const hopoptsProto = defineProtocol('ipv6.hopopts', 'IPv6 Hop-by-Hop Option');
export const dstoptsProto = defineProtocol('ipv6.dstopts', 'Destination Options for IPv6');
export const routingProto = defineProtocol('ipv6.routing', 'Routing Header for IPv6');
export const fraghdrProto = defineProtocol('ipv6.fraghdr', 'Fragment Header for IPv6');

function extFields(prefix: 'hopopts' | 'dstopts' | 'routing') {
  return {
    nxt: defineField({ name: `ipv6.${prefix}.nxt`, label: 'Next Header', type: 'uint', bits: 8, valueStrings: IP_PROTOCOL_NAMES }),
    len: defineField({ name: `ipv6.${prefix}.len`, label: 'Length', type: 'uint', bits: 8 }),
    lenOct: defineField({ name: `ipv6.${prefix}.len_oct`, label: 'Length', type: 'uint', bits: 16 }),
  };
}
export const hopoptsFields = extFields('hopopts');
export const dstoptsFields = extFields('dstopts');

const ROUTING_TYPES: Readonly<Record<number, string>> = {
  0: 'Source Route', 1: 'Nimrod', 2: 'Type 2 Routing', 3: 'RPL Source Route', 4: 'Segment Routing',
  5: 'Compact Routing Header 16', 6: 'Compact Routing Header 32', 253: 'Experiment 1', 254: 'Experiment 2',
};
export const routingFields = {
  ...extFields('routing'),
  type: defineField({ name: 'ipv6.routing.type', label: 'Type', type: 'uint', bits: 8, valueStrings: ROUTING_TYPES }),
  segleft: defineField({ name: 'ipv6.routing.segleft', label: 'Segments Left', type: 'uint', bits: 8 }),
  unknownData: defineField({ name: 'ipv6.routing.unknown_data', label: 'Type-Specific Data', type: 'bytes' }),
  srcReserved: defineField({ name: 'ipv6.routing.src.reserved', label: 'Reserved', type: 'bytes' }),
  srcAddr: defineField({ name: 'ipv6.routing.src.addr', label: 'Address', type: 'ipv6' }),
  mipv6Reserved: defineField({ name: 'ipv6.routing.mipv6.reserved', label: 'Reserved', type: 'bytes' }),
  mipv6HomeAddress: defineField({ name: 'ipv6.routing.mipv6.home_address', label: 'Home Address', type: 'ipv6' }),
  srhLastEntry: defineField({ name: 'ipv6.routing.srh.last_entry', label: 'Last Entry', type: 'uint', bits: 8 }),
  srhFlags: defineField({ name: 'ipv6.routing.srh.flags', label: 'Flags', type: 'uint', base: 'hex', bits: 8 }),
  srhTag: defineField({ name: 'ipv6.routing.srh.tag', label: 'Tag', type: 'bytes' }),
  srhAddr: defineField({ name: 'ipv6.routing.srh.addr', label: 'Address', type: 'ipv6' }),
};

export function routingTypeName(type: number): string {
  return ROUTING_TYPES[type] ?? 'Unknown';
}

const u16 = (b: Uint8Array, o: number) => (b[o] << 8) | b[o + 1];
const u32 = (b: Uint8Array, o: number) => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;

/**
 * TLV options in [start, end) of a Hop-by-Hop or Destination Options header. `cut` means the
 * capture stops at `end` before the header does: an option running past it is left for the
 * caller to report as truncated instead of as a bad length. Returns the Jumbo Payload length
 * when present, else -1.
 */
export function dissectIPv6Options(ctx: DissectContext, start: number, end: number, cut = false): number {
  const { sink, bytes } = ctx;
  const text = sink.wantsText;
  let jumbo = -1;
  for (let at = start; at < end; ) {
    const type = bytes[at];
    const name = OPTION_NAMES[type] ?? `Unknown IPv6 Option (0x${type.toString(16).padStart(2, '0')})`;
    if (type === 0) {
      sink.open(ipv6OptFields.opt, at, 1, null, 0, text ? name : undefined);
      addOptionType(ctx, at, type);
      sink.add(ipv6OptFields.pad1, at, 1, null);
      sink.close();
      at++;
      continue;
    }
    if (at + 2 > end) {
      if (!cut) invalidLength(ctx, at, end - at, 'IPv6 option length past the end of the header');
      return jumbo;
    }
    const len = bytes[at + 1];
    if (at + 2 + len > end) {
      if (!cut) invalidLength(ctx, at, end - at, `Invalid IPv6 option length: ${len} bytes past the end of the header`);
      return jumbo;
    }
    const data = at + 2;
    sink.open(ipv6OptFields.opt, at, 2 + len, null, 0, text ? name : undefined);
    addOptionType(ctx, at, type);
    sink.add(ipv6OptFields.length, at + 1, 1, len);
    switch (type) {
      case 1:
        sink.add(ipv6OptFields.padn, data, len, bytes.subarray(data, data + len), 0, text && len === 0 ? 'PadN: <none>' : undefined);
        break;
      case 5:
        if (len === 2) sink.add(ipv6OptFields.routerAlert, data, 2, u16(bytes, data));
        else sink.add(ipv6OptFields.unknown, data, len, bytes.subarray(data, data + len));
        break;
      case 0xc2:
        if (len === 4) {
          jumbo = u32(bytes, data);
          sink.add(ipv6OptFields.jumbo, data, 4, jumbo);
        } else sink.add(ipv6OptFields.unknown, data, len, bytes.subarray(data, data + len));
        break;
      case 4:
        if (len === 1) sink.add(ipv6OptFields.tel, data, 1, bytes[data]);
        else sink.add(ipv6OptFields.unknown, data, len, bytes.subarray(data, data + len));
        break;
      case 0x30:
        // RFC 9268 Path MTU: minimum reported PMTU, then 15 bits of return PMTU and the R flag.
        if (len === 4) {
          sink.add(ipv6OptFields.pmtuMin, data, 2, (bytes[data] << 8) | bytes[data + 1]);
          sink.add(ipv6OptFields.pmtuRtn, data + 2, 2, ((bytes[data + 2] << 8) | bytes[data + 3]) >> 1);
          sink.add(ipv6OptFields.pmtuRFlag, data + 3, 1, (bytes[data + 3] & 1) === 1);
        } else {
          invalidLength(ctx, at + 1, 1, `PMTU Option: Invalid Length (${len} bytes)`);
          if (len > 0) sink.add(ipv6OptFields.unknown, data, len, bytes.subarray(data, data + len));
        }
        break;
      default:
        if (len > 0) sink.add(ipv6OptFields.unknown, data, len, bytes.subarray(data, data + len));
    }
    sink.close();
    at = data + len;
  }
  return jumbo;
}

function addOptionType(ctx: DissectContext, at: number, type: number): void {
  const { sink } = ctx;
  sink.open(ipv6OptFields.type, at, 1, type);
  sink.add(ipv6OptFields.action, at, 1, type >> 6);
  sink.add(ipv6OptFields.change, at, 1, (type & 0x20) !== 0);
  sink.add(ipv6OptFields.rest, at, 1, type & 0x1f);
  sink.close();
}

function invalidLength(ctx: DissectContext, at: number, len: number, message: string): void {
  ctx.sink.add(ipv6OptFields.invalidLen, at, Math.max(0, len), null, 0, ctx.sink.wantsText ? message : undefined);
  protocolWarning(ctx, message);
}

/** Type-specific part of a Routing header in [at, end) (all captured). */
export function dissectRoutingData(ctx: DissectContext, type: number, at: number, end: number): void {
  const { sink, bytes } = ctx;
  const text = sink.wantsText;
  if (type === 0 && end - at >= 4) {
    sink.add(routingFields.srcReserved, at, 4, bytes.subarray(at, at + 4));
    let n = 1;
    for (let a = at + 4; a + 16 <= end; a += 16, n++) {
      const addr = bytes.subarray(a, a + 16);
      sink.add(routingFields.srcAddr, a, 16, addr, 0, text ? `Address[${n}]: ${formatIPv6(addr)}` : undefined);
    }
    return;
  }
  if (type === 2 && end - at >= 20) {
    sink.add(routingFields.mipv6Reserved, at, 4, bytes.subarray(at, at + 4));
    sink.add(routingFields.mipv6HomeAddress, at + 4, 16, bytes.subarray(at + 4, at + 20));
    return;
  }
  if (type === 4 && end - at >= 4) {
    sink.add(routingFields.srhLastEntry, at, 1, bytes[at]);
    sink.add(routingFields.srhFlags, at + 1, 1, bytes[at + 1]);
    sink.add(routingFields.srhTag, at + 2, 2, bytes.subarray(at + 2, at + 4));
    const last = bytes[at];
    let n = 0;
    for (let a = at + 4; a + 16 <= end && n <= last; a += 16, n++) {
      const addr = bytes.subarray(a, a + 16);
      sink.add(routingFields.srhAddr, a, 16, addr, 0, text ? `Address[${n}]: ${formatIPv6(addr)}` : undefined);
    }
    return;
  }
  if (end > at) sink.add(routingFields.unknownData, at, end - at, bytes.subarray(at, end));
}
