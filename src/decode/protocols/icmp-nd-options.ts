/**
 * IPv6 Neighbor Discovery options (RFC 4861 §4.6 and additions: MTU, prefix information,
 * RDNSS/DNSSL of RFC 8106, advertisement interval and home agent information of RFC 6275,
 * nonce of RFC 3971) as Wireshark's ICMPv6 dissector lists them: one `icmpv6.opt` node per
 * option ("ICMPv6 Option (Source link-layer address : 02:00:…)"), type, length in 8-octet
 * units, the option's fields. Link-layer address options add " from …" / " is at …" to the
 * Info column as tshark does. A zero length (RFC 4861: the packet must be dropped) or an option
 * past the end is reported and stops the list. Isomorphic.
 */
import type { DissectContext } from '../context.js';
import { defineField } from '../fields/types.js';
import { formatIPv6, formatMac, hexBytes } from '../fields/format.js';
import { HIDDEN } from '../sink.js';
import { need, protocolWarning } from './ip-damage.js';

export const ND_OPTION_NAMES: Readonly<Record<number, string>> = {
  1: 'Source link-layer address', 2: 'Target link-layer address', 3: 'Prefix information', 4: 'Redirected header',
  5: 'MTU', 6: 'NBMA Shortcut Limit Option', 7: 'Advertisement Interval', 8: 'Home Agent Information',
  9: 'Source Address List', 10: 'Target Address List', 11: 'CGA', 12: 'RSA Signature', 13: 'Timestamp', 14: 'Nonce',
  15: 'Trust Anchor', 16: 'Certificate', 17: 'IP Address/Prefix Option', 18: 'New Router Prefix Information',
  19: 'Link-layer Address', 20: 'Neighbor Advertisement Acknowledgment', 23: 'MAP', 24: 'Route Information',
  25: 'Recursive DNS Server', 26: 'RA Flags Extension', 27: 'Handover Key Request', 28: 'Handover Key Reply',
  29: 'Handover Assist Information', 30: 'Mobile Node Identifier Option', 31: 'DNS Search List Option',
  32: 'Proxy Signature (PS)', 33: 'Address Registration Option', 34: '6LoWPAN Context Option',
  35: 'Authoritative Border Router', 36: '6LoWPAN Capability Indication Option', 37: 'DHCP Captive-Portal',
  38: 'PREF64 Option', 138: 'CARD Request', 139: 'CARD Reply', 253: 'RFC3692-style Experiment 1',
  254: 'RFC3692-style Experiment 2',
};

