/**
 * IPv6 (RFC 8200): the fixed header with Wireshark's fields (and its hidden `ip.version`, so
 * `ip.version == 6` matches), address-derived fields (SLAAC MAC, 6to4), then the extension
 * header chain — Hop-by-Hop (inside the IPv6 node, as Wireshark shows it), Routing, Fragment
 * and Destination Options, each its own layer in frame.protocols — and the upper layer through
 * `ipProtocols`. The chain is walked iteratively with a bound, so 0-length, looping or
 * past-the-end headers cannot hang or recurse. Fragments are reassembled like IPv4's (the
 * completing frame decodes the rest of the chain from a "Reassembled IPv6" data source).
 * Isomorphic.
 */
import type { DissectContext } from '../context.js';
import { defineField, defineProtocol, type FieldDef } from '../fields/types.js';
import { formatIPv4, formatIPv6, formatMac } from '../fields/format.js';
import { ipv6Text } from '../fields/address-text.js';
import { etherTypes, ipProtocols } from '../registry.js';
import { GENERATED, HIDDEN, wantsAny } from '../sink.js';
import { dissectData } from './data.js';
import { dissectEthernetFrame, etherTypeLengths } from './ethernet.js';
import { need, protocolError, runShort } from './ip-damage.js';
import { DSCP_NAMES, dsSummary, ECN_NAMES, IP_PROTOCOL_NAMES, ipProtocolName } from './ip-names.js';
import { fragmentTable, type ReassembledDatagram } from './ip-reassembly.js';
import {
  dissectIPv6Options, dissectRoutingData, dstoptsFields, dstoptsProto, fraghdrProto, hopoptsFields, hopoptsProto,
  routingFields, routingProto, routingTypeName,
} from './ipv6-ext.js';
import { addFragmentTree, bitsText, dispatchIpPayload, lastIpHeader } from './ip-common.js';

