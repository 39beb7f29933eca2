/**
 * Builds a sequence diagram from a set of packets — one TCP stream, several, or whatever a
 * display filter selected — in capture order: lifelines (TCP endpoints as "addr:port", client
 * before server; other protocols between hosts), one arrow per packet labelled like a flow
 * graph ("SYN", "SYN, ACK", "PSH, ACK Len=120"), with relative seq/ack, Wireshark's analysis
 * texts on the arrow, each TCP side's state after it, and teaching notes. Pure function of its
 * input. Isomorphic.
 */
import { tcpFlagsNames } from '../../decode/protocols/tcp-info.js';
import {
  infoPrefix, TCP_A_DUPLICATE_ACK, TCP_A_FAST_RETRANSMISSION, TCP_A_LOST_PACKET, TCP_A_OUT_OF_ORDER,
  TCP_A_RETRANSMISSION, TCP_A_SPURIOUS_RETRANSMISSION, TCP_A_ZERO_WINDOW, TCP_A_ACK_LOST_PACKET,
} from '../tcp/flags.js';
import type { EndpointState } from '../tcp/states.js';
import { ArpTracker } from '../transactions/arp.js';
import { NoteContext, otherNotes, tcpNotes } from './notes.js';
import type { Arrow, ArrowStyle, DiagramPacket, DiagramTcp, Lifeline, SequenceDiagramModel } from './types.js';

export interface BuildOptions {
  title?: string;
  /** Most arrows to keep (the rest is dropped and `truncated` set). Default 100 000. */
  limit?: number;
  /** Per TCP stream: the client's and server's endpoint labels (from the stream summary). */
  streamEndpoints?: ReadonlyMap<number, { client: string; server: string }>;
  /** Per TCP stream: both sides' states before its first packet. */
  initialStates?: ReadonlyMap<number, { client: EndpointState; server: EndpointState }>;
}

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const ACK = 0x10;

const PROBLEMS = TCP_A_RETRANSMISSION | TCP_A_FAST_RETRANSMISSION | TCP_A_SPURIOUS_RETRANSMISSION |
  TCP_A_LOST_PACKET | TCP_A_ACK_LOST_PACKET | TCP_A_DUPLICATE_ACK | TCP_A_OUT_OF_ORDER | TCP_A_ZERO_WINDOW;

/** "SYN", "SYN, ACK", "PSH, ACK Len=120". */
export function tcpArrowLabel(tcp: Pick<DiagramTcp, 'flags' | 'len'>): string {
  return `${tcpFlagsNames(tcp.flags)}${tcp.len > 0 ? ` Len=${tcp.len}` : ''}`;
}

/** "Seq=0 Ack=1 Win=64240". */
export function tcpArrowDetail(tcp: Pick<DiagramTcp, 'flags' | 'seq' | 'ack' | 'window'>): string {
  return `Seq=${tcp.seq}${tcp.flags & ACK ? ` Ack=${tcp.ack}` : ''} Win=${tcp.window}`;
}

/** Wireshark's analysis texts, e.g. ["TCP Dup ACK 12#2"], in Info-column order. */
export function analysisTexts(tcp: Pick<DiagramTcp, 'analysisFlags' | 'dupAckFrame' | 'dupAckNum'>): string[] {
  const prefix = infoPrefix(tcp.analysisFlags, tcp.dupAckFrame, tcp.dupAckNum);
  if (!prefix) return [];
  return prefix.trim().slice(1, -1).split('] [');
}

function arrowStyle(tcp: DiagramTcp | undefined): ArrowStyle {
  if (!tcp) return 'other';
  if (tcp.flags & RST) return 'reset';
  if (tcp.analysisFlags & PROBLEMS) return 'problem';
  if (tcp.flags & SYN) return 'handshake';
  if (tcp.flags & FIN) return 'close';
  return tcp.len > 0 ? 'data' : 'ack';
}

