/**
 * ICMPv6 (RFC 4443) as Wireshark 4.0 shows it: type and code names, the checksum over the IPv6
 * pseudo-header verified when the whole message is there, echo identifier / sequence, errors
 * with the invoking packet quoted as a nested layer (ctx.nested), Neighbor Discovery (RFC 4861:
 * router and neighbor solicitation / advertisement, redirect) with its options
 * (icmp-nd-options.ts), and MLDv1 / MLDv2 queries and reports. Other types keep their body as
 * bytes. Info wording follows tshark ("Neighbor Advertisement 2001:db8::2 (rtr, sol, ovr) is at
 * …", "Echo (ping) request id=0x1234, seq=1, hop limit=64").
 *
 * Echo pairing is the analysis' job, through `ctx.hooks.transaction(ctx, 'icmpv6', key,
 * isRequest)` called where Wireshark puts icmpv6.resp_in / resp_to (see icmp.ts). Isomorphic.
 */
import type { DissectContext } from '../context.js';
import { defineField, defineProtocol } from '../fields/types.js';
import { formatIPv6 } from '../fields/format.js';
import { ipProtocols } from '../registry.js';
import { GENERATED } from '../sink.js';
import { dissectData } from './data.js';
import { lastIpHeader } from './ip-common.js';
import { need } from './ip-damage.js';
import { dissectNdOptions } from './icmp-nd-options.js';
import { dissectIPv4 } from './ipv4.js';
import { dissectIPv6 } from './ipv6.js';

const TYPE_NAMES: Readonly<Record<number, string>> = {
  1: 'Destination Unreachable', 2: 'Packet Too Big', 3: 'Time Exceeded', 4: 'Parameter Problem',
  100: 'Private experimentation', 101: 'Private experimentation', 127: 'Reserved for expansion of ICMPv6 error messages',
  128: 'Echo (ping) request', 129: 'Echo (ping) reply', 130: 'Multicast Listener Query', 131: 'Multicast Listener Report',
  132: 'Multicast Listener Done', 133: 'Router Solicitation', 134: 'Router Advertisement', 135: 'Neighbor Solicitation',
  136: 'Neighbor Advertisement', 137: 'Redirect', 138: 'Router Renumbering', 139: 'Node Information Query',
  140: 'Node Information Reply', 141: 'Inverse Neighbor Discovery Solicitation',
  142: 'Inverse Neighbor Discovery Advertisement', 143: 'Multicast Listener Report Message v2',
  144: 'Home Agent Address Discovery Request', 145: 'Home Agent Address Discovery Reply',
  146: 'Mobile Prefix Solicitation', 147: 'Mobile Prefix Advertisement', 148: 'Certification Path Solicitation',
  149: 'Certification Path Advertisement', 150: 'Experimental Mobility', 151: 'Multicast Router Advertisement',
  152: 'Multicast Router Solicitation', 153: 'Multicast Router Termination', 154: 'FMIPv6', 155: 'RPL Control',
  156: 'Locator Update', 157: 'Duplicate Address Request', 158: 'Duplicate Address Confirmation',
  159: 'MPL Control Message', 160: 'Extended Echo request', 161: 'Extended Echo reply', 200: 'Private experimentation',
  201: 'Private experimentation', 255: 'Reserved for expansion of ICMPv6 informational messages',
};

/** Code names per type; `fallback` is what Wireshark prints for a code it does not know. */
const CODE_NAMES: Readonly<Record<number, { names: Readonly<Record<number, string>>; fallback: (c: number) => string }>> = {
  1: {
    names: {
      0: 'no route to destination', 1: 'Administratively prohibited', 2: 'Beyond scope of source address',
      3: 'Address unreachable', 4: 'Port unreachable', 5: 'Source address failed ingress/egress policy',
      6: 'Reject route to destination', 7: 'Error in Source Routing Header',
    },
    fallback: () => 'Unknown',
  },
  3: { names: { 0: 'hop limit exceeded in transit', 1: 'fragment reassembly time exceeded' }, fallback: (c) => `Unknown (${c})` },
  4: {
    names: {
      0: 'erroneous header field encountered', 1: 'unrecognized Next Header type encountered',
      2: 'unrecognized IPv6 option encountered', 3: 'IPv6 First Fragment has incomplete IPv6 Header Chain',
    },
    fallback: (c) => `Unknown (${c})`,
  },
  138: { names: { 0: 'Command', 1: 'Result', 255: 'Sequence number reset' }, fallback: (c) => `Unknown (${c})` },
  139: {
    names: { 0: 'Query subject = IPv6 addresses', 1: 'Query subject = DNS name or empty', 2: 'Query subject = IPv4 addresses' },
    fallback: (c) => `Unknown (${c})`,
  },
  140: { names: { 0: 'Successful', 1: 'Refused', 2: 'Unknown query type' }, fallback: (c) => `Unknown (${c})` },
};