export const ipv6Proto = defineProtocol('ipv6', 'Internet Protocol Version 6');
export const ipv6Fields = {
  version: defineField({ name: 'ipv6.version', label: 'Version', type: 'uint', bits: 8 }),
  tclass: defineField({ name: 'ipv6.tclass', label: 'Traffic Class', type: 'uint', base: 'hex', bits: 32, bitmask: 0x0ff00000 }),
  dscp: defineField({ name: 'ipv6.tclass.dscp', label: 'Differentiated Services Codepoint', type: 'uint', bits: 32, bitmask: 0x0fc00000, valueStrings: DSCP_NAMES }),
  ecn: defineField({ name: 'ipv6.tclass.ecn', label: 'Explicit Congestion Notification', type: 'uint', bits: 32, bitmask: 0x00300000, valueStrings: ECN_NAMES }),
  flow: defineField({ name: 'ipv6.flow', label: 'Flow Label', type: 'uint', base: 'hex', bits: 24, bitmask: 0x0fffff }),
  plen: defineField({ name: 'ipv6.plen', label: 'Payload Length', type: 'uint', bits: 16 }),
  nxt: defineField({ name: 'ipv6.nxt', label: 'Next Header', type: 'uint', bits: 8, valueStrings: IP_PROTOCOL_NAMES }),
  hlim: defineField({ name: 'ipv6.hlim', label: 'Hop Limit', type: 'uint', bits: 8 }),
  src: defineField({ name: 'ipv6.src', label: 'Source Address', type: 'ipv6' }),
  dst: defineField({ name: 'ipv6.dst', label: 'Destination Address', type: 'ipv6' }),
  addr: defineField({ name: 'ipv6.addr', label: 'Source or Destination Address', type: 'ipv6' }),
  srcHost: defineField({ name: 'ipv6.src_host', label: 'Source Host', type: 'string' }),
  dstHost: defineField({ name: 'ipv6.dst_host', label: 'Destination Host', type: 'string' }),
  host: defineField({ name: 'ipv6.host', label: 'Source or Destination Host', type: 'string' }),
  srcSlaacMac: defineField({ name: 'ipv6.src_slaac_mac', label: 'Source SLAAC MAC', type: 'ether' }),
  dstSlaacMac: defineField({ name: 'ipv6.dst_slaac_mac', label: 'Destination SLAAC MAC', type: 'ether' }),
  slaacMac: defineField({ name: 'ipv6.slaac_mac', label: 'SLAAC MAC', type: 'ether' }),
  src6to4Gw: defineField({ name: 'ipv6.src_6to4_gw_ipv4', label: 'Source 6to4 Gateway IPv4', type: 'ipv4' }),
  src6to4Sla: defineField({ name: 'ipv6.src_6to4_sla_id', label: 'Source 6to4 SLA ID', type: 'uint', bits: 16 }),
  dst6to4Gw: defineField({ name: 'ipv6.dst_6to4_gw_ipv4', label: 'Destination 6to4 Gateway IPv4', type: 'ipv4' }),
  dst6to4Sla: defineField({ name: 'ipv6.dst_6to4_sla_id', label: 'Destination 6to4 SLA ID', type: 'uint', bits: 16 }),
  gw6to4: defineField({ name: 'ipv6.6to4_gw_ipv4', label: '6to4 Gateway IPv4', type: 'ipv4' }),
  sla6to4: defineField({ name: 'ipv6.6to4_sla_id', label: '6to4 SLA ID', type: 'uint', bits: 16 }),
  fragment: defineField({ name: 'ipv6.fragment', label: 'IPv6 Fragment', type: 'framenum' }),
  fragments: defineField({ name: 'ipv6.fragments', label: 'IPv6 Fragments', type: 'none' }),
  fragmentCount: defineField({ name: 'ipv6.fragment.count', label: 'Fragment count', type: 'uint', bits: 32 }),
  fragmentOverlap: defineField({ name: 'ipv6.fragment.overlap', label: 'Fragment overlap', type: 'bool' }),
  fragmentConflict: defineField({ name: 'ipv6.fragment.overlap.conflict', label: 'Conflicting data in fragment overlap', type: 'bool' }),
  fragmentMultipleTails: defineField({ name: 'ipv6.fragment.multipletails', label: 'Multiple tail fragments found', type: 'bool' }),
  fragmentTooLong: defineField({ name: 'ipv6.fragment.toolongfragment', label: 'Fragment too long', type: 'bool' }),
  reassembledIn: defineField({ name: 'ipv6.reassembled.in', label: 'Reassembled IPv6 in frame', type: 'framenum' }),
  reassembledLength: defineField({ name: 'ipv6.reassembled.length', label: 'Reassembled IPv6 length', type: 'uint', bits: 32 }),
  reassembledData: defineField({ name: 'ipv6.reassembled.data', label: 'Reassembled IPv6 data', type: 'bytes' }),
};

export const fraghdrFields = {
  nxt: defineField({ name: 'ipv6.fraghdr.nxt', label: 'Next header', type: 'uint', bits: 8, valueStrings: IP_PROTOCOL_NAMES }),
  reservedOctet: defineField({ name: 'ipv6.fraghdr.reserved_octet', label: 'Reserved octet', type: 'uint', base: 'hex', bits: 8 }),
  offset: defineField({ name: 'ipv6.fraghdr.offset', label: 'Offset', type: 'uint', bits: 16, bitmask: 0xfff8 }),
  reservedBits: defineField({ name: 'ipv6.fraghdr.reserved_bits', label: 'Reserved bits', type: 'uint', bits: 16, bitmask: 0x0006 }),
  more: defineField({ name: 'ipv6.fraghdr.more', label: 'More Fragments', type: 'bool', bits: 16, bitmask: 0x0001, trueFalse: ['Yes', 'No'] }),
  ident: defineField({ name: 'ipv6.fraghdr.ident', label: 'Identification', type: 'uint', base: 'hex', bits: 32 }),
};

/** The hidden `ip.version` IPv6 adds so that "ip.version == 6" matches (Wireshark does). */
const ipVersion = defineField({ name: 'ip.version', label: 'Version', type: 'uint', bits: 8 });

