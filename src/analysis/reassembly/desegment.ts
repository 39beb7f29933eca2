/**
 * Reassembly of application PDUs that span TCP segments, as Wireshark 4.0 does it by default
 * (packet-tcp.c desegment_tcp with tcp.desegment_tcp_streams on and
 * tcp.reassemble_out_of_order off), so that HTTP requests and responses and DNS-over-TCP
 * messages appear — fields, Protocol and Info — on the frame tshark shows them on:
 *
 * - The application dissector is handed a segment's payload with `ctx.canDesegment` set. If
 *   its PDU does not end in this segment it says so (ctx.desegmentOffset/Len, see
 *   DissectContext) and a multi-segment PDU ("MSP") is opened: its first sequence number and
 *   the sequence number where it will end (`nxtpdu`; one byte into the next segment when the
 *   length is not known yet).
 * - Later segments inside an open MSP are added to its fragment list without calling the
 *   dissector; their Info gets "[TCP segment of a reassembled PDU]" and their Protocol "TCP".
 * - The segment that completes it gets the whole PDU, dissected from a "Reassembled TCP" data
 *   source, and the list of segments (tcp.segment …). A dissector may ask for more again
 *   (HTTP headers still incomplete): the MSP grows and the PDU moves to a later frame.
 * - Segments the TCP analysis flags as retransmissions are not used ("Retransmitted TCP segment
 *   data"); a lost segment that is only ever seen as a retransmission leaves its PDU incomplete.
 *
 * A second pass (tshark -2) works on the MSPs of the first, like Wireshark's visited frames:
 * a segment that opened an MSP is not handed to the dissector again, and every segment of a
 * completed MSP points at the frame where it was reassembled (tcp.reassembled_in). Fragment
 * bytes are copied only while their PDU is open, and collected again in the second pass for the
 * frames that dissect a reassembled PDU. Isomorphic.
 *
 * Work is split over the TCP dissector's two hook points (see TcpSegmentInfo in context.ts):
 * `fields` runs inside the TCP tree and settles every segment that needs no application call
 * (so tcp.reassembled_in / tcp.segment_data sit in the TCP tree as in Wireshark); `payload`
 * runs after it and does the rest.
 */
import {
  DESEGMENT_ONE_MORE_SEGMENT, DESEGMENT_UNTIL_FIN, type DissectContext, type TcpSegmentInfo,
} from '../../decode/context.js';
import { bytesValue, GENERATED } from '../../decode/sink.js';
import { dissectData } from '../../decode/protocols/data.js';
import { dissectTcpPayload } from '../../decode/protocols/tcp.js';
import {
  TCP_A_KEEP_ALIVE, TCP_A_OUT_OF_ORDER, TCP_A_RETRANSMISSION, TCP_A_SPURIOUS_RETRANSMISSION,
} from '../tcp/flags.js';
import { AddResult, FragmentHead, type FrameBytes } from './fragments.js';
import { freshBuffers, PduBufferPool, type PduBuffers } from './buffer-pool.js';
import { FramerSelector } from './framers.js';
import { reassemblyFields as F, SEGMENT_OF_PDU } from './fields.js';
import { seqGt, seqLe, seqLt } from './seq.js';
import { TCP_RST } from './types.js';

/** Wireshark only opens an MSP for a PDU whose first part is at most this long. */
const MAX_FIRST_PART = 1024 * 1024;
/** nxtpdu offset for "until FIN" (Wireshark: 1 GiB, far but below 2^31). */
const UNTIL_FIN_SPAN = 0x40000000;
/** Bytes of open PDUs kept per capture before the oldest open PDUs lose their copies. */
const DEFAULT_MAX_HELD = 64 * 1024 * 1024;
/** With a FrameBytes source: bytes actually copied before the least recently grown PDUs spill. */
const DEFAULT_MAX_COPIED = 8 * 1024 * 1024;
/**
 * Largest canvas allocated up front from a PDU's announced length; a longer PDU's canvas grows
 * by doubling as its bytes arrive. Sizing a 10 MB response's canvas at once holds (and, once
 * the allocator reuses memory, touches) all of it for as long as the PDU is open, most of which
 * is never filled when it spills: many such downloads at once cost more than the doubling.
 */
const MAX_SIZE_HINT = 256 * 1024;

