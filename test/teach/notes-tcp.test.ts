/**
 * The note generator on the TCP fixtures: every number a note states is checked against
 * tshark's goldens (an independent oracle) or the analysis's own facts, and must appear in the
 * note as printed, in English and in Chinese.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { catalogString, formatTeach, teachCatalog, type Step, type StepNote } from '../../src/teach/index.js';
import { findNote, golden, lessonOf, LOCALES, stepsWith, type Built } from './helpers.js';

/** Every numeric parameter the message prints appears in its text, in both languages. */
function expectNumbersPrinted(note: StepNote): void {
  for (const locale of LOCALES) {
    const template = catalogString(teachCatalog(locale), note.key);
    const text = formatTeach(note, locale);
    for (const [name, value] of Object.entries(note.params)) {
      if (typeof value === 'number' && template.includes(`{${name}}`)) expect(text, `${locale} ${note.key}.${name}`).toContain(String(value));
    }
  }
}

const num = (s: string | undefined): number => Number(s);

describe('handshake fixture (http-handshake.pcap, stream 0)', () => {
  let b: Built;
  let tcp: Map<number, Record<string, string>>;
  let dissect: Map<number, Record<string, string>>;
  beforeAll(async () => {
    b = await lessonOf('http-handshake.pcap', { stream: 0 });
    tcp = golden('http-handshake.pcap', 'tcp-analysis');
    dissect = golden('http-handshake.pcap', 'dissect');
  });
  const step = (frame: number): Step => b.lesson.steps.find((s) => s.frame === frame)!;

  it('has one step per packet with the real gaps between them', () => {
    expect(b.lesson.steps.map((s) => s.frame)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const s of b.lesson.steps.slice(1)) {
      const delta = Math.round(Number(tcp.get(s.frame)!['tcp.time_delta']) * 1e9);
      expect(s.gapNs).toBe(delta);
    }
  });

  it('SYN: relative and raw ISN, MSS, window scale, SACK and the new state', () => {
    const s = step(1);
    const syn = findNote(s, 'syn')!;
    expect(syn.params.seq).toBe(num(tcp.get(1)!['tcp.seq']));
    expect(syn.params.isn).toBe(num(dissect.get(1)!['tcp.seq_raw']));
    expect(findNote(s, 'opt-mss')!.params.mss).toBe(num(dissect.get(1)!['tcp.options.mss_val']));
    const ws = findNote(s, 'opt-wscale')!;
    expect(ws.params.shift).toBe(num(dissect.get(1)!['tcp.options.wscale.shift']));
    expect(ws.params.factor).toBe(2 ** num(dissect.get(1)!['tcp.options.wscale.shift']));
    expect(findNote(s, 'opt-sack')).toBeDefined();
    const st = findNote(s, 'states-both')!;
    expect(st.params.state).toBe('SYN_SENT');
    expect(st.params.state).toBe(s.tcp!.clientState);
    expect(formatTeach(syn, 'en')).toContain(`initial sequence number 0 (relative; raw ${dissect.get(1)!['tcp.seq_raw']})`);
    expect(formatTeach(syn, 'zh-CN')).toContain('初始序列号');
    expect(formatTeach(st, 'zh-CN')).toContain('SYN_SENT');
    for (const n of s.notes) expectNumbersPrinted(n);
  });

  it('SYN-ACK: ack = client ISN + 1, raw and relative', () => {
    const clientIsn = num(dissect.get(1)!['tcp.seq_raw']);
    const n = findNote(step(2), 'syn-ack-ack')!;
    expect(n.params.ack).toBe(num(tcp.get(2)!['tcp.ack']));
    expect(n.params.ack).toBe(1);
    expect(n.params.peerIsn).toBe(clientIsn);
    expect(n.params.rawAck).toBe(clientIsn + 1);
    expect(n.params.rawAck).toBe(num(dissect.get(2)!['tcp.ack_raw']));
    expect(findNote(step(2), 'syn-ack')!.params.isn).toBe(num(dissect.get(2)!['tcp.seq_raw']));
    expect(formatTeach(n, 'en')).toContain(`Server ACKs 1 = client ISN + 1: the SYN itself counts as one byte (raw ${clientIsn} + 1 = ${clientIsn + 1})`);
    expect(formatTeach(n, 'zh-CN')).toContain(`${clientIsn} + 1 = ${clientIsn + 1}`);
    for (const x of step(2).notes) expectNumbersPrinted(x);
  });

  it('third ACK: ack = server ISN + 1, iRTT as the analysis measured it, both ESTABLISHED', () => {
    const s = step(3);
    const n = findNote(s, 'handshake-ack')!;
    const serverIsn = num(dissect.get(2)!['tcp.seq_raw']);
    expect(n.params.rawAck).toBe(serverIsn + 1);
    expect(n.params.peerIsn).toBe(serverIsn);
    const irtt = findNote(s, 'irtt')!;
    expect(irtt.params.irttMs).toBeCloseTo(Number(tcp.get(4)!['tcp.analysis.initial_rtt']) * 1000, 6);
    expect(formatTeach(irtt, 'en')).toContain(`${Number(tcp.get(4)!['tcp.analysis.initial_rtt']) * 1e6} µs`);
    expect(s.states.map((x) => x.state)).toEqual(['ESTABLISHED', 'ESTABLISHED']);
  });

  it('data and ACK notes: seq, len, next seq and the acknowledged bytes equal tshark', () => {
    for (const { step: s, note } of stepsWith(b.lesson, 'data')) {
      const g = tcp.get(s.frame)!;
      expect(note.params.first).toBe(num(g['tcp.seq']));
      expect(note.params.len).toBe(num(g['tcp.len']));
      expect(note.params.nextSeq).toBe(num(g['tcp.nxtseq']));
      expect(note.params.last).toBe(num(g['tcp.nxtseq']) - 1);
      expectNumbersPrinted(note);
    }
    const acks = stepsWith(b.lesson, 'ack');
    expect(acks.length).toBeGreaterThan(0);
    for (const { step: s, note } of acks) {
      expect(note.params.ack).toBe(num(tcp.get(s.frame)!['tcp.ack']));
      expect(note.params.lastAcked).toBe(num(tcp.get(s.frame)!['tcp.ack']) - 1);
    }
    expect(findNote(step(4), 'data-app')!.params.app).toBe(`HTTP ${dissect.get(4)!['http.request.method']} ${dissect.get(4)!['http.request.uri']}`);
  });

  it('close: FIN seq, FIN+ACK merged (3-way close), TIME_WAIT on the side that closed first', () => {
    const fin = findNote(step(8), 'fin-first')!;
    expect(fin.params.seq).toBe(num(tcp.get(8)!['tcp.seq']));
    expect(fin.params.sender).toBe('client');
    const merged = findNote(step(9), 'fin-ack-merged')!;
    expect(merged.params.ack).toBe(num(tcp.get(9)!['tcp.ack']));
    expect(merged.params.finSeq).toBe(num(tcp.get(8)!['tcp.seq']));
    const tw = findNote(step(9), 'time-wait')!;
    expect(tw.params.side).toBe('client');
    expect(formatTeach(tw, 'en')).toBe('TIME_WAIT: the client, which closed first, waits 2·MSL so a lost final ACK can be resent.');
    expect(formatTeach(tw, 'zh-CN')).toContain('TIME_WAIT');
    expect(formatTeach(tw, 'zh-CN')).toContain('客户端');
    const last = findNote(step(10), 'fin-ack-pure')!;
    expect(last.params.ack).toBe(num(tcp.get(10)!['tcp.ack']));
    expect(findNote(step(10), 'close-last')).toBeDefined();
    expect(step(10).states.map((x) => x.state)).toEqual(['TIME_WAIT', 'CLOSED']);
  });

  it('Why? answers use this capture’s ISNs and frames', () => {
    const why = step(1).why;
    expect(why.map((w) => w.id)).toEqual(['three-way', 'ack-plus-one', 'isn-random', 'third-ack-lost']);
    const three = why[0].answer.map((a) => a.params);
    expect(three[0]).toMatchObject({ clientIsn: num(dissect.get(1)!['tcp.seq_raw']), synFrame: 1, synAckFrame: 2, synAckRawAck: num(dissect.get(2)!['tcp.ack_raw']) });
    expect(three[1]).toMatchObject({ serverIsn: num(dissect.get(2)!['tcp.seq_raw']), ackFrame: 3, ackRawAck: num(dissect.get(3)!['tcp.ack_raw']) });
    expect(why[3].answer[1].params).toMatchObject({ dataFrame: 4, ack: num(dissect.get(4)!['tcp.ack_raw']) });
    const close = step(9).why.map((w) => w.id);
    expect(close).toEqual(['four-way', 'time-wait']);
    expect(step(9).why[0].answer[1].key).toBe('why.four-way.a2-merged');
    for (const locale of LOCALES) {
      for (const w of [...why, ...step(9).why]) {
        expect(formatTeach(w.question, locale).length).toBeGreaterThan(4);
        for (const a of w.answer) expectNumbersPrinted({ ...a, tone: 'info' });
      }
    }
  });

  it('highlights name the fields of the step with the packet’s values, and the stack marks them', () => {
    const syn = step(1);
    const hl = Object.fromEntries(syn.highlights.map((h) => [h.field, h.value]));
    expect(hl['tcp.seq_raw']).toBe(dissect.get(1)!['tcp.seq_raw']);
    expect(hl['tcp.options.mss_val']).toBe(dissect.get(1)!['tcp.options.mss_val']);
    expect(hl['tcp.options.wscale.shift']).toBe(dissect.get(1)!['tcp.options.wscale.shift']);
    expect(syn.layers!.map((l) => l.protocol)).toEqual(['eth', 'ip', 'tcp']);
    const tcpLayer = syn.layers!.find((l) => l.protocol === 'tcp')!;
    const marked = tcpLayer.fields.filter((f) => f.highlighted).map((f) => f.field);
    expect(marked).toEqual(expect.arrayContaining(['tcp.seq', 'tcp.seq_raw', 'tcp.options.mss_val', 'tcp.options.wscale.shift']));
    const seqRaw = tcpLayer.fields.find((f) => f.field === 'tcp.seq_raw')!;
    expect(seqRaw.length).toBe(4);
    expect(seqRaw.offset).toBe(38);
    const synAck = Object.fromEntries(step(2).highlights.map((h) => [h.field, h.reason]));
    expect(synAck['tcp.ack']).toBe('ack-isn-plus-one');
    const data = Object.fromEntries(step(4).highlights.map((h) => [h.field, h.value]));
    expect(data).toMatchObject({ 'tcp.seq': tcp.get(4)!['tcp.seq'], 'tcp.len': tcp.get(4)!['tcp.len'], 'tcp.nxtseq': tcp.get(4)!['tcp.nxtseq'] });
    expect(step(4).layers!.map((l) => l.protocol)).toEqual(['eth', 'ip', 'tcp', 'http']);
  });
});

