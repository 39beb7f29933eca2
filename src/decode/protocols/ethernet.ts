/**
 * Ethernet (link type 1): Ethernet II frames dispatched by EtherType, IEEE 802.3 length frames
 * handed to LLC, and Wireshark's `ethertype` step shared by every link layer that carries an
 * EtherType (VLAN tags, Linux SLL, …): the type field, dispatch through `etherTypes`, unknown
 * types as data, then the padding / trailer / FCS that follow the network-layer PDU.
 *
 * Offsets and ends: a dissector gets `[offset, end)` where `end` is where the PDU ends on the
 * wire (its reported length); the captured bytes may stop earlier (ctx.bytes.length). The link
 * layer starts with the frame's original length as its reported end, as Wireshark's tvb does.
 * Isomorphic.
 */
import type { DissectContext } from '../context.js';
import { defineField, defineProtocol, type FieldDef } from '../fields/types.js';
import { macText } from '../fields/address-text.js';
import { etherTypes, linkTypes } from '../registry.js';
import { HIDDEN } from '../sink.js';
import { dissectData } from './data.js';
import { ETHERTYPE_NAMES } from './ethernet-types.js';
import { need, protocolWarning } from './ip-damage.js';
import { wantsAny } from '../sink.js';

export const ethProto = defineProtocol('eth', 'Ethernet');
const LG_TF = ['Locally administered address (this is NOT the factory default)', 'Globally unique address (factory default)'] as const;
const IG_TF = ['Group address (multicast/broadcast)', 'Individual address (unicast)'] as const;

export const ethFields = {
  dst: defineField({ name: 'eth.dst', label: 'Destination', type: 'ether' }),
  src: defineField({ name: 'eth.src', label: 'Source', type: 'ether' }),
  addr: defineField({ name: 'eth.addr', label: 'Address', type: 'ether' }),
  dstResolved: defineField({ name: 'eth.dst_resolved', label: 'Destination (resolved)', type: 'string' }),
  srcResolved: defineField({ name: 'eth.src_resolved', label: 'Source (resolved)', type: 'string' }),
  addrResolved: defineField({ name: 'eth.addr_resolved', label: 'Address (resolved)', type: 'string' }),
  dstOui: defineField({ name: 'eth.dst.oui', label: 'Destination OUI', type: 'uint', bits: 24 }),
  srcOui: defineField({ name: 'eth.src.oui', label: 'Source OUI', type: 'uint', bits: 24 }),
  addrOui: defineField({ name: 'eth.addr.oui', label: 'Address OUI', type: 'uint', bits: 24 }),
  dstLg: defineField({ name: 'eth.dst.lg', label: 'LG bit', type: 'bool', bits: 24, bitmask: 0x20000, trueFalse: LG_TF }),
  dstIg: defineField({ name: 'eth.dst.ig', label: 'IG bit', type: 'bool', bits: 24, bitmask: 0x10000, trueFalse: IG_TF }),
  srcLg: defineField({ name: 'eth.src.lg', label: 'LG bit', type: 'bool', bits: 24, bitmask: 0x20000, trueFalse: LG_TF }),
  srcIg: defineField({ name: 'eth.src.ig', label: 'IG bit', type: 'bool', bits: 24, bitmask: 0x10000, trueFalse: IG_TF }),
  lg: defineField({ name: 'eth.lg', label: 'LG bit', type: 'bool', bits: 24, bitmask: 0x20000, trueFalse: LG_TF }),
  ig: defineField({ name: 'eth.ig', label: 'IG bit', type: 'bool', bits: 24, bitmask: 0x10000, trueFalse: IG_TF }),
  type: defineField({ name: 'eth.type', label: 'Type', type: 'uint', base: 'hex', bits: 16, valueStrings: ETHERTYPE_NAMES }),
  len: defineField({ name: 'eth.len', label: 'Length', type: 'uint', bits: 16 }),
  invalidLentype: defineField({ name: 'eth.invalid_lentype', label: 'Invalid length/type', type: 'uint', base: 'hex_dec', bits: 16 }),
  padding: defineField({ name: 'eth.padding', label: 'Padding', type: 'bytes' }),
  trailer: defineField({ name: 'eth.trailer', label: 'Trailer', type: 'bytes' }),
  fcs: defineField({ name: 'eth.fcs', label: 'Frame check sequence', type: 'uint', base: 'hex', bits: 32 }),
  fcsStatus: defineField({
    name: 'eth.fcs.status', label: 'FCS Status', type: 'uint', bits: 8,
    valueStrings: { 0: 'Bad', 1: 'Good', 2: 'Unverified', 3: 'Not present', 4: 'Illegal' },
  }),
};

