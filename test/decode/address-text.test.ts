/** Memoized column address texts: always the formatter's text, whatever was cached before. */
import { describe, expect, it } from 'vitest';
import { formatIPv4, formatIPv6, formatMac } from '../../src/decode/fields/format.js';
import { ipv4Text, ipv6Text, macText } from '../../src/decode/fields/address-text.js';

/** Deterministic pseudo-random bytes (xorshift32). */
function randomBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

describe('column address texts', () => {
  it('ipv6Text equals formatIPv6 at any offset, through cache hits and table resets', () => {
    // 20,000 distinct addresses (more than the table keeps), read twice, at odd offsets.
    const bytes = randomBytes(20_000 * 16 + 3, 7);
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < 20_000; i += 1 + pass * 6) {
        const at = 3 + i * 16;
        expect(ipv6Text(bytes, at)).toBe(formatIPv6(bytes, at));
      }
    }
  });

  it('ipv6Text tells apart addresses that differ in one byte and hands out the same string again', () => {
    const a = new Uint8Array(16);
    a[0] = 0x20; a[1] = 0x01; a[2] = 0x0d; a[3] = 0xb8; a[15] = 1;
    const first = ipv6Text(a, 0);
    expect(first).toBe('2001:db8::1');
    expect(ipv6Text(a, 0)).toBe(first);
    for (let k = 0; k < 16; k++) {
      const b = a.slice();
      b[k] ^= 0x40;
      expect(ipv6Text(b, 0)).toBe(formatIPv6(b));
    }
    // The cached key is a copy: changing the packet bytes afterwards does not change the answer.
    a[15] = 2;
    expect(ipv6Text(a, 0)).toBe('2001:db8::2');
    const mapped = new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1]);
    expect(ipv6Text(mapped, 0)).toBe('::ffff:192.0.2.1');
  });

  it('ipv4Text and macText equal their formatters', () => {
    const bytes = randomBytes(12_000 * 6, 11);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i + 6 <= bytes.length; i += 6) {
      expect(macText(bytes, i)).toBe(formatMac(bytes, i));
      const addr = view.getUint32(i);
      expect(ipv4Text(addr)).toBe(formatIPv4(addr));
    }
  });
});
