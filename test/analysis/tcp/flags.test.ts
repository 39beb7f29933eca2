/**
 * One test per TCP analysis rule (Wireshark 4.0's tcp_analyze_sequence_number), each on a
 * hand-built segment sequence from scenarios.ts, plus the edge cases that tell rules apart:
 * keep-alive vs retransmission, window update vs duplicate ACK, fast vs plain retransmission,
 * spurious retransmission, out-of-order, sequence wrap-around.
 */
import { describe, expect, it } from 'vitest';
import {
  TCP_A_DUPLICATE_ACK, TCP_A_FAST_RETRANSMISSION, TCP_A_KEEP_ALIVE, TCP_A_RETRANSMISSION,
  TCP_A_LOST_PACKET, TCP_A_WINDOW_FULL, infoPrefix, TCP_A_ZERO_WINDOW, TCP_A_ACK_LOST_PACKET,
} from '../../../src/analysis/index.js';
import { Conversation, type FrameResult } from './harness.js';
import * as S from './scenarios.js';

function run(s: S.Scenario): FrameResult[] {
  return s(new Conversation());
}

/** Field text of frame n (1-based). */
function f(r: FrameResult[], n: number, name: string): string {
  return r[n - 1].fields[name];
}

/** Names of the tcp.analysis.<flag> fields present on frame n. */
function flagsOf(r: FrameResult[], n: number): string[] {
  return Object.entries(r[n - 1].fields)
    .filter(([k, v]) => v && /^tcp\.analysis\.[a-z_]+$/.test(k) &&
      !['tcp.analysis.flags', 'tcp.analysis.bytes_in_flight', 'tcp.analysis.push_bytes_sent', 'tcp.analysis.ack_rtt',
        'tcp.analysis.acks_frame', 'tcp.analysis.initial_rtt', 'tcp.analysis.rto', 'tcp.analysis.rto_frame',
        'tcp.analysis.duplicate_ack_num', 'tcp.analysis.duplicate_ack_frame'].includes(k))
    .map(([k]) => k.slice('tcp.analysis.'.length))
    .sort();
}

describe('retransmissions', () => {
  it('a resend of unacknowledged data after the RTO is a retransmission with rto and rto_frame', () => {
    const r = run(S.retransmission);
    expect(flagsOf(r, 6)).toEqual(['retransmission']);
    expect(r[5].prefix).toBe('[TCP Retransmission] ');
    // RTO measured from the oldest unacknowledged segment (frame 4), 200.1 ms earlier.
    expect(f(r, 6, 'tcp.analysis.rto_frame')).toBe('4');
    expect(f(r, 6, 'tcp.analysis.rto')).toBe('0.200100000');
    expect(flagsOf(r, 4)).toEqual([]);
    expect(flagsOf(r, 5)).toEqual([]);
  });

  it('≥2 duplicate ACKs for exactly this seq within 20 ms make it a fast retransmission', () => {
    const r = run(S.fastRetransmission);
    expect(flagsOf(r, 5)).toEqual(['lost_segment']);
    expect(r[4].prefix).toBe('[TCP Previous segment not captured] ');
    expect(flagsOf(r, 7)).toEqual(['duplicate_ack']);
    expect(f(r, 7, 'tcp.analysis.duplicate_ack')).toBe('1,1'); // the item and the expert item
    expect(f(r, 7, 'tcp.analysis.duplicate_ack_num')).toBe('1');
    expect(f(r, 7, 'tcp.analysis.duplicate_ack_frame')).toBe('6');
    expect(r[6].prefix).toBe('[TCP Dup ACK 6#1] ');
    expect(r[9].prefix).toBe('[TCP Dup ACK 6#3] ');
    // Wireshark reports a fast retransmission with the retransmission expert as well.
    expect(flagsOf(r, 11)).toEqual(['fast_retransmission', 'retransmission']);
    expect(r[10].flags).toBe(TCP_A_FAST_RETRANSMISSION);
    expect(r[10].prefix).toBe('[TCP Fast Retransmission] ');
    expect(f(r, 11, 'tcp.analysis.rto')).toBe('');
  });

  it('the same resend 50 ms after the last duplicate ACK is a plain retransmission', () => {
    const r = run(S.slowResendAfterDupAcks);
    expect(r[8].flags).toBe(TCP_A_RETRANSMISSION);
    expect(r[8].prefix).toBe('[TCP Retransmission] ');
  });

  it('data already acknowledged by the peer is a spurious retransmission', () => {
    const r = run(S.spuriousRetransmission);
    expect(flagsOf(r, 6)).toEqual(['retransmission', 'spurious_retransmission']);
    expect(r[5].prefix).toBe('[TCP Spurious Retransmission] ');
  });

  it('a lower segment shortly after a higher one (within the iRTT) is out-of-order, not a retransmission', () => {
    const r = run(S.outOfOrder);
    expect(flagsOf(r, 5)).toEqual(['lost_segment']);
    expect(flagsOf(r, 6)).toEqual(['out_of_order']);
    expect(r[5].prefix).toBe('[TCP Out-Of-Order] ');
  });

  it('a SYN resent with the same ISN is a retransmission of the same stream', () => {
    const r = run(S.synRetransmission);
    expect(r.map((x) => f(r, x.frame, 'tcp.stream'))).toEqual(['0', '0', '0', '0']);
    expect(flagsOf(r, 2)).toEqual(['retransmission']);
    expect(f(r, 2, 'tcp.analysis.rto_frame')).toBe('1');
  });
});

