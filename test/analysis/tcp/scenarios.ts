/**
 * Hand-built TCP segment sequences, one per analysis rule or edge case. Each scenario plays its
 * segments into a Conversation and returns the per-frame results (index 0 = frame 1). The
 * tests assert the rule each one is about; every scenario was also checked frame by frame
 * against tshark 4.0 (write `toPcap(conv.h.recorded)` to a file and run tshark on it).
 */
import { ACK, Conversation, FIN, PSH, RST, SYN, type FrameResult } from './harness.js';

export type Scenario = (c: Conversation) => FrameResult[];

const C_ISN = 1000;
const S_ISN = 5000;

/** SYN (WS 7) / SYN-ACK (WS 8) / ACK, then a request and a response. */
export function handshake(c: Conversation, opts: { cws?: number; sws?: number } = {}): FrameResult[] {
  const r: FrameResult[] = [];
  r.push(c.send('c', { seq: C_ISN, flags: SYN, win: 64240, mss: 1460, sackPerm: true, ws: opts.cws ?? 7 }));
  r.push(c.send('s', { seq: S_ISN, ack: C_ISN + 1, flags: SYN | ACK, win: 65160, mss: 1460, sackPerm: true, ws: opts.sws ?? 8 }, 0.010));
  r.push(c.send('c', { seq: C_ISN + 1, ack: S_ISN + 1, flags: ACK, win: 502 }, 0.0002));
  return r;
}

/** Handshake, 100 bytes each way, 4-way close (FIN, ACK, FIN, ACK). */
export const fourWayClose: Scenario = (c) => {
  const r = handshake(c);
  r.push(c.send('c', { seq: C_ISN + 1, ack: S_ISN + 1, flags: PSH | ACK, win: 502, len: 100 }));
  r.push(c.send('s', { seq: S_ISN + 1, ack: C_ISN + 101, flags: PSH | ACK, win: 255, len: 100 }));
  r.push(c.send('c', { seq: C_ISN + 101, ack: S_ISN + 101, flags: FIN | ACK, win: 502 }));
  r.push(c.send('s', { seq: S_ISN + 101, ack: C_ISN + 102, flags: ACK, win: 255 }));
  r.push(c.send('s', { seq: S_ISN + 101, ack: C_ISN + 102, flags: FIN | ACK, win: 255 }));
  r.push(c.send('c', { seq: C_ISN + 102, ack: S_ISN + 102, flags: ACK, win: 502 }));
  return r;
};

/** Handshake, then FIN, FIN+ACK (acknowledging the first FIN), ACK. */
export const threeWayClose: Scenario = (c) => {
  const r = handshake(c);
  r.push(c.send('c', { seq: C_ISN + 1, ack: S_ISN + 1, flags: FIN | ACK, win: 502 }));
  r.push(c.send('s', { seq: S_ISN + 1, ack: C_ISN + 2, flags: FIN | ACK, win: 255 }));
  r.push(c.send('c', { seq: C_ISN + 2, ack: S_ISN + 2, flags: ACK, win: 502 }));
  return r;
};

/** Handshake, then both FINs cross (neither acknowledges the other), then both ACKs. */
export const simultaneousClose: Scenario = (c) => {
  const r = handshake(c);
  r.push(c.send('c', { seq: C_ISN + 1, ack: S_ISN + 1, flags: FIN | ACK, win: 502 }));
  r.push(c.send('s', { seq: S_ISN + 1, ack: C_ISN + 1, flags: FIN | ACK, win: 255 }, 0.0001));
  r.push(c.send('c', { seq: C_ISN + 2, ack: S_ISN + 2, flags: ACK, win: 502 }));
  r.push(c.send('s', { seq: S_ISN + 2, ack: C_ISN + 2, flags: ACK, win: 255 }, 0.0001));
  return r;
};

/** Both sides send SYN, then both SYN-ACK (RFC 793 Figure 8). */
export const simultaneousOpen: Scenario = (c) => {
  const r: FrameResult[] = [];
  r.push(c.send('c', { seq: C_ISN, flags: SYN, win: 64240 }));
  r.push(c.send('s', { seq: S_ISN, flags: SYN, win: 64240 }, 0.0001));
  r.push(c.send('c', { seq: C_ISN, ack: S_ISN + 1, flags: SYN | ACK, win: 64240 }));
  r.push(c.send('s', { seq: S_ISN, ack: C_ISN + 1, flags: SYN | ACK, win: 64240 }, 0.0001));
  return r;
};

