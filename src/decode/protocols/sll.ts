/**
 * Linux "cooked" captures (tcpdump -i any): SLL (link type 113, 16-byte header) and SLL2 (276,
 * 20-byte header with the interface index). Only the sender's link-layer address is known, so
 * the Destination column stays empty until a network layer fills it, as in tshark. The protocol
 * field is an EtherType when ≥ 1536 (Linux's own cut-off), else a Linux protocol number
 * (802.2 LLC, raw 802.3 …). Isomorphic.
 */
import type { DissectContext } from '../context.js';
import { defineField, defineProtocol } from '../fields/types.js';
import { formatIPv4, formatMac, hexBytes } from '../fields/format.js';
import { etherTypes, linkTypes } from '../registry.js';
import { dissectData } from './data.js';
import { dissectEthernet, dissectEthertype, dissectLlcAt, linkReportedEnd } from './ethernet.js';
import { ETHERTYPE_NAMES } from './ethernet-types.js';
import { need } from './ip-damage.js';

/** ARPHRD_* names (Wireshark's arphrd_vals; ARP's hardware types use the same table). */
export const HATYPE_NAMES: Readonly<Record<number, string>> = {
  0: "NET/ROM pseudo", 1: "Ethernet", 2: "Experimental Ethernet", 3: "AX.25", 4: "ProNET",
  5: "Chaos", 6: "IEEE 802", 7: "ARCNET", 8: "Hyperchannel", 9: "Lanstar",
  10: "Autonet Short Address", 11: "Localtalk", 12: "LocalNet", 13: "Ultra link", 14: "SMDS",
  15: "Frame Relay DLCI", 16: "ATM", 17: "HDLC", 18: "Fibre Channel", 19: "ATM (RFC 2225)",
  20: "Serial Line", 21: "ATM", 22: "MIL-STD-188-220", 23: "Metricom STRIP", 24: "IEEE 1394.1995",
  25: "MAPOS", 26: "Twinaxial", 27: "EUI-64", 28: "HIPARP", 29: "IP and ARP over ISO 7816-3",
  30: "ARPSec", 31: "IPsec tunnel", 32: "InfiniBand", 33: "TIA-102 Project 25 CAI",
  34: "Wiegand Interface", 35: "Pure IP", 36: "Experimental 1", 37: "HFI", 256: "Experimental 2",
  257: "AEthernet", 260: "Notional KISS type", 264: "ADAPT", 270: "ROSE", 271: "CCITT X.25",
  272: "Boards with X.25 in firmware", 280: "Controller Area Network", 512: "PPP",
  513: "Cisco HDLC", 516: "LAPB", 517: "Digital's DDCMP protocol", 518: "Raw HDLC", 519: "Raw IP",
  768: "IPIP tunnel", 769: "IP6IP6 tunnel", 770: "Frame Relay Access Device", 771: "SKIP vif",
  772: "Loopback", 774: "Fiber Distributed Data Interface", 775: "AP1000 BIF",
  776: "sit0 device - IPv6-in-IPv4", 777: "IP over DDP tunneller", 778: "GRE over IP",
  779: "PIMSM register interface", 780: "High Performance Parallel Interface",
  781: "Nexus 64Mbps Ash", 782: "Acorn Econet", 783: "Linux-IrDA",
  784: "Point to point fibrechannel", 785: "Fibrechannel arbitrated loop",
  786: "Fibrechannel public loop", 787: "Fibrechannel fabric", 800: "Magic type ident for TR",
  801: "IEEE 802.11", 802: "IEEE 802.11 + Prism2 header", 803: "IEEE 802.11 + radiotap header",
  804: "IEEE 802.15.4", 805: "IEEE 802.15.4 network monitor", 820: "PhoNet media type",
  821: "PhoNet pipe header", 822: "CAIF media type", 823: "GRE over IPv6", 824: "Netlink",
  825: "IPv6 over LoWPAN", 826: "Vsock monitor header", 65535: "Void type, nothing is known",
  65534: "zero header length",
};

const ARPHRD_ETHER = 1;
const ARPHRD_LOOPBACK = 772;
const ARPHRD_IEEE80211_RADIOTAP = 803;
const ARPHRD_IPGRE = 778;
const ARPHRD_NETLINK = 824;

