/**
 * Teaching notes for the arrows of a sequence diagram: one or more short facts per packet —
 * why the SYN-ACK acknowledges ISN + 1, which bytes a segment carries and which an ACK
 * confirms, which segment a duplicate ACK is still waiting for, which earlier frame a
 * retransmission repeats, what FIN, TIME_WAIT and RST mean. Notes are data (a kind plus its
 * numbers), so any language can word them; `noteText` words them in English. Isomorphic.
 */
import {
  TCP_A_ACK_LOST_PACKET, TCP_A_DUPLICATE_ACK, TCP_A_FAST_RETRANSMISSION, TCP_A_KEEP_ALIVE,
  TCP_A_KEEP_ALIVE_ACK, TCP_A_LOST_PACKET, TCP_A_OUT_OF_ORDER, TCP_A_RETRANSMISSION, TCP_A_REUSED_PORTS,
  TCP_A_SPURIOUS_RETRANSMISSION, TCP_A_WINDOW_FULL, TCP_A_WINDOW_UPDATE, TCP_A_ZERO_WINDOW,
  TCP_A_ZERO_WINDOW_PROBE, TCP_A_ZERO_WINDOW_PROBE_ACK,
} from '../tcp/flags.js';
import type { EndpointState } from '../tcp/states.js';
import type { ArpOutcome } from '../transactions/arp.js';
import type { DiagramNote, DiagramPacket, DiagramTcp } from './types.js';

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const ACK = 0x10;

interface SentSegment {
  seq: number;
  end: number;
  frame: number;
  timeNs: number;
}

interface Side {
  segments: SentSegment[];
  /** Highest next sequence number sent so far. */
  maxNext: number;
  /** Last acknowledgment number sent. */
  lastAck: number;
  sawSyn: boolean;
  rawIsn: number;
  finSent: boolean;
  /** Sequence number just after this side's FIN (what the peer's ACK of it carries), -1 before. */
  finEnd: number;
  /** This side acknowledged the peer's FIN already. */
  ackedPeerFin: boolean;
  /** This side's state after the previous packet of its stream. */
  state: EndpointState | undefined;
}

/** Keeps what earlier packets of each stream said, to explain later ones. */
export class NoteContext {
  private sides = new Map<string, Side>();
  /** Data segments remembered per direction (bounded). */
  private static readonly MAX_SEGMENTS = 4096;

  side(stream: number, fromClient: boolean): Side {
    const key = `${stream}/${fromClient ? 'c' : 's'}`;
    let s = this.sides.get(key);
    if (!s) {
      s = { segments: [], maxNext: -1, lastAck: -1, sawSyn: false, rawIsn: 0, finSent: false, finEnd: -1, ackedPeerFin: false, state: undefined };
      this.sides.set(key, s);
    }
    return s;
  }

  remember(side: Side, seg: SentSegment): void {
    if (side.segments.length >= NoteContext.MAX_SEGMENTS) side.segments.shift();
    side.segments.push(seg);
  }

  /** The first captured segment carrying sequence number `seq` (or overlapping [seq, end)). */
  static firstCarrying(side: Side, seq: number, end: number): SentSegment | undefined {
    for (const s of side.segments) if (s.seq < end && s.end > seq) return s;
    return undefined;
  }
}

/**
 * Notes for one TCP packet. `states` are the sender's and receiver's states after it.
 * Call in packet order; `ctx` carries what earlier packets of the stream established.
 */
