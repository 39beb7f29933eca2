/**
 * TCP dissector: header fields and flags, options (incl. hostile lengths), the Info column,
 * truncation at every length, and the hook contract with the analysis (context.ts).
 */
import { describe, expect, it } from 'vitest';
import type { DecodeHooks, TcpSegmentInfo, TreeSink } from '../../../src/decode/index.js';
import { DecodeSession, lookupField } from '../../../src/decode/index.js';
import {
  L4, bytes, decode, dnsMessage, dnsName, expectSound, fields, ipv4Frame, node, nodes, prng, problemKinds,
  tcpFrame, tcpSegment, u16, u32, value, values,
} from './helpers.js';

const HDR = ['tcp.srcport', 'tcp.dstport', 'tcp.port', 'tcp.seq_raw', 'tcp.ack_raw', 'tcp.hdr_len', 'tcp.flags',
  'tcp.flags.push', 'tcp.flags.ack', 'tcp.flags.syn', 'tcp.window_size_value', 'tcp.checksum', 'tcp.checksum.status',
  'tcp.urgent_pointer', 'tcp.len', 'tcp.payload', 'frame.protocols'];

describe('TCP header', () => {
  it('reports every header field with tshark -T fields formatting', () => {
    const payload = 'hello';
    const f = tcpFrame(tcpSegment(40000, 9999, payload, { seq: 0xdeadbeef, ack: 7, flags: 0x018, window: 513, checksum: 0xbeef, urgent: 3 }));
    const { cells } = fields(f, HDR);
    expect(cells['tcp.srcport']).toBe('40000');
    expect(cells['tcp.dstport']).toBe('9999');
    expect(cells['tcp.port']).toBe('40000,9999');
    expect(cells['tcp.seq_raw']).toBe(String(0xdeadbeef));
    expect(cells['tcp.ack_raw']).toBe('7');
    expect(cells['tcp.hdr_len']).toBe('20');
    expect(cells['tcp.flags']).toBe('0x0018');
    expect(cells['tcp.flags.push']).toBe('1');
    expect(cells['tcp.flags.ack']).toBe('1');
    expect(cells['tcp.flags.syn']).toBe('0');
    expect(cells['tcp.window_size_value']).toBe('513');
    expect(cells['tcp.checksum']).toBe('0xbeef');
    expect(cells['tcp.checksum.status']).toBe('2'); // unverified, tshark's default
    expect(cells['tcp.urgent_pointer']).toBe('3');
    expect(cells['tcp.len']).toBe(String(payload.length));
    expect(cells['tcp.payload']).toBe(Buffer.from(payload).toString('hex'));
    expect(cells['frame.protocols']).toBe('eth:ethertype:ip:tcp:data');
  });

  it('spells the 12 flag bits like Wireshark (tcp.flags.str and the Info list)', () => {
    const all = decode(tcpFrame(tcpSegment(1, 2, '', { flags: 0xfff })));
    expect(value(all, 'tcp.flags.str')).toBe('RRRACEUAPRSF');
    expect(all.ctx.cols.info).toContain('[FIN, SYN, RST, PSH, ACK, URG, ECE, CWR, AE, Reserved]');
    const none = decode(tcpFrame(tcpSegment(1, 2, '', { flags: 0 })));
    expect(value(none, 'tcp.flags.str')).toBe('\u00b7'.repeat(12));
    expect(none.ctx.cols.info).toContain('[<None>]');
    const syn = decode(tcpFrame(tcpSegment(1, 2, '', { flags: 0x002 })));
    expect(value(syn, 'tcp.flags.str')).toBe('\u00b7'.repeat(10) + 'S\u00b7');
  });

  it('builds the Info column from the header when no analysis is installed (raw numbers)', () => {
    const d = decode(tcpFrame(tcpSegment(46656, 4321, 'abc', { seq: 100, ack: 200, flags: 0x018, window: 501 })));
    expect(d.ctx.cols.protocol).toBe('TCP');
    expect(d.ctx.cols.info).toBe('46656 → 4321 [PSH, ACK] Seq=100 Ack=200 Win=501 Len=3');
    const syn = decode(tcpFrame(tcpSegment(5, 6, '', { seq: 9, flags: 0x022, urgent: 4 })));
    // No Ack= without the ACK flag; Urg= only with URG.
    expect(syn.ctx.cols.info).toBe('5 → 6 [SYN, URG] Seq=9 Win=64240 Urg=4 Len=0');
  });

  it('fills ctx.meta for the index and the analysis', () => {
    const d = decode(tcpFrame(tcpSegment(1234, 80, 'xy', { seq: 5 })));
    expect(d.ctx.meta.srcPort).toBe(1234);
    expect(d.ctx.meta.dstPort).toBe(80);
    expect(d.ctx.meta.tcp?.seq).toBe(5);
    expect(d.ctx.meta.tcp?.segmentLength).toBe(2);
    expect(d.ctx.meta.tcp?.payloadOffset).toBe(L4 + 20);
  });
});

