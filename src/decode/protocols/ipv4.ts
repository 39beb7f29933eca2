/**
 * IPv4 (RFC 791): every header field with Wireshark's names and wording, options, the length
 * checks Wireshark makes (bogus header length, total length below the header, above the packet,
 * 0 from TCP segmentation offload), fragment reassembly (ip-reassembly.ts; the frame that
 * completes a datagram decodes it from a "Reassembled IPv4" data source, the others show
 * "Fragmented IP protocol …" and their payload as data), then dispatch by protocol number
 * through `ipProtocols`. Sets ctx.net (always, like Wireshark's pinfo->src/dst), ctx.meta (outer
 * packet only) and the address columns. Isomorphic.
 */
import type { DissectContext } from '../context.js';
import { defineField, defineProtocol, type FieldDef } from '../fields/types.js';
import { formatIPv4 } from '../fields/format.js';
import { ipv4Text } from '../fields/address-text.js';
import { etherTypes, ipProtocols } from '../registry.js';
import { addFragmentTree, bitsText, dispatchIpPayload, lastIpHeader } from './ip-common.js';
import { GENERATED, HIDDEN, wantsAny } from '../sink.js';
import { dissectData } from './data.js';
import { etherTypeLengths } from './ethernet.js';
import { need, protocolError, runShort } from './ip-damage.js';
import { DSCP_NAMES, dsSummary, ECN_NAMES, IP_PROTOCOL_NAMES, ipProtocolName } from './ip-names.js';
import { dissectIPv4Options } from './ip-options.js';
import { fragmentTable, type ReassembledDatagram } from './ip-reassembly.js';
import { dissectIPv6, ipv6Length } from './ipv6.js';

export const ipProto = defineProtocol('ip', 'Internet Protocol Version 4');
export const ipFields = {
  version: defineField({ name: 'ip.version', label: 'Version', type: 'uint', bits: 8 }),
  hdrLen: defineField({ name: 'ip.hdr_len', label: 'Header Length', type: 'uint', bits: 8 }),
  dsfield: defineField({ name: 'ip.dsfield', label: 'Differentiated Services Field', type: 'uint', base: 'hex', bits: 8 }),
  dscp: defineField({ name: 'ip.dsfield.dscp', label: 'Differentiated Services Codepoint', type: 'uint', bits: 8, bitmask: 0xfc, valueStrings: DSCP_NAMES }),
  ecn: defineField({ name: 'ip.dsfield.ecn', label: 'Explicit Congestion Notification', type: 'uint', bits: 8, bitmask: 0x03, valueStrings: ECN_NAMES }),
  len: defineField({ name: 'ip.len', label: 'Total Length', type: 'uint', bits: 16 }),
  id: defineField({ name: 'ip.id', label: 'Identification', type: 'uint', base: 'hex_dec', bits: 16 }),
  flags: defineField({ name: 'ip.flags', label: 'Flags', type: 'uint', base: 'hex', bits: 8, bitmask: 0xe0 }),
  flagsRb: defineField({ name: 'ip.flags.rb', label: 'Reserved bit', type: 'bool', bits: 8, bitmask: 0x80, trueFalse: ['Set', 'Not set'] }),
  flagsDf: defineField({ name: 'ip.flags.df', label: "Don't fragment", type: 'bool', bits: 8, bitmask: 0x40, trueFalse: ['Set', 'Not set'] }),
  flagsMf: defineField({ name: 'ip.flags.mf', label: 'More fragments', type: 'bool', bits: 8, bitmask: 0x20, trueFalse: ['Set', 'Not set'] }),
  fragOffset: defineField({ name: 'ip.frag_offset', label: 'Fragment Offset', type: 'uint', bits: 16, bitmask: 0x1fff }),
  ttl: defineField({ name: 'ip.ttl', label: 'Time to Live', type: 'uint', bits: 8 }),
  proto: defineField({ name: 'ip.proto', label: 'Protocol', type: 'uint', bits: 8, valueStrings: IP_PROTOCOL_NAMES }),
  checksum: defineField({ name: 'ip.checksum', label: 'Header Checksum', type: 'uint', base: 'hex', bits: 16 }),
  checksumStatus: defineField({
    name: 'ip.checksum.status', label: 'Header checksum status', type: 'uint', bits: 8,
    valueStrings: { 0: 'Bad', 1: 'Good', 2: 'Unverified', 3: 'Not present', 4: 'Illegal' },
  }),
  src: defineField({ name: 'ip.src', label: 'Source Address', type: 'ipv4' }),
  dst: defineField({ name: 'ip.dst', label: 'Destination Address', type: 'ipv4' }),
  addr: defineField({ name: 'ip.addr', label: 'Source or Destination Address', type: 'ipv4' }),
  srcHost: defineField({ name: 'ip.src_host', label: 'Source Host', type: 'string' }),
  dstHost: defineField({ name: 'ip.dst_host', label: 'Destination Host', type: 'string' }),
  host: defineField({ name: 'ip.host', label: 'Source or Destination Host', type: 'string' }),
  fragment: defineField({ name: 'ip.fragment', label: 'IPv4 Fragment', type: 'framenum' }),
  fragments: defineField({ name: 'ip.fragments', label: 'IPv4 Fragments', type: 'bytes' }),
  fragmentCount: defineField({ name: 'ip.fragment.count', label: 'Fragment count', type: 'uint', bits: 32 }),
  fragmentOverlap: defineField({ name: 'ip.fragment.overlap', label: 'Fragment overlap', type: 'bool' }),
  fragmentConflict: defineField({ name: 'ip.fragment.overlap.conflict', label: 'Conflicting data in fragment overlap', type: 'bool' }),
  fragmentMultipleTails: defineField({ name: 'ip.fragment.multipletails', label: 'Multiple tail fragments found', type: 'bool' }),
  fragmentTooLong: defineField({ name: 'ip.fragment.toolongfragment', label: 'Fragment too long', type: 'bool' }),
  reassembledIn: defineField({ name: 'ip.reassembled_in', label: 'Reassembled IPv4 in frame', type: 'framenum' }),
  reassembledLength: defineField({ name: 'ip.reassembled.length', label: 'Reassembled IPv4 length', type: 'uint', bits: 32 }),
  reassembledData: defineField({ name: 'ip.reassembled.data', label: 'Reassembled IPv4 data', type: 'bytes' }),
};

