import { describe, expect, it } from 'vitest';
import { CaptureStreamParser } from '../../src/capture/parser.js';
import { CaptureFileError } from '../../src/capture/types.js';
import {
  block,
  concat,
  epb,
  idb,
  opaque,
  outcome,
  parseBytes,
  payload,
  pcapFile,
  pcapHeader,
  pcapRecord,
  shb,
  spb,
} from './helpers.js';
import type { Parsed } from './helpers.js';

/** Parses whole and byte by byte; both must agree. Returns the whole-file parse. */
function parseBoth(bytes: Uint8Array): Parsed {
  const whole = parseBytes(bytes);
  expect(outcome(parseBytes(bytes, 1))).toEqual(outcome(whole));
  return whole;
}

function thrown(p: Parsed): CaptureFileError {
  expect(p.result).toBeUndefined();
  expect(p.error).toBeInstanceOf(CaptureFileError);
  return p.error!;
}

function warned(p: Parsed): CaptureFileError {
  expect(p.error).toBeUndefined();
  expect(p.result?.warning).toBeInstanceOf(CaptureFileError);
  return p.result!.warning!;
}

const twoRecords = [
  { sec: 1, frac: 1, data: payload(50) },
  { sec: 2, frac: 2, data: payload(70) },
];

describe('bad files: fatal before any packet (thrown)', () => {
  it('empty file', () => {
    const e = thrown(parseBoth(new Uint8Array(0)));
    expect(e).toMatchObject({ kind: 'empty', offset: 0, file: 'test.pcap' });
    expect(e.message).toBe('test.pcap: the file is empty (0 bytes), so it holds no capture (at byte offset 0)');
  });

  it('not a capture: names the first bytes and both formats', () => {
    const e = thrown(parseBoth(new TextEncoder().encode('PK\x03\x04 this is a zip')));
    expect(e.kind).toBe('not-a-capture');
    expect(e.offset).toBe(0);
    expect(e.message).toContain('50 4b 03 04');
    expect(e.message).toContain('neither a pcap nor a pcapng');
  });

  it('not a capture: gzip gets a hint', () => {
    const e = thrown(parseBoth(Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0, 0, 0)));
    expect(e.kind).toBe('not-a-capture');
    expect(e.message).toContain('gzip');
  });

  it('not a capture: shorter than any magic', () => {
    const e = thrown(parseBoth(Uint8Array.of(0xd4, 0xc3)));
    expect(e.kind).toBe('not-a-capture');
    expect(e.message).toContain('only 2 byte(s) long');
  });

  it('pcap header cut short', () => {
    const e = thrown(parseBoth(pcapHeader().subarray(0, 10)));
    expect(e).toMatchObject({ kind: 'truncated', offset: 0 });
    expect(e.message).toContain('inside the 24-byte pcap file header (only 10 bytes present)');
  });

  it('pcap version 1.x is unsupported', () => {
    const e = thrown(parseBoth(pcapFile({ major: 1, minor: 0 }, twoRecords)));
    expect(e).toMatchObject({ kind: 'unsupported', offset: 4 });
    expect(e.message).toContain('version 1.0');
  });

  it('pcap link-type field with reserved bits set', () => {
    const e = thrown(parseBoth(pcapFile({ network: 0x00010001 }, twoRecords)));
    expect(e).toMatchObject({ kind: 'unsupported', offset: 20 });
    expect(e.message).toContain('reserved bits');
  });

  it('pcapng SHB with an unknown byte-order magic', () => {
    const f = shb(true);
    f.set([1, 2, 3, 4], 8);
    const e = thrown(parseBoth(f));
    expect(e).toMatchObject({ kind: 'not-a-capture', offset: 8 });
    expect(e.message).toContain('byte-order magic 0x04030201');
  });

  it('pcapng SHB cut short', () => {
    const e = thrown(parseBoth(shb(true).subarray(0, 20)));
    expect(e).toMatchObject({ kind: 'truncated', offset: 0 });
    expect(e.message).toContain('Section Header Block');
  });

  it('pcapng major version 2, and minor version 1 (tshark 4.0 reads only 1.0 and 1.2 too)', () => {
    const e = thrown(parseBoth(concat(shb(true, [], { major: 2 }), idb(true, 1, 0))));
    expect(e).toMatchObject({ kind: 'unsupported', offset: 12 });
    expect(thrown(parseBoth(concat(shb(true, [], { minor: 1 }), idb(true, 1, 0)))).message).toContain('pcapng version 1.1 is not supported (1.0 and 1.2 are)');
  });

  it('pcapng SHB shorter than its minimum', () => {
    const e = thrown(parseBoth(block(true, 0x0a0d0d0a, new Uint8Array([0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0]))));
    expect(e).toMatchObject({ kind: 'bad-block-length', offset: 4 });
    expect(e.message).toContain('shorter than the 28-byte minimum');
  });
});

