/**
 * The capture helper's pure parts (no privileges needed): timestamp encoding, libpcap error
 * classification, link types, interface descriptions; the temp-capture store; the index's
 * string arena and index-only filters.
 */
import { writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureBufferBytes, classifyOpenError, describeInterfaces, linkTypeOf, nanosHighLow } from '../../src/engine/live/capture-helper.js';
import { isTempCapture, newCapturePath, recoverableCaptures, removeCapture } from '../../src/engine/live/temp-store.js';
import { StringArena } from '../../src/engine/columns.js';
import { compileIndexFilter } from '../../src/engine/index-filter.js';
import { PacketIndex, IndexBit } from '../../src/engine/packet-index.js';
import '../../src/analysis/index.js';
import '../../src/decode/index.js';
import { AnalysisFlag } from '../../src/api/flags.js';
import { tempDir } from './helpers.js';

const tmp = tempDir('wirescope-units-');
afterAll(() => tmp.cleanup());

describe('capture helper', () => {
  it('splits sec·1e9 + nsec into exact 32-bit halves', () => {
    let seed = 12345;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const cases: [number, number][] = [[0, 0], [4294967295, 999999999], [1700000000, 1]];
    for (let i = 0; i < 500; i++) cases.push([Math.floor(rnd() * 4294967296), Math.floor(rnd() * 1e9)]);
    for (const [sec, nsec] of cases) {
      const v = BigInt(sec) * 1000000000n + BigInt(nsec);
      expect(nanosHighLow(sec, nsec), `${sec}.${nsec}`).toEqual([Number(v >> 32n), Number(v & 0xffffffffn)]);
    }
  });

  it('sorts libpcap errors into permission / no such interface / other, with what to do', () => {
    expect(classifyOpenError('eth0', 'socket: Operation not permitted')).toMatchObject({ code: 'capture-permission', message: expect.stringMatching(/CAP_NET_RAW/) });
    expect(classifyOpenError('eth0', "eth0: You don't have permission to capture on that device")).toMatchObject({ code: 'capture-permission' });
    expect(classifyOpenError('wlan9', 'No such device exists')).toMatchObject({ code: 'no-such-interface', message: expect.stringMatching(/"wlan9"/) });
    expect(classifyOpenError('eth0', 'The network is down')).toMatchObject({ code: 'interface-gone' });
    expect(classifyOpenError('eth0', 'something else')).toMatchObject({ code: 'io', message: 'Cannot capture on eth0: something else' });
  });

  it('maps the binding\'s link-type names and DLTs to LINKTYPE values', () => {
    expect(linkTypeOf('ETHERNET')).toBe(1);
    expect(linkTypeOf('LINKTYPE_LINUX_SLL')).toBe(113);
    expect(linkTypeOf('RAW')).toBe(101);
    expect(linkTypeOf('NULL')).toBe(0);
    expect(linkTypeOf('Unknown linktype 276')).toBe(276);
    expect(linkTypeOf('Unknown linktype 12')).toBe(101);
  });

  it('sizes the kernel ring for cap\'s 64 KB frames on loopback', () => {
    const MB = 1024 * 1024;
    // 64 KB frames on lo (MTU 65536): 256 MB is ~4,000 frames, 40 ms at 100k packets/s.
    expect(captureBufferBytes(true)).toBe(256 * MB);
    expect(captureBufferBytes(false)).toBe(64 * MB);
  });

  it('describes interfaces: addresses by family, loopback, status', () => {
    const list = describeInterfaces([
      { name: 'lo', addresses: [{ addr: '127.0.0.1', netmask: '255.0.0.0' }, { addr: '::1' }], flags: 'PCAP_IF_LOOPBACK' },
      { name: 'any', description: 'Pseudo-device', addresses: [] },
      { name: 'nosuch-if-xyz', addresses: [{}] },
    ]);
    expect(list[0]).toMatchObject({ name: 'lo', loopback: true, addresses: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'ipv4' }, { address: '::1', netmask: null, family: 'ipv6' }] });
    expect(list[1]).toMatchObject({ name: 'any', status: 'up', description: 'Pseudo-device' });
    expect(list[2]).toMatchObject({ status: 'unknown', addresses: [] });
  });
});

