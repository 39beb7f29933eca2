/**
 * The filter bar hands every keystroke to the compiler: whatever the text, it must answer
 * (a filter or an error with a range inside the text) and never throw. Seeded random strings
 * and mutations of valid filters; compiled results are also run on a packet.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileFilter, validateFilter } from '../../src/filter/index.js';
import { hex, ip, packet, T } from './helpers.js';

/** mulberry32: small, fast, deterministic. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  'wstest.port', 'wstest.addr', 'wstest.name', 'wstest.mac', 'wstest.data', 'wstest', 'frame', 'frame.len', 'tcp.port', 'ip.addr',
  '==', '!=', '===', '!==', '~=', '>', '<', '>=', '<=', 'eq', 'ne', 'contains', 'matches', '~', 'in', 'not', '!', '&&', '||',
  'and', 'or', 'xor', '^^', '&', '+', '-', '*', '/', '%', '(', ')', '{', '}', '[', ']', ',', '..', ':', '#', '$', '.',
  '80', '0x50', '0120', '0b1', "'a'", '"GET"', 'r"\\d"', '"\\x4"', '"', "'", '\\', '10.0.0.0/8', '::1', 'fe80::/10',
  '00:1b:21', '00:00:5e:00:53:01', '1.5', '-1', 'len(', 'count(', 'lower(', 'max(', 'any', 'all', '[0:3]', '[-1]', '[1-2]',
  ' ', ' ', ' ', '\t', 'é', '😀', '\u0000',
];

const SAMPLE = packet([
  [T.port, [80, 443]], [T.addr, [ip('10.1.2.3')]], [T.name, ['GET /index.html']], [T.mac, [hex('00005e005301')]],
  [T.data, [hex('47455420')]], [T.proto, [{ value: null, offset: 0, length: 4 }]],
], hex('47455420'));

function checkAnswer(text: string): void {
  const label = text.length > 80 ? text.slice(0, 80) + '…' : text;
  const r = compileFilter(text);
  if (r.ok) {
    expect(() => r.filter.matches(SAMPLE), label).not.toThrow();
  } else {
    expect(r.error.message.length, label).toBeGreaterThan(0);
    expect(r.error.message, label).not.toMatch(/internal filter error/);
    expect(r.error.start, label).toBeGreaterThanOrEqual(0);
    expect(r.error.end, label).toBeGreaterThanOrEqual(r.error.start);
    expect(r.error.end, label).toBeLessThanOrEqual(text.length);
  }
  const v = validateFilter(text);
  expect(v.ok, label).toBe(r.ok);
}

const VALID = [
  'wstest.port == 80 && wstest.addr == 10.0.0.0/8',
  'wstest.name matches "^get" || wstest.data contains 47:45',
  'wstest.port in {80, 443, 8000..8080} and not wstest.mac[0:3] == 00:00:5e',
  'len(wstest.name) > 3 xor upper(wstest.name) contains "X"',
  '{wstest.port + 1} * 2 >= 162 && wstest[0] == 47',
  'all wstest.port != 22 || count(wstest.port) == 2',
];

describe('the compiler never throws', () => {
  it('on random token soups', () => {
    const rand = rng(20240501);
    for (let n = 0; n < 3000; n++) {
      let text = '';
      const len = 1 + Math.floor(rand() * 12);
      for (let i = 0; i < len; i++) text += PIECES[Math.floor(rand() * PIECES.length)] + (rand() < 0.5 ? ' ' : '');
      checkAnswer(text);
    }
  });

  it('on random characters', () => {
    const rand = rng(7);
    for (let n = 0; n < 2000; n++) {
      let text = '';
      const len = Math.floor(rand() * 30);
      for (let i = 0; i < len; i++) text += String.fromCharCode(rand() < 0.9 ? 32 + Math.floor(rand() * 95) : Math.floor(rand() * 0x3000));
      checkAnswer(text);
    }
  });

  it('on mutations of valid filters (golden expressions included)', () => {
    const goldens = readFileSync(new URL('../../fixtures/golden/filters/expressions.txt', import.meta.url), 'utf8')
      .split('\n').filter((l) => l.trim() && !l.startsWith('#'));
    const seeds = [...VALID, ...goldens];
    const rand = rng(99);
    for (const s of VALID) expect(compileFilter(s).ok, s).toBe(true);
    for (let n = 0; n < 4000; n++) {
      let text = seeds[Math.floor(rand() * seeds.length)];
      const edits = 1 + Math.floor(rand() * 3);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rand() * (text.length + 1));
        const r = rand();
        if (r < 0.33) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(rand() * 3));
        else if (r < 0.66) text = text.slice(0, at) + PIECES[Math.floor(rand() * PIECES.length)] + text.slice(at);
        else text = text.slice(0, at); // a prefix: what the filter bar sees while typing
      }
      checkAnswer(text);
    }
  });

  it('on every prefix of valid filters', () => {
    for (const s of VALID) for (let i = 0; i <= s.length; i++) checkAnswer(s.slice(0, i));
  });

  it('on pathological nesting and length', () => {
    checkAnswer('('.repeat(2000) + 'wstest.port' + ')'.repeat(2000));
    checkAnswer('!'.repeat(3000) + 'wstest.port');
    checkAnswer('wstest.port == 1' + ' || wstest.port == 1'.repeat(2000));
    checkAnswer('wstest.port in {' + Array.from({ length: 5000 }, (_, i) => i).join(',') + '}');
    checkAnswer('"' + '\\'.repeat(1001));
  });
});