export function tcpNotes(
  ctx: NoteContext, p: DiagramPacket, tcp: DiagramTcp, timeNs: number,
  senderState: EndpointState | undefined, receiverState: EndpointState | undefined,
  senderRole: string, receiverRole: string,
): DiagramNote[] {
  const notes: DiagramNote[] = [];
  const fromClient = tcp.fromClient ?? true;
  const me = ctx.side(tcp.stream, fromClient);
  const peer = ctx.side(tcp.stream, !fromClient);
  const f = tcp.flags;
  const a = tcp.analysisFlags;
  const base = { frame: p.frame, sender: senderRole, receiver: receiverRole };
  const push = (kind: DiagramNote['kind'], facts: DiagramNote['facts']) => notes.push({ kind, facts: { ...base, ...facts } });
  const segEnd = tcp.seq + tcp.len + (f & (SYN | FIN) ? 1 : 0);
  const acksPeerFin = (f & ACK) !== 0 && !(f & RST) && peer.finEnd >= 0 && !me.ackedPeerFin && tcp.ack >= peer.finEnd;
  const ownFinBefore = me.finSent;

  if (a & TCP_A_REUSED_PORTS) push('reused-ports', {});
  if (f & SYN) {
    me.sawSyn = true;
    me.rawIsn = tcp.rawSeq;
    const opts = { mss: tcp.mss, windowScale: tcp.windowScale, sackPermitted: tcp.sackPermitted };
    if (!(f & ACK)) {
      push('syn', { seq: tcp.seq, isn: tcp.rawSeq, ...opts, state: senderState ?? '' });
    } else {
      const expected = peer.sawSyn ? 1 : -1;
      push('syn-ack', {
        seq: tcp.seq, isn: tcp.rawSeq, ack: tcp.ack, ackIsIsnPlusOne: expected === -1 ? tcp.ack === 1 : tcp.ack === expected,
        peerIsn: peer.sawSyn ? peer.rawIsn : -1, ...opts, state: senderState ?? '',
      });
    }
  } else if ((f & ACK) && !(f & (FIN | RST)) && tcp.len === 0 && peer.sawSyn && me.sawSyn && me.lastAck < 0 && fromClient) {
    push('handshake-ack', {
      ack: tcp.ack, ackIsIsnPlusOne: tcp.ack === 1, peerIsn: peer.rawIsn, state: senderState ?? '', peerState: receiverState ?? '',
    });
  }

  const retrans = a & (TCP_A_RETRANSMISSION | TCP_A_FAST_RETRANSMISSION | TCP_A_SPURIOUS_RETRANSMISSION);
  if (retrans && tcp.len > 0) {
    const orig = NoteContext.firstCarrying(me, tcp.seq, tcp.seq + tcp.len);
    const kind = a & TCP_A_SPURIOUS_RETRANSMISSION ? 'spurious-retransmission'
      : a & TCP_A_FAST_RETRANSMISSION ? 'fast-retransmission' : 'retransmission';
    push(kind, {
      first: tcp.seq, last: tcp.seq + tcp.len - 1, len: tcp.len,
      originalFrame: orig ? orig.frame : 0,
      afterMs: orig ? Math.round((timeNs - orig.timeNs) / 1e5) / 10 : -1,
    });
  } else if (a & TCP_A_OUT_OF_ORDER) {
    push('out-of-order', { first: tcp.seq, last: tcp.seq + tcp.len - 1, expected: me.maxNext });
  }
  if (a & TCP_A_LOST_PACKET) {
    push('lost-segment', { expected: me.maxNext, seq: tcp.seq, missing: me.maxNext >= 0 ? tcp.seq - me.maxNext : -1 });
  }
  if (a & TCP_A_ACK_LOST_PACKET) push('ack-lost-segment', { ack: tcp.ack, highestSeen: peer.maxNext });
  if (tcp.len > 0 && !retrans && !(a & (TCP_A_KEEP_ALIVE | TCP_A_ZERO_WINDOW_PROBE | TCP_A_OUT_OF_ORDER))) {
    push('data', { first: tcp.seq, last: tcp.seq + tcp.len - 1, len: tcp.len, nextSeq: tcp.seq + tcp.len, push: (f & 0x08) !== 0 });
  }
  if (a & TCP_A_DUPLICATE_ACK) {
    const wanted = NoteContext.firstCarrying(peer, tcp.ack, tcp.ack + 1);
    push('dup-ack', {
      ack: tcp.ack, count: tcp.dupAckNum, originalAckFrame: tcp.dupAckFrame,
      missingFrame: wanted ? wanted.frame : 0, fastRetransmitExpected: tcp.dupAckNum >= 3,
    });
  } else if ((f & ACK) && !(f & (SYN | FIN | RST)) && tcp.len === 0 && !acksPeerFin && notes.every((n) => n.kind !== 'handshake-ack')
             && !(a & (TCP_A_WINDOW_UPDATE | TCP_A_KEEP_ALIVE_ACK | TCP_A_ZERO_WINDOW_PROBE_ACK | TCP_A_KEEP_ALIVE))) {
    push('ack', {
      ack: tcp.ack, lastAcked: tcp.ack - 1,
      newlyAcked: me.lastAck >= 0 && tcp.ack > me.lastAck ? tcp.ack - me.lastAck : 0,
      window: tcp.window,
    });
  }
  if (a & TCP_A_WINDOW_UPDATE) push('window-update', { window: tcp.window });
  if (a & TCP_A_ZERO_WINDOW) push('zero-window', {});
  if (a & TCP_A_ZERO_WINDOW_PROBE) push('zero-window-probe', { seq: tcp.seq });
  if (a & TCP_A_ZERO_WINDOW_PROBE_ACK) push('zero-window-probe-ack', {});
  if (a & TCP_A_WINDOW_FULL) push('window-full', {});
  if (a & TCP_A_KEEP_ALIVE) push('keep-alive', { seq: tcp.seq });
  if (a & TCP_A_KEEP_ALIVE_ACK) push('keep-alive-ack', {});
  if (f & FIN) {
    push('fin', { seq: tcp.seq + tcp.len, first: !peer.finSent, state: senderState ?? '', peerState: receiverState ?? '' });
    me.finSent = true;
    me.finEnd = tcp.seq + tcp.len + 1 + (f & SYN ? 1 : 0);
  }
  if (acksPeerFin) {
    me.ackedPeerFin = true;
    push('fin-ack', {
      ack: tcp.ack, finSeq: peer.finEnd - 1, last: ownFinBefore, withOwnFin: (f & FIN) !== 0,
      state: senderState ?? '', peerState: receiverState ?? '',
    });
  }
  if (senderState === 'TIME_WAIT' && me.state !== 'TIME_WAIT') push('time-wait', { side: senderRole });
  if (receiverState === 'TIME_WAIT' && peer.state !== 'TIME_WAIT') push('time-wait', { side: receiverRole });
  if (senderState !== undefined) me.state = senderState;
  if (receiverState !== undefined) peer.state = receiverState;
  if (f & RST) push('rst', { seq: tcp.seq, state: senderState ?? '', peerState: receiverState ?? '' });

  // Remember what this packet established.
  if (tcp.len > 0 && !retrans) ctx.remember(me, { seq: tcp.seq, end: tcp.seq + tcp.len, frame: p.frame, timeNs });
  if (segEnd > me.maxNext) me.maxNext = segEnd;
  if (f & ACK) me.lastAck = tcp.ack;
  return notes;
}

