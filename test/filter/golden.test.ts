/**
 * The filter goldens: for every expression of fixtures/golden/filters/expressions.txt and
 * every fixture, the frames `wirescope fields F -2 -Y EXPR -e frame.number` keeps must be
 * exactly the frames `tshark -n -2 -r F -Y EXPR` keeps (fixtures/golden/filters/results.json), and an
 * expression tshark rejects must be rejected too (the message may differ).
 *
 * Each fixture goes through the CLI pipeline once, with one filter that runs every expression
 * on every packet (a run per expression per fixture would decode the same file 400 times);
 * a few expressions also go through the whole `wirescope fields` command. Every expression is
 * its own test, so a mismatch names the expression, the fixture and the frames that differ.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookupField } from '../../src/decode/index.js';
import { runPipeline } from '../../src/cli/pipeline.js';
import { compileFilter, type PacketFilter } from '../../src/filter/index.js';
import { fixturePath, goldenDir } from '../helpers/fixtures.js';
import { runCli } from '../helpers/cli.js';

type Golden = Record<string, Record<string, number[] | { error: string }>>;

const resultsPath = join(goldenDir, 'filters', 'results.json');
const expressionsPath = join(goldenDir, 'filters', 'expressions.txt');

/**
 * Habits of other Wireshark versions that Wirescope accepts on purpose although tshark 4.0
 * rejects them (`xor`/`^^` arrived in Wireshark 4.2; sets separated by spaces were the rule up
 * to 3.6). Each must give exactly what tshark gives for the equivalent 4.0 expression.
 */
const EXTENSIONS: Record<string, string> = {
  'tcp xor udp': '(tcp && !udp) || (udp && !tcp)',
  'tcp.flags.syn == 1 ^^ tcp.flags.ack == 1': '(tcp.flags.syn == 1 && !(tcp.flags.ack == 1)) || (!(tcp.flags.syn == 1) && tcp.flags.ack == 1)',
  'tcp.port in {80 8081}': 'tcp.port in {80, 8081}',
  'icmp.type in {0 8 11}': 'icmp.type in {0, 8, 11}',
};

function readExpressions(): string[] {
  const seen = new Set<string>();
  for (const line of readFileSync(expressionsPath, 'utf8').split('\n')) {
    if (line.trim() && !line.trimStart().startsWith('#')) seen.add(line);
  }
  return [...seen];
}

const golden: Golden = existsSync(resultsPath) ? JSON.parse(readFileSync(resultsPath, 'utf8')) : {};
const expressions = readExpressions();
const fixtures = Object.keys(Object.values(golden)[0] ?? {});

/** Our result per expression per fixture: frame numbers, or the compile error. */
const ours = new Map<string, Map<string, number[]> | { error: string }>();
const frameNumber = lookupField('frame.number')!;

interface Outcome { expression: string; equal: number; total: number; problem?: string; missingFields?: string[] }
const outcomes: Outcome[] = [];

beforeAll(() => {
  const compiled: { text: string; filter: PacketFilter; hits: Map<string, number[]> }[] = [];
  for (const text of expressions) {
    const r = compileFilter(text);
    if (!r.ok) { ours.set(text, { error: r.error.message }); continue; }
    const hits = new Map<string, number[]>();
    ours.set(text, hits);
    compiled.push({ text, filter: r.filter, hits });
  }
  const fields = [...new Set(compiled.flatMap((c) => c.filter.fields))];
  for (const fixture of fixtures) {
    for (const c of compiled) c.hits.set(fixture, []);
    // One filter that evaluates every expression and keeps no packet: the pipeline decodes
    // each frame once into a collector holding every field any expression reads.
    const all: PacketFilter = {
      text: '(all golden expressions)', fields, ast: { kind: 'true', span: { start: 0, end: 0 } }, readsBytes: true,
      matches(p) {
        const n = p.get(frameNumber).values[0] as number;
        for (const c of compiled) if (c.filter.matches(p)) c.hits.get(fixture)!.push(n);
        return false;
      },
    };
    runPipeline({ file: fixturePath(fixture), fields: [frameNumber], filter: all, twoPass: true, onPacket() {} });
  }
}, 300_000);

function describeDiff(want: number[], got: number[]): string {
  const w = new Set(want);
  const g = new Set(got);
  const missing = want.filter((n) => !g.has(n));
  const extra = got.filter((n) => !w.has(n));
  const list = (a: number[]) => (a.length > 12 ? `${a.slice(0, 12).join(' ')} … (${a.length})` : a.join(' '));
  return [missing.length ? `tshark also keeps ${list(missing)}` : '', extra.length ? `we also keep ${list(extra)}` : '']
    .filter(Boolean).join('; ');
}

