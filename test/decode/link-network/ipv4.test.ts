/**
 * IPv4: header fields and their Wireshark values, options, the length checks (bogus header
 * length, total length below the header, beyond the capture, beyond the packet, zero from TSO),
 * and fragment reassembly (in order, out of order, incomplete, overlapping, revisited, bounded).
 */
import { describe, expect, it } from 'vitest';
import { DecodeSession, FieldCollector, fieldCount, lookupField, decodePacket } from '../../../src/decode/index.js';
import { FragmentTable } from '../../../src/decode/protocols/ip-reassembly.js';
import {
  bytes, decode, ethernet, expectSound, first, icmp, ipv4, nodes, protocols, session, u16, udp, values,
} from './helpers.js';

describe('IPv4 header', () => {
  const datagram = ipv4(udp(1234, 53, bytes('q')), { src: '192.0.2.1', dst: '198.51.100.7', ttl: 63, id: 0xbeef, flags: 0b010, tos: 0xb9 });

  it('reports every field with Wireshark\'s values', () => {
    const d = decode(ethernet(datagram));
    expect(first(d, 'ip.version')).toBe(4);
    expect(first(d, 'ip.hdr_len')).toBe(20);
    expect(first(d, 'ip.dsfield')).toBe(0xb9);
    expect(first(d, 'ip.dsfield.dscp')).toBe(46);
    expect(first(d, 'ip.dsfield.ecn')).toBe(1);
    expect(first(d, 'ip.len')).toBe(datagram.length);
    expect(first(d, 'ip.id')).toBe(0xbeef);
    expect(first(d, 'ip.flags')).toBe(2);
    expect(first(d, 'ip.flags.df')).toBe(true);
    expect(first(d, 'ip.flags.mf')).toBe(false);
    expect(first(d, 'ip.frag_offset')).toBe(0);
    expect(first(d, 'ip.ttl')).toBe(63);
    expect(first(d, 'ip.proto')).toBe(17);
    expect(first(d, 'ip.checksum')).toBe((datagram[10] << 8) | datagram[11]);
    expect(first(d, 'ip.checksum.status')).toBe(2); // tshark does not verify by default
    expect(values(d, 'ip.addr')).toEqual([0xc0000201, 0xc6336407]);
    expect(values(d, 'ip.host')).toEqual(['192.0.2.1', '198.51.100.7']);
    expect(d.ctx.cols.src).toBe('192.0.2.1');
    expect(d.ctx.cols.dst).toBe('198.51.100.7');
    expect(d.ctx.meta).toMatchObject({ ipVersion: 4, ip4Src: 0xc0000201, ip4Dst: 0xc6336407, ipProto: 17, ipFragment: false });
    expect(d.ctx.net).toMatchObject({ version: 4, v4Src: 0xc0000201, v4Dst: 0xc6336407 });
    const tree = nodes(d.tree);
    expect(tree.find((n) => n.def.name === 'ip.flags')?.text).toBe("010. .... = Flags: 0x2, Don't fragment");
    expect(tree.find((n) => n.def.name === 'ip.dsfield')?.text).toBe('Differentiated Services Field: 0xb9 (DSCP: EF, ECN: ECT(1))');
  });

  it('builds host strings only for sinks that keep them', () => {
    const wanted = [lookupField('ip.src')!, lookupField('ip.src_host')!];
    const collector = new FieldCollector(wanted, fieldCount());
    const frame = ethernet(datagram);
    decodePacket({ number: 1, tsSec: 0, tsNsec: 0, capLen: frame.length, origLen: frame.length, interfaceId: 0, linkType: 1 },
      frame, session(), collector);
    expect(collector.column(1).values.slice(0, collector.column(1).count)).toEqual(['192.0.2.1']);
  });

  it('lists options and keeps going after an unknown one', () => {
    const rr = [7, 11, 4, 0, 0, 0, 0, 0, 0, 0, 0, 1]; // record route, then NOP
    const d = decode(ethernet(ipv4(udp(1, 2), { options: [...rr, 0x99, 2, 0x94, 4, 0, 0, 0, 0] })));
    expect(first(d, 'ip.hdr_len')).toBe(40);
    expect(values(d, 'ip.opt.type')).toEqual([7, 1, 148, 0]);
    expect(values(d, 'ip.empty_rt')).toEqual([0, 0]);
    expect(first(d, 'ip.opt.ra')).toBe(0);
    expect(protocols(d)).toBe('eth:ethertype:ip:udp');
  });

  it('stops at an option whose length runs past the options', () => {
    const d = decode(ethernet(ipv4(udp(1, 2), { options: [7, 40, 4, 0] })));
    expect(values(d, 'ip.opt.type')).toEqual([]);
    expect(d.ctx.experts.map((e) => e.message)).toContain('Record Route (option length = 40 bytes says option goes past end of options)');
    expect(protocols(d)).toBe('eth:ethertype:ip:udp');
  });

  it('a header length below 20 stops the layer with Wireshark\'s message', () => {
    const frame = ethernet(ipv4(udp(1, 2), { ihl: 4 }));
    const d = decode(frame);
    expectSound(d, frame);
    expect(protocols(d)).toBe('eth:ethertype:ip');
    expect(d.ctx.cols.info).toBe('Bogus IP header length (16, must be at least 20)');
    expect(d.ctx.problems[0]).toMatchObject({ kind: 'malformed', field: 'ip.hdr_len' });
  });

  it('a total length below the header length is bogus', () => {
    const d = decode(ethernet(ipv4(udp(1, 2), { totalLength: 10 })));
    expect(d.ctx.cols.info).toBe('Bogus IP length (10, less than header length 20)');
    expect(values(d, 'ip.src')).toEqual([]);
  });

  it('a total length beyond the packet is a protocol error, the payload uses what is there', () => {
    const d = decode(ethernet(ipv4(udp(1, 2, bytes('data')), { totalLength: 200 })));
    expect(first(d, 'ip.len')).toBe(200);
    expect(d.ctx.problems.map((p) => p.message)).toContain('IPv4 total length exceeds packet length (32 bytes)');
    expect(protocols(d)).toBe('eth:ethertype:ip:udp:data');
  });

  it('a total length beyond the capture only is truncation', () => {
    const full = ethernet(ipv4(udp(1, 2, new Uint8Array(100))));
    const frame = full.slice(0, 60);
    const d = decode(frame, { origLen: full.length });
    expectSound(d, frame);
    expect(first(d, 'ip.len')).toBe(128);
    expect(d.ctx.problems.filter((p) => p.kind === 'malformed')).toEqual([]);
  });

  it('a zero total length (TSO) means "the whole frame"', () => {
    const d = decode(ethernet(ipv4(udp(1, 2, bytes('abc')), { totalLength: 0 })));
    expect(first(d, 'ip.len')).toBe(31);
    expect(protocols(d)).toBe('eth:ethertype:ip:udp:data');
  });

  it('an unknown protocol is data with "Unknown (253)"', () => {
    const d = decode(ethernet(ipv4(bytes('x'), { proto: 253 })));
    expect(protocols(d)).toBe('eth:ethertype:ip:data');
    expect(d.ctx.cols.protocol).toBe('IPv4');
    expect(d.ctx.cols.info).toBe('Unknown (253)');
  });

  it('a version-6 packet on the IPv4 EtherType goes to IPv6 after a note', () => {
    const v6 = bytes([0x60, 0, 0, 0], u16(0), [59, 64], new Uint8Array(32));
    const d = decode(ethernet(v6));
    expect(protocols(d)).toBe('eth:ethertype:ip:ipv6');
    expect(d.ctx.problems.map((p) => p.message)).toContain('Bogus IPv4 version');
  });
});

