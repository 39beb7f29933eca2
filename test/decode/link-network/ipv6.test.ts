/**
 * IPv6: the fixed header, extension header chains (including hostile ones: zero-length
 * options, endless chains, headers past the end), jumbograms, the payload length checks, and
 * fragment reassembly.
 */
import { describe, expect, it } from 'vitest';
import {
  bytes, decode, ethernet, expectSound, first, icmpv6, ip6, ipv6, nodes, protocols, session, u16, u32, udp, values,
} from './helpers.js';

const v6 = (payload: Uint8Array, o: Parameters<typeof ipv6>[1] = {}) => ethernet(ipv6(payload, o), 0x86dd);

describe('IPv6 header', () => {
  it('reports the fields, the hidden ip.version, and the address columns', () => {
    const frame = v6(udp(5000, 53, bytes('q')), { next: 17, hlim: 33, flow: 0xa9758, tclass: 0xb8, src: '2001:db8::1', dst: 'ff02::1:6' });
    const d = decode(frame);
    expectSound(d, frame);
    expect(first(d, 'ipv6.version')).toBe(6);
    expect(first(d, 'ip.version')).toBe(6);
    expect(first(d, 'ipv6.tclass')).toBe(0xb8);
    expect(first(d, 'ipv6.tclass.dscp')).toBe(46);
    expect(first(d, 'ipv6.flow')).toBe(0xa9758);
    expect(first(d, 'ipv6.plen')).toBe(9);
    expect(first(d, 'ipv6.nxt')).toBe(17);
    expect(first(d, 'ipv6.hlim')).toBe(33);
    expect(values(d, 'ipv6.addr')).toEqual([Uint8Array.from(ip6('2001:db8::1')), Uint8Array.from(ip6('ff02::1:6'))]);
    expect(d.ctx.cols.src).toBe('2001:db8::1');
    expect(d.ctx.cols.dst).toBe('ff02::1:6');
    expect(d.ctx.meta.ipVersion).toBe(6);
    expect(d.ctx.meta.ipProto).toBe(17);
    expect(nodes(d.tree).find((n) => n.def.name === 'ipv6.flow')?.text).toBe('.... 1010 1001 0111 0101 1000 = Flow Label: 0xa9758');
  });

  it('derives the MAC of a universal SLAAC address, not of a local one', () => {
    const slaac = decode(v6(bytes(), { src: 'fe80::b299:28ff:fec8:d66c' }));
    expect(first(slaac, 'ipv6.src_slaac_mac')).toEqual(Uint8Array.from([0xb0, 0x99, 0x28, 0xc8, 0xd6, 0x6c]));
    expect(values(decode(v6(bytes(), { src: 'fe80::ff:fe00:b' })), 'ipv6.src_slaac_mac')).toEqual([]);
  });

  it('a payload length beyond the frame is a protocol error; zero means no payload (tshark 4.0)', () => {
    const long = decode(v6(icmpv6(128, 0, bytes(u16(1), u16(1))), { next: 58, payloadLength: 100 }));
    expect(long.ctx.problems.map((p) => p.message)).toContain('IPv6 payload length exceeds framing length (8 bytes)');
    expect(protocols(long)).toBe('eth:ethertype:ipv6:icmpv6');
    const zero = decode(v6(icmpv6(128, 0, bytes(u16(1), u16(1))), { next: 58, payloadLength: 0 }));
    expect(values(zero, 'icmpv6.type')).toEqual([]);
    expect(first(zero, 'eth.trailer')).toBeDefined();
  });

  it('a jumbogram takes its length from the Hop-by-Hop Jumbo Payload option', () => {
    const echo = icmpv6(128, 0, bytes(u16(1), u16(1), 'abcd'));
    const hbh = bytes([58, 0, 0xc2, 4], u32(8 + echo.length));
    const d = decode(v6(bytes(hbh, echo), { next: 0, payloadLength: 0 }));
    expect(first(d, 'ipv6.opt.jumbo')).toBe(8 + echo.length);
    expect(protocols(d)).toBe('eth:ethertype:ipv6:ipv6.hopopts:icmpv6:data');
  });

  it('a packet shorter than the header shows what is there and is malformed', () => {
    const frame = v6(bytes(), {}).slice(0, 14 + 39);
    const d = decode(frame);
    expectSound(d, frame);
    expect(first(d, 'ipv6.src')).toBeDefined();
    expect(values(d, 'ipv6.dst')).toEqual([]);
    expect(d.ctx.cols.info).toBe('Invalid IPv6 header (39 bytes, need exactly 40)[Malformed Packet]');
  });

  it('another version on the IPv6 EtherType is refused: data, as tshark', () => {
    const frame = ethernet(bytes([0x40], new Uint8Array(39)), 0x86dd);
    const d = decode(frame);
    expect(protocols(d)).toBe('eth:ethertype:data');
    expect(d.ctx.cols.protocol).toBe('0x86dd');
    expect(d.ctx.cols.info).toBe('IPv6');
  });
});

