/**
 * A conversation index keyed by an unordered pair of endpoints (A↔B equals B↔A), as Wireshark's
 * conversation lookup matches either direction. Endpoints are (address word, port word) as in
 * addresses.ts; the value is the conversation's index. `set` replaces the entry (a new TCP
 * conversation on a reused 4-tuple shadows the old one, like find_conversation returning the
 * latest). Isomorphic.
 */
import { endpointBefore, TupleTable } from './tuple-table.js';

export class PairIndex {
  private table = new TupleTable();

  /** Index stored for the pair, or -1. */
  get(addrA: number, pwA: number, addrB: number, pwB: number): number {
    return endpointBefore(addrA, pwA, addrB, pwB)
      ? this.table.get(addrA, pwA, addrB, pwB)
      : this.table.get(addrB, pwB, addrA, pwA);
  }

  set(addrA: number, pwA: number, addrB: number, pwB: number, index: number): void {
    if (endpointBefore(addrA, pwA, addrB, pwB)) this.table.set(addrA, pwA, addrB, pwB, index);
    else this.table.set(addrB, pwB, addrA, pwA, index);
  }

  get size(): number {
    return this.table.size;
  }

  clear(): void {
    this.table = new TupleTable();
  }
}
