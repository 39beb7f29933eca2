/**
 * Re-reads packet bytes from the capture file by the offsets in the index: single packets for
 * detail views, and a windowed sequential reader for passes over many packets (filters,
 * exports), which reads megabytes at a time instead of one read() per packet.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { ioError } from '../capture/read-node.js';
import { CaptureFileError } from '../capture/types.js';
import type { PacketIndex } from './packet-index.js';

const WINDOW = 4 * 1024 * 1024;

export class PacketReader {
  private fd: number;
  /** Made on the first windowed read: most readers only read single packets. */
  private window = new Uint8Array(0);
  private winStart = 0;
  private winLen = 0;

  constructor(readonly path: string) {
    try {
      this.fd = openSync(path, 'r');
    } catch (err) {
      throw ioError(path, err);
    }
  }

  private readAt(buf: Uint8Array, offset: number, length: number, position: number): number {
    let got = 0;
    while (got < length) {
      let n: number;
      try {
        n = readSync(this.fd, buf, offset + got, length - got, position + got);
      } catch (err) {
        throw ioError(this.path, err);
      }
      if (n === 0) break;
      got += n;
    }
    return got;
  }

  /** Reads `len` bytes at file `position` into `out` at `outAt`; false when the file is shorter. */
  readInto(position: number, len: number, out: Uint8Array, outAt: number): boolean {
    return this.readAt(out, outAt, len, position) === len;
  }

  /** A fresh copy of packet i's bytes. */
  read(index: PacketIndex, i: number): Uint8Array {
    const len = index.capLen[i];
    const out = new Uint8Array(len);
    const got = this.readAt(out, 0, len, index.dataOffset[i]);
    if (got < len) throw this.shortRead(index, i);
    return out;
  }

  /**
   * Packet i's bytes as a view into the reader's window (valid until the next call). Fast for
   * packets read in file order.
   */
  view(index: PacketIndex, i: number): Uint8Array {
    const off = index.dataOffset[i];
    const len = index.capLen[i];
    if (off >= this.winStart && off + len <= this.winStart + this.winLen) {
      const s = off - this.winStart;
      return this.window.subarray(s, s + len);
    }
    if (len > this.window.length) this.window = new Uint8Array(Math.max(len, WINDOW));
    this.winStart = off;
    this.winLen = this.readAt(this.window, 0, this.window.length, off);
    if (this.winLen < len) throw this.shortRead(index, i);
    return this.window.subarray(0, len);
  }

  /** Drops the window (the file grew or changed). */
  invalidate(): void {
    this.winLen = 0;
  }

  private shortRead(index: PacketIndex, i: number): CaptureFileError {
    return new CaptureFileError('truncated', this.path, index.dataOffset[i],
      `packet ${i + 1} can no longer be read (the file is shorter than when it was opened; was it changed?)`);
  }

  close(): void {
    if (this.fd >= 0) {
      closeSync(this.fd);
      this.fd = -1;
    }
  }
}