const STATUS_UNVERIFIED = 2;
const FLAG_NAMES = ['More fragments', "Don't fragment", 'Reserved bit'];

const u16 = (b: Uint8Array, o: number) => (b[o] << 8) | b[o + 1];
const u32 = (b: Uint8Array, o: number) => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;

/** Wireshark's "Flags: 0x2, Don't fragment" summary. */
function flagsText(flags: number): string {
  let names = '';
  for (let bit = 2; bit >= 0; bit--) if (flags & (1 << bit)) names += `, ${FLAG_NAMES[bit]}`;
  return `${bitsText(flags << 5, 0xe0, 8)} = Flags: 0x${flags.toString(16)}${names}`;
}

/**
 * LINKTYPE_IPV4 (228): like the EtherType path, except that Wireshark hands a version-6 packet
 * to IPv6 without drawing an IPv4 node first.
 */
export function dissectIPv4Link(ctx: DissectContext, offset: number, end: number): void {
  if (offset < ctx.bytes.length && offset < end && ctx.bytes[offset] >> 4 === 6) {
    ctx.protocols.push('ip');
    protocolError(ctx, 'IPv4', 'ip.version', offset, 1, 'Bogus IPv4 version');
    dissectIPv6(ctx, offset, end);
    return;
  }
  dissectIPv4(ctx, offset, end);
}