export const sllProto = defineProtocol('sll', 'Linux cooked-mode capture');
export const sllFields = {
  pkttype: defineField({
    name: 'sll.pkttype', label: 'Packet type', type: 'uint', bits: 16,
    valueStrings: { 0: 'Unicast to us', 1: 'Broadcast', 2: 'Multicast', 3: 'Unicast to another host', 4: 'Sent by us' },
  }),
  hatype: defineField({ name: 'sll.hatype', label: 'Link-layer address type', type: 'uint', bits: 16, valueStrings: HATYPE_NAMES }),
  halen: defineField({ name: 'sll.halen', label: 'Link-layer address length', type: 'uint', bits: 16 }),
  srcEth: defineField({ name: 'sll.src.eth', label: 'Source', type: 'ether' }),
  srcIpv4: defineField({ name: 'sll.src.ipv4', label: 'Source', type: 'ipv4' }),
  srcOther: defineField({ name: 'sll.src.other', label: 'Source', type: 'bytes' }),
  unused: defineField({ name: 'sll.unused', label: 'Unused', type: 'bytes' }),
  ltype: defineField({
    name: 'sll.ltype', label: 'Protocol', type: 'uint', base: 'hex', bits: 16,
    valueStrings: {
      0x1: 'Raw 802.3', 0x3: 'Ethernet', 0x4: '802.2 LLC', 0x7: 'PPP (HDLC)', 0xc: 'CAN', 0xd: 'CAN FD',
      0x17: 'IrDA LAP', 0xf5: 'ISI', 0xf6: 'IEEE 802.15.4',
    },
  }),
  gretype: defineField({
    name: 'sll.gretype', label: 'Protocol', type: 'uint', base: 'hex', bits: 16,
    valueStrings: {
      0x0000: 'Possible GRE keepalive packet', 0x0800: 'IP', 0x0806: 'ARP', 0x86dd: 'IPv6', 0x6558: 'Transparent Ethernet bridging',
      0x880b: 'PPP', 0x8847: 'MPLS label switched packet', 0x88be: 'ERSPAN', 0x22eb: 'ERSPAN III', 0x8137: 'IPX',
      0x2000: 'CDP (Cisco)', 0x2001: 'NHRP', 0x883e: 'WCCP', 0x6559: 'Frame Relay', 0x00fe: 'OSI',
    },
  }),
  etype: defineField({ name: 'sll.etype', label: 'Protocol', type: 'uint', base: 'hex', bits: 16, valueStrings: ETHERTYPE_NAMES }),
  trailer: defineField({ name: 'sll.trailer', label: 'Trailer', type: 'bytes' }),
  ifindex: defineField({ name: 'sll.ifindex', label: 'Interface index', type: 'uint', bits: 32 }),
};

const u16 = (b: Uint8Array, o: number) => (b[o] << 8) | b[o + 1];

/** Source address (8-byte slot, `halen` of it used) plus Wireshark's "Unused" remainder. */
function addAddress(ctx: DissectContext, at: number, hatype: number, halen: number): void {
  const { sink, bytes } = ctx;
  const len = Math.min(halen, 8);
  if (len === 6 && (hatype === ARPHRD_ETHER || hatype === ARPHRD_LOOPBACK || hatype === ARPHRD_IEEE80211_RADIOTAP)) {
    sink.add(sllFields.srcEth, at, 6, bytes.subarray(at, at + 6));
    ctx.setAddresses(formatMac(bytes, at), '');
  } else if (len === 4 && hatype === ARPHRD_IPGRE) {
    const v = ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
    sink.add(sllFields.srcIpv4, at, 4, v);
    ctx.setAddresses(formatIPv4(v), '');
  } else if (len > 0) {
    sink.add(sllFields.srcOther, at, len, bytes.subarray(at, at + len));
    ctx.setAddresses(hexBytes(bytes.subarray(at, at + len), ':'), '');
  }
  if (len < 8) sink.add(sllFields.unused, at + len, 8 - len, bytes.subarray(at + len, at + 8));
}

/** Hands the payload on by the protocol field, as Wireshark's sll dissector does. */
function dispatch(ctx: DissectContext, protoAt: number, proto: number, hatype: number, payload: number, rend: number, start: number): void {
  const { sink } = ctx;
  if (hatype === ARPHRD_IPGRE || hatype === ARPHRD_NETLINK) {
    sink.add(sllFields.gretype, protoAt, 2, proto);
    sink.close();
    dispatchGre(ctx, proto, hatype, payload, rend);
    return;
  }
  if (proto <= 1536) {
    sink.add(sllFields.ltype, protoAt, 2, proto);
    sink.close();
    if (proto === 0x0004) dissectLlcAt(ctx, payload, rend);
    else if (proto === 0x0003) dissectEthernet(ctx, payload, rend);
    else dissectData(ctx, payload, rend);
    return;
  }
  // Ethertype step with sll.trailer for what follows the PDU and no FCS.
  dissectEthertype(ctx, proto, protoAt, sllFields.etype, payload, rend, sllFields.trailer, 0, start);
}