const IP_PROTO_HOPOPTS = 0;
const IP_PROTO_ROUTING = 43;
const IP_PROTO_FRAGMENT = 44;
const IP_PROTO_NONE = 59;
const IP_PROTO_DSTOPTS = 60;
/** More extension headers than this is no real packet; the rest is shown as data. */
const MAX_EXTENSION_HEADERS = 32;

const u16 = (b: Uint8Array, o: number) => (b[o] << 8) | b[o + 1];
const u32 = (b: Uint8Array, o: number) => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;

/** Where the chain walk is: the IPv6 node stays open (ext headers are its children) until the upper layer. */
interface Chain {
  /** IPv6 header start, for the node length and the fragment fields. */
  start: number;
  /** End of the IPv6 payload (reported). */
  end: number;
  /** The IPv6 node is still open in the sink. */
  open: boolean;
  /** Length of the IPv6 node: 40 plus a Hop-by-Hop header, as Wireshark draws it. */
  nodeLength: number;
  src: Uint8Array;
  dst: Uint8Array;
  /** Extension headers walked so far. */
  count: number;
}

/**
 * Returns false when the packet is not IPv6 at all (bad version): Wireshark's dissector then
 * refuses it and the EtherType step shows the bytes as data, as for an unknown type.
 */
export function dissectIPv6(ctx: DissectContext, offset: number, end: number): boolean {
  const { sink, bytes } = ctx;
  const text = sink.wantsText;
  const captured = Math.min(end, bytes.length);
  ctx.protocols.push('ipv6');
  ctx.setProtocol('IPv6');
  ctx.setInfo('');
  if (offset >= captured) {
    sink.open(ipv6Proto, offset, 0, null);
    runShort(ctx, 'IPv6', 'ipv6.version', offset, 1, end);
    sink.close();
    return true;
  }
  const version = bytes[offset] >> 4;
  if (version !== 6) {
    // Wireshark's IPv6 dissector refuses the packet (it leaves frame.protocols), keeping the note.
    ctx.protocols.pop();
    sink.open(ipv6Proto, offset, Math.min(40, captured - offset), null);
    sink.add(ipv6Fields.version, offset, 1, version, 0, text ? `${bitsText(bytes[offset], 0xf0, 8)} = Version: ${version}` : undefined);
    sink.add(ipVersion, offset, 1, version, HIDDEN);
    sink.close();
    const message = `Bogus IPv6 version (${version}, must be 6)`;
    protocolError(ctx, 'IPv6', 'ipv6.version', offset, 1, message);
    ctx.setInfo(message);
    return false;
  }
  // Wireshark takes the addresses for the columns before it checks the header's length.
  if (ctx.nested === 0 && ctx.wantsColumns && offset + 24 <= captured) {
    ctx.setAddresses(ipv6Text(bytes, offset + 8), offset + 40 <= captured ? ipv6Text(bytes, offset + 24) : ctx.cols.dst);
  }
  // A packet shorter than the header: Wireshark says so, shows the fields that are there and
  // stops as malformed at the first one that is not (the need() calls below).
  if (end - offset < 40) ctx.setInfo(`Invalid IPv6 header (${end - offset} bytes, need exactly 40)`);
  const src = bytes.subarray(offset + 8, offset + 24);
  const dst = bytes.subarray(offset + 24, offset + 40);
  const haveFixed = offset + 40 <= captured;
  sink.open(ipv6Proto, offset, Math.min(40, captured - offset), null, 0,
    text ? (haveFixed ? `Internet Protocol Version 6, Src: ${formatIPv6(src)}, Dst: ${formatIPv6(dst)}` : 'Internet Protocol Version 6') : undefined);
  // A sink that keeps none of the fixed header's fields (the packet index) skips their reports.
  const plain = wantsAny(sink, IPV6_PLAIN_FIELDS);
  if (plain) {
    sink.add(ipv6Fields.version, offset, 1, 6, 0, text ? '0110 .... = Version: 6' : undefined);
    sink.add(ipVersion, offset, 1, 6, HIDDEN,
      text ? '0110 .... = Version: 6 [This field makes the filter match on "ip.version == 6" possible]' : undefined);
  }
  if (!need(ctx, 'IPv6', 'ipv6.tclass', offset, 4, end)) return closeNode(ctx);
  if (plain) {
    const word = u32(bytes, offset);
    const tclass = (word >>> 20) & 0xff;
    const flow = word & 0xfffff;
    sink.open(ipv6Fields.tclass, offset, 4, tclass, 0,
      text ? `${bitsText(word, 0x0ff00000, 32)} = Traffic Class: 0x${tclass.toString(16).padStart(2, '0')} (${dsSummary(tclass)})` : undefined);
    sink.add(ipv6Fields.dscp, offset, 4, tclass >> 2);
    sink.add(ipv6Fields.ecn, offset, 4, tclass & 3);
    sink.close();
    sink.add(ipv6Fields.flow, offset + 1, 3, flow, 0,
      text ? `${bitsText(word & 0xffffff, 0x0fffff, 24)} = Flow Label: 0x${flow.toString(16).padStart(5, '0')}` : undefined);
  }
  if (!need(ctx, 'IPv6', 'ipv6.plen', offset + 4, 2, end)) return closeNode(ctx);
  const plen = u16(bytes, offset + 4);
  const reportedPayload = end - offset - 40;
  let payloadEnd = offset + 40 + plen;
  const jumbo = plen === 0 ? jumboLength(bytes, offset, captured) : -1;
  if (jumbo >= 0) {
    // RFC 2675 jumbogram: the Hop-by-Hop Jumbo Payload option gives the length.
    payloadEnd = Math.min(offset + 40 + jumbo, end);
  } else if (plen === 0) {
    // Otherwise Wireshark 4.0 takes a zero payload length literally (TSO captures): the payload
    // is empty and whatever follows the header is the link layer's trailer.
    ctx.note({ severity: 'chat', group: 'protocol', message: 'IPv6 payload length equals 0 (maybe because of "TCP segmentation offload" (TSO))' });
  } else if (plen > reportedPayload) {
    if (plain) sink.add(ipv6Fields.plen, offset + 4, 2, plen, 0, text ? `Payload Length: ${plen} (bogus, payload length exceeds framing length)` : undefined);
    protocolError(ctx, 'IPv6', 'ipv6.plen', offset + 4, 2, `IPv6 payload length exceeds framing length (${reportedPayload} bytes)`);
    payloadEnd = end;
  }
  if (plain && (plen === 0 || plen <= reportedPayload)) sink.add(ipv6Fields.plen, offset + 4, 2, plen);
  if (!need(ctx, 'IPv6', 'ipv6.nxt', offset + 6, 2, end)) return closeNode(ctx);
  const nxt = bytes[offset + 6];
  if (plain) {
    sink.add(ipv6Fields.nxt, offset + 6, 1, nxt, 0, text ? `Next Header: ${ipProtocolName(nxt)} (${nxt})` : undefined);
    sink.add(ipv6Fields.hlim, offset + 7, 1, bytes[offset + 7]);
  }
  if (!need(ctx, 'IPv6', 'ipv6.src', offset + 8, 16, end)) return closeNode(ctx);
  if (plain) addAddress(ctx, offset + 8, src, true);
  if (!need(ctx, 'IPv6', 'ipv6.dst', offset + 24, 16, end)) return closeNode(ctx);
  if (plain) addAddress(ctx, offset + 24, dst, false);
  addDerived(ctx, offset + 8, true);
  addDerived(ctx, offset + 24, false);

  ctx.net.version = 6;
  ctx.net.v6Src = src;
  ctx.net.v6Dst = dst;
  if (ctx.nested === 0) {
    const meta = ctx.meta;
    if (meta.ipVersion === 0) {
      meta.ipVersion = 6;
      meta.ip6Src = src;
      meta.ip6Dst = dst;
    }
  }
  lastIpHeader.ttl = bytes[offset + 7];
  lastIpHeader.finalDst = dst;
  const chain: Chain = { start: offset, end: payloadEnd, open: true, nodeLength: 40, src, dst, count: 0 };
  walkChain(ctx, chain, nxt, offset + 40);
  return true;
}