export function dissectIPv4(ctx: DissectContext, offset: number, end: number): void {
  const { sink, bytes } = ctx;
  const text = sink.wantsText;
  const cols = ctx.wantsColumns;
  ctx.protocols.push('ip');
  ctx.setProtocol('IPv4');
  ctx.setInfo('');
  const captured = Math.min(end, bytes.length);
  if (offset >= captured) {
    sink.open(ipProto, offset, 0, null);
    runShort(ctx, 'IPv4', 'ip.version', offset, 1, end);
    sink.close();
    return;
  }
  const b0 = bytes[offset];
  const version = b0 >> 4;
  const hlen = (b0 & 0x0f) * 4;

  if (version !== 4) {
    sink.open(ipProto, offset, Math.max(1, Math.min(hlen, captured - offset)), null, 0, text ? ipProto.label : undefined);
    sink.add(ipFields.version, offset, 1, version, 0, text ? `${bitsText(b0, 0xf0, 8)} = Version: ${version}` : undefined);
    sink.close();
    if (version === 6) {
      // Wireshark: "Bogus IPv4 version", then the IPv6 dissector takes the packet.
      protocolError(ctx, 'IPv4', 'ip.version', offset, 1, 'Bogus IPv4 version');
      dissectIPv6(ctx, offset, end);
    } else {
      protocolError(ctx, 'IPv4', 'ip.version', offset, 1, `Bogus IP version (${version})`);
      ctx.setInfo(`Bogus IP version (${version})`);
    }
    return;
  }

  // Source and destination go into the node text when the whole fixed header is there.
  const haveFixed = offset + 20 <= captured;
  const src = haveFixed ? u32(bytes, offset + 12) : 0;
  const dst = haveFixed ? u32(bytes, offset + 16) : 0;
  let nodeText: string | undefined;
  if (text) nodeText = haveFixed && hlen >= 20 ? `Internet Protocol Version 4, Src: ${formatIPv4(src)}, Dst: ${formatIPv4(dst)}` : 'Internet Protocol Version 4';
  sink.open(ipProto, offset, Math.max(1, Math.min(hlen, captured - offset)), null, 0, nodeText);
  // A sink that keeps none of the header's fields but the TTL (the index) skips their reports.
  const plain = wantsAny(sink, IPV4_PLAIN_FIELDS);
  if (plain) {
    sink.add(ipFields.version, offset, 1, 4, 0, text ? '0100 .... = Version: 4' : undefined);
    sink.add(ipFields.hdrLen, offset, 1, hlen, 0, text ? `${bitsText(b0, 0x0f, 8)} = Header Length: ${hlen} bytes (${b0 & 0x0f})` : undefined);
  }
  if (hlen < 20) {
    const message = `Bogus IP header length (${hlen}, must be at least 20)`;
    protocolError(ctx, 'IPv4', 'ip.hdr_len', offset, 1, message);
    ctx.setInfo(message);
    sink.close();
    return;
  }
  if (!need(ctx, 'IPv4', 'ip.len', offset + 2, 2, end)) {
    sink.close();
    return;
  }
  if (plain) {
    const ds = bytes[offset + 1];
    sink.open(ipFields.dsfield, offset + 1, 1, ds, 0, text ? `Differentiated Services Field: 0x${ds.toString(16).padStart(2, '0')} (${dsSummary(ds)})` : undefined);
    sink.add(ipFields.dscp, offset + 1, 1, ds >> 2);
    sink.add(ipFields.ecn, offset + 1, 1, ds & 3);
    sink.close();
  }

  const reportedLen = end - offset;
  let ipLen = u16(bytes, offset + 2);
  const claimedLen = ipLen;
  if (ipLen === 0) {
    // TCP segmentation offload: the stack had not filled the length in yet.
    ipLen = reportedLen;
    if (plain) sink.add(ipFields.len, offset + 2, 2, ipLen, 0, text
      ? `Total Length: ${ipLen} bytes (reported as 0, presumed to be because of "TCP segmentation offload" (TSO))` : undefined);
  } else if (ipLen < hlen) {
    if (plain) sink.add(ipFields.len, offset + 2, 2, ipLen, 0, text ? `Total Length: ${ipLen} bytes (bogus, less than header length ${hlen})` : undefined);
    const message = `Bogus IP length (${ipLen}, less than header length ${hlen})`;
    protocolError(ctx, 'IPv4', 'ip.len', offset + 2, 2, message);
    ctx.setInfo(message);
    sink.close();
    return;
  } else {
    if (plain) sink.add(ipFields.len, offset + 2, 2, ipLen);
    if (ipLen > reportedLen) {
      // A quoted header in an ICMP error usually comes without its payload: no complaint there.
      if (ctx.nested === 0) {
        protocolError(ctx, 'IPv4', 'ip.len', offset + 2, 2, `IPv4 total length exceeds packet length (${reportedLen} bytes)`);
      }
      ipLen = reportedLen;
    }
  }
  const ipEnd = offset + ipLen;

  if (!need(ctx, 'IPv4', 'ip.id', offset + 4, 2, ipEnd)) return closeShort(ctx);
  const id = u16(bytes, offset + 4);
  if (plain) sink.add(ipFields.id, offset + 4, 2, id);
  if (!need(ctx, 'IPv4', 'ip.flags', offset + 6, 2, ipEnd)) return closeShort(ctx);
  const fragWord = u16(bytes, offset + 6);
  const flags = fragWord >> 13;
  const fragUnits = fragWord & 0x1fff;
  const more = (flags & 1) !== 0;
  if (plain) {
    sink.open(ipFields.flags, offset + 6, 1, flags, 0, text ? flagsText(flags) : undefined);
    sink.add(ipFields.flagsRb, offset + 6, 1, (flags & 4) !== 0);
    sink.add(ipFields.flagsDf, offset + 6, 1, (flags & 2) !== 0);
    sink.add(ipFields.flagsMf, offset + 6, 1, more);
    sink.close();
    sink.add(ipFields.fragOffset, offset + 6, 2, fragUnits, 0,
      text ? `${bitsText(fragWord, 0x1fff, 16)} = Fragment Offset: ${fragUnits * 8}` : undefined);
  }
  if (!need(ctx, 'IPv4', 'ip.ttl', offset + 8, 1, ipEnd)) return closeShort(ctx);
  const ttl = bytes[offset + 8];
  sink.add(ipFields.ttl, offset + 8, 1, ttl);
  if (!need(ctx, 'IPv4', 'ip.proto', offset + 9, 1, ipEnd)) return closeShort(ctx);
  const proto = bytes[offset + 9];
  if (plain) sink.add(ipFields.proto, offset + 9, 1, proto, 0, text ? `Protocol: ${ipProtocolName(proto)} (${proto})` : undefined);
  if (!need(ctx, 'IPv4', 'ip.checksum', offset + 10, 2, ipEnd)) return closeShort(ctx);
  if (plain) {
    const checksum = u16(bytes, offset + 10);
    // tshark's default (ip.check_checksum: FALSE): the checksum is shown, not verified.
    sink.add(ipFields.checksum, offset + 10, 2, checksum, 0,
      text ? `Header Checksum: 0x${checksum.toString(16).padStart(4, '0')} [validation disabled]` : undefined);
    sink.add(ipFields.checksumStatus, offset + 10, 0, STATUS_UNVERIFIED, GENERATED, text ? 'Header checksum status: Unverified' : undefined);
  }
  if (!need(ctx, 'IPv4', 'ip.src', offset + 12, 4, ipEnd)) return closeShort(ctx);
  if (plain) addAddress(ctx, offset + 12, u32(bytes, offset + 12), true);
  // Wireshark sets each address column as it reads the address: a cut header keeps the MAC.
  if (cols && ctx.nested === 0) ctx.setAddresses(ipv4Text(u32(bytes, offset + 12)), ctx.cols.dst);
  if (!need(ctx, 'IPv4', 'ip.dst', offset + 16, 4, ipEnd)) return closeShort(ctx);
  if (plain) addAddress(ctx, offset + 16, dst, false);

  // Wireshark's pinfo->src/dst (every IP header, also quoted ones) and the outer packet's summary.
  const net = ctx.net;
  net.version = 4;
  net.v4Src = src;
  net.v4Dst = dst;
  if (ctx.nested === 0) {
    const meta = ctx.meta;
    if (meta.ipVersion === 0) {
      meta.ipVersion = 4;
      meta.ip4Src = src;
      meta.ip4Dst = dst;
    }
    meta.ipProto = proto;
    if (cols) ctx.setAddresses(ipv4Text(src), ipv4Text(dst));
    // RFC 1112 / Wireshark: unicast packets with a TTL this low are worth a note.
    if (ttl < 5 && (dst >>> 28) !== 14 && proto !== 103) {
      ctx.note({ severity: 'note', group: 'sequence', message: `"Time To Live" only ${ttl}` });
    }
  }

  if (hlen > 20) {
    if (!need(ctx, 'IPv4', 'ip.options', offset + 20, hlen - 20, ipEnd)) return closeShort(ctx);
    dissectIPv4Options(ctx, offset + 20, offset + hlen);
  }

  const payload = offset + hlen;
  const fragOffset = fragUnits * 8;
  lastIpHeader.ttl = ttl;
  if (more || fragUnits !== 0) {
    fragmented(ctx, offset, payload, ipEnd, { src, dst, id, proto, fragOffset, more, ipLen: claimedLen || ipLen, hlen });
    return;
  }
  sink.close();
  if (ctx.nested === 0) ctx.meta.ipFragment = false;
  dispatchIpPayload(ctx, proto, payload, ipEnd);
}

