/**
 * Independent cross-check of classic-pcap record decoding against pcap-parser (the design
 * card's library, not used on our hot path — see the note at the top of src/capture/parser.ts):
 * timestamps, lengths and bytes of every record must agree.
 */

import { createReadStream, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateBenchCapture } from '../../scripts/bench/generate.js';
import { readCaptureFileSync } from '../../src/capture/read-node.js';

interface PcapParserPacket {
  header: { timestampSeconds: number; timestampMicroseconds: number; capturedLength: number; originalLength: number };
  data: Uint8Array;
}
interface PcapParserEmitter {
  on(event: 'packet', cb: (p: PcapParserPacket) => void): void;
  on(event: 'end', cb: () => void): void;
  on(event: 'error', cb: (e: Error) => void): void;
}
const pcapParser = createRequire(import.meta.url)('pcap-parser') as { parse(s: NodeJS.ReadableStream): PcapParserEmitter };

function viaPcapParser(path: string): Promise<string[]> {
  return new Promise((resolvePromise, reject) => {
    const out: string[] = [];
    const p = pcapParser.parse(createReadStream(path, { highWaterMark: 4096 }));
    p.on('packet', ({ header: h, data }) => {
      out.push(`${h.timestampSeconds}.${h.timestampMicroseconds} ${h.capturedLength} ${h.originalLength} ${Buffer.from(data).toString('hex')}`);
    });
    p.on('end', () => resolvePromise(out));
    p.on('error', reject);
  });
}

function viaOurs(path: string): string[] {
  const out: string[] = [];
  readCaptureFileSync(path, (r) => {
    out.push(`${r.tsSec}.${r.tsNsec / 1000} ${r.capLen} ${r.origLen} ${Buffer.from(r.data.buffer, r.data.byteOffset, r.data.length).toString('hex')}`);
  });
  return out;
}

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Microsecond classic pcaps only: pcap-parser knows neither the ns magic nor pcapng. */
function isMicrosecondPcap(path: string): boolean {
  const head = readFileSync(path).subarray(0, 4).toString('hex');
  return head === 'd4c3b2a1' || head === 'a1b2c3d4';
}

describe('classic pcap decoding agrees with pcap-parser', () => {
  it('on a generated realistic capture (both read 3 MB record by record)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wirescope-xcheck-'));
    const info = generateBenchCapture({ targetBytes: 3e6, seed: 7, path: join(dir, 'x.pcap') });
    const ours = viaOurs(info.path);
    expect(ours.length).toBe(info.packets);
    expect(await viaPcapParser(info.path)).toEqual(ours);
  });

  const fixtures = join(repo, 'fixtures');
  const fixtureFiles = existsSync(fixtures) ? readdirSync(fixtures).filter((f) => f.endsWith('.pcap')).map((f) => join(fixtures, f)) : [];
  const corpus = resolve(repo, '..', 'shared', 'corpus', 'tcpdump-tests');
  // The big-endian files of the corpus plus a handful of little-endian ones.
  const corpusFiles = existsSync(corpus)
    ? readdirSync(corpus)
        .filter((f) => f.endsWith('.pcap'))
        .map((f) => join(corpus, f))
        .filter((f) => readFileSync(f).subarray(0, 4).toString('hex') === 'a1b2c3d4' || /^(afs|arp-too-long-tha|dhcpv6-domain-list|bgp_vpn_attrset)\.pcap$/.test(f.split('/').pop()!))
    : [];
  const files = [...fixtureFiles, ...corpusFiles].filter(isMicrosecondPcap);

  it.skipIf(files.length === 0)('on the recorded fixtures and corpus files of both byte orders', async () => {
    expect(files.some((f) => readFileSync(f).subarray(0, 4).toString('hex') === 'a1b2c3d4')).toBe(corpusFiles.length > 0);
    for (const f of files) expect(await viaPcapParser(f), f).toEqual(viaOurs(f));
  });
});
