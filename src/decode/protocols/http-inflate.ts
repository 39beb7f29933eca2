/**
 * DEFLATE decompression (RFC 1951) with the gzip (RFC 1952) and zlib (RFC 1950) wrappers, for
 * HTTP Content-Encoding. Synchronous and isomorphic (no zlib, no DecompressionStream, which is
 * asynchronous). Canonical Huffman codes are decoded symbol-length by symbol-length, which is
 * compact and fast enough for HTTP bodies. Output is bounded; damaged input returns null.
 */

class InflateError {}
const FAIL = new InflateError();

const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
  4097, 6145, 8193, 12289, 16385, 24577];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
/** Order of the code-length code lengths in a dynamic block header (RFC 1951 §3.2.7). */
const CLEN_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** A canonical Huffman code: how many codes of each length, and the symbols in code order. */
interface Huffman {
  counts: Uint16Array;
  symbols: Uint16Array;
}

function buildHuffman(lengths: Uint8Array, n: number): Huffman {
  const counts = new Uint16Array(16);
  for (let i = 0; i < n; i++) counts[lengths[i]]++;
  counts[0] = 0;
  // Over-subscribed codes are invalid (RFC 1951 §3.2.2); incomplete ones are allowed.
  let left = 1;
  for (let len = 1; len < 16; len++) {
    left = left * 2 - counts[len];
    if (left < 0) throw FAIL;
  }
  const offs = new Uint16Array(16);
  for (let len = 1; len < 15; len++) offs[len + 1] = offs[len] + counts[len];
  const symbols = new Uint16Array(n);
  for (let i = 0; i < n; i++) if (lengths[i] !== 0) symbols[offs[lengths[i]]++] = i;
  return { counts, symbols };
}

let fixedLit: Huffman | null = null;
let fixedDist: Huffman | null = null;

function fixedCodes(): [Huffman, Huffman] {
  if (!fixedLit || !fixedDist) {
    const l = new Uint8Array(288);
    for (let i = 0; i < 144; i++) l[i] = 8;
    for (let i = 144; i < 256; i++) l[i] = 9;
    for (let i = 256; i < 280; i++) l[i] = 7;
    for (let i = 280; i < 288; i++) l[i] = 8;
    fixedLit = buildHuffman(l, 288);
    const d = new Uint8Array(30).fill(5);
    fixedDist = buildHuffman(d, 30);
  }
  return [fixedLit, fixedDist];
}

class Inflater {
  private pos: number;
  private bitBuf = 0;
  private bitCnt = 0;
  out: Uint8Array;
  outLen = 0;

  constructor(private readonly src: Uint8Array, start: number, private readonly max: number) {
    this.pos = start;
    this.out = new Uint8Array(Math.min(max, Math.max(1024, src.length * 4)));
  }

  private bits(n: number): number {
    let v = this.bitBuf;
    while (this.bitCnt < n) {
      if (this.pos >= this.src.length) throw FAIL;
      v |= this.src[this.pos++] << this.bitCnt;
      this.bitCnt += 8;
    }
    this.bitBuf = v >>> n;
    this.bitCnt -= n;
    return v & ((1 << n) - 1);
  }

  private decode(h: Huffman): number {
    let code = 0;
    let first = 0;
    let index = 0;
    for (let len = 1; len < 16; len++) {
      code |= this.bits(1);
      const count = h.counts[len];
      if (code - count < first) return h.symbols[index + (code - first)];
      index += count;
      first = (first + count) << 1;
      code <<= 1;
    }
    throw FAIL;
  }

  private put(b: number): void {
    if (this.outLen >= this.out.length) this.grow();
    this.out[this.outLen++] = b;
  }

  private grow(): void {
    if (this.out.length >= this.max) throw FAIL;
    const bigger = new Uint8Array(Math.min(this.max, this.out.length * 2));
    bigger.set(this.out);
    this.out = bigger;
  }

  run(): void {
    let last = 0;
    while (!last) {
      last = this.bits(1);
      const type = this.bits(2);
      if (type === 0) this.stored();
      else if (type === 1) {
        const [l, d] = fixedCodes();
        this.codes(l, d);
      } else if (type === 2) this.dynamic();
      else throw FAIL;
    }
  }

  /** Where the compressed data ended (for trailers). */
  get end(): number {
    return this.pos;
  }

