/** Field formatting: tshark -T fields text and the detail-tree lines. */
import { describe, expect, it } from 'vitest';
import { lookupField } from '../../src/decode/index.js';
import { formatIPv6, formatNodeLine, formatRelTime, formatFieldValue } from '../../src/decode/fields/format.js';

describe('field formatting', () => {
  it('prints IPv6 addresses in RFC 5952 form', () => {
    const a = new Uint8Array(16);
    a[0] = 0x20; a[1] = 0x01; a[2] = 0x0d; a[3] = 0xb8; a[15] = 1;
    expect(formatIPv6(a)).toBe('2001:db8::1');
    expect(formatIPv6(new Uint8Array(16))).toBe('::');
    const two = new Uint8Array(16);
    two[1] = 1; two[5] = 2; // 1:0:2:0:0:0:0:0 → the longer zero run is compressed
    expect(formatIPv6(two)).toBe('1:0:2::');
  });

  it('prints relative times with nine decimals, negative ones too', () => {
    expect(formatRelTime(1_500_000_000)).toBe('1.500000000');
    expect(formatRelTime(-1000)).toBe('-0.000001000');
  });

  it('prints hex fields zero-padded to their width, as tshark does', () => {
    const ethType = lookupField('eth.type')!;
    expect(formatFieldValue(ethType, 0x800)).toBe('0x0800');
  });

  it('brackets generated lines exactly once', () => {
    const stream = lookupField('tcp.stream')!;
    expect(formatNodeLine(stream, 0, true, 'Stream index: 0')).toBe('[Stream index: 0]');
    expect(formatNodeLine(stream, 0, true, '[Stream index: 0]')).toBe('[Stream index: 0]');
    expect(formatNodeLine(stream, 3, false)).toBe('Stream index: 3');
  });
});
