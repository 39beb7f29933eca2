/**
 * The fragment list of one multi-segment PDU, with the semantics of Wireshark's reassemble.c
 * (fragment_add / fragment_add_work / fragment_set_partial_reassembly) that TCP desegmentation
 * relies on: fragments are kept sorted by offset; the fragment sent with "no more fragments"
 * fixes the total length; the PDU is complete once the bytes from 0 to that length are
 * contiguous, and is then "reassembled in" the frame that completed it. A completed PDU can be
 * reopened for more data (partial reassembly), which moves its reassembled-in frame later.
 *
 * Memory: a fragment holds a copy of its bytes only until its PDU is dissected; a second pass
 * re-collects them (see `refill`). Each fragment is copied once to its own place (its offset)
 * in one buffer of the PDU, the canvas, and keeps a view of it, so a PDU of 1000 segments costs
 * no per-segment allocation, and a PDU whose fragments tile it is handed out as a view of the
 * canvas without a second copy. A fragment overlapping one already on the canvas (a
 * retransmission with other boundaries) gets a copy of its own instead, so bytes on the canvas
 * are never overwritten (a view handed out stays valid) and overlaps resolve exactly as
 * Wireshark's defragmentation does, first fragment in offset order wins.
 *
 * A PDU waiting for bytes that may never come (a segment lost before the capture point is
 * seen again only as a retransmission, which desegmentation does not use) can have its copies
 * "spilled": fragments whose bytes are the captured frame's own remember where they are in
 * their frame (`at`), drop the copy, and get it back from a FrameBytes source (the capture file)
 * if the PDU completes after all. Isomorphic.
 */

import { freshBuffers, type PduBuffers } from './buffer-pool.js';

/** Zero-length fragments' bytes (not a view of the caller's frame, which may be large). */
const NO_BYTES = new Uint8Array(0);

/** Where spilled fragment bytes come back from: the captured frames themselves. */
export interface FrameBytes {
  /**
   * Copies `len` bytes at offset `at` of frame `frame`'s captured data into `out` at `outAt`;
   * false when they cannot be read (then the PDU cannot be assembled).
   */
  read(frame: number, at: number, len: number, out: Uint8Array, outAt: number): boolean;
}

export interface Fragment {
  frame: number;
  offset: number;
  len: number;
  /** The bytes, while needed (null once the PDU was dissected, until a later pass refills). */
  data: Uint8Array | null;
  /** Offset of these bytes in frame `frame`'s captured data; -1 when they are not the frame's own. */
  at: number;
}

/** Result of adding a fragment (fragment_add returns the head or NULL). */
export const enum AddResult {
  /** Not complete (or the fragment could not be added). */
  Incomplete,
  /** The PDU is complete; see `reassembledIn`. */
  Complete,
}

export class FragmentHead {
  readonly fragments: Fragment[] = [];
  /** Total PDU length, once a "last" fragment was seen (FD_DATALEN_SET). */
  datalen = -1;
  defragmented = false;
  /** FD_PARTIAL_REASSEMBLY: the dissector wants more data after a completed reassembly. */
  partial = false;
  /** Frame in which the PDU was (last) completed; 0 while incomplete. */
  reassembledIn = 0;
  /** Highest frame that contributed a fragment (fd_head->frame). */
  maxFrame = 0;
  /** Bytes held in fragment copies, spilled ones included (the reassembly's memory bound). */
  private held = 0;
  /** Bytes of those actually copied now (spilled fragments are not). */
  private copied = 0;
  /** The copies were dropped (spill): fragments without data are read back from their frames. */
  private spilled = false;
  /** Capacity to give the canvas when it is first made (the PDU's length, if known). */
  sizeHint = 0;
  /** Bytes contiguous from offset 0 among the fragments (kept up to date on add). */
  private contig = 0;
  /** The canvas: fragments placed on it view their own offset (see `onCanvas`). */
  private buf: Uint8Array | null = null;
  /** Nothing more goes on the canvas (after release, spill or truncate; restore reopens one). */
  private frozen = false;
  /**
   * Some fragment lost its bytes for good (release): the PDU cannot be assembled in this pass,
   * so fragments added later keep no bytes either (a later pass refills them all by frame).
   */
  private lost = false;
  /** The last assembled copy (when the fragments did not tile the canvas), until release. */
  private assembled: Uint8Array | null = null;

