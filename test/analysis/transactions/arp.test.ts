import { describe, expect, it } from 'vitest';
import { ArpTracker, type ArpPacket } from '../../../src/analysis/transactions/arp.js';
import { runCli } from '../../helpers/cli.js';
import { fixturePath, readGolden } from '../../helpers/fixtures.js';

const A = '00:00:5e:00:53:01';
const B = '00:00:5e:00:53:02';
const EVIL = '00:00:5e:00:53:66';
let n = 0;
const arp = (opcode: number, sm: string, sip: string, tm: string, tip: string): ArpPacket =>
  ({ frame: ++n, tsSec: 10, tsNsec: n * 1000, opcode, senderMac: sm, senderIp: sip, targetMac: tm, targetIp: tip });

describe('ARP transactions', () => {
  it('pairs a reply with the request it answers and measures the time', () => {
    n = 0;
    const t = new ArpTracker();
    t.onArp(arp(1, A, '192.0.2.1', '00:00:00:00:00:00', '192.0.2.2'));
    const reply = t.onArp(arp(2, B, '192.0.2.2', A, '192.0.2.1'));
    expect(reply.requestFrame).toBe(1);
    expect(t.exchanges).toEqual([expect.objectContaining({ requestFrame: 1, replyFrame: 2, answer: B, responseTimeNs: 1000 })]);
    expect(t.unanswered()).toEqual([]);
  });

  it('lists unanswered requests once, noting repeats', () => {
    n = 0;
    const t = new ArpTracker();
    t.onArp(arp(1, A, '192.0.2.1', '00:00:00:00:00:00', '192.0.2.99'));
    expect(t.onArp(arp(1, A, '192.0.2.1', '00:00:00:00:00:00', '192.0.2.99')).repeatOf).toBe(1);
    expect(t.unanswered().map((e) => e.askedFor)).toEqual(['192.0.2.99']);
  });

  it('reports an address claimed by a second MAC against the last frame of the first, not gratuitous announcements', () => {
    n = 0;
    const t = new ArpTracker();
    t.onArp(arp(2, B, '192.0.2.2', A, '192.0.2.1'));
    expect(t.onArp(arp(1, B, '192.0.2.2', '00:00:00:00:00:00', '192.0.2.2')).gratuitous).toBe(true);
    const spoof = t.onArp(arp(2, EVIL, '192.0.2.2', A, '192.0.2.1'));
    expect(spoof.conflict).toEqual({ frame: 3, ip: '192.0.2.2', mac: EVIL, earlierMac: B, earlierFrame: 2 });
  });

  it('finds the conflict of the ARP fixture where tshark does', async () => {
    const golden = readGolden('arp.tcp-analysis.tsv')!.split('\n');
    const header = golden[0].split('\t');
    const row = golden.slice(1).map((l) => l.split('\t')).find((c) => c[header.indexOf('arp.duplicate-address-detected')])!;
    const run = await runCli(['diagram', fixturePath('arp.pcap'), '-Y', 'arp', '--format', 'json']);
    const d = JSON.parse(run.stdout) as { arrows: { frame: number; notes: { kind: string; facts: Record<string, unknown> }[] }[] };
    const conflicts = d.arrows.flatMap((a) => a.notes.filter((x) => x.kind === 'arp-conflict').map((x) => [a.frame, x.facts.earlierFrame]));
    expect(conflicts).toEqual([[Number(row[0]), Number(row[header.indexOf('arp.duplicate-address-frame')])]]);
    const replyNote = d.arrows.find((a) => a.frame === 2)!.notes[0];
    expect(replyNote).toMatchObject({ kind: 'arp-reply', facts: { requestFrame: 1 } });
  });
});
