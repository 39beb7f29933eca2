/**
 * Orders one TCP stream's bytes the way Wireshark's Follow TCP Stream does (packet-tcp.c,
 * follow_tcp_tap_listener / check_follow_fragments in 4.0), so `wirescope follow` prints what
 * `tshark -z follow,tcp,…` prints:
 *
 * - each direction has a "next expected sequence number", set by its first segment (a SYN
 *   counts one, so data starts at ISN + 1);
 * - a segment starting there is delivered at once, then buffered segments that now fit;
 * - a segment starting before it is a retransmission: only its bytes past the expected
 *   number are new (the first copy wins; we compare the overlap and report differences);
 * - a segment starting after it waits in a buffer (out of order);
 * - when the peer acknowledges past the lowest buffered segment, the bytes in between were
 *   seen by the receiver but not by the capture: a gap is delivered, then the buffer drains.
 *
 * SYN, FIN and RST are reported as markers at their place in the byte stream. Works
 * incrementally (`push`) and over a list (`reassembleStream`). Isomorphic.
 */
import { DeliveredHistory } from './history.js';
import { seqAdd, seqDistance, seqGt, seqLt } from './seq.js';
import {
  TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN,
  type DataChunk, type GapChunk, type MarkerChunk, type Node, type RetransmissionConflict,
  type StreamItem, type StreamSegment,
} from './types.js';

/** Receives the reassembler's output in delivery order. */
export interface ReassemblySink {
  data(chunk: DataChunk): void;
  gap(chunk: GapChunk): void;
  marker(chunk: MarkerChunk): void;
  conflict(conflict: RetransmissionConflict): void;
}

export interface ReassemblerOptions {
  /**
   * Delivered bytes per direction kept for comparing retransmissions with their first copy.
   * Default: all of them (a follow view holds the whole stream anyway).
   */
  historyBytes?: number;
  /**
   * Out-of-order bytes buffered per direction before the oldest buffered segment is given up
   * (bounded memory on hostile or very lossy captures). Default: unlimited, like tshark.
   */
  maxBufferedBytes?: number;
}

interface Fragment {
  frame: number;
  tsSec: number;
  tsNsec: number;
  seq: number;
  bytes: Uint8Array;
}

class Direction {
  /** Next expected raw sequence number; valid once `started`. */
  next = 0;
  started = false;
  /** Bytes delivered so far (data and gap placeholders), as tshark's bytes_written. */
  delivered = 0;
  /** Out-of-order segments in arrival order (tshark scans them in that order). */
  fragments: Fragment[] = [];
  bufferedBytes = 0;
  readonly history: DeliveredHistory;
  constructor(historyBytes: number) {
    this.history = new DeliveredHistory(historyBytes);
  }
}

export class StreamReassembler {
  /** Sender identities of node 0 and node 1 (node 1 is unknown until it sends). */
  readonly nodes: [string | null, string | null] = [null, null];
  private readonly dirs: [Direction, Direction];
  private readonly maxBuffered: number;

  constructor(
    private readonly sink: ReassemblySink,
    opts: ReassemblerOptions = {},
  ) {
    const h = opts.historyBytes ?? Number.POSITIVE_INFINITY;
    this.dirs = [new Direction(h), new Direction(h)];
    this.maxBuffered = opts.maxBufferedBytes ?? Number.POSITIVE_INFINITY;
  }

  /** Node of a sender identity (assigning node 0 to the first sender ever seen). */
  nodeOf(src: string, dst?: string): Node {
    if (this.nodes[0] === null) {
      this.nodes[0] = src;
      if (dst !== undefined && dst !== src) this.nodes[1] = dst;
    }
    if (src === this.nodes[0]) return 0;
    if (this.nodes[1] === null) this.nodes[1] = src;
    return 1;
  }

  /** Out-of-order segments still waiting for a gap to fill, per node. */
  pending(node: Node): readonly Fragment[] {
    return this.dirs[node].fragments;
  }

