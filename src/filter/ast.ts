/**
 * The syntax tree the parser builds: what the user wrote, with positions, before field names
 * are looked up. `check.ts` turns it into the typed tree (`typed.ts`) the compiler and the
 * engine's index planner read.
 */

export interface Span {
  /** Offset of the first character in the filter text. */
  start: number;
  /** Offset just past the last character. */
  end: number;
}

/** Comparison operators, named as Wireshark 4.0 names them (`!=` is all_ne since 4.0). */
export type CompareOp = 'any_eq' | 'all_ne' | 'all_eq' | 'any_ne' | 'gt' | 'ge' | 'lt' | 'le' | 'contains' | 'matches';

export type ArithOp = 'plus' | 'minus' | 'times' | 'divide' | 'modulo' | 'bitand';

export type Quantifier = 'any' | 'all';

/** One range of a slice: `[i:j]` (start, length), `[i-j]` (start, end inclusive), `[i]`, `[i:]`. */
export interface SliceRange extends Span {
  start0: number;
  /** Number of bytes, or null for "to the end". */
  length: number | null;
}

export type SyntaxExpr =
  | { kind: 'and' | 'or' | 'xor'; left: SyntaxExpr; right: SyntaxExpr; span: Span }
  | { kind: 'not'; operand: SyntaxExpr; span: Span }
  /** A bare operand: existence of a field or protocol (or of a slice's bytes). */
  | { kind: 'exists'; operand: SyntaxOperand; span: Span }
  | { kind: 'compare'; op: CompareOp; opSpan: Span; quantifier: Quantifier | null; left: SyntaxOperand; right: SyntaxOperand; span: Span }
  | { kind: 'in'; negated: boolean; opSpan: Span; quantifier: Quantifier | null; left: SyntaxOperand; elements: SetElement[]; span: Span }
  /** The empty filter: matches every packet (tshark accepts `-Y ""`). */
  | { kind: 'true'; span: Span };

export interface SetElement {
  low: SyntaxOperand;
  /** Upper bound of `low..high` ranges (inclusive). */
  high: SyntaxOperand | null;
  span: Span;
}

export type SyntaxOperand =
  /** An unquoted word: a field name when the registry knows it, otherwise a literal value. */
  | { kind: 'word'; text: string; span: Span; explicitField: boolean; layer: Span | null }
  | { kind: 'string'; value: string; raw: boolean; span: Span }
  | { kind: 'char'; value: number; span: Span }
  | { kind: 'slice'; operand: SyntaxOperand; ranges: SliceRange[]; span: Span }
  | { kind: 'call'; name: string; nameSpan: Span; args: SyntaxOperand[]; span: Span }
  | { kind: 'arith'; op: ArithOp; left: SyntaxOperand; right: SyntaxOperand; opSpan: Span; span: Span }
  | { kind: 'negate'; operand: SyntaxOperand; span: Span }
  /** `${field}`: a field of the packet selected in the GUI (parsed so we can explain it). */
  | { kind: 'reference'; name: string; span: Span };
