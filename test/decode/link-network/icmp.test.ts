/**
 * ICMP and ICMPv6: echo with Wireshark's Info and the pairing hook, checksums, error messages
 * with the invoking packet decoded as a nested layer (extra occurrences of the inner fields,
 * outer columns and meta untouched), neighbor discovery and MLD.
 */
import { describe, expect, it } from 'vitest';
import {
  bytes, decode, ethernet, expectSound, first, icmp, icmpv6, ip6, ipv4, ipv6, mac, MAC_A, MAC_B, protocols, session, tcpSyn, u16, u32, udp, values,
} from './helpers.js';

const ping = (type: number, seq: number, data = bytes('abcdefgh')) => icmp(type, 0, [0x12, 0x34, 0, seq], data);

describe('ICMP echo', () => {
  it('fields in both byte orders and tshark\'s Info', () => {
    const d = decode(ethernet(ipv4(ping(8, 1), { proto: 1, ttl: 64 })));
    expect(protocols(d)).toBe('eth:ethertype:ip:icmp:data');
    expect(first(d, 'icmp.type')).toBe(8);
    expect(first(d, 'icmp.ident')).toBe(0x1234);
    expect(first(d, 'icmp.ident_le')).toBe(0x3412);
    expect(first(d, 'icmp.seq')).toBe(1);
    expect(first(d, 'icmp.seq_le')).toBe(256);
    expect(first(d, 'icmp.checksum.status')).toBe(1);
    expect(d.ctx.cols.protocol).toBe('ICMP');
    expect(d.ctx.cols.info).toBe('Echo (ping) request  id=0x1234, seq=1/256, ttl=64');
    const reply = decode(ethernet(ipv4(ping(0, 1), { proto: 1, ttl: 63 })));
    expect(reply.ctx.cols.info).toBe('Echo (ping) reply    id=0x1234, seq=1/256, ttl=63');
  });

  it('a wrong checksum is flagged with the value it should have', () => {
    const m = ping(8, 1);
    const good = (m[2] << 8) | m[3];
    m[3] ^= 0x01;
    const d = decode(ethernet(ipv4(m, { proto: 1 })));
    expect(first(d, 'icmp.checksum.status')).toBe(0);
    expect(d.ctx.experts.map((e) => e.message)).toContain(`Bad checksum [should be 0x${good.toString(16).padStart(4, '0')}]`);
  });

  it('shows the timeval ping puts at the start of its data when it fits the frame time', () => {
    const sec = 1_700_000_000;
    const data = bytes([sec & 0xff, (sec >> 8) & 0xff, (sec >> 16) & 0xff, (sec >>> 24) & 0xff], [0, 0, 0, 0], new Uint8Array(16));
    const d = decode(ethernet(ipv4(ping(8, 1, data), { proto: 1 })), { tsSec: sec });
    expect(first(d, 'icmp.data_time')).toEqual({ sec, nsec: 0 });
    expect(first(d, 'data.len')).toBe(16);
  });

  it('gives request and reply the same pairing key through the transaction hook', () => {
    const seen: { kind: string; key: string; isRequest: boolean }[] = [];
    const s = session({ transaction: (_ctx, kind, key, isRequest) => void seen.push({ kind, key, isRequest }) });
    decode(ethernet(ipv4(ping(8, 5), { proto: 1, src: '10.0.0.1', dst: '10.0.0.2' })), { session: s });
    decode(ethernet(ipv4(ping(0, 5), { proto: 1, src: '10.0.0.2', dst: '10.0.0.1' })), { session: s });
    decode(ethernet(ipv4(ping(0, 6), { proto: 1, src: '10.0.0.2', dst: '10.0.0.1' })), { session: s });
    expect(seen.map((x) => [x.kind, x.isRequest])).toEqual([['icmp', true], ['icmp', false], ['icmp', false]]);
    expect(seen[0].key).toBe(seen[1].key);
    expect(seen[2].key).not.toBe(seen[0].key);
  });
});