/** `ethertype` is a protocol of its own in frame.protocols ("eth:ethertype:ip"), with no tree node. */
export const ethertypeProto = defineProtocol('ethertype', 'Ethertype');

/**
 * How long the PDU starting at `offset` says it is, for the link layer's padding/trailer (what
 * Wireshark's dissectors do with set_actual_length): a byte count, or -1 when the PDU does not
 * shrink its data (unknown, damaged, or it claims more than there is). Registered next to the
 * EtherType dissector by the protocols that have a length (IPv4, IPv6, ARP).
 */
export type PduLength = (ctx: DissectContext, offset: number, end: number) => number;
export const etherTypeLengths = new Map<number, PduLength>();

/** Where a link layer's PDU ends on the wire: the frame's original length at the top level. */
export function linkReportedEnd(ctx: DissectContext, end: number): number {
  if (ctx.source === null && end === ctx.bytes.length && ctx.frame.origLen > end) return ctx.frame.origLen;
  return end;
}

/** Wireshark's "ff:ff:ff:ff:ff:ff" etc.: with -n the columns show raw MACs. */
export function macAt(ctx: DissectContext, offset: number): string {
  return macText(ctx.bytes, offset);
}

/** Every field addMac reports: when a sink keeps none of them, the MACs cost nothing. */
const MAC_FIELDS: readonly FieldDef[] = [
  ethFields.dst, ethFields.src, ethFields.addr, ethFields.dstResolved, ethFields.srcResolved, ethFields.addrResolved,
  ethFields.dstOui, ethFields.srcOui, ethFields.addrOui, ethFields.dstLg, ethFields.dstIg, ethFields.srcLg,
  ethFields.srcIg, ethFields.lg, ethFields.ig,
];
const RESOLVED_FIELDS: readonly FieldDef[] = [ethFields.dstResolved, ethFields.srcResolved, ethFields.addrResolved];
/** The per-address children beyond eth.addr (resolved names, OUI, LG/IG bits). */
const MAC_DETAIL_FIELDS: readonly FieldDef[] = MAC_FIELDS.slice(3);

/** Adds a MAC address field with Wireshark's children (eth.addr, OUI, LG/IG bits). */
function addMac(ctx: DissectContext, field: FieldDef, offset: number, isDst: boolean, str: string): void {
  const { sink, bytes } = ctx;
  if (!wantsAny(sink, MAC_FIELDS)) return;
  const mac = bytes.subarray(offset, offset + 6);
  const text = sink.wantsText;
  sink.open(field, offset, 6, mac, 0, text ? `${field.label}: ${str}` : undefined);
  if (!wantsAny(sink, MAC_DETAIL_FIELDS)) {
    sink.add(ethFields.addr, offset, 6, mac);
    sink.close();
    return;
  }
  const oui = (bytes[offset] << 16) | (bytes[offset + 1] << 8) | bytes[offset + 2];
  const ouiText = text ? str.slice(0, 8) : undefined;
  sink.add(isDst ? ethFields.dstResolved : ethFields.srcResolved, offset, 6, str, HIDDEN);
  sink.add(isDst ? ethFields.dstOui : ethFields.srcOui, offset, 3, oui, HIDDEN,
    text ? `${isDst ? 'Destination' : 'Source'} OUI: ${ouiText}` : undefined);
  sink.add(ethFields.addr, offset, 6, mac, 0, text ? `Address: ${str}` : undefined);
  sink.add(ethFields.addrResolved, offset, 6, str, HIDDEN);
  sink.add(ethFields.addrOui, offset, 3, oui, HIDDEN, text ? `Address OUI: ${ouiText}` : undefined);
  const lg = (bytes[offset] & 2) !== 0;
  const ig = (bytes[offset] & 1) !== 0;
  sink.add(isDst ? ethFields.dstLg : ethFields.srcLg, offset, 3, lg);
  sink.add(ethFields.lg, offset, 3, lg, HIDDEN);
  sink.add(isDst ? ethFields.dstIg : ethFields.srcIg, offset, 3, ig);
  sink.add(ethFields.ig, offset, 3, ig, HIDDEN);
  sink.close();
}

/** Ethernet link type: Ethernet II or IEEE 802.3 by the length/type field. */
export function dissectEthernet(ctx: DissectContext, offset: number, end: number): void {
  dissectEthernetFrame(ctx, offset, end, -1);
}

/**
 * An Ethernet frame with a known FCS convention (`fcsLen` as in dissectEthertype): -1 for
 * capture files (Wireshark guesses), 0 for frames carried inside other protocols.
 */
