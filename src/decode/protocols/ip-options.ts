/**
 * IPv4 options (RFC 791 and successors) the way Wireshark lists them: an "Options: (N bytes),
 * Name, …" node, one `ip.options.<name>` node per option with its type byte split into copy /
 * class / number, its length, and the option's own fields for the common ones (record route,
 * source routes, timestamp, router alert, stream id, MTU probe/reply). Unknown options are kept
 * as "Unknown (0xNN) (L bytes)". A bad length (too short, past the end of the options, wrong
 * for a fixed-size option) gets Wireshark's expert text and ends the list, as it does.
 * Isomorphic.
 */
import type { DissectContext } from '../context.js';
import { defineField, defineProtocol, type FieldDef } from '../fields/types.js';
import { formatIPv4 } from '../fields/format.js';
import { HIDDEN } from '../sink.js';
import { protocolWarning } from './ip-damage.js';
import { textItem } from './ip-names.js';

export const ipOptFields = {
  type: defineField({ name: 'ip.opt.type', label: 'Type', type: 'uint', bits: 8 }),
  typeCopy: defineField({ name: 'ip.opt.type.copy', label: 'Copy on fragmentation', type: 'bool', bits: 8, bitmask: 0x80, trueFalse: ['Yes', 'No'] }),
  typeClass: defineField({
    name: 'ip.opt.type.class', label: 'Class', type: 'uint', bits: 8, bitmask: 0x60,
    valueStrings: { 0: 'Control', 1: 'Reserved for future use', 2: 'Debugging and measurement', 3: 'Reserved for future use' },
  }),
  typeNumber: defineField({
    name: 'ip.opt.type.number', label: 'Number', type: 'uint', bits: 8, bitmask: 0x1f,
    valueStrings: {
      0: 'End of Option List (EOL)', 1: 'No-Operation (NOP)', 2: 'Security', 3: 'Loose source route', 4: 'Time stamp',
      5: 'Extended security', 6: 'Commercial IP security option', 7: 'Record route', 8: 'Stream identifier',
      9: 'Strict source route', 10: 'Experimental Measurement', 11: 'MTU probe', 12: 'MTU Reply',
      13: 'Experimental Flow Control', 14: 'Experimental Access Control', 15: 'Ask Estrin',
      16: 'IMI Traffic Descriptor', 17: 'Extended Internet Protocol', 18: 'Traceroute', 19: 'Address Extension',
      20: 'Router Alert', 21: 'Selective Directed Broadcast', 22: 'Unassigned', 23: 'Dynamic Packet State',
      24: 'Upstream Multicast Packet', 25: 'Quick-Start', 30: 'RFC 3692-style experiment',
    },
  }),
  len: defineField({ name: 'ip.opt.len', label: 'Length', type: 'uint', bits: 8 }),
  ptr: defineField({ name: 'ip.opt.ptr', label: 'Pointer', type: 'uint', bits: 8 }),
  ra: defineField({ name: 'ip.opt.ra', label: 'Router Alert', type: 'uint', bits: 16 }),
  sid: defineField({ name: 'ip.opt.sid', label: 'Stream Identifier', type: 'uint', bits: 16 }),
  mtu: defineField({ name: 'ip.opt.mtu', label: 'MTU', type: 'uint', bits: 16 }),
  recRt: defineField({ name: 'ip.rec_rt', label: 'Recorded Route', type: 'ipv4' }),
  recRtHost: defineField({ name: 'ip.rec_rt_host', label: 'Recorded Route Host', type: 'string' }),
  srcRt: defineField({ name: 'ip.src_rt', label: 'Source Route', type: 'ipv4' }),
  srcRtHost: defineField({ name: 'ip.src_rt_host', label: 'Source Route Host', type: 'string' }),
  emptyRt: defineField({ name: 'ip.empty_rt', label: 'Empty Route', type: 'ipv4' }),
  emptyRtHost: defineField({ name: 'ip.empty_rt_host', label: 'Empty Route Host', type: 'string' }),
  overflow: defineField({ name: 'ip.opt.overflow', label: 'Overflow', type: 'uint', bits: 8, bitmask: 0xf0 }),
  flag: defineField({
    name: 'ip.opt.flag', label: 'Flag', type: 'uint', base: 'hex', bits: 8, bitmask: 0x0f,
    valueStrings: { 0: 'Time stamps only', 1: 'Time stamp and address', 3: 'Time stamps for prespecified addresses' },
  }),
  timeStamp: defineField({ name: 'ip.opt.time_stamp', label: 'Time stamp', type: 'uint', bits: 32 }),
  timeStampAddr: defineField({ name: 'ip.opt.time_stamp_addr', label: 'Address', type: 'ipv4' }),
};