describe('IPv4 fragment reassembly', () => {
  const payload = icmp(8, 0, [0, 7, 0, 1], new Uint8Array(3000).map((_, i) => i & 0xff));
  const pieces = [
    { off: 0, data: payload.subarray(0, 1480), more: true },
    { off: 1480, data: payload.subarray(1480, 2960), more: true },
    { off: 2960, data: payload.subarray(2960), more: false },
  ];
  const frag = (p: (typeof pieces)[number], id = 0x1234) =>
    ethernet(ipv4(p.data, { proto: 1, id, flags: p.more ? 1 : 0, fragOffset: p.off }));

  it('in order: earlier fragments are data, the last one decodes the datagram', () => {
    const s = session();
    const first1 = decode(frag(pieces[0]), { session: s, number: 1 });
    expect(protocols(first1)).toBe('eth:ethertype:ip:data');
    expect(first1.ctx.cols.protocol).toBe('IPv4');
    expect(first1.ctx.cols.info).toBe('Fragmented IP protocol (proto=ICMP 1, off=0, ID=1234)');
    expect(first1.ctx.meta.ipFragment).toBe(true);
    decode(frag(pieces[1]), { session: s, number: 2 });
    const frame = frag(pieces[2]);
    const last = decode(frame, { session: s, number: 3 });
    expectSound(last, frame);
    expect(protocols(last)).toBe('eth:ethertype:ip:icmp:data');
    expect(values(last, 'ip.fragment')).toEqual([1, 2, 3]);
    expect(first(last, 'ip.fragment.count')).toBe(3);
    expect(first(last, 'ip.reassembled.length')).toBe(payload.length);
    expect(first(last, 'ip.reassembled.data')).toEqual(payload);
    expect(first(last, 'icmp.checksum.status')).toBe(1);
    expect(last.ctx.meta.ipFragment).toBe(false);
    // The upper layers point into the reassembled data source, the fragment list too.
    const icmpType = nodes(last.tree).find((n) => n.def.name === 'icmp.type')!;
    expect(icmpType.source?.name).toBe(`Reassembled IPv4 (${payload.length} bytes)`);
    expect(icmpType.offset).toBe(0);
    expect(last.tree.sources).toHaveLength(1);
    expect(nodes(last.tree).find((n) => n.def.name === 'ip.ttl')?.source).toBeUndefined();
  });

  it('out of order: the frame that fills the last hole reassembles', () => {
    const s = session();
    decode(frag(pieces[2]), { session: s, number: 1 });
    decode(frag(pieces[0]), { session: s, number: 2 });
    const d = decode(frag(pieces[1]), { session: s, number: 3 });
    expect(protocols(d)).toBe('eth:ethertype:ip:icmp:data');
    expect(values(d, 'ip.fragment')).toEqual([2, 3, 1]);
    expect(first(d, 'ip.reassembled.data')).toEqual(payload);
  });

  it('incomplete: every fragment stays a fragment', () => {
    const s = session();
    decode(frag(pieces[0]), { session: s, number: 1 });
    const d = decode(frag(pieces[2]), { session: s, number: 2 });
    expect(protocols(d)).toBe('eth:ethertype:ip:data');
    expect(d.ctx.cols.info).toBe('Fragmented IP protocol (proto=ICMP 1, off=2960, ID=1234)');
  });

  it('keeps datagrams apart by identification', () => {
    const s = session();
    decode(frag(pieces[0], 1), { session: s, number: 1 });
    decode(frag(pieces[1], 2), { session: s, number: 2 });
    const d = decode(frag(pieces[2], 1), { session: s, number: 3 });
    expect(protocols(d)).toBe('eth:ethertype:ip:data');
  });

  it('an overlap with different bytes is flagged, the first bytes win', () => {
    const s = session();
    decode(frag(pieces[0]), { session: s, number: 1 });
    const changed = Uint8Array.from(payload.subarray(1400, 2960));
    changed[0] ^= 0xff;
    decode(ethernet(ipv4(changed, { proto: 1, id: 0x1234, flags: 1, fragOffset: 1400 })), { session: s, number: 2 });
    const d = decode(frag(pieces[2]), { session: s, number: 3 });
    expect(first(d, 'ip.fragment.overlap')).toBe(true);
    expect(first(d, 'ip.fragment.overlap.conflict')).toBe(true);
    expect(first(d, 'ip.reassembled.data')).toEqual(payload);
  });

  it('a second tail past the first one\'s end is flagged (multiple tails, too long), nodes stay in bounds', () => {
    const s = session();
    decode(ethernet(ipv4(payload.subarray(1480, 1600), { proto: 1, id: 9, fragOffset: 1480 })), { session: s, number: 1 });
    decode(ethernet(ipv4(payload.subarray(2960, 3008), { proto: 1, id: 9, fragOffset: 2960 })), { session: s, number: 2 });
    const frame = ethernet(ipv4(payload.subarray(0, 1480), { proto: 1, id: 9, flags: 1 }));
    const d = decode(frame, { session: s, number: 3 });
    expectSound(d, frame);
    expect(first(d, 'ip.fragment.multipletails')).toBe(true);
    expect(first(d, 'ip.fragment.toolongfragment')).toBe(true);
    expect(first(d, 'ip.reassembled.length')).toBe(1600);
  });

  it('a revisited frame (detail view, second pass) shows the same result and where fragments went', () => {
    const s = session();
    decode(frag(pieces[0]), { session: s, number: 1 });
    decode(frag(pieces[1]), { session: s, number: 2 });
    decode(frag(pieces[2]), { session: s, number: 3 });
    const again = decode(frag(pieces[2]), { session: s, number: 3 });
    expect(protocols(again)).toBe('eth:ethertype:ip:icmp:data');
    const early = decode(frag(pieces[0]), { session: s, number: 1 });
    expect(first(early, 'ip.reassembled_in')).toBe(3);
    expect(early.ctx.cols.info).toBe('Fragmented IP protocol (proto=ICMP 1, off=0, ID=1234) [Reassembled in #3]');
    // A second pass (tshark -2) with its own session inherits the first pass's file state.
    const pass2 = new DecodeSession({}, s);
    const second = decode(frag(pieces[1]), { session: pass2, number: 2 });
    expect(first(second, 'ip.reassembled_in')).toBe(3);
  });

  it('a fragment cut by the capture is not reassembled; the first one still decodes its part', () => {
    const s = session();
    const full = frag(pieces[0]);
    const d = decode(full.slice(0, 60), { session: s, number: 1, origLen: full.length });
    expect(protocols(d)).toBe('eth:ethertype:ip:icmp:data');
    expect(first(d, 'icmp.checksum.status')).toBe(2);
    decode(frag(pieces[1]), { session: s, number: 2 });
    expect(protocols(decode(frag(pieces[2]), { session: s, number: 3 }))).toBe('eth:ethertype:ip:data');
  });

  it('bounds memory: datagrams that never complete are dropped, oldest first', () => {
    const table = new FragmentTable();
    const chunk = new Uint8Array(1480);
    for (let i = 0; i < 5000; i++) table.add(`k${i}`, i + 1, 0, chunk, true);
    // The first datagram's start was evicted: its tail alone cannot complete it.
    expect(table.add('k0', 6000, 1480, chunk, false)).toBeNull();
    // A recent one still completes.
    expect(table.add('k4999', 6001, 1480, chunk, false)?.data.length).toBe(2960);
  });
});