const CHECKSUM_STATUS = { 0: 'Bad', 1: 'Good', 2: 'Unverified', 3: 'Not present', 4: 'Illegal' };
const TRUE_FALSE_SET = ['Set', 'Not set'] as const;

export const icmpv6Proto = defineProtocol('icmpv6', 'Internet Control Message Protocol v6');
export const icmpv6Fields = {
  type: defineField({ name: 'icmpv6.type', label: 'Type', type: 'uint', bits: 8, valueStrings: TYPE_NAMES }),
  code: defineField({ name: 'icmpv6.code', label: 'Code', type: 'uint', bits: 8 }),
  checksum: defineField({ name: 'icmpv6.checksum', label: 'Checksum', type: 'uint', base: 'hex', bits: 16 }),
  checksumStatus: defineField({ name: 'icmpv6.checksum.status', label: 'Checksum Status', type: 'uint', bits: 8, valueStrings: CHECKSUM_STATUS }),
  checksumBad: defineField({ name: 'icmpv6.checksum_bad.expert', label: 'Bad checksum', type: 'none' }),
  reserved: defineField({ name: 'icmpv6.reserved', label: 'Reserved', type: 'bytes' }),
  data: defineField({ name: 'icmpv6.data', label: 'Data', type: 'bytes' }),
  mtu: defineField({ name: 'icmpv6.mtu', label: 'MTU', type: 'uint', bits: 32 }),
  pointer: defineField({ name: 'icmpv6.pointer', label: 'Pointer', type: 'uint', bits: 32 }),
  length: defineField({ name: 'icmpv6.length', label: 'Length of original datagram', type: 'uint', bits: 8 }),
  echoIdentifier: defineField({ name: 'icmpv6.echo.identifier', label: 'Identifier', type: 'uint', base: 'hex', bits: 16 }),
  echoSequence: defineField({ name: 'icmpv6.echo.sequence_number', label: 'Sequence', type: 'uint', bits: 16 }),
  raCurHopLimit: defineField({ name: 'icmpv6.nd.ra.cur_hop_limit', label: 'Cur hop limit', type: 'uint', bits: 8 }),
  raFlag: defineField({ name: 'icmpv6.nd.ra.flag', label: 'Flags', type: 'uint', base: 'hex', bits: 8 }),
  raFlagM: defineField({ name: 'icmpv6.nd.ra.flag.m', label: 'Managed address configuration', type: 'bool', bits: 8, bitmask: 0x80, trueFalse: TRUE_FALSE_SET }),
  raFlagO: defineField({ name: 'icmpv6.nd.ra.flag.o', label: 'Other configuration', type: 'bool', bits: 8, bitmask: 0x40, trueFalse: TRUE_FALSE_SET }),
  raFlagH: defineField({ name: 'icmpv6.nd.ra.flag.h', label: 'Home Agent', type: 'bool', bits: 8, bitmask: 0x20, trueFalse: TRUE_FALSE_SET }),
  raFlagPrf: defineField({
    name: 'icmpv6.nd.ra.flag.prf', label: 'Prf (Default Router Preference)', type: 'uint', bits: 8, bitmask: 0x18,
    valueStrings: { 0: 'Medium', 1: 'High', 2: 'Reserved', 3: 'Low' },
  }),
  raFlagP: defineField({ name: 'icmpv6.nd.ra.flag.p', label: 'Proxy', type: 'bool', bits: 8, bitmask: 0x04, trueFalse: TRUE_FALSE_SET }),
  raFlagRsv: defineField({ name: 'icmpv6.nd.ra.flag.rsv', label: 'Reserved', type: 'uint', bits: 8, bitmask: 0x03 }),
  raRouterLifetime: defineField({ name: 'icmpv6.nd.ra.router_lifetime', label: 'Router lifetime (s)', type: 'uint', bits: 16 }),
  raReachableTime: defineField({ name: 'icmpv6.nd.ra.reachable_time', label: 'Reachable time (ms)', type: 'uint', bits: 32 }),
  raRetransTimer: defineField({ name: 'icmpv6.nd.ra.retrans_timer', label: 'Retrans timer (ms)', type: 'uint', bits: 32 }),
  nsTarget: defineField({ name: 'icmpv6.nd.ns.target_address', label: 'Target Address', type: 'ipv6' }),
  naFlag: defineField({ name: 'icmpv6.nd.na.flag', label: 'Flags', type: 'uint', base: 'hex', bits: 32 }),
  naFlagR: defineField({ name: 'icmpv6.nd.na.flag.r', label: 'Router', type: 'bool', bits: 32, bitmask: 0x80000000, trueFalse: TRUE_FALSE_SET }),
  naFlagS: defineField({ name: 'icmpv6.nd.na.flag.s', label: 'Solicited', type: 'bool', bits: 32, bitmask: 0x40000000, trueFalse: TRUE_FALSE_SET }),
  naFlagO: defineField({ name: 'icmpv6.nd.na.flag.o', label: 'Override', type: 'bool', bits: 32, bitmask: 0x20000000, trueFalse: TRUE_FALSE_SET }),
  naFlagRsv: defineField({ name: 'icmpv6.nd.na.flag.rsv', label: 'Reserved', type: 'uint', bits: 32, bitmask: 0x1fffffff }),
  naTarget: defineField({ name: 'icmpv6.nd.na.target_address', label: 'Target Address', type: 'ipv6' }),
  rdTarget: defineField({ name: 'icmpv6.nd.rd.target_address', label: 'Target Address', type: 'ipv6' }),
  rdDestination: defineField({ name: 'icmpv6.nd.rd.destination_address', label: 'Destination Address', type: 'ipv6' }),
  mldMaxResponseDelay: defineField({ name: 'icmpv6.mld.maximum_response_delay', label: 'Maximum Response Delay [ms]', type: 'uint', bits: 16 }),
  mldMaxResponseCode: defineField({ name: 'icmpv6.mld.maximum_response_code', label: 'Maximum Response Code', type: 'uint', bits: 16 }),
  mldMulticastAddress: defineField({ name: 'icmpv6.mld.multicast_address', label: 'Multicast Address', type: 'ipv6' }),
  mldFlag: defineField({ name: 'icmpv6.mld.flag', label: 'Flags', type: 'uint', base: 'hex', bits: 8 }),
  mldFlagS: defineField({ name: 'icmpv6.mld.flag.s', label: 'Suppress Router-Side Processing', type: 'bool', bits: 8, bitmask: 0x08 }),
  mldFlagQrv: defineField({ name: 'icmpv6.mld.flag.qrv', label: "QRV (Querier's Robustness Variable)", type: 'uint', bits: 8, bitmask: 0x07 }),
  mldFlagReserved: defineField({ name: 'icmpv6.mld.flag.reserved', label: 'Reserved', type: 'uint', bits: 8, bitmask: 0xf0 }),
  mldQqi: defineField({ name: 'icmpv6.mld.qqi', label: "QQIC (Querier's Query Interval Code)", type: 'uint', bits: 8 }),
  mldNbSources: defineField({ name: 'icmpv6.mld.nb_sources', label: 'Number of Sources', type: 'uint', bits: 16 }),
  mldSourceAddress: defineField({ name: 'icmpv6.mld.source_address', label: 'Source Address', type: 'ipv6' }),
  mldrNbRecords: defineField({ name: 'icmpv6.mldr.nb_mcast_records', label: 'Number of Multicast Address Records', type: 'uint', bits: 16 }),
  mldrMar: defineField({ name: 'icmpv6.mldr.mar', label: 'Multicast Address Record', type: 'none' }),
  mldrRecordType: defineField({
    name: 'icmpv6.mldr.mar.record_type', label: 'Record Type', type: 'uint', bits: 8,
    valueStrings: { 1: 'Include', 2: 'Exclude', 3: 'Changed to include', 4: 'Changed to exclude', 5: 'Allow new sources', 6: 'Block old sources' },
  }),
  mldrAuxDataLen: defineField({ name: 'icmpv6.mldr.mar.aux_data_len', label: 'Aux Data Len', type: 'uint', bits: 8 }),
  mldrNbSources: defineField({ name: 'icmpv6.mldr.mar.nb_sources', label: 'Number of Sources', type: 'uint', bits: 16 }),
  mldrMulticastAddress: defineField({ name: 'icmpv6.mldr.mar.multicast_address', label: 'Multicast Address', type: 'ipv6' }),
  mldrSourceAddress: defineField({ name: 'icmpv6.mldr.mar.source_address', label: 'Source Address', type: 'ipv6' }),
  mldrAuxData: defineField({ name: 'icmpv6.mldr.mar.auxiliary_data', label: 'Auxiliary Data', type: 'bytes' }),
};

