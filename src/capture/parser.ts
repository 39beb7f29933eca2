/**
 * CaptureStreamParser: incremental reader for classic pcap and pcapng. ISOMORPHIC — no node:
 * imports, no Buffer; Uint8Array + DataView only, so it runs in Node, workers and browsers.
 *
 * Feed it chunks of any size (1 byte … many MiB) with push(), then call end(). Records that lie
 * wholly inside a chunk — the hot path — are delivered as subarray views of that chunk, with no
 * copy. Only the tail of a chunk that holds the beginning of an incomplete record/block is
 * copied, into a small carry buffer that is completed from the next chunk(s). Blocks we do not
 * need (pcapng NRB/ISB/DSB/custom/unknown) are skipped by length and never buffered.
 *
 * Errors: problems before the file header is complete (empty file, not a capture, bad header)
 * throw a CaptureFileError. Damage after the header stops the parse: every complete packet
 * before it has been delivered, and end() returns the problem in `warning`.
 *
 * Why not pcap-parser (the design card's choice) on the hot path — measured with
 * scripts/bench/read-bench.ts --pcap-parser (Node 20.20, 2 cores shared with other jobs, load
 * average ~14, page cache warm, best of 5) on the 550 MB / 591 208-packet classic µs pcap from
 * scripts/bench/generate.ts, counting records and summing caplen:
 *   - this parser (readCaptureFileSync, 256 KiB reads):      543 ms   (50 MiB peak RSS)
 *   - pcap-parser 0.2.1 on fs.createReadStream:               977 ms   (63 MiB peak RSS)
 *   - capinfos -c, for scale:                                  433 ms
 * (On a quieter run: this parser 83 ms, pcap-parser 989 ms, capinfos 375 ms.) Beyond speed,
 * pcap-parser re-allocates and copies its pending buffer on every chunk with the deprecated
 * `new Buffer()`, emits an object and an EventEmitter event per packet, does not know the
 * nanosecond magic, gives no file offsets (needed for random access), reads no pcapng, and
 * reports neither truncation nor corruption. It is kept as an independent cross-check of
 * classic record decoding in test/capture/pcap-parser-crosscheck.test.ts.
 */

import { CaptureFileError } from './types.js';
import type {
  CaptureErrorKind,
  CaptureFormat,
  CaptureInterface,
  PacketRecord,
  ReadResult,
} from './types.js';
import { PcapReader } from './pcap-reader.js';
import { PcapngReader } from './pcapng-reader.js';
import type { FormatReader, ReaderHost } from './reader-host.js';
import { withArticle } from './format-constants.js';
import { emptyRecord } from './record.js';

export interface CaptureStreamParserOptions {
  /** Used in error messages. */
  fileName: string;
  /** Called once per packet with a reused record whose `data` is valid only during the call. */
  onRecord: (rec: PacketRecord) => void;
  /** Called when an interface (pcap header, pcapng IDB) is defined, before its packets. */
  onInterface?: (iface: CaptureInterface) => void;
}

const MAGIC_LEN = 4;
const CARRY_MIN = 64 * 1024;
/** A carry buffer grown past this for one huge block is released once that block is done. */
const CARRY_KEEP_MAX = 1024 * 1024;

/** The mutable state shared with the format readers. */
class ParserCore implements ReaderHost {
  readonly rec = emptyRecord();
  readonly interfaces: CaptureInterface[] = [];
  packets = 0;
  need = MAGIC_LEN;
  reader: FormatReader | null = null;
  format: CaptureFormat | undefined;
  /** Bytes pushed so far = file offset of the next chunk's first byte. */
  total = 0;
  carry = new Uint8Array(CARRY_MIN);
  carryLen = 0;
  /** File offset of carry[0]. */
  carryOffset = 0;
  skipRemaining = 0;
  private skipOffset = 0;
  private skipLength = 0;
  private skipLe = true;
  private skipName = '';
  private readonly trailer = new Uint8Array(4);
  warning: CaptureFileError | undefined;
  /** True after damage, a thrown error, or end(): later input is ignored. */
  stopped = false;
  private viewBuf: Uint8Array | null = null;
  private viewCache: DataView | null = null;

  constructor(
    readonly fileName: string,
    readonly onRecord: (rec: PacketRecord) => void,
    private readonly onInterface: ((iface: CaptureInterface) => void) | undefined,
  ) {}

  addInterface(iface: CaptureInterface): void {
    this.interfaces.push(iface);
    this.onInterface?.(iface);
  }

