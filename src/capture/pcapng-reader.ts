/**
 * pcapng block reader. Isomorphic.
 *
 * Format: draft-ietf-opsawg-pcapng. §3.1 generic block: type u32, total length u32, body,
 * total length u32 again; every block a multiple of 4 bytes. §4.1 SHB (byte-order magic, a new
 * section: interfaces are numbered from 0 again), §4.2 IDB, §4.3 EPB, §4.4 SPB, appendix PB
 * (obsolete Packet Block), §4.5 NRB, §4.6 ISB, §4.7 DSB, §5.2 custom blocks. Blocks we do not
 * need (NRB, ISB, DSB, custom, unknown) are skipped by their length without being buffered.
 *
 * Acceptance rules mirror libwiretap's pcapng.c where it matters for which files open:
 * - a block length below the block's minimum, not a multiple of 4, or above MAX_BLOCK_SIZE is
 *   corruption; the trailing length must equal the leading one ("total block lengths (first
 *   %u and second %u) don't match");
 * - a packet block's interface id must be below the section's interface count; its captured
 *   length must fit the block and must not exceed wtap_max_snaplen_for_encap() (256 KiB; the
 *   IDB snaplen is not enforced, as in wiretap);
 * - SPB: caplen = min(original length, IDB snaplen when non-zero) (pcapng §4.4); when the block
 *   holds fewer bytes we take what it holds (tshark 4.0 rejects the file instead: "total block
 *   length N of an SPB is too small for M bytes of packet data");
 * - SHB versions 1.0 and 1.2 are read, any other is unsupported (tshark 4.0: "unknown SHB
 *   version 1.1");
 * - timestamps: see timestamp.ts; if_tsoffset is added to the seconds as §4.2 says (tshark 4.0
 *   does the same — checked with a hand-built file). For if_tsresol finer than 10^-10 s,
 *   wiretap 4.0's (ts % units) * 1e9 overflows 64 bits and prints wrong fractions; we are exact,
 *   as later wiretap versions are. SPBs have no timestamp: 0.
 */

import {
  BT_EPB,
  BT_IDB,
  BT_PB,
  BT_SHB,
  BT_SPB,
  BYTE_ORDER_MAGIC,
  MAX_BLOCK_LEN,
  MIN_BLOCK_LEN,
  MIN_EPB_LEN,
  MIN_IDB_LEN,
  MIN_SHB_LEN,
  MIN_SPB_LEN,
  blockTypeName,
  withArticle,
  hex32,
  maxCapLenForLinkType,
  pad4,
} from './format-constants.js';
import { parseComments, parseIdbOptions } from './pcapng-options.js';
import type { FormatReader, ReaderHost } from './reader-host.js';
import { TimestampConverter, decodeTsResol } from './timestamp.js';

/** Per-interface state of the current section. */
interface SectionInterface {
  globalIndex: number;
  linkType: number;
  snapLen: number;
  maxCapLen: number;
  ts: TimestampConverter;
}

/** Header bytes of an EPB/PB needed to validate it before buffering the whole block. */
const PACKET_BLOCK_FIXED = 28;

const DEFAULT_TSRESOL = 6;

export class PcapngReader implements FormatReader {
  headerDone = false;
  private le = true;
  private section = -1;
  private ifaces: SectionInterface[] = [];
  /** Type of the block being waited for, for truncation messages. */
  private pendingType = 0;
  private pendingLen = 0;

  constructor(private readonly host: ReaderHost) {}

  static sniff(view: DataView, pos: number): boolean {
    return view.getUint32(pos, true) === BT_SHB;
  }

  /** Name of the block whose header starts at buf[pos], for messages. */
  blockName(buf: Uint8Array, pos: number, le: boolean): string {
    return blockTypeName(this.host.view(buf).getUint32(pos, le));
  }

  describeTruncation(have: number): string {
    if (have < 8 || this.pendingLen === 0) {
      return `the file ends in the middle of a block header (${have} bytes of it present)`;
    }
    return (
      `the file ends in the middle of ${withArticle(blockTypeName(this.pendingType))}: its length field says ` +
      `${this.pendingLen} bytes, which runs past the end of the file (only ${have} present)`
    );
  }

