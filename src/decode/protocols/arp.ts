/**
 * ARP (RFC 826) and its relatives on EtherType 0x0806 (RARP opcodes, Inverse ARP): every header
 * field, Wireshark's gratuitous / announcement / probe classification and Info wording, and its
 * duplicate-address detection (an IPv4 address seen with a second MAC: expert note and the
 * `arp.duplicate-address-frame` link), kept per capture in the DecodeSession with a bounded
 * table. Isomorphic.
 */
import type { DissectContext } from '../context.js';
import { defineField, defineProtocol, type FieldDef } from '../fields/types.js';
import { formatIPv4, formatMac, hexBytes } from '../fields/format.js';
import { etherTypes } from '../registry.js';
import { GENERATED } from '../sink.js';
import { etherTypeLengths } from './ethernet.js';
import { ETHERTYPE_NAMES } from './ethernet-types.js';
import { need } from './ip-damage.js';
import { textItem } from './ip-names.js';
import { HATYPE_NAMES } from './sll.js';

const OPCODES: Readonly<Record<number, string>> = {
  0: 'reserved', 1: 'request', 2: 'reply', 3: 'reverse request', 4: 'reverse reply', 5: 'drarp request',
  6: 'drarp reply', 7: 'drarp error', 8: 'inverse request', 9: 'inverse reply', 10: 'arp nak',
  11: 'mars request', 12: 'mars multi', 13: 'mars mserv', 14: 'mars join', 15: 'mars leave', 16: 'mars nak',
  17: 'mars unserv', 18: 'mars sjoin', 19: 'mars sleave', 20: 'mars grouplist request',
  21: 'mars grouplist reply', 22: 'mars redirect map', 23: 'mapos unarp', 24: 'experimental 1',
  25: 'experimental 2', 65535: 'reserved',
};

const TRUE_FALSE = ['True', 'False'] as const;

export const arpProto = defineProtocol('arp', 'Address Resolution Protocol');
export const arpFields = {
  hwType: defineField({ name: 'arp.hw.type', label: 'Hardware type', type: 'uint', bits: 16, valueStrings: HATYPE_NAMES }),
  protoType: defineField({ name: 'arp.proto.type', label: 'Protocol type', type: 'uint', base: 'hex', bits: 16, valueStrings: ETHERTYPE_NAMES }),
  hwSize: defineField({ name: 'arp.hw.size', label: 'Hardware size', type: 'uint', bits: 8 }),
  protoSize: defineField({ name: 'arp.proto.size', label: 'Protocol size', type: 'uint', bits: 8 }),
  opcode: defineField({ name: 'arp.opcode', label: 'Opcode', type: 'uint', bits: 16, valueStrings: OPCODES }),
  isGratuitous: defineField({ name: 'arp.isgratuitous', label: 'Is gratuitous', type: 'bool', trueFalse: TRUE_FALSE }),
  isProbe: defineField({ name: 'arp.isprobe', label: 'Is probe', type: 'bool', trueFalse: TRUE_FALSE }),
  isAnnouncement: defineField({ name: 'arp.isannouncement', label: 'Is announcement', type: 'bool', trueFalse: TRUE_FALSE }),
  srcHwMac: defineField({ name: 'arp.src.hw_mac', label: 'Sender MAC address', type: 'ether' }),
  srcProtoIpv4: defineField({ name: 'arp.src.proto_ipv4', label: 'Sender IP address', type: 'ipv4' }),
  dstHwMac: defineField({ name: 'arp.dst.hw_mac', label: 'Target MAC address', type: 'ether' }),
  dstProtoIpv4: defineField({ name: 'arp.dst.proto_ipv4', label: 'Target IP address', type: 'ipv4' }),
  srcHw: defineField({ name: 'arp.src.hw', label: 'Sender hardware address', type: 'bytes' }),
  srcProto: defineField({ name: 'arp.src.proto', label: 'Sender protocol address', type: 'bytes' }),
  dstHw: defineField({ name: 'arp.dst.hw', label: 'Target hardware address', type: 'bytes' }),
  dstProto: defineField({ name: 'arp.dst.proto', label: 'Target protocol address', type: 'bytes' }),
  duplicateFrame: defineField({ name: 'arp.duplicate-address-frame', label: 'Frame showing earlier use of IP address', type: 'framenum' }),
  duplicateSeconds: defineField({ name: 'arp.seconds-since-duplicate-address-frame', label: 'Seconds since earlier frame seen', type: 'uint', bits: 32 }),
  duplicateDetected: defineField({ name: 'arp.duplicate-address-detected', label: 'Duplicate IP address configured', type: 'none' }),
};

