/**
 * A sequence diagram as plain text for a terminal: one column per lifeline, one line per
 * packet with its arrow drawn between the columns, seq/ack and analysis texts after it, the
 * TCP states that changed, and the teaching notes indented under it. Isomorphic.
 */
import type { EndpointState } from '../tcp/states.js';
import { noteText } from './notes.js';
import type { SequenceDiagramModel } from './types.js';
import { clip } from './xml.js';

export interface TextOptions {
  notes?: boolean;
  /** Characters between two lifelines (default 34). */
  columnWidth?: number;
}

/** Control characters would corrupt a terminal: show them as '.'. */
function printable(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '.');
}

export function renderSequenceText(diagram: SequenceDiagramModel, opts: TextOptions = {}): string {
  const col = opts.columnWidth ?? 34;
  const lines = diagram.lifelines;
  const lead = 20; // "  1234  12.123456  "
  const width = lead + Math.max(1, lines.length - 1) * col + 1;
  const out: string[] = [];
  out.push(printable(diagram.title));
  lines.forEach((l, i) => {
    const role = l.role === 'host' ? '' : ` (${l.role}${l.initialState ? `, initially ${l.initialState}` : ''})`;
    out.push(`  ${String.fromCharCode(65 + (i % 26))}${i >= 26 ? Math.floor(i / 26) : ''} = ${printable(l.label)}${role}`);
  });
  out.push('');
  const header = new Array(width).fill(' ');
  const put = (row: string[], at: number, s: string) => {
    for (let k = 0; k < s.length && at + k < row.length; k++) if (at + k >= 0) row[at + k] = s[k];
  };
  put(header, 2, '   No.');
  put(header, 10, 'Time');
  lines.forEach((_, i) => put(header, lead + i * col, String.fromCharCode(65 + (i % 26))));
  out.push(header.join('').trimEnd());

  const last: (EndpointState | undefined)[] = lines.map((l) => l.initialState);
  for (const a of diagram.arrows) {
    const row = new Array(width).fill(' ');
    put(row, 0, String(a.frame).padStart(7));
    put(row, 9, (a.timeNs / 1e9).toFixed(6));
    lines.forEach((_, i) => put(row, lead + i * col, '|'));
    const x1 = lead + a.from * col;
    const x2 = lead + a.to * col;
    const lo = Math.min(x1, x2);
    const hi = Math.max(x1, x2);
    if (hi > lo) {
      for (let k = lo + 1; k < hi; k++) row[k] = '-';
      if (x2 > x1) row[hi - 1] = '>';
      else row[lo + 1] = '<';
      const label = ` ${clip(printable(a.label), hi - lo - 5)} `;
      put(row, lo + Math.max(2, Math.floor((hi - lo - label.length) / 2)), label);
    } else {
      put(row, x1 + 1, `<> ${clip(printable(a.label), col - 4)}`);
    }
    let tail = a.detail;
    if (a.analysis.length) tail += `${tail ? ' ' : ''}${a.analysis.map((t) => `[${t}]`).join(' ')}`;
    const changed: string[] = [];
    a.states.forEach((s, i) => {
      if (s !== undefined && s !== last[i]) {
        changed.push(`${String.fromCharCode(65 + (i % 26))}:${s}`);
        last[i] = s;
      }
    });
    if (changed.length) tail += `${tail ? '  ' : ''}${changed.join(' ')}`;
    out.push(`${row.join('').trimEnd()}  ${printable(tail)}`.trimEnd());
    if (opts.notes) for (const note of a.notes) out.push(`${' '.repeat(lead - 2)}* ${printable(noteText(note))}`);
  }
  if (diagram.truncated) out.push('(more packets were left out)');
  return out.join('\n') + '\n';
}
