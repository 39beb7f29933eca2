/**
 * Wire-format writers for the benchmark generator: Ethernet II, ARP, IPv4, IPv6, TCP, UDP,
 * ICMP/ICMPv6 echo — every length and checksum valid (RFC 791, 8200, 9293, 768, 792, 4443,
 * 1071 for the Internet checksum). Packets are written straight into the PcapOut buffer.
 */

import type { PcapOut } from './pcap-out.js';

export interface Host {
  mac: Uint8Array;
  ip4: Uint8Array;
  ip6: Uint8Array;
}

export const ETH_IPV4 = 0x0800;
export const ETH_IPV6 = 0x86dd;
export const ETH_ARP = 0x0806;
export const PROTO_ICMP = 1;
export const PROTO_TCP = 6;
export const PROTO_UDP = 17;
export const PROTO_ICMPV6 = 58;

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;

/** Ones'-complement sum of buf[start, end) as 16-bit big-endian words, folded to 16 bits. */
export function sum16(buf: Uint8Array, start: number, end: number, initial: number): number {
  let s = initial;
  let i = start;
  const even = end - ((end - start) & 1);
  // Two words per iteration; the 32-bit accumulator is folded every 16 KiB to stay exact.
  while (i < even) {
    let acc = 0;
    const stop = Math.min(even, i + 16384);
    for (; i < stop; i += 2) acc += (buf[i] << 8) | buf[i + 1];
    s += acc;
  }
  if (i < end) s += buf[i] << 8;
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 65536);
  return s;
}

function finish(sum: number): number {
  const c = ~sum & 0xffff;
  return c;
}

export function writeEthernet(buf: Uint8Array, off: number, dst: Uint8Array, src: Uint8Array, etherType: number): number {
  buf.set(dst, off);
  buf.set(src, off + 6);
  buf[off + 12] = etherType >>> 8;
  buf[off + 13] = etherType & 0xff;
  return off + 14;
}

/** IPv4 header (20 bytes, DF set) with its checksum; returns the offset after it. */
export function writeIpv4(buf: Uint8Array, off: number, src: Uint8Array, dst: Uint8Array, proto: number, payloadLen: number, ttl: number, id: number): number {
  const total = 20 + payloadLen;
  buf[off] = 0x45;
  buf[off + 1] = 0;
  buf[off + 2] = total >>> 8;
  buf[off + 3] = total & 0xff;
  buf[off + 4] = (id >>> 8) & 0xff;
  buf[off + 5] = id & 0xff;
  buf[off + 6] = 0x40;
  buf[off + 7] = 0;
  buf[off + 8] = ttl;
  buf[off + 9] = proto;
  buf[off + 10] = 0;
  buf[off + 11] = 0;
  buf.set(src, off + 12);
  buf.set(dst, off + 16);
  const c = finish(sum16(buf, off, off + 20, 0));
  buf[off + 10] = c >>> 8;
  buf[off + 11] = c & 0xff;
  return off + 20;
}

export function writeIpv6(buf: Uint8Array, off: number, src: Uint8Array, dst: Uint8Array, next: number, payloadLen: number, hopLimit: number, flow: number): number {
  buf[off] = 0x60 | ((flow >>> 16) & 0x0f);
  buf[off + 1] = (flow >>> 8) & 0xff;
  buf[off + 2] = flow & 0xff;
  buf[off + 3] = 0;
  buf[off + 4] = payloadLen >>> 8;
  buf[off + 5] = payloadLen & 0xff;
  buf[off + 6] = next;
  buf[off + 7] = hopLimit;
  buf.set(src, off + 8);
  buf.set(dst, off + 24);
  return off + 40;
}

/** Pseudo-header sum for TCP/UDP/ICMPv6 checksums (RFC 9293 §3.1, RFC 8200 §8.1). */
export function pseudoSum(src: Uint8Array, dst: Uint8Array, proto: number, len: number): number {
  let s = proto + (len & 0xffff) + Math.floor(len / 65536);
  for (let i = 0; i < src.length; i += 2) s += ((src[i] << 8) | src[i + 1]) + ((dst[i] << 8) | dst[i + 1]);
  return s;
}

