/**
 * Runtime value sources: each operand of a compiled filter becomes a Source that loads the
 * packet's values for it into `vals[0..n)`. Field sources hand out the collector's own arrays
 * (no copy); slices, functions and arithmetic fill a scratch array owned by the source, so
 * the common tests allocate nothing per packet. A compiled filter is not reentrant: one
 * packet at a time, which is how every caller runs it.
 */
import type { FieldDef, FieldValue } from '../decode/fields/types.js';
import { formatIPv4, formatIPv6, formatMac } from '../decode/fields/format.js';
import type { SliceRange } from './ast.js';
import type { PacketFields } from './types.js';
import type { FunctionName, TypedOperand, ValueKind } from './typed.js';
import { textToBytes } from './values.js';

export abstract class Source {
  vals: unknown[] = [];
  /** Byte length of each value in the packet (len() of integers and protocols). */
  lens: number[] = [];
  abstract load(p: PacketFields): number;
}

export class ConstSource extends Source {
  constructor(value: unknown) {
    super();
    this.vals = [value];
  }
  load(): number {
    return 1;
  }
}

export class FieldSource extends Source {
  constructor(readonly def: FieldDef) {
    super();
  }
  load(p: PacketFields): number {
    const o = p.get(this.def);
    this.vals = o.values;
    this.lens = o.lengths;
    return o.count;
  }
}

/** Protocols and FT_NONE nodes: their value is the bytes they cover in the frame. */
export class CoveredBytesSource extends Source {
  private readonly buf: Uint8Array[] = [];
  constructor(readonly def: FieldDef) {
    super();
    this.vals = this.buf;
  }
  load(p: PacketFields): number {
    const o = p.get(this.def);
    for (let i = 0; i < o.count; i++) {
      // Offsets point into a reassembled datagram when the node was decoded from one.
      const bytes = o.sources?.[i] ?? p.bytes;
      const start = Math.min(o.offsets[i], bytes.length);
      this.buf[i] = bytes.subarray(start, Math.min(start + o.lengths[i], bytes.length));
    }
    this.lens = o.lengths;
    return o.count;
  }
}

/** The bytes a sliceable value stands for (addresses in network order, strings as UTF-8). */
function bytesOf(kind: ValueKind, v: unknown): Uint8Array | null {
  if (v instanceof Uint8Array) return v;
  if (kind === 'ipv4' && typeof v === 'number') {
    return Uint8Array.of(v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255);
  }
  if (typeof v === 'string') return textToBytes(v);
  return null;
}

/**
 * Applies slice ranges to one value. Offsets may be negative (from the end); a range that
 * reaches past the value makes the slice absent, as in Wireshark (frame[100-199] requires
 * the frame to have 200 bytes).
 */
export function applySlice(b: Uint8Array, ranges: readonly SliceRange[]): Uint8Array | null {
  if (ranges.length === 1) return sliceOne(b, ranges[0]);
  const parts: Uint8Array[] = [];
  let total = 0;
  for (const r of ranges) {
    const part = sliceOne(b, r);
    if (!part) return null;
    parts.push(part);
    total += part.length;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) { out.set(part, at); at += part.length; }
  return out;
}

function sliceOne(b: Uint8Array, r: SliceRange): Uint8Array | null {
  const start = r.start0 < 0 ? b.length + r.start0 : r.start0;
  if (start < 0 || start >= b.length) return null;
  const end = r.length === null ? b.length : start + r.length;
  if (end > b.length) return null;
  return b.subarray(start, end);
}

export class SliceSource extends Source {
  private readonly buf: Uint8Array[] = [];
  constructor(private readonly inner: Source, private readonly innerKind: ValueKind, private readonly ranges: readonly SliceRange[]) {
    super();
    this.vals = this.buf;
  }
  load(p: PacketFields): number {
    const n = this.inner.load(p);
    const vals = this.inner.vals;
    let k = 0;
    for (let i = 0; i < n; i++) {
      const b = bytesOf(this.innerKind, vals[i]);
      if (!b) continue;
      const s = applySlice(b, this.ranges);
      if (s) this.buf[k++] = s;
    }
    return k;
  }
}

/** UTF-8 length of a JS string without encoding it. */
function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) { n += 4; i++; }
    else n += 3;
  }
  return n;
}

export class FunctionSource extends Source {
  private readonly buf: unknown[] = [];
  constructor(
    private readonly fn: FunctionName,
    private readonly args: Source[],
    private readonly argKinds: ValueKind[],
    private readonly argIsSlice: boolean[],
    private readonly argDefs: (FieldDef | undefined)[],
  ) {
    super();
    this.vals = this.buf;
  }

