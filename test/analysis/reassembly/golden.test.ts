/**
 * Desegmentation against tshark: on every fixture, the summary lines of TCP segments (which
 * carry "[TCP segment of a reassembled PDU]" while a message is incomplete) and of the frames
 * that complete a message equal tshark's, in one pass (summary golden) and two passes (the
 * Info column of the tcp-analysis golden, made with -2).
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { fixtureFiles, fixturePath, goldenBase, readGolden } from '../../helpers/fixtures.js';

const fixtures = fixtureFiles().filter((f) => (readGolden(`${goldenBase(f)}.summary.txt`) ?? '').includes(' TCP '));

/** Lines where TCP reassembly decides the Protocol or the Info. */
function reassemblyLines(golden: string[]): number[] {
  const out: number[] = [];
  golden.forEach((line, i) => {
    if (/ TCP \d+ /.test(line) || line.includes('reassembled PDU')) out.push(i);
  });
  return out;
}

describe.each(fixtures)('TCP reassembly on %s', (fixture) => {
  const base = goldenBase(fixture);

  it('gives tshark\'s one-pass summary for TCP segments', async () => {
    const golden = readGolden(`${base}.summary.txt`)!.replace(/\n$/, '').split('\n');
    const run = await runCli(['summary', fixturePath(fixture)]);
    const ours = run.stdout.replace(/\n$/, '').split('\n');
    expect(ours.length).toBe(golden.length);
    const bad = reassemblyLines(golden).filter((i) => ours[i] !== golden[i]).map((i) => `tshark: ${golden[i]}\nours:   ${ours[i]}`);
    expect(bad.slice(0, 5).join('\n')).toBe('');
  });

  it('gives tshark -2\'s Info for TCP segments', async () => {
    const golden = readGolden(`${base}.tcp-analysis.tsv`);
    if (!golden) throw new Error(`missing ${base}.tcp-analysis.tsv`);
    const rows = golden.replace(/\n$/, '').split('\n').slice(1).map((l) => l.split('\t'));
    const run = await runCli(['fields', fixturePath(fixture), '-2', '-e', 'frame.number', '-e', '_ws.col.Protocol', '-e', '_ws.col.Info']);
    const ours = run.stdout.replace(/\n$/, '').split('\n').map((l) => l.split('\t'));
    expect(ours.length).toBe(rows.length);
    const bad: string[] = [];
    rows.forEach((g, i) => {
      const info = g[g.length - 1];
      if (ours[i][1] === 'TCP' || info.includes('reassembled PDU')) {
        if (ours[i][2] !== info) bad.push(`frame ${g[0]}\ntshark: ${info}\nours:   ${ours[i][2]}`);
      }
    });
    expect(bad.slice(0, 5).join('\n')).toBe('');
  });
});
