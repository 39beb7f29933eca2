/**
 * A sequence diagram as a standalone SVG document (a string): one lifeline per endpoint with a
 * header box, one arrow per packet with its frame number and time on the left, the flow-graph
 * label above the arrow and seq/ack below it, Wireshark's analysis texts in red, each TCP
 * side's state on its lifeline whenever it changes, an optional numbered list of teaching
 * notes, and a legend — fonts and colours inline, so the file reads the same pasted into
 * slides as in a browser. Every text is XML-escaped (packet content is hostile). Isomorphic:
 * the renderer reuses it for "Export SVG".
 */
import { formatRelTime } from '../../decode/fields/format.js';
import type { EndpointState } from '../tcp/states.js';
import { noteText } from './notes.js';
import type { Arrow, ArrowStyle, SequenceDiagramModel } from './types.js';
import { clip, xmlText } from './xml.js';

export interface SvgOptions {
  /** Add the teaching notes under the diagram (numbered like the arrows). Default false. */
  notes?: boolean;
  /** 'light' (default) or 'dark' palette. */
  theme?: 'light' | 'dark';
}

const SANS = "'DejaVu Sans', 'Helvetica Neue', Helvetica, Arial, sans-serif";
const MONO = "'DejaVu Sans Mono', Menlo, Consolas, 'Liberation Mono', monospace";

interface Palette {
  background: string;
  text: string;
  muted: string;
  lifeline: string;
  headerFill: string;
  headerStroke: string;
  stateFill: string;
  stateText: string;
  problemText: string;
  arrows: Record<ArrowStyle, string>;
}

const LIGHT: Palette = {
  background: '#ffffff', text: '#111827', muted: '#6b7280', lifeline: '#9ca3af',
  headerFill: '#f3f4f6', headerStroke: '#374151', stateFill: '#eef2ff', stateText: '#3730a3', problemText: '#b91c1c',
  arrows: {
    handshake: '#2563eb', data: '#047857', ack: '#4b5563', close: '#7c3aed', reset: '#dc2626', problem: '#c2410c', other: '#0e7490',
  },
};

const DARK: Palette = {
  background: '#111827', text: '#f9fafb', muted: '#9ca3af', lifeline: '#6b7280',
  headerFill: '#1f2937', headerStroke: '#d1d5db', stateFill: '#312e81', stateText: '#e0e7ff', problemText: '#fca5a5',
  arrows: {
    handshake: '#60a5fa', data: '#34d399', ack: '#d1d5db', close: '#c4b5fd', reset: '#f87171', problem: '#fb923c', other: '#22d3ee',
  },
};

const LEGEND: [ArrowStyle, string][] = [
  ['handshake', 'SYN (connection setup)'],
  ['data', 'data'],
  ['ack', 'acknowledgment'],
  ['close', 'FIN (close)'],
  ['reset', 'RST (abort)'],
  ['problem', 'retransmission, loss, dup ACK'],
  ['other', 'other protocols'],
];

const FOOTNOTE = [
  "Seq/Ack are relative (0 = the side's initial sequence number).",
  "Boxes on a lifeline: that side's TCP state after the packet.",
];
/** Width of a character of the 11 px footnote, generously. */
const FOOTNOTE_CHAR_W = 6;
const LEGEND_ROW_H = 22;

/**
 * Legend entries left to right, wrapped onto further rows where the next one would run past
 * the drawing's right edge (a two-lifeline diagram is ~790 px wide, the legend ~1,250 px).
 */
function legendLayout(width: number): { style: ArrowStyle; label: string; x: number; row: number }[] {
  const out: { style: ArrowStyle; label: string; x: number; row: number }[] = [];
  let x = 20;
  let row = 0;
  for (const [style, label] of LEGEND) {
    const w = 42 + label.length * CHAR_W;
    if (x > 20 && x + w > width - 20) {
      x = 20;
      row++;
    }
    out.push({ style, label, x, row });
    x += w + 26;
  }
  return out;
}

const GUTTER = 170;
const SPACING = 300;
const HEADER_TOP = 70;
const HEADER_H = 44;
const ROW_H = 64;
const CHAR_W = 7.2;

/** Which lifelines' states changed at each arrow (shown only then, and at the first arrow). */
function stateChanges(diagram: SequenceDiagramModel): boolean[][] {
  const last: (EndpointState | undefined)[] = diagram.lifelines.map((l) => l.initialState);
  return diagram.arrows.map((a) => a.states.map((s, i) => {
    const changed = s !== undefined && s !== last[i];
    if (s !== undefined) last[i] = s;
    return changed;
  }));
}