const ETHERTYPE_IPV4 = 0x0800;
const HRD_ETHER = 1;
const HRD_IEEE802 = 6;

/** Protocol column per opcode family, as Wireshark's ARP dissector sets it. */
function protocolColumn(op: number): string {
  if (op === 3 || op === 4) return 'RARP';
  if (op >= 5 && op <= 7) return 'DRARP';
  if (op === 8 || op === 9) return 'Inverse ARP';
  if (op >= 11 && op <= 22) return 'MARS';
  if (op === 23) return 'MAPOS';
  return 'ARP';
}

/** Last MAC seen for each IPv4 address (Wireshark's address_hash_table). */
interface AddressEntry {
  mac: Uint8Array;
  frame: number;
  sec: number;
}
/** Bound on the tables: captures with more distinct senders stop being tracked, not decoded. */
const MAX_ADDRESSES = 65536;

/**
 * Kept for the whole file: the address table, the duplicates found per frame (Wireshark's
 * duplicate_result_hash_table, so a revisited frame shows the same finding) and the highest frame
 * seen (a lower or equal one is a revisit: detail view, second pass).
 */
interface ArpState {
  addresses: Map<number, AddressEntry>;
  results: Map<string, AddressEntry>;
  maxFrame: number;
}

function arpState(ctx: DissectContext): ArpState {
  return ctx.session.fileState('arp', () => ({ addresses: new Map(), results: new Map(), maxFrame: 0 }));
}

function sameMac(a: Uint8Array, b: Uint8Array, at: number): boolean {
  for (let i = 0; i < 6; i++) if (a[i] !== b[at + i]) return false;
  return true;
}

/**
 * Wireshark's check_for_duplicate_addresses: the first MAC seen for an address stays the
 * reference (refreshed while it repeats); a different MAC is reported against it.
 */
function checkDuplicate(ctx: DissectContext, macAt: number, ip: number): AddressEntry | null {
  const state = arpState(ctx);
  const { bytes, frame } = ctx;
  const resultKey = `${frame.number}|${ip}`;
  if (frame.number <= state.maxFrame) return state.results.get(resultKey) ?? null;
  const entry = state.addresses.get(ip);
  if (!entry) {
    if (state.addresses.size < MAX_ADDRESSES) {
      state.addresses.set(ip, { mac: bytes.slice(macAt, macAt + 6), frame: frame.number, sec: frame.tsSec });
    }
    return null;
  }
  if (sameMac(entry.mac, bytes, macAt)) {
    entry.frame = frame.number;
    entry.sec = frame.tsSec;
    return null;
  }
  const found = { mac: entry.mac, frame: entry.frame, sec: entry.sec };
  if (state.results.size < MAX_ADDRESSES) state.results.set(resultKey, found);
  return found;
}

/** Wireshark's tvb_arpproaddr_to_str / tvb_arphrdaddr_to_str (with -n). */
function addressText(bytes: Uint8Array, at: number, len: number, isMac: boolean, isIPv4: boolean): string {
  if (len === 0) return '<No address>';
  if (isMac) return formatMac(bytes, at);
  if (isIPv4) return formatIPv4(readU32(bytes, at));
  return hexBytes(bytes.subarray(at, at + len));
}

function readU32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

/** ARP_HW_IS_ETHER / ARP_PRO_IS_IPv4 of packet-arp.c (AX.25's IP protocol id 0xcc counts). */
const isEtherHw = (hrd: number, hln: number) => (hrd === HRD_ETHER || hrd === HRD_IEEE802) && hln === 6;
const isIPv4Pro = (pro: number, pln: number) => (pro === ETHERTYPE_IPV4 || pro === 0xcc) && pln === 4;