describe('filter goldens (tshark -Y over the fixtures)', () => {
  it('has tshark results for every expression of expressions.txt (rerun scripts/goldens/make-goldens.sh)', () => {
    expect(existsSync(resultsPath)).toBe(true);
    expect(expressions.length).toBeGreaterThanOrEqual(150);
    expect(expressions.filter((e) => !(e in golden))).toEqual([]);
    for (const [ext, equivalent] of Object.entries(EXTENSIONS)) {
      expect(expressions, ext).toContain(ext);
      expect(expressions, equivalent).toContain(equivalent);
    }
  });

  for (const expression of expressions) {
    it(expression, () => {
      const want = golden[expression];
      expect(want, 'no tshark result: regenerate results.json').toBeDefined();
      const reference = EXTENSIONS[expression] !== undefined ? golden[EXTENSIONS[expression]] : want;
      const got = ours.get(expression)!;
      const problems: string[] = [];
      let equal = 0;
      const outcome: Outcome = { expression, equal: 0, total: fixtures.length };
      const rejectedByTshark = Object.values(reference).every((r) => !Array.isArray(r));
      if ('error' in got) {
        if (rejectedByTshark) equal = fixtures.length;
        else {
          problems.push(`we reject it ("${got.error}") but tshark accepts it`);
          const missing = [...got.error.matchAll(/"([\w.-]+)" is not a field/g)].map((m) => m[1]);
          if (missing.length) outcome.missingFields = missing;
        }
      } else if (rejectedByTshark) {
        problems.push(`tshark rejects it (${(Object.values(reference)[0] as { error: string }).error.split('\n')[0]}) but we accept it`);
      } else {
        for (const fixture of fixtures) {
          const w = reference[fixture] as number[];
          const g = got.get(fixture) ?? [];
          if (w.length === g.length && w.every((n, i) => n === g[i])) equal++;
          else problems.push(`${fixture}: ${describeDiff(w, g)}`);
        }
      }
      outcome.equal = equal;
      if (problems.length) outcome.problem = problems.join('\n');
      outcomes.push(outcome);
      expect(problems.join('\n')).toBe('');
    });
  }

  afterAll(() => {
    if (outcomes.length === 0) return;
    const equal = outcomes.reduce((a, o) => a + o.equal, 0);
    const total = outcomes.reduce((a, o) => a + o.total, 0);
    const failing = outcomes.filter((o) => o.problem);
    const missing = new Map<string, string[]>();
    for (const o of failing) for (const f of o.missingFields ?? []) missing.set(f, [...(missing.get(f) ?? []), o.expression]);
    const lines = [
      `filter goldens: ${equal}/${total} expression×fixture results equal tshark's; ` +
      `${outcomes.length - failing.length}/${outcomes.length} expressions fully equal`,
    ];
    if (missing.size) {
      lines.push(`fields not in the registry yet (${missing.size}): ${[...missing.keys()].sort().join(' ')}`);
    }
    const other = failing.filter((o) => !o.missingFields?.length);
    if (other.length) lines.push('other differences:', ...other.map((o) => `  ${o.expression}\n    ${o.problem!.replace(/\n/g, '\n    ')}`));
    console.log(lines.join('\n'));
  });
});

describe('wirescope fields -2 -Y, end to end', () => {
  const cases = ['tcp.port == 80 && tcp.len > 0', 'ip.addr == 192.0.2.2', 'http.request.method == "GET"', 'frame.len > 1000'];
  for (const expression of cases) {
    it(`prints the frames tshark keeps for ${expression}`, async () => {
      for (const fixture of ['http-handshake.pcap', 'ping.pcap']) {
        const want = golden[expression]?.[fixture];
        expect(want, `no golden for ${expression}`).toBeDefined();
        const run = await runCli(['fields', fixturePath(fixture), '-2', '-Y', expression, '-e', 'frame.number']);
        expect(run.stderr).toBe('');
        expect(run.code).toBe(0);
        const got = run.stdout.split('\n').filter(Boolean).map(Number);
        expect(got, `${expression} on ${fixture}`).toEqual(want);
      }
    });
  }
  it('rejects an invalid filter with the message and exit status 2', async () => {
    const run = await runCli(['fields', fixturePath('ping.pcap'), '-Y', 'frame.lenn > 3', '-e', 'frame.number']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('invalid display filter: "frame.lenn" is not a field — did you mean "frame.len"?');
  });
});