  damage(kind: CaptureErrorKind, offset: number, problem: string): void {
    const err = new CaptureFileError(kind, this.fileName, offset, problem, this.packets);
    this.stopped = true;
    if (this.reader === null || !this.reader.headerDone) throw err;
    this.warning = err;
  }

  view(buf: Uint8Array): DataView {
    if (buf !== this.viewBuf) {
      this.viewBuf = buf;
      this.viewCache = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    return this.viewCache!;
  }

  beginSkip(buf: Uint8Array, start: number, seen: number, blockOffset: number, length: number, le: boolean): void {
    this.skipRemaining = length - seen;
    this.skipOffset = blockOffset;
    this.skipLength = length;
    this.skipLe = le;
    this.skipName = (this.reader as PcapngReader).blockName(buf, start, le);
    for (let i = Math.max(length - 4, 0); i < seen; i++) this.trailer[i - (length - 4)] = buf[start + i];
  }

  /** Consumes skipped-block bytes from chunk[pos …); returns the new position. */
  skip(chunk: Uint8Array, pos: number, base: number): number {
    const n = Math.min(this.skipRemaining, chunk.length - pos);
    const trailerStart = this.skipOffset + this.skipLength - 4;
    const from = base + pos;
    for (let o = Math.max(from, trailerStart); o < from + n; o++) this.trailer[o - trailerStart] = chunk[pos + o - from];
    this.skipRemaining -= n;
    if (this.skipRemaining === 0) {
      const t = this.trailer;
      const v = this.skipLe
        ? (t[0] | (t[1] << 8) | (t[2] << 16) | (t[3] << 24)) >>> 0
        : ((t[0] << 24) | (t[1] << 16) | (t[2] << 8) | t[3]) >>> 0;
      if (v !== this.skipLength) {
        this.damage(
          'bad-block-length',
          trailerStart,
          `the ${this.skipName} at offset ${this.skipOffset} ends with block length ${v}, which does not match its leading length ${this.skipLength}`,
        );
      }
    }
    return pos + n;
  }

  skipTruncation(): string {
    const have = this.skipLength - this.skipRemaining;
    return (
      `the file ends in the middle of ${withArticle(this.skipName)}: its length field says ${this.skipLength} bytes, ` +
      `which runs past the end of the file (only ${have} present)`
    );
  }

  get skipBlockOffset(): number {
    return this.skipOffset;
  }

  /** Picks the format from the first 4 bytes at buf[pos]. Throws if it is neither. */
  detect(buf: Uint8Array, pos: number, base: number): void {
    const view = this.view(buf);
    if (PcapReader.sniff(view, pos)) {
      this.reader = new PcapReader(this);
      this.format = 'pcap';
    } else if (PcapngReader.sniff(view, pos)) {
      this.reader = new PcapngReader(this);
      this.format = 'pcapng';
    } else {
      const first = Array.from(buf.subarray(pos, pos + MAGIC_LEN), (b) => b.toString(16).padStart(2, '0')).join(' ');
      let hint = '';
      if (buf[pos] === 0x1f && buf[pos + 1] === 0x8b) hint = ' (it looks gzip-compressed; decompress it first)';
      this.stopped = true;
      throw new CaptureFileError(
        'not-a-capture',
        this.fileName,
        base + pos,
        `not a capture file: it begins with bytes ${first}, which is neither a pcap nor a pcapng magic number${hint}`,
      );
    }
  }

  appendCarry(src: Uint8Array, pos: number, n: number): void {
    const needed = this.carryLen + n;
    if (needed > this.carry.length) {
      const grown = new Uint8Array(Math.max(needed, this.carry.length * 2));
      grown.set(this.carry.subarray(0, this.carryLen));
      this.carry = grown;
    }
    this.carry.set(src.subarray(pos, pos + n), this.carryLen);
    this.carryLen = needed;
  }

  /** Runs the reader over the carry buffer once it holds `need` bytes. */
  runCarry(): void {
    for (;;) {
      if (this.reader === null) {
        if (this.carryLen < MAGIC_LEN) return;
        this.detect(this.carry, 0, this.carryOffset);
      }
      const used = this.reader!.run(this.carry, 0, this.carryLen, this.carryOffset);
      if (this.stopped) return;
      if (used > 0) {
        if (used < this.carryLen) this.carry.copyWithin(0, used, this.carryLen);
        this.carryLen -= used;
        this.carryOffset += used;
        if (this.carryLen === 0 && this.carry.length > CARRY_KEEP_MAX) this.carry = new Uint8Array(CARRY_MIN);
        return;
      }
      if (this.need > this.carryLen) return;
      throw new Error(`capture parser made no progress at offset ${this.carryOffset}`);
    }
  }

  feed(chunk: Uint8Array, base: number): void {
    const len = chunk.length;
    let pos = 0;
    while (pos < len && !this.stopped) {
      if (this.skipRemaining > 0) {
        pos = this.skip(chunk, pos, base);
        continue;
      }
      if (this.carryLen > 0) {
        const want = this.need - this.carryLen;
        if (want > 0) {
          const n = Math.min(want, len - pos);
          this.appendCarry(chunk, pos, n);
          pos += n;
          if (this.carryLen < this.need) return;
        }
        this.runCarry();
        continue;
      }
      if (this.reader === null) {
        if (len - pos < MAGIC_LEN) {
          this.carryOffset = base + pos;
          this.need = MAGIC_LEN;
          this.appendCarry(chunk, pos, len - pos);
          return;
        }
        this.detect(chunk, pos, base);
      }
      const p = this.reader!.run(chunk, pos, len, base);
      if (this.stopped || this.skipRemaining > 0) {
        pos = p;
        continue;
      }
      if (p < len) {
        this.carryOffset = base + p;
        this.appendCarry(chunk, p, len - p);
      }
      return;
    }
  }
}

export class CaptureStreamParser {
  private readonly core: ParserCore;
  private ended = false;

