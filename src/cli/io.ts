/** Buffered text output: one write per ~64 KiB instead of one per line (millions of lines). */
export interface TextSink {
  write(text: string): void;
  /**
   * Optional: takes encoded UTF-8 directly. The writer then encodes each line straight into one
   * reused buffer — no array of parts, no join, no second copy per flush (the `fields` hot path
   * spent 7% of its time there). The bytes are only valid during the call.
   */
  writeBytes?(bytes: Uint8Array): void;
}

export interface CliIO {
  stdout: TextSink;
  stderr: TextSink;
}

export class BufferedWriter {
  private parts: string[] = [];
  private size = 0;
  private readonly bytes: Buffer | null;
  private used = 0;

  constructor(private readonly out: TextSink, private readonly limit = 1 << 16) {
    this.bytes = out.writeBytes ? Buffer.allocUnsafe(limit) : null;
  }

  line(text: string): void {
    const bytes = this.bytes;
    if (bytes) {
      // A UTF-16 unit is at most 3 bytes of UTF-8 (a surrogate pair, 2 units, is 4).
      const worst = text.length * 3 + 1;
      if (this.used + worst > bytes.length) {
        this.flush();
        if (worst > bytes.length) {
          this.out.write(text + '\n');
          return;
        }
      }
      this.used += bytes.write(text, this.used);
      bytes[this.used++] = 0x0a;
      return;
    }
    this.parts.push(text, '\n');
    this.size += text.length + 1;
    if (this.size >= this.limit) this.flush();
  }

  flush(): void {
    if (this.bytes) {
      if (this.used === 0) return;
      this.out.writeBytes!(this.bytes.subarray(0, this.used));
      this.used = 0;
      return;
    }
    if (this.parts.length === 0) return;
    this.out.write(this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
}

/** stdout/stderr of the process, written synchronously so output order is kept on exit. */
export function processIO(): CliIO {
  const sync = (fd: number): TextSink => ({
    write(text: string) {
      writeAllSync(fd, Buffer.from(text, 'utf8'));
    },
    writeBytes(bytes: Uint8Array) {
      writeAllSync(fd, bytes);
    },
  });
  return { stdout: sync(1), stderr: sync(2) };
}

import { writeSync } from 'node:fs';

function writeAllSync(fd: number, buf: Uint8Array): void {
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(fd, buf, off, buf.length - off);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') continue; // non-blocking pipe full: retry
      if (code === 'EPIPE') return; // reader went away (`| head`): stop quietly
      throw err;
    }
  }
}
