/**
 * Semantic check: resolves names against the field registry, gives every operand a value
 * kind, converts literals to the kind of the field they are compared with (so addresses,
 * subnets and MACs are parsed once, at compile time) and rejects what Wireshark rejects,
 * with a sentence that names the problem and its position.
 */
import { lookupField, type FieldDef } from '../decode/fields/types.js';
import type { SetElement, Span, SyntaxExpr, SyntaxOperand } from './ast.js';
import { fail, quote } from './errors.js';
import { convertChar, convertString, convertWord, kindName, type LiteralContext, type Target } from './convert.js';
import { compilePcre } from './regex.js';
import { suggestField } from './suggest.js';
import type { ConstValue, FunctionName, PairTest, TypedExpr, TypedOperand, TypedSetElement, ValueKind } from './typed.js';
import { binaryToText } from './values.js';

export function fieldValueKind(def: FieldDef): ValueKind {
  switch (def.type) {
    case 'uint': case 'int': case 'framenum': return 'int';
    case 'double': return 'double';
    case 'bool': return 'bool';
    case 'string': return 'string';
    // A protocol's value is the bytes it spans (Wireshark: `frame contains "x"`, eth[0:3]).
    case 'bytes': case 'protocol': return 'bytes';
    case 'ether': return 'ether';
    case 'ipv4': return 'ipv4';
    case 'ipv6': return 'ipv6';
    case 'abs_time': return 'abstime';
    case 'rel_time': return 'reltime';
    case 'none': return 'label';
  }
}

const FUNCTIONS: readonly FunctionName[] = ['len', 'count', 'lower', 'upper', 'string', 'max', 'min', 'abs'];

const QUANTIFIED: Record<string, { quantifier: 'any' | 'all'; test: PairTest }> = {
  any_eq: { quantifier: 'any', test: 'eq' },
  all_ne: { quantifier: 'all', test: 'ne' },
  all_eq: { quantifier: 'all', test: 'eq' },
  any_ne: { quantifier: 'any', test: 'ne' },
  gt: { quantifier: 'any', test: 'gt' },
  ge: { quantifier: 'any', test: 'ge' },
  lt: { quantifier: 'any', test: 'lt' },
  le: { quantifier: 'any', test: 'le' },
  contains: { quantifier: 'any', test: 'contains' },
  matches: { quantifier: 'any', test: 'matches' },
};

const NUMERIC: ReadonlySet<ValueKind> = new Set(['int', 'double', 'reltime']);

export function checkFilter(expr: SyntaxExpr, text: string): TypedExpr {
  return new Checker(text).expr(expr);
}

class Checker {
  constructor(private readonly text: string) {}

  private src(span: Span): string {
    return this.text.slice(span.start, span.end);
  }

  expr(e: SyntaxExpr): TypedExpr {
    switch (e.kind) {
      case 'true': return e;
      case 'and': case 'or': case 'xor':
        return { kind: e.kind, left: this.expr(e.left), right: this.expr(e.right), span: e.span };
      case 'not':
        return { kind: 'not', operand: this.expr(e.operand), span: e.span };
      case 'exists':
        if (e.operand.kind === 'arith' && e.operand.op === 'bitand') return this.bitTest(e.operand, e.span);
        return { kind: 'exists', operand: this.existsOperand(e.operand), span: e.span };
      case 'compare':
        return this.compare(e);
      case 'in':
        return this.membership(e);
    }
  }

  // ---------------------------------------------------------------- names

  private notAField(text: string, span: Span): never {
    if (/^[0-9:]/.test(text) || /^-?\d/.test(text)) {
      fail(`${quote(text)} is a value, not a field: compare a field with it, like "tcp.port == 80"`, span);
    }
    const s = suggestField(text);
    if (s) fail(`${quote(text)} is not a field — did you mean "${s.name}"?`, span);
    fail(`${quote(text)} is not a field or protocol name`, span);
  }

  private field(op: Extract<SyntaxOperand, { kind: 'word' }>): TypedOperand {
    const def = lookupField(op.text);
    if (!def) this.notAField(op.text, op.span);
    if (op.layer) {
      fail(`the layer operator "${this.src(op.layer)}" is not supported yet: compare all layers, or use a slice`, op.layer);
    }
    const valueKind = fieldValueKind(def);
    return { kind: 'field', def, valueKind, unsigned: def.type === 'uint' || def.type === 'framenum', span: op.span };
  }

