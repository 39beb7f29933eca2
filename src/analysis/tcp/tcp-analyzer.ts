/**
 * The TCP analysis behind DecodeHooks.tcp / tcpFields: conversations and tcp.stream numbering
 * (Wireshark's rules, port reuse included), relative sequence numbers, window scaling, the
 * sequence analysis flags, conversation timestamps and completeness, and — beyond Wireshark —
 * RFC 793 endpoint states and per-stream summaries. It follows dissect_tcp's order of state
 * updates exactly, because several results depend on it (the window-scale option of a SYN is
 * stored after that SYN's own window is computed, SACK blocks after the bytes in flight …).
 *
 * One pass (live capture, `wirescope fields`): what tshark prints without -2. Two passes
 * (`beginSecondPass` after a first pass over the same packets): the per-packet results are
 * recomputed identically, and the values tshark -2 takes from the end of the first pass are
 * printed from it: tcp.analysis.initial_rtt, the relative base of seq/ack and SACK edges, the
 * window scale, and tcp.completeness (which the second pass keeps updating from its final
 * value, so a mid-connection stream's first data segment is counted then). Isomorphic.
 */
import type { DissectContext, TcpSegmentInfo } from '../../decode/context.js';
import type { AnalysisClock } from '../clock.js';
import { AddressBook, packetAddresses, type AddressPair } from '../conversations/addresses.js';
import { PairIndex } from '../conversations/pair-table.js';
import {
  COMPLETE_ACK, COMPLETE_DATA, COMPLETE_FIN, COMPLETE_RST, COMPLETE_SYN, COMPLETE_SYNACK,
  TcpConnection, WS_NONE, WS_UNKNOWN,
} from './connection.js';
import { emitAnalysisTrees, emitStreamFields } from './emit.js';
import { TCP_A_REUSED_PORTS, TCP_FLAG_BITS, infoPrefix } from './flags.js';
import { TcpPacketResult } from './packet-result.js';
import { analyzeSequenceNumber, TH_ACK, TH_FIN, TH_RST, TH_SYN } from './sequence-analysis.js';
import { advanceStates, initialStates, noteFinAcks, STATE_LABELS, type EndpointState } from './states.js';
import { clientDirection, summarizeStream, type TcpStreamSummary } from './summary.js';

/** What a second pass needs from the end of the first, per stream. */
export interface TcpStreamFinal {
  completeness: number;
  firstRtt: number;
  baseSeq: [number, number];
  winScale: [number, number];
}

/** Endpoint states after a packet (see stateAfter). */
export interface TcpStateAfter {
  stream: number;
  client: EndpointState;
  server: EndpointState;
  clientLabel: string;
  serverLabel: string;
}

/** Keep at most this many state changes per stream (a connection normally has about ten). */
const MAX_TRANSITIONS = 256;

export class TcpAnalyzer {
  private table = new PairIndex();
  private streams: TcpConnection[] = [];
  private finals: TcpStreamFinal[] | null = null;
  private readonly res = new TcpPacketResult();
  private readonly addrs: AddressPair = { src: 0, dst: 0, family: 0 };
  /** tcp.stream of each frame (index = frame number), -1 for frames without TCP. */
  private frameStreams = new Int32Array(0);

  constructor(private readonly book: AddressBook, private readonly clock: AnalysisClock) {}

  // ---------------------------------------------------------------- hooks

