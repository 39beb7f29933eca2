/** Decodes hand-built frames with the analysis, in one or two passes, collecting chosen fields. */
import { createAnalyzer } from '../../../src/analysis/index.js';
import {
  decodePacket, DecodeSession, FieldCollector, fieldCount, formatFieldValue, lookupField, NullSink,
} from '../../../src/decode/index.js';

export interface Row {
  frame: number;
  protocol: string;
  info: string;
  protocols: string[];
  fields: Record<string, string>;
}

export function decodeFrames(frames: Uint8Array[], names: string[], passes: 1 | 2 = 1): Row[] {
  const analyzer = createAnalyzer();
  const info = (i: number) => ({
    number: i + 1, tsSec: 1_700_000_000, tsNsec: i * 1_000_000, capLen: frames[i].length, origLen: frames[i].length,
    interfaceId: 0, linkType: 1,
  });
  if (passes === 2) {
    const s = new DecodeSession(analyzer.hooks);
    s.wantsColumns = false;
    frames.forEach((f, i) => decodePacket(info(i), f, s, new NullSink()));
    analyzer.beginSecondPass();
  }
  const defs = names.map((n) => {
    const d = lookupField(n);
    if (!d) throw new Error(`unknown field ${n}`);
    return d;
  });
  const collector = new FieldCollector(defs, fieldCount());
  const session = new DecodeSession(analyzer.hooks);
  return frames.map((f, i) => {
    collector.reset();
    const ctx = decodePacket(info(i), f, session, collector);
    const fields: Record<string, string> = {};
    defs.forEach((d, k) => {
      const occ = collector.column(k);
      const vals: string[] = [];
      for (let j = 0; j < occ.count; j++) vals.push(formatFieldValue(d, occ.values[j], occ.sources?.[j] ?? f, occ.offsets[j], occ.lengths[j]));
      fields[d.name] = vals.join(',');
    });
    return { frame: i + 1, protocol: ctx.cols.protocol, info: ctx.cols.info, protocols: [...ctx.protocols], fields };
  });
}
