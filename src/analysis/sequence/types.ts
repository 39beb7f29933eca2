/**
 * The sequence-diagram model: what a diagram is made of (lifelines, arrows, per-arrow states
 * and teaching notes) and what it is built from (one flat record per packet, filled from a
 * decoded packet by collect.ts). Plain data, JSON-serialisable, isomorphic: the engine, the CLI
 * and the renderer's teaching view share it.
 */
import type { EndpointState } from '../tcp/states.js';

/** TCP facts of one packet (relative numbers as tshark shows them). */
export interface DiagramTcp {
  stream: number;
  /** TCP flag bits (0x002 SYN, 0x010 ACK …). */
  flags: number;
  seq: number;
  ack: number;
  /** Raw sequence / acknowledgment numbers (for the ISN in notes). */
  rawSeq: number;
  rawAck: number;
  /** tcp.len. */
  len: number;
  /** Window as shown (scaled when known). */
  window: number;
  /** Wireshark's TCP_A_* analysis bits. */
  analysisFlags: number;
  dupAckNum: number;
  dupAckFrame: number;
  /** SYN options (-1 / false when absent). */
  mss: number;
  windowScale: number;
  sackPermitted: boolean;
  /** Each side's RFC 793 state right after this packet, when the analysis knows it. */
  clientState?: EndpointState;
  serverState?: EndpointState;
  /** True when this packet was sent by the stream's client. */
  fromClient?: boolean;
}

/** One packet as the diagram needs it. */
export interface DiagramPacket {
  frame: number;
  tsSec: number;
  tsNsec: number;
  /** Sender and receiver: "addr:port" for TCP, the address (or MAC) otherwise. */
  src: string;
  dst: string;
  /** Protocol and Info columns. */
  protocol: string;
  info: string;
  tcp?: DiagramTcp;
  /** ARP fields, for request/reply pairing and conflicts. */
  arp?: { opcode: number; senderMac: string; senderIp: string; targetMac: string; targetIp: string };
}

export type LifelineRole = 'client' | 'server' | 'host';

export interface Lifeline {
  /** "192.0.2.1:49152", "192.0.2.2", "00:00:5e:00:53:01". */
  label: string;
  role: LifelineRole;
  /** TCP stream this lifeline belongs to (-1 for host lifelines). */
  stream: number;
  /** State before the first arrow (TCP lifelines). */
  initialState?: EndpointState;
}

/** A plain-language teaching note: a kind and its facts (renderers word it, in any language). */
export interface DiagramNote {
  kind: NoteKind;
  /** Numbers and names the note talks about (frame numbers, seq/ack, states, counts). */
  facts: Record<string, number | string | boolean>;
}

export type NoteKind =
  | 'syn' | 'syn-ack' | 'handshake-ack' | 'ack-isn-check'
  | 'data' | 'ack' | 'window-update' | 'zero-window' | 'zero-window-probe' | 'zero-window-probe-ack'
  | 'window-full' | 'keep-alive' | 'keep-alive-ack'
  | 'retransmission' | 'fast-retransmission' | 'spurious-retransmission' | 'out-of-order'
  | 'dup-ack' | 'lost-segment' | 'ack-lost-segment' | 'reused-ports'
  | 'fin' | 'fin-ack' | 'time-wait' | 'rst'
  | 'dns-query' | 'dns-response' | 'icmp-echo-request' | 'icmp-echo-reply' | 'icmp-error'
  | 'arp-request' | 'arp-reply' | 'arp-gratuitous' | 'arp-conflict' | 'other';

export interface Arrow {
  frame: number;
  /** Nanoseconds since the diagram's first packet. */
  timeNs: number;
  /** Nanoseconds since the previous arrow (the real gap, for stepping). */
  deltaNs: number;
  from: number;
  to: number;
  protocol: string;
  /** "SYN", "SYN, ACK", "PSH, ACK Len=120"; the Info text for non-TCP packets. */
  label: string;
  /** "Seq=0 Ack=1 Win=64240" (TCP), empty otherwise. */
  detail: string;
  /** Wireshark's analysis texts shown on the arrow ("TCP Retransmission", "TCP Dup ACK 12#2"). */
  analysis: string[];
  /** Kind of arrow, for colouring. */
  style: ArrowStyle;
  tcp?: DiagramTcp;
  /** State of each lifeline after this arrow (index = lifeline; undefined when not a TCP lifeline of this stream). */
  states: (EndpointState | undefined)[];
  notes: DiagramNote[];
}

export type ArrowStyle = 'handshake' | 'data' | 'ack' | 'close' | 'reset' | 'problem' | 'other';

export interface SequenceDiagramModel {
  title: string;
  lifelines: Lifeline[];
  arrows: Arrow[];
  /** Epoch seconds/nanoseconds of the first arrow. */
  startSec: number;
  startNsec: number;
  /** Set when arrows were left out at the limit. */
  truncated: boolean;
}
