/**
 * Capture-file writers producing Uint8Array chunks. ISOMORPHIC (no node:, no Buffer): the
 * caller decides where the bytes go (a file, a pipe, a download in the browser).
 *
 * PcapngWriter: SHB, IDB (if_name, if_description, if_tsresol, if_tsoffset), EPB (with
 * opt_comment) — draft-ietf-opsawg-pcapng §4.1–4.3. PcapWriter: classic pcap with the µs or
 * the ns magic — draft-ietf-opsawg-pcap §4–5.
 */

import {
  BT_EPB,
  BT_IDB,
  BT_SHB,
  BYTE_ORDER_MAGIC,
  MAX_CAPLEN_STANDARD,
  OPT_COMMENT,
  OPT_ENDOFOPT,
  OPT_IF_DESCRIPTION,
  OPT_IF_NAME,
  OPT_IF_TSOFFSET,
  OPT_IF_TSRESOL,
  PCAP_FILE_HEADER_LEN,
  PCAP_MAGIC_NS,
  PCAP_MAGIC_US,
  PCAP_RECORD_HEADER_LEN,
  pad4,
} from './format-constants.js';
import { decodeTsResol } from './timestamp.js';
import type { CaptureInterface } from './types.js';

/** What a writer needs of a packet; a PacketRecord fits. */
export interface WritablePacket {
  /** pcapng: interface id within the current section (default 0). Ignored by PcapWriter. */
  interfaceId?: number;
  tsSec: number;
  /** 0 … 999 999 999. */
  tsNsec: number;
  /** Original length on the wire (default: data.length). */
  origLen?: number;
  data: Uint8Array;
  /** pcapng opt_comment values (ignored by PcapWriter). */
  comments?: string[];
}

const utf8 = new TextEncoder();

/** One option: code, length, value, padding (pcapng §3.5). */
interface Opt {
  code: number;
  value: Uint8Array;
}

function optionsLength(opts: Opt[]): number {
  if (opts.length === 0) return 0;
  let n = 4; // opt_endofopt
  for (const o of opts) n += 4 + o.value.length + pad4(o.value.length);
  return n;
}

function writeOptions(view: DataView, bytes: Uint8Array, pos: number, opts: Opt[], le: boolean): number {
  if (opts.length === 0) return pos;
  for (const o of opts) {
    view.setUint16(pos, o.code, le);
    view.setUint16(pos + 2, o.value.length, le);
    bytes.set(o.value, pos + 4);
    pos += 4 + o.value.length + pad4(o.value.length);
  }
  view.setUint16(pos, OPT_ENDOFOPT, le);
  view.setUint16(pos + 2, 0, le);
  return pos + 4;
}

function stringOpt(code: number, s: string): Opt {
  const value = utf8.encode(s);
  if (value.length > 0xffff) throw new RangeError(`pcapng option ${code} is longer than 65535 bytes`);
  return { code, value };
}

export interface PcapngWriterOptions {
  /** Byte order of the section (default little-endian, like every common writer). */
  littleEndian?: boolean;
  /** SHB shb_userappl (option 4), e.g. "Wirescope 0.1". */
  userAppl?: string;
  /** SHB opt_comment. */
  comment?: string;
}

export interface PcapngInterfaceOptions {
  linkType: number;
  /** 0 = no limit (pcapng §4.2). Default 262144. */
  snapLen?: number;
  name?: string;
  description?: string;
  /**
   * Raw if_tsresol byte (pcapng §4.2): 6 = µs (default, option omitted), 9 = ns; the high bit
   * selects powers of 2.
   */
  tsresol?: number;
  /** if_tsoffset in seconds (default 0, option omitted). */
  tsOffsetSeconds?: number;
}

const OPT_SHB_USERAPPL = 4;
const TWO32 = 4294967296;

interface WriterInterface {
  units: bigint;
  unitsNum: number;
  offset: number;
}

export class PcapngWriter {
  private readonly le: boolean;
  private interfaces: WriterInterface[] = [];

  constructor(private readonly opts: PcapngWriterOptions = {}) {
    this.le = opts.littleEndian ?? true;
  }

