/**
 * `wirescope diagram FILE (--stream N[,M…] | -Y FILTER) [--format text|svg|json] [--notes]` —
 * the sequence diagram of one or more TCP streams, or of the packets a display filter selects:
 * lifelines client first, one arrow per packet with flags, relative seq/ack and analysis texts,
 * each side's TCP state, and (with --notes) the teaching notes. The SVG is a standalone file.
 */
import { readCaptureFileSync } from '../../capture/read-node.js';
import type { ReadResult } from '../../capture/types.js';
import { createAnalyzer } from '../../analysis/index.js';
import {
  buildSequenceDiagram, DiagramCollector, renderSequenceSvg, renderSequenceText, noteText,
} from '../../analysis/sequence/index.js';
import { decodePacket, DecodeSession, FieldCollector, fieldCount, formatFieldValue, lookupField } from '../../decode/index.js';
import { UsageError } from '../args.js';
import type { BufferedWriter } from '../io.js';
import type { CommandContext } from './context.js';

type DiagramFormat = 'text' | 'svg' | 'json';

function parseStreams(text: string | undefined): Set<number> | null {
  if (text === undefined) return null;
  const out = new Set<number>();
  for (const part of text.split(',')) {
    if (!/^\d+$/.test(part.trim())) throw new UsageError(`--stream expects tcp.stream indexes like 0 or 0,2, not "${text}"`);
    out.add(Number(part.trim()));
  }
  return out;
}

function parseFormat(text: string | undefined, json: boolean): DiagramFormat {
  if (text === undefined) return json ? 'json' : 'text';
  if (text !== 'text' && text !== 'svg' && text !== 'json') {
    throw new UsageError(`--format must be one of text, svg, json, not "${text}"`);
  }
  return text;
}

export function runDiagram(
  cmd: CommandContext, streamText: string | undefined, formatText: string | undefined, notes: boolean, out: BufferedWriter,
): ReadResult {
  const streams = parseStreams(streamText);
  if (!streams && !cmd.filter) throw new UsageError('diagram needs --stream N or -Y FILTER');
  const format = parseFormat(formatText, cmd.json);
  const analyzer = createAnalyzer();
  const session = new DecodeSession(analyzer.hooks);
  const dupNum = lookupField('tcp.analysis.duplicate_ack_num');
  const dupFrame = lookupField('tcp.analysis.duplicate_ack_frame');
  const arpNames = ['arp.opcode', 'arp.src.hw_mac', 'arp.src.proto_ipv4', 'arp.dst.hw_mac', 'arp.dst.proto_ipv4'];
  const arpDefs = arpNames.map((name) => lookupField(name));
  const wanted = [dupNum, dupFrame, ...arpDefs].filter((d) => d !== undefined);
  const collector = new FieldCollector([...wanted, ...(cmd.filter?.fields ?? [])], fieldCount());
  const diagram = new DiagramCollector(analyzer);
  const result = readCaptureFileSync(cmd.file, (rec) => {
    collector.reset();
    const ctx = decodePacket(rec, rec.data, session, collector);
    const seg = ctx.meta.tcp;
    if (streams && !(seg && streams.has(seg.stream))) return;
    if (cmd.filter && !cmd.filter.matches({ get: (d) => collector.get(d), bytes: rec.data })) return;
    const num = dupNum ? collector.get(dupNum) : undefined;
    const frame = dupFrame ? collector.get(dupFrame) : undefined;
    const arpValue = (i: number): string => {
      const d = arpDefs[i];
      const occ = d ? collector.get(d) : undefined;
      return d && occ && occ.count ? formatFieldValue(d, occ.values[0]) : '';
    };
    const opcode = arpValue(0);
    diagram.add(ctx, {
      num: num && num.count ? Number(num.values[0]) : 0,
      frame: frame && frame.count ? Number(frame.values[0]) : 0,
    }, opcode ? {
      opcode: Number(opcode), senderMac: arpValue(1), senderIp: arpValue(2), targetMac: arpValue(3), targetIp: arpValue(4),
    } : undefined);
  });
  const { packets, options } = diagram.finish();
  const title = streams
    ? `TCP stream${streams.size > 1 ? 's' : ''} ${[...streams].join(', ')} — ${cmd.file.split('/').pop()}`
    : `Packets matching the filter — ${cmd.file.split('/').pop()}`;
  const model = buildSequenceDiagram(packets, { ...options, title });
  if (format === 'svg') out.line(renderSequenceSvg(model, { notes }).replace(/\n$/, ''));
  else if (format === 'text') out.line(renderSequenceText(model, { notes }).replace(/\n$/, ''));
  else {
    const withText = {
      ...model,
      arrows: model.arrows.map((a) => ({ ...a, notes: a.notes.map((nt) => ({ ...nt, text: noteText(nt) })) })),
    };
    out.line(JSON.stringify(withText, null, 2));
  }
  return result;
}
