/**
 * DNS dissector: header and flags, every decoded record type, the Info column, name
 * compression and its hostile forms (loops, deep chains, forward pointers, bad label types,
 * labels past the end, names too long, absurd counts), odd bytes in labels, DNS over TCP.
 */
import { describe, expect, it } from 'vitest';
import { dnsTcpPduLength } from '../../../src/decode/protocols/dns.js';
import {
  bytes, decode, dnsMessage, dnsName, expectSound, fields, latin1, problemKinds, tcpFrame, tcpSegment, u16, u32,
  udpDatagram, udpFrame, value, values, type Decoded,
} from './helpers.js';

const udp = (msg: Uint8Array, srcPort = 40000, dstPort = 53) => udpFrame(udpDatagram(srcPort, dstPort, msg));
/** Pointer to offset `at` of the DNS message (RFC 1035 §4.1.4). */
const ptr = (at: number) => [0xc0 | (at >> 8), at & 0xff];
const QNAME_AT = 12;

describe('DNS header and question', () => {
  it('decodes a standard query and builds the Info column', () => {
    const msg = dnsMessage({ id: 0x5934, flags: 0x0120, questions: [{ name: dnsName('www', 'tcpdump', 'org'), type: 1 }] });
    const { cells, ctx } = fields(udp(msg), ['dns.id', 'dns.flags', 'dns.flags.response', 'dns.flags.opcode',
      'dns.flags.recdesired', 'dns.flags.authenticated', 'dns.flags.rcode', 'dns.flags.recavail', 'dns.count.queries',
      'dns.count.answers', 'dns.qry.name', 'dns.qry.name.len', 'dns.count.labels', 'dns.qry.type', 'dns.qry.class'],
    { wantsColumns: true });
    expect(cells).toMatchObject({
      'dns.id': '0x5934', 'dns.flags': '0x0120', 'dns.flags.response': '0', 'dns.flags.opcode': '0',
      'dns.flags.recdesired': '1', 'dns.flags.authenticated': '1', 'dns.count.queries': '1', 'dns.count.answers': '0',
      'dns.qry.name': 'www.tcpdump.org', 'dns.qry.name.len': '15', 'dns.count.labels': '3', 'dns.qry.type': '1',
      'dns.qry.class': '0x0001',
    });
    // Queries carry no reply code nor "recursion available" (Wireshark shows them in responses only).
    expect(cells['dns.flags.rcode']).toBe('');
    expect(cells['dns.flags.recavail']).toBe('');
    expect(ctx.cols.protocol).toBe('DNS');
    expect(ctx.cols.info).toBe('Standard query 0x5934 A www.tcpdump.org');
  });

  it('names the reply code in responses ("No such name" for NXDOMAIN)', () => {
    const msg = dnsMessage({ id: 0xb158, flags: 0x8183, questions: [{ name: dnsName('nope', 'example', 'com'), type: 1 }] });
    const d = decode(udp(msg, 53, 40000));
    expect(d.ctx.cols.info).toBe('Standard query response 0xb158 No such name A nope.example.com');
    expect(value(d, 'dns.flags.rcode')).toBe(3);
  });

  it('shows the root and unknown types and opcodes with their numbers', () => {
    const msg = dnsMessage({ id: 7, flags: 0x1900, questions: [{ name: [0], type: 0xabcd }] });
    const d = decode(udp(msg));
    expect(d.ctx.cols.info).toBe('Unknown operation (3) 0x0007 Unknown (43981) <Root>');
    expect(value(d, 'dns.qry.name')).toBe('<Root>');
  });

  it('counts zones, prerequisites and updates for dynamic updates (opcode 5)', () => {
    const msg = dnsMessage({ id: 9, flags: 0x2800, questions: [{ name: dnsName('example', 'com'), type: 6 }] });
    const { cells } = fields(udp(msg), ['dns.count.zones', 'dns.count.prerequisites', 'dns.count.updates', 'dns.count.queries']);
    expect(cells).toEqual({ 'dns.count.zones': '1', 'dns.count.prerequisites': '0', 'dns.count.updates': '0', 'dns.count.queries': '' });
  });
});

