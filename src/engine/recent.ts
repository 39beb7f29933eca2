/** Recently opened capture files, kept in a small JSON file (File → Open Recent, the toolbar). */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { RecentFile } from '../api/types.js';

const MAX_RECENT = 10;

export function defaultRecentPath(): string {
  const base = process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config');
  return join(base, 'wirescope', 'recent.json');
}

export class RecentFiles {
  constructor(readonly path: string = defaultRecentPath()) {}

  list(): RecentFile[] {
    try {
      const data = JSON.parse(readFileSync(this.path, 'utf8')) as unknown;
      if (!Array.isArray(data)) return [];
      return data
        .filter((e): e is RecentFile => !!e && typeof e.path === 'string' && typeof e.openedMs === 'number')
        .map((e) => ({ path: e.path, name: basename(e.path), openedMs: e.openedMs }))
        .slice(0, MAX_RECENT);
    } catch {
      return [];
    }
  }

  clear(): void {
    this.write([]);
  }

  private write(list: RecentFile[]): void {
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      writeFileSync(this.path, JSON.stringify(list, null, 1));
    } catch {
      // A read-only config directory must not break opening files.
    }
  }

  add(path: string): RecentFile[] {
    const list = [{ path, name: basename(path), openedMs: Date.now() }, ...this.list().filter((e) => e.path !== path)].slice(0, MAX_RECENT);
    this.write(list);
    return list;
  }
}