interface FragmentHeader {
  src: number;
  dst: number;
  id: number;
  proto: number;
  fragOffset: number;
  more: boolean;
  ipLen: number;
  hlen: number;
}

/** A fragment: add it to the session's table; decode the datagram if this one completes it. */
function fragmented(ctx: DissectContext, offset: number, payload: number, ipEnd: number, h: FragmentHeader): void {
  const { sink, frame } = ctx;
  // Wireshark reassembles only when the whole fragment, as its header claims it, is captured.
  const allCaptured = offset + h.ipLen <= ctx.bytes.length && ipEnd <= ctx.bytes.length;
  if (ctx.nested === 0 && h.ipLen > h.hlen && allCaptured) {
    const table = fragmentTable(ctx, 'ip');
    const key = `${h.src}>${h.dst}#${h.id}/${h.proto}`;
    let done: ReassembledDatagram | null | undefined;
    let reassembledIn = 0;
    const revisit = table.isRevisit(frame.number);
    if (revisit) {
      done = table.completedAt(frame.number, key);
      if (!done) reassembledIn = table.reassembledInFor(frame.number);
    } else {
      done = table.add(key, frame.number, h.fragOffset, ctx.bytes.subarray(payload, ipEnd), h.more);
    }
    if (done) {
      const datagram = done;
      const source = { name: `Reassembled IPv4 (${datagram.data.length} bytes)`, bytes: datagram.data };
      ctx.withSource(source, (sub) => {
        addFragmentTree(sub, ipFields, 'IPv4', datagram);
      });
      sink.close();
      ctx.meta.ipFragment = false;
      ctx.withSource(source, (sub) => dispatchIpPayload(sub, h.proto, 0, datagram.data.length));
      return;
    }
    if (reassembledIn) sink.add(ipFields.reassembledIn, offset, 0, reassembledIn, GENERATED);
    sink.close();
    ctx.meta.ipFragment = true;
    showFragment(ctx, payload, ipEnd, h, reassembledIn);
    return;
  }
  sink.close();
  if (h.fragOffset === 0) {
    // Not reassembled (cut short, or quoted in an ICMP error): the first fragment's payload
    // is still decoded as far as it goes, as Wireshark does.
    if (ctx.nested === 0) ctx.meta.ipFragment = true;
    dispatchIpPayload(ctx, h.proto, payload, ipEnd);
    return;
  }
  if (ctx.nested === 0) ctx.meta.ipFragment = true;
  showFragment(ctx, payload, ipEnd, h, 0);
}