export function dissectEthernetFrame(ctx: DissectContext, offset: number, end: number, fcsLen: number): void {
  const rend = linkReportedEnd(ctx, end);
  const { sink, bytes } = ctx;
  ctx.protocols.push('eth');
  ctx.setProtocol('Ethernet');
  ctx.setInfo('');
  const have = Math.min(bytes.length, rend) - offset;
  if (have < 14) {
    // Wireshark reads the addresses first: what is captured of them is still shown.
    sink.open(ethProto, offset, Math.max(0, Math.min(have, 14)), null, 0, sink.wantsText ? 'Ethernet II' : undefined);
    if (have >= 6) addMac(ctx, ethFields.dst, offset, true, macAt(ctx, offset));
    if (have >= 12) {
      addMac(ctx, ethFields.src, offset + 6, false, macAt(ctx, offset + 6));
      ctx.setAddresses(macAt(ctx, offset + 6), macAt(ctx, offset));
    }
    need(ctx, 'Ethernet', have < 6 ? 'eth.dst' : have < 12 ? 'eth.src' : 'eth.type', offset + (have < 6 ? 0 : have < 12 ? 6 : 12),
      have < 6 ? 6 : have < 12 ? 6 : 2, rend);
    sink.close();
    return;
  }
  const lenType = (bytes[offset + 12] << 8) | bytes[offset + 13];
  // The address strings are only built for someone who reads them (columns, tree, *_resolved).
  const strings = ctx.wantsColumns || wantsAny(sink, RESOLVED_FIELDS);
  const src = strings ? macAt(ctx, offset + 6) : '';
  const dst = strings ? macAt(ctx, offset) : '';
  ctx.setAddresses(src, dst);

  if (lenType <= 1500) {
    dissect8023(ctx, offset, rend, lenType, src, dst);
    return;
  }
  if (lenType < 1536) {
    // Neither a length nor an EtherType (IEEE 802.3 says 1501..1535 are undefined).
    sink.open(ethProto, offset, 14, null, 0, sink.wantsText ? 'Ethernet Unknown' : undefined);
    addMac(ctx, ethFields.dst, offset, true, dst);
    addMac(ctx, ethFields.src, offset + 6, false, src);
    sink.add(ethFields.invalidLentype, offset + 12, 2, lenType);
    const message = `Invalid length/type: 0x${lenType.toString(16).padStart(4, '0')} (${lenType})`;
    protocolWarning(ctx, message);
    sink.close();
    ctx.setInfo(`Ethernet Unknown: ${message}`);
    dissectData(ctx, offset + 14, rend);
    return;
  }
  // Wireshark's Info until a payload decoder says more (it stays for unnamed EtherTypes).
  ctx.setInfo('Ethernet II');
  sink.open(ethProto, offset, 14, null, 0, sink.wantsText ? `Ethernet II, Src: ${src}, Dst: ${dst}` : undefined);
  addMac(ctx, ethFields.dst, offset, true, dst);
  addMac(ctx, ethFields.src, offset + 6, false, src);
  dissectEthertype(ctx, lenType, offset + 12, ethFields.type, offset + 14, rend, ethFields.trailer, fcsLen, offset);
}

/** IEEE 802.3: the length field bounds the LLC PDU; whatever follows is padding/trailer. */
function dissect8023(ctx: DissectContext, offset: number, rend: number, length: number, src: string, dst: string): void {
  const { sink } = ctx;
  sink.open(ethProto, offset, 14, null, 0, sink.wantsText ? 'IEEE 802.3 Ethernet ' : undefined);
  addMac(ctx, ethFields.dst, offset, true, dst);
  addMac(ctx, ethFields.src, offset + 6, false, src);
  sink.add(ethFields.len, offset + 12, 2, length);
  const payload = offset + 14;
  let llcEnd = payload + length;
  if (llcEnd > rend) {
    // Wireshark: "Length field value goes past the end of the payload"; the LLC gets what is there.
    protocolWarning(ctx, 'Length field value goes past the end of the payload');
    llcEnd = rend;
  }
  addTrailer(ctx, ethFields.trailer, llcEnd, rend, -1, offset);
  sink.close();
  dissectLlcAt(ctx, payload, llcEnd);
}

/** Set by llc.ts (imports would otherwise be circular: LLC/SNAP dispatches EtherTypes too). */
let llcDissector: ((ctx: DissectContext, offset: number, end: number) => void) | null = null;
export function registerLlc(d: (ctx: DissectContext, offset: number, end: number) => void): void {
  llcDissector = d;
}
export function dissectLlcAt(ctx: DissectContext, offset: number, end: number): void {
  if (llcDissector) llcDissector(ctx, offset, end);
  else dissectData(ctx, offset, end);
}

