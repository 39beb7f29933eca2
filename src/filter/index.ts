/**
 * Display filters: Wireshark's language (the dialect of tshark 4.0) compiled to predicates
 * over a packet's fields. Isomorphic.
 *
 *   compileFilter(text)   → { ok: true, filter } | { ok: false, error: { message, start, end } }
 *   validateFilter(text)  → { ok: true } | { ok: false, message, start, end }   (filter bar)
 *   completeField(prefix) → [{ name, label, type }]                            (filter bar)
 *   parseFilter(text)     → the checked tree, for planners (see plan.ts)
 *
 * None of them throws, whatever the text.
 */
import { parseSyntax } from './parser.js';
import { checkFilter } from './check.js';
import { compilePredicate, filterFields, readsFrameBytes } from './compile.js';
import { FilterProblem, type FilterError } from './errors.js';
import type { PacketFilter } from './types.js';
import type { TypedExpr } from './typed.js';

export type { PacketFilter, PacketFields } from './types.js';
export type { FilterError } from './errors.js';
export type { TypedExpr, TypedOperand, TypedSetElement, ValueKind, PairTest, ConstValue, FunctionName } from './typed.js';
export type { SyntaxExpr, SyntaxOperand, CompareOp, Span, SliceRange } from './ast.js';
export { walkFilter, walkOperands, testOperands } from './typed.js';
export { completeField, suggestField, type FieldCompletion } from './suggest.js';
export { conjuncts, splitForIndex, answerableBy, simpleLeaf, type SimpleLeaf } from './plan.js';

export type CompileResult = { ok: true; filter: PacketFilter } | { ok: false; error: FilterError };
export type ParseResult = { ok: true; ast: TypedExpr } | { ok: false; error: FilterError };
export type ValidationResult = { ok: true } | ({ ok: false } & FilterError);

function asError(err: unknown, text: string): FilterError {
  if (err instanceof FilterProblem) return err.toError();
  // A bug in the compiler must not take the caller down: report it on the whole text.
  return { message: `internal filter error: ${(err as Error)?.message ?? String(err)}`, start: 0, end: text.length };
}

/** Parses and checks a filter against the field registry. */
export function parseFilter(text: string): ParseResult {
  try {
    return { ok: true, ast: checkFilter(parseSyntax(text), text) };
  } catch (err) {
    return { ok: false, error: asError(err, text) };
  }
}

/** Compiles a checked tree (or a part of one, e.g. from `splitForIndex`) into a filter. */
export function compileChecked(ast: TypedExpr, text: string): PacketFilter {
  const predicate = compilePredicate(ast);
  return {
    text,
    fields: filterFields(ast),
    matches: predicate,
    ast,
    readsBytes: readsFrameBytes(ast),
  };
}

export function compileFilter(text: string): CompileResult {
  const parsed = parseFilter(text);
  if (!parsed.ok) return parsed;
  try {
    return { ok: true, filter: compileChecked(parsed.ast, text) };
  } catch (err) {
    return { ok: false, error: asError(err, text) };
  }
}

/**
 * An error as tshark prints it on a terminal: the sentence, the filter, and a caret line
 * under the range (`    ^~~~`). Tabs and line breaks in the filter are shown as spaces so
 * the caret stays aligned.
 */
export function formatFilterError(text: string, error: FilterError, indent = '    '): string {
  const shown = text.replace(/[\t\n\r]/g, ' ');
  const width = Math.max(1, error.end - error.start);
  return `${error.message}\n${indent}${shown}\n${indent}${' '.repeat(error.start)}^${'~'.repeat(width - 1)}`;
}

/** For the filter bar: is the text a valid filter, and if not, what and where is the problem. */
export function validateFilter(text: string): ValidationResult {
  const r = compileFilter(text);
  return r.ok ? { ok: true } : { ok: false, ...r.error };
}
