/**
 * Where reassembly gets the buffers that hold a PDU's bytes.
 *
 * Desegmenting a capture full of HTTP downloads allocates about twice the file's size in PDU
 * buffers over a load (one per response body, plus the copies of PDUs read back after a spill).
 * Allocated fresh, each is zero-filled, lives across many packets (so it is promoted and only
 * freed by a full collection) and leaves the allocator's high-water mark far above what is live
 * at any time. A single pass (the engine's index, the CLI) can reuse them instead: nothing it
 * does keeps a view of a PDU's bytes once the frame that dissected the PDU is done.
 *
 * Isomorphic.
 */

export interface PduBuffers {
  /** A buffer of at least `min` bytes. Its contents are unspecified: read only what you wrote. */
  take(min: number): Uint8Array;
  /** `buf` (from take) is no longer needed by its PDU; views of it handed out may still be read. */
  retire(buf: Uint8Array): void;
}

/** Plain allocation (no reuse): every buffer is new, exact size, and left to the collector. */
export const freshBuffers: PduBuffers = {
  take: (min) => new Uint8Array(min),
  retire: () => {},
};

/**
 * Frees a buffer's memory now rather than at the collection that finds it unreachable. A PDU
 * buffer lives across many packets, so its ArrayBuffer is promoted, and only a full collection
 * frees promoted ones: megabytes of retired canvases then wait for it (a third of the load's
 * peak of buffer memory). Transferring the memory to a new ArrayBuffer that nothing keeps
 * detaches the old one (its views read as empty from now on) and leaves the memory to the
 * young generation, which frees it at the next scavenge, tens of milliseconds later.
 */
function release(buf: Uint8Array): void {
  const ab = buf.buffer;
  if (buf.byteLength < RELEASE_MIN || ab.byteLength !== buf.byteLength || ab instanceof SharedArrayBuffer) return;
  structuredClone(ab, { transfer: [ab] });
}

/** Buffers smaller than this are left to the collector (the transfer costs more than they weigh). */
const RELEASE_MIN = 64 * 1024;

/** Smallest buffer the pool hands out (smaller requests share the class). */
const MIN_CLASS = 4096;

/**
 * Reuses retired buffers, in power-of-two size classes. A retired buffer becomes reusable only
 * at `settle()`, which the owner calls once views of it can no longer be read — the single pass
 * calls it when the next frame starts, so a PDU handed to the dissectors (and any field value
 * viewing it) stays intact for the rest of its own frame.
 */
export class PduBufferPool implements PduBuffers {
  private readonly free = new Map<number, Uint8Array[]>();
  private retired: Uint8Array[] = [];
  private pooledBytes = 0;
  /** Buffers handed out again (tests, diagnostics). */
  reused = 0;

  /** `maxPooledBytes`: idle buffers kept for reuse (what is over it goes to the collector). */
  constructor(private readonly maxPooledBytes = 8 * 1024 * 1024) {}

  take(min: number): Uint8Array {
    let size = MIN_CLASS;
    while (size < min) size *= 2;
    const list = this.free.get(size);
    const reused = list?.pop();
    if (reused) {
      this.pooledBytes -= size;
      this.reused++;
      return reused;
    }
    return new Uint8Array(size);
  }

  retire(buf: Uint8Array): void {
    this.retired.push(buf);
  }

  /** Retired buffers become reusable: no view of them will be read any more. */
  settle(): void {
    if (this.retired.length === 0) return;
    // A buffer retired twice must still be handed out once.
    for (const buf of new Set(this.retired)) {
      const size = buf.length;
      // Only whole class buffers (take's own) are kept; one over the bound is freed now.
      if (size < MIN_CLASS || (size & (size - 1)) !== 0) continue;
      if (this.pooledBytes + size > this.maxPooledBytes) {
        release(buf);
        continue;
      }
      let list = this.free.get(size);
      if (!list) this.free.set(size, (list = []));
      list.push(buf);
      this.pooledBytes += size;
    }
    this.retired = [];
  }

  /** Bytes in idle buffers (tests, diagnostics). */
  idleBytes(): number {
    return this.pooledBytes;
  }
}
