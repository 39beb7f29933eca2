/**
 * Record-reading benchmark: readCaptureFileSync over the generated bench capture (count the
 * records, sum caplen) against `capinfos -c` on the same file, best of 5 each (best read time and best process time taken separately), plus our peak
 * RSS on the full file and on a half-size one (memory must not grow with the file).
 *
 *   npx tsx scripts/bench/read-bench.ts [--size 550MB] [--runs 5] [--pcap-parser] [--sweep]
 *
 * Each of our runs is its own process (read-child), so its maxRSS is its own; "read" is the
 * time inside that process from open to the last record, "wall" includes Node's start-up.
 * capinfos is timed as a whole process (its start-up is a few ms).
 */

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ensureBenchCapture, parseSize } from './generate.js';

interface ChildResult {
  mode: string;
  ms: number;
  packets: number;
  capBytes: number;
  maxRssKiB: number;
  wallMs: number;
}

const here = fileURLToPath(import.meta.url);
const childPath = here.replace(/read-bench\.(ts|js)$/, (_m, ext: string) => `read-child.${ext}`);

function runChild(file: string, mode: 'ours' | 'pcap-parser' | 'noop', chunk?: number): ChildResult {
  const args = [...process.execArgv, childPath, file, mode, ...(chunk ? [String(chunk)] : [])];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`read-child failed: ${r.stderr || r.error?.message}`);
  const line = r.stdout.trim().split('\n').pop() ?? '';
  return { ...(JSON.parse(line) as Omit<ChildResult, 'wallMs'>), wallMs };
}

function capinfos(file: string): { ms: number; packets: number } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('capinfos', ['-c', '-M', file], { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.error || r.status !== 0) {
    throw new Error(`capinfos failed (${r.error?.message ?? r.stderr}); install it with: apt-get install -y wireshark-common`);
  }
  const m = /Number of packets:\s*(\d+)/.exec(r.stdout);
  return { ms, packets: m ? Number(m[1]) : NaN };
}

function best<T extends { ms: number }>(runs: T[]): T {
  return runs.reduce((a, b) => (b.ms < a.ms ? b : a));
}

function main(argv: string[]): void {
  let size = 550e6;
  let runs = 5;
  let withPcapParser = false;
  let sweep = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--size') size = parseSize(argv[++i]);
    else if (argv[i] === '--runs') runs = Number(argv[++i]);
    else if (argv[i] === '--pcap-parser') withPcapParser = true;
    else if (argv[i] === '--sweep') sweep = true;
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  const full = ensureBenchCapture({ targetBytes: size });
  const half = ensureBenchCapture({ targetBytes: size / 2 });
  for (const f of [full, half]) {
    console.log(`${f.reused ? 'using' : 'generated'} ${f.path} (${(f.bytes / 1e6).toFixed(0)} MB, ${f.packets} packets)`);
  }

  const ci = best(Array.from({ length: runs }, () => capinfos(full.path)));
  const oursRuns = Array.from({ length: runs }, () => runChild(full.path, 'ours'));
  const ours = { ...best(oursRuns), wallMs: Math.min(...oursRuns.map((r) => r.wallMs)) };
  const startup = Math.min(...Array.from({ length: runs }, () => runChild(full.path, 'noop').wallMs));
  const oursHalf = best(Array.from({ length: runs }, () => runChild(half.path, 'ours')));
  if (ours.packets !== full.packets || ci.packets !== full.packets) {
    throw new Error(`packet counts disagree: ours ${ours.packets}, capinfos ${ci.packets}, generator ${full.packets}`);
  }
  const pp = withPcapParser ? best(Array.from({ length: runs }, () => runChild(full.path, 'pcap-parser'))) : undefined;

  const mb = full.bytes / 1e6;
  const rows: [string, string, string, string][] = [
    ['reader', 'time (ms)', 'MB/s', 'peak RSS'],
    ['capinfos -c', ci.ms.toFixed(0), (mb / (ci.ms / 1000)).toFixed(0), '-'],
    [`ours: read (process ${ours.wallMs.toFixed(0)}, start-up ${startup.toFixed(0)})`, ours.ms.toFixed(0), (mb / (ours.ms / 1000)).toFixed(0), `${(ours.maxRssKiB / 1024).toFixed(0)} MiB`],
    [`ours, half-size file`, oursHalf.ms.toFixed(0), ((half.bytes / 1e6) / (oursHalf.ms / 1000)).toFixed(0), `${(oursHalf.maxRssKiB / 1024).toFixed(0)} MiB`],
  ];
  if (pp) rows.push([`pcap-parser (wall ${pp.wallMs.toFixed(0)})`, pp.ms.toFixed(0), (mb / (pp.ms / 1000)).toFixed(0), `${(pp.maxRssKiB / 1024).toFixed(0)} MiB`]);
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) console.log(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
  const ratio = ours.ms / ci.ms;
  const wallRatio = ours.wallMs / ci.ms;
  console.log(
    `ours / capinfos: ${ratio.toFixed(2)}× reading records, ${wallRatio.toFixed(2)}× as whole processes ` +
      `(${startup.toFixed(0)} ms of ours is Node${process.execArgv.length ? ' + the tsx TypeScript loader' : ''} starting up); ` +
      `target ≤ 2×: ${ratio <= 2 ? 'met' : 'NOT met'}`,
  );

  const sweepResults: Record<string, number> = {};
  if (sweep) {
    for (const chunk of [64 << 10, 256 << 10, 1 << 20, 4 << 20, 16 << 20]) {
      sweepResults[String(chunk)] = best(Array.from({ length: runs }, () => runChild(full.path, 'ours', chunk))).ms;
    }
    console.log('chunk size sweep (ms):', sweepResults);
  }
  console.log(
    JSON.stringify({
      bench: 'capture-read',
      file: full.path,
      bytes: full.bytes,
      packets: full.packets,
      capinfosMs: round(ci.ms),
      oursReadMs: round(ours.ms),
      oursWallMs: round(ours.wallMs),
      startupMs: round(startup),
      ratio: round(ratio),
      peakRssKiB: ours.maxRssKiB,
      halfFileBytes: half.bytes,
      halfFilePeakRssKiB: oursHalf.maxRssKiB,
      ...(pp ? { pcapParserMs: round(pp.ms) } : {}),
      ...(sweep ? { chunkSweepMs: sweepResults } : {}),
    }),
  );
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

main(process.argv.slice(2));
