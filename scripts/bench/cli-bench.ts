/**
 * CLI benchmarks against tshark on the same generated capture, in the same run (ratios, not
 * absolute times — these machines are noisy):
 *  - fields:   `wirescope fields` with a dozen fields vs `tshark -T fields` (issue 3: ≥ 10×)
 *  - analysis: decode + full TCP analysis, `-Y tcp.analysis.flags` (issue 4: ≥ 5×, ≤ ¼ memory)
 *  - filters:  `-Y EXPR -e frame.number` for the issue-5 expressions (end to end through the CLI;
 *              the engine bench measures re-filtering a loaded capture over the packet index)
 * Each command runs under /usr/bin/time so wall time and peak RSS are measured the same way for
 * both tools; the outputs must be byte-identical (SHA-256), so speed never hides a wrong answer.
 *
 *   node dist/scripts/bench/cli-bench.js [--size 550MB] [--runs 1] [--only fields|analysis|filters]
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { ensureBenchCapture, parseSize } from './generate.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The repository root from scripts/bench (source) or dist/scripts/bench (built). */
const root = here.split(/[\\/]/).includes('dist') ? join(here, '..', '..', '..') : join(here, '..', '..');
/** bin/wirescope.js runs dist/ when built (the bench script builds first). */
const wirescope = join(root, 'bin', 'wirescope.js');

export interface Measured {
  wallMs: number;
  peakRssMiB: number;
  lines: number;
  /** SHA-256 of stdout: the two tools' outputs must be the same bytes, not just as many lines. */
  sha256: string;
  /** Kept only until the comparison, to show the first differing line. */
  stdout?: string;
}

function timed(cmd: string, args: string[]): Measured {
  const r = spawnSync('/usr/bin/time', ['-f', '@@TIME %e %M', cmd, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const m = /@@TIME ([\d.]+) (\d+)/.exec(r.stderr ?? '');
  if (!m) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.error?.message ?? r.stderr}`);
  if (r.status !== 0) throw new Error(`${cmd} exited ${r.status}: ${r.stderr.slice(0, 500)}`);
  const out = r.stdout ?? '';
  let lines = 0;
  for (let i = out.indexOf('\n'); i >= 0; i = out.indexOf('\n', i + 1)) lines++;
  const sha256 = createHash('sha256').update(out).digest('hex');
  return { wallMs: Number(m[1]) * 1000, peakRssMiB: Number(m[2]) / 1024, lines, sha256, stdout: out };
}

function best(runs: number, f: () => Measured): Measured {
  let b: Measured | undefined;
  for (let i = 0; i < runs; i++) {
    const m = f();
    if (!b || m.wallMs < b.wallMs) b = m;
  }
  return b!;
}

const FIELDS = [
  'frame.number', 'frame.time_relative', 'ip.src', 'ip.dst', 'tcp.srcport', 'tcp.dstport',
  'tcp.seq', 'tcp.ack', 'tcp.len', 'tcp.stream', 'tcp.flags', 'dns.qry.name',
];

export interface Comparison {
  name: string;
  ours: Measured;
  tshark: Measured;
  speedup: number;
  memoryRatio: number;
}

function compare(name: string, file: string, runs: number, oursArgs: string[], tsharkArgs: string[]): Comparison {
  const bin = process.env.WIRESCOPE_BIN ?? wirescope;
  const tshark = best(runs, () => timed('tshark', ['-n', '-r', file, ...tsharkArgs]));
  const ours = best(runs, () => timed(process.execPath, [bin, oursArgs[0], file, ...oursArgs.slice(1)]));
  if (ours.sha256 !== tshark.sha256) {
    const a = ours.stdout!.split('\n');
    const b = tshark.stdout!.split('\n');
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    throw new Error(`${name}: outputs differ (ours ${ours.lines} lines, tshark ${tshark.lines}); first at line ${i + 1}:\n` +
      `  ours:   ${a[i] ?? '(end)'}\n  tshark: ${b[i] ?? '(end)'}`);
  }
  delete ours.stdout;
  delete tshark.stdout;
  return { name, ours, tshark, speedup: tshark.wallMs / ours.wallMs, memoryRatio: ours.peakRssMiB / tshark.peakRssMiB };
}

export function runCliBench(opts: { size: number; runs: number; only?: string; filterAddress?: string }): Comparison[] {
  const cap = ensureBenchCapture({ targetBytes: opts.size });
  console.log(`${cap.reused ? 'using' : 'generated'} ${cap.path} (${(cap.bytes / 1e6).toFixed(0)} MB, ${cap.packets} packets)`);
  const out: Comparison[] = [];
  const want = (k: string) => !opts.only || opts.only === k;
  if (want('fields')) {
    const e = FIELDS.flatMap((f) => ['-e', f]);
    out.push(compare('fields (12 fields)', cap.path, opts.runs, ['fields', ...e],
      ['-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', 'aggregator=,', ...e]));
  }
  if (want('analysis')) {
    out.push(compare('decode + TCP analysis (-Y tcp.analysis.flags)', cap.path, opts.runs,
      ['fields', '-Y', 'tcp.analysis.flags', '-e', 'frame.number'],
      ['-Y', 'tcp.analysis.flags', '-T', 'fields', '-e', 'frame.number']));
  }
  if (want('filters')) {
    const addr = opts.filterAddress ?? '192.168.1.10';
    for (const expr of ['tcp.port == 8080 && tcp.len > 0', `ip.addr == ${addr}`, 'tcp.analysis.retransmission',
      'http.request.method == "GET"']) {
      out.push(compare(`filter ${expr}`, cap.path, opts.runs, ['fields', '-Y', expr, '-e', 'frame.number'],
        ['-Y', expr, '-T', 'fields', '-e', 'frame.number']));
    }
  }
  for (const c of out) {
    console.log(
      `${c.name.padEnd(48)} ours ${c.ours.wallMs.toFixed(0).padStart(6)} ms ${c.ours.peakRssMiB.toFixed(0).padStart(5)} MiB` +
        ` | tshark ${c.tshark.wallMs.toFixed(0).padStart(6)} ms ${c.tshark.peakRssMiB.toFixed(0).padStart(5)} MiB` +
        ` | ${c.speedup.toFixed(2)}× faster, memory ${(c.memoryRatio * 100).toFixed(0)}% (${c.ours.lines} lines, byte-identical)`,
    );
  }
  console.log(JSON.stringify({ bench: 'cli-vs-tshark', file: cap.path, bytes: cap.bytes, packets: cap.packets, results: out }));
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const argv = process.argv.slice(2);
  let size = 550e6;
  let runs = 1;
  let only: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--size') size = parseSize(argv[++i]);
    else if (argv[i] === '--runs') runs = Number(argv[++i]);
    else if (argv[i] === '--only') only = argv[++i];
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  runCliBench({ size, runs, only });
}
