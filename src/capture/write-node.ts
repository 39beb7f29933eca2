/**
 * Node sinks for the isomorphic writers in writer.ts: write a whole capture file, or append
 * chunks to an open file descriptor (live-capture temp files: every chunk is written through
 * at once, so a crash loses nothing already handed over). Node-only.
 */

import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { ioError } from './read-node.js';

/** Writes every byte of `chunk` at the descriptor's current position (loops on short writes). */
export function appendToFd(fd: number, chunk: Uint8Array, path = `fd ${fd}`): void {
  let done = 0;
  while (done < chunk.length) {
    try {
      done += writeSync(fd, chunk, done, chunk.length - done);
    } catch (err) {
      throw ioError(path, err, true);
    }
  }
}

/** Writes a whole capture (e.g. [writer.fileHeader(), ...packets]) to `path`, replacing it. */
export function writeCaptureFileSync(path: string, chunks: Iterable<Uint8Array>): number {
  const out = CaptureFileWriter.create(path);
  try {
    for (const c of chunks) out.write(c);
  } finally {
    out.close();
  }
  return out.bytesWritten;
}

/** An open capture file being written chunk by chunk. */
export class CaptureFileWriter {
  bytesWritten = 0;
  private fd: number | null;

  private constructor(readonly path: string, fd: number, private readonly ownsFd: boolean) {
    this.fd = fd;
  }

  /** Creates (truncates) `path`, or with `append: true` appends to it (mode 0600: captures are private). */
  static create(path: string, opts: { append?: boolean } = {}): CaptureFileWriter {
    let fd: number;
    try {
      fd = openSync(path, opts.append ? 'a' : 'w', 0o600);
    } catch (err) {
      throw ioError(path, err, true);
    }
    return new CaptureFileWriter(path, fd, true);
  }

  /** Wraps a descriptor someone else opened (and will close). */
  static fromFd(fd: number, path = `fd ${fd}`): CaptureFileWriter {
    return new CaptureFileWriter(path, fd, false);
  }

  write(chunk: Uint8Array): void {
    if (this.fd === null) throw new Error(`capture file ${this.path} is closed`);
    appendToFd(this.fd, chunk, this.path);
    this.bytesWritten += chunk.length;
  }

  /** Flushes to stable storage (for temp files that must survive a crash of the machine). */
  sync(): void {
    if (this.fd === null) return;
    try {
      fsyncSync(this.fd);
    } catch (err) {
      throw ioError(this.path, err, true);
    }
  }

  close(): void {
    if (this.fd !== null && this.ownsFd) closeSync(this.fd);
    this.fd = null;
  }
}
