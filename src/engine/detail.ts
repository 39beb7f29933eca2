/**
 * On-demand packet detail (getPacket): the packet is decoded again from its bytes in the file
 * into a TreeSink. Fields computed by the analysis (relative seq/ack, analysis flags, RTTs,
 * completeness, reassembled PDUs …) depend on other packets — but only on those of the same
 * TCP/UDP stream (and on the IP fragments that carried it). Those packets are replayed through
 * a fresh analyzer with tshark -2 semantics, as Wireshark's GUI shows a loaded file: a first
 * pass over the whole stream, `beginSecondPass`, then the stream's packets up to this one,
 * the last with the tree. A fresh analyzer numbers the replayed stream 0, so
 * tcp.stream/udp.stream are put back to the index's number. Moving forward within a stream
 * (arrow-down browsing) continues the previous replay instead of starting over.
 */
import { createAnalyzer } from '../analysis/index.js';
import type { CaptureInterface } from '../capture/types.js';
import {
  decodePacket, DecodeSession, NullSink, TreeSink, type FieldSink, type FrameInfo,
} from '../decode/index.js';
import type { DataSourceBytes, DecodeProblemInfo, DetailNode } from '../api/types.js';
import { patchFieldValue, toDetailNodes } from './detail-tree.js';
import { IndexBit, type PacketIndex } from './packet-index.js';
import type { PacketReader } from './packet-reader.js';

export interface DecodedDetail {
  bytes: Uint8Array;
  sources: DataSourceBytes[];
  layers: string[];
  tree: DetailNode[];
  problems: DecodeProblemInfo[];
}

interface ReplayState {
  kind: number;
  stream: number;
  /** The packets replayed for this stream (index order), and how many were fed so far. */
  packets: number[];
  fed: number;
  session: DecodeSession;
}

const nullSink = new NullSink();
const STREAM_KIND = IndexBit.TCP | IndexBit.UDP;

export class DetailDecoder {
  private replay: ReplayState | null = null;

  constructor(
    private readonly index: PacketIndex,
    private readonly reader: PacketReader,
    private readonly interfaces: readonly CaptureInterface[],
    private readonly comments: ReadonlyMap<number, string[]>,
  ) {}

  frameInfo(i: number): FrameInfo {
    const ix = this.index;
    const iface = this.interfaces[ix.iface[i]];
    const info: FrameInfo = {
      number: i + 1,
      tsSec: ix.tsSec[i],
      tsNsec: ix.tsNsec[i],
      capLen: ix.capLen[i],
      origLen: ix.origLen[i],
      interfaceId: iface?.format === 'pcap' ? -1 : iface?.id ?? 0,
      linkType: iface?.linkType ?? 1,
    };
    const c = this.comments.get(i);
    if (c) info.comments = c;
    return info;
  }

  private newSession(hooks: DecodeSession['hooks'], previousPass?: DecodeSession): DecodeSession {
    const session = new DecodeSession(hooks, previousPass);
    session.firstTime = { sec: this.index.tsSec[0], nsec: this.index.tsNsec[0] };
    return session;
  }

  private feed(session: DecodeSession, i: number, sink: FieldSink = nullSink) {
    const p = i > 0 ? i - 1 : 0;
    session.prevTime = { sec: this.index.tsSec[p], nsec: this.index.tsNsec[p] };
    const bytes = this.reader.read(this.index, i);
    return { bytes, ctx: decodePacket(this.frameInfo(i), bytes, session, sink) };
  }

  /**
   * The packets that make up packet i's analysis context: its stream's packets, plus the IP
   * fragments between the same addresses that precede a reassembled datagram of the stream.
   */
  private replaySet(kind: number, stream: number): number[] {
    const ix = this.index;
    const out: number[] = [];
    const addrs = new Set<number>();
    for (let j = 0; j < ix.count; j++) {
      if ((ix.flags[j] & STREAM_KIND) === kind && ix.stream[j] === stream) {
        out.push(j);
        addrs.add(ix.source[j] * 0x4000000 + ix.destination[j]);
      }
    }
    // Fragments without a transport header carry no stream: add those of the same address pair.
    const withFragments: number[] = [];
    let k = 0;
    for (let j = 0; j < ix.count && k < out.length; j++) {
      if (j === out[k]) {
        withFragments.push(j);
        k++;
      } else if ((ix.flags[j] & IndexBit.FRAGMENT) && !(ix.flags[j] & STREAM_KIND) &&
                 addrs.has(ix.source[j] * 0x4000000 + ix.destination[j])) {
        withFragments.push(j);
      }
    }
    return withFragments;
  }

  /** The second-pass session positioned just before packet i. */
  private sessionFor(i: number): { session: DecodeSession; kind: number; stream: number } {
    const ix = this.index;
    const kind = ix.flags[i] & STREAM_KIND;
    const stream = ix.stream[i];
    if (!kind || stream < 0) {
      const analyzer = createAnalyzer();
      return { session: this.newSession(analyzer.hooks), kind: 0, stream: -1 };
    }
    let state = this.replay;
    const resume = state && state.kind === kind && state.stream === stream && state.fed > 0 &&
      state.packets[state.fed - 1] < i && state.packets.includes(i);
    if (!state || !resume) {
      const packets = this.replaySet(kind, stream);
      const analyzer = createAnalyzer();
      const first = this.newSession(analyzer.hooks);
      first.wantsColumns = false;
      for (const j of packets) this.feed(first, j);
      analyzer.beginSecondPass();
      // The second pass sees the first's file-scoped decoder state (reassemblies …), as tshark -2.
      state = { kind, stream, packets, fed: 0, session: this.newSession(analyzer.hooks, first) };
    }
    while (state.fed < state.packets.length && state.packets[state.fed] < i) {
      this.feed(state.session, state.packets[state.fed]);
      state.fed++;
    }
    // Packet i itself is decoded next by the caller.
    if (state.packets[state.fed] === i) state.fed++;
    this.replay = state;
    return { session: state.session, kind, stream };
  }

  /**
   * Decodes packet i into `sink` in its analysis context (its stream replayed before it): for
   * fields that depend on other packets, such as reassembled HTTP messages.
   */
  decodeInto(i: number, sink: FieldSink): { bytes: Uint8Array; kind: number; stream: number } {
    const { session, kind, stream } = this.sessionFor(i);
    const { bytes } = this.feed(session, i, sink);
    return { bytes, kind, stream };
  }

  decode(i: number): DecodedDetail {
    const { session, kind, stream } = this.sessionFor(i);
    const tree = new TreeSink();
    const { bytes, ctx } = this.feed(session, i, tree);
    if (kind === IndexBit.TCP) patchFieldValue(tree.roots, 'tcp.stream', stream);
    else if (kind === IndexBit.UDP) patchFieldValue(tree.roots, 'udp.stream', stream);
    const sources: DataSourceBytes[] = [];
    const nodes = toDetailNodes(tree.roots, bytes, sources);
    return {
      bytes,
      sources,
      layers: ctx.protocols.slice(),
      tree: nodes,
      problems: ctx.problems.map((p) => ({ kind: p.kind, layer: p.layer, field: p.field, offset: p.offset, message: p.message })),
    };
  }

  /** Forget the replay (the index changed under it). */
  reset(): void {
    this.replay = null;
  }
}
