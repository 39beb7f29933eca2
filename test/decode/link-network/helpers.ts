/**
 * Hand-built frames for the link- and network-layer decoder tests, and the checks every decode
 * must pass (no internal error, every node inside its bytes). Builders compute real checksums
 * so the frames are what a stack would send.
 */
import { fieldValues, nodes } from '../../helpers/tree.js';
import { expect } from 'vitest';
import {
  decodePacket, DecodeSession, TreeSink, type DecodeHooks, type DissectContext, type FieldNode, type FrameInfo,
} from '../../../src/decode/index.js';

export function bytes(...parts: (number[] | Uint8Array | string)[]): Uint8Array {
  const chunks = parts.map((p) => (typeof p === 'string' ? new TextEncoder().encode(p) : Uint8Array.from(p)));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export const u16 = (v: number) => [(v >> 8) & 0xff, v & 0xff];
export const u32 = (v: number) => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
export const mac = (s: string) => s.split(':').map((x) => parseInt(x, 16));
export const ip4 = (s: string) => s.split('.').map(Number);

/** RFC 4291 text to 16 bytes (enough for the forms the tests use, with one "::"). */
export function ip6(s: string): number[] {
  const [head, tail] = s.includes('::') ? s.split('::') : [s, ''];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.flatMap((g) => u16(parseInt(g, 16)));
}

export function checksum(data: Uint8Array | number[], initial = 0): number {
  let sum = initial;
  for (let i = 0; i < data.length; i += 2) sum += (data[i] << 8) | (data[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

export const MAC_A = '02:00:00:00:00:0a';
export const MAC_B = '02:00:00:00:00:0b';

export function ethernet(payload: Uint8Array, type = 0x0800, dst = MAC_B, src = MAC_A): Uint8Array {
  return bytes(mac(dst), mac(src), u16(type), payload);
}

export interface V4Options {
  src?: string;
  dst?: string;
  proto?: number;
  ttl?: number;
  id?: number;
  /** Flag bits as in the header (0b010 = DF, 0b001 = MF). */
  flags?: number;
  /** Fragment offset in bytes (multiple of 8). */
  fragOffset?: number;
  options?: number[];
  tos?: number;
  /** Override the total length / header length fields (for broken headers). */
  totalLength?: number;
  ihl?: number;
}

export function ipv4(payload: Uint8Array, o: V4Options = {}): Uint8Array {
  const opts = o.options ?? [];
  const hlen = 20 + opts.length;
  const ihl = o.ihl ?? hlen / 4;
  const total = o.totalLength ?? hlen + payload.length;
  const header = bytes(
    [0x40 | (ihl & 0xf), o.tos ?? 0], u16(total), u16(o.id ?? 1),
    u16(((o.flags ?? 0) << 13) | ((o.fragOffset ?? 0) / 8)), [o.ttl ?? 64, o.proto ?? 17], [0, 0],
    ip4(o.src ?? '10.0.0.1'), ip4(o.dst ?? '10.0.0.2'), opts,
  );
  const c = checksum(header);
  header[10] = c >> 8;
  header[11] = c & 0xff;
  return bytes(header, payload);
}

export interface V6Options {
  src?: string;
  dst?: string;
  next?: number;
  hlim?: number;
  flow?: number;
  tclass?: number;
  payloadLength?: number;
}

export function ipv6(payload: Uint8Array, o: V6Options = {}): Uint8Array {
  const tc = o.tclass ?? 0;
  const flow = o.flow ?? 0;
  return bytes(
    u32(((6 << 28) | (tc << 20) | flow) >>> 0), u16(o.payloadLength ?? payload.length), [o.next ?? 59, o.hlim ?? 64],
    ip6(o.src ?? '2001:db8::1'), ip6(o.dst ?? '2001:db8::2'), payload,
  );
}

export function udp(src: number, dst: number, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  return bytes(u16(src), u16(dst), u16(8 + data.length), [0, 0], data);
}

/** A bare 20-byte TCP SYN header. */
export function tcpSyn(src: number, dst: number, seq = 1000): Uint8Array {
  return bytes(u16(src), u16(dst), u32(seq), u32(0), [0x50, 0x02], u16(64240), [0, 0], [0, 0]);
}

/** ICMP message with a correct checksum: type, code, the 4-byte "rest of header", body. */
export function icmp(type: number, code: number, rest: number[], body: Uint8Array = new Uint8Array(0)): Uint8Array {
  const m = bytes([type, code, 0, 0], rest, body);
  const c = checksum(m);
  m[2] = c >> 8;
  m[3] = c & 0xff;
  return m;
}

/** ICMPv6 message with its pseudo-header checksum (RFC 8200 §8.1). */
export function icmpv6(type: number, code: number, body: Uint8Array, src = '2001:db8::1', dst = '2001:db8::2'): Uint8Array {
  const m = bytes([type, code, 0, 0], body);
  const pseudo = bytes(ip6(src), ip6(dst), u32(m.length), [0, 0, 0, 58]);
  const c = checksum(bytes(pseudo, m));
  m[2] = c >> 8;
  m[3] = c & 0xff;
  return m;
}

export interface Decoded {
  ctx: DissectContext;
  tree: TreeSink;
}

let frameNumber = 0;

/**
 * Decodes one frame into a TreeSink. `origLen` defaults to the frame length (a complete capture);
 * give a larger one to model a snapshot-length cut.
 */
export function decode(
  frame: Uint8Array,
  opts: { linkType?: number; origLen?: number; session?: DecodeSession; number?: number; tsSec?: number } = {},
): Decoded {
  const info: FrameInfo = {
    number: opts.number ?? ++frameNumber,
    tsSec: opts.tsSec ?? 1_700_000_000,
    tsNsec: 0,
    capLen: frame.length,
    origLen: opts.origLen ?? frame.length,
    interfaceId: 0,
    linkType: opts.linkType ?? 1,
  };
  const tree = new TreeSink();
  const ctx = decodePacket(info, frame, opts.session ?? new DecodeSession(), tree);
  return { ctx, tree };
}

export function session(hooks: DecodeHooks = {}): DecodeSession {
  return new DecodeSession(hooks);
}

export { nodes };

/** Values of every occurrence of a field, in tree order. */
export function values(d: Decoded, name: string): unknown[] {
  return fieldValues(d.tree, name);
}

export function first(d: Decoded, name: string): unknown {
  return values(d, name)[0];
}

/**
 * What must hold for any input: the decoder did not fail internally, and every node's bytes lie
 * inside the buffer it points into (the frame, or a reassembled data source).
 */
export function expectSound(d: Decoded, frame: Uint8Array): void {
  const internal = d.ctx.problems.filter((p) => p.field === 'dissector');
  expect(internal, internal.map((p) => p.message).join('; ')).toEqual([]);
  for (const n of nodes(d.tree)) {
    const size = n.source ? n.source.bytes.length : frame.length;
    expect(n.offset, `${n.def.name} offset`).toBeGreaterThanOrEqual(0);
    expect(n.length, `${n.def.name} length`).toBeGreaterThanOrEqual(0);
    expect(n.offset + n.length, `${n.def.name} [${n.offset}+${n.length}] inside ${size} bytes`).toBeLessThanOrEqual(size);
  }
}

export function protocols(d: Decoded): string {
  return d.ctx.protocols.join(':');
}
