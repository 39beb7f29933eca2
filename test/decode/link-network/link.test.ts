/**
 * Link layers on hand-built frames: Ethernet II and its padding/trailer/FCS rules, 802.1Q and
 * Q-in-Q tags, IEEE 802.3 + LLC/SNAP, Linux SLL and SLL2, BSD NULL in both byte orders, LOOP,
 * and the raw IP link types.
 */
import { describe, expect, it } from 'vitest';
import {
  bytes, decode, ethernet, expectSound, first, ipv4, ipv6, mac, MAC_A, MAC_B, protocols, u16, u32, udp, values,
} from './helpers.js';

const v4 = ipv4(udp(1000, 2000, bytes('x')), { src: '192.0.2.1', dst: '192.0.2.2' });

describe('Ethernet II', () => {
  it('decodes addresses and type, and the MAC columns until a network layer replaces them', () => {
    const frame = ethernet(bytes('payload'), 0x88b5);
    const d = decode(frame);
    expectSound(d, frame);
    expect(protocols(d)).toBe('eth:ethertype:data');
    expect(first(d, 'eth.dst')).toEqual(Uint8Array.from(mac(MAC_B)));
    expect(first(d, 'eth.src')).toEqual(Uint8Array.from(mac(MAC_A)));
    expect(values(d, 'eth.addr')).toHaveLength(2);
    expect(first(d, 'eth.type')).toBe(0x88b5);
    // An EtherType nobody decodes: its number as Protocol, its registered name as Info.
    expect(d.ctx.cols.protocol).toBe('0x88b5');
    expect(d.ctx.cols.info).toBe('Local Experimental Ethertype 1');
    expect(d.ctx.cols.src).toBe(MAC_A);
    expect(d.ctx.cols.dst).toBe(MAC_B);
  });

  it('shows broadcast as the raw address (tshark -n)', () => {
    const d = decode(ethernet(bytes('x'), 0x88b5, 'ff:ff:ff:ff:ff:ff'));
    expect(d.ctx.cols.dst).toBe('ff:ff:ff:ff:ff:ff');
    expect(first(d, 'eth.dst.ig')).toBe(true);
  });

  it('splits what follows a short PDU into zero padding up to 60 bytes', () => {
    const arpLike = ipv4(bytes(), { proto: 253 }); // a 20-byte datagram
    const frame = bytes(ethernet(arpLike), new Uint8Array(60 - 14 - 20));
    const d = decode(frame);
    expectSound(d, frame);
    expect((first(d, 'eth.padding') as Uint8Array).length).toBe(26);
    expect(values(d, 'eth.trailer')).toEqual([]);
    expect(values(d, 'eth.fcs')).toEqual([]);
  });

  it('treats non-zero "padding" as trailer (Wireshark\'s default: zeros only)', () => {
    const frame = bytes(ethernet(ipv4(bytes(), { proto: 253 })), new Uint8Array(25), [0x55]);
    const d = decode(frame);
    expect(values(d, 'eth.padding')).toEqual([]);
    expect((first(d, 'eth.trailer') as Uint8Array).length).toBe(26);
  });

  it('guesses an FCS at the end of frames of 64 bytes or more with 4 spare bytes', () => {
    const payload = ipv4(new Uint8Array(40), { proto: 253 }); // 60-byte datagram → 74-byte frame
    const frame = bytes(ethernet(payload), [0, 0, 0, 0], [0xde, 0xad, 0xbe, 0xef]);
    const d = decode(frame);
    expect(first(d, 'eth.fcs')).toBe(0xdeadbeef);
    expect(first(d, 'eth.trailer')).toEqual(new Uint8Array(4));
    expect(first(d, 'eth.fcs.status')).toBe(2);
  });

  it('puts no trailer when the trailer is not captured', () => {
    const full = bytes(ethernet(ipv4(bytes(), { proto: 253 })), new Uint8Array(26));
    const frame = full.slice(0, 34);
    const d = decode(frame, { origLen: full.length });
    expectSound(d, frame);
    expect(values(d, 'eth.padding')).toEqual([]);
  });

  it('reports an undefined length/type (1501..1535) and keeps the bytes as data', () => {
    const d = decode(ethernet(bytes('hello'), 0x05ff));
    expect(protocols(d)).toBe('eth:data');
    expect(first(d, 'eth.invalid_lentype')).toBe(0x05ff);
    expect(d.ctx.cols.info).toBe('Ethernet Unknown: Invalid length/type: 0x05ff (1535)');
  });
});

