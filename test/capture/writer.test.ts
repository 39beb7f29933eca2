import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readCaptureFileSync } from '../../src/capture/read-node.js';
import { copyRecord } from '../../src/capture/record.js';
import type { CaptureInterface, PacketRecord } from '../../src/capture/types.js';
import { CaptureFileWriter, appendToFd, writeCaptureFileSync } from '../../src/capture/write-node.js';
import { PcapWriter, PcapngWriter, pcapngChunks, tsresolFor } from '../../src/capture/writer.js';
import { concat, epb, idb, parseBytes, payload, shb, spb, strOpt } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'wirescope-writer-'));

/** Everything a round trip must keep (file offsets naturally change). */
function essence(r: PacketRecord) {
  return {
    number: r.number,
    interfaceIndex: r.interfaceIndex,
    interfaceId: r.interfaceId,
    linkType: r.linkType,
    tsSec: r.tsSec,
    tsNsec: r.tsNsec,
    capLen: r.capLen,
    origLen: r.origLen,
    data: Array.from(r.data),
    comments: r.comments,
  };
}

function readFile(path: string): { recs: PacketRecord[]; ifaces: CaptureInterface[] } {
  const recs: PacketRecord[] = [];
  const r = readCaptureFileSync(path, (rec) => recs.push(copyRecord(rec)));
  expect(r.warning).toBeUndefined();
  return { recs, ifaces: r.interfaces };
}

describe('PcapngWriter', () => {
  for (const le of [true, false]) {
    it(`writes SHB, IDBs (name, description, tsresol) and EPBs with comments (${le ? 'LE' : 'BE'})`, () => {
      const w = new PcapngWriter({ littleEndian: le, userAppl: 'Wirescope test', comment: 'made by a test' });
      const bytes = concat(
        w.sectionHeader(),
        w.interfaceBlock({ linkType: 1, name: 'eth0', description: 'wired', tsresol: 9 }),
        w.interfaceBlock({ linkType: 113, snapLen: 96, name: 'any' }),
        w.packet({ interfaceId: 0, tsSec: 1700000000, tsNsec: 123456789, data: payload(60), comments: ['hello', 'wörld ✓'] }),
        w.packet({ interfaceId: 1, tsSec: 1700000001, tsNsec: 999999999, data: payload(33), origLen: 1500 }),
      );
      const p = parseBytes(bytes, 5);
      expect(p.result?.warning).toBeUndefined();
      expect(p.interfaces).toEqual([
        { id: 0, section: 0, linkType: 1, snapLen: 262144, name: 'eth0', description: 'wired', tsUnitsPerSecond: 1e9, tsOffsetSeconds: 0, format: 'pcapng' },
        { id: 1, section: 0, linkType: 113, snapLen: 96, name: 'any', tsUnitsPerSecond: 1e6, tsOffsetSeconds: 0, format: 'pcapng' },
      ]);
      expect(p.records.map(essence)).toEqual([
        { number: 1, interfaceIndex: 0, interfaceId: 0, linkType: 1, tsSec: 1700000000, tsNsec: 123456789, capLen: 60, origLen: 60, data: Array.from(payload(60)), comments: ['hello', 'wörld ✓'] },
        // The µs interface keeps microseconds: 999 999 999 ns → 999 999 000.
        { number: 2, interfaceIndex: 1, interfaceId: 1, linkType: 113, tsSec: 1700000001, tsNsec: 999999000, capLen: 33, origLen: 1500, data: Array.from(payload(33)), comments: undefined },
      ]);
    });
  }

  it('round-trips if_tsoffset and base-2 resolutions', () => {
    const w = new PcapngWriter();
    const bytes = concat(
      w.sectionHeader(),
      w.interfaceBlock({ linkType: 1, tsresol: 0x80 | 10, tsOffsetSeconds: 1600000000 }),
      w.packet({ tsSec: 1600000012, tsNsec: 500000000, data: payload(4) }),
    );
    const p = parseBytes(bytes);
    expect(p.interfaces[0]).toMatchObject({ tsUnitsPerSecond: 1024, tsOffsetSeconds: 1600000000 });
    expect([p.records[0].tsSec, p.records[0].tsNsec]).toEqual([1600000012, 500000000]);
  });

  it('refuses a packet for an interface the section has not described', () => {
    const w = new PcapngWriter();
    w.sectionHeader();
    w.interfaceBlock({ linkType: 1 });
    expect(() => w.packet({ interfaceId: 1, tsSec: 0, tsNsec: 0, data: payload(1) })).toThrow(RangeError);
    w.sectionHeader();
    expect(() => w.packet({ interfaceId: 0, tsSec: 0, tsNsec: 0, data: payload(1) })).toThrow(/0 interface/);
  });

  it('maps units per second to if_tsresol', () => {
    expect([1e6, 1e9, 1e3, 1, 1024, 2 ** 30, 12345].map(tsresolFor)).toEqual([6, 9, 3, 0, 0x8a, 0x9e, 9]);
  });
});