  constructor(opts: CaptureStreamParserOptions) {
    this.core = new ParserCore(opts.fileName, opts.onRecord, opts.onInterface);
  }

  /** 'pcap' or 'pcapng' once the first 4 bytes have been seen. */
  get format(): CaptureFormat | undefined {
    return this.core.format;
  }

  /** All interfaces seen so far, across sections (index = PacketRecord.interfaceIndex). */
  get interfaces(): readonly CaptureInterface[] {
    return this.core.interfaces;
  }

  /** Packets delivered so far. */
  get packets(): number {
    return this.core.packets;
  }

  /** Bytes of input fully parsed (everything pushed minus an incomplete tail being held). */
  get bytesConsumed(): number {
    return this.core.total - this.core.carryLen;
  }

  /** The damage that stopped the parse, if any. */
  get warning(): CaptureFileError | undefined {
    return this.core.warning;
  }

  /** True once the parse has stopped (damage found, or end() called): further input is ignored. */
  get stopped(): boolean {
    return this.core.stopped || this.ended;
  }

  push(chunk: Uint8Array): void {
    if (this.ended) throw new Error('CaptureStreamParser.push() called after end()');
    // A Node Buffer (or other Uint8Array subclass) is re-viewed as a plain Uint8Array, without
    // copying: records must hand out plain views, whose slice() copies (Buffer#slice does not).
    if (chunk.constructor !== Uint8Array) chunk = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const core = this.core;
    const base = core.total;
    core.total += chunk.length;
    if (core.stopped || chunk.length === 0) return;
    try {
      core.feed(chunk, base);
    } catch (err) {
      // A throwing onRecord callback (or a fatal header error) leaves no consistent position
      // to resume from.
      core.stopped = true;
      throw err;
    }
  }

  /**
   * Finishes the parse. Throws CaptureFileError when nothing could be read (empty file, not a
   * capture, header cut short); otherwise returns the summary, with `warning` set when the
   * file is damaged or cut short after its header.
   */
  end(): ReadResult {
    const core = this.core;
    if (!this.ended) {
      this.ended = true;
      if (!core.stopped) this.finish();
    }
    const result: ReadResult = {
      format: core.format ?? 'pcap',
      interfaces: core.interfaces,
      packets: core.packets,
      bytesRead: core.total,
    };
    if (core.warning) result.warning = core.warning;
    return result;
  }

  private finish(): void {
    const core = this.core;
    const file = core.fileName;
    if (core.total === 0) {
      throw new CaptureFileError('empty', file, 0, 'the file is empty (0 bytes), so it holds no capture');
    }
    const reader = core.reader;
    if (reader === null) {
      throw new CaptureFileError(
        'not-a-capture',
        file,
        0,
        `not a capture file: it is only ${core.total} byte(s) long, too short for a pcap or pcapng header`,
      );
    }
    if (!reader.headerDone) {
      throw new CaptureFileError('truncated', file, core.carryOffset, reader.describeTruncation(core.carryLen));
    }
    if (core.skipRemaining > 0) {
      core.warning = new CaptureFileError('truncated', file, core.skipBlockOffset, core.skipTruncation(), core.packets);
    } else if (core.carryLen > 0) {
      core.warning = new CaptureFileError('truncated', file, core.carryOffset, reader.describeTruncation(core.carryLen), core.packets);
    }
  }
}