/**
 * The Jumbo Payload option's length when the payload length is 0 and a Hop-by-Hop header
 * carrying one follows (RFC 2675), else -1. Only looks at captured bytes.
 */
function jumboLength(bytes: Uint8Array, offset: number, captured: number): number {
  if (bytes[offset + 6] !== IP_PROTO_HOPOPTS || offset + 42 > captured) return -1;
  const start = offset + 40;
  const end = Math.min(start + (bytes[start + 1] + 1) * 8, captured);
  for (let at = start + 2; at < end; ) {
    const type = bytes[at];
    if (type === 0) { at++; continue; }
    if (at + 2 > end) return -1;
    const len = bytes[at + 1];
    if (type === 0xc2 && len === 4 && at + 6 <= end) return u32(bytes, at + 2);
    at += 2 + len;
  }
  return -1;
}

/** Follows next-header values through extension headers to the upper layer. */
function walkChain(ctx: DissectContext, chain: Chain, first: number, from: number): void {
  let nxt = first;
  let at = from;
  for (;;) {
    if (nxt !== IP_PROTO_HOPOPTS && nxt !== IP_PROTO_ROUTING && nxt !== IP_PROTO_FRAGMENT && nxt !== IP_PROTO_DSTOPTS) break;
    if (++chain.count > MAX_EXTENSION_HEADERS) {
      protocolError(ctx, 'IPv6', 'ipv6.nxt', at, 0, `More than ${MAX_EXTENSION_HEADERS} IPv6 extension headers`);
      finishNode(ctx, chain);
      dissectData(ctx, at, chain.end);
      return;
    }
    if (nxt === IP_PROTO_FRAGMENT) {
      fragmentHeader(ctx, chain, at);
      return;
    }
    const next = optionsOrRouting(ctx, chain, nxt, at);
    if (next < 0) return;
    nxt = ctx.bytes[at];
    at = next;
  }
  upperLayer(ctx, chain, nxt, at);
}