/** Notes for DNS, ICMP and ARP packets, from their Info text (and ARP pairing, when known). */
export function otherNotes(p: DiagramPacket, arp?: ArpOutcome): DiagramNote[] {
  const info = p.info;
  const facts = { frame: p.frame, info, sender: p.src, receiver: p.dst };
  const proto = p.protocol.toUpperCase();
  if (proto.startsWith('DNS') || proto === 'MDNS' || proto === 'LLMNR') {
    const response = /\bresponse\b/.test(info);
    const nx = /No such name/.test(info);
    return [{ kind: response ? 'dns-response' : 'dns-query', facts: { ...facts, nxdomain: nx } }];
  }
  if (proto.startsWith('ICMP')) {
    if (/Echo \(ping\) request/.test(info)) return [{ kind: 'icmp-echo-request', facts }];
    if (/Echo \(ping\) reply/.test(info)) return [{ kind: 'icmp-echo-reply', facts }];
    return [{ kind: 'icmp-error', facts }];
  }
  if (proto === 'ARP') {
    const notes: DiagramNote[] = [];
    const a = p.arp;
    if (arp?.gratuitous) notes.push({ kind: 'arp-gratuitous', facts: { ...facts, ip: a?.senderIp ?? '', mac: a?.senderMac ?? '' } });
    else if (a ? a.opcode === 1 : /^Who has/.test(info)) {
      notes.push({ kind: 'arp-request', facts: { ...facts, target: a?.targetIp ?? '', asker: a?.senderIp ?? '', repeatOf: arp?.repeatOf ?? 0 } });
    } else {
      notes.push({ kind: 'arp-reply', facts: { ...facts, ip: a?.senderIp ?? '', mac: a?.senderMac ?? '', requestFrame: arp?.requestFrame ?? 0 } });
    }
    if (arp?.conflict) {
      const c = arp.conflict;
      notes.push({ kind: 'arp-conflict', facts: { ...facts, ip: c.ip, mac: c.mac, earlierMac: c.earlierMac, earlierFrame: c.earlierFrame } });
    }
    return notes;
  }
  return [{ kind: 'other', facts }];
}