const MSP_REASSEMBLE_ENTIRE_SEGMENT = 1;
/** Ours: the PDU's end was given as a byte count (so it will most likely be complete then). */
const MSP_EXACT_LENGTH = 2;

/** A multi-segment PDU (struct tcp_multisegment_pdu). Sequence numbers are relative. */
export class Msp {
  flags = 0;
  readonly head: FragmentHead;
  lastFrame: number;
  constructor(
    public seq: number,
    public nxtpdu: number,
    readonly firstFrame: number,
    buffers: PduBuffers = freshBuffers,
    singlePass = false,
  ) {
    this.lastFrame = firstFrame;
    this.head = new FragmentHead(buffers, singlePass);
  }
}

/** One direction of one stream: its MSPs sorted by (unsigned) starting sequence number. */
class Flow {
  keys: number[] = [];
  msps: Msp[] = [];
  untilFin = false;

  exact(seq: number): Msp | undefined {
    const i = this.index(seq);
    return i < this.keys.length && this.keys[i] === seq ? this.msps[i] : undefined;
  }

  /** wmem_tree_lookup32_le: the MSP with the largest start ≤ seq (plain unsigned order). */
  atOrBefore(seq: number): Msp | undefined {
    const i = this.index(seq);
    if (i < this.keys.length && this.keys[i] === seq) return this.msps[i];
    return i > 0 ? this.msps[i - 1] : undefined;
  }

  /** wmem_tree_insert32: a new MSP replaces one with the same start. */
  insert(msp: Msp): void {
    const i = this.index(msp.seq);
    if (i < this.keys.length && this.keys[i] === msp.seq) this.msps[i] = msp;
    else {
      this.keys.splice(i, 0, msp.seq);
      this.msps.splice(i, 0, msp);
    }
  }

  private index(seq: number): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.keys[mid] < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Where a segment's processing stopped between the two hook points. */
interface Pending {
  seg: TcpSegmentInfo;
  flow: Flow;
  /** Absolute offset of the segment's payload in ctx.bytes, and its end. */
  base: number;
  end: number;
  /** Relative sequence numbers of the segment. */
  seq0: number;
  nxtseq: number;
  /** Iteration state (desegment_tcp's locals). */
  offset: number;
  seq: number;
  firstPdu: boolean;
  /** Resume point: an MSP fragment already added in `fields` whose PDU completed here. */
  resume: { msp: Msp; lastFragmentLen: number; anotherPduFollows: number } | null;
}

export interface DesegmentOptions {
  /** Bound on copied bytes of open PDUs (default 64 MiB). */
  maxHeldBytes?: number;
  /**
   * No second pass will follow (beginSecondPass is never called): a PDU that was reassembled
   * and dissected forgets its fragment list — one record per segment, the only part of an MSP
   * that grows with the PDU — so memory does not grow with the number of segments seen.
   */
  singlePass?: boolean;
  /**
   * Where a PDU's bytes can be read back from (the capture file). With it, open PDUs copy at
   * most `maxCopiedBytes`: beyond that the PDUs that went longest without a new segment —
   * mostly ones waiting for a lost segment that only comes back as a retransmission, which
   * desegmentation does not use — drop their copies and read them back if they complete.
   * Which PDUs complete and what they contain does not change (`maxHeldBytes` still counts the
   * spilled bytes).
   */
  frameBytes?: FrameBytes;
  /** Bound on bytes actually copied when `frameBytes` is given (default 8 MiB). */
  maxCopiedBytes?: number;
  /**
   * Where PDU buffers come from: by default a pool of its own in a single pass (see
   * buffer-pool.ts), fresh allocations otherwise; null: always fresh.
   */
  bufferPool?: PduBufferPool | null;
}

/** What the application said after one call (pinfo->desegment_offset/len, relative to its start). */
interface AppResult {
  called: boolean;
  desegOffset: number;
  desegLen: number;
}

export class TcpDesegmenter {
  private flows = new Map<number, StreamFlows>();
  private visited = false;
  private pending: Pending | null = null;
  private held = 0;
  private readonly maxHeld: number;
  private readonly singlePass: boolean;
  /** Open MSPs holding copies, oldest first (for the memory bound). */
  private holders = new Set<Msp>();
  /** Bytes actually copied (held minus spilled). */
  private copied = 0;
  private readonly maxCopied: number;
  private readonly frameBytes: FrameBytes | null;
  /** MSPs holding actual copies, least recently grown first (what spills first). */
  private copyHolders = new Set<Msp>();
  private readonly framers = new FramerSelector();
  /** PDU buffers: reused in a single pass (see buffer-pool.ts), else allocated. */
  private readonly buffers: PduBuffers;
  private readonly pool: PduBufferPool | null;
  /** Frame of the last segment seen: a new one lets the pool reuse what the last one retired. */
  private lastFrame = -1;

