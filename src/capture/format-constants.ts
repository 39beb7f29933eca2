/**
 * Numbers from the two capture-file specifications, shared by the readers and the writers.
 * Isomorphic (no node: imports).
 *
 * Classic pcap: https://www.tcpdump.org/manpages/pcap-savefile.5.html and
 *   draft-ietf-opsawg-pcap ("PCAP Capture File Format").
 * pcapng: draft-ietf-opsawg-pcapng ("PCAP Now Generic (pcapng) Capture File Format"),
 *   https://github.com/IETF-OPSAWG-WG/draft-ietf-opsawg-pcap
 */

/** Classic pcap magic numbers as read with the file's own byte order (pcap §4). */
export const PCAP_MAGIC_US = 0xa1b2c3d4;
export const PCAP_MAGIC_NS = 0xa1b23c4d;
/** The same magics read with the opposite byte order. */
export const PCAP_MAGIC_US_SWAPPED = 0xd4c3b2a1;
export const PCAP_MAGIC_NS_SWAPPED = 0x4d3cb2a1;
export const PCAP_FILE_HEADER_LEN = 24;
export const PCAP_RECORD_HEADER_LEN = 16;

/**
 * pcap §4 "LinkType and additional information": only the low 16 bits are the link type; bits
 * 16-25 are reserved (must be zero), bit 26 says the FCS length in bits 28-31 is present.
 */
export const PCAP_LINKTYPE_MASK = 0x0000ffff;
export const PCAP_LINKTYPE_RESERVED_MASK = 0x03ff0000;

/** pcapng §4 block types. */
export const BT_SHB = 0x0a0d0d0a;
export const BT_IDB = 0x00000001;
/** Obsolete Packet Block (pcapng appendix "Packet Block (obsolete!)"). */
export const BT_PB = 0x00000002;
export const BT_SPB = 0x00000003;
export const BT_NRB = 0x00000004;
export const BT_ISB = 0x00000005;
export const BT_EPB = 0x00000006;
export const BT_DSB = 0x0000000a;
export const BT_CUSTOM_COPY = 0x00000bad;
export const BT_CUSTOM_NOCOPY = 0x40000bad;

/** pcapng §4.1 Section Header Block byte-order magic. */
export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

/** Smallest legal block: type + total length + trailing total length (pcapng §3.1). */
export const MIN_BLOCK_LEN = 12;
export const MIN_SHB_LEN = 28;
export const MIN_IDB_LEN = 20;
export const MIN_EPB_LEN = 32;
export const MIN_PB_LEN = 32;
export const MIN_SPB_LEN = 16;

/** pcapng §3.5 option codes we use. */
export const OPT_ENDOFOPT = 0;
export const OPT_COMMENT = 1;
export const OPT_IF_NAME = 2;
export const OPT_IF_DESCRIPTION = 3;
export const OPT_IF_TSRESOL = 9;
export const OPT_IF_TSOFFSET = 14;

/**
 * libwiretap's WTAP_MAX_PACKET_SIZE_STANDARD (wiretap/wtap.h): the largest captured length
 * Wireshark accepts for ordinary link types, and the "absurd" line of the issue (256 KiB).
 */
export const MAX_CAPLEN_STANDARD = 262144;
/** WTAP_MAX_PACKET_SIZE_DBUS: D-Bus messages can be 128 MiB. */
export const MAX_CAPLEN_DBUS = 128 * 1024 * 1024;
const LINKTYPE_DBUS = 231;

/**
 * Largest captured length a record may have, per link type — wiretap's
 * wtap_max_snaplen_for_encap() (wiretap/pcap-common.c): D-Bus gets 128 MiB, everything else
 * 256 KiB. A record above this is treated as corruption, not as a big packet.
 */
export function maxCapLenForLinkType(linkType: number): number {
  return linkType === LINKTYPE_DBUS ? MAX_CAPLEN_DBUS : MAX_CAPLEN_STANDARD;
}

/**
 * Largest block we accept at all — wiretap's pcapng MAX_BLOCK_SIZE: an EPB holding a maximal
 * D-Bus packet plus 128 KiB of options. Anything bigger is a corrupt length field.
 */
export const MAX_BLOCK_LEN = MIN_EPB_LEN + MAX_CAPLEN_DBUS + 131072;

/** Human names for messages. */
export function blockTypeName(type: number): string {
  switch (type) {
    case BT_SHB:
      return 'Section Header Block';
    case BT_IDB:
      return 'Interface Description Block';
    case BT_PB:
      return 'Packet Block';
    case BT_SPB:
      return 'Simple Packet Block';
    case BT_NRB:
      return 'Name Resolution Block';
    case BT_ISB:
      return 'Interface Statistics Block';
    case BT_EPB:
      return 'Enhanced Packet Block';
    case BT_DSB:
      return 'Decryption Secrets Block';
    case BT_CUSTOM_COPY:
    case BT_CUSTOM_NOCOPY:
      return 'Custom Block';
    default:
      return `block of type 0x${hex32(type)}`;
  }
}

/** "a Custom Block", "an Enhanced Packet Block". */
export function withArticle(name: string): string {
  return `${/^[AEIOU]/i.test(name) ? 'an' : 'a'} ${name}`;
}

export function hex32(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

/** Bytes of padding that bring `n` to a multiple of 4 (pcapng §3.1: every field is 32-bit aligned). */
export function pad4(n: number): number {
  return (4 - (n & 3)) & 3;
}
