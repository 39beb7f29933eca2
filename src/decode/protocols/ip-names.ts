/**
 * Names of IP protocol numbers as Wireshark 4.0 prints them (its `ipproto_val` table, which
 * covers 0..224; the IANA "Unassigned" numbers below 225 print as "Unassigned", everything
 * above as "Unknown"). Shared by IPv4 (`ip.proto`), IPv6 (`ipv6.nxt` and the extension
 * headers' next-header fields) and the fragment Info text. Also the DSCP/ECN names both IP
 * versions use. Isomorphic, data only.
 */

import { defineField } from '../fields/types.js';

const NAMED: Record<number, string> = {
  0: "IPv6 Hop-by-Hop Option",
  1: "ICMP",
  2: "IGMP",
  3: "GGP",
  4: "IPIP",
  5: "Stream",
  6: "TCP",
  7: "CBT",
  8: "EGP",
  9: "IGRP",
  10: "BBN RCC",
  11: "Network Voice",
  12: "PUP",
  13: "ARGUS",
  14: "EMCON",
  15: "XNET",
  16: "CHAOS",
  17: "UDP",
  18: "Multiplex",
  19: "DCN Measurement",
  20: "Host Monitoring",
  21: "Packet radio",
  22: "IDP",
  23: "Trunk-1",
  24: "Trunk-2",
  25: "Leaf-1",
  26: "Leaf-2",
  27: "Reliable Data",
  28: "IRT",
  29: "ISO TP4",
  30: "Bulk Data",
  31: "MFE NSP",
  32: "Merit Internodal",
  33: "Datagram Congestion Control Protocol",
  34: "3rd Party Connect",
  35: "Inter-Domain Policy Routing Protocol",
  36: "XTP",
  37: "Datagram delivery",
  38: "Control Message",
  39: "TP++",
  40: "IL",
  41: "IPv6",
  42: "Source demand routing",
  43: "Routing Header for IPv6",
  44: "Fragment Header for IPv6",
  45: "Inter-Domain Routing Protocol",
  46: "Reservation Protocol",
  47: "Generic Routing Encapsulation",
  48: "Dynamic source routing",
  49: "BNA",
  50: "Encap Security Payload",
  51: "Authentication Header",
  52: "INSLP",
  53: "SWIPE",
  54: "NBMA ARP",
  55: "IP Mobility",
  56: "TLSP Kryptonet",
  57: "SKIP",
  58: "ICMPv6",
  59: "No Next Header for IPv6",
  60: "Destination Options for IPv6",
  61: "any host internal protocol",
  62: "Mobile IPv6 (old)",
  63: "any local network",
  64: "SATNET EXPAK",
  65: "Kryptolan",
  66: "Remote Virtual Disk",
  67: "IPPC",
  68: "any distributed file system",
  69: "SATNET Monitoring",
  70: "VISA",
  71: "IPCV",
  72: "CPNX",
  73: "CPHB",
  74: "Wang Span",
  75: "Packet Video",
  76: "Backroom SATNET Mon",
  77: "Sun ND Protocol",
  78: "Wideband Mon",
  79: "Wideband Expak",
  80: "ISO Internet Protocol",
  81: "VMTP",
  82: "Secure VMTP",
  83: "VINES",
  84: "TTP",
  85: "NSFNET IGP",
  86: "Dissimilar Gateway",
  87: "TCF",
  88: "EIGRP",
  89: "OSPF IGP",
  90: "Sprite RPC",
  91: "Locus ARP",
  92: "Multicast Transport",
  93: "AX.25 Frames",
  94: "IP in IP",
  95: "MICP",
  96: "Semaphore",
  97: "Ether in IP",
  98: "ENCAP",
  99: "any private encryption scheme",
  100: "GMTP",
  101: "Ipsilon Flow",
  102: "PNNI over IP",
  103: "PIM",
  104: "ARIS",
  105: "SCPS",
  106: "QNX",
  107: "Active Networks",
  108: "IPComp",
  109: "Sitara Networks",
  110: "Compaq Peer",
  111: "IPX IN IP",
  112: "VRRP",
  113: "PGM",
  114: "any 0-hop protocol",
  115: "Layer 2 Tunneling",
  116: "DDX",
  117: "IATP",
  118: "STP",
  119: "SpectraLink",
  120: "UTI",
  121: "SMP",
  122: "SM",
  123: "PTP",
  124: "ISIS over IP",
  125: "FIRE",
  126: "CRTP",
  127: "CRUDP",
  128: "SSCOPMCE",
  129: "IPLT",
  130: "Secure Packet",
  131: "PIPE",
  132: "SCTP",
  133: "Fibre Channel",
  134: "RSVP E2EI",
  135: "Mobile IPv6",
  136: "UDPLite",
  137: "MPLS in IP",
  138: "MANET",
  139: "HIP",
  140: "Shim6 header",
  141: "WESP",
  142: "ROHC",
  143: "Ethernet",
  173: "AX/4000 Testframe",
  224: "Novell NCS Heartbeat",
};

