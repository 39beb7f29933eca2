/**
 * The segments one direction has sent that the other has not acknowledged yet (Wireshark's
 * tcp_unacked_t list): they give tcp.analysis.acks_frame / ack_rtt, the RTO reference frame
 * of a retransmission and the bytes in flight. Kept in typed arrays in sending order (index 0
 * = oldest), capped like Wireshark at TCP_MAX_UNACKED_SEGMENTS, so memory per connection is
 * bounded and nothing is allocated per packet once the arrays have grown. Isomorphic.
 */
import { gtSeq, leSeq } from './seq.js';

/** packet-tcp.h: "The most unacked segments we'll store". */
export const TCP_MAX_UNACKED_SEGMENTS = 10000;

export class UnackedSegments {
  count = 0;
  private frames = new Uint32Array(0);
  private seqs = new Uint32Array(0);
  private nextSeqs = new Uint32Array(0);
  /** Send time, ns since the analyzer's time origin. */
  private times = new Float64Array(0);

  /** Frame of the oldest unacknowledged segment (the RTO reference), 0 when none. */
  get oldestFrame(): number {
    return this.count ? this.frames[0] : 0;
  }

  get oldestTime(): number {
    return this.times[0];
  }

  /** Appends a segment unless the list is full (Wireshark stops tracking then). */
  push(frame: number, seq: number, nextSeq: number, time: number): void {
    if (this.count >= TCP_MAX_UNACKED_SEGMENTS) return;
    if (this.count === this.frames.length) this.grow();
    const i = this.count++;
    this.frames[i] = frame;
    this.seqs[i] = seq;
    this.nextSeqs[i] = nextSeq;
    this.times[i] = time;
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
   * is trimmed to the unacknowledged rest. Returns the index-free result through `out`: the
   * frame of the oldest segment whose end equals `ack` exactly (Wireshark walks the list newest
   * first and keeps overwriting, so the oldest exact match wins) and its send time; 0 when no
   * segment ends exactly at `ack`.
   */
  applyAck(ack: number, out: { frame: number; time: number }): void {
    out.frame = 0;
    let w = 0;
    const n = this.count;
    for (let r = 0; r < n; r++) {
      const seq = this.seqs[r];
      const next = this.nextSeqs[r];
      if (ack === next) {
        if (out.frame === 0) {
          out.frame = this.frames[r];
          out.time = this.times[r];
        }
        continue; // acknowledged exactly: drop
      }
      if (gtSeq(ack, seq) && leSeq(ack, next)) {
        this.seqs[r] = ack; // partly acknowledged: keep the rest
      } else if (!gtSeq(next, ack)) {
        continue; // wholly acknowledged: drop
      }
      if (w !== r) {
        this.frames[w] = this.frames[r];
        this.seqs[w] = this.seqs[r];
        this.nextSeqs[w] = next;
        this.times[w] = this.times[r];
      }
      w++;
    }
    this.count = w;
  }

  /**
   * Bytes in flight the way Wireshark computes them by default (payload based): the span from
   * the lowest unacknowledged sequence number to the highest segment end, both taken relative
   * to `base` and compared as unsigned 32-bit numbers. Only meaningful when count > 0.
   */
  span(base: number): number {
    let first = (this.seqs[this.count - 1] - base) >>> 0;
    let last = (this.nextSeqs[this.count - 1] - base) >>> 0;
    for (let i = 0; i < this.count; i++) {
      const end = (this.nextSeqs[i] - base) >>> 0;
      if (end > last) last = end;
      const start = (this.seqs[i] - base) >>> 0;
      if (start < first) first = start;
    }
    return (last - first) >>> 0;
  }

  /** Drops the arrays (a finished connection that will not be acknowledged any more). */
  release(): void {
    this.count = 0;
    this.frames = new Uint32Array(0);
    this.seqs = new Uint32Array(0);
    this.nextSeqs = new Uint32Array(0);
    this.times = new Float64Array(0);
  }
}
