/**
 * Notes for the analysis flags and ACK patterns the fixtures do not contain (zero window and
 * probes, keep-alives, spurious retransmission, ACKed unseen segment, reused ports, delayed
 * ACK), on hand-built segment sequences run through the analysis's diagram builder.
 */
import { describe, expect, it } from 'vitest';
import { buildSequenceDiagram } from '../../src/analysis/sequence/index.js';
import type { DiagramPacket, DiagramTcp } from '../../src/analysis/sequence/types.js';
import {
  TCP_A_ACK_LOST_PACKET, TCP_A_KEEP_ALIVE, TCP_A_KEEP_ALIVE_ACK, TCP_A_REUSED_PORTS, TCP_A_SPURIOUS_RETRANSMISSION,
  TCP_A_RETRANSMISSION, TCP_A_ZERO_WINDOW, TCP_A_ZERO_WINDOW_PROBE, TCP_A_ZERO_WINDOW_PROBE_ACK, TCP_A_WINDOW_UPDATE,
} from '../../src/analysis/tcp/flags.js';
import { buildLesson, formatTeach, type Step } from '../../src/teach/index.js';
import { findNote, LOCALES } from './helpers.js';

const C = '192.0.2.1:40000';
const S = '192.0.2.2:80';
const ACK = 0x10;
const PSH = 0x08;

let frame = 0;
function seg(ms: number, fromClient: boolean, t: Partial<DiagramTcp>): DiagramPacket {
  frame++;
  return {
    frame, tsSec: 1000 + Math.floor(ms / 1000), tsNsec: (ms % 1000) * 1e6, src: fromClient ? C : S, dst: fromClient ? S : C,
    protocol: 'TCP', info: '',
    tcp: {
      stream: 0, flags: ACK, seq: 1, ack: 1, rawSeq: 1001, rawAck: 5001, len: 0, window: 65535, analysisFlags: 0, dupAckNum: 0, dupAckFrame: 0,
      mss: -1, windowScale: -1, sackPermitted: false, fromClient, clientState: 'ESTABLISHED', serverState: 'ESTABLISHED', ...t,
    },
  };
}

function lessonOf(packets: DiagramPacket[]): Step[] {
  const d = buildSequenceDiagram(packets, {
    streamEndpoints: new Map([[0, { client: C, server: S }]]),
    initialStates: new Map([[0, { client: 'ESTABLISHED' as const, server: 'ESTABLISHED' as const }]]),
  });
  return buildLesson(d).steps;
}

function printsIn(step: Step, key: string, values: (string | number)[]): void {
  const n = findNote(step, key);
  expect(n, key).toBeDefined();
  for (const locale of LOCALES) for (const v of values) expect(formatTeach(n!, locale), `${locale} ${key}`).toContain(String(v));
}