/** Wireshark's value-string table for protocol numbers (used as FieldDef.valueStrings). */
export const IP_PROTOCOL_NAMES: Readonly<Record<number, string>> = (() => {
  const out: Record<number, string> = {};
  for (let i = 0; i <= 224; i++) out[i] = NAMED[i] ?? 'Unassigned';
  return out;
})();

/** Wireshark's `ipprotostr()`: the name, or "Unknown" past the table. */
export function ipProtocolName(proto: number): string {
  return IP_PROTOCOL_NAMES[proto] ?? 'Unknown';
}

/** RFC 2474/4594/5865/8622 code point names (`ip.dsfield.dscp`, `ipv6.tclass.dscp`). */
export const DSCP_NAMES: Readonly<Record<number, string>> = {
  0: 'Default', 1: 'Lower Effort', 8: 'Class Selector 1', 10: 'Assured Forwarding 11',
  12: 'Assured Forwarding 12', 14: 'Assured Forwarding 13', 16: 'Class Selector 2',
  18: 'Assured Forwarding 21', 20: 'Assured Forwarding 22', 22: 'Assured Forwarding 23',
  24: 'Class Selector 3', 26: 'Assured Forwarding 31', 28: 'Assured Forwarding 32',
  30: 'Assured Forwarding 33', 32: 'Class Selector 4', 34: 'Assured Forwarding 41',
  36: 'Assured Forwarding 42', 38: 'Assured Forwarding 43', 40: 'Class Selector 5',
  44: 'Voice Admit', 46: 'Expedited Forwarding', 48: 'Class Selector 6', 56: 'Class Selector 7',
};

/** The short forms Wireshark puts in the DS field summary ("DSCP: CS0, ECN: Not-ECT"). */
const DSCP_SHORT: Readonly<Record<number, string>> = {
  0: 'CS0', 1: 'LE', 8: 'CS1', 10: 'AF11', 12: 'AF12', 14: 'AF13', 16: 'CS2', 18: 'AF21',
  20: 'AF22', 22: 'AF23', 24: 'CS3', 26: 'AF31', 28: 'AF32', 30: 'AF33', 32: 'CS4', 34: 'AF41',
  36: 'AF42', 38: 'AF43', 40: 'CS5', 44: 'VA', 46: 'EF', 48: 'CS6', 56: 'CS7',
};

export const ECN_NAMES: Readonly<Record<number, string>> = {
  0: 'Not ECN-Capable Transport', 1: "ECN-Capable Transport codepoint '01'",
  2: "ECN-Capable Transport codepoint '10'", 3: 'Congestion Experienced',
};

const ECN_SHORT = ['Not-ECT', 'ECT(1)', 'ECT(0)', 'CE'];

/** "DSCP: CS0, ECN: Not-ECT" for a traffic-class / DS byte. */
export function dsSummary(ds: number): string {
  return `DSCP: ${DSCP_SHORT[ds >> 2] ?? 'Unknown'}, ECN: ${ECN_SHORT[ds & 3]}`;
}

/**
 * Wireshark's text-only tree items ("Options: (12 bytes), Record Route", "Duplicate IP address
 * detected for …"): its `text` field, which has no value of its own.
 */
export const textItem = defineField({ name: 'text', label: 'Text item', type: 'none' });
