/**
 * Stateful analysis over the packets of one capture, attached to the decoders through
 * DecodeHooks (TCP streams and analysis flags, UDP streams, reassembly, transactions). This is
 * the composition point: each part owns its module and adds its hooks and queries here.
 *
 * Use: `const a = createAnalyzer(); const session = new DecodeSession(a.hooks);` then decode
 * the packets in file order (`decodePacket`), calling `a.account(ctx)` after each one if the
 * IP conversation/endpoint tables are wanted. For tshark -2 semantics, decode every packet once
 * (any sink, e.g. NullSink), call `a.beginSecondPass()`, then decode them again with a fresh
 * DecodeSession on the same hooks. Isomorphic.
 *
 * Per-packet results for the packet index: after a TCP packet is decoded, ctx.meta.tcp (the
 * TcpSegmentInfo) carries `stream` (tcp.stream) and `analysisFlags` (Wireshark's TCP_A_*
 * bitmask, see tcp/flags.ts); a UDP dissector passing UdpDatagramInfo gets `stream`
 * (udp.stream) back. `a.tcp.streamOf(frame)` answers later as well.
 */
import type { DecodeHooks, DissectContext } from '../decode/index.js';
import { AnalysisClock } from './clock.js';
import { AddressBook } from './conversations/addresses.js';
import { IpConversations } from './conversations/ip-conversations.js';
import { TcpAnalyzer, type TcpStateAfter } from './tcp/tcp-analyzer.js';
import type { TcpStreamSummary } from './tcp/summary.js';
import { UdpAnalyzer } from './udp/udp-analyzer.js';
import { TcpDesegmenter } from './reassembly/desegment.js';
import { TransactionTracker } from './transactions/index.js';
import { TcpAppSkipper, type TcpApp } from './reassembly/demand.js';
import type { FrameBytes } from './reassembly/fragments.js';
import type { PduBufferPool } from './reassembly/buffer-pool.js';

export type { FrameBytes } from './reassembly/fragments.js';
export { PduBufferPool } from './reassembly/buffer-pool.js';

export type { TcpStreamSummary, TcpEndpointSummary, TcpHandshake, TcpTeardown, TeardownKind } from './tcp/summary.js';
export type { TcpStateAfter, TcpStreamFinal } from './tcp/tcp-analyzer.js';
export type { EndpointState } from './tcp/states.js';
export { STATE_LABELS } from './tcp/states.js';
export type { UdpStreamSummary } from './udp/udp-analyzer.js';
export type { IpConversationSummary, IpEndpointSummary } from './conversations/ip-conversations.js';
export * from './tcp/flags.js';

export interface Analyzer {
  readonly hooks: DecodeHooks;
  /** TCP streams: summaries, states, stream of a frame (see TcpAnalyzer). */
  readonly tcp: TcpAnalyzer;
  /** UDP streams. */
  readonly udp: UdpAnalyzer;
  /** IP conversations and endpoints (fed by `account`). */
  readonly ip: IpConversations;
  /** Counts a decoded packet in the IP conversation/endpoint tables. */
  account(ctx: DissectContext): void;
  /** Switches to tshark -2 semantics for a second decoding of the same packets. */
  beginSecondPass(): void;
  /** Summaries of every TCP stream (client/server, handshake, teardown, counts, throughput). */
  tcpStreams(): TcpStreamSummary[];
  /** DNS / ICMP echo / HTTP request ↔ response transactions (transactions/index.ts). */
  readonly transactions: TransactionTracker;
  /** Client's and server's RFC 793 states right after a TCP frame. */
  stateAfter(frame: number): TcpStateAfter | undefined;
}

export interface AnalyzerOptions {
  /**
   * The application protocols over TCP whose results someone reads (reassembly/demand.ts
   * tcpAppDemand). When given, payloads that would go to another application dissector are
   * neither desegmented nor dissected. Absent or null: everything (the default).
   */
  tcpApps?: ReadonlySet<TcpApp> | null;
  /** beginSecondPass will never be called: the reassembly may forget what only it needs. */
  singlePass?: boolean;
  /**
   * Where captured frames' bytes can be read back (the engine: its capture file). Lets the
   * reassembly drop the copies of PDUs that wait long for more (reassembly/desegment.ts).
   */
  frameBytes?: FrameBytes;
  /** With frameBytes: bytes of reassembly copies kept before spilling (default 8 MiB). */
  maxCopiedBytes?: number;
  /** Where reassembled PDUs' buffers come from (reassembly/desegment.ts DesegmentOptions). */
  bufferPool?: PduBufferPool | null;
}

export function createAnalyzer(opts: AnalyzerOptions = {}): Analyzer {
  const clock = new AnalysisClock();
  const book = new AddressBook();
  const tcp = new TcpAnalyzer(book, clock);
  const udp = new UdpAnalyzer(book, clock);
  const ip = new IpConversations(book, clock);
  // Application PDUs over TCP (HTTP, DNS): reassembly/desegment.ts.
  const desegment = new TcpDesegmenter({
    singlePass: opts.singlePass === true,
    ...(opts.frameBytes ? { frameBytes: opts.frameBytes } : {}),
    ...(opts.maxCopiedBytes !== undefined ? { maxCopiedBytes: opts.maxCopiedBytes } : {}),
    ...(opts.bufferPool !== undefined ? { bufferPool: opts.bufferPool } : {}),
  });
  const transactions = new TransactionTracker();

  // Demand-driven: a segment whose payload nobody reads is "taken" without any work.
  const skipper = opts.tcpApps ? new TcpAppSkipper(opts.tcpApps) : null;
  let skipped: unknown = null;

  const hooks: DecodeHooks = {
    tcp: (ctx, seg) => {
      skipped = null;
      tcp.onSegment(ctx, seg);
    },
    tcpFields: (ctx, seg, where) => {
      tcp.onFields(ctx, seg, where);
      if (where === 'payload') {
        if (skipper && skipper.skips(seg.srcPort, seg.dstPort)) skipped = seg;
        else {
          skipped = null;
          desegment.onFields(ctx, seg);
        }
      }
    },
    tcpPayload: (ctx, seg) => (skipped === seg ? true : desegment.onPayload(ctx, seg)),
    udp: (ctx, dgram) => udp.onDatagram(ctx, dgram),
    transaction: (ctx, kind, key, isRequest) => transactions.onTransaction(ctx, kind, key, isRequest),
  };

  return {
    hooks,
    tcp,
    udp,
    ip,
    transactions,
    account: (ctx) => ip.account(ctx),
    beginSecondPass() {
      tcp.beginSecondPass();
      desegment.beginSecondPass();
      transactions.beginSecondPass();
      udp.reset();
      ip.reset();
      clock.reset();
    },
    tcpStreams: () => tcp.summaries(),
    stateAfter: (frame) => tcp.stateAfter(frame),
  };
}
