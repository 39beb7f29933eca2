/**
 * Engine benchmark (issue 6), run against tshark in the same session — ratios matter, these
 * machines are noisy:
 *
 *  1. Open the bench capture through the engine exactly as a window does (EngineConnection →
 *     worker thread): time from openFile to the first 100 rows (target ≤ 300 ms, whatever the
 *     file size), and to the end of the full load (decode + analysis + index), with the
 *     process's peak RSS (main + worker).
 *  2. tshark's `-Y tcp.analysis.flags` pass over the same file: time and peak RSS.
 *     Targets: our load ≥ 5× faster, ≤ 1/4 of tshark's memory.
 *  3. Live capture on loopback: a Python sender pushes UDP at --rate packets/s for
 *     --seconds; the engine captures with a BPF filter for them. Reported: sent, captured,
 *     lost before the helper (kernel / socket buffer: sent − captured), lost on our side
 *     (helper → engine, must be 0).
 *
 *   npx tsx scripts/bench/engine-bench.ts [--size 550MB] [--runs 3] [--rate 100000] [--seconds 10]
 *        [--skip-tshark] [--skip-live] [--only-live] [--json]
 *
 * Each measurement runs in its own process so peak RSS is its own.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EngineConnection } from '../../src/engine/connection.js';
import type { AnyEngineEvent } from '../../src/api/messages.js';
import type { CaptureStatus } from '../../src/api/types.js';
import { readCaptureFileSync } from '../../src/capture/read-node.js';
import { ensureBenchCapture, parseSize } from './generate.js';

const self = fileURLToPath(import.meta.url);

function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

function childArgs(...args: string[]): string[] {
  return [...process.execArgv, self, ...args];
}

// ------------------------------------------------------------------ child: open

interface OpenResult {
  /** openFile → 100 rows, with the window's engine worker already running. */
  firstRowsMs: number;
  /** How long the engine worker takes to start (added when a file is opened with the window). */
  workerReadyMs: number;
  openMs: number;
  loadMs: number;
  packets: number;
  maxRssMB: number;
  /** CPU seconds (user + system, all threads) until the load finished. */
  cpuSeconds: number;
}