  /**
   * `buffers`: where the canvas and copies come from (a pool in a single pass).
   * `singlePass`: no later pass will refill or look up fragments, so those of a lost PDU that
   * only its contiguous prefix still needs are forgotten (see `forgetCovered`).
   */
  constructor(
    private readonly buffers: PduBuffers = freshBuffers,
    private readonly singlePass = false,
  ) {}

  /**
   * fragment_add on a first visit. `data` (a view the caller no longer owns after return: it
   * is copied) holds `len` bytes, or fewer when the capture is cut (then nothing is added).
   */
  add(frame: number, offset: number, len: number, more: boolean, data: Uint8Array, at = -1): AddResult {
    // Already added by this frame at this offset (a second look at the same segment).
    if (frame <= this.maxFrame) {
      for (const f of this.fragments) {
        if (f.frame === frame && f.offset === offset) return this.defragmented ? AddResult.Complete : AddResult.Incomplete;
      }
    }
    if (data.length < len) return AddResult.Incomplete;

    if (this.defragmented) {
      if (offset + len > this.datalen) {
        // Going past a completed PDU is only allowed when more data was asked for.
        if (!this.partial) return AddResult.Incomplete;
        this.defragmented = false;
        this.partial = false;
        this.datalen = -1;
      } else {
        // Inside a completed PDU: a retransmission of bytes already reassembled.
        return AddResult.Complete;
      }
    }
    if (!more && this.datalen < 0) this.datalen = offset + len;

    let i = this.fragments.length;
    while (i > 0 && this.fragments[i - 1].offset > offset) i--;
    // A spilled PDU is most likely never completed: bytes that can be read back are not copied.
    const keep = !this.lost && (!this.spilled || at < 0);
    const frag: Fragment = { frame, offset, len, data: keep ? this.copyIn(i, offset, len, data) : null, at: len > 0 && !this.lost ? at : -1 };
    if (keep) this.copied += len;
    if (i === this.fragments.length) this.fragments.push(frag);
    else this.fragments.splice(i, 0, frag);
    if (!this.lost) this.held += len;
    if (frame > this.maxFrame) this.maxFrame = frame;
    // Extend the contiguous prefix from the new fragment on (fragments are sorted by offset).
    if (offset <= this.contig) {
      for (let k = i; k < this.fragments.length; k++) {
        const f = this.fragments[k];
        if (f.offset > this.contig) break;
        if (f.offset + f.len > this.contig) this.contig = f.offset + f.len;
      }
    }

    if (this.lost && this.singlePass && this.fragments.length >= 64) this.forgetCovered();
    if (this.datalen < 0) return AddResult.Incomplete;
    if (this.contig < this.datalen) return AddResult.Incomplete;
    this.defragmented = true;
    this.reassembledIn = frame;
    return AddResult.Complete;
  }

  /**
   * The fragment's own copy of `data`, for a fragment that goes at index `i` of the sorted
   * list: a view of its place on the canvas when that place is free, else a copy of its own.
   */
  private copyIn(i: number, offset: number, len: number, data: Uint8Array): Uint8Array {
    if (len === 0) return NO_BYTES;
    if (this.frozen || this.spilled || !this.placeIsFree(i, offset, len)) return data.slice(0, len);
    const need = offset + len;
    let buf = this.buf;
    if (!buf || buf.length < need) {
      // A known PDU length is allocated once; otherwise doubling keeps appends amortised O(1).
      const grown = this.buffers.take(Math.max(need, buf ? buf.length * 2 : Math.max(len * 2, this.sizeHint)));
      if (buf) {
        grown.set(buf);
        // Re-point the views (the old canvas stays intact for views already handed out).
        for (const f of this.fragments) {
          if (this.onCanvas(f)) f.data = grown.subarray(f.offset, f.offset + f.len);
        }
        this.buffers.retire(buf);
      }
      this.buf = buf = grown;
    }
    buf.set(data.subarray(0, len), offset);
    return buf.subarray(offset, need);
  }

