/** Buffered text output: one write per ~64 KiB instead of one per line (millions of lines). */
export interface TextSink {
  write(text: string): void;
}

export interface CliIO {
  stdout: TextSink;
  stderr: TextSink;
}

export class BufferedWriter {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly out: TextSink, private readonly limit = 1 << 16) {}

  line(text: string): void {
    this.parts.push(text, '\n');
    this.size += text.length + 1;
    if (this.size >= this.limit) this.flush();
  }

  flush(): void {
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
      writeAllSync(fd, text);
    },
  });
  return { stdout: sync(1), stderr: sync(2) };
}

import { writeSync } from 'node:fs';

function writeAllSync(fd: number, text: string): void {
  const buf = Buffer.from(text, 'utf8');
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
