/**
 * CaptureSession: one open capture (a file, or a live capture's temp pcapng). It reads the file
 * as a stream in time slices — so rows, details and filters are answered while it loads —
 * decodes and analyzes every packet once into the columnar index, and answers the engine API's
 * queries from the index, decoding single packets on demand. Runs inside the engine worker
 * (worker.ts); nothing here blocks for longer than one slice (~25 ms).
 */
import { close as closeAsync, closeSync, fstatSync, openSync, read, readSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import { CaptureStreamParser } from '../capture/parser.js';
import { ioError } from '../capture/read-node.js';
import { CaptureFileError, type CaptureInterface, type PacketRecord } from '../capture/types.js';
import { ApiError } from '../api/errors.js';
import { COLOR_RULES } from '../api/flags.js';
import type { AnyEngineEvent, CaptureFileFormat } from '../api/messages.js';
import type {
  CaptureInfo, CaptureStats, Conversation, Endpoint, ExportResult, FilterResult, FollowResult,
  PacketDetail, PacketRow, RowWindow, SequenceDiagram,
} from '../api/types.js';
import { DetailDecoder } from './detail.js';
import { compileDisplayFilter, FilterPass } from './filter-pass.js';
import { PacketIndexer } from './indexer.js';
import { API_FLAG_MASK, IndexBit, SEVERITY_CODES } from './packet-index.js';
import { PacketReader } from './packet-reader.js';
import { conversations, endpoints, flagTotals, protocolHierarchy } from './stats.js';
import { writeCaptureFile } from './export.js';
import { followStream, sequenceDiagram, transactions } from './analysis-views.js';

const SLICE_MS = 25;
const EVENT_INTERVAL_MS = 100;
const FIRST_CHUNK = 64 * 1024;
/** Rows the first slice makes available before openFile returns. */
const FIRST_ROWS = 200;
/**
 * Read size of the background slices: it starts small, so a slice stays near SLICE_MS while the
 * decoders are still cold (un-optimized code is ~10× slower on the first thousands of
 * packets), and doubles per read up to CHUNK_MAX once they are warm.
 */
const CHUNK = 128 * 1024;
const CHUNK_MAX = 1024 * 1024;
/**
 * Reads kept in flight while a chunk decodes: two, so a read that misses the page cache (one
 * chunk's decoding takes ~10 ms, a disk read of it can take longer) rarely leaves the thread idle.
 */
const READS_AHEAD = 2;

/**
 * Packets read before the index is sized for the whole file: enough for the bytes per packet
 * to be representative (the first ones are often handshakes and lookups, much smaller).
 */
const RESERVE_AFTER = 65_536;
/** Margin on the expected packet count of a file (see expectedPackets). */
const EXPECTED_MARGIN = 1.1;
/** Never reserve more than this many index slots up front (a file of tiny packets grows instead). */
const EXPECTED_MAX = 16_000_000;

/** A read of the next chunk, issued while the previous one decodes (see readAhead). */
interface PendingRead {
  buf: Uint8Array;
  /** Bytes asked for. */
  len: number;
  /** Bytes read (0 at the end of the file); rejects with the fs error. */
  done: Promise<number>;
}

export type EmitFn = (event: AnyEngineEvent) => void;

export interface SessionOptions {
  captureId: number;
  path: string;
  source: 'file' | 'live';
  /** Title (default: the file name). */
  name?: string;
  emit: EmitFn;
}

const yieldToEventLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Maps capture-layer failures to the API's error codes. */
export function apiErrorFromCapture(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof CaptureFileError) {
    if (err.kind === 'io') {
      const notFound = /does not exist/.test(err.problem);
      return new ApiError(notFound ? 'not-found' : 'io', err.message);
    }
    return new ApiError('not-a-capture', err.message);
  }
  return new ApiError('internal', `internal error: ${err instanceof Error ? err.message : String(err)}`);
}