export function renderSequenceSvg(diagram: SequenceDiagramModel, opts: SvgOptions = {}): string {
  const pal = opts.theme === 'dark' ? DARK : LIGHT;
  const lines = diagram.lifelines;
  const n = Math.max(1, lines.length);
  const x = (i: number) => GUTTER + SPACING / 2 + i * SPACING;
  const width = GUTTER + n * SPACING + 20;
  const rowsTop = HEADER_TOP + HEADER_H + 30;
  const diagramBottom = rowsTop + diagram.arrows.length * ROW_H + 10;
  const noteLines = opts.notes ? diagram.arrows.flatMap((a) => a.notes.map((note) => `#${a.frame}  ${noteText(note)}`)) : [];
  const notesTop = diagramBottom + 20;
  const notesH = noteLines.length ? 30 + noteLines.length * 18 : 0;
  const legendTop = notesTop + notesH + 10;
  const legend = legendLayout(width);
  const legendRows = legend.length === 0 ? 1 : legend[legend.length - 1].row + 1;
  const footnoteTop = legendTop + 40 + (legendRows - 1) * LEGEND_ROW_H + 22;
  // The two sentences on one line where they fit, else one under the other.
  const footnote = FOOTNOTE.join(' ').length * FOOTNOTE_CHAR_W <= width - 40 ? [FOOTNOTE.join(' ')] : FOOTNOTE;
  const height = footnoteTop + (footnote.length - 1) * 16 + 12;
  const out: string[] = [];
  const push = (s: string) => out.push(s);

  push(`<?xml version="1.0" encoding="UTF-8"?>\n`);
  push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `font-family="${xmlText(SANS)}" font-size="13" role="img" aria-label="${xmlText(diagram.title)}">\n`);
  push(`<title>${xmlText(diagram.title)}</title>\n`);
  push('<defs>\n');
  for (const [style, color] of Object.entries(pal.arrows)) {
    push(`<marker id="head-${style}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="9" markerHeight="9" orient="auto-start-reverse">` +
      `<path d="M0,0 L10,5 L0,10 z" fill="${color}"/></marker>\n`);
  }
  push('</defs>\n');
  push(`<rect x="0" y="0" width="${width}" height="${height}" fill="${pal.background}"/>\n`);

  // Title and column headings.
  const start = new Date(diagram.startSec * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  push(`<text x="20" y="30" font-size="18" font-weight="bold" fill="${pal.text}">${xmlText(diagram.title)}</text>\n`);
  push(`<text x="20" y="50" font-size="12" fill="${pal.muted}">${xmlText(`${diagram.arrows.length} packets, first at ${start}` +
    `${diagram.truncated ? ' (more packets were left out)' : ''}`)}</text>\n`);
  push(`<text x="20" y="${HEADER_TOP + 27}" font-size="12" font-weight="bold" fill="${pal.muted}">No.</text>\n`);
  push(`<text x="70" y="${HEADER_TOP + 27}" font-size="12" font-weight="bold" fill="${pal.muted}">Time (s)</text>\n`);

  // Lifelines.
  lines.forEach((l, i) => {
    const cx = x(i);
    const boxW = SPACING - 30;
    push(`<rect x="${cx - boxW / 2}" y="${HEADER_TOP}" width="${boxW}" height="${HEADER_H}" rx="6" fill="${pal.headerFill}" stroke="${pal.headerStroke}"/>\n`);
    push(`<text x="${cx}" y="${HEADER_TOP + 19}" text-anchor="middle" font-family="${xmlText(MONO)}" font-size="13" font-weight="bold" fill="${pal.text}">` +
      `${xmlText(clip(l.label, Math.floor(boxW / 8)))}</text>\n`);
    const role = l.role === 'host' ? (l.stream >= 0 ? `stream ${l.stream}` : 'host') : `${l.role}${l.stream >= 0 ? ` · stream ${l.stream}` : ''}`;
    const init = l.initialState ? ` · ${l.initialState}` : '';
    push(`<text x="${cx}" y="${HEADER_TOP + 36}" text-anchor="middle" font-size="11" fill="${pal.muted}">${xmlText(role + init)}</text>\n`);
    push(`<line x1="${cx}" y1="${HEADER_TOP + HEADER_H}" x2="${cx}" y2="${diagramBottom}" stroke="${pal.lifeline}" stroke-width="1.5" stroke-dasharray="6 4"/>\n`);
  });

  // Arrows.
  const changes = stateChanges(diagram);
  diagram.arrows.forEach((a, row) => {
    const y = rowsTop + row * ROW_H + 26;
    const color = pal.arrows[a.style];
    push(`<g>\n`);
    push(`<text x="20" y="${y + 4}" font-family="${xmlText(MONO)}" font-size="12" fill="${pal.text}">${a.frame}</text>\n`);
    push(`<text x="70" y="${y + 4}" font-family="${xmlText(MONO)}" font-size="12" fill="${pal.muted}">${xmlText(formatRelTime(a.timeNs))}</text>\n`);
    drawArrow(push, a, x(a.from), x(a.to), y, color, pal);
    // States after this arrow, on the lifelines whose state changed.
    a.states.forEach((s, i) => {
      if (s === undefined || !changes[row][i]) return;
      const text = s === 'UNKNOWN' ? 'state unknown' : s;
      const w = text.length * 7 + 14;
      const sx = x(i) + 8;
      push(`<rect x="${sx}" y="${y + 20}" width="${w}" height="17" rx="8" fill="${pal.stateFill}"/>\n`);
      push(`<text x="${sx + 7}" y="${y + 32}" font-size="11" font-family="${xmlText(MONO)}" fill="${pal.stateText}">${xmlText(text)}</text>\n`);
    });
    push('</g>\n');
  });

  if (noteLines.length) {
    push(`<text x="20" y="${notesTop + 16}" font-size="14" font-weight="bold" fill="${pal.text}">Notes</text>\n`);
    noteLines.forEach((t, i) => {
      push(`<text x="20" y="${notesTop + 38 + i * 18}" font-size="12" fill="${pal.text}">${xmlText(clip(t, Math.floor((width - 40) / 6.6)))}</text>\n`);
    });
  }

  // Legend.
  push(`<text x="20" y="${legendTop + 16}" font-size="12" font-weight="bold" fill="${pal.muted}">Legend</text>\n`);
  for (const { style, label, x: lx, row } of legend) {
    const color = pal.arrows[style];
    const y = legendTop + 36 + row * LEGEND_ROW_H;
    push(`<line x1="${lx}" y1="${y}" x2="${lx + 34}" y2="${y}" stroke="${color}" stroke-width="2.5" marker-end="url(#head-${style})"/>\n`);
    push(`<text x="${lx + 42}" y="${y + 4}" font-size="12" fill="${pal.text}">${xmlText(label)}</text>\n`);
  }
  footnote.forEach((line, i) => {
    push(`<text x="20" y="${footnoteTop + i * 16}" font-size="11" fill="${pal.muted}">${xmlText(line)}</text>\n`);
  });
  push('</svg>\n');
  return out.join('');
}

