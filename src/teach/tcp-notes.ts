/**
 * Teaching notes for TCP steps. The analysis already explains each arrow as facts
 * (src/analysis/sequence/notes.ts: kind + numbers); this turns those facts into catalog
 * messages and adds what a class needs beyond them, from the packets seen so far in the
 * lesson: the negotiated options one by one, the raw arithmetic of ack = ISN + 1, cumulative
 * and delayed ACKs, how many duplicate ACKs preceded a fast retransmission, how long a
 * retransmission waited, a refused connection, and each side's new state. Nothing here is
 * worded per fixture: every number comes from the diagram's facts. Isomorphic.
 */
import {
  TCP_A_DUPLICATE_ACK, TCP_A_FAST_RETRANSMISSION, TCP_A_RETRANSMISSION, TCP_A_SPURIOUS_RETRANSMISSION,
  TCP_A_ZERO_WINDOW,
} from '../analysis/tcp/flags.js';
import type { DiagramNote } from '../analysis/sequence/types.js';
import type { EndpointState } from '../analysis/tcp/states.js';
import { formatDuration, msOf } from './time.js';
import type { LessonDiagram, MessageParam, NoteTone, StepNote } from './types.js';

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const PSH = 0x08;
const ACK = 0x10;

/** A delayed ACK shows as an ACK that waited this long beyond the round trip (RFC 1122 allows up to 500 ms; Linux uses ~40 ms). */
export const DELAYED_ACK_NS = 20_000_000;

type Arrow = LessonDiagram['arrows'][number];
type Role = 'client' | 'server';

interface SentSegment {
  seq: number;
  end: number;
  frame: number;
  timeNs: number;
}

interface SideContext {
  /** Data segments sent and not yet acknowledged by the peer (first copies). */
  unacked: SentSegment[];
  /** Highest acknowledgment number sent, -1 before the first ACK. */
  lastAck: number;
  /** Last advertised window, -1 before the first segment. */
  window: number;
  rawIsn: number;
  synFrame: number;
  finFrame: number;
  /** Duplicate ACK count per acknowledgment number (from tcp.analysis.duplicate_ack_num). */
  dupAcks: Map<number, number>;
  state: EndpointState | undefined;
}

/** What a lesson knows of one TCP stream so far. */
export interface StreamContext {
  client: SideContext;
  server: SideContext;
  synTimeNs: number;
  irttNs: number;
  /** Frames of the handshake and of the close, for the "Why?" answers. */
  synAckFrame: number;
  handshakeAckFrame: number;
  /** Raw acknowledgment numbers of the SYN-ACK and of the handshake ACK. */
  synAckRawAck: number;
  handshakeRawAck: number;
  firstFin: { frame: number; role: Role; seq: number } | null;
  secondFin: { frame: number; role: Role; seq: number; merged: boolean } | null;
  lastCloseAck: { frame: number; role: Role; ack: number } | null;
  timeWait: { frame: number; role: Role } | null;
  rst: { frame: number; role: Role; refused: boolean } | null;
  /** Lifeline labels ("addr:port"). */
  clientLabel: string;
  serverLabel: string;
  /** Time of every frame of the stream seen so far (how long a retransmission waited). */
  frameTimes: Map<number, number>;
}

function side(): SideContext {
  return { unacked: [], lastAck: -1, window: -1, rawIsn: -1, synFrame: 0, finFrame: 0, dupAcks: new Map(), state: undefined };
}

export function newStreamContext(clientLabel: string, serverLabel: string): StreamContext {
  return {
    client: side(), server: side(), synTimeNs: -1, irttNs: -1, synAckFrame: 0, handshakeAckFrame: 0,
    synAckRawAck: -1, handshakeRawAck: -1, firstFin: null, secondFin: null, lastCloseAck: null, timeWait: null, rst: null,
    clientLabel, serverLabel, frameTimes: new Map(),
  };
}

/** Port of an "addr:port" / "[v6]:port" label. */
export function portOf(label: string): number {
  const i = label.lastIndexOf(':');
  return i >= 0 ? Number(label.slice(i + 1)) : NaN;
}

