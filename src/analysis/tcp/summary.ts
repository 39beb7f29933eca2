/**
 * Per-stream summaries for the engine, the Conversations view and the sequence diagram (beyond
 * what Wireshark shows): who is client and server, the handshake facts (ISNs, ack = ISN + 1
 * checked, MSS / window scale / SACK / timestamps negotiated, iRTT), the teardown kind, bytes and
 * throughput each way, and how many times each analysis flag was raised. Isomorphic.
 */
import { V6_FLAG, type AddressBook } from '../conversations/addresses.js';
import { completenessText } from './fields.js';
import { TCP_FLAG_BITS, TCP_FLAG_NAMES } from './flags.js';
import { STATE_LABELS, type EndpointState } from './states.js';
import type { TcpConnection, TcpFlow } from './connection.js';

export type TeardownKind =
  /** FIN, ACK, FIN, ACK. */
  | 'four-way'
  /** FIN, FIN+ACK (the second FIN acknowledges the first), ACK. */
  | 'three-way'
  /** Both sides sent FIN before seeing the other's (RFC 793 Figure 14). */
  | 'simultaneous'
  /** Ended by a RST (possibly after a FIN). */
  | 'reset'
  /** Only one side sent FIN before the capture ended. */
  | 'half-closed'
  /** No FIN or RST in the capture. */
  | 'never-closed';

export interface TcpEndpointSummary {
  /** "192.0.2.1:80" or "[2001:db8::1]:80". */
  endpoint: string;
  address: string;
  port: number;
  /** Raw ISN from this side's SYN (or SYN-ACK); null when not captured. */
  isn: number | null;
  /** MSS / window-scale shift from this side's SYN options; null when absent. */
  mss: number | null;
  windowScale: number | null;
  sackPermitted: boolean;
  timestamps: boolean;
  packets: number;
  /** Frame bytes (frame.len) and TCP payload bytes (tcp.len) sent by this side. */
  bytes: number;
  payloadBytes: number;
  /** Payload bytes per second over the stream's duration (0 when the duration is 0). */
  throughput: number;
  /** State after the stream's last packet. */
  state: EndpointState;
  stateLabel: string;
}

export interface TcpHandshake {
  synFrame: number | null;
  synAckFrame: number | null;
  /** The client's first ACK after the SYN-ACK. */
  ackFrame: number | null;
  /** SYN, SYN-ACK and ACK all captured. */
  complete: boolean;
  /** SYN-ACK's ack = client ISN + 1 (null: not both seen). */
  synAckAcksIsn: boolean | null;
  /** Handshake ACK's ack = server ISN + 1 (null: not both seen). */
  ackAcksIsn: boolean | null;
  simultaneousOpen: boolean;
  /** Window scaling is in effect (both SYNs carried the option, RFC 7323 §2.2). */
  windowScaling: boolean;
  sackPermitted: boolean;
  timestamps: boolean;
  /** iRTT (SYN → first ACK) in seconds; null when not measured. */
  irtt: number | null;
}

export interface TcpTeardown {
  kind: TeardownKind;
  /** Who closed or reset first. */
  initiator: 'client' | 'server' | null;
  /** The last ACK of the close was seen (for FIN closes). */
  complete: boolean;
  clientFinFrame: number | null;
  serverFinFrame: number | null;
  rstFrame: number | null;
}

export interface TcpStreamSummary {
  stream: number;
  client: TcpEndpointSummary;
  server: TcpEndpointSummary;
  /** How the client was decided: SYN sender, SYN-ACK receiver, lower well-known port, first sender. */
  clientBy: 'syn' | 'syn-ack' | 'port' | 'first-sender';
  firstFrame: number;
  lastFrame: number;
  /** Epoch seconds of the first packet, and seconds from the capture's first packet. */
  startTime: number;
  relativeStart: number;
  duration: number;
  packets: number;
  bytes: number;
  completeness: number;
  completenessText: string;
  handshake: TcpHandshake;
  teardown: TcpTeardown;
  /** tcp.analysis.<name> → number of segments flagged (only flags that occurred). */
  flagCounts: Record<string, number>;
  /** States before the first packet of the stream (client, server). */
  initialStates: { client: EndpointState; server: EndpointState };
}

/** Which direction is the client: decided by the SYN, the SYN-ACK, else the ports, else 0. */
export function clientDirection(conn: TcpConnection): { dir: 0 | 1; by: TcpStreamSummary['clientBy'] } {
  if (conn.clientDir >= 0) return { dir: conn.clientDir as 0 | 1, by: conn.clientBy ?? 'syn' };
  const p0 = conn.pw0 & 0xffff;
  const p1 = conn.pw1 & 0xffff;
  const low = Math.min(p0, p1);
  if (low < 1024 && p0 !== p1) return { dir: p0 === low ? 1 : 0, by: 'port' };
  return { dir: 0, by: 'first-sender' };
}