const DST_UNREACH = 1;
const PACKET_TOO_BIG = 2;
const TIME_EXCEEDED = 3;
const PARAM_PROB = 4;
const ECHO_REQUEST = 128;
const ECHO_REPLY = 129;
const MLD_QUERY = 130;
const MLD_REPORT = 131;
const MLD_DONE = 132;
const ROUTER_SOLICIT = 133;
const ROUTER_ADVERT = 134;
const NEIGHBOR_SOLICIT = 135;
const NEIGHBOR_ADVERT = 136;
const REDIRECT = 137;
const IND_SOLICIT = 141;
const IND_ADVERT = 142;
const MLDV2_REPORT = 143;
/** RFC 3810 §5.1: an MLD query this long or longer is MLDv2. */
const MLDV2_QUERY_MIN = 28;
/** Guard against absurd counts: a record can never list more sources than its bytes hold. */
const MAX_MLD_ITEMS = 4096;

const u16 = (b: Uint8Array, o: number) => (b[o] << 8) | b[o + 1];
const u32 = (b: Uint8Array, o: number) => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
const hex = (v: number, digits: number) => '0x' + v.toString(16).padStart(digits, '0');

/** RFC 8200 §8.1 pseudo-header (addresses, upper-layer length, next header 58) plus the message. */
function checksumOf(ctx: DissectContext, offset: number, end: number, zeroField: boolean): number {
  const { bytes } = ctx;
  const net = ctx.net;
  const dst = lastIpHeader.finalDst ?? net.v6Dst;
  let sum = 0;
  if (net.version === 6 && net.v6Src && dst) {
    for (let i = 0; i < 16; i += 2) sum += ((net.v6Src[i] << 8) | net.v6Src[i + 1]) + ((dst[i] << 8) | dst[i + 1]);
  }
  const len = end - offset;
  sum += Math.floor(len / 0x10000) + (len & 0xffff) + 58;
  let i = offset;
  for (; i + 1 < end; i += 2) sum += (bytes[i] << 8) | bytes[i + 1];
  if (i < end) sum += bytes[i] << 8;
  if (zeroField) sum -= u16(bytes, offset + 2);
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return ~sum & 0xffff;
}

