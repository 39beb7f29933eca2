/**
 * The segments one direction has sent that the other has not acknowledged yet (Wireshark's
 * tcp_unacked_t list): they give tcp.analysis.acks_frame / ack_rtt, the RTO reference frame of
 * a retransmission and the bytes in flight. Kept in typed arrays in sending order, capped like
 * Wireshark at TCP_MAX_UNACKED_SEGMENTS, so memory per connection is bounded and nothing is
 * allocated per packet once the arrays have grown.
 *
 * Wireshark scans the whole list for every ACK and every data segment. The results only depend
 * on the set of segments, so while the list is "in order" (each segment starts at or after the
 * end of the previous one, within 2^30 bytes: the normal case) an ACK only touches a prefix and
 * the span is first-start..last-end, both O(1) amortized; after a retransmission breaks the
 * order the full scans give Wireshark's results, and order is re-established once the
 * out-of-order entries are acknowledged. Isomorphic.
 */
import { geSeq, gtSeq, leSeq } from './seq.js';

/** packet-tcp.h: "The most unacked segments we'll store". */
export const TCP_MAX_UNACKED_SEGMENTS = 10000;

/** Keep the fast path only while the listed range is far from wrapping comparisons. */
const ORDERED_SPAN_LIMIT = 2 ** 30;

export class UnackedSegments {
  count = 0;
  /** Index of the oldest entry. */
  private start = 0;
  private frames = new Uint32Array(0);
  private seqs = new Uint32Array(0);
  private nextSeqs = new Uint32Array(0);
  /** Send time, ns since the analyzer's time origin. */
  private times = new Float64Array(0);
  private ordered = true;

  /** Frame of the oldest unacknowledged segment (the RTO reference), 0 when none. */
  get oldestFrame(): number {
    return this.count ? this.frames[this.start] : 0;
  }

  get oldestTime(): number {
    return this.times[this.start];
  }

  /** Appends a segment unless the list is full (Wireshark stops tracking then). */
  push(frame: number, seq: number, nextSeq: number, time: number): void {
    if (this.count >= TCP_MAX_UNACKED_SEGMENTS) return;
    if (this.count === 0) {
      this.start = 0;
      this.ordered = true;
    } else if (this.ordered) {
      const last = this.start + this.count - 1;
      this.ordered = geSeq(seq, this.nextSeqs[last]) &&
        ((nextSeq - this.seqs[this.start]) >>> 0) < ORDERED_SPAN_LIMIT;
    }
    let i = this.start + this.count;
    if (i === this.frames.length) {
      if (this.start > 0) this.compact();
      else this.grow();
      i = this.start + this.count;
    }
    this.frames[i] = frame;
    this.seqs[i] = seq;
    this.nextSeqs[i] = nextSeq;
    this.times[i] = time;
    this.count++;
  }

  private compact(): void {
    const s = this.start;
    const e = s + this.count;
    this.frames.copyWithin(0, s, e);
    this.seqs.copyWithin(0, s, e);
    this.nextSeqs.copyWithin(0, s, e);
    this.times.copyWithin(0, s, e);
    this.start = 0;
  }

  private grow(): void {
    const size = Math.min(TCP_MAX_UNACKED_SEGMENTS, Math.max(8, this.frames.length * 2));
    const f = new Uint32Array(size); f.set(this.frames);
    const s = new Uint32Array(size); s.set(this.seqs);
    const n = new Uint32Array(size); n.set(this.nextSeqs);
    const t = new Float64Array(size); t.set(this.times);
    this.frames = f; this.seqs = s; this.nextSeqs = n; this.times = t;
  }

