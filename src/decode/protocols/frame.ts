/**
 * The `frame` pseudo-protocol: what the capture file says about the packet (Wireshark's
 * "Frame N: X bytes on wire, Y bytes captured"), then dispatch on the link type.
 */
import type { DissectContext } from '../context.js';
import { defineField, defineProtocol, type Timestamp } from '../fields/types.js';
import { linkTypes } from '../registry.js';
import { dissectData } from './data.js';
import { wantsAny } from '../sink.js';

export const frameProto = defineProtocol('frame', 'Frame');
export const frameFields = {
  interfaceId: defineField({ name: 'frame.interface_id', label: 'Interface id', type: 'uint' }),
  time: defineField({ name: 'frame.time', label: 'Arrival Time', type: 'abs_time', timeFormat: 'utc' }),
  timeEpoch: defineField({ name: 'frame.time_epoch', label: 'Epoch Time', type: 'abs_time', timeFormat: 'epoch' }),
  timeDelta: defineField({ name: 'frame.time_delta', label: 'Time delta from previous captured frame', type: 'rel_time' }),
  timeRelative: defineField({ name: 'frame.time_relative', label: 'Time since reference or first frame', type: 'rel_time' }),
  number: defineField({ name: 'frame.number', label: 'Frame Number', type: 'uint' }),
  len: defineField({ name: 'frame.len', label: 'Frame Length', type: 'uint' }),
  capLen: defineField({ name: 'frame.cap_len', label: 'Capture Length', type: 'uint' }),
  comment: defineField({ name: 'frame.comment', label: 'Comment', type: 'string' }),
  protocols: defineField({ name: 'frame.protocols', label: 'Protocols in frame', type: 'string' }),
  linkType: defineField({ name: 'frame.encap_type', label: 'Encapsulation type', type: 'int' }),
};

/** The fields of the frame node (frame.protocols is added at the end, on its own). */
const FRAME_FIELDS = [
  frameFields.comment, frameFields.interfaceId, frameFields.linkType, frameFields.time, frameFields.timeEpoch,
  frameFields.timeDelta, frameFields.timeRelative, frameFields.number, frameFields.len, frameFields.capLen,
];

/** Nanoseconds from a to b (b − a). Exact for any capture shorter than ~104 days. */
export function diffNs(a: Timestamp, b: Timestamp): number {
  return (b.sec - a.sec) * 1e9 + (b.nsec - a.nsec);
}

export function dissectFrame(ctx: DissectContext): void {
  const { frame, sink, session } = ctx;
  const time: Timestamp = { sec: frame.tsSec, nsec: frame.tsNsec };
  const first = session.firstTime ?? time;
  const prev = session.prevTime ?? time;
  session.firstTime = first;
  session.prevTime = time;

  const bytes = frame.capLen;
  sink.open(frameProto, 0, ctx.bytes.length, null, 0,
    sink.wantsText
      ? `Frame ${frame.number}: ${frame.origLen} bytes on wire (${frame.origLen * 8} bits), ${bytes} bytes captured (${bytes * 8} bits)`
      : undefined);
  // A sink that keeps none of these (the packet index) skips them.
  if (wantsAny(sink, FRAME_FIELDS)) {
    if (frame.comments) for (const c of frame.comments) sink.add(frameFields.comment, 0, 0, c);
    if (frame.interfaceId >= 0) sink.add(frameFields.interfaceId, 0, 0, frame.interfaceId);
    sink.add(frameFields.linkType, 0, 0, frame.linkType);
    sink.add(frameFields.time, 0, 0, time);
    sink.add(frameFields.timeEpoch, 0, 0, time);
    sink.add(frameFields.timeDelta, 0, 0, diffNs(prev, time));
    sink.add(frameFields.timeRelative, 0, 0, diffNs(first, time));
    sink.add(frameFields.number, 0, 0, frame.number);
    sink.add(frameFields.len, 0, 0, frame.origLen);
    sink.add(frameFields.capLen, 0, 0, bytes);
  }
  sink.close();

  const link = linkTypes.get(frame.linkType);
  if (link) link(ctx, 0, ctx.bytes.length);
  else {
    // Unknown link types are still listed with their bytes (§4).
    ctx.setProtocol(`WTAP_ENCAP = ${frame.linkType}`);
    dissectData(ctx, 0, ctx.bytes.length);
  }
  // The joined chain is a new string per packet: only build it for a sink that keeps it.
  if (sink.wants?.(frameFields.protocols) !== false) sink.addToFrame(frameFields.protocols, 0, 0, ctx.protocols.join(':'));
}
