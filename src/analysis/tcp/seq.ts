/**
 * Sequence-number arithmetic modulo 2^32 (RFC 793 §3.3, RFC 1982), as Wireshark's GT_SEQ /
 * LT_SEQ / LE_SEQ: a is "after" b when the signed 32-bit difference b − a is negative.
 * Isomorphic.
 */

/** a > b in sequence space. */
export function gtSeq(a: number, b: number): boolean {
  return ((b - a) | 0) < 0;
}

/** a < b in sequence space. */
export function ltSeq(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}

/** a ≤ b in sequence space. */
export function leSeq(a: number, b: number): boolean {
  return ((a - b) | 0) <= 0;
}

/** a ≥ b in sequence space. */
export function geSeq(a: number, b: number): boolean {
  return ((b - a) | 0) <= 0;
}

/** (a + b) mod 2^32 as an unsigned number. */
export function add32(a: number, b: number): number {
  return (a + b) >>> 0;
}

/** (a − b) mod 2^32 as an unsigned number. */
export function sub32(a: number, b: number): number {
  return (a - b) >>> 0;
}
