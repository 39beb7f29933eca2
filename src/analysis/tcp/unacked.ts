/**
 * The segments one direction has sent that the other has not acknowledged yet (Wireshark's
 * tcp_unacked_t list): they give tcp.analysis.acks_frame / ack_rtt, the RTO reference frame of
 * a retransmission and the bytes in flight. Kept in one Float64Array in sending order (frame,
 * seq, next seq, send time per entry), capped like Wireshark at TCP_MAX_UNACKED_SEGMENTS, so
 * memory per connection is bounded and nothing is allocated per packet once it has grown.
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

// Entry layout (stride 4).
const FRAME = 0;
const SEQ = 1;
const NEXT = 2;
const TIME = 3;

/** Empty lists share one zero-length array: a connection costs nothing here until it sends data. */
const NONE = new Float64Array(0);

export class UnackedSegments {
  count = 0;
  /** Entry index of the oldest segment. */
  private start = 0;
  private data = NONE;
  private ordered = true;

  /** Frame of the oldest unacknowledged segment (the RTO reference), 0 when none. */
  get oldestFrame(): number {
    return this.count ? this.data[this.start * 4 + FRAME] : 0;
  }

  get oldestTime(): number {
    return this.data[this.start * 4 + TIME];
  }

  /** Appends a segment unless the list is full (Wireshark stops tracking then). */
  push(frame: number, seq: number, nextSeq: number, time: number): void {
    if (this.count >= TCP_MAX_UNACKED_SEGMENTS) return;
    const d0 = this.data;
    if (this.count === 0) {
      this.start = 0;
      this.ordered = true;
    } else if (this.ordered) {
      const last = (this.start + this.count - 1) * 4;
      this.ordered = geSeq(seq, d0[last + NEXT]) &&
        ((nextSeq - d0[this.start * 4 + SEQ]) >>> 0) < ORDERED_SPAN_LIMIT;
    }
    if ((this.start + this.count) * 4 === d0.length) {
      if (this.start > 0) {
        d0.copyWithin(0, this.start * 4, (this.start + this.count) * 4);
        this.start = 0;
      } else {
        const grown = new Float64Array(Math.min(TCP_MAX_UNACKED_SEGMENTS, Math.max(4, this.count * 2)) * 4);
        grown.set(d0);
        this.data = grown;
      }
    }
    const d = this.data;
    const k = (this.start + this.count) * 4;
    d[k + FRAME] = frame;
    d[k + SEQ] = seq;
    d[k + NEXT] = nextSeq;
    d[k + TIME] = time;
    this.count++;
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
    const d = (ack - this.data[this.start * 4 + SEQ]) | 0;
    if (this.ordered && d > -ORDERED_SPAN_LIMIT && d < ORDERED_SPAN_LIMIT) this.applyAckOrdered(ack, out);
    else this.applyAckScan(ack, out);
  }

  /** Sorted, non-overlapping entries: only a prefix can be acknowledged, one entry trimmed. */
  private applyAckOrdered(ack: number, out: { frame: number; time: number }): void {
    const d = this.data;
    let i = this.start;
    const end = i + this.count;
    while (i < end) {
      const k = i * 4;
      const next = d[k + NEXT];
      if (ack === next) {
        out.frame = d[k + FRAME];
        out.time = d[k + TIME];
        i++;
        continue;
      }
      if (gtSeq(ack, d[k + SEQ]) && leSeq(ack, next)) {
        d[k + SEQ] = ack;
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
    const d = this.data;
    const s = this.start;
    const n = s + this.count;
    let w = s;
    let ordered = true;
    for (let r = s; r < n; r++) {
      const k = r * 4;
      const seq = d[k + SEQ];
      const next = d[k + NEXT];
      if (ack === next) {
        if (out.frame === 0) {
          out.frame = d[k + FRAME];
          out.time = d[k + TIME];
        }
        continue; // acknowledged exactly: drop
      }
      let keptSeq = seq;
      if (gtSeq(ack, seq) && leSeq(ack, next)) {
        keptSeq = ack; // partly acknowledged: keep the rest
      } else if (!gtSeq(next, ack)) {
        continue; // wholly acknowledged: drop
      }
      const o = w * 4;
      if (w > s && !geSeq(keptSeq, d[o - 4 + NEXT])) ordered = false;
      d[o + FRAME] = d[k + FRAME];
      d[o + SEQ] = keptSeq;
      d[o + NEXT] = next;
      d[o + TIME] = d[k + TIME];
      w++;
    }
    this.count = w - s;
    if (this.count === 0) this.start = 0;
    this.ordered = ordered && (this.count === 0 ||
      ((d[(w - 1) * 4 + NEXT] - d[s * 4 + SEQ]) >>> 0) < ORDERED_SPAN_LIMIT);
  }

  /**
   * Bytes in flight the way Wireshark computes them by default (payload based): the span from
   * the lowest unacknowledged sequence number to the highest segment end, both taken relative
   * to `base` and compared as unsigned 32-bit numbers. Only meaningful when count > 0.
   */
  span(base: number): number {
    const d = this.data;
    const s = this.start;
    const e = s + this.count;
    if (this.ordered) {
      const first = (d[s * 4 + SEQ] - base) >>> 0;
      const last = (d[(e - 1) * 4 + NEXT] - base) >>> 0;
      // Relative values increase along the list unless they wrap past the base.
      if (first <= last) return last - first;
    }
    let first = (d[(e - 1) * 4 + SEQ] - base) >>> 0;
    let last = (d[(e - 1) * 4 + NEXT] - base) >>> 0;
    for (let i = s; i < e; i++) {
      const end = (d[i * 4 + NEXT] - base) >>> 0;
      if (end > last) last = end;
      const begin = (d[i * 4 + SEQ] - base) >>> 0;
      if (begin < first) first = begin;
    }
    return (last - first) >>> 0;
  }

  /** Drops the storage (a connection that will not be looked up any more). */
  release(): void {
    this.count = 0;
    this.start = 0;
    this.ordered = true;
    this.data = NONE;
  }
}
