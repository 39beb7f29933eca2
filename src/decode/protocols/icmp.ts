/**
 * ICMP (RFC 792 and successors) as Wireshark 4.0 shows it: type and code with their names,
 * the checksum verified (tshark does for ICMP) when the whole message is there, echo /
 * timestamp / mask identifiers and sequence numbers in both byte orders (icmp.ident_le …), the
 * timestamp ping puts in its echo data, and the IP header + data quoted by error messages
 * decoded as a nested layer (ctx.nested, so the outer packet keeps its columns and meta;
 * tshark lists the quoted ip.* / udp.* / tcp.* fields as extra occurrences).
 *
 * Request/reply pairing ("(request in 3)", icmp.resp_in / resp_to / resptime / no_resp) is the
 * analysis' job: echo messages call `ctx.hooks.transaction(ctx, 'icmp', key, isRequest)` at the
 * position in the ICMP tree where Wireshark puts those fields, after the Info column got its
 * " id=…, seq=…, ttl=…" part; the hook adds the generated fields to ctx.sink and appends its
 * text with ctx.appendInfo. The key (see echoKey) is the same for a request and its reply.
 * Isomorphic.
 */
import type { DissectContext } from '../context.js';
import { defineField, defineProtocol } from '../fields/types.js';
import { formatIPv4, formatIPv6 } from '../fields/format.js';
import { ipProtocols } from '../registry.js';
import { GENERATED } from '../sink.js';
import { dissectData } from './data.js';
import { need } from './ip-damage.js';
import { lastIpHeader } from './ip-common.js';
import { dissectIPv4 } from './ipv4.js';
import { dissectIPv6 } from './ipv6.js';

const TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'Echo (ping) reply', 1: 'Reserved', 2: 'Reserved', 3: 'Destination unreachable',
  4: 'Source quench (flow control)', 5: 'Redirect', 6: 'Alternate host address', 8: 'Echo (ping) request',
  9: 'Router advertisement', 10: 'Router solicitation', 11: 'Time-to-live exceeded', 12: 'Parameter problem',
  13: 'Timestamp request', 14: 'Timestamp reply', 15: 'Information request', 16: 'Information reply',
  17: 'Address mask request', 18: 'Address mask reply', 19: 'Reserved (for security)', 30: 'Traceroute',
  31: 'Datagram Conversion Error', 32: 'Mobile Host Redirect', 33: 'IPv6 Where-Are-You', 34: 'IPv6 I-Am-Here',
  35: 'Mobile Registration Request', 36: 'Mobile Registration Reply', 37: 'Domain Name Request',
  38: 'Domain Name Reply', 39: 'SKIP', 40: 'Photuris', 41: 'Experimental mobility protocols',
  42: 'Extended Echo request', 43: 'Extended Echo reply',
};

const CODE_NAMES: Readonly<Record<number, Readonly<Record<number, string>>>> = {
  3: {
    0: 'Network unreachable', 1: 'Host unreachable', 2: 'Protocol unreachable', 3: 'Port unreachable',
    4: 'Fragmentation needed', 5: 'Source route failed', 6: 'Destination network unknown',
    7: 'Destination host unknown', 8: 'Source host isolated', 9: 'Network administratively prohibited',
    10: 'Host administratively prohibited', 11: 'Network unreachable for TOS', 12: 'Host unreachable for TOS',
    13: 'Communication administratively filtered', 14: 'Host precedence violation',
    15: 'Precedence cutoff in effect',
  },
  5: { 0: 'Redirect for network', 1: 'Redirect for host', 2: 'Redirect for TOS and network', 3: 'Redirect for TOS and host' },
  6: { 0: 'Alternate address for host' },
  9: { 0: 'Normal router advertisement', 16: 'Does not route common traffic' },
  11: { 0: 'Time to live exceeded in transit', 1: 'Fragment reassembly time exceeded' },
  12: { 0: 'Pointer indicates the error', 1: 'Required option missing', 2: 'Bad length' },
  40: { 0: 'Bad SPI', 1: 'Authentication Failed', 2: 'Decompression Failed', 3: 'Decryption Failed', 4: 'Need Authentication', 5: 'Need Authorization' },
  42: { 0: 'No error' },
  43: { 0: 'No error', 1: 'Malformed Query', 2: 'No Such Interface', 3: 'No Such Table Entry', 4: 'Multiple Interfaces Satisfy Query' },
};