describe('ICMP errors quote the invoking packet', () => {
  const quotedUdp = ipv4(udp(40000, 33434, bytes('probe')), { src: '10.0.0.1', dst: '10.0.0.2', ttl: 1 });

  it('destination unreachable: inner IP and UDP are extra occurrences, the outer packet keeps its summary', () => {
    const frame = ethernet(ipv4(icmp(3, 3, [0, 0, 0, 0], quotedUdp), { proto: 1, src: '10.0.0.2', dst: '10.0.0.1' }));
    const d = decode(frame);
    expectSound(d, frame);
    expect(protocols(d)).toBe('eth:ethertype:ip:icmp:ip:udp:data');
    expect(d.ctx.cols.info).toBe('Destination unreachable (Port unreachable)');
    expect(d.ctx.cols.protocol).toBe('ICMP');
    expect(d.ctx.cols.src).toBe('10.0.0.2');
    expect(values(d, 'ip.src')).toEqual([0x0a000002, 0x0a000001]);
    expect(values(d, 'ip.ttl')).toEqual([64, 1]);
    expect(first(d, 'udp.dstport')).toBe(33434);
    expect(d.ctx.meta).toMatchObject({ ip4Src: 0x0a000002, ipProto: 1 });
    // Only the outer datagram's "TTL only 1" counts as a note, like tshark's expert summary.
    expect(d.ctx.experts.filter((e) => e.message.includes('Time To Live'))).toEqual([]);
  });

  it('time exceeded quoting a TCP header cut after 8 bytes', () => {
    const quote = ipv4(tcpSyn(40000, 80), { proto: 6 }).subarray(0, 28);
    const frame = ethernet(ipv4(icmp(11, 0, [0, 0, 0, 0], quote), { proto: 1 }));
    const d = decode(frame);
    expectSound(d, frame);
    expect(d.ctx.cols.info).toBe('Time-to-live exceeded (Time to live exceeded in transit)');
    expect(values(d, 'ip.proto')).toEqual([1, 6]);
    expect(first(d, 'tcp.srcport')).toBe(40000);
    expect(d.ctx.problems.filter((p) => p.layer === 'IPv4')).toEqual([]);
  });

  it('fragmentation needed shows the next-hop MTU', () => {
    const d = decode(ethernet(ipv4(icmp(3, 4, [0, 0, 0x05, 0xdc], quotedUdp), { proto: 1 })));
    expect(first(d, 'icmp.mtu')).toBe(1500);
    expect(d.ctx.cols.info).toBe('Destination unreachable (Fragmentation needed)');
  });

  it('other types: redirect gateway, Info padding, unknown types', () => {
    const redirect = decode(ethernet(ipv4(icmp(5, 1, [10, 0, 0, 254], quotedUdp), { proto: 1 })));
    expect(first(redirect, 'icmp.redir_gw')).toBe(0x0a0000fe);
    expect(redirect.ctx.cols.info).toBe('Redirect             (Redirect for host)');
    const unknown = decode(ethernet(ipv4(icmp(99, 7, [1, 2, 3, 4]), { proto: 1 })));
    expect(unknown.ctx.cols.info).toBe('Unknown ICMP (obsolete or malformed?)');
  });
});

