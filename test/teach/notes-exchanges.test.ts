/**
 * DNS, ICMP and ARP lessons: notes read the decoded fields (checked against tshark's goldens)
 * and pair queries with responses, echo requests with replies, ARP requests with replies.
 */
import { describe, expect, it } from 'vitest';
import { formatTeach, joinSentences } from '../../src/teach/index.js';
import { findNote, golden, lessonOf, LOCALES, noteTexts, stepsWith } from './helpers.js';

const DNS_TYPES: Record<string, string> = { '1': 'A', '28': 'AAAA', '15': 'MX', '16': 'TXT', '33': 'SRV', '12': 'PTR' };

describe('DNS (dns-udp.pcap, filter dns)', () => {
  it('queries: id, name, type and recursion desired as tshark decodes them', async () => {
    const { lesson } = await lessonOf('dns-udp.pcap', { filter: 'dns' });
    const g = golden('dns-udp.pcap', 'dissect');
    const queries = stepsWith(lesson, 'dns-query');
    expect(queries.length).toBe([...g.values()].filter((r) => r['dns.flags.response'] === '0').length);
    for (const { step, note } of queries) {
      const row = g.get(step.frame)!;
      expect(note.params.id).toBe(row['dns.id']);
      expect(note.params.name).toBe(row['dns.qry.name']);
      expect(note.params.qtype).toBe(DNS_TYPES[row['dns.qry.type']]);
      expect(note.params.src).toBe(row['ip.src']);
      expect(findNote(step, row['dns.flags.recdesired'] === '1' ? 'dns-rd' : 'dns-rd-off')).toBeDefined();
      expect(step.highlights.find((h) => h.field === 'dns.flags.recdesired')!.value).toBe(row['dns.flags.recdesired']);
      for (const locale of LOCALES) expect(noteTexts(step, locale)).toContain(row['dns.qry.name']);
    }
  });

  it('responses: paired with their query, NXDOMAIN named, answers and recursion available as tshark decodes them', async () => {
    const { lesson } = await lessonOf('dns-udp.pcap', { filter: 'dns' });
    const g = golden('dns-udp.pcap', 'dissect');
    let nx = 0;
    for (const { step, note } of stepsWith(lesson, 'dns-response')) {
      const row = g.get(step.frame)!;
      const query = [...g.entries()].find(([f, r]) => f < step.frame && r['dns.id'] === row['dns.id'] && r['dns.flags.response'] === '0')!;
      expect(note.params.queryFrame).toBe(query[0]);
      expect(findNote(step, row['dns.flags.recavail'] === '1' ? 'dns-ra' : 'dns-ra-off')).toBeDefined();
      if (row['dns.flags.rcode'] === '3') {
        nx++;
        const n = findNote(step, 'dns-nxdomain')!;
        expect(n.params.name).toBe(row['dns.qry.name']);
        expect(n.params.rcode).toBe(3);
        expect(formatTeach(n, 'en')).toContain('NXDOMAIN');
        expect(formatTeach(n, 'zh-CN')).toContain('不存在');
      } else {
        const answers = findNote(step, 'dns-answers');
        // tshark's dns.a / dns.aaaa also list additional records: compare for A / AAAA questions only.
        if (row['dns.qry.type'] === '1') for (const a of row['dns.a'].split(',')) expect(String(answers!.params.answers)).toContain(`A ${a}`);
        if (row['dns.qry.type'] === '28') for (const a of row['dns.aaaa'].split(',')) expect(String(answers!.params.answers)).toContain(`AAAA ${a}`);
        if (row['dns.cname']) expect(findNote(step, 'dns-cname')!.params.chain).toBe(row['dns.cname'].split(',').join(' → '));
        if (answers) expect(answers.params.count).toBe(Number(row['dns.count.answers']));
      }
      expect(step.why.map((w) => w.id)).toEqual(['dns-recursion']);
    }
    expect(nx).toBe(1);
  });
});

