/**
 * IEEE 802.1Q VLAN tags (EtherType 0x8100) and 802.1ad provider tags (0x88a8, Wireshark's
 * `ieee8021ad`): a 16-bit TCI then the encapsulated EtherType (or an 802.3 length, then LLC).
 * Q-in-Q shows as eth:ethertype:ieee8021ad:ethertype:vlan:ethertype:… like tshark. Isomorphic.
 */
import type { DissectContext } from '../context.js';
import { defineField, defineProtocol } from '../fields/types.js';
import { etherTypes } from '../registry.js';
import { dissectData } from './data.js';
import { dissectEthertype, dissectLlcAt } from './ethernet.js';
import { ETHERTYPE_NAMES } from './ethernet-types.js';
import { need, protocolWarning } from './ip-damage.js';

export const vlanProto = defineProtocol('vlan', '802.1Q Virtual LAN');
export const vlanFields = {
  priority: defineField({
    name: 'vlan.priority', label: 'Priority', type: 'uint', bits: 16, bitmask: 0xe000,
    // IEEE 802.1Q-2014 Table I-2 names, Wireshark's default (8P0D) table.
    valueStrings: {
      0: 'Best Effort (default)', 1: 'Background', 2: 'Excellent Effort', 3: 'Critical Applications',
      4: 'Video, < 100ms latency and jitter', 5: 'Voice, < 10ms latency and jitter',
      6: 'Internetwork Control', 7: 'Network Control',
    },
  }),
  dei: defineField({ name: 'vlan.dei', label: 'DEI', type: 'bool', bits: 16, bitmask: 0x1000, trueFalse: ['Eligible', 'Ineligible'] }),
  id: defineField({ name: 'vlan.id', label: 'ID', type: 'uint', bits: 16, bitmask: 0xfff }),
  etype: defineField({ name: 'vlan.etype', label: 'Type', type: 'uint', base: 'hex', bits: 16, valueStrings: ETHERTYPE_NAMES }),
  len: defineField({ name: 'vlan.len', label: 'Length', type: 'uint', bits: 16 }),
  trailer: defineField({ name: 'vlan.trailer', label: 'Trailer', type: 'bytes' }),
};

export const qinqProto = defineProtocol('ieee8021ad', 'IEEE 802.1ad');
export const qinqFields = {
  priority: defineField({ name: 'ieee8021ad.priority', label: 'Priority', type: 'uint', bits: 16, bitmask: 0xe000 }),
  dei: defineField({ name: 'ieee8021ad.dei', label: 'DEI', type: 'uint', bits: 16, bitmask: 0x1000 }),
  id: defineField({ name: 'ieee8021ad.id', label: 'ID', type: 'uint', bits: 16, bitmask: 0xfff }),
  etype: defineField({ name: 'ieee8021ah.etype', label: 'Type', type: 'uint', base: 'hex', bits: 16, valueStrings: ETHERTYPE_NAMES }),
  trailer: defineField({ name: 'ieee8021ah.trailer', label: 'Trailer', type: 'bytes' }),
};

/** Stacked tags are bounded by the frame anyway; this keeps recursion shallow on jumbo junk. */
const MAX_TAGS = 16;

function tagDepth(ctx: DissectContext): number {
  let n = 0;
  for (const p of ctx.protocols) if (p === 'vlan' || p === 'ieee8021ad') n++;
  return n;
}

export function dissectVlan(ctx: DissectContext, offset: number, end: number): void {
  const { sink, bytes } = ctx;
  if (tagDepth(ctx) >= MAX_TAGS) {
    protocolWarning(ctx, 'Too many nested VLAN tags');
    dissectData(ctx, offset, end);
    return;
  }
  ctx.protocols.push('vlan');
  ctx.setProtocol('VLAN');
  ctx.setInfo('');
  if (!need(ctx, '802.1Q Virtual LAN', 'vlan.id', offset, 2, end)) return;
  const tci = (bytes[offset] << 8) | bytes[offset + 1];
  const pri = tci >> 13;
  const dei = (tci >> 12) & 1;
  const id = tci & 0xfff;
  ctx.setInfo(`PRI: ${pri}  DEI: ${dei}  ID: ${id}`);
  sink.open(vlanProto, offset, Math.min(4, ctx.remaining(offset)), null, 0,
    sink.wantsText ? `802.1Q Virtual LAN, PRI: ${pri}, DEI: ${dei}, ID: ${id}` : undefined);
  sink.add(vlanFields.priority, offset, 2, pri);
  sink.add(vlanFields.dei, offset, 2, dei === 1);
  sink.add(vlanFields.id, offset, 2, id);
  if (!need(ctx, '802.1Q Virtual LAN', 'vlan.etype', offset + 2, 2, end)) {
    sink.close();
    return;
  }
  const type = (bytes[offset + 2] << 8) | bytes[offset + 3];
  if (type <= 1500) {
    sink.add(vlanFields.len, offset + 2, 2, type);
    sink.close();
    dissectLlcAt(ctx, offset + 4, Math.min(end, offset + 4 + type));
    return;
  }
  // Wireshark hands VLAN payloads to the ethertype step with no FCS (fcs_len 0).
  dissectEthertype(ctx, type, offset + 2, vlanFields.etype, offset + 4, end, vlanFields.trailer, 0, offset);
}

export function dissectQinQ(ctx: DissectContext, offset: number, end: number): void {
  const { sink, bytes } = ctx;
  if (tagDepth(ctx) >= MAX_TAGS) {
    protocolWarning(ctx, 'Too many nested VLAN tags');
    dissectData(ctx, offset, end);
    return;
  }
  ctx.protocols.push('ieee8021ad');
  ctx.setProtocol('802.1ad');
  if (!need(ctx, 'IEEE 802.1ad', 'ieee8021ad.id', offset, 2, end)) return;
  const tci = (bytes[offset] << 8) | bytes[offset + 1];
  const id = tci & 0xfff;
  sink.open(qinqProto, offset, Math.min(4, ctx.remaining(offset)), null, 0,
    sink.wantsText ? `IEEE 802.1ad, ID: ${id}` : undefined);
  sink.add(qinqFields.priority, offset, 1, tci >> 13);
  sink.add(qinqFields.dei, offset, 1, (tci >> 12) & 1);
  sink.add(qinqFields.id, offset, 2, id);
  if (!need(ctx, 'IEEE 802.1ad', 'ieee8021ah.etype', offset + 2, 2, end)) {
    sink.close();
    return;
  }
  const type = (bytes[offset + 2] << 8) | bytes[offset + 3];
  dissectEthertype(ctx, type, offset + 2, qinqFields.etype, offset + 4, end, qinqFields.trailer, 0, offset);
}

etherTypes.set(0x8100, dissectVlan);
etherTypes.set(0x88a8, dissectQinQ);