  /** hooks.tcp: analyze the segment and fill the analysis slots of `seg`. */
  onSegment(ctx: DissectContext, seg: TcpSegmentInfo): void {
    const res = this.res;
    res.reset(seg);
    seg.analysisFlags = 0;
    if (!packetAddresses(ctx, this.book, this.addrs)) {
      res.seg = null;
      return;
    }
    const frame = ctx.frame;
    const fnum = frame.number;
    // Kept in a field of the reused result: doubles passed between functions would be boxed.
    res.now = this.clock.now(frame);
    const src = this.addrs.src;
    const dst = this.addrs.dst;
    const spw = seg.srcPort | this.addrs.family;
    const dpw = seg.dstPort | this.addrs.family;
    const flags = seg.flags;
    const nested = ctx.nested > 0;

    const index = this.table.get(src, spw, dst, dpw);
    let conn: TcpConnection;
    let isNew = false;
    if (index < 0) {
      conn = this.newConnection(src, spw, dst, dpw);
      isNew = true;
    } else conn = this.streams[index];
    let dir: 0 | 1 = conn.addr0 === src && conn.pw0 === spw ? 0 : 1;

    // A SYN on a used 4-tuple: a new ISN starts a new conversation (port reuse); the same ISN
    // is a retransmitted SYN, and the highest sequence number goes back to what was sent
    // contiguously (Wireshark issue 17616: a RST may carry seq = the ACK it got).
    if ((flags & (TH_SYN | TH_ACK)) === TH_SYN && conn.flows[dir].baseSeqSet) {
      if (seg.seq !== conn.flows[dir].baseSeq) {
        this.retire(conn);
        conn = this.newConnection(src, spw, dst, dpw);
        dir = 0;
        res.flag(TCP_A_REUSED_PORTS);
        // A new conversation starting with a SYN (first pass only, as Wireshark's !visited).
        if (!this.finals) conn.completeness = COMPLETE_SYN;
      } else {
        conn.flows[dir].nextSeq = conn.flows[dir].maxSeqToBeAcked;
        res.exists = true;
      }
    }
    // A SYN-ACK with another ISN than the one seen: the old conversation's numbers are reset.
    if ((flags & (TH_SYN | TH_ACK)) === (TH_SYN | TH_ACK)) {
      const f = conn.flows[dir];
      if (f.baseSeqSet && seg.seq !== f.baseSeq) {
        f.baseSeq = seg.seq;
        res.flag(TCP_A_REUSED_PORTS);
      }
    }

    res.conn = conn;
    res.dir = dir;
    const fin = this.finals ? this.finals[conn.stream] : undefined;
    const fwd = conn.flows[dir];
    const rev = conn.flows[1 - dir];
    // Printed before this segment's update. In a second pass Wireshark starts from the first
    // pass's final value and keeps OR-ing in every segment (none counts as "new" then).
    res.completeness = conn.completeness;
    if (fin) isNew = false;
    fwd.numSackRanges = 0;

    // Conversation timestamps (tcp.calculate_timestamps is on by default).
    res.timeDelta = res.now - conn.tsPrev;
    conn.tsPrev = res.now;
    res.timeRelative = res.now - conn.tsFirst;

    // The segment length is unknown in ICMP-quoted headers and unreassembled fragments:
    // Wireshark then skips the sequence analysis and shows raw numbers.
    const segLen = seg.segmentLength;
    const haveSegLen = !nested && !ctx.meta.ipFragment && segLen >= 0;
    seg.stream = conn.stream;
    seg.relSeq = seg.seq;
    seg.relAck = seg.ack;
    seg.nextSeq = -1;
    seg.windowSize = seg.window;
    if (haveSegLen) {
      if (!fwd.baseSeqSet) {
        if (flags & TH_SYN) {
          fwd.baseSeq = seg.seq;
          if (flags & TH_ACK) fwd.sawSynAck = true;
          else fwd.sawSyn = true;
        } else {
          // Relative numbers start at 1 when the SYN was not captured (Wireshark bug 1542).
          fwd.baseSeq = (seg.seq - 1) >>> 0;
        }
        fwd.baseSeqSet = true;
      }
      if (!rev.baseSeqSet && (flags & TH_ACK)) {
        rev.baseSeq = (seg.ack - 1) >>> 0;
        rev.baseSeqSet = true;
      }
      analyzeSequenceNumber(conn, dir, fnum, seg.seq, seg.ack, segLen, flags, seg.window, res);
      const base = fin ? fin.baseSeq[dir] : fwd.baseSeq;
      seg.relSeq = (seg.seq - base) >>> 0;
      if (flags & TH_ACK) seg.relAck = (seg.ack - (fin ? fin.baseSeq[1 - dir] : rev.baseSeq)) >>> 0;
      if (!(flags & TH_SYN)) {
        // SYNs are never scaled (RFC 7323 §2.2).
        const ws = fin ? fin.winScale[dir] : fwd.winScale;
        if (ws >= 0) seg.windowSize = (seg.window << ws) >>> 0;
      }
      seg.nextSeq = (seg.relSeq + segLen + (flags & (TH_SYN | TH_FIN) ? 1 : 0)) >>> 0;
    }
    if (flags & TH_SYN) seg.windowSizeScaleFactor = -3;
    else {
      const ws = fin ? fin.winScale[dir] : fwd.winScale;
      seg.windowSizeScaleFactor = ws === WS_UNKNOWN ? -1 : ws === WS_NONE ? -2 : 1 << ws;
    }
    seg.sackBase = fin ? fin.baseSeq[1 - dir] : rev.baseSeq;

    if (seg.hdrLen < 20) {
      // Bogus header length: Wireshark stops right after tcp.seq (no completeness update, no
      // options, no analysis subtree).
      res.bogusHeader = true;
    } else if (seg.headerOffset + seg.hdrLen > ctx.bytes.length) {
      // Options cut off by the capture: Wireshark's option dissection throws, so nothing after
      // it happens (no options stored, no analysis subtree, no Info prefix, no scaling check).
      this.afterHeader(ctx, seg, conn, dir, isNew, haveSegLen ? segLen : 0, false);
      res.optionsCut = true;
    } else {
      this.afterHeader(ctx, seg, conn, dir, isNew, haveSegLen ? segLen : 0, true);
      res.initialRtt = fin ? fin.firstRtt : conn.firstRtt;
      if (res.exists) {
        seg.analysisFlags = res.flags;
        if (res.flags !== 0 && ctx.wantsColumns) seg.infoPrefix = infoPrefix(res.flags, res.dupAckFrame, res.dupAckNum);
      }
      if (flags & TH_SYN) verifyWindowScaling(conn, dir, (flags & TH_ACK) !== 0);
    }

    if (!nested) this.updateFacts(ctx, seg, conn, dir, haveSegLen ? segLen : 0);
  }

