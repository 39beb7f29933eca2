/**
 * UDP (RFC 768) as Wireshark shows it: ports, length checked against the IP payload, checksum
 * (unverified, as tshark by default; a zero checksum means "none" over IPv4), the Info column
 * "46656 → 53 Len=…", and the payload handed on by port or heuristic (DNS, mDNS, LLMNR …).
 */
import type { DissectContext } from '../context.js';
import { defineField, defineProtocol } from '../fields/types.js';
import { GENERATED, HIDDEN } from '../sink.js';
import { dispatchByPorts, ipProtocols, udpHeuristics, udpPorts } from '../registry.js';
import { dissectData } from './data.js';
import { checksumStatusText } from './tcp-info.js';

export const IP_PROTO_UDP = 17;
const HEADER = 8;

export const udpProto = defineProtocol('udp', 'User Datagram Protocol');
export const udpFields = {
  srcport: defineField({ name: 'udp.srcport', label: 'Source Port', type: 'uint', bits: 16 }),
  dstport: defineField({ name: 'udp.dstport', label: 'Destination Port', type: 'uint', bits: 16 }),
  port: defineField({ name: 'udp.port', label: 'Source or Destination Port', type: 'uint', bits: 16 }),
  length: defineField({ name: 'udp.length', label: 'Length', type: 'uint', bits: 16 }),
  checksum: defineField({ name: 'udp.checksum', label: 'Checksum', type: 'uint', base: 'hex', bits: 16 }),
  checksumStatus: defineField({
    name: 'udp.checksum.status', label: 'Checksum Status', type: 'uint', bits: 8,
    valueStrings: { 0: 'Bad', 1: 'Good', 2: 'Unverified', 3: 'Not present', 4: 'Illegal' },
  }),
  payload: defineField({ name: 'udp.payload', label: 'Payload', type: 'bytes' }),
  lengthBad: defineField({ name: 'udp.length.bad', label: 'Bad length value', type: 'none' }),
  checksumZero: defineField({ name: 'udp.checksum.zero', label: 'Illegal checksum value (0)', type: 'none' }),
};

const STATUS_UNVERIFIED = 2;
const STATUS_NOT_PRESENT = 3;
const STATUS_ILLEGAL = 4;

/** Hands a UDP payload on: lower port, higher port, heuristics, else `data`. */
export function dissectUdpPayload(ctx: DissectContext, srcPort: number, dstPort: number, offset: number, end: number): void {
  if (!dispatchByPorts(udpPorts, udpHeuristics, ctx, srcPort, dstPort, offset, end)) dissectData(ctx, offset, end);
}