function drawArrow(push: (s: string) => void, a: Arrow, x1: number, x2: number, y: number, color: string, pal: Palette): void {
  const dash = a.analysis.length ? ' stroke-dasharray="8 4"' : '';
  const maxChars = Math.max(12, Math.floor((Math.abs(x2 - x1) || SPACING) / CHAR_W) - 2);
  if (x1 === x2) {
    // A packet to itself (loopback): a small loop to the right.
    push(`<path d="M${x1},${y - 8} h40 v16 h-38" fill="none" stroke="${color}" stroke-width="2"${dash} marker-end="url(#head-${a.style})"/>\n`);
    push(`<text x="${x1 + 48}" y="${y - 2}" font-size="13" fill="${color}" font-weight="bold">${xmlText(clip(a.label, 40))}</text>\n`);
    return;
  }
  const dir = x2 > x1 ? 1 : -1;
  const sx = x1 + dir * 4;
  const ex = x2 - dir * 4;
  push(`<line x1="${sx}" y1="${y}" x2="${ex}" y2="${y}" stroke="${color}" stroke-width="2.2"${dash} marker-end="url(#head-${a.style})"/>\n`);
  const mid = (x1 + x2) / 2;
  push(`<text x="${mid}" y="${y - 8}" text-anchor="middle" font-size="13" font-weight="bold" fill="${color}">${xmlText(clip(a.label, maxChars))}</text>\n`);
  const below: string[] = [];
  if (a.detail) below.push(a.detail);
  if (below.length) {
    push(`<text x="${mid}" y="${y + 16}" text-anchor="middle" font-size="11" font-family="${xmlText(MONO)}" fill="${pal.muted}">${xmlText(clip(below.join('  '), maxChars))}</text>\n`);
  }
  if (a.analysis.length) {
    push(`<text x="${mid}" y="${y + 30}" text-anchor="middle" font-size="11" font-weight="bold" fill="${pal.problemText}">${xmlText(clip(a.analysis.map((t) => `[${t}]`).join(' '), maxChars))}</text>\n`);
  }
}