/** Computes and stores the checksum of the transport segment buf[start, start+len). */
export function storeTransportChecksum(buf: Uint8Array, start: number, len: number, csumOff: number, pseudo: number, udp: boolean): void {
  buf[csumOff] = 0;
  buf[csumOff + 1] = 0;
  let c = finish(sum16(buf, start, start + len, pseudo));
  if (udp && c === 0) c = 0xffff; // RFC 768: a computed 0 is sent as all ones
  buf[csumOff] = c >>> 8;
  buf[csumOff + 1] = c & 0xff;
}

export function writeArp(out: PcapOut, t: number, op: 1 | 2, sender: Host, target: Host, broadcast: boolean): void {
  const len = 42;
  const buf = out.buf;
  let o = out.record(t, len);
  o = writeEthernet(buf, o, broadcast ? BROADCAST : target.mac, sender.mac, ETH_ARP);
  buf.set([0, 1, 0x08, 0, 6, 4, 0, op], o);
  buf.set(sender.mac, o + 8);
  buf.set(sender.ip4, o + 14);
  if (op === 1) buf.fill(0, o + 18, o + 24);
  else buf.set(target.mac, o + 18);
  buf.set(target.ip4, o + 24);
}

const BROADCAST = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);

/** A UDP datagram carrying `payload`, over IPv4 or IPv6. */
export function writeUdp(
  out: PcapOut,
  t: number,
  ethDst: Uint8Array,
  ethSrc: Uint8Array,
  v6: boolean,
  src: Uint8Array,
  dst: Uint8Array,
  sport: number,
  dport: number,
  payload: Uint8Array,
  ttl: number,
): void {
  const udpLen = 8 + payload.length;
  const len = 14 + (v6 ? 40 : 20) + udpLen;
  const buf = out.buf;
  let o = out.record(t, len);
  o = writeEthernet(buf, o, ethDst, ethSrc, v6 ? ETH_IPV6 : ETH_IPV4);
  o = v6 ? writeIpv6(buf, o, src, dst, PROTO_UDP, udpLen, ttl, 0) : writeIpv4(buf, o, src, dst, PROTO_UDP, udpLen, ttl, out.nextIpId());
  buf[o] = sport >>> 8;
  buf[o + 1] = sport & 0xff;
  buf[o + 2] = dport >>> 8;
  buf[o + 3] = dport & 0xff;
  buf[o + 4] = udpLen >>> 8;
  buf[o + 5] = udpLen & 0xff;
  buf.set(payload, o + 8);
  storeTransportChecksum(buf, o, udpLen, o + 6, pseudoSum(src, dst, PROTO_UDP, udpLen), true);
}

/** ICMP (type 8/0) or ICMPv6 (128/129) echo with `dataLen` bytes of pattern data. */
export function writeEcho(
  out: PcapOut,
  t: number,
  ethDst: Uint8Array,
  ethSrc: Uint8Array,
  v6: boolean,
  src: Uint8Array,
  dst: Uint8Array,
  request: boolean,
  id: number,
  seq: number,
  dataLen: number,
  ttl: number,
): void {
  const icmpLen = 8 + dataLen;
  const len = 14 + (v6 ? 40 : 20) + icmpLen;
  const buf = out.buf;
  let o = out.record(t, len);
  o = writeEthernet(buf, o, ethDst, ethSrc, v6 ? ETH_IPV6 : ETH_IPV4);
  o = v6 ? writeIpv6(buf, o, src, dst, PROTO_ICMPV6, icmpLen, ttl, 0) : writeIpv4(buf, o, src, dst, PROTO_ICMP, icmpLen, ttl, out.nextIpId());
  buf[o] = v6 ? (request ? 128 : 129) : request ? 8 : 0;
  buf[o + 1] = 0;
  buf[o + 4] = id >>> 8;
  buf[o + 5] = id & 0xff;
  buf[o + 6] = seq >>> 8;
  buf[o + 7] = seq & 0xff;
  for (let i = 0; i < dataLen; i++) buf[o + 8 + i] = (0x10 + i) & 0xff; // like ping's pattern
  const pseudo = v6 ? pseudoSum(src, dst, PROTO_ICMPV6, icmpLen) : 0;
  storeTransportChecksum(buf, o, icmpLen, o + 2, pseudo, false);
}