const CHECKSUM_STATUS = { 0: 'Bad', 1: 'Good', 2: 'Unverified', 3: 'Not present', 4: 'Illegal' };

export const icmpProto = defineProtocol('icmp', 'Internet Control Message Protocol');
export const icmpFields = {
  type: defineField({ name: 'icmp.type', label: 'Type', type: 'uint', bits: 8 }),
  code: defineField({ name: 'icmp.code', label: 'Code', type: 'uint', bits: 8 }),
  checksum: defineField({ name: 'icmp.checksum', label: 'Checksum', type: 'uint', base: 'hex', bits: 16 }),
  checksumStatus: defineField({ name: 'icmp.checksum.status', label: 'Checksum Status', type: 'uint', bits: 8, valueStrings: CHECKSUM_STATUS }),
  checksumBad: defineField({ name: 'icmp.checksum_bad', label: 'Bad checksum', type: 'none' }),
  unused: defineField({ name: 'icmp.unused', label: 'Unused', type: 'bytes' }),
  reserved: defineField({ name: 'icmp.reserved', label: 'Reserved', type: 'bytes' }),
  ident: defineField({ name: 'icmp.ident', label: 'Identifier (BE)', type: 'uint', base: 'dec_hex', bits: 16 }),
  identLe: defineField({ name: 'icmp.ident_le', label: 'Identifier (LE)', type: 'uint', base: 'dec_hex', bits: 16 }),
  seq: defineField({ name: 'icmp.seq', label: 'Sequence Number (BE)', type: 'uint', base: 'dec_hex', bits: 16 }),
  seqLe: defineField({ name: 'icmp.seq_le', label: 'Sequence Number (LE)', type: 'uint', base: 'dec_hex', bits: 16 }),
  mtu: defineField({ name: 'icmp.mtu', label: 'MTU of next hop', type: 'uint', bits: 16 }),
  length: defineField({ name: 'icmp.length', label: 'Length', type: 'uint', bits: 8 }),
  lengthOriginal: defineField({ name: 'icmp.length.original_datagram', label: 'Length of original datagram', type: 'uint', bits: 8 }),
  pointer: defineField({ name: 'icmp.pointer', label: 'Pointer', type: 'uint', bits: 32 }),
  redirGw: defineField({ name: 'icmp.redir_gw', label: 'Gateway Address', type: 'ipv4' }),
  numAddrs: defineField({ name: 'icmp.num_addrs', label: 'Number of addresses', type: 'uint', bits: 8 }),
  addrEntrySize: defineField({ name: 'icmp.addr_entry_size', label: 'Address entry size', type: 'uint', bits: 8 }),
  lifetime: defineField({ name: 'icmp.lifetime', label: 'Lifetime', type: 'uint', bits: 16 }),
  routerAddress: defineField({ name: 'icmp.router_address', label: 'Router address', type: 'ipv4' }),
  prefLevel: defineField({ name: 'icmp.pref_level', label: 'Preference level', type: 'int', bits: 32 }),
  originateTimestamp: defineField({ name: 'icmp.originate_timestamp', label: 'Originate Timestamp', type: 'uint', bits: 32 }),
  receiveTimestamp: defineField({ name: 'icmp.receive_timestamp', label: 'Receive Timestamp', type: 'uint', bits: 32 }),
  transmitTimestamp: defineField({ name: 'icmp.transmit_timestamp', label: 'Transmit Timestamp', type: 'uint', bits: 32 }),
  addressMask: defineField({ name: 'icmp.address_mask', label: 'Address Mask', type: 'ipv4' }),
  extEchoSeq: defineField({ name: 'icmp.ext.echo.seq', label: 'Sequence Number', type: 'uint', base: 'dec_hex', bits: 8 }),
  dataTime: defineField({ name: 'icmp.data_time', label: 'Timestamp from icmp data', type: 'abs_time', timeFormat: 'utc' }),
  dataTimeRelative: defineField({ name: 'icmp.data_time_relative', label: 'Timestamp from icmp data (relative)', type: 'rel_time' }),
};

const ECHO_REPLY = 0;
const UNREACH = 3;
const SOURCE_QUENCH = 4;
const REDIRECT = 5;
const ECHO = 8;
const RTR_ADVERT = 9;
const TIME_EXCEEDED = 11;
const PARAM_PROBLEM = 12;
const TSTAMP = 13;
const TSTAMP_REPLY = 14;
const IREQ = 15;
const IREQ_REPLY = 16;
const MASK_REQ = 17;
const MASK_REPLY = 18;
const EXT_ECHO = 42;
const EXT_ECHO_REPLY = 43;