  private isField(op: SyntaxOperand): boolean {
    return op.kind === 'word' && (op.explicitField || lookupField(op.text) !== undefined);
  }

  /** True when the operand contains no field: it is a constant to be converted. */
  private isConstant(op: SyntaxOperand): boolean {
    switch (op.kind) {
      case 'word': return !this.isField(op);
      case 'string': case 'char': return true;
      case 'negate': return this.isConstant(op.operand);
      case 'arith': return this.isConstant(op.left) && this.isConstant(op.right);
      default: return false;
    }
  }

  // ---------------------------------------------------------------- tests

  private existsOperand(op: SyntaxOperand): TypedOperand {
    switch (op.kind) {
      case 'word': return this.field(op);
      case 'slice': return this.operand(op, null, { relation: quote(this.src(op.span)) });
      case 'call': {
        const example = ['lower', 'upper', 'string'].includes(op.name) ? '== "…"' : '> 0';
        return fail(`${quote(this.src(op.span))} is a value, not a test: compare it, like ${this.src(op.span)} ${example}`, op.span);
      }
      case 'string': case 'char':
        return fail(`${this.src(op.span)} is a value, not a test: compare a field with it, like http.request.method == "GET"`, op.span);
      case 'reference':
        return this.operand(op, null, { relation: quote(this.src(op.span)) });
      default:
        return fail(`${quote(this.src(op.span))} is a value, not a test: compare it with something, like "${this.src(op.span)} > 0"`, op.span);
    }
  }

  /**
   * `tcp.flags & 0x02` alone is a test: true when some value of the masked field is not zero
   * (for a byte slice: has a non-zero byte).
   */
  private bitTest(op: Extract<SyntaxOperand, { kind: 'arith' }>, span: Span): TypedExpr {
    const ctx = { relation: quote(this.src(span), 60) };
    const left = this.leftOperand(op, ctx);
    const zero = left.valueKind === 'bytes' ? new Uint8Array(bytesLength(left)) : 0;
    return {
      kind: 'compare', op: 'any_ne', quantifier: 'any', test: 'ne', valueKind: left.valueKind, left,
      right: { kind: 'const', valueKind: left.valueKind, value: zero, span: { start: span.end, end: span.end } }, span,
    };
  }

  /** The left side of a comparison: must read the packet (Wireshark: "must be a field or function"). */
  private leftOperand(op: SyntaxOperand, ctx: LiteralContext): TypedOperand {
    // tshark 4.0 also rejects arithmetic that starts with a constant (`1 + tcp.port == 81`).
    let first = op;
    while (first.kind === 'arith' || first.kind === 'negate') first = first.kind === 'arith' ? first.left : first.operand;
    if (this.isConstant(op)) {
      if (op.kind === 'word') this.notAField(op.text, op.span);
      fail(`${ctx.relation}: the left side must be a field, a slice or a function, not the value ${quote(this.src(op.span))}`, op.span);
    }
    if (op !== first && this.isConstant(first)) {
      fail(`${ctx.relation}: arithmetic on the left side must start with a field or a function, not the value ${quote(this.src(first.span))}`, first.span);
    }
    return this.operand(op, null, ctx);
  }

  private target(op: TypedOperand): Target {
    const name = op.kind === 'field' ? op.def.name : this.src(op.span);
    return { kind: op.valueKind, def: op.kind === 'field' ? op.def : undefined, unsigned: 'unsigned' in op ? op.unsigned : false, name };
  }