describe('bad files: damage after the header (warning, packets before it kept)', () => {
  it('pcap truncated in the middle of packet data', () => {
    const full = pcapFile({}, twoRecords);
    const third = pcapRecord({ sec: 3, frac: 3, data: payload(100) });
    const p = parseBoth(concat(full, third.subarray(0, 16 + 30)));
    const w = warned(p);
    expect(w).toMatchObject({ kind: 'truncated', offset: full.length, packetsRead: 2 });
    expect(w.message).toBe(
      `test.pcap: the file ends in the middle of a packet: the record header announces 100 bytes of packet data but only 30 are present (at byte offset ${full.length})`,
    );
    expect(p.records.map((r) => r.capLen)).toEqual([50, 70]);
    expect(p.result?.packets).toBe(2);
  });

  it('pcap truncated in the middle of a record header', () => {
    const full = pcapFile({ le: false }, twoRecords);
    const p = parseBoth(concat(full, new Uint8Array(7)));
    const w = warned(p);
    expect(w).toMatchObject({ kind: 'truncated', offset: full.length, packetsRead: 2 });
    expect(w.message).toContain('record header (7 of 16 bytes present)');
  });

  it('pcap truncated inside the first record: zero packets, still a warning', () => {
    const p = parseBoth(concat(pcapHeader(), pcapRecord(twoRecords[0]).subarray(0, 20)));
    expect(warned(p)).toMatchObject({ kind: 'truncated', offset: 24, packetsRead: 0 });
  });

  it('pcap caplen absurd (over 256 KiB): stops there', () => {
    const full = pcapFile({}, twoRecords);
    const bad = pcapRecord({ sec: 3, frac: 0, data: payload(10), capLen: 300000 });
    const after = pcapRecord({ sec: 4, frac: 0, data: payload(10) });
    const p = parseBoth(concat(full, bad, after));
    const w = warned(p);
    expect(w).toMatchObject({ kind: 'bad-caplen', offset: full.length, packetsRead: 2 });
    expect(w.message).toContain('claims 300000 captured bytes, more than the maximum of 262144');
    expect(p.records).toHaveLength(2);
  });

  it('pcap caplen 262145 on D-Bus (link type 231) is fine, 128 MiB is the limit there', () => {
    const p = parseBytes(pcapFile({ network: 231 }, [{ sec: 1, frac: 0, data: payload(262145) }]));
    expect(p.records[0].capLen).toBe(262145);
    const q = parseBytes(concat(pcapHeader({ network: 231 }), pcapRecord({ sec: 1, frac: 0, data: payload(1), capLen: 134217729 })));
    expect(warned(q).kind).toBe('bad-caplen');
  });

  const ng = (...blocks: Uint8Array[]) => concat(shb(true), idb(true, 1, 0), epb(true, 0, 1n, payload(10)), ...blocks);
  const prefix = ng().length;

  it('pcapng block length shorter than the block minimum', () => {
    const p = parseBoth(ng(block(true, 6, payload(8))));
    const w = warned(p);
    expect(w).toMatchObject({ kind: 'bad-block-length', offset: prefix + 4, packetsRead: 1 });
    expect(w.message).toContain('Enhanced Packet Block has block length 20, shorter than the 32-byte minimum');
  });

  it('pcapng block length under 12', () => {
    const bad = new Uint8Array(16);
    new DataView(bad.buffer).setUint32(0, 4, true);
    new DataView(bad.buffer).setUint32(4, 8, true);
    const w = warned(parseBoth(ng(bad)));
    expect(w).toMatchObject({ kind: 'bad-block-length', offset: prefix + 4 });
    expect(w.message).toContain('shorter than the 12-byte minimum');
  });

  it('pcapng block length not a multiple of 4', () => {
    const w = warned(parseBoth(ng(opaque(true, 4, 40, { len: 50 }))));
    expect(w).toMatchObject({ kind: 'bad-block-length', offset: prefix + 4, packetsRead: 1 });
    expect(w.message).toContain('block length 50, which is not a multiple of 4');
  });

  it('pcapng block length far too large', () => {
    const w = warned(parseBoth(ng(opaque(true, 0x1234, 20, { len: 0x7ffffff0 }))));
    expect(w).toMatchObject({ kind: 'bad-block-length', offset: prefix + 4 });
    expect(w.message).toContain('larger than the');
  });

  it('pcapng block length past the end of the file', () => {
    const last = epb(true, 0, 2n, payload(1000));
    const p = parseBoth(ng(last.subarray(0, 500)));
    const w = warned(p);
    expect(w).toMatchObject({ kind: 'truncated', offset: prefix, packetsRead: 1 });
    expect(w.message).toContain(`the file ends in the middle of an Enhanced Packet Block: its length field says ${last.length} bytes, which runs past the end of the file (only 500 present)`);
    expect(p.records).toHaveLength(1);
  });

  it('pcapng skipped block running past the end of the file', () => {
    const w = warned(parseBoth(ng(opaque(true, 5, 4000).subarray(0, 1000))));
    expect(w).toMatchObject({ kind: 'truncated', offset: prefix, packetsRead: 1 });
    expect(w.message).toContain('in the middle of an Interface Statistics Block: its length field says 4012 bytes');
  });

  it('pcapng file ending in a block header', () => {
    const w = warned(parseBoth(ng(new Uint8Array(6))));
    expect(w).toMatchObject({ kind: 'truncated', offset: prefix });
    expect(w.message).toContain('middle of a block header');
  });

  it('pcapng trailing block length mismatch', () => {
    const bad = epb(true, 0, 2n, payload(8), 8, [], { trailer: 44 });
    const w = warned(parseBoth(ng(bad, epb(true, 0, 3n, payload(8)))));
    expect(w).toMatchObject({ kind: 'bad-block-length', offset: prefix + bad.length - 4, packetsRead: 1 });
    expect(w.message).toContain(`ends with block length 44, which does not match its leading length ${bad.length}`);
  });

  it('pcapng trailing length mismatch on a skipped block split across chunks', () => {
    const bad = opaque(false, 0x40000bad, 10000, { trailer: 1 });
    const file = concat(shb(false), idb(false, 1, 0), epb(false, 0, 1n, payload(10)), bad, epb(false, 0, 2n, payload(10)));
    const pre = file.length - bad.length - epb(false, 0, 2n, payload(10)).length;
    for (const chunk of [1, 7, 4096, file.length]) {
      const w = warned(parseBytes(file, chunk));
      expect(w).toMatchObject({ kind: 'bad-block-length', offset: pre + bad.length - 4, packetsRead: 1 });
      expect(w.message).toContain('Custom Block');
    }
  });

  it('pcapng EPB whose block is too short for its caplen', () => {
    const bad = epb(true, 0, 2n, payload(8), 8, [], { capLen: 200 });
    const w = warned(parseBoth(ng(bad)));
    expect(w).toMatchObject({ kind: 'bad-block-length', offset: prefix + 4 });
    expect(w.message).toContain('too short for its 200 captured bytes');
  });

  it('pcapng EPB caplen absurd, detected before the block is buffered', () => {
    const bad = epb(true, 0, 2n, payload(8), 8, [], { capLen: 300000, len: 300032 });
    // Only the first 100 bytes of a "300 kB" block are present: still bad-caplen, not truncated.
    const w = warned(parseBoth(ng(bad.subarray(0, 100))));
    expect(w).toMatchObject({ kind: 'bad-caplen', offset: prefix + 20, packetsRead: 1 });
    expect(w.message).toContain('claims 300000 captured bytes, more than the maximum of 262144');
  });

  it('pcapng packet for an undefined interface', () => {
    const w = warned(parseBoth(ng(epb(true, 3, 2n, payload(8)))));
    expect(w).toMatchObject({ kind: 'malformed', offset: prefix + 8, packetsRead: 1 });
    expect(w.message).toContain('refers to interface 3, but this section defines only 1 interface(s)');
  });

  it('pcapng SPB before any IDB of its section', () => {
    const w = warned(parseBoth(ng(shb(true), spb(true, 4, payload(4)))));
    expect(w).toMatchObject({ kind: 'malformed', packetsRead: 1 });
    expect(w.message).toContain('Simple Packet Block appears before any Interface Description Block');
  });

  it('pcapng later section with a bad byte-order magic or version', () => {
    const bom = shb(true);
    bom.set([9, 9, 9, 9], 8);
    expect(warned(parseBoth(ng(bom)))).toMatchObject({ kind: 'malformed', offset: prefix + 8, packetsRead: 1 });
    expect(warned(parseBoth(ng(shb(false, [], { major: 3 }))))).toMatchObject({ kind: 'unsupported', offset: prefix + 12 });
  });
});