function upperLayer(ctx: DissectContext, chain: Chain, nxt: number, at: number): void {
  finishNode(ctx, chain);
  if (ctx.nested === 0) {
    ctx.meta.ipProto = nxt;
    ctx.meta.ipFragment = false;
  }
  if (nxt === IP_PROTO_NONE) {
    ctx.setInfo('IPv6 no next header');
    dissectData(ctx, at, chain.end);
    return;
  }
  dispatchIpPayload(ctx, nxt, at, chain.end);
}

function finishNode(ctx: DissectContext, chain: Chain): void {
  if (!chain.open) return;
  chain.open = false;
  ctx.sink.close(Math.max(0, Math.min(chain.nodeLength, ctx.bytes.length - chain.start)));
}

function closeNode(ctx: DissectContext): true {
  ctx.sink.close();
  return true;
}

/**
 * Hop-by-Hop, Destination Options or Routing header at `at`. Returns the offset after it, or
 * -1 when the packet ended inside it (damage reported, the chain stops there).
 */
function optionsOrRouting(ctx: DissectContext, chain: Chain, type: number, at: number): number {
  const { sink, bytes } = ctx;
  const text = sink.wantsText;
  const name = type === IP_PROTO_HOPOPTS ? 'ipv6.hopopts' : type === IP_PROTO_DSTOPTS ? 'ipv6.dstopts' : 'ipv6.routing';
  const proto = type === IP_PROTO_HOPOPTS ? hopoptsProto : type === IP_PROTO_DSTOPTS ? dstoptsProto : routingProto;
  const fields = type === IP_PROTO_HOPOPTS ? hopoptsFields : type === IP_PROTO_DSTOPTS ? dstoptsFields : routingFields;
  ctx.protocols.push(name);
  if (at + 2 > Math.min(chain.end, bytes.length)) {
    sink.open(proto, at, Math.max(0, Math.min(chain.end, bytes.length) - at), null);
    runShort(ctx, proto.label, `${name}.len`, at, 2, chain.end);
    sink.close();
    finishNode(ctx, chain);
    return -1;
  }
  const len = (bytes[at + 1] + 1) * 8;
  let nodeText: string | undefined;
  if (text) nodeText = type === IP_PROTO_ROUTING && at + 3 <= bytes.length ? `${proto.label} (${routingTypeName(bytes[at + 2])})` : proto.label;
  sink.open(proto, at, Math.min(len, ctx.remaining(at)), null, 0, nodeText);
  const next = bytes[at];
  sink.add(fields.nxt, at, 1, next, 0, text ? `Next Header: ${ipProtocolName(next)} (${next})` : undefined);
  sink.add(fields.len, at + 1, 1, bytes[at + 1]);
  sink.add(fields.lenOct, at + 1, 1, len, GENERATED, text ? `Length: ${len} bytes` : undefined);
  if (at + len > Math.min(chain.end, bytes.length)) {
    // Cut short: show what is there (Wireshark does, up to where its reads fail), then the damage.
    const limit = Math.min(at + len, chain.end, bytes.length);
    if (type !== IP_PROTO_ROUTING) dissectIPv6Options(ctx, at + 2, limit, true);
    else if (at + 4 <= limit) {
      sink.add(routingFields.type, at + 2, 1, bytes[at + 2]);
      sink.add(routingFields.segleft, at + 3, 1, bytes[at + 3]);
    }
    need(ctx, proto.label, name, at, len, chain.end);
    sink.close();
    finishNode(ctx, chain);
    return -1;
  }
  if (type === IP_PROTO_ROUTING) {
    const rtype = bytes[at + 2];
    const final = finalDestination(bytes, rtype, bytes[at + 3], at + 4, at + len);
    if (final) {
      // Wireshark's pinfo->dst becomes the final destination (Destination column, conversations).
      lastIpHeader.finalDst = final;
      ctx.net.v6Dst = final;
      if (ctx.nested === 0 && ctx.wantsColumns) ctx.setAddresses(ctx.cols.src, formatIPv6(final));
    }
    sink.add(routingFields.type, at + 2, 1, rtype);
    sink.add(routingFields.segleft, at + 3, 1, bytes[at + 3]);
    dissectRoutingData(ctx, rtype, at + 4, at + len);
  } else {
    dissectIPv6Options(ctx, at + 2, at + len);
  }
  sink.close();
  if (type === IP_PROTO_HOPOPTS && chain.open && chain.count === 1) chain.nodeLength += len;
  return at + len;
}

