/**
 * Growable typed-array columns and the string tables behind the packet index. The index keeps
 * one slot per packet in each column — no object per packet (§7) — and grows a column's
 * capacity geometrically when it is full, so appending stays amortised O(1).
 */

type TypedArray =
  | Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array;

type TypedArrayCtor<T extends TypedArray> = new (length: number) => T;

/** A copy of `arr` with room for `capacity` elements (contents kept, cut when smaller). */
export function growTo<T extends TypedArray>(arr: T, capacity: number): T {
  const out = new (arr.constructor as TypedArrayCtor<T>)(capacity);
  out.set((arr.length > capacity ? arr.subarray(0, capacity) : arr) as never);
  return out;
}

/** Strings seen many times (addresses, protocol names, protocol chains) stored once. */
export class StringInterner {
  private readonly ids = new Map<string, number>();
  readonly strings: string[] = [];

  intern(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(s);
      this.ids.set(s, id);
    }
    return id;
  }

  get(id: number): string {
    return this.strings[id] ?? '';
  }

  find(s: string): number | undefined {
    return this.ids.get(s);
  }

  get size(): number {
    return this.strings.length;
  }

  /** Approximate heap bytes (for memory reports). */
  bytes(): number {
    let n = 0;
    for (const s of this.strings) n += s.length + 40;
    return n;
  }
}

/**
 * Per-packet strings that rarely repeat (the Info column), packed as UTF-8 in blocks of
 * BLOCK strings. A full block is sealed: compressed (Brotli, see PacketIndex) — Info lines of one
 * capture are very alike (same ports, "Seq=… Ack=… Win=… Len=…", TSval/TSecr), so a block
 * shrinks 5–10× — and inflated again when rows of it are asked for (one block ≈ 0.2 ms; the
 * last two are cached, and a window of rows spans at most two). The open block stays raw.
 */
const BLOCK = 2048;

export class StringArena {
  /** Sealed blocks: compressed bytes, and each string's [start, end) in the inflated block. */
  private readonly sealed: { data: Uint8Array; offsets: Uint32Array }[] = [];
  /** A Buffer for its UTF-8 writer: nearly every TCP Info line has a non-ASCII "→". */
  private open = Buffer.allocUnsafe(1 << 16);
  private openUsed = 0;
  private openOffsets = new Uint32Array(BLOCK + 1);
  private openCount = 0;
  private readonly decoder = new TextDecoder();
  private cache: { block: number; bytes: Uint8Array }[] = [];
  private sealedBytes = 0;

  constructor(
    private readonly compress: (raw: Uint8Array) => Uint8Array = (raw) => raw.slice(),
    private readonly inflate: (packed: Uint8Array) => Uint8Array = (packed) => packed,
  ) {}

  get length(): number {
    return this.sealed.length * BLOCK + this.openCount;
  }

  push(s: string): void {
    const n = s.length;
    // Worst case 3 bytes per UTF-16 unit.
    if (this.openUsed + n * 3 > this.open.length) {
      let cap = this.open.length * 2;
      while (this.openUsed + n * 3 > cap) cap *= 2;
      const grown = Buffer.allocUnsafe(cap);
      grown.set(this.open.subarray(0, this.openUsed));
      this.open = grown;
    }
    const p = this.openUsed + this.open.write(s, this.openUsed, 'utf8');
    this.openOffsets[this.openCount] = this.openUsed;
    this.openCount++;
    this.openUsed = p;
    this.openOffsets[this.openCount] = p;
    if (this.openCount === BLOCK) this.seal();
  }

  private seal(): void {
    // A plain Uint8Array view: Buffer's slice() would be a view too, not the copy it is here.
    const data = this.compress(new Uint8Array(this.open.buffer, this.open.byteOffset, this.openUsed));
    this.sealed.push({ data, offsets: this.openOffsets.slice(0, this.openCount + 1) });
    this.sealedBytes += data.byteLength + (this.openCount + 1) * 4;
    this.openUsed = 0;
    this.openCount = 0;
    // A block's worth of raw text is what the next one needs too: keep the buffer.
  }

  private blockBytes(block: number): Uint8Array {
    const hit = this.cache.find((c) => c.block === block);
    if (hit) return hit.bytes;
    const bytes = this.inflate(this.sealed[block].data);
    this.cache.unshift({ block, bytes });
    if (this.cache.length > 2) this.cache.pop();
    return bytes;
  }

  get(i: number): string {
    if (i < 0 || i >= this.length) return '';
    const block = Math.floor(i / BLOCK);
    const k = i - block * BLOCK;
    let bytes: Uint8Array;
    let start: number;
    let end: number;
    if (block === this.sealed.length) {
      bytes = this.open;
      start = this.openOffsets[k];
      end = this.openOffsets[k + 1];
    } else {
      bytes = this.blockBytes(block);
      const offsets = this.sealed[block].offsets;
      start = offsets[k];
      end = offsets[k + 1];
    }
    if (end - start < 96) {
      let s = '';
      let ascii = true;
      for (let p = start; p < end; p++) {
        const c = bytes[p];
        if (c >= 0x80) {
          ascii = false;
          break;
        }
        s += String.fromCharCode(c);
      }
      if (ascii) return s;
    }
    return this.decoder.decode(bytes.subarray(start, end));
  }

  byteSize(): number {
    return this.sealedBytes + this.open.byteLength + this.openOffsets.byteLength;
  }
}
