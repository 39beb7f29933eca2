/**
 * A small JSON (RFC 8259) tree for HTTP bodies, with Wireshark's json.* field names: objects,
 * arrays, members with their key, and the values. Iterative limits keep hostile bodies cheap:
 * nesting deeper than MAX_DEPTH or any syntax error ends the tree there (noted, never thrown).
 */
import type { DissectContext } from '../context.js';
import { defineField, defineProtocol } from '../fields/types.js';
import { escapeText } from '../fields/format.js';

const jsonProto = defineProtocol('json', 'JavaScript Object Notation');
const J = {
  object: defineField({ name: 'json.object', label: 'Object', type: 'none' }),
  array: defineField({ name: 'json.array', label: 'Array', type: 'none' }),
  member: defineField({ name: 'json.member', label: 'Member', type: 'string' }),
  key: defineField({ name: 'json.key', label: 'Key', type: 'string' }),
  string: defineField({ name: 'json.value.string', label: 'String value', type: 'string' }),
  number: defineField({ name: 'json.value.number', label: 'Number value', type: 'string' }),
  true: defineField({ name: 'json.value.true', label: 'True value', type: 'none' }),
  false: defineField({ name: 'json.value.false', label: 'False value', type: 'none' }),
  null: defineField({ name: 'json.value.null', label: 'Null value', type: 'none' }),
};

const MAX_DEPTH = 64;

class JsonStop {}
const STOP = new JsonStop();

export function dissectJson(ctx: DissectContext, type: string, start: number, end: number): void {
  const { sink } = ctx;
  sink.open(jsonProto, start, end - start, null, 0, sink.wantsText ? `${jsonProto.label}: ${type}` : undefined);
  const parser = new JsonTree(ctx, start, end);
  let depthOpen = 0;
  try {
    parser.ws();
    if (parser.pos < end) parser.value(0);
  } catch (err) {
    if (err !== STOP) throw err;
    ctx.note({ severity: 'warn', group: 'malformed', message: 'json: invalid or too deeply nested JSON' });
  }
  depthOpen = parser.open;
  while (depthOpen-- > 0) sink.close();
  sink.close();
}

class JsonTree {
  pos: number;
  /** Sink nodes currently open (closed by the caller after a stop). */
  open = 0;
  constructor(private readonly ctx: DissectContext, start: number, private readonly end: number) {
    this.pos = start;
  }

  ws(): void {
    const b = this.ctx.bytes;
    while (this.pos < this.end) {
      const c = b[this.pos];
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.pos++;
      else break;
    }
  }

  value(depth: number): void {
    if (depth > MAX_DEPTH || this.pos >= this.end) throw STOP;
    const { sink } = this.ctx;
    const b = this.ctx.bytes;
    const c = b[this.pos];
    const start = this.pos;
    if (c === 0x7b || c === 0x5b) {
      const isObject = c === 0x7b;
      sink.open(isObject ? J.object : J.array, start, 0, null);
      this.open++;
      this.pos++;
      this.ws();
      const close = isObject ? 0x7d : 0x5d;
      if (this.peek() === close) this.pos++;
      else {
        for (;;) {
          if (isObject) this.member(depth + 1);
          else this.value(depth + 1);
          this.ws();
          const d = this.peek();
          this.pos++;
          if (d === close) break;
          if (d !== 0x2c) throw STOP;
          this.ws();
        }
      }
      sink.close(this.pos - start);
      this.open--;
    } else if (c === 0x22) {
      const s = this.string();
      sink.add(J.string, start, this.pos - start, s);
    } else if (c === 0x74 && this.word('true')) {
      sink.add(J.true, start, 4, null, 0, 'True value');
    } else if (c === 0x66 && this.word('false')) {
      sink.add(J.false, start, 5, null, 0, 'False value');
    } else if (c === 0x6e && this.word('null')) {
      sink.add(J.null, start, 4, null, 0, 'Null value');
    } else {
      while (this.pos < this.end && /[-+0-9.eE]/.test(String.fromCharCode(b[this.pos]))) this.pos++;
      if (this.pos === start) throw STOP;
      sink.add(J.number, start, this.pos - start, this.text(start, this.pos));
    }
  }

  private member(depth: number): void {
    if (this.peek() !== 0x22) throw STOP;
    const { sink } = this.ctx;
    const start = this.pos;
    const key = this.string();
    const keyEnd = this.pos;
    sink.open(J.member, start, 0, key, 0, sink.wantsText ? `Member: ${escapeText(key)}` : undefined);
    this.open++;
    this.ws();
    if (this.peek() !== 0x3a) throw STOP;
    this.pos++;
    this.ws();
    this.value(depth);
    sink.add(J.key, start, keyEnd - start, key);
    sink.close(this.pos - start);
    this.open--;
  }

  private peek(): number {
    return this.pos < this.end ? this.ctx.bytes[this.pos] : -1;
  }

  private word(w: string): boolean {
    for (let i = 0; i < w.length; i++) if (this.ctx.bytes[this.pos + i] !== w.charCodeAt(i) || this.pos + i >= this.end) return false;
    this.pos += w.length;
    return true;
  }

  /** A string literal; escapes are decoded (\uXXXX too), the result shown as text. */
  private string(): string {
    const b = this.ctx.bytes;
    this.pos++;
    let out = '';
    while (this.pos < this.end) {
      const c = b[this.pos++];
      if (c === 0x22) return out;
      if (c === 0x5c) {
        if (this.pos >= this.end) break;
        const e = b[this.pos++];
        if (e === 0x75) {
          const hex = this.text(this.pos, Math.min(this.end, this.pos + 4));
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw STOP;
          out += String.fromCharCode(parseInt(hex, 16));
          this.pos += 4;
        } else {
          out += ({ 0x6e: '\n', 0x74: '\t', 0x72: '\r', 0x62: '\b', 0x66: '\f' } as Record<number, string>)[e] ?? String.fromCharCode(e);
        }
      } else out += String.fromCharCode(c);
    }
    throw STOP;
  }

  private text(start: number, end: number): string {
    return String.fromCharCode.apply(null, this.ctx.bytes.subarray(start, end) as unknown as number[]);
  }
}