/**
 * GRE tunnels (ARPHRD_IPGRE) carry a GRE protocol type, which Wireshark looks up in its GRE
 * table: the EtherType decoders, with no `ethertype` layer in between ("sll:ipv6:udp").
 */
function dispatchGre(ctx: DissectContext, proto: number, hatype: number, payload: number, rend: number): void {
  const next = hatype === ARPHRD_IPGRE ? etherTypes.get(proto) : undefined;
  if (next) next(ctx, payload, rend);
  else dissectData(ctx, payload, rend);
}

function begin(ctx: DissectContext): void {
  ctx.protocols.push('sll');
  ctx.setProtocol('SLL');
  ctx.setInfo('');
}

export function dissectSll(ctx: DissectContext, offset: number, end: number): void {
  const rend = linkReportedEnd(ctx, end);
  const { sink, bytes } = ctx;
  begin(ctx);
  sink.open(sllProto, offset, Math.max(0, Math.min(16, ctx.remaining(offset))), null, 0,
    sink.wantsText ? 'Linux cooked capture v1' : undefined);
  if (!need(ctx, 'SLL', 'sll header', offset, 16, rend)) {
    sink.close();
    return;
  }
  const pkttype = u16(bytes, offset);
  const hatype = u16(bytes, offset + 2);
  const halen = u16(bytes, offset + 4);
  sink.add(sllFields.pkttype, offset, 2, pkttype);
  sink.add(sllFields.hatype, offset + 2, 2, hatype);
  sink.add(sllFields.halen, offset + 4, 2, halen);
  addAddress(ctx, offset + 6, hatype, halen);
  dispatch(ctx, offset + 14, u16(bytes, offset + 14), hatype, offset + 16, rend, offset);
}

export function dissectSll2(ctx: DissectContext, offset: number, end: number): void {
  const rend = linkReportedEnd(ctx, end);
  const { sink, bytes } = ctx;
  begin(ctx);
  sink.open(sllProto, offset, Math.max(0, Math.min(20, ctx.remaining(offset))), null, 0,
    sink.wantsText ? 'Linux cooked capture v2' : undefined);
  if (!need(ctx, 'SLL', 'sll header', offset, 20, rend)) {
    sink.close();
    return;
  }
  const proto = u16(bytes, offset);
  const ifindex = ((bytes[offset + 4] << 24) | (bytes[offset + 5] << 16) | (bytes[offset + 6] << 8) | bytes[offset + 7]) >>> 0;
  const hatype = u16(bytes, offset + 8);
  const pkttype = bytes[offset + 10];
  const halen = bytes[offset + 11];
  // The protocol field comes first in SLL2, but Wireshark adds it to the tree first as well.
  const protoField = hatype === ARPHRD_IPGRE || hatype === ARPHRD_NETLINK ? sllFields.gretype
    : proto <= 1536 ? sllFields.ltype : null;
  if (protoField) sink.add(protoField, offset, 2, proto);
  else sink.add(sllFields.etype, offset, 2, proto);
  sink.add(sllFields.ifindex, offset + 4, 4, ifindex);
  sink.add(sllFields.hatype, offset + 8, 2, hatype);
  sink.add(sllFields.pkttype, offset + 10, 1, pkttype);
  sink.add(sllFields.halen, offset + 11, 1, halen);
  addAddress(ctx, offset + 12, hatype, halen);
  dispatchSll2(ctx, proto, hatype, offset + 20, rend, offset);
}

/** SLL2 already put the protocol field in the tree: dispatch without adding it again. */
function dispatchSll2(ctx: DissectContext, proto: number, hatype: number, payload: number, rend: number, start: number): void {
  if (hatype === ARPHRD_IPGRE || hatype === ARPHRD_NETLINK) {
    ctx.sink.close();
    dispatchGre(ctx, proto, hatype, payload, rend);
    return;
  }
  if (proto <= 1536) {
    ctx.sink.close();
    if (proto === 0x0004 && hatype !== ARPHRD_IPGRE) dissectLlcAt(ctx, payload, rend);
    else if (proto === 0x0003 && hatype !== ARPHRD_IPGRE) dissectEthernet(ctx, payload, rend);
    else dissectData(ctx, payload, rend);
    return;
  }
  dissectEthertype(ctx, proto, -1, sllFields.etype, payload, rend, sllFields.trailer, 0, start);
}

linkTypes.set(113, dissectSll);
linkTypes.set(276, dissectSll2);
