/**
 * Hand-built capture bytes for the reader tests. Deliberately independent of src/capture's
 * writers: every field is laid down here from the specs, so reader bugs cannot cancel out
 * against writer bugs.
 */

import { CaptureStreamParser } from '../../src/capture/parser.js';
import { copyRecord } from '../../src/capture/record.js';
import { CaptureFileError } from '../../src/capture/types.js';
import type { CaptureInterface, PacketRecord, ReadResult } from '../../src/capture/types.js';

/** Little byte builder with a fixed byte order. */
export class Bytes {
  private readonly out: number[] = [];
  constructor(readonly le = true) {}
  u8(v: number): this {
    this.out.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.le ? this.u8(v).u8(v >>> 8) : this.u8(v >>> 8).u8(v);
  }
  u32(v: number): this {
    const b = [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
    if (!this.le) b.reverse();
    this.out.push(...b);
    return this;
  }
  u64(v: bigint): this {
    const hi = Number((v >> 32n) & 0xffffffffn);
    const lo = Number(v & 0xffffffffn);
    return this.le ? this.u32(lo).u32(hi) : this.u32(hi).u32(lo);
  }
  bytes(b: ArrayLike<number>): this {
    for (let i = 0; i < b.length; i++) this.out.push(b[i]);
    return this;
  }
  pad4(): this {
    while (this.out.length % 4 !== 0) this.out.push(0);
    return this;
  }
  get length(): number {
    return this.out.length;
  }
  build(): Uint8Array {
    return Uint8Array.from(this.out);
  }
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Deterministic packet bytes: n bytes starting at `seed`. */
export function payload(n: number, seed = 0): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (seed + i * 7) & 0xff;
  return out;
}

// ---- classic pcap -------------------------------------------------------------------------

export interface PcapHeaderSpec {
  le?: boolean;
  nanos?: boolean;
  major?: number;
  minor?: number;
  snapLen?: number;
  /** Raw 32-bit link-type field. */
  network?: number;
}

export function pcapHeader(s: PcapHeaderSpec = {}): Uint8Array {
  const b = new Bytes(s.le ?? true);
  b.u32(s.nanos ? 0xa1b23c4d : 0xa1b2c3d4)
    .u16(s.major ?? 2)
    .u16(s.minor ?? 4)
    .u32(0)
    .u32(0)
    .u32(s.snapLen ?? 65535)
    .u32(s.network ?? 1);
  return b.build();
}

export interface PcapRecSpec {
  sec: number;
  frac: number;
  data: Uint8Array;
  origLen?: number;
  /** Override the caplen field (default data.length). */
  capLen?: number;
}

export function pcapRecord(r: PcapRecSpec, le = true): Uint8Array {
  return new Bytes(le)
    .u32(r.sec)
    .u32(r.frac)
    .u32(r.capLen ?? r.data.length)
    .u32(r.origLen ?? r.data.length)
    .bytes(r.data)
    .build();
}

export function pcapFile(h: PcapHeaderSpec, recs: PcapRecSpec[]): Uint8Array {
  return concat(pcapHeader(h), ...recs.map((r) => pcapRecord(r, h.le ?? true)));
}

// ---- pcapng ---------------------------------------------------------------------------------

export type Option = [code: number, value: Uint8Array];

export function strOpt(code: number, s: string): Option {
  return [code, new TextEncoder().encode(s)];
}

function options(b: Bytes, opts: Option[]): void {
  if (opts.length === 0) return;
  for (const [code, value] of opts) b.u16(code).u16(value.length).bytes(value).pad4();
  b.u16(0).u16(0);
}

export interface BlockOverrides {
  /** Leading total length to write instead of the real one. */
  len?: number;
  /** Trailing total length to write instead of the real one. */
  trailer?: number;
}

/** A generic block: type, length, body (padded to 4), length. */
export function block(le: boolean, type: number, body: Uint8Array, o: BlockOverrides = {}): Uint8Array {
  const padded = (body.length + 3) & ~3;
  const real = 12 + padded;
  return new Bytes(le)
    .u32(type)
    .u32(o.len ?? real)
    .bytes(body)
    .pad4()
    .u32(o.trailer ?? o.len ?? real)
    .build();
}

export function shb(le: boolean, opts: Option[] = [], v: { major?: number; minor?: number } = {}, o: BlockOverrides = {}): Uint8Array {
  const b = new Bytes(le).u32(0x1a2b3c4d).u16(v.major ?? 1).u16(v.minor ?? 0).u64(0xffffffffffffffffn);
  options(b, opts);
  return block(le, 0x0a0d0d0a, b.build(), o);
}

export function idb(le: boolean, linkType: number, snapLen: number, opts: Option[] = []): Uint8Array {
  const b = new Bytes(le).u16(linkType).u16(0).u32(snapLen);
  options(b, opts);
  return block(le, 1, b.build());
}

export function epb(
  le: boolean,
  ifId: number,
  ts: bigint,
  data: Uint8Array,
  origLen = data.length,
  opts: Option[] = [],
  o: BlockOverrides & { capLen?: number } = {},
): Uint8Array {
  const b = new Bytes(le)
    .u32(ifId)
    .u32(Number(ts >> 32n))
    .u32(Number(ts & 0xffffffffn))
    .u32(o.capLen ?? data.length)
    .u32(origLen)
    .bytes(data)
    .pad4();
  options(b, opts);
  return block(le, 6, b.build(), o);
}

/** Obsolete Packet Block (type 2): 16-bit interface id and drops count. */
export function pb(le: boolean, ifId: number, ts: bigint, data: Uint8Array, origLen = data.length): Uint8Array {
  const b = new Bytes(le)
    .u16(ifId)
    .u16(0xffff)
    .u32(Number(ts >> 32n))
    .u32(Number(ts & 0xffffffffn))
    .u32(data.length)
    .u32(origLen)
    .bytes(data)
    .pad4();
  return block(le, 2, b.build());
}

export function spb(le: boolean, origLen: number, data: Uint8Array): Uint8Array {
  return block(le, 3, new Bytes(le).u32(origLen).bytes(data).pad4().build());
}

/** A block we must skip: NRB (4), ISB (5), DSB (10), custom (0xBAD / 0x40000BAD), unknown. */
export function opaque(le: boolean, type: number, bodyLen: number, o: BlockOverrides = {}): Uint8Array {
  return block(le, type, payload(bodyLen, type & 0xff), o);
}

// ---- parsing --------------------------------------------------------------------------------

export interface Parsed {
  records: PacketRecord[];
  interfaces: CaptureInterface[];
  result?: ReadResult;
  /** A CaptureFileError thrown by push() or end(). */
  error?: CaptureFileError;
}

/** Feeds `bytes` to a fresh parser in chunks of `chunk` bytes (default: all at once). */
export function parseBytes(bytes: Uint8Array, chunk = bytes.length || 1, fileName = 'test.pcap'): Parsed {
  const records: PacketRecord[] = [];
  const interfaces: CaptureInterface[] = [];
  const parser = new CaptureStreamParser({
    fileName,
    onRecord: (r) => records.push(copyRecord(r)),
    onInterface: (i) => interfaces.push(i),
  });
  try {
    for (let i = 0; i < bytes.length; i += chunk) parser.push(bytes.subarray(i, Math.min(i + chunk, bytes.length)));
    return { records, interfaces, result: parser.end() };
  } catch (err) {
    if (err instanceof CaptureFileError) return { records, interfaces, error: err };
    throw err;
  }
}

/** Same bytes fed with randomly sized chunks (seeded). */
export function parseRandomChunks(bytes: Uint8Array, seed: number, maxChunk = 97): Parsed {
  const records: PacketRecord[] = [];
  const interfaces: CaptureInterface[] = [];
  const parser = new CaptureStreamParser({
    fileName: 'test.pcap',
    onRecord: (r) => records.push(copyRecord(r)),
    onInterface: (i) => interfaces.push(i),
  });
  let s = seed >>> 0 || 1;
  try {
    for (let i = 0; i < bytes.length; ) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      const n = 1 + ((s >>> 0) % maxChunk);
      parser.push(bytes.subarray(i, Math.min(i + n, bytes.length)));
      i += n;
    }
    return { records, interfaces, result: parser.end() };
  } catch (err) {
    if (err instanceof CaptureFileError) return { records, interfaces, error: err };
    throw err;
  }
}

/** Plain-object form of a parse outcome, for equality between feeding strategies. */
export function outcome(p: Parsed): unknown {
  return {
    records: p.records.map((r) => ({ ...r, data: Array.from(r.data) })),
    interfaces: p.interfaces,
    packets: p.result?.packets,
    warning: p.result?.warning && { kind: p.result.warning.kind, offset: p.result.warning.offset, message: p.result.warning.message, packetsRead: p.result.warning.packetsRead },
    error: p.error && { kind: p.error.kind, offset: p.error.offset, message: p.error.message },
  };
}
