/**
 * Geometry of a sequence diagram (pure, unit-tested): lifeline positions, one row per arrow
 * with its y (even spacing, or real time spacing where rows never get closer than a minimum),
 * arrow kind and color, the texts above and below the arrow, each lifeline's TCP state after
 * the arrow, and the time-axis ticks. The Vue component only draws what this returns.
 */
import { AnalysisFlag, type SequenceArrow, type SequenceDiagram, type TcpState } from '../../api';

export type Spacing = 'even' | 'real';

export type ArrowKind = 'handshake' | 'data' | 'ack' | 'close' | 'reset' | 'retransmission' | 'dup-ack' | 'zero-window' | 'problem' | 'other';

export interface Palette {
  background: string;
  text: string;
  muted: string;
  lifeline: string;
  headerFill: string;
  headerStroke: string;
  stateFill: string;
  stateStroke: string;
  stateText: string;
  stateQuiet: string;
  selection: string;
  arrows: Record<ArrowKind, string>;
}

export const PALETTES: Record<'light' | 'dark', Palette> = {
  light: {
    background: '#ffffff', text: '#1c2230', muted: '#5b6474', lifeline: '#aab2bf', headerFill: '#f1f3f6',
    headerStroke: '#5b6474', stateFill: '#e8edff', stateStroke: '#7b8fd6', stateText: '#2b3a8c', stateQuiet: '#8a92a0',
    selection: '#ffe9a8',
    arrows: {
      handshake: '#2563eb', data: '#047857', ack: '#4b5563', close: '#7c3aed', reset: '#dc2626',
      retransmission: '#c2410c', 'dup-ack': '#a16207', 'zero-window': '#be185d', problem: '#b91c1c', other: '#0e7490',
    },
  },
  dark: {
    background: '#16191f', text: '#e2e6ec', muted: '#a3acb9', lifeline: '#4a5361', headerFill: '#20252d',
    headerStroke: '#a3acb9', stateFill: '#25305a', stateStroke: '#6f83d8', stateText: '#dbe3ff', stateQuiet: '#737d8c',
    selection: '#4a3d10',
    arrows: {
      handshake: '#60a5fa', data: '#34d399', ack: '#c3c9d2', close: '#c4b5fd', reset: '#f87171',
      retransmission: '#fb923c', 'dup-ack': '#facc15', 'zero-window': '#f472b6', problem: '#fca5a5', other: '#22d3ee',
    },
  },
};

export const GEOMETRY = {
  gutter: 150,
  lane: 330,
  header: 70,
  row: 66,
  margin: 30,
  bottom: 40,
};

export interface LaidLifeline {
  x: number;
  label: string;
  role: 'client' | 'server' | null;
}

export interface StateMark {
  x: number;
  state: TcpState;
  changed: boolean;
}

export interface LaidArrow {
  arrow: SequenceArrow;
  index: number;
  y: number;
  x1: number;
  x2: number;
  kind: ArrowKind;
  color: string;
  /** Above the arrow: flags / label. */
  title: string;
  /** Analysis flag names (drawn in the arrow's color, bold). */
  flagNames: string[];
  /** Below the arrow: "Seq=0 Ack=1 Len=0". */
  numbers: string;
  states: StateMark[];
  /** Left gutter: relative time in seconds. */
  time: string;
}

export interface TimeTick {
  y: number;
  label: string;
}

export interface DiagramLayout {
  width: number;
  height: number;
  lifelines: LaidLifeline[];
  arrows: LaidArrow[];
  ticks: TimeTick[];
  streams: number[];
}

const RETRANSMISSIONS = AnalysisFlag.RETRANSMISSION | AnalysisFlag.FAST_RETRANSMISSION | AnalysisFlag.SPURIOUS_RETRANSMISSION;
const ZERO_WINDOW = AnalysisFlag.ZERO_WINDOW | AnalysisFlag.ZERO_WINDOW_PROBE | AnalysisFlag.ZERO_WINDOW_PROBE_ACK;
const PROBLEMS = AnalysisFlag.LOST_SEGMENT | AnalysisFlag.ACKED_UNSEEN | AnalysisFlag.OUT_OF_ORDER | AnalysisFlag.MALFORMED | AnalysisFlag.TRUNCATED;

/** What an arrow is, for its color: problems first (RST, retransmissions, dup ACKs, zero windows). */
export function arrowKind(a: SequenceArrow): ArrowKind {
  const f = a.flags;
  const tcp = a.tcpFlags ?? [];
  if (f & AnalysisFlag.TCP_RST || tcp.includes('RST')) return 'reset';
  if (f & RETRANSMISSIONS) return 'retransmission';
  if (f & AnalysisFlag.DUPLICATE_ACK) return 'dup-ack';
  if (f & ZERO_WINDOW) return 'zero-window';
  if (f & PROBLEMS) return 'problem';
  if (a.seq === undefined && !tcp.length) return 'other';
  if (f & AnalysisFlag.TCP_SYN || tcp.includes('SYN')) return 'handshake';
  if (f & AnalysisFlag.TCP_FIN || tcp.includes('FIN')) return 'close';
  if ((a.len ?? 0) > 0) return 'data';
  return 'ack';
}

