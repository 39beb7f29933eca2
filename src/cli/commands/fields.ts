/**
 * `wirescope fields FILE -e FIELD … [-Y FILTER] [--header] [--json]` — tshark `-T fields
 * -E separator=/t -E occurrence=a -E aggregator=,` semantics: one line per packet, several
 * occurrences joined by ',', absent fields empty.
 */
import { formatFieldValue, lookupField, type FieldCollector, type FieldDef } from '../../decode/index.js';
import { UsageError } from '../args.js';
import type { BufferedWriter } from '../io.js';
import type { CommandContext } from './context.js';
import { runPipeline } from '../pipeline.js';
import { columnField, isColumnField } from './columns.js';

export function resolveFields(names: string[]): FieldDef[] {
  if (names.length === 0) throw new UsageError('fields needs at least one -e FIELD');
  return names.map((n) => {
    const def = lookupField(n) ?? columnField(n);
    if (!def) throw new UsageError(`"${n}" is not a known field name`);
    return def;
  });
}

export function formatOccurrences(collector: FieldCollector, i: number, bytes: Uint8Array): string {
  const occ = collector.column(i);
  const def = collector.defs[i];
  if (occ.count === 0) return '';
  let out = '';
  for (let k = 0; k < occ.count; k++) {
    const text = def.type === 'protocol' ? occ.texts[k] ?? def.name
      : formatFieldValue(def, occ.values[k], occ.sources[k] ?? bytes, occ.offsets[k], occ.lengths[k]);
    out += k ? ',' + text : text;
  }
  return out;
}

export function runFields(cmd: CommandContext, names: string[], header: boolean, out: BufferedWriter) {
  const defs = resolveFields(names);
  const json = cmd.json;
  if (header && !json) out.line(names.join('\t'));
  let first = true;
  if (json) out.line('[');
  const isCol = defs.map((d) => isColumnField(d));
  const result = runPipeline({
    file: cmd.file,
    twoPass: cmd.twoPass,
    fields: defs.filter((d) => !isColumnField(d)),
    filter: cmd.filter,
    wantsText: defs.some((d) => d.type === 'protocol'),
    // Without _ws.col.* the packets' columns and protocol list are never read here.
    onlyFields: !defs.some(isColumnField),
    onPacket(ctx, rec, collector) {
      if (!json) {
        // Hot path: one string per line, no cell array.
        let line = '';
        let j = 0;
        for (let i = 0; i < defs.length; i++) {
          const cell = isCol[i] ? columnValue(defs[i].name, ctx.cols) : formatOccurrences(collector, j++, rec.data);
          line = i === 0 ? cell : line + '\t' + cell;
        }
        out.line(line);
        return;
      }
      const cells: string[] = [];
      let j = 0;
      for (const d of defs) {
        if (isColumnField(d)) cells.push(columnValue(d.name, ctx.cols));
        else cells.push(formatOccurrences(collector, j++, rec.data));
      }
      if (json) {
        const obj: Record<string, string[]> = {};
        names.forEach((n, i) => (obj[n] = cells[i] === '' ? [] : cells[i].split(',')));
        out.line((first ? '' : ',') + JSON.stringify(obj));
        first = false;
      } else out.line(cells.join('\t'));
    },
  });
  if (json) out.line(']');
  return result;
}

function columnValue(name: string, cols: { protocol: string; info: string; src: string; dst: string }): string {
  switch (name) {
    case '_ws.col.Protocol': return cols.protocol;
    case '_ws.col.Info': return cols.info;
    case '_ws.col.Source': return cols.src;
    case '_ws.col.Destination': return cols.dst;
    default: return '';
  }
}
