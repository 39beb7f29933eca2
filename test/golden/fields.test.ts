/**
 * Golden tests: for every recorded fixture, `wirescope fields` with each committed field list
 * must print exactly what tshark 4.0 printed (fixtures/golden/<fixture>.<list>.tsv, made by
 * scripts/goldens/make-goldens.sh). Where we differ from tshark on purpose, the field is listed
 * in DELIBERATE with the reason.
 */
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import {
  fixtureFiles, fixturePath, goldenBase, goldenDir, goldenFieldList, readGolden,
} from '../helpers/fixtures.js';
import { compareTsv, describeMismatches } from './compare.js';

/** Fields where we differ from tshark on purpose: name → why. */
const DELIBERATE: Record<string, string> = {};

/** Lists recorded with tshark -2 (forward links such as dns.response_in need the whole file). */
const LISTS: { name: string; twoPass: boolean }[] = [
  { name: 'frame', twoPass: false },
  { name: 'dissect', twoPass: false },
  { name: 'tcp-analysis', twoPass: true },
];
const fixtures = fixtureFiles();

describe('tshark goldens: wirescope fields', () => {
  it('has recorded fixtures', () => expect(fixtures.length).toBeGreaterThan(0));
  for (const { name: list, twoPass } of LISTS) {
    const listFile = join(goldenDir, 'fields', `${list}.txt`);
    describe(`field list "${list}"`, () => {
      it('has its field list', () => expect(existsSync(listFile)).toBe(true));
      for (const fixture of fixtures) {
        const golden = readGolden(`${goldenBase(fixture)}.${list}.tsv`);
        it(`${fixture}`, async () => {
          expect(golden, `missing golden ${goldenBase(fixture)}.${list}.tsv: run scripts/goldens/make-goldens.sh`).toBeDefined();
          const fields = goldenFieldList(list);
          const run = await runCli(['fields', fixturePath(fixture), '--header', ...(twoPass ? ['-2'] : []),
            ...fields.flatMap((f) => ['-e', f])]);
          expect(run.stderr).toBe('');
          const mismatches = compareTsv(golden!, run.stdout, new Set(Object.keys(DELIBERATE)));
          expect(mismatches, describeMismatches(mismatches)).toEqual([]);
        });
      }
    });
  }
});
