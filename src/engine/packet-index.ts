/**
 * The compact columnar index of one capture (§7): for every packet, where its bytes are in the
 * file and what the packet list, the statistics and the index-only filters need — as typed
 * arrays grown by half, about 40 bytes per packet plus its Info text (UTF-8 in compressed
 * blocks, see StringArena). Detail views decode on demand from the bytes at `dataOffset`.
 */
import { brotliCompressSync, brotliDecompressSync, constants as zlib } from 'node:zlib';
import { growTo, StringArena, StringInterner } from './columns.js';

/** Engine-internal bits stored next to the API's AnalysisFlag bits (never sent as such). */
export const IndexBit = {
  TCP: 1 << 24,
  UDP: 1 << 25,
  /** srcPort/dstPort hold the transport ports. */
  PORTS: 1 << 26,
  IPV4: 1 << 27,
  IPV6: 1 << 28,
  /** The packet has a tcp.analysis.flags node. */
  ANALYSIS_FLAGS: 1 << 29,
  /** An IP fragment (not reassembled in this packet). */
  FRAGMENT: 1 << 30,
} as const;


/** Mask of the AnalysisFlag bits (src/api/flags.ts) within `flags`. */
export const API_FLAG_MASK = 0x00ffffff;

export const SEVERITY_CODES = ['', 'chat', 'note', 'warn', 'error'] as const;

export interface IndexEntry {
  dataOffset: number;
  capLen: number;
  origLen: number;
  tsSec: number;
  tsNsec: number;
  iface: number;
  protocol: string;
  source: string;
  destination: string;
  srcPort: number;
  dstPort: number;
  stream: number;
  flags: number;
  color: number;
  expert: number;
  chain: string;
  info: string;
}

const INITIAL = 1024;

/**
 * How Info blocks are compressed. On the bench capture's Info text, Brotli at quality 1 takes
 * 60% of the time of zlib at level 1 and makes 12% smaller blocks, and inflates as fast; a
 * 256 KiB window covers a whole block (about 240 KB of text) with a small encoder state.
 */