/** Fragment header: reassemble, or show the fragment (its payload as data). */
function fragmentHeader(ctx: DissectContext, chain: Chain, at: number): void {
  const { sink, bytes, frame } = ctx;
  const text = sink.wantsText;
  ctx.protocols.push('ipv6.fraghdr');
  if (!need(ctx, 'IPv6', 'ipv6.fraghdr', at, 8, chain.end)) {
    finishNode(ctx, chain);
    return;
  }
  const nxt = bytes[at];
  const word = u16(bytes, at + 2);
  const units = word >> 3;
  const fragOffset = units * 8;
  const more = (word & 1) !== 0;
  const ident = u32(bytes, at + 4);
  sink.open(fraghdrProto, at, 8, null, 0, text ? fraghdrProto.label : undefined);
  sink.add(fraghdrFields.nxt, at, 1, nxt, 0, text ? `Next header: ${ipProtocolName(nxt)} (${nxt})` : undefined);
  sink.add(fraghdrFields.reservedOctet, at + 1, 1, bytes[at + 1]);
  sink.add(fraghdrFields.offset, at + 2, 2, units, 0, text ? `${bitsText(word, 0xfff8, 16)} = Offset: ${units} (${fragOffset} bytes)` : undefined);
  sink.add(fraghdrFields.reservedBits, at + 2, 2, (word >> 1) & 3);
  sink.add(fraghdrFields.more, at + 2, 2, more);
  sink.add(fraghdrFields.ident, at + 4, 4, ident);
  sink.close();
  const payload = at + 8;

  if (fragOffset === 0 && !more) {
    // An atomic fragment (RFC 6946): nothing to reassemble.
    walkChain(ctx, chain, nxt, payload);
    return;
  }
  const allCaptured = chain.end <= bytes.length;
  if (ctx.nested === 0 && allCaptured && chain.end > payload) {
    const table = fragmentTable(ctx, 'ipv6');
    const key = `${addrKey(chain.src)}>${addrKey(chain.dst)}#${ident}`;
    let done: ReassembledDatagram | null | undefined;
    let reassembledIn = 0;
    if (table.isRevisit(frame.number)) {
      done = table.completedAt(frame.number, key);
      if (!done) reassembledIn = table.reassembledInFor(frame.number);
    } else {
      done = table.add(key, frame.number, fragOffset, bytes.subarray(payload, chain.end), more);
    }
    if (done) {
      const datagram = done;
      const source = { name: `Reassembled IPv6 (${datagram.data.length} bytes)`, bytes: datagram.data };
      ctx.withSource(source, (sub) => addFragmentTree(sub, ipv6Fields, 'IPv6', datagram));
      finishNode(ctx, chain);
      ctx.withSource(source, (sub) => {
        const rest: Chain = { ...chain, end: datagram.data.length, open: false };
        walkChain(sub, rest, nxt, 0);
      });
      return;
    }
    if (reassembledIn) sink.add(ipv6Fields.reassembledIn, at, 0, reassembledIn, GENERATED);
    showFragment(ctx, chain, payload, { fragOffset, more, ident, nxt });
    return;
  }
  // Not reassembled (cut short, or quoted in an ICMPv6 error): unlike IPv4, Wireshark shows even
  // a first fragment's payload as data.
  showFragment(ctx, chain, payload, { fragOffset, more, ident, nxt });
}

