/** FragmentHead's canvas: one copy per byte, views stay valid, overlaps fall back to copies. */
import { describe, expect, it } from 'vitest';
import { AddResult, FragmentHead } from '../../../src/analysis/reassembly/fragments.js';

const bytes = (from: number, n: number) => Uint8Array.from({ length: n }, (_, i) => (from + i) & 0xff);

describe('FragmentHead canvas', () => {
  it('assembles in-order fragments (many growths) into the right bytes', () => {
    const h = new FragmentHead();
    const src = bytes(0, 100 * 37);
    for (let k = 0; k < 100; k++) {
      const r = h.add(k + 1, k * 37, 37, k < 99, src.slice(k * 37, (k + 1) * 37));
      expect(r).toBe(k < 99 ? AddResult.Incomplete : AddResult.Complete);
    }
    expect(h.assemble()).toEqual(src);
    for (const f of h.fragments) expect(f.data).toEqual(src.subarray(f.offset, f.offset + f.len));
  });

  it('does not keep a view of the caller\'s bytes', () => {
    const h = new FragmentHead();
    const a = bytes(0, 10);
    h.add(1, 0, 10, true, a);
    a.fill(0xee);
    h.add(2, 10, 5, false, bytes(10, 5));
    expect(h.assemble()).toEqual(bytes(0, 15));
  });

  it('falls back to copying when fragments arrive out of order, first copy wins', () => {
    const h = new FragmentHead();
    h.add(1, 0, 10, true, bytes(0, 10));
    h.add(2, 20, 10, false, bytes(20, 10));
    h.add(3, 8, 12, true, bytes(108, 12));
    const out = h.assemble()!;
    expect(Array.from(out.subarray(0, 10))).toEqual(Array.from(bytes(0, 10)));
    expect(Array.from(out.subarray(10, 20))).toEqual(Array.from(bytes(110, 10)));
    expect(Array.from(out.subarray(20, 30))).toEqual(Array.from(bytes(20, 10)));
  });

  it('places out-of-order fragments that do not overlap, and hands the canvas out without a copy', () => {
    const h = new FragmentHead();
    h.add(2, 10, 10, true, bytes(10, 10));
    h.add(3, 20, 5, false, bytes(20, 5));
    expect(h.add(1, 0, 10, true, bytes(0, 10))).toBe(AddResult.Complete);
    const out = h.assemble()!;
    expect(out).toEqual(bytes(0, 25));
    for (const f of h.fragments) expect(f.data!.buffer).toBe(out.buffer);
  });

  it('a fragment overlapping one on the canvas gets its own copy (the canvas is never overwritten)', () => {
    const h = new FragmentHead();
    h.add(1, 0, 10, true, bytes(0, 10));
    h.add(2, 5, 10, true, bytes(55, 10));
    expect(h.fragments[1].data!.buffer).not.toBe(h.fragments[0].data!.buffer);
    expect(Array.from(h.fragments[0].data!)).toEqual(Array.from(bytes(0, 10)));
    h.add(3, 15, 5, false, bytes(15, 5));
    const out = h.assemble()!;
    expect(Array.from(out)).toEqual([...bytes(0, 10), ...bytes(60, 5), ...bytes(15, 5)]);
  });

  it('after a release for good, later fragments keep no bytes (the PDU cannot be assembled in this pass)', () => {
    const h = new FragmentHead();
    h.add(1, 0, 10, true, bytes(0, 10));
    h.release();
    const held = h.heldBytes();
    expect(h.add(2, 10, 10, false, bytes(10, 10))).toBe(AddResult.Complete);
    expect(h.copiedBytes()).toBe(0);
    expect(h.heldBytes()).toBe(held);
    expect(h.fragments[1].data).toBeNull();
    expect(h.assemble()).toBeNull();
  });

  it('a lost PDU in a single pass forgets the fragments inside its contiguous prefix, and still completes where it should', () => {
    const run = (singlePass: boolean) => {
      const h = new FragmentHead(undefined, singlePass);
      h.add(1, 0, 10, true, bytes(0, 10));
      h.release();
      // Segment 2 is missing for a while; 200 segments arrive after it.
      for (let k = 3; k < 203; k++) h.add(k, k * 10, 10, true, bytes(k * 10, 10));
      const kept = h.fragments.length;
      let completedIn = 0;
      if (h.add(203, 2030, 10, false, bytes(2030, 10)) === AddResult.Complete) completedIn = 203;
      if (h.add(204, 10, 20, true, bytes(10, 20)) === AddResult.Complete) completedIn = 204;
      return { kept, completedIn, reassembledIn: h.reassembledIn, left: h.fragments.length };
    };
    const single = run(true);
    const twoPass = run(false);
    expect(twoPass.kept).toBe(201);
    // Before segment 2 comes, the 200 fragments after the gap are still needed (and the one before it is not worth a pass).
    expect(single.kept).toBe(201);
    expect(single.completedIn).toBe(204);
    expect(single.reassembledIn).toBe(twoPass.reassembledIn);
    expect(twoPass.completedIn).toBe(204);
    // Once the gap is filled, the contiguous prefix covers them all.
    expect(single.left).toBe(0);
    expect(twoPass.left).toBe(203);
  });

  it('a handed-out PDU is not overwritten after truncation and more data', () => {
    const h = new FragmentHead();
    h.add(1, 0, 10, true, bytes(0, 10));
    h.add(2, 10, 10, false, bytes(10, 10));
    const first = h.assemble()!;
    const copy = first.slice();
    h.truncate(15);
    h.setPartial();
    h.add(3, 15, 10, true, bytes(200, 10));
    expect(first).toEqual(copy);
  });

  it('dropFragments forgets the list and the bytes', () => {
    const h = new FragmentHead();
    h.add(1, 0, 4, false, bytes(0, 4));
    h.dropFragments();
    expect(h.fragments.length).toBe(0);
    expect(h.heldBytes()).toBe(0);
    expect(h.reassembledIn).toBe(1);
  });
});
