import { beforeEach, describe, expect, it } from 'vitest';
import { reassembleStream, gapPlaceholderText } from '../../../src/analysis/reassembly/stream-reassembler.js';
import type { DataChunk, GapChunk, MarkerChunk, StreamItem } from '../../../src/analysis/reassembly/types.js';
import { seqAdd, seqDiff, seqGt, seqLt } from '../../../src/analysis/reassembly/seq.js';
import { ACK, CLIENT, FIN, PSH, RST, SERVER, SYN, bytes, resetFrames, seg, text } from './segments.js';

const data = (items: StreamItem[], node?: 0 | 1) =>
  items.filter((i): i is DataChunk => i.kind === 'data' && (node === undefined || i.node === node));
const joined = (items: StreamItem[], node: 0 | 1) => data(items, node).map((d) => text(d.bytes)).join('');

beforeEach(resetFrames);

describe('sequence arithmetic', () => {
  it('compares across the 2^32 wrap', () => {
    expect(seqLt(0xfffffff0, 0x10)).toBe(true);
    expect(seqGt(0x10, 0xfffffff0)).toBe(true);
    expect(seqAdd(0xffffffff, 2)).toBe(1);
    expect(seqDiff(5, 0xfffffffb)).toBe(10);
  });
});

describe('stream reassembly', () => {
  it('delivers both directions in order, SYN counting one byte, with SYN/FIN markers', () => {
    const r = reassembleStream([
      seg('c', 1000, SYN),
      seg('s', 5000, SYN | ACK, '', 1001),
      seg('c', 1001, ACK, '', 5001),
      seg('c', 1001, PSH | ACK, 'GET / HTTP/1.1\r\n\r\n', 5001),
      seg('s', 5001, PSH | ACK, 'HTTP/1.1 200 OK\r\n\r\nhi', 1019),
      seg('c', 1019, FIN | ACK, '', 5022),
      seg('s', 5022, FIN | ACK, '', 1020),
    ]);
    expect(r.nodes).toEqual([CLIENT, SERVER]);
    expect(joined(r.items, 0)).toBe('GET / HTTP/1.1\r\n\r\n');
    expect(joined(r.items, 1)).toBe('HTTP/1.1 200 OK\r\n\r\nhi');
    const markers = r.items.filter((i): i is MarkerChunk => i.kind !== 'data' && i.kind !== 'gap');
    expect(markers.map((m) => [m.kind, m.node, m.seq, m.offset])).toEqual([
      ['syn', 0, 1000, 0], ['syn', 1, 5000, 0], ['fin', 0, 1019, 18], ['fin', 1, 5022, 21],
    ]);
    expect(r.conflicts).toEqual([]);
    expect(r.pending).toEqual([]);
  });

  it('keeps the first copy of an overlapping retransmission, delivers only its new bytes and reports different bytes', () => {
    const r = reassembleStream([
      seg('c', 99, SYN),
      seg('c', 100, ACK, 'abcdef'),
      // Retransmission covering 100..109: the first 6 bytes differ in two places, 4 new bytes.
      seg('c', 100, ACK, 'abXdeYghij'),
    ]);
    expect(data(r.items).map((d) => [text(d.bytes), d.frame, d.seq])).toEqual([['abcdef', 2, 100], ['ghij', 3, 106]]);
    expect(r.conflicts).toEqual([{ node: 0, frame: 3, seq: 100, length: 6, differing: 2, firstFrame: 2 }]);
  });

  it('does not report a faithful retransmission', () => {
    const r = reassembleStream([seg('c', 1, ACK, 'hello'), seg('c', 1, ACK, 'hello'), seg('c', 3, ACK, 'llo!')]);
    expect(joined(r.items, 0)).toBe('hello!');
    expect(r.conflicts).toEqual([]);
  });

  it('buffers out-of-order segments until the gap fills', () => {
    const r = reassembleStream([
      seg('c', 0, SYN),
      seg('c', 1, ACK, 'one '),
      seg('c', 9, ACK, 'three'), // arrives before 'two '
      seg('c', 5, ACK, 'two '),
    ]);
    expect(data(r.items).map((d) => [text(d.bytes), d.frame])).toEqual([['one ', 2], ['two ', 4], ['three', 3]]);
    expect(r.pending).toEqual([]);
  });

  it('marks bytes the peer acknowledged but the capture never saw as a gap', () => {
    const r = reassembleStream([
      seg('c', 0, SYN),
      seg('c', 1, ACK, 'aaaa'),
      seg('c', 11, ACK, 'cccc'), // 6 bytes (5..10) never captured
      seg('s', 0, ACK, '', 15), // the receiver had them all
    ]);
    const gap = r.items.find((i): i is GapChunk => i.kind === 'gap')!;
    expect(gap).toMatchObject({ node: 0, frame: 4, seq: 5, missing: 6 });
    expect(r.items.map((i) => i.kind)).toEqual(['syn', 'data', 'gap', 'data']);
    expect(joined(r.items, 0)).toBe('aaaacccc');
    expect(gapPlaceholderText(6)).toBe('[6 bytes missing in capture file]');
  });

  it('keeps segments after a hole nothing acknowledged as undelivered (as tshark drops them)', () => {
    const r = reassembleStream([seg('c', 1, ACK, 'aa'), seg('c', 10, ACK, 'zz')]);
    expect(joined(r.items, 0)).toBe('aa');
    expect(r.pending.map((p) => [p.node, p.frame, p.seq, text(p.bytes)])).toEqual([[0, 2, 10, 'zz']]);
  });

  it('handles sequence numbers wrapping around 2^32', () => {
    const isn = 0xfffffffa;
    const r = reassembleStream([
      seg('c', isn, SYN),
      seg('c', isn + 1, ACK, 'wrap'), // 0xfffffffb..0xfffffffe
      seg('c', 3, ACK, 'after'), // out of order across the wrap: starts at 3
      seg('c', 0xffffffff, ACK, 'ping'), // 0xffffffff..2 fills the gap
    ]);
    expect(joined(r.items, 0)).toBe('wrappingafter');
    expect(data(r.items).map((d) => d.seq)).toEqual([0xfffffffb, 0xffffffff, 3]);
  });

  it('places FIN after the data it carries and RST where it occurs', () => {
    const r = reassembleStream([
      seg('c', 1, ACK, 'bye', 1),
      seg('c', 4, FIN | ACK, '!', 1),
      seg('s', 1, RST | ACK, '', 6),
    ]);
    const markers = r.items.filter((i): i is MarkerChunk => i.kind === 'fin' || i.kind === 'rst');
    expect(markers.map((m) => [m.kind, m.node, m.seq, m.offset])).toEqual([['fin', 0, 5, 4], ['rst', 1, 1, 0]]);
  });

  it('trims a segment that was cut by the capture to its captured bytes but advances by tcp.len', () => {
    const r = reassembleStream([
      seg('c', 1, ACK, bytes('abc'), 0, 10), // 10 bytes on the wire, 3 captured
      seg('c', 11, ACK, 'next'),
    ]);
    expect(data(r.items).map((d) => text(d.bytes))).toEqual(['abc', 'next']);
  });

  it('bounds the out-of-order buffer when asked to', () => {
    const segs = [seg('c', 1, ACK, 'a')];
    for (let i = 0; i < 50; i++) segs.push(seg('c', 100 + i * 10, ACK, 'x'.repeat(10)));
    const r = reassembleStream(segs, { maxBufferedBytes: 100 });
    expect(r.pending.reduce((n, p) => n + p.bytes.length, 0)).toBeLessThanOrEqual(100);
  });
});