describe('PcapWriter', () => {
  for (const nanosecond of [false, true]) {
    for (const littleEndian of [true, false]) {
      it(`round-trips ${nanosecond ? 'ns' : 'µs'} ${littleEndian ? 'LE' : 'BE'} files`, () => {
        const w = new PcapWriter({ linkType: 101, snapLen: 2000, nanosecond, littleEndian });
        const pkts = [
          { tsSec: 1, tsNsec: 1999, data: payload(20) },
          { tsSec: 4000000000, tsNsec: 999999999, data: payload(1500, 9), origLen: 9000 },
        ];
        const p = parseBytes(concat(w.fileHeader(), ...pkts.map((x) => w.packet(x))));
        expect(p.interfaces[0]).toMatchObject({ linkType: 101, snapLen: 2000, tsUnitsPerSecond: nanosecond ? 1e9 : 1e6 });
        expect(p.records.map((r) => [r.tsSec, r.tsNsec, r.capLen, r.origLen])).toEqual([
          [1, nanosecond ? 1999 : 1000, 20, 20],
          [4000000000, nanosecond ? 999999999 : 999999000, 1500, 9000],
        ]);
        expect(Array.from(p.records[1].data)).toEqual(Array.from(payload(1500, 9)));
      });
    }
  }

  it('rejects timestamps that do not fit the 32-bit seconds field', () => {
    const w = new PcapWriter({ linkType: 1 });
    expect(() => w.packet({ tsSec: 2 ** 32, tsNsec: 0, data: payload(1) })).toThrow(RangeError);
  });
});

