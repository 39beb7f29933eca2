/**
 * Growable typed-array columns and the string tables behind the packet index. The index keeps
 * one slot per packet in each column — no object per packet (§7) — and doubles a column's
 * capacity when it is full, so appending stays amortised O(1).
 */

type TypedArray =
  | Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array;

type TypedArrayCtor<T extends TypedArray> = new (length: number) => T;

/** A copy of `arr` with room for `capacity` elements (contents kept). */
export function growTo<T extends TypedArray>(arr: T, capacity: number): T {
  const out = new (arr.constructor as TypedArrayCtor<T>)(capacity);
  out.set(arr as never);
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
 * Per-packet strings that rarely repeat (the Info column) packed as UTF-8 into one growing
 * byte buffer: ~1 byte per character instead of a V8 string object per packet.
 */
export class StringArena {
  private bytes = new Uint8Array(1 << 16);
  private used = 0;
  /** starts[i] = byte offset of string i; starts[count] = end of the last one. */
  private starts = new Float64Array(1 << 10);
  private count = 0;
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder();

  get length(): number {
    return this.count;
  }

  push(s: string): void {
    const n = s.length;
    // Worst case 3 bytes per UTF-16 unit.
    if (this.used + n * 3 > this.bytes.length) {
      let cap = this.bytes.length * 2;
      while (this.used + n * 3 > cap) cap *= 2;
      this.bytes = growTo(this.bytes, cap);
    }
    if (this.count + 2 > this.starts.length) this.starts = growTo(this.starts, this.starts.length * 2);
    const b = this.bytes;
    let p = this.used;
    let ascii = true;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        ascii = false;
        break;
      }
      b[p++] = c;
    }
    if (!ascii) p = this.used + this.encoder.encodeInto(s, b.subarray(this.used)).written;
    this.starts[this.count] = this.used;
    this.count++;
    this.used = p;
    this.starts[this.count] = p;
  }

  get(i: number): string {
    if (i < 0 || i >= this.count) return '';
    const start = this.starts[i];
    const end = this.starts[i + 1];
    const b = this.bytes;
    if (end - start < 64) {
      let s = '';
      let ascii = true;
      for (let p = start; p < end; p++) {
        const c = b[p];
        if (c >= 0x80) {
          ascii = false;
          break;
        }
        s += String.fromCharCode(c);
      }
      if (ascii) return s;
    }
    return this.decoder.decode(b.subarray(start, end));
  }

  byteSize(): number {
    return this.bytes.byteLength + this.starts.byteLength;
  }
}
