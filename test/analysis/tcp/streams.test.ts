/**
 * Conversations: tcp.stream numbering and port reuse, relative sequence numbers, window scaling
 * and its scale factor, conversation timestamps, tcp.completeness in one and two passes,
 * udp.stream (including datagrams quoted in ICMP errors), and the IP conversation table.
 */
import { describe, expect, it } from 'vitest';
import { AnalysisHarness, Conversation, SYN, ACK, PSH, type FrameResult } from './harness.js';
import * as S from './scenarios.js';
import { DecodeSession, DissectContext, NullSink } from '../../../src/decode/index.js';
import { createAnalyzer } from '../../../src/analysis/index.js';

function twoPass(s: S.Scenario): { one: FrameResult[]; two: FrameResult[] } {
  const c = new Conversation();
  const one = s(c);
  c.h.secondPass();
  const two = c.h.recorded.map((f) => c.h.feedAt(f.bytes, f.tsSec, f.tsNsec));
  return { one, two };
}

describe('tcp.stream', () => {
  it('numbers conversations from 0 in order of first appearance, either direction', () => {
    const h = new AnalysisHarness();
    const a = new Conversation({ addr: '192.0.2.1', port: 40000 }, { addr: '198.51.100.2', port: 80 }, h);
    const b = new Conversation({ addr: '192.0.2.1', port: 40001 }, { addr: '198.51.100.2', port: 80 }, h);
    const streams = [
      a.send('c', { seq: 1, flags: SYN }), b.send('c', { seq: 1, flags: SYN }),
      b.send('s', { seq: 9, ack: 2, flags: SYN | ACK }), a.send('s', { seq: 9, ack: 2, flags: SYN | ACK }),
    ].map((r) => r.seg!.stream);
    expect(streams).toEqual([0, 1, 1, 0]);
    expect(h.analyzer.tcp.streamCount).toBe(2);
  });

  it('a SYN with a new ISN on a used 4-tuple starts a new stream flagged reused_ports', () => {
    const c = new Conversation();
    const r = S.portReuse(c);
    expect(r.map((x) => x.seg!.stream)).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1]);
    expect(r[6].fields['tcp.analysis.reused_ports']).toBe('1');
    expect(r[6].prefix).toBe('[TCP Port numbers reused] ');
    // The new stream has its own relative numbers and timestamps.
    expect(r[6].seg!.relSeq).toBe(0);
    expect(r[7].seg!.relAck).toBe(1);
    expect(r[6].fields['tcp.time_relative']).toBe('0.000000000');
    // One pass: a reused-port SYN starts at completeness 1 (SYN seen).
    expect(r[6].fields['tcp.completeness']).toBe('1');
    expect(c.h.analyzer.stateAfter(7)).toMatchObject({ stream: 1, client: 'SYN_SENT' });
  });
});

describe('relative numbers, window, timestamps', () => {
  it('seq/ack relative to each side\'s ISN, nxtseq counts SYN/FIN, the window is scaled after the handshake', () => {
    const r = S.fourWayClose(new Conversation());
    expect(r.map((x) => x.seg!.relSeq)).toEqual([0, 0, 1, 1, 1, 101, 101, 101, 102]);
    expect(r.map((x) => x.seg!.relAck)).toEqual([0, 1, 1, 1, 101, 101, 102, 102, 102]);
    expect(r.map((x) => x.seg!.nextSeq)).toEqual([1, 1, 1, 101, 101, 102, 101, 102, 102]);
    // SYNs are not scaled and show no scale factor; later segments use the peer-agreed shift.
    expect(r[0].seg!.windowSize).toBe(64240);
    expect(r[0].seg!.windowSizeScaleFactor).toBe(-3);
    expect(r[2].seg!.windowSize).toBe(502 * 128);
    expect(r[2].seg!.windowSizeScaleFactor).toBe(128);
    expect(r[4].seg!.windowSize).toBe(255 * 256);
    expect(r[4].seg!.windowSizeScaleFactor).toBe(256);
    // SACK edges are shown relative to the peer's ISN.
    expect(r[3].seg!.sackBase).toBe(5000);
  });

  it('no window scaling when one SYN lacks the option (-2), unknown without a handshake (-1)', () => {
    const c = new Conversation();
    c.send('c', { seq: 1, flags: SYN, win: 1000, ws: 5 });
    c.send('s', { seq: 1, ack: 2, flags: SYN | ACK, win: 1000 });
    const ack = c.send('c', { seq: 2, ack: 2, flags: ACK, win: 1000 });
    expect(ack.seg!.windowSizeScaleFactor).toBe(-2);
    expect(ack.seg!.windowSize).toBe(1000);
    const mid = S.midConnection(new Conversation());
    expect(mid[0].seg!.windowSizeScaleFactor).toBe(-1);
    expect(mid[0].seg!.relSeq).toBe(1); // relative numbers start at 1 without the SYN
  });

  it('tcp.time_relative / time_delta are per stream', () => {
    const r = S.retransmission(new Conversation());
    expect(r[0].fields['tcp.time_relative']).toBe('0.000000000');
    expect(r[1].fields['tcp.time_delta']).toBe('0.010000000');
    expect(r[5].fields['tcp.time_delta']).toBe('0.200000000');
    expect(r[5].fields['tcp.time_relative']).toBe('0.211300000');
  });
});