  private compare(e: Extract<SyntaxExpr, { kind: 'compare' }>): TypedExpr {
    const ctx = { relation: quote(this.src(e.span), 60) };
    const left = this.leftOperand(e.left, ctx);
    const { quantifier: q, test } = QUANTIFIED[e.op];
    const opText = this.src(e.opSpan);
    const leftName = this.src(e.left.span);
    if (left.valueKind === 'label') {
      fail(`${quote(leftName)} only marks a condition and has no value: test it alone, like "${leftName}", instead of with ${quote(opText)}`, e.left.span);
    }
    if (test === 'contains' && left.valueKind !== 'string' && left.valueKind !== 'bytes' && left.valueKind !== 'ether') {
      fail(`${quote(leftName)} is ${kindName(left.valueKind)}: "contains" works on strings, byte strings and protocols`, e.left.span);
    }
    let right: TypedOperand;
    if (test === 'matches') {
      if (left.valueKind !== 'string' && left.valueKind !== 'bytes') {
        fail(`${quote(leftName)} is ${kindName(left.valueKind)}: "matches" works on strings, byte strings and protocols (use string(${leftName}) to match its text)`, e.left.span);
      }
      if (e.right.kind !== 'string') fail(`${ctx.relation}: the regular expression after ${quote(opText)} must be a "quoted string"`, e.right.span);
      const pattern = left.valueKind === 'string' ? binaryToText(e.right.value) : e.right.value;
      const re = compilePcre(pattern);
      if (!(re instanceof RegExp)) fail(`${ctx.relation}: ${re.error}`, e.right.span);
      right = { kind: 'const', valueKind: left.valueKind, value: re, span: e.right.span };
    } else {
      const target = this.target(left);
      // contains on a MAC address searches its bytes: any byte string will do.
      if (test === 'contains' && target.kind === 'ether') target.kind = 'bytes';
      right = this.operand(e.right, target, ctx);
      this.compatible(left, right, opText, e.span);
      right = this.unsignedGuard(left, right);
    }
    return {
      kind: 'compare', op: e.op, quantifier: e.quantifier ?? q, test, valueKind: left.valueKind === 'ether' && test === 'contains' ? 'bytes' : left.valueKind,
      left, right, span: e.span,
    };
  }

  private membership(e: Extract<SyntaxExpr, { kind: 'in' }>): TypedExpr {
    const ctx = { relation: quote(this.src(e.span), 60) };
    const left = this.leftOperand(e.left, ctx);
    if (left.valueKind === 'label') {
      const name = this.src(e.left.span);
      fail(`${quote(name)} only marks a condition and has no value: test it alone, like "${name}"`, e.left.span);
    }
    const target = this.target(left);
    const elements: TypedSetElement[] = e.elements.map((el: SetElement) => {
      const low = this.unsignedGuard(left, this.operand(el.low, target, ctx));
      this.compatible(left, low, 'in', el.span);
      let high: TypedOperand | null = null;
      if (el.high) {
        high = this.unsignedGuard(left, this.operand(el.high, target, ctx));
        this.compatible(left, high, 'in', el.span);
      }
      return { low, high, span: el.span };
    });
    return { kind: 'in', negated: e.negated, quantifier: e.quantifier ?? 'any', valueKind: left.valueKind, left, elements, span: e.span };
  }

  /**
   * tshark 4.0 finds no unsigned field equal to, above or below a negative number
   * (`frame.len > -1` and `frame.len < -1` both match nothing, `!=` matches everything):
   * such a constant becomes NaN, which compares the same way.
   */
  private unsignedGuard(left: TypedOperand, right: TypedOperand): TypedOperand {
    if (right.kind === 'const' && right.valueKind === 'int' && typeof right.value === 'number' && right.value < 0 &&
        'unsigned' in left && left.unsigned) {
      return { ...right, value: NaN };
    }
    return right;
  }

  private compatible(left: TypedOperand, right: TypedOperand, opText: string, span: Span): void {
    const a = left.valueKind;
    const b = right.valueKind;
    const bytesLike = (k: ValueKind) => k === 'bytes' || k === 'ether';
    if (a === b || (bytesLike(a) && bytesLike(b))) return;
    fail(`${quote(this.src(span), 60)}: ${quote(this.src(left.span))} (${describeOperand(left)}) and ${quote(this.src(right.span))} (${describeOperand(right)}) cannot be compared with ${quote(opText)}`, right.span);
  }

  // ---------------------------------------------------------------- operands

  /** Resolves an operand; literals are converted to `target` (the other side's kind). */
  private operand(op: SyntaxOperand, target: Target | null, ctx: LiteralContext): TypedOperand {
    switch (op.kind) {
      case 'word': {
        if (this.isField(op)) return this.field(op);
        if (!target) return this.notAField(op.text, op.span);
        return { kind: 'const', valueKind: target.kind, value: convertWord(op.text, op.span, target, ctx), span: op.span };
      }
      case 'string':
        if (!target) return fail(`${ctx.relation}: a string cannot be on the left side: put the field first`, op.span);
        return { kind: 'const', valueKind: target.kind, value: convertString(op.value, this.src(op.span), op.span, target, ctx), span: op.span };
      case 'char':
        if (!target) return fail(`${ctx.relation}: a character cannot be on the left side: put the field first`, op.span);
        return { kind: 'const', valueKind: target.kind, value: convertChar(op.value, this.src(op.span), op.span, target, ctx), span: op.span };
      case 'reference':
        return fail(`${quote(this.src(op.span))} refers to a field of the packet selected in Wireshark's GUI; there is no selected packet here`, op.span);
      case 'slice':
        return this.slice(op, ctx);
      case 'call':
        return this.call(op, ctx);
      case 'negate':
        return this.negate(op, target, ctx);
      case 'arith':
        return this.arith(op, target, ctx);
    }
  }

