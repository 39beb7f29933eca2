import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import {
  buildSequenceDiagram, noteText, renderSequenceSvg, renderSequenceText, xmlText, type DiagramNote, type DiagramPacket,
  type SequenceDiagramModel,
} from '../../../src/analysis/sequence/index.js';
import { runCli } from '../../helpers/cli.js';
import { fixturePath, readGolden } from '../../helpers/fixtures.js';

type JsonDiagram = Omit<SequenceDiagramModel, 'arrows'> & {
  arrows: (Omit<SequenceDiagramModel['arrows'][number], 'notes'> & { notes: (DiagramNote & { text: string })[] })[];
};

async function diagramJson(file: string, ...args: string[]): Promise<JsonDiagram> {
  const run = await runCli(['diagram', fixturePath(file), ...args, '--format', 'json']);
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout);
}

function parseXml(svg: string) {
  const doc = new new Window().DOMParser().parseFromString(svg, 'image/svg+xml');
  return doc;
}

describe('diagram of the handshake fixture', () => {
  it('opens with SYN / SYN, ACK / ACK, client first, and the states of both sides', async () => {
    const d = await diagramJson('http-handshake.pcap', '--stream', '0');
    expect(d.lifelines.map((l) => [l.label, l.role])).toEqual([['192.0.2.1:55452', 'client'], ['192.0.2.2:80', 'server']]);
    expect(d.lifelines.map((l) => l.initialState)).toEqual(['CLOSED', 'LISTEN']);
    expect(d.arrows.slice(0, 3).map((a) => [a.label, a.from, a.to])).toEqual([['SYN', 0, 1], ['SYN, ACK', 1, 0], ['ACK', 0, 1]]);
    expect(d.arrows[0].states).toEqual(['SYN_SENT', 'SYN_RECEIVED']);
    expect(d.arrows[2].states).toEqual(['ESTABLISHED', 'ESTABLISHED']);
    expect(d.arrows[3].label).toMatch(/^PSH, ACK Len=\d+$/);
    expect(d.arrows[0].detail).toBe('Seq=0 Win=64240');
    expect(d.arrows[1].detail).toMatch(/^Seq=0 Ack=1 Win=/);
    const last = d.arrows[d.arrows.length - 1];
    expect(last.states).toEqual(['TIME_WAIT', 'CLOSED']);
  });

  it('explains the handshake with the numbers of the packets', async () => {
    const d = await diagramJson('http-handshake.pcap', '--stream', '0');
    const synAck = d.arrows[1].notes.find((n) => n.kind === 'syn-ack')!;
    expect(synAck.facts).toMatchObject({ ack: 1, ackIsIsnPlusOne: true, sender: 'server', receiver: 'client' });
    expect(synAck.text).toContain('Ack 1 = the client\'s ISN + 1');
    const third = d.arrows[2].notes.find((n) => n.kind === 'handshake-ack')!;
    expect(third.facts).toMatchObject({ ack: 1, ackIsIsnPlusOne: true, state: 'ESTABLISHED' });
    const syn = d.arrows[0].notes.find((n) => n.kind === 'syn')!;
    expect(syn.facts.isn).toBe(d.arrows[0].tcp!.rawSeq);
    expect(d.arrows.some((a) => a.notes.some((n) => n.kind === 'time-wait'))).toBe(true);
  });
});

