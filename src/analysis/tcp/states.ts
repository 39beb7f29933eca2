/**
 * Each endpoint's RFC 793 connection state (§3.2, Figure 6), inferred from what a capture shows
 * (Wireshark does not do this). The capture point sees a segment at about the time the
 * receiver processes it, so a segment from S to R changes S's state as a "send" event and R's
 * state as a "receive" event (RFC 793's "rcv SYN / snd SYN,ACK" transitions happen on the
 * receive side). Where the order of events on the wire contradicts that assumption (both sides
 * sent SYN or FIN before seeing the other's), the segment's ACK field tells the truth and the
 * transition is corrected to simultaneous open / close (RFC 793 Figures 8 and 14).
 * Isomorphic.
 */
import { geSeq } from './seq.js';
import type { TcpConnection, TcpFlow } from './connection.js';

export type EndpointState =
  | 'CLOSED' | 'LISTEN' | 'SYN_SENT' | 'SYN_RECEIVED' | 'ESTABLISHED'
  | 'FIN_WAIT_1' | 'FIN_WAIT_2' | 'CLOSING' | 'TIME_WAIT' | 'CLOSE_WAIT' | 'LAST_ACK'
  /** The capture started mid-connection and no SYN/FIN/RST told us more yet. */
  | 'UNKNOWN';

/** Text for the UI and the CLI. */
export const STATE_LABELS: Readonly<Record<EndpointState, string>> = {
  CLOSED: 'CLOSED',
  LISTEN: 'LISTEN',
  SYN_SENT: 'SYN_SENT',
  SYN_RECEIVED: 'SYN_RECEIVED',
  ESTABLISHED: 'ESTABLISHED',
  FIN_WAIT_1: 'FIN_WAIT_1',
  FIN_WAIT_2: 'FIN_WAIT_2',
  CLOSING: 'CLOSING',
  TIME_WAIT: 'TIME_WAIT',
  CLOSE_WAIT: 'CLOSE_WAIT',
  LAST_ACK: 'LAST_ACK',
  UNKNOWN: 'unknown (capture started mid-connection)',
};

const FIN = 0x001;
const SYN = 0x002;
const RST = 0x004;
const ACK = 0x010;

/** Does `ack` (raw) acknowledge `flow`'s SYN? */
function acksSyn(flags: number, ack: number, flow: TcpFlow): boolean {
  return (flags & ACK) !== 0 && flow.synSeq >= 0 && geSeq(ack, (flow.synSeq + 1) >>> 0);
}

/** Does `ack` (raw) acknowledge `flow`'s FIN? */
function acksFin(flags: number, ack: number, flow: TcpFlow): boolean {
  return (flags & ACK) !== 0 && flow.finEnd >= 0 && geSeq(ack, flow.finEnd);
}

/**
 * Sets the states before a connection's first segment: a pure SYN means the sender was CLOSED
 * and the receiver LISTENing; anything else means the connection was already running.
 */
export function initialStates(conn: TcpConnection, dir: 0 | 1, flags: number): void {
  const pureSyn = (flags & (SYN | ACK | RST)) === SYN;
  conn.flows[dir].state = pureSyn ? 'CLOSED' : 'UNKNOWN';
  conn.flows[1 - dir].state = pureSyn ? 'LISTEN' : 'UNKNOWN';
}

/**
 * Applies one segment from direction `dir` (TCP flag bits, raw acknowledgment number) to both
 * endpoints' states. Must run before the flows' synSeq/finEnd are updated for this segment.
 */