describe('notes for every analysis flag', () => {
  it('zero window, zero-window probe and its ACK, window update', () => {
    frame = 0;
    const steps = lessonOf([
      seg(0, false, { seq: 1, len: 1000, ack: 1 }),
      seg(1, true, { ack: 1001, window: 0, analysisFlags: TCP_A_ZERO_WINDOW }),
      seg(300, false, { seq: 1001, len: 1, analysisFlags: TCP_A_ZERO_WINDOW_PROBE }),
      seg(301, true, { ack: 1001, window: 0, analysisFlags: TCP_A_ZERO_WINDOW | TCP_A_ZERO_WINDOW_PROBE_ACK }),
      seg(900, true, { ack: 1001, window: 8192, analysisFlags: TCP_A_WINDOW_UPDATE }),
    ]);
    printsIn(steps[1], 'zero-window', [0]);
    expect(findNote(steps[1], 'zero-window')!.tone).toBe('problem');
    printsIn(steps[2], 'zero-window-probe', [1001]);
    printsIn(steps[3], 'zero-window-probe-ack', [0]);
    printsIn(steps[4], 'window-update', [8192, 0]);
    expect(steps[4].highlights.find((h) => h.field === 'tcp.window_size')!.value).toBe('8192');
  });

  it('keep-alive and its ACK', () => {
    frame = 0;
    const steps = lessonOf([
      seg(0, true, { seq: 100, ack: 1, len: 0, analysisFlags: TCP_A_KEEP_ALIVE }),
      seg(1, false, { seq: 1, ack: 101, analysisFlags: TCP_A_KEEP_ALIVE_ACK }),
    ]);
    printsIn(steps[0], 'keep-alive', [100]);
    printsIn(steps[1], 'keep-alive-ack', [101]);
  });

  it('retransmission after a timeout names the original frame and the wait; spurious retransmission says it was already acknowledged', () => {
    frame = 0;
    const steps = lessonOf([
      seg(0, false, { seq: 2897, len: 1448, ack: 1 }),
      seg(210, false, { seq: 2897, len: 1448, ack: 1, analysisFlags: TCP_A_RETRANSMISSION }),
      seg(211, true, { ack: 4345 }),
      seg(500, false, { seq: 2897, len: 1448, ack: 1, analysisFlags: TCP_A_RETRANSMISSION | TCP_A_SPURIOUS_RETRANSMISSION }),
    ]);
    const r = findNote(steps[1], 'retransmission')!;
    expect(r.params).toMatchObject({ first: 2897, last: 4344, originalFrame: 1, after: '210 ms' });
    expect(formatTeach(r, 'en')).toBe('Retransmission: the same bytes 2897–4344 sent again 210 ms later (first in frame 1), because no ACK came.');
    expect(formatTeach(r, 'zh-CN')).toBe('重传：同样的字节 2897–4344 在 210 ms 后再次发送（首次为帧 1），因为一直没有收到确认。');
    printsIn(steps[3], 'spurious-retransmission', [2897, 4344, 1]);
  });

  it('ACKed unseen segment and reused ports', () => {
    frame = 0;
    const steps = lessonOf([
      seg(0, true, { ack: 90001, analysisFlags: TCP_A_ACK_LOST_PACKET }),
      seg(5, true, { flags: 0x02, seq: 0, rawSeq: 777, len: 0, analysisFlags: TCP_A_REUSED_PORTS, clientState: 'SYN_SENT', serverState: 'SYN_RECEIVED' }),
    ]);
    printsIn(steps[0], 'ack-lost-segment', [90001]);
    expect(findNote(steps[1], 'reused-ports')).toBeDefined();
    printsIn(steps[1], 'syn', [777]);
  });

  it('delayed ACK: one segment acknowledged only after the delayed-ACK timer; cumulative ACK: several at once', () => {
    frame = 0;
    const steps = lessonOf([
      seg(0, false, { seq: 1, len: 100, flags: ACK | PSH }),
      seg(40, true, { ack: 101 }),
      seg(50, false, { seq: 101, len: 1000 }),
      seg(50, false, { seq: 1101, len: 1000 }),
      seg(51, true, { ack: 2101 }),
    ]);
    const d = findNote(steps[1], 'ack-delayed')!;
    expect(d.params).toMatchObject({ frame: 1, delay: '40 ms', delayMs: 40 });
    printsIn(steps[1], 'ack-delayed', [1, '40 ms']);
    expect(findNote(steps[4], 'ack-delayed')).toBeUndefined();
    const c = findNote(steps[4], 'ack-cumulative')!;
    expect(c.params).toMatchObject({ segments: 2, bytes: 2000, frames: '3, 4' });
    printsIn(steps[4], 'ack-cumulative', [2, 2000, '3, 4']);
  });

  it('a four-way close: FIN, its ACK (half-closed), the other FIN, the last ACK; TIME_WAIT and "Why four?"', () => {
    frame = 0;
    const FIN = 0x01;
    const steps = lessonOf([
      seg(0, true, { flags: FIN | ACK, seq: 50, ack: 900, clientState: 'FIN_WAIT_1', serverState: 'CLOSE_WAIT' }),
      seg(1, false, { seq: 900, ack: 51, clientState: 'FIN_WAIT_2', serverState: 'CLOSE_WAIT' }),
      seg(2, false, { seq: 900, ack: 51, len: 100, flags: ACK | PSH, clientState: 'FIN_WAIT_2', serverState: 'CLOSE_WAIT' }),
      seg(3, false, { flags: FIN | ACK, seq: 1000, ack: 51, clientState: 'TIME_WAIT', serverState: 'LAST_ACK' }),
      seg(4, true, { seq: 51, ack: 1001, clientState: 'TIME_WAIT', serverState: 'CLOSED' }),
    ]);
    printsIn(steps[0], 'fin-first', [50]);
    printsIn(steps[1], 'fin-ack-pure', [51, 50]);
    expect(findNote(steps[1], 'half-close')).toBeDefined();
    expect(findNote(steps[1], 'state-sender')).toBeUndefined();
    expect(findNote(steps[1], 'state-receiver')!.params.state).toBe('FIN_WAIT_2');
    printsIn(steps[2], 'data', [100, 900, 999]);
    printsIn(steps[3], 'fin-second', [1000]);
    expect(findNote(steps[3], 'time-wait')!.params.side).toBe('client');
    printsIn(steps[4], 'fin-ack-pure', [1001, 1000]);
    expect(findNote(steps[4], 'close-last')).toBeDefined();
    const why = steps[0].why.find((w) => w.id === 'four-way')!;
    expect(why.answer.map((a) => a.key)).toEqual(['why.four-way.a1', 'why.four-way.a2']);
    expect(why.answer[1].params).toMatchObject({ other: 'server', secondFin: 4 });
    const tw = steps[3].why.find((w) => w.id === 'time-wait')!;
    expect(tw.answer[0].params).toMatchObject({ side: 'client', peer: 'server', frame: 5 });
    expect(formatTeach(tw.answer[0], 'zh-CN')).toContain('帧 5');
  });
});
