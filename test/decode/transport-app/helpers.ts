/**
 * Hand-built frames for the transport and application decoder tests (TCP, UDP, DNS, HTTP) and
 * the checks every decode must pass. Frames are Ethernet + IPv4 with correct lengths, so the
 * real link/network decoders hand the payload to the decoders under test exactly as in a capture.
 */
import { fieldValues, nodes } from '../../helpers/tree.js';
import { expect } from 'vitest';
import {
  decodePacket, DecodeSession, FieldCollector, fieldCount, lookupField, TreeSink,
  type DecodeHooks, type DissectContext, type FieldNode, type FrameInfo,
} from '../../../src/decode/index.js';
import { formatFieldValue } from '../../../src/decode/fields/format.js';

export function bytes(...parts: (number[] | Uint8Array | string)[]): Uint8Array {
  const chunks = parts.map((p) => (typeof p === 'string' ? latin1(p) : Uint8Array.from(p)));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** One byte per character (so tests can write raw bytes like "\xff" in strings). */
export function latin1(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
  return b;
}

export const u16 = (v: number): number[] => [(v >> 8) & 0xff, v & 0xff];
export const u32 = (v: number): number[] => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];

export interface TcpOptions {
  seq?: number;
  ack?: number;
  /** The 12 flag bits (0x002 SYN, 0x010 ACK, 0x018 PSH+ACK …). */
  flags?: number;
  window?: number;
  checksum?: number;
  urgent?: number;
  /** Raw option bytes (padded with zeros to a multiple of 4). */
  options?: number[];
  /** Override of the data offset field (in 32-bit words). */
  dataOffset?: number;
}

export function tcpSegment(src: number, dst: number, payload: Uint8Array | string = new Uint8Array(0), o: TcpOptions = {}): Uint8Array {
  const opts = [...(o.options ?? [])];
  while (opts.length % 4) opts.push(0);
  const words = o.dataOffset ?? (20 + opts.length) / 4;
  const flags = o.flags ?? 0x018;
  return bytes(
    u16(src), u16(dst), u32(o.seq ?? 1000), u32(o.ack ?? 0),
    [(words << 4) | ((flags >> 8) & 0x0f), flags & 0xff], u16(o.window ?? 64240), u16(o.checksum ?? 0x1234),
    u16(o.urgent ?? 0), opts, typeof payload === 'string' ? latin1(payload) : payload,
  );
}

export function udpDatagram(src: number, dst: number, payload: Uint8Array | string = new Uint8Array(0), o: { length?: number; checksum?: number } = {}): Uint8Array {
  const data = typeof payload === 'string' ? latin1(payload) : payload;
  return bytes(u16(src), u16(dst), u16(o.length ?? 8 + data.length), u16(o.checksum ?? 0xabcd), data);
}

/** Ethernet + IPv4 around a transport payload; `totalLength` overrides the IP total length. */
export function ipv4Frame(proto: number, l4: Uint8Array, o: { totalLength?: number; src?: number[]; dst?: number[] } = {}): Uint8Array {
  const total = o.totalLength ?? 20 + l4.length;
  const header = bytes([0x45, 0], u16(total), u16(1), u16(0x4000), [64, proto], [0, 0], o.src ?? [10, 0, 0, 1], o.dst ?? [10, 0, 0, 2]);
  let sum = 0;
  for (let i = 0; i < 20; i += 2) sum += (header[i] << 8) | header[i + 1];
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  const c = ~sum & 0xffff;
  header[10] = c >> 8;
  header[11] = c & 0xff;
  return bytes([2, 0, 0, 0, 0, 0xb], [2, 0, 0, 0, 0, 0xa], u16(0x0800), header, l4);
}

type FrameOptions = { totalLength?: number; src?: number[]; dst?: number[] };
export const tcpFrame = (seg: Uint8Array, o?: FrameOptions) => ipv4Frame(6, seg, o);
export const udpFrame = (dgram: Uint8Array, o?: FrameOptions) => ipv4Frame(17, dgram, o);
/** The two hosts of the test conversations: a client and a server. */
export const CLIENT = [10, 0, 0, 1];
export const SERVER = [10, 0, 0, 2];
/** Offset of the transport header in the frames built here. */
export const L4 = 34;

export interface Decoded {
  ctx: DissectContext;
  tree: TreeSink;
  frame: Uint8Array;
}

let frameNumber = 0;

export function frameInfo(frame: Uint8Array, origLen = frame.length, number = ++frameNumber): FrameInfo {
  return { number, tsSec: 1_700_000_000, tsNsec: 0, capLen: frame.length, origLen, interfaceId: 0, linkType: 1 };
}

