/**
 * Helpers for running a filter over a packet index (src/engine): which parts of a filter can
 * be answered from per-packet columns the index keeps (addresses, ports, protocols, stream,
 * flags, lengths, times) and which need the packet decoded.
 *
 * The compiled predicate only reads `PacketFields.get(def)`, so an index that can produce the
 * occurrences of a field from its columns can run a sub-filter without decoding anything:
 *   const { indexed, rest } = splitForIndex(filter.ast, (def) => index.has(def));
 *   candidates = indexed ? packets where compileTyped(indexed).matches(indexFields(n)) : all;
 *   result = candidates where rest is null or compileTyped(rest).matches(decoded(n)).
 */
import type { FieldDef } from '../decode/fields/types.js';
import { filterFields, readsFrameBytes } from './compile.js';
import type { ConstValue, PairTest, TypedExpr } from './typed.js';

/** The top-level conjuncts of a filter (`a && (b || c) && d` → a, (b || c), d). */
export function conjuncts(expr: TypedExpr): TypedExpr[] {
  if (expr.kind === 'and') return [...conjuncts(expr.left), ...conjuncts(expr.right)];
  if (expr.kind === 'true') return [];
  return [expr];
}

function joinAnd(parts: TypedExpr[]): TypedExpr | null {
  if (parts.length === 0) return null;
  return parts.reduce((left, right) => ({
    kind: 'and', left, right, span: { start: left.span.start, end: right.span.end },
  }));
}

/** True when every field a (sub-)filter reads is available and no frame bytes are needed. */
export function answerableBy(expr: TypedExpr, has: (def: FieldDef) => boolean): boolean {
  return !readsFrameBytes(expr) && filterFields(expr).every(has);
}

/**
 * Splits a filter into the conjuncts an index can answer and the rest. `a && b` equals
 * `indexed && rest`, so the index narrows the packets and only those are decoded for `rest`.
 */
export function splitForIndex(expr: TypedExpr, has: (def: FieldDef) => boolean): { indexed: TypedExpr | null; rest: TypedExpr | null } {
  const yes: TypedExpr[] = [];
  const no: TypedExpr[] = [];
  for (const c of conjuncts(expr)) (answerableBy(c, has) ? yes : no).push(c);
  return { indexed: joinAnd(yes), rest: joinAnd(no) };
}

/** A leaf of the simplest shape, `field <op> constant`, which an index can look up directly. */
export interface SimpleLeaf {
  def: FieldDef;
  test: PairTest | 'exists';
  quantifier: 'any' | 'all';
  /** The constant (parsed: an IPv4Value for addresses/subnets, a number for ports …). */
  value: ConstValue | null;
}

export function simpleLeaf(node: TypedExpr): SimpleLeaf | null {
  if (node.kind === 'exists' && node.operand.kind === 'field') {
    return { def: node.operand.def, test: 'exists', quantifier: 'any', value: null };
  }
  if (node.kind === 'compare' && node.left.kind === 'field' && node.right.kind === 'const') {
    return { def: node.left.def, test: node.test, quantifier: node.quantifier, value: node.right.value };
  }
  return null;
}