describe('temp captures', () => {
  it('creates owned files, offers only orphans for recovery, and accepts only its own paths', () => {
    const dir = join(tmp.dir, 'caps');
    const mine = newCapturePath('eth0', dir);
    expect(existsSync(mine)).toBe(true);
    expect(isTempCapture(mine, dir)).toBe(true);
    expect(isTempCapture('/etc/passwd', dir)).toBe(false);
    expect(isTempCapture(join(dir, '..', 'x.pcapng'), dir)).toBe(false);
    expect(recoverableCaptures(dir)).toEqual([]);
    const orphan = newCapturePath('lo', dir);
    writeFileSync(`${orphan}.owner`, JSON.stringify({ pid: 2 ** 22 + 12345, interface: 'lo', startedMs: 0 }));
    expect(recoverableCaptures(dir).map((r) => [r.path, r.interface])).toEqual([[orphan, 'lo']]);
    expect(removeCapture(orphan)).toBe(true);
    expect(existsSync(`${orphan}.owner`)).toBe(false);
    removeCapture(mine);
  });
});

describe('string arena', () => {
  it('stores UTF-8 as TextEncoder would (a lone surrogate reads back as U+FFFD)', () => {
    const arena = new StringArena();
    const strings = ['80 → 443', 'emoji 😀 pair', 'lone \ud800 high', 'ünïcode ✓', ''];
    for (const s of strings) arena.push(s);
    expect(strings.map((_, i) => arena.get(i))).toEqual(['80 → 443', 'emoji 😀 pair', 'lone \ufffd high', 'ünïcode ✓', '']);
  });

  it('returns every string across sealed (compressed) blocks and the open one', () => {
    let packs = 0;
    const arena = new StringArena((raw) => {
      packs++;
      return raw.slice().reverse();
    }, (packed) => packed.slice().reverse());
    const strings = Array.from({ length: 5000 }, (_, i) => (i % 7 === 0 ? `ünïcode → ${i} ✓` : `${i} → 80 [ACK] Seq=${i * 3}`));
    for (const s of strings) arena.push(s);
    expect(packs).toBe(2);
    expect(arena.length).toBe(5000);
    for (const i of [0, 1, 2047, 2048, 4095, 4096, 4999, 7, 2051]) expect(arena.get(i)).toBe(strings[i]);
    expect(arena.get(5000)).toBe('');
    expect(arena.get(-1)).toBe('');
  });
});

describe('index-only filters', () => {
  const ix = new PacketIndex();
  const add = (flags: number, stream: number, chain: string) =>
    ix.append({ dataOffset: 0, capLen: 60, origLen: 60 + stream, tsSec: 0, tsNsec: 0, iface: 0, protocol: 'X', source: 'a', destination: 'b',
      srcPort: 1, dstPort: 2, stream, flags, color: 0, expert: 0, chain, info: '' });
  add(IndexBit.TCP | AnalysisFlag.RETRANSMISSION | IndexBit.ANALYSIS_FLAGS, 0, 'eth:ethertype:ip:tcp');
  add(IndexBit.TCP | AnalysisFlag.FAST_RETRANSMISSION | IndexBit.ANALYSIS_FLAGS, 1, 'eth:ethertype:ip:tcp:http');
  add(IndexBit.UDP, 0, 'eth:ethertype:ip:udp:dns');
  add(0, -1, 'eth:ethertype:ip:icmp:ip:udp');
  ix.nestedStreams.set(3, [{ kind: 'udp', stream: 0 }]);
  const run = (expr: string) => {
    const f = compileIndexFilter(expr);
    return f ? [0, 1, 2, 3].filter((i) => f.predicate(ix, i)).map((i) => i + 1) : null;
  };

  it('answers stream, protocol, frame and analysis-flag filters from the index', () => {
    expect(run('tcp.stream == 1')).toEqual([2]);
    expect(run('tcp.stream eq 0 or udp.stream eq 0')).toEqual([1, 3, 4]);
    expect(run('udp')).toEqual([3, 4]);
    expect(run('!udp')).toEqual([1, 2]);
    expect(run('http || dns')).toEqual([2, 3]);
    expect(run('tcp.analysis.retransmission')).toEqual([1, 2]);
    expect(run('tcp.analysis.fast_retransmission')).toEqual([2]);
    expect(run('tcp.analysis.flags && frame.number >= 2')).toEqual([2]);
    expect(run('not (frame.number < 2 || frame.number > 3)')).toEqual([2, 3]);
    // Wireshark 4: != is "all not equal" — a packet without the field does not match.
    expect(run('tcp.stream != 0')).toEqual([2]);
    expect(run('frame.len > 60')).toEqual([2]);
  });

  it('uses the filter language itself: sets, all/any, functions', () => {
    expect(run('tcp.stream in {1 5}')).toEqual([2]);
    expect(run('udp.stream == 0 && !tcp')).toEqual([3, 4]);
    expect(run('count(udp.stream) == 1 && frame.number > 3')).toEqual([4]);
    expect(run('frame.len in {60..60}')).toEqual([1, 3]);
  });

  it('leaves everything else to the decoding filters', () => {
    for (const expr of ['ip.src == 10.0.0.1', 'tcp.port == 80', 'tcp.stream == 1 &&', 'http.request.method == "GET"', 'tcp contains "x"', '']) {
      expect(compileIndexFilter(expr), expr).toBeNull();
    }
  });
});

