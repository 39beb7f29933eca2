/**
 * IP fragment reassembly for IPv4 and IPv6 (Wireshark's fragment_add_check): fragments are
 * collected per datagram key (addresses, identification, protocol) until the last fragment has
 * fixed the total length and every byte up to it is present; the frame that completes the set
 * shows the reassembled datagram. State lives in the DecodeSession, with bounded memory: at most
 * MAX_PENDING datagrams and MAX_PENDING_BYTES buffered bytes in progress (the oldest datagram is
 * dropped first — its fragments then simply stay fragments), and a bounded cache of completed
 * datagrams so a packet decoded again later (detail view, second pass) shows the same result and
 * earlier fragments can name the frame they were reassembled in. Isomorphic.
 */
import type { DissectContext } from '../context.js';

/** One fragment's contribution: where its payload sits in the datagram. */
export interface FragmentPiece {
  frame: number;
  /** Byte offset of this fragment's payload within the datagram. */
  offset: number;
  length: number;
  /** Overlapped another fragment (identical bytes), or conflicted with it (different bytes). */
  overlap: boolean;
  conflict: boolean;
  /** Reached past the end the last fragment set. */
  tooLong: boolean;
}

export interface ReassembledDatagram {
  /** The datagram's payload, fragments laid end to end (a fresh buffer owned by the table). */
  data: Uint8Array;
  /** In datagram order (by offset, then frame). */
  pieces: FragmentPiece[];
  /** Frame whose fragment completed the datagram (Wireshark's reassembled_in). */
  reassembledIn: number;
  /** Several "last" fragments with different ends were seen. */
  multipleTails: boolean;
}

interface Pending {
  pieces: { frame: number; offset: number; data: Uint8Array }[];
  /** Total payload length once the last fragment arrived, else -1. */
  total: number;
  multipleTails: boolean;
  bytes: number;
}

/** Limits. A datagram can be at most 64 KiB (IPv4 total length, IPv6 payload length). */
const MAX_PENDING = 1024;
const MAX_PENDING_BYTES = 32 * 1024 * 1024;
const MAX_DATAGRAM = 65535;
const MAX_COMPLETED = 4096;
const MAX_COMPLETED_BYTES = 32 * 1024 * 1024;

export class FragmentTable {
  private readonly pending = new Map<string, Pending>();
  private pendingBytes = 0;
  /** Completed datagrams by "completing frame|datagram key". */
  private readonly completed = new Map<string, ReassembledDatagram>();
  /** Frame number of every fragment of a completed datagram → the completing frame. */
  private readonly reassembledIn = new Map<number, number>();
  private completedBytes = 0;
  /** Highest frame number seen: a lower or equal one is a revisit (second pass, detail view). */
  maxFrame = 0;

  /** Whether this frame was already seen by this table (so its result is cached, not re-added). */
  isRevisit(frame: number): boolean {
    return frame <= this.maxFrame;
  }

  /** For a revisited frame: the datagram with this key it completed, if any. */
  completedAt(frame: number, key: string): ReassembledDatagram | undefined {
    return this.completed.get(`${frame}|${key}`);
  }

  /** For a revisited fragment: the frame its datagram was reassembled in (0 = unknown). */
  reassembledInFor(frame: number): number {
    return this.reassembledIn.get(frame) ?? 0;
  }

  /**
   * Adds a fragment (its payload bytes are copied: the frame buffer is not ours to keep).
   * Returns the reassembled datagram when this fragment completes one, else null.
   */
  add(key: string, frame: number, offset: number, payload: Uint8Array, more: boolean): ReassembledDatagram | null {
    if (frame > this.maxFrame) this.maxFrame = frame;
    let p = this.pending.get(key);
    if (!p) {
      p = { pieces: [], total: -1, multipleTails: false, bytes: 0 };
      this.pending.set(key, p);
    }
    const data = payload.slice(0, Math.max(0, Math.min(payload.length, MAX_DATAGRAM - offset)));
    p.pieces.push({ frame, offset, data });
    p.bytes += data.length;
    this.pendingBytes += data.length;
    if (!more) {
      const end = offset + payload.length;
      if (p.total >= 0 && p.total !== end) p.multipleTails = true;
      // Wireshark keeps the first tail's length when several disagree.
      if (p.total < 0) p.total = end;
    }
    const done = p.total >= 0 ? this.tryComplete(p, frame) : null;
    if (done) {
      this.drop(key, p);
      this.remember(key, done);
      return done;
    }
    this.evict(key);
    return null;
  }

  private tryComplete(p: Pending, frame: number): ReassembledDatagram | null {
    const total = Math.min(p.total, MAX_DATAGRAM);
    const order = p.pieces.slice().sort((a, b) => a.offset - b.offset || a.frame - b.frame);
    let covered = 0;
    for (const f of order) {
      if (f.offset > covered) return null; // a hole
      covered = Math.max(covered, f.offset + f.data.length);
      if (covered >= total) break;
    }
    if (covered < total) return null;
    const data = new Uint8Array(total);
    const written = new Uint8Array(total);
    const pieces: FragmentPiece[] = [];
    for (const f of order) {
      let overlap = false;
      let conflict = false;
      const stop = Math.min(f.offset + f.data.length, total);
      for (let i = f.offset; i < stop; i++) {
        const b = f.data[i - f.offset];
        if (written[i]) {
          overlap = true;
          if (data[i] !== b) conflict = true;
        } else {
          data[i] = b;
          written[i] = 1;
        }
      }
      pieces.push({
        frame: f.frame, offset: f.offset, length: f.data.length, overlap, conflict,
        tooLong: f.offset + f.data.length > total,
      });
    }
    return { data, pieces, reassembledIn: frame, multipleTails: p.multipleTails };
  }

  private drop(key: string, p: Pending): void {
    this.pending.delete(key);
    this.pendingBytes -= p.bytes;
  }

  /** Drops the oldest datagrams in progress while over the limits (never the current one). */
  private evict(current: string): void {
    for (const [key, p] of this.pending) {
      if (this.pending.size <= MAX_PENDING && this.pendingBytes <= MAX_PENDING_BYTES) return;
      if (key === current) continue;
      this.drop(key, p);
    }
  }

  private remember(key: string, done: ReassembledDatagram): void {
    const id = `${done.reassembledIn}|${key}`;
    const previous = this.completed.get(id);
    if (previous) this.completedBytes -= previous.data.length;
    this.completed.set(id, done);
    this.completedBytes += done.data.length;
    for (const piece of done.pieces) this.reassembledIn.set(piece.frame, done.reassembledIn);
    while (this.completed.size > MAX_COMPLETED || this.completedBytes > MAX_COMPLETED_BYTES) {
      const [oldest, d] = this.completed.entries().next().value as [string, ReassembledDatagram];
      this.completed.delete(oldest);
      this.completedBytes -= d.data.length;
      for (const piece of d.pieces) {
        if (this.reassembledIn.get(piece.frame) === d.reassembledIn) this.reassembledIn.delete(piece.frame);
      }
    }
  }
}

/** The session's table for one IP version. */
export function fragmentTable(ctx: DissectContext, name: 'ip' | 'ipv6'): FragmentTable {
  return ctx.session.fileState(`${name}.fragments`, () => new FragmentTable());
}