  constructor(opts: DesegmentOptions = {}) {
    this.maxHeld = opts.maxHeldBytes ?? DEFAULT_MAX_HELD;
    this.singlePass = opts.singlePass === true;
    // A single pass keeps no view of a PDU past its frame (no second pass refills, no detail
    // tree kept), so its buffers can be reused from the next frame on (settled in onFields).
    this.pool = opts.bufferPool !== undefined ? opts.bufferPool : this.singlePass ? new PduBufferPool() : null;
    this.buffers = this.pool ?? freshBuffers;
    this.frameBytes = opts.frameBytes ?? null;
    this.maxCopied = opts.maxCopiedBytes ?? DEFAULT_MAX_COPIED;
  }

  /** tshark -2: the following decoding revisits the same packets (the MSPs are kept). */
  beginSecondPass(): void {
    if (this.singlePass) throw new Error('TcpDesegmenter: created for a single pass');
    this.visited = true;
    this.pending = null;
  }

  /** MSPs of a stream direction (tests, diagnostics). */
  mspsOf(stream: number, node: 0 | 1): readonly Msp[] {
    return this.flows.get(stream)?.flows[node].msps ?? [];
  }

  // ---------------------------------------------------------------- hook: inside the TCP tree

  /** hooks.tcpFields(…, 'payload'): settles segments that need no application call. */
  onFields(ctx: DissectContext, seg: TcpSegmentInfo): void {
    this.pending = null;
    if (this.pool && ctx.frame.number !== this.lastFrame) {
      this.lastFrame = ctx.frame.number;
      this.pool.settle();
    }
    if (ctx.nested > 0 || seg.stream < 0 || seg.segmentLength <= 0 || seg.payloadLength <= 0) return;
    if (seg.flags & TCP_RST) return;
    const flow = this.flowOf(ctx, seg);
    const base = seg.payloadOffset;
    const p: Pending = {
      seg, flow, base, end: base + seg.payloadLength,
      seq0: seg.relSeq, nxtseq: (seg.relSeq + seg.segmentLength) >>> 0,
      offset: base, seq: seg.relSeq, firstPdu: true, resume: null,
    };
    this.pending = p;
    if (this.visited) this.refillFlow(flow, ctx.frame.number, p.seq0, ctx.bytes.subarray(base, p.end));
    if (this.earlyExit(ctx, p)) {
      p.offset = -1;
      return;
    }
    // An MSP continues in this segment: add it now; if that does not complete a PDU here and
    // nothing follows it, the segment is settled inside the TCP tree.
    const msp = p.flow.atOrBefore((p.seq - 1) >>> 0);
    if (msp && seqLe(msp.seq, p.seq) && seqGt(msp.nxtpdu, p.seq)) {
      const { lastFragmentLen, anotherPduFollows, complete } = this.addToMsp(ctx, p, msp);
      if (complete && msp.head.reassembledIn === ctx.frame.number) {
        p.resume = { msp, lastFragmentLen, anotherPduFollows };
        return;
      }
      this.afterIteration(ctx, p, complete ? msp.head : null, false, { called: false, desegOffset: 0, desegLen: 0 },
        anotherPduFollows, p.offset);
      if (anotherPduFollows) {
        this.nextPdu(ctx, p, anotherPduFollows);
        return;
      }
      p.offset = -1;
    }
  }

  // ---------------------------------------------------------------- hook: after the TCP tree

  /** hooks.tcpPayload: returns true when the payload was handled here. */
  onPayload(ctx: DissectContext, seg: TcpSegmentInfo): boolean {
    const p = this.pending;
    this.pending = null;
    if (!p || p.seg !== seg) return false;
    if (p.offset < 0) return true;
    this.run(ctx, p);
    return true;
  }

  // ---------------------------------------------------------------- desegment_tcp