const n = (v: unknown) => String(v);

/** English wording of a note (the teaching view may translate from the same facts). */
export function noteText(note: DiagramNote): string {
  const f = note.facts;
  const who = `${f.sender} → ${f.receiver}`;
  switch (note.kind) {
    case 'syn':
      return `${who}: SYN. The ${f.sender} picks its initial sequence number ${n(f.seq)} (relative; raw ${n(f.isn)})` +
        `${Number(f.mss) >= 0 ? ` and offers MSS ${n(f.mss)}` : ''}${Number(f.windowScale) >= 0 ? `, window scale ${n(f.windowScale)}` : ''}` +
        `${f.sackPermitted ? ', SACK' : ''}.${f.state ? ` It is now ${n(f.state)}.` : ''}`;
    case 'syn-ack':
      return `${who}: SYN, ACK. Ack ${n(f.ack)} = the ${f.receiver}'s ISN + 1: the SYN itself counts as one byte` +
        `${f.ackIsIsnPlusOne ? '' : ' (but this ack is NOT ISN + 1!)'}. The ${f.sender} picks its own ISN (raw ${n(f.isn)}).` +
        `${f.state ? ` It is now ${n(f.state)}.` : ''}`;
    case 'handshake-ack':
      return `${who}: ACK ${n(f.ack)} = the ${f.receiver}'s ISN + 1${f.ackIsIsnPlusOne ? '' : ' (unexpected value!)'}. ` +
        `Third step of the handshake: both sides are now ${n(f.state || 'ESTABLISHED')}.`;
    case 'ack-isn-check':
      return `${who}: acknowledgment checks the ISN.`;
    case 'data':
      return `${who}: ${n(f.len)} bytes of data, ${n(f.first)}–${n(f.last)}; the next segment should start at ${n(f.nextSeq)}.`;
    case 'ack':
      return `${who}: ACK ${n(f.ack)}: everything up to byte ${n(f.lastAcked)} has arrived` +
        `${Number(f.newlyAcked) > 0 ? ` (${n(f.newlyAcked)} more byte${Number(f.newlyAcked) === 1 ? '' : 's'} than the previous ACK)` : ''}.`;
    case 'window-update':
      return `${who}: window update: the receiver has room for ${n(f.window)} bytes again.`;
    case 'zero-window':
      return `${who}: zero window: the receiver's buffer is full; the sender must wait.`;
    case 'zero-window-probe':
      return `${who}: zero-window probe: one byte to ask whether the window has opened.`;
    case 'zero-window-probe-ack':
      return `${who}: answer to a zero-window probe: the window is still closed.`;
    case 'window-full':
      return `${who}: this segment fills the receiver's window; the sender must now wait for an ACK.`;
    case 'keep-alive':
      return `${who}: keep-alive: an empty probe (seq one below the next) to check the peer is still there.`;
    case 'keep-alive-ack':
      return `${who}: answer to a keep-alive: the connection is still alive.`;
    case 'retransmission':
    case 'fast-retransmission':
    case 'spurious-retransmission': {
      const what = note.kind === 'fast-retransmission' ? 'Fast retransmission' : note.kind === 'spurious-retransmission'
        ? 'Spurious retransmission' : 'Retransmission';
      const orig = Number(f.originalFrame) > 0
        ? `, first sent in frame ${n(f.originalFrame)}${Number(f.afterMs) >= 0 ? ` ${n(f.afterMs)} ms earlier` : ''}`
        : ' (the first copy was not captured)';
      const why = note.kind === 'fast-retransmission' ? ' after duplicate ACKs asked for it'
        : note.kind === 'spurious-retransmission' ? ', although the receiver had already acknowledged them' : ', because no ACK came in time';
      return `${who}: ${what}: the same bytes ${n(f.first)}–${n(f.last)} sent again${orig}${why}.`;
    }
    case 'out-of-order':
      return `${who}: out of order: bytes ${n(f.first)}–${n(f.last)} arrive after later ones were already seen.`;
    case 'dup-ack':
      return `${who}: duplicate ACK #${n(f.count)} for ${n(f.ack)} (same as frame ${n(f.originalAckFrame)}): the receiver is still ` +
        `missing the segment starting at ${n(f.ack)}${Number(f.missingFrame) > 0 ? ` (sent in frame ${n(f.missingFrame)})` : ' (the capture did not see it either)'}` +
        `${f.fastRetransmitExpected ? '; after three duplicates the sender will fast-retransmit it' : ''}.`;
    case 'lost-segment':
      return `${who}: previous segment not captured: this segment starts at ${n(f.seq)} but ${n(f.expected)} was expected` +
        `${Number(f.missing) > 0 ? ` — ${n(f.missing)} bytes are missing` : ''}.`;
    case 'ack-lost-segment':
      return `${who}: this ACK acknowledges bytes the capture never saw (lost before the capture point or captured too late).`;
    case 'reused-ports':
      return `${who}: a new connection on the same addresses and ports (a new SYN with another ISN).`;
    case 'fin':
      return `${who}: FIN: the ${f.sender} has no more data to send${f.first ? ' and starts the close' : ', answering the other side\'s FIN'}.` +
        `${f.state ? ` It is now ${n(f.state)}.` : ''}`;
    case 'fin-ack':
      return `${who}: ACK ${n(f.ack)} acknowledges the ${f.receiver}'s FIN (its sequence number ${n(f.finSeq)} + 1: a FIN counts as one byte)` +
        `${f.last ? ' — the last step of the close' : f.withOwnFin ? '; its own FIN rides on the same segment (a 3-way close)'
          : `; the ${f.sender} may still send data until it sends its own FIN`}.`;
    case 'time-wait':
      return `TIME_WAIT: the ${f.side}, which closed first, waits 2·MSL so a lost final ACK can still be resent.`;
    case 'rst':
      return `${who}: RST: the connection is aborted at once (no orderly close).`;
    case 'dns-query':
      return `${who}: DNS query: ${n(f.info)}.`;
    case 'dns-response':
      return `${who}: DNS response: ${n(f.info)}${f.nxdomain ? ' — the name does not exist (NXDOMAIN)' : ''}.`;
    case 'icmp-echo-request':
      return `${who}: ping (ICMP echo request): ${n(f.info)}.`;
    case 'icmp-echo-reply':
      return `${who}: ping answer (ICMP echo reply): ${n(f.info)}.`;
    case 'icmp-error':
      return `${who}: ICMP: ${n(f.info)}.`;
    case 'arp-request':
      return `${who}: ARP request (broadcast): ${n(f.info)}${Number(f.repeatOf) > 0 ? ` — asked again, frame ${n(f.repeatOf)} got no answer` : ''}.`;
    case 'arp-reply':
      return `${who}: ARP reply: ${n(f.info)}${Number(f.requestFrame) > 0 ? ` — the answer to the request in frame ${n(f.requestFrame)}` : ''}.`;
    case 'arp-gratuitous':
      return `${who}: gratuitous ARP: ${n(f.ip)} announces its own address (${n(f.mac)}) so others update their caches.`;
    case 'arp-conflict':
      return `${who}: address conflict: ${n(f.ip)} is now claimed by ${n(f.mac)}, but frame ${n(f.earlierFrame)} showed it at ` +
        `${n(f.earlierMac)} — a duplicate address, or ARP spoofing.`;
    default:
      return `${who}: ${n(f.info ?? '')}`;
  }
}
