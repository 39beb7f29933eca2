/**
 * Byte content for generated TCP streams: HTTP heads are real text; bodies are windows into
 * two shared deterministic buffers (HTML-ish text, incompressible binary), so a 40 MB download
 * costs no memory of its own.
 */

import type { Prng } from './prng.js';

const SOURCE_LEN = 1 << 20;

export class ContentSource {
  readonly text = new Uint8Array(SOURCE_LEN);
  readonly binary = new Uint8Array(SOURCE_LEN);

  constructor(rng: Prng) {
    const words = ['<div class="item">', 'lorem', 'ipsum', 'dolor', 'sit', 'amet', '</div>\n', '<p>', '</p>', 'wirescope', 'packet', 'stream', '<a href="/x">', '</a>', 'function', '{', '}', ';', '\n'];
    const enc = new TextEncoder();
    const encoded = words.map((w) => enc.encode(w + ' '));
    let o = 0;
    while (o < SOURCE_LEN) {
      const w = encoded[rng.u32() % encoded.length];
      const n = Math.min(w.length, SOURCE_LEN - o);
      this.text.set(w.subarray(0, n), o);
      o += n;
    }
    for (let i = 0; i < SOURCE_LEN; i += 4) {
      const v = rng.u32();
      this.binary[i] = v & 0xff;
      this.binary[i + 1] = (v >>> 8) & 0xff;
      this.binary[i + 2] = (v >>> 16) & 0xff;
      this.binary[i + 3] = v >>> 24;
    }
  }
}

/** One application message in a TCP byte stream: a literal head, then `bodyLen` source bytes. */
export interface Message {
  /** Stream offset (relative to ISN + 1) of the first byte. */
  start: number;
  head: Uint8Array;
  bodyLen: number;
  body: Uint8Array;
  salt: number;
}

/** The bytes one side of a connection sends, as a list of messages. */
export class StreamContent {
  readonly msgs: Message[] = [];
  total = 0;
  private last = 0;

  append(head: Uint8Array, bodyLen: number, body: Uint8Array, salt: number): Message {
    const m: Message = { start: this.total, head, bodyLen, body, salt };
    this.msgs.push(m);
    this.total += head.length + bodyLen;
    return m;
  }

  /** End offset of the message containing stream offset `rel`. */
  messageEnd(rel: number): number {
    const m = this.msgs[this.find(rel)];
    return m.start + m.head.length + m.bodyLen;
  }

  private find(rel: number): number {
    const msgs = this.msgs;
    let i = this.last;
    if (i >= msgs.length) i = msgs.length - 1;
    while (i > 0 && msgs[i].start > rel) i--;
    while (i + 1 < msgs.length && msgs[i + 1].start <= rel) i++;
    this.last = i;
    return i;
  }

  /** Copies stream bytes [rel, rel + len) into buf[off …). */
  copy(buf: Uint8Array, off: number, rel: number, len: number): void {
    let i = this.find(rel);
    while (len > 0) {
      const m = this.msgs[i];
      const inMsg = rel - m.start;
      const headLen = m.head.length;
      if (inMsg < headLen) {
        const n = Math.min(len, headLen - inMsg);
        buf.set(m.head.subarray(inMsg, inMsg + n), off);
        off += n;
        rel += n;
        len -= n;
      }
      const bodyOff = rel - m.start - headLen;
      let n = Math.min(len, m.bodyLen - bodyOff);
      let src = (m.salt + bodyOff) % SOURCE_LEN;
      const body = m.body;
      while (n > 0) {
        const k = Math.min(n, SOURCE_LEN - src);
        buf.set(body.subarray(src, src + k), off);
        off += k;
        rel += k;
        len -= k;
        n -= k;
        src = 0;
      }
      if (len > 0) i++;
    }
  }
}