/** Host of an "addr:port" / "[v6]:port" label. */
export function hostOf(label: string): string {
  const i = label.lastIndexOf(':');
  const h = i >= 0 ? label.slice(0, i) : label;
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));

/**
 * Notes for one TCP arrow, in the order a teacher would say them. `ctx` is updated with what
 * this packet establishes (call in packet order).
 */
export function tcpStepNotes(ctx: StreamContext, arrow: Arrow, appSummary: string): StepNote[] {
  const tcp = arrow.tcp!;
  const notes: StepNote[] = [];
  const senderRole: Role = tcp.fromClient === false ? 'server' : 'client';
  const receiverRole: Role = senderRole === 'client' ? 'server' : 'client';
  const me = ctx[senderRole];
  const peer = ctx[receiverRole];
  const base = { sender: senderRole, receiver: receiverRole };
  const say = (key: string, params: Record<string, MessageParam> = {}, tone: NoteTone = 'info'): void => {
    notes.push({ key: `note.${key}`, params: { ...base, ...params }, tone });
  };
  const f = tcp.flags;
  const a = tcp.analysisFlags;
  const senderState = senderRole === 'client' ? tcp.clientState : tcp.serverState;
  const receiverState = senderRole === 'client' ? tcp.serverState : tcp.clientState;
  const receiverStateBefore = peer.state;
  const senderStateBefore = me.state;
  const stateChanged = senderState !== undefined && senderState !== senderStateBefore;
  const peerChanged = receiverState !== undefined && receiverState !== receiverStateBefore;
  const kinds = new Set(arrow.notes.map((n) => n.kind));
  const ackAdvance = (f & ACK) && !(f & RST) && tcp.ack > me.lastAck;

  // Newly acknowledged first copies of the peer's data (cumulative / delayed ACK).
  let newlyAcked: SentSegment[] = [];
  if (ackAdvance) {
    newlyAcked = peer.unacked.filter((s) => s.end <= tcp.ack);
    if (newlyAcked.length) peer.unacked = peer.unacked.filter((s) => s.end > tcp.ack);
  }

  // The segment's own story first (what it carries), then what the analysis found about it.
  const order = (k: string): number => (k === 'data' || k === 'syn' || k === 'syn-ack' || k === 'fin' || k === 'rst' ? 0 : 1);
  for (const n of [...arrow.notes].sort((x, y) => order(x.kind) - order(y.kind))) translate(n);

  function translate(n: DiagramNote): void {
    const x = n.facts;
    switch (n.kind) {
      case 'syn': {
        me.rawIsn = tcp.rawSeq;
        me.synFrame = arrow.frame;
        ctx.synTimeNs = arrow.timeNs;
        say('syn', { seq: tcp.seq, isn: tcp.rawSeq });
        options();
        break;
      }
      case 'syn-ack': {
        me.rawIsn = tcp.rawSeq;
        me.synFrame = arrow.frame;
        ctx.synAckFrame = arrow.frame;
        ctx.synAckRawAck = tcp.rawAck;
        say('syn-ack', { seq: tcp.seq, isn: tcp.rawSeq });
        if (x.ackIsIsnPlusOne && num(x.peerIsn) >= 0) {
          say('syn-ack-ack', { ack: tcp.ack, peerIsn: num(x.peerIsn), rawAck: tcp.rawAck });
        } else if (x.ackIsIsnPlusOne) {
          say('syn-ack-ack-unseen', { ack: tcp.ack, rawAck: tcp.rawAck });
        } else {
          say('syn-ack-ack-wrong', { ack: tcp.ack, rawAck: tcp.rawAck }, 'problem');
        }
        options();
        break;
      }
      case 'handshake-ack': {
        ctx.handshakeAckFrame = arrow.frame;
        ctx.handshakeRawAck = tcp.rawAck;
        if (ctx.synTimeNs >= 0) ctx.irttNs = arrow.timeNs - ctx.synTimeNs;
        say(x.ackIsIsnPlusOne ? 'handshake-ack' : 'handshake-ack-wrong',
          { ack: tcp.ack, rawAck: tcp.rawAck, peerIsn: peer.rawIsn }, x.ackIsIsnPlusOne ? 'info' : 'problem');
        if (ctx.irttNs >= 0) say('irtt', { irtt: formatDuration(ctx.irttNs), irttMs: msOf(ctx.irttNs) });
        break;
      }
      case 'data': {
        say('data', { len: num(x.len), first: num(x.first), last: num(x.last), seq: tcp.seq, nextSeq: num(x.nextSeq) });
        if (appSummary) say('data-app', { app: appSummary });
        if (f & PSH) say('data-push');
        break;
      }
      case 'ack': {
        say('ack', { ack: tcp.ack, lastAcked: num(x.lastAcked) });
        break;
      }
      case 'window-update':
        say('window-update', { window: tcp.window, previous: me.window }, 'attention');
        break;
      case 'zero-window':
        say('zero-window', { window: tcp.window }, 'problem');
        break;
      case 'zero-window-probe':
        say('zero-window-probe', { seq: tcp.seq, len: tcp.len }, 'attention');
        break;
      case 'zero-window-probe-ack':
        say('zero-window-probe-ack', { window: tcp.window }, 'attention');
        break;
      case 'window-full':
        say('window-full', { window: peer.window, nextSeq: tcp.seq + tcp.len }, 'attention');
        break;
      case 'keep-alive':
        say('keep-alive', { seq: tcp.seq }, 'attention');
        break;
      case 'keep-alive-ack':
        say('keep-alive-ack', { ack: tcp.ack });
        break;
      case 'retransmission':
      case 'spurious-retransmission': {
        const orig = num(x.originalFrame);
        const after = num(x.afterMs);
        const params = { first: num(x.first), last: num(x.last), len: num(x.len) };
        if (orig > 0 && after >= 0) {
          const gapNs = arrowTimeOf(orig);
          say(`${n.kind}`, { ...params, originalFrame: orig, after: formatDuration(gapNs >= 0 ? arrow.timeNs - gapNs : after * 1e6), afterMs: after }, 'problem');
        } else {
          say(`${n.kind}-unseen`, params, 'problem');
        }
        break;
      }
      case 'fast-retransmission': {
        const dups = peer.dupAcks.get(tcp.seq) ?? 0;
        const orig = num(x.originalFrame);
        const params = { first: num(x.first), last: num(x.last), len: num(x.len), dupAcks: dups };
        say(dups > 0 ? 'fast-retransmission' : 'fast-retransmission-nodups', params, 'problem');
        if (orig > 0) say('retransmission-original', { originalFrame: orig });
        else say('retransmission-original-unseen');
        break;
      }
      case 'out-of-order':
        say('out-of-order', { first: num(x.first), last: num(x.last), expected: num(x.expected) }, 'problem');
        break;
      case 'lost-segment':
        if (num(x.missing) > 0) say('lost-segment', { seq: num(x.seq), expected: num(x.expected), missing: num(x.missing) }, 'problem');
        else say('lost-segment-unknown', { seq: num(x.seq) }, 'problem');
        break;
      case 'ack-lost-segment':
        say('ack-lost-segment', { ack: tcp.ack }, 'problem');
        break;
      case 'dup-ack': {
        const count = num(x.count);
        me.dupAcks.set(tcp.ack, count);
        const params = { ack: tcp.ack, count, originalAckFrame: num(x.originalAckFrame) };
        say(count === 3 ? 'dup-ack-third' : count > 3 ? 'dup-ack-more' : 'dup-ack', params, 'problem');
        const missing = num(x.missingFrame);
        if (missing > 0) say('dup-ack-missing', { ack: tcp.ack, missingFrame: missing });
        break;
      }
      case 'reused-ports':
        say('reused-ports', {}, 'attention');
        break;
      case 'fin': {
        me.finFrame = arrow.frame;
        const seq = num(x.seq);
        if (x.first) {
          ctx.firstFin = { frame: arrow.frame, role: senderRole, seq };
          say('fin-first', { seq });
        } else {
          ctx.secondFin = { frame: arrow.frame, role: senderRole, seq, merged: kinds.has('fin-ack') };
          say('fin-second', { seq });
        }
        break;
      }
      case 'fin-ack': {
        const params = { ack: tcp.ack, finSeq: num(x.finSeq) };
        if (x.withOwnFin) say('fin-ack-merged', params);
        else if (kinds.has('fin') || kinds.has('data')) say('fin-ack', params);
        else say('fin-ack-pure', params);
        if (x.last) {
          ctx.lastCloseAck = { frame: arrow.frame, role: senderRole, ack: tcp.ack };
          say('close-last');
        } else if (!x.withOwnFin) {
          say('half-close');
        }
        break;
      }
      case 'time-wait': {
        const role = x.side === 'server' ? 'server' : 'client';
        ctx.timeWait = { frame: arrow.frame, role };
        say('time-wait', { side: role });
        break;
      }
      case 'rst': {
        // A RST answering a SYN: nothing listens on that port (RFC 793 p.36, "connection refused").
        const refused = receiverStateBefore === 'SYN_SENT' || (peer.synFrame > 0 && me.synFrame === 0);
        ctx.rst = { frame: arrow.frame, role: senderRole, refused };
        if (refused) {
          const label = senderRole === 'server' ? ctx.serverLabel : ctx.clientLabel;
          say('rst-refused', { port: portOf(label), host: hostOf(label), ack: tcp.ack }, 'problem');
        } else {
          say('rst', { state: senderStateBefore ?? 'UNKNOWN' }, 'problem');
        }
        break;
      }
      default:
        break;
    }
  }

  function options(): void {
    if (tcp.mss >= 0) say('opt-mss', { mss: tcp.mss });
    if (tcp.windowScale >= 0) say('opt-wscale', { shift: tcp.windowScale, factor: 2 ** tcp.windowScale });
    if (tcp.sackPermitted) say('opt-sack');
  }

  function arrowTimeOf(frame: number): number {
    return ctx.frameTimes.get(frame) ?? -1;
  }

  // What the analysis has no note kind for: cumulative and delayed ACKs, piggybacked ACKs.
  const pureAck = tcp.len === 0 && !(f & (SYN | FIN | RST));
  if (newlyAcked.length && !(a & TCP_A_DUPLICATE_ACK) && !kinds.has('handshake-ack')) {
    const bytes = newlyAcked.reduce((s, g) => s + (g.end - g.seq), 0);
    if (newlyAcked.length >= 2) {
      say('ack-cumulative', { segments: newlyAcked.length, bytes, frames: newlyAcked.map((g) => g.frame).join(', ') });
    } else if (!pureAck && kinds.has('data')) {
      say('ack-piggyback', { ack: tcp.ack, frame: newlyAcked[0].frame });
    }
    const lastSeg = newlyAcked[newlyAcked.length - 1];
    const waited = arrow.timeNs - lastSeg.timeNs;
    const beyondRtt = waited - Math.max(0, ctx.irttNs);
    if (pureAck && newlyAcked.length === 1 && beyondRtt >= DELAYED_ACK_NS) {
      say('ack-delayed', { frame: lastSeg.frame, delay: formatDuration(waited), delayMs: msOf(waited) }, 'attention');
    }
  }

  // Each side's new state, when this packet changed it.
  if (stateChanged && peerChanged && senderState === receiverState) say('states-same', { state: senderState! });
  else if (stateChanged && peerChanged) say('states-both', { state: senderState!, peerState: receiverState! });
  else if (stateChanged) say('state-sender', { state: senderState! });
  else if (peerChanged) say('state-receiver', { state: receiverState! });

  // Remember what this packet established.
  const retrans = a & (TCP_A_RETRANSMISSION | TCP_A_FAST_RETRANSMISSION | TCP_A_SPURIOUS_RETRANSMISSION);
  if (tcp.len > 0 && !retrans) me.unacked.push({ seq: tcp.seq, end: tcp.seq + tcp.len, frame: arrow.frame, timeNs: arrow.timeNs });
  if (me.unacked.length > 4096) me.unacked.shift();
  if (ackAdvance) me.lastAck = tcp.ack;
  if (!(a & TCP_A_ZERO_WINDOW) || tcp.window === 0) me.window = tcp.window;
  if (senderState !== undefined) me.state = senderState;
  if (receiverState !== undefined) peer.state = receiverState;
  ctx.frameTimes.set(arrow.frame, arrow.timeNs);
  return notes;
}
