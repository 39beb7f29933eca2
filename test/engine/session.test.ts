/**
 * CaptureSession on the recorded fixtures: rows agree with the CLI (same decoders, one pass),
 * conversations / endpoints / follow agree with tshark's goldens, details agree with the CLI's
 * two-pass `fields -2`, filters with `fields -2 -Y`, and exports read back identical.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/errors.js';
import { AnalysisFlag, COLOR_RULES } from '../../src/api/flags.js';
import { formatSecondsNs } from '../../src/api/format.js';
import type { DetailNode } from '../../src/api/types.js';
import { CaptureSession } from '../../src/engine/session.js';
import { PacketIndexer } from '../../src/engine/indexer.js';
import { readCaptureFileSync } from '../../src/capture/read-node.js';
import { runCli } from '../helpers/cli.js';
import { fixtureFiles, fixturePath, goldenBase, goldenDir, readGolden } from '../helpers/fixtures.js';
import {
  asciiOf, matchesSizeText, openLoaded, parseConversations, parseEndpoints, parseFollowAscii, readPackets, tempDir,
} from './helpers.js';

const fixtures = fixtureFiles();
const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('fixtures are present', () => {
  it('has recorded captures to test with', () => {
    expect(fixtures.length).toBeGreaterThan(5);
  });
});

describe('rows = the CLI summary (one pass, same decoders)', () => {
  for (const fixture of fixtures) {
    it(fixture, async () => {
      const { session } = await openLoaded(fixturePath(fixture));
      const cli = await runCli(['summary', fixturePath(fixture), '--json']);
      const want = JSON.parse(cli.stdout) as { number: number; time: string; source: string; destination: string; protocol: string; length: number; info: string }[];
      const { rows, displayed, total } = session.getRows(0, 5000);
      expect(total).toBe(want.length);
      expect(displayed).toBe(want.length);
      const digits = session.info().timePrecision;
      for (let i = 0; i < want.length; i++) {
        const r = rows[i];
        const w = want[i];
        expect({ n: r.number, s: r.source, d: r.destination, p: r.protocol, l: r.length, i: r.info }, `row ${i + 1}`)
          .toEqual({ n: w.number, s: w.source, d: w.destination, p: w.protocol, l: w.length, i: w.info });
        if (w.time.split('.')[1]?.length === digits) expect(formatSecondsNs(r.relativeNs, digits)).toBe(w.time);
        expect(r.index).toBe(i);
        if (i > 0) expect(r.deltaNs).toBe(r.relativeNs - rows[i - 1].relativeNs);
      }
      session.close();
    });
  }
});

describe('conversations and endpoints = tshark -z conv / endpoints', () => {
  const key = (x: string, y: string) => (x < y ? `${x}|${y}` : `${y}|${x}`);
  // tshark's conversation tables write IPv6 endpoints without brackets: 2001:db8::1:80.
  const endpoint = (addr: string, port: number) => (port < 0 ? addr : `${addr}:${port}`);
  for (const fixture of fixtures) {
    it(fixture, async () => {
      const { session } = await openLoaded(fixturePath(fixture));
      for (const [kind, goldens] of [['tcp', ['conv-tcp']], ['udp', ['conv-udp']], ['ip', ['conv-ip', 'conv-ipv6']]] as const) {
        const want = goldens.flatMap((g) => parseConversations(readGolden(`${goldenBase(fixture)}.${g}.txt`) ?? ''));
        const got = session.getConversations(kind);
        expect(got.length, `${kind} conversation count`).toBe(want.length);
        const byKey = new Map(got.map((c) => [key(endpoint(c.a.address, c.a.port), endpoint(c.b.address, c.b.port)), c]));
        for (const w of want) {
          const c = byKey.get(key(w.a, w.b));
          expect(c, `${kind} ${w.a} <-> ${w.b}`).toBeDefined();
          const aIsA = endpoint(c!.a.address, c!.a.port) === w.a;
          const framesAtoB = aIsA ? c!.packetsAtoB : c!.packetsBtoA;
          const framesBtoA = aIsA ? c!.packetsBtoA : c!.packetsAtoB;
          expect([framesAtoB, framesBtoA], `${kind} ${w.a} <-> ${w.b} frames`).toEqual([w.framesAtoB, w.framesBtoA]);
          expect(matchesSizeText(aIsA ? c!.bytesAtoB : c!.bytesBtoA, w.bytesAtoB), `bytes ${w.bytesAtoB}`).toBe(true);
          expect(matchesSizeText(aIsA ? c!.bytesBtoA : c!.bytesAtoB, w.bytesBtoA), `bytes ${w.bytesBtoA}`).toBe(true);
        }
      }
      const wantEp = [
        ...parseEndpoints(readGolden(`${goldenBase(fixture)}.endpoints-ip.txt`) ?? ''),
        ...parseEndpoints(readGolden(`${goldenBase(fixture)}.endpoints-ipv6.txt`) ?? ''),
      ];
      const gotEp = new Map(session.getEndpoints('ip').map((e) => [e.address, e]));
      expect(gotEp.size).toBe(wantEp.length);
      for (const w of wantEp) {
        const e = gotEp.get(w.address);
        expect(e, w.address).toBeDefined();
        expect({ ...e!, kind: undefined, port: undefined, address: undefined }).toEqual({
          kind: undefined, port: undefined, address: undefined,
          packets: w.packets, bytes: w.bytes, txPackets: w.txPackets, txBytes: w.txBytes, rxPackets: w.rxPackets, rxBytes: w.rxBytes,
        });
      }
      session.close();
    });
  }
});

describe('follow TCP stream = tshark -z follow,tcp,ascii', () => {
  const cases = fixtures.flatMap((f) => {
    const base = goldenBase(f);
    const out: { fixture: string; stream: number; golden: string }[] = [];
    for (let n = 0; existsSync(join(goldenDir, `${base}.follow-${n}.txt`)); n++) {
      out.push({ fixture: f, stream: n, golden: readFileSync(join(goldenDir, `${base}.follow-${n}.txt`), 'latin1') });
    }
    return out;
  });
  it('has follow goldens', () => expect(cases.length).toBeGreaterThan(5));
  for (const c of cases) {
    it(`${c.fixture} stream ${c.stream}`, async () => {
      const { session } = await openLoaded(fixturePath(c.fixture));
      const want = parseFollowAscii(c.golden);
      const got = session.followStream('tcp', c.stream);
      const endpoint = (e: { address: string; port: number }) => (e.address.includes(':') ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`);
      expect([endpoint(got.client), endpoint(got.server)]).toEqual(want.nodes);
      const blocks = got.chunks.map((ch) => ({
        node: ch.from === 'client' ? 0 : 1,
        text: ch.missing > 0 ? `[${ch.missing} bytes missing in capture file].` : asciiOf(ch.data),
      }));
      expect(blocks).toEqual(want.blocks);
      expect(got.filter).toBe(`tcp.stream eq ${c.stream}`);
      session.close();
    });
  }
});

/** Field values of a detail tree in tree order (hidden nodes included), as -T fields joins them. */
function treeValues(nodes: DetailNode[], out = new Map<string, string[]>()): Map<string, string[]> {
  for (const n of nodes) {
    const list = out.get(n.field) ?? [];
    list.push(n.value);
    out.set(n.field, list);
    if (n.children) treeValues(n.children, out);
  }
  return out;
}

