/**
 * Display filters over a loaded (or still loading) capture. A filter that only reads what the
 * index holds (`tcp.stream == 3`, `udp`, `frame.number <= 100` …) runs over the typed arrays
 * without decoding. Anything else re-decodes the packets in file order with a fresh analyzer
 * and a FieldCollector for just the filter's fields — tshark's -Y pass, reading the file in
 * large windows. The pass follows the index as it grows (loading, live capture).
 */
import { createAnalyzer, type Analyzer } from '../analysis/index.js';
import { tcpAppDemand } from '../analysis/reassembly/demand.js';
import { compileFilter, type PacketFilter } from '../filter/index.js';
import { decodePacket, DecodeSession, FieldCollector, fieldCount, NullSink } from '../decode/index.js';
import { ApiError } from '../api/errors.js';
import { growTo } from './columns.js';
import type { DetailDecoder } from './detail.js';
import { compileIndexFilter, type IndexPredicate } from './index-filter.js';
import type { PacketIndex } from './packet-index.js';
import { PacketReader } from './packet-reader.js';

export interface CompiledDisplayFilter {
  expression: string;
  /** Set when the filter can be answered from the index alone. */
  indexPredicate: IndexPredicate | null;
  /** The decoding filter (always compiled, so errors are the filter module's). */
  filter: PacketFilter | null;
}

/** Compiles an expression or throws ApiError('bad-filter') with the filter module's sentence. */
export function compileDisplayFilter(expression: string): CompiledDisplayFilter {
  const compiled = compileFilter(expression);
  if (!compiled.ok) throw new ApiError('bad-filter', compiled.error.message);
  const indexFilter = compileIndexFilter(expression);
  return { expression, indexPredicate: indexFilter?.predicate ?? null, filter: compiled.filter };
}

/**
 * The growing list of packet indexes a filter matched. With `twoPass` (the file is loaded
 * completely) it first decodes every packet once for the analysis, then filters in a second
 * pass — tshark -2, i.e. what Wireshark's GUI filters see (tcp.completeness, iRTT and
 * response links are final). During a live capture or load the single pass keeps up instead.
 */
export class FilterPass {
  matches = new Uint32Array(1024);
  count = 0;
  /** Next packet index to test (second pass). */
  cursor = 0;
  /** Next packet index of the first pass, and where it ends (-1: no first pass left). */
  private firstCursor = 0;
  private firstEnd = -1;
  private readonly analyzer: Analyzer | null;
  private session: DecodeSession | null;
  private readonly collector: FieldCollector | null;
  private reader: PacketReader | null = null;
  private readonly nullSink = new NullSink();

  constructor(
    readonly compiled: CompiledDisplayFilter,
    private readonly index: PacketIndex,
    private readonly path: string,
    private readonly detail: DetailDecoder,
    twoPass = false,
  ) {
    if (compiled.indexPredicate || !compiled.filter) {
      this.analyzer = null;
      this.session = null;
      this.collector = null;
    } else {
      // Demand-driven (analysis/reassembly/demand.ts): a filter that reads no HTTP/DNS-over-TCP
      // field skips their desegmentation and dissection, with the same result.
      this.analyzer = createAnalyzer({ tcpApps: tcpAppDemand(compiled.filter.fields) });
      this.session = this.newSession();
      this.collector = new FieldCollector([...compiled.filter.fields], fieldCount());
      if (twoPass) this.firstEnd = index.count;
    }
  }

  private newSession(previousPass?: DecodeSession): DecodeSession {
    const session = new DecodeSession(this.analyzer!.hooks, previousPass);
    // Filters read fields, not the Info column: skip building it.
    session.wantsColumns = false;
    return session;
  }

  get caughtUp(): boolean {
    return this.firstEnd < 0 && this.cursor >= this.index.count;
  }

  /** Packets decoded so far and in all (both passes), for progress events. */
  get progress(): { done: number; total: number } {
    const n = this.index.count;
    if (this.firstEnd >= 0) return { done: this.firstCursor, total: this.firstEnd + n };
    return { done: this.cursor + (this.firstCursor > 0 ? this.firstCursor : 0), total: n + (this.firstCursor > 0 ? this.firstCursor : 0) };
  }

  private push(i: number): void {
    if (this.count === this.matches.length) this.matches = growTo(this.matches, this.matches.length * 2);
    this.matches[this.count++] = i;
  }

  /** Tests packets until the index is exhausted or `deadline` (performance.now()) passes. */
  step(deadline: number): void {
    const ix = this.index;
    const pred = this.compiled.indexPredicate;
    if (pred) {
      while (this.cursor < ix.count) {
        const i = this.cursor++;
        if (pred(ix, i)) this.push(i);
        if ((i & 0xffff) === 0 && performance.now() > deadline) return;
      }
      return;
    }
    this.reader ??= new PacketReader(this.path);
    const reader = this.reader;
    if (this.firstEnd >= 0) {
      const session = this.session!;
      while (this.firstCursor < this.firstEnd) {
        const i = this.firstCursor++;
        decodePacket(this.detail.frameInfo(i), reader.view(ix, i), session, this.nullSink);
        if ((i & 0xff) === 0 && performance.now() > deadline) return;
      }
      this.analyzer!.beginSecondPass();
      this.session = this.newSession(session);
      this.firstEnd = -1;
    }
    const filter = this.compiled.filter!;
    const session = this.session!;
    const collector = this.collector!;
    const get = collector.get.bind(collector);
    while (this.cursor < ix.count) {
      const i = this.cursor++;
      const bytes = reader.view(ix, i);
      collector.reset();
      decodePacket(this.detail.frameInfo(i), bytes, session, collector);
      if (filter.matches({ get, bytes })) this.push(i);
      if ((i & 0xff) === 0 && performance.now() > deadline) return;
    }
  }

  /** The file grew (live capture): drop cached file windows. */
  fileGrew(): void {
    this.reader?.invalidate();
  }

  close(): void {
    this.reader?.close();
    this.reader = null;
  }
}
