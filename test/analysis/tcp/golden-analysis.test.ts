/**
 * The analysis fields of every fixture against tshark's two-pass golden
 * (fixtures/golden/<fixture>.tcp-analysis.tsv): tcp.stream, udp.stream, relative seq/ack/nxtseq,
 * scaled window and scale factor, conversation timestamps, completeness, every
 * tcp.analysis.* field and the Info prefix ("[TCP Dup ACK 37#1] " …). Frames go through the
 * analysis hooks (real decoders when present, else the harness's stand-in); this isolates the
 * analysis from the dissectors, which test/golden/fields.test.ts checks end to end.
 */
import { describe, expect, it } from 'vitest';
import { readCaptureFileSync } from '../../../src/capture/read-node.js';
import { fixtureFiles, fixturePath, goldenBase, readGolden } from '../../helpers/fixtures.js';
import { AnalysisHarness, type FrameResult } from './harness.js';

const SLOT_FIELDS = ['tcp.seq', 'tcp.ack', 'tcp.nxtseq', 'tcp.window_size', 'tcp.window_size_scalefactor'];

function slotValue(r: FrameResult, name: string): string {
  const s = r.seg;
  if (!s || s.stream < 0) return '';
  switch (name) {
    case 'tcp.seq': return String(s.relSeq);
    case 'tcp.ack': return String(s.relAck);
    case 'tcp.nxtseq': return s.nextSeq >= 0 ? String(s.nextSeq) : '';
    case 'tcp.window_size': return String(s.windowSize >= 0 ? s.windowSize : s.window);
    case 'tcp.window_size_scalefactor': return s.windowSizeScaleFactor !== -3 ? String(s.windowSizeScaleFactor) : '';
  }
  return '';
}

/** The "[TCP …] " prefixes at the start of tshark's Info column. */
function goldenPrefix(info: string): string {
  const m = /^(\[TCP [^\]]*\] )+/.exec(info);
  return m ? m[0] : '';
}

export function analyzeFixture(file: string): Map<number, FrameResult> {
  const h = new AnalysisHarness();
  const feed = (second: boolean, out?: Map<number, FrameResult>) => {
    if (second) h.secondPass();
    readCaptureFileSync(file, (rec) => {
      const r = h.feedAt(rec.data, rec.tsSec, rec.tsNsec, rec.linkType, rec.origLen);
      out?.set(rec.number, r);
    });
  };
  const results = new Map<number, FrameResult>();
  feed(false);
  feed(true, results);
  return results;
}

describe('TCP analysis vs tshark -2 goldens (analysis fields)', () => {
  for (const fixture of fixtureFiles()) {
    const golden = readGolden(`${goldenBase(fixture)}.tcp-analysis.tsv`);
    it.skipIf(!golden?.trim())(fixture, () => {
      const lines = golden!.replace(/\n$/, '').split('\n');
      const header = lines[0].split('\t');
      const results = analyzeFixture(fixturePath(fixture));
      const cols = header
        .map((name, i) => ({ name, i }))
        .filter(({ name }) => name !== 'tcp.len' && (name.startsWith('tcp.') || name === 'udp.stream'));
      const infoCol = header.indexOf('_ws.col.Info');
      const diffs: string[] = [];
      for (const line of lines.slice(1)) {
        const g = line.split('\t');
        const frame = Number(g[0]);
        const r = results.get(frame)!;
        for (const { name, i } of cols) {
          const ours = SLOT_FIELDS.includes(name) ? slotValue(r, name) : (r.fields[name] ?? '');
          if ((g[i] ?? '') !== ours) diffs.push(`frame ${frame} ${name}: tshark "${g[i] ?? ''}" ours "${ours}"`);
        }
        const gp = goldenPrefix(g[infoCol] ?? '');
        if (gp !== r.prefix) diffs.push(`frame ${frame} Info prefix: tshark "${gp}" ours "${r.prefix}"`);
      }
      expect(diffs.slice(0, 40), `${diffs.length} differences`).toEqual([]);
    });
  }
});
