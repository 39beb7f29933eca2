/** The benchmark capture generator: deterministic, valid, realistic enough to exercise analysis. */

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureBenchCapture, generateBenchCapture, parseSize } from '../../scripts/bench/generate.js';
import { readCaptureFileSync } from '../../src/capture/read-node.js';

const dir = mkdtempSync(join(tmpdir(), 'wirescope-gen-'));

/** RFC 1071 checksum over the given byte ranges; 0 when the stored checksum is right. */
function verify(parts: Uint8Array[]): number {
  let s = 0;
  for (const p of parts) {
    for (let i = 0; i + 1 < p.length; i += 2) s += (p[i] << 8) | p[i + 1];
    if (p.length % 2) s += p[p.length - 1] << 8;
  }
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

function pseudo(src: Uint8Array, dst: Uint8Array, proto: number, len: number): Uint8Array {
  const p = new Uint8Array(src.length * 2 + 4);
  p.set(src, 0);
  p.set(dst, src.length);
  p[p.length - 3] = proto;
  p[p.length - 2] = len >> 8;
  p[p.length - 1] = len & 0xff;
  return p;
}

describe('bench capture generator', () => {
  const a = generateBenchCapture({ targetBytes: 2e6, seed: 3, path: join(dir, 'a.pcap') });

  it('is deterministic for a seed and stops at the first packet past the target size', () => {
    const b = generateBenchCapture({ targetBytes: 2e6, seed: 3, path: join(dir, 'b.pcap') });
    const c = generateBenchCapture({ targetBytes: 2e6, seed: 4, path: join(dir, 'c.pcap') });
    expect(readFileSync(a.path).equals(readFileSync(b.path))).toBe(true);
    expect(readFileSync(a.path).equals(readFileSync(c.path))).toBe(false);
    expect(a.bytes).toBeGreaterThanOrEqual(2e6);
    expect(a.bytes).toBeLessThan(2e6 + 2000);
    expect(readFileSync(a.path).length).toBe(a.bytes);
  });

  it('reuses a file generated with the same parameters', () => {
    const again = ensureBenchCapture({ targetBytes: 2e6, seed: 3, path: a.path });
    expect(again).toMatchObject({ reused: true, packets: a.packets, bytes: a.bytes });
    const other = join(dir, 'other.pcap');
    expect(ensureBenchCapture({ targetBytes: 1e6, seed: 3, path: other }).reused).toBe(false);
    expect(ensureBenchCapture({ targetBytes: 1e6, seed: 3, path: other, lossRate: 0.02 }).reused).toBe(false);
    expect(ensureBenchCapture({ targetBytes: 1e6, seed: 3, path: other, lossRate: 0.02 }).reused).toBe(true);
  });

  it('writes valid Ethernet/IP/TCP/UDP/ICMP/ARP with correct checksums and the expected mix', () => {
    const seen = { tcp: 0, udp53: 0, icmp: 0, icmp6: 0, arp: 0, v6: 0, syn: 0, synack: 0, rst: 0, fin: 0, synOpts: 0, sack: 0, badChecksum: 0 };
    let lastTs = 0;
    const r = readCaptureFileSync(a.path, (rec) => {
      const d = rec.data;
      const t = rec.tsSec * 1e6 + rec.tsNsec / 1000;
      expect(t).toBeGreaterThanOrEqual(lastTs);
      lastTs = t;
      expect(rec.capLen).toBe(rec.origLen);
      const type = (d[12] << 8) | d[13];
      if (type === 0x0806) {
        seen.arp++;
        return;
      }
      let proto: number;
      let l4: Uint8Array;
      let ph: Uint8Array;
      if (type === 0x0800) {
        const ihl = (d[14] & 0x0f) * 4;
        const total = (d[16] << 8) | d[17];
        expect(total).toBe(d.length - 14);
        if (verify([d.subarray(14, 14 + ihl)]) !== 0) seen.badChecksum++;
        proto = d[23];
        l4 = d.subarray(14 + ihl);
        ph = pseudo(d.subarray(26, 30), d.subarray(30, 34), proto, l4.length);
      } else {
        expect(type).toBe(0x86dd);
        seen.v6++;
        expect((d[18] << 8) | d[19]).toBe(d.length - 54);
        proto = d[20];
        l4 = d.subarray(54);
        ph = pseudo(d.subarray(22, 38), d.subarray(38, 54), proto, l4.length);
      }
      if (proto === 6) {
        seen.tcp++;
        const flags = l4[13];
        if (flags === 0x02) seen.syn++;
        if (flags === 0x12) seen.synack++;
        if (flags & 0x04) seen.rst++;
        if (flags & 0x01) seen.fin++;
        if (flags & 0x02 && l4[20] === 2 && l4[21] === 4) seen.synOpts++;
        if ((l4[12] >> 4) * 4 > 32) seen.sack++;
        if (verify([ph, l4]) !== 0) seen.badChecksum++;
      } else if (proto === 17) {
        if (((l4[0] << 8) | l4[1]) === 53 || ((l4[2] << 8) | l4[3]) === 53) seen.udp53++;
        if (verify([ph, l4]) !== 0) seen.badChecksum++;
      } else if (proto === 1) {
        seen.icmp++;
        if (verify([l4]) !== 0) seen.badChecksum++;
      } else if (proto === 58) {
        seen.icmp6++;
        if (verify([ph, l4]) !== 0) seen.badChecksum++;
      }
    });
    expect(r.warning).toBeUndefined();
    expect(r.packets).toBe(a.packets);
    expect(seen.badChecksum).toBe(0);
    expect(seen.tcp).toBeGreaterThan(r.packets * 0.9);
    for (const k of ['udp53', 'v6', 'syn', 'synack', 'fin', 'synOpts', 'sack'] as const) expect(seen[k], k).toBeGreaterThan(0);
    expect(seen.synOpts).toBe(seen.syn + seen.synack);
  });

  it('parses sizes', () => {
    expect([parseSize('550MB'), parseSize('1.5GB'), parseSize('200k'), parseSize('12345')]).toEqual([550e6, 1.5e9, 200e3, 12345]);
    expect(() => parseSize('lots')).toThrow();
  });
});