  /**
   * The retransmission short-cuts at the top of desegment_tcp. True when the segment is
   * settled (fields added, Info updated).
   */
  private earlyExit(ctx: DissectContext, p: Pending): boolean {
    const frame = ctx.frame.number;
    const msp = p.flow.exact(p.seq);
    // (Wireshark 4.0 has no "last_frame != this frame" condition here: on a second pass the
    // segment that opened an MSP is settled here even when nothing else joined it.)
    if (msp && p.nxtseq <= msp.nxtpdu) {
      let retransmitted = true;
      if (msp.firstFrame === frame) {
        retransmitted = false;
        if (p.firstPdu) appendSegmentNote(ctx);
        if (msp.head.reassembledIn !== 0) ctx.sink.add(F.reassembledIn, 0, 0, msp.head.reassembledIn, GENERATED);
      }
      this.segmentData(ctx, p.offset, p.end - p.offset, retransmitted ? 'Retransmitted ' : '');
      return true;
    }
    const flags = p.seg.analysisFlags ?? 0;
    if (flags & TCP_A_SPURIOUS_RETRANSMISSION) return true;
    if (flags & TCP_A_RETRANSMISSION) {
      this.segmentData(ctx, p.offset, p.end - p.offset, 'Retransmitted ');
      return true;
    }
    return false;
  }

  /** Adds the current segment (from p.offset) to `msp`; the fragment part of desegment_tcp. */
  private addToMsp(ctx: DissectContext, p: Pending, msp: Msp): {
    lastFragmentLen: number; anotherPduFollows: number; complete: boolean;
  } {
    const frame = ctx.frame.number;
    if (!this.visited) msp.lastFrame = frame;
    const captured = p.end - p.offset;
    const len = msp.flags & MSP_REASSEMBLE_ENTIRE_SEGMENT
      ? captured
      : Math.min((p.nxtseq - p.seq) >>> 0, (msp.nxtpdu - p.seq) >>> 0);
    const pduOffset = (p.seq - msp.seq) >>> 0;
    let complete: boolean;
    if (this.visited) {
      complete = msp.head.lookup(frame, pduOffset) === AddResult.Complete;
    } else {
      const more = seqLt(p.nxtseq, msp.nxtpdu);
      const before = msp.head.heldBytes();
      const copiedBefore = msp.head.copiedBytes();
      complete = msp.head.add(frame, pduOffset, len, more,
        ctx.bytes.subarray(p.offset, Math.min(p.offset + len, p.end)), frameOffset(ctx, p.offset)) === AddResult.Complete;
      this.account(msp, msp.head.heldBytes() - before, msp.head.copiedBytes() - copiedBefore);
    }
    if (!this.visited && msp.flags & MSP_REASSEMBLE_ENTIRE_SEGMENT) {
      msp.flags &= ~MSP_REASSEMBLE_ENTIRE_SEGMENT;
      // The whole segment belongs to this PDU: no other PDU starts inside it.
      if (seqLt(msp.nxtpdu, p.nxtseq)) msp.nxtpdu = p.nxtseq;
    }
    let anotherPduFollows = 0;
    if (msp.nxtpdu < p.nxtseq && msp.nxtpdu >= p.seq && len > 0) anotherPduFollows = (msp.nxtpdu - p.seq) >>> 0;
    return { lastFragmentLen: len, anotherPduFollows, complete };
  }