  push(seg: StreamSegment): void {
    const node = this.nodeOf(seg.src, seg.dst);
    const dir = this.dirs[node];
    const other = this.dirs[node === 0 ? 1 : 0];

    // An ACK covering buffered bytes of the other direction proves the receiver got what the
    // capture missed (Wireshark bug 592): deliver a gap and drain that buffer.
    if (other.fragments.length && (seg.flags & TCP_ACK)) {
      while (this.drain(node === 0 ? 1 : 0, seg.ack, seg, true));
    }

    let seq = seg.seq;
    if (seg.flags & TCP_SYN) {
      this.marker('syn', node, seg, seg.seq, dir.delivered);
      seq = seqAdd(seq, 1);
    }
    if (!dir.started) {
      dir.started = true;
      dir.next = seq;
    }

    let length = seg.segLen;
    let bytes = seg.payload;
    if (seqLt(seq, dir.next)) {
      const nextSeq = seqAdd(seq, length);
      const overlap = seqDistance(seq, dir.next);
      this.compareRetransmission(node, seg.frame, seq, bytes.subarray(0, Math.min(overlap, bytes.length)));
      if (seqGt(nextSeq, dir.next)) {
        // A retransmission carrying more than was seen: only its tail is new.
        bytes = overlap >= bytes.length ? bytes.subarray(0, 0) : bytes.subarray(overlap);
        seq = dir.next;
        length = seqDistance(dir.next, nextSeq);
      }
    }

    if (bytes.length > 0 && !seqLt(seq, dir.next)) {
      if (seq === dir.next) {
        dir.next = seqAdd(dir.next, length);
        this.deliver(node, { frame: seg.frame, tsSec: seg.tsSec, tsNsec: seg.tsNsec, seq, bytes });
        while (this.drain(node, 0, seg, false));
      } else {
        this.buffer(dir, { frame: seg.frame, tsSec: seg.tsSec, tsNsec: seg.tsNsec, seq, bytes });
      }
    }

    if (seg.flags & (TCP_FIN | TCP_RST)) {
      const at = seqAdd(seg.seq + ((seg.flags & TCP_SYN) ? 1 : 0), seg.segLen);
      this.marker(seg.flags & TCP_RST ? 'rst' : 'fin', node, seg, at, dir.delivered);
    }
  }

  private buffer(dir: Direction, f: Fragment): void {
    dir.fragments.push(f);
    dir.bufferedBytes += f.bytes.length;
    while (dir.bufferedBytes > this.maxBuffered && dir.fragments.length > 1) {
      const dropped = dir.fragments.shift()!;
      dir.bufferedBytes -= dropped.bytes.length;
    }
  }

  private deliver(node: Node, f: Fragment): void {
    const dir = this.dirs[node];
    dir.delivered += f.bytes.length;
    dir.history.add(f.seq, f.bytes, f.frame);
    this.sink.data({ kind: 'data', node, frame: f.frame, tsSec: f.tsSec, tsNsec: f.tsNsec, seq: f.seq, bytes: f.bytes });
  }

  private marker(kind: MarkerChunk['kind'], node: Node, seg: StreamSegment, seq: number, offset: number): void {
    this.sink.marker({ kind, node, frame: seg.frame, tsSec: seg.tsSec, tsNsec: seg.tsNsec, seq, offset });
  }

  private compareRetransmission(node: Node, frame: number, seq: number, bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    const c = this.dirs[node].history.compare(seq, bytes);
    if (c.differing > 0) {
      this.sink.conflict({ node, frame, seq: c.seq, length: c.compared, differing: c.differing, firstFrame: c.firstFrame });
    }
  }

