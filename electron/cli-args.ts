/**
 * Capture files named on the command line: `wirescope-desktop FILE…`, `electron . FILE`.
 * Electron and Chromium switches (--foo, --foo=bar) and the app path are skipped.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

export function filesFromArgv(argv: readonly string[], opts: { packaged: boolean; cwd?: string }): string[] {
  // Unpackaged: argv = [electron, appPath, ...]; packaged: argv = [app, ...].
  const args = argv.slice(opts.packaged ? 1 : 2);
  const out: string[] = [];
  for (const a of args) {
    if (a.startsWith('-')) continue;
    const p = resolve(opts.cwd ?? process.cwd(), a);
    try {
      if (existsSync(p) && statSync(p).isFile()) out.push(p);
    } catch {
      // unreadable: the open would fail anyway; skip it
    }
  }
  return out;
}
