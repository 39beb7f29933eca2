/**
 * `wirescope serve [FILE] [--port N] [--host H]` — the analyzer in a browser: serves the built
 * renderer and the engine API over WebSocket (src/server), guarded by a random access token
 * printed in the URL. Binds 127.0.0.1 unless --host says otherwise (with a warning).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ParsedArgs } from '../args.js';
import { checkFlags, single, UsageError } from '../args.js';
import type { CliIO } from '../io.js';
import { exposesNetwork, startServer, type RunningServer, type ServeOptions } from '../../server/server.js';

export const DEFAULT_PORT = 8777;

/** The repository (or installed package) root: the nearest directory with package.json. */
export function packageRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) return from;
    dir = up;
  }
}

function version(root: string): string {
  try {
    return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export interface ServeRun {
  server: RunningServer;
  /** Resolves when the server was stopped (signal or `stop`). */
  done: Promise<void>;
  stop(): Promise<void>;
}

/** Starts serve mode from parsed arguments; prints the URL. */
export async function startServe(args: ParsedArgs, io: CliIO, extra: Partial<ServeOptions> = {}): Promise<ServeRun> {
  checkFlags(args, ['--port', '--host']);
  const [file, ...rest] = args.positionals;
  if (rest.length) throw new UsageError(`unexpected argument "${rest[0]}"`);
  const portText = single(args, '--port');
  const host = single(args, '--host') ?? '127.0.0.1';
  let port: number | undefined;
  if (portText !== undefined) {
    port = Number(portText);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535 (got "${portText}")`);
  }
  let initialFile: string | null = null;
  if (file !== undefined) {
    initialFile = resolve(file);
    if (!existsSync(initialFile) || !statSync(initialFile).isFile()) throw new UsageError(`${file}: no such capture file`);
  }
  const root = packageRoot();
  const options: ServeOptions = {
    staticDir: join(root, 'dist', 'renderer'),
    host,
    initialFile,
    version: version(root),
    ...extra,
  };
  let server: RunningServer;
  try {
    server = await startServer({ ...options, port: port ?? DEFAULT_PORT });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' && port === undefined) server = await startServer({ ...options, port: 0 });
    else if (code === 'EADDRINUSE') throw new UsageError(`port ${port} is already in use: pick another with --port`);
    else if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new UsageError(`cannot listen on ${host}: no such local address`);
    else throw err;
  }
  if (exposesNetwork(host)) {
    io.stderr.write(
      `wirescope: WARNING: listening on ${host}, reachable from other machines. Anyone with the token can read ` +
      'captures and files on this machine and start live captures. Prefer the default 127.0.0.1 with an SSH tunnel.\n',
    );
  }
  if (!existsSync(join(options.staticDir, 'index.html'))) {
    io.stderr.write(`wirescope: the user interface is not built (${options.staticDir} is missing): run npm run build first.\n`);
  }
  io.stdout.write(
    `Wirescope ${initialFile ? `is serving ${initialFile}` : 'is running'}. Open this URL in a browser:\n\n    ${server.urlWithToken}\n\n` +
    'The token in the URL is required. Press Ctrl+C to stop.\n',
  );
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= server.close().then(() => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolveDone();
    });
    return stopping;
  };
  const onSignal = (): void => void stop();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return { server, done, stop };
}

export async function runServe(args: ParsedArgs, io: CliIO): Promise<number> {
  const run = await startServe(args, io);
  await run.done;
  return 0;
}