/**
 * Wireshark's ethertype dissector. The caller has opened its own tree (eth, vlan, sll …): the
 * type field and the padding/trailer/FCS after the PDU go into it, then it is closed and the
 * payload is dispatched. `fcsLen`: 4 = the frame has an FCS, 0 = it has none, -1 = unknown
 * (Wireshark guesses: frames of 64 bytes or more with 4 spare bytes end with one).
 */
export function dissectEthertype(
  ctx: DissectContext,
  etype: number,
  typeOffset: number,
  typeField: FieldDef,
  payload: number,
  rend: number,
  trailerField: FieldDef,
  fcsLen: number,
  linkStart = 0,
): void {
  const { sink } = ctx;
  ctx.protocols.push('ethertype');
  // typeOffset < 0: the caller already put the type in its tree (SLL2 has it first).
  if (typeOffset >= 0) sink.add(typeField, typeOffset, 2, etype);
  const lengthOf = etherTypeLengths.get(etype);
  const pduLen = lengthOf ? lengthOf(ctx, payload, rend) : -1;
  if (pduLen >= 0 && payload + pduLen < rend) addTrailer(ctx, trailerField, payload + pduLen, rend, fcsLen, linkStart);
  sink.close();

  const next = etherTypes.get(etype);
  // A decoder may refuse the packet (returns false: IPv6 with another version number): then, as
  // Wireshark does, the payload is shown as data like an unknown type.
  if (next && (next as (c: DissectContext, o: number, e: number) => boolean | void)(ctx, payload, rend) !== false) return;
  dissectData(ctx, payload, rend);
  ctx.setProtocol(`0x${etype.toString(16).padStart(4, '0')}`);
  const name = ETHERTYPE_NAMES[etype];
  if (name !== undefined) ctx.setInfo(name);
}

/**
 * Wireshark's add_ethernet_trailer: bytes after the PDU are padding up to the 60-byte minimum
 * frame, then an FCS when known or guessed, and the rest a trailer. `linkStart` is where the
 * tvb the heuristic looks at starts (the Ethernet header for Ethernet, the tag for VLAN).
 */
function addTrailer(
  ctx: DissectContext,
  trailerField: FieldDef,
  start: number,
  rend: number,
  fcsLen: number,
  linkStart: number,
): void {
  const { sink, bytes } = ctx;
  if (start >= bytes.length) return; // none of it captured: nothing to show
  let reported = rend - start;
  let captured = Math.min(bytes.length, rend) - start;
  const pktLen = ctx.source === null ? Math.max(ctx.frame.origLen, bytes.length) : rend;
  let padding = 0;
  if (pktLen >= 60 && pktLen - reported < 60) {
    padding = Math.min(60 - (pktLen - reported), captured);
    // Wireshark's default ("Zeros"): only all-zero bytes count as padding; anything else is
    // left to the trailer.
    for (let i = 0; i < padding; i++) {
      if (bytes[start + i] !== 0) {
        padding = 0;
        break;
      }
    }
    if (padding > 0) {
      sink.add(ethFields.padding, start, padding, bytes.subarray(start, start + padding));
      captured -= padding;
      reported -= padding;
    }
  }
  let hasFcs = false;
  if (fcsLen === 4 || (fcsLen < 0 && rend - linkStart >= 64 && reported >= 4)) {
    reported -= 4;
    if (captured > reported) captured = reported;
    hasFcs = true;
  }
  const tStart = start + padding;
  if (captured > 0) sink.add(trailerField, tStart, captured, bytes.subarray(tStart, tStart + captured));
  if (hasFcs) {
    const fcsAt = tStart + reported;
    if (fcsAt + 4 <= bytes.length) {
      const fcs = ((bytes[fcsAt] << 24) | (bytes[fcsAt + 1] << 16) | (bytes[fcsAt + 2] << 8) | bytes[fcsAt + 3]) >>> 0;
      sink.add(ethFields.fcs, fcsAt, 4, fcs, 0,
        sink.wantsText ? `Frame check sequence: 0x${fcs.toString(16).padStart(8, '0')} [unverified]` : undefined);
      sink.add(ethFields.fcsStatus, fcsAt, 0, 2, 0, sink.wantsText ? 'FCS Status: Unverified' : undefined);
    }
  }
}

linkTypes.set(1, dissectEthernet);
