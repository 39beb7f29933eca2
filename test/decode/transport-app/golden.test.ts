/**
 * Acceptance test of the transport and application decoders against tshark 4.0: on every
 * recorded fixture, `wirescope fields` for the TCP/UDP/DNS/HTTP fields of the dissect list
 * (plus frame.protocols and the Protocol/Info columns) equals the golden, cell for cell.
 * Mismatches are reported per field so a failure names the decoder.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { fixtureFiles, fixturePath, goldenBase, goldenFieldList, readGolden } from '../../helpers/fixtures.js';

/** Fields where we differ from tshark on purpose: name → why (none so far). */
const DELIBERATE: Record<string, string> = {};

const MINE = /^(tcp|udp|dns|http)\.|^frame\.protocols$|^_ws\.col\.(Protocol|Info)$/;
const fixtures = fixtureFiles();

describe('tshark goldens: transport and application fields', () => {
  const all = goldenFieldList('dissect');
  const mine = all.filter((f) => MINE.test(f));

  it('covers the TCP, UDP, DNS and HTTP fields of the dissect list', () => {
    expect(mine.filter((f) => f.startsWith('tcp.')).length).toBeGreaterThan(20);
    expect(mine.filter((f) => f.startsWith('dns.')).length).toBeGreaterThan(20);
    expect(mine.filter((f) => f.startsWith('http.')).length).toBeGreaterThan(10);
  });

  for (const fixture of fixtures) {
    it(fixture, async () => {
      const golden = readGolden(`${goldenBase(fixture)}.dissect.tsv`);
      expect(golden, `missing golden for ${fixture}`).toBeDefined();
      const gLines = golden!.replace(/\n$/, '').split('\n');
      const header = gLines[0].split('\t');
      const columns = mine.map((f) => header.indexOf(f));
      const run = await runCli(['fields', fixturePath(fixture), ...mine.flatMap((f) => ['-e', f])]);
      expect(run.stderr).toBe('');
      const oLines = run.stdout.replace(/\n$/, '').split('\n');
      expect(oLines.length).toBe(gLines.length - 1);
      const bad = new Map<string, string[]>();
      for (let r = 1; r < gLines.length; r++) {
        const g = gLines[r].split('\t');
        const o = oLines[r - 1].split('\t');
        mine.forEach((field, i) => {
          if (field in DELIBERATE) return;
          const want = g[columns[i]] ?? '';
          const got = o[i] ?? '';
          if (want !== got) {
            const list = bad.get(field) ?? [];
            if (list.length < 3) list.push(`frame ${r}: tshark "${want.slice(0, 200)}" ours "${got.slice(0, 200)}"`);
            bad.set(field, list);
          }
        });
      }
      const report = [...bad].map(([f, ex]) => `${f}:\n    ${ex.join('\n    ')}`).join('\n');
      expect(report, report).toBe('');
    });
  }
});
