/**
 * Classic pcap (libpcap savefile) record reader. Isomorphic.
 *
 * Format: draft-ietf-opsawg-pcap §4 (24-byte file header) and §5 (16-byte record header:
 * ts_sec, ts_usec|ts_nsec, caplen, len), in the byte order the magic number reveals.
 *
 * Acceptance rules mirror libwiretap (wiretap/libpcap.c), so that we read what tshark reads:
 * - major version < 2 is unsupported; versions 2.0–2.2 and 543.x (DG/UX) store caplen and len
 *   swapped, 2.3 maybe swapped (swapped when caplen > len) — libpcap_open/libpcap_read_header.
 * - the reserved bits 16-25 of the link-type field must be zero; the FCS bits (26-31) are
 *   masked off (pcap §4 "LinkType and additional information").
 * - caplen > the header's snaplen is accepted (wiretap treats it only as a hint during format
 *   detection, libpcap_try_record: "This is not a fatal error, and packets that have one such
 *   packet probably have thousands"); caplen > wtap_max_snaplen_for_encap() (256 KiB, 128 MiB
 *   for D-Bus) is corruption: "pcap: File has N-byte packet, bigger than maximum of 262144".
 * - caplen > len is accepted and reported as is.
 * Unlike wiretap we do not refuse link types it has no dissector for: the frames are listed
 * with their bytes (issue 2: "Frames of any other link type are still listed").
 *
 * Timestamps: a fraction ≥ 1 s (1e6 µs / 1e9 ns) is carried into the seconds, so tsNsec stays
 * in 0…999 999 999. (tshark prints such a fraction unnormalized, e.g. "…370.1000000000".)
 */

import {
  MAX_CAPLEN_STANDARD,
  PCAP_FILE_HEADER_LEN,
  PCAP_LINKTYPE_MASK,
  PCAP_LINKTYPE_RESERVED_MASK,
  PCAP_MAGIC_NS,
  PCAP_MAGIC_US,
  PCAP_RECORD_HEADER_LEN,
  hex32,
  maxCapLenForLinkType,
} from './format-constants.js';
import type { FormatReader, ReaderHost } from './reader-host.js';

/** How caplen and len are ordered in the record header (see the version rules above). */
const LenOrder = { Normal: 0, Swapped: 1, MaybeSwapped: 2 } as const;
type LenOrder = (typeof LenOrder)[keyof typeof LenOrder];

export class PcapReader implements FormatReader {
  headerDone = false;
  private le = true;
  private nanos = false;
  private linkType = 0;
  private maxCapLen = MAX_CAPLEN_STANDARD;
  private lenOrder: LenOrder = LenOrder.Normal;

  constructor(private readonly host: ReaderHost) {}

  /** True for the four classic pcap magics in either byte order. */
  static sniff(view: DataView, pos: number): boolean {
    const be = view.getUint32(pos, false);
    const le = view.getUint32(pos, true);
    return be === PCAP_MAGIC_US || be === PCAP_MAGIC_NS || le === PCAP_MAGIC_US || le === PCAP_MAGIC_NS;
  }

  get nanosecond(): boolean {
    return this.nanos;
  }

  describeTruncation(have: number): string {
    if (!this.headerDone) {
      return `the file ends inside the 24-byte pcap file header (only ${have} bytes present)`;
    }
    if (have < PCAP_RECORD_HEADER_LEN) {
      return `the file ends in the middle of a packet record header (${have} of 16 bytes present)`;
    }
    return (
      `the file ends in the middle of a packet: the record header announces ` +
      `${this.host.need - PCAP_RECORD_HEADER_LEN} bytes of packet data but only ` +
      `${have - PCAP_RECORD_HEADER_LEN} are present`
    );
  }