export function buildSequenceDiagram(packets: readonly DiagramPacket[], opts: BuildOptions = {}): SequenceDiagramModel {
  const limit = opts.limit ?? 100_000;
  const lifelines: Lifeline[] = [];
  const index = new Map<string, number>();
  const lifeline = (label: string, role: Lifeline['role'], stream: number, initial?: EndpointState): number => {
    let i = index.get(label);
    if (i === undefined) {
      i = lifelines.length;
      const l: Lifeline = { label, role, stream };
      if (initial) l.initialState = initial;
      lifelines.push(l);
      index.set(label, i);
    }
    return i;
  };
  /** Per stream: lifeline of the client and of the server. */
  const streamLines = new Map<number, { client: number; server: number }>();
  const current: (EndpointState | undefined)[] = [];
  const notesCtx = new NoteContext();
  const arpTracker = new ArpTracker();
  const arrows: Arrow[] = [];
  const first = packets[0];
  const startSec = first ? first.tsSec : 0;
  const startNsec = first ? first.tsNsec : 0;
  let prevNs = 0;

  for (const p of packets) {
    if (arrows.length >= limit) break;
    const timeNs = (p.tsSec - startSec) * 1e9 + (p.tsNsec - startNsec);
    const tcp = p.tcp;
    let from: number;
    let to: number;
    let lines: { client: number; server: number } | undefined;
    if (tcp) {
      lines = streamLines.get(tcp.stream);
      if (!lines) {
        const known = opts.streamEndpoints?.get(tcp.stream);
        const init = opts.initialStates?.get(tcp.stream);
        // Client first: from the stream summary, else whoever sent the stream's first packet
        // here (the SYN when the handshake was captured).
        const clientLabel = known?.client ?? (tcp.fromClient === false ? p.dst : p.src);
        const serverLabel = known?.server ?? (tcp.fromClient === false ? p.src : p.dst);
        lines = {
          client: lifeline(clientLabel, 'client', tcp.stream, init?.client),
          server: lifeline(serverLabel, 'server', tcp.stream, init?.server),
        };
        streamLines.set(tcp.stream, lines);
        current[lines.client] = init?.client;
        current[lines.server] = init?.server;
      }
      from = lifeline(p.src, 'host', tcp.stream);
      to = lifeline(p.dst, 'host', tcp.stream);
    } else {
      from = lifeline(p.src, 'host', -1);
      to = lifeline(p.dst, 'host', -1);
    }

    let notes;
    if (tcp && lines) {
      const fromClient = tcp.fromClient ?? from === lines.client;
      if (tcp.clientState) current[lines.client] = tcp.clientState;
      if (tcp.serverState) current[lines.server] = tcp.serverState;
      const senderState = fromClient ? tcp.clientState : tcp.serverState;
      const receiverState = fromClient ? tcp.serverState : tcp.clientState;
      notes = tcpNotes(notesCtx, p, { ...tcp, fromClient }, timeNs, senderState, receiverState,
        fromClient ? 'client' : 'server', fromClient ? 'server' : 'client');
    } else {
      const arp = p.arp ? arpTracker.onArp({ frame: p.frame, tsSec: p.tsSec, tsNsec: p.tsNsec, ...p.arp }) : undefined;
      notes = otherNotes(p, arp);
    }

    const states: (EndpointState | undefined)[] = new Array(lifelines.length);
    if (tcp && lines) {
      states[lines.client] = current[lines.client];
      states[lines.server] = current[lines.server];
    }
    arrows.push({
      frame: p.frame,
      timeNs,
      deltaNs: arrows.length ? timeNs - prevNs : 0,
      from,
      to,
      protocol: p.protocol,
      label: tcp ? tcpArrowLabel(tcp) : p.info,
      detail: tcp ? tcpArrowDetail(tcp) : '',
      analysis: tcp ? analysisTexts(tcp) : [],
      style: arrowStyle(tcp),
      ...(tcp ? { tcp } : {}),
      states,
      notes,
    });
    prevNs = timeNs;
  }
  // Arrays made before later lifelines appeared get their full length.
  for (const a of arrows) a.states.length = lifelines.length;
  return {
    title: opts.title ?? 'Sequence diagram',
    lifelines,
    arrows,
    startSec,
    startNsec,
    truncated: packets.length > arrows.length,
  };
}