function showFragment(
  ctx: DissectContext,
  chain: Chain,
  payload: number,
  f: { fragOffset: number; more: boolean; ident: number; nxt: number },
): void {
  finishNode(ctx, chain);
  if (ctx.nested === 0) {
    ctx.meta.ipFragment = true;
    ctx.meta.ipProto = f.nxt;
  }
  if (ctx.wantsColumns) {
    // Unlike IPv4, Wireshark's IPv6 fragments do not name their reassembly frame in the Info
    // (only the ipv6.reassembled.in field does).
    ctx.setInfo(`IPv6 fragment (off=${f.fragOffset} more=${f.more ? 'y' : 'n'} ident=0x${f.ident.toString(16).padStart(8, '0')} nxt=${f.nxt})`);
  }
  dissectData(ctx, payload, chain.end);
}

/**
 * The destination the upper-layer checksum uses when a routing header still has segments to
 * visit: the last address of a type 0 list, the home address of type 2, segment 0 of an SRH.
 */
function finalDestination(bytes: Uint8Array, type: number, segLeft: number, data: number, end: number): Uint8Array | null {
  if (segLeft === 0) return null;
  if (type === 0) {
    const count = Math.floor((end - data - 4) / 16);
    return count > 0 ? bytes.subarray(data + 4 + (count - 1) * 16, data + 4 + count * 16) : null;
  }
  if (type === 2 && end - data >= 20) return bytes.subarray(data + 4, data + 20);
  if (type === 4 && end - data >= 20) return bytes.subarray(data + 4, data + 20);
  return null;
}

function addrKey(a: Uint8Array): string {
  let s = '';
  for (let i = 0; i < 16; i += 4) s += u32(a, i).toString(36) + '.';
  return s;
}

const HOST_FIELDS = [ipv6Fields.srcHost, ipv6Fields.dstHost, ipv6Fields.host];

/** The fixed header's fields (see dissectIPv6: a sink keeping none of them skips them). */
const IPV6_PLAIN_FIELDS: readonly FieldDef[] = [
  ipv6Fields.version, ipVersion, ipv6Fields.tclass, ipv6Fields.dscp, ipv6Fields.ecn, ipv6Fields.flow, ipv6Fields.plen,
  ipv6Fields.nxt, ipv6Fields.hlim, ipv6Fields.src, ipv6Fields.dst, ipv6Fields.addr, ...HOST_FIELDS,
];

