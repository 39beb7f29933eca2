/**
 * Writes packets of an open capture (all, displayed, selected) as pcap or pcapng, copying
 * each packet's bytes from the source file by its indexed offset. Timestamps keep the source's
 * resolution (nanosecond pcap / if_tsresol 9 when the source has sub-microsecond digits).
 *
 * Formats: pcap — tcpdump.org's pcap(5) (LINKTYPE in the header: one link type per file);
 * pcapng — draft-ietf-opsawg-pcapng §4.1 SHB, §4.2 IDB (if_name 2, if_tsresol 9), §4.3 EPB
 * (opt_comment 1), little-endian.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { CaptureInterface } from '../capture/types.js';
import { ApiError } from '../api/errors.js';
import type { PacketIndex } from './packet-index.js';
import type { PacketReader } from './packet-reader.js';

const PCAP_MAGIC_US = 0xa1b2c3d4;
const PCAP_MAGIC_NS = 0xa1b23c4d;
const BT_SHB = 0x0a0d0d0a;
const BT_IDB = 1;
const BT_EPB = 6;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

/** Output buffered into large writes. */
class FileSink {
  private buf = new Uint8Array(1 << 20);
  private view = new DataView(this.buf.buffer);
  private used = 0;
  written = 0;

  constructor(private readonly fd: number) {}

  reserve(n: number): DataView {
    if (this.used + n > this.buf.length) this.flush();
    if (n > this.buf.length) {
      this.buf = new Uint8Array(n);
      this.view = new DataView(this.buf.buffer);
    }
    return this.view;
  }

  /** Position in the buffer for the next `n` reserved bytes. */
  get pos(): number {
    return this.used;
  }

  advance(n: number): void {
    this.used += n;
    this.written += n;
  }

  bytes(data: Uint8Array): void {
    this.reserve(data.length);
    this.buf.set(data, this.used);
    this.advance(data.length);
  }

  zeros(n: number): void {
    this.reserve(n);
    this.buf.fill(0, this.used, this.used + n);
    this.advance(n);
  }

  flush(): void {
    let off = 0;
    while (off < this.used) off += writeSync(this.fd, this.buf, off, this.used - off);
    this.used = 0;
  }
}

function nanoResolution(iface: CaptureInterface | undefined): boolean {
  return !!iface && iface.tsUnitsPerSecond > 1e6;
}

const pad4 = (n: number): number => (n + 3) & ~3;
const encoder = new TextEncoder();

function writePcap(sink: FileSink, ifaces: readonly CaptureInterface[], ix: PacketIndex, reader: PacketReader, sel: Uint32Array): void {
  const used = new Set<number>();
  for (const i of sel) used.add(ix.iface[i]);
  const linkTypes = new Set([...used].map((k) => ifaces[k]?.linkType ?? 1));
  if (linkTypes.size > 1) {
    throw new ApiError('bad-request', `these packets use ${linkTypes.size} different link types, which a pcap file cannot hold: export them as pcapng`);
  }
  const first = ifaces[[...used][0] ?? 0];
  const nano = [...used].some((k) => nanoResolution(ifaces[k]));
  const snap = Math.max(65535, ...[...used].map((k) => ifaces[k]?.snapLen ?? 0));
  const v = sink.reserve(24);
  const p = sink.pos;
  v.setUint32(p, nano ? PCAP_MAGIC_NS : PCAP_MAGIC_US, true);
  v.setUint16(p + 4, 2, true);
  v.setUint16(p + 6, 4, true);
  v.setInt32(p + 8, 0, true);
  v.setUint32(p + 12, 0, true);
  v.setUint32(p + 16, snap, true);
  v.setUint32(p + 20, first?.linkType ?? 1, true);
  sink.advance(24);
  for (const i of sel) {
    const data = reader.view(ix, i);
    const h = sink.reserve(16);
    const q = sink.pos;
    h.setUint32(q, ix.tsSec[i] >>> 0, true);
    h.setUint32(q + 4, nano ? ix.tsNsec[i] : Math.floor(ix.tsNsec[i] / 1000), true);
    h.setUint32(q + 8, data.length, true);
    h.setUint32(q + 12, ix.origLen[i], true);
    sink.advance(16);
    sink.bytes(data);
  }
}

function option(sink: FileSink, code: number, value: Uint8Array): void {
  const v = sink.reserve(4);
  v.setUint16(sink.pos, code, true);
  v.setUint16(sink.pos + 2, value.length, true);
  sink.advance(4);
  sink.bytes(value);
  sink.zeros(pad4(value.length) - value.length);
}