export function dissectUdp(ctx: DissectContext, offset: number, end: number): void {
  const { bytes, view, sink } = ctx;
  const capEnd = Math.min(end, bytes.length);
  const captured = capEnd - offset;
  const reported = end - offset;
  const text = sink.wantsText;
  const cols = ctx.wantsColumns;
  ctx.protocols.push('udp');

  if (captured < 4 || reported < 4) {
    sink.open(udpProto, offset, Math.max(0, captured), null, 0, text ? udpProto.label : undefined);
    damaged(ctx, 'udp.dstport', offset, 4, captured, reported);
    sink.close();
    return;
  }
  const srcPort = view.getUint16(offset);
  const dstPort = view.getUint16(offset + 2);
  ctx.setProtocol('UDP');
  if (cols) ctx.setInfo(`${srcPort} → ${dstPort}`);
  if (ctx.nested === 0) {
    ctx.meta.srcPort = srcPort;
    ctx.meta.dstPort = dstPort;
  }
  sink.open(udpProto, offset, Math.min(captured, HEADER), null, 0,
    text ? `${udpProto.label}, Src Port: ${srcPort}, Dst Port: ${dstPort}` : undefined);
  sink.add(udpFields.srcport, offset, 2, srcPort, 0, text ? `Source Port: ${srcPort}` : undefined);
  sink.add(udpFields.dstport, offset + 2, 2, dstPort, 0, text ? `Destination Port: ${dstPort}` : undefined);
  sink.add(udpFields.port, offset, 2, srcPort, HIDDEN);
  sink.add(udpFields.port, offset + 2, 2, dstPort, HIDDEN);
  if (captured < HEADER || reported < HEADER) {
    if (captured >= 6 && reported >= 6) sink.add(udpFields.length, offset + 4, 2, view.getUint16(offset + 4));
    damaged(ctx, 'udp header', offset, HEADER, captured, reported);
    sink.close();
    return;
  }

  const length = view.getUint16(offset + 4);
  if (length < HEADER) {
    sink.add(udpFields.length, offset + 4, 2, length, 0,
      text ? `Length: ${length} (bogus, must be >= ${HEADER})` : undefined);
    badLength(ctx, offset + 4, `Bad length value ${length} < ${HEADER}`);
    if (cols) ctx.appendInfo(`[BAD UDP LENGTH ${length} < ${HEADER}]`);
    sink.close();
    return;
  }
  // The datagram ends at the UDP length, unless the IP payload is shorter: then the IP length
  // wins and the packet is malformed (Wireshark: "Bad length value N > IP payload length").
  let udpEnd = offset + length;
  if (length > reported) {
    sink.add(udpFields.length, offset + 4, 2, length, 0,
      text ? `Length: ${length} (bogus, payload length ${reported})` : undefined);
    badLength(ctx, offset + 4, `Bad length value ${length} > IP payload length`);
    if (cols) ctx.appendInfo(`[BAD UDP LENGTH ${length} > IP PAYLOAD LENGTH]`);
    udpEnd = end;
  } else {
    sink.add(udpFields.length, offset + 4, 2, length);
  }

  const checksum = view.getUint16(offset + 6);
  if (checksum === 0) {
    // RFC 768: zero means "no checksum" over IPv4; RFC 8200 §8.1 forbids it over IPv6.
    const illegal = ctx.meta.ipVersion === 6 && ctx.nested === 0;
    sink.open(udpFields.checksum, offset + 6, 2, 0, 0,
      text ? `Checksum: 0x0000 [${illegal ? 'illegal' : 'zero-value ignored'}]` : undefined);
    sink.add(udpFields.checksumStatus, offset + 6, 0, illegal ? STATUS_ILLEGAL : STATUS_NOT_PRESENT, GENERATED, text ? checksumStatusText(illegal ? STATUS_ILLEGAL : STATUS_NOT_PRESENT) : undefined);
    if (illegal) {
      sink.add(udpFields.checksumZero, offset + 6, 2, null, 0, 'Illegal checksum value (0)');
      ctx.note({ severity: 'error', group: 'checksum', message: 'Illegal checksum value (0)' });
    }
    sink.close();
  } else {
    sink.add(udpFields.checksum, offset + 6, 2, checksum, 0,
      text ? `Checksum: 0x${checksum.toString(16).padStart(4, '0')} [unverified]` : undefined);
    sink.add(udpFields.checksumStatus, offset + 6, 0, STATUS_UNVERIFIED, GENERATED, text ? checksumStatusText(STATUS_UNVERIFIED) : undefined);
  }

  // Wireshark's UDP conversation tracking runs for quoted datagrams too (udp.stream shows there).
  const udpHook = ctx.hooks.udp;
  if (udpHook) udpHook(ctx, { srcPort, dstPort, headerOffset: offset, length, stream: -1 });

  const payloadOffset = offset + HEADER;
  const payloadEnd = Math.min(udpEnd, capEnd);
  const payloadCaptured = Math.max(0, payloadEnd - payloadOffset);
  if (ctx.nested === 0) {
    ctx.meta.udpPayloadOffset = payloadOffset;
    ctx.meta.udpPayloadLength = payloadCaptured;
  }
  if (payloadCaptured > 0) {
    sink.add(udpFields.payload, payloadOffset, payloadCaptured, bytes.subarray(payloadOffset, payloadEnd), 0,
      text ? `UDP payload (${payloadCaptured} byte${payloadCaptured === 1 ? '' : 's'})` : undefined);
  }
  sink.close();

  // Wireshark prints the UDP length field less the header, even when the IP payload is shorter.
  if (cols) ctx.appendInfo(`Len=${length - HEADER}`);
  if (udpEnd > payloadOffset && payloadCaptured > 0) {
    dissectUdpPayload(ctx, srcPort, dstPort, payloadOffset, udpEnd);
  }
  if (payloadEnd < udpEnd) ctx.truncated('udp', 'udp.payload', payloadEnd, udpEnd - payloadEnd);
}

function badLength(ctx: DissectContext, offset: number, message: string): void {
  ctx.sink.add(udpFields.lengthBad, offset, 2, null, 0, message);
  ctx.malformed('udp', 'udp.length', offset, 2, message);
}

function damaged(ctx: DissectContext, field: string, offset: number, needed: number, captured: number, reported: number): void {
  if (reported < needed) ctx.malformed('udp', field, offset, Math.max(0, captured), `only ${reported} bytes in the IP payload, ${needed} needed`);
  else ctx.truncated('udp', field, offset, needed);
}

ipProtocols.set(IP_PROTO_UDP, dissectUdp);
