/**
 * Streaming classic-pcap output for the benchmark generator: records are laid down directly
 * into one 8 MiB buffer that is written out whenever it fills, so memory stays flat however
 * big the file. Microsecond timestamps, little-endian, Ethernet (pcap §4–5).
 */

import { writeSync } from 'node:fs';

const BUF_SIZE = 8 * 1024 * 1024;
const SNAPLEN = 262144;

export class PcapOut {
  readonly buf = new Uint8Array(BUF_SIZE);
  readonly view = new DataView(this.buf.buffer);
  private pos = 0;
  /** Bytes in the file so far, including what is still buffered. */
  bytes = 0;
  packets = 0;
  private ipId = 0;

  constructor(private readonly fd: number) {
    const v = this.view;
    v.setUint32(0, 0xa1b2c3d4, true);
    v.setUint16(4, 2, true);
    v.setUint16(6, 4, true);
    v.setInt32(8, 0, true);
    v.setUint32(12, 0, true);
    v.setUint32(16, SNAPLEN, true);
    v.setUint32(20, 1, true); // LINKTYPE_ETHERNET
    this.pos = 24;
    this.bytes = 24;
  }

  /**
   * Reserves a record of `len` packet bytes at time `tUs` (integer microseconds since the
   * epoch) and returns the buffer offset where the packet bytes go.
   */
  record(tUs: number, len: number): number {
    if (this.pos + 16 + len > BUF_SIZE) this.flush();
    const v = this.view;
    const p = this.pos;
    const sec = Math.floor(tUs / 1e6);
    v.setUint32(p, sec, true);
    v.setUint32(p + 4, tUs - sec * 1e6, true);
    v.setUint32(p + 8, len, true);
    v.setUint32(p + 12, len, true);
    this.pos = p + 16 + len;
    this.bytes += 16 + len;
    this.packets++;
    return p + 16;
  }

  /** IPv4 identification values, one counter per capture (state lives here, not in a module). */
  nextIpId(): number {
    this.ipId = (this.ipId + 1) & 0xffff;
    return this.ipId;
  }

  flush(): void {
    let done = 0;
    while (done < this.pos) done += writeSync(this.fd, this.buf, done, this.pos - done);
    this.pos = 0;
  }
}
