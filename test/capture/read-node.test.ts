import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, createReadStream, mkdirSync, mkdtempSync, openSync, closeSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../helpers/fixtures.js';
import { describe, expect, it } from 'vitest';
import { CaptureFile, ioError, readCaptureFileSync, readCaptureStream, readPacketBytes } from '../../src/capture/read-node.js';
import { copyRecord } from '../../src/capture/record.js';
import { CaptureFileError } from '../../src/capture/types.js';
import type { PacketRecord } from '../../src/capture/types.js';
import { concat, epb, idb, payload, pcapFile, pcapRecord, shb, strOpt } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'wirescope-read-'));
const recs = Array.from({ length: 50 }, (_, i) => ({ sec: 1700000000 + i, frac: i * 1000, data: payload(40 + ((i * 37) % 1400), i) }));
const pcapPath = join(tmp, 'a.pcap');
writeFileSync(pcapPath, pcapFile({}, recs));
const ngPath = join(tmp, 'b.pcapng');
writeFileSync(
  ngPath,
  concat(shb(true), idb(true, 1, 0, [strOpt(2, 'eth0')]), ...recs.map((r, i) => epb(true, 0, BigInt(r.sec) * 1000000n + BigInt(i), r.data, r.data.length, i % 7 === 0 ? [strOpt(1, `c${i}`)] : []))),
);

function collect(path: string, chunkSize?: number): PacketRecord[] {
  const out: PacketRecord[] = [];
  readCaptureFileSync(path, (r) => out.push(copyRecord(r)), chunkSize ? { chunkSize } : {});
  return out;
}

describe('readCaptureFileSync', () => {
  it('reads pcap and pcapng files with any chunk size', () => {
    for (const path of [pcapPath, ngPath]) {
      const whole = collect(path);
      expect(whole).toHaveLength(50);
      for (const c of [1, 7, 4096, 1 << 20]) expect(collect(path, c)).toEqual(whole);
    }
  });

  it('reports interfaces through onInterface before their packets', () => {
    const events: string[] = [];
    const r = readCaptureFileSync(ngPath, (rec) => events.push(`p${rec.number}`), { onInterface: (i) => events.push(`i${i.name}`) });
    expect(events.slice(0, 2)).toEqual(['ieth0', 'p1']);
    expect(r).toMatchObject({ format: 'pcapng', packets: 50 });
  });

  it('returns the packets before the damage of a truncated file, with a warning', () => {
    const path = join(tmp, 'cut.pcap');
    const full = pcapFile({}, recs.slice(0, 3));
    writeFileSync(path, concat(full, pcapRecord(recs[3]).subarray(0, 30)));
    const got: number[] = [];
    const r = readCaptureFileSync(path, (rec) => got.push(rec.number), { chunkSize: 64 });
    expect(got).toEqual([1, 2, 3]);
    expect(r.warning).toBeInstanceOf(CaptureFileError);
    expect(r.warning).toMatchObject({ kind: 'truncated', offset: full.length, file: path, packetsRead: 3 });
  });

  it('throws CaptureFileError for an empty file and for a non-capture', () => {
    const empty = join(tmp, 'empty.pcap');
    writeFileSync(empty, '');
    expect(() => readCaptureFileSync(empty, () => {})).toThrow(expect.objectContaining({ kind: 'empty', file: empty }));
    const text = join(tmp, 'notes.txt');
    writeFileSync(text, 'hello world');
    expect(() => readCaptureFileSync(text, () => {})).toThrow(/neither a pcap nor a pcapng/);
  });

  it('maps IO errors to kind io with a clear sentence', () => {
    const missing = join(tmp, 'missing.pcap');
    expect(() => readCaptureFileSync(missing, () => {})).toThrow(
      expect.objectContaining({ kind: 'io', message: `${missing}: cannot open the file: it does not exist (at byte offset 0)` }),
    );
    const dir = join(tmp, 'a-directory');
    mkdirSync(dir);
    expect(() => readCaptureFileSync(dir, () => {})).toThrow(expect.objectContaining({ kind: 'io', message: expect.stringContaining('it is a directory') }));
    expect(ioError('f', Object.assign(new Error('x'), { code: 'EACCES' })).message).toContain('permission denied');
  });

  it('reports permission denied', () => {
    const locked = join(tmp, 'locked.pcap');
    writeFileSync(locked, pcapFile({}, recs.slice(0, 1)));
    chmodSync(locked, 0o000);
    if (process.getuid?.() !== 0) {
      expect(() => readCaptureFileSync(locked, () => {})).toThrow(expect.objectContaining({ kind: 'io', message: expect.stringContaining('permission denied') }));
      return;
    }
    // Root reads any file: drop to nobody in a child process so the kernel really says EACCES.
    chmodSync(tmp, 0o755);
    const reader = pathToFileURL(join(repoRoot, 'src/capture/read-node.ts')).href;
    const script = `process.setgid(65534); process.setuid(65534);
      const { readCaptureFileSync } = await import(${JSON.stringify(reader)});
      try { readCaptureFileSync(${JSON.stringify(locked)}, () => {}); console.log('read'); }
      catch (e) { console.log(JSON.stringify({ kind: e.kind, message: e.message })); }`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repoRoot, encoding: 'utf8' });
    const out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { kind?: string; message?: string };
    expect(out.kind, r.stderr).toBe('io');
    expect(out.message).toContain('permission denied');
  });
});

