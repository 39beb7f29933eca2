/** `wirescope follow` equals `tshark -q -z follow,tcp,ascii|hex,N` on every followed stream of every fixture. */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { fixtureFiles, fixturePath, goldenBase, goldenDir, readGolden } from '../../helpers/fixtures.js';

const goldens = readdirSync(goldenDir).filter((f) => /\.follow-(hex-)?\d+\.txt$/.test(f)).sort();
const byBase = new Map(fixtureFiles().map((f) => [goldenBase(f), f]));

describe('follow goldens exist', () => {
  it('cover the TCP streams of the fixtures', () => {
    expect(goldens.length).toBeGreaterThan(0);
  });
});

describe.each(goldens)('wirescope follow vs tshark: %s', (name) => {
  it('prints exactly what tshark prints', async () => {
    const m = /^(.*)\.follow-(hex-)?(\d+)\.txt$/.exec(name)!;
    const fixture = byBase.get(m[1]);
    expect(fixture, `fixture for ${name}`).toBeDefined();
    const run = await runCli(['follow', fixturePath(fixture!), '--stream', m[3], '--format', m[2] ? 'hex' : 'ascii']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(readGolden(name));
  });
});