describe('802.1Q and 802.1ad tags', () => {
  it('decodes a VLAN tag and hands the payload on by its EtherType', () => {
    const frame = ethernet(bytes(u16((5 << 13) | (1 << 12) | 100), u16(0x0800), v4), 0x8100);
    const d = decode(frame);
    expectSound(d, frame);
    expect(protocols(d)).toBe('eth:ethertype:vlan:ethertype:ip:udp:data');
    expect(first(d, 'vlan.id')).toBe(100);
    expect(first(d, 'vlan.priority')).toBe(5);
    expect(first(d, 'vlan.dei')).toBe(true);
    expect(first(d, 'vlan.etype')).toBe(0x0800);
    expect(d.ctx.cols.src).toBe('192.0.2.1');
  });

  it('decodes Q-in-Q as ieee8021ad then vlan, and puts the trailer in the inner tag', () => {
    const arp = bytes(u16(1), u16(0x0800), [6, 4], u16(1), mac(MAC_A), [10, 0, 0, 1], new Uint8Array(6), [10, 0, 0, 2]);
    const frame = bytes(ethernet(bytes(u16(200), u16(0x8100), u16(2001), u16(0x0806), arp), 0x88a8), new Uint8Array(10), [1, 2, 3, 4]);
    const d = decode(frame);
    expectSound(d, frame);
    expect(protocols(d)).toBe('eth:ethertype:ieee8021ad:ethertype:vlan:ethertype:arp');
    expect(first(d, 'ieee8021ad.id')).toBe(200);
    expect(first(d, 'vlan.id')).toBe(2001);
    expect((first(d, 'eth.padding') as Uint8Array).length).toBe(10);
    expect(first(d, 'vlan.trailer')).toEqual(Uint8Array.from([1, 2, 3, 4]));
    expect(values(d, 'eth.trailer')).toEqual([]);
  });

  it('bounds deeply stacked tags instead of recursing through a jumbo frame of them', () => {
    const tags: number[] = [];
    for (let i = 0; i < 2000; i++) tags.push(...u16(i & 0xfff), ...u16(0x8100));
    const frame = ethernet(Uint8Array.from(tags), 0x8100);
    const d = decode(frame);
    expectSound(d, frame);
    expect(values(d, 'vlan.id').length).toBeLessThanOrEqual(16);
  });
});

describe('IEEE 802.3 with LLC', () => {
  it('decodes LLC and SNAP with an encapsulated EtherType (no ethertype layer, as tshark)', () => {
    const llc = bytes([0xaa, 0xaa, 0x03, 0, 0, 0], u16(0x0800), v4);
    const d = decode(ethernet(llc, llc.length));
    expect(protocols(d)).toBe('eth:llc:ip:udp:data');
    expect(first(d, 'eth.len')).toBe(llc.length);
    expect(first(d, 'llc.dsap')).toBe(0xaa);
    expect(first(d, 'llc.control')).toBe(0x03);
    expect(first(d, 'llc.type')).toBe(0x0800);
  });

  it('shows other SAPs as data with tshark\'s Info wording for U, I and S frames', () => {
    const u = decode(ethernet(bytes([0x06, 0x07, 0x13], 'abc'), 6));
    expect(u.ctx.cols.info).toBe('U F, func=UI; DSAP TCP/IP Individual, SSAP TCP/IP Response');
    const s = decode(ethernet(bytes([0xf0, 0xf1, 0x01, 0x02], 'abc'), 7));
    expect(s.ctx.cols.info).toBe('S, func=RR, N(R)=1; DSAP NetBIOS Individual, SSAP NetBIOS Response');
    const i = decode(ethernet(bytes([0xf0, 0xf0, 0x00, 0x35], 'abc'), 7));
    expect(i.ctx.cols.info).toBe('I P, N(R)=26, N(S)=0; DSAP NetBIOS Individual, SSAP NetBIOS Command');
    expect(protocols(i)).toBe('eth:llc:data');
  });

  it('stops the LLC at the length field and shows the rest as trailer', () => {
    const frame = ethernet(bytes([0x04, 0x05, 0x03], new Uint8Array(7), new Uint8Array(50).fill(0x78)), 10);
    const d = decode(frame);
    expectSound(d, frame);
    expect((first(d, 'eth.trailer') as Uint8Array).every((b) => b === 0x78)).toBe(true);
  });
});