function addChecksum(ctx: DissectContext, offset: number, end: number, checksum: number): void {
  const { sink } = ctx;
  const text = sink.wantsText;
  const fragmented = ctx.nested === 0 && ctx.meta.ipFragment;
  if (!fragmented && end <= ctx.bytes.length && ctx.nested === 0 && ctx.net.version === 6) {
    if (checksumOf(ctx, offset, end, false) === 0) {
      sink.add(icmpv6Fields.checksum, offset + 2, 2, checksum, 0, text ? `Checksum: ${hex(checksum, 4)} [correct]` : undefined);
      sink.add(icmpv6Fields.checksumStatus, offset + 2, 0, 1, GENERATED, text ? 'Checksum Status: Good' : undefined);
    } else {
      const shouldBe = checksumOf(ctx, offset, end, true);
      const message = `Bad checksum [should be ${hex(shouldBe, 4)}]`;
      sink.open(icmpv6Fields.checksum, offset + 2, 2, checksum, 0,
        text ? `Checksum: ${hex(checksum, 4)} incorrect, should be ${hex(shouldBe, 4)}` : undefined);
      sink.add(icmpv6Fields.checksumBad, offset + 2, 0, null, GENERATED, text ? message : undefined);
      ctx.note({ severity: 'warn', group: 'checksum', message });
      sink.close();
      sink.add(icmpv6Fields.checksumStatus, offset + 2, 0, 0, GENERATED, text ? 'Checksum Status: Bad' : undefined);
    }
    return;
  }
  sink.add(icmpv6Fields.checksum, offset + 2, 2, checksum, 0, text ? `Checksum: ${hex(checksum, 4)} [unverified]` : undefined);
  sink.add(icmpv6Fields.checksumStatus, offset + 2, 0, 2, GENERATED, text ? 'Checksum Status: Unverified' : undefined);
}