function precisionDigits(unitsPerSecond: number): number {
  let digits = 0;
  for (let u = 1; u < unitsPerSecond && digits < 9; u *= 10) digits++;
  return digits;
}

interface FilterWaiter {
  pass: FilterPass;
  started: number;
  resolve(r: FilterResult): void;
  reject(e: unknown): void;
}

export class CaptureSession {
  readonly captureId: number;
  readonly path: string;
  readonly source: 'file' | 'live';
  readonly name: string;
  private readonly emit: EmitFn;
  /** Reassembly data that waits long for more is read back from the file (see IndexerOptions). */
  private readonly indexer = new PacketIndexer({
    readFile: (position, len, out, outAt) => this.reader.readInto(position, len, out, outAt),
  });
  readonly index = this.indexer.index;
  private readonly comments = new Map<number, string[]>();
  readonly parser: CaptureStreamParser;
  private fd = -1;
  /** Bytes handed to the parser (file offset of the next byte to parse). */
  private position = 0;
  /** File offset of the next read to issue (ahead of `position` while a read is in flight). */
  private readPosition = 0;
  private fileSize = 0;
  /** Read buffers: the chunk being parsed, and READS_AHEAD being filled by the thread pool. */
  private readonly readBufs = Array.from({ length: READS_AHEAD + 1 }, () => new Uint8Array(CHUNK_MAX));
  private nextBuf = 0;
  /** Reads in flight, in file order. */
  private readonly ahead: PendingRead[] = [];
  private chunk = CHUNK;
  /** The index was sized for the expected packet count (once, for files). */
  private reserved = false;
  /** File loading in progress (false for a live capture: packets are pushed). */
  private loading = false;
  private loadStarted = 0;
  private warning: string | undefined;
  private closed = false;
  private pumping = false;
  private lastEmit = 0;
  private emitTimer: ReturnType<typeof setTimeout> | null = null;
  private lastEmitted = { total: -1, displayed: -1 };
  private view: FilterPass | null = null;
  private filterWaiter: FilterWaiter | null = null;
  private readonly reader: PacketReader;
  private readonly detail: DetailDecoder;
  unsaved = false;
  /** Set while a live capture appends packets. */
  private liveRunning = false;

  constructor(opts: SessionOptions) {
    this.captureId = opts.captureId;
    this.path = opts.path;
    this.source = opts.source;
    this.name = opts.name ?? basename(opts.path);
    this.emit = opts.emit;
    this.parser = new CaptureStreamParser({
      fileName: opts.path,
      onRecord: (rec) => this.onRecord(rec),
    });
    try {
      this.reader = new PacketReader(opts.path);
    } catch (err) {
      throw apiErrorFromCapture(err);
    }
    this.detail = new DetailDecoder(this.index, this.reader, this.parser.interfaces as CaptureInterface[], this.comments);
  }

  private onRecord(rec: PacketRecord): void {
    const i = this.indexer.add(rec);
    if (rec.comments && rec.comments.length) this.comments.set(i, rec.comments.slice());
  }

  // ---------------------------------------------------------------- loading

  /**
   * Opens the file and reads its first slice (so a bad file fails here, and the first rows are
   * ready when this resolves); the rest loads in the background.
   */
  async startFileLoad(): Promise<void> {
    try {
      this.fd = openSync(this.path, 'r');
      const st = fstatSync(this.fd);
      if (st.isDirectory()) throw ioError(this.path, { code: 'EISDIR' });
      this.fileSize = st.size;
    } catch (err) {
      this.reader.close();
      throw apiErrorFromCapture(err instanceof CaptureFileError ? err : ioError(this.path, err));
    }
    this.loading = true;
    this.loadStarted = performance.now();
    try {
      // Just enough for the first screen of rows: the rest loads in the background slices.
      let more = this.readChunk(FIRST_CHUNK);
      while (more && this.index.count < FIRST_ROWS) more = this.readChunk(FIRST_CHUNK);
    } catch (err) {
      this.stopLoading();
      this.reader.close();
      throw apiErrorFromCapture(err);
    }
    this.maybeEmit(true);
    this.kick();
  }