/** Handshake, data, then the server resets. */
export const resetClose: Scenario = (c) => {
  const r = handshake(c);
  r.push(c.send('c', { seq: C_ISN + 1, ack: S_ISN + 1, flags: PSH | ACK, win: 502, len: 10 }));
  r.push(c.send('s', { seq: S_ISN + 1, ack: C_ISN + 11, flags: RST | ACK, win: 0 }));
  return r;
};

/** A SYN answered by RST (connection refused). */
export const refused: Scenario = (c) => [
  c.send('c', { seq: C_ISN, flags: SYN, win: 64240 }),
  c.send('s', { seq: 0, ack: C_ISN + 1, flags: RST | ACK, win: 0 }),
];

/** Handshake, then only the client closes (the server keeps sending). */
export const halfClosed: Scenario = (c) => {
  const r = handshake(c);
  r.push(c.send('c', { seq: C_ISN + 1, ack: S_ISN + 1, flags: FIN | ACK, win: 502 }));
  r.push(c.send('s', { seq: S_ISN + 1, ack: C_ISN + 2, flags: PSH | ACK, win: 255, len: 50 }));
  r.push(c.send('c', { seq: C_ISN + 2, ack: S_ISN + 51, flags: ACK, win: 502 }));
  return r;
};

/** Capture starts mid-connection: data and ACKs, no handshake. */
export const midConnection: Scenario = (c) => [
  c.send('c', { seq: 700000, ack: 900000, flags: PSH | ACK, win: 1000, len: 100 }),
  c.send('s', { seq: 900000, ack: 700100, flags: ACK, win: 2000 }),
  c.send('s', { seq: 900000, ack: 700100, flags: FIN | ACK, win: 2000 }),
  c.send('c', { seq: 700100, ack: 900001, flags: FIN | ACK, win: 1000 }),
  c.send('s', { seq: 900001, ack: 700101, flags: ACK, win: 2000 }),
];

/** Server sends 3 segments; the first is resent after 200 ms (RTO retransmission). */
export const retransmission: Scenario = (c) => {
  const r = handshake(c);
  r.push(c.send('s', { seq: S_ISN + 1, ack: C_ISN + 1, flags: ACK, win: 255, len: 1000 }));
  r.push(c.send('s', { seq: S_ISN + 1001, ack: C_ISN + 1, flags: ACK, win: 255, len: 1000 }, 0.0001));
  r.push(c.send('s', { seq: S_ISN + 1, ack: C_ISN + 1, flags: ACK, win: 255, len: 1000 }, 0.2));
  r.push(c.send('c', { seq: C_ISN + 1, ack: S_ISN + 2001, flags: ACK, win: 502 }));
  return r;
};

/** Lost segment, three duplicate ACKs with SACK, then the fast retransmission. */
export const fastRetransmission: Scenario = (c) => {
  const r = handshake(c);
  const d = (seq: number) => ({ seq: S_ISN + 1 + seq, ack: C_ISN + 1, flags: ACK, win: 255, len: 1000 });
  r.push(c.send('s', d(0)));           // 4
  // segment 1000..2000 lost
  r.push(c.send('s', d(2000), 0.0001)); // 5 previous segment not captured
  r.push(c.send('c', { seq: C_ISN + 1, ack: S_ISN + 1001, flags: ACK, win: 502 }, 0.0001)); // 6
  r.push(c.send('c', { seq: C_ISN + 1, ack: S_ISN + 1001, flags: ACK, win: 502, sack: [S_ISN + 2001, S_ISN + 3001] }, 0.0001)); // 7 dup #1
  r.push(c.send('s', d(3000), 0.0001)); // 8
  r.push(c.send('c', { seq: C_ISN + 1, ack: S_ISN + 1001, flags: ACK, win: 502, sack: [S_ISN + 2001, S_ISN + 4001] }, 0.0001)); // 9 dup #2
  r.push(c.send('c', { seq: C_ISN + 1, ack: S_ISN + 1001, flags: ACK, win: 502, sack: [S_ISN + 2001, S_ISN + 4001] }, 0.0001)); // 10 dup #3
  r.push(c.send('s', d(1000), 0.001)); // 11 fast retransmission
  r.push(c.send('c', { seq: C_ISN + 1, ack: S_ISN + 4001, flags: ACK, win: 502 }, 0.0001)); // 12
  return r;
};

/** Like fastRetransmission, but the resend comes 50 ms after the last dup ACK: a plain retransmission. */
export const slowResendAfterDupAcks: Scenario = (c) => {
  const r = handshake(c);
  const d = (seq: number) => ({ seq: S_ISN + 1 + seq, ack: C_ISN + 1, flags: ACK, win: 255, len: 1000 });
  r.push(c.send('s', d(0)));
  r.push(c.send('s', d(2000), 0.0001));
  r.push(c.send('c', { seq: C_ISN + 1, ack: S_ISN + 1001, flags: ACK, win: 502 }, 0.0001));
  r.push(c.send('c', { seq: C_ISN + 1, ack: S_ISN + 1001, flags: ACK, win: 502 }, 0.0001));
  r.push(c.send('c', { seq: C_ISN + 1, ack: S_ISN + 1001, flags: ACK, win: 502 }, 0.0001));
  r.push(c.send('s', d(1000), 0.05));
  return r;
};