  /** Whether the fragment's bytes are its own place on the canvas. */
  private onCanvas(f: Fragment): boolean {
    const d = f.data;
    const buf = this.buf;
    return d !== null && buf !== null && d.buffer === buf.buffer && d.byteOffset === buf.byteOffset + f.offset && d.length > 0;
  }

  /**
   * No fragment on the canvas overlaps [offset, offset + len), for a fragment going at index
   * `i`. Fragments on the canvas never overlap and are sorted, so the nearest one on either
   * side is the only one that can.
   */
  private placeIsFree(i: number, offset: number, len: number): boolean {
    if (!this.buf) return true;
    const frags = this.fragments;
    for (let k = i - 1; k >= 0; k--) {
      const f = frags[k];
      if (this.onCanvas(f)) {
        if (f.offset + f.len > offset) return false;
        break;
      }
    }
    for (let k = i; k < frags.length; k++) {
      const f = frags[k];
      if (this.onCanvas(f)) {
        if (f.offset < offset + len) return false;
        break;
      }
    }
    return true;
  }

  /** fragment_add on a later visit: only tells whether the PDU was completed. */
  lookup(frame: number, offset: number): AddResult {
    if (frame <= this.maxFrame) {
      for (const f of this.fragments) {
        if (f.frame === frame && f.offset === offset) return this.defragmented ? AddResult.Complete : AddResult.Incomplete;
      }
    }
    return AddResult.Incomplete;
  }

  /**
   * A lost PDU in a single pass is never assembled, listed or refilled: of its fragments only
   * those not yet inside the contiguous prefix still matter (completion). An abandoned
   * multi-megabyte download otherwise keeps a record per segment to the end of the capture.
   */
  private forgetCovered(): void {
    // Sorted by offset, and every fragment starting inside the prefix ends inside it: the
    // covered ones are a prefix of the list. Dropped in batches so each call stays O(1) amortised.
    const frags = this.fragments;
    let k = 0;
    while (k < frags.length && frags[k].offset + frags[k].len <= this.contig) k++;
    if (k >= 32 || k === frags.length) frags.splice(0, k);
  }

  /** Bytes available contiguously from offset 0 (full recomputation, after truncation). */
  private recomputeContiguous(): void {
    let max = 0;
    for (const f of this.fragments) if (f.offset <= max && f.offset + f.len > max) max = f.offset + f.len;
    this.contig = max;
  }

  /** fragment_set_partial_reassembly. */
  setPartial(): void {
    if (this.defragmented) this.partial = true;
  }

  /** Keeps only the bytes before `at` (split_msp's fragment_truncate). */
  truncate(at: number): void {
    for (let i = this.fragments.length - 1; i >= 0; i--) {
      const f = this.fragments[i];
      if (f.offset >= at) this.fragments.splice(i, 1);
      else if (f.offset + f.len > at) {
        f.len = at - f.offset;
        if (f.data) f.data = f.data.subarray(0, f.len);
      }
    }
    if (this.defragmented || this.datalen > at) this.datalen = at;
    // Placing more on the canvas could overwrite bytes beyond `at` that were handed out.
    this.frozen = true;
    this.held = 0;
    this.copied = 0;
    for (const f of this.fragments) {
      if (f.data) {
        this.held += f.data.length;
        this.copied += f.data.length;
      } else if (this.spilled && f.at >= 0) this.held += f.len;
    }
    this.lost = this.fragments.some((f) => f.len > 0 && !f.data && !(this.spilled && f.at >= 0));
    this.recomputeContiguous();
  }

  /** Copies a frame's bytes back into its fragments (later passes). `seqOffset` = offset of data[0] in the PDU. */
  refill(frame: number, pduOffset: number, data: Uint8Array): void {
    if (this.spilled) return;
    for (const f of this.fragments) {
      if (f.frame !== frame || f.data) continue;
      const from = f.offset - pduOffset;
      if (from >= 0 && from + f.len <= data.length) {
        f.data = data.slice(from, from + f.len);
        this.held += f.len;
        this.copied += f.len;
      }
    }
  }