describe('IPv6 extension headers', () => {
  const echo = icmpv6(128, 0, bytes(u16(9), u16(1)), '2001:db8::1', '2001:db8::9');

  it('walks hop-by-hop, routing, destination options to the upper layer', () => {
    const chain = bytes(
      [43, 0, 5, 2, 0, 0, 1, 0],
      [60, 2, 0, 1, 0, 0, 0, 0], ip6('2001:db8::9'),
      [58, 0, 1, 4, 0, 0, 0, 0],
      echo,
    );
    const frame = v6(chain, { next: 0, dst: '2001:db8::5' });
    const d = decode(frame);
    expectSound(d, frame);
    expect(protocols(d)).toBe('eth:ethertype:ipv6:ipv6.hopopts:ipv6.routing:ipv6.dstopts:icmpv6');
    expect(values(d, 'ipv6.opt.type')).toEqual([5, 1, 1]);
    expect(first(d, 'ipv6.opt.router_alert')).toBe(0);
    expect(first(d, 'ipv6.routing.type')).toBe(0);
    expect(first(d, 'ipv6.routing.src.addr')).toEqual(Uint8Array.from(ip6('2001:db8::9')));
    // The checksum covers the final destination the routing header names, and so does the column.
    expect(first(d, 'icmpv6.checksum.status')).toBe(1);
    expect(d.ctx.cols.dst).toBe('2001:db8::9');
    expect(d.ctx.meta.ipProto).toBe(58);
  });

  it('handles a minimal (8-byte, "length 0") header full of Pad1', () => {
    const d = decode(v6(bytes([59, 0, 0, 0, 0, 0, 0, 0]), { next: 60 }));
    expect(values(d, 'ipv6.opt.type')).toEqual([0, 0, 0, 0, 0, 0]);
    expect(d.ctx.cols.info).toBe('IPv6 no next header');
  });

  it('stops an endless chain of headers instead of looping', () => {
    const many: number[] = [];
    for (let i = 0; i < 500; i++) many.push(60, 0, 1, 4, 0, 0, 0, 0);
    const frame = v6(Uint8Array.from(many), { next: 60 });
    const d = decode(frame);
    expectSound(d, frame);
    expect(d.ctx.protocols.filter((p) => p === 'ipv6.dstopts').length).toBeLessThanOrEqual(33);
    expect(d.ctx.problems.length).toBeGreaterThan(0);
  });

  it('a header that claims more than the packet holds is malformed, earlier layers kept', () => {
    const frame = v6(bytes([58, 200, 1, 4, 0, 0, 0, 0]), { next: 0 });
    const d = decode(frame);
    expectSound(d, frame);
    expect(protocols(d)).toBe('eth:ethertype:ipv6:ipv6.hopopts');
    expect(d.ctx.problems.map((p) => p.kind)).toContain('malformed');
  });

  it('an option that runs past its header is reported and ends the list', () => {
    const d = decode(v6(bytes([59, 0, 1, 20, 0, 0, 0, 0]), { next: 0 }));
    expect(values(d, 'ipv6.opt.invalid_len')).toHaveLength(1);
  });
});

describe('IPv6 fragment reassembly', () => {
  const message = icmpv6(128, 0, bytes(u16(3), u16(1), new Uint8Array(2000).fill(0x61)), '2001:db8::1', '2001:db8::2');
  const fragment = (off: number, data: Uint8Array, more: boolean) =>
    v6(bytes([58, 0], u16(off | (more ? 1 : 0)), u32(0xabcdef01), data), { next: 44 });

  it('reassembles in order and out of order; fragments say what they are', () => {
    for (const order of [[0, 1], [1, 0]]) {
      const s = session();
      const parts = [fragment(0, message.subarray(0, 1232), true), fragment(1232, message.subarray(1232), false)];
      const firstOne = decode(parts[order[0]], { session: s, number: 1 });
      expect(protocols(firstOne)).toBe('eth:ethertype:ipv6:ipv6.fraghdr:data');
      expect(firstOne.ctx.cols.info).toMatch(/^IPv6 fragment \(off=\d+ more=[yn] ident=0xabcdef01 nxt=58\)$/);
      const frame = parts[order[1]];
      const done = decode(frame, { session: s, number: 2 });
      expectSound(done, frame);
      expect(protocols(done)).toBe('eth:ethertype:ipv6:ipv6.fraghdr:icmpv6:data');
      expect(first(done, 'ipv6.reassembled.length')).toBe(message.length);
      expect(first(done, 'icmpv6.checksum.status')).toBe(1);
    }
  });

  it('revisited fragments name their reassembly frame in a field, not in the Info (tshark -2)', () => {
    const s = session();
    const parts = [fragment(0, message.subarray(0, 1232), true), fragment(1232, message.subarray(1232), false)];
    decode(parts[0], { session: s, number: 1 });
    decode(parts[1], { session: s, number: 2 });
    const again = decode(parts[0], { session: s, number: 1 });
    expect(first(again, 'ipv6.reassembled.in')).toBe(2);
    expect(again.ctx.cols.info).toBe('IPv6 fragment (off=0 more=y ident=0xabcdef01 nxt=58)');
  });

  it('an atomic fragment (offset 0, no more) needs no reassembly', () => {
    const d = decode(fragment(0, message, false));
    expect(protocols(d)).toBe('eth:ethertype:ipv6:ipv6.fraghdr:icmpv6:data');
  });
});