export const ndOptFields = {
  opt: defineField({ name: 'icmpv6.opt', label: 'ICMPv6 Option', type: 'none' }),
  type: defineField({ name: 'icmpv6.opt.type', label: 'Type', type: 'uint', bits: 8, valueStrings: ND_OPTION_NAMES }),
  length: defineField({ name: 'icmpv6.opt.length', label: 'Length', type: 'uint', bits: 8 }),
  reserved: defineField({ name: 'icmpv6.opt.reserved', label: 'Reserved', type: 'none' }),
  padding: defineField({ name: 'icmpv6.opt.padding', label: 'Padding', type: 'none' }),
  linkaddr: defineField({ name: 'icmpv6.opt.linkaddr', label: 'Link-layer address', type: 'bytes', bytesSeparator: ':' }),
  srcLinkaddr: defineField({ name: 'icmpv6.opt.src_linkaddr', label: 'Source Link-layer address', type: 'bytes', bytesSeparator: ':' }),
  targetLinkaddr: defineField({ name: 'icmpv6.opt.target_linkaddr', label: 'Target Link-layer address', type: 'bytes', bytesSeparator: ':' }),
  prefixLength: defineField({ name: 'icmpv6.opt.prefix.length', label: 'Prefix Length', type: 'uint', bits: 8 }),
  prefixFlag: defineField({ name: 'icmpv6.opt.prefix.flag', label: 'Flag', type: 'uint', base: 'hex', bits: 8 }),
  prefixFlagL: defineField({ name: 'icmpv6.opt.prefix.flag.l', label: 'On-link flag(L)', type: 'bool', bits: 8, bitmask: 0x80, trueFalse: ['Set', 'Not set'] }),
  prefixFlagA: defineField({ name: 'icmpv6.opt.prefix.flag.a', label: 'Autonomous address-configuration flag(A)', type: 'bool', bits: 8, bitmask: 0x40, trueFalse: ['Set', 'Not set'] }),
  prefixFlagR: defineField({ name: 'icmpv6.opt.prefix.flag.r', label: 'Router address flag(R)', type: 'bool', bits: 8, bitmask: 0x20, trueFalse: ['Set', 'Not set'] }),
  prefixFlagReserved: defineField({ name: 'icmpv6.opt.prefix.flag.reserved', label: 'Reserved', type: 'uint', bits: 8, bitmask: 0x1f }),
  prefixValidLifetime: defineField({ name: 'icmpv6.opt.prefix.valid_lifetime', label: 'Valid Lifetime', type: 'uint', bits: 32 }),
  prefixPreferredLifetime: defineField({ name: 'icmpv6.opt.prefix.preferred_lifetime', label: 'Preferred Lifetime', type: 'uint', bits: 32 }),
  prefix: defineField({ name: 'icmpv6.opt.prefix', label: 'Prefix', type: 'ipv6' }),
  mtu: defineField({ name: 'icmpv6.opt.mtu', label: 'MTU', type: 'uint', bits: 32 }),
  nonce: defineField({ name: 'icmpv6.opt.nonce', label: 'Nonce', type: 'bytes' }),
  advInterval: defineField({ name: 'icmpv6.opt.advertisement_interval', label: 'Advertisement Interval', type: 'uint', bits: 32 }),
  haPreference: defineField({ name: 'icmpv6.opt.home_agent_preference', label: 'Home Agent Preference', type: 'uint', bits: 16 }),
  haLifetime: defineField({ name: 'icmpv6.opt.home_agent_lifetime', label: 'Home Agent Preference', type: 'uint', bits: 16 }),
  rdnssLifetime: defineField({ name: 'icmpv6.opt.rdnss.lifetime', label: 'Lifetime', type: 'uint', bits: 32 }),
  rdnss: defineField({ name: 'icmpv6.opt.rdnss', label: 'Recursive DNS Servers', type: 'ipv6' }),
  dnsslLifetime: defineField({ name: 'icmpv6.opt.dnssl.lifetime', label: 'Lifetime', type: 'uint', bits: 32 }),
  dnssl: defineField({ name: 'icmpv6.opt.dnssl', label: 'Domain Names', type: 'string' }),
  redirectedPacket: defineField({ name: 'icmpv6.opt.redirected_packet', label: 'Redirected Packet', type: 'none' }),
  unknownData: defineField({ name: 'icmpv6.unknown_data', label: 'Unknown Data', type: 'bytes' }),
  invalidLength: defineField({ name: 'icmpv6.invalid_option_length', label: 'Invalid Option Length', type: 'none' }),
};

const u16 = (b: Uint8Array, o: number) => (b[o] << 8) | b[o + 1];
const u32 = (b: Uint8Array, o: number) => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;

/**
 * The options in [start, end), `end` being where the message ends on the wire: an option the
 * capture cuts is truncated, one that runs past the message is malformed.
 */
