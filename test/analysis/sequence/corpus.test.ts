/**
 * Robustness on tcpdump's test captures (many deliberately malformed): follow and diagram never
 * throw, and the SVG stays well-formed whatever the packets contain.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { corpusDir, hasCorpus } from '../../helpers/fixtures.js';

describe.skipIf(!hasCorpus)('follow and diagram on the robustness corpus', () => {
  it('never crash and always produce well-formed SVG', async () => {
    const files = readdirSync(corpusDir).filter((f) => /\.(pcap|pcapng)$/.test(f)).sort();
    const parser = new new Window().DOMParser();
    const problems: string[] = [];
    for (const f of files) {
      const file = join(corpusDir, f);
      const follow = await runCli(['follow', file, '--stream', '0']);
      if (follow.code > 1 && !follow.stderr.includes(f)) problems.push(`follow ${f}: ${follow.stderr.slice(0, 120)}`);
      const svg = await runCli(['diagram', file, '--stream', '0', '--format', 'svg', '--notes']);
      if (svg.code > 1) {
        if (!svg.stderr.includes(f)) problems.push(`diagram ${f}: ${svg.stderr.slice(0, 120)}`);
        continue;
      }
      const doc = parser.parseFromString(svg.stdout, 'image/svg+xml');
      if (doc.getElementsByTagName('parsererror').length) problems.push(`diagram ${f}: SVG not well-formed`);
    }
    expect(problems).toEqual([]);
  }, 600_000);
});
