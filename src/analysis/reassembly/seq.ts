/**
 * TCP sequence-number arithmetic modulo 2³² (RFC 793 §3.3, RFC 1982 serial numbers): a
 * sequence number is "before" another when the forward distance to it is more than half the
 * space away. Every comparison in the reassembly goes through these so wrap-around works.
 * Isomorphic.
 */

/** (b − a) mod 2³², as an unsigned number. */
export function seqDistance(a: number, b: number): number {
  return (b - a) >>> 0;
}

/** Signed difference a − b in the 2³² sequence space (−2³¹ … 2³¹−1). */
export function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

export function seqLt(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}

export function seqLe(a: number, b: number): boolean {
  return ((a - b) | 0) <= 0;
}

export function seqGt(a: number, b: number): boolean {
  return ((a - b) | 0) > 0;
}

export function seqGe(a: number, b: number): boolean {
  return ((a - b) | 0) >= 0;
}

/** a + n wrapped into 0 … 2³²−1. */
export function seqAdd(a: number, n: number): number {
  return (a + n) >>> 0;
}