describe('refused and reset connections (tcp-refused.pcap)', () => {
  it('stream 0: a RST answering a SYN is explained as "connection refused" with the closed port', async () => {
    const b = await lessonOf('tcp-refused.pcap', { stream: 0 });
    const dissect = golden('tcp-refused.pcap', 'dissect');
    const rst = b.lesson.steps.find((s) => s.frame === 2)!;
    const n = findNote(rst, 'rst-refused')!;
    expect(n.params.port).toBe(num(dissect.get(2)!['tcp.srcport']));
    expect(n.params.host).toBe(dissect.get(2)!['ip.src']);
    expect(n.params.ack).toBe(1);
    expect(findNote(rst, 'states-same')!.params.state).toBe('CLOSED');
    expect(formatTeach(n, 'zh-CN')).toContain(`端口 ${dissect.get(2)!['tcp.srcport']}`);
    expect(rst.why.map((w) => w.id)).toEqual(['rst']);
    expect(rst.why[0].answer[0].key).toBe('why.rst.a-refused');
    expect(rst.highlights.find((h) => h.field === 'tcp.flags')).toMatchObject({ value: dissect.get(2)!['tcp.flags'], reason: 'rst-flag' });
  });

  it('stream 1: a RST on an established connection is an abort, from ESTABLISHED to CLOSED', async () => {
    const b = await lessonOf('tcp-refused.pcap', { stream: 1 });
    const last = b.lesson.steps[b.lesson.steps.length - 1];
    expect(last.frame).toBe(10);
    const n = findNote(last, 'rst')!;
    expect(n.params.state).toBe('ESTABLISHED');
    expect(n.params.sender).toBe('server');
    expect(last.states.map((s) => s.state)).toEqual(['CLOSED', 'CLOSED']);
    expect(last.why[0].answer[0].key).toBe('why.rst.a-abort');
  });
});

