/**
 * Hostile input for the link/network decoders: random bytes on every link type they handle,
 * mutated packets of the recorded fixtures, and every file of the tcpdump robustness corpus.
 * Nothing may fail inside a decoder, loop, or report a node outside the bytes it points into.
 * The generator is seeded, so a failure names a reproducible case.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readCaptureFileSync } from '../../../src/capture/read-node.js';
import { DecodeSession } from '../../../src/decode/index.js';
import { corpusDir, fixtureFiles, fixturePath, hasCorpus } from '../../helpers/fixtures.js';
import { bytes, decode, ethernet, expectSound, icmp, icmpv6, ip6, ipv4, ipv6, u16, u32, udp } from './helpers.js';

/** xorshift32: small, fast, reproducible. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

const LINK_TYPES = [1, 113, 276, 0, 108, 101, 228, 229];

/** Well-formed seeds to mutate, so mutations reach deep into each decoder. */
const SEEDS: Uint8Array[] = [
  ethernet(ipv4(icmp(8, 0, [0, 1, 0, 1], bytes('abcdefgh')), { proto: 1 })),
  ethernet(ipv4(icmp(3, 3, [0, 0, 0, 0], ipv4(udp(1, 2, bytes('x')))), { proto: 1, options: [7, 7, 4, 0, 0, 0, 0, 1] })),
  ethernet(ipv4(udp(1, 2, bytes('frag')), { flags: 1, id: 7 })),
  ethernet(ipv6(bytes([43, 0, 5, 2, 0, 0, 1, 0], [44, 2, 0, 1, 0, 0, 0, 0], ip6('2001:db8::9'),
    [58, 0, 0, 1, 0, 0, 0, 42], icmpv6(128, 0, bytes(u16(1), u16(1)))), { next: 0 }), 0x86dd),
  ethernet(ipv6(icmpv6(136, 0, bytes(u32(0xe0000000), ip6('2001:db8::2'), [2, 1, 2, 0, 0, 0, 0, 11])), { next: 58 }), 0x86dd),
  ethernet(bytes(u16(1), u16(0x0800), [6, 4], u16(1), new Uint8Array(20)), 0x0806),
  ethernet(bytes(u16(100), u16(0x8100), u16(200), u16(0x0800), ipv4(udp(5, 6))), 0x88a8),
  ethernet(bytes([0xaa, 0xaa, 3, 0, 0, 0], u16(0x0800), ipv4(udp(5, 6))), 36),
];

describe('random bytes on every link type', () => {
  it.each(LINK_TYPES)('link type %i: 1500 random frames', (linkType) => {
    const next = rng(linkType + 17);
    const s = new DecodeSession();
    for (let i = 0; i < 1500; i++) {
      const frame = new Uint8Array(Math.floor(next() * 160));
      for (let j = 0; j < frame.length; j++) frame[j] = Math.floor(next() * 256);
      // Bias the first bytes towards values that reach the network layers.
      if (frame.length > 14 && next() < 0.5) frame.set(u16([0x0800, 0x86dd, 0x0806, 0x8100][i & 3]), 12);
      if (frame.length > 0 && linkType >= 100 && next() < 0.5) frame[0] = next() < 0.5 ? 0x45 : 0x60;
      const origLen = next() < 0.2 ? frame.length + Math.floor(next() * 100) : frame.length;
      const d = decode(frame, { linkType, origLen, session: s, number: i + 1 });
      expectSound(d, frame);
    }
  });
});

describe('mutated packets', () => {
  it.each(SEEDS.map((f, i) => [i, f] as const))('seed %i: 1000 mutations', (i, seed) => {
    const next = rng(1000 + i);
    const s = new DecodeSession();
    for (let n = 0; n < 1000; n++) {
      const frame = Uint8Array.from(seed);
      const flips = 1 + Math.floor(next() * 4);
      for (let k = 0; k < flips; k++) frame[Math.floor(next() * frame.length)] = Math.floor(next() * 256);
      const cut = next() < 0.3 ? Math.floor(next() * frame.length) : frame.length;
      const d = decode(frame.slice(0, cut), { origLen: next() < 0.5 ? frame.length : cut, session: s, number: n + 1 });
      expectSound(d, frame.slice(0, cut));
    }
  });

  it('every recorded fixture packet, mutated', () => {
    const next = rng(4242);
    for (const fixture of fixtureFiles()) {
      const s = new DecodeSession();
      readCaptureFileSync(fixturePath(fixture), (rec) => {
        const frame = Uint8Array.from(rec.data);
        for (let k = 0; k < 3; k++) frame[Math.floor(next() * frame.length)] ^= 1 << Math.floor(next() * 8);
        const d = decode(frame, { linkType: rec.linkType, session: s, number: rec.number });
        expectSound(d, frame);
      });
    }
  });
});

describe.skipIf(!hasCorpus)('the tcpdump robustness corpus', () => {
  const files = hasCorpus ? readdirSync(corpusDir).filter((f) => /\.(pcap|pcapng)$/.test(f)).sort() : [];
  it(`decodes every packet of ${files.length} files soundly`, () => {
    let packets = 0;
    for (const file of files) {
      const path = join(corpusDir, file);
      if (statSync(path).size > 5_000_000) continue;
      const s = new DecodeSession();
      try {
        readCaptureFileSync(path, (rec) => {
          const d = decode(rec.data, { linkType: rec.linkType, origLen: rec.origLen, session: s, number: rec.number });
          expectSound(d, rec.data);
          packets++;
        });
      } catch (err) {
        // Damaged files are the capture reader's business: every packet before the damage was checked.
        if (!(err instanceof Error) || err.name === 'AssertionError') throw err;
      }
    }
    expect(packets).toBeGreaterThan(10_000);
  }, 300_000);
});