describe('PacketIndex capacity', () => {
  const entry = (i: number) => ({
    dataOffset: i * 100, capLen: 60, origLen: 60, tsSec: i, tsNsec: 0, iface: 0, protocol: 'X', source: 'a', destination: 'b',
    srcPort: 1, dstPort: 2, stream: i, flags: 0, color: 0, expert: 0, chain: 'eth', info: `packet ${i}`,
  });

  it('keeps every packet across reserve, growth past the reservation, and trim', () => {
    const ix = new PacketIndex();
    for (let i = 0; i < 1500; i++) ix.append(entry(i));
    ix.reserve(3000);
    ix.reserve(10); // never shrinks
    expect(ix.dataOffset.length).toBe(3000);
    for (let i = 1500; i < 4000; i++) ix.append(entry(i));
    // 4500 slots for 4000 packets: a small slack is kept (trimming would copy every column).
    ix.trim();
    expect(ix.count).toBe(4000);
    expect(ix.stream.length).toBe(4500);
    for (const i of [0, 1499, 1500, 2999, 3000, 3999]) {
      expect([ix.dataOffset[i], ix.tsSec[i], ix.stream[i], ix.info.get(i)]).toEqual([i * 100, i, i, `packet ${i}`]);
    }
  });

  it('stores offsets and seconds in 32 bits until one does not fit, then widens without losing any', () => {
    const ix = new PacketIndex();
    for (let i = 0; i < 10; i++) ix.append(entry(i));
    expect(ix.dataOffset).toBeInstanceOf(Uint32Array);
    ix.append({ ...entry(10), dataOffset: 5_000_000_123, tsSec: 4_294_967_296 });
    ix.append(entry(11));
    expect(ix.dataOffset).toBeInstanceOf(Float64Array);
    expect(ix.tsSec).toBeInstanceOf(Float64Array);
    expect([ix.dataOffset[9], ix.dataOffset[10], ix.dataOffset[11]]).toEqual([900, 5_000_000_123, 1100]);
    expect([ix.tsSec[9], ix.tsSec[10], ix.tsSec[11]]).toEqual([9, 4_294_967_296, 11]);
  });

  it('stores lengths and interned ids in 16 bits until one does not fit, then widens without losing any', () => {
    const ix = new PacketIndex();
    for (let i = 0; i < 10; i++) ix.append(entry(i));
    for (const c of [ix.capLen, ix.origLen, ix.source, ix.destination, ix.chain]) expect(c).toBeInstanceOf(Uint16Array);
    ix.append({ ...entry(10), capLen: 65_535, origLen: 70_000 });
    expect(ix.capLen).toBeInstanceOf(Uint16Array);
    expect(ix.origLen).toBeInstanceOf(Uint32Array);
    ix.append({ ...entry(11), capLen: 65_536, origLen: 65_536 });
    expect(ix.capLen).toBeInstanceOf(Uint32Array);
    expect([ix.capLen[9], ix.capLen[10], ix.capLen[11]]).toEqual([60, 65_535, 65_536]);
    expect([ix.origLen[9], ix.origLen[10], ix.origLen[11]]).toEqual([60, 70_000, 65_536]);
    // 65,537 distinct addresses and chains: the last ids need 17 bits.
    for (let i = 0; i < 65_537; i++) ix.append({ ...entry(12 + i), source: `s${i}`, destination: `d${i}`, chain: `c${i}` });
    for (const c of [ix.source, ix.destination, ix.chain]) expect(c).toBeInstanceOf(Uint32Array);
    const last = ix.count - 1;
    expect(ix.addresses.get(ix.source[last])).toBe('s65536');
    expect(ix.addresses.get(ix.destination[last])).toBe('d65536');
    expect(ix.chains.get(ix.chain[last])).toBe('c65536');
    expect(ix.addresses.get(ix.source[12])).toBe('s0');
    expect(ix.chains.get(ix.chain[0])).toBe('eth');
  });

  it('trims a reservation the file did not fill to the packets it has', () => {
    const ix = new PacketIndex();
    for (let i = 0; i < 1000; i++) ix.append(entry(i));
    ix.reserve(5000);
    for (let i = 1000; i < 2000; i++) ix.append(entry(i));
    ix.trim();
    expect(ix.count).toBe(2000);
    expect(ix.stream.length).toBe(2000);
    for (const i of [0, 999, 1000, 1999]) {
      expect([ix.dataOffset[i], ix.tsSec[i], ix.stream[i], ix.info.get(i)]).toEqual([i * 100, i, i, `packet ${i}`]);
    }
  });
});