  /** Section Header Block; starts a new section (interfaces are numbered from 0 again). */
  sectionHeader(): Uint8Array {
    const le = this.le;
    const opts: Opt[] = [];
    if (this.opts.comment !== undefined) opts.push(stringOpt(OPT_COMMENT, this.opts.comment));
    if (this.opts.userAppl !== undefined) opts.push(stringOpt(OPT_SHB_USERAPPL, this.opts.userAppl));
    const len = 28 + optionsLength(opts);
    const out = new Uint8Array(len);
    const v = new DataView(out.buffer);
    v.setUint32(0, BT_SHB, le);
    v.setUint32(4, len, le);
    v.setUint32(8, BYTE_ORDER_MAGIC, le);
    v.setUint16(12, 1, le);
    v.setUint16(14, 0, le);
    // Section length -1: "not specified" (§4.1), as we stream without knowing it.
    v.setUint32(16, 0xffffffff, le);
    v.setUint32(20, 0xffffffff, le);
    writeOptions(v, out, 24, opts, le);
    v.setUint32(len - 4, len, le);
    this.interfaces = [];
    return out;
  }

  /** Interface Description Block; the interface gets the next id of the section. */
  interfaceBlock(spec: PcapngInterfaceOptions): Uint8Array {
    const le = this.le;
    const opts: Opt[] = [];
    if (spec.name !== undefined) opts.push(stringOpt(OPT_IF_NAME, spec.name));
    if (spec.description !== undefined) opts.push(stringOpt(OPT_IF_DESCRIPTION, spec.description));
    const tsresol = spec.tsresol ?? 6;
    if (tsresol !== 6) opts.push({ code: OPT_IF_TSRESOL, value: Uint8Array.of(tsresol) });
    const offset = spec.tsOffsetSeconds ?? 0;
    if (offset !== 0) {
      const value = new Uint8Array(8);
      new DataView(value.buffer).setBigInt64(0, BigInt(offset), le);
      opts.push({ code: OPT_IF_TSOFFSET, value });
    }
    const len = 20 + optionsLength(opts);
    const out = new Uint8Array(len);
    const v = new DataView(out.buffer);
    v.setUint32(0, BT_IDB, le);
    v.setUint32(4, len, le);
    v.setUint16(8, spec.linkType, le);
    v.setUint16(10, 0, le);
    v.setUint32(12, spec.snapLen ?? MAX_CAPLEN_STANDARD, le);
    writeOptions(v, out, 16, opts, le);
    v.setUint32(len - 4, len, le);
    const units = decodeTsResol(tsresol).units;
    this.interfaces.push({ units, unitsNum: Number(units), offset });
    return out;
  }

  /** Enhanced Packet Block. */
  packet(p: WritablePacket): Uint8Array {
    const le = this.le;
    const ifId = Math.max(0, p.interfaceId ?? 0); // -1: a classic-pcap record (one interface)
    const iface = this.interfaces[ifId];
    if (iface === undefined) {
      throw new RangeError(`pcapng: packet for interface ${ifId}, but the section has ${this.interfaces.length} interface(s)`);
    }
    const capLen = p.data.length;
    const opts: Opt[] = p.comments ? p.comments.map((c) => stringOpt(OPT_COMMENT, c)) : [];
    const len = 32 + capLen + pad4(capLen) + optionsLength(opts);
    const out = new Uint8Array(len);
    const v = new DataView(out.buffer);
    v.setUint32(0, BT_EPB, le);
    v.setUint32(4, len, le);
    v.setUint32(8, ifId, le);
    const [high, low] = encodeTimestamp(p.tsSec - iface.offset, p.tsNsec, iface);
    v.setUint32(12, high, le);
    v.setUint32(16, low, le);
    v.setUint32(20, capLen, le);
    v.setUint32(24, p.origLen ?? capLen, le);
    out.set(p.data, 28);
    writeOptions(v, out, 28 + capLen + pad4(capLen), opts, le);
    v.setUint32(len - 4, len, le);
    return out;
  }
}

/**
 * (sec, nsec) → 64-bit count of interface units, split in 32-bit halves. Sub-unit nanoseconds
 * are truncated (a µs interface cannot hold them).
 */
function encodeTimestamp(sec: number, nsec: number, iface: WriterInterface): [number, number] {
  if (sec < 0) throw new RangeError(`pcapng: timestamp ${sec}.${nsec} is before the interface's time base`);
  const u = iface.unitsNum;
  if (u <= 1e6 && 1e9 % u === 0) {
    const total = sec * u + Math.floor(nsec / (1e9 / u)); // < 2^53 for any date before year 287 000
    if (total < Number.MAX_SAFE_INTEGER) {
      const high = Math.floor(total / TWO32);
      return [high, total - high * TWO32];
    }
  }
  const total = BigInt(sec) * iface.units + (BigInt(nsec) * iface.units) / 1000000000n;
  return [Number((total >> 32n) & 0xffffffffn), Number(total & 0xffffffffn)];
}

export interface PcapWriterOptions {
  linkType: number;
  /** Default 262144. */
  snapLen?: number;
  /** Use the nanosecond magic 0xa1b23c4d (default: µs, 0xa1b2c3d4). */
  nanosecond?: boolean;
  /** Default little-endian. */
  littleEndian?: boolean;
}