/** A segment arriving 1 ms after a later one (iRTT 10 ms): out-of-order. */
export const outOfOrder: Scenario = (c) => {
  const r = handshake(c);
  const d = (seq: number) => ({ seq: S_ISN + 1 + seq, ack: C_ISN + 1, flags: ACK, win: 255, len: 1000 });
  r.push(c.send('s', d(0)));
  r.push(c.send('s', d(2000), 0.0001)); // previous segment not captured
  r.push(c.send('s', d(1000), 0.001));  // out-of-order (within the iRTT)
  r.push(c.send('c', { seq: C_ISN + 1, ack: S_ISN + 3001, flags: ACK, win: 502 }));
  return r;
};

/** The server resends data the client has already acknowledged: spurious retransmission. */
export const spuriousRetransmission: Scenario = (c) => {
  const r = handshake(c);
  r.push(c.send('s', { seq: S_ISN + 1, ack: C_ISN + 1, flags: ACK, win: 255, len: 500 }));
  r.push(c.send('c', { seq: C_ISN + 1, ack: S_ISN + 501, flags: ACK, win: 502 }));
  r.push(c.send('s', { seq: S_ISN + 1, ack: C_ISN + 1, flags: ACK, win: 255, len: 500 }, 0.3));
  return r;
};

/** Keep-alives (0 and 1 byte at nextseq − 1) and their ACKs; then a real 1-byte resend. */
export const keepAlive: Scenario = (c) => {
  const r = handshake(c);
  r.push(c.send('c', { seq: C_ISN + 1, ack: S_ISN + 1, flags: PSH | ACK, win: 502, len: 20 }));
  r.push(c.send('s', { seq: S_ISN + 1, ack: C_ISN + 21, flags: ACK, win: 255 }));
  r.push(c.send('c', { seq: C_ISN + 20, ack: S_ISN + 1, flags: ACK, win: 502 }, 45));          // keep-alive, 0 bytes
  r.push(c.send('s', { seq: S_ISN + 1, ack: C_ISN + 21, flags: ACK, win: 255 }));              // keep-alive ACK
  r.push(c.send('c', { seq: C_ISN + 20, ack: S_ISN + 1, flags: ACK, win: 502, len: 1 }, 45));  // keep-alive, 1 byte
  r.push(c.send('s', { seq: S_ISN + 1, ack: C_ISN + 21, flags: ACK, win: 255 }));              // keep-alive ACK
  r.push(c.send('c', { seq: C_ISN + 11, ack: S_ISN + 1, flags: PSH | ACK, win: 502, len: 10 }, 1)); // retransmission
  return r;
};

/** Same seq/ack: a changed window is a window update, an unchanged one a duplicate ACK. */
export const windowUpdateVsDupAck: Scenario = (c) => {
  const r = handshake(c);
  r.push(c.send('s', { seq: S_ISN + 1, ack: C_ISN + 1, flags: ACK, win: 255, len: 100 }));
  r.push(c.send('c', { seq: C_ISN + 1, ack: S_ISN + 101, flags: ACK, win: 400 }));
  r.push(c.send('c', { seq: C_ISN + 1, ack: S_ISN + 101, flags: ACK, win: 502 })); // window update
  r.push(c.send('c', { seq: C_ISN + 1, ack: S_ISN + 101, flags: ACK, win: 502 })); // dup ACK #1 of frame 5
  r.push(c.send('c', { seq: C_ISN + 1, ack: S_ISN + 101, flags: ACK, win: 502 })); // dup ACK #2
  r.push(c.send('c', { seq: C_ISN + 1, ack: S_ISN + 101, flags: ACK, win: 600 })); // window update again
  return r;
};

/** The client's window closes; the server probes with 1 byte; the client ACKs the probe. */
export const zeroWindow: Scenario = (c) => {
  const r = handshake(c);
  r.push(c.send('s', { seq: S_ISN + 1, ack: C_ISN + 1, flags: ACK, win: 255, len: 1000 }));
  r.push(c.send('c', { seq: C_ISN + 1, ack: S_ISN + 1001, flags: ACK, win: 0 }));           // zero window
  r.push(c.send('s', { seq: S_ISN + 1001, ack: C_ISN + 1, flags: ACK, win: 255, len: 1 }, 0.2)); // probe
  r.push(c.send('c', { seq: C_ISN + 1, ack: S_ISN + 1001, flags: ACK, win: 0 }));           // probe ACK
  r.push(c.send('c', { seq: C_ISN + 1, ack: S_ISN + 1001, flags: ACK, win: 300 }, 0.1));    // window update
  return r;
};

