/**
 * ARP: every header field, Wireshark's gratuitous / announcement / probe classification and
 * Info wording, RARP, and the duplicate-address detection that lives across packets.
 */
import { describe, expect, it } from 'vitest';
import { DecodeSession } from '../../../src/decode/index.js';
import { bytes, decode, ethernet, expectSound, first, ip4, mac, MAC_A, MAC_B, protocols, session, u16, values } from './helpers.js';

function arp(op: number, sha: string, spa: string, tha: string, tpa: string): Uint8Array {
  return bytes(u16(1), u16(0x0800), [6, 4], u16(op), mac(sha), ip4(spa), mac(tha), ip4(tpa));
}
const ZERO = '00:00:00:00:00:00';
const BCAST = 'ff:ff:ff:ff:ff:ff';

describe('ARP', () => {
  it('a request: fields and "Who has … Tell …"', () => {
    const frame = ethernet(arp(1, MAC_A, '10.0.0.1', ZERO, '10.0.0.2'), 0x0806, BCAST);
    const d = decode(frame);
    expectSound(d, frame);
    expect(protocols(d)).toBe('eth:ethertype:arp');
    expect(first(d, 'arp.hw.type')).toBe(1);
    expect(first(d, 'arp.proto.type')).toBe(0x0800);
    expect(first(d, 'arp.hw.size')).toBe(6);
    expect(first(d, 'arp.proto.size')).toBe(4);
    expect(first(d, 'arp.opcode')).toBe(1);
    expect(first(d, 'arp.src.hw_mac')).toEqual(Uint8Array.from(mac(MAC_A)));
    expect(first(d, 'arp.src.proto_ipv4')).toBe(0x0a000001);
    expect(first(d, 'arp.dst.proto_ipv4')).toBe(0x0a000002);
    expect(d.ctx.cols.protocol).toBe('ARP');
    expect(d.ctx.cols.info).toBe('Who has 10.0.0.2? Tell 10.0.0.1');
    // The link layer's columns stay: ARP has no addresses of its own in Wireshark's columns.
    expect(d.ctx.cols.dst).toBe(BCAST);
    expect(d.tree.roots.find((n) => n.def.name === 'arp')?.text).toBe('Address Resolution Protocol (request)');
  });

  it('a reply: "… is at …"', () => {
    const d = decode(ethernet(arp(2, MAC_B, '10.0.0.2', MAC_A, '10.0.0.1'), 0x0806));
    expect(d.ctx.cols.info).toBe(`10.0.0.2 is at ${MAC_B}`);
  });

  it('gratuitous request and reply, announcement, probe', () => {
    const grat = decode(ethernet(arp(1, MAC_B, '10.0.0.2', BCAST, '10.0.0.2'), 0x0806, BCAST));
    expect(grat.ctx.cols.info).toBe('Gratuitous ARP for 10.0.0.2 (Request)');
    expect(first(grat, 'arp.isgratuitous')).toBe(true);
    const gratReply = decode(ethernet(arp(2, MAC_B, '10.0.0.2', MAC_B, '10.0.0.2'), 0x0806, BCAST));
    expect(gratReply.ctx.cols.info).toBe('Gratuitous ARP for 10.0.0.2 (Reply)');
    const announce = decode(ethernet(arp(1, MAC_B, '10.0.0.2', ZERO, '10.0.0.2'), 0x0806, BCAST));
    expect(announce.ctx.cols.info).toBe('ARP Announcement for 10.0.0.2');
    expect(first(announce, 'arp.isannouncement')).toBe(true);
    const probe = decode(ethernet(arp(1, MAC_A, '0.0.0.0', ZERO, '10.0.0.77'), 0x0806, BCAST));
    expect(probe.ctx.cols.info).toBe('Who has 10.0.0.77? (ARP Probe)');
    expect(first(probe, 'arp.isprobe')).toBe(true);
    // arping -D asks with a broadcast target MAC: not a probe by RFC 5227's definition.
    const dad = decode(ethernet(arp(1, MAC_A, '0.0.0.0', BCAST, '10.0.0.77'), 0x0806, BCAST));
    expect(dad.ctx.cols.info).toBe('Who has 10.0.0.77? Tell 0.0.0.0');
  });

  it('RARP on its own EtherType', () => {
    const d = decode(ethernet(arp(3, MAC_A, '0.0.0.0', MAC_A, '0.0.0.0'), 0x8035));
    expect(protocols(d)).toBe('eth:ethertype:arp');
    expect(d.ctx.cols.protocol).toBe('RARP');
    expect(d.ctx.cols.info).toBe(`Who is ${MAC_A}? Tell ${MAC_A}`);
  });

  it('shrinks to its addresses: the rest of a 60-byte frame is padding', () => {
    const frame = bytes(ethernet(arp(1, MAC_A, '10.0.0.1', ZERO, '10.0.0.2'), 0x0806), new Uint8Array(18));
    const d = decode(frame);
    expect((first(d, 'eth.padding') as Uint8Array).length).toBe(18);
  });

  it('non-Ethernet hardware keeps its addresses as bytes', () => {
    const body = bytes(u16(0xff00), u16(0x8b01), [2, 3], u16(1), [1, 2], [3, 4, 5], [6, 7], [8, 9, 10]);
    const d = decode(ethernet(body, 0x0806));
    expect(first(d, 'arp.src.hw')).toEqual(Uint8Array.from([1, 2]));
    expect(first(d, 'arp.dst.proto')).toEqual(Uint8Array.from([8, 9, 10]));
    expect(d.ctx.cols.info).toBe('Who has 08090a? Tell 030405');
  });

  it('a packet shorter than its addresses is malformed after the header fields', () => {
    const frame = ethernet(arp(1, MAC_A, '10.0.0.1', ZERO, '10.0.0.2').slice(0, 20), 0x0806);
    const d = decode(frame);
    expectSound(d, frame);
    expect(first(d, 'arp.opcode')).toBe(1);
    expect(values(d, 'arp.src.hw_mac')).toEqual([]);
    expect(d.ctx.problems.map((p) => p.kind)).toContain('malformed');
  });
});

