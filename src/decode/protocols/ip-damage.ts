/**
 * How the link- and network-layer decoders report damage, mirroring what Wireshark does when a
 * dissector runs off the end of its data (an exception that stops that layer):
 *
 * - the bytes exist on the wire but not in the capture (caplen < needed ≤ reported length):
 *   *truncated* — "[Packet size limited during capture: X truncated]";
 * - the headers themselves say the data is not there (needed > reported length):
 *   *malformed* — "[Malformed Packet: X]".
 *
 * Both append Wireshark's marker to the Info column the way its `show_exception` does (no
 * separator: "Echo (ping) request [Packet size limited during capture]" comes from the Info
 * being padded with "%-20s"). Contradictions that Wireshark only flags with an expert note and
 * then stops (bogus header length …) are `protocolError`: a structured problem and a note, no
 * `_ws.malformed` node and no Info suffix. Isomorphic.
 */
import type { DissectContext } from '../context.js';

const SHORT_MARK = '[Packet size limited during capture]';
const MALFORMED_MARK = '[Malformed Packet]';

/**
 * The layer named `layer` needs `needed` bytes at `offset` but the data ends first. `reportedEnd`
 * is where the PDU ends on the wire (what enclosing headers claim); `end`-of-capture is
 * ctx.bytes.length. Always returns false so callers can `return runShort(...)`.
 */
export function runShort(
  ctx: DissectContext,
  layer: string,
  field: string,
  offset: number,
  needed: number,
  reportedEnd: number,
): false {
  // The damage marker is placed where the bytes stop (a node must never point past them).
  const at = Math.min(offset, ctx.bytes.length);
  if (offset + needed <= reportedEnd) {
    ctx.truncated(layer, field, at, needed + offset - at);
    appendMark(ctx, SHORT_MARK);
  } else {
    const have = Math.max(0, reportedEnd - offset);
    ctx.malformed(layer, field, at, needed + offset - at,
      `${field} needs ${needed} bytes at offset ${offset}, the packet ends after ${have}`);
    appendMark(ctx, MALFORMED_MARK);
  }
  return false;
}

/** Whether `needed` bytes at `offset` are captured; reports the damage when not. */
export function need(
  ctx: DissectContext,
  layer: string,
  field: string,
  offset: number,
  needed: number,
  reportedEnd: number,
): boolean {
  if (offset + needed <= ctx.bytes.length && offset + needed <= reportedEnd) return true;
  return runShort(ctx, layer, field, offset, needed, reportedEnd);
}

/** A header contradiction Wireshark reports with an expert note (and stops the layer). */
export function protocolError(
  ctx: DissectContext,
  layer: string,
  field: string,
  offset: number,
  length: number,
  message: string,
): void {
  ctx.problems.push({
    kind: 'malformed', layer, field, needed: length, available: ctx.remaining(offset), offset, message,
  });
  ctx.note({ severity: 'error', group: 'protocol', message });
}

/** A warning-level expert note that is not damage (unknown option, bad padding …). */
export function protocolWarning(ctx: DissectContext, message: string): void {
  ctx.note({ severity: 'warn', group: 'protocol', message });
}

function appendMark(ctx: DissectContext, mark: string): void {
  if (!ctx.cols.info.endsWith(mark)) ctx.setInfo(ctx.cols.info + mark);
}
