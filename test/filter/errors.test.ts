/** Rejected filters: a sentence a user understands, and the exact range it is about. */
import { describe, expect, it } from 'vitest';
import { rejection } from './helpers.js';

/** The text an error points at. */
function at(text: string): { message: string; points: string } {
  const e = rejection(text);
  expect(e.start).toBeGreaterThanOrEqual(0);
  expect(e.end).toBeGreaterThanOrEqual(e.start);
  expect(e.end).toBeLessThanOrEqual(text.length);
  return { message: e.message, points: text.slice(e.start, e.end) };
}

describe('syntax errors', () => {
  it('unbalanced parentheses', () => {
    expect(at('(wstest.port == 80')).toEqual({ message: 'the "(" at column 1 is never closed: add ")"', points: '(' });
    expect(at('wstest.port == 80)')).toEqual({ message: 'this ")" has no matching "("', points: ')' });
    expect(at('((wstest.port) && wstest.name')).toMatchObject({ points: '(' });
    expect(at('wstest.port && ()').message).toContain('empty parentheses');
    expect(at('(wstest.port == 80 wstest.name)').message).toContain('expected ")" to close the "(" at column 1');
  });
  it('missing operands', () => {
    expect(at('wstest.port ==')).toEqual({ message: '"==" needs a value on its right', points: '==' });
    expect(at('wstest.port == 80 &&')).toEqual({ message: '"&&" needs a test on its right', points: '&&' });
    expect(at('wstest.port and')).toEqual({ message: '"and" needs a test on its right', points: 'and' });
    expect(at('&& wstest.port')).toEqual({ message: '"&&" needs a field or a test on its left', points: '&&' });
    expect(at('== 80')).toMatchObject({ points: '==' });
    expect(at('not')).toEqual({ message: '"not" needs a test on its right', points: 'not' });
    expect(at('wstest.port + ')).toEqual({ message: '"+" needs a value on its right', points: '+' });
  });
  it('operators that do not exist say what to write instead', () => {
    expect(at('wstest.port = 80')).toEqual({ message: '"=" is not an operator: use "==" to compare', points: '=' });
    expect(at('wstest.port | wstest.name').message).toContain('use "||"');
    expect(at('wstest.port ! wstest.name')).toMatchObject({ points: '!' });
    expect(at('wstest.port wstest.name')).toMatchObject({ points: 'wstest.name' });
  });
  it('chained comparisons and parentheses around values', () => {
    expect(at('wstest.port == 80 == 1').message).toContain('cannot be chained');
    expect(at('(wstest.port) == 80').message).toContain('use { } to group arithmetic');
    expect(at('wstest.port == (80)').message).toContain('use { } to group arithmetic');
  });
  it('sets', () => {
    expect(at('wstest.port in {}')).toMatchObject({ message: 'a set needs at least one value', points: '{}' });
    expect(at('wstest.port in 80')).toMatchObject({ points: '80' });
    expect(at('wstest.port in 80').message).toContain('{80, 443, 8000..8080}');
    expect(at('wstest.port in {80,}')).toMatchObject({ message: 'a value must follow ","', points: ',' });
    expect(at('wstest.port in {80..}').message).toContain('upper bound');
    expect(at('wstest.port in {80')).toMatchObject({ points: '{' });
    expect(at('wstest..port').message).toContain('".."');
  });
  it('strings, characters, slices and stray characters', () => {
    expect(at('wstest.name == "abc')).toEqual({ message: 'this string has no closing quote (")', points: '"abc' });
    expect(at('wstest.name == "a\\qb"')).toMatchObject({ points: '\\q' });
    expect(at("wstest.port == 'ab'").message).toContain('one byte');
    expect(at('wstest.name == "G\\u0045T"')).toEqual({ message: '\\u0045 names a plain ASCII character: write it as is, or as \\x45', points: '\\u0045' });
    expect(at('wstest.name == "\\ud800"').message).toContain('not a valid Unicode code point');
    expect(at('wstest.name == "\\u12"').message).toContain('4 hex digits');
    expect(at('wstest.mac[0:3 == 00')).toMatchObject({ points: '[0:3 == 00' });
    expect(at('wstest.mac[x] == 00')).toMatchObject({ points: 'x' });
    expect(at('wstest.mac[1:0] == 00').message).toContain('length');
    expect(at('wstest.port @ 3')).toEqual({ message: '"@" is not allowed here', points: '@' });
    expect(at('wstest.port#2 == 80').message).toContain('layer operator');
  });
});

