/**
 * Address strings for the Source/Destination columns, memoized. A capture has few distinct
 * addresses, and the columns need them on every packet (a MAC pair from Ethernet, then the IP
 * pair over it): formatting them anew each time is a good part of a packet's column cost, and
 * handing out the same string object each time lets the index intern it without rehashing.
 * Bounded: past MAX distinct addresses a table simply starts over. Isomorphic.
 */
import { formatIPv4, formatIPv6, formatMac } from './format.js';

const MAX = 8192;
const ipv4Texts = new Map<number, string>();
/** By the last four bytes, then the first two (small-integer keys: no boxed number per lookup). */
const macTexts = new Map<number, Map<number, string>>();
let macCount = 0;
/** By a hash of the 16 bytes; each bucket holds [bytes, text] pairs that are compared in full. */
const ipv6Texts = new Map<number, { addr: Uint8Array; text: string }[]>();
let ipv6Count = 0;

/** formatIPv4(addr), memoized. */
export function ipv4Text(addr: number): string {
  const key = addr | 0;
  let s = ipv4Texts.get(key);
  if (s === undefined) {
    if (ipv4Texts.size >= MAX) ipv4Texts.clear();
    s = formatIPv4(addr);
    ipv4Texts.set(key, s);
  }
  return s;
}

/** formatMac(b, offset), memoized. */
export function macText(b: Uint8Array, offset: number): string {
  const low = (b[offset + 2] << 24) | (b[offset + 3] << 16) | (b[offset + 4] << 8) | b[offset + 5];
  const high = (b[offset] << 8) | b[offset + 1];
  let byHigh = macTexts.get(low);
  if (byHigh === undefined) {
    if (macCount >= MAX) {
      macTexts.clear();
      macCount = 0;
    }
    byHigh = new Map();
    macTexts.set(low, byHigh);
  }
  let s = byHigh.get(high);
  if (s === undefined) {
    s = formatMac(b, offset);
    byHigh.set(high, s);
    macCount++;
  }
  return s;
}

/** formatIPv6(b, offset), memoized. */
export function ipv6Text(b: Uint8Array, offset: number): string {
  let h = 0;
  for (let i = 0; i < 16; i++) h = (Math.imul(h, 31) + b[offset + i]) | 0;
  let bucket = ipv6Texts.get(h);
  if (bucket !== undefined) {
    for (const e of bucket) if (sameBytes(e.addr, b, offset)) return e.text;
  } else {
    if (ipv6Count >= MAX) {
      ipv6Texts.clear();
      ipv6Count = 0;
    }
    bucket = [];
    ipv6Texts.set(h, bucket);
  }
  const text = formatIPv6(b, offset);
  bucket.push({ addr: b.slice(offset, offset + 16), text });
  ipv6Count++;
  return text;
}

function sameBytes(a: Uint8Array, b: Uint8Array, offset: number): boolean {
  for (let i = 0; i < 16; i++) if (a[i] !== b[offset + i]) return false;
  return true;
}