function endpoint(book: AddressBook, addr: number, pw: number, flow: TcpFlow, duration: number): TcpEndpointSummary {
  return {
    endpoint: book.endpointText(addr, pw),
    address: book.text(addr, (pw & V6_FLAG) !== 0),
    port: pw & 0xffff,
    isn: flow.synSeq >= 0 ? flow.synSeq : null,
    mss: flow.mss >= 0 ? flow.mss : null,
    windowScale: flow.wsOption >= 0 ? flow.wsOption : null,
    sackPermitted: flow.sackPermitted,
    timestamps: flow.timestamps,
    packets: flow.packets,
    bytes: flow.bytes,
    payloadBytes: flow.payloadBytes,
    throughput: duration > 0 ? flow.payloadBytes / duration : 0,
    state: flow.state,
    stateLabel: STATE_LABELS[flow.state],
  };
}

function minNonZero(a: number, b: number): number {
  return a && b ? Math.min(a, b) : a || b;
}

function teardown(conn: TcpConnection, c: TcpFlow, s: TcpFlow): TcpTeardown {
  const f = conn.facts;
  const rstFrame = minNonZero(c.rstFrame, s.rstFrame);
  const firstFin = minNonZero(c.finFrame, s.finFrame);
  const both = c.finFrame !== 0 && s.finFrame !== 0;
  const finsAcked = both && c.ackedPeerFin && s.ackedPeerFin;
  const side = (frame: number, clientFrame: number): 'client' | 'server' => (frame === clientFrame ? 'client' : 'server');
  let kind: TeardownKind;
  let initiator: TcpTeardown['initiator'] = null;
  // A reset ends the connection unless both FINs had already been exchanged and acknowledged.
  if (rstFrame && !(finsAcked && firstFin < rstFrame)) {
    kind = 'reset';
    initiator = side(rstFrame, c.rstFrame);
  } else if (both) {
    kind = f.simultaneousClose ? 'simultaneous' : f.mergedFinAck ? 'three-way' : 'four-way';
    initiator = side(firstFin, c.finFrame);
  } else if (firstFin) {
    kind = 'half-closed';
    initiator = side(firstFin, c.finFrame);
  } else {
    kind = 'never-closed';
  }
  return {
    kind,
    initiator,
    complete: kind === 'reset' || finsAcked,
    clientFinFrame: c.finFrame || null,
    serverFinFrame: s.finFrame || null,
    rstFrame: rstFrame || null,
  };
}

/**
 * Builds the summary of one stream. `originSec`: epoch seconds of the analyzer's time origin
 * (its first packet); the facts' times are ns relative to it.
 */
export function summarizeStream(conn: TcpConnection, book: AddressBook, originSec: number): TcpStreamSummary {
  const { dir, by } = clientDirection(conn);
  const c = conn.flows[dir];
  const s = conn.flows[1 - dir];
  const f = conn.facts;
  const duration = (f.lastTime - f.firstTime) / 1e9;
  const flagCounts: Record<string, number> = {};
  if (f.flagCounts) {
    for (let i = 0; i < TCP_FLAG_BITS; i++) if (f.flagCounts[i]) flagCounts[TCP_FLAG_NAMES[1 << i]] = f.flagCounts[i];
  }
  const [ca, cp, sa, sp] = dir === 0
    ? [conn.addr0, conn.pw0, conn.addr1, conn.pw1] : [conn.addr1, conn.pw1, conn.addr0, conn.pw0];
  return {
    stream: conn.stream,
    client: endpoint(book, ca, cp, c, duration),
    server: endpoint(book, sa, sp, s, duration),
    clientBy: by,
    firstFrame: f.firstFrame,
    lastFrame: f.lastFrame,
    startTime: originSec + f.firstTime / 1e9,
    relativeStart: f.firstTime / 1e9,
    duration,
    packets: c.packets + s.packets,
    bytes: c.bytes + s.bytes,
    completeness: conn.completeness,
    completenessText: completenessText(conn.completeness),
    handshake: {
      synFrame: c.synFrame || null,
      synAckFrame: f.synAckFrame || null,
      ackFrame: f.handshakeAckFrame || null,
      complete: c.synFrame !== 0 && f.synAckFrame !== 0 && f.handshakeAckFrame !== 0,
      synAckAcksIsn: f.synAckAcksIsn ?? null,
      ackAcksIsn: f.handshakeAckAcksIsn ?? null,
      simultaneousOpen: f.simultaneousOpen,
      windowScaling: c.wsOption >= 0 && s.wsOption >= 0,
      sackPermitted: c.sackPermitted && s.sackPermitted,
      timestamps: c.timestamps && s.timestamps,
      irtt: conn.firstRtt !== 0 ? conn.firstRtt / 1e9 : null,
    },
    teardown: teardown(conn, c, s),
    flagCounts,
    initialStates: { client: f.initialStates[dir], server: f.initialStates[1 - dir] },
  };
}
