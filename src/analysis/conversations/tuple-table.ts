/**
 * Open-addressing hash table from a 4 × 32-bit key to a non-negative int (an index into the
 * caller's array of conversations). Keys and values live in typed arrays and every operation
 * is 32-bit integer arithmetic, so a lookup per packet allocates nothing (number keys above
 * 2^30 would be boxed by V8, strings built). Isomorphic.
 */

const EMPTY = -1;

export class TupleTable {
  private keys: Int32Array;
  private vals: Int32Array;
  private mask: number;
  size = 0;

  constructor(initialSlots = 1024) {
    let n = 16;
    while (n < initialSlots) n <<= 1;
    this.keys = new Int32Array(n * 4);
    this.vals = new Int32Array(n).fill(EMPTY);
    this.mask = n - 1;
  }

  private static hash(a: number, b: number, c: number, d: number): number {
    let h = Math.imul(a ^ 0x5bd1e995, 0x9e3779b1);
    h = Math.imul(h ^ (h >>> 15) ^ b, 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13) ^ c, 0xc2b2ae35);
    h = Math.imul(h ^ (h >>> 16) ^ d, 0x27d4eb2f);
    return h ^ (h >>> 15);
  }

  /** Value stored for the key, or -1. */
  get(a: number, b: number, c: number, d: number): number {
    const keys = this.keys;
    const vals = this.vals;
    const mask = this.mask;
    a |= 0; b |= 0; c |= 0; d |= 0;
    let i = TupleTable.hash(a, b, c, d) & mask;
    for (;;) {
      const v = vals[i];
      if (v === EMPTY) return EMPTY;
      const k = i << 2;
      if (keys[k] === a && keys[k + 1] === b && keys[k + 2] === c && keys[k + 3] === d) return v;
      i = (i + 1) & mask;
    }
  }

  /** Stores (or replaces) the value of a key. `value` must be ≥ 0. */
  set(a: number, b: number, c: number, d: number, value: number): void {
    if ((this.size + 1) * 2 > this.vals.length) this.grow();
    a |= 0; b |= 0; c |= 0; d |= 0;
    const keys = this.keys;
    const vals = this.vals;
    const mask = this.mask;
    let i = TupleTable.hash(a, b, c, d) & mask;
    for (;;) {
      const v = vals[i];
      const k = i << 2;
      if (v === EMPTY) {
        keys[k] = a; keys[k + 1] = b; keys[k + 2] = c; keys[k + 3] = d;
        vals[i] = value;
        this.size++;
        return;
      }
      if (keys[k] === a && keys[k + 1] === b && keys[k + 2] === c && keys[k + 3] === d) {
        vals[i] = value;
        return;
      }
      i = (i + 1) & mask;
    }
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldVals = this.vals;
    const n = oldVals.length * 2;
    this.keys = new Int32Array(n * 4);
    this.vals = new Int32Array(n).fill(EMPTY);
    this.mask = n - 1;
    this.size = 0;
    for (let i = 0; i < oldVals.length; i++) {
      if (oldVals[i] !== EMPTY) {
        const k = i << 2;
        this.set(oldKeys[k], oldKeys[k + 1], oldKeys[k + 2], oldKeys[k + 3], oldVals[i]);
      }
    }
  }
}

/**
 * True when endpoint (addrA, portWordA) sorts before (addrB, portWordB): conversation keys are
 * stored with the lower endpoint first, so both directions find the same entry.
 */
export function endpointBefore(addrA: number, pwA: number, addrB: number, pwB: number): boolean {
  const a = addrA >>> 0;
  const b = addrB >>> 0;
  return a < b || (a === b && pwA <= pwB);
}
