/**
 * Wireshark's TCP sequence analysis (packet-tcp.c, tcp_analyze_sequence_number, 4.0), rule for
 * rule and in its order, so every flag agrees with tshark: zero-window probe, zero window, lost
 * segment, keep-alive, window update, window full, keep-alive ACK, zero-window-probe ACK,
 * duplicate ACK, ACKed unseen segment, then spurious retransmission, fast retransmission,
 * out-of-order, retransmission; then the per-direction bookkeeping (next expected sequence
 * number, highest contiguous sequence, last ACK and window), the unacked-segment list (ACK
 * RTT) and the bytes in flight. All sequence arithmetic is modulo 2^32. Written from
 * Wireshark's documented behaviour and tested against tshark; no code copied. Isomorphic.
 */
import {
  TCP_A_ACK_LOST_PACKET, TCP_A_DUPLICATE_ACK, TCP_A_FAST_RETRANSMISSION, TCP_A_KEEP_ALIVE,
  TCP_A_KEEP_ALIVE_ACK, TCP_A_LOST_PACKET, TCP_A_OUT_OF_ORDER, TCP_A_RETRANSMISSION,
  TCP_A_SPURIOUS_RETRANSMISSION, TCP_A_WINDOW_FULL, TCP_A_WINDOW_UPDATE, TCP_A_ZERO_WINDOW,
  TCP_A_ZERO_WINDOW_PROBE, TCP_A_ZERO_WINDOW_PROBE_ACK,
} from './flags.js';
import { WS_NONE, WS_UNKNOWN, type TcpConnection } from './connection.js';
import type { TcpPacketResult } from './packet-result.js';
import { gtSeq, leSeq, ltSeq } from './seq.js';
import { TCP_MAX_UNACKED_SEGMENTS } from './unacked.js';

export const TH_FIN = 0x001;
export const TH_SYN = 0x002;
export const TH_RST = 0x004;
export const TH_PUSH = 0x008;
export const TH_ACK = 0x010;

/** Fast retransmission: within 20 ms of the last duplicate ACK (Wireshark's constant). */
const FAST_RETRANSMISSION_WINDOW_NS = 20_000_000;
/** Out-of-order threshold when no iRTT is known: 3 ms. */
const DEFAULT_OOO_THRESHOLD_NS = 3_000_000;
/** Bytes-in-flight values at or above this are treated as nonsense (Wireshark: 2·10^9). */
const MAX_BYTES_IN_FLIGHT = 2_000_000_000;

/** Scratch for UnackedSegments.applyAck (module-level: no allocation per packet). */
const acked = { frame: 0, time: 0 };

/**
 * Time difference as Wireshark computes it for its thresholds: an unsigned 64-bit number, so a
 * negative difference (time going backwards, or "never") is huge and fails every "<" test.
 */
function unsignedDelta(now: number, then: number): number {
  const d = now - then;
  return d >= 0 ? d : Infinity;
}

/**
 * Analyzes one segment of direction `dir` (raw seq/ack, TCP flag bits, tcp.len, raw window)
 * at time `res.now` (ns) in frame `frame`, writing flags and measurements into `res` and updating
 * both flows of `conn`.
 */
