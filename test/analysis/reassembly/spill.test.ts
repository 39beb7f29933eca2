/**
 * Spilling reassembly copies (fragments.ts spill/restore, desegment.ts frameBytes): a PDU that
 * waits for more drops its copies and reads them back from the frames if it completes. Nothing
 * a dissector sees may change: the fixtures are decoded with every open PDU spilled as early as
 * possible (a copy bound of 0) and must give exactly what the copying reassembly gives.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createAnalyzer, PduBufferPool, type AnalyzerOptions, type FrameBytes } from '../../../src/analysis/index.js';
import { AddResult, FragmentHead } from '../../../src/analysis/reassembly/fragments.js';
import { readCaptureFileSync } from '../../../src/capture/read-node.js';
import {
  decodePacket, DecodeSession, FieldCollector, fieldCount, formatFieldValue, lookupField,
} from '../../../src/decode/index.js';
import { bytes } from './segments.js';
import { corpusDir, fixtureFiles, fixturePath, hasCorpus } from '../../helpers/fixtures.js';

/** FrameBytes over frames kept in memory (the engine reads them from the capture file). */
function frameSource(frames: Map<number, Uint8Array>): FrameBytes & { reads: number } {
  return {
    reads: 0,
    read(frame, at, len, out, outAt) {
      const f = frames.get(frame);
      if (!f || at + len > f.length) return false;
      this.reads++;
      out.set(f.subarray(at, at + len), outAt);
      return true;
    },
  };
}

describe('FragmentHead spill and restore', () => {
  // Frames whose bytes 2.. are the fragments' (a 2-byte "header" in front).
  const frames = new Map([[1, bytes('..ABCD')], [2, bytes('..EFGH')], [3, bytes('..IJ')]]);

  it('drops the copies, keeps the held count, and gives the same bytes back', () => {
    const h = new FragmentHead();
    h.add(1, 0, 4, true, frames.get(1)!.subarray(2), 2);
    h.add(3, 8, 2, false, frames.get(3)!.subarray(2), 2);
    expect(h.copiedBytes()).toBe(6);
    expect(h.spill()).toBe(true);
    expect(h.copiedBytes()).toBe(0);
    expect(h.heldBytes()).toBe(6);
    // Added while spilled: not copied either.
    expect(h.add(2, 4, 4, true, frames.get(2)!.subarray(2), 2)).toBe(AddResult.Complete);
    expect(h.copiedBytes()).toBe(0);
    expect(h.assemble()).toBeNull();
    const src = frameSource(frames);
    expect(h.restore(src)).toBe(true);
    expect(src.reads).toBe(3);
    expect(new TextDecoder().decode(h.assemble()!)).toBe('ABCDEFGHIJ');
    expect(h.copiedBytes()).toBe(10);
  });

  it('restores onto a canvas that later fragments continue, so the PDU needs no second copy', () => {
    const h = new FragmentHead();
    h.add(1, 0, 4, true, frames.get(1)!.subarray(2), 2);
    h.spill();
    h.add(2, 4, 4, true, frames.get(2)!.subarray(2), 2);
    expect(h.restore(frameSource(frames))).toBe(true);
    expect(h.add(3, 8, 2, false, frames.get(3)!.subarray(2), 2)).toBe(AddResult.Complete);
    const out = h.assemble()!;
    expect(new TextDecoder().decode(out)).toBe('ABCDEFGHIJ');
    for (const f of h.fragments) expect(f.data!.buffer).toBe(out.buffer);
  });

  it('a failed read leaves the head spilled', () => {
    const h = new FragmentHead();
    h.add(1, 0, 4, true, frames.get(1)!.subarray(2), 2);
    h.add(9, 4, 4, false, bytes('WXYZ'), 2);
    h.spill();
    expect(h.restore(frameSource(frames))).toBe(false);
    expect(h.isSpilled).toBe(true);
    expect(h.fragments.every((f) => f.data === null)).toBe(true);
  });

  it('refuses to spill bytes that are not a frame\'s own', () => {
    const h = new FragmentHead();
    h.add(1, 0, 4, true, bytes('ABCD'));
    expect(h.spill()).toBe(false);
    expect(new TextDecoder().decode(h.add(2, 4, 2, false, bytes('EF')) === AddResult.Complete ? h.assemble()! : new Uint8Array())).toBe('ABCDEF');
  });

  it('cannot restore what was released for good', () => {
    const h = new FragmentHead();
    h.add(1, 0, 4, true, frames.get(1)!.subarray(2), 2);
    h.spill();
    h.release();
    h.add(2, 4, 4, false, frames.get(2)!.subarray(2), 2);
    h.restore(frameSource(frames));
    expect(h.assemble()).toBeNull();
  });
});