/** A MAC that can own an address: not multicast/broadcast, not all zeros. */
function ownerMac(b: Uint8Array, at: number): boolean {
  return (b[at] & 1) === 0 && !allZero(b, at, 6);
}

interface Duplicate {
  ip: number;
  macAt: number;
  earlier: AddressEntry;
}

export function dissectArp(ctx: DissectContext, offset: number, end: number): void {
  const { sink, bytes } = ctx;
  ctx.protocols.push('arp');
  ctx.setProtocol('ARP');
  ctx.setInfo('');
  const text = sink.wantsText;
  if (offset + 8 > Math.min(end, bytes.length)) {
    sink.open(arpProto, offset, Math.max(0, Math.min(ctx.remaining(offset), end - offset)), null);
    need(ctx, 'ARP', 'arp header', offset, 8, end);
    sink.close();
    return;
  }
  const hrd = (bytes[offset] << 8) | bytes[offset + 1];
  const pro = (bytes[offset + 2] << 8) | bytes[offset + 3];
  const hln = bytes[offset + 4];
  const pln = bytes[offset + 5];
  const op = (bytes[offset + 6] << 8) | bytes[offset + 7];
  const total = 8 + 2 * hln + 2 * pln;
  const sha = offset + 8;
  const spa = sha + hln;
  const tha = spa + pln;
  const tpa = tha + hln;
  const isMac = isEtherHw(hrd, hln);
  const isIPv4 = isIPv4Pro(pro, pln);
  const nodeLength = Math.max(0, Math.min(total, ctx.remaining(offset), end - offset));

  // Wireshark shrinks its data to the addresses (tvb_set_reported_length): if the packet is
  // shorter than that, the header is all it shows and the frame is malformed.
  const header = () => {
    sink.add(arpFields.hwType, offset, 2, hrd, 0, text ? `Hardware type: ${HATYPE_NAMES[hrd] ?? 'Unknown'} (${hrd})` : undefined);
    sink.add(arpFields.protoType, offset + 2, 2, pro);
    sink.add(arpFields.hwSize, offset + 4, 1, hln);
    sink.add(arpFields.protoSize, offset + 5, 1, pln);
    sink.add(arpFields.opcode, offset + 6, 2, op, 0, text ? `Opcode: ${OPCODES[op] ?? 'Unknown'} (${op})` : undefined);
  };
  if (offset + total > end || offset + total > bytes.length) {
    sink.open(arpProto, offset, nodeLength, null, 0, text ? arpProto.label : undefined);
    header();
    need(ctx, 'ARP', 'arp addresses', offset, total, end);
    sink.close();
    return;
  }
  ctx.setProtocol(protocolColumn(op));

  // Duplicate-address detection, in Wireshark's order: the sender, then (not for requests) the
  // target unless it is the address just reported. The flag keeps the last check's answer.
  const dups: Duplicate[] = [];
  let duplicateIp = 0;
  let duplicateDetected = false;
  if ((op === 1 || op === 2) && isMac && isIPv4) {
    const senderIp = readU32(bytes, spa);
    if (ownerMac(bytes, sha) && senderIp !== 0) {
      const earlier = checkDuplicate(ctx, sha, senderIp);
      duplicateDetected = earlier !== null;
      if (earlier) {
        dups.push({ ip: senderIp, macAt: sha, earlier });
        duplicateIp = senderIp;
      }
    }
    const targetIp = readU32(bytes, tpa);
    if (ownerMac(bytes, tha) && targetIp !== 0 && op !== 1 && duplicateIp !== targetIp) {
      const earlier = checkDuplicate(ctx, tha, targetIp);
      duplicateDetected = earlier !== null;
      if (earlier) {
        dups.push({ ip: targetIp, macAt: tha, earlier });
        duplicateIp = targetIp;
      }
    }
  }

  const state = arpState(ctx);
  if (ctx.frame.number > state.maxFrame) state.maxFrame = ctx.frame.number;

  // Gratuitous: request or reply whose sender and target protocol addresses are equal; an
  // announcement is a gratuitous request with a zero target MAC, a probe a request from
  // 0.0.0.0 with a zero target MAC (RFC 5227).
  let gratuitous = false;
  let announcement = false;
  let probe = false;
  if (op === 1 || op === 2) {
    gratuitous = equalBytes(bytes, spa, tpa, pln);
    const zeroTargetMac = hln >= 6 && allZero(bytes, tha, 6);
    if (gratuitous) announcement = op === 1 && zeroTargetMac;
    else probe = op === 1 && zeroTargetMac && pln >= 4 && allZero(bytes, spa, 4);
  }

  if (ctx.wantsColumns) ctx.setInfo(infoText(bytes, op, { sha, spa, tha, tpa, hln, pln, isMac, isIPv4 }, gratuitous, announcement, probe));

  let nodeText: string | undefined;
  if (text) {
    const name = OPCODES[op];
    let opText = name !== undefined ? name : `opcode 0x${op.toString(16).padStart(4, '0')}`;
    if (gratuitous) opText = op === 1 ? 'request/gratuitous ARP' : 'reply/gratuitous ARP';
    if (probe) opText = 'ARP Probe';
    if (announcement) opText = 'ARP Announcement';
    nodeText = `Address Resolution Protocol (${opText})`;
  }
  sink.open(arpProto, offset, nodeLength, null, 0, nodeText);
  header();
  if (gratuitous) sink.add(arpFields.isGratuitous, offset, 0, true, GENERATED);
  if (probe) sink.add(arpFields.isProbe, offset, 0, true, GENERATED);
  if (announcement) sink.add(arpFields.isAnnouncement, offset, 0, true, GENERATED);
  if (hln) sink.add(isMac ? arpFields.srcHwMac : arpFields.srcHw, sha, hln, bytes.subarray(sha, sha + hln));
  if (pln) addProto(ctx, arpFields.srcProtoIpv4, arpFields.srcProto, spa, pln, isIPv4);
  if (hln) sink.add(isMac ? arpFields.dstHwMac : arpFields.dstHw, tha, hln, bytes.subarray(tha, tha + hln));
  if (pln) addProto(ctx, arpFields.dstProtoIpv4, arpFields.dstProto, tpa, pln, isIPv4);
  sink.close();

  for (const d of dups) reportDuplicate(ctx, offset, d.ip, d.macAt, d.earlier);
  if (duplicateDetected && ctx.wantsColumns) ctx.setInfo(`${ctx.cols.info} (duplicate use of ${formatIPv4(duplicateIp)} detected!)`);
}