describe('parser lifecycle', () => {
  it('ignores input after damage and reports stopped', () => {
    const parser = new CaptureStreamParser({ fileName: 'x', onRecord: () => {} });
    parser.push(concat(pcapHeader(), pcapRecord({ sec: 1, frac: 0, data: payload(1), capLen: 999999 })));
    expect(parser.stopped).toBe(true);
    parser.push(pcapRecord({ sec: 1, frac: 0, data: payload(1) }));
    const r = parser.end();
    expect(r.packets).toBe(0);
    expect(r.warning?.kind).toBe('bad-caplen');
    expect(() => parser.push(new Uint8Array(1))).toThrow(/after end/);
  });

  it('propagates an exception from onRecord and stops', () => {
    const parser = new CaptureStreamParser({
      fileName: 'x',
      onRecord: () => {
        throw new Error('consumer failed');
      },
    });
    expect(() => parser.push(pcapFile({}, twoRecords))).toThrow('consumer failed');
    expect(parser.stopped).toBe(true);
  });

  it('hands out views into the pushed chunk on the hot path, and reports bytesConsumed', () => {
    const file = pcapFile({}, twoRecords);
    const seen: Uint8Array[] = [];
    const parser = new CaptureStreamParser({ fileName: 'x', onRecord: (r) => seen.push(r.data) });
    parser.push(file.subarray(0, file.length - 5));
    expect(seen).toHaveLength(1);
    expect(seen[0].buffer).toBe(file.buffer);
    expect(parser.bytesConsumed).toBe(24 + 16 + 50);
    parser.push(file.subarray(file.length - 5));
    expect(parser.packets).toBe(2);
    expect(parser.end()).toMatchObject({ packets: 2, bytesRead: file.length });
  });
});
