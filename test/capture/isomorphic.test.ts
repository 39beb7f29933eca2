/**
 * The parser and writers run in browsers and workers too (DESIGN.md §2): they must not import
 * node: modules or use Buffer. Node-only code is confined to *-node.ts.
 */

import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'capture');

describe('src/capture isomorphism', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('-node.ts'));

  it('covers the parser, the format readers and the writers', () => {
    expect(files).toEqual(expect.arrayContaining(['parser.ts', 'pcap-reader.ts', 'pcapng-reader.ts', 'writer.ts', 'timestamp.ts', 'types.ts']));
  });

  for (const f of files) {
    it(`${f} has no node: imports, no Buffer and imports no *-node module`, () => {
      const code = readFileSync(join(dir, f), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      expect(code).not.toMatch(/from\s+['"](node:|fs|path|os|crypto|child_process)['"/]/);
      expect(code).not.toMatch(/\bBuffer\b/);
      expect(code).not.toMatch(/-node\.js['"]/);
      expect(code).not.toMatch(/\bprocess\./);
    });
  }
});
