import { describe, expect, it } from 'vitest';
import { BufferedWriter, type TextSink } from '../../src/cli/io.js';

/** A sink that records what reached it, as text, and how (bytes or strings). */
function recorder(withBytes: boolean): TextSink & { text: () => string; calls: string[] } {
  const chunks: string[] = [];
  const calls: string[] = [];
  const decoder = new TextDecoder();
  const sink: TextSink & { text: () => string; calls: string[] } = {
    calls,
    write(text) {
      calls.push('text');
      chunks.push(text);
    },
    text: () => chunks.join(''),
  };
  if (withBytes) {
    sink.writeBytes = (bytes) => {
      calls.push('bytes');
      // Copy now: the writer reuses its buffer after the call.
      chunks.push(decoder.decode(bytes.slice()));
    };
  }
  return sink;
}

describe('BufferedWriter', () => {
  const lines = ['a\tb', '', 'héllo wörld', '名前.example', '🦈 surrogate pair', 'x'.repeat(50)];

  it('writes the same text through the byte path as through the string path', () => {
    for (const limit of [16, 64, 1 << 16]) {
      const bytes = recorder(true);
      const strings = recorder(false);
      const a = new BufferedWriter(bytes, limit);
      const b = new BufferedWriter(strings, limit);
      for (let i = 0; i < 200; i++) for (const l of lines) {
        a.line(`${i} ${l}`);
        b.line(`${i} ${l}`);
      }
      a.flush();
      b.flush();
      expect(bytes.text()).toBe(strings.text());
      expect(bytes.text().split('\n')).toHaveLength(200 * lines.length + 1);
      expect(bytes.calls).toContain('bytes');
    }
  });

  it('writes a line longer than its buffer on its own, after what came before', () => {
    const sink = recorder(true);
    const w = new BufferedWriter(sink, 32);
    w.line('first');
    w.line('ü'.repeat(40));
    w.line('last');
    w.flush();
    expect(sink.text()).toBe(`first\n${'ü'.repeat(40)}\nlast\n`);
    expect(sink.calls).toEqual(['bytes', 'text', 'bytes']);
  });

  it('holds lines until flush, then writes nothing more', () => {
    const sink = recorder(true);
    const w = new BufferedWriter(sink);
    w.line('one');
    expect(sink.calls).toEqual([]);
    w.flush();
    w.flush();
    expect(sink.text()).toBe('one\n');
    expect(sink.calls).toEqual(['bytes']);
  });
});