describe('ICMPv6', () => {
  const A = '2001:db8::1';
  const B = '2001:db8::2';

  it('echo: identifier, sequence, hop limit in the Info, verified checksum', () => {
    const d = decode(ethernet(ipv6(icmpv6(128, 0, bytes(u16(0x54ee), u16(1), 'ping'), A, B), { next: 58, src: A, dst: B, hlim: 64 }), 0x86dd));
    expect(protocols(d)).toBe('eth:ethertype:ipv6:icmpv6:data');
    expect(first(d, 'icmpv6.echo.identifier')).toBe(0x54ee);
    expect(first(d, 'icmpv6.checksum.status')).toBe(1);
    expect(d.ctx.cols.info).toBe('Echo (ping) request id=0x54ee, seq=1, hop limit=64');
  });

  it('neighbor solicitation and advertisement with link-layer address options', () => {
    const ns = icmpv6(135, 0, bytes(u32(0), ip6(B), [1, 1], mac(MAC_A)), A, 'ff02::1:ff00:2');
    const d = decode(ethernet(ipv6(ns, { next: 58, src: A, dst: 'ff02::1:ff00:2', hlim: 255 }), 0x86dd));
    expect(d.ctx.cols.info).toBe(`Neighbor Solicitation for ${B} from ${MAC_A}`);
    expect(first(d, 'icmpv6.opt.src_linkaddr')).toEqual(Uint8Array.from(mac(MAC_A)));
    const na = icmpv6(136, 0, bytes(u32(0xe0000000), ip6(B), [2, 1], mac(MAC_B)), B, A);
    const a = decode(ethernet(ipv6(na, { next: 58, src: B, dst: A }), 0x86dd));
    expect(a.ctx.cols.info).toBe(`Neighbor Advertisement ${B} (rtr, sol, ovr) is at ${MAC_B}`);
    expect(first(a, 'icmpv6.nd.na.flag.r')).toBe(true);
  });

  it('router advertisement: flags, prefix information and MTU options', () => {
    const prefix = bytes([3, 4, 64, 0xc0], u32(2592000), u32(604800), u32(0), ip6('2001:db8:5::'));
    const ra = icmpv6(134, 0, bytes([64, 0x08], u16(1800), u32(0), u32(0), prefix, [5, 1, 0, 0], u32(1500), [1, 1], mac(MAC_B)), 'fe80::1', 'ff02::1');
    const d = decode(ethernet(ipv6(ra, { next: 58, src: 'fe80::1', dst: 'ff02::1', hlim: 255 }), 0x86dd));
    expect(first(d, 'icmpv6.nd.ra.flag.prf')).toBe(1);
    expect(first(d, 'icmpv6.opt.prefix.length')).toBe(64);
    expect(first(d, 'icmpv6.opt.prefix')).toEqual(Uint8Array.from(ip6('2001:db8:5::')));
    expect(first(d, 'icmpv6.opt.mtu')).toBe(1500);
    expect(d.ctx.cols.info).toBe(`Router Advertisement from ${MAC_B}`);
  });

  it('a zero-length option is reported and stops the option list', () => {
    const rs = icmpv6(133, 0, bytes(u32(0), [1, 0, 0, 0, 0, 0, 0, 0], [1, 1], mac(MAC_A)), A, 'ff02::2');
    const d = decode(ethernet(ipv6(rs, { next: 58, src: A, dst: 'ff02::2' }), 0x86dd));
    expect(values(d, 'icmpv6.opt.type')).toEqual([1]);
    expect(values(d, 'icmpv6.invalid_option_length')).toHaveLength(1);
  });

  it('MLDv2 report records', () => {
    const record = bytes([4, 0], u16(0), ip6('ff02::1:ff00:1'));
    const report = icmpv6(143, 0, bytes(u16(0), u16(1), record), 'fe80::1', 'ff02::16');
    const d = decode(ethernet(ipv6(report, { next: 58, src: 'fe80::1', dst: 'ff02::16' }), 0x86dd));
    expect(first(d, 'icmpv6.mldr.nb_mcast_records')).toBe(1);
    expect(first(d, 'icmpv6.mldr.mar.record_type')).toBe(4);
    expect(d.ctx.cols.info).toBe('Multicast Listener Report Message v2');
  });

  it('destination unreachable quotes the IPv6 packet as a nested layer', () => {
    const quote = ipv6(udp(5000, 33434, bytes('x')), { next: 17, src: A, dst: B });
    const err = icmpv6(1, 4, bytes(u32(0), quote), B, A);
    const frame = ethernet(ipv6(err, { next: 58, src: B, dst: A }), 0x86dd);
    const d = decode(frame);
    expectSound(d, frame);
    expect(protocols(d)).toBe('eth:ethertype:ipv6:icmpv6:ipv6:udp:data');
    expect(d.ctx.cols.info).toBe('Destination Unreachable (Port unreachable)');
    expect(d.ctx.cols.src).toBe(B);
    expect(values(d, 'ipv6.nxt')).toEqual([58, 17]);
  });
});
