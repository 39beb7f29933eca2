/**
 * The link/network fields of the issue 3 field list against tshark's goldens, on every recorded
 * fixture, cell for cell (the full list is checked by test/golden/fields.test.ts; this one says
 * precisely when a link or network decoder is at fault). frame.protocols, Protocol and Info are
 * compared on the packets whose summary these decoders write: no transport or application layer
 * outside an ICMP quote.
 */
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../helpers/cli.js';
import { fixtureFiles, fixturePath, goldenBase, goldenDir, goldenFieldList, readGolden } from '../../helpers/fixtures.js';

const MY_FIELDS = new Set([
  'eth.src', 'eth.dst', 'eth.type', 'vlan.id', 'arp.opcode', 'arp.src.hw_mac', 'arp.src.proto_ipv4', 'arp.dst.hw_mac',
  'arp.dst.proto_ipv4', 'ip.version', 'ip.hdr_len', 'ip.dsfield', 'ip.len', 'ip.id', 'ip.flags.df', 'ip.flags.mf',
  'ip.frag_offset', 'ip.ttl', 'ip.proto', 'ip.checksum', 'ip.src', 'ip.dst', 'ip.addr', 'ipv6.src', 'ipv6.dst', 'ipv6.addr',
  'ipv6.nxt', 'ipv6.hlim', 'ipv6.plen', 'ipv6.flow', 'icmp.type', 'icmp.code', 'icmp.ident', 'icmp.seq', 'icmpv6.type',
  'icmpv6.code',
]);
const SUMMARY = ['frame.protocols', '_ws.col.Protocol', '_ws.col.Info'];
const MY_LAYERS = new Set([
  'eth', 'ethertype', 'vlan', 'ieee8021ad', 'llc', 'sll', 'null', 'raw', 'arp', 'ip', 'ipv6', 'ipv6.hopopts',
  'ipv6.routing', 'ipv6.fraghdr', 'ipv6.dstopts', 'icmp', 'icmpv6', 'data',
]);

/** The summary is ours when every layer is, or when the first foreign one is inside an ICMP quote. */
function summaryIsOurs(chain: string): boolean {
  const layers = chain.split(':');
  for (let i = 0; i < layers.length; i++) {
    if (MY_LAYERS.has(layers[i])) continue;
    return layers.slice(0, i).some((l) => l === 'icmp' || l === 'icmpv6');
  }
  return true;
}

const fixtures = fixtureFiles();
const listFile = join(goldenDir, 'fields', 'dissect.txt');

describe.skipIf(!existsSync(listFile))('link/network fields against the tshark goldens', () => {
  const fields = existsSync(listFile) ? goldenFieldList('dissect') : [];
  for (const fixture of fixtures) {
    it(fixture, async () => {
      const golden = readGolden(`${goldenBase(fixture)}.dissect.tsv`);
      expect(golden, `missing golden for ${fixture}`).toBeDefined();
      const run = await runCli(['fields', fixturePath(fixture), '--header', ...fields.flatMap((f) => ['-e', f])]);
      expect(run.stderr).toBe('');
      const g = golden!.replace(/\n$/, '').split('\n').map((l) => l.split('\t'));
      const o = run.stdout.replace(/\n$/, '').split('\n').map((l) => l.split('\t'));
      expect(o.length).toBe(g.length);
      const header = g[0];
      const protoCol = header.indexOf('frame.protocols');
      const diffs: string[] = [];
      let cells = 0;
      for (let r = 1; r < g.length; r++) {
        const ours = summaryIsOurs(g[r][protoCol] ?? '');
        header.forEach((name, c) => {
          if (!MY_FIELDS.has(name) && !(ours && SUMMARY.includes(name))) return;
          cells++;
          if ((g[r][c] ?? '') !== (o[r][c] ?? '')) diffs.push(`packet ${r} ${name}: tshark "${g[r][c]}" ours "${o[r][c]}"`);
        });
      }
      expect(cells).toBeGreaterThan(0);
      expect(diffs, diffs.slice(0, 10).join('\n')).toEqual([]);
    });
  }
});