describe('field-less sinks', () => {
  it('a sink keeping any one TCP field gets exactly the tree\'s occurrences of it', () => {
    // Sinks that keep none of a group of fields skip reporting the group: every field must
    // still reach a sink that keeps it alone.
    const frames = [
      tcpFrame(tcpSegment(40000, 443, 'hello', { seq: 0xdeadbeef, ack: 7, flags: 0x0f3f, window: 513, urgent: 3 })),
      tcpFrame(tcpSegment(33779, 53, '', { flags: 0x002, seq: 1, options: [2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7] })),
      tcpFrame(tcpSegment(1, 2, 'x', { flags: 0x010, options: [1, 1, 5, 10, 0, 0, 0, 5, 0, 0, 0, 9] })),
    ];
    for (const frame of frames) {
      const tree = decode(frame).tree;
      const names = [...new Set(nodes(tree).map((n) => n.def.name).filter((n) => n.startsWith('tcp.')))];
      expect(names.length).toBeGreaterThan(15);
      for (const name of names) {
        const want = nodes(tree).filter((n) => n.def.name === name).length;
        const got = fields(frame, [name]).cells[name];
        expect(got === '' ? 0 : got.split(',').length, name).toBe(want);
      }
    }
  });
});

describe('TCP options', () => {
  it('Info without the reporting walk (field-less sinks) equals Info with it, on any options', () => {
    // Building blocks: the plain options the short cut handles, in proper and wrong sizes, and
    // everything that must send it back to the full walk (notes, SACK, unknown kinds, bad lengths).
    const blocks: number[][] = [
      [1], [1], [1], [0], [2, 4, 5, 0xb4], [2, 3, 5], [3, 3, 7], [3, 3, 14], [3, 3, 15], [3, 4, 7, 0], [4, 2], [4, 3, 0],
      [8, 10, 0x79, 0xe2, 0x1b, 0x9a, 0x80, 0, 0, 1], [8, 9, 1, 2, 3, 4, 5, 6, 7], [5, 10, 0, 0, 0x10, 0, 0, 0, 0x20, 0],
      [5, 6, 1, 2, 3, 4], [30, 4, 0, 0], [254, 6, 0xf9, 0x89, 1, 2], [99, 2], [2, 1], [2, 40], [7],
    ];
    const ts = blocks[12];
    // NOP runs around the "4 NOP in a row" rule (counted within 32-bit words), EOL padding.
    const crafted: number[][] = [
      [1, 1, 1, 1], [1, 1, 1, 1, 1], [1, 1, 1, 2, 4, 5, 0xb4], [2, 4, 5, 0xb4, 1, 1, 1, 1], [1, 1, ...ts, 1, 1, 1, 1],
      [1, 1, ...ts, 1, 1, 1], [1, 1, 1, 3, 3, 7, 1, 1, 1], [1, ...ts, 1, 1, 1, 1], [0, 0, 0, 1], [0, 0, 0, 0],
      [2, 4, 5, 0xb4, 0, 0, 0, 0], [2, 4, 5, 0xb4, 0, 1, 0, 0],
    ];
    const random = prng(20261122);
    let plainCases = 0;
    for (let n = 0; n < 3000 + crafted.length; n++) {
      const options: number[] = n < crafted.length ? [...crafted[n]] : [];
      const count = n < crafted.length ? 0 : 1 + Math.floor(random() * 5);
      for (let k = 0; k < count && options.length < 40; k++) options.push(...blocks[Math.floor(random() * blocks.length)]);
      if (options.length > 40) options.length = 40;
      const frame = tcpFrame(tcpSegment(40000, 443, 'xy', { seq: 1 + n, ack: 77, flags: 0x018, options }));
      const short = fields(frame, ['tcp.srcport'], { wantsColumns: true }).ctx;
      const full = fields(frame, ['tcp.srcport', 'tcp.option_kind'], { wantsColumns: true }).ctx;
      const summary = (c: typeof short) => ({
        info: c.cols.info, protocol: c.cols.protocol, protocols: [...c.protocols],
        experts: c.experts.map((e) => `${e.severity} ${e.message}`), problems: c.problems.map((p) => p.message),
      });
      expect(summary(short), Buffer.from(options).toString('hex')).toEqual(summary(full));
      if (/TSval|MSS|WS=|SACK_PERM/.test(short.cols.info) && short.experts.length === 0) plainCases++;
    }
    // The comparison covered plain option lists too (where the short cut is taken), not only damaged ones.
    expect(plainCases).toBeGreaterThan(100);
  });

  const synOptions = [2, 4, 0x05, 0xb4, 4, 2, 8, 10, ...u32(2044906138), ...u32(0), 1, 3, 3, 7];

  it('decodes MSS, SACK permitted, timestamps, NOP and window scale, and appends them to Info', () => {
    const f = tcpFrame(tcpSegment(33779, 53, '', { flags: 0x002, seq: 1, options: synOptions }));
    const { cells, ctx } = fields(f, ['tcp.options.mss_val', 'tcp.options.sack_perm', 'tcp.options.timestamp.tsval',
      'tcp.options.timestamp.tsecr', 'tcp.options.wscale.shift', 'tcp.options.wscale.multiplier', 'tcp.option_kind',
      'tcp.option_len', 'tcp.hdr_len', 'tcp.options'], { wantsColumns: true });
    expect(cells['tcp.options.mss_val']).toBe('1460');
    expect(cells['tcp.options.sack_perm']).toBe('0402'); // the option's bytes, as tshark prints it
    expect(cells['tcp.options.timestamp.tsval']).toBe('2044906138');
    expect(cells['tcp.options.timestamp.tsecr']).toBe('0');
    expect(cells['tcp.options.wscale.shift']).toBe('7');
    expect(cells['tcp.options.wscale.multiplier']).toBe('128');
    expect(cells['tcp.option_kind']).toBe('2,4,8,1,3');
    expect(cells['tcp.option_len']).toBe('4,2,10,3');
    expect(cells['tcp.hdr_len']).toBe('40');
    expect(cells['tcp.options']).toBe(Buffer.from(synOptions).toString('hex'));
    expect(ctx.cols.info).toBe('33779 → 53 [SYN] Seq=1 Win=64240 Len=0 MSS=1460 SACK_PERM TSval=2044906138 TSecr=0 WS=128');
    expect(ctx.meta.tcp).toMatchObject({ mss: 1460, windowScale: 7, sackPermitted: true, tsVal: 2044906138, hasTimestamps: true });
  });

  it('fills the segment record for the analysis even when nobody reads the option fields', () => {
    const opts = [2, 4, 0x05, 0xb4, 30, 4, 0, 0, 3, 3, 7, 1];
    const { ctx, cells } = fields(tcpFrame(tcpSegment(1, 2, '', { flags: 0x002, options: opts })),
      ['tcp.srcport', 'frame.protocols'], { wantsColumns: false });
    expect(ctx.meta.tcp).toMatchObject({ mss: 1460, windowScale: 7 });
    // The MPTCP option still shows in frame.protocols, as Wireshark's MPTCP sub-dissector does.
    expect(cells['frame.protocols']).toBe('eth:ethertype:ip:tcp:mptcp');
    expect(ctx.cols.info).toBe('');
  });

  it('caps the window scale multiplier at 2^14 (RFC 7323) and notes the excess', () => {
    const d = decode(tcpFrame(tcpSegment(1, 2, '', { options: [3, 3, 15, 1] })));
    expect(value(d, 'tcp.options.wscale.multiplier')).toBe(16384);
    expect(d.ctx.experts.map((e) => e.message)).toContain('Window scale shift exceeds 14');
  });

  it('shows SACK edges relative to sackBase and spots a D-SACK', () => {
    const hooks: DecodeHooks = { tcp: (_ctx, seg) => { seg.sackBase = 1000; } };
    const opts = [1, 1, 5, 18, ...u32(1100), ...u32(1200), ...u32(1000), ...u32(1300)];
    const d = decode(tcpFrame(tcpSegment(1, 2, '', { flags: 0x010, ack: 1500, options: opts })), { hooks });
    expect(values(d, 'tcp.options.sack_le')).toEqual([100, 0]);
    expect(values(d, 'tcp.options.sack_re')).toEqual([200, 300]);
    expect(value(d, 'tcp.options.sack.count')).toBe(2);
    // First block below the cumulative ACK: a duplicate report (RFC 2883).
    expect(value(d, 'tcp.options.sack.dsack_le')).toBe(100);
    expect(d.ctx.meta.tcp?.sack).toEqual([1100, 1200, 1000, 1300]);
    expectSound(d);
  });

  it('lists each trailing zero byte after EOL as EOL, but stops at non-zero padding', () => {
    const zeros = decode(tcpFrame(tcpSegment(1, 2, '', { options: [0, 0, 0, 0] })));
    expect(values(zeros, 'tcp.option_kind')).toEqual([0, 0, 0, 0]);
    const junk = decode(tcpFrame(tcpSegment(1, 2, '', { options: [0, 0, 1, 1] })));
    expect(values(junk, 'tcp.option_kind')).toEqual([0, 0]);
    expect(junk.ctx.experts.map((e) => e.message)).toContain('Non-zero header padding');
  });

  const hostile: [string, number[], string][] = [
    ['a zero option length', [2, 0, 1, 1], 'Maximum segment size (with too-short option length = 0 bytes)'],
    ['a length running past the header', [2, 8, 5, 180], 'Maximum segment size (option length = 8 bytes says option goes past end of options)'],
    ['a length of 1', [99, 1, 0, 0], 'Unknown (0x63) (with too-short option length = 1 byte)'],
    ['no room for the length byte', [1, 1, 1, 99], 'Unknown (0x63) (length byte past end of options)'],
  ];
  for (const [what, opts, message] of hostile) {
    it(`stops the walk on ${what}, noting it, and still hands the payload on`, () => {
      const d = decode(tcpFrame(tcpSegment(1, 2, 'data', { options: opts })));
      expectSound(d);
      expect(d.ctx.experts.map((e) => e.message)).toContain(message);
      expect(values(d, 'tcp.options.mss_val')).toEqual([]);
      expect(value(d, 'tcp.len')).toBe(4);
      expect(d.ctx.protocols.at(-1)).toBe('data');
    });
  }

  it('keeps a wrong-sized fixed option (kind, length) and continues after it', () => {
    const d = decode(tcpFrame(tcpSegment(1, 2, '', { options: [2, 3, 5, 1, 1, 1, 1, 1] })));
    expect(values(d, 'tcp.option_kind')).toEqual([2, 1, 1, 1, 1, 1]);
    expect(values(d, 'tcp.options.mss_val')).toEqual([]);
    expect(d.ctx.experts.map((e) => e.message)).toContain('option length should be 4');
  });

  it('treats a SACK shorter than one block as Wireshark\'s exception: malformed, no payload hand-off', () => {
    const d = decode(tcpFrame(tcpSegment(1, 2, 'data', { options: [5, 6, 0, 0, 0, 1, 0, 0] })));
    expectSound(d);
    expect(problemKinds(d, 'tcp')).toContain('malformed');
    expect(d.ctx.cols.info.endsWith('[Malformed Packet]')).toBe(true);
    expect(d.ctx.protocols.at(-1)).toBe('tcp');
  });

  it('keeps unknown kinds with their bytes', () => {
    const d = decode(tcpFrame(tcpSegment(1, 2, '', { options: [99, 4, 0xab, 0xcd] })));
    expect(value(d, 'tcp.option_kind')).toBe(99);
    expect(Buffer.from(value(d, 'tcp.options.unknown.payload') as Uint8Array).toString('hex')).toBe('abcd');
  });

  it('never loops or throws on any 40 bytes of options (seeded random)', () => {
    const rnd = prng(7);
    for (let i = 0; i < 300; i++) {
      const opts = Array.from({ length: 40 }, () => (rnd() < 0.3 ? Math.floor(rnd() * 6) : Math.floor(rnd() * 256)));
      const d = decode(tcpFrame(tcpSegment(1, 2, 'x', { options: opts })));
      expectSound(d);
    }
  });
});