  private stored(): void {
    this.bitBuf = 0;
    this.bitCnt = 0;
    if (this.pos + 4 > this.src.length) throw FAIL;
    const len = this.src[this.pos] | (this.src[this.pos + 1] << 8);
    const nlen = this.src[this.pos + 2] | (this.src[this.pos + 3] << 8);
    this.pos += 4;
    if (len !== (~nlen & 0xffff) || this.pos + len > this.src.length) throw FAIL;
    for (let i = 0; i < len; i++) this.put(this.src[this.pos + i]);
    this.pos += len;
  }

  private dynamic(): void {
    const nlen = this.bits(5) + 257;
    const ndist = this.bits(5) + 1;
    const ncode = this.bits(4) + 4;
    if (nlen > 286 || ndist > 30) throw FAIL;
    const lengths = new Uint8Array(320);
    for (let i = 0; i < ncode; i++) lengths[CLEN_ORDER[i]] = this.bits(3);
    const lencode = buildHuffman(lengths, 19);
    lengths.fill(0);
    let i = 0;
    while (i < nlen + ndist) {
      const sym = this.decode(lencode);
      if (sym < 16) lengths[i++] = sym;
      else {
        let len = 0;
        let rep: number;
        if (sym === 16) {
          if (i === 0) throw FAIL;
          len = lengths[i - 1];
          rep = 3 + this.bits(2);
        } else if (sym === 17) rep = 3 + this.bits(3);
        else rep = 11 + this.bits(7);
        if (i + rep > nlen + ndist) throw FAIL;
        while (rep--) lengths[i++] = len;
      }
    }
    if (lengths[256] === 0) throw FAIL;
    const lit = buildHuffman(lengths.subarray(0, nlen), nlen);
    const dist = buildHuffman(lengths.subarray(nlen, nlen + ndist), ndist);
    this.codes(lit, dist);
  }

  private codes(lit: Huffman, dist: Huffman): void {
    for (;;) {
      let sym = this.decode(lit);
      if (sym < 256) this.put(sym);
      else if (sym === 256) return;
      else {
        sym -= 257;
        if (sym >= 29) throw FAIL;
        const len = LENGTH_BASE[sym] + this.bits(LENGTH_EXTRA[sym]);
        const ds = this.decode(dist);
        if (ds >= 30) throw FAIL;
        const d = DIST_BASE[ds] + this.bits(DIST_EXTRA[ds]);
        if (d > this.outLen) throw FAIL;
        for (let k = 0; k < len; k++) this.put(this.out[this.outLen - d]);
      }
    }
  }
}

/** Raw DEFLATE data starting at `start`; null when damaged or larger than `max`. */
export function inflateRaw(data: Uint8Array, start: number, max: number): Uint8Array | null {
  try {
    const inf = new Inflater(data, start, max);
    inf.run();
    return inf.out.subarray(0, inf.outLen);
  } catch (err) {
    if (err === FAIL) return null;
    throw err;
  }
}

/** gzip member (RFC 1952): header fields skipped, then DEFLATE. */
export function gunzip(data: Uint8Array, max: number): Uint8Array | null {
  if (data.length < 18 || data[0] !== 0x1f || data[1] !== 0x8b || data[2] !== 8) return null;
  const flags = data[3];
  let p = 10;
  if (flags & 4) {
    if (p + 2 > data.length) return null;
    p += 2 + (data[p] | (data[p + 1] << 8));
  }
  if (flags & 8) { while (p < data.length && data[p] !== 0) p++; p++; }
  if (flags & 16) { while (p < data.length && data[p] !== 0) p++; p++; }
  if (flags & 2) p += 2;
  if (p >= data.length) return null;
  return inflateRaw(data, p, max);
}

/**
 * An HTTP body in a content coding: gzip, or "deflate" (RFC 9110 §8.4.1.2 says zlib-wrapped;
 * raw DEFLATE is common too, so both are tried).
 */
export function inflateBody(data: Uint8Array, encoding: string, max: number): Uint8Array | null {
  if (encoding === 'gzip' || encoding === 'x-gzip') return gunzip(data, max);
  if (data.length >= 2 && (data[0] & 0x0f) === 8 && ((data[0] << 8) | data[1]) % 31 === 0 && !(data[1] & 0x20)) {
    const z = inflateRaw(data, 2, max);
    if (z) return z;
  }
  return inflateRaw(data, 0, max);
}
