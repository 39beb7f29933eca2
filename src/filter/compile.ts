/**
 * Typed filter → predicate over a packet's fields. Tests become closures once, constants are
 * already parsed, and the common shapes (field op constant) read the collector's arrays
 * directly without allocating.
 *
 * Several occurrences of a field (ip.addr holds source and destination) follow Wireshark 4:
 * "any" tests (==, >, contains, matches, in, !==) pass when one value passes; "all" tests (!=,
 * ===) need every value to pass and at least one value to exist.
 */
import type { FieldDef } from '../decode/fields/types.js';
import { constTest, pairTest, type UnaryTest } from './compare.js';
import { makeSource, type Source } from './sources.js';
import type { PacketFields } from './types.js';
import { walkFilter, walkOperands, testOperands, type TypedExpr, type TypedOperand, type TypedSetElement } from './typed.js';

export type Predicate = (p: PacketFields) => boolean;

export function compilePredicate(expr: TypedExpr): Predicate {
  switch (expr.kind) {
    case 'true': return () => true;
    case 'and': {
      const a = compilePredicate(expr.left);
      const b = compilePredicate(expr.right);
      return (p) => a(p) && b(p);
    }
    case 'or': {
      const a = compilePredicate(expr.left);
      const b = compilePredicate(expr.right);
      return (p) => a(p) || b(p);
    }
    case 'xor': {
      const a = compilePredicate(expr.left);
      const b = compilePredicate(expr.right);
      return (p) => a(p) !== b(p);
    }
    case 'not': {
      const a = compilePredicate(expr.operand);
      return (p) => !a(p);
    }
    case 'exists': return compileExists(expr.operand);
    case 'compare': return compileCompare(expr);
    case 'in': return compileIn(expr);
  }
}

function compileExists(op: TypedOperand): Predicate {
  if (op.kind === 'field') {
    const def = op.def;
    return (p) => p.get(def).count > 0;
  }
  const src = makeSource(op);
  return (p) => src.load(p) > 0;
}

function compileCompare(expr: Extract<TypedExpr, { kind: 'compare' }>): Predicate {
  const { left, right, test, valueKind, quantifier } = expr;
  if (right.kind === 'const') {
    const t = constTest(valueKind, test, right.value);
    if (left.kind === 'field' && !(left.def.type === 'protocol' || left.def.type === 'none')) {
      return fieldConst(left.def, t, quantifier);
    }
    const src = makeSource(left);
    return quantifier === 'any' ? anyConst(src, t) : allConst(src, t);
  }
  const t = pairTest(valueKind, test);
  const ls = makeSource(left);
  const rs = makeSource(right);
  if (quantifier === 'any') {
    return (p) => {
      const nl = ls.load(p);
      if (nl === 0) return false;
      const nr = rs.load(p);
      const lv = ls.vals;
      const rv = rs.vals;
      for (let i = 0; i < nl; i++) for (let j = 0; j < nr; j++) if (t(lv[i], rv[j])) return true;
      return false;
    };
  }
  return (p) => {
    const nl = ls.load(p);
    if (nl === 0) return false;
    const nr = rs.load(p);
    if (nr === 0) return false;
    const lv = ls.vals;
    const rv = rs.vals;
    for (let i = 0; i < nl; i++) for (let j = 0; j < nr; j++) if (!t(lv[i], rv[j])) return false;
    return true;
  };
}

/** The hot path: a field's occurrences against a constant, straight from the collector. */
function fieldConst(def: FieldDef, t: UnaryTest, quantifier: 'any' | 'all'): Predicate {
  if (quantifier === 'any') {
    return (p) => {
      const o = p.get(def);
      const v = o.values;
      for (let i = 0, n = o.count; i < n; i++) if (t(v[i])) return true;
      return false;
    };
  }
  return (p) => {
    const o = p.get(def);
    const n = o.count;
    if (n === 0) return false;
    const v = o.values;
    for (let i = 0; i < n; i++) if (!t(v[i])) return false;
    return true;
  };
}

function anyConst(src: Source, t: UnaryTest): Predicate {
  return (p) => {
    const n = src.load(p);
    const v = src.vals;
    for (let i = 0; i < n; i++) if (t(v[i])) return true;
    return false;
  };
}