function showFragment(ctx: DissectContext, payload: number, ipEnd: number, h: FragmentHeader, reassembledIn: number): void {
  if (ctx.wantsColumns) {
    ctx.setInfo(`Fragmented IP protocol (proto=${ipProtocolName(h.proto)} ${h.proto}, off=${h.fragOffset}, ID=${hex4(h.id)})` +
      (reassembledIn ? ` [Reassembled in #${reassembledIn}]` : ''));
  }
  dissectData(ctx, payload, ipEnd);
}

function hex4(v: number): string {
  return v.toString(16).padStart(4, '0');
}

function closeShort(ctx: DissectContext): void {
  ctx.sink.close();
}

const HOST_FIELDS = [ipFields.srcHost, ipFields.dstHost, ipFields.host];

/** The fixed header's fields but the TTL (see dissectIPv4: a sink keeping none skips them). */
const IPV4_PLAIN_FIELDS: readonly FieldDef[] = [
  ipFields.version, ipFields.hdrLen, ipFields.dsfield, ipFields.dscp, ipFields.ecn, ipFields.len, ipFields.id,
  ipFields.flags, ipFields.flagsRb, ipFields.flagsDf, ipFields.flagsMf, ipFields.fragOffset, ipFields.proto,
  ipFields.checksum, ipFields.checksumStatus, ipFields.src, ipFields.dst, ipFields.addr, ...HOST_FIELDS,
];

function addAddress(ctx: DissectContext, at: number, addr: number, isSrc: boolean): void {
  const { sink } = ctx;
  sink.add(isSrc ? ipFields.src : ipFields.dst, at, 4, addr);
  sink.add(ipFields.addr, at, 4, addr, HIDDEN);
  if (!wantsAny(sink, HOST_FIELDS)) return;
  const hostField = isSrc ? ipFields.srcHost : ipFields.dstHost;
  const wantHost = sink.wants?.(hostField) !== false;
  const wantAny = sink.wants?.(ipFields.host) !== false;
  if (wantHost || wantAny) {
    const str = formatIPv4(addr);
    if (wantHost) sink.add(hostField, at, 4, str, HIDDEN);
    if (wantAny) sink.add(ipFields.host, at, 4, str, HIDDEN);
  }
}

/** IPv4 shrinks its data to the total length (when sane): what follows is link-layer trailer. */
export function ipv4Length(ctx: DissectContext, offset: number, end: number): number {
  const { bytes } = ctx;
  if (offset + 4 > bytes.length || offset + 4 > end) return -1;
  const version = bytes[offset] >> 4;
  if (version === 6) return ipv6Length(ctx, offset, end);
  if (version !== 4) return -1;
  const hlen = (bytes[offset] & 0x0f) * 4;
  const len = u16(bytes, offset + 2);
  if (hlen < 20 || len === 0 || len < hlen || len > end - offset) return -1;
  return len;
}

etherTypes.set(0x0800, dissectIPv4);
etherTypeLengths.set(0x0800, ipv4Length);
ipProtocols.set(4, dissectIPv4);
