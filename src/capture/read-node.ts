/**
 * Node drivers for CaptureStreamParser: whole files (sync, one reused read buffer), streams
 * (pipes, child stdout, fs.createReadStream) and random access to one packet by file offset.
 * Node-only (node:fs); the parsing itself is the isomorphic parser.ts.
 */

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { CaptureStreamParser } from './parser.js';
import { CaptureFileError } from './types.js';
import type { CaptureInterface, PacketRecord, ReadResult } from './types.js';

/**
 * Read size for whole-file reads. `read-bench.ts --sweep` on the 550 MB bench capture (page
 * cache warm, best of 3; two runs on a busy 2-core machine), ms for 64 KiB / 256 KiB / 1 MiB /
 * 4 MiB / 16 MiB: 131 / 163 / 303 / 389 / 733 and 332 / 322 / 289 / 384 / 644. 64 KiB–1 MiB are
 * close; from 4 MiB up a chunk no longer fits the CPU cache that read() just filled, and the
 * parse that follows pays for it. 256 KiB also holds any standard-size record whole.
 */
export const DEFAULT_CHUNK_SIZE = 256 * 1024;

export interface ReadOptions {
  /** Bytes per read() call (default DEFAULT_CHUNK_SIZE). */
  chunkSize?: number;
  onInterface?: (iface: CaptureInterface) => void;
}

/**
 * Turns a Node fs error into the user-facing CaptureFileError of kind 'io'.
 * `writing`: the path was being created or written, not read.
 */
export function ioError(path: string, err: unknown, writing = false): CaptureFileError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  let problem: string;
  switch (code) {
    case 'ENOENT':
      problem = writing ? 'cannot create the file: its directory does not exist' : 'cannot open the file: it does not exist';
      break;
    case 'ENOSPC':
      problem = 'cannot write the file: the disk is full';
      break;
    case 'EROFS':
      problem = 'cannot write the file: the file system is read-only';
      break;
    case 'EACCES':
    case 'EPERM':
      problem = writing
        ? 'cannot write the file: permission denied (choose a folder you can write to)'
        : 'cannot open the file: permission denied (check its permissions or run with access to it)';
      break;
    case 'EISDIR':
      problem = 'cannot read it: it is a directory, not a capture file';
      break;
    case 'ENOTDIR':
      problem = 'cannot open the file: a component of the path is not a directory';
      break;
    case 'EMFILE':
    case 'ENFILE':
      problem = 'cannot open the file: too many open files';
      break;
    default:
      problem = `cannot ${writing ? 'write' : 'read'} the file: ${err instanceof Error ? err.message : String(err)}`;
  }
  return new CaptureFileError('io', path, 0, problem);
}

function openForReading(path: string): number {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw ioError(path, err);
  }
  try {
    // open(2) succeeds on a directory; say so now rather than at the first read.
    if (fstatSync(fd).isDirectory()) throw ioError(path, { code: 'EISDIR' });
  } catch (err) {
    closeSync(fd);
    throw err instanceof CaptureFileError ? err : ioError(path, err);
  }
  return fd;
}

/**
 * Reads a whole capture file, calling onRecord for every packet in order. Memory stays flat:
 * one chunk buffer plus at most one record's carry, whatever the file size.
 * Throws CaptureFileError for unreadable files and files with no usable header; returns with
 * `warning` set when the file is damaged after some packets.
 */
export function readCaptureFileSync(
  path: string,
  onRecord: (rec: PacketRecord) => void,
  opts: ReadOptions = {},
): ReadResult {
  const chunkSize = Math.max(opts.chunkSize ?? DEFAULT_CHUNK_SIZE, 1);
  const fd = openForReading(path);
  try {
    const parser = new CaptureStreamParser({ fileName: path, onRecord, onInterface: opts.onInterface });
    const buf = new Uint8Array(chunkSize);
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, chunkSize, null);
      } catch (err) {
        throw ioError(path, err);
      }
      if (n === 0) break;
      parser.push(n === chunkSize ? buf : buf.subarray(0, n));
      if (parser.stopped) break;
    }
    return parser.end();
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a capture from any async byte source: a pipe, a child's stdout, fs.createReadStream,
 * a fetch body… Stops pulling (and closes the source) once the data is found damaged.
 */
export async function readCaptureStream(
  source: AsyncIterable<Uint8Array>,
  fileName: string,
  onRecord: (rec: PacketRecord) => void,
  opts: Omit<ReadOptions, 'chunkSize'> = {},
): Promise<ReadResult> {
  const parser = new CaptureStreamParser({ fileName, onRecord, onInterface: opts.onInterface });
  try {
    for await (const chunk of source) {
      parser.push(chunk);
      if (parser.stopped) break;
    }
  } catch (err) {
    if (err instanceof CaptureFileError) throw err;
    throw ioError(fileName, err);
  }
  return parser.end();
}

/** Reads `capLen` bytes at `dataOffset` (a PacketRecord's) from an open file. */
export function readPacketBytes(fd: number, dataOffset: number, capLen: number, path = `fd ${fd}`): Uint8Array {
  const out = new Uint8Array(capLen);
  let got = 0;
  while (got < capLen) {
    let n: number;
    try {
      n = readSync(fd, out, got, capLen - got, dataOffset + got);
    } catch (err) {
      throw ioError(path, err);
    }
    if (n === 0) {
      throw new CaptureFileError(
        'truncated',
        path,
        dataOffset + got,
        `the file ends before the end of the packet being re-read (${capLen} bytes at offset ${dataOffset}); was it changed since it was opened?`,
      );
    }
    got += n;
  }
  return out;
}

/** Random access to the packets of a capture file by their recorded offsets. */
export class CaptureFile {
  private fd: number | null;

  private constructor(readonly path: string, fd: number) {
    this.fd = fd;
  }

  static open(path: string): CaptureFile {
    return new CaptureFile(path, openForReading(path));
  }

  /** A fresh copy of one packet's bytes, from its record (or its dataOffset and capLen). */
  readPacket(rec: Pick<PacketRecord, 'dataOffset' | 'capLen'>): Uint8Array;
  readPacket(dataOffset: number, capLen: number): Uint8Array;
  readPacket(a: number | Pick<PacketRecord, 'dataOffset' | 'capLen'>, capLen?: number): Uint8Array {
    if (this.fd === null) throw new Error(`CaptureFile ${this.path} is closed`);
    return typeof a === 'number'
      ? readPacketBytes(this.fd, a, capLen ?? 0, this.path)
      : readPacketBytes(this.fd, a.dataOffset, a.capLen, this.path);
  }

  close(): void {
    if (this.fd !== null) {
      closeSync(this.fd);
      this.fd = null;
    }
  }
}