export function analyzeSequenceNumber(
  conn: TcpConnection, dir: 0 | 1, frame: number,
  seq: number, ack: number, seglen: number, flags: number, window: number,
  res: TcpPacketResult,
): void {
  const now = res.now;
  const fwd = conn.flows[dir];
  const rev = conn.flows[1 - dir];
  const synFinRst = flags & (TH_SYN | TH_FIN | TH_RST);

  if (flags & TH_ACK) rev.validBif = true;

  checks: {
    // ZERO WINDOW PROBE: exactly one byte at the next expected sequence number while the
    // peer's window is zero. Stops the window/ACK checks below.
    if (seglen === 1 && seq === fwd.nextSeq && rev.window === 0) {
      res.flag(TCP_A_ZERO_WINDOW_PROBE);
      break checks;
    }

    // ZERO WINDOW: the sender advertises a zero window (SYN/FIN/RST excepted).
    if (window === 0 && (flags & (TH_RST | TH_FIN | TH_SYN)) === 0) res.flag(TCP_A_ZERO_WINDOW);

    // LOST SEGMENT: starts beyond the highest sequence number seen so far (RST excepted).
    if (fwd.nextSeq !== 0 && gtSeq(seq, fwd.nextSeq) && (flags & TH_RST) === 0) {
      res.flag(TCP_A_LOST_PACKET);
      fwd.validBif = false; // bytes in flight are unknown until the peer ACKs again
    }

    // KEEP-ALIVE: 0 or 1 byte starting one byte before the next expected sequence number.
    if ((seglen === 0 || seglen === 1) && seq === ((fwd.nextSeq - 1) >>> 0) && synFinRst === 0) {
      res.flag(TCP_A_KEEP_ALIVE);
    }

    // WINDOW UPDATE: no data, same seq/ack as before, a new non-zero window.
    if (seglen === 0 && window !== 0 && window !== fwd.window && seq === fwd.nextSeq &&
        ack === fwd.lastAck && synFinRst === 0) {
      res.flag(TCP_A_WINDOW_UPDATE);
    }

    // WINDOW FULL: data reaching exactly the right edge of the peer's advertised window
    // (only when the peer's scaling is known; its very first window is never scaled).
    if (seglen > 0 && rev.winScale !== WS_UNKNOWN && synFinRst === 0) {
      const shift = rev.isFirstAck || rev.winScale === WS_NONE ? 0 : rev.winScale;
      const edge = (rev.lastAck + ((rev.window << shift) >>> 0)) >>> 0;
      if (((seq + seglen) >>> 0) === edge) res.flag(TCP_A_WINDOW_FULL);
    }

    const sameAck = seglen === 0 && seq === fwd.nextSeq && ack === fwd.lastAck && synFinRst === 0;

    // KEEP-ALIVE ACK: repeats the previous ACK right after the peer's keep-alive.
    if (sameAck && window !== 0 && window === fwd.window && (rev.lastSegmentFlags & TCP_A_KEEP_ALIVE)) {
      res.flag(TCP_A_KEEP_ALIVE_ACK);
      break checks;
    }

    // ZERO WINDOW PROBE ACK: repeats the previous ACK and zero window after the peer's probe.
    if (sameAck && window === 0 && window === fwd.window && (rev.lastSegmentFlags & TCP_A_ZERO_WINDOW_PROBE)) {
      res.flag(TCP_A_ZERO_WINDOW_PROBE_ACK);
      break checks;
    }

    // DUPLICATE ACK: no data, same seq/ack/window as the previous segment.
    if (sameAck && window !== 0 && window === fwd.window) {
      // After an "ACKed unseen segment" the counter is −1: the next duplicate counts as #1.
      fwd.dupAckNum = fwd.dupAckNum === -1 ? 1 : fwd.dupAckNum + 1;
      res.flag(TCP_A_DUPLICATE_ACK);
      res.dupAckNum = fwd.dupAckNum;
      res.dupAckFrame = fwd.lastNonDupAck;
    }
  }

  // A new acknowledgment number resets the duplicate-ACK count.
  if (ack !== fwd.lastAck) {
    fwd.lastNonDupAck = frame;
    fwd.dupAckNum = 0;
  }

  // ACKED UNSEEN SEGMENT: acknowledges beyond what the peer was seen to send contiguously.
  if (rev.maxSeqToBeAcked !== 0 && gtSeq(ack, rev.maxSeqToBeAcked) && (flags & TH_ACK) !== 0) {
    res.exists = true;
    if (ltSeq(rev.maxSeqToBeAcked, rev.nextSeq)) {
      // Move the boundary so the same gap is reported once.
      rev.maxSeqToBeAcked = rev.nextSeq;
      res.flag(TCP_A_ACK_LOST_PACKET);
    } else {
      // The other direction is stalled with pure ACKs: report once, then wait for a dup ACK.
      if (rev.dupAckNum === 0) res.flag(TCP_A_ACK_LOST_PACKET);
      rev.dupAckNum = -1;
    }
  }

  // RETRANSMISSION / FAST RETRANSMISSION / OUT-OF-ORDER / SPURIOUS: a segment with data (or
  // SYN/FIN) that does not advance the sequence number. A keep-alive is none of them.
  if (seglen > 0 || (flags & (TH_SYN | TH_FIN)) !== 0) {
    retransmission: {
      if (res.exists && (res.flags & TCP_A_KEEP_ALIVE)) break retransmission;
      let seqNotAdvanced = fwd.nextSeq !== 0 && ltSeq(seq, fwd.nextSeq);
      // More than one byte starting one below nextseq adds data after a possible zero-window
      // probe: not a retransmission (spurious retransmissions are still reported).
      if (seglen > 1 && ((fwd.nextSeq - 1) >>> 0) === seq) seqNotAdvanced = false;

      // SPURIOUS: all of its data was already acknowledged by the peer.
      if (seglen > 0 && rev.lastAck !== 0 && leSeq((seq + seglen) >>> 0, rev.lastAck)) {
        res.flag(TCP_A_SPURIOUS_RETRANSMISSION);
        break retransmission;
      }

      // FAST RETRANSMISSION (Wireshark's default precedence over out-of-order): ≥2 duplicate
      // ACKs asked for exactly this sequence number less than 20 ms ago.
      if (seqNotAdvanced && rev.dupAckNum >= 2 && rev.lastAck === seq &&
          unsignedDelta(now, rev.lastAckTime) < FAST_RETRANSMISSION_WINDOW_NS) {
        res.flag(TCP_A_FAST_RETRANSMISSION);
        break retransmission;
      }

      // OUT-OF-ORDER: arrived soon (within the iRTT, else 3 ms) after the highest segment
      // and does not end exactly where that one ends.
      const threshold = conn.firstRtt === 0 ? DEFAULT_OOO_THRESHOLD_NS
        : conn.firstRtt > 0 ? conn.firstRtt : Infinity;
      const end = (seq + seglen + ((flags & (TH_SYN | TH_FIN)) ? 1 : 0)) >>> 0;
      if (seqNotAdvanced && unsignedDelta(now, fwd.nextSeqTime) < threshold && fwd.nextSeq !== end) {
        res.flag(TCP_A_OUT_OF_ORDER);
        break retransmission;
      }

      if (seqNotAdvanced) {
        res.flag(TCP_A_RETRANSMISSION);
        // RTO: time since the oldest unacknowledged segment (else the highest segment).
        if (fwd.unacked.count > 0) {
          res.rto = now - fwd.unacked.oldestTime;
          res.rtoFrame = fwd.unacked.oldestFrame;
        } else {
          res.rto = now - fwd.nextSeqTime;
          res.rtoFrame = fwd.nextSeqFrame;
        }
      }
    }
  }

  // Remember the segment (SYN and FIN count as one sequence number each).
  let nextSeq = (seq + seglen) >>> 0;
  if ((seglen !== 0 || (flags & (TH_SYN | TH_FIN)) !== 0) && fwd.unacked.count < TCP_MAX_UNACKED_SEGMENTS) {
    if (flags & (TH_SYN | TH_FIN)) nextSeq = (nextSeq + 1) >>> 0;
    fwd.unacked.push(frame, seq, nextSeq, now);
  }

  const probe = res.exists && (res.flags & TCP_A_ZERO_WINDOW_PROBE) !== 0;
  // Highest sequence number sent so far (zero-window probes do not advance it).
  if ((gtSeq(nextSeq, fwd.nextSeq) || fwd.nextSeq === 0) && !probe) {
    fwd.nextSeq = nextSeq;
    fwd.nextSeqFrame = frame;
    fwd.nextSeqTime = now;
  }
  // Highest contiguous sequence number ("max seq to be acked").
  if ((seq === fwd.maxSeqToBeAcked || fwd.maxSeqToBeAcked === 0) && !probe) {
    fwd.maxSeqToBeAcked = fwd.nextSeq;
  }

  fwd.window = window;
  fwd.lastAck = ack;
  fwd.lastAckTime = now;
  fwd.lastSegmentFlags = res.exists ? res.flags : 0;

  // Drop what this ACK acknowledges from the peer's unacked list; an exact match gives the RTT.
  rev.unacked.applyAck(ack, acked);
  if (acked.frame !== 0) {
    res.exists = true;
    res.frameAcked = acked.frame;
    res.ackRtt = now - acked.time;
  }

  // Bytes in flight (payload based, Wireshark's default) and bytes since the last PSH.
  if (seglen !== 0 && fwd.unacked.count > 0 && fwd.validBif) {
    let inFlight = fwd.unacked.span(fwd.baseSeq);
    if (rev.numSackRanges > 0) {
      let delivered = 0;
      for (let i = 1; i <= rev.numSackRanges; i++) {
        delivered = (delivered + rev.sackEdges![2 * i + 1] - rev.sackEdges![2 * i]) >>> 0;
      }
      inFlight = (inFlight - delivered) >>> 0;
    }
    res.exists = true;
    if (inFlight > 0 && inFlight < MAX_BYTES_IN_FLIGHT) {
      // SYN and FIN occupy a sequence number but no byte.
      res.bytesInFlight = flags & (TH_SYN | TH_FIN) ? inFlight - 1 : inFlight;
    }
    const psh = (flags & TH_PUSH) !== 0;
    if (psh && !fwd.pushSetLast) {
      fwd.pushBytesSent = (fwd.pushBytesSent + seglen) >>> 0;
      fwd.pushSetLast = true;
    } else if (psh) {
      fwd.pushBytesSent = seglen;
    } else if (fwd.pushSetLast) {
      fwd.pushBytesSent = seglen;
      fwd.pushSetLast = false;
    } else {
      fwd.pushBytesSent = (fwd.pushBytesSent + seglen) >>> 0;
    }
    res.pushBytesSent = fwd.pushBytesSent;
  }
}
