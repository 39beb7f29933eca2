/**
 * Every link/network decoder at every truncation length of its header: the capture stops at
 * byte L (caplen L, the wire length unchanged). The decode must not fail, must keep the layers
 * before the cut, must record a `truncated` problem, and every node must stay inside the L
 * bytes. The same cuts as *short packets* (the wire length is L too) must record damage
 * (malformed or a header contradiction) instead, never an internal error.
 */
import { describe, expect, it } from 'vitest';
import {
  bytes, decode, ethernet, expectSound, icmp, icmpv6, ip4, ip6, ipv4, ipv6, mac, MAC_A, MAC_B, protocols, tcpSyn, u16, u32, udp,
} from './helpers.js';

interface Case {
  name: string;
  frame: Uint8Array;
  linkType: number;
  /** The header under test occupies [start, end) of the frame. */
  start: number;
  end: number;
  /** frame.protocols must start with this whenever the cut is at or after `start`. */
  before: string;
}

const payload = udp(1234, 5678, bytes('hello'));
const v4 = ipv4(payload, { proto: 17 });
const v4opts = ipv4(payload, { proto: 17, options: [7, 7, 4, 0, 0, 0, 0, 1] }); // record route + NOP
const arp = bytes(u16(1), u16(0x0800), [6, 4], u16(1), mac(MAC_A), ip4('10.0.0.1'), mac('00:00:00:00:00:00'), ip4('10.0.0.2'));
const hopByHop = [58, 0, 5, 2, 0, 0, 1, 0]; // next ICMPv6, router alert + PadN
const echo6 = icmpv6(128, 0, bytes(u16(7), u16(1), 'ping'));
const nsOpt = icmpv6(135, 0, bytes(u32(0), ip6('2001:db8::2'), [1, 1], mac(MAC_A)));
const extChain = bytes(
  [43, 0, 5, 2, 0, 0, 1, 0], // hop-by-hop → routing
  [44, 2, 0, 1, 0, 0, 0, 0], ip6('2001:db8::9'), // routing type 0 → fragment
  [60, 0, 0, 0, 0, 0, 0, 42], // atomic fragment → dstopts
  [58, 0, 1, 4, 0, 0, 0, 0], // dstopts (PadN) → ICMPv6
  echo6,
);
const quotedUdp = ipv4(udp(40000, 33434, bytes('probe!!!')), { src: '10.0.0.1', dst: '10.0.0.2' });
const unreachable = icmp(3, 3, [0, 0, 0, 0], quotedUdp);
const quotedTcp = ipv4(tcpSyn(40000, 80), { proto: 6 });

