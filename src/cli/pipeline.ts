/**
 * The CLI's packet loop: read the file record by record, decode each frame into one reused
 * FieldCollector (the requested fields plus the ones the display filter reads), and hand the
 * packets that pass the filter to the command. Shared by `fields`, `summary`, `stats` …
 */
import { readCaptureFileSync } from '../capture/read-node.js';
import type { CaptureInterface, PacketRecord, ReadResult } from '../capture/types.js';
import {
  decodePacket, DecodeSession, FieldCollector, fieldCount, NullSink,
  type DissectContext, type FieldDef,
} from '../decode/index.js';
import { createAnalyzer } from '../analysis/index.js';
import { tcpAppDemand } from '../analysis/reassembly/demand.js';
import type { PacketFilter } from '../filter/types.js';

export interface PipelineOptions {
  file: string;
  /** Fields the command prints; their occurrences are in `collector.column(i)`. */
  fields: readonly FieldDef[];
  /** Display filter (-Y): packets that do not match are skipped. */
  filter?: PacketFilter;
  /** Collect display text (needed when printing protocol nodes). */
  wantsText?: boolean;
  onPacket(ctx: DissectContext, rec: PacketRecord, collector: FieldCollector): void;
  onInterface?(iface: CaptureInterface): void;
  /**
   * tshark -2: decode the whole file once for the analysis only (NullSink, no columns), then
   * print from a second decoding, so values known only at the end (tcp.completeness,
   * tcp.analysis.initial_rtt on the SYN-ACK, …) are shown as tshark -2 shows them.
   */
  twoPass?: boolean;
  /**
   * The command reads nothing of a packet but the occurrences of `fields` (and the filter's):
   * not ctx.cols, not ctx.protocols. Then the columns are not built and TCP payloads whose
   * application nobody reads are neither desegmented nor dissected (analysis/reassembly/
   * demand.ts): the same output for less work.
   */
  onlyFields?: boolean;
}

export function runPipeline(opts: PipelineOptions): ReadResult {
  const wanted = [...opts.fields, ...(opts.filter?.fields ?? [])];
  const onlyFields = opts.onlyFields === true && !wanted.some((d) => d.name.startsWith('_ws.col.'));
  const analyzer = createAnalyzer({ tcpApps: onlyFields ? tcpAppDemand(wanted) : null, singlePass: !opts.twoPass });
  let first: DecodeSession | undefined;
  if (opts.twoPass) {
    const pass1 = new DecodeSession(analyzer.hooks);
    first = pass1;
    pass1.wantsColumns = false;
    const sink = new NullSink();
    readCaptureFileSync(opts.file, (rec) => {
      decodePacket(rec, rec.data, pass1, sink);
    });
    analyzer.beginSecondPass();
  }
  // The second pass sees the first pass's file-scoped decoder state (reassemblies, ARP findings).
  const session = new DecodeSession(analyzer.hooks, first);
  if (onlyFields) session.wantsColumns = false;
  const { filter } = opts;
  const collector = new FieldCollector([...opts.fields, ...(filter?.fields ?? [])], fieldCount(), opts.wantsText);
  return readCaptureFileSync(opts.file, (rec) => {
    collector.reset();
    const ctx = decodePacket(rec, rec.data, session, collector);
    if (filter && !filter.matches({ get: (d) => collector.get(d), bytes: rec.data })) return;
    opts.onPacket(ctx, rec, collector);
  }, { onInterface: opts.onInterface });
}