function addProto(ctx: DissectContext, v4: FieldDef, raw: FieldDef, at: number, len: number, isIPv4: boolean): void {
  if (isIPv4) ctx.sink.add(v4, at, 4, readU32(ctx.bytes, at));
  else ctx.sink.add(raw, at, len, ctx.bytes.subarray(at, at + len));
}

interface Layout {
  sha: number;
  spa: number;
  tha: number;
  tpa: number;
  hln: number;
  pln: number;
  isMac: boolean;
  isIPv4: boolean;
}

/** Wireshark's Info wording per opcode. */
function infoText(bytes: Uint8Array, op: number, l: Layout, gratuitous: boolean, announcement: boolean, probe: boolean): string {
  const hw = (at: number) => addressText(bytes, at, l.hln, l.isMac, false);
  const pr = (at: number) => addressText(bytes, at, l.pln, false, l.isIPv4);
  switch (op) {
    case 1:
      if (gratuitous) return announcement ? `ARP Announcement for ${pr(l.tpa)}` : `Gratuitous ARP for ${pr(l.tpa)} (Request)`;
      return probe ? `Who has ${pr(l.tpa)}? (ARP Probe)` : `Who has ${pr(l.tpa)}? Tell ${pr(l.spa)}`;
    case 2:
      return gratuitous ? `Gratuitous ARP for ${pr(l.spa)} (Reply)` : `${pr(l.spa)} is at ${hw(l.sha)}`;
    case 3:
    case 5:
    case 8:
      return `Who is ${hw(l.tha)}? Tell ${hw(l.sha)}`;
    case 4:
    case 6:
      return `${hw(l.tha)} is at ${pr(l.tpa)}`;
    case 7:
      return 'DRARP Error';
    case 9:
      return `${hw(l.sha)} is at ${pr(l.spa)}`;
    case 10:
      return 'ARP NAK';
    case 11: return `MARS request from ${hw(l.sha)} at ${pr(l.spa)}`;
    case 12: return `MARS MULTI request from ${hw(l.sha)} at ${pr(l.spa)}`;
    case 13: return `MARS MSERV request from ${hw(l.sha)} at ${pr(l.spa)}`;
    case 14: return `MARS JOIN request from ${hw(l.sha)} at ${pr(l.spa)}`;
    case 15: return `MARS LEAVE from ${hw(l.sha)} at ${pr(l.spa)}`;
    case 16: return `MARS NAK from ${hw(l.sha)} at ${pr(l.spa)}`;
    case 17: return `MARS UNSERV request from ${hw(l.sha)} at ${pr(l.spa)}`;
    case 18: return `MARS SJOIN request from ${hw(l.sha)} at ${pr(l.spa)}`;
    case 19: return `MARS SLEAVE from ${hw(l.sha)} at ${pr(l.spa)}`;
    case 20: return `MARS grouplist request from ${hw(l.sha)} at ${pr(l.spa)}`;
    case 21: return `MARS grouplist reply from ${hw(l.sha)} at ${pr(l.spa)}`;
    case 22: return `MARS redirect map from ${hw(l.sha)} at ${pr(l.spa)}`;
    case 23: return `MAPOS UNARP request from ${hw(l.sha)} at ${pr(l.spa)}`;
    case 24: return `Experimental 1 ( opcode ${op} )`;
    case 25: return `Experimental 2 ( opcode ${op} )`;
    case 0:
    case 65535:
      return `Reserved opcode ${op}`;
    default:
      return `Unknown ARP opcode 0x${op.toString(16).padStart(4, '0')}`;
  }
}