describe('keep-alive vs retransmission', () => {
  it('0 or 1 byte at nextseq−1 is a keep-alive (never a retransmission), its ACK a keep-alive ACK', () => {
    const r = run(S.keepAlive);
    expect(flagsOf(r, 6)).toEqual(['keep_alive']);
    expect(r[5].prefix).toBe('[TCP Keep-Alive] ');
    expect(flagsOf(r, 7)).toEqual(['keep_alive_ack']);
    expect(r[6].prefix).toBe('[TCP Keep-Alive ACK] ');
    expect(flagsOf(r, 8)).toEqual(['keep_alive']);
    expect(r[7].flags & TCP_A_RETRANSMISSION).toBe(0);
    expect(flagsOf(r, 9)).toEqual(['keep_alive_ack']);
    // 10 bytes resent from inside the acknowledged range: a (spurious) retransmission, not a keep-alive.
    expect(r[9].flags & TCP_A_KEEP_ALIVE).toBe(0);
    expect(flagsOf(r, 10)).toContain('retransmission');
  });
});

describe('window update vs duplicate ACK', () => {
  it('same seq/ack with a new window is a window update; with the same window a duplicate ACK', () => {
    const r = run(S.windowUpdateVsDupAck);
    expect(flagsOf(r, 6)).toEqual(['window_update']);
    expect(r[5].prefix).toBe('[TCP Window Update] ');
    expect(flagsOf(r, 7)).toEqual(['duplicate_ack']);
    // The duplicate refers to the last ACK that changed the ack number (frame 5), not the update.
    expect(r[6].prefix).toBe('[TCP Dup ACK 5#1] ');
    expect(r[7].prefix).toBe('[TCP Dup ACK 5#2] ');
    expect(flagsOf(r, 9)).toEqual(['window_update']);
  });
});