const u16 = (b: Uint8Array, o: number) => (b[o] << 8) | b[o + 1];
const u32 = (b: Uint8Array, o: number) => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
const le16 = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8);
const le32 = (b: Uint8Array, o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
const hex = (v: number, digits: number) => '0x' + v.toString(16).padStart(digits, '0');

/** RFC 1071 Internet checksum over [start, end), folded; 0 means the checksum field is right. */
export function internetChecksum(bytes: Uint8Array, start: number, end: number, initial = 0): number {
  let sum = initial;
  let i = start;
  for (; i + 1 < end; i += 2) sum += (bytes[i] << 8) | bytes[i + 1];
  if (i < end) sum += bytes[i] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return ~sum & 0xffff;
}

/** Wireshark's "%-20s": left-aligned in 20 columns. */
function pad20(s: string): string {
  return s.length >= 20 ? s : s + ' '.repeat(20 - s.length);
}

/**
 * The pairing key Wireshark uses: the reply's checksum, or for a request the checksum its reply
 * will have (type 8 → 0 changes the sum by 0x0800), then identifier and sequence number; plus
 * the two addresses, in a fixed order, because pairing is per conversation.
 */
function echoKey(ctx: DissectContext, type: number, checksum: number, ident: number, seq: number): string {
  let convKey = checksum;
  if (type === ECHO) {
    convKey = internetChecksum(new Uint8Array([~checksum >> 8 & 0xff, ~checksum & 0xff, 0xf7, 0xff]), 0, 4);
    if (convKey === 0) convKey = 0xffff;
  }
  const net = ctx.net;
  let a = '';
  let b = '';
  if (net.version === 4) {
    a = formatIPv4(net.v4Src);
    b = formatIPv4(net.v4Dst);
  } else if (net.version === 6 && net.v6Src && net.v6Dst) {
    a = formatIPv6(net.v6Src);
    b = formatIPv6(net.v6Dst);
  }
  const [lo, hi] = a < b ? [a, b] : [b, a];
  return `${lo}|${hi}|${convKey}|${ident}|${seq}`;
}

export function dissectIcmp(ctx: DissectContext, offset: number, end: number): void {
  const { sink, bytes } = ctx;
  const text = sink.wantsText;
  const captured = Math.min(end, bytes.length);
  ctx.protocols.push('icmp');
  ctx.setProtocol('ICMP');
  ctx.setInfo('');
  sink.open(icmpProto, offset, Math.max(0, captured - offset), null, 0, text ? icmpProto.label : undefined);
  if (!need(ctx, 'ICMP', 'icmp.checksum', offset, 4, end)) {
    sink.close();
    return;
  }
  const type = bytes[offset];
  const code = bytes[offset + 1];
  const checksum = u16(bytes, offset + 2);
  let typeName = TYPE_NAMES[type] ?? 'Unknown ICMP (obsolete or malformed?)';
  if (type === RTR_ADVERT && (code === 0 || code === 16)) typeName = 'Mobile IP Advertisement';
  const codes = CODE_NAMES[type];
  const codeName = codes ? (codes[code] ?? `Unknown code: ${code}`) : null;
  if (ctx.wantsColumns) ctx.setInfo(codeName === null ? pad20(typeName) : `${pad20(typeName)} (${codeName})`);

  sink.add(icmpFields.type, offset, 1, type, 0, text ? `Type: ${type} (${typeName})` : undefined);
  sink.add(icmpFields.code, offset + 1, 1, code, 0, text ? `Code: ${code}${codeName === null ? '' : ` (${codeName})`}` : undefined);
  addChecksum(ctx, offset, end, checksum);

  switch (type) {
    case ECHO_REPLY:
    case ECHO:
    case TSTAMP:
    case TSTAMP_REPLY:
    case IREQ:
    case IREQ_REPLY:
    case MASK_REQ:
    case MASK_REPLY:
      if (!identAndSequence(ctx, offset, end, type, checksum)) return closeIcmp(ctx);
      break;
    case UNREACH:
    case TIME_EXCEEDED:
      if (!need(ctx, 'ICMP', 'icmp.unused', offset + 4, 4, end)) return closeIcmp(ctx);
      unusedAndLength(ctx, offset, type === UNREACH && code === 4);
      break;
    case EXT_ECHO:
    case EXT_ECHO_REPLY:
      // RFC 8335 PROBE: identifier (shown in both byte orders like echo's), 8-bit sequence.
      if (!need(ctx, 'ICMP', 'icmp.ident', offset + 4, 3, end)) return closeIcmp(ctx);
      sink.add(icmpFields.ident, offset + 4, 2, u16(bytes, offset + 4));
      sink.add(icmpFields.identLe, offset + 4, 2, le16(bytes, offset + 4));
      sink.add(icmpFields.extEchoSeq, offset + 6, 1, bytes[offset + 6]);
      break;
    case PARAM_PROBLEM:
      if (!need(ctx, 'ICMP', 'icmp.pointer', offset + 4, 4, end)) return closeIcmp(ctx);
      sink.add(icmpFields.pointer, offset + 4, 1, bytes[offset + 4]);
      if (bytes[offset + 5]) {
        sink.add(icmpFields.length, offset + 5, 1, bytes[offset + 5]);
        sink.add(icmpFields.unused, offset + 6, 2, bytes.subarray(offset + 6, offset + 8));
      } else sink.add(icmpFields.unused, offset + 5, 3, bytes.subarray(offset + 5, offset + 8));
      break;
    case REDIRECT:
      if (!need(ctx, 'ICMP', 'icmp.redir_gw', offset + 4, 4, end)) return closeIcmp(ctx);
      sink.add(icmpFields.redirGw, offset + 4, 4, u32(bytes, offset + 4));
      break;
    case SOURCE_QUENCH:
      if (!need(ctx, 'ICMP', 'icmp.unused', offset + 4, 4, end)) return closeIcmp(ctx);
      sink.add(icmpFields.unused, offset + 4, 4, bytes.subarray(offset + 4, offset + 8));
      break;
    case RTR_ADVERT:
      if (!need(ctx, 'ICMP', 'icmp.lifetime', offset + 4, 4, end)) return closeIcmp(ctx);
      sink.add(icmpFields.numAddrs, offset + 4, 1, bytes[offset + 4]);
      sink.add(icmpFields.addrEntrySize, offset + 5, 1, bytes[offset + 5]);
      sink.add(icmpFields.lifetime, offset + 6, 2, u16(bytes, offset + 6), 0,
        text ? `Lifetime: ${u16(bytes, offset + 6)} (${secondsText(u16(bytes, offset + 6))})` : undefined);
      break;
    default:
      break;
  }

  const body = offset + 8;
  switch (type) {
    case UNREACH:
    case TIME_EXCEEDED:
    case PARAM_PROBLEM:
    case SOURCE_QUENCH:
    case REDIRECT:
      quotedPacket(ctx, offset, body, end);
      return;
    case ECHO_REPLY:
    case ECHO:
      echoData(ctx, body, end);
      break;
    case RTR_ADVERT:
      routerAddresses(ctx, offset, body, end);
      break;
    case TSTAMP:
    case TSTAMP_REPLY:
      timestamps(ctx, body, end);
      break;
    case MASK_REQ:
    case MASK_REPLY:
      if (need(ctx, 'ICMP', 'icmp.address_mask', body, 4, end)) sink.add(icmpFields.addressMask, body, 4, u32(bytes, body));
      break;
    default:
      break;
  }
  sink.close();
}

function closeIcmp(ctx: DissectContext): void {
  ctx.sink.close();
}

/**
 * The checksum is checked when the whole message is here and it is not a fragment or a quote
 * (tshark verifies ICMP checksums by default); otherwise it is shown unverified, with why.
 */
function addChecksum(ctx: DissectContext, offset: number, end: number, checksum: number): void {
  const { sink, bytes } = ctx;
  const text = sink.wantsText;
  const fragmented = ctx.nested === 0 && ctx.meta.ipFragment;
  if (!fragmented && end <= bytes.length && ctx.nested === 0) {
    const computed = internetChecksum(bytes, offset, end);
    if (computed === 0) {
      sink.add(icmpFields.checksum, offset + 2, 2, checksum, 0, text ? `Checksum: ${hex(checksum, 4)} [correct]` : undefined);
      sink.add(icmpFields.checksumStatus, offset + 2, 0, 1, GENERATED, text ? 'Checksum Status: Good' : undefined);
    } else {
      const shouldBe = expectedChecksum(bytes, offset, end);
      sink.open(icmpFields.checksum, offset + 2, 2, checksum, 0,
        text ? `Checksum: ${hex(checksum, 4)} incorrect, should be ${hex(shouldBe, 4)}` : undefined);
      const message = `Bad checksum [should be ${hex(shouldBe, 4)}]`;
      sink.add(icmpFields.checksumBad, offset + 2, 0, null, GENERATED, text ? message : undefined);
      ctx.note({ severity: 'warn', group: 'checksum', message });
      sink.close();
      sink.add(icmpFields.checksumStatus, offset + 2, 0, 0, GENERATED, text ? 'Checksum Status: Bad' : undefined);
    }
    return;
  }
  const why = ctx.nested > 0 ? 'in ICMP error packet' : 'fragmented datagram';
  sink.add(icmpFields.checksum, offset + 2, 2, checksum, 0, text ? `Checksum: ${hex(checksum, 4)} [unverified] [${why}]` : undefined);
  sink.add(icmpFields.checksumStatus, offset + 2, 0, 2, GENERATED, text ? 'Checksum Status: Unverified' : undefined);
}

/** The checksum the message should carry: the sum with the field taken as zero. */
function expectedChecksum(bytes: Uint8Array, offset: number, end: number): number {
  const field = u16(bytes, offset + 2);
  // Sum everything, then take the field back out (one's complement arithmetic).
  let sum = 0;
  let i = offset;
  for (; i + 1 < end; i += 2) sum += (bytes[i] << 8) | bytes[i + 1];
  if (i < end) sum += bytes[i] << 8;
  sum -= field;
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return ~sum & 0xffff;
}

/** Identifier and sequence number in both byte orders, then Wireshark's Info tail and the pairing hook. */
function identAndSequence(ctx: DissectContext, offset: number, end: number, type: number, checksum: number): boolean {
  const { sink, bytes } = ctx;
  if (!need(ctx, 'ICMP', 'icmp.ident', offset + 4, 2, end)) return false;
  const ident = u16(bytes, offset + 4);
  sink.add(icmpFields.ident, offset + 4, 2, ident);
  sink.add(icmpFields.identLe, offset + 4, 2, le16(bytes, offset + 4));
  if (!need(ctx, 'ICMP', 'icmp.seq', offset + 6, 2, end)) return false;
  const seq = u16(bytes, offset + 6);
  const seqLe = le16(bytes, offset + 6);
  sink.add(icmpFields.seq, offset + 6, 2, seq);
  sink.add(icmpFields.seqLe, offset + 6, 2, seqLe);
  if (ctx.wantsColumns) ctx.setInfo(`${ctx.cols.info} id=${hex(ident, 4)}, seq=${seq}/${seqLe}, ttl=${lastIpHeader.ttl}`);
  if ((type === ECHO || type === ECHO_REPLY) && ctx.nested === 0) {
    ctx.hooks.transaction?.(ctx, 'icmp', echoKey(ctx, type, checksum, ident, seq), type === ECHO);
  }
  return true;
}

/** Unreachable / time exceeded: 4 unused bytes, or unused + RFC 4884 length, or unused + next-hop MTU. */
function unusedAndLength(ctx: DissectContext, offset: number, fragNeeded: boolean): void {
  const { sink, bytes } = ctx;
  const lengthWords = bytes[offset + 5];
  if (fragNeeded) {
    sink.add(icmpFields.unused, offset + 4, 2, bytes.subarray(offset + 4, offset + 6));
    sink.add(icmpFields.mtu, offset + 6, 2, u16(bytes, offset + 6));
  } else if (lengthWords) {
    sink.add(icmpFields.unused, offset + 4, 1, bytes.subarray(offset + 4, offset + 5));
    sink.add(icmpFields.length, offset + 5, 1, lengthWords, 0,
      sink.wantsText ? `Length: ${lengthWords} Length of original datagram: ${lengthWords * 4}` : undefined);
    sink.add(icmpFields.lengthOriginal, offset + 5, 1, lengthWords * 4, GENERATED);
    sink.add(icmpFields.unused, offset + 6, 2, bytes.subarray(offset + 6, offset + 8));
  } else {
    sink.add(icmpFields.unused, offset + 4, 4, bytes.subarray(offset + 4, offset + 8));
  }
}

/**
 * The invoking packet an error quotes (its IP header and at least 8 bytes of payload), decoded
 * inside the ICMP tree with ctx.nested raised: its fields are extra occurrences, the columns and
 * meta stay the outer packet's. RFC 4884's length field, when set and plausible, bounds it.
 */
function quotedPacket(ctx: DissectContext, offset: number, body: number, end: number): void {
  const { bytes } = ctx;
  let quoteEnd = end;
  const lengthWords = bytes[offset + 5];
  if (lengthWords && end - body > lengthWords * 4 && body + 4 <= bytes.length && u16(bytes, body + 2) > lengthWords * 4) {
    quoteEnd = body + lengthWords * 4;
  }
  if (body >= quoteEnd) {
    ctx.sink.close();
    return;
  }
  ctx.nested++;
  try {
    const version = body < bytes.length ? bytes[body] >> 4 : 4;
    if (version === 6) dissectIPv6(ctx, body, quoteEnd);
    else dissectIPv4(ctx, body, quoteEnd);
  } finally {
    ctx.nested--;
  }
  ctx.sink.close();
}

/**
 * Echo data: ping puts the send time (a timeval, in either byte order) at the start; Wireshark
 * shows it when it is within a day after the frame's own time, then the rest as data.
 */
function echoData(ctx: DissectContext, body: number, end: number): void {
  const { bytes, frame } = ctx;
  const captured = Math.min(end, bytes.length);
  if (captured - body < 8) {
    if (captured > body) dissectData(ctx, body, end);
    return;
  }
  let sec = u32(bytes, body);
  let usec = u32(bytes, body + 4);
  const fits = (s: number, u: number) => ((s - frame.tsSec) >>> 0) < 86400 && u < 1000000;
  if (!fits(sec, usec)) {
    sec = le32(bytes, body);
    usec = le32(bytes, body + 4);
  }
  if (fits(sec, usec)) {
    const nsec = usec * 1000;
    ctx.sink.add(icmpFields.dataTime, body, 8, { sec, nsec });
    ctx.sink.add(icmpFields.dataTimeRelative, body, 8, (frame.tsSec - sec) * 1e9 + (frame.tsNsec - nsec), GENERATED);
    dissectData(ctx, body + 8, end);
    return;
  }
  dissectData(ctx, body, end);
}

function routerAddresses(ctx: DissectContext, offset: number, body: number, end: number): void {
  const { sink, bytes } = ctx;
  const count = bytes[offset + 4];
  const size = bytes[offset + 5];
  if (size !== 2) {
    dissectData(ctx, body, end);
    return;
  }
  for (let i = 0; i < count; i++) {
    const at = body + i * 8;
    if (!need(ctx, 'ICMP', 'icmp.router_address', at, 8, end)) return;
    sink.add(icmpFields.routerAddress, at, 4, u32(bytes, at));
    sink.add(icmpFields.prefLevel, at + 4, 4, u32(bytes, at + 4) | 0);
  }
}

function timestamps(ctx: DissectContext, body: number, end: number): void {
  const { sink, bytes } = ctx;
  const fields = [icmpFields.originateTimestamp, icmpFields.receiveTimestamp, icmpFields.transmitTimestamp];
  for (let i = 0; i < 3; i++) {
    const at = body + i * 4;
    if (!need(ctx, 'ICMP', fields[i].name, at, 4, end)) return;
    const ms = u32(bytes, at);
    sink.add(fields[i], at, 4, ms, 0,
      sink.wantsText ? `${fields[i].label}: ${ms} (${msAfterMidnight(ms)} after midnight UTC)` : undefined);
  }
}

/** Wireshark's "0.001 seconds" style for milliseconds. */
function msAfterMidnight(ms: number): string {
  if (ms < 60000) return `${(ms / 1000).toFixed(3)} seconds`;
  const h = Math.floor(ms / 3600000);
  const m = Math.floor((ms % 3600000) / 60000);
  const s = ((ms % 60000) / 1000).toFixed(3);
  return `${h ? `${h} hour${h === 1 ? '' : 's'}, ` : ''}${m} minute${m === 1 ? '' : 's'}, ${s} seconds`;
}

function secondsText(s: number): string {
  if (s < 60) return `${s} second${s === 1 ? '' : 's'}`;
  const m = Math.floor(s / 60);
  const r = s % 60;
  return `${m} minute${m === 1 ? '' : 's'}${r ? `, ${r} second${r === 1 ? '' : 's'}` : ''}`;
}

ipProtocols.set(1, dissectIcmp);
