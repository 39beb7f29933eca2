/**
 * The analysis's time base: nanoseconds since the first packet it saw, as a double. Exact to the
 * nanosecond for captures shorter than ~104 days (2^53 ns), and cheap to subtract, unlike
 * {sec, nsec} pairs. Isomorphic.
 */
import type { FrameInfo } from '../decode/context.js';

export class AnalysisClock {
  /** Epoch seconds of the origin; NaN until the first packet. */
  originSec = NaN;

  /** ns of `frame` since the origin (the first call sets the origin). */
  now(frame: FrameInfo): number {
    if (this.originSec !== this.originSec) this.originSec = frame.tsSec;
    return (frame.tsSec - this.originSec) * 1e9 + frame.tsNsec;
  }

  reset(): void {
    this.originSec = NaN;
  }
}
