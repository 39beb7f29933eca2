/** `wirescope summary` prints tshark's default one-line output (`tshark -n -r F`) line for line. */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { fixtureFiles, fixturePath, goldenBase, readGolden } from '../helpers/fixtures.js';

describe('tshark goldens: wirescope summary', () => {
  for (const fixture of fixtureFiles()) {
    it(fixture, async () => {
      const golden = readGolden(`${goldenBase(fixture)}.summary.txt`);
      expect(golden, `missing golden ${goldenBase(fixture)}.summary.txt`).toBeDefined();
      const run = await runCli(['summary', fixturePath(fixture)]);
      expect(run.stderr).toBe('');
      const want = golden!.replace(/\n$/, '').split('\n');
      const got = run.stdout.replace(/\n$/, '').split('\n');
      const diffs: string[] = [];
      for (let i = 0; i < Math.max(want.length, got.length); i++) {
        if (want[i] !== got[i]) diffs.push(`line ${i + 1}:\n  tshark: ${want[i]}\n  ours:   ${got[i]}`);
      }
      expect(diffs.slice(0, 8).join('\n'), `${diffs.length} lines differ`).toBe('');
    });
  }
});
