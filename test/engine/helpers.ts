/** Shared helpers of the engine tests: sessions on fixtures, tshark golden parsers, temp files. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaptureSession } from '../../src/engine/session.js';
import type { AnyEngineEvent } from '../../src/api/messages.js';
import { readCaptureFileSync } from '../../src/capture/read-node.js';

export interface OpenedSession {
  session: CaptureSession;
  events: AnyEngineEvent[];
}

let nextId = 1;

/** A CaptureSession (in this thread) with the file fully loaded. */
export async function openLoaded(path: string): Promise<OpenedSession> {
  const events: AnyEngineEvent[] = [];
  const session = new CaptureSession({ captureId: nextId++, path, source: 'file', emit: (e) => events.push(e) });
  await session.startFileLoad();
  await session.whenIdle();
  return { session, events };
}

export function tempDir(prefix = 'wirescope-test-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Every packet of a capture file: bytes (copied), timestamps, lengths. */
export function readPackets(path: string): { tsSec: number; tsNsec: number; origLen: number; data: Uint8Array }[] {
  const out: { tsSec: number; tsNsec: number; origLen: number; data: Uint8Array }[] = [];
  readCaptureFileSync(path, (r) => out.push({ tsSec: r.tsSec, tsNsec: r.tsNsec, origLen: r.origLen, data: r.data.slice() }));
  return out;
}

export interface GoldenConversation {
  a: string;
  b: string;
  framesBtoA: number;
  bytesBtoA: string;
  framesAtoB: number;
  bytesAtoB: string;
}

/** Rows of `tshark -q -z conv,<kind>`. Bytes stay text ("695 bytes", "1264 kB"). */
export function parseConversations(text: string): GoldenConversation[] {
  const out: GoldenConversation[] = [];
  const re = /^(\S+)\s+<->\s+(\S+)\s+(\d+) (\d+ \w+)\s+(\d+) (\d+ \w+)\s+\d+ \d+ \w+\s+[\d.]+\s+[\d.]+\s*$/;
  for (const line of text.split('\n')) {
    const m = re.exec(line);
    if (m) out.push({ a: m[1], b: m[2], framesBtoA: +m[3], bytesBtoA: m[4], framesAtoB: +m[5], bytesAtoB: m[6] });
  }
  return out;
}

export interface GoldenEndpoint {
  address: string;
  packets: number;
  bytes: number;
  txPackets: number;
  txBytes: number;
  rxPackets: number;
  rxBytes: number;
}

/** Rows of `tshark -q -z endpoints,ip` (bytes are exact numbers there). */
export function parseEndpoints(text: string): GoldenEndpoint[] {
  const out: GoldenEndpoint[] = [];
  const re = /^(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$/;
  for (const line of text.split('\n')) {
    const m = re.exec(line);
    if (m) out.push({ address: m[1], packets: +m[2], bytes: +m[3], txPackets: +m[4], txBytes: +m[5], rxPackets: +m[6], rxBytes: +m[7] });
  }
  return out;
}

/** tshark's size text (format_size, SI units) for a byte count: "695 bytes", "1264 kB". */
export function matchesSizeText(bytes: number, text: string): boolean {
  const [num, unit] = text.split(' ');
  const n = Number(num);
  if (unit === 'bytes') return bytes === n;
  const scale = unit === 'kB' ? 1e3 : unit === 'MB' ? 1e6 : unit === 'GB' ? 1e9 : NaN;
  return Math.abs(bytes / scale - n) < 1;
}

/** Blocks of `tshark -q -z follow,tcp,ascii,N`: node and the ASCII text of each block. */
export function parseFollowAscii(text: string): { nodes: [string, string]; blocks: { node: 0 | 1; text: string }[] } {
  const nodes: [string, string] = [
    /^Node 0: (.*)$/m.exec(text)?.[1] ?? '',
    /^Node 1: (.*)$/m.exec(text)?.[1] ?? '',
  ];
  const start = text.indexOf('\n', text.indexOf('Node 1:')) + 1;
  const blocks: { node: 0 | 1; text: string }[] = [];
  let p = start;
  for (;;) {
    const nl = text.indexOf('\n', p);
    if (nl < 0) break;
    const header = text.slice(p, nl);
    const m = /^(\t?)(\d+)$/.exec(header);
    if (!m) break;
    const len = Number(m[2]);
    blocks.push({ node: m[1] ? 1 : 0, text: text.slice(nl + 1, nl + 1 + len) });
    p = nl + 1 + len + 1;
  }
  return { nodes, blocks };
}

/** tshark's ASCII rendering of follow data: printable ASCII, CR and LF kept, the rest '.'. */
export function asciiOf(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += (b >= 0x20 && b < 0x7f) || b === 0x0a || b === 0x0d ? String.fromCharCode(b) : '.';
  return s;
}
