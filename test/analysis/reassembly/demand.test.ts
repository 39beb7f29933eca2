/**
 * Demand-driven CLI (analysis/reassembly/demand.ts): `wirescope fields` without columns skips
 * application dissection and desegmentation of TCP payloads nobody reads. The printed output
 * must be exactly what the full decoding prints: each list is run alone (skipping) and with
 * _ws.col.Info appended (which forces everything), and the common columns compared.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../helpers/cli.js';
import { lookupField } from '../../../src/decode/index.js';
import { tcpAppDemand } from '../../../src/analysis/reassembly/demand.js';

const fixtures = join(__dirname, '..', '..', '..', 'fixtures');
const files = readdirSync(fixtures).filter((f) => /\.pcap(ng)?$/.test(f)).map((f) => join(fixtures, f));

const LISTS: string[][] = [
  ['frame.number', 'frame.time_relative', 'ip.src', 'ip.dst', 'tcp.srcport', 'tcp.dstport', 'tcp.seq', 'tcp.ack',
    'tcp.len', 'tcp.stream', 'tcp.flags', 'dns.qry.name'],
  ['frame.number', 'tcp.stream', 'tcp.seq', 'tcp.ack', 'tcp.nxtseq', 'tcp.len', 'tcp.window_size', 'tcp.completeness',
    'tcp.analysis.flags', 'tcp.analysis.retransmission', 'tcp.analysis.duplicate_ack_frame', 'tcp.analysis.lost_segment',
    'tcp.analysis.bytes_in_flight', 'tcp.analysis.ack_rtt', 'tcp.analysis.initial_rtt', 'udp.stream', 'icmp.type'],
  ['frame.number', 'tcp.stream', 'http.request.method', 'http.request.uri', 'http.response.code', 'http.content_length'],
  ['frame.number', 'tcp.stream', 'dns.id', 'dns.qry.name', 'dns.a', 'dns.flags.response'],
];

function strip(out: string): string {
  return out.split('\n').map((l) => (l === '' ? l : l.slice(0, l.lastIndexOf('\t')))).join('\n');
}

function args(list: string[]): string[] {
  return list.flatMap((f) => ['-e', f]);
}

describe('tcpAppDemand', () => {
  const defs = (names: string[]) => names.map((n) => lookupField(n)!);
  it('places fields', () => {
    expect(tcpAppDemand(defs(['frame.number', 'tcp.analysis.flags', 'tcp.seq']))).toEqual(new Set());
    expect(tcpAppDemand(defs(['tcp.seq', 'dns.qry.name']))).toEqual(new Set(['dns']));
    expect(tcpAppDemand(defs(['http.request.method']))).toEqual(new Set(['http']));
    expect(tcpAppDemand(defs(['frame.protocols']))).toBeNull();
    expect(tcpAppDemand(defs(['tcp.reassembled_in']))).toBeNull();
    expect(tcpAppDemand(defs(['tcp.segment_data']))).toBeNull();
  });
});

describe('demand-driven fields print what the full decoding prints', () => {
  for (const file of files) {
    it(file.split('/').pop()!, async () => {
      for (const list of LISTS) {
        for (const extra of [[], ['-2']]) {
          const lean = await runCli(['fields', file, ...extra, ...args(list)]);
          const full = await runCli(['fields', file, ...extra, ...args([...list, '_ws.col.Info'])]);
          expect(lean.code).toBe(full.code);
          expect(lean.stdout).toBe(strip(full.stdout));
        }
      }
      const leanY = await runCli(['fields', file, '-Y', 'tcp.analysis.flags', '-e', 'frame.number']);
      const fullY = await runCli(['fields', file, '-Y', 'tcp.analysis.flags', '-e', 'frame.number', '-e', '_ws.col.Info']);
      expect(leanY.stdout).toBe(strip(fullY.stdout));
    });
  }
});