/** The server fills the client's advertised window exactly (502 << 7 = 64256 bytes). */
export const windowFull: Scenario = (c) => {
  const r = handshake(c);
  let seq = S_ISN + 1;
  for (let sent = 0; sent < 64256; ) {
    const len = Math.min(1448, 64256 - sent);
    r.push(c.send('s', { seq, ack: C_ISN + 1, flags: ACK, win: 255, len }, 0.00001));
    seq += len;
    sent += len;
  }
  return r;
};

/** The capture misses a segment of the server and the client's ACK covers it: ACKed unseen. */
export const ackedUnseen: Scenario = (c) => {
  const r = handshake(c);
  r.push(c.send('s', { seq: S_ISN + 1, ack: C_ISN + 1, flags: ACK, win: 255, len: 100 }));
  r.push(c.send('c', { seq: C_ISN + 1, ack: S_ISN + 201, flags: ACK, win: 502 })); // ACKs 100 bytes never seen
  r.push(c.send('c', { seq: C_ISN + 1, ack: S_ISN + 201, flags: ACK, win: 502 })); // dup ACK, counted from #1
  return r;
};

/** ISNs just below 2^32: sequence numbers wrap during the data transfer. */
export const wrapAround: Scenario = (c) => {
  const r: FrameResult[] = [];
  const cIsn = 0xffffff00;
  const sIsn = 0xfffffff0;
  r.push(c.send('c', { seq: cIsn, flags: SYN, win: 64240 }));
  r.push(c.send('s', { seq: sIsn, ack: (cIsn + 1) >>> 0, flags: SYN | ACK, win: 64240 }));
  r.push(c.send('c', { seq: (cIsn + 1) >>> 0, ack: (sIsn + 1) >>> 0, flags: ACK, win: 64240 }));
  let seq = (sIsn + 1) >>> 0;
  for (let i = 0; i < 4; i++) {
    r.push(c.send('s', { seq, ack: (cIsn + 1) >>> 0, flags: ACK, win: 64240, len: 100 }));
    seq = (seq + 100) >>> 0;
  }
  r.push(c.send('c', { seq: (cIsn + 1) >>> 0, ack: seq, flags: ACK, win: 64240 }));
  r.push(c.send('s', { seq: (sIsn + 301) >>> 0, ack: (cIsn + 1) >>> 0, flags: ACK, win: 64240, len: 100 }, 0.3));
  return r;
};

/** A finished connection, then a new SYN with another ISN on the same ports (port reuse). */
export const portReuse: Scenario = (c) => {
  const r = threeWayClose(c);
  r.push(c.send('c', { seq: 777777, flags: SYN, win: 64240 }, 1));
  r.push(c.send('s', { seq: 888888, ack: 777778, flags: SYN | ACK, win: 64240 }));
  r.push(c.send('c', { seq: 777778, ack: 888889, flags: ACK, win: 64240 }));
  return r;
};

/** The SYN is resent with the same ISN: a retransmission, not a new stream. */
export const synRetransmission: Scenario = (c) => [
  c.send('c', { seq: C_ISN, flags: SYN, win: 64240 }),
  c.send('c', { seq: C_ISN, flags: SYN, win: 64240 }, 1),
  c.send('s', { seq: S_ISN, ack: C_ISN + 1, flags: SYN | ACK, win: 64240 }),
  c.send('c', { seq: C_ISN + 1, ack: S_ISN + 1, flags: ACK, win: 64240 }),
];

/** Data with SACKed bytes outstanding: bytes in flight minus SACK, bytes since PSH. */
export const bytesInFlight: Scenario = (c) => {
  const r = handshake(c);
  const d = (seq: number, flags = ACK) => ({ seq: S_ISN + 1 + seq, ack: C_ISN + 1, flags, win: 255, len: 1000 });
  r.push(c.send('s', d(0)));
  r.push(c.send('s', d(1000)));
  r.push(c.send('s', d(2000, PSH | ACK)));
  r.push(c.send('c', { seq: C_ISN + 1, ack: S_ISN + 1001, flags: ACK, win: 502, sack: [S_ISN + 2001, S_ISN + 3001] }));
  r.push(c.send('s', d(3000)));
  r.push(c.send('s', d(4000)));
  return r;
};
