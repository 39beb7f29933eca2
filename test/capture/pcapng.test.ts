import { describe, expect, it } from 'vitest';
import {
  Bytes,
  concat,
  epb,
  idb,
  opaque,
  outcome,
  parseBytes,
  parseRandomChunks,
  payload,
  pb,
  shb,
  spb,
  strOpt,
} from './helpers.js';
import type { Option } from './helpers.js';

const tsresol = (b: number): Option => [9, Uint8Array.of(b)];
const tsoffset = (le: boolean, s: bigint): Option => [14, new Bytes(le).u64(s).build()];

describe('pcapng', () => {
  for (const le of [true, false]) {
    const order = le ? 'little' : 'big';

    it(`reads SHB/IDB/EPB in ${order}-endian, with interface names and comments`, () => {
      const file = concat(
        shb(le),
        idb(le, 1, 262144, [strOpt(2, 'eth0'), strOpt(3, 'Uplink port')]),
        epb(le, 0, 1700000000_123456n, payload(60), 60, [strOpt(1, 'first'), strOpt(1, 'second')]),
        epb(le, 0, 1700000001_000001n, payload(61), 1000),
      );
      const p = parseBytes(file);
      expect(p.error).toBeUndefined();
      expect(p.result).toMatchObject({ format: 'pcapng', packets: 2 });
      expect(p.result?.warning).toBeUndefined();
      expect(p.interfaces).toEqual([
        {
          id: 0,
          section: 0,
          linkType: 1,
          snapLen: 262144,
          name: 'eth0',
          description: 'Uplink port',
          tsUnitsPerSecond: 1e6,
          tsOffsetSeconds: 0,
          format: 'pcapng',
        },
      ]);
      expect(p.records[0]).toMatchObject({
        number: 1,
        tsSec: 1700000000,
        tsNsec: 123456000,
        capLen: 60,
        origLen: 60,
        comments: ['first', 'second'],
        interfaceId: 0,
        interfaceIndex: 0,
        linkType: 1,
      });
      expect(p.records[1]).toMatchObject({ tsSec: 1700000001, tsNsec: 1000, capLen: 61, origLen: 1000 });
      expect(p.records[1].comments).toBeUndefined();
      expect(Array.from(p.records[1].data)).toEqual(Array.from(payload(61)));
      // SHB 28 + IDB (20 + 8 + 4 + 12 + 12 + 4) → EPB at 88; data 28 bytes into the block.
      const shbLen = shb(le).length;
      const idbLen = idb(le, 1, 262144, [strOpt(2, 'eth0'), strOpt(3, 'Uplink port')]).length;
      expect(p.records[0].recordOffset).toBe(shbLen + idbLen);
      expect(p.records[0].dataOffset).toBe(shbLen + idbLen + 28);
    });

    it(`converts if_tsresol 10^-9 exactly (${order}-endian)`, () => {
      // 1.7e18 ns is far above 2^53: a float division would lose the last digits.
      const file = concat(shb(le), idb(le, 1, 0, [tsresol(9)]), epb(le, 0, 1700000000_987654321n, payload(10)));
      const p = parseBytes(file);
      expect(p.interfaces[0].tsUnitsPerSecond).toBe(1e9);
      expect(p.records[0]).toMatchObject({ tsSec: 1700000000, tsNsec: 987654321 });
    });
  }

  it('converts the largest 64-bit timestamps exactly at µs, ns and 10^-3 resolution', () => {
    const max = 0xffffffffffffffffn;
    const cases: [number, bigint][] = [
      [6, 1000000n],
      [9, 1000000000n],
      [3, 1000n],
      [0, 1n],
    ];
    for (const [res, units] of cases) {
      const opts = res === 6 ? [] : [tsresol(res)];
      const p = parseBytes(concat(shb(true), idb(true, 1, 0, opts), epb(true, 0, max, payload(1)), epb(true, 0, max - 1n, payload(1))));
      for (const [i, ts] of [max, max - 1n].entries()) {
        expect(p.records[i].tsSec).toBe(Number(ts / units));
        expect(p.records[i].tsNsec).toBe(Number(((ts % units) * 1000000000n) / units));
      }
    }
  });

  it('handles the base-2 form of if_tsresol, truncating nanoseconds like wiretap', () => {
    // 2^-20 s units: 3.5 s + 1 unit = 3670017; 1 unit = 953.674… ns → 953.
    const file = concat(
      shb(true),
      idb(true, 1, 0, [tsresol(0x80 | 20)]),
      epb(true, 0, 3n * 1048576n + 524288n + 1n, payload(4)),
      epb(true, 0, 1n, payload(4)),
    );
    const p = parseBytes(file);
    expect(p.interfaces[0].tsUnitsPerSecond).toBe(1048576);
    expect([p.records[0].tsSec, p.records[0].tsNsec]).toEqual([3, 500000953]);
    expect([p.records[1].tsSec, p.records[1].tsNsec]).toEqual([0, 953]);
    // 2^-32: units above 2^32 take the BigInt path.
    const fine = parseBytes(concat(shb(true), idb(true, 1, 0, [tsresol(0x80 | 32)]), epb(true, 0, (5n << 32n) + (1n << 31n), payload(1))));
    expect([fine.records[0].tsSec, fine.records[0].tsNsec]).toEqual([5, 500000000]);
  });

  it('handles if_tsresol 10^-1 … 10^-12', () => {
    for (let e = 1; e <= 12; e++) {
      const units = 10n ** BigInt(e);
      // Keep the count within 64 bits: 1.7e9 s fits up to 10^-10 s units.
      const sec = e <= 10 ? 1700000000n : 1000000n;
      const ts = sec * units + units / 3n;
      const p = parseBytes(concat(shb(true), idb(true, 1, 0, [tsresol(e)]), epb(true, 0, ts, payload(1))));
      expect(p.records[0].tsSec).toBe(Number(sec));
      expect(p.records[0].tsNsec).toBe(Number(((units / 3n) * 1000000000n) / units));
    }
  });

  it('adds if_tsoffset to the seconds (pcapng §4.2)', () => {
    const file = concat(shb(false), idb(false, 1, 0, [tsoffset(false, 1000000000n)]), epb(false, 0, 5_000007n, payload(1)));
    const p = parseBytes(file);
    expect(p.interfaces[0].tsOffsetSeconds).toBe(1000000000);
    expect([p.records[0].tsSec, p.records[0].tsNsec]).toEqual([1000000005, 7000]);
  });

  it('reads several interfaces with different link types in one section', () => {
    const file = concat(
      shb(true),
      idb(true, 1, 65535, [strOpt(2, 'eth0')]),
      idb(true, 113, 65535, [strOpt(2, 'any')]),
      idb(true, 101, 65535, [strOpt(2, 'tun0'), tsresol(9)]),
      epb(true, 2, 1n, payload(20)),
      epb(true, 0, 2n, payload(14)),
      epb(true, 1, 3n, payload(16)),
    );
    const p = parseBytes(file);
    expect(p.records.map((r) => [r.interfaceId, r.interfaceIndex, r.linkType])).toEqual([
      [2, 2, 101],
      [0, 0, 1],
      [1, 1, 113],
    ]);
    expect(p.records[0].tsNsec).toBe(1);
    expect(p.records[1].tsNsec).toBe(2000);
  });

  it('restarts interface numbering in each section, across byte orders', () => {
    const file = concat(
      shb(true),
      idb(true, 1, 0, [strOpt(2, 'a0')]),
      idb(true, 1, 0, [strOpt(2, 'a1')]),
      epb(true, 1, 10n, payload(5)),
      shb(false),
      idb(false, 228, 0, [strOpt(2, 'b0')]),
      epb(false, 0, 20n, payload(6)),
      shb(true),
      idb(true, 229, 0, [strOpt(2, 'c0')]),
      idb(true, 1, 0, [strOpt(2, 'c1')]),
      epb(true, 1, 30n, payload(7)),
      epb(true, 0, 31n, payload(8)),
    );
    const p = parseBytes(file);
    expect(p.interfaces.map((i) => [i.name, i.section, i.id])).toEqual([
      ['a0', 0, 0],
      ['a1', 0, 1],
      ['b0', 1, 0],
      ['c0', 2, 0],
      ['c1', 2, 1],
    ]);
    expect(p.records.map((r) => [r.interfaceId, r.interfaceIndex, r.linkType, r.capLen])).toEqual([
      [1, 1, 1, 5],
      [0, 2, 228, 6],
      [1, 4, 1, 7],
      [0, 3, 229, 8],
    ]);
    expect(outcome(parseBytes(file, 1))).toEqual(outcome(p));
  });

  it('reads Simple Packet Blocks: interface 0, caplen = min(len, snaplen, block), no timestamp', () => {
    const file = concat(
      shb(true),
      idb(true, 1, 64),
      epb(true, 0, 1700000000_000000n, payload(10)),
      spb(true, 100, payload(64)), // snaplen cuts 100 → 64
      spb(true, 30, payload(30)), // len below snaplen
      spb(true, 60, payload(40)), // block holds only 40 of min(60, 64)
    );
    const p = parseBytes(file);
    expect(p.result?.warning).toBeUndefined();
    expect(p.records.slice(1).map((r) => [r.capLen, r.origLen, r.tsSec, r.tsNsec, r.interfaceId])).toEqual([
      [64, 100, 0, 0, 0],
      [30, 30, 0, 0, 0],
      [40, 60, 0, 0, 0],
    ]);
    expect(Array.from(p.records[1].data)).toEqual(Array.from(payload(64)));
    // snaplen 0 = no limit.
    const unlimited = parseBytes(concat(shb(false), idb(false, 1, 0), spb(false, 70, payload(70))));
    expect(unlimited.records[0]).toMatchObject({ capLen: 70, origLen: 70 });
  });

  it('reads the obsolete Packet Block (type 2)', () => {
    for (const le of [true, false]) {
      const file = concat(shb(le), idb(le, 1, 0), idb(le, 113, 0), pb(le, 1, 1600000000_250000n, payload(33), 99));
      const p = parseBytes(file);
      expect(p.records[0]).toMatchObject({ interfaceId: 1, linkType: 113, tsSec: 1600000000, tsNsec: 250000000, capLen: 33, origLen: 99 });
    }
  });

  it('skips NRB, ISB, DSB, custom and unknown blocks, also when split across chunks', () => {
    for (const le of [true, false]) {
      const file = concat(
        shb(le),
        opaque(le, 4, 40), // NRB before any IDB
        idb(le, 1, 0),
        epb(le, 0, 1n, payload(8)),
        opaque(le, 5, 28), // ISB
        opaque(le, 0x0a, 1000), // DSB
        opaque(le, 0x00000bad, 12),
        opaque(le, 0x40000bad, 5000),
        opaque(le, 0x12345678, 0), // unknown, empty body
        opaque(le, 0x80000001, 300000), // unknown, large: skipped, not buffered
        epb(le, 0, 2n, payload(9)),
      );
      const whole = parseBytes(file);
      expect(whole.result?.warning).toBeUndefined();
      expect(whole.records.map((r) => r.capLen)).toEqual([8, 9]);
      expect(outcome(parseBytes(file, 1))).toEqual(outcome(whole));
      expect(outcome(parseBytes(file, 4096))).toEqual(outcome(whole));
      for (let seed = 1; seed <= 5; seed++) expect(outcome(parseRandomChunks(file, seed, 3000))).toEqual(outcome(whole));
    }
  });

  it('accepts SHB version 1.2 and drops trailing NULs of string options', () => {
    const nul: Option = [2, Uint8Array.of(0x65, 0x6d, 0x30, 0, 0)];
    const p = parseBytes(concat(shb(true, [strOpt(1, 'section comment')], { minor: 2 }), idb(true, 1, 0, [nul]), epb(true, 0, 1n, payload(3))));
    expect(p.interfaces[0].name).toBe('em0');
    expect(p.records).toHaveLength(1);
  });

  it('keeps the packet when its option list is malformed', () => {
    // An option claiming 200 bytes inside a 12-byte option area: the option walk stops.
    const bad: Option = [1, payload(4)];
    const file = concat(shb(true), idb(true, 1, 0), epb(true, 0, 1n, payload(8), 8, [bad]));
    // Patch the option's length field (after 28 + 8 bytes of the EPB) to 200.
    const epbStart = file.length - epb(true, 0, 1n, payload(8), 8, [bad]).length;
    file[epbStart + 28 + 8 + 2] = 200;
    const p = parseBytes(file);
    expect(p.result?.warning).toBeUndefined();
    expect(p.records).toHaveLength(1);
    expect(p.records[0].comments).toBeUndefined();
  });

  it('gives the same result for 1-byte chunks, random chunks and the whole file', () => {
    const file = concat(
      shb(true, [strOpt(1, 'c')]),
      idb(true, 1, 0, [strOpt(2, 'eth0'), tsresol(9)]),
      epb(true, 0, 1700000000_000000001n, payload(1514), 1514, [strOpt(1, 'hello')]),
      spb(true, 3, payload(3)),
      pb(true, 0, 5n, payload(7)),
      shb(false),
      idb(false, 1, 0),
      epb(false, 0, 7n, payload(100)),
    );
    const whole = outcome(parseBytes(file));
    expect(outcome(parseBytes(file, 1))).toEqual(whole);
    expect(outcome(parseBytes(file, 2))).toEqual(whole);
    expect(outcome(parseBytes(file, 3))).toEqual(whole);
    for (let seed = 1; seed <= 10; seed++) expect(outcome(parseRandomChunks(file, seed))).toEqual(whole);
  });
});