describe('DNS records', () => {
  const q = dnsName('example', 'com');
  const name = ptr(QNAME_AT);
  const rrs = {
    a: { name, type: 1, rdata: [192, 0, 2, 80] },
    aaaa: { name, type: 28, rdata: [0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80] },
    cname: { name, type: 5, rdata: dnsName('www', 'example', 'com') },
    ns: { name, type: 2, rdata: dnsName('ns1', 'example', 'com') },
    ptr: { name, type: 12, rdata: dnsName('host', 'example', 'com') },
    mx: { name, type: 15, rdata: [...u16(10), ...dnsName('mail', 'example', 'com')] },
    txt: { name, type: 16, rdata: [...bytes([11], 'v=spf1 -all', [22], 'wirescope fixture zone')] },
    soa: { name, type: 6, rdata: [...dnsName('ns1', 'example', 'com'), ...dnsName('hostmaster', 'example', 'com'),
      ...u32(2024010101), ...u32(3600), ...u32(600), ...u32(86400), ...u32(300)] },
    srv: { name: dnsName('_http', '_tcp', 'example', 'com'), type: 33, rdata: [...u16(0), ...u16(5), ...u16(80), ...dnsName('www', 'example', 'com')] },
    unknown: { name, type: 0x1234, rdata: [1, 2, 3] },
    opt: { name: [0], type: 41, cls: 1232, ttl: 0x8000, rdata: [...u16(10), ...u16(8), 1, 2, 3, 4, 5, 6, 7, 8] },
  };
  const msg = dnsMessage({
    id: 0x1234, flags: 0x8180, questions: [{ name: q, type: 255 }],
    answers: [rrs.a, rrs.aaaa, rrs.cname, rrs.ns, rrs.ptr, rrs.mx, rrs.txt, rrs.soa, rrs.srv, rrs.unknown],
    additional: [rrs.opt],
  });

  it('decodes A, AAAA, CNAME, NS, PTR, MX, TXT, SOA, SRV, OPT and keeps unknown types as data', () => {
    const { cells, ctx } = fields(udp(msg, 53, 40000), ['dns.resp.name', 'dns.resp.type', 'dns.resp.ttl', 'dns.resp.len',
      'dns.a', 'dns.aaaa', 'dns.cname', 'dns.ns', 'dns.ptr.domain_name', 'dns.mx.preference', 'dns.mx.mail_exchange',
      'dns.txt', 'dns.txt.length', 'dns.soa.mname', 'dns.soa.rname', 'dns.soa.serial_number', 'dns.soa.minimum_ttl',
      'dns.srv.service', 'dns.srv.proto', 'dns.srv.name', 'dns.srv.port', 'dns.srv.target', 'dns.data',
      'dns.rr.udp_payload_size', 'dns.resp.z.do', 'dns.opt.code', 'dns.opt.cookie.client', 'dns.count.answers'],
    { wantsColumns: true });
    expect(cells).toMatchObject({
      'dns.a': '192.0.2.80', 'dns.aaaa': '2001:db8:1::80', 'dns.cname': 'www.example.com', 'dns.ns': 'ns1.example.com',
      'dns.ptr.domain_name': 'host.example.com', 'dns.mx.preference': '10', 'dns.mx.mail_exchange': 'mail.example.com',
      'dns.txt': 'v=spf1 -all,wirescope fixture zone', 'dns.txt.length': '11,22', 'dns.soa.mname': 'ns1.example.com',
      'dns.soa.rname': 'hostmaster.example.com', 'dns.soa.serial_number': '2024010101', 'dns.soa.minimum_ttl': '300',
      'dns.srv.service': '_http', 'dns.srv.proto': '_tcp', 'dns.srv.name': 'example.com', 'dns.srv.port': '80',
      'dns.srv.target': 'www.example.com', 'dns.data': '010203', 'dns.rr.udp_payload_size': '1232', 'dns.resp.z.do': '1',
      'dns.opt.code': '10', 'dns.opt.cookie.client': '0102030405060708', 'dns.count.answers': '10',
    });
    // SRV owners are split into service/proto/name instead of dns.resp.name.
    expect(cells['dns.resp.name'].split(',')).toEqual([...Array(8).fill('example.com'), 'example.com', '<Root>']);
    expect(cells['dns.resp.type']).toBe('1,28,5,2,12,15,16,6,33,4660,41');
    expect(ctx.cols.info).toBe('Standard query response 0x1234 ANY example.com A 192.0.2.80 AAAA 2001:db8:1::80 ' +
      'CNAME www.example.com NS ns1.example.com PTR host.example.com MX 10 mail.example.com TXT SOA ns1.example.com ' +
      'SRV 0 5 80 www.example.com Unknown (4660) OPT');
  });

  it('keeps the bytes after the last record as extraneous data', () => {
    const d = decode(udp(bytes(msg, [0xee, 0xff]), 53, 40000));
    expect(Buffer.from(value(d, 'dns.extraneous.data') as Uint8Array).toString('hex')).toBe('eeff');
    expect(value(d, 'dns.extraneous.length')).toBe(2);
  });

  it('decodes every truncation of a response without failing and keeps the records before the cut', () => {
    const full = udp(msg, 53, 40000);
    const dnsStart = 42;
    let lastAnswers = 0;
    for (let cut = dnsStart; cut < full.length; cut++) {
      const d = decode(full.subarray(0, cut), { origLen: full.length });
      expectSound(d);
      if (cut < full.length) expect(problemKinds(d), `cut at ${cut}`).toContain('truncated');
      const answers = values(d, 'dns.resp.type').length;
      expect(answers).toBeGreaterThanOrEqual(lastAnswers);
      lastAnswers = answers;
    }
    expect(lastAnswers).toBeGreaterThan(8);
  });
});

