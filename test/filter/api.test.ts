/** The filter API the CLI, the engine and the filter bar use. */
import { describe, expect, it } from 'vitest';
import {
  formatFilterError, compileFilter, completeField, conjuncts, parseFilter, simpleLeaf, splitForIndex, validateFilter, walkFilter,
  compileChecked, type TypedExpr,
} from '../../src/filter/index.js';
import { hex, ip, packet, T } from './helpers.js';

describe('compileFilter', () => {
  it('lists the fields the collector must gather, each once', () => {
    const r = compileFilter('wstest.port == 80 && (wstest.port > 1 || len(wstest.name) > 2) && wstest.mac[0] == 00');
    expect(r.ok && r.filter.fields.map((f) => f.name).sort()).toEqual(['wstest.mac', 'wstest.name', 'wstest.port']);
    expect(r.ok && r.filter.text).toBe('wstest.port == 80 && (wstest.port > 1 || len(wstest.name) > 2) && wstest.mac[0] == 00');
  });
  it('says whether the frame bytes are read (protocol values), not for plain presence', () => {
    const reads = (t: string) => { const r = compileFilter(t); return r.ok && r.filter.readsBytes; };
    expect(reads('wstest')).toBe(false);
    expect(reads('wstest.port == 80')).toBe(false);
    expect(reads('wstest contains "x"')).toBe(true);
    expect(reads('wstest[0:2] == 00:01')).toBe(true);
    expect(reads('len(wstest) > 3')).toBe(true);
    expect(reads('wstest.data[0] == 00')).toBe(false);
  });
  it('returns errors as values, never throwing', () => {
    const r = compileFilter('wstest.port ==');
    expect(r).toEqual({ ok: false, error: { message: '"==" needs a value on its right', start: 12, end: 14 } });
  });
});

describe('validateFilter', () => {
  it('ok, or the message and range', () => {
    expect(validateFilter('wstest.port == 80')).toEqual({ ok: true });
    expect(validateFilter('')).toEqual({ ok: true });
    expect(validateFilter('wstest.prot == 80')).toEqual({
      ok: false, message: '"wstest.prot" is not a field — did you mean "wstest.port"?', start: 0, end: 11,
    });
  });
});

describe('formatFilterError', () => {
  it('underlines the range under the filter, like tshark', () => {
    const text = 'wstest.port ==\t';
    const r = compileFilter(text);
    expect(!r.ok && formatFilterError(text, r.error)).toBe('"==" needs a value on its right\n    wstest.port == \n                ^~');
    const e = { message: 'm', start: 3, end: 3 };
    expect(formatFilterError('abcd', e, '')).toBe('m\nabcd\n   ^');
  });
});

describe('completeField', () => {
  it('completes names with their labels and types, protocols first, then by depth', () => {
    const all = completeField('wstest');
    expect(all[0]).toEqual({ name: 'wstest', label: 'Wirescope test protocol', type: 'protocol' });
    expect(all.map((c) => c.name)).toContain('wstest.addr6');
    expect(completeField('wstest.add')).toEqual([
      { name: 'wstest.addr', label: 'Address', type: 'ipv4' },
      { name: 'wstest.addr6', label: 'IPv6 address', type: 'ipv6' },
    ]);
    expect(completeField('WSTEST.ADDR6')).toHaveLength(1);
    expect(completeField('wstest', 3)).toHaveLength(3);
    expect(completeField('no-such-prefix')).toEqual([]);
  });
  it('knows the frame fields', () => {
    expect(completeField('frame.time_r')).toEqual([
      { name: 'frame.time_relative', label: 'Time since reference or first frame', type: 'rel_time' },
    ]);
  });
});

describe('planning over a packet index', () => {
  const parsed = parseFilter('wstest.port == 80 && wstest.name contains "x" && (wstest.addr == 10.0.0.0/8 || wstest.port > 1000)');
  const ast = (parsed.ok ? parsed.ast : null) as TypedExpr;
  it('walks every test', () => {
    const kinds: string[] = [];
    walkFilter(ast, (n) => kinds.push(n.kind));
    expect(kinds).toEqual(['and', 'and', 'compare', 'compare', 'or', 'compare', 'compare']);
  });
  it('splits the conjuncts an index can answer from the rest', () => {
    expect(conjuncts(ast)).toHaveLength(3);
    const indexed = new Set(['wstest.port', 'wstest.addr']);
    const { indexed: yes, rest } = splitForIndex(ast, (d) => indexed.has(d.name));
    expect(yes && parsedText(yes)).toBe('wstest.port == 80 … (wstest.addr == 10.0.0.0/8 || wstest.port > 1000)');
    expect(rest && parsedText(rest)).toBe('wstest.name contains "x"');
    const none = splitForIndex(ast, () => false);
    expect(none.indexed).toBeNull();
    const all = splitForIndex(ast, () => true);
    expect(all.rest).toBeNull();
  });
  it('the parts compile separately and agree with the whole', () => {
    const { indexed, rest } = splitForIndex(ast, (d) => d.name !== 'wstest.name');
    const whole = compileChecked(ast, 'whole');
    const a = compileChecked(indexed!, 'a');
    const b = compileChecked(rest!, 'b');
    const packets = [
      packet([[T.port, [80]], [T.name, ['xyz']], [T.addr, [ip('10.9.9.9')]]]),
      packet([[T.port, [80]], [T.name, ['abc']], [T.addr, [ip('10.9.9.9')]]]),
      packet([[T.port, [80]], [T.name, ['xyz']], [T.addr, [ip('11.9.9.9')]]]),
      packet([[T.port, [81]], [T.name, ['xyz']]]),
    ];
    expect(packets.map((p) => whole.matches(p))).toEqual([true, false, false, false]);
    expect(packets.map((p) => a.matches(p) && b.matches(p))).toEqual(packets.map((p) => whole.matches(p)));
  });
  it('describes field-op-constant leaves with their parsed constant', () => {
    const leaves = conjuncts(ast).map(simpleLeaf);
    expect(leaves[0]).toMatchObject({ test: 'eq', quantifier: 'any', value: 80 });
    expect(leaves[0]!.def.name).toBe('wstest.port');
    expect(leaves[2]).toBeNull();
    const sub = parseFilter('wstest.addr != 10.0.0.0/8');
    expect(sub.ok && simpleLeaf(sub.ast)).toMatchObject({ test: 'ne', quantifier: 'all', value: { addr: ip('10.0.0.0'), bits: 8 } });
    const ex = parseFilter('wstest.mark');
    expect(ex.ok && simpleLeaf(ex.ast)).toMatchObject({ test: 'exists', value: null });
    expect(hex('00').length).toBe(1);
  });

  function parsedText(e: TypedExpr): string {
    const text = 'wstest.port == 80 && wstest.name contains "x" && (wstest.addr == 10.0.0.0/8 || wstest.port > 1000)';
    const parts = conjuncts(e).map((c) => text.slice(c.span.start, c.span.end));
    return parts.length > 1 ? `${parts[0]} … ${parts[parts.length - 1]}` : parts[0];
  }
});
