/**
 * Starting our own modules in another thread or process: the built JavaScript in dist/, or —
 * in a source checkout (tests, `tsx`) — the TypeScript file through tsx's loader.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

const require = createRequire(import.meta.url);

function isTypeScript(url: URL): boolean {
  return url.pathname.endsWith('.ts');
}

/** URL of a tsx entry point, ESM flavour ("tsx/esm/api" has a CommonJS twin require() would pick). */
function tsxModule(subpath: '.' | './esm/api'): string {
  const pkgPath = require.resolve('tsx/package.json');
  const pkg = require('tsx/package.json') as { exports: Record<string, string | { import: { default: string } }> };
  const entry = pkg.exports[subpath];
  const file = typeof entry === 'string' ? entry : entry.import.default;
  return pathToFileURL(join(dirname(pkgPath), file)).href;
}

/** A worker thread running `url` (a .js module, or a .ts module through tsx). */
export function startWorker(url: URL, options: WorkerOptions = {}): Worker {
  if (!isTypeScript(url)) return new Worker(url, options);
  // Workers ignore --import in execArgv on Node 20: register tsx from an eval bootstrap.
  const boot =
    `import(${JSON.stringify(tsxModule('./esm/api'))})` +
    `.then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })` +
    `.catch((err) => { console.error(err); process.exit(70); });`;
  return new Worker(boot, { ...options, eval: true });
}

/**
 * The command line that runs `url` as a Node program: [executable, ...args]. Under Electron the
 * helper must not run inside Electron's own Node (native modules such as `cap` are built for
 * the system Node's ABI): WIRESCOPE_NODE or `node` from PATH is used there.
 */
export function nodeCommand(url: URL): { command: string; args: string[] } {
  const electron = (process.versions as Record<string, string | undefined>).electron !== undefined;
  const command = process.env.WIRESCOPE_NODE ?? (electron ? 'node' : process.execPath);
  const script = fileURLToPath(url);
  if (!isTypeScript(url)) return { command, args: [script] };
  return { command, args: ['--import', tsxModule('.'), script] };
}

/** A sibling module of the caller with the caller's own extension (.ts in source, .js built). */
export function siblingModule(callerUrl: string, name: string): URL {
  const ext = callerUrl.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${name}${ext}`, callerUrl);
}