function allConst(src: Source, t: UnaryTest): Predicate {
  return (p) => {
    const n = src.load(p);
    if (n === 0) return false;
    const v = src.vals;
    for (let i = 0; i < n; i++) if (!t(v[i])) return false;
    return true;
  };
}

/** One set element as a test of a value; elements that read the packet are loaded first. */
interface ElementTest {
  /** Loads packet-dependent bounds (fields in the set); constant elements do nothing. */
  load(p: PacketFields): void;
  test(v: unknown): boolean;
}

function compileElement(el: TypedSetElement, kind: Extract<TypedExpr, { kind: 'in' }>['valueKind']): ElementTest {
  const { low, high } = el;
  if (!high) {
    if (low.kind === 'const') {
      const t = constTest(kind, 'eq', low.value);
      return { load() {}, test: t };
    }
    const src = makeSource(low);
    const eq = pairTest(kind, 'eq');
    let n = 0;
    return {
      load(p) { n = src.load(p); },
      test(v) { for (let i = 0; i < n; i++) if (eq(v, src.vals[i])) return true; return false; },
    };
  }
  if (low.kind === 'const' && high.kind === 'const') {
    const ge = constTest(kind, 'ge', low.value);
    const le = constTest(kind, 'le', high.value);
    return { load() {}, test: (v) => ge(v) && le(v) };
  }
  const ls = makeSource(low);
  const hs = makeSource(high);
  const ge = pairTest(kind, 'ge');
  const le = pairTest(kind, 'le');
  let nl = 0;
  let nh = 0;
  return {
    load(p) { nl = ls.load(p); nh = hs.load(p); },
    test(v) {
      for (let i = 0; i < nl; i++) {
        if (!ge(v, ls.vals[i])) continue;
        for (let j = 0; j < nh; j++) if (le(v, hs.vals[j])) return true;
      }
      return false;
    },
  };
}

function compileIn(expr: Extract<TypedExpr, { kind: 'in' }>): Predicate {
  const elements = expr.elements.map((el) => compileElement(el, expr.valueKind));
  const src = makeSource(expr.left);
  // tshark 4.0 evaluates `x in {a, b}` as `x == a || x == b`, so a quantifier applies to each
  // element: `all tcp.port in {53, 80}` needs every port equal to 53, or every port equal to 80.
  const all = expr.quantifier === 'all';
  if (!all && expr.elements.every((el) => el.low.kind === 'const' && (!el.high || el.high.kind === 'const'))) {
    // Constant sets (the usual case): no loading, one pass over the values.
    const tests = elements.map((e) => e.test);
    const m = tests.length;
    const test: Predicate = (p) => {
      const n = src.load(p);
      const v = src.vals;
      for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) if (tests[j](v[i])) return true;
      return false;
    };
    return expr.negated ? (p) => !test(p) : test;
  }
  const test: Predicate = (p) => {
    const n = src.load(p);
    if (n === 0) return false;
    const v = src.vals;
    for (const e of elements) {
      e.load(p);
      let passed = all;
      for (let i = 0; i < n; i++) {
        const m = e.test(v[i]);
        if (all && !m) { passed = false; break; }
        if (!all && m) { passed = true; break; }
      }
      if (passed) return true;
    }
    return false;
  };
  return expr.negated ? (p) => !test(p) : test;
}

/** Every field the filter reads (the collector must gather them). */
export function filterFields(expr: TypedExpr): FieldDef[] {
  const seen = new Set<FieldDef>();
  walkFilter(expr, (node) => {
    for (const op of testOperands(node)) {
      walkOperands(op, (o) => { if (o.kind === 'field') seen.add(o.def); });
    }
  });
  return [...seen];
}

/** True when some test reads the frame bytes (protocol values, slices of protocols). */
export function readsFrameBytes(expr: TypedExpr): boolean {
  let reads = false;
  walkFilter(expr, (node) => {
    const plainExists = node.kind === 'exists' && node.operand.kind === 'field';
    if (plainExists) return;
    for (const op of testOperands(node)) {
      walkOperands(op, (o) => {
        if (o.kind === 'field' && (o.def.type === 'protocol' || o.def.type === 'none')) reads = true;
      });
    }
  });
  return reads;
}

