/** PduBufferPool: size classes, reuse only after settle, the idle bound. */
import { describe, expect, it } from 'vitest';
import { PduBufferPool, freshBuffers } from '../../../src/analysis/reassembly/buffer-pool.js';
import { AddResult, FragmentHead } from '../../../src/analysis/reassembly/fragments.js';

const bytes = (from: number, n: number) => Uint8Array.from({ length: n }, (_, i) => (from + i) & 0xff);

describe('PduBufferPool', () => {
  it('hands out power-of-two classes of at least 4 KiB', () => {
    const pool = new PduBufferPool();
    expect(pool.take(1).length).toBe(4096);
    expect(pool.take(4096).length).toBe(4096);
    expect(pool.take(4097).length).toBe(8192);
    expect(pool.take(300_000).length).toBe(524_288);
  });

  it('reuses a retired buffer only after settle', () => {
    const pool = new PduBufferPool();
    const a = pool.take(5000);
    pool.retire(a);
    const b = pool.take(5000);
    expect(b).not.toBe(a);
    pool.settle();
    expect(pool.idleBytes()).toBe(8192);
    expect(pool.take(6000)).toBe(a);
    expect(pool.reused).toBe(1);
    expect(pool.idleBytes()).toBe(0);
  });

  it('hands a buffer retired twice out once', () => {
    const pool = new PduBufferPool();
    const a = pool.take(100);
    pool.retire(a);
    pool.retire(a);
    pool.settle();
    expect(pool.take(100)).toBe(a);
    expect(pool.take(100)).not.toBe(a);
  });

  it('keeps at most maxPooledBytes idle and never keeps foreign sizes', () => {
    const pool = new PduBufferPool(16384);
    const bufs = [pool.take(8192), pool.take(8192), pool.take(8192)];
    for (const b of bufs) pool.retire(b);
    pool.retire(new Uint8Array(5000));
    pool.settle();
    expect(pool.idleBytes()).toBe(16384);
    expect(pool.take(5000).length).toBe(8192);
  });

  it('frees a big buffer over the bound at settle, not before, and keeps the pooled ones intact', () => {
    const pool = new PduBufferPool(1 << 20);
    const kept = pool.take(1 << 20);
    const over = pool.take(1 << 20);
    kept.fill(7);
    over.fill(9);
    pool.retire(kept);
    pool.retire(over);
    // Retired buffers stay readable for the rest of their frame.
    expect(over[123]).toBe(9);
    pool.settle();
    expect(pool.idleBytes()).toBe(1 << 20);
    expect(over.byteLength).toBe(0); // its memory was handed back
    const again = pool.take(1 << 20);
    expect(again).toBe(kept);
    expect(again.byteLength).toBe(1 << 20);
    // A foreign buffer (not one of take's classes) is never touched.
    const foreign = new Uint8Array(100_000);
    pool.retire(foreign);
    pool.settle();
    expect(foreign.byteLength).toBe(100_000);
  });

  it('fresh buffers are exact and never reused', () => {
    expect(freshBuffers.take(10).length).toBe(10);
  });
});

describe('FragmentHead on a pool', () => {
  it('a PDU handed out stays intact until settle, and its canvas serves the next PDU after', () => {
    const pool = new PduBufferPool();
    const h = new FragmentHead(pool);
    h.add(1, 0, 10, true, bytes(0, 10));
    expect(h.add(2, 10, 10, false, bytes(10, 10))).toBe(AddResult.Complete);
    const pdu = h.assemble()!;
    h.release();
    // Same frame: another PDU must not get that canvas.
    const other = new FragmentHead(pool);
    other.add(2, 0, 20, true, bytes(100, 20));
    expect(Array.from(pdu)).toEqual(Array.from(bytes(0, 20)));
    // Next frame: it is reused.
    pool.settle();
    const next = new FragmentHead(pool);
    next.add(3, 0, 4, false, bytes(200, 4));
    expect(pool.reused).toBe(1);
    expect(Array.from(next.assemble()!)).toEqual(Array.from(bytes(200, 4)));
  });
});