describe('readCaptureStream', () => {
  it('reads from fs.createReadStream like the sync reader', async () => {
    for (const path of [pcapPath, ngPath]) {
      const got: PacketRecord[] = [];
      const r = await readCaptureStream(createReadStream(path, { highWaterMark: 333 }), path, (rec) => got.push(copyRecord(rec)));
      expect(r.packets).toBe(50);
      expect(got).toEqual(collect(path));
    }
  });

  it('reads from a child process pipe', async () => {
    const child = spawn('cat', [ngPath]);
    const got: number[] = [];
    const r = await readCaptureStream(child.stdout, 'cat | wirescope', (rec) => got.push(rec.capLen));
    expect(got).toEqual(recs.map((x) => x.data.length));
    expect(r.interfaces[0].name).toBe('eth0');
  });

  it('reads an async generator that trickles bytes, and stops pulling after damage', async () => {
    const bytes = concat(pcapFile({}, recs.slice(0, 2)), pcapRecord({ sec: 1, frac: 0, data: payload(4), capLen: 999999 }), new Uint8Array(100000));
    let pulled = 0;
    async function* source() {
      for (let i = 0; i < bytes.length; i += 10) {
        pulled += 10;
        yield bytes.subarray(i, i + 10);
      }
    }
    const r = await readCaptureStream(source(), 'gen', () => {});
    expect(r.packets).toBe(2);
    expect(r.warning?.kind).toBe('bad-caplen');
    expect(pulled).toBeLessThan(2000);
  });

  it('turns a stream error into CaptureFileError io', async () => {
    const missing = join(tmp, 'nope.pcap');
    await expect(readCaptureStream(createReadStream(missing), missing, () => {})).rejects.toMatchObject({ kind: 'io', file: missing });
  });
});

describe('random access', () => {
  it('re-reads every packet by its recorded offset', () => {
    for (const path of [pcapPath, ngPath]) {
      const all = collect(path);
      const f = CaptureFile.open(path);
      try {
        for (const rec of [all[49], all[0], all[17]]) {
          expect(Array.from(f.readPacket(rec))).toEqual(Array.from(rec.data));
          expect(Array.from(f.readPacket(rec.dataOffset, rec.capLen))).toEqual(Array.from(rec.data));
        }
      } finally {
        f.close();
      }
      expect(() => f.readPacket(all[0])).toThrow(/closed/);
    }
  });

  it('readPacketBytes on a raw descriptor, and a clear error past the end', () => {
    const all = collect(pcapPath);
    const fd = openSync(pcapPath, 'r');
    try {
      expect(Array.from(readPacketBytes(fd, all[3].dataOffset, all[3].capLen))).toEqual(Array.from(all[3].data));
      expect(() => readPacketBytes(fd, all[49].dataOffset, all[49].capLen + 10, pcapPath)).toThrow(expect.objectContaining({ kind: 'truncated' }));
    } finally {
      closeSync(fd);
    }
  });

  it('opening a missing file is a CaptureFileError', () => {
    expect(() => CaptureFile.open(join(tmp, 'gone.pcap'))).toThrow(CaptureFileError);
  });
});
