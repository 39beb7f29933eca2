import { describe, expect, it } from 'vitest';
import { tokenize } from '../../src/filter/lexer.js';

const kinds = (text: string) => tokenize(text).map((t) => `${t.kind}:${t.text}`);

describe('filter lexer', () => {
  it('maps symbol and word operators to one canonical name each', () => {
    const pairs: [string, string][] = [
      ['==', 'any_eq'], ['eq', 'any_eq'], ['any_eq', 'any_eq'],
      ['!=', 'all_ne'], ['ne', 'all_ne'], ['all_ne', 'all_ne'],
      ['===', 'all_eq'], ['all_eq', 'all_eq'], ['!==', 'any_ne'], ['~=', 'any_ne'], ['any_ne', 'any_ne'],
      ['>', 'gt'], ['gt', 'gt'], ['>=', 'ge'], ['ge', 'ge'], ['<', 'lt'], ['lt', 'lt'], ['<=', 'le'], ['le', 'le'],
      ['contains', 'contains'], ['matches', 'matches'], ['~', 'matches'], ['in', 'in'],
      ['&&', 'and'], ['and', 'and'], ['||', 'or'], ['or', 'or'], ['^^', 'xor'], ['xor', 'xor'], ['!', 'not'], ['not', 'not'],
      ['&', 'bitand'], ['bitwise_and', 'bitand'], ['+', 'plus'], ['*', 'times'], ['/', 'divide'], ['%', 'modulo'],
    ];
    for (const [text, name] of pairs) {
      const [t] = tokenize(`a ${text} b`).slice(1, 2);
      expect(t, text).toMatchObject({ kind: 'op', text: name, start: 2, end: 2 + text.length });
    }
  });

  it('keywords are lower-case whole words only', () => {
    expect(kinds('AND')).toEqual(['word:AND', 'eof:']);
    expect(kinds('android')).toEqual(['word:android', 'eof:']);
    expect(kinds('ip.in')).toEqual(['word:ip.in', 'eof:']);
  });

  it('keeps addresses, subnets, byte strings and dashed names as one word', () => {
    for (const w of ['10.0.0.0/8', 'fe80::1/64', '::', '00:1b:21:3a:4f:5c', '00-1b-21-3a-4f-5c', '001b.213a.4f5c',
      '47.45.54', 'mac-lte.x', 'tcp.analysis.retransmission', '0x1F', '0b101', '.tcp.port', 'tcp.srcport-1']) {
      expect(kinds(w), w).toEqual([`word:${w}`, 'eof:']);
    }
  });

  it('splits ranges at ".." and a leading minus from the word', () => {
    expect(kinds('8000..8080')).toEqual(['word:8000', 'punct:..', 'word:8080', 'eof:']);
    expect(kinds('10.0.0.1..10.0.0.9')).toEqual(['word:10.0.0.1', 'punct:..', 'word:10.0.0.9', 'eof:']);
    expect(kinds('a -b')).toEqual(['word:a', 'op:minus', 'word:b', 'eof:']);
  });

  it('reads slice brackets raw, with their positions', () => {
    expect(tokenize('eth.src[0:3]')[1]).toEqual({ kind: 'slice', text: '0:3', start: 7, end: 12 });
    expect(tokenize('frame[1,3-5,9:]')[1]).toMatchObject({ kind: 'slice', text: '1,3-5,9:' });
  });

  it('decodes string escapes into bytes', () => {
    const str = (s: string) => tokenize(s)[0];
    expect(str('"a\\"b"').value).toBe('a"b');
    expect(str('"\\x47ET"').value).toBe('GET');
    expect(str('"\\107ET"').value).toBe('GET');
    expect(str('"\\a\\b\\f\\n\\r\\t\\v\\\\\\\'"').value).toBe('\x07\x08\x0c\n\r\t\x0b\\\'');
    expect(str('"\\u00e9"').value).toBe('\xc3\xa9');
    expect(str('"\\u0024\\u0040\\u0060"').value).toBe('$@`');
    expect(str('"\\U0001F600"').value).toBe('\xf0\x9f\x98\x80');
    expect(str('"é"').value).toBe('\xc3\xa9');
    expect(str('"\\xff"').value).toBe('\xff');
  });

  it('keeps backslashes in raw strings', () => {
    expect(tokenize('r"\\d+\\.html"')[0]).toMatchObject({ kind: 'string', value: '\\d+\\.html', raw: true });
    expect(tokenize('R"a\\"b"')[0]).toMatchObject({ kind: 'string', value: 'a\\"b' });
  });

  it('reads character constants as numbers', () => {
    expect(tokenize("'A'")[0]).toMatchObject({ kind: 'char', num: 65 });
    expect(tokenize("'\\n'")[0]).toMatchObject({ kind: 'char', num: 10 });
    expect(tokenize("'\\x0a'")[0]).toMatchObject({ kind: 'char', num: 10 });
    expect(tokenize("'\\012'")[0]).toMatchObject({ kind: 'char', num: 10 });
  });

  it('turns bad input into an error token with a position instead of throwing', () => {
    expect(tokenize('x == "abc')[2]).toMatchObject({ kind: 'error', start: 5, end: 9 });
    expect(tokenize('x == "a\\qb"')[2]).toMatchObject({ kind: 'error', start: 7, end: 9 });
    expect(tokenize('"\\400"')[0]).toMatchObject({ kind: 'error' });
    expect(tokenize("'ab'")[0]).toMatchObject({ kind: 'error' });
    expect(tokenize('frame[0:3')[1]).toMatchObject({ kind: 'error', start: 5 });
    expect(tokenize('a @ b')[1]).toMatchObject({ kind: 'error', start: 2, end: 3 });
  });
});
