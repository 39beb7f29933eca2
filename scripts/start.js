#!/usr/bin/env node
// `npm start`: launches the desktop app (Electron) on the bundled sample capture. Where the
// Electron binary is not installed (it is downloaded from outside the npm registry, which some
// machines cannot reach) or there is no display, it starts serve mode instead and prints the
// URL to open in a browser. Runs after `npm run build` (see package.json).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sample = join(root, 'fixtures', 'http-handshake.pcap');
const args = process.argv.slice(2);
const file = args[0] ?? (existsSync(sample) ? sample : undefined);

/** The Electron executable if it is installed, without triggering electron's lazy download. */
function electronBinary() {
  const pkgDir = join(root, 'node_modules', 'electron');
  const pathFile = join(pkgDir, 'path.txt');
  if (!existsSync(pathFile)) return { binary: null, why: 'the Electron binary is not installed (node_modules/electron has no path.txt: its download did not happen)' };
  const rel = readFileSync(pathFile, 'utf8').trim();
  const base = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(pkgDir, 'dist');
  const binary = join(base, rel);
  if (!existsSync(binary)) return { binary: null, why: `the Electron binary is not installed (${binary} is missing)` };
  return { binary, why: null };
}

function run(command, argv) {
  const child = spawn(command, argv, { stdio: 'inherit', cwd: root });
  const forward = (sig) => child.kill(sig);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

let { binary, why } = electronBinary();
if (binary && process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  why = 'there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)';
  binary = null;
}
if (!existsSync(join(root, 'dist', 'electron', 'main.js')) || !existsSync(join(root, 'dist', 'src', 'cli', 'main.js'))) {
  console.error('wirescope: the build is missing: run `npm run build` (npm start does it for you).');
  process.exit(2);
}

if (binary) {
  run(binary, [root, ...(file ? [file] : [])]);
} else {
  console.log(`Wirescope: not starting the desktop window because ${why}.`);
  console.log('Starting serve mode instead: the same interface, in your browser.\n');
  run(process.execPath, [join(root, 'bin', 'wirescope.js'), 'serve', ...(file ? [file] : []), ...args.slice(1)]);
}
