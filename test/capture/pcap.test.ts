import { describe, expect, it } from 'vitest';
import { outcome, parseBytes, payload, pcapFile, pcapHeader, pcapRecord } from './helpers.js';
import { concat } from './helpers.js';

const recs = [
  { sec: 1700000000, frac: 123456, data: payload(60, 1) },
  { sec: 1700000001, frac: 999999, data: payload(1514, 2) },
  { sec: 1700000002, frac: 0, data: payload(1, 3), origLen: 9000 },
];

describe('classic pcap', () => {
  for (const le of [true, false]) {
    it(`reads microsecond files, ${le ? 'little' : 'big'}-endian`, () => {
      const file = pcapFile({ le, snapLen: 65535, network: 1 }, recs);
      const p = parseBytes(file);
      expect(p.error).toBeUndefined();
      expect(p.result).toMatchObject({ format: 'pcap', packets: 3, bytesRead: file.length });
      expect(p.result?.warning).toBeUndefined();
      expect(p.interfaces).toEqual([
        { id: 0, section: 0, linkType: 1, snapLen: 65535, tsUnitsPerSecond: 1e6, tsOffsetSeconds: 0, format: 'pcap' },
      ]);
      expect(p.records.map((r) => [r.number, r.tsSec, r.tsNsec, r.capLen, r.origLen])).toEqual([
        [1, 1700000000, 123456000, 60, 60],
        [2, 1700000001, 999999000, 1514, 1514],
        [3, 1700000002, 0, 1, 9000],
      ]);
      expect(Array.from(p.records[1].data)).toEqual(Array.from(payload(1514, 2)));
      // Offsets: 24-byte file header, 16-byte record headers.
      expect(p.records.map((r) => [r.recordOffset, r.dataOffset])).toEqual([
        [24, 40],
        [100, 116],
        [1630, 1646],
      ]);
      for (const r of p.records) {
        expect(r).toMatchObject({ interfaceIndex: 0, interfaceId: -1, linkType: 1 });
        expect(r.comments).toBeUndefined();
      }
    });

    it(`reads nanosecond files (magic 0xa1b23c4d), ${le ? 'little' : 'big'}-endian`, () => {
      const p = parseBytes(pcapFile({ le, nanos: true }, [{ sec: 1600000000, frac: 999999999, data: payload(42) }]));
      expect(p.interfaces[0].tsUnitsPerSecond).toBe(1e9);
      expect(p.records[0]).toMatchObject({ tsSec: 1600000000, tsNsec: 999999999, capLen: 42 });
    });
  }

  it('accepts any snaplen, and caplen above the snaplen (libwiretap does)', () => {
    const p = parseBytes(pcapFile({ snapLen: 68 }, [{ sec: 1, frac: 0, data: payload(1500) }]));
    expect(p.interfaces[0].snapLen).toBe(68);
    expect(p.records[0].capLen).toBe(1500);
    expect(p.result?.warning).toBeUndefined();
  });

  it('accepts caplen up to 262144 and caplen > len as stored', () => {
    const big = payload(262144);
    const p = parseBytes(pcapFile({ snapLen: 262144 }, [{ sec: 1, frac: 0, data: big, origLen: 10 }]));
    expect(p.records[0]).toMatchObject({ capLen: 262144, origLen: 10 });
  });

  it('masks the FCS bits of the link-type field (pcap §4)', () => {
    // FCS-length 2 (32 bits) with the "present" bit 26, link type 1.
    const p = parseBytes(pcapFile({ network: 0x24000001 }, [{ sec: 1, frac: 0, data: payload(4) }]));
    expect(p.interfaces[0].linkType).toBe(1);
    expect(p.records[0].linkType).toBe(1);
  });

  it('lists frames of link types it has no decoder for', () => {
    const p = parseBytes(pcapFile({ network: 282 }, [{ sec: 1, frac: 0, data: payload(4) }]));
    expect(p.records[0].linkType).toBe(282);
  });

  it('carries a fraction of one second or more into the seconds', () => {
    const p = parseBytes(
      pcapFile({}, [
        { sec: 10, frac: 1000000, data: payload(1) },
        { sec: 10, frac: 4294967295, data: payload(1) },
      ]),
    );
    expect(p.records.map((r) => [r.tsSec, r.tsNsec])).toEqual([
      [11, 0],
      [10 + 4294, 967295000],
    ]);
    const n = parseBytes(pcapFile({ nanos: true }, [{ sec: 10, frac: 1500000000, data: payload(1) }]));
    expect([n.records[0].tsSec, n.records[0].tsNsec]).toEqual([11, 500000000]);
  });

  it('reads version 2.2 files with caplen/len swapped, and 2.3 ones when caplen > len (wiretap)', () => {
    const swapped = concat(
      pcapHeader({ minor: 2 }),
      pcapRecord({ sec: 1, frac: 0, data: payload(20), capLen: 60, origLen: 20 }),
    );
    // The record header says (caplen 60, len 20); in 2.2 those are (len, caplen).
    expect(parseBytes(swapped).records[0]).toMatchObject({ capLen: 20, origLen: 60 });
    const maybe = concat(
      pcapHeader({ minor: 3 }),
      pcapRecord({ sec: 1, frac: 0, data: payload(20), capLen: 60, origLen: 20 }),
      pcapRecord({ sec: 1, frac: 0, data: payload(20), capLen: 20, origLen: 60 }),
    );
    expect(parseBytes(maybe).records.map((r) => [r.capLen, r.origLen])).toEqual([
      [20, 60],
      [20, 60],
    ]);
  });

  it('reads a header-only file as zero packets', () => {
    const p = parseBytes(pcapHeader());
    expect(p.result).toMatchObject({ packets: 0, bytesRead: 24 });
    expect(p.result?.warning).toBeUndefined();
  });

  it('gives the same result for 1-byte chunks, random chunks and the whole file', () => {
    const file = pcapFile({ le: false }, recs);
    const whole = outcome(parseBytes(file));
    expect(outcome(parseBytes(file, 1))).toEqual(whole);
    expect(outcome(parseBytes(file, 17))).toEqual(whole);
  });
});
