/**
 * The engine's side of the capture helper: starts it, hands its pcapng output on, reads its
 * status pipe, stops it, and turns every way it can end into a clear ApiError.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { ApiError } from '../../api/errors.js';
import type { InterfaceInfo } from '../../api/types.js';
import { nodeCommand, siblingModule } from '../script-runner.js';
import { helperArgs, type HelperCaptureArgs, type HelperMessage } from './helper-protocol.js';

const helperUrl = siblingModule(import.meta.url, 'capture-helper');

export interface HelperOptions {
  /** Run the helper through this wrapper (e.g. ['setpriv', '--reuid=65534', …]) — tests, sudo. */
  wrapper?: string[];
  /** Extra environment for the helper. */
  env?: Record<string, string>;
}

function spawnHelper(args: string[], opts: HelperOptions): ChildProcess {
  const { command, args: base } = nodeCommand(helperUrl);
  const argv = [...(opts.wrapper ?? []), command, ...base, ...args];
  return spawn(argv[0], argv.slice(1), {
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    env: opts.env ? { ...process.env, ...opts.env } : process.env,
  });
}

/** Splits a stream into lines of JSON status messages. */
function onMessages(stream: Readable, handler: (m: HelperMessage) => void): void {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (d: string) => {
    pending += d;
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      try {
        handler(JSON.parse(line) as HelperMessage);
      } catch {
        // Not a status line: ignore.
      }
    }
  });
}

function collectStderr(child: ChildProcess): () => string {
  let text = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (d: string) => {
    if (text.length < 16384) text += d;
  });
  // cap prints a harmless "Warning: … This may not actually work" when the interface has no IPv4.
  return () => text.split('\n').filter((l) => l.trim() && !/This may not actually work/.test(l)).join('\n');
}

/** Lists capture interfaces through the helper (no privileges needed for that). */
export function listInterfaces(opts: HelperOptions = {}): Promise<InterfaceInfo[]> {
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawnHelper(['list'], opts);
    } catch (err) {
      reject(new ApiError('capture-unavailable', `cannot start the capture helper: ${(err as Error).message}`));
      return;
    }
    child.stdin?.end();
    const stderr = collectStderr(child);
    let result: InterfaceInfo[] | null = null;
    let error: ApiError | null = null;
    onMessages(child.stdio[3] as Readable, (m) => {
      if (m.type === 'interfaces') result = m.interfaces;
      else if (m.type === 'error') error = new ApiError(m.code, m.message);
    });
    child.on('error', (err) => reject(new ApiError('capture-unavailable', `cannot start the capture helper: ${err.message}`)));
    child.on('close', () => {
      if (result) resolve(result);
      else reject(error ?? new ApiError('internal', `the capture helper failed to list interfaces${stderr() ? `: ${stderr()}` : ''}`));
    });
  });
}

export interface HelperEvents {
  /** pcapng bytes, in order. */
  onData(chunk: Uint8Array): void;
  onStats(s: { packets: number; bytes: number; kernelDrops: number | null }): void;
  /** The helper ended: cleanly (error null) or not. Called once, after all data. */
  onExit(error: ApiError | null): void;
}

/**
 * A running capture. `start` resolves once the interface is open (the helper said "ready"),
 * or rejects with the helper's error (permission, no such interface, bad filter …).
 */
export class HelperCapture {
  private child: ChildProcess | null = null;
  private exited = false;
  private stopRequested = false;
  linkType = 0;
  note: string | undefined;
  /** When the helper last handed over packets (a stopping helper may still be draining). */
  private lastData = Date.now();

  constructor(private readonly args: HelperCaptureArgs, private readonly events: HelperEvents, private readonly opts: HelperOptions = {}) {}

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      let child: ChildProcess;
      try {
        child = spawnHelper(helperArgs(this.args), this.opts);
      } catch (err) {
        reject(new ApiError('capture-unavailable', `cannot start the capture helper: ${(err as Error).message}`));
        return;
      }
      this.child = child;
      const stderr = collectStderr(child);
      let ready = false;
      let reported: ApiError | null = null;
      onMessages(child.stdio[3] as Readable, (m) => {
        if (m.type === 'ready') {
          ready = true;
          this.linkType = m.linkType;
          this.note = m.note;
          resolve();
        } else if (m.type === 'error') {
          reported = new ApiError(m.code, m.message);
        } else if (m.type === 'stats' || m.type === 'stopped') {
          this.events.onStats({ packets: m.packets, bytes: m.bytes, kernelDrops: m.kernelDrops });
        }
      });
      (child.stdout as Readable).on('data', (chunk: Buffer) => {
        this.lastData = Date.now();
        this.events.onData(chunk);
      });
      child.on('error', (err) => {
        if (!ready) reject(new ApiError('capture-unavailable', `cannot start the capture helper: ${err.message}`));
      });
      // 'close' fires after stdout and the status pipe were drained: every packet was handed on.
      child.on('close', (code, signal) => {
        this.exited = true;
        const error = reported ?? this.exitError(code, signal, stderr());
        if (!ready) {
          reject(error ?? new ApiError('internal', 'the capture helper ended before the capture started'));
          return;
        }
        this.events.onExit(this.stopRequested && !reported ? null : error);
      });
    });
  }

  private exitError(code: number | null, signal: NodeJS.Signals | null, stderr: string): ApiError | null {
    if (code === 0 && !signal) return null;
    const name = this.args.interface;
    // cap aborts on a poll error, which is what an interface going down or away produces.
    if (signal === 'SIGABRT' || /Assertion .status == 0. failed/.test(stderr)) {
      const gone = name !== 'any' && !existsSync(`/sys/class/net/${name}`);
      let down = false;
      try {
        down = (parseInt(readFileSync(`/sys/class/net/${name}/flags`, 'utf8'), 16) & 1) === 0;
      } catch {
        // no such interface any more
      }
      const what = gone ? 'was removed' : down ? 'went down' : 'stopped delivering packets (it went down or was reset)';
      return new ApiError('interface-gone', `The interface ${name} ${what} during the capture; the packets captured before are kept.`);
    }
    if (/Cannot find module|ERR_MODULE_NOT_FOUND|cap\.node/.test(stderr)) {
      return new ApiError('capture-unavailable', `the capture helper cannot load libpcap: ${stderr.split('\n')[0]}`);
    }
    const how = signal ? `was killed by ${signal}` : `exited with status ${code}`;
    return new ApiError('io', `The capture helper ${how}${stderr ? `: ${stderr.split('\n').slice(-3).join(' ')}` : ''}; the packets captured before are kept.`);
  }

  /** Asks the helper to stop; resolves once it exited and all its packets were delivered. */
  stop(): Promise<void> {
    const child = this.child;
    if (!child || this.exited) return Promise.resolve();
    this.stopRequested = true;
    return new Promise((resolve) => {
      child.once('close', () => resolve());
      try {
        (child.stdin as Writable).end('stop\n');
      } catch {
        child.kill('SIGTERM');
      }
      // A stopping helper first hands over everything it captured (that may take a while
      // after a burst); only one that stays silent for 5 s is killed.
      const watchdog = setInterval(() => {
        if (this.exited) clearInterval(watchdog);
        else if (Date.now() - this.lastData > 5000) {
          clearInterval(watchdog);
          child.kill('SIGKILL');
        }
      }, 500);
      watchdog.unref();
    });
  }

  get running(): boolean {
    return this.child !== null && !this.exited;
  }
}