const cases: Case[] = [
  { name: 'Ethernet II', frame: ethernet(v4), linkType: 1, start: 0, end: 14, before: '' },
  { name: '802.1Q VLAN', frame: ethernet(bytes(u16(0x2064), u16(0x0800), v4), 0x8100), linkType: 1, start: 14, end: 18, before: 'eth:ethertype' },
  {
    name: '802.1ad Q-in-Q', frame: ethernet(bytes(u16(0x00c8), u16(0x8100), u16(0x07d1), u16(0x0800), v4), 0x88a8),
    linkType: 1, start: 14, end: 22, before: 'eth:ethertype',
  },
  {
    name: '802.3 + LLC/SNAP', frame: ethernet(bytes([0xaa, 0xaa, 0x03, 0, 0, 0], u16(0x0800), v4), 8 + v4.length),
    linkType: 1, start: 14, end: 22, before: 'eth',
  },
  { name: 'Linux SLL', frame: bytes(u16(4), u16(1), u16(6), mac(MAC_A), [0, 0], u16(0x0800), v4), linkType: 113, start: 0, end: 16, before: '' },
  {
    name: 'Linux SLL2', frame: bytes(u16(0x0800), [0, 0], u32(2), u16(1), [4, 6], mac(MAC_A), [0, 0], v4),
    linkType: 276, start: 0, end: 20, before: '',
  },
  { name: 'BSD NULL', frame: bytes([2, 0, 0, 0], v4), linkType: 0, start: 0, end: 4, before: '' },
  { name: 'OpenBSD LOOP', frame: bytes(u32(2), v4), linkType: 108, start: 0, end: 4, before: '' },
  { name: 'raw IP', frame: v4, linkType: 101, start: 0, end: 20, before: 'raw' },
  { name: 'ARP', frame: ethernet(arp, 0x0806), linkType: 1, start: 14, end: 42, before: 'eth:ethertype' },
  { name: 'IPv4', frame: ethernet(v4), linkType: 1, start: 14, end: 34, before: 'eth:ethertype' },
  { name: 'IPv4 with options', frame: ethernet(v4opts), linkType: 1, start: 14, end: 42, before: 'eth:ethertype' },
  { name: 'IPv6', frame: ethernet(ipv6(echo6, { next: 58 }), 0x86dd), linkType: 1, start: 14, end: 54, before: 'eth:ethertype' },
  {
    name: 'IPv6 extension header chain', frame: ethernet(ipv6(extChain, { next: 0 }), 0x86dd),
    linkType: 1, start: 54, end: 54 + extChain.length - echo6.length, before: 'eth:ethertype:ipv6',
  },
  { name: 'IPv6 hop-by-hop', frame: ethernet(ipv6(bytes(hopByHop, echo6), { next: 0 }), 0x86dd), linkType: 1, start: 54, end: 62, before: 'eth:ethertype:ipv6' },
  {
    name: 'ICMP echo', frame: ethernet(ipv4(icmp(8, 0, [0, 1, 0, 1], bytes('abcdefgh')), { proto: 1 })),
    linkType: 1, start: 34, end: 42, before: 'eth:ethertype:ip',
  },
  {
    name: 'ICMP error quoting UDP', frame: ethernet(ipv4(unreachable, { proto: 1 })),
    linkType: 1, start: 34, end: 34 + 8 + 28, before: 'eth:ethertype:ip',
  },
  {
    name: 'ICMP error quoting TCP', frame: ethernet(ipv4(icmp(11, 0, [0, 0, 0, 0], quotedTcp.subarray(0, 28)), { proto: 1 })),
    linkType: 1, start: 34, end: 34 + 8 + 20, before: 'eth:ethertype:ip',
  },
  { name: 'ICMPv6 echo', frame: ethernet(ipv6(echo6, { next: 58 }), 0x86dd), linkType: 1, start: 54, end: 62, before: 'eth:ethertype:ipv6' },
  {
    name: 'ICMPv6 neighbor solicitation', frame: ethernet(ipv6(nsOpt, { next: 58 }), 0x86dd),
    linkType: 1, start: 54, end: 54 + nsOpt.length, before: 'eth:ethertype:ipv6',
  },
];

describe.each(cases)('$name cut inside its header', (c) => {
  it('is complete and sound uncut', () => {
    const d = decode(c.frame, { linkType: c.linkType });
    expectSound(d, c.frame);
    expect(d.ctx.problems.filter((p) => p.kind === 'truncated')).toEqual([]);
  });

  for (let cut = c.start; cut < c.end; cut++) {
    it(`capture cut at byte ${cut}: truncated, earlier layers kept`, () => {
      const frame = c.frame.slice(0, cut);
      const d = decode(frame, { linkType: c.linkType, origLen: c.frame.length });
      expectSound(d, frame);
      expect(d.ctx.problems.map((p) => p.kind)).toContain('truncated');
      expect(protocols(d).startsWith(c.before), `${protocols(d)} starts with ${c.before}`).toBe(true);
    });

    it(`packet ends at byte ${cut}: damage recorded, no internal error`, () => {
      const frame = c.frame.slice(0, cut);
      const d = decode(frame, { linkType: c.linkType });
      expectSound(d, frame);
      expect(d.ctx.problems.length).toBeGreaterThan(0);
      expect(d.ctx.problems.map((p) => p.kind)).not.toContain('truncated');
      expect(protocols(d).startsWith(c.before)).toBe(true);
    });
  }
});

describe('quoted packets are nested', () => {
  it('an ICMP error cut inside its quote keeps the outer columns', () => {
    const full = ethernet(ipv4(unreachable, { proto: 1, src: '10.0.0.2', dst: '10.0.0.1' }));
    const frame = full.slice(0, 34 + 8 + 10);
    const d = decode(frame, { origLen: full.length });
    expect(d.ctx.cols.protocol).toBe('ICMP');
    expect(d.ctx.cols.src).toBe('10.0.0.2');
    expect(d.ctx.meta.ip4Src).toBe(0x0a000002);
  });
});

void MAC_B;