/** Analysis flag (tshark field) → the note key that must explain it. */
const FLAG_NOTES: Record<string, string[]> = {
  // tshark sets retransmission on fast and spurious retransmissions too.
  'tcp.analysis.retransmission': ['retransmission', 'retransmission-unseen', 'fast-retransmission', 'fast-retransmission-nodups', 'spurious-retransmission', 'spurious-retransmission-unseen'],
  'tcp.analysis.fast_retransmission': ['fast-retransmission', 'fast-retransmission-nodups'],
  'tcp.analysis.spurious_retransmission': ['spurious-retransmission', 'spurious-retransmission-unseen'],
  'tcp.analysis.out_of_order': ['out-of-order'],
  'tcp.analysis.lost_segment': ['lost-segment', 'lost-segment-unknown'],
  'tcp.analysis.ack_lost_segment': ['ack-lost-segment'],
  'tcp.analysis.duplicate_ack': ['dup-ack', 'dup-ack-third', 'dup-ack-more'],
  'tcp.analysis.zero_window': ['zero-window'],
  'tcp.analysis.zero_window_probe': ['zero-window-probe'],
  'tcp.analysis.zero_window_probe_ack': ['zero-window-probe-ack'],
  'tcp.analysis.window_full': ['window-full'],
  'tcp.analysis.window_update': ['window-update'],
  'tcp.analysis.keep_alive': ['keep-alive'],
  'tcp.analysis.keep_alive_ack': ['keep-alive-ack'],
};