  run(buf: Uint8Array, pos: number, end: number, base: number): number {
    const host = this.host;
    const view = host.view(buf);
    const rec = host.rec;
    const onRecord = host.onRecord;
    for (;;) {
      const avail = end - pos;
      this.pendingLen = 0;
      if (avail < MIN_BLOCK_LEN) {
        host.need = MIN_BLOCK_LEN;
        return pos;
      }
      const type = view.getUint32(pos, this.le);
      let le = this.le;
      if (type === BT_SHB) {
        // The SHB type is a byte-order palindrome; its byte-order magic decides how to read
        // everything in the new section, starting with this block's own length (§4.1).
        const bom = view.getUint32(pos + 8, true);
        if (bom === BYTE_ORDER_MAGIC) le = true;
        else if (bom === 0x4d3c2b1a) le = false;
        else {
          host.damage(
            this.headerDone ? 'malformed' : 'not-a-capture',
            base + pos + 8,
            `the pcapng Section Header Block has an unknown byte-order magic 0x${hex32(bom)}`,
          );
          return pos;
        }
      }
      const len = view.getUint32(pos + 4, le);
      if (!this.checkLength(type, len, base + pos)) return pos;
      this.pendingType = type;
      this.pendingLen = len;
      if (len > avail) {
        if (isSkippable(type)) {
          host.beginSkip(buf, pos, avail, base + pos, len, le);
          return end;
        }
        if (type === BT_EPB || type === BT_PB) {
          // Validate the packet header before waiting for (and buffering) the whole block, so
          // a corrupt length cannot make us hold megabytes before failing.
          if (avail < PACKET_BLOCK_FIXED) {
            host.need = PACKET_BLOCK_FIXED;
            return pos;
          }
          if (this.packetHeaderBad(view, pos, type, len, base)) return pos;
        }
        host.need = len;
        return pos;
      }
      const trailer = view.getUint32(pos + len - 4, le);
      if (trailer !== len) {
        host.damage(
          'bad-block-length',
          base + pos + len - 4,
          `the ${blockTypeName(type)} at offset ${base + pos} ends with block length ${trailer}, which does not match its leading length ${len}`,
        );
        return pos;
      }
      switch (type) {
        case BT_EPB:
        case BT_PB: {
          if (this.packetHeaderBad(view, pos, type, len, base)) return pos;
          const enhanced = type === BT_EPB;
          const ifId = enhanced ? view.getUint32(pos + 8, le) : view.getUint16(pos + 8, le);
          const iface = this.ifaces[ifId];
          const capLen = view.getUint32(pos + 20, le);
          const dataStart = pos + PACKET_BLOCK_FIXED;
          const dataEnd = dataStart + capLen;
          const ts = iface.ts;
          ts.set(view.getUint32(pos + 12, le), view.getUint32(pos + 16, le));
          rec.number = ++host.packets;
          rec.interfaceIndex = iface.globalIndex;
          rec.interfaceId = ifId;
          rec.linkType = iface.linkType;
          rec.tsSec = ts.sec;
          rec.tsNsec = ts.nsec;
          rec.capLen = capLen;
          rec.origLen = view.getUint32(pos + 24, le);
          rec.recordOffset = base + pos;
          rec.dataOffset = base + dataStart;
          rec.data = buf.subarray(dataStart, dataEnd);
          const optStart = dataEnd + pad4(capLen);
          rec.comments = optStart < pos + len - 4 ? parseComments(buf, view, optStart, pos + len - 4, le) : undefined;
          onRecord(rec);
          break;
        }
        case BT_SPB:
          if (!this.simplePacket(buf, view, pos, len, base)) return pos;
          break;
        case BT_IDB:
          this.interfaceBlock(buf, view, pos, len);
          break;
        case BT_SHB:
          if (!this.sectionHeader(view, pos, le, base)) return pos;
          break;
        default:
          // NRB, ISB, DSB, custom and unknown blocks: nothing we need (pcapng §4: "a reader
          // … MUST skip … blocks it does not know").
          break;
      }
      pos += len;
    }
  }

  /** pcapng §3.1 block-length rules plus each block type's fixed minimum. */
  private checkLength(type: number, len: number, offset: number): boolean {
    const host = this.host;
    const name = blockTypeName(type);
    let min = MIN_BLOCK_LEN;
    if (type === BT_SHB) min = MIN_SHB_LEN;
    else if (type === BT_IDB) min = MIN_IDB_LEN;
    else if (type === BT_EPB || type === BT_PB) min = MIN_EPB_LEN;
    else if (type === BT_SPB) min = MIN_SPB_LEN;
    if (len < min) {
      host.damage('bad-block-length', offset + 4, `the ${name} has block length ${len}, shorter than the ${min}-byte minimum for that block`);
      return false;
    }
    if ((len & 3) !== 0) {
      host.damage('bad-block-length', offset + 4, `the ${name} has block length ${len}, which is not a multiple of 4`);
      return false;
    }
    if (len > MAX_BLOCK_LEN) {
      host.damage('bad-block-length', offset + 4, `the ${name} has block length ${len}, larger than the ${MAX_BLOCK_LEN}-byte maximum`);
      return false;
    }
    if (!this.headerDone && type !== BT_SHB) {
      host.damage('not-a-capture', offset, 'a pcapng file must begin with a Section Header Block');
      return false;
    }
    return true;
  }

