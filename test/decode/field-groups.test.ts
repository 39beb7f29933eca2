/**
 * Decoders skip reporting a group of fields to a sink that keeps none of them (the packet
 * index, `wirescope fields` with a few columns). Whatever the grouping, every field must reach
 * a sink that keeps only that field exactly as often as the detail tree shows it.
 */
import { describe, expect, it } from 'vitest';
import { readCaptureFileSync } from '../../src/capture/read-node.js';
import {
  decodePacket, DecodeSession, FieldCollector, fieldCount, lookupField, TreeSink, type FieldNode,
} from '../../src/decode/index.js';
import { createAnalyzer } from '../../src/analysis/index.js';
import { fixturePath } from '../helpers/fixtures.js';
import { nodes } from '../helpers/tree.js';

const FILES = [
  'hostile.pcap', 'http-handshake.pcap', 'http-ipv6.pcap', 'ping.pcap', 'dns-udp.pcap', 'tcp-refused.pcap', 'http-bulk-lossy.pcap',
];
const PACKETS = 400;
const PREFIXES = ['frame.', 'ip.', 'ipv6.', 'tcp.', 'udp.', 'eth.'];

function records(file: string) {
  const out: { rec: Parameters<typeof decodePacket>[0]; data: Uint8Array }[] = [];
  readCaptureFileSync(fixturePath(file), (r) => {
    if (out.length < PACKETS) out.push({ rec: { ...r, data: undefined } as never, data: r.data.slice() });
  });
  return out;
}

describe('field groups', () => {
  for (const file of FILES) {
    it(`${file}: any one field alone is reported as often as the tree shows it`, () => {
      const packets = records(file);
      // With the analysis (tcp.stream, [Timestamps], [SEQ/ACK analysis] …), as the index runs.
      const session = new DecodeSession(createAnalyzer().hooks);
      const trees: FieldNode[][] = packets.map((p) => {
        const tree = new TreeSink();
        decodePacket(p.rec, p.data, session, tree);
        return nodes(tree);
      });
      const names = new Set<string>();
      for (const t of trees) for (const n of t) if (PREFIXES.some((x) => n.def.name.startsWith(x))) names.add(n.def.name);
      expect(names.size).toBeGreaterThan(10);
      for (const name of names) {
        const def = lookupField(name)!;
        const collector = new FieldCollector([def], fieldCount());
        const alone = new DecodeSession(createAnalyzer().hooks);
        alone.wantsColumns = false;
        packets.forEach((p, i) => {
          collector.reset();
          decodePacket(p.rec, p.data, alone, collector);
          const want = trees[i].filter((n) => n.def === def).length;
          expect(collector.get(def).count, `${name} in packet ${i + 1}`).toBe(want);
        });
      }
    });
  }
});
