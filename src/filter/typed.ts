/**
 * The checked filter: every name resolved against the field registry, every literal parsed
 * into the type it is compared with. The compiler turns it into a predicate; the engine's
 * planner walks it (`walkFilter`) to find the tests its packet index can answer.
 */
import type { FieldDef, Timestamp } from '../decode/fields/types.js';
import type { ArithOp, CompareOp, SliceRange, Span } from './ast.js';
import type { IPv4Value, IPv6Value } from './values.js';

/**
 * How values of an operand are compared. Protocols, FT_NONE nodes and slices are byte
 * strings (the bytes they cover); 'label' is an FT_NONE field, which can only be tested for
 * presence (Wireshark: "cannot participate in == comparison").
 */
export type ValueKind =
  | 'int' | 'double' | 'bool' | 'ipv4' | 'ipv6' | 'ether' | 'bytes' | 'string' | 'reltime' | 'abstime' | 'label';

export type ConstValue =
  | number // int (NaN: a negative number compared with an unsigned field), double, reltime
  | boolean
  | string
  | Uint8Array // ether, bytes
  | IPv4Value
  | IPv6Value
  | Timestamp
  | RegExp;

export type TypedOperand =
  | { kind: 'field'; def: FieldDef; valueKind: ValueKind; unsigned: boolean; span: Span }
  | { kind: 'const'; valueKind: ValueKind; value: ConstValue; span: Span }
  | { kind: 'slice'; operand: TypedOperand; ranges: SliceRange[]; valueKind: 'bytes'; unsigned: false; span: Span }
  | { kind: 'call'; fn: FunctionName; args: TypedOperand[]; valueKind: ValueKind; unsigned: boolean; span: Span }
  | { kind: 'arith'; op: ArithOp; left: TypedOperand; right: TypedOperand; valueKind: ValueKind; unsigned: false; span: Span }
  | { kind: 'negate'; operand: TypedOperand; valueKind: ValueKind; unsigned: false; span: Span };

export type FunctionName = 'len' | 'count' | 'lower' | 'upper' | 'string' | 'max' | 'min' | 'abs';

/** The test a comparison performs on one pair of values. */
export type PairTest = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le' | 'contains' | 'matches';

export interface TypedSetElement {
  low: TypedOperand;
  high: TypedOperand | null;
  span: Span;
}

export type TypedExpr =
  | { kind: 'and' | 'or' | 'xor'; left: TypedExpr; right: TypedExpr; span: Span }
  | { kind: 'not'; operand: TypedExpr; span: Span }
  | { kind: 'true'; span: Span }
  /** Presence of a field/protocol, or (for a slice) that the sliced bytes exist. */
  | { kind: 'exists'; operand: TypedOperand; span: Span }
  /**
   * `quantifier` 'any': some pair of values passes `test`; 'all': every pair does (and there
   * is at least one). Wireshark 4: == any/eq, != all/ne, === all/eq, !== ~= any/ne.
   */
  | { kind: 'compare'; op: CompareOp; quantifier: 'any' | 'all'; test: PairTest; valueKind: ValueKind; left: TypedOperand; right: TypedOperand; span: Span }
  | { kind: 'in'; negated: boolean; quantifier: 'any' | 'all'; valueKind: ValueKind; left: TypedOperand; elements: TypedSetElement[]; span: Span };

/** Calls `visit` on every test node of the tree, parents before children. */
export function walkFilter(expr: TypedExpr, visit: (node: TypedExpr, depth: number) => void, depth = 0): void {
  visit(expr, depth);
  if (expr.kind === 'and' || expr.kind === 'or' || expr.kind === 'xor') {
    walkFilter(expr.left, visit, depth + 1);
    walkFilter(expr.right, visit, depth + 1);
  } else if (expr.kind === 'not') {
    walkFilter(expr.operand, visit, depth + 1);
  }
}

/** Calls `visit` on every operand under a test (fields inside slices, calls, arithmetic…). */
export function walkOperands(op: TypedOperand, visit: (o: TypedOperand) => void): void {
  visit(op);
  switch (op.kind) {
    case 'slice': walkOperands(op.operand, visit); break;
    case 'call': for (const a of op.args) walkOperands(a, visit); break;
    case 'arith': walkOperands(op.left, visit); walkOperands(op.right, visit); break;
    case 'negate': walkOperands(op.operand, visit); break;
    default: break;
  }
}

/** Every operand of one test node (not descending into sub-tests). */
export function testOperands(expr: TypedExpr): TypedOperand[] {
  switch (expr.kind) {
    case 'exists': return [expr.operand];
    case 'compare': return [expr.left, expr.right];
    case 'in': return [expr.left, ...expr.elements.flatMap((e) => (e.high ? [e.low, e.high] : [e.low]))];
    default: return [];
  }
}
