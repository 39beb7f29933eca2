/**
 * UDP dissector: header fields, the length checks against the IP payload, checksum status, the
 * udp hook, hand-off by port (DNS, mDNS, LLMNR) and by heuristic, truncation at every length.
 */
import { describe, expect, it } from 'vitest';
import type { UdpDatagramInfo } from '../../../src/decode/index.js';
import {
  L4, decode, dnsMessage, dnsName, expectSound, fields, problemKinds, udpDatagram, udpFrame, value, values,
} from './helpers.js';

describe('UDP', () => {
  it('reports the header, the payload and the Info column', () => {
    const f = udpFrame(udpDatagram(40000, 9999, 'abcdef', { checksum: 0x7824 }));
    const { cells, ctx } = fields(f, ['udp.srcport', 'udp.dstport', 'udp.port', 'udp.length', 'udp.checksum',
      'udp.checksum.status', 'udp.payload', 'frame.protocols'], { wantsColumns: true });
    expect(cells).toEqual({
      'udp.srcport': '40000', 'udp.dstport': '9999', 'udp.port': '40000,9999', 'udp.length': '14',
      'udp.checksum': '0x7824', 'udp.checksum.status': '2', 'udp.payload': Buffer.from('abcdef').toString('hex'),
      'frame.protocols': 'eth:ethertype:ip:udp:data',
    });
    expect(ctx.cols.protocol).toBe('UDP');
    expect(ctx.cols.info).toBe('40000 → 9999 Len=6');
    expect(ctx.meta).toMatchObject({ srcPort: 40000, dstPort: 9999, udpPayloadOffset: L4 + 8, udpPayloadLength: 6 });
  });

  it('treats a zero checksum as "not present" over IPv4', () => {
    const { cells } = fields(udpFrame(udpDatagram(1, 2, 'x', { checksum: 0 })), ['udp.checksum', 'udp.checksum.status']);
    expect(cells).toEqual({ 'udp.checksum': '0x0000', 'udp.checksum.status': '3' });
  });

  it('calls a length below 8 malformed and stops', () => {
    const d = decode(udpFrame(udpDatagram(1, 2, 'abcdef', { length: 4 })));
    expectSound(d);
    expect(problemKinds(d, 'udp')).toEqual(['malformed']);
    expect(d.ctx.cols.info).toBe('1 → 2 [BAD UDP LENGTH 4 < 8]');
    expect(values(d, 'udp.checksum')).toEqual([]);
  });

  it('bounds the payload by the IP length when the UDP length claims more (malformed)', () => {
    const d = decode(udpFrame(udpDatagram(1, 2, 'abcdef', { length: 20 })));
    expectSound(d);
    expect(problemKinds(d, 'udp')).toEqual(['malformed']);
    expect(d.ctx.cols.info).toBe('1 → 2 [BAD UDP LENGTH 20 > IP PAYLOAD LENGTH] Len=12');
    expect(Buffer.from(value(d, 'udp.payload') as Uint8Array).toString()).toBe('abcdef');
  });

  it('ignores bytes after the UDP length (Ethernet padding, trailers)', () => {
    const d = decode(udpFrame(udpDatagram(1, 2, 'abcdef', { length: 10 })));
    expect(Buffer.from(value(d, 'udp.payload') as Uint8Array).toString()).toBe('ab');
    expect(d.ctx.problems).toEqual([]);
  });

  it('passes the datagram to the udp hook', () => {
    const seen: UdpDatagramInfo[] = [];
    decode(udpFrame(udpDatagram(5353, 5353, '')), { hooks: { udp: (_c, dg) => { if (dg) seen.push({ ...dg }); } } });
    expect(seen).toEqual([{ srcPort: 5353, dstPort: 5353, headerOffset: L4, length: 8, stream: -1 }]);
  });

  const query = dnsMessage({ id: 0x1a2b, flags: 0x0100, questions: [{ name: dnsName('example', 'com'), type: 1 }] });
  for (const [port, proto, column] of [[53, 'dns', 'DNS'], [5353, 'mdns', 'MDNS'], [5355, 'llmnr', 'LLMNR']] as const) {
    it(`hands port ${port} to ${proto}`, () => {
      const d = decode(udpFrame(udpDatagram(40000, port, query)));
      expect(d.ctx.protocols.at(-1)).toBe(proto);
      expect(d.ctx.cols.protocol).toBe(column);
      expect(value(d, 'dns.id')).toBe(0x1a2b);
    });
  }

  it('recognises DNS on another port by its structure, and leaves other payload as data', () => {
    const d = decode(udpFrame(udpDatagram(40000, 8053, query)));
    expect(d.ctx.protocols.at(-1)).toBe('dns');
    const other = decode(udpFrame(udpDatagram(40000, 8053, 'not dns at all, just text')));
    expect(other.ctx.protocols.at(-1)).toBe('data');
  });

  it('decodes every truncation of header and payload without failing', () => {
    const full = udpFrame(udpDatagram(40000, 53, query));
    for (let cut = 0; cut < full.length; cut++) {
      const d = decode(full.subarray(0, cut), { origLen: full.length });
      expectSound(d);
      if (cut >= L4 && cut < L4 + 8) expect(problemKinds(d), `cut at ${cut}`).toContain('truncated');
      if (cut >= L4 + 4) expect(value(d, 'udp.dstport'), `cut at ${cut}`).toBe(53);
    }
  });
});