  /** hooks.tcpFields: report the analysis at the 'ports' and 'options' positions. */
  onFields(ctx: DissectContext, seg: TcpSegmentInfo, where: 'ports' | 'options' | 'payload'): void {
    const res = this.res;
    if (res.seg !== seg || !res.conn) return;
    if (where === 'ports') emitStreamFields(ctx, res, seg.headerOffset);
    else if (where === 'options' && !res.bogusHeader) emitAnalysisTrees(ctx, res);
  }

  // ---------------------------------------------------------------- per-segment steps

  private newConnection(src: number, spw: number, dst: number, dpw: number): TcpConnection {
    const conn = new TcpConnection(this.streams.length, src, spw, dst, dpw, this.res.now);
    const fin = this.finals?.[conn.stream];
    if (fin) conn.completeness = fin.completeness;
    this.streams.push(conn);
    this.table.set(src, spw, dst, dpw, conn.stream);
    return conn;
  }

  /** A conversation replaced by a new one on the same 4-tuple is never looked up again. */
  private retire(conn: TcpConnection): void {
    conn.flows[0].unacked.release();
    conn.flows[1].unacked.release();
  }

  /** dissect_tcp after the header fields: completeness, SYN/FIN bookkeeping, iRTT, options. */
  private afterHeader(
    ctx: DissectContext, seg: TcpSegmentInfo, conn: TcpConnection, dir: 0 | 1,
    isNew: boolean, segLen: number, withOptions: boolean,
  ): void {
    const now = this.res.now;
    const flags = seg.flags;
    const fwd = conn.flows[dir];
    const rev = conn.flows[1 - dir];
    const res = this.res;

    // Conversation completeness (Wireshark 4.0: only a new conversation can record the SYN).
    let c = 0;
    if (isNew) {
      if ((flags & (TH_SYN | TH_ACK)) === TH_SYN) {
        c |= COMPLETE_SYN;
        if (segLen > 0) c |= COMPLETE_DATA; // TCP Fast Open
      }
    } else {
      c = conn.completeness;
      if ((flags & (TH_SYN | TH_ACK)) === (TH_SYN | TH_ACK)) c |= COMPLETE_SYNACK;
      if ((flags & (TH_SYN | TH_ACK)) === TH_ACK) c |= segLen > 0 ? COMPLETE_DATA : COMPLETE_ACK;
      if ((flags & (TH_FIN | TH_ACK)) === (TH_FIN | TH_ACK)) c |= COMPLETE_FIN;
      if (flags & TH_RST) c |= COMPLETE_RST;
    }
    conn.completeness = c;

    if (flags & TH_SYN) {
      if (flags & TH_ACK) conn.serverPort = seg.srcPort;
      else {
        conn.serverPort = seg.dstPort;
        conn.mruSynSet = !(ctx.frame.tsSec === 0 && ctx.frame.tsNsec === 0);
        conn.mruSyn = now;
      }
      fwd.isFirstAck = true;
    }
    if (flags & TH_FIN) {
      if (!rev.closingInitiator) {
        fwd.closingInitiator = true;
        res.finActive = true;
      } else res.finPassive = true;
    }
    if ((flags & (TH_SYN | TH_ACK)) === TH_ACK) {
      // iRTT: the first ACK after the most recent SYN ends the handshake.
      if (conn.mruSynSet && conn.firstRtt === 0) conn.firstRtt = now - conn.mruSyn;
      fwd.isFirstAck = false;
    }

    // Options, dissected after the analysis in Wireshark.
    if (!withOptions) return;
    if (seg.windowScale >= 0) fwd.winScale = seg.windowScale > 14 ? 14 : seg.windowScale;
    const sack = seg.sack;
    if (sack.length >= 2) {
      const base = rev.baseSeq;
      let n = 0;
      for (let i = 0; i + 1 < sack.length; i += 2) {
        n++;
        if (n < 4) {
          fwd.numSackRanges = n;
          const edges = fwd.sackEdges ??= new Uint32Array(8);
          edges[2 * n] = (sack[i] - base) >>> 0;
          edges[2 * n + 1] = (sack[i + 1] - base) >>> 0;
        }
      }
    }
  }

