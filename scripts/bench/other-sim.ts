/**
 * Non-TCP traffic for the benchmark capture: DNS over UDP (RFC 1035 wire format with name
 * compression; A, AAAA, CNAME chains, NXDOMAIN, a retried lost query), ICMP/ICMPv6 echo
 * sessions with occasional loss, and ARP request/reply pairs.
 */

import type { EventQueue } from './event-queue.js';
import { writeArp, writeEcho, writeUdp } from './net.js';
import type { Host } from './net.js';
import type { PcapOut } from './pcap-out.js';
import type { Prng } from './prng.js';

export interface World {
  q: EventQueue;
  out: PcapOut;
  rng: Prng;
  gateway: Host;
  lossRate: number;
}

const TYPE_A = 1;
const TYPE_CNAME = 5;
const TYPE_AAAA = 28;

/** DNS message builder (RFC 1035 §4.1). */
class DnsWriter {
  private readonly bytes: number[] = [];
  u8(v: number): void {
    this.bytes.push(v & 0xff);
  }
  u16(v: number): void {
    this.bytes.push((v >>> 8) & 0xff, v & 0xff);
  }
  u32(v: number): void {
    this.u16(v >>> 16);
    this.u16(v & 0xffff);
  }
  name(n: string): void {
    for (const label of n.split('.')) {
      this.u8(label.length);
      for (let i = 0; i < label.length; i++) this.u8(label.charCodeAt(i));
    }
    this.u8(0);
  }
  pointer(offset: number): void {
    this.u16(0xc000 | offset);
  }
  get length(): number {
    return this.bytes.length;
  }
  build(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

function dnsQuery(id: number, name: string, type: number): Uint8Array {
  const w = new DnsWriter();
  w.u16(id);
  w.u16(0x0100); // RD
  w.u16(1);
  w.u16(0);
  w.u16(0);
  w.u16(0);
  w.name(name);
  w.u16(type);
  w.u16(1);
  return w.build();
}

function dnsResponse(rng: Prng, id: number, name: string, type: number, nx: boolean): Uint8Array {
  const w = new DnsWriter();
  const cname = !nx && rng.chance(0.3) ? `edge-${rng.int(1, 99)}.cdn.example.net` : undefined;
  const count = nx ? 0 : rng.int(1, type === TYPE_A ? 4 : 2);
  w.u16(id);
  w.u16(nx ? 0x8183 : 0x8180); // QR RD RA, rcode 3 = NXDOMAIN
  w.u16(1);
  w.u16(nx ? 0 : count + (cname ? 1 : 0));
  w.u16(nx ? 1 : 0);
  w.u16(0);
  w.name(name); // question name at offset 12
  w.u16(type);
  w.u16(1);
  if (nx) {
    // SOA in the authority section, owner "example.com"-ish suffix: point at the qname.
    w.pointer(12);
    w.u16(6);
    w.u16(1);
    w.u32(900);
    const rdata = new DnsWriter();
    rdata.name('ns1.example.com');
    rdata.name('hostmaster.example.com');
    for (const v of [2023111401, 7200, 3600, 1209600, 300]) rdata.u32(v);
    const r = rdata.build();
    w.u16(r.length);
    for (const b of r) w.u8(b);
    return w.build();
  }
  let owner = 12;
  if (cname) {
    w.pointer(12);
    w.u16(TYPE_CNAME);
    w.u16(1);
    w.u32(rng.int(30, 3600));
    const rdata = new DnsWriter();
    rdata.name(cname);
    const r = rdata.build();
    w.u16(r.length);
    owner = w.length;
    for (const b of r) w.u8(b);
  }
  for (let i = 0; i < count; i++) {
    w.pointer(owner);
    w.u16(type);
    w.u16(1);
    w.u32(rng.int(30, 86400));
    if (type === TYPE_A) {
      w.u16(4);
      w.u32(((rng.int(1, 223) << 24) | rng.int(0, 0xffffff)) >>> 0);
    } else {
      w.u16(16);
      w.u32(0x20010db8);
      for (let k = 0; k < 3; k++) w.u32(rng.u32());
    }
  }
  return w.build();
}

export const HOST_NAMES = [
  'www.example.com', 'api.example.com', 'cdn.example.net', 'static.example.org', 'mail.example.com',
  'news.example.org', 'login.example.com', 'img.example.net', 'video.example.com', 'docs.example.org',
  'updates.example.net', 'files.example.com', 'search.example.org', 'shop.example.com', 'wiki.example.org',
];

/** One DNS lookup: query, maybe a lost first try, response. */
export function dnsLookup(w: World, t: number, client: Host, resolver: Host, v6: boolean): void {
  const { q, rng, out } = w;
  const name = rng.chance(0.06) ? `nx-${rng.int(1, 9999)}.example.invalid` : rng.pick(HOST_NAMES);
  const nx = name.endsWith('.invalid');
  const type = rng.chance(0.35) ? TYPE_AAAA : TYPE_A;
  const id = rng.int(0, 0xffff);
  const sport = rng.int(1024, 65535);
  const query = dnsQuery(id, name, type);
  const cIp = v6 ? client.ip6 : client.ip4;
  const rIp = v6 ? resolver.ip6 : resolver.ip4;
  writeUdp(out, t, resolver.mac, client.mac, v6, cIp, rIp, sport, 53, query, 64);
  let tAnswer = t + Math.round(rng.logUniform(300, 60000));
  if (rng.chance(w.lossRate * 2)) {
    const tRetry = t + 1000000;
    q.at(tRetry, () => writeUdp(out, q.now, resolver.mac, client.mac, v6, cIp, rIp, sport, 53, query, 64));
    tAnswer = tRetry + Math.round(rng.logUniform(300, 30000));
  }
  const response = dnsResponse(rng, id, name, type, nx);
  q.at(tAnswer, () => writeUdp(out, q.now, client.mac, resolver.mac, v6, rIp, cIp, 53, sport, response, 64));
}

/** A ping session: `count` echo requests one second apart, replies after the path RTT. */
export function pingSession(w: World, t: number, client: Host, target: Host, v6: boolean): void {
  const { q, rng, out, gateway } = w;
  const count = rng.int(4, 30);
  const id = rng.int(1, 0xffff);
  const rtt = Math.round(rng.logUniform(300, 90000));
  const ttl = 64 - rng.int(4, 20);
  const cIp = v6 ? client.ip6 : client.ip4;
  const tIp = v6 ? target.ip6 : target.ip4;
  for (let seq = 1; seq <= count; seq++) {
    const ts = t + (seq - 1) * 1000000 + rng.int(0, 900);
    q.at(ts, () => {
      writeEcho(out, q.now, gateway.mac, client.mac, v6, cIp, tIp, true, id, seq, 56, 64);
      if (!rng.chance(w.lossRate * 1.5)) {
        q.at(q.now + rtt + rng.int(0, rtt >> 3), () => writeEcho(out, q.now, client.mac, gateway.mac, v6, tIp, cIp, false, id, seq, 56, ttl));
      }
    });
  }
}

/** ARP: who-has from one side, is-at from the other. */
export function arpExchange(w: World, t: number, asker: Host, target: Host): void {
  const { q, rng, out } = w;
  writeArp(out, t, 1, asker, target, true);
  q.at(t + rng.int(40, 800), () => writeArp(out, q.now, 2, target, asker, false));
}