const INFO_BROTLI = {
  [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT,
  [zlib.BROTLI_PARAM_QUALITY]: 1,
  [zlib.BROTLI_PARAM_LGWIN]: 18,
};

export class PacketIndex {
  count = 0;
  private capacity = INITIAL;
  /**
   * File offsets and seconds fit 32 bits in nearly every capture (files under 4 GiB, dates
   * before 2106): stored as such, and widened to doubles for good by the first that does not.
   */
  dataOffset: Uint32Array | Float64Array = new Uint32Array(INITIAL);
  /**
   * Lengths and interned ids fit 16 bits in most captures (packets up to 64 KiB, fewer than
   * 65,536 distinct addresses or protocol chains): 16-bit columns, widened to 32 bits for good
   * by the first value that does not fit (loopback and offloaded captures have longer packets).
   */
  capLen: Uint16Array | Uint32Array = new Uint16Array(INITIAL);
  origLen: Uint16Array | Uint32Array = new Uint16Array(INITIAL);
  tsSec: Uint32Array | Float64Array = new Uint32Array(INITIAL);
  tsNsec = new Uint32Array(INITIAL);
  iface = new Uint16Array(INITIAL);
  /** Interned Protocol column. */
  protocol = new Uint16Array(INITIAL);
  /** Interned Source / Destination columns. */
  source: Uint16Array | Uint32Array = new Uint16Array(INITIAL);
  destination: Uint16Array | Uint32Array = new Uint16Array(INITIAL);
  srcPort = new Uint16Array(INITIAL);
  dstPort = new Uint16Array(INITIAL);
  /** tcp.stream / udp.stream (which one: IndexBit.TCP/UDP in flags), -1 none. */
  stream = new Int32Array(INITIAL);
  /** AnalysisFlag bits | IndexBit bits. */
  flags = new Uint32Array(INITIAL);
  /** Index into COLOR_RULES. */
  color = new Uint8Array(INITIAL);
  /** 0 none, 1 chat, 2 note, 3 warn, 4 error. */
  expert = new Uint8Array(INITIAL);
  /** Interned frame.protocols chain ("eth:ethertype:ip:tcp:http"). */
  chain: Uint16Array | Uint32Array = new Uint16Array(INITIAL);
  readonly info = new StringArena(
    (raw) => brotliCompressSync(raw, { params: { ...INFO_BROTLI, [zlib.BROTLI_PARAM_SIZE_HINT]: raw.length } }),
    (packed) => brotliDecompressSync(packed),
  );
  /**
   * Further tcp.stream/udp.stream occurrences of a packet besides its own transport header:
   * the headers an ICMP error quotes. Sparse (only such packets have an entry).
   */
  readonly nestedStreams = new Map<number, { kind: 'tcp' | 'udp'; stream: number }[]>();

  readonly protocols = new StringInterner();
  readonly addresses = new StringInterner();
  readonly chains = new StringInterner();

  /** Grows by half (not double): less slack on big captures; trim() drops it once loaded. */
  private grow(): void {
    this.resize(Math.ceil(this.capacity * 1.5));
  }

  /**
   * Makes room for `n` packets at once (a file's expected count): every later append then
   * writes in place, instead of each growth step holding the old and the new columns together
   * until the old ones are collected (the load's memory peak). Capacity never shrinks here.
   */
  reserve(n: number): void {
    if (n > this.capacity) this.resize(Math.ceil(n));
  }

  /**
   * Releases the unused capacity (the capture is complete) when it is a large share of it.
   * Trimming copies every column and holds the old and the new ones together until the
   * collector frees the old: for the slack a reservation leaves (≤ 10%, pages a reservation
   * never wrote are not even resident) that transient costs far more than it saves, at the
   * very end of a load, when everything else is at its largest.
   */
  trim(): void {
    if (this.capacity - this.count > this.capacity / 4 && this.capacity > this.count + 16) this.resize(Math.max(16, this.count));
  }

  private resize(cap: number): void {
    this.dataOffset = growTo(this.dataOffset, cap);
    this.capLen = growTo(this.capLen, cap);
    this.origLen = growTo(this.origLen, cap);
    this.tsSec = growTo(this.tsSec, cap);
    this.tsNsec = growTo(this.tsNsec, cap);
    this.iface = growTo(this.iface, cap);
    this.protocol = growTo(this.protocol, cap);
    this.source = growTo(this.source, cap);
    this.destination = growTo(this.destination, cap);
    this.srcPort = growTo(this.srcPort, cap);
    this.dstPort = growTo(this.dstPort, cap);
    this.stream = growTo(this.stream, cap);
    this.flags = growTo(this.flags, cap);
    this.color = growTo(this.color, cap);
    this.expert = growTo(this.expert, cap);
    this.chain = growTo(this.chain, cap);
    this.capacity = cap;
  }

  /** Appends one packet; returns its 0-based index (= frame number − 1). */
  append(e: IndexEntry): number {
    if (this.count === this.capacity) this.grow();
    const i = this.count++;
    if (e.dataOffset > 0xffffffff && this.dataOffset instanceof Uint32Array) this.dataOffset = widen(this.dataOffset, Float64Array);
    if (e.tsSec > 0xffffffff && this.tsSec instanceof Uint32Array) this.tsSec = widen(this.tsSec, Float64Array);
    if (e.capLen > 0xffff && this.capLen instanceof Uint16Array) this.capLen = widen(this.capLen, Uint32Array);
    if (e.origLen > 0xffff && this.origLen instanceof Uint16Array) this.origLen = widen(this.origLen, Uint32Array);
    const source = this.addresses.intern(e.source);
    const destination = this.addresses.intern(e.destination);
    const chain = this.chains.intern(e.chain);
    if (source > 0xffff || destination > 0xffff) {
      if (this.source instanceof Uint16Array) this.source = widen(this.source, Uint32Array);
      if (this.destination instanceof Uint16Array) this.destination = widen(this.destination, Uint32Array);
    }
    if (chain > 0xffff && this.chain instanceof Uint16Array) this.chain = widen(this.chain, Uint32Array);
    this.dataOffset[i] = e.dataOffset;
    this.capLen[i] = e.capLen;
    this.origLen[i] = e.origLen;
    this.tsSec[i] = e.tsSec;
    this.tsNsec[i] = e.tsNsec;
    this.iface[i] = e.iface;
    this.protocol[i] = this.protocols.intern(e.protocol);
    this.source[i] = source;
    this.destination[i] = destination;
    this.srcPort[i] = e.srcPort;
    this.dstPort[i] = e.dstPort;
    this.stream[i] = e.stream;
    this.flags[i] = e.flags;
    this.color[i] = e.color;
    this.expert[i] = e.expert;
    this.chain[i] = chain;
    this.info.push(e.info);
    return i;
  }

  /** Nanoseconds from packet a to packet b. */
  diffNs(a: number, b: number): number {
    return (this.tsSec[b] - this.tsSec[a]) * 1e9 + (this.tsNsec[b] - this.tsNsec[a]);
  }

  /** Approximate bytes held (columns + strings), for memory reports. */
  byteSize(): number {
    const columns = [
      this.dataOffset, this.capLen, this.origLen, this.tsSec, this.tsNsec, this.iface, this.protocol, this.source,
      this.destination, this.srcPort, this.dstPort, this.stream, this.flags, this.color, this.expert, this.chain,
    ];
    let perPacket = 0;
    for (const c of columns) perPacket += c.BYTES_PER_ELEMENT;
    return this.capacity * perPacket + this.info.byteSize() + this.addresses.bytes() +
      this.protocols.bytes() + this.chains.bytes();
  }
}

/** A column copied into a wider element type (same length and values). */
function widen<T extends Uint32Array | Float64Array>(arr: Uint16Array | Uint32Array, Wider: new (n: number) => T): T {
  const out = new Wider(arr.length);
  out.set(arr);
  return out;
}
