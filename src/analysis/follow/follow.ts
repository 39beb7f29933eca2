/**
 * Follow TCP Stream: one stream's conversation as two interleaved byte streams, built from
 * the stream's segments (pushed while the capture loads, or re-read from the file on
 * demand) by the reassembler. The result is what the Follow view, `wirescope follow` and the
 * engine's `followStream` show. Isomorphic.
 */
import { reassembleStream, gapPlaceholderLength, type ReassemblerOptions } from '../reassembly/stream-reassembler.js';
import type { Node, RetransmissionConflict, StreamItem, StreamSegment } from '../reassembly/types.js';

export interface FollowEndpoint {
  /** "192.0.2.1:49152" or "[2001:db8::1]:80" (tshark's Node line), "" when unknown. */
  label: string;
}

/** A delivered piece of the conversation with where it sits in its direction's bytes. */
export type FollowChunk =
  | { kind: 'data'; node: Node; frame: number; tsSec: number; tsNsec: number; offset: number; bytes: Uint8Array }
  | { kind: 'gap'; node: Node; frame: number; tsSec: number; tsNsec: number; offset: number; missing: number }
  | { kind: 'syn' | 'fin' | 'rst'; node: Node; frame: number; tsSec: number; tsNsec: number; offset: number };

export interface FollowResult {
  stream: number;
  /** Node 0 sent the stream's first captured packet (tshark's convention). */
  nodes: [FollowEndpoint, FollowEndpoint];
  chunks: FollowChunk[];
  /** Bytes per direction (data only, gaps excluded). */
  bytes: [number, number];
  /** Bytes the capture missed, per direction. */
  missing: [number, number];
  conflicts: RetransmissionConflict[];
  /** Segments never delivered (a hole nothing acknowledged past): tshark drops them too. */
  undelivered: { node: Node; frame: number; length: number }[];
}

/**
 * `offset` of a chunk counts the bytes of its direction before it as tshark's hex view does
 * (a gap placeholder counts as its text length plus one).
 */
export function followTcpStream(
  stream: number,
  segments: Iterable<StreamSegment>,
  opts: ReassemblerOptions = {},
): FollowResult {
  const r = reassembleStream(segments, opts);
  const pos: [number, number] = [0, 0];
  const bytes: [number, number] = [0, 0];
  const missing: [number, number] = [0, 0];
  const chunks: FollowChunk[] = r.items.map((it: StreamItem): FollowChunk => {
    const base = { node: it.node, frame: it.frame, tsSec: it.tsSec, tsNsec: it.tsNsec, offset: pos[it.node] };
    switch (it.kind) {
      case 'data':
        pos[it.node] += it.bytes.length;
        bytes[it.node] += it.bytes.length;
        return { kind: 'data', ...base, bytes: it.bytes };
      case 'gap':
        pos[it.node] += gapPlaceholderLength(it.missing);
        missing[it.node] += it.missing;
        return { kind: 'gap', ...base, missing: it.missing };
      default:
        return { kind: it.kind, ...base };
    }
  });
  return {
    stream,
    nodes: [{ label: r.nodes[0] ?? '' }, { label: r.nodes[1] ?? '' }],
    chunks,
    bytes,
    missing,
    conflicts: r.conflicts,
    undelivered: r.pending.map((p) => ({ node: p.node, frame: p.frame, length: p.bytes.length })),
  };
}