/** How each option is shown: its node (a protocol in Wireshark), its name, and a fixed length if any. */
interface OptionKind {
  node: FieldDef;
  name: string;
  /** Exact length for fixed-size options; minimum for variable ones. */
  length: number;
  fixed: boolean;
}

const OPTIONS = new Map<number, OptionKind>();
function option(type: number, abbrev: string, name: string, length: number, fixed: boolean): void {
  OPTIONS.set(type, { node: defineProtocol(`ip.options.${abbrev}`, `IP Option - ${name}`), name, length, fixed });
}
option(0x00, 'eol', 'End of Options List (EOL)', 1, true);
option(0x01, 'nop', 'No-Operation (NOP)', 1, true);
option(0x82, 'security', 'Security', 11, false);
option(0x83, 'route', 'Loose Source Route', 3, false);
option(0x44, 'timestamp', 'Time Stamp', 5, false);
option(0x85, 'ext_security', 'Extended Security', 3, false);
option(0x86, 'cipso', 'Commercial Security', 10, false);
option(0x07, 'record_route', 'Record Route', 3, false);
option(0x88, 'sid', 'Stream ID', 4, true);
option(0x89, 'source_route', 'Strict Source Route', 3, false);
option(0x0b, 'mtu_probe', 'MTU Probe', 4, true);
option(0x0c, 'mtu_reply', 'MTU Reply', 4, true);
option(0x52, 'traceroute', 'Traceroute', 12, true);
option(0x94, 'routeralert', 'Router Alert', 4, true);
option(0x95, 'sdb', 'Selective Directed Broadcast', 2, false);
option(0x19, 'qs', 'Quick-Start', 8, true);

const RA_NAMES: Readonly<Record<number, string>> = { 0: 'Router shall examine packet' };

const u16 = (b: Uint8Array, o: number) => (b[o] << 8) | b[o + 1];
const u32 = (b: Uint8Array, o: number) => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;

/** The option-list summary ("Options: (12 bytes), Record Route") without adding anything. */
function summary(bytes: Uint8Array, start: number, end: number): string {
  let text = `Options: (${end - start} bytes)`;
  for (let at = start; at < end; ) {
    const type = bytes[at];
    if (type === 0) break;
    if (type === 1) { at++; continue; }
    if (at + 1 >= end) break;
    const len = bytes[at + 1];
    if (len < 2 || at + len > end) break;
    const kind = OPTIONS.get(type);
    if (kind) text += `, ${kind.name}`;
    at += len;
  }
  return text;
}

function addType(ctx: DissectContext, at: number, type: number): void {
  const { sink } = ctx;
  sink.open(ipOptFields.type, at, 1, type);
  sink.add(ipOptFields.typeCopy, at, 1, (type & 0x80) !== 0);
  sink.add(ipOptFields.typeClass, at, 1, (type >> 5) & 3);
  sink.add(ipOptFields.typeNumber, at, 1, type & 0x1f);
  sink.close();
}

/**
 * Dissects the options in [start, end) (all captured: the caller checked). Returns the final
 * destination of a source-routed packet (the last route address, Wireshark's "Via"), or -1.
 */
export function dissectIPv4Options(ctx: DissectContext, start: number, end: number): number {
  const { sink, bytes } = ctx;
  const text = sink.wantsText;
  let finalDst = -1;
  sink.open(textItem, start, end - start, null, 0, text ? summary(bytes, start, end) : undefined);
  for (let at = start; at < end; ) {
    const type = bytes[at];
    const kind = OPTIONS.get(type);
    const name = kind ? kind.name : `Unknown (0x${type.toString(16).padStart(2, '0')})`;
    if (type === 0 || type === 1) {
      sink.open(kind!.node, at, 1, bytes.subarray(at, at + 1), 0, text ? kind!.node.label : undefined);
      addType(ctx, at, type);
      sink.close();
      if (type === 0) break;
      at++;
      continue;
    }
    if (at + 1 >= end) {
      badOption(ctx, at, end - at, `${name} (length byte past end of options)`);
      break;
    }
    const len = bytes[at + 1];
    if (len < 2) {
      badOption(ctx, at, 2, `${name} (with too-short option length = ${len} byte${len === 1 ? '' : 's'})`);
      break;
    }
    if (at + len > end) {
      badOption(ctx, at, end - at, `${name} (option length = ${len} bytes says option goes past end of options)`);
      break;
    }
    if (kind && (kind.fixed ? len !== kind.length : len < kind.length)) {
      badOption(ctx, at, len, kind.fixed
        ? `${name} (with option length = ${len} byte${len === 1 ? '' : 's'}; should be ${kind.length})`
        : `${name} (with too-short option length = ${len} bytes)`);
      break;
    }
    if (!kind) {
      sink.add(textItem, at, len, null, 0, text ? `${name} (${len} bytes)` : undefined);
      at += len;
      continue;
    }
    const dst = dissectOption(ctx, kind, type, at, len);
    if (dst >= 0) finalDst = dst;
    at += len;
  }
  sink.close();
  return finalDst;
}