  /**
   * How many packets the whole file probably holds, from the bytes per packet so far, with a
   * margin: if the rest has smaller packets the index still grows as usual.
   */
  private expectedPackets(): number {
    const perPacket = this.position / Math.max(1, this.index.count);
    return Math.min(EXPECTED_MAX, (this.fileSize / perPacket) * EXPECTED_MARGIN);
  }

  /** Reads one chunk into the parser, synchronously (the first slice); false at the end of the file. */
  private readChunk(size: number): boolean {
    const buf = this.readBufs[0];
    let n: number;
    try {
      n = readSync(this.fd, buf, 0, Math.min(size, buf.length), this.readPosition);
    } catch (err) {
      throw ioError(this.path, err);
    }
    this.readPosition += n;
    return this.consume(buf, n);
  }

  /**
   * Issues the read of a later chunk on libuv's thread pool: the read syscalls (about 5% of a
   * load from the page cache, much more from disk) then run on the second core while this
   * thread decodes. Nothing keeps views of a chunk once the parser returned (records that
   * straddle chunks are copied into its carry buffer; reassembly copies what it keeps), so a
   * buffer is refilled once the chunk in it was parsed: READS_AHEAD + 1 buffers in turn.
   */
  private readAhead(size: number): PendingRead {
    const buf = this.readBufs[this.nextBuf];
    this.nextBuf = (this.nextBuf + 1) % this.readBufs.length;
    const fd = this.fd;
    const at = this.readPosition;
    const len = Math.min(size, buf.length);
    this.readPosition += len;
    const done = new Promise<number>((resolve, reject) => {
      read(fd, buf, 0, len, at, (err, n) => (err ? reject(ioError(this.path, err)) : resolve(n)));
    });
    // Handled where it is awaited; until then a failed read must not count as unhandled.
    done.catch(() => {});
    return { buf, len, done };
  }

  /** The next chunk into the parser, with the reads after it in flight; false at the end of the file. */
  private async readChunkAhead(size: number): Promise<boolean> {
    if (this.ahead.length === 0) this.ahead.push(this.readAhead(size));
    const current = this.ahead.shift()!;
    while (this.ahead.length < READS_AHEAD) this.ahead.push(this.readAhead(size));
    const n = await current.done;
    if (!this.loading) return false; // cancelled or closed while the read was in flight
    if (n > 0 && n < current.len) {
      // A short read — the file's last chunk, or a read that returned less than it could: the
      // reads after it were issued at offsets past bytes it did not return. Let them finish
      // with their buffers, then carry on from where this one stopped (at the end of the file
      // that next read returns 0).
      const stale = this.ahead.splice(0);
      await Promise.allSettled(stale.map((r) => r.done));
      this.readPosition = this.position + n;
      if (!this.loading) return false;
    }
    return this.consume(current.buf, n);
  }

  /** Parses `n` bytes just read (0: the end of the file); returns false once loading ended. */
  private consume(buf: Uint8Array, n: number): boolean {
    if (n === 0) {
      this.finishLoad();
      return false;
    }
    this.position += n;
    this.parser.push(buf.subarray(0, n));
    if (!this.reserved && this.index.count >= RESERVE_AFTER) {
      this.reserved = true;
      this.index.reserve(this.expectedPackets());
    }
    if (this.parser.stopped) {
      this.finishLoad();
      return false;
    }
    return true;
  }

  private async loadSlice(deadline: number): Promise<void> {
    while (this.loading && performance.now() < deadline) {
      const started = performance.now();
      if (!(await this.readChunkAhead(this.chunk))) break;
      // Grow while one read stays well inside a slice.
      if (this.chunk < CHUNK_MAX && performance.now() - started < SLICE_MS / 4) this.chunk *= 2;
    }
  }

