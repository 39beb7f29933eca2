/**
 * Value comparisons with Wireshark's rules per type:
 *  - integers, floats, relative times: numeric (NaN stands for "a negative number compared
 *    with an unsigned field", which tshark treats as neither equal, smaller nor larger);
 *  - booleans: by truth value (tcp.flags.syn == 2 is true when the bit is set);
 *  - IPv4/IPv6: an address constant may be a subnet; every comparison masks the packet's
 *    address with the constant's prefix first (ip.src > 10.0.0.0/8 compares networks);
 *  - byte strings: equal when same length and bytes; ordered byte by byte, but byte strings
 *    of different lengths are unordered (tshark 4.0: frame[0:2] > ff and < ff are both false);
 *  - strings: by UTF-16 code unit (the same as bytes for ASCII text);
 *  - absolute times: seconds, then nanoseconds.
 */
import type { Timestamp } from '../decode/fields/types.js';
import type { ConstValue, PairTest, ValueKind } from './typed.js';
import type { IPv4Value, IPv6Value } from './values.js';

/** Tests one packet value against a constant fixed at compile time. */
export type UnaryTest = (a: unknown) => boolean;
/** Tests a pair of packet values. */
export type BinaryTest = (a: unknown, b: unknown) => boolean;

function orderTest(test: PairTest, cmp: (a: unknown, b: unknown) => number): BinaryTest {
  // cmp returns NaN for "unordered": every ordered test is then false, eq false, ne true.
  switch (test) {
    case 'eq': return (a, b) => cmp(a, b) === 0;
    case 'ne': return (a, b) => !(cmp(a, b) === 0);
    case 'gt': return (a, b) => cmp(a, b) > 0;
    case 'ge': return (a, b) => cmp(a, b) >= 0;
    case 'lt': return (a, b) => cmp(a, b) < 0;
    case 'le': return (a, b) => cmp(a, b) <= 0;
    default: return () => false;
  }
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return NaN;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return a[i] - b[i];
  }
  return 0;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function bytesContain(hay: Uint8Array, needle: Uint8Array): boolean {
  if (needle.length === 0) return true;
  const first = needle[0];
  const last = hay.length - needle.length;
  outer: for (let i = hay.indexOf(first); i >= 0 && i <= last; i = hay.indexOf(first, i + 1)) {
    for (let j = 1; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** Bytes as a string of char codes 0–255, so a RegExp can run over binary data. */
export function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 4096) {
    s += String.fromCharCode.apply(null, b.subarray(i, i + 4096) as unknown as number[]);
  }
  return s;
}

function numCmp(a: unknown, b: unknown): number {
  const x = a as number;
  const y = b as number;
  return x === y ? 0 : x > y ? 1 : x < y ? -1 : NaN;
}

function boolCmp(a: unknown, b: unknown): number {
  return Number(!!a) - Number(!!b);
}

function ipv4Cmp(a: unknown, b: unknown): number {
  return numCmp((a as number) >>> 0, (b as number) >>> 0);
}

function bytesCmp(a: unknown, b: unknown): number {
  return a instanceof Uint8Array && b instanceof Uint8Array ? compareBytes(a, b) : NaN;
}

function stringCmp(a: unknown, b: unknown): number {
  if (typeof a !== 'string' || typeof b !== 'string') return NaN;
  return a === b ? 0 : a > b ? 1 : -1;
}

function timeCmp(a: unknown, b: unknown): number {
  const x = a as Timestamp;
  const y = b as Timestamp;
  if (!x || !y) return NaN;
  return x.sec !== y.sec ? x.sec - y.sec : x.nsec - y.nsec;
}

function cmpFor(kind: ValueKind): (a: unknown, b: unknown) => number {
  switch (kind) {
    case 'int': case 'double': case 'reltime': return numCmp;
    case 'bool': return boolCmp;
    case 'ipv4': return ipv4Cmp;
    case 'ipv6': case 'ether': case 'bytes': return bytesCmp;
    case 'string': return stringCmp;
    case 'abstime': return timeCmp;
    case 'label': return () => NaN;
  }
}

/** A comparison of two packet values of the same kind. */
export function pairTest(kind: ValueKind, test: PairTest): BinaryTest {
  if (test === 'contains') {
    if (kind === 'string') return (a, b) => typeof a === 'string' && typeof b === 'string' && a.includes(b);
    return (a, b) => a instanceof Uint8Array && b instanceof Uint8Array && bytesContain(a, b);
  }
  if (test === 'matches') return () => false; // a regex is always a constant (checked)
  if (test === 'eq' && (kind === 'bytes' || kind === 'ether' || kind === 'ipv6')) {
    return (a, b) => a instanceof Uint8Array && b instanceof Uint8Array && bytesEqual(a, b);
  }
  return orderTest(test, cmpFor(kind));
}

/** A comparison of a packet value with a constant: masks and needles are prepared once. */
export function constTest(kind: ValueKind, test: PairTest, c: ConstValue): UnaryTest {
  if (test === 'matches') {
    const re = c as RegExp;
    if (kind === 'string') return (a) => typeof a === 'string' && re.test(a);
    return (a) => a instanceof Uint8Array && re.test(latin1(a));
  }
  if (test === 'contains') {
    if (kind === 'string') {
      const needle = c as string;
      return (a) => typeof a === 'string' && a.includes(needle);
    }
    const needle = c as Uint8Array;
    return (a) => a instanceof Uint8Array && bytesContain(a, needle);
  }
  if (kind === 'ipv4') {
    const { addr, mask } = c as IPv4Value;
    const t = orderTest(test, numCmp);
    if (mask === 0xffffffff) {
      if (test === 'eq') return (a) => (a as number) >>> 0 === addr;
      return (a) => t((a as number) >>> 0, addr);
    }
    if (test === 'eq') return (a) => ((a as number) & mask) >>> 0 === addr;
    return (a) => t(((a as number) & mask) >>> 0, addr);
  }
  if (kind === 'ipv6') {
    const { bytes, bits } = c as IPv6Value;
    const t = orderTest(test, (a) => comparePrefix(a as Uint8Array, bytes, bits));
    return (a) => a instanceof Uint8Array && t(a, bytes);
  }
  if (kind === 'int' || kind === 'double' || kind === 'reltime') {
    const k = c as number;
    switch (test) {
      case 'eq': return (a) => a === k;
      case 'ne': return (a) => a !== k;
      case 'gt': return (a) => (a as number) > k;
      case 'ge': return (a) => (a as number) >= k;
      case 'lt': return (a) => (a as number) < k;
      case 'le': return (a) => (a as number) <= k;
    }
  }
  const t = pairTest(kind, test);
  return (a) => t(a, c);
}

/** Compares an address masked to `bits` with a (masked) prefix. */
function comparePrefix(a: Uint8Array, prefix: Uint8Array, bits: number): number {
  if (a.length !== prefix.length) return NaN;
  for (let i = 0; i < a.length; i++) {
    const keep = Math.max(0, Math.min(8, bits - 8 * i));
    if (keep === 0) return 0;
    const m = (0xff << (8 - keep)) & 0xff;
    const d = (a[i] & m) - prefix[i];
    if (d !== 0) return d;
  }
  return 0;
}