export function dissectNdOptions(ctx: DissectContext, start: number, end: number): void {
  const { sink, bytes } = ctx;
  const text = sink.wantsText;
  for (let at = start; at < end; ) {
    if (!need(ctx, 'ICMPv6', 'icmpv6.opt.length', at, 2, end)) return;
    const type = bytes[at];
    const units = bytes[at + 1];
    const len = units * 8;
    const name = ND_OPTION_NAMES[type] ?? `Unknown (${type})`;
    if (units === 0 || at + len > Math.min(end, bytes.length)) {
      sink.open(ndOptFields.opt, at, Math.max(2, Math.min(len, ctx.remaining(at), end - at)), null, 0,
        text ? `ICMPv6 Option (${name})` : undefined);
      sink.add(ndOptFields.type, at, 1, type);
      sink.add(ndOptFields.length, at + 1, 1, units, 0, text ? `Length: ${units} (${len} bytes)` : undefined);
      // RFC 4861 §4.6: a zero length makes the packet invalid; a cut option is damage.
      if (units === 0) badOption(ctx, at + 1, 1, 'Invalid option length (Zero)');
      else need(ctx, 'ICMPv6', 'icmpv6.opt', at, len, end);
      sink.close();
      return;
    }
    const body = at + 2;
    const stop = at + len;
    let summary = '';
    if (text) summary = optionSummary(bytes, type, body, stop);
    sink.open(ndOptFields.opt, at, len, null, 0, text ? `ICMPv6 Option (${name}${summary})` : undefined);
    sink.add(ndOptFields.type, at, 1, type);
    sink.add(ndOptFields.length, at + 1, 1, units, 0, text ? `Length: ${units} (${len} bytes)` : undefined);
    switch (type) {
      case 1:
      case 2: {
        const addr = bytes.subarray(body, stop);
        const shown = addr.length === 6 ? addr : trimPadding(addr);
        sink.add(ndOptFields.linkaddr, body, shown.length, shown, 0, text ? `Link-layer address: ${linkText(shown)}` : undefined);
        sink.add(type === 1 ? ndOptFields.srcLinkaddr : ndOptFields.targetLinkaddr, body, shown.length, shown, HIDDEN);
        if (ctx.wantsColumns) ctx.appendInfo(`${type === 1 ? 'from' : 'is at'} ${linkText(shown)}`);
        break;
      }
      case 3:
        if (len >= 32) prefixInformation(ctx, body);
        break;
      case 4:
        sink.add(ndOptFields.reserved, body, 6, null);
        if (stop > body + 6) sink.add(ndOptFields.redirectedPacket, body + 6, stop - body - 6, null);
        break;
      case 5:
        sink.add(ndOptFields.reserved, body, 2, null);
        sink.add(ndOptFields.mtu, body + 2, 4, u32(bytes, body + 2));
        break;
      case 7:
        sink.add(ndOptFields.reserved, body, 2, null);
        sink.add(ndOptFields.advInterval, body + 2, 4, u32(bytes, body + 2));
        break;
      case 8:
        sink.add(ndOptFields.reserved, body, 2, null);
        sink.add(ndOptFields.haPreference, body + 2, 2, u16(bytes, body + 2));
        sink.add(ndOptFields.haLifetime, body + 4, 2, u16(bytes, body + 4));
        break;
      case 14:
        sink.add(ndOptFields.nonce, body, stop - body, bytes.subarray(body, stop));
        break;
      case 25:
        sink.add(ndOptFields.reserved, body, 2, null);
        sink.add(ndOptFields.rdnssLifetime, body + 2, 4, u32(bytes, body + 2));
        for (let a = body + 6; a + 16 <= stop; a += 16) sink.add(ndOptFields.rdnss, a, 16, bytes.subarray(a, a + 16));
        break;
      case 31:
        sink.add(ndOptFields.reserved, body, 2, null);
        sink.add(ndOptFields.dnsslLifetime, body + 2, 4, u32(bytes, body + 2));
        domainList(ctx, body + 6, stop);
        break;
      default:
        if (stop > body) sink.add(ndOptFields.unknownData, body, stop - body, bytes.subarray(body, stop));
    }
    sink.close();
    at = stop;
  }
}

function badOption(ctx: DissectContext, at: number, len: number, message: string): void {
  ctx.sink.add(ndOptFields.invalidLength, at, Math.max(0, len), null, 0, ctx.sink.wantsText ? message : undefined);
  protocolWarning(ctx, message);
}

/** Link-layer addresses are 6 bytes on Ethernet; other links pad theirs to the option size. */
function trimPadding(addr: Uint8Array): Uint8Array {
  let n = addr.length;
  while (n > 0 && addr[n - 1] === 0) n--;
  return addr.subarray(0, n);
}