  /** The body of desegment_tcp's `again:` loop, from wherever `p` stands. */
  private run(ctx: DissectContext, p: Pending): void {
    const frame = ctx.frame.number;
    for (;;) {
      let head: FragmentHead | null = null;
      let lastFragmentLen = 0;
      let anotherPduFollows = 0;
      let app: AppResult = { called: false, desegOffset: 0, desegLen: 0 };
      let mustDesegment = false;
      let desegAt = p.offset;
      let msp: Msp | undefined;

      if (p.resume) {
        ({ msp } = p.resume);
        ({ lastFragmentLen, anotherPduFollows } = p.resume);
        head = msp.head;
        p.resume = null;
      } else {
        if (this.earlyExit(ctx, p)) return;
        msp = p.flow.atOrBefore((p.seq - 1) >>> 0);
        if (msp && seqLe(msp.seq, p.seq) && seqGt(msp.nxtpdu, p.seq)) {
          const r = this.addToMsp(ctx, p, msp);
          lastFragmentLen = r.lastFragmentLen;
          anotherPduFollows = r.anotherPduFollows;
          head = r.complete ? msp.head : null;
        } else {
          msp = undefined;
          app = this.callApp(ctx, p, p.offset, p.end, null);
          if (app.desegLen) {
            mustDesegment = true;
            desegAt = p.offset + app.desegOffset;
          }
        }
      }

      if (head && msp && head.reassembledIn === frame) {
        app = this.dissectReassembled(ctx, p, msp);
        if (app.desegLen) {
          if (app.desegOffset === 0) head.setPartial();
          else if (seqLe((msp.seq + app.desegOffset) >>> 0, p.seq)) head.setPartial();
          else if (!this.visited) msp = this.splitMsp(p.flow, msp, app.desegOffset, frame);
          if (!this.visited) this.extendMsp(msp, p, lastFragmentLen, app.desegLen);
          anotherPduFollows = 0;
          p.offset += lastFragmentLen;
          p.seq = (p.seq + lastFragmentLen) >>> 0;
          if (p.end - p.offset > 0) continue;
        } else {
          const n = anotherPduFollows > 0 ? anotherPduFollows : p.end - p.offset;
          this.segmentData(ctx, p.offset, n, '');
          this.release(msp);
        }
      }

      if (mustDesegment) {
        const desegSeq = (p.seq + (desegAt - p.offset)) >>> 0;
        if (!this.visited) {
          if (app.desegLen === DESEGMENT_UNTIL_FIN) p.flow.untilFin = true;
          if (((p.nxtseq - desegSeq) >>> 0) <= MAX_FIRST_PART) {
            let created: Msp;
            if (app.desegLen === DESEGMENT_ONE_MORE_SEGMENT) {
              created = new Msp(desegSeq, (p.nxtseq + 1) >>> 0, frame, this.buffers, this.singlePass);
              created.flags |= MSP_REASSEMBLE_ENTIRE_SEGMENT;
            } else if (app.desegLen === DESEGMENT_UNTIL_FIN) {
              created = new Msp(desegSeq, (p.nxtseq + UNTIL_FIN_SPAN) >>> 0, frame, this.buffers, this.singlePass);
            } else {
              created = new Msp(desegSeq, (p.nxtseq + app.desegLen) >>> 0, frame, this.buffers, this.singlePass);
              created.flags |= MSP_EXACT_LENGTH;
              // The PDU's length is known: its canvas is allocated once (up to MAX_SIZE_HINT).
              created.head.sizeHint = Math.min(MAX_SIZE_HINT, (created.nxtpdu - desegSeq) >>> 0);
            }
            p.flow.insert(created);
            const len = (p.nxtseq - desegSeq) >>> 0;
            created.head.add(frame, 0, len, seqLt(p.nxtseq, created.nxtpdu),
              ctx.bytes.subarray(desegAt, Math.min(desegAt + len, p.end)), frameOffset(ctx, desegAt));
            this.account(created, created.head.heldBytes(), created.head.copiedBytes());
          }
        } else {
          const found = p.flow.exact(desegSeq);
          if (found) head = found.head;
        }
      }

      this.afterIteration(ctx, p, head, app.called, app, anotherPduFollows, desegAt);
      if (anotherPduFollows) {
        this.nextPdu(ctx, p, anotherPduFollows);
        continue;
      }
      return;
    }
  }

  /** The tail of one loop iteration: tcp.reassembled_in, "TCP", the Info note, segment data. */
  private afterIteration(
    ctx: DissectContext, p: Pending, head: FragmentHead | null, called: boolean, app: AppResult,
    anotherPduFollows: number, desegAt: number,
  ): void {
    if (called && app.desegLen === 0) return;
    const frame = ctx.frame.number;
    if (head && head.reassembledIn !== 0 && head.reassembledIn !== frame && !head.partial) {
      ctx.sink.add(F.reassembledIn, 0, 0, head.reassembledIn, GENERATED);
    }
    if (app.desegOffset === 0) {
      ctx.setProtocol('TCP');
      if (p.firstPdu) appendSegmentNote(ctx);
    }
    const n = anotherPduFollows ? anotherPduFollows : p.end - desegAt;
    this.segmentData(ctx, desegAt, n, '');
  }

