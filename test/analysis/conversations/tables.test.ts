/**
 * The integer-keyed conversation tables: both directions of a pair find the same entry, a set
 * on an existing pair replaces it (port reuse), growth keeps every entry, IPv4 and IPv6
 * endpoints never collide, IPv6 addresses are interned once.
 */
import { describe, expect, it } from 'vitest';
import { PairIndex } from '../../../src/analysis/conversations/pair-table.js';
import { TupleTable } from '../../../src/analysis/conversations/tuple-table.js';
import { AddressBook, V6_FLAG } from '../../../src/analysis/conversations/addresses.js';

describe('TupleTable', () => {
  it('stores, replaces and finds keys across growth, with 32-bit values of any sign', () => {
    const t = new TupleTable(16);
    for (let i = 0; i < 5000; i++) t.set(0xc0000200 + i, 80, 0xfffffff0 - i, 40000 + i, i);
    expect(t.size).toBe(5000);
    for (let i = 0; i < 5000; i += 97) expect(t.get(0xc0000200 + i, 80, 0xfffffff0 - i, 40000 + i)).toBe(i);
    expect(t.get(0xc0000200, 81, 0xfffffff0, 40000)).toBe(-1);
    t.set(0xc0000200, 80, 0xfffffff0, 40000, 7777);
    expect(t.get(0xc0000200, 80, 0xfffffff0, 40000)).toBe(7777);
    expect(t.size).toBe(5000);
  });
});

describe('PairIndex', () => {
  it('matches a pair in either direction and lets a new conversation shadow the old one', () => {
    const p = new PairIndex();
    p.set(0x0a000001, 1234, 0x0a000002, 80, 0);
    expect(p.get(0x0a000002, 80, 0x0a000001, 1234)).toBe(0);
    expect(p.get(0x0a000001, 1234, 0x0a000002, 80)).toBe(0);
    expect(p.get(0x0a000001, 1235, 0x0a000002, 80)).toBe(-1);
    p.set(0x0a000002, 80, 0x0a000001, 1234, 1);
    expect(p.get(0x0a000001, 1234, 0x0a000002, 80)).toBe(1);
    expect(p.size).toBe(1);
  });

  it('keeps an IPv4 address and an IPv6 index with the same number apart', () => {
    const p = new PairIndex();
    p.set(1, 80, 2, 9000, 0);
    p.set(1, 80 | V6_FLAG, 2, 9000 | V6_FLAG, 1);
    expect(p.get(2, 9000, 1, 80)).toBe(0);
    expect(p.get(2, 9000 | V6_FLAG, 1, 80 | V6_FLAG)).toBe(1);
  });
});

describe('AddressBook', () => {
  it('interns IPv6 addresses and prints endpoints like Wireshark', () => {
    const book = new AddressBook();
    const a = Uint8Array.from([0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
    const b = Uint8Array.from([0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    const ia = book.v6(a);
    const ib = book.v6(b);
    expect(ia).not.toBe(ib);
    expect(book.v6(a.slice())).toBe(ia);
    expect(book.endpointText(ia, 443 | V6_FLAG)).toBe('[2001:db8:1::2]:443');
    expect(book.endpointText(0xc0000201, 80)).toBe('192.0.2.1:80');
    expect(book.text(ib, true)).toBe('2001:db8:1::1');
  });
});