describe('ICMP (ping.pcap)', () => {
  it('echo requests and replies: type, id, sequence, TTL as tshark; replies paired with the RTT', async () => {
    const { lesson } = await lessonOf('ping.pcap', { filter: 'icmp' });
    const g = golden('ping.pcap', 'dissect');
    const reqs = stepsWith(lesson, 'icmp-echo-request');
    expect(reqs.length).toBeGreaterThan(5);
    for (const { step, note } of reqs) {
      const row = g.get(step.frame)!;
      expect(note.params.type).toBe(Number(row['icmp.type']));
      expect(note.params.id).toBe(Number(row['icmp.ident']));
      expect(note.params.seq).toBe(Number(row['icmp.seq']));
      const ttl = findNote(step, 'icmp-ttl') ?? findNote(step, 'icmp-ttl-one');
      expect(ttl!.params.ttl).toBe(Number(row['ip.ttl']));
    }
    const replies = stepsWith(lesson, 'icmp-echo-reply');
    expect(replies.length).toBeGreaterThan(3);
    for (const { step, note } of replies) {
      const row = g.get(step.frame)!;
      const req = g.get(note.params.requestFrame as number)!;
      expect(req['icmp.ident']).toBe(row['icmp.ident']);
      expect(req['icmp.seq']).toBe(row['icmp.seq']);
      const frames = golden('ping.pcap', 'frame');
      const rtt = (Number(frames.get(step.frame)!['frame.time_relative']) - Number(frames.get(note.params.requestFrame as number)!['frame.time_relative'])) * 1000;
      expect(note.params.rttMs).toBeCloseTo(rtt, 6);
      for (const locale of LOCALES) expect(formatTeach(note, locale)).toContain(String(note.params.requestFrame));
    }
    // The reply that crossed a router: TTL 63, one hop from 64.
    const hop = stepsWith(lesson, 'icmp-reply-ttl-hops')[0];
    expect(hop.note.params).toMatchObject({ ttl: Number(g.get(hop.step.frame)!['ip.ttl']), initial: 64, hops: 64 - Number(g.get(hop.step.frame)!['ip.ttl']) });
    // TTL 1 and the router's "time exceeded" answer, from its real source address.
    expect(stepsWith(lesson, 'icmp-ttl-one').length).toBe(1);
    const te = stepsWith(lesson, 'icmp-time-exceeded')[0];
    expect(te.note.params.router).toBe(g.get(te.step.frame)!['ip.src'].split(',')[0]);
    expect(te.note.params.src).toBe(g.get(te.step.frame)!['ip.src'].split(',')[0]);
    // Its arrow goes from the router to the pinging host (the outer header), not along the quoted packet.
    const lanes = lesson.lifelines.map((l) => l.label);
    expect([lanes[te.step.from], lanes[te.step.to]]).toEqual([g.get(te.step.frame)!['ip.src'].split(',')[0], g.get(te.step.frame)!['ip.dst'].split(',')[0]]);
    expect(te.step.highlights.map((h) => h.field)).toEqual(['icmp.type', 'icmp.code', 'ip.ttl']);
    const pu = stepsWith(lesson, 'icmp-port-unreachable')[0];
    expect([lanes[pu.step.from], lanes[pu.step.to]]).toEqual([g.get(pu.step.frame)!['ip.src'].split(',')[0], g.get(pu.step.frame)!['ip.dst'].split(',')[0]]);
    expect(pu.note.params.port).toBe(Number(g.get(pu.step.frame)!['udp.dstport']));
    expect(lesson.steps[0].why.map((w) => w.id)).toEqual(['ttl']);
  });

  it('unanswered pings get no invented reply; the lesson kind is ICMP', async () => {
    const { lesson } = await lessonOf('ping.pcap', { filter: 'icmp.ident == 0x60d2' });
    expect(lesson.kind).toBe('icmp');
    expect(stepsWith(lesson, 'icmp-echo-reply').length).toBe(0);
    expect(stepsWith(lesson, 'icmp-echo-request').length).toBe(3);
  });
});

describe('ARP (arp.pcap)', () => {
  it('requests are broadcast questions, replies answer them; gratuitous, repeated and conflicting ARP are named', async () => {
    const { lesson } = await lessonOf('arp.pcap', { filter: 'arp' });
    const g = golden('arp.pcap', 'dissect');
    expect(lesson.kind).toBe('arp');
    for (const { step, note } of stepsWith(lesson, 'arp-request')) {
      const row = g.get(step.frame)!;
      expect(note.params.target).toBe(row['arp.dst.proto_ipv4']);
      expect(note.params.asker).toBe(row['arp.src.proto_ipv4']);
      expect(note.params.ethDst).toBe('ff:ff:ff:ff:ff:ff');
      expect(step.why.map((w) => w.id)).toEqual(['arp-broadcast']);
    }
    const replies = stepsWith(lesson, 'arp-reply');
    for (const { step, note } of replies) {
      const row = g.get(step.frame)!;
      expect(note.params.ip).toBe(row['arp.src.proto_ipv4']);
      expect(note.params.mac).toBe(row['arp.src.hw_mac']);
      expect(step.highlights.find((h) => h.field === 'arp.src.hw_mac')!.value).toBe(row['arp.src.hw_mac']);
    }
    const paired = stepsWith(lesson, 'arp-reply-pair');
    expect(paired.map((p) => p.note.params.requestFrame)).toEqual([1, 5]);
    expect(stepsWith(lesson, 'arp-gratuitous').map((p) => p.step.frame)).toEqual([7, 8]);
    expect(stepsWith(lesson, 'arp-request-again')[0].note.params.earlierFrame).toBe(9);
    const conflict = stepsWith(lesson, 'arp-conflict')[0];
    expect(conflict.note.params).toMatchObject({ ip: '192.0.2.2', mac: g.get(conflict.step.frame)!['arp.src.hw_mac'] });
    for (const locale of LOCALES) expect(joinSentences(conflict.step.notes.map((n) => formatTeach(n, locale)), locale)).toContain('192.0.2.2');
  });
});