  /** Validates an EPB/PB fixed header (28 bytes present); reports and returns true if bad. */
  private packetHeaderBad(view: DataView, pos: number, type: number, len: number, base: number): boolean {
    const host = this.host;
    const le = this.le;
    const name = blockTypeName(type);
    const ifId = type === BT_EPB ? view.getUint32(pos + 8, le) : view.getUint16(pos + 8, le);
    if (ifId >= this.ifaces.length) {
      host.damage(
        'malformed',
        base + pos + 8,
        `the ${name} refers to interface ${ifId}, but this section defines only ${this.ifaces.length} interface(s)`,
      );
      return true;
    }
    const capLen = view.getUint32(pos + 20, le);
    const max = this.ifaces[ifId].maxCapLen;
    if (capLen > max) {
      host.damage(
        'bad-caplen',
        base + pos + 20,
        `packet ${host.packets + 1} (${name}) claims ${capLen} captured bytes, more than the maximum of ${max}`,
      );
      return true;
    }
    if (PACKET_BLOCK_FIXED + capLen + pad4(capLen) + 4 > len) {
      host.damage(
        'bad-block-length',
        base + pos + 4,
        `the ${name} has block length ${len}, too short for its ${capLen} captured bytes`,
      );
      return true;
    }
    return false;
  }

  private simplePacket(buf: Uint8Array, view: DataView, pos: number, len: number, base: number): boolean {
    const host = this.host;
    const le = this.le;
    if (this.ifaces.length === 0) {
      host.damage('malformed', base + pos, 'a Simple Packet Block appears before any Interface Description Block in its section');
      return false;
    }
    const iface = this.ifaces[0];
    const origLen = view.getUint32(pos + 8, le);
    // pcapng §4.4: captured length = min(original length, snaplen); never more than the block holds.
    let capLen = origLen;
    if (iface.snapLen !== 0 && capLen > iface.snapLen) capLen = iface.snapLen;
    if (capLen > len - MIN_SPB_LEN) capLen = len - MIN_SPB_LEN;
    if (capLen > iface.maxCapLen) {
      host.damage('bad-caplen', base + pos + 8, `packet ${host.packets + 1} (Simple Packet Block) holds ${capLen} bytes, more than the maximum of ${iface.maxCapLen}`);
      return false;
    }
    const rec = host.rec;
    rec.number = ++host.packets;
    rec.interfaceIndex = iface.globalIndex;
    rec.interfaceId = 0;
    rec.linkType = iface.linkType;
    rec.tsSec = 0;
    rec.tsNsec = 0;
    rec.capLen = capLen;
    rec.origLen = origLen;
    rec.recordOffset = base + pos;
    rec.dataOffset = base + pos + 12;
    rec.data = buf.subarray(pos + 12, pos + 12 + capLen);
    rec.comments = undefined;
    host.onRecord(rec);
    return true;
  }

  private interfaceBlock(buf: Uint8Array, view: DataView, pos: number, len: number): void {
    const le = this.le;
    const linkType = view.getUint16(pos + 8, le);
    const snapLen = view.getUint32(pos + 12, le);
    const opts = parseIdbOptions(buf, view, pos + 16, pos + len - 4, le);
    const res = decodeTsResol(opts.tsresol ?? DEFAULT_TSRESOL);
    const id = this.ifaces.length;
    const globalIndex = this.host.interfaces.length;
    this.ifaces.push({
      globalIndex,
      linkType,
      snapLen,
      maxCapLen: maxCapLenForLinkType(linkType),
      ts: new TimestampConverter(res.units, opts.tsoffset),
    });
    this.host.addInterface({
      id,
      section: this.section,
      linkType,
      snapLen,
      ...(opts.name !== undefined ? { name: opts.name } : {}),
      ...(opts.description !== undefined ? { description: opts.description } : {}),
      tsUnitsPerSecond: Number(res.units),
      tsOffsetSeconds: opts.tsoffset,
      format: 'pcapng',
    });
  }

  private sectionHeader(view: DataView, pos: number, le: boolean, base: number): boolean {
    const major = view.getUint16(pos + 12, le);
    const minor = view.getUint16(pos + 14, le);
    // pcapng §4.1: version 1.0; 1.2 was written by some tools and is read the same way (as
    // wiretap does). Another major version is a different format.
    if (major !== 1 || (minor !== 0 && minor !== 2)) {
      this.host.damage('unsupported', base + pos + 12, `pcapng version ${major}.${minor} is not supported (1.0 and 1.2 are)`);
      return false;
    }
    this.le = le;
    this.section++;
    this.ifaces = [];
    this.headerDone = true;
    return true;
  }
}

/** Everything but the blocks we read: NRB, ISB, DSB, custom, and types we do not know. */
function isSkippable(type: number): boolean {
  return type !== BT_SHB && type !== BT_IDB && type !== BT_EPB && type !== BT_PB && type !== BT_SPB;
}