describe('zero window, probes and window full', () => {
  it('zero window, zero-window probe and its ACK', () => {
    const r = run(S.zeroWindow);
    expect(flagsOf(r, 5)).toEqual(['zero_window']);
    expect(r[4].prefix).toBe('[TCP ZeroWindow] ');
    expect(flagsOf(r, 6)).toEqual(['zero_window_probe']);
    expect(r[5].prefix).toBe('[TCP ZeroWindowProbe] ');
    // The probe ACK repeats the zero window: both flags, ZeroWindowProbeAck printed first.
    expect(flagsOf(r, 7)).toEqual(['zero_window', 'zero_window_probe_ack']);
    expect(r[6].prefix).toBe('[TCP ZeroWindowProbeAck] [TCP ZeroWindow] ');
    expect(flagsOf(r, 8)).toEqual(['window_update']);
  });

  it('data up to the right edge of the scaled window is window full', () => {
    const r = run(S.windowFull);
    const last = r.length;
    expect(r[last - 1].flags).toBe(TCP_A_WINDOW_FULL);
    expect(r[last - 1].prefix).toBe('[TCP Window Full] ');
    expect(r.slice(3, last - 1).every((x) => x.flags === 0)).toBe(true);
  });

  it('ACKing bytes never captured is "ACKed unseen segment"; the next duplicate counts from #1', () => {
    const r = run(S.ackedUnseen);
    expect(flagsOf(r, 5)).toEqual(['ack_lost_segment']);
    expect(r[4].flags).toBe(TCP_A_ACK_LOST_PACKET);
    expect(r[4].prefix).toBe('[TCP ACKed unseen segment] ');
    expect(r[5].flags).toBe(TCP_A_DUPLICATE_ACK);
    expect(f(r, 6, 'tcp.analysis.duplicate_ack_num')).toBe('1');
  });
});

describe('bytes in flight', () => {
  it('counts unacknowledged payload minus SACKed blocks, and bytes since the last PSH', () => {
    const r = run(S.bytesInFlight);
    expect(f(r, 4, 'tcp.analysis.bytes_in_flight')).toBe('1000');
    expect(f(r, 5, 'tcp.analysis.bytes_in_flight')).toBe('2000');
    expect(f(r, 6, 'tcp.analysis.bytes_in_flight')).toBe('3000');
    expect(f(r, 6, 'tcp.analysis.push_bytes_sent')).toBe('3000');
    // Frame 7 ACKs 1000 bytes and SACKs 2001..3001: frame 8 has 2000..4000 minus the 1000 SACKed.
    expect(f(r, 8, 'tcp.analysis.bytes_in_flight')).toBe('2000');
    expect(f(r, 8, 'tcp.analysis.push_bytes_sent')).toBe('1000');
    expect(f(r, 9, 'tcp.analysis.push_bytes_sent')).toBe('2000');
    // An ACK without data has no bytes in flight of its own.
    expect(f(r, 7, 'tcp.analysis.bytes_in_flight')).toBe('');
    expect(f(r, 7, 'tcp.analysis.acks_frame')).toBe('4');
  });
});

describe('sequence numbers modulo 2^32', () => {
  it('relative numbers and the analysis are unaffected by the wrap', () => {
    const r = run(S.wrapAround);
    const seqs = r.map((x) => x.seg!.relSeq);
    expect(seqs).toEqual([0, 0, 1, 1, 101, 201, 301, 1, 301]);
    expect(r.slice(0, 8).every((x) => x.flags === 0)).toBe(true);
    expect(r[7].seg!.relAck).toBe(401);
    expect(f(r, 8, 'tcp.analysis.acks_frame')).toBe('7');
    // Resending 301..401 after it was ACKed, across the wrap: spurious.
    expect(flagsOf(r, 9)).toEqual(['retransmission', 'spurious_retransmission']);
  });
});

describe('Info prefixes', () => {
  it('follow Wireshark\'s prepend order (last reported first)', () => {
    expect(infoPrefix(TCP_A_WINDOW_FULL | TCP_A_LOST_PACKET, 0, 0))
      .toBe('[TCP Window Full] [TCP Previous segment not captured] ');
    expect(infoPrefix(TCP_A_DUPLICATE_ACK | TCP_A_ZERO_WINDOW, 12, 2)).toBe('[TCP ZeroWindow] [TCP Dup ACK 12#2] ');
    expect(infoPrefix(0, 0, 0)).toBe('');
  });
});