  /**
   * One step of tshark's check_follow_fragments: delivers (the new part of) the first
   * buffered segment that now fits, or — when `useAck` and `ack` passes the lowest buffered
   * segment — a gap up to it. Returns false when nothing could be done.
   */
  private drain(node: Node, ack: number, by: StreamSegment, useAck: boolean): boolean {
    const dir = this.dirs[node];
    const frags = dir.fragments;
    if (frags.length === 0) return false;
    let lowest = frags[0].seq;
    for (let i = 0; i < frags.length; i++) {
      const f = frags[i];
      if (seqGt(lowest, f.seq)) lowest = f.seq;
      if (seqLt(f.seq, dir.next)) {
        const end = seqAdd(f.seq, f.bytes.length);
        const overlap = seqDistance(f.seq, dir.next);
        this.compareRetransmission(node, f.frame, f.seq, f.bytes.subarray(0, Math.min(overlap, f.bytes.length)));
        if (seqGt(end, dir.next)) {
          const tail = f.bytes.subarray(overlap);
          dir.next = seqAdd(dir.next, tail.length);
          this.deliver(node, { ...f, seq: seqAdd(f.seq, overlap), bytes: tail });
        }
        this.removeFragment(dir, i);
        return true;
      }
      if (f.seq === dir.next) {
        dir.next = seqAdd(dir.next, f.bytes.length);
        this.deliver(node, f);
        this.removeFragment(dir, i);
        return true;
      }
    }
    if (useAck && seqGt(ack, lowest)) {
      const missing = seqDistance(dir.next, lowest);
      this.sink.gap({ kind: 'gap', node, frame: by.frame, tsSec: by.tsSec, tsNsec: by.tsNsec, seq: dir.next, missing });
      dir.delivered += gapPlaceholderLength(missing);
      dir.next = lowest;
      return true;
    }
    return false;
  }

  private removeFragment(dir: Direction, i: number): void {
    dir.bufferedBytes -= dir.fragments[i].bytes.length;
    dir.fragments.splice(i, 1);
  }
}

/**
 * tshark writes a gap as the text "[N bytes missing in capture file]" plus its terminating
 * NUL into the stream; hex offsets after a gap count those bytes, so we do too.
 */
export function gapPlaceholderText(missing: number): string {
  return `[${missing} bytes missing in capture file]`;
}

export function gapPlaceholderLength(missing: number): number {
  return gapPlaceholderText(missing).length + 1;
}

/** Collects everything a reassembler delivers, in order. */
export class CollectingSink implements ReassemblySink {
  readonly items: StreamItem[] = [];
  readonly conflicts: RetransmissionConflict[] = [];
  data(c: DataChunk): void { this.items.push(c); }
  gap(c: GapChunk): void { this.items.push(c); }
  marker(c: MarkerChunk): void { this.items.push(c); }
  conflict(c: RetransmissionConflict): void { this.conflicts.push(c); }
}

export interface ReassembledStream {
  /** Sender identity of node 0 and node 1 (null when that side never sent). */
  nodes: [string | null, string | null];
  items: StreamItem[];
  conflicts: RetransmissionConflict[];
  /**
   * Segments still buffered at the end (never preceded by their missing bytes nor
   * acknowledged past): tshark's follow drops them; a view may show them after a gap.
   */
  pending: { node: Node; frame: number; seq: number; bytes: Uint8Array }[];
}

/** Reassembles a whole stream from its segments (in capture order). */
export function reassembleStream(segments: Iterable<StreamSegment>, opts: ReassemblerOptions = {}): ReassembledStream {
  const sink = new CollectingSink();
  const r = new StreamReassembler(sink, opts);
  for (const s of segments) r.push(s);
  const pending: ReassembledStream['pending'] = [];
  for (const node of [0, 1] as const) {
    for (const f of r.pending(node)) pending.push({ node, frame: f.frame, seq: f.seq, bytes: f.bytes });
  }
  return { nodes: [r.nodes[0], r.nodes[1]], items: sink.items, conflicts: sink.conflicts, pending };
}