  /** The reassembled bytes (first copy wins where fragments overlap); null if some are missing. */
  assemble(): Uint8Array | null {
    for (const f of this.fragments) if (!f.data) return null;
    const len = this.datalen >= 0 ? this.datalen : 0;
    const buf = this.buf;
    // Every fragment at its own place on the canvas, none overlapping: the canvas is the PDU.
    if (buf && buf.length >= len && this.contig >= len && this.fragments.every((f) => f.len === 0 || this.onCanvas(f))) {
      return buf.subarray(0, len);
    }
    if (this.assembled) this.buffers.retire(this.assembled);
    const whole = (this.assembled = this.buffers.take(len));
    const out = whole.length === len ? whole : whole.subarray(0, len);
    let pos = 0;
    for (const f of this.fragments) {
      const end = Math.min(f.offset + f.len, len);
      if (end <= pos) continue;
      const start = Math.max(f.offset, pos);
      if (start > pos) return null;
      out.set(f.data!.subarray(start - f.offset, end - f.offset), start);
      pos = end;
    }
    return pos >= len ? out : null;
  }

  /** Drops the copies for good (after the PDU was dissected, or given up by the memory bound). */
  release(): void {
    for (const f of this.fragments) {
      f.data = null;
      f.at = -1;
      if (f.len > 0) this.lost = true;
    }
    this.held = 0;
    this.copied = 0;
    this.spilled = false;
    this.dropBuffers();
  }

  /** The canvas and the assembled copy go back where they came from; nothing more is placed. */
  private dropBuffers(): void {
    if (this.buf) this.buffers.retire(this.buf);
    if (this.assembled) this.buffers.retire(this.assembled);
    this.buf = null;
    this.assembled = null;
    this.frozen = true;
  }

  /** Bytes of copies this head holds now (0 once spilled). */
  copiedBytes(): number {
    return this.copied;
  }

  /**
   * Drops the copies but keeps where each fragment's bytes are in its frame, so `restore` can
   * read them back. Refused (false) when some fragment's bytes are not a frame's own (a PDU
   * carried in a reassembled IP datagram).
   */
  spill(): boolean {
    for (const f of this.fragments) if (f.len > 0 && f.at < 0) return false;
    for (const f of this.fragments) f.data = null;
    this.spilled = true;
    this.copied = 0;
    this.dropBuffers();
    return true;
  }

  get isSpilled(): boolean {
    return this.spilled;
  }

  /**
   * Reads a spilled head's bytes back: each fragment gets its own bytes again, on a new canvas
   * that later fragments go on as well, exactly as they were before the spill. False when a
   * read failed (the head stays spilled and cannot be assembled).
   */
  restore(source: FrameBytes): boolean {
    if (!this.spilled) return true;
    let end = 0;
    for (const f of this.fragments) if (!f.data && f.offset + f.len > end) end = f.offset + f.len;
    // One canvas again, each fragment read back to its place (in offset order, so one
    // overlapping a fragment already placed is read into a copy of its own).
    const canvas = this.buffers.take(Math.max(end, this.sizeHint));
    const views: (Uint8Array | null)[] = new Array<Uint8Array | null>(this.fragments.length).fill(null);
    let placedEnd = 0;
    let total = 0;
    for (let k = 0; k < this.fragments.length; k++) {
      const f = this.fragments[k];
      if (f.data) continue;
      if (f.len === 0) {
        views[k] = NO_BYTES;
        continue;
      }
      const onCanvas = f.offset >= placedEnd;
      const into = onCanvas ? canvas : new Uint8Array(f.len);
      const at = onCanvas ? f.offset : 0;
      if (f.at < 0 || !source.read(f.frame, f.at, f.len, into, at)) {
        this.buffers.retire(canvas);
        return false;
      }
      views[k] = into.subarray(at, at + f.len);
      if (onCanvas) placedEnd = f.offset + f.len;
      total += f.len;
    }
    for (let k = 0; k < this.fragments.length; k++) {
      const v = views[k];
      if (v) this.fragments[k].data = v;
    }
    this.buf = canvas;
    this.frozen = false;
    this.copied += total;
    this.spilled = false;
    return true;
  }

  /**
   * Forgets the fragment list of a completed and dissected PDU when no later pass will look it
   * up again: what later segments still need (bounds, completion, reassembled-in) stays.
   */
  dropFragments(): void {
    this.release();
    this.fragments.length = 0;
    this.lost = false;
  }

  /** Bytes currently held. */
  heldBytes(): number {
    return this.held;
  }
}