  /** Moves to the PDU that starts `n` bytes into what is left of the segment. */
  private nextPdu(ctx: DissectContext, p: Pending, n: number): void {
    p.firstPdu = false;
    p.offset += n;
    p.seq = (p.seq + n) >>> 0;
    void ctx;
  }

  /** The MSP's new end after the dissector asked for more (first pass only). */
  private extendMsp(msp: Msp, p: Pending, lastFragmentLen: number, desegLen: number): void {
    msp.flags &= ~MSP_EXACT_LENGTH;
    if (desegLen === DESEGMENT_ONE_MORE_SEGMENT) {
      const reportedEnd = (p.seq + (p.seg.segmentLength - (p.offset - p.base))) >>> 0;
      msp.nxtpdu = ((seqGt(reportedEnd, msp.nxtpdu) ? reportedEnd : msp.nxtpdu) + 1) >>> 0;
      msp.flags |= MSP_REASSEMBLE_ENTIRE_SEGMENT;
    } else if (desegLen === DESEGMENT_UNTIL_FIN) {
      p.flow.untilFin = true;
      msp.nxtpdu = (msp.seq + UNTIL_FIN_SPAN) >>> 0;
    } else {
      msp.flags |= MSP_EXACT_LENGTH;
      if (((p.seq + lastFragmentLen) >>> 0) >= msp.nxtpdu) msp.nxtpdu = (p.seq + lastFragmentLen + desegLen) >>> 0;
      else msp.nxtpdu = (msp.nxtpdu + desegLen) >>> 0;
    }
  }

  /**
   * split_msp: the dissector used the first `at` bytes of the reassembled data and needs more
   * for a PDU starting there; the bytes from `at` become a new MSP.
   */
  private splitMsp(flow: Flow, msp: Msp, at: number, frame: number): Msp {
    const newSeq = (msp.seq + at) >>> 0;
    const created = new Msp(newSeq, msp.nxtpdu, frame, this.buffers, this.singlePass);
    for (const f of msp.head.fragments) {
      if (f.offset + f.len <= at) continue;
      const skip = Math.max(0, at - f.offset);
      const data = f.data ? f.data.subarray(skip) : new Uint8Array(0);
      created.head.add(f.frame, f.offset + skip - at, f.len - skip, true, data, f.at >= 0 ? f.at + skip : -1);
    }
    const copiedBefore = msp.head.copiedBytes();
    msp.head.truncate(at);
    this.copied += msp.head.copiedBytes() - copiedBefore + created.head.copiedBytes();
    if (created.head.copiedBytes() > 0) this.copyHolders.add(created);
    msp.nxtpdu = newSeq;
    flow.insert(created);
    return created;
  }

  // ---------------------------------------------------------------- application calls

  /**
   * process_tcp_payload → decode_tcp_ports: keep-alive payload is data; with Wireshark's
   * default tcp.no_subdissector_on_error, retransmitted and out-of-order segments are not
   * handed to the application; everything else goes by port/heuristic with canDesegment on.
   */
  private callApp(ctx: DissectContext, p: Pending, offset: number, end: number, sub: DissectContext | null): AppResult {
    const flags = p.seg.analysisFlags ?? 0;
    const target = sub ?? ctx;
    if (flags & TCP_A_KEEP_ALIVE) {
      dissectData(target, offset, end);
      return { called: true, desegOffset: 0, desegLen: 0 };
    }
    if (flags & (TCP_A_RETRANSMISSION | TCP_A_OUT_OF_ORDER)) return { called: true, desegOffset: 0, desegLen: 0 };
    const protocolsBefore = ctx.protocols.length;
    const protocolBefore = ctx.cols.protocol;
    const infoBefore = ctx.cols.info;
    const { srcPort, dstPort } = p.seg;
    const framer = this.framers.select(target, p.seg.stream, srcPort, dstPort, offset, end);
    if (framer) {
      // The dissector describes its framing: ask it first, dissect only complete PDUs.
      const scan = framer.scan(target, offset, end);
      if (scan.need) {
        if (scan.at > offset) dissectTcpPayload(target, srcPort, dstPort, offset, scan.at);
        const info = ctx.wantsColumns ? framer.partialInfo(target, scan.at, end) : null;
        if (info !== null) {
          if (scan.at > offset) ctx.setInfo(ctx.cols.info + info);
          else ctx.setInfo(info);
        }
        if (!p.firstPdu) ctx.setProtocol(protocolBefore);
        this.fenceInfo(ctx, p, infoBefore);
        return { called: true, desegOffset: scan.at - offset, desegLen: scan.need };
      }
    }
    target.canDesegment = true;
    target.desegmentOffset = 0;
    target.desegmentLen = 0;
    dissectTcpPayload(target, srcPort, dstPort, offset, end);
    const desegLen = target.desegmentLen;
    const desegOffset = desegLen ? Math.max(0, target.desegmentOffset - offset) : 0;
    target.canDesegment = false;
    target.desegmentLen = 0;
    if (desegLen && desegOffset === 0) {
      // The dissector kept nothing of this PDU: no layer either (Wireshark's frame.protocols).
      ctx.protocols.length = protocolsBefore;
    }
    if (!p.firstPdu) ctx.setProtocol(protocolBefore);
    this.fenceInfo(ctx, p, infoBefore);
    return { called: true, desegOffset, desegLen };
  }

