/**
 * Where tshark's frame.len / frame.cap_len differ from the record lengths in the file.
 * Isomorphic.
 *
 * Our readers report the record exactly as stored (PacketRecord.capLen/origLen, and `data`
 * holds every stored byte). For a handful of link types libwiretap moves a fixed-size
 * pseudo-header out of the packet before dissection (pcap-common.c,
 * pcap_process_pseudo_header() / pcap_get_phdr_size()), so tshark's frame.len and
 * frame.cap_len are that much smaller. Code that must print tshark's numbers (the CLI's frame
 * fields, the corpus golden test) subtracts this.
 *
 * Not covered: ERF (197, variable-length pseudo-header), I2C (209), Nokia-variant ATM.
 */

import type { PacketRecord } from './types.js';

const PSEUDO_HEADER_LEN: ReadonlyMap<number, number> = new Map([
  [123, 4], // LINKTYPE_SUNATM: SUNATM_LEN (flags, VPI, VCI)
  [139, 4], // LINKTYPE_MTP2_WITH_PHDR: MTP2_HDR_LEN
  [144, 16], // LINKTYPE_LINUX_IRDA: IRDA_SLL_LEN
  [177, 16], // LINKTYPE_LINUX_LAPD: LAPD_SLL_LEN
  [196, 5], // LINKTYPE_SITA: SITA_HDR_LEN
  [201, 4], // LINKTYPE_BLUETOOTH_HCI_H4_WITH_PHDR: struct libpcap_bt_phdr
  [204, 1], // LINKTYPE_PPP_WITH_DIR: struct libpcap_ppp_phdr
  [245, 2], // LINKTYPE_NFC_LLCP: LLCP_HEADER_LEN
  [254, 4], // LINKTYPE_BLUETOOTH_LINUX_MONITOR: struct libpcap_bt_monitor_phdr
]);

/** Bytes libwiretap strips from the front of every packet of this link type (usually 0). */
export function wiretapPseudoHeaderLength(linkType: number): number {
  return PSEUDO_HEADER_LEN.get(linkType) ?? 0;
}

/** tshark's frame.len and frame.cap_len for a record. */
export function tsharkFrameLengths(rec: Pick<PacketRecord, 'linkType' | 'capLen' | 'origLen'>): { len: number; capLen: number } {
  const strip = wiretapPseudoHeaderLength(rec.linkType);
  return { len: rec.origLen - strip, capLen: rec.capLen - strip };
}
