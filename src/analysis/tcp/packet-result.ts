/**
 * What the analysis found for the current segment (Wireshark's per-frame `struct tcp_acked`,
 * "ta", plus the values the TCP tree shows). One instance is reused for every segment: nothing
 * is allocated per packet, and nothing of it outlives the packet. Isomorphic.
 */
import type { TcpSegmentInfo } from '../../decode/context.js';
import type { TcpConnection } from './connection.js';

export class TcpPacketResult {
  /** The segment this result belongs to (tcpFields checks it). */
  seg: TcpSegmentInfo | null = null;
  /** Time of the segment, ns since the analyzer's origin. */
  now = 0;
  conn: TcpConnection | null = null;
  dir: 0 | 1 = 0;
  /** Wireshark created a `ta` for this frame: the [SEQ/ACK analysis] subtree is shown. */
  exists = false;
  flags = 0;
  dupAckNum = 0;
  dupAckFrame = 0;
  frameAcked = 0;
  /** ns; shown only when non-zero (as Wireshark). */
  ackRtt = 0;
  bytesInFlight = 0;
  pushBytesSent = 0;
  /** ns; shown only when non-zero, with rtoFrame. */
  rto = 0;
  rtoFrame = 0;

  // --- the values the TCP tree shows ---
  /** tcp.completeness as printed (before this segment's update in one pass; final in two). */
  completeness = 0;
  timeRelative = 0;
  timeDelta = 0;
  /** iRTT to print (ns), 0 = none. */
  initialRtt = 0;
  /** Header length below 20: Wireshark stops right after tcp.seq (no timestamps, no analysis). */
  bogusHeader = false;
  /** Options cut by the capture: Wireshark throws in the options (timestamps shown, no analysis). */
  optionsCut = false;
  finActive = false;
  finPassive = false;

  reset(seg: TcpSegmentInfo): void {
    this.seg = seg;
    this.conn = null;
    this.dir = 0;
    this.exists = false;
    this.flags = 0;
    this.dupAckNum = 0;
    this.dupAckFrame = 0;
    this.frameAcked = 0;
    this.ackRtt = 0;
    this.bytesInFlight = 0;
    this.pushBytesSent = 0;
    this.rto = 0;
    this.rtoFrame = 0;
    this.completeness = 0;
    this.timeRelative = 0;
    this.timeDelta = 0;
    this.initialRtt = 0;
    this.bogusHeader = false;
    this.optionsCut = false;
    this.finActive = false;
    this.finPassive = false;
  }

  /** Sets an analysis flag (and creates the "ta", as tcp_analyze_get_acked_struct does). */
  flag(bit: number): void {
    this.exists = true;
    this.flags |= bit;
  }
}