export class PcapWriter {
  readonly nanosecond: boolean;
  private readonly le: boolean;

  constructor(private readonly opts: PcapWriterOptions) {
    this.nanosecond = opts.nanosecond ?? false;
    this.le = opts.littleEndian ?? true;
  }

  /** The 24-byte file header (pcap §4), version 2.4. */
  fileHeader(): Uint8Array {
    const out = new Uint8Array(PCAP_FILE_HEADER_LEN);
    const v = new DataView(out.buffer);
    const le = this.le;
    v.setUint32(0, this.nanosecond ? PCAP_MAGIC_NS : PCAP_MAGIC_US, le);
    v.setUint16(4, 2, le);
    v.setUint16(6, 4, le);
    v.setInt32(8, 0, le);
    v.setUint32(12, 0, le);
    v.setUint32(16, this.opts.snapLen ?? MAX_CAPLEN_STANDARD, le);
    v.setUint32(20, this.opts.linkType, le);
    return out;
  }

  /** Writes a 16-byte record header at view[pos] for a packet of `capLen` bytes. */
  writeRecordHeader(view: DataView, pos: number, tsSec: number, tsNsec: number, capLen: number, origLen: number): void {
    const le = this.le;
    if (tsSec < 0 || tsSec > 0xffffffff) throw new RangeError(`pcap: timestamp seconds ${tsSec} do not fit 32 bits`);
    view.setUint32(pos, tsSec, le);
    view.setUint32(pos + 4, this.nanosecond ? tsNsec : Math.floor(tsNsec / 1000), le);
    view.setUint32(pos + 8, capLen, le);
    view.setUint32(pos + 12, origLen, le);
  }

  /** One record: header + bytes. */
  packet(p: WritablePacket): Uint8Array {
    const capLen = p.data.length;
    const out = new Uint8Array(PCAP_RECORD_HEADER_LEN + capLen);
    this.writeRecordHeader(new DataView(out.buffer), 0, p.tsSec, p.tsNsec, capLen, p.origLen ?? capLen);
    out.set(p.data, PCAP_RECORD_HEADER_LEN);
    return out;
  }
}

/** The if_tsresol byte for a reader interface's units per second (10^n, 2^n; else ns). */
export function tsresolFor(unitsPerSecond: number): number {
  for (let e = 0; e <= 19; e++) if (10 ** e === unitsPerSecond) return e;
  for (let e = 0; e <= 63; e++) if (2 ** e === unitsPerSecond) return 0x80 | e;
  return 9;
}

/**
 * Encodes packets read from any capture (pcap or pcapng, one or many sections) as pcapng:
 * one section per source section, each interface described with its link type, snaplen,
 * name, description, timestamp resolution and offset; packets keep their interface,
 * timestamps, lengths and comments. `interfaces` is the reader's list (ReadResult.interfaces).
 * For "save as" and for exporting a subset of packets.
 */
export function* pcapngChunks(
  interfaces: readonly CaptureInterface[],
  packets: Iterable<WritablePacket & { interfaceIndex: number }>,
  opts: PcapngWriterOptions = {},
): Generator<Uint8Array> {
  const w = new PcapngWriter(opts);
  let section = -1;
  for (const p of packets) {
    const iface = interfaces[p.interfaceIndex];
    if (iface === undefined) throw new RangeError(`packet refers to interface ${p.interfaceIndex}, which is not in the list`);
    if (iface.section !== section) {
      section = iface.section;
      yield w.sectionHeader();
      for (const i of interfaces) {
        if (i.section !== section) continue;
        yield w.interfaceBlock({
          linkType: i.linkType,
          snapLen: i.snapLen,
          ...(i.name !== undefined ? { name: i.name } : {}),
          ...(i.description !== undefined ? { description: i.description } : {}),
          tsresol: tsresolFor(i.tsUnitsPerSecond),
          tsOffsetSeconds: i.tsOffsetSeconds,
        });
      }
    }
    yield w.packet({ ...p, interfaceId: iface.id });
  }
  if (section === -1) {
    // No packets: still a valid file, with the interfaces of the first section.
    yield w.sectionHeader();
    for (const i of interfaces) {
      if (i.section === (interfaces[0]?.section ?? 0)) {
        yield w.interfaceBlock({ linkType: i.linkType, snapLen: i.snapLen, tsresol: tsresolFor(i.tsUnitsPerSecond), tsOffsetSeconds: i.tsOffsetSeconds, ...(i.name !== undefined ? { name: i.name } : {}) });
      }
    }
  }
}
