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
  role: 'client' | 'server' | 'host';
  /** State before the first arrow (TCP lifelines), shown under the header. */
  initialState: TcpState | null;
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
  /** Above the arrow: flags and Len ("SYN", "PSH, ACK Len=83"), or the Info text. */
  title: string;
  /** The title shortened to fit the arrow (the full one is the tooltip). */
  shownTitle: string;
  /** Wireshark's analysis texts ("TCP Retransmission", "TCP Dup ACK 12#2"), drawn in the arrow's color. */
  flagNames: string[];
  /** Below the arrow: "Seq=0 Ack=1 Win=64240" (TCP). */
  numbers: string;
  states: StateMark[];
  /** Left gutter: seconds since the diagram's first packet. */
  time: string;
  stream: number;
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
const TCP_RST = 0x004;

/**
 * What an arrow is, for its color: the model's style, with its "problem" split by Wireshark's
 * analysis bits so retransmissions, duplicate ACKs and zero windows each get their own color.
 */
export function arrowKind(a: SequenceArrow): ArrowKind {
  const bits = a.tcp?.analysisFlags ?? 0;
  if (a.style === 'reset' || (a.tcp && a.tcp.flags & TCP_RST)) return 'reset';
  if (bits & RETRANSMISSIONS) return 'retransmission';
  if (bits & AnalysisFlag.DUPLICATE_ACK) return 'dup-ack';
  if (bits & ZERO_WINDOW) return 'zero-window';
  return a.style;
}

/** Shortens text to about `width` pixels of 13 px sans (≈7.3 px a character), with an ellipsis. */
export function fitText(text: string, width: number): string {
  const max = Math.max(18, Math.floor(width / 7.3));
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
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
    initialState: l.initialState ?? null,
  }));
  const n = d.arrows.length;
  const t0 = n ? d.arrows[0].timeNs : 0;
  const span = n ? d.arrows[n - 1].timeNs - t0 : 0;
  // Real spacing: proportional to time, but never closer than one row (labels must not collide).
  const pxPerNs = span > 0 ? (Math.max(1, n - 1) * g.row * 1.6) / span : 0;
  const top = g.header + 48;

  const streams = new Set<number>();
  const prevStates: (TcpState | null)[] = lifelines.map((l) => l.initialState);
  const ys: number[] = [];
  const arrows: LaidArrow[] = d.arrows.map((a, i) => {
    const stream = a.tcp?.stream ?? -1;
    streams.add(stream);
    let y = top + i * g.row;
    if (spacing === 'real' && i > 0) y = Math.max(ys[i - 1] + g.row, top + (a.timeNs - t0) * pxPerNs);
    ys.push(y);
    const kind = arrowKind(a);
    const states: StateMark[] = [];
    a.states.forEach((s, li) => {
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
      title: a.label,
      shownTitle: fitText(a.label, Math.abs((lifelines[a.to]?.x ?? 0) - (lifelines[a.from]?.x ?? 0)) - 20 - a.analysis.join('  ').length * 8),
      flagNames: a.analysis,
      numbers: a.detail,
      states,
      time: ((a.timeNs - t0) / 1e9).toFixed(6),
      stream,
    };
  });

  const lastY = ys.length ? ys[ys.length - 1] : top;
  const height = lastY + g.row + g.bottom;
  const width = g.gutter + g.margin * 2 + Math.max(1, lifelines.length) * g.lane;

  const ticks: TimeTick[] = [];
  if (spacing === 'real' && n > 1 && span > 0) {
    const step = niceStep(span, Math.max(2, Math.floor((lastY - ys[0]) / 90)));
    for (let tns = 0; tns <= span && ticks.length < 500; tns += step) {
      // Interpolate between the arrows around this time (the mapping is piecewise linear).
      const abs = t0 + tns;
      let k = 0;
      while (k < n - 1 && d.arrows[k + 1].timeNs < abs) k++;
      const a0 = d.arrows[k].timeNs;
      const a1 = k < n - 1 ? d.arrows[k + 1].timeNs : a0;
      const y0 = ys[k];
      const y1 = k < n - 1 ? ys[k + 1] : y0;
      const y = a1 > a0 ? y0 + ((abs - a0) / (a1 - a0)) * (y1 - y0) : y0;
      ticks.push({ y, label: formatTickNs(tns, step) });
    }
  }

  return { width, height, lifelines, arrows, ticks, streams: [...streams] };
}
