/**
 * Entry point of the decoders: `decodePacket` dissects one frame into a sink. Importing this
 * module registers every protocol. Isomorphic.
 */
import { DissectContext, type DecodeSession, type FrameInfo } from './context.js';
import { dissectFrame } from './protocols/frame.js';
import type { FieldSink } from './sink.js';
import './protocols/all.js';

export { DecodeSession, DissectContext } from './context.js';
export type { FrameInfo, PacketMeta, Columns, DecodeProblem, TcpSegmentInfo, DecodeHooks, UdpDatagramInfo, NetAddresses } from './context.js';
export { TreeSink, FieldCollector, NullSink, GENERATED, HIDDEN } from './sink.js';
export type { FieldSink, FieldNode, ExpertNote, Occurrences } from './sink.js';
export { lookupField, allFields, fieldById, fieldCount } from './fields/types.js';
export type { FieldDef, FieldType, FieldValue, Timestamp } from './fields/types.js';
export { formatFieldValue, formatNodeLine, formatDisplayValue } from './fields/format.js';

/**
 * Dissects one frame. Packets must be fed in file order within a session (relative times,
 * IP reassembly and the TCP analysis hooks depend on it). Never throws on packet bytes.
 */
export function decodePacket(
  frame: FrameInfo,
  bytes: Uint8Array,
  session: DecodeSession,
  sink: FieldSink,
  /** A context of the same session and sink that the caller is done with: recycled, not reallocated. */
  reuse?: DissectContext,
): DissectContext {
  const ctx = reuse && reuse.session === session && reuse.sink === sink && reuse.source === null
    ? reuse.recycle(bytes, frame)
    : new DissectContext(bytes, sink, frame, session);
  try {
    dissectFrame(ctx);
  } catch (err) {
    // A decoder bug must not lose the packet: keep what was decoded and say what happened.
    ctx.malformed(ctx.protocols[ctx.protocols.length - 1] ?? 'frame', 'dissector', 0, 0,
      `internal decoder error: ${(err as Error).message}`);
  }
  return ctx;
}
