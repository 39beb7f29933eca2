/**
 * RFC 793 endpoint states after every segment, handshake facts and teardown kinds (beyond
 * Wireshark), on the hand-built scenarios. Each expected state sequence is RFC 793 §3.2
 * Figure 6 read along the segments (receive events change the receiver, send events the sender).
 */
import { describe, expect, it } from 'vitest';
import { Conversation, type FrameResult } from './harness.js';
import * as S from './scenarios.js';

function play(s: S.Scenario) {
  const c = new Conversation();
  const r: FrameResult[] = s(c);
  const a = c.h.analyzer;
  const states = r.map((x) => {
    const st = a.stateAfter(x.frame)!;
    return `${st.client}/${st.server}`;
  });
  return { r, a, states, summary: a.tcpStreams()[0] };
}

describe('connection states', () => {
  it('3-way handshake and 4-way close go through every state of both sides', () => {
    const { states, summary } = play(S.fourWayClose);
    expect(summary.initialStates).toEqual({ client: 'CLOSED', server: 'LISTEN' });
    expect(states).toEqual([
      'SYN_SENT/SYN_RECEIVED', // SYN
      'ESTABLISHED/SYN_RECEIVED', // SYN-ACK received by the client
      'ESTABLISHED/ESTABLISHED', // ACK
      'ESTABLISHED/ESTABLISHED', // data
      'ESTABLISHED/ESTABLISHED', // data
      'FIN_WAIT_1/CLOSE_WAIT', // client FIN
      'FIN_WAIT_2/CLOSE_WAIT', // server ACKs it
      'TIME_WAIT/LAST_ACK', // server FIN
      'TIME_WAIT/CLOSED', // last ACK
    ]);
    expect(summary.teardown).toMatchObject({ kind: 'four-way', initiator: 'client', complete: true });
  });

  it('FIN+ACK acknowledging the first FIN is a 3-way close (FIN_WAIT_1 → TIME_WAIT directly)', () => {
    const { states, summary } = play(S.threeWayClose);
    expect(states.slice(3)).toEqual(['FIN_WAIT_1/CLOSE_WAIT', 'TIME_WAIT/LAST_ACK', 'TIME_WAIT/CLOSED']);
    expect(summary.teardown).toMatchObject({ kind: 'three-way', initiator: 'client', clientFinFrame: 4, serverFinFrame: 5 });
  });

  it('crossing FINs: both sides go through CLOSING to TIME_WAIT', () => {
    const { states, summary } = play(S.simultaneousClose);
    expect(states.slice(3)).toEqual(['FIN_WAIT_1/CLOSE_WAIT', 'CLOSING/CLOSING', 'CLOSING/TIME_WAIT', 'TIME_WAIT/TIME_WAIT']);
    expect(summary.teardown.kind).toBe('simultaneous');
  });

  it('crossing SYNs: both sides go through SYN_RECEIVED to ESTABLISHED', () => {
    const { states, summary } = play(S.simultaneousOpen);
    expect(states).toEqual(['SYN_SENT/SYN_RECEIVED', 'SYN_RECEIVED/SYN_RECEIVED', 'SYN_RECEIVED/ESTABLISHED', 'ESTABLISHED/ESTABLISHED']);
    expect(summary.handshake.simultaneousOpen).toBe(true);
    expect(summary.handshake.synAckFrame).toBe(3);
  });

  it('a RST closes both sides', () => {
    const { states, summary } = play(S.resetClose);
    expect(states[4]).toBe('CLOSED/CLOSED');
    expect(summary.teardown).toMatchObject({ kind: 'reset', initiator: 'server', rstFrame: 5 });
  });

  it('a SYN answered by RST: refused', () => {
    const { states, summary } = play(S.refused);
    expect(states).toEqual(['SYN_SENT/SYN_RECEIVED', 'CLOSED/CLOSED']);
    expect(summary.teardown.kind).toBe('reset');
    expect(summary.handshake.complete).toBe(false);
  });

  it('only one FIN: half-closed, the other side stays in CLOSE_WAIT', () => {
    const { states, summary } = play(S.halfClosed);
    expect(states.slice(3)).toEqual(['FIN_WAIT_1/CLOSE_WAIT', 'FIN_WAIT_2/CLOSE_WAIT', 'FIN_WAIT_2/CLOSE_WAIT']);
    expect(summary.teardown).toMatchObject({ kind: 'half-closed', complete: false });
  });

  it('mid-connection capture: unknown until a FIN tells', () => {
    const { states, summary } = play(S.midConnection);
    expect(summary.initialStates).toEqual({ client: 'UNKNOWN', server: 'UNKNOWN' });
    expect(states).toEqual(['UNKNOWN/UNKNOWN', 'UNKNOWN/UNKNOWN', 'CLOSE_WAIT/FIN_WAIT_1', 'LAST_ACK/TIME_WAIT', 'CLOSED/TIME_WAIT']);
    // No handshake: the server is the side on the well-known port.
    expect(summary.clientBy).toBe('port');
    expect(summary.server.port).toBe(80);
    expect(summary.teardown).toMatchObject({ kind: 'three-way', initiator: 'server' });
    const labels = play(S.midConnection).a.stateAfter(1)!;
    expect(labels.clientLabel).toBe('unknown (capture started mid-connection)');
  });

  it('a stream without FIN or RST is never closed', () => {
    const { summary } = play(S.bytesInFlight);
    expect(summary.teardown).toMatchObject({ kind: 'never-closed', initiator: null });
  });
});

describe('handshake facts and stream summary', () => {
  it('ISNs, ack = ISN + 1, options negotiated, iRTT, bytes and throughput', () => {
    const { summary } = play(S.fourWayClose);
    expect(summary.clientBy).toBe('syn');
    expect(summary.client.endpoint).toBe('192.0.2.1:40000');
    expect(summary.server.endpoint).toBe('198.51.100.2:80');
    expect(summary.client.isn).toBe(1000);
    expect(summary.server.isn).toBe(5000);
    expect(summary.handshake).toMatchObject({
      synFrame: 1, synAckFrame: 2, ackFrame: 3, complete: true, synAckAcksIsn: true, ackAcksIsn: true,
      windowScaling: true, sackPermitted: true, timestamps: false,
    });
    expect(summary.client).toMatchObject({ mss: 1460, windowScale: 7, payloadBytes: 100, packets: 5 });
    expect(summary.server).toMatchObject({ mss: 1460, windowScale: 8, payloadBytes: 100, packets: 4 });
    // iRTT = SYN (t0) → client's ACK (t0 + 10 ms + 0.2 ms).
    expect(summary.handshake.irtt).toBeCloseTo(0.0102, 9);
    expect(summary.duration).toBeCloseTo(0.0162, 9);
    expect(summary.client.throughput).toBeCloseTo(100 / 0.0162, 6);
    expect(summary.completeness).toBe(31);
    expect(summary.completenessText).toBe('Complete, WITH_DATA (31)');
  });

  it('a SYN-ACK that does not acknowledge ISN + 1 is reported', () => {
    const c = new Conversation();
    c.send('c', { seq: 100, flags: 0x02, win: 1000 });
    c.send('s', { seq: 900, ack: 105, flags: 0x12, win: 1000 });
    expect(c.h.analyzer.tcpStreams()[0].handshake.synAckAcksIsn).toBe(false);
  });

  it('counts each analysis flag per stream', () => {
    const { summary } = play(S.fastRetransmission);
    expect(summary.flagCounts).toEqual({
      lost_segment: 1, duplicate_ack: 3, fast_retransmission: 1,
    });
  });
});