  /**
   * Applies an acknowledgment number (Wireshark's loop at the end of
   * tcp_analyze_sequence_number): segments it covers are dropped, a segment it covers in part
   * is trimmed to the unacknowledged rest. Writes into `out` the frame of the oldest segment
   * whose end equals `ack` exactly (Wireshark walks the list newest first and keeps
   * overwriting, so the oldest match wins) and its send time; frame 0 when none.
   */
  applyAck(ack: number, out: { frame: number; time: number }): void {
    out.frame = 0;
    if (this.count === 0) return;
    // The prefix walk equals the full walk when every comparison involved is within 2^31:
    // entries span < 2^30 and the ACK is within 2^30 of the first one.
    const d = (ack - this.seqs[this.start]) | 0;
    if (this.ordered && d > -ORDERED_SPAN_LIMIT && d < ORDERED_SPAN_LIMIT) this.applyAckOrdered(ack, out);
    else this.applyAckScan(ack, out);
  }

  /** Sorted, non-overlapping entries: only a prefix can be acknowledged, one entry trimmed. */
  private applyAckOrdered(ack: number, out: { frame: number; time: number }): void {
    let i = this.start;
    const end = i + this.count;
    while (i < end) {
      const next = this.nextSeqs[i];
      if (ack === next) {
        out.frame = this.frames[i];
        out.time = this.times[i];
        i++;
        continue;
      }
      if (gtSeq(ack, this.seqs[i]) && leSeq(ack, next)) {
        this.seqs[i] = ack;
        break;
      }
      if (gtSeq(next, ack)) break;
      i++;
    }
    this.count -= i - this.start;
    this.start = this.count ? i : 0;
  }

  /** Wireshark's full walk, compacting survivors in sending order. */
  private applyAckScan(ack: number, out: { frame: number; time: number }): void {
    const s = this.start;
    const n = s + this.count;
    let w = s;
    let ordered = true;
    for (let r = s; r < n; r++) {
      const seq = this.seqs[r];
      const next = this.nextSeqs[r];
      if (ack === next) {
        if (out.frame === 0) {
          out.frame = this.frames[r];
          out.time = this.times[r];
        }
        continue; // acknowledged exactly: drop
      }
      let keptSeq = seq;
      if (gtSeq(ack, seq) && leSeq(ack, next)) {
        keptSeq = ack; // partly acknowledged: keep the rest
      } else if (!gtSeq(next, ack)) {
        continue; // wholly acknowledged: drop
      }
      if (w > s && !geSeq(keptSeq, this.nextSeqs[w - 1])) ordered = false;
      this.frames[w] = this.frames[r];
      this.seqs[w] = keptSeq;
      this.nextSeqs[w] = next;
      this.times[w] = this.times[r];
      w++;
    }
    this.count = w - s;
    if (this.count === 0) this.start = 0;
    this.ordered = ordered && (this.count === 0 ||
      ((this.nextSeqs[w - 1] - this.seqs[s]) >>> 0) < ORDERED_SPAN_LIMIT);
  }

  /**
   * Bytes in flight the way Wireshark computes them by default (payload based): the span from
   * the lowest unacknowledged sequence number to the highest segment end, both taken relative
   * to `base` and compared as unsigned 32-bit numbers. Only meaningful when count > 0.
   */
  span(base: number): number {
    const s = this.start;
    const e = s + this.count;
    if (this.ordered) {
      const first = (this.seqs[s] - base) >>> 0;
      const last = (this.nextSeqs[e - 1] - base) >>> 0;
      // Relative values increase along the list unless they wrap past the base.
      if (first <= last) return last - first;
    }
    let first = (this.seqs[e - 1] - base) >>> 0;
    let last = (this.nextSeqs[e - 1] - base) >>> 0;
    for (let i = s; i < e; i++) {
      const end = (this.nextSeqs[i] - base) >>> 0;
      if (end > last) last = end;
      const begin = (this.seqs[i] - base) >>> 0;
      if (begin < first) first = begin;
    }
    return (last - first) >>> 0;
  }

  /** Drops the arrays (a connection that will not be looked up any more). */
  release(): void {
    this.count = 0;
    this.start = 0;
    this.ordered = true;
    this.frames = new Uint32Array(0);
    this.seqs = new Uint32Array(0);
    this.nextSeqs = new Uint32Array(0);
    this.times = new Float64Array(0);
  }
}