  private finishLoad(): void {
    if (!this.loading) return;
    const result = this.parser.end();
    if (result.warning) this.warning = `${result.warning.message}; the ${result.packets} complete packets before it were kept.`;
    this.stopLoading();
    if (this.source === 'file') this.index.trim();
    this.maybeEmit(true);
    this.emit({ event: 'progress', data: this.loadProgress(true) });
  }

  private stopLoading(): void {
    this.loading = false;
    const fd = this.fd;
    if (fd < 0) return;
    this.fd = -1;
    const inFlight = this.ahead.splice(0);
    if (inFlight.length === 0) {
      closeSync(fd);
      return;
    }
    // Close only once the reads in flight are done with the descriptor (a number the OS could
    // otherwise hand to the next open file); their bytes, or errors, are of no use now.
    void Promise.allSettled(inFlight.map((r) => r.done)).then(() => closeAsync(fd, () => {}));
  }

  /** Stops reading the file; the packets read so far stay. */
  cancelLoad(): number {
    if (this.loading) {
      this.warning = `loading was cancelled after ${this.index.count} packets`;
      this.stopLoading();
      this.emit({ event: 'progress', data: this.loadProgress(true) });
    }
    return this.index.count;
  }

  get isLoading(): boolean {
    return this.loading;
  }

  /** Every packet of the capture is indexed (a file fully loaded; not a running live capture). */
  get complete(): boolean {
    return !this.loading && !this.liveRunning;
  }

  private loadProgress(finished: boolean) {
    const p = {
      captureId: this.captureId,
      phase: 'load' as const,
      done: this.source === 'live' ? this.parser.bytesConsumed : this.position,
      total: this.source === 'live' ? this.parser.bytesConsumed : this.fileSize,
      packets: this.index.count,
      finished,
      elapsedMs: Math.round(performance.now() - this.loadStarted),
    };
    return this.warning ? { ...p, warning: this.warning } : p;
  }

  // ------------------------------------------------------------- live input

  /** Starts an empty session fed by `appendLive` (the temp file is written by the caller). */
  startLive(): void {
    this.liveRunning = true;
    this.loadStarted = performance.now();
    this.unsaved = true;
  }

  /**
   * Bytes the capture helper produced, already appended to the temp file at the same offsets:
   * parse and index them now (the same path as file loading).
   */
  appendLive(chunk: Uint8Array): void {
    this.fileSize += chunk.length;
    this.parser.push(chunk);
    this.view?.fileGrew();
    this.scheduleEmit();
    if (this.view && !this.view.caughtUp) this.kick();
  }

  /** The helper ended: flush the parser (a cut-off last record becomes a warning). */
  endLive(): void {
    this.liveRunning = false;
    try {
      const result = this.parser.end();
      if (result.warning) this.warning = result.warning.message;
    } catch {
      // No header at all (the helper failed before writing one): nothing to index.
    }
    this.maybeEmit(true);
  }

  // ------------------------------------------------------------- scheduling

  private kick(): void {
    if (this.pumping || this.closed) return;
    this.pumping = true;
    void this.pump();
  }

  private async pump(): Promise<void> {
    try {
      for (;;) {
        await yieldToEventLoop();
        if (this.closed) return;
        let worked = false;
        if (this.loading) {
          await this.loadSlice(performance.now() + SLICE_MS);
          worked = true;
        }
        const view = this.view;
        if (view && !view.caughtUp) {
          view.step(performance.now() + SLICE_MS);
          worked = true;
        }
        this.settleFilter();
        this.maybeEmit(false);
        if (!worked) return;
      }
    } catch (err) {
      this.stopLoading();
      this.emit({ event: 'error', data: apiErrorFromCapture(err).toInfo() });
    } finally {
      this.pumping = false;
    }
  }