  /** Counters, handshake/teardown facts and RFC 793 states (not Wireshark's). */
  private updateFacts(
    ctx: DissectContext, seg: TcpSegmentInfo, conn: TcpConnection, dir: 0 | 1, segLen: number,
  ): void {
    const now = this.res.now;
    const flags = seg.flags;
    const fnum = ctx.frame.number;
    const f = conn.facts;
    const fwd = conn.flows[dir];
    const rev = conn.flows[1 - dir];
    if (f.firstFrame === 0) {
      f.firstFrame = fnum;
      f.firstTime = now;
      initialStates(conn, dir, flags);
      f.initialStates[0] = conn.flows[0].state;
      f.initialStates[1] = conn.flows[1].state;
    }
    f.lastFrame = fnum;
    f.lastTime = now;
    fwd.packets++;
    fwd.bytes += ctx.frame.origLen;
    fwd.payloadBytes += segLen;
    const aflags = seg.analysisFlags ?? 0;
    if (aflags) {
      const counts = f.flagCounts ??= new Uint32Array(TCP_FLAG_BITS);
      for (let i = 0; i < TCP_FLAG_BITS; i++) if (aflags & (1 << i)) counts[i]++;
    }

    const before0 = conn.flows[0].state;
    const before1 = conn.flows[1].state;
    advanceStates(conn, dir, flags, seg.ack);
    noteFinAcks(conn, dir, flags, seg.ack);

    if ((flags & TH_SYN) && fwd.synSeq < 0) {
      fwd.synSeq = seg.seq;
      fwd.synFrame = fnum;
      fwd.mss = seg.mss;
      fwd.wsOption = seg.windowScale;
      fwd.sackPermitted = seg.sackPermitted;
      fwd.timestamps = seg.hasTimestamps;
      if (!(flags & TH_ACK) && conn.clientBy !== 'syn') {
        conn.clientDir = dir;
        conn.clientBy = 'syn';
      }
    }
    if ((flags & (TH_SYN | TH_ACK)) === (TH_SYN | TH_ACK) && f.synAckFrame === 0) {
      f.synAckFrame = fnum;
      if (rev.synSeq >= 0) f.synAckAcksIsn = seg.ack === ((rev.synSeq + 1) >>> 0);
      if (conn.clientDir < 0) {
        conn.clientDir = 1 - dir;
        conn.clientBy = 'syn-ack';
      }
    } else if ((flags & (TH_SYN | TH_ACK | TH_RST)) === TH_ACK && f.synAckFrame !== 0 &&
               f.handshakeAckFrame === 0 && dir === conn.clientDir) {
      f.handshakeAckFrame = fnum;
      if (rev.synSeq >= 0) f.handshakeAckAcksIsn = seg.ack === ((rev.synSeq + 1) >>> 0);
    }
    if ((flags & TH_FIN) && fwd.finFrame === 0) {
      fwd.finFrame = fnum;
      fwd.finEnd = (seg.seq + segLen + 1 + (flags & TH_SYN ? 1 : 0)) >>> 0;
    }
    if ((flags & TH_RST) && fwd.rstFrame === 0) fwd.rstFrame = fnum;

    if (conn.flows[0].state !== before0 || conn.flows[1].state !== before1 || f.transitions.length === 0) {
      if (f.transitions.length < MAX_TRANSITIONS) {
        f.transitions.push({ frame: fnum, s0: conn.flows[0].state, s1: conn.flows[1].state });
      }
    }
    this.recordFrame(fnum, conn.stream);
  }

