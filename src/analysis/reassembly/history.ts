/**
 * The recently delivered bytes of one direction, kept so a later retransmission can be
 * compared with the first copy ("did the retransmission carry different bytes?"). Holds
 * references to delivered chunks, never copies; `capacity` bounds how many bytes stay
 * reachable (the incremental analysis keeps a window, a follow view keeps everything).
 * Isomorphic.
 */
import { seqDistance, seqGt, seqLt } from './seq.js';

interface Entry {
  seq: number;
  bytes: Uint8Array;
  frame: number;
}

export interface Comparison {
  /** Bytes of the range whose first copy is still known. */
  compared: number;
  differing: number;
  /** Sequence number of the first compared byte. */
  seq: number;
  /** Frame of the first copy of the first differing byte (0 when none differ). */
  firstFrame: number;
}

export class DeliveredHistory {
  private entries: Entry[] = [];
  private head = 0;
  private held = 0;

  constructor(private readonly capacity = Number.POSITIVE_INFINITY) {}

  add(seq: number, bytes: Uint8Array, frame: number): void {
    if (bytes.length === 0 || this.capacity <= 0) return;
    this.entries.push({ seq, bytes, frame });
    this.held += bytes.length;
    while (this.held - this.entries[this.head].bytes.length >= this.capacity) {
      this.held -= this.entries[this.head].bytes.length;
      this.head++;
    }
    if (this.head > 64 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }

  /** Compares `bytes` (starting at raw sequence `seq`) with the first copies still held. */
  compare(seq: number, bytes: Uint8Array): Comparison {
    const out: Comparison = { compared: 0, differing: 0, seq, firstFrame: 0 };
    if (bytes.length === 0) return out;
    const end = (seq + bytes.length) >>> 0;
    let first = true;
    // Entries are in delivery order, which is sequence order within a direction.
    for (let i = this.lowerBound(seq); i < this.entries.length; i++) {
      const e = this.entries[i];
      const eEnd = (e.seq + e.bytes.length) >>> 0;
      if (!seqLt(e.seq, end)) break;
      if (!seqGt(eEnd, seq)) continue;
      const from = seqGt(e.seq, seq) ? e.seq : seq;
      const to = seqLt(eEnd, end) ? eEnd : end;
      const n = seqDistance(from, to);
      const a = seqDistance(seq, from);
      const b = seqDistance(e.seq, from);
      if (first) {
        out.seq = from;
        first = false;
      }
      for (let k = 0; k < n; k++) {
        if (bytes[a + k] !== e.bytes[b + k]) {
          if (out.differing === 0) out.firstFrame = e.frame;
          out.differing++;
        }
      }
      out.compared += n;
    }
    return out;
  }

  /** First held entry that may end after `seq` (binary search over delivery order). */
  private lowerBound(seq: number): number {
    let lo = this.head;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const e = this.entries[mid];
      if (seqGt((e.seq + e.bytes.length) >>> 0, seq)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
