/**
 * The robustness corpus (tcpdump's own test captures, many deliberately malformed): every
 * packet of every file is decoded with the analysis hooks and a full detail tree, without an
 * internal failure, with every node inside its bytes, and without any packet taking long.
 * The transport/application files (DNS, TCP, HTTP, EDNS, MPTCP …) are checked one by one.
 * Skips when ../shared/corpus is absent.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCaptureFileSync } from '../../../src/capture/read-node.js';
import { createAnalyzer } from '../../../src/analysis/index.js';
import { decodePacket, DecodeSession, TreeSink } from '../../../src/decode/index.js';
import { corpusDir, hasCorpus } from '../../helpers/fixtures.js';
import { expectSound } from './helpers.js';

/** Decodes a file; returns the packet count and the slowest packet's time. */
function decodeFile(path: string): { packets: number; slowestMs: number } {
  const session = new DecodeSession(createAnalyzer().hooks);
  let packets = 0;
  let slowestMs = 0;
  try {
    readCaptureFileSync(path, (rec) => {
      const tree = new TreeSink();
      const t0 = performance.now();
      const ctx = decodePacket(rec, rec.data, session, tree);
      slowestMs = Math.max(slowestMs, performance.now() - t0);
      expectSound({ ctx, tree, frame: rec.data });
      packets++;
    });
  } catch (err) {
    // Unreadable files are the capture layer's business (their errors are tested there); a
    // decoder failure surfaces through expectSound above, not as an exception.
    if ((err as Error).name === 'AssertionError') throw err;
  }
  return { packets, slowestMs };
}

describe.skipIf(!hasCorpus)('robustness corpus', () => {
  const files = hasCorpus ? readdirSync(corpusDir).filter((f) => /\.(pcap|pcapng)$/.test(f)).sort() : [];
  const mine = files.filter((f) => /dns|tcp|http|edns|mptcp|udp|mdns|llmnr/i.test(f));

  it('has the transport/application captures', () => expect(mine.length).toBeGreaterThan(20));

  for (const file of mine) {
    it(file, () => {
      const { slowestMs } = decodeFile(join(corpusDir, file));
      expect(slowestMs).toBeLessThan(1000);
    });
  }

  it('decodes every other file of the corpus too', () => {
    let packets = 0;
    for (const file of files) {
      if (mine.includes(file)) continue;
      const r = decodeFile(join(corpusDir, file));
      expect(r.slowestMs, file).toBeLessThan(1000);
      packets += r.packets;
    }
    expect(packets).toBeGreaterThan(1000);
  }, 600_000);
});