describe('tcp.completeness and tshark -2', () => {
  it('one pass prints the value before each segment; two passes the final value', () => {
    const { one, two } = twoPass(S.fourWayClose);
    expect(one.map((x) => x.fields['tcp.completeness'])).toEqual(['0', '1', '3', '7', '15', '15', '31', '31', '31']);
    expect(two.map((x) => x.fields['tcp.completeness'])).toEqual(Array(9).fill('31'));
  });

  it('two passes show the iRTT on every analysed segment, one pass only from the handshake ACK on', () => {
    const { one, two } = twoPass(S.fourWayClose);
    expect(one[1].fields['tcp.analysis.initial_rtt']).toBe('');
    expect(two[1].fields['tcp.analysis.initial_rtt']).toBe('0.010200000');
    expect(one[2].fields['tcp.analysis.initial_rtt']).toBe('0.010200000');
    // The SYN has no analysis subtree at all.
    expect(two[0].fields['tcp.analysis']).toBe('');
  });

  it('the second pass keeps OR-ing segments into the final value (mid-connection data counts then)', () => {
    const { one, two } = twoPass(S.midConnection);
    expect(one.map((x) => x.fields['tcp.completeness'])).toEqual(['0', '0', '4', '20', '20']);
    expect(two.map((x) => x.fields['tcp.completeness'])).toEqual(['20', '28', '28', '28', '28']);
  });

  it('flags and stream numbers are the same in both passes', () => {
    const { one, two } = twoPass(S.fastRetransmission);
    expect(two.map((x) => x.flags)).toEqual(one.map((x) => x.flags));
    expect(two.map((x) => x.prefix)).toEqual(one.map((x) => x.prefix));
    expect(two.map((x) => x.seg!.stream)).toEqual(one.map((x) => x.seg!.stream));
  });
});

function udpFrame(src: number[], dst: number[], sport: number, dport: number, len: number): Uint8Array {
  const udp = [sport >> 8, sport & 255, dport >> 8, dport & 255, (8 + len) >> 8, (8 + len) & 255, 0, 0, ...Array(len).fill(1)];
  const total = 20 + udp.length;
  return Uint8Array.from([
    0, 0, 0x5e, 0, 0x53, 2, 0, 0, 0x5e, 0, 0x53, 1, 8, 0,
    0x45, 0, total >> 8, total & 255, 0, 1, 0, 0, 64, 17, 0, 0, ...src, ...dst, ...udp,
  ]);
}

/** ICMP port unreachable from `from` quoting the datagram src → dst. */
function icmpUnreachable(from: number[], to: number[], quoted: Uint8Array): Uint8Array {
  const inner = quoted.subarray(14, 14 + 28);
  const icmp = [3, 3, 0, 0, 0, 0, 0, 0, ...inner];
  const total = 20 + icmp.length;
  return Uint8Array.from([
    0, 0, 0x5e, 0, 0x53, 1, 0, 0, 0x5e, 0, 0x53, 2, 8, 0,
    0x45, 0, total >> 8, total & 255, 0, 2, 0, 0, 64, 1, 0, 0, ...from, ...to, ...icmp,
  ]);
}