function addAddress(ctx: DissectContext, at: number, addr: Uint8Array, isSrc: boolean): void {
  const { sink } = ctx;
  const text = sink.wantsText;
  const field = isSrc ? ipv6Fields.src : ipv6Fields.dst;
  sink.add(field, at, 16, addr);
  sink.add(ipv6Fields.addr, at, 16, addr, HIDDEN);
  if (!wantsAny(sink, HOST_FIELDS)) return;
  const hostField = isSrc ? ipv6Fields.srcHost : ipv6Fields.dstHost;
  const wantHost = text || sink.wants?.(hostField) !== false;
  const wantAny = text || sink.wants?.(ipv6Fields.host) !== false;
  if (wantHost || wantAny) {
    const str = formatIPv6(addr);
    if (wantHost) sink.add(hostField, at, 16, str, HIDDEN);
    if (wantAny) sink.add(ipv6Fields.host, at, 16, str, HIDDEN);
  }
}

const SLAAC_FIELDS = [ipv6Fields.srcSlaacMac, ipv6Fields.dstSlaacMac, ipv6Fields.slaacMac];

/** Fields Wireshark derives from special addresses: SLAAC (EUI-64) MACs and 6to4 gateways. */
function addDerived(ctx: DissectContext, at: number, isSrc: boolean): void {
  const { sink, bytes } = ctx;
  // Only universal (U/L bit set in the interface id) EUI-64 ids name a MAC, as Wireshark checks.
  if ((bytes[at + 8] & 0x02) !== 0 && bytes[at + 11] === 0xff && bytes[at + 12] === 0xfe) {
    if (wantsAny(sink, SLAAC_FIELDS)) {
      // RFC 4291 Appendix A: the interface id is the MAC with ff:fe inserted and the U/L bit flipped.
      const mac = new Uint8Array([bytes[at + 8] ^ 0x02, bytes[at + 9], bytes[at + 10], bytes[at + 13], bytes[at + 14], bytes[at + 15]]);
      const line = sink.wantsText ? `${isSrc ? 'Source' : 'Destination'} SLAAC MAC: ${formatMac(mac)}` : undefined;
      sink.add(isSrc ? ipv6Fields.srcSlaacMac : ipv6Fields.dstSlaacMac, at + 8, 8, mac, 0, line);
      sink.add(ipv6Fields.slaacMac, at + 8, 8, mac, HIDDEN);
    }
  }
  if (bytes[at] === 0x20 && bytes[at + 1] === 0x02) {
    const gw = u32(bytes, at + 2);
    const sla = u16(bytes, at + 6);
    const line = sink.wantsText ? `${isSrc ? 'Source' : 'Destination'} 6to4 Gateway IPv4: ${formatIPv4(gw)}` : undefined;
    sink.add(isSrc ? ipv6Fields.src6to4Gw : ipv6Fields.dst6to4Gw, at + 2, 4, gw, 0, line);
    sink.add(ipv6Fields.gw6to4, at + 2, 4, gw, HIDDEN);
    sink.add(isSrc ? ipv6Fields.src6to4Sla : ipv6Fields.dst6to4Sla, at + 6, 2, sla);
    sink.add(ipv6Fields.sla6to4, at + 6, 2, sla, HIDDEN);
  }
}

/** IPv6 shrinks its data to 40 + payload length (when set and sane): the rest is trailer. */
export function ipv6Length(ctx: DissectContext, offset: number, end: number): number {
  const { bytes } = ctx;
  if (offset + 6 > bytes.length || offset + 6 > end || bytes[offset] >> 4 !== 6) return -1;
  const plen = u16(bytes, offset + 4);
  const length = 40 + (plen === 0 ? Math.max(0, jumboLength(bytes, offset, Math.min(end, bytes.length))) : plen);
  return length > end - offset ? -1 : length;
}

etherTypes.set(0x86dd, dissectIPv6);
etherTypeLengths.set(0x86dd, ipv6Length);
ipProtocols.set(41, dissectIPv6);
// RFC 8986 / SRv6: next header 143 carries an Ethernet frame (no FCS).
ipProtocols.set(143, (ctx, offset, end) => dissectEthernetFrame(ctx, offset, end, 0));