function reportDuplicate(ctx: DissectContext, offset: number, ip: number, macAt: number, earlier: AddressEntry): void {
  const { sink } = ctx;
  const ipStr = formatIPv4(ip);
  sink.open(textItem, offset, 0, null, GENERATED, sink.wantsText
    ? `Duplicate IP address detected for ${ipStr} (${formatMac(ctx.bytes, macAt)}) - also in use by ${formatMac(earlier.mac)} (frame ${earlier.frame})`
    : undefined);
  sink.add(arpFields.duplicateFrame, offset, 0, earlier.frame, GENERATED);
  ctx.note({ severity: 'warn', group: 'sequence', message: `Duplicate IP address configured (${ipStr})` });
  sink.add(arpFields.duplicateDetected, offset, 0, null, GENERATED, `Duplicate IP address configured (${ipStr})`);
  sink.add(arpFields.duplicateSeconds, offset, 0, ctx.frame.tsSec - earlier.sec, GENERATED);
  sink.close();
}

function equalBytes(b: Uint8Array, a: number, c: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (b[a + i] !== b[c + i]) return false;
  return true;
}

function allZero(b: Uint8Array, at: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (b[at + i] !== 0) return false;
  return true;
}

/** ARP shrinks its data to the addresses (Wireshark: tvb_set_reported_length): the rest is padding. */
function arpLength(ctx: DissectContext, offset: number, end: number): number {
  if (offset + 6 > ctx.bytes.length) return -1;
  const total = 8 + 2 * ctx.bytes[offset + 4] + 2 * ctx.bytes[offset + 5];
  return offset + total <= end ? total : -1;
}

// RARP (RFC 903) shares the format; Wireshark hands 0x8035 to the same dissector.
for (const type of [0x0806, 0x8035]) {
  etherTypes.set(type, dissectArp);
  etherTypeLengths.set(type, arpLength);
}