function badOption(ctx: DissectContext, at: number, len: number, message: string): void {
  ctx.sink.add(textItem, at, len, null, 0, ctx.sink.wantsText ? message : undefined);
  protocolWarning(ctx, message);
}

function dissectOption(ctx: DissectContext, kind: OptionKind, type: number, at: number, len: number): number {
  const { sink, bytes } = ctx;
  const text = sink.wantsText;
  let finalDst = -1;
  let nodeText: string | undefined;
  if (text) {
    nodeText = `${kind.node.label} (${len} bytes)`;
    if (type === 0x94) {
      const ra = u16(bytes, at + 2);
      nodeText += `: ${RA_NAMES[ra] ?? 'Unknown'} (${ra})`;
    }
  }
  sink.open(kind.node, at, len, bytes.subarray(at, at + len), 0, nodeText);
  addType(ctx, at, type);
  sink.add(ipOptFields.len, at + 1, 1, len);
  switch (type) {
    case 0x07: // record route
    case 0x83: // loose source route
    case 0x89: // strict source route
      finalDst = routeOption(ctx, type, at, len);
      break;
    case 0x44:
      timestampOption(ctx, at, len);
      break;
    case 0x94: {
      const ra = u16(bytes, at + 2);
      sink.add(ipOptFields.ra, at + 2, 2, ra, 0, text ? `Router Alert: ${RA_NAMES[ra] ?? 'Unknown'} (${ra})` : undefined);
      break;
    }
    case 0x88:
      sink.add(ipOptFields.sid, at + 2, 2, u16(bytes, at + 2));
      break;
    case 0x0b:
    case 0x0c:
      sink.add(ipOptFields.mtu, at + 2, 2, u16(bytes, at + 2));
      break;
    default:
      break;
  }
  sink.close();
  return finalDst;
}

/**
 * Record route / source routes: a 1-based pointer to the next slot, then addresses. Slots before
 * the pointer are recorded (or already used) routes, the one at the pointer is marked
 * "<- (next)"; a source route's last address is where the packet is finally going.
 */
function routeOption(ctx: DissectContext, type: number, at: number, len: number): number {
  const { sink, bytes } = ctx;
  const text = sink.wantsText;
  const ptr = bytes[at + 2];
  sink.add(ipOptFields.ptr, at + 2, 1, ptr);
  const isRecord = type === 0x07;
  let last = -1;
  for (let slot = at + 3; slot + 4 <= at + len; slot += 4) {
    const addr = u32(bytes, slot);
    const next = slot === at + ptr - 1;
    const used = slot < at + ptr - 1;
    const field = isRecord ? (used ? ipOptFields.recRt : ipOptFields.emptyRt) : ipOptFields.srcRt;
    const hostField = isRecord ? (used ? ipOptFields.recRtHost : ipOptFields.emptyRtHost) : ipOptFields.srcRtHost;
    sink.add(field, slot, 4, addr, 0, text ? `${field.label}: ${formatIPv4(addr)}${next ? ' <- (next)' : ''}` : undefined);
    if (sink.wants?.(hostField) !== false) sink.add(hostField, slot, 4, formatIPv4(addr), HIDDEN);
    last = addr;
  }
  return isRecord ? -1 : last;
}

function timestampOption(ctx: DissectContext, at: number, len: number): void {
  const { sink, bytes } = ctx;
  sink.add(ipOptFields.ptr, at + 2, 1, bytes[at + 2]);
  const of = bytes[at + 3];
  sink.add(ipOptFields.overflow, at + 3, 1, of >> 4);
  sink.add(ipOptFields.flag, at + 3, 1, of & 0x0f);
  const withAddress = (of & 0x0f) !== 0;
  for (let slot = at + 4; slot < at + len; ) {
    if (withAddress) {
      if (slot + 8 > at + len) break;
      sink.add(ipOptFields.timeStampAddr, slot, 4, u32(bytes, slot));
      sink.add(ipOptFields.timeStamp, slot + 4, 4, u32(bytes, slot + 4));
      slot += 8;
    } else {
      if (slot + 4 > at + len) break;
      sink.add(ipOptFields.timeStamp, slot, 4, u32(bytes, slot));
      slot += 4;
    }
  }
}