/** Request and reply get the same key: the reply's checksum (a request's adjusted for 128 → 129). */
function echoKey(ctx: DissectContext, type: number, checksum: number, ident: number, seq: number): string {
  let convKey = checksum;
  if (type === ECHO_REPLY) {
    // ~(~cksum + ~0x0100): what the request's checksum was, as Wireshark keys it.
    let sum = (~checksum & 0xffff) + (~0x0100 & 0xffff);
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    convKey = ~sum & 0xffff;
    if (convKey === 0) convKey = 0xffff;
  }
  const net = ctx.net;
  const a = net.v6Src ? formatIPv6(net.v6Src) : '';
  const b = net.v6Dst ? formatIPv6(net.v6Dst) : '';
  const [lo, hi] = a < b ? [a, b] : [b, a];
  return `${lo}|${hi}|${convKey}|${ident}|${seq}`;
}

export function dissectIcmpv6(ctx: DissectContext, offset: number, end: number): void {
  const { sink, bytes } = ctx;
  const text = sink.wantsText;
  const cols = ctx.wantsColumns;
  const captured = Math.min(end, bytes.length);
  ctx.protocols.push('icmpv6');
  ctx.setProtocol('ICMPv6');
  ctx.setInfo('');
  sink.open(icmpv6Proto, offset, Math.max(0, captured - offset), null, 0, text ? icmpv6Proto.label : undefined);
  if (!need(ctx, 'ICMPv6', 'icmpv6.type', offset, 1, end)) return close(ctx);
  const type = bytes[offset];
  const typeName = TYPE_NAMES[type] ?? `Unknown (${type})`;
  if (cols) ctx.setInfo(typeName);
  sink.add(icmpv6Fields.type, offset, 1, type, 0, text ? `Type: ${typeName} (${type})` : undefined);
  if (!need(ctx, 'ICMPv6', 'icmpv6.code', offset + 1, 1, end)) return close(ctx);
  const code = bytes[offset + 1];
  const codes = CODE_NAMES[type];
  const codeName = codes ? (codes.names[code] ?? codes.fallback(code)) : null;
  if (cols && codeName !== null) ctx.setInfo(`${typeName} (${codeName})`);
  sink.add(icmpv6Fields.code, offset + 1, 1, code, 0, text ? `Code: ${code}${codeName === null ? '' : ` (${codeName})`}` : undefined);
  if (!need(ctx, 'ICMPv6', 'icmpv6.checksum', offset + 2, 2, end)) return close(ctx);
  const checksum = u16(bytes, offset + 2);
  addChecksum(ctx, offset, end, checksum);
  const body = offset + 4;

  switch (type) {
    case ECHO_REQUEST:
    case ECHO_REPLY: {
      if (!need(ctx, 'ICMPv6', 'icmpv6.echo.identifier', body, 2, end)) return close(ctx);
      const ident = u16(bytes, body);
      sink.add(icmpv6Fields.echoIdentifier, body, 2, ident);
      if (!need(ctx, 'ICMPv6', 'icmpv6.echo.sequence_number', body + 2, 2, end)) return close(ctx);
      const seq = u16(bytes, body + 2);
      sink.add(icmpv6Fields.echoSequence, body + 2, 2, seq);
      if (cols) ctx.setInfo(`${ctx.cols.info} id=${hex(ident, 4)}, seq=${seq}, hop limit=${lastIpHeader.ttl}`);
      if (ctx.nested === 0) ctx.hooks.transaction?.(ctx, 'icmpv6', echoKey(ctx, type, checksum, ident, seq), type === ECHO_REQUEST);
      dissectData(ctx, body + 4, end);
      break;
    }
    case DST_UNREACH:
    case TIME_EXCEEDED:
    case PACKET_TOO_BIG:
    case PARAM_PROB: {
      if (!need(ctx, 'ICMPv6', 'icmpv6 error header', body, 4, end)) return close(ctx);
      if (type === PACKET_TOO_BIG) sink.add(icmpv6Fields.mtu, body, 4, u32(bytes, body));
      else if (type === PARAM_PROB) sink.add(icmpv6Fields.pointer, body, 4, u32(bytes, body));
      else if (bytes[body]) {
        // RFC 4884: the first byte gives the quoted datagram's length in 8-octet words.
        sink.add(icmpv6Fields.length, body, 1, bytes[body], 0, text ? `Length of original datagram: ${bytes[body] * 8}` : undefined);
        sink.add(icmpv6Fields.reserved, body + 1, 3, bytes.subarray(body + 1, body + 4));
      } else sink.add(icmpv6Fields.reserved, body, 4, bytes.subarray(body, body + 4));
      quoted(ctx, body + 4, end);
      break;
    }
    case MLD_QUERY:
    case MLD_REPORT:
    case MLD_DONE:
      mld(ctx, type, body, end, captured - offset);
      break;
    case MLDV2_REPORT:
      mldv2Report(ctx, body, end);
      break;
    case ROUTER_SOLICIT:
    case IND_SOLICIT:
    case IND_ADVERT:
      if (!need(ctx, 'ICMPv6', 'icmpv6.reserved', body, 4, end)) return close(ctx);
      sink.add(icmpv6Fields.reserved, body, 4, bytes.subarray(body, body + 4));
      dissectNdOptions(ctx, body + 4, end);
      break;
    case ROUTER_ADVERT:
      routerAdvert(ctx, body, end);
      break;
    case NEIGHBOR_SOLICIT:
      if (!need(ctx, 'ICMPv6', 'icmpv6.nd.ns.target_address', body, 20, end)) return close(ctx);
      sink.add(icmpv6Fields.reserved, body, 4, bytes.subarray(body, body + 4));
      sink.add(icmpv6Fields.nsTarget, body + 4, 16, bytes.subarray(body + 4, body + 20));
      if (cols) ctx.appendInfo(`for ${formatIPv6(bytes, body + 4)}`);
      dissectNdOptions(ctx, body + 20, end);
      break;
    case NEIGHBOR_ADVERT:
      neighborAdvert(ctx, body, end);
      break;
    case REDIRECT:
      if (!need(ctx, 'ICMPv6', 'icmpv6.nd.rd.destination_address', body, 36, end)) return close(ctx);
      sink.add(icmpv6Fields.reserved, body, 4, bytes.subarray(body, body + 4));
      sink.add(icmpv6Fields.rdTarget, body + 4, 16, bytes.subarray(body + 4, body + 20));
      sink.add(icmpv6Fields.rdDestination, body + 20, 16, bytes.subarray(body + 20, body + 36));
      dissectNdOptions(ctx, body + 36, end);
      break;
    default:
      if (captured > body) sink.add(icmpv6Fields.data, body, captured - body, bytes.subarray(body, captured));
  }
  close(ctx);
}