  /** Emits `packets`/`progress` at most every 100 ms (or now when `force`). */
  private maybeEmit(force: boolean): void {
    const now = performance.now();
    if (!force && now - this.lastEmit < EVENT_INTERVAL_MS) {
      this.scheduleEmit();
      return;
    }
    this.lastEmit = now;
    const total = this.index.count;
    const displayed = this.displayedCount;
    if (total !== this.lastEmitted.total || displayed !== this.lastEmitted.displayed || force) {
      this.lastEmitted = { total, displayed };
      this.emit({ event: 'packets', data: { captureId: this.captureId, total, displayed } });
    }
    if (this.loading) this.emit({ event: 'progress', data: this.loadProgress(false) });
    const w = this.filterWaiter;
    if (w && !w.pass.caughtUp) {
      const { done, total } = w.pass.progress;
      this.emit({
        event: 'progress',
        data: {
          captureId: this.captureId, phase: 'filter', done, total,
          packets: w.pass.count, finished: false, elapsedMs: Math.round(now - w.started),
        },
      });
    }
  }

  /** Makes sure pending changes are emitted within 100 ms even if nothing else happens. */
  private scheduleEmit(): void {
    if (this.emitTimer || this.closed) return;
    const wait = Math.max(0, EVENT_INTERVAL_MS - (performance.now() - this.lastEmit));
    this.emitTimer = setTimeout(() => {
      this.emitTimer = null;
      if (!this.closed) this.maybeEmit(true);
    }, wait);
  }

  // ---------------------------------------------------------------- queries

  get displayedCount(): number {
    return this.view ? this.view.count : this.index.count;
  }

  private packetAt(position: number): number {
    return this.view ? this.view.matches[position] : position;
  }

  info(): CaptureInfo {
    const ifaces = this.parser.interfaces;
    const digits = ifaces.length ? Math.max(...ifaces.map((i) => precisionDigits(i.tsUnitsPerSecond))) : 6;
    return {
      captureId: this.captureId,
      name: this.name,
      path: this.path,
      source: this.source,
      format: this.parser.format ?? 'pcapng',
      sizeBytes: this.source === 'live' ? this.parser.bytesConsumed : this.fileSize,
      interfaces: ifaces.map((i) => ({
        name: i.name ?? null, linkType: i.linkType, snapLen: i.snapLen, timePrecision: precisionDigits(i.tsUnitsPerSecond),
      })),
      timePrecision: digits,
      packets: this.index.count,
      loading: this.loading,
      unsaved: this.unsaved,
    };
  }

  row(i: number, position: number): PacketRow {
    const ix = this.index;
    const prevDisplayed = position > 0 ? this.packetAt(position - 1) : i;
    const f = ix.flags[i];
    const kind = f & IndexBit.TCP ? 'tcp' : f & IndexBit.UDP ? 'udp' : null;
    const severity = SEVERITY_CODES[ix.expert[i]];
    return {
      number: i + 1,
      index: position,
      epochSec: ix.tsSec[i],
      epochNsec: ix.tsNsec[i],
      relativeNs: ix.diffNs(0, i),
      deltaNs: i > 0 ? ix.diffNs(i - 1, i) : 0,
      deltaDisplayedNs: position > 0 ? ix.diffNs(prevDisplayed, i) : 0,
      source: ix.addresses.get(ix.source[i]),
      destination: ix.addresses.get(ix.destination[i]),
      protocol: ix.protocols.get(ix.protocol[i]),
      length: ix.origLen[i],
      capturedLength: ix.capLen[i],
      info: ix.info.get(i),
      color: COLOR_RULES[ix.color[i]] ?? 'none',
      flags: f & API_FLAG_MASK,
      expert: severity ? severity : null,
      stream: kind ? ix.stream[i] : -1,
      streamKind: kind && ix.stream[i] >= 0 ? kind : null,
    };
  }