  private readHeader(view: DataView, pos: number, base: number): void {
    const host = this.host;
    const magicBe = view.getUint32(pos, false);
    this.le = !(magicBe === PCAP_MAGIC_US || magicBe === PCAP_MAGIC_NS);
    const magic = view.getUint32(pos, this.le);
    this.nanos = magic === PCAP_MAGIC_NS;
    const major = view.getUint16(pos + 4, this.le);
    const minor = view.getUint16(pos + 6, this.le);
    const snapLen = view.getUint32(pos + 16, this.le);
    const network = view.getUint32(pos + 20, this.le);
    if (major < 2) {
      host.damage('unsupported', base + pos + 4, `pcap file format version ${major}.${minor} is not supported (2.0 or later is)`);
      return;
    }
    if ((network & PCAP_LINKTYPE_RESERVED_MASK) !== 0) {
      host.damage(
        'unsupported',
        base + pos + 20,
        `the pcap link-type field 0x${hex32(network)} has reserved bits set, so the file is corrupt or of an unknown variant`,
      );
      return;
    }
    if (major === 2 && minor < 3) this.lenOrder = LenOrder.Swapped;
    else if (major === 2 && minor === 3) this.lenOrder = LenOrder.MaybeSwapped;
    else if (major === 543) this.lenOrder = LenOrder.Swapped;
    this.linkType = network & PCAP_LINKTYPE_MASK;
    this.maxCapLen = maxCapLenForLinkType(this.linkType);
    this.headerDone = true;
    host.addInterface({
      id: 0,
      section: 0,
      linkType: this.linkType,
      snapLen,
      tsUnitsPerSecond: this.nanos ? 1e9 : 1e6,
      tsOffsetSeconds: 0,
      format: 'pcap',
    });
  }

  run(buf: Uint8Array, pos: number, end: number, base: number): number {
    const host = this.host;
    const view = host.view(buf);
    if (!this.headerDone) {
      if (end - pos < PCAP_FILE_HEADER_LEN) {
        host.need = PCAP_FILE_HEADER_LEN;
        return pos;
      }
      this.readHeader(view, pos, base);
      pos += PCAP_FILE_HEADER_LEN;
    }
    const le = this.le;
    const rec = host.rec;
    rec.interfaceIndex = 0;
    rec.interfaceId = -1; // classic pcap records have no interface id
    rec.linkType = this.linkType;
    rec.comments = undefined;
    const onRecord = host.onRecord;
    const maxCapLen = this.maxCapLen;
    const fracPerSec = this.nanos ? 1e9 : 1e6;
    const nsPerUnit = this.nanos ? 1 : 1000;
    const lenOrder = this.lenOrder;
    for (;;) {
      const avail = end - pos;
      if (avail < PCAP_RECORD_HEADER_LEN) {
        host.need = PCAP_RECORD_HEADER_LEN;
        return pos;
      }
      let capLen = view.getUint32(pos + 8, le);
      let origLen = view.getUint32(pos + 12, le);
      if (lenOrder !== LenOrder.Normal && (lenOrder === LenOrder.Swapped || capLen > origLen)) {
        const t = capLen;
        capLen = origLen;
        origLen = t;
      }
      if (capLen > maxCapLen) {
        host.damage(
          'bad-caplen',
          base + pos,
          `packet record ${host.packets + 1} claims ${capLen} captured bytes, more than the maximum of ${maxCapLen}; the file is corrupt from here on`,
        );
        return pos;
      }
      const recLen = PCAP_RECORD_HEADER_LEN + capLen;
      if (avail < recLen) {
        host.need = recLen;
        return pos;
      }
      const sec = view.getUint32(pos, le);
      const frac = view.getUint32(pos + 4, le);
      rec.number = ++host.packets;
      if (frac < fracPerSec) {
        rec.tsSec = sec;
        rec.tsNsec = frac * nsPerUnit;
      } else {
        const carry = Math.floor(frac / fracPerSec);
        rec.tsSec = sec + carry;
        rec.tsNsec = (frac - carry * fracPerSec) * nsPerUnit;
      }
      rec.capLen = capLen;
      rec.origLen = origLen;
      rec.recordOffset = base + pos;
      rec.dataOffset = base + pos + PCAP_RECORD_HEADER_LEN;
      rec.data = buf.subarray(pos + PCAP_RECORD_HEADER_LEN, pos + recLen);
      onRecord(rec);
      pos += recLen;
    }
  }
}
