/**
 * Inputs and outputs of TCP stream reassembly. A reassembler consumes one stream's segments
 * in capture order — either pushed one at a time while a file loads or a live capture runs,
 * or replayed from a list the engine re-read from the file by offset when a view asks for a
 * stream — and produces each direction's bytes in sequence order. Isomorphic.
 */

/** TCP header flag bits (RFC 9293 §3.1). */
export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;
export const TCP_URG = 0x20;
export const TCP_ECE = 0x40;
export const TCP_CWR = 0x80;
/** The former NS bit, now AE (Accurate ECN, RFC 9768). */
export const TCP_AE = 0x100;

/** One TCP segment of a stream, as reassembly needs it (raw sequence numbers). */
export interface StreamSegment {
  /** 1-based frame number. */
  frame: number;
  tsSec: number;
  tsNsec: number;
  /**
   * Identity of the sender ("192.0.2.1:49152"): the first sender becomes node 0, as in
   * tshark's follow (whoever sent the first packet of the stream the capture shows).
   */
  src: string;
  /** Identity of the receiver: names node 1 before it ever sends (tshark's "Node 1"). */
  dst?: string;
  /** Raw (absolute) sequence number. */
  seq: number;
  /** Raw acknowledgment number (only meaningful when the ACK flag is set). */
  ack: number;
  /** TCP flag bits (TCP_SYN …). */
  flags: number;
  /** The payload bytes present in the capture (may be fewer than segLen when cut short). */
  payload: Uint8Array;
  /** Payload length the IP header announces (tcp.len). */
  segLen: number;
}

/** Node 0 sent the stream's first packet (the client when the handshake was captured). */
export type Node = 0 | 1;

/** Bytes of one direction, in sequence order, attributed to the frame that carried them. */
export interface DataChunk {
  kind: 'data';
  node: Node;
  frame: number;
  tsSec: number;
  tsNsec: number;
  /** Raw sequence number of the first byte. */
  seq: number;
  bytes: Uint8Array;
}

/**
 * Bytes the capture never showed although the peer acknowledged them (the receiver saw
 * them, the capture point did not). Placed where they belong in the byte stream.
 */
export interface GapChunk {
  kind: 'gap';
  node: Node;
  /** The frame whose acknowledgment revealed the gap. */
  frame: number;
  tsSec: number;
  tsNsec: number;
  /** Raw sequence number of the first missing byte. */
  seq: number;
  missing: number;
}

/** Where a direction opened (SYN), closed (FIN) or was reset (RST), in its byte stream. */
export interface MarkerChunk {
  kind: 'syn' | 'fin' | 'rst';
  node: Node;
  frame: number;
  tsSec: number;
  tsNsec: number;
  /** Raw sequence number the flag occupies (SYN: the ISN; FIN/RST: after the segment's data). */
  seq: number;
  /** Bytes of this direction delivered before the marker. */
  offset: number;
}

export type StreamItem = DataChunk | GapChunk | MarkerChunk;

/** A retransmission whose bytes differ from the first copy in the overlapping range. */
export interface RetransmissionConflict {
  node: Node;
  /** The retransmitting frame. */
  frame: number;
  /** Raw sequence number of the first overlapping byte compared. */
  seq: number;
  /** Bytes compared (the overlap whose first copy is still known). */
  length: number;
  /** How many of them differ. */
  differing: number;
  /** Frame that carried the first copy of the first differing byte (0 when unknown). */
  firstFrame: number;
}
