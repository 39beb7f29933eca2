/**
 * Per-connection TCP state: one TcpConnection per tcp.stream, holding two TcpFlow objects
 * (one per direction) with the fields of Wireshark's tcp_flow_t / tcp_analyze_seq_flow_info_t
 * that the sequence analysis reads and writes, plus what the summaries need. Everything here
 * is bounded per connection (the unacked list is capped). Isomorphic.
 */
import { UnackedSegments } from './unacked.js';
import type { EndpointState } from './states.js';

/** Window scale "unknown" (no SYN seen for this direction yet) and "not used". */
export const WS_UNKNOWN = -1;
export const WS_NONE = -2;

/** tcp.completeness bits (packet-tcp.h TCP_COMPLETENESS_*). */
export const COMPLETE_SYN = 0x01;
export const COMPLETE_SYNACK = 0x02;
export const COMPLETE_ACK = 0x04;
export const COMPLETE_DATA = 0x08;
export const COMPLETE_FIN = 0x10;
export const COMPLETE_RST = 0x20;

/** One direction of a connection (what the endpoint that sends in this direction did). */
export class TcpFlow {
  // --- Wireshark's static flags / relative numbers ---
  baseSeqSet = false;
  /** The first segment of this direction was a SYN (SAW_SYN) or SYN+ACK (SAW_SYNACK). */
  sawSyn = false;
  sawSynAck = false;
  /** ISN used for relative numbers (seq − 1 when the first segment seen was not a SYN). */
  baseSeq = 0;
  /** Window scale shift of this direction: ≥0, WS_UNKNOWN or WS_NONE. */
  winScale = WS_UNKNOWN;
  /** Last raw window advertised by this direction (0xffffffff before any). */
  window = 0xffffffff;
  /** Set by a SYN, cleared by the first ACK without SYN (Wireshark issue 14690). */
  isFirstAck = false;

  // --- tcp_analyze_seq_flow_info_t ---
  /** Highest seq + len (+1 for SYN/FIN) sent; 0 means "none yet", as in Wireshark. */
  nextSeq = 0;
  nextSeqFrame = 0;
  nextSeqTime = 0;
  /** Highest contiguous sequence number that may be acknowledged (ACKed unseen detection). */
  maxSeqToBeAcked = 0;
  /** Last acknowledgment number sent in this direction and when. */
  lastAck = 0;
  lastAckTime = -Infinity;
  /** Frame of the last ACK that was not a duplicate, and the running dup-ACK count (−1: see ACKed-unseen). */
  lastNonDupAck = 0;
  dupAckNum = 0;
  /** Analysis flags of the last segment sent in this direction. */
  lastSegmentFlags = 0;
  /** Bytes-in-flight tracking is suspended after a gap until the peer ACKs. */
  validBif = true;
  pushBytesSent = 0;
  pushSetLast = false;
  /**
   * SACK blocks of the last segment of this direction, relative edges (up to 3, as Wireshark):
   * left edge i at [2i], right edge at [2i + 1], i = 1…3. Allocated when SACK is first seen.
   */
  numSackRanges = 0;
  sackEdges: Uint32Array | null = null;
  readonly unacked = new UnackedSegments();
  /** This direction sent the first FIN (tcp.connection.fin_active). */
  closingInitiator = false;

  // --- facts for the summaries (not used by Wireshark's rules) ---
  packets = 0;
  /** Frame bytes (frame.len) and TCP payload bytes (tcp.len) sent in this direction. */
  bytes = 0;
  payloadBytes = 0;
  /** Sequence numbers of the first SYN and of the first FIN of this direction (raw), -1 none. */
  synSeq = -1;
  synFrame = 0;
  finFrame = 0;
  /** Raw sequence number just after this direction's FIN (FIN seq + len + 1), to know when it is ACKed. */
  finEnd = -1;
  rstFrame = 0;
  /** This direction has acknowledged the peer's FIN (before or with its own FIN). */
  ackedPeerFin = false;
  mss = -1;
  wsOption = -1;
  sackPermitted = false;
  timestamps = false;
  state: EndpointState = 'UNKNOWN';
}

/** Endpoint states after `frame`, by direction (0 = the stream's first sender). */
export interface StateTransition {
  frame: number;
  s0: EndpointState;
  s1: EndpointState;
}

/** Per-stream counters and handshake/teardown facts (for tcpStreams()). */
export class StreamFacts {
  firstFrame = 0;
  lastFrame = 0;
  /** Time of the first and last packet, ns since the analyzer's time origin. */
  firstTime = 0;
  lastTime = 0;
  /** States before the first packet, per direction. */
  readonly initialStates: [EndpointState, EndpointState] = ['UNKNOWN', 'UNKNOWN'];
  synAckFrame = 0;
  handshakeAckFrame = 0;
  /** SYN-ACK's ack = client ISN + 1, handshake ACK's ack = server ISN + 1 (undefined: not seen). */
  synAckAcksIsn: boolean | undefined = undefined;
  handshakeAckAcksIsn: boolean | undefined = undefined;
  simultaneousOpen = false;
  simultaneousClose = false;
  /** FIN+ACK that acknowledged the peer's FIN in the same segment (3-way close). */
  mergedFinAck = false;
  /** Segments raised with each analysis flag (index = bit number); allocated at the first flag. */
  flagCounts: Uint32Array | null = null;
  /** RFC 793 state changes: frame, then the states of direction 0's and 1's senders (bounded). */
  readonly transitions: StateTransition[] = [];
}

export class TcpConnection {
  /** Direction 0 is the endpoint that sent the first packet of the stream. */
  readonly flows: [TcpFlow, TcpFlow] = [new TcpFlow(), new TcpFlow()];
  completeness = 0;
  /** Conversation times (ns since the analyzer's origin) for tcp.time_relative / time_delta. */
  readonly tsFirst: number;
  tsPrev: number;
  /** Time (ns) of the most recent SYN, for the iRTT; unset when no SYN or a zero timestamp. */
  mruSynSet = false;
  mruSyn = 0;
  /** iRTT in ns; 0 means "not known" (Wireshark tests nstime_is_zero). */
  firstRtt = 0;
  serverPort = 0;
  /** Which direction is the client when the handshake tells (SYN sender / SYN-ACK receiver); -1 undecided. */
  clientDir = -1;
  clientBy: 'syn' | 'syn-ack' | null = null;
  readonly facts = new StreamFacts();

  constructor(
    readonly stream: number,
    /** Endpoint of direction 0's sender and of its peer: address word, port word (addresses.ts). */
    readonly addr0: number,
    readonly pw0: number,
    readonly addr1: number,
    readonly pw1: number,
    now: number,
  ) {
    this.tsFirst = now;
    this.tsPrev = now;
  }
}