describe('udp.stream', () => {
  it('numbers UDP conversations and gives a quoted datagram in an ICMP error its stream', () => {
    const h = new AnalysisHarness();
    const A = [192, 0, 2, 1];
    const B = [192, 0, 2, 2];
    const q1 = udpFrame(A, B, 5353, 53, 10);
    const r1 = h.feed(q1, 100);
    const r2 = h.feed(udpFrame(B, A, 53, 5353, 20), 100.5);
    const r3 = h.feed(udpFrame(A, B, 5354, 53, 0), 101);
    const r4 = h.feed(icmpUnreachable(B, A, q1), 101.25);
    expect([r1, r2, r3, r4].map((r) => r.fields['udp.stream'])).toEqual(['0', '0', '1', '0']);
    // Timestamps only for datagrams with payload outside ICMP errors.
    expect(r2.fields['udp.time_delta']).toBe('0.500000000');
    expect(r3.fields['udp.time_relative']).toBe('');
    expect(r4.fields['udp.time_relative']).toBe('');
    const sums = h.analyzer.udp.summaries();
    expect(sums[0]).toMatchObject({ a: '192.0.2.1:5353', b: '192.0.2.2:53', packetsAB: 1, packetsBA: 1 });
  });
});

describe('IP conversations and endpoints', () => {
  it('count packets and bytes each way from the outermost IP header', () => {
    const analyzer = createAnalyzer();
    const session = new DecodeSession(analyzer.hooks);
    const frames: [number[], number[], number][] = [
      [[10, 0, 0, 1], [10, 0, 0, 2], 100], [[10, 0, 0, 2], [10, 0, 0, 1], 60], [[10, 0, 0, 1], [10, 0, 0, 3], 70],
    ];
    frames.forEach(([src, dst, len], i) => {
      const bytes = new Uint8Array(len);
      const ctx = new DissectContext(bytes, new NullSink(), {
        number: i + 1, tsSec: 10 + i, tsNsec: 0, capLen: len, origLen: len, interfaceId: 0, linkType: 1,
      }, session);
      ctx.meta.ipVersion = 4;
      ctx.meta.ip4Src = ((src[0] << 24) | (src[1] << 16) | (src[2] << 8) | src[3]) >>> 0;
      ctx.meta.ip4Dst = ((dst[0] << 24) | (dst[1] << 16) | (dst[2] << 8) | dst[3]) >>> 0;
      analyzer.account(ctx);
    });
    expect(analyzer.ip.conversations()).toEqual([
      { a: '10.0.0.1', b: '10.0.0.2', packetsAB: 1, bytesAB: 100, packetsBA: 1, bytesBA: 60, relativeStart: 0, duration: 1 },
      { a: '10.0.0.1', b: '10.0.0.3', packetsAB: 1, bytesAB: 70, packetsBA: 0, bytesBA: 0, relativeStart: 2, duration: 0 },
    ]);
    const ep = analyzer.ip.endpointList().find((e) => e.address === '10.0.0.1')!;
    expect(ep).toMatchObject({ packets: 3, txPackets: 2, txBytes: 170, rxPackets: 1, rxBytes: 60 });
  });
});

describe('hook contract', () => {
  it('fills the analysis slots of the segment and the flags bitmask for the packet index', () => {
    const c = new Conversation();
    const r = S.fastRetransmission(c);
    const seg = r[10].seg!;
    expect(seg.stream).toBe(0);
    expect(seg.analysisFlags).toBe(0x0400);
    expect(c.h.analyzer.tcp.streamOf(11)).toBe(0);
    expect(c.h.analyzer.tcp.streamOf(999)).toBe(-1);
    // Data segment: PSH bytes, ack RTT on the ACK.
    const d = S.fourWayClose(new Conversation());
    expect(d[4].fields['tcp.analysis.acks_frame']).toBe('4');
    expect(d[4].fields['tcp.analysis.ack_rtt']).toBe('0.001000000');
    void PSH;
  });
});