  load(p: PacketFields): number {
    const out = this.buf;
    const a = this.args[0];
    switch (this.fn) {
      case 'count': {
        const n = a.load(p);
        if (n === 0) return 0;
        out[0] = n;
        return 1;
      }
      case 'len': {
        const n = a.load(p);
        const kind = this.argKinds[0];
        const byValue = this.argIsSlice[0] || kind === 'ether' || kind === 'ipv6' ||
          (kind === 'bytes' && this.argDefs[0]?.type === 'bytes');
        for (let i = 0; i < n; i++) {
          const v = a.vals[i];
          out[i] = byValue && v instanceof Uint8Array ? v.length
            : kind === 'string' && typeof v === 'string' ? utf8Length(v)
            : kind === 'ipv4' ? 4
            : a.lens[i] ?? 0;
        }
        return n;
      }
      case 'lower': case 'upper': {
        const n = a.load(p);
        let k = 0;
        for (let i = 0; i < n; i++) {
          const v = a.vals[i];
          if (typeof v === 'string') out[k++] = this.fn === 'lower' ? v.toLowerCase() : v.toUpperCase();
        }
        return k;
      }
      case 'string': {
        const n = a.load(p);
        const kind = this.argKinds[0];
        let k = 0;
        for (let i = 0; i < n; i++) {
          const s = toText(kind, a.vals[i] as FieldValue);
          if (s !== null) out[k++] = s;
        }
        return k;
      }
      case 'abs': {
        const n = a.load(p);
        for (let i = 0; i < n; i++) out[i] = Math.abs(a.vals[i] as number);
        return n;
      }
      case 'max': case 'min': {
        let best: number | undefined;
        for (const s of this.args) {
          const n = s.load(p);
          for (let i = 0; i < n; i++) {
            const v = s.vals[i] as number;
            if (best === undefined || (this.fn === 'max' ? v > best : v < best)) best = v;
          }
        }
        if (best === undefined) return 0;
        out[0] = best;
        return 1;
      }
    }
  }
}

/** string(): numbers in decimal, addresses in their usual text form. */
function toText(kind: ValueKind, v: FieldValue): string | null {
  switch (kind) {
    case 'int': case 'double': return typeof v === 'number' ? String(v) : null;
    case 'ipv4': return typeof v === 'number' ? formatIPv4(v) : null;
    case 'ipv6': return v instanceof Uint8Array ? formatIPv6(v) : null;
    case 'ether': return v instanceof Uint8Array ? formatMac(v) : null;
    default: return null;
  }
}

type Arith = (a: number, b: number) => number | null;

const INT_OPS: Record<string, Arith> = {
  plus: (a, b) => a + b,
  minus: (a, b) => a - b,
  times: (a, b) => a * b,
  divide: (a, b) => (b === 0 ? null : Math.trunc(a / b)),
  modulo: (a, b) => (b === 0 ? null : a % b),
  bitand: (a, b) => (a >= 0 && b >= 0 && a <= 0xffffffff && b <= 0xffffffff
    ? (a & b) >>> 0
    : Number(BigInt(Math.trunc(a)) & BigInt(Math.trunc(b)))),
};

const FLOAT_OPS: Record<string, Arith> = {
  ...INT_OPS,
  divide: (a, b) => (b === 0 ? null : a / b),
};

/** Binary arithmetic over every pair of values (Wireshark evaluates it per occurrence). */
export class ArithSource extends Source {
  private readonly buf: unknown[] = [];
  private readonly fn: Arith;
  constructor(private readonly left: Source, private readonly right: Source, op: string, private readonly kind: ValueKind) {
    super();
    this.vals = this.buf;
    this.fn = (kind === 'int' ? INT_OPS : FLOAT_OPS)[op];
  }
  load(p: PacketFields): number {
    const nl = this.left.load(p);
    if (nl === 0) return 0;
    const nr = this.right.load(p);
    const lv = this.left.vals;
    const rv = this.right.vals;
    let k = 0;
    for (let i = 0; i < nl; i++) {
      for (let j = 0; j < nr; j++) {
        if (this.kind === 'bytes') {
          const x = lv[i] as Uint8Array;
          const y = rv[j] as Uint8Array;
          if (x.length === y.length) this.buf[k++] = x.map((v, t) => v & y[t]);
          continue;
        }
        const r = this.fn(lv[i] as number, rv[j] as number);
        if (r !== null) this.buf[k++] = r;
      }
    }
    return k;
  }
}

export class NegateSource extends Source {
  private readonly buf: number[] = [];
  constructor(private readonly inner: Source) {
    super();
    this.vals = this.buf;
  }
  load(p: PacketFields): number {
    const n = this.inner.load(p);
    for (let i = 0; i < n; i++) this.buf[i] = -(this.inner.vals[i] as number);
    return n;
  }
}

/** Builds the source for a typed operand. */
export function makeSource(op: TypedOperand): Source {
  switch (op.kind) {
    case 'field':
      return op.def.type === 'protocol' || op.def.type === 'none' ? new CoveredBytesSource(op.def) : new FieldSource(op.def);
    case 'const':
      return new ConstSource(op.value);
    case 'slice':
      return new SliceSource(makeSource(op.operand), op.operand.valueKind, op.ranges);
    case 'call':
      return new FunctionSource(op.fn, op.args.map(makeSource), op.args.map((a) => a.valueKind),
        op.args.map((a) => a.kind === 'slice'), op.args.map((a) => (a.kind === 'field' ? a.def : undefined)));
    case 'arith':
      return new ArithSource(makeSource(op.left), makeSource(op.right), op.op, op.valueKind);
    case 'negate':
      return new NegateSource(makeSource(op.operand));
  }
}