describe('semantic errors', () => {
  it('unknown names, with a suggestion when one is close', () => {
    expect(at('wstest.prot == 80')).toEqual({ message: '"wstest.prot" is not a field — did you mean "wstest.port"?', points: 'wstest.prot' });
    expect(at('frame.lenn > 3')).toEqual({ message: '"frame.lenn" is not a field — did you mean "frame.len"?', points: 'frame.lenn' });
    expect(at('wstest.port == 80 && wstets.name').message).toContain('did you mean "wstest.name"');
    expect(at('zzzqqq')).toEqual({ message: '"zzzqqq" is not a field or protocol name', points: 'zzzqqq' });
    expect(at('.zzzqqq == 1').message).toContain('is not a field');
  });
  it('values in the wrong place', () => {
    expect(at('80').message).toContain('is a value, not a field');
    expect(at('"GET"').message).toContain('is a value, not a test');
    expect(at('80 == wstest.port')).toMatchObject({ points: '80' });
    expect(at('"x" == wstest.name').message).toContain('the left side must be a field');
    expect(at('1 + wstest.port == 81').message).toContain('left side');
    expect(at('len(wstest.name)').message).toContain('is a value, not a test');
    expect(at('wstest.port + 1').message).toContain('is a value, not a test');
  });
  it('literals that do not fit the field', () => {
    expect(at('wstest.addr > foo')).toEqual({ message: '"wstest.addr > foo": "foo" is not an IPv4 address (host names are not looked up)', points: 'foo' });
    expect(at('wstest.addr == 192.0.2.300').message).toBe('"wstest.addr == 192.0.2.300": "192.0.2.300" is not an IPv4 address');
    expect(at('wstest.addr == 192.0.2.1/33').message).toContain('at most 32');
    expect(at('wstest.addr == "192.0.2.1"').message).toContain('not a string');
    expect(at('wstest.addr6 == 1.2.3.4').message).toContain('is not an IPv6 address');
    expect(at('wstest.addr6 == ::/129').message).toContain('at most 128');
    expect(at('wstest.mac == 00:00:5e:00:53')).toMatchObject({ points: '00:00:5e:00:53' });
    expect(at('wstest.mac == 00:00:5e:00:53').message).toContain('has 5 bytes; a MAC address has 6');
    expect(at('wstest.mac == 00:00:5e:00:53:01:02').message).toContain('has 7 bytes');
    expect(at('wstest.port == 70000').message).toContain('too big for wstest.port, the maximum is 65535');
    expect(at('wstest.delta == 128').message).toContain('maximum is 127');
    expect(at('wstest.port == 99999999999999999999999').message).toContain('too large');
    expect(at('wstest.port == 10.5').message).toContain('holds whole numbers');
    expect(at('wstest.port == 08').message).toContain('is not a whole number');
    expect(at('wstest.port == "80"').message).toContain('write 80 without quotes');
    expect(at('wstest.kind == Foo').message).toContain('"Request"');
    expect(at('wstest.port == wstest.nme').message).toContain('did you mean "wstest.name"');
    expect(at('wstest.flag == yes').message).toContain('"Set"/"Not set"');
    expect(at('wstest.data == 0g').message).toContain('is not a byte string');
    expect(at('wstest.rel > 1e-3').message).toContain('time in seconds');
    expect(at('wstest.rel > 1.1234567891').message).toContain('nine decimals');
    expect(at('wstest.rel == "1"').message).toContain('not a string');
    expect(at('wstest.when > "yesterday"').message).toContain('date and time');
  });
  it('operators that do not apply to the type', () => {
    expect(at('wstest.port contains 80').message).toContain('"contains" works on strings');
    expect(at('wstest.addr matches "a"').message).toContain('"matches" works on strings');
    expect(at('wstest.name matches wstest.name').message).toContain('must be a "quoted string"');
    expect(at('wstest.name matches "("').message).toContain('regular expression is not valid');
    expect(at('wstest.name matches "a(?i)b"').message).toContain('only supported at the start');
    expect(at('wstest.mark == 1').message).toContain('has no value');
    expect(at('wstest.mark in {1}').message).toContain('has no value');
    expect(at('wstest.port == wstest.addr').message).toBe('"wstest.port == wstest.addr": "wstest.port" (a whole number) and "wstest.addr" (an IPv4 address) cannot be compared with "=="');
    expect(at('wstest.port == wstest').message).toContain('"wstest" (a protocol)');
    expect(at('wstest.flag == wstest.port').message).toContain('cannot be compared');
    expect(at('wstest.port[0] == 00').message).toContain('cannot be sliced');
    expect(at('wstest.name + 1 == 2').message).toContain('cannot be applied');
    expect(at('-wstest.addr == 1.2.3.4').message).toContain('"-" works on numbers');
  });
  it('functions', () => {
    expect(at('foo(wstest.port) == 1')).toMatchObject({ points: 'foo' });
    expect(at('foo(wstest.port) == 1').message).toContain('len(), count()');
    expect(at('len() == 1').message).toBe('len() takes 1 argument, not 0');
    expect(at('count(wstest.port, wstest.addr) == 1').message).toBe('count() takes 1 argument, not 2');
    expect(at('len("abc") == 3').message).toContain('takes a field');
    expect(at('lower(wstest.port) == "80"').message).toContain('takes a string field');
    expect(at('string(wstest.flag) == "1"').message).toContain('converts numbers and addresses');
    expect(at('max(wstest.name) == "a"').message).toContain('numbers or times');
    expect(at('max(1, 2) == 2').message).toContain('at least one field');
    expect(at('len(wstest.port').message).toContain('never closed');
  });
  it('field references of the GUI', () => {
    expect(at('wstest.port == ${wstest.port}').message).toContain('selected');
  });
});