/** Decodes one frame into a detail tree; `origLen` larger than the frame models a snapshot cut. */
export function decode(frame: Uint8Array, opts: { session?: DecodeSession; hooks?: DecodeHooks; origLen?: number } = {}): Decoded {
  const tree = new TreeSink();
  const session = opts.session ?? new DecodeSession(opts.hooks ?? {});
  const ctx = decodePacket(frameInfo(frame, opts.origLen ?? frame.length), frame, session, tree);
  return { ctx, tree, frame };
}

/**
 * Decodes into a FieldCollector for `names` and returns what `wirescope fields` would print
 * for each (tshark -T fields text, occurrences joined by ','), plus the context.
 */
export function fields(frame: Uint8Array, names: string[], opts: { session?: DecodeSession; wantsColumns?: boolean } = {}): { ctx: DissectContext; cells: Record<string, string> } {
  const defs = names.map((n) => {
    const d = lookupField(n);
    if (!d) throw new Error(`unknown field ${n}`);
    return d;
  });
  const collector = new FieldCollector(defs, fieldCount(), false);
  const session = opts.session ?? new DecodeSession({});
  if (opts.wantsColumns !== undefined) session.wantsColumns = opts.wantsColumns;
  const ctx = decodePacket(frameInfo(frame), frame, session, collector);
  const cells: Record<string, string> = {};
  names.forEach((n, i) => {
    const occ = collector.column(i);
    const parts: string[] = [];
    for (let k = 0; k < occ.count; k++) {
      parts.push(formatFieldValue(defs[i], occ.values[k], occ.sources[k] ?? frame, occ.offsets[k], occ.lengths[k]));
    }
    cells[n] = parts.join(',');
  });
  return { ctx, cells };
}

export { nodes };

export function values(d: Decoded, name: string): unknown[] {
  return fieldValues(d.tree, name);
}

export function value(d: Decoded, name: string): unknown {
  return values(d, name)[0];
}

export function node(d: Decoded, name: string): FieldNode | undefined {
  return nodes(d.tree).find((n) => n.def.name === name);
}

/** Tree lines (text overrides) of the nodes of a field. */
export function texts(d: Decoded, name: string): (string | undefined)[] {
  return nodes(d.tree).filter((n) => n.def.name === name).map((n) => n.text);
}

/**
 * What must hold for any input: no internal decoder failure, and every node's bytes inside the
 * buffer it points into (the frame, or a reassembled / de-chunked / decompressed data source).
 */
export function expectSound(d: Decoded): void {
  const internal = d.ctx.problems.filter((p) => p.field === 'dissector');
  expect(internal, internal.map((p) => p.message).join('; ')).toEqual([]);
  for (const n of nodes(d.tree)) {
    const size = n.source ? n.source.bytes.length : d.frame.length;
    expect(n.offset, `${n.def.name} offset`).toBeGreaterThanOrEqual(0);
    expect(n.length, `${n.def.name} length`).toBeGreaterThanOrEqual(0);
    expect(n.offset + n.length, `${n.def.name} [${n.offset}+${n.length}] inside ${size} bytes`).toBeLessThanOrEqual(size);
  }
}

export function problemKinds(d: Decoded, layer?: string): string[] {
  return d.ctx.problems.filter((p) => !layer || p.layer === layer).map((p) => p.kind);
}

/** Deterministic PRNG (mulberry32) for the property tests. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ------------------------------------------------------------------ DNS message builders

export function dnsName(...labels: (string | Uint8Array)[]): number[] {
  const out: number[] = [];
  for (const l of labels) {
    const b = typeof l === 'string' ? latin1(l) : l;
    out.push(b.length, ...b);
  }
  out.push(0);
  return out;
}

export interface DnsRr {
  name: number[];
  type: number;
  cls?: number;
  ttl?: number;
  rdata: number[];
}

export function dnsRr(r: DnsRr): number[] {
  return [...r.name, ...u16(r.type), ...u16(r.cls ?? 1), ...u32(r.ttl ?? 300), ...u16(r.rdata.length), ...r.rdata];
}

export function dnsMessage(o: {
  id: number; flags: number; questions?: { name: number[]; type: number; cls?: number }[];
  answers?: DnsRr[]; authority?: DnsRr[]; additional?: DnsRr[]; counts?: [number, number, number, number];
}): Uint8Array {
  const q = o.questions ?? [];
  const an = o.answers ?? [];
  const ns = o.authority ?? [];
  const ar = o.additional ?? [];
  const counts = o.counts ?? [q.length, an.length, ns.length, ar.length];
  return bytes(
    u16(o.id), u16(o.flags), ...counts.map(u16),
    ...q.map((x) => [...x.name, ...u16(x.type), ...u16(x.cls ?? 1)]),
    ...an.map(dnsRr), ...ns.map(dnsRr), ...ar.map(dnsRr),
  );
}