describe('round trips through files: read → write → read gives identical records', () => {
  it('a multi-section, mixed-byte-order pcapng with SPBs and comments', () => {
    const src = join(tmp, 'multi.pcapng');
    writeCaptureFileSync(src, [
      concat(
        shb(true),
        idb(true, 1, 0, [strOpt(2, 'a0'), [9, Uint8Array.of(9)]]),
        epb(true, 0, 1700000000_000000001n, payload(70), 70, [strOpt(1, 'note')]),
        shb(false),
        idb(false, 228, 64, [strOpt(2, 'b0'), strOpt(3, 'tunnel')]),
        idb(false, 1, 0),
        epb(false, 1, 1700000001_000002n, payload(80)),
        spb(false, 100, payload(64)),
      ),
    ]);
    const first = readFile(src);
    const out = join(tmp, 'multi-rewritten.pcapng');
    writeCaptureFileSync(out, pcapngChunks(first.ifaces, first.recs));
    const second = readFile(out);
    expect(second.ifaces).toEqual(first.ifaces);
    // SPBs carry no timestamp; written back as EPBs they keep 0.
    expect(second.recs.map(essence)).toEqual(first.recs.map(essence));
  });

  const fixtures = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures');
  const fixtureFiles = existsSync(fixtures) ? readdirSync(fixtures).filter((f) => /\.pcap(ng)?$/.test(f)) : [];
  it.skipIf(fixtureFiles.length === 0)('every recorded fixture, as pcapng and (single interface) as pcap', () => {
    for (const f of fixtureFiles) {
      const first = readFile(join(fixtures, f));
      const ng = join(tmp, `${f}.rewritten.pcapng`);
      writeCaptureFileSync(ng, pcapngChunks(first.ifaces, first.recs));
      const second = readFile(ng);
      // A classic pcap's records have no interface id (-1); in pcapng they are on interface 0.
      const asNg = (r: ReturnType<typeof essence>) => ({ ...r, interfaceId: Math.max(0, r.interfaceId) });
      const noFormat = ({ format: _f, ...rest }: (typeof first.ifaces)[number]) => rest;
      expect(second.recs.map(essence), f).toEqual(first.recs.map(essence).map(asNg));
      expect(second.ifaces.map(noFormat), f).toEqual(first.ifaces.map(noFormat));
      if (first.ifaces.length === 1) {
        const i = first.ifaces[0];
        const w = new PcapWriter({ linkType: i.linkType, snapLen: i.snapLen, nanosecond: i.tsUnitsPerSecond === 1e9 });
        const pcap = join(tmp, `${f}.rewritten.pcap`);
        writeCaptureFileSync(pcap, [w.fileHeader(), ...first.recs.map((r) => w.packet(r))]);
        const third = readFile(pcap);
        const asPcap = (r: ReturnType<typeof essence>) => ({ ...r, interfaceId: -1 });
        expect(third.recs.map(essence), f).toEqual(first.recs.map(essence).map(asPcap));
      }
    }
  });
});

describe('write-node', () => {
  it('appends to a file chunk by chunk (live-capture temp file) and re-reads it at any point', () => {
    const path = join(tmp, 'live.pcapng');
    const out = CaptureFileWriter.create(path);
    const w = new PcapngWriter();
    out.write(w.sectionHeader());
    out.write(w.interfaceBlock({ linkType: 1, name: 'eth0', tsresol: 9 }));
    for (let i = 0; i < 5; i++) {
      out.write(w.packet({ tsSec: 1700000000 + i, tsNsec: i, data: payload(64 + i, i) }));
      out.sync();
      expect(readFile(path).recs).toHaveLength(i + 1);
    }
    out.close();
    expect(out.bytesWritten).toBe(statSync(path).size);
    // Reopened in append mode, more packets go to the end.
    const again = CaptureFileWriter.create(path, { append: true });
    again.write(w.packet({ tsSec: 1700000009, tsNsec: 9, data: payload(10) }));
    again.close();
    expect(readFile(path).recs.map((r) => r.tsSec)).toEqual([1700000000, 1700000001, 1700000002, 1700000003, 1700000004, 1700000009]);
  });

  it('writes to a descriptor it does not own', () => {
    const path = join(tmp, 'fd.pcap');
    const fd = openSync(path, 'w');
    const w = new PcapWriter({ linkType: 1 });
    appendToFd(fd, w.fileHeader());
    const sink = CaptureFileWriter.fromFd(fd);
    sink.write(w.packet({ tsSec: 5, tsNsec: 6000, data: payload(14) }));
    sink.close();
    appendToFd(fd, w.packet({ tsSec: 7, tsNsec: 0, data: payload(14) })); // still open
    closeSync(fd);
    expect(readFile(path).recs.map((r) => [r.tsSec, r.tsNsec])).toEqual([
      [5, 6000],
      [7, 0],
    ]);
  });

  it('reports an unwritable path as a CaptureFileError of kind io', () => {
    expect(() => CaptureFileWriter.create(join(tmp, 'no-such-dir', 'x.pcap'))).toThrow(/cannot create the file: its directory does not exist/);
  });
});
