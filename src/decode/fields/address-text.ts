/**
 * Address strings for the Source/Destination columns, memoized. A capture has few distinct
 * addresses, and the columns need them on every packet (a MAC pair from Ethernet, then the IP
 * pair over it): formatting them anew each time is a good part of a packet's column cost, and
 * handing out the same string object each time lets the index intern it without rehashing.
 * Bounded: past MAX distinct addresses a table simply starts over. Isomorphic.
 */
import { formatIPv4, formatMac } from './format.js';

const MAX = 8192;
const ipv4Texts = new Map<number, string>();
/** By the last four bytes, then the first two (small-integer keys: no boxed number per lookup). */
const macTexts = new Map<number, Map<number, string>>();
let macCount = 0;

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