describe('diagram of the lossy bulk download', () => {
  it('marks exactly the segments tshark flags, with Wireshark\'s texts', async () => {
    const golden = readGolden('http-bulk-lossy.tcp-analysis.tsv')!.replace(/\n$/, '').split('\n');
    const header = golden[0].split('\t');
    const col = (name: string) => header.indexOf(name);
    const streamOf = new Map<number, string>();
    const retrans = new Set<number>();
    const dup = new Set<number>();
    for (const line of golden.slice(1)) {
      const c = line.split('\t');
      streamOf.set(Number(c[0]), c[col('tcp.stream')]);
      if (c[0] && c[col('tcp.stream')] === '0' && c[col('tcp.analysis.retransmission')]) retrans.add(Number(c[0]));
      if (c[col('tcp.stream')] === '0' && c[col('tcp.analysis.duplicate_ack')]) dup.add(Number(c[0]));
    }
    const d = await diagramJson('http-bulk-lossy.pcap', '--stream', '0');
    expect(d.arrows.length).toBe([...streamOf.values()].filter((s) => s === '0').length);
    const ours = new Set(d.arrows.filter((a) => a.analysis.some((t) => /Retransmission/.test(t))).map((a) => a.frame));
    expect([...ours].sort((a, b) => a - b)).toEqual([...retrans].sort((a, b) => a - b));
    expect(retrans.size).toBeGreaterThan(0);
    const dups = d.arrows.filter((a) => a.analysis.some((t) => t.startsWith('TCP Dup ACK')));
    expect(new Set(dups.map((a) => a.frame))).toEqual(dup);
    for (const a of d.arrows.filter((x) => ours.has(x.frame))) {
      expect(a.style).toBe('problem');
      const note = a.notes.find((n) => /retransmission/.test(n.kind))!;
      expect(note.facts.first).toBe(a.tcp!.seq);
      // The repeated segment: an earlier frame of the same direction carrying those bytes, or none captured.
      const orig = Number(note.facts.originalFrame);
      if (orig) {
        const first = d.arrows.find((x) => x.frame === orig)!;
        expect(first.from).toBe(a.from);
        expect(first.tcp!.seq).toBeLessThanOrEqual(a.tcp!.seq);
        expect(first.tcp!.seq + first.tcp!.len).toBeGreaterThan(a.tcp!.seq);
      }
    }
    const dupNote = dups[0].notes.find((n) => n.kind === 'dup-ack')!;
    expect(dupNote.facts.ack).toBe(dups[0].tcp!.ack);
    expect(dupNote.facts.count).toBe(dups[0].tcp!.dupAckNum);
  });
});

describe('non-TCP arrows', () => {
  it('draws ping and ARP between hosts with the Info text', async () => {
    const d = await diagramJson('arp.pcap', '-Y', 'arp || icmp');
    expect(d.arrows[0]).toMatchObject({ label: 'Who has 192.0.2.2? Tell 192.0.2.1', protocol: 'ARP' });
    expect(d.lifelines[0].label).toBe('00:00:5e:00:53:01');
    const ping = d.arrows.find((a) => a.protocol === 'ICMP')!;
    expect(d.lifelines[ping.from].label).toBe('192.0.2.1');
    expect(ping.notes[0].kind).toBe('icmp-echo-request');
  });

  it('draws an ICMP error from the router or host that sent it, not along the quoted datagram', async () => {
    // ping.pcap: frame 12 is a UDP probe 192.0.2.1 → 192.0.2.2, frame 13 the port unreachable
    // 192.0.2.2 → 192.0.2.1 quoting it; frame 17 a time-exceeded from 192.0.2.2 quoting a ping
    // to 198.51.100.2 (frame 16). The summary golden says who sent each.
    const d = await diagramJson('ping.pcap', '-Y', 'frame.number in {12 13 16 17}');
    const label = (frame: number, end: 'from' | 'to') => d.lifelines[d.arrows.find((a) => a.frame === frame)![end]].label;
    expect([label(12, 'from'), label(12, 'to')]).toEqual(['192.0.2.1', '192.0.2.2']);
    expect([label(13, 'from'), label(13, 'to')]).toEqual(['192.0.2.2', '192.0.2.1']);
    expect([label(16, 'from'), label(16, 'to')]).toEqual(['192.0.2.1', '198.51.100.2']);
    expect([label(17, 'from'), label(17, 'to')]).toEqual(['192.0.2.2', '192.0.2.1']);
    expect(d.arrows.find((a) => a.frame === 13)!.notes[0].kind).toBe('icmp-error');
  });

  it('covers several TCP streams at once', async () => {
    const d = await diagramJson('dns-tcp.pcap', '--stream', '0,1');
    expect(new Set(d.arrows.map((a) => a.tcp!.stream))).toEqual(new Set([0, 1]));
    expect(d.lifelines.filter((l) => l.role === 'client')).toHaveLength(2);
  });
});

const hostile: DiagramPacket[] = [
  { frame: 1, tsSec: 1, tsNsec: 0, src: '<script>alert(1)</script>', dst: 'a"b\'c&d', protocol: 'HTTP', info: 'GET /?q=<img src=x onerror=alert(1)>&x=1 \u0001\u0000' },
  { frame: 2, tsSec: 1, tsNsec: 5, src: 'a"b\'c&d', dst: '<script>alert(1)</script>', protocol: 'DNS', info: ']]><svg onload=alert(1)>' },
];