  private slice(op: Extract<SyntaxOperand, { kind: 'slice' }>, ctx: LiteralContext): TypedOperand {
    const inner = op.operand.kind === 'word' ? this.field(op.operand) : this.operand(op.operand, null, ctx);
    const k = inner.valueKind;
    const sliceable = inner.kind === 'slice' || k === 'bytes' || k === 'ether' || k === 'ipv4' || k === 'ipv6' || k === 'string' || k === 'label';
    if (!sliceable) {
      const name = this.src(op.operand.span);
      fail(`${quote(name)} is ${kindName(k)} and cannot be sliced: slices take the bytes of byte strings, addresses, strings and protocols`, op.operand.span);
    }
    return { kind: 'slice', operand: inner, ranges: op.ranges, valueKind: 'bytes', unsigned: false, span: op.span };
  }

  private call(op: Extract<SyntaxOperand, { kind: 'call' }>, ctx: LiteralContext): TypedOperand {
    const name = op.name as FunctionName;
    if (!FUNCTIONS.includes(name)) {
      fail(`${quote(op.name)} is not a function: the functions are ${FUNCTIONS.map((f) => f + '()').join(', ')}`, op.nameSpan);
    }
    const arity = (min: number, max: number) => {
      if (op.args.length < min || op.args.length > max) {
        const want = min === max ? `${min} argument${min === 1 ? '' : 's'}` : `at least ${min} argument${min === 1 ? '' : 's'}`;
        fail(`${name}() takes ${want}, not ${op.args.length}`, op.span);
      }
    };
    const fieldArg = (a: SyntaxOperand, allowSlice: boolean): TypedOperand => {
      if (a.kind === 'word') return this.field(a);
      if (allowSlice && a.kind === 'slice') return this.slice(a, ctx);
      return fail(`${name}() takes a field${allowSlice ? ' or a slice' : ''}, not ${quote(this.src(a.span))}`, a.span);
    };
    const argName = (a: TypedOperand) => this.src(a.span);
    switch (name) {
      case 'len': {
        arity(1, 1);
        const a = fieldArg(op.args[0], true);
        return { kind: 'call', fn: name, args: [a], valueKind: 'int', unsigned: true, span: op.span };
      }
      case 'count': {
        arity(1, 1);
        const a = fieldArg(op.args[0], false);
        return { kind: 'call', fn: name, args: [a], valueKind: 'int', unsigned: true, span: op.span };
      }
      case 'lower': case 'upper': {
        arity(1, 1);
        const a = op.args[0].kind === 'call' ? this.call(op.args[0], ctx) : fieldArg(op.args[0], false);
        if (a.valueKind !== 'string') fail(`${name}() takes a string field; ${quote(argName(a))} is ${kindName(a.valueKind)}`, a.span);
        return { kind: 'call', fn: name, args: [a], valueKind: 'string', unsigned: false, span: op.span };
      }
      case 'string': {
        arity(1, 1);
        const a = fieldArg(op.args[0], false);
        if (!['int', 'double', 'ipv4', 'ipv6', 'ether'].includes(a.valueKind)) {
          fail(`string() converts numbers and addresses to text; ${quote(argName(a))} is ${kindName(a.valueKind)}`, a.span);
        }
        return { kind: 'call', fn: name, args: [a], valueKind: 'string', unsigned: false, span: op.span };
      }
      case 'max': case 'min': case 'abs': {
        if (name === 'abs') arity(1, 1); else arity(1, Infinity);
        const firstField = op.args.find((a) => !this.isConstant(a));
        if (!firstField) fail(`${name}() needs at least one field among its arguments`, op.span);
        const anchor = this.operand(firstField, null, ctx);
        if (!NUMERIC.has(anchor.valueKind)) {
          fail(`${name}() takes numbers or times; ${quote(argName(anchor))} is ${kindName(anchor.valueKind)}`, anchor.span);
        }
        const target = this.target(anchor);
        const args = op.args.map((a) => (a === firstField ? anchor : this.operand(a, target, ctx)));
        for (const a of args) {
          if (a.valueKind !== anchor.valueKind) fail(`the arguments of ${name}() must all have the same type; ${quote(argName(a))} does not`, a.span);
        }
        const unsigned = name !== 'abs' && args.every((a) => 'unsigned' in a && a.unsigned);
        return { kind: 'call', fn: name, args, valueKind: anchor.valueKind, unsigned, span: op.span };
      }
    }
  }