function close(ctx: DissectContext): void {
  ctx.sink.close();
}

/** The invoking packet of an error message, nested inside the ICMPv6 tree. */
function quoted(ctx: DissectContext, start: number, end: number): void {
  const { bytes } = ctx;
  if (start >= end) return;
  ctx.nested++;
  try {
    if (start < bytes.length && bytes[start] >> 4 === 4) dissectIPv4(ctx, start, end);
    else dissectIPv6(ctx, start, end);
  } finally {
    ctx.nested--;
  }
}

function routerAdvert(ctx: DissectContext, body: number, end: number): void {
  const { sink, bytes } = ctx;
  if (!need(ctx, 'ICMPv6', 'icmpv6.nd.ra.retrans_timer', body, 12, end)) return;
  const flags = bytes[body + 1];
  sink.add(icmpv6Fields.raCurHopLimit, body, 1, bytes[body]);
  let flagText: string | undefined;
  if (sink.wantsText) {
    const names: string[] = [];
    if (flags & 0x80) names.push('Managed');
    if (flags & 0x40) names.push('Other');
    if (flags & 0x20) names.push('Home Agent');
    names.push(`Prf (Default Router Preference): ${['Medium', 'High', 'Reserved', 'Low'][(flags >> 3) & 3]}`);
    if (flags & 0x04) names.push('Proxy');
    flagText = `Flags: ${hex(flags, 2)}, ${names.join(', ')}`;
  }
  sink.open(icmpv6Fields.raFlag, body + 1, 1, flags, 0, flagText);
  sink.add(icmpv6Fields.raFlagM, body + 1, 1, (flags & 0x80) !== 0);
  sink.add(icmpv6Fields.raFlagO, body + 1, 1, (flags & 0x40) !== 0);
  sink.add(icmpv6Fields.raFlagH, body + 1, 1, (flags & 0x20) !== 0);
  sink.add(icmpv6Fields.raFlagPrf, body + 1, 1, (flags >> 3) & 3);
  sink.add(icmpv6Fields.raFlagP, body + 1, 1, (flags & 0x04) !== 0);
  sink.add(icmpv6Fields.raFlagRsv, body + 1, 1, flags & 0x03);
  sink.close();
  sink.add(icmpv6Fields.raRouterLifetime, body + 2, 2, u16(bytes, body + 2));
  sink.add(icmpv6Fields.raReachableTime, body + 4, 4, u32(bytes, body + 4));
  sink.add(icmpv6Fields.raRetransTimer, body + 8, 4, u32(bytes, body + 8));
  dissectNdOptions(ctx, body + 12, end);
}