const FIELDS = [
  'tcp.stream', 'tcp.reassembled_in', 'tcp.segment', 'tcp.segment.count', 'tcp.reassembled.length', 'tcp.reassembled.data',
  'http.request.method', 'http.request.uri', 'http.response.code', 'http.content_length', 'http.file_data', 'dns.qry.name',
];

/** Per frame: Protocol, Info, frame.protocols and FIELDS as tshark -T fields would print them. */
function decodeFile(file: string, frameBytes: FrameBytes | null, opts: AnalyzerOptions = {}): string[] {
  const analyzer = createAnalyzer(frameBytes ? { ...opts, frameBytes, maxCopiedBytes: 0 } : opts);
  const session = new DecodeSession(analyzer.hooks);
  const defs = FIELDS.map((n) => lookupField(n)).filter((d) => d !== undefined);
  const collector = new FieldCollector(defs, fieldCount());
  const out: string[] = [];
  readCaptureFileSync(file, (rec) => {
    collector.reset();
    const ctx = decodePacket(rec, rec.data, session, collector);
    const cells = defs.map((d, k) => {
      const occ = collector.column(k);
      const vals: string[] = [];
      for (let j = 0; j < occ.count; j++) vals.push(formatFieldValue(d, occ.values[j], occ.sources?.[j] ?? rec.data, occ.offsets[j], occ.lengths[j]));
      return vals.join(',');
    });
    out.push([ctx.cols.protocol, ctx.cols.info, ctx.protocols.join(':'), ...cells].join('\t'));
  });
  return out;
}

/** Every frame of a capture, by number (what the engine would read back from the file). */
function framesOf(file: string): Map<number, Uint8Array> {
  const frames = new Map<number, Uint8Array>();
  readCaptureFileSync(file, (rec) => frames.set(rec.number, rec.data.slice()));
  return frames;
}

describe('desegmentation with every waiting PDU spilled decodes as with copies', () => {
  let restoredReads = 0;
  for (const name of fixtureFiles()) {
    it(name, () => {
      const file = fixturePath(name);
      const src = frameSource(framesOf(file));
      expect(decodeFile(file, src)).toEqual(decodeFile(file, null));
      restoredReads += src.reads;
    });
  }
  it('read spilled bytes back on some fixture (the comparison above is not vacuous)', () => {
    expect(restoredReads).toBeGreaterThan(0);
  });
});

/**
 * A single pass reuses PDU buffers from the frame after the one that dissected them: nothing
 * may change, also when every waiting PDU spills and is read back onto a reused canvas.
 */
describe('a single pass reusing PDU buffers decodes as with fresh buffers', () => {
  let reused = 0;
  for (const name of fixtureFiles()) {
    it(name, () => {
      const file = fixturePath(name);
      const frames = framesOf(file);
      const fresh = decodeFile(file, null, { singlePass: true, bufferPool: null });
      const pool = new PduBufferPool();
      expect(decodeFile(file, null, { singlePass: true, bufferPool: pool })).toEqual(fresh);
      const spillPool = new PduBufferPool();
      expect(decodeFile(file, frameSource(frames), { singlePass: true, bufferPool: spillPool }))
        .toEqual(decodeFile(file, frameSource(frames), { singlePass: true, bufferPool: null }));
      reused += pool.reused + spillPool.reused;
    });
  }
  it('reused buffers on some fixture (the comparison above is not vacuous)', () => {
    expect(reused).toBeGreaterThan(0);
  });
});

/** The same over the robustness corpus (malformed and truncated TCP, odd options). */
describe.skipIf(!hasCorpus)('a single pass reusing PDU buffers, robustness corpus', () => {
  const files = hasCorpus ? readdirSync(corpusDir).filter((f) => /\.pcap(ng)?$/.test(f)).sort() : [];
  it('decodes every capture of the corpus as with fresh buffers', () => {
    let packets = 0;
    for (const name of files) {
      const file = join(corpusDir, name);
      let fresh: string[];
      try {
        fresh = decodeFile(file, null, { singlePass: true, bufferPool: null });
      } catch {
        continue; // unreadable files are the capture layer's business
      }
      expect(decodeFile(file, null, { singlePass: true, bufferPool: new PduBufferPool() }), name).toEqual(fresh);
      packets += fresh.length;
    }
    // Mostly single-segment damage (the fixtures above cover multi-segment PDUs).
    expect(packets).toBeGreaterThan(1000);
  });
});