describe('Linux cooked captures', () => {
  it('SLL: packet type, address, EtherType; only a Source column', () => {
    const frame = bytes(u16(4), u16(1), u16(6), mac(MAC_A), [0, 0], u16(0x0806),
      u16(1), u16(0x0800), [6, 4], u16(1), mac(MAC_A), [10, 9, 0, 1], new Uint8Array(6), [10, 9, 0, 2]);
    const d = decode(frame, { linkType: 113 });
    expectSound(d, frame);
    expect(protocols(d)).toBe('sll:ethertype:arp');
    expect(first(d, 'sll.pkttype')).toBe(4);
    expect(first(d, 'sll.src.eth')).toEqual(Uint8Array.from(mac(MAC_A)));
    expect(first(d, 'sll.unused')).toEqual(new Uint8Array(2));
    expect(d.ctx.cols.src).toBe(MAC_A);
    expect(d.ctx.cols.dst).toBe('');
    expect(d.ctx.cols.info).toBe('Who has 10.9.0.2? Tell 10.9.0.1');
  });

  it('SLL2: protocol first, interface index, then the rest', () => {
    const frame = bytes(u16(0x0800), [0, 0], u32(7), u16(772), [0, 6], new Uint8Array(6), [0, 0], v4);
    const d = decode(frame, { linkType: 276 });
    expectSound(d, frame);
    expect(protocols(d)).toBe('sll:ethertype:ip:udp:data');
    expect(first(d, 'sll.ifindex')).toBe(7);
    expect(first(d, 'sll.hatype')).toBe(772);
    expect(first(d, 'sll.etype')).toBe(0x0800);
  });

  it('GRE tunnels carry GRE protocol types straight to the network layer', () => {
    const frame = bytes(u16(0), u16(778), u16(0), new Uint8Array(8), u16(0x86dd), ipv6(bytes('12345678')));
    const d = decode(frame, { linkType: 113 });
    expect(protocols(d)).toBe('sll:ipv6:data');
    expect(first(d, 'sll.gretype')).toBe(0x86dd);
  });
});

describe('BSD loopback', () => {
  const v6 = ipv6(bytes('12345678'));
  it.each([
    ['little-endian', bytes([2, 0, 0, 0], v4), 'null:ip:udp:data'],
    ['big-endian', bytes(u32(2), v4), 'null:ip:udp:data'],
    ['FreeBSD IPv6 (28)', bytes([28, 0, 0, 0], v6), 'null:ipv6:data'],
    ['Darwin IPv6 (30), big-endian', bytes(u32(30), v6), 'null:ipv6:data'],
    ['Linux AF_INET6 (10) is no BSD family', bytes([10, 0, 0, 0], v6), 'null:data'],
    ['an EtherType in the header', bytes(u32(0x0800), v4), 'null:ip:udp:data'],
  ])('NULL, %s', (_name, frame, chain) => {
    const d = decode(frame, { linkType: 0 });
    expectSound(d, frame);
    expect(protocols(d)).toBe(chain);
  });

  it('LOOP is always network byte order', () => {
    expect(protocols(decode(bytes(u32(2), v4), { linkType: 108 }))).toBe('null:ip:udp:data');
    const le = decode(bytes([2, 0, 0, 0], v4), { linkType: 108 });
    expect(protocols(le)).toBe('null:data');
    expect(first(le, 'null.family')).toBe(0x02000000);
    expect(le.ctx.cols.protocol).toBe('N/A');
    expect(le.ctx.cols.info).toBe('Null/Loopback');
  });
});

describe('raw IP link types', () => {
  it('101 picks the version from the first nibble', () => {
    expect(protocols(decode(v4, { linkType: 101 }))).toBe('raw:ip:udp:data');
    expect(protocols(decode(ipv6(bytes('12345678')), { linkType: 101 }))).toBe('raw:ipv6:data');
    const junk = decode(bytes([0x10, 1, 2, 3]), { linkType: 101 });
    expect(protocols(junk)).toBe('raw');
    expect(junk.ctx.problems.map((p) => p.kind)).toContain('malformed');
  });

  it('228 and 229 go straight to IPv4 / IPv6', () => {
    expect(protocols(decode(v4, { linkType: 228 }))).toBe('ip:udp:data');
    expect(protocols(decode(ipv6(bytes('12345678')), { linkType: 229 }))).toBe('ipv6:data');
    // An IPv4 packet on the IPv6 link type: IPv6 refuses it, as tshark does.
    const wrong = decode(v4, { linkType: 229 });
    expect(protocols(wrong)).toBe('');
    expect(wrong.ctx.cols.info).toBe('Bogus IPv6 version (4, must be 6)');
  });

  it('an unknown link type still lists its bytes', () => {
    const d = decode(bytes('abc'), { linkType: 9999 });
    expect(protocols(d)).toBe('data');
  });
});