function neighborAdvert(ctx: DissectContext, body: number, end: number): void {
  const { sink, bytes } = ctx;
  if (!need(ctx, 'ICMPv6', 'icmpv6.nd.na.target_address', body, 20, end)) return;
  const flags = u32(bytes, body);
  const names: string[] = [];
  if (flags & 0x80000000) names.push('rtr');
  if (flags & 0x40000000) names.push('sol');
  if (flags & 0x20000000) names.push('ovr');
  let flagText: string | undefined;
  if (sink.wantsText) {
    const long: string[] = [];
    if (flags & 0x80000000) long.push('Router');
    if (flags & 0x40000000) long.push('Solicited');
    if (flags & 0x20000000) long.push('Override');
    flagText = `Flags: ${hex(flags, 8)}${long.length ? ', ' + long.join(', ') : ''}`;
  }
  sink.open(icmpv6Fields.naFlag, body, 4, flags, 0, flagText);
  sink.add(icmpv6Fields.naFlagR, body, 4, (flags & 0x80000000) !== 0);
  sink.add(icmpv6Fields.naFlagS, body, 4, (flags & 0x40000000) !== 0);
  sink.add(icmpv6Fields.naFlagO, body, 4, (flags & 0x20000000) !== 0);
  sink.add(icmpv6Fields.naFlagRsv, body, 4, flags & 0x1fffffff);
  sink.close();
  sink.add(icmpv6Fields.naTarget, body + 4, 16, bytes.subarray(body + 4, body + 20));
  if (ctx.wantsColumns) ctx.appendInfo(`${formatIPv6(bytes, body + 4)} (${names.length ? names.join(', ') : 'none'})`);
  dissectNdOptions(ctx, body + 20, end);
}

