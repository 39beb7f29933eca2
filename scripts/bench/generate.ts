/**
 * Benchmark capture generator: a deterministic (seeded), realistic classic pcap (µs,
 * Ethernet) of a requested size, written as a stream into bench-data/ (gitignored).
 *
 * Traffic, seen from a client-side tap: hundreds of concurrent TCP connections (HTTP/1.1
 * keep-alive page loads and bulk downloads, with ~1.5 % segment loss producing duplicate ACKs
 * with SACK, fast and RTO retransmissions, out-of-order arrivals; handshakes with options;
 * FIN and RST teardowns; refused and unanswered connections), DNS over UDP, ICMP echo, ARP;
 * about 15 % IPv6. Checksums and lengths are valid throughout.
 *
 *   npx tsx scripts/bench/generate.ts [--size 550MB] [--seed 1] [--out bench-data/x.pcap]
 *
 * ensureBenchCapture() is the API for other bench scripts: it reuses an existing file made
 * with the same parameters (recorded in a .json next to it) and only generates otherwise.
 */

import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ContentSource } from './content.js';
import { EventQueue } from './event-queue.js';
import { arpExchange, dnsLookup, pingSession } from './other-sim.js';
import type { World } from './other-sim.js';
import { HOST_NAMES } from './other-sim.js';
import type { Host } from './net.js';
import { PcapOut } from './pcap-out.js';
import { Prng } from './prng.js';
import { TcpConnection } from './tcp-sim.js';
import type { TcpKind, TcpWorld } from './tcp-sim.js';

/** Bump when the generated traffic changes, so cached files are regenerated. */
export const GENERATOR_VERSION = 3;

export interface BenchCaptureOptions {
  /** Target file size in bytes (the file ends at the first packet boundary past it). Default 550 MB. */
  targetBytes?: number;
  seed?: number;
  /** Output path; default bench-data/bench-<size>MB-s<seed>.pcap under the repo root. */
  path?: string;
  /** Segment loss rate on server→client data (default 0.015). */
  lossRate?: number;
  /** Concurrent TCP connections to keep open (default 300). */
  concurrency?: number;
}

export interface BenchCaptureInfo {
  path: string;
  bytes: number;
  packets: number;
  tcpConnections: number;
  reused: boolean;
  seconds: number;
}

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const EPOCH_US = 1700000000 * 1e6;

export function defaultBenchPath(targetBytes: number, seed: number): string {
  // Resolved against the repo root, also when compiled into dist/scripts/bench.
  const root = existsSync(join(REPO_ROOT, 'package.json')) ? REPO_ROOT : resolve(REPO_ROOT, '..');
  return join(root, 'bench-data', `bench-${Math.round(targetBytes / 1e6)}MB-s${seed}.pcap`);
}

/** Returns the bench capture for these parameters, generating it only if needed. */
export function ensureBenchCapture(opts: BenchCaptureOptions = {}): BenchCaptureInfo {
  const params = resolveParams(opts);
  const meta = `${params.path}.json`;
  if (existsSync(params.path) && existsSync(meta)) {
    try {
      const m = JSON.parse(readFileSync(meta, 'utf8')) as { params: unknown; bytes: number; packets: number; tcpConnections: number };
      if (JSON.stringify(m.params) === JSON.stringify(paramsKey(params)) && statSync(params.path).size === m.bytes) {
        return { path: params.path, bytes: m.bytes, packets: m.packets, tcpConnections: m.tcpConnections, reused: true, seconds: 0 };
      }
    } catch {
      // unreadable metadata: regenerate
    }
  }
  return generateBenchCapture(opts);
}

interface Params {
  targetBytes: number;
  seed: number;
  path: string;
  lossRate: number;
  concurrency: number;
}

function resolveParams(opts: BenchCaptureOptions): Params {
  const targetBytes = opts.targetBytes ?? 550e6;
  const seed = opts.seed ?? 1;
  return {
    targetBytes,
    seed,
    path: resolve(opts.path ?? defaultBenchPath(targetBytes, seed)),
    lossRate: opts.lossRate ?? 0.015,
    concurrency: opts.concurrency ?? 300,
  };
}

function paramsKey(p: Params): unknown {
  return { v: GENERATOR_VERSION, targetBytes: p.targetBytes, seed: p.seed, lossRate: p.lossRate, concurrency: p.concurrency };
}

function mac(rng: Prng, prefix: number): Uint8Array {
  return Uint8Array.of(prefix, rng.int(0, 255), rng.int(0, 255), rng.int(0, 255), rng.int(0, 255), rng.int(0, 255));
}

function localHost(rng: Prng, i: number): Host {
  const ip6 = new Uint8Array(16);
  ip6.set([0xfd, 0x00, 0, 1], 0);
  ip6[14] = i >> 8;
  ip6[15] = i & 0xff;
  return { mac: mac(rng, 0x02), ip4: Uint8Array.of(192, 168, 1, i), ip6 };
}

function remoteHost(rng: Prng, gatewayMac: Uint8Array): Host {
  let a: number;
  do a = rng.int(1, 223);
  while (a === 10 || a === 127 || a === 172 || a === 192 || a === 169 || a === 100);
  const ip6 = new Uint8Array(16);
  ip6.set([0x20, 0x01, 0x0d, 0xb8, rng.int(0, 255), rng.int(0, 255)], 0);
  for (let k = 12; k < 16; k++) ip6[k] = rng.int(0, 255);
  return { mac: gatewayMac, ip4: Uint8Array.of(a, rng.int(0, 255), rng.int(0, 255), rng.int(1, 254)), ip6 };
}

