/** Undissected payload: Wireshark's `data` protocol ("Data (N bytes)"). */
import type { DissectContext } from '../context.js';
import { defineField, defineProtocol } from '../fields/types.js';

export const dataProto = defineProtocol('data', 'Data');
export const dataFields = {
  data: defineField({ name: 'data.data', label: 'Data', type: 'bytes' }),
  len: defineField({ name: 'data.len', label: 'Length', type: 'uint' }),
};

export function dissectData(ctx: DissectContext, offset: number, end: number): void {
  const stop = Math.min(end, ctx.bytes.length);
  const len = stop - offset;
  if (len <= 0) return;
  ctx.protocols.push('data');
  const { sink } = ctx;
  sink.open(dataProto, offset, len, null, 0, sink.wantsText ? `Data (${len} byte${len === 1 ? '' : 's'})` : undefined);
  sink.add(dataFields.data, offset, len, ctx.bytes.subarray(offset, stop));
  sink.add(dataFields.len, offset, 0, len, 1);
  sink.close();
}
