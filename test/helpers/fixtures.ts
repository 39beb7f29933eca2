/** Paths of the recorded fixtures, their tshark goldens, and the shared robustness corpus. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const fixturesDir = join(repoRoot, 'fixtures');
export const goldenDir = join(fixturesDir, 'golden');
export const corpusDir = join(repoRoot, '..', 'shared', 'corpus', 'tcpdump-tests');
export const hasCorpus = existsSync(corpusDir);

/** Every recorded capture in fixtures/ (pcap and pcapng), sorted by name. */
export function fixtureFiles(): string[] {
  if (!existsSync(fixturesDir)) return [];
  return readdirSync(fixturesDir)
    .filter((f) => /\.(pcap|pcapng)$/.test(f))
    .sort();
}

export function fixturePath(name: string): string {
  return join(fixturesDir, name);
}

/** A fixture's base name as used by the golden files (extension dropped). */
export function goldenBase(fixture: string): string {
  return fixture.replace(/\.(pcap|pcapng)$/, '');
}

/** Field list `fixtures/golden/fields/<list>.txt` (one name per whitespace-separated token). */
export function goldenFieldList(list: string): string[] {
  return readFileSync(join(goldenDir, 'fields', `${list}.txt`), 'utf8').split(/\s+/).filter(Boolean);
}

export function readGolden(name: string): string | undefined {
  const p = join(goldenDir, name);
  return existsSync(p) ? readFileSync(p, 'utf8') : undefined;
}