  private negate(op: Extract<SyntaxOperand, { kind: 'negate' }>, target: Target | null, ctx: LiteralContext): TypedOperand {
    const inner = this.operand(op.operand, target, ctx);
    if (!NUMERIC.has(inner.valueKind)) {
      fail(`${ctx.relation}: "-" works on numbers and times, not on ${kindName(inner.valueKind)}`, op.span);
    }
    if (inner.kind === 'const') return { ...inner, value: -(inner.value as number), span: op.span };
    return { kind: 'negate', operand: inner, valueKind: inner.valueKind, unsigned: false, span: op.span };
  }

  private arith(op: Extract<SyntaxOperand, { kind: 'arith' }>, target: Target | null, ctx: LiteralContext): TypedOperand {
    const opText = this.src(op.opSpan);
    let left: TypedOperand;
    let right: TypedOperand;
    if (this.isConstant(op.left) && this.isConstant(op.right)) {
      if (!target) fail(`${ctx.relation}: an arithmetic expression of constants cannot be on the left side: put the field first`, op.span);
      left = this.operand(op.left, target, ctx);
      right = this.operand(op.right, target, ctx);
    } else if (this.isConstant(op.left)) {
      right = this.operand(op.right, target, ctx);
      left = this.operand(op.left, this.target(right), ctx);
    } else {
      left = this.operand(op.left, target, ctx);
      right = this.operand(op.right, this.target(left), ctx);
    }
    const k = left.valueKind;
    const okKind = op.op === 'bitand' ? k === 'int' || k === 'bytes' : NUMERIC.has(k);
    if (!okKind) {
      fail(`${ctx.relation}: ${quote(opText)} cannot be applied to ${quote(this.src(left.span))} (${kindName(k)})`, op.opSpan);
    }
    if (right.valueKind !== k && !(k === 'bytes' && right.valueKind === 'ether')) {
      fail(`${ctx.relation}: both sides of ${quote(opText)} must have the same type`, op.span);
    }
    if (left.kind === 'const' && right.kind === 'const') {
      const folded = foldArith(op.op, k, left.value, right.value);
      if (folded === null) fail(`${ctx.relation}: ${quote(this.src(op.span))} has no value (division by zero?)`, op.span);
      return { kind: 'const', valueKind: k, value: folded, span: op.span };
    }
    return { kind: 'arith', op: op.op, left, right, valueKind: k, unsigned: false, span: op.span };
  }
}

/** What an operand is, for messages: "a protocol", "a whole number", "an IPv4 address" … */
function describeOperand(op: TypedOperand): string {
  if (op.kind === 'field' && op.def.type === 'protocol') return 'a protocol';
  return kindName(op.valueKind);
}

/** The length of the constant mask of a byte-string `&` (the result has the same length). */
function bytesLength(op: TypedOperand): number {
  if (op.kind === 'const' && op.value instanceof Uint8Array) return op.value.length;
  if (op.kind === 'arith') return Math.max(bytesLength(op.left), bytesLength(op.right));
  return 0;
}

/** Folds constant arithmetic at compile time (numbers only; byte masks stay runtime). */
function foldArith(op: string, kind: ValueKind, a: ConstValue, b: ConstValue): ConstValue | null {
  if (kind === 'bytes') {
    const x = a as Uint8Array;
    const y = b as Uint8Array;
    if (x.length !== y.length) return null;
    return x.map((v, i) => v & y[i]);
  }
  const x = a as number;
  const y = b as number;
  switch (op) {
    case 'plus': return x + y;
    case 'minus': return x - y;
    case 'times': return x * y;
    case 'divide': return y === 0 ? null : kind === 'int' ? Math.trunc(x / y) : x / y;
    case 'modulo': return y === 0 ? null : x % y;
    case 'bitand': return Number(BigInt(Math.trunc(x)) & BigInt(Math.trunc(y)));
    default: return null;
  }
}

