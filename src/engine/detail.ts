/**
 * On-demand packet detail (getPacket): the packet is decoded again from its bytes in the file
 * into a TreeSink. Fields computed by the analysis (relative seq/ack, analysis flags, RTTs,
 * reassembled HTTP …) depend on the packets before it, but only on those of the same TCP/UDP
 * stream: the packets of that stream up to this one are replayed through a fresh analyzer
 * (NullSink, cheap), then this one is decoded with the tree. A fresh analyzer numbers the
 * replayed stream 0, so tcp.stream/udp.stream are put back to the index's number.
 * Moving forward within one stream (the usual arrow-down browsing) continues the previous
 * replay instead of starting over.
 */
import { createAnalyzer } from '../analysis/index.js';
import type { CaptureInterface } from '../capture/types.js';
import {
  decodePacket, DecodeSession, NullSink, TreeSink, type FrameInfo,
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
  /** Index of the last packet fed to `session`. */
  position: number;
  session: DecodeSession;
}

const nullSink = new NullSink();

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
      interfaceId: iface?.id ?? 0,
      linkType: iface?.linkType ?? 1,
    };
    const c = this.comments.get(i);
    if (c) info.comments = c;
    return info;
  }

  private freshSession(): DecodeSession {
    const session = new DecodeSession(createAnalyzer().hooks);
    session.firstTime = { sec: this.index.tsSec[0], nsec: this.index.tsNsec[0] };
    return session;
  }

  private setPrevTime(session: DecodeSession, i: number): void {
    const p = i > 0 ? i - 1 : 0;
    session.prevTime = { sec: this.index.tsSec[p], nsec: this.index.tsNsec[p] };
  }

  /** The session positioned just before packet i (its stream's earlier packets replayed). */
  private sessionFor(i: number): { session: DecodeSession; kind: number; stream: number } {
    const ix = this.index;
    const kind = ix.flags[i] & (IndexBit.TCP | IndexBit.UDP);
    const stream = ix.stream[i];
    if (!kind || stream < 0) return { session: this.freshSession(), kind: 0, stream: -1 };
    let state = this.replay;
    if (!state || state.kind !== kind || state.stream !== stream || state.position >= i) {
      state = { kind, stream, position: -1, session: this.freshSession() };
    }
    for (let j = state.position + 1; j < i; j++) {
      if (ix.stream[j] !== stream || (ix.flags[j] & (IndexBit.TCP | IndexBit.UDP)) !== kind) continue;
      this.setPrevTime(state.session, j);
      decodePacket(this.frameInfo(j), this.reader.read(ix, j), state.session, nullSink);
    }
    state.position = i;
    this.replay = state;
    return { session: state.session, kind, stream };
  }

  decode(i: number): DecodedDetail {
    const { session, kind, stream } = this.sessionFor(i);
    const bytes = this.reader.read(this.index, i);
    const tree = new TreeSink();
    this.setPrevTime(session, i);
    const ctx = decodePacket(this.frameInfo(i), bytes, session, tree);
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
