/**
 * Where live captures live until they are saved or discarded: one pcapng per capture in a temp
 * directory, with an owner file naming the process that writes it. A capture whose owner is
 * no longer running (the app or the renderer crashed, the machine was rebooted mid-capture…)
 * was neither saved nor discarded: it is offered again on the next start.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { RecoverableCapture } from '../../api/types.js';

export function captureDir(): string {
  return resolve(process.env.WIRESCOPE_CAPTURE_DIR ?? join(tmpdir(), 'wirescope-captures'));
}

const OWNER_SUFFIX = '.owner';

interface Owner {
  pid: number;
  interface: string;
  startedMs: number;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** A new temp file for a capture on `iface` (created empty, with its owner file). */
export function newCapturePath(iface: string, dir = captureDir()): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const safe = iface.replace(/[^\w.-]/g, '_');
  let path: string;
  let n = 0;
  do {
    path = join(dir, `live-${safe}-${stamp(new Date())}-${process.pid}${n ? `-${n}` : ''}.pcapng`);
    n++;
  } while (existsSync(path));
  writeFileSync(path, new Uint8Array(0), { mode: 0o600 });
  const owner: Owner = { pid: process.pid, interface: iface, startedMs: Date.now() };
  writeFileSync(path + OWNER_SUFFIX, JSON.stringify(owner), { mode: 0o600 });
  return path;
}

/** Takes ownership of a left-over capture (it is open again in this process). */
export function adoptCapture(path: string): void {
  const prev = readOwner(path);
  const owner: Owner = { pid: process.pid, interface: prev?.interface ?? 'unknown', startedMs: prev?.startedMs ?? Date.now() };
  writeFileSync(path + OWNER_SUFFIX, JSON.stringify(owner), { mode: 0o600 });
}

function readOwner(path: string): Owner | null {
  try {
    return JSON.parse(readFileSync(path + OWNER_SUFFIX, 'utf8')) as Owner;
  } catch {
    return null;
  }
}

/** Deletes a temp capture and its owner file (saved or discarded). */
export function removeCapture(path: string): boolean {
  let removed = false;
  for (const p of [path, path + OWNER_SUFFIX]) {
    try {
      unlinkSync(p);
      removed = true;
    } catch {
      // already gone
    }
  }
  return removed;
}

/** True when `path` is a capture file inside the temp directory (recover/discard accept only those). */
export function isTempCapture(path: string, dir = captureDir()): boolean {
  const abs = resolve(path);
  return abs.startsWith(dir + '/') && /^live-.*\.pcapng$/.test(basename(abs));
}

/** Captures left behind by processes that are gone. */
export function recoverableCaptures(dir = captureDir()): RecoverableCapture[] {
  if (!existsSync(dir)) return [];
  const out: RecoverableCapture[] = [];
  for (const name of readdirSync(dir)) {
    if (!/^live-.*\.pcapng$/.test(name)) continue;
    const path = join(dir, name);
    const owner = readOwner(path);
    if (owner && alive(owner.pid)) continue;
    try {
      const st = statSync(path);
      out.push({ path, interface: owner?.interface ?? 'unknown', sizeBytes: st.size, modifiedMs: st.mtimeMs });
    } catch {
      // vanished meanwhile
    }
  }
  return out.sort((a, b) => b.modifiedMs - a.modifiedMs);
}