function optionLength(valueLength: number): number {
  return 4 + pad4(valueLength);
}

function writePcapng(
  sink: FileSink, ifaces: readonly CaptureInterface[], ix: PacketIndex, reader: PacketReader, sel: Uint32Array,
  comments: ReadonlyMap<number, string[]>,
): void {
  // SHB without options: 28 bytes.
  let v = sink.reserve(28);
  let p = sink.pos;
  v.setUint32(p, BT_SHB, true);
  v.setUint32(p + 4, 28, true);
  v.setUint32(p + 8, BYTE_ORDER_MAGIC, true);
  v.setUint16(p + 12, 1, true);
  v.setUint16(p + 14, 0, true);
  v.setInt32(p + 16, -1, true);
  v.setInt32(p + 20, -1, true);
  v.setUint32(p + 24, 28, true);
  sink.advance(28);

  // One IDB per source interface that has packets in the selection, in first-use order.
  const outId = new Map<number, number>();
  for (const i of sel) {
    const k = ix.iface[i];
    if (outId.has(k)) continue;
    outId.set(k, outId.size);
    const iface = ifaces[k];
    const name = iface?.name ? encoder.encode(iface.name) : null;
    const nano = nanoResolution(iface);
    const optLen = (name ? optionLength(name.length) : 0) + (nano ? optionLength(1) : 0) + (name || nano ? 4 : 0);
    const total = 20 + optLen;
    v = sink.reserve(16);
    p = sink.pos;
    v.setUint32(p, BT_IDB, true);
    v.setUint32(p + 4, total, true);
    v.setUint16(p + 8, iface?.linkType ?? 1, true);
    v.setUint16(p + 10, 0, true);
    v.setUint32(p + 12, iface?.snapLen ?? 0, true);
    sink.advance(16);
    if (name) option(sink, 2, name);
    if (nano) option(sink, 9, Uint8Array.of(9));
    if (name || nano) sink.zeros(4);
    v = sink.reserve(4);
    v.setUint32(sink.pos, total, true);
    sink.advance(4);
  }

  for (const i of sel) {
    const data = reader.view(ix, i);
    const iface = ifaces[ix.iface[i]];
    const units = nanoResolution(iface) ? 1e9 : 1e6;
    const ts = BigInt(ix.tsSec[i]) * BigInt(units) + BigInt(units === 1e9 ? ix.tsNsec[i] : Math.floor(ix.tsNsec[i] / 1000));
    const texts = (comments.get(i) ?? []).map((c) => encoder.encode(c));
    const optLen = texts.reduce((n, t) => n + optionLength(t.length), 0) + (texts.length ? 4 : 0);
    const total = 32 + pad4(data.length) + optLen;
    v = sink.reserve(28);
    p = sink.pos;
    v.setUint32(p, BT_EPB, true);
    v.setUint32(p + 4, total, true);
    v.setUint32(p + 8, outId.get(ix.iface[i])!, true);
    v.setUint32(p + 12, Number(ts >> 32n), true);
    v.setUint32(p + 16, Number(ts & 0xffffffffn), true);
    v.setUint32(p + 20, data.length, true);
    v.setUint32(p + 24, ix.origLen[i], true);
    sink.advance(28);
    sink.bytes(data);
    sink.zeros(pad4(data.length) - data.length);
    for (const t of texts) option(sink, 1, t);
    if (texts.length) sink.zeros(4);
    v = sink.reserve(4);
    v.setUint32(sink.pos, total, true);
    sink.advance(4);
  }
}

/** Writes the selected packets (indexes, in the order given); returns the bytes written. */
export function writeCaptureFile(
  path: string,
  format: 'pcap' | 'pcapng',
  ifaces: readonly CaptureInterface[],
  ix: PacketIndex,
  reader: PacketReader,
  selection: Uint32Array,
  comments: ReadonlyMap<number, string[]>,
): number {
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (err) {
    throw new ApiError('io', `cannot write ${path}: ${(err as Error).message}`);
  }
  try {
    const sink = new FileSink(fd);
    if (format === 'pcap') writePcap(sink, ifaces, ix, reader, selection);
    else writePcapng(sink, ifaces, ix, reader, selection, comments);
    sink.flush();
    return sink.written;
  } finally {
    closeSync(fd);
  }
}