async function childOpen(file: string): Promise<void> {
  const events: AnyEngineEvent[] = [];
  let loaded: (() => void) | null = null;
  const conn = new EngineConnection({ shell: 'test', version: 'bench', saveMode: 'path-or-download' }, (e) => {
    events.push(e);
    if (e.event === 'progress' && e.data.phase === 'load' && e.data.finished) loaded?.();
  });
  const done = new Promise<void>((r) => (loaded = r));
  // A window's engine worker starts with the window, before the user opens a file.
  const workerStart = performance.now();
  await conn.handle('validateFilter', { expression: '' });
  const workerReadyMs = performance.now() - workerStart;
  const t0 = performance.now();
  const opened = await conn.handle('openFile', { path: file });
  const openMs = performance.now() - t0;
  if (!opened.ok) throw new Error(opened.error.message);
  const rows = await conn.handle('getRows', { start: 0, count: 100 });
  const firstRowsMs = performance.now() - t0;
  if (!rows.ok || (rows.result as { rows: unknown[] }).rows.length !== 100) throw new Error('fewer than 100 rows');
  await done;
  const loadMs = performance.now() - t0;
  const last = [...events].reverse().find((e) => e.event === 'packets');
  const packets = last && last.event === 'packets' ? last.data.total : 0;
  const cpu = process.cpuUsage();
  const result: OpenResult = {
    firstRowsMs, openMs, loadMs, packets, workerReadyMs, maxRssMB: process.resourceUsage().maxRSS / 1024,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
  await conn.dispose();
  process.stdout.write(JSON.stringify(result) + '\n');
}

function runOpen(file: string): OpenResult {
  const r = spawnSync(process.execPath, childArgs('--child-open', file), { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`open child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as OpenResult;
}

// ------------------------------------------------------------------ tshark

function runTshark(file: string): { seconds: number; maxRssMB: number; cpuSeconds: number } | { error: string } {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M %U %S', 'tshark', '-n', '-r', file, '-Y', 'tcp.analysis.flags'], {
    encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'ignore', 'pipe'],
  });
  if (r.error) return { error: `cannot run tshark under /usr/bin/time: ${r.error.message}` };
  const m = /(\d+(?:\.\d+)?) (\d+) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)\s*$/.exec(r.stderr ?? '');
  if (!m) return { error: `unexpected output: ${r.stderr?.slice(-200)}` };
  return { seconds: Number(m[1]), maxRssMB: Number(m[2]) / 1024, cpuSeconds: Number(m[3]) + Number(m[4]) };
}

// ------------------------------------------------------------------ sender

/**
 * The load generator is a small Python process, not Node: Node's dgram send goes through
 * libuv with a callback per datagram and tops out near 90k datagrams/s on these 2-core
 * machines, below the 100k/s the capture has to sustain. A Python loop of send(2) on a
 * connected socket reaches ~300k/s here. It paces itself in 1 ms slices so the rate is even
 * over the run, and sends to a bound socket that is never read, so the kernel drops the
 * datagrams at the receiver quietly instead of answering with ICMP port unreachable (which
 * would double the loopback load). Each payload starts with its sequence number.
 */
const SENDER = `
import socket, struct, sys, time, json
port, rate, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
sink = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sink.bind(("127.0.0.1", port))
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.connect(("127.0.0.1", port))
total = int(rate * seconds)
pad = b"Z" * 60
sent = 0
start = time.perf_counter()
while sent < total:
    due = min(total, int((time.perf_counter() - start) * rate) + rate // 1000)
    while sent < due:
        s.send(struct.pack(">I", sent) + pad)
        sent += 1
    ahead = sent / rate - (time.perf_counter() - start)
    if ahead > 0:
        time.sleep(ahead)
print(json.dumps({"sent": sent, "seconds": time.perf_counter() - start}), flush=True)
`;

interface LiveResult {
  /** The capture helper's CPU time per captured packet (its start-up included). */
  helperCpuUsPerPacket: number | null;
  sent: number;
  sendSeconds: number;
  captured: number;
  lostBeforeHelper: number;
  ourDrops: number;
  kernelDrops: number | null;
  packetEventsPerSecond: number;
  maxRssMB: number;
  /** Packets in the engine's index when the capture stopped. */
  indexed: number;
  /** Sender datagrams found in the capture file, missing from it, and present twice. */
  inFile?: number;
  missing?: number;
  duplicated?: number;
}

async function runLive(rate: number, seconds: number): Promise<LiveResult> {
  const port = 41000 + (process.pid % 2000);
  const events: AnyEngineEvent[] = [];
  const timeFile = join(tmpdir(), `wirescope-helper-time-${process.pid}.txt`);
  const conn = new EngineConnection({
    shell: 'test', version: 'bench', saveMode: 'path-or-download',
    // The helper's own CPU time, for its cost per packet.
    helper: { wrapper: ['/usr/bin/time', '-f', '%U %S', '-o', timeFile] },
  }, (e) => events.push(e));
  const started = await conn.handle('startCapture', { interface: 'lo', captureFilter: `udp dst port ${port}` });
  if (!started.ok) throw new Error(started.error.message);
  const sender = spawn('python3', ['-c', SENDER, String(port), String(rate), String(seconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  sender.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const t0 = Date.now();
  await new Promise((r) => sender.on('close', r));
  const { sent, seconds: sendSeconds } = JSON.parse(out.trim()) as { sent: number; seconds: number };
  // Let the last packets through: stop once the count has not moved for a second.
  const total = () => {
    const last = [...events].reverse().find((e) => e.event === 'packets');
    return last && last.event === 'packets' ? last.data.total : 0;
  };
  let prev = -1;
  while (total() !== prev) {
    prev = total();
    await new Promise((r) => setTimeout(r, 1000));
  }
  const stopped = await conn.handle('stopCapture', {});
  if (!stopped.ok) throw new Error(stopped.error.message);
  const status = stopped.result as CaptureStatus;
  const elapsed = (Date.now() - t0) / 1000;
  const packetEvents = events.filter((e) => e.event === 'packets').length;
  const check = status.tempFile ? checkSequence(status.tempFile, sent, port) : null;
  await conn.handle('discardCapture', {});
  await conn.dispose();
  let helperCpuSeconds: number | null = null;
  try {
    const [u, sys] = readFileSync(timeFile, 'utf8').trim().split(/\s+/).slice(-2).map(Number);
    helperCpuSeconds = u + sys;
    rmSync(timeFile);
  } catch {
    // /usr/bin/time missing
  }
  return {
    helperCpuUsPerPacket: helperCpuSeconds === null || status.packets === 0 ? null : (helperCpuSeconds * 1e6) / status.packets,
    sent,
    sendSeconds,
    captured: status.packets,
    lostBeforeHelper: sent - status.packets - status.ourDrops,
    ourDrops: status.ourDrops,
    kernelDrops: status.kernelDrops,
    packetEventsPerSecond: packetEvents / elapsed,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    indexed: total(),
    ...(check ?? {}),
  };
}

/**
 * Reads the capture file back and checks the sender's numbers: every datagram 0…sent−1 must be
 * in it exactly once (a count alone would not see a lost packet hidden by a duplicate).
 */
function checkSequence(file: string, sent: number, port: number): { inFile: number; missing: number; duplicated: number } {
  const seen = new Uint8Array(sent);
  let inFile = 0;
  let duplicated = 0;
  readCaptureFileSync(file, (rec) => {
    const d = rec.data;
    // Ethernet (14) + IPv4 without options (20) + UDP (8), to our port.
    if (d.length < 46 || ((d[36] << 8) | d[37]) !== port) return;
    const n = ((d[42] << 24) | (d[43] << 16) | (d[44] << 8) | d[45]) >>> 0;
    if (n >= sent) return;
    inFile++;
    if (seen[n]++) duplicated++;
  });
  let missing = 0;
  for (let i = 0; i < sent; i++) if (!seen[i]) missing++;
  return { inFile, missing, duplicated };
}

// ------------------------------------------------------------------ main

function median(xs: number[]): number {
  const v = [...xs].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

async function main(): Promise<void> {
  if (process.argv.includes('--child-open')) return childOpen(arg('--child-open')!);
  if (process.argv.includes('--only-live')) return runLiveOnly();
  const size = parseSize(arg('--size', '550MB')!);
  const json = process.argv.includes('--json');
  const log = (s: string) => {
    if (!json) console.log(s);
  };
  const bench = ensureBenchCapture({ targetBytes: size });
  log(`bench capture: ${bench.path} (${(bench.bytes / 1e6).toFixed(0)} MB, ${bench.packets} packets${bench.reused ? ', reused' : ''})`);
  const report: Record<string, unknown> = { file: bench.path, bytes: bench.bytes, packets: bench.packets };

  // This machine's run-to-run noise is large (±25 %, page-cache reclaim included), for tshark as
  // for us: both are measured --runs times, interleaved, and compared by their medians.
  const runs = Math.max(1, Number(arg('--runs', '3')));
  const skipTshark = process.argv.includes('--skip-tshark');
  const oursRuns: OpenResult[] = [];
  const tsharkRuns: ReturnType<typeof runTshark>[] = [];
  for (let r = 0; r < runs; r++) {
    const o = runOpen(bench.path);
    oursRuns.push(o);
    log(`engine run ${r + 1}: first 100 rows ${o.firstRowsMs.toFixed(0)} ms, full load ${(o.loadMs / 1000).toFixed(2)} s, peak RSS ${o.maxRssMB.toFixed(0)} MB, ${o.cpuSeconds.toFixed(1)} s CPU`);
    if (skipTshark) continue;
    const t = runTshark(bench.path);
    tsharkRuns.push(t);
    if ('error' in t) {
      log(`tshark: ${t.error}`);
      break;
    }
    log(`tshark run ${r + 1}: -Y tcp.analysis.flags ${t.seconds.toFixed(1)} s (${t.cpuSeconds.toFixed(1)} s CPU), peak RSS ${t.maxRssMB.toFixed(0)} MB`);
  }
  const ours: OpenResult = {
    ...oursRuns[0],
    firstRowsMs: median(oursRuns.map((o) => o.firstRowsMs)),
    loadMs: median(oursRuns.map((o) => o.loadMs)),
    maxRssMB: median(oursRuns.map((o) => o.maxRssMB)),
    cpuSeconds: median(oursRuns.map((o) => o.cpuSeconds)),
  };
  const worstRss = Math.max(...oursRuns.map((o) => o.maxRssMB));
  report.engine = ours;
  report.engineRuns = oursRuns;
  log(`engine (median of ${oursRuns.length}): first 100 rows ${ours.firstRowsMs.toFixed(0)} ms after openFile (target ≤ 300; engine worker start-up ${ours.workerReadyMs.toFixed(0)} ms), full load ${(ours.loadMs / 1000).toFixed(1)} s ` +
    `(${Math.round(ours.packets / (ours.loadMs / 1000))} packets/s), peak RSS ${ours.maxRssMB.toFixed(0)} MB (highest ${worstRss.toFixed(0)} MB)`);

  const okTshark = tsharkRuns.filter((t): t is Exclude<typeof t, { error: string }> => !('error' in t));
  if (!skipTshark && okTshark.length > 0) {
    const t = {
      seconds: median(okTshark.map((x) => x.seconds)),
      cpuSeconds: median(okTshark.map((x) => x.cpuSeconds)),
      maxRssMB: median(okTshark.map((x) => x.maxRssMB)),
    };
    report.tshark = t;
    report.tsharkRuns = tsharkRuns;
    const speed = t.seconds / (ours.loadMs / 1000);
    const cpuSpeed = t.cpuSeconds / ours.cpuSeconds;
    const mem = ours.maxRssMB / t.maxRssMB;
    const worstMem = worstRss / t.maxRssMB;
    report.ratios = { speedup: speed, cpuSpeedup: cpuSpeed, memoryFraction: mem, worstMemoryFraction: worstMem };
    log(`tshark -Y tcp.analysis.flags (median of ${okTshark.length}): ${t.seconds.toFixed(1)} s (${t.cpuSeconds.toFixed(1)} s CPU), peak RSS ${t.maxRssMB.toFixed(0)} MB`);
    log(`ratios (medians): load ${speed.toFixed(2)}× faster than tshark by the clock (target ≥ 5), ${cpuSpeed.toFixed(2)}× by CPU time ` +
      `(ours ${ours.cpuSeconds.toFixed(1)} s CPU), memory ${(mem * 100).toFixed(0)} % of tshark's, highest run ${(worstMem * 100).toFixed(0)} % (target ≤ 25 %)`);
  } else if (!skipTshark) {
    report.tshark = tsharkRuns[0];
  }

  if (!process.argv.includes('--skip-live')) {
    const rate = Number(arg('--rate', '100000'));
    const seconds = Number(arg('--seconds', '10'));
    try {
      const live = await runLive(rate, seconds);
      report.live = live;
      log(`live capture: sent ${live.sent} in ${live.sendSeconds.toFixed(1)} s (${Math.round(live.sent / live.sendSeconds)}/s), ` +
        `captured ${live.captured} (indexed ${live.indexed}; in the saved file ${live.inFile ?? '?'}, missing ${live.missing ?? '?'}, duplicated ${live.duplicated ?? '?'}), ` +
        `lost before the helper ${live.lostBeforeHelper}, lost on our side ${live.ourDrops}, ` +
        `kernel drops ${live.kernelDrops ?? 'unknown (no python3 probe)'}, ${live.packetEventsPerSecond.toFixed(1)} packet events/s; ` +
        `helper CPU ${live.helperCpuUsPerPacket?.toFixed(2) ?? '?'} µs/packet (≈ ${live.helperCpuUsPerPacket ? Math.round(1e6 / live.helperCpuUsPerPacket) : '?'} packets/s per core)`);
    } catch (err) {
      report.live = { error: (err as Error).message };
      log(`live capture: not run (${(err as Error).message})`);
    }
  }
  if (json) console.log(JSON.stringify(report, null, 1));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
/** `--only-live`: the live-capture measurement alone, as JSON (no bench capture needed). */
async function runLiveOnly(): Promise<void> {
  const live = await runLive(Number(arg('--rate', '100000')), Number(arg('--seconds', '10')));
  console.log(JSON.stringify(live));
}