/** MLDv1 messages and queries (v2 queries when the message is long enough). */
function mld(ctx: DissectContext, type: number, body: number, end: number, length: number): void {
  const { sink, bytes } = ctx;
  if (type === MLD_QUERY && length >= MLDV2_QUERY_MIN) {
    if (!need(ctx, 'ICMPv6', 'icmpv6.mld.nb_sources', body, 24, end)) return;
    let mrc = u16(bytes, body);
    // RFC 3810 §5.1.3: codes from 32768 are a floating-point exponent/mantissa.
    if (mrc >= 32768) mrc = ((mrc & 0x0fff) | 0x1000) * 2 ** (((mrc & 0x7000) >> 12) + 3);
    sink.add(icmpv6Fields.mldMaxResponseCode, body, 2, mrc);
    sink.add(icmpv6Fields.reserved, body + 2, 2, bytes.subarray(body + 2, body + 4));
    sink.add(icmpv6Fields.mldMulticastAddress, body + 4, 16, bytes.subarray(body + 4, body + 20));
    const flags = bytes[body + 20];
    sink.open(icmpv6Fields.mldFlag, body + 20, 1, flags);
    sink.add(icmpv6Fields.mldFlagS, body + 20, 1, (flags & 0x08) !== 0);
    sink.add(icmpv6Fields.mldFlagQrv, body + 20, 1, flags & 0x07);
    sink.add(icmpv6Fields.mldFlagReserved, body + 20, 1, flags >> 4);
    sink.close();
    let qqi = bytes[body + 21];
    if (qqi >= 128) qqi = ((qqi & 0x0f) | 0x10) << (((qqi & 0x70) >> 4) + 3);
    sink.add(icmpv6Fields.mldQqi, body + 21, 1, qqi);
    const count = u16(bytes, body + 22);
    sink.add(icmpv6Fields.mldNbSources, body + 22, 2, count);
    for (let i = 0, at = body + 24; i < count && i < MAX_MLD_ITEMS; i++, at += 16) {
      if (!need(ctx, 'ICMPv6', 'icmpv6.mld.source_address', at, 16, end)) return;
      sink.add(icmpv6Fields.mldSourceAddress, at, 16, bytes.subarray(at, at + 16));
    }
    return;
  }
  if (!need(ctx, 'ICMPv6', 'icmpv6.mld.multicast_address', body, 20, end)) return;
  sink.add(icmpv6Fields.mldMaxResponseDelay, body, 2, u16(bytes, body));
  sink.add(icmpv6Fields.reserved, body + 2, 2, bytes.subarray(body + 2, body + 4));
  sink.add(icmpv6Fields.mldMulticastAddress, body + 4, 16, bytes.subarray(body + 4, body + 20));
}

function mldv2Report(ctx: DissectContext, body: number, end: number): void {
  const { sink, bytes } = ctx;
  const text = sink.wantsText;
  if (!need(ctx, 'ICMPv6', 'icmpv6.mldr.nb_mcast_records', body, 4, end)) return;
  sink.add(icmpv6Fields.reserved, body, 2, bytes.subarray(body, body + 2));
  const records = u16(bytes, body + 2);
  sink.add(icmpv6Fields.mldrNbRecords, body + 2, 2, records);
  let at = body + 4;
  // Wireshark walks records until the message ends, whatever the count says.
  for (let n = 0; at < end && n < MAX_MLD_ITEMS; n++) {
    if (!need(ctx, 'ICMPv6', 'icmpv6.mldr.mar', at, 20, end)) return;
    const recordType = bytes[at];
    const aux = bytes[at + 1];
    const sources = u16(bytes, at + 2);
    const len = 20 + 16 * sources + 4 * aux;
    const names = ['', 'Include', 'Exclude', 'Changed to include', 'Changed to exclude', 'Allow new sources', 'Block old sources'];
    sink.open(icmpv6Fields.mldrMar, at, Math.min(len, ctx.remaining(at)), null, 0,
      text ? `Multicast Address Record ${names[recordType] ?? `Unknown Record Type (${recordType})`}: ${formatIPv6(bytes, at + 4)}` : undefined);
    sink.add(icmpv6Fields.mldrRecordType, at, 1, recordType);
    sink.add(icmpv6Fields.mldrAuxDataLen, at + 1, 1, aux);
    sink.add(icmpv6Fields.mldrNbSources, at + 2, 2, sources);
    sink.add(icmpv6Fields.mldrMulticastAddress, at + 4, 16, bytes.subarray(at + 4, at + 20));
    let p = at + 20;
    for (let i = 0; i < sources; i++, p += 16) {
      if (!need(ctx, 'ICMPv6', 'icmpv6.mldr.mar.source_address', p, 16, end)) {
        sink.close();
        return;
      }
      sink.add(icmpv6Fields.mldrSourceAddress, p, 16, bytes.subarray(p, p + 16));
    }
    if (aux) {
      if (!need(ctx, 'ICMPv6', 'icmpv6.mldr.mar.auxiliary_data', p, aux * 4, end)) {
        sink.close();
        return;
      }
      sink.add(icmpv6Fields.mldrAuxData, p, aux * 4, bytes.subarray(p, p + aux * 4));
    }
    sink.close();
    at += len;
  }
}

ipProtocols.set(58, dissectIcmpv6);