  /**
   * Wireshark's column fences: the analysis prefix ("[TCP Retransmission] ") stays in front of
   * whatever the application writes, and after a first PDU the next one only appends.
   */
  private fenceInfo(ctx: DissectContext, p: Pending, before: string): void {
    if (!ctx.wantsColumns || ctx.cols.info === before) return;
    const fence = p.firstPdu ? p.seg.infoPrefix : before;
    if (fence && !ctx.cols.info.startsWith(fence)) ctx.setInfo(fence + ctx.cols.info);
  }

  /** Dissects a completed PDU from its "Reassembled TCP" data source. */
  private dissectReassembled(ctx: DissectContext, p: Pending, msp: Msp): AppResult {
    if (msp.head.isSpilled && this.frameBytes) {
      msp.head.restore(this.frameBytes);
      this.copied += msp.head.copiedBytes();
      if (msp.head.copiedBytes() > 0) this.copyHolders.add(msp);
    }
    const data = msp.head.assemble();
    if (!data) return { called: false, desegOffset: 0, desegLen: 0 };
    const name = `Reassembled TCP (${data.length} byte${data.length === 1 ? '' : 's'})`;
    // Wireshark shows the segment list right after the TCP tree; we can only put it there when
    // the dissector will not ask for more, which an exact byte count all but guarantees.
    const exact = (msp.flags & MSP_EXACT_LENGTH) !== 0;
    let result: AppResult = { called: false, desegOffset: 0, desegLen: 0 };
    ctx.withSource({ name, bytes: data }, (sub) => {
      if (exact) this.segmentTree(sub, msp.head, data);
      result = this.callApp(ctx, p, 0, data.length, sub);
      if (!exact && !(result.desegLen && result.desegOffset === 0)) this.segmentTree(sub, msp.head, data);
    });
    return result;
  }