/** "Seq=0 Ack=1 Len=0" for TCP arrows (Ack only when the ACK flag is set), "" otherwise. */
export function arrowNumbers(a: SequenceArrow): string {
  if (a.seq === undefined) return '';
  const parts = [`Seq=${a.seq}`];
  if (a.ack !== undefined) parts.push(`Ack=${a.ack}`);
  parts.push(`Len=${a.len ?? 0}`);
  return parts.join(' ');
}

/** The arrow's title without a trailing "Len=N" (the numbers line says it). */
export function arrowTitle(a: SequenceArrow): string {
  return a.seq !== undefined ? a.label.replace(/\s+Len=\d+$/, '') : a.label;
}

function niceStep(rangeNs: number, count: number): number {
  const raw = rangeNs / Math.max(1, count);
  const pow = 10 ** Math.floor(Math.log10(Math.max(raw, 1)));
  for (const m of [1, 2, 5, 10]) if (m * pow >= raw) return m * pow;
  return 10 * pow;
}

export function formatTickNs(ns: number, step: number): string {
  const digits = step >= 1e9 ? 0 : Math.min(9, Math.max(0, 9 - Math.floor(Math.log10(step))));
  return `${(ns / 1e9).toFixed(digits)} s`;
}

export function layoutDiagram(d: SequenceDiagram, spacing: Spacing, palette: Palette): DiagramLayout {
  const g = GEOMETRY;
  const lifelines: LaidLifeline[] = d.lifelines.map((l, i) => ({
    x: g.gutter + g.margin + g.lane / 2 + i * g.lane,
    label: l.label,
    role: l.role,
  }));
  const n = d.arrows.length;
  const t0 = n ? d.arrows[0].relativeNs : 0;
  const span = n ? d.arrows[n - 1].relativeNs - t0 : 0;
  // Real spacing: proportional to time, but never closer than one row (labels must not collide).
  const pxPerNs = span > 0 ? (Math.max(1, n - 1) * g.row * 1.6) / span : 0;

  const streams = new Set<number>();
  const prevStates: (TcpState | null)[] = d.lifelines.map(() => null);
  const ys: number[] = [];
  const arrows: LaidArrow[] = d.arrows.map((a, i) => {
    streams.add(a.stream);
    let y = g.header + 40 + i * g.row;
    if (spacing === 'real' && i > 0) y = Math.max(ys[i - 1] + g.row, g.header + 40 + (a.relativeNs - t0) * pxPerNs);
    ys.push(y);
    const kind = arrowKind(a);
    const states: StateMark[] = [];
    a.statesAfter?.forEach((s, li) => {
      if (!s || !lifelines[li]) return;
      states.push({ x: lifelines[li].x, state: s, changed: s !== prevStates[li] });
      prevStates[li] = s;
    });
    return {
      arrow: a,
      index: i,
      y,
      x1: lifelines[a.from]?.x ?? 0,
      x2: lifelines[a.to]?.x ?? 0,
      kind,
      color: palette.arrows[kind],
      title: arrowTitle(a),
      flagNames: a.flagLabels,
      numbers: arrowNumbers(a),
      states,
      time: (a.relativeNs / 1e9).toFixed(6),
    };
  });

  const lastY = ys.length ? ys[ys.length - 1] : g.header + 40;
  const height = lastY + g.row + g.bottom;
  const width = g.gutter + g.margin * 2 + Math.max(1, lifelines.length) * g.lane;

  const ticks: TimeTick[] = [];
  if (spacing === 'real' && n > 1 && span > 0) {
    const step = niceStep(span, Math.max(2, Math.floor((lastY - ys[0]) / 90)));
    for (let tns = Math.ceil(t0 / step) * step; tns <= t0 + span && ticks.length < 500; tns += step) {
      // Interpolate between the arrows around tns (the mapping is piecewise linear).
      let k = 0;
      while (k < n - 1 && d.arrows[k + 1].relativeNs < tns) k++;
      const a0 = d.arrows[k].relativeNs;
      const a1 = k < n - 1 ? d.arrows[k + 1].relativeNs : a0;
      const y0 = ys[k];
      const y1 = k < n - 1 ? ys[k + 1] : y0;
      const y = a1 > a0 ? y0 + ((tns - a0) / (a1 - a0)) * (y1 - y0) : y0;
      ticks.push({ y, label: formatTickNs(tns, step) });
    }
  }

  return { width, height, lifelines, arrows, ticks, streams: [...streams] };
}