function linkText(addr: Uint8Array): string {
  return addr.length === 6 ? formatMac(addr) : hexBytes(addr, ':');
}

function optionSummary(bytes: Uint8Array, type: number, body: number, stop: number): string {
  switch (type) {
    case 1:
    case 2:
      return ` : ${linkText(stop - body === 6 ? bytes.subarray(body, stop) : trimPadding(bytes.subarray(body, stop)))}`;
    case 3:
      return stop - body >= 30 ? ` : ${formatIPv6(bytes.subarray(body + 14, body + 30))}/${bytes[body]}` : '';
    case 5:
      return stop - body >= 6 ? ` : ${u32(bytes, body + 2)}` : '';
    case 7:
      return stop - body >= 6 ? ` : ${u32(bytes, body + 2)}` : '';
    case 25: {
      let s = '';
      for (let a = body + 6; a + 16 <= stop; a += 16) s += ` ${formatIPv6(bytes.subarray(a, a + 16))}`;
      return s;
    }
    case 31: {
      let s = '';
      for (const name of domainNames(bytes, body + 6, stop)) s += ` ${name.text}`;
      return s;
    }
    default:
      return '';
  }
}

function prefixInformation(ctx: DissectContext, body: number): void {
  const { sink, bytes } = ctx;
  const flags = bytes[body + 1];
  sink.add(ndOptFields.prefixLength, body, 1, bytes[body]);
  let flagText: string | undefined;
  if (sink.wantsText) {
    const names: string[] = [];
    if (flags & 0x80) names.push('On-link flag(L)');
    if (flags & 0x40) names.push('Autonomous address-configuration flag(A)');
    if (flags & 0x20) names.push('Router address flag(R)');
    flagText = `Flag: 0x${flags.toString(16).padStart(2, '0')}${names.length ? ', ' + names.join(', ') : ''}`;
  }
  sink.open(ndOptFields.prefixFlag, body + 1, 1, flags, 0, flagText);
  sink.add(ndOptFields.prefixFlagL, body + 1, 1, (flags & 0x80) !== 0);
  sink.add(ndOptFields.prefixFlagA, body + 1, 1, (flags & 0x40) !== 0);
  sink.add(ndOptFields.prefixFlagR, body + 1, 1, (flags & 0x20) !== 0);
  sink.add(ndOptFields.prefixFlagReserved, body + 1, 1, flags & 0x1f);
  sink.close();
  sink.add(ndOptFields.prefixValidLifetime, body + 2, 4, u32(bytes, body + 2));
  sink.add(ndOptFields.prefixPreferredLifetime, body + 6, 4, u32(bytes, body + 6));
  sink.add(ndOptFields.reserved, body + 10, 4, null);
  sink.add(ndOptFields.prefix, body + 14, 16, bytes.subarray(body + 14, body + 30));
}

/** DNSSL: uncompressed DNS names (RFC 8106 §5.2), then zero padding. Labels are bounded by the option. */
function domainNames(bytes: Uint8Array, start: number, stop: number): { at: number; len: number; text: string }[] {
  const out: { at: number; len: number; text: string }[] = [];
  let at = start;
  while (at < stop && bytes[at] !== 0) {
    const begin = at;
    let text = '';
    while (at < stop && bytes[at] !== 0) {
      const n = bytes[at];
      if (at + 1 + n > stop) return out;
      let label = '';
      for (let i = 0; i < n; i++) label += String.fromCharCode(bytes[at + 1 + i]);
      text += (text ? '.' : '') + label;
      at += 1 + n;
    }
    at++; // the root label
    out.push({ at: begin, len: at - begin, text });
  }
  return out;
}

function domainList(ctx: DissectContext, start: number, stop: number): void {
  const { sink, bytes } = ctx;
  const names = domainNames(bytes, start, stop);
  let end = start;
  for (const n of names) {
    sink.add(ndOptFields.dnssl, n.at, n.len, n.text);
    end = n.at + n.len;
  }
  if (end < stop) sink.add(ndOptFields.padding, end, stop - end, null);
}
