/**
 * `wirescope summary FILE [-Y FILTER] [--json]` — tshark's default one-line-per-packet output:
 * No., Time (relative to the first packet), Source → Destination, Protocol, Length, Info.
 */
import type { CaptureInterface } from '../../capture/types.js';
import type { BufferedWriter } from '../io.js';
import type { CommandContext } from './context.js';
import { runPipeline } from '../pipeline.js';
import { diffNs } from '../../decode/protocols/frame.js';
import type { Timestamp } from '../../decode/index.js';

export interface SummaryRow {
  number: number;
  time: string;
  source: string;
  destination: string;
  protocol: string;
  length: number;
  info: string;
}

/** tshark prints relative time with the file's timestamp precision (µs → 6 digits, ns → 9). */
export function formatSeconds(ns: number, digits: number): string {
  const neg = ns < 0;
  const abs = Math.abs(ns);
  const unit = 10 ** (9 - digits);
  const scaled = Math.floor(abs / unit);
  const div = 10 ** digits;
  const sec = Math.floor(scaled / div);
  const frac = String(scaled - sec * div).padStart(digits, '0');
  return `${neg ? '-' : ''}${sec}${digits ? '.' + frac : ''}`;
}

export function precisionDigits(unitsPerSecond: number): number {
  let digits = 0;
  for (let u = 1; u < unitsPerSecond && digits < 9; u *= 10) digits++;
  return digits;
}

/**
 * tshark's column layout (print_columns in tshark.c): No. right-aligned in 5, Time right in 10,
 * Source right in 12, Destination left in 12, then " → " between source and destination.
 */
export function formatSummaryLine(r: SummaryRow): string {
  const no = String(r.number).padStart(5);
  const time = r.time.padStart(10);
  const src = r.source.padStart(12);
  const dst = r.destination.padEnd(12);
  return `${no} ${time} ${src} → ${dst} ${r.protocol} ${r.length} ${r.info}`;
}

export function runSummary(cmd: CommandContext, out: BufferedWriter) {
  const digitsByIface: number[] = [];
  let first: Timestamp | null = null;
  let firstRow = true;
  if (cmd.json) out.line('[');
  const result = runPipeline({
    file: cmd.file,
    twoPass: cmd.twoPass,
    fields: [],
    filter: cmd.filter,
    onInterface(iface: CaptureInterface) {
      digitsByIface.push(precisionDigits(iface.tsUnitsPerSecond));
    },
    onPacket(ctx, rec) {
      const t = { sec: rec.tsSec, nsec: rec.tsNsec };
      // Relative to the first packet of the file, as tshark does even when a filter hides it.
      first ??= ctx.session.firstTime ?? t;
      const row: SummaryRow = {
        number: rec.number,
        time: formatSeconds(diffNs(first, t), digitsByIface[rec.interfaceIndex] ?? 6),
        source: ctx.cols.src,
        destination: ctx.cols.dst,
        protocol: ctx.cols.protocol,
        length: rec.origLen,
        info: ctx.cols.info,
      };
      if (cmd.json) {
        out.line((firstRow ? '' : ',') + JSON.stringify(row));
        firstRow = false;
      } else out.line(formatSummaryLine(row));
    },
  });
  if (cmd.json) out.line(']');
  return result;
}