describe('ARP duplicate address detection', () => {
  it('flags a second MAC for an address against the last frame that used the first', () => {
    const s = session();
    const spoof = '00:00:5e:00:53:66';
    decode(ethernet(arp(2, MAC_B, '10.0.0.2', MAC_A, '10.0.0.1'), 0x0806), { session: s, number: 1, tsSec: 100 });
    decode(ethernet(arp(2, MAC_B, '10.0.0.2', MAC_B, '10.0.0.2'), 0x0806), { session: s, number: 2, tsSec: 103 });
    const d = decode(ethernet(arp(1, spoof, '10.0.0.2', ZERO, '10.0.0.9'), 0x0806), { session: s, number: 3, tsSec: 107 });
    expect(first(d, 'arp.duplicate-address-frame')).toBe(2);
    expect(first(d, 'arp.seconds-since-duplicate-address-frame')).toBe(4);
    expect(values(d, 'arp.duplicate-address-detected')).toHaveLength(1);
    expect(d.ctx.experts.map((e) => e.message)).toContain('Duplicate IP address configured (10.0.0.2)');
    expect(d.ctx.cols.info).toBe('Who has 10.0.0.9? Tell 10.0.0.2 (duplicate use of 10.0.0.2 detected!)');
    // A later pass over the file shows the same finding (Wireshark keeps the result per frame).
    const pass2 = new DecodeSession({}, s);
    const again = decode(ethernet(arp(1, spoof, '10.0.0.2', ZERO, '10.0.0.9'), 0x0806), { session: pass2, number: 3, tsSec: 107 });
    expect(first(again, 'arp.duplicate-address-frame')).toBe(2);
  });

  it('a reply whose target check passes keeps the Info unmarked, as Wireshark (the last check wins)', () => {
    const s = session();
    decode(ethernet(arp(2, MAC_B, '10.0.0.2', MAC_A, '10.0.0.1'), 0x0806), { session: s, number: 1 });
    const d = decode(ethernet(arp(2, '00:00:5e:00:53:66', '10.0.0.2', MAC_A, '10.0.0.1'), 0x0806), { session: s, number: 2 });
    expect(first(d, 'arp.duplicate-address-frame')).toBe(1);
    expect(d.ctx.cols.info).toBe('10.0.0.2 is at 00:00:5e:00:53:66');
  });

  it('ignores 0.0.0.0 senders and multicast MACs, and never flags on a revisit', () => {
    const s = session();
    decode(ethernet(arp(1, MAC_A, '0.0.0.0', ZERO, '10.0.0.5'), 0x0806), { session: s, number: 1 });
    const probe2 = decode(ethernet(arp(1, MAC_B, '0.0.0.0', ZERO, '10.0.0.5'), 0x0806), { session: s, number: 2 });
    expect(values(probe2, 'arp.duplicate-address-frame')).toEqual([]);
    decode(ethernet(arp(1, MAC_A, '10.0.0.1', ZERO, '10.0.0.5'), 0x0806), { session: s, number: 3 });
    const again = decode(ethernet(arp(1, MAC_B, '10.0.0.1', ZERO, '10.0.0.5'), 0x0806), { session: s, number: 3 });
    expect(values(again, 'arp.duplicate-address-frame')).toEqual([]);
  });
});