describe('DNS names (hostile input)', () => {
  const query = (qname: number[], extra: number[] = []) =>
    decode(udp(bytes(dnsMessage({ id: 1, flags: 0x0100, questions: [{ name: qname, type: 1 }] }), extra)));
  const name = (d: Decoded) => value(d, 'dns.qry.name');

  it('follows compression pointers, backwards and forwards', () => {
    // The answer's owner points back to the question; its CNAME points forward past itself.
    const answer = { name: ptr(QNAME_AT), type: 5, rdata: [3, ...latin1('www'), ...ptr(12 + 13 + 4 + 12 + 6)] };
    const msg = bytes(dnsMessage({
      id: 2, flags: 0x8180, questions: [{ name: dnsName('example', 'com'), type: 1 }], answers: [answer],
    }), dnsName('fwd', 'example'));
    const d = decode(udp(msg, 53, 40000));
    expectSound(d);
    expect(value(d, 'dns.resp.name')).toBe('example.com');
    expect(value(d, 'dns.cname')).toBe('www.fwd.example');
  });

  it('resolves a long chain of pointers that is not a loop', () => {
    const depth = 40;
    const chain = Array.from({ length: depth }, (_, i) => ptr(QNAME_AT + 2 * (i + 1))).flat();
    const d = query([...chain, 0]);
    expect(name(d)).toBe('<Root>');
    expectSound(d);
  });

  it('gives up on a chain of more pointers than Wireshark follows (255) as a loop', () => {
    const depth = 300;
    const chain = Array.from({ length: depth }, (_, i) => ptr(QNAME_AT + 2 * (i + 1))).flat();
    const d = query([...chain, 0]);
    expectSound(d);
    expect(name(d)).toBe('<Name contains a pointer that loops>');
  });

  for (const [what, qname] of [
    ['a pointer to itself', ptr(QNAME_AT)],
    ['a label and a pointer back to it', [3, ...latin1('abc'), ...ptr(QNAME_AT)]],
    ['two pointers pointing at each other', [...ptr(QNAME_AT + 2), ...ptr(QNAME_AT)]],
  ] as const) {
    it(`stops on ${what} ("<Name contains a pointer that loops>")`, () => {
      const t0 = performance.now();
      const d = query([...qname]);
      expect(performance.now() - t0).toBeLessThan(500);
      expectSound(d);
      expect(name(d)).toBe('<Name contains a pointer that loops>');
    });
  }

  it('bounds the work of a loop in a large message', () => {
    const padding = new Array(60000).fill(0);
    const t0 = performance.now();
    const d = query([3, ...latin1('abc'), ...ptr(QNAME_AT)], padding);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(name(d)).toBe('<Name contains a pointer that loops>');
  });

  it('rejects the reserved label types 0x40 and 0x80 as malformed', () => {
    for (const first of [0x40, 0x80]) {
      const d = query([first, ...latin1('abc'), 0]);
      expectSound(d);
      expect(problemKinds(d, 'dns')).toEqual(['malformed']);
      expect(d.ctx.cols.info).toBe('Standard query 0x0001[Malformed Packet]');
    }
  });

  it('calls a label or pointer past the end of the message malformed', () => {
    for (const qname of [[63, ...latin1('abc')], [0xc0]]) {
      const d = decode(udp(bytes(dnsMessage({ id: 1, flags: 0x0100, counts: [1, 0, 0, 0] }), qname)));
      expectSound(d);
      expect(problemKinds(d, 'dns')).toEqual(['malformed']);
    }
    const pastEnd = query([...ptr(0x3fff)]);
    expect(problemKinds(pastEnd, 'dns')).toEqual(['malformed']);
  });

  it('replaces names longer than 253 characters by "<Name too long>" and reads on', () => {
    const long = dnsName('a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(62));
    const fits = dnsName('a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(61));
    const d = query(long);
    expect(name(d)).toBe('<Name too long>');
    expect(value(d, 'dns.qry.type')).toBe(1);
    expect((name(query(fits)) as string).length).toBe(253);
  });

  it('costs nothing for absurd counts with little data', () => {
    const msg = dnsMessage({ id: 3, flags: 0x8180, questions: [{ name: dnsName('a', 'b'), type: 1 }], counts: [65535, 65535, 65535, 65535] });
    const t0 = performance.now();
    const d = decode(udp(msg, 53, 40000));
    expect(performance.now() - t0).toBeLessThan(500);
    expectSound(d);
    expect(value(d, 'dns.qry.name')).toBe('a.b');
    expect(problemKinds(d, 'dns')).toEqual(['malformed']);
  });

  it('shows odd label bytes as Wireshark does: escapes for controls, U+FFFD for invalid UTF-8, dots kept', () => {
    const d = query(dnsName('a.b', 'x\ty', '\x00\x7f', latin1('\xff\xfe'), latin1('\xc3\xa9t\xe9')));
    expect(name(d)).toBe('a.b.x\\ty.\\000\\177.\ufffd\ufffd.ét\ufffd');
    // Length and label count are Wireshark's: raw bytes and dots (the dot inside a label counts).
    expect(value(d, 'dns.qry.name.len')).toBe(3 + 1 + 3 + 1 + 2 + 1 + 2 + 1 + 4);
    expect(value(d, 'dns.count.labels')).toBe(6);
  });

  it('keeps markup in names as plain text (display is the UI\'s job)', () => {
    const d = query(dnsName('<script>alert(1)</script>', 'example', 'com'));
    expect(name(d)).toBe('<script>alert(1)</script>.example.com');
  });
});

describe('DNS over TCP', () => {
  const m1 = dnsMessage({ id: 0x0a01, flags: 0x0100, questions: [{ name: dnsName('www', 'example', 'com'), type: 1 }] });
  const m2 = dnsMessage({ id: 0x0a02, flags: 0x0100, questions: [{ name: dnsName('www', 'example', 'com'), type: 28 }] });
  const framed = (m: Uint8Array) => bytes(u16(m.length), m);

  it('decodes every length-prefixed message of a segment; the Info shows the last one', () => {
    const f = tcpFrame(tcpSegment(40000, 53, bytes(framed(m1), framed(m2))));
    const { cells, ctx } = fields(f, ['dns.length', 'dns.id', 'dns.qry.type', 'frame.protocols'], { wantsColumns: true });
    expect(cells).toEqual({
      'dns.length': `${m1.length},${m2.length}`, 'dns.id': '0x0a01,0x0a02', 'dns.qry.type': '1,28',
      'frame.protocols': 'eth:ethertype:ip:tcp:dns',
    });
    expect(ctx.cols.info).toBe('Standard query 0x0a02 AAAA www.example.com');
  });

  it('decodes as far as a message goes when it continues in a later segment (no reassembly)', () => {
    const f = tcpFrame(tcpSegment(40000, 53, bytes(framed(m1), framed(m2).subarray(0, 12))));
    const d = decode(f);
    expectSound(d);
    expect(values(d, 'dns.id')).toEqual([0x0a01, 0x0a02]);
    expect(d.ctx.cols.info).toBe('Standard query 0x0a02[BoundErrorUnreassembled Packet]');
    expect(d.ctx.problems.some((p) => p.layer === 'dns' && p.kind === 'truncated')).toBe(true);
  });

  it('tells the reassembly how long a length-prefixed message is', () => {
    const seg = framed(m1);
    expect(dnsTcpPduLength(seg, 0, seg.length)).toBe(m1.length + 2);
    expect(dnsTcpPduLength(seg, 0, 1)).toBe(0);
  });
});

describe('mDNS', () => {
  it('splits the QU bit from the class and marks cache-flush records', () => {
    const msg = dnsMessage({
      id: 0, flags: 0x8400, questions: [{ name: dnsName('printer', 'local'), type: 1, cls: 0x8001 }],
      answers: [{ name: ptr(QNAME_AT), type: 1, cls: 0x8001, rdata: [169, 254, 1, 2] }],
    });
    const d = decode(udp(msg, 5353, 5353));
    expect(value(d, 'dns.qry.class')).toBe(1);
    expect(value(d, 'dns.qry.qu')).toBe(true);
    expect(value(d, 'dns.resp.cache_flush')).toBe(true);
    expect(d.ctx.cols.info).toBe('Standard query response 0x0000 A printer.local, "QU" question A, cache flush 169.254.1.2');
  });
});