/** Generates the capture unconditionally (streamed to a temp file, then renamed). */
export function generateBenchCapture(opts: BenchCaptureOptions = {}): BenchCaptureInfo {
  const p = resolveParams(opts);
  const started = process.hrtime.bigint();
  mkdirSync(dirname(p.path), { recursive: true });
  const tmp = `${p.path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  const rng = new Prng(p.seed);
  const q = new EventQueue();
  const out = new PcapOut(fd);
  const gateway = localHost(rng, 1);
  const clients = Array.from({ length: 240 }, (_, i) => localHost(rng, 10 + i));
  const servers = Array.from({ length: 400 }, () => remoteHost(rng, gateway.mac));
  const content = new ContentSource(rng);
  let active = 0;
  let tcpConnections = 0;
  const usedPorts = new Set<number>();
  const tcpWorld: TcpWorld = {
    q,
    out,
    rng,
    content,
    gatewayMac: gateway.mac,
    lossRate: p.lossRate,
    reorderRate: 0.004,
    onDone: () => {
      active--;
    },
  };
  const world: World = { q, out, rng, gateway, lossRate: p.lossRate };
  let nextPort = 32768 + rng.int(0, 20000);

  const startConnection = (t: number): void => {
    const r = rng.float();
    const kind: TcpKind = r < 0.88 ? 'web' : r < 0.96 ? 'bulk' : r < 0.985 ? 'refused' : 'unanswered';
    const client = rng.pick(clients);
    const server = rng.pick(servers);
    const v6 = rng.chance(0.15);
    do nextPort = nextPort >= 60999 ? 32768 : nextPort + 1;
    while (usedPorts.has(nextPort));
    const sPort = kind === 'refused' ? rng.pick([8443, 8081, 3000]) : rng.chance(0.9) ? 80 : 8080;
    const conn = new TcpConnection(tcpWorld, kind, client, server, v6, nextPort, sPort, rng.pick(HOST_NAMES));
    active++;
    tcpConnections++;
    if (rng.chance(0.4)) {
      dnsLookup(world, t, client, gateway, v6);
      q.at(t + rng.int(2000, 40000), () => conn.start(q.now));
    } else {
      conn.start(t);
    }
  };

  // Open the initial connections over the first half second, then keep `concurrency` busy.
  for (let i = 0; i < p.concurrency; i++) q.at(EPOCH_US + rng.int(0, 500000), () => startConnection(q.now));
  const spawner = (): void => {
    if (active < p.concurrency) startConnection(q.now);
    q.at(q.now + Math.round(rng.exp(4000)), spawner);
  };
  q.at(EPOCH_US + 500000, spawner);
  const dns = (): void => {
    dnsLookup(world, q.now, rng.pick(clients), gateway, rng.chance(0.15));
    q.at(q.now + Math.round(rng.exp(30000)), dns);
  };
  q.at(EPOCH_US + 1000, dns);
  const ping = (): void => {
    const v6 = rng.chance(0.25);
    pingSession(world, q.now, rng.pick(clients), rng.pick(servers), v6);
    q.at(q.now + Math.round(rng.exp(3000000)), ping);
  };
  q.at(EPOCH_US + 2000, ping);
  const arp = (): void => {
    const c = rng.pick(clients);
    if (rng.chance(0.5)) arpExchange(world, q.now, gateway, c);
    else arpExchange(world, q.now, c, gateway);
    q.at(q.now + Math.round(rng.exp(2000000)), arp);
  };
  q.at(EPOCH_US + 3000, arp);

  try {
    while (out.bytes < p.targetBytes && q.runNext()) {
      // run the simulation until the file is big enough
    }
    out.flush();
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, p.path);
  const info = { bytes: out.bytes, packets: out.packets, tcpConnections };
  writeFileSync(`${p.path}.json`, JSON.stringify({ params: paramsKey(p), ...info }, null, 2) + '\n');
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { path: p.path, ...info, reused: false, seconds };
}

/** "550MB", "1.5GB", "200k", "12345" → bytes (decimal units, like file sizes). */
export function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]?)i?b?$/i.exec(s.trim());
  if (!m) throw new Error(`bad size "${s}" (use e.g. 550MB)`);
  const unit = { '': 1, k: 1e3, m: 1e6, g: 1e9 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Math.round(Number(m[1]) * unit);
}

function main(argv: string[]): void {
  const opts: BenchCaptureOptions = {};
  let force = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--size') opts.targetBytes = parseSize(argv[++i]);
    else if (a === '--seed') opts.seed = Number(argv[++i]);
    else if (a === '--out') opts.path = argv[++i];
    else if (a === '--loss') opts.lossRate = Number(argv[++i]);
    else if (a === '--force') force = true;
    else throw new Error(`unknown argument ${a}`);
  }
  const info = force ? generateBenchCapture(opts) : ensureBenchCapture(opts);
  console.log(
    `${info.reused ? 'reused' : 'generated'} ${info.path}: ${(info.bytes / 1e6).toFixed(1)} MB, ${info.packets} packets, ` +
      `${info.tcpConnections} TCP connections${info.reused ? '' : ` in ${info.seconds.toFixed(1)} s`}`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main(process.argv.slice(2));