describe('lossy bulk download (http-bulk-lossy.pcap, stream 0)', () => {
  let b: Built;
  let tcp: Map<number, Record<string, string>>;
  beforeAll(async () => {
    b = await lessonOf('http-bulk-lossy.pcap', { stream: 0 });
    tcp = golden('http-bulk-lossy.pcap', 'tcp-analysis');
  });

  it('every analysis flag tshark raised on a frame is explained by its note', () => {
    let flagged = 0;
    for (const s of b.lesson.steps) {
      const g = tcp.get(s.frame)!;
      for (const [field, keys] of Object.entries(FLAG_NOTES)) {
        if (!g[field]) continue;
        flagged++;
        expect(s.notes.some((n) => keys.includes(n.key.slice(5))), `frame ${s.frame} ${field}`).toBe(true);
      }
    }
    expect(flagged).toBeGreaterThan(100);
  });

  it('duplicate ACK notes: count = tcp.analysis.duplicate_ack_num, ack and original frame as tshark', () => {
    const dups = [...stepsWith(b.lesson, 'dup-ack'), ...stepsWith(b.lesson, 'dup-ack-third'), ...stepsWith(b.lesson, 'dup-ack-more')];
    expect(dups.length).toBe([...tcp.values()].filter((g) => g['tcp.analysis.duplicate_ack'] && g['tcp.stream'] === '0').length);
    let thirds = 0;
    for (const { step: s, note } of dups) {
      const g = tcp.get(s.frame)!;
      expect(note.params.count).toBe(num(g['tcp.analysis.duplicate_ack_num']));
      expect(note.params.ack).toBe(num(g['tcp.ack']));
      expect(note.params.originalAckFrame).toBe(num(g['tcp.analysis.duplicate_ack_frame']));
      expect(note.key === 'note.dup-ack-third').toBe(note.params.count === 3);
      if (note.params.count === 3) {
        thirds++;
        expect(formatTeach(note, 'en')).toBe(`Third duplicate ACK for ${g['tcp.ack']}: the client is still missing that segment; the server will fast-retransmit.`);
        expect(formatTeach(note, 'zh-CN')).toContain(`第 3 个重复确认，确认号 ${g['tcp.ack']}`);
      }
      expectNumbersPrinted(note);
    }
    expect(thirds).toBeGreaterThan(0);
  });

  it('retransmission notes: the repeated bytes are tcp.seq … tcp.nxtseq − 1; fast retransmits count the dup ACKs before them', () => {
    const kinds = ['retransmission', 'retransmission-unseen', 'fast-retransmission', 'fast-retransmission-nodups', 'spurious-retransmission', 'spurious-retransmission-unseen'];
    let n = 0;
    for (const k of kinds) {
      for (const { step: s, note } of stepsWith(b.lesson, k)) {
        const g = tcp.get(s.frame)!;
        expect(note.params.first).toBe(num(g['tcp.seq']));
        expect(note.params.last).toBe(num(g['tcp.nxtseq']) - 1);
        expectNumbersPrinted(note);
        n++;
        if (k === 'fast-retransmission') {
          // The highest duplicate_ack_num tshark gave for this ack number before this frame.
          let max = 0;
          for (const [frame, row] of tcp) if (frame < s.frame && row['tcp.analysis.duplicate_ack'] && num(row['tcp.ack']) === note.params.first && row['tcp.stream'] === '0') max = Math.max(max, num(row['tcp.analysis.duplicate_ack_num']));
          expect(note.params.dupAcks).toBe(max);
        }
        if (k === 'retransmission') {
          const orig = note.params.originalFrame as number;
          const origRow = tcp.get(orig)!;
          expect(num(origRow['tcp.seq'])).toBeLessThanOrEqual(num(g['tcp.seq']));
          expect(note.params.afterMs).toBeCloseTo((Number(g['tcp.time_relative']) - Number(origRow['tcp.time_relative'])) * 1000, 1);
        }
      }
    }
    expect(n).toBe([...tcp.values()].filter((g) => g['tcp.stream'] === '0' && (g['tcp.analysis.retransmission'] || g['tcp.analysis.fast_retransmission'] || g['tcp.analysis.spurious_retransmission'])).length);
  });

  it('window updates and window-full notes carry tshark’s window sizes', () => {
    const ups = stepsWith(b.lesson, 'window-update');
    expect(ups.length).toBeGreaterThan(0);
    for (const { step: s, note } of ups) expect(note.params.window).toBe(num(tcp.get(s.frame)!['tcp.window_size']));
    for (const { step: s, note } of stepsWith(b.lesson, 'window-full')) {
      // The window the receiver last announced, and this segment ends exactly at its edge.
      const before = [...tcp.entries()].filter(([f, r]) => f < s.frame && r['tcp.stream'] === '0' && !r['tcp.analysis.window_full'] && Number(r['tcp.ack']) > 1 && tcp.get(s.frame)!['tcp.ack'] !== undefined);
      expect(before.length).toBeGreaterThan(0);
      expect(note.params.nextSeq).toBe(num(tcp.get(s.frame)!['tcp.nxtseq']));
    }
  });

  it('cumulative ACKs confirm exactly the data segments between the previous ACK and this one', () => {
    const cum = stepsWith(b.lesson, 'ack-cumulative');
    expect(cum.length).toBeGreaterThan(0);
    for (const { step: s, note } of cum) {
      const frames = String(note.params.frames).split(', ').map(Number);
      expect(frames.length).toBe(note.params.segments);
      const bytes = frames.reduce((sum, f) => sum + num(tcp.get(f)!['tcp.len']), 0);
      expect(note.params.bytes).toBe(bytes);
      for (const f of frames) expect(num(tcp.get(f)!['tcp.nxtseq'])).toBeLessThanOrEqual(num(tcp.get(s.frame)!['tcp.ack']));
      expectNumbersPrinted(note);
    }
  });

  it('duplicate ACK steps offer the dup-ACK "Why?" with the missing byte', () => {
    const s = stepsWith(b.lesson, 'dup-ack-third')[0].step;
    const w = s.why.find((x) => x.id === 'dup-ack')!;
    expect(w.answer[0].params.ack).toBe(num(tcp.get(s.frame)!['tcp.ack']));
    expect(w.answer[1].params.count).toBe(3);
  });
});
