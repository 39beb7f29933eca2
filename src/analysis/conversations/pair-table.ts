/**
 * A table keyed by an unordered pair of endpoint keys (A↔B equals B↔A), as Wireshark's
 * conversation lookup matches either direction. Two-level Map of numbers: no per-packet
 * allocation. `set` replaces the entry (a new TCP conversation on a reused 4-tuple shadows the
 * old one, like find_conversation returning the latest). Isomorphic.
 */
export class PairTable<T> {
  private readonly outer = new Map<number, Map<number, T>>();
  size = 0;

  get(a: number, b: number): T | undefined {
    const lo = a < b ? a : b;
    const hi = a < b ? b : a;
    return this.outer.get(lo)?.get(hi);
  }

  set(a: number, b: number, value: T): void {
    const lo = a < b ? a : b;
    const hi = a < b ? b : a;
    let inner = this.outer.get(lo);
    if (!inner) this.outer.set(lo, (inner = new Map()));
    if (!inner.has(hi)) this.size++;
    inner.set(hi, value);
  }

  clear(): void {
    this.outer.clear();
    this.size = 0;
  }
}