export function advanceStates(conn: TcpConnection, dir: 0 | 1, flags: number, ack: number): void {
  const s = conn.flows[dir];
  const r = conn.flows[1 - dir];
  const facts = conn.facts;

  if (flags & RST) {
    // RFC 793 p.70: a reset aborts the connection on both sides (a LISTEN socket ignores it).
    s.state = 'CLOSED';
    if (r.state !== 'LISTEN') r.state = 'CLOSED';
    return;
  }

  if (flags & SYN) {
    if (flags & ACK) {
      // Sender: LISTEN --rcv SYN / snd SYN,ACK--> SYN_RECEIVED (also SYN_SENT after the peer's
      // SYN crossed ours: simultaneous open).
      if (s.state === 'SYN_SENT') facts.simultaneousOpen = true;
      if (s.state !== 'ESTABLISHED') s.state = 'SYN_RECEIVED';
      // Receiver: SYN_SENT (or SYN_RECEIVED in a simultaneous open) --rcv ACK of SYN--> ESTABLISHED.
      if (acksSyn(flags, ack, r) || r.state === 'UNKNOWN') {
        if (r.state === 'SYN_SENT' || r.state === 'SYN_RECEIVED' || r.state === 'UNKNOWN' ||
            r.state === 'LISTEN' || r.state === 'CLOSED') r.state = 'ESTABLISHED';
      }
    } else {
      if (s.state === 'SYN_RECEIVED' && s.synSeq < 0) {
        // We had let the peer's SYN arrive first, but this side sent its own SYN without
        // acknowledging it: both SYNs crossed (RFC 793 Figure 8). It has now seen both.
        facts.simultaneousOpen = true;
      } else if (s.state === 'CLOSED' || s.state === 'LISTEN' || s.state === 'UNKNOWN') {
        s.state = 'SYN_SENT';
      }
      if (r.state === 'LISTEN' || r.state === 'CLOSED' || r.state === 'UNKNOWN') r.state = 'SYN_RECEIVED';
      else if (r.state === 'SYN_SENT') {
        r.state = 'SYN_RECEIVED';
        facts.simultaneousOpen = true;
      }
    }
    return;
  }

  // Receiver processes the ACK field before the FIN bit (RFC 793 p.72, "fifth, check the ACK").
  if (flags & ACK) {
    if ((r.state === 'SYN_RECEIVED' || r.state === 'SYN_SENT') && (acksSyn(flags, ack, r) || r.synSeq < 0)) {
      r.state = 'ESTABLISHED';
    }
    if (acksFin(flags, ack, r)) {
      if (r.state === 'FIN_WAIT_1') r.state = 'FIN_WAIT_2';
      else if (r.state === 'CLOSING') r.state = 'TIME_WAIT';
      else if (r.state === 'LAST_ACK') r.state = 'CLOSED';
    }
    // The sender's handshake ACK when its SYN-ACK was not captured.
    if (s.state === 'SYN_SENT') s.state = 'ESTABLISHED';
  }

  if (flags & FIN) {
    const peerFinAcked = acksFin(flags, ack, r);
    // Sender side.
    if (s.state === 'CLOSE_WAIT' && r.finEnd >= 0 && !peerFinAcked) {
      // Both FINs crossed (RFC 793 Figure 14): this side sent FIN before it saw the peer's.
      facts.simultaneousClose = true;
      s.state = 'CLOSING';
    } else if (s.state === 'ESTABLISHED' || s.state === 'UNKNOWN' || s.state === 'SYN_RECEIVED') {
      s.state = 'FIN_WAIT_1';
    } else if (s.state === 'CLOSE_WAIT') {
      if (r.finEnd >= 0 && peerFinAcked && !s.ackedPeerFin) facts.mergedFinAck = true;
      s.state = 'LAST_ACK';
    }
    // Receiver side.
    if (r.state === 'ESTABLISHED' || r.state === 'UNKNOWN' || r.state === 'SYN_RECEIVED') r.state = 'CLOSE_WAIT';
    else if (r.state === 'FIN_WAIT_1') {
      r.state = 'CLOSING';
      facts.simultaneousClose = true;
    } else if (r.state === 'FIN_WAIT_2') r.state = 'TIME_WAIT';
  }
}

/** Remembers, per flow, whether it has acknowledged the peer's FIN (for the teardown kind). */
export function noteFinAcks(conn: TcpConnection, dir: 0 | 1, flags: number, ack: number): void {
  const s = conn.flows[dir];
  if (acksFin(flags, ack, conn.flows[1 - dir])) s.ackedPeerFin = true;
}
