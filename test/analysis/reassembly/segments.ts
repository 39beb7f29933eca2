/** Hand-built stream segments and frames for the reassembly tests. */
import type { StreamSegment } from '../../../src/analysis/reassembly/types.js';

export const FIN = 0x01;
export const SYN = 0x02;
export const RST = 0x04;
export const PSH = 0x08;
export const ACK = 0x10;

export const CLIENT = '192.0.2.1:40000';
export const SERVER = '192.0.2.2:80';

const enc = new TextEncoder();

export function bytes(text: string): Uint8Array {
  return enc.encode(text);
}

let frameNo = 0;

export function resetFrames(): void {
  frameNo = 0;
}

/** One segment; `data` is its payload (text or bytes), `len` overrides tcp.len (cut captures). */
export function seg(
  from: 'c' | 's', seq: number, flags: number, data: string | Uint8Array = '', ack = 0, len?: number,
): StreamSegment {
  const payload = typeof data === 'string' ? bytes(data) : data;
  frameNo++;
  return {
    frame: frameNo,
    tsSec: 1_700_000_000,
    tsNsec: frameNo * 1000,
    src: from === 'c' ? CLIENT : SERVER,
    dst: from === 'c' ? SERVER : CLIENT,
    seq: seq >>> 0,
    ack: ack >>> 0,
    flags,
    payload,
    segLen: len ?? payload.length,
  };
}

export function text(b: Uint8Array): string {
  return new TextDecoder().decode(b);
}

function be16(n: number): number[] {
  return [(n >>> 8) & 255, n & 255];
}

function be32(n: number): number[] {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
}

/** Ethernet + IPv4 + TCP (no options, checksums zero) carrying `payload`. */
export function tcpFrame(
  src: [string, number], dst: [string, number], seq: number, ack: number, flags: number, payload: Uint8Array,
): Uint8Array {
  const ip = (t: string) => t.split('.').map(Number);
  const tcp = [...be16(src[1]), ...be16(dst[1]), ...be32(seq >>> 0), ...be32(ack >>> 0), 0x50, flags, ...be16(65535), 0, 0, 0, 0];
  const total = 20 + tcp.length + payload.length;
  const ipv4 = [0x45, 0, ...be16(total), 0, 1, 0x40, 0, 64, 6, 0, 0, ...ip(src[0]), ...ip(dst[0])];
  const eth = [0, 0, 0x5e, 0, 0x53, 2, 0, 0, 0x5e, 0, 0x53, 1, 0x08, 0x00];
  const out = new Uint8Array(eth.length + ipv4.length + tcp.length + payload.length);
  out.set(eth, 0);
  out.set(ipv4, eth.length);
  out.set(tcp, eth.length + ipv4.length);
  out.set(payload, eth.length + ipv4.length + tcp.length);
  return out;
}