  getRows(start: number, count: number): RowWindow {
    const displayed = this.displayedCount;
    const end = Math.min(displayed, start + count);
    const rows: PacketRow[] = [];
    for (let p = start; p < end; p++) rows.push(this.row(this.packetAt(p), p));
    return { captureId: this.captureId, start, rows, displayed, total: this.index.count };
  }

  private checkFrame(number: number): number {
    if (number < 1 || number > this.index.count) {
      throw new ApiError('not-found', `there is no packet ${number} (the capture has ${this.index.count} packets${this.loading ? ' so far' : ''})`);
    }
    return number - 1;
  }

  locate(number: number): number {
    const i = this.checkFrame(number);
    if (!this.view) return i;
    const m = this.view.matches;
    let lo = 0;
    let hi = this.view.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (m[mid] === i) return mid;
      if (m[mid] < i) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  getPacket(number: number): PacketDetail {
    const i = this.checkFrame(number);
    let d;
    try {
      d = this.detail.decode(i);
    } catch (err) {
      throw apiErrorFromCapture(err);
    }
    const position = this.locate(number);
    return {
      captureId: this.captureId,
      number,
      bytes: d.bytes,
      sources: d.sources,
      layers: d.layers,
      tree: d.tree,
      problems: d.problems,
      row: this.row(i, position < 0 ? 0 : position),
    };
  }

  /** Applies a display filter; resolves once every packet indexed so far was tested. */
  async applyFilter(expression: string): Promise<FilterResult> {
    const started = performance.now();
    this.filterWaiter?.reject(new ApiError('cancelled', 'a newer display filter replaced this one'));
    this.filterWaiter = null;
    this.view?.close();
    this.view = null;
    const trimmed = expression.trim();
    if (trimmed === '') {
      this.maybeEmit(true);
      return this.filterResult('', started);
    }
    const compiled = compileDisplayFilter(trimmed);
    const pass = new FilterPass(compiled, this.index, this.path, this.detail, this.complete);
    this.view = pass;
    return new Promise<FilterResult>((resolve, reject) => {
      this.filterWaiter = { pass, started, resolve, reject };
      pass.step(performance.now() + SLICE_MS);
      this.settleFilter();
      if (this.filterWaiter) this.kick();
    });
  }

  private settleFilter(): void {
    const w = this.filterWaiter;
    if (!w || !w.pass.caughtUp) return;
    this.filterWaiter = null;
    this.maybeEmit(true);
    this.emit({
      event: 'progress',
      data: {
        captureId: this.captureId, phase: 'filter', done: w.pass.progress.done, total: w.pass.progress.total,
        packets: w.pass.count, finished: true, elapsedMs: Math.round(performance.now() - w.started),
      },
    });
    w.resolve(this.filterResult(w.pass.compiled.expression, w.started));
  }

  private filterResult(expression: string, started: number): FilterResult {
    return {
      captureId: this.captureId,
      expression,
      displayed: this.displayedCount,
      total: this.index.count,
      elapsedMs: Math.round(performance.now() - started),
    };
  }

  get filterExpression(): string {
    return this.view?.compiled.expression ?? '';
  }

  getConversations(kind: 'tcp' | 'udp' | 'ip'): Conversation[] {
    return conversations(this.index, kind);
  }

  getEndpoints(kind: 'tcp' | 'udp' | 'ip'): Endpoint[] {
    return endpoints(this.index, kind);
  }

  getStats(transactionLimit = 10_000): CaptureStats {
    const ix = this.index;
    const totals = flagTotals(ix);
    const n = ix.count;
    const time = (i: number) => ({ sec: ix.tsSec[i], nsec: ix.tsNsec[i] });
    const tx = transactions(this.replayContext(), transactionLimit);
    return {
      captureId: this.captureId,
      packets: n,
      bytes: totals.bytes,
      capturedBytes: totals.capturedBytes,
      firstTime: n ? time(0) : null,
      lastTime: n ? time(n - 1) : null,
      durationNs: n ? ix.diffNs(0, n - 1) : 0,
      protocolHierarchy: protocolHierarchy(ix),
      analysisCounts: totals.analysisCounts,
      malformedPackets: totals.malformed,
      truncatedPackets: totals.truncated,
      dns: tx.dns,
      http: tx.http,
      icmpEcho: tx.icmpEcho,
      transactionsTruncated: tx.truncated,
    };
  }

  /** What the analysis views need to replay packets. */
  replayContext() {
    return {
      captureId: this.captureId,
      analyzer: this.indexer.analyzer,
      index: this.index,
      reader: this.reader,
      detail: this.detail,
      path: this.path,
    };
  }

  followStream(protocol: 'tcp' | 'udp', stream: number): FollowResult {
    return followStream(this.replayContext(), protocol, stream);
  }

  async getSequence(params: { streams?: number[]; protocol?: 'tcp' | 'udp'; filter?: string; limit?: number }): Promise<SequenceDiagram> {
    let frames: number[] | null = null;
    if (params.filter !== undefined && params.filter.trim() !== '') {
      frames = await this.matchingPackets(params.filter);
    }
    const protocol = params.protocol ?? 'tcp';
    const streams = params.streams ?? null;
    const title = frames
      ? `Packets matching ${params.filter!.trim()} — ${this.name}`
      : `${protocol.toUpperCase()} stream${streams && streams.length > 1 ? 's' : ''} ${(streams ?? []).join(', ')} — ${this.name}`;
    return sequenceDiagram(this.replayContext(), { streams, protocol, packets: frames, limit: params.limit ?? 2000, title });
  }

  /** Packet indexes a filter matches (a separate pass: the displayed view is not touched). */
  private async matchingPackets(expression: string): Promise<number[]> {
    const pass = new FilterPass(compileDisplayFilter(expression.trim()), this.index, this.path, this.detail, this.complete);
    try {
      while (!pass.caughtUp) {
        pass.step(performance.now() + SLICE_MS);
        if (!pass.caughtUp) await yieldToEventLoop();
        if (this.closed) throw new ApiError('cancelled', 'the capture was closed');
      }
      return Array.from(pass.matches.subarray(0, pass.count));
    } finally {
      pass.close();
    }
  }

  /** Packet indexes for an export scope. */
  exportSelection(scope: 'all' | 'displayed' | 'selected', frames?: number[]): Uint32Array {
    const n = this.index.count;
    if (scope === 'all') {
      const all = new Uint32Array(n);
      for (let i = 0; i < n; i++) all[i] = i;
      return all;
    }
    if (scope === 'displayed') {
      if (!this.view) return this.exportSelection('all');
      return this.view.matches.slice(0, this.view.count);
    }
    const list = (frames ?? []).map((f) => this.checkFrame(f));
    return Uint32Array.from(new Set(list)).sort();
  }

  exportPackets(path: string, format: CaptureFileFormat, selection: Uint32Array): ExportResult {
    try {
      const written = writeCaptureFile(path, format, this.parser.interfaces, this.index, this.reader, selection, this.comments);
      return { packets: selection.length, sizeBytes: written, format, path };
    } catch (err) {
      throw apiErrorFromCapture(err);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.filterWaiter?.reject(new ApiError('cancelled', 'the capture was closed'));
    this.filterWaiter = null;
    if (this.emitTimer) clearTimeout(this.emitTimer);
    this.stopLoading();
    this.view?.close();
    this.reader.close();
  }

  /** Test/bench hook: resolves once the file is fully loaded and any filter caught up. */
  async whenIdle(): Promise<void> {
    while (!this.closed && (this.loading || (this.view && !this.view.caughtUp) || this.pumping)) {
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

/** Appends bytes to a temp capture file (live capture), all of them. */
export function appendAll(fd: number, chunk: Uint8Array): void {
  let off = 0;
  while (off < chunk.length) off += writeSync(fd, chunk, off, chunk.length - off);
}
