import { beforeEach, describe, expect, it } from 'vitest';
import { followTcpStream } from '../../../src/analysis/follow/follow.js';
import { asciiView, followToJson, formatFollowText, hexDumpLines } from '../../../src/analysis/follow/format.js';
import { ACK, CLIENT, PSH, SERVER, SYN, bytes, resetFrames, seg } from '../reassembly/segments.js';
import { runCli } from '../../helpers/cli.js';
import { fixturePath } from '../../helpers/fixtures.js';

beforeEach(resetFrames);

function lossyStream() {
  return followTcpStream(7, [
    seg('c', 0, SYN),
    seg('s', 100, SYN | ACK, '', 1),
    seg('c', 1, PSH | ACK, 'hello\x00\x01world\r\n', 101),
    seg('s', 101, PSH | ACK, 'a'.repeat(20), 15),
    seg('s', 131, PSH | ACK, 'b'.repeat(5), 15), // 10 bytes before it never captured
    seg('c', 15, ACK, '', 136), // the client acknowledges them all
  ]);
}

describe('follow result', () => {
  it('alternates client and server chunks with frame numbers, offsets and the gap', () => {
    const r = lossyStream();
    expect(r.nodes.map((n) => n.label)).toEqual([CLIENT, SERVER]);
    const chunks = r.chunks.filter((c) => c.kind === 'data' || c.kind === 'gap');
    expect(chunks.map((c) => [c.kind, c.node, c.frame, c.offset])).toEqual([
      ['data', 0, 3, 0], ['data', 1, 4, 0], ['gap', 1, 6, 20], ['data', 1, 5, 20 + '[10 bytes missing in capture file]'.length + 1],
    ]);
    expect(r.bytes).toEqual([14, 25]);
    expect(r.missing).toEqual([0, 10]);
  });

  it('renders ASCII like tshark: non-printables as dots, CR/LF kept, server chunks indented', () => {
    const text = formatFollowText(lossyStream(), 'ascii');
    expect(text.startsWith('\n===')).toBe(true);
    expect(text).toContain(`Filter: tcp.stream eq 7\nNode 0: ${CLIENT}\nNode 1: ${SERVER}\n`);
    expect(text).toContain('14\nhello..world\r\n\n');
    expect(text).toContain('\t20\naaaaaaaaaaaaaaaaaaaa\n');
    // The gap placeholder carries its NUL, shown as a dot, and counts it in the length.
    expect(text).toContain('\t35\n[10 bytes missing in capture file].\n');
    expect(text.endsWith('===\n')).toBe(true);
  });

  it('renders hex with per-direction offsets that count the gap text', () => {
    const text = formatFollowText(lossyStream(), 'hex');
    const serverLines = text.split('\n').filter((l) => l.startsWith('\t'));
    const offsets = serverLines.map((l) => l.slice(1, 9));
    expect(offsets).toEqual(['00000000', '00000010', '00000014', '00000024', '00000034', '00000037']);
    expect(asciiView(bytes('a\tb'))).toBe('a.b');
  });

  it('lays out hex lines as tshark: two groups of 8, ASCII column, no trailing separator', () => {
    const out: string[] = [];
    hexDumpLines(bytes('0123456789abcdefXY'), 0x10, '', out);
    expect(out[0]).toBe(`00000010  ${'30 31 32 33 34 35 36 37'}  ${'38 39 61 62 63 64 65 66'}  01234567 89abcdef\n`);
    expect(out[1].slice(0, 10)).toBe('00000020  ');
    expect(out[1].endsWith('XY\n')).toBe(true);
    expect(out[1].indexOf('XY')).toBe(out[0].indexOf('01234567'));
    const eight: string[] = [];
    hexDumpLines(bytes('01234567'), 0, '', eight);
    expect(eight[0].endsWith('01234567\n')).toBe(true);
  });

  it('renders raw as one hex string per chunk', () => {
    const text = formatFollowText(lossyStream(), 'raw');
    expect(text).toContain('\n68656c6c6f0001776f726c640d0a\n');
  });

  it('gives JSON with times, frames and hex bytes', () => {
    const json = followToJson(lossyStream()) as { chunks: { kind: string; frame: number; time: string; hex?: string; missing?: number }[] };
    const data = json.chunks.filter((c) => c.kind === 'data');
    expect(data[0]).toMatchObject({ frame: 3, time: '1700000000.000003000', hex: '68656c6c6f0001776f726c640d0a' });
    expect(json.chunks.find((c) => c.kind === 'gap')).toMatchObject({ missing: 10, frame: 6 });
  });
});

describe('wirescope follow command', () => {
  it('refuses a missing or malformed --stream and an unknown format', async () => {
    const file = fixturePath('http-handshake.pcap');
    expect((await runCli(['follow', file])).code).toBe(2);
    expect((await runCli(['follow', file, '--stream', 'x'])).stderr).toContain('--stream expects a non-negative integer');
    expect((await runCli(['follow', file, '--stream', '0', '--format', 'ebcdic'])).stderr).toContain('--format must be one of');
  });

  it('prints tshark\'s empty header for a stream that does not exist', async () => {
    const run = await runCli(['follow', fixturePath('http-handshake.pcap'), '--stream', '99']);
    expect(run.stdout).toContain('Filter: tcp.stream eq 99\nNode 0: :0\nNode 1: :0\n');
  });

  it('prints JSON with both directions of the handshake fixture', async () => {
    const run = await runCli(['follow', fixturePath('http-handshake.pcap'), '--stream', '0', '--format', 'json']);
    const json = JSON.parse(run.stdout) as { nodes: string[]; chunks: { kind: string; node: number }[] };
    expect(json.nodes[1]).toBe('192.0.2.2:80');
    expect(json.chunks.filter((c) => c.kind === 'data').map((c) => c.node)).toEqual([0, 1]);
    expect(json.chunks.map((c) => c.kind)).toContain('fin');
  });
});