describe('SVG export', () => {
  it('is a well-formed standalone document for the handshake fixture', async () => {
    const run = await runCli(['diagram', fixturePath('http-handshake.pcap'), '--stream', '0', '--format', 'svg', '--notes']);
    const doc = parseXml(run.stdout);
    expect(doc.getElementsByTagName('parsererror')).toHaveLength(0);
    expect(doc.documentElement.getAttribute('xmlns')).toBe('http://www.w3.org/2000/svg');
    const texts = [...doc.getElementsByTagName('text')].map((t) => t.textContent);
    expect(texts).toContain('SYN, ACK');
    expect(texts).toContain('ESTABLISHED');
    expect(texts.some((t) => t?.includes('Legend'))).toBe(true);
  });

  it('wraps the legend inside a narrow (two-lifeline) drawing, and every line is inside the canvas', async () => {
    const run = await runCli(['diagram', fixturePath('http-handshake.pcap'), '--stream', '0', '--format', 'svg']);
    const doc = parseXml(run.stdout);
    const width = Number(doc.documentElement.getAttribute('width'));
    const height = Number(doc.documentElement.getAttribute('height'));
    // Legend samples are the 34 px arrows.
    const legendLines = [...doc.getElementsByTagName('line')].filter((l) => Math.abs(Number(l.getAttribute('x2')) - Number(l.getAttribute('x1')) - 34) < 0.01);
    expect(legendLines.length).toBe(7);
    // Estimated text extent as the renderer estimates it: 7.2 px a character at 12 px.
    for (const line of legendLines) {
      const label = line.nextSibling?.textContent;
      const right = Number(line.getAttribute('x1')) + 42 + (label ?? '').length * 7.2;
      expect(right).toBeLessThanOrEqual(width);
    }
    // More than one row: the entries do not all share one y.
    expect(new Set(legendLines.map((l) => l.getAttribute('y1'))).size).toBeGreaterThan(1);
    for (const t of doc.getElementsByTagName('text')) {
      expect(Number(t.getAttribute('y') ?? 0)).toBeLessThanOrEqual(height);
    }
  });

  it('keeps hostile packet text as text', () => {
    const model = buildSequenceDiagram(hostile, { title: 'x <b>bold</b> & co' });
    for (const theme of ['light', 'dark'] as const) {
      const svg = renderSequenceSvg(model, { notes: true, theme });
      const doc = parseXml(svg);
      expect(doc.getElementsByTagName('parsererror')).toHaveLength(0);
      expect(doc.getElementsByTagName('script')).toHaveLength(0);
      expect(doc.getElementsByTagName('img')).toHaveLength(0);
      expect(doc.getElementsByTagName('b')).toHaveLength(0);
      const texts = [...doc.getElementsByTagName('text')].map((t) => t.textContent ?? '');
      expect(texts.some((t) => t.includes('<script>alert(1)</script>'))).toBe(true);
      expect(texts.some((t) => t.includes('a"b\'c&d'))).toBe(true);
      expect(doc.getElementsByTagName('title')[0].textContent).toBe('x <b>bold</b> & co');
    }
  });

  it('escapes every XML special character and drops characters XML cannot carry', () => {
    expect(xmlText('<a href="x">&\'\u0000\u001f\ud800')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;\ufffd\ufffd\ufffd');
  });
});

describe('text rendering', () => {
  it('draws arrows between the lifeline columns and shows state changes', async () => {
    const run = await runCli(['diagram', fixturePath('http-handshake.pcap'), '--stream', '0', '--notes']);
    const lines = run.stdout.split('\n');
    const syn = lines.find((l) => /^\s+1\s/.test(l))!;
    expect(syn).toMatch(/\|-+ SYN -+>\|/);
    expect(syn).toContain('A:SYN_SENT B:SYN_RECEIVED');
    expect(lines.find((l) => /^\s+2\s/.test(l))).toMatch(/\|<-+ SYN, ACK -+\|/);
    expect(run.stdout).toContain('* client → server: SYN.');
  });

  it('does not let control characters through', () => {
    const text = renderSequenceText(buildSequenceDiagram(hostile));
    expect(/[\u0000-\u0008\u000b-\u001f]/.test(text)).toBe(false);
  });

  it('words every note kind it produces', () => {
    const model = buildSequenceDiagram(hostile);
    for (const a of model.arrows) for (const n of a.notes) expect(noteText(n).length).toBeGreaterThan(10);
  });
});

describe('diagram command', () => {
  it('needs a stream or a filter', async () => {
    const run = await runCli(['diagram', fixturePath('http-handshake.pcap')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('diagram needs --stream N or -Y FILTER');
  });
});