describe('TCP damage', () => {
  const full = tcpFrame(tcpSegment(1234, 80, 'hello world', { options: [2, 4, 5, 180, 1, 1, 4, 2] }));

  it('decodes every truncation of the header and payload without failing, and says it was cut', () => {
    for (let cut = 0; cut < full.length; cut++) {
      const d = decode(full.subarray(0, cut), { origLen: full.length });
      expectSound(d);
      if (cut >= L4 && cut < L4 + 28) expect(problemKinds(d), `cut at ${cut}`).toContain('truncated');
      if (cut >= L4 + 4) expect(value(d, 'tcp.srcport'), `cut at ${cut}`).toBe(1234);
      if (cut >= L4 + 28) expect(value(d, 'tcp.options.mss_val'), `cut at ${cut}`).toBe(1460);
    }
  });

  it('calls a header longer than the IP payload malformed ("Short segment")', () => {
    const seg = tcpSegment(1, 2, '', { options: [2, 4, 5, 180] });
    const d = decode(tcpFrame(seg, { totalLength: 20 + 22 }));
    expectSound(d);
    expect(problemKinds(d, 'tcp')).toContain('malformed');
    expect(node(d, 'tcp.short_segment')).toBeDefined();
  });

  it('reports a data offset below 5 words as bogus and stops after the sequence number', () => {
    const d = decode(tcpFrame(tcpSegment(7, 8, 'abcd', { dataOffset: 4, seq: 42 })));
    expectSound(d);
    expect(value(d, 'tcp.hdr_len')).toBe(16);
    expect(value(d, 'tcp.seq_raw')).toBe(42);
    expect(values(d, 'tcp.flags')).toEqual([]);
    expect(d.ctx.cols.info).toContain(', bogus TCP header length (16, must be at least 20)');
    expect(problemKinds(d, 'tcp')).toContain('malformed');
  });

  it('shows only ports and sequence number of a header quoted in an ICMP error', () => {
    const quoted = ipv4Frame(6, tcpSegment(40000, 80, '', { seq: 1000 })).subarray(14, 14 + 28);
    const icmp = bytes([3, 3, 0, 0], [0, 0, 0, 0], quoted);
    let hookCalls = 0;
    const d = decode(ipv4Frame(1, icmp), { hooks: { tcp: () => { hookCalls++; } } });
    expectSound(d);
    expect(value(d, 'tcp.srcport')).toBe(40000);
    expect(value(d, 'tcp.seq')).toBe(1000);
    expect(values(d, 'tcp.hdr_len')).toEqual([]);
    expect(hookCalls).toBe(0);
    expect(d.ctx.problems.filter((p) => p.layer === 'tcp')).toEqual([]);
  });
});