  private recordFrame(fnum: number, stream: number): void {
    if (fnum >= this.frameStreams.length) {
      const grown = new Int32Array(Math.max(1024, fnum * 2));
      grown.fill(-1);
      grown.set(this.frameStreams);
      this.frameStreams = grown;
    }
    this.frameStreams[fnum] = stream;
  }

  // ---------------------------------------------------------------- queries

  get streamCount(): number {
    return this.streams.length;
  }

  /** tcp.stream of a frame (-1 when it had no TCP header of its own). */
  streamOf(frame: number): number {
    return frame < this.frameStreams.length ? this.frameStreams[frame] : -1;
  }

  summary(stream: number): TcpStreamSummary | undefined {
    const conn = this.streams[stream];
    return conn ? summarizeStream(conn, this.book, this.clock.originSec) : undefined;
  }

  summaries(): TcpStreamSummary[] {
    return this.streams.map((c) => summarizeStream(c, this.book, this.clock.originSec));
  }

  /**
   * Both endpoints' RFC 793 states right after `frame` (which must belong to a TCP stream),
   * client and server as decided by the stream summary; undefined for non-TCP frames.
   */
  stateAfter(frame: number): TcpStateAfter | undefined {
    const stream = this.streamOf(frame);
    if (stream < 0) return undefined;
    const conn = this.streams[stream];
    const ts = conn.facts.transitions;
    let lo = 0;
    let hi = ts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (ts[mid].frame <= frame) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0) return undefined;
    const t = ts[found];
    const { dir } = clientDirection(conn);
    const client = dir === 0 ? t.s0 : t.s1;
    const server = dir === 0 ? t.s1 : t.s0;
    return { stream, client, server, clientLabel: STATE_LABELS[client], serverLabel: STATE_LABELS[server] };
  }

  /** The state changes of a stream: frame → client/server states after it. */
  transitions(stream: number): { frame: number; client: EndpointState; server: EndpointState }[] {
    const conn = this.streams[stream];
    if (!conn) return [];
    const { dir } = clientDirection(conn);
    return conn.facts.transitions.map((t) => ({
      frame: t.frame, client: dir === 0 ? t.s0 : t.s1, server: dir === 0 ? t.s1 : t.s0,
    }));
  }

  // ---------------------------------------------------------------- passes

  /** What a second pass needs, per stream. */
  collectFinals(): TcpStreamFinal[] {
    return this.streams.map((c) => ({
      completeness: c.completeness,
      firstRtt: c.firstRtt,
      baseSeq: [c.flows[0].baseSeq, c.flows[1].baseSeq],
      winScale: [c.flows[0].winScale, c.flows[1].winScale],
    }));
  }

  /** Forgets all state but keeps the first pass's final values for printing (tshark -2). */
  beginSecondPass(): void {
    this.finals = this.collectFinals();
    this.table = new PairIndex();
    this.streams = [];
    this.frameStreams = new Int32Array(0);
  }
}

/**
 * After a SYN or SYN-ACK (and its options): a side that sent no window-scale option means
 * scaling is off for both (RFC 7323 §2.2); a SYN-ACK with the option after a SYN without it
 * is ignored as well.
 */
function verifyWindowScaling(conn: TcpConnection, dir: 0 | 1, isSynAck: boolean): void {
  const fwd = conn.flows[dir];
  const rev = conn.flows[1 - dir];
  if (fwd.winScale === WS_UNKNOWN) {
    fwd.winScale = WS_NONE;
    rev.winScale = WS_NONE;
  } else if (isSynAck && rev.winScale === WS_NONE) {
    fwd.winScale = WS_NONE;
  }
}