  /** "[N Reassembled TCP Segments (X bytes): #4(1448), #5(100)]" and its items. */
  private segmentTree(ctx: DissectContext, head: FragmentHead, data: Uint8Array): void {
    const { sink } = ctx;
    const text = sink.wantsText;
    const frags = head.fragments;
    sink.open(F.segments, 0, data.length, null, 0,
      text ? `[${frags.length} Reassembled TCP Segments (${data.length} bytes): ${frags.map((f) => `#${f.frame}(${f.len})`).join(', ')}]` : undefined);
    for (const f of frags) {
      sink.add(F.segment, f.offset, f.len, f.frame, 0,
        text ? `[Frame: ${f.frame}, payload: ${f.offset}-${f.offset + f.len - 1} (${f.len} bytes)]` : undefined);
    }
    sink.add(F.segmentCount, 0, 0, frags.length, GENERATED);
    sink.add(F.reassembledLength, 0, 0, data.length, GENERATED);
    sink.add(F.reassembledData, 0, data.length, data, GENERATED);
    sink.close();
  }

  private segmentData(ctx: DissectContext, offset: number, n: number, prefix: string): void {
    const { sink } = ctx;
    const avail = Math.max(0, Math.min(n, ctx.bytes.length - offset));
    sink.add(F.segmentData, offset, avail, bytesValue(sink, F.segmentData, ctx.bytes, offset, offset + avail), 0,
      sink.wantsText ? `${prefix}TCP segment data (${n} byte${n === 1 ? '' : 's'})` : undefined);
  }

  // ---------------------------------------------------------------- bookkeeping

  private flowOf(ctx: DissectContext, seg: TcpSegmentInfo): Flow {
    let s = this.flows.get(seg.stream);
    const net = ctx.net;
    if (!s) {
      s = {
        port: seg.srcPort, v4: net.v4Src, v6: net.version === 6 && net.v6Src ? net.v6Src.slice() : null,
        flows: [new Flow(), new Flow()],
      };
      this.flows.set(seg.stream, s);
    }
    return s.flows[sameSender(s, ctx, seg.srcPort) ? 0 : 1];
  }

  /**
   * Second pass: copy this frame's bytes back into the fragments of the MSPs it contributed to
   * that are dissected at this frame or later. `data` starts at relative sequence `seq`.
   */
  private refillFlow(flow: Flow, frame: number, seq: number, data: Uint8Array): void {
    const end = (seq + data.length) >>> 0;
    let i = flow.keys.length;
    // MSPs starting at or before the segment's end, latest first; a few steps back suffice.
    while (i > 0 && seqGt(flow.keys[i - 1], end)) i--;
    for (let k = i - 1, steps = 0; k >= 0 && steps < 8; k--, steps++) {
      const msp = flow.msps[k];
      const head = msp.head;
      if (head.reassembledIn === 0 || head.reassembledIn < frame || frame > head.maxFrame) continue;
      head.refill(frame, (seq - msp.seq) | 0, data);
    }
  }

  private account(msp: Msp, added: number, copied: number): void {
    if (added <= 0) return;
    this.held += added;
    this.holders.add(msp);
    if (copied > 0) {
      this.copied += copied;
      // Least recently grown first: move it to the end.
      this.copyHolders.delete(msp);
      this.copyHolders.add(msp);
    }
    // Over the bound: the oldest open PDUs lose their copies (they will not be dissected).
    for (const oldest of this.holders) {
      if (this.held <= this.maxHeld || this.holders.size <= 1) break;
      this.held -= oldest.head.heldBytes();
      this.dropCopies(oldest);
      this.holders.delete(oldest);
    }
    if (this.frameBytes) this.spillCopies();
  }

  /**
   * Over the copy bound: the PDUs that went longest without a new segment spill (see
   * frameBytes); the one that just grew goes last, only when it alone is over the bound.
   */
  private spillCopies(): void {
    for (const idle of this.copyHolders) {
      if (this.copied <= this.maxCopied) break;
      const n = idle.head.copiedBytes();
      // A head that cannot spill (bytes not a frame's own) keeps its copies.
      if (idle.head.spill()) this.copied -= n;
      this.copyHolders.delete(idle);
    }
  }

  private dropCopies(msp: Msp): void {
    this.copied -= msp.head.copiedBytes();
    this.copyHolders.delete(msp);
    msp.head.release();
  }

  private release(msp: Msp): void {
    const n = msp.head.heldBytes();
    if (n !== 0) {
      this.held -= n;
      this.dropCopies(msp);
      this.holders.delete(msp);
    }
    if (this.singlePass && !msp.head.partial) msp.head.dropFragments();
  }
}

/** Offset of ctx.bytes[offset] in the captured frame, or -1 when ctx.bytes are another source. */
function frameOffset(ctx: DissectContext, offset: number): number {
  return ctx.source === null ? offset : -1;
}

function appendSegmentNote(ctx: DissectContext): void {
  if (ctx.wantsColumns) ctx.appendInfo(SEGMENT_OF_PDU);
}

/** Both directions of a stream, and who sent its first payload segment (direction 0). */
interface StreamFlows {
  port: number;
  v4: number;
  v6: Uint8Array | null;
  flows: [Flow, Flow];
}

/** Whether this segment comes from the stream's direction-0 sender (no allocation: hot path). */
function sameSender(s: StreamFlows, ctx: DissectContext, port: number): boolean {
  if (port !== s.port) return false;
  const net = ctx.net;
  if (s.v6) {
    const a = net.v6Src;
    if (!a || net.version !== 6) return false;
    for (let i = 0; i < 16; i++) if (a[i] !== s.v6[i]) return false;
    return true;
  }
  return net.version !== 6 && net.v4Src === s.v4;
}