describe('packet details = wirescope fields -2 (analysis replayed per stream)', () => {
  const fields = ['tcp.stream', 'udp.stream', 'tcp.seq', 'tcp.ack', 'tcp.nxtseq', 'tcp.len', 'tcp.window_size',
    'tcp.completeness', 'tcp.analysis.retransmission', 'tcp.analysis.duplicate_ack_num', 'tcp.analysis.bytes_in_flight',
    'tcp.analysis.acks_frame', 'tcp.analysis.initial_rtt', 'tcp.time_relative', 'ip.src', 'ip.dst', 'frame.time_relative',
    'frame.time_delta', 'frame.number', 'frame.len'];
  for (const fixture of fixtures) {
    it(fixture, async () => {
      const { session } = await openLoaded(fixturePath(fixture));
      const cli = await runCli(['fields', fixturePath(fixture), '-2', ...fields.flatMap((f) => ['-e', f])]);
      const lines = cli.stdout.replace(/\n$/, '').split('\n');
      // Every packet of small captures; a spread of them in the large one.
      const n = session.index.count;
      const step = n > 200 ? Math.floor(n / 97) : 1;
      for (let i = 0; i < n; i += step) {
        const detail = session.getPacket(i + 1);
        expect(detail.number).toBe(i + 1);
        const values = treeValues(detail.tree);
        const got = fields.map((f) => (values.get(f) ?? []).filter((v) => v !== '').join(','));
        expect(got.join('\t'), `packet ${i + 1}`).toBe(lines[i]);
        for (const node of walk(detail.tree)) {
          const bytes = node.source === undefined ? detail.bytes : detail.sources[node.source].bytes;
          expect(node.offset + node.length, `${node.field} range in packet ${i + 1}`).toBeLessThanOrEqual(bytes.length);
          expect(node.label.length).toBeGreaterThan(0);
          // Generated values are bracketed, once, as Wireshark shows them.
          if (node.generated) expect(node.label, `${node.field} in packet ${i + 1}`).toMatch(/^\[(?!\[)/);
        }
      }
      session.close();
    });
  }
});

function* walk(nodes: DetailNode[]): Generator<DetailNode> {
  for (const n of nodes) {
    yield n;
    if (n.children) yield* walk(n.children);
  }
}

describe('display filters = wirescope fields -2 -Y (index path and decoding path)', () => {
  const expressions = [
    'tcp', 'udp', 'arp', 'ip', 'ipv6', 'dns', 'icmp', '!tcp', 'tcp.stream == 1', 'tcp.stream eq 0 || udp.stream eq 0',
    'frame.number <= 5', 'tcp.analysis.flags', 'tcp.analysis.retransmission', 'tcp.analysis.duplicate_ack',
    'tcp.flags.syn == 1', 'tcp.port == 80', 'ip.src == 192.0.2.1', 'tcp.len > 100', 'tcp.completeness == 31',
    'dns.flags.response == 1', 'frame.len > 1000 and tcp',
  ];
  for (const fixture of ['http-bulk-lossy.pcap', 'http-handshake.pcap', 'dns-udp.pcap', 'ping.pcap', 'arp.pcap', 'http-ipv6.pcap']) {
    it(fixture, async () => {
      const { session } = await openLoaded(fixturePath(fixture));
      for (const expr of expressions) {
        const cli = await runCli(['fields', fixturePath(fixture), '-2', '-Y', expr, '-e', 'frame.number']);
        expect(cli.stderr, expr).toBe('');
        const want = cli.stdout.split('\n').filter(Boolean).map(Number);
        const result = await session.applyFilter(expr);
        expect(result.displayed, expr).toBe(want.length);
        const rows = session.getRows(0, 5000).rows.map((r) => r.number);
        expect(rows, expr).toEqual(want);
      }
      const cleared = await session.applyFilter('');
      expect(cleared.displayed).toBe(session.index.count);
      session.close();
    });
  }

  it('matches the tshark filter goldens when they exist', async () => {
    const p = join(goldenDir, 'filters', 'results.json');
    if (!existsSync(p)) return;
    const results = JSON.parse(readFileSync(p, 'utf8')) as Record<string, Record<string, number[] | { error: string }>>;
    for (const [fixture, byExpr] of Object.entries(results)) {
      if (!existsSync(fixturePath(fixture))) continue;
      const { session } = await openLoaded(fixturePath(fixture));
      for (const [expr, want] of Object.entries(byExpr)) {
        if (!Array.isArray(want)) continue;
        const got = await session.applyFilter(expr).then(() => session.getRows(0, 5000).rows.map((r) => r.number), () => null);
        if (got) expect(got, `${fixture}: ${expr}`).toEqual(want);
      }
      session.close();
    }
  });

  it('a bad filter is a bad-filter error with the filter module\'s sentence', async () => {
    const { session } = await openLoaded(fixturePath('http-handshake.pcap'));
    await expect(session.applyFilter('tcp.nosuchfield == 1')).rejects.toMatchObject({ code: 'bad-filter' });
    await expect(session.applyFilter('tcp ==')).rejects.toBeInstanceOf(ApiError);
    session.close();
  });

  it('locatePacket finds a frame in the filtered view, -1 when hidden', async () => {
    const { session } = await openLoaded(fixturePath('http-bulk-lossy.pcap'));
    await session.applyFilter('tcp.stream == 1');
    const rows = session.getRows(0, 5000).rows;
    expect(rows.length).toBeGreaterThan(10);
    expect(session.locate(rows[7].number)).toBe(7);
    expect(rows[0].deltaDisplayedNs).toBe(0);
    expect(rows[1].deltaDisplayedNs).toBe(rows[1].relativeNs - rows[0].relativeNs);
    const hidden = session.getRows(0, 1);
    void hidden;
    await session.applyFilter('tcp.stream == 0');
    expect(session.locate(rows[7].number)).toBe(-1);
    session.close();
  });
});

describe('analysis flags and colors in the index', () => {
  it('flags agree with tcp.analysis.* of the CLI and the first matching coloring rule is used', async () => {
    const { session } = await openLoaded(fixturePath('http-bulk-lossy.pcap'));
    const cli = await runCli(['fields', fixturePath('http-bulk-lossy.pcap'), '-e', 'tcp.analysis.retransmission', '-e', 'tcp.analysis.duplicate_ack', '-e', 'tcp.analysis.flags', '-e', 'tcp.flags']);
    const lines = cli.stdout.split('\n');
    const rows = session.getRows(0, 5000).rows;
    let flagged = 0;
    rows.forEach((r, i) => {
      const [retrans, dup, any, tcpFlags] = lines[i].split('\t');
      // Wireshark adds the retransmission item to fast and spurious retransmissions as well.
      const anyRetrans = AnalysisFlag.RETRANSMISSION | AnalysisFlag.FAST_RETRANSMISSION | AnalysisFlag.SPURIOUS_RETRANSMISSION;
      expect(!!(r.flags & anyRetrans), `row ${r.number}`).toBe(retrans !== '');
      expect(!!(r.flags & AnalysisFlag.DUPLICATE_ACK), `row ${r.number}`).toBe(dup !== '');
      const bits = parseInt(tcpFlags, 16);
      expect(!!(r.flags & AnalysisFlag.TCP_SYN)).toBe(!!(bits & 2));
      const notBad = AnalysisFlag.WINDOW_UPDATE | AnalysisFlag.KEEP_ALIVE | AnalysisFlag.KEEP_ALIVE_ACK;
      if (any !== '' && !(r.flags & notBad)) {
        flagged++;
        expect(r.color).toBe('bad-tcp');
      } else {
        // Port 80 traffic is HTTP-colored before SYN/FIN and plain TCP (Wireshark's rule order).
        expect(r.color).toBe(bits & 4 ? 'tcp-rst' : 'http');
      }
      expect(COLOR_RULES).toContain(r.color);
    });
    expect(flagged).toBeGreaterThan(10);
    const stats = session.getStats();
    expect(stats.packets).toBe(rows.length);
    expect(stats.analysisCounts['TCP Retransmission']).toBe(rows.filter((r) => r.flags & AnalysisFlag.RETRANSMISSION).length);
    session.close();
  });

  it('ARP and ICMP rows are colored by their rules (ICMP errors apart), UDP as UDP', async () => {
    for (const [fixture, proto, color] of [['arp.pcap', 'ARP', 'arp'], ['ping.pcap', 'ICMP', 'icmp'], ['dns-udp.pcap', 'DNS', 'udp']] as const) {
      const { session } = await openLoaded(fixturePath(fixture));
      const types = (await runCli(['fields', fixturePath(fixture), '-e', 'icmp.type'])).stdout.split('\n');
      const rows = session.getRows(0, 5000).rows.filter((r) => r.protocol === proto);
      expect(rows.length, fixture).toBeGreaterThan(0);
      for (const r of rows) {
        const outerType = Number(types[r.number - 1].split(',')[0]);
        const want = proto === 'ICMP' && [3, 4, 5, 11].includes(outerType) ? 'icmp-error' : color;
        expect(r.color, `${fixture} ${r.number}`).toBe(want);
      }
      session.close();
    }
  });
});

describe('sequence diagrams = wirescope diagram --format json', () => {
  const cases: [string, string[]][] = [
    ['http-handshake.pcap', ['--stream', '0']],
    ['http-bulk-lossy.pcap', ['--stream', '1']],
    ['tcp-refused.pcap', ['--stream', '0,1']],
    ['dns-tcp.pcap', ['--stream', '2']],
    ['arp.pcap', ['-Y', 'arp']],
    ['ping.pcap', ['-Y', 'icmp']],
    ['http-ipv6.pcap', ['-Y', 'tcp.len > 0 || icmpv6']],
  ];
  for (const [fixture, args] of cases) {
    it(`${fixture} ${args.join(' ')}`, async () => {
      const { session } = await openLoaded(fixturePath(fixture));
      const cli = await runCli(['diagram', fixturePath(fixture), ...args, '--format', 'json']);
      expect(cli.stderr).toBe('');
      const want = JSON.parse(cli.stdout) as { title: string };
      const got = await session.getSequence(args[0] === '--stream'
        ? { streams: args[1].split(',').map(Number) }
        : { filter: args[1] });
      expect(got.captureId).toBe(session.captureId);
      const { captureId: _id, title: _t, ...model } = got;
      const { title: _wt, ...wantModel } = want;
      // Compared as JSON (what the socket carries): unknown states are undefined in the model, null in JSON.
      expect(JSON.parse(JSON.stringify(model))).toEqual(wantModel);
      session.close();
    });
  }
});

describe('transactions = tshark -2 response links', () => {
  for (const fixture of ['dns-udp.pcap', 'dns-tcp.pcap', 'ping.pcap', 'http-keepalive.pcap', 'http-ipv6.pcap']) {
    it(fixture, async () => {
      const { session } = await openLoaded(fixturePath(fixture));
      const cli = await runCli(['fields', fixturePath(fixture), '-2', '-e', 'frame.number', '-e', 'dns.response_in', '-e', 'http.response_in',
        '-e', 'icmp.resp_in', '-e', 'icmpv6.resp_in', '-e', 'dns.qry.name', '-e', 'http.request.method']);
      const rows = cli.stdout.trim().split('\n').map((l) => l.split('\t'));
      const stats = session.getStats();
      const pairs = [
        ...stats.dns.map((t) => [t.queryFrame, t.responseFrame, 1] as const),
        ...stats.http.map((t) => [t.requestFrame, t.responseFrame, 2] as const),
        ...stats.icmpEcho.map((t) => [t.requestFrame, t.replyFrame, t.destination.includes(':') ? 4 : 3] as const),
      ];
      expect(pairs.length).toBeGreaterThan(0);
      for (const [request, response, column] of pairs) {
        const cell = rows[request - 1][column];
        if (response !== null) expect(cell.split(',').map(Number), `frame ${request}`).toContain(response);
      }
      for (const t of stats.dns) expect(t.name).toBe(rows[t.queryFrame - 1][5].split(',')[0]);
      for (const t of stats.http) expect(t.method).toBe(rows[t.requestFrame - 1][6].split(',')[0]);
      session.close();
    });
  }
});

describe('statistics', () => {
  it('protocol hierarchy counts nest and add up', async () => {
    const { session } = await openLoaded(fixturePath('http-ipv6.pcap'));
    const stats = session.getStats();
    const rootSum = stats.protocolHierarchy.reduce((n, p) => n + p.packets, 0);
    expect(rootSum).toBe(stats.packets);
    const check = (nodes: typeof stats.protocolHierarchy, parent: number) => {
      for (const n of nodes) {
        expect(n.packets).toBeLessThanOrEqual(parent);
        check(n.children, n.packets);
      }
    };
    check(stats.protocolHierarchy, stats.packets);
    expect(stats.durationNs).toBe((stats.lastTime!.sec - stats.firstTime!.sec) * 1e9 + stats.lastTime!.nsec - stats.firstTime!.nsec);
    session.close();
  });
});

describe('export', () => {
  for (const format of ['pcap', 'pcapng'] as const) {
    it(`selected and displayed packets as ${format} read back identical`, async () => {
      const src = fixturePath('http-bulk-lossy.pcap');
      const { session } = await openLoaded(src);
      const original = readPackets(src);
      const frames = [1, 2, 3, 100, 555, 1400];
      const out1 = join(tmp.dir, `selected.${format}`);
      const r1 = session.exportPackets(out1, format, session.exportSelection('selected', frames));
      expect(r1.packets).toBe(frames.length);
      expect(readPackets(out1)).toEqual(frames.map((f) => original[f - 1]));

      await session.applyFilter('tcp.analysis.retransmission');
      const shown = session.getRows(0, 5000).rows.map((r) => r.number);
      const out2 = join(tmp.dir, `displayed.${format}`);
      session.exportPackets(out2, format, session.exportSelection('displayed'));
      expect(readPackets(out2)).toEqual(shown.map((f) => original[f - 1]));
      session.close();
    });
  }

  it('keeps nanosecond timestamps and several interfaces (pcapng)', async () => {
    for (const fixture of ['nanosecond.pcap', 'two-interfaces.pcapng']) {
      const src = fixturePath(fixture);
      const { session } = await openLoaded(src);
      const out = join(tmp.dir, `all-${fixture}.pcapng`);
      session.exportPackets(out, 'pcapng', session.exportSelection('all'));
      expect(readPackets(out)).toEqual(readPackets(src));
      session.close();
    }
  });

  it('refuses to put several link types in one pcap', async () => {
    const { session } = await openLoaded(fixturePath('two-interfaces.pcapng'));
    const linkTypes = new Set(session.info().interfaces.map((i) => i.linkType));
    if (linkTypes.size > 1) {
      expect(() => session.exportPackets(join(tmp.dir, 'x.pcap'), 'pcap', session.exportSelection('all'))).toThrow(/pcapng/);
    } else {
      session.exportPackets(join(tmp.dir, 'x.pcap'), 'pcap', session.exportSelection('all'));
      expect(readPackets(join(tmp.dir, 'x.pcap')).length).toBe(session.index.count);
    }
    session.close();
  });
});

/** A pcap made of the fixture's records repeated `times` times (a bigger file to load). */
function bigCapture(times: number): string {
  const src = readFileSync(fixturePath('http-bulk-lossy.pcap'));
  const header = src.subarray(0, 24);
  const body = src.subarray(24);
  const parts = [header];
  for (let i = 0; i < times; i++) parts.push(body);
  const path = join(tmp.dir, `big-${times}.pcap`);
  writeFileSync(path, Buffer.concat(parts));
  return path;
}

describe('loading', () => {
  it('serves rows while the file is still loading, reports progress, and finishes', async () => {
    const path = bigCapture(30);
    const events: string[] = [];
    const progress: number[] = [];
    const session = new CaptureSession({
      captureId: 7, path, source: 'file', emit: (e) => {
        events.push(e.event);
        if (e.event === 'progress' && e.data.phase === 'load') progress.push(e.data.done);
      },
    });
    await session.startFileLoad();
    expect(session.info().loading).toBe(true);
    const first = session.getRows(0, 100);
    expect(first.rows.length).toBe(100);
    expect(first.total).toBeLessThan(1463 * 30);
    await session.whenIdle();
    expect(session.info().loading).toBe(false);
    expect(session.index.count).toBe(1463 * 30);
    expect(progress.at(-1)).toBe(session.info().sizeBytes);
    for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThanOrEqual(progress[i - 1]);
    expect(events).toContain('packets');
    session.close();
  });

  it('a file read ahead in chunks indexes exactly as the same bytes parsed in one piece', async () => {
    const path = bigCapture(30);
    const { session } = await openLoaded(path);
    const reference = new PacketIndexer();
    readCaptureFileSync(path, (r) => reference.add(r));
    const a = session.index;
    const b = reference.index;
    expect(a.count).toBe(b.count);
    for (let i = 0; i < a.count; i++) {
      if (a.dataOffset[i] !== b.dataOffset[i] || a.capLen[i] !== b.capLen[i] || a.info.get(i) !== b.info.get(i)) {
        expect({ i, offset: a.dataOffset[i], info: a.info.get(i) }).toEqual({ i, offset: b.dataOffset[i], info: b.info.get(i) });
      }
    }
    session.close();
  });

  // Linux lists a process's open descriptors in /proc/self/fd.
  it.skipIf(!existsSync('/proc/self/fd'))('closing mid-load closes the file once the reads in flight are done', async () => {
    const fdDir = '/proc/self/fd';
    const path = bigCapture(30);
    const before = readdirSync(fdDir).length;
    const session = new CaptureSession({ captureId: 11, path, source: 'file', emit: () => {} });
    await session.startFileLoad();
    // Let the background slices start (they keep reads in flight), then close.
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    session.close();
    for (let t = 0; t < 100 && readdirSync(fdDir).length > before; t++) await new Promise((r) => setTimeout(r, 10));
    expect(readdirSync(fdDir).length).toBe(before);
    expect(session.isLoading).toBe(false);
  });

  it('cancelLoad keeps the packets read so far', async () => {
    const path = bigCapture(30);
    const session = new CaptureSession({ captureId: 8, path, source: 'file', emit: () => {} });
    await session.startFileLoad();
    const kept = session.cancelLoad();
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(1463 * 30);
    await new Promise((r) => setTimeout(r, 50));
    expect(session.index.count).toBe(kept);
    expect(session.getRows(0, 10).rows.length).toBe(10);
    session.close();
  });
});

describe('bad files', () => {
  const write = (name: string, bytes: Uint8Array) => {
    const p = join(tmp.dir, name);
    writeFileSync(p, bytes);
    return p;
  };
  const open = async (path: string) => {
    const s = new CaptureSession({ captureId: 9, path, source: 'file', emit: () => {} });
    await s.startFileLoad();
    return s;
  };

  it('empty, not a capture, missing file, directory: a clear error naming the file', async () => {
    const empty = write('empty.pcap', new Uint8Array(0));
    await expect(open(empty)).rejects.toMatchObject({ code: 'not-a-capture', message: expect.stringContaining('empty.pcap') });
    const text = write('notes.txt', new TextEncoder().encode('this is not a capture file at all\n'));
    await expect(open(text)).rejects.toMatchObject({ code: 'not-a-capture', message: expect.stringContaining('notes.txt') });
    await expect(open(join(tmp.dir, 'missing.pcap'))).rejects.toMatchObject({ code: 'not-found' });
    await expect(open(tmp.dir)).rejects.toMatchObject({ code: 'io' });
  });

  it('a file cut mid-packet keeps every complete packet and warns', async () => {
    const src = readFileSync(fixturePath('http-handshake.pcap'));
    const cut = write('cut.pcap', src.subarray(0, src.length - 20));
    const warnings: string[] = [];
    const s = new CaptureSession({
      captureId: 10, path: cut, source: 'file', emit: (e) => {
        if (e.event === 'progress' && e.data.warning) warnings.push(e.data.warning);
      },
    });
    await s.startFileLoad();
    await s.whenIdle();
    expect(s.index.count).toBe(9);
    expect(warnings.at(-1)).toMatch(/cut\.pcap/);
    expect(s.getPacket(9).number).toBe(9);
    await expect(Promise.resolve().then(() => s.getPacket(10))).rejects.toMatchObject({ code: 'not-found' });
    s.close();
  });
});