describe('TCP ↔ analysis hook contract', () => {
  it('asks the analysis first, then reports its numbers in Wireshark\'s tree order', () => {
    const order: string[] = [];
    const hooks: DecodeHooks = {
      tcp: (ctx, seg) => {
        order.push(`tcp:${nodes(ctx.sink as TreeSink).some((n) => n.def.name === 'tcp')}`);
        seg.stream = 3;
        seg.relSeq = 1;
        seg.relAck = 1;
        seg.nextSeq = 6;
        seg.windowSize = 64240 * 128;
        seg.windowSizeScaleFactor = 128;
        seg.infoPrefix = '[TCP Retransmission] ';
      },
      tcpFields: (ctx, seg, where) => {
        order.push(where);
        if (where === 'ports') ctx.sink.add(lookupField('tcp.stream')!, seg.headerOffset, 0, seg.stream, 1);
      },
    };
    const d = decode(tcpFrame(tcpSegment(1, 2, 'hello', { seq: 5001, ack: 9, window: 64240 })), { hooks });
    expect(order).toEqual(['tcp:false', 'ports', 'options', 'payload']);
    const tcpNames = (node(d, 'tcp')!.children ?? []).map((n) => n.def.name);
    expect(tcpNames.slice(0, 9)).toEqual(['tcp.srcport', 'tcp.dstport', 'tcp.port', 'tcp.port', 'tcp.stream', 'tcp.len',
      'tcp.seq', 'tcp.seq_raw', 'tcp.nxtseq']);
    expect(value(d, 'tcp.seq')).toBe(1);
    expect(value(d, 'tcp.seq_raw')).toBe(5001);
    expect(value(d, 'tcp.nxtseq')).toBe(6);
    expect(value(d, 'tcp.window_size')).toBe(64240 * 128);
    expect(value(d, 'tcp.window_size_scalefactor')).toBe(128);
    expect(d.ctx.cols.info).toBe(`[TCP Retransmission] 1 → 2 [PSH, ACK] Seq=1 Ack=1 Win=${64240 * 128} Len=5`);
  });

  it('keeps the analysis prefix in front of an application\'s Info, and appends the suffix', () => {
    const msg = dnsMessage({ id: 0x4242, flags: 0x0100, questions: [{ name: dnsName('a', 'example'), type: 1 }] });
    const hooks: DecodeHooks = { tcp: (_c, seg) => { seg.infoPrefix = '[TCP Previous segment not captured] '; seg.infoSuffix = ' (x)'; } };
    const d = decode(tcpFrame(tcpSegment(40000, 53, bytes(u16(msg.length), msg))), { hooks });
    expect(d.ctx.cols.info).toBe('[TCP Previous segment not captured] Standard query 0x4242 A a.example (x)');
  });

  it('leaves the payload to tcpPayload when it takes it', () => {
    const seen: TcpSegmentInfo[] = [];
    const d = decode(tcpFrame(tcpSegment(1, 80, 'GET / HTTP/1.1\r\n\r\n')), {
      hooks: { tcpPayload: (_c, seg) => { seen.push(seg); return true; } },
    });
    expect(seen).toHaveLength(1);
    expect(seen[0].payloadLength).toBe(18);
    expect(d.ctx.protocols.join(':')).toBe('eth:ethertype:ip:tcp');
  });

  it('does not hand retransmitted or out-of-order payload on, and shows keep-alive bytes as data', () => {
    const http = 'GET / HTTP/1.1\r\n\r\n';
    for (const [flags, last] of [[0x1, 'tcp'], [0x200, 'tcp'], [0x8, 'data'], [0, 'http']] as const) {
      const d = decode(tcpFrame(tcpSegment(1, 80, http)), { hooks: { tcp: (_c, seg) => { seg.analysisFlags = flags; } } });
      expect(d.ctx.protocols.at(-1), `analysis flags ${flags}`).toBe(last);
      expect(value(d, 'tcp.payload')).toBeDefined();
    }
  });

  it('skips the hooks for quoted headers but uses them for every top-level segment', () => {
    const s = new DecodeSession({ tcp: (_c, seg) => { seg.stream = 0; } });
    const d = decode(tcpFrame(tcpSegment(1, 2)), { session: s });
    expect(d.ctx.meta.tcp?.stream).toBe(0);
  });
});
