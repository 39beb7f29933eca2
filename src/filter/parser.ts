/**
 * Recursive-descent parser for display filters. Precedence, loosest first (as Wireshark):
 *   or/||  <  xor/^^  <  and/&&  <  not/!  <  relation (== != === !== ~= > >= < <= contains
 *   matches in)  <  &  <  + -  <  * / %  <  unary -  <  slice [..], layer #n
 * Parentheses group tests; curly braces group arithmetic (`4 * {tcp.srcport + 3}`), because
 * Wireshark reserves ( ) for tests.
 *
 * Only syntax is checked here; names are looked up in `check.ts`.
 */
import type { ArithOp, CompareOp, SetElement, SliceRange, Span, SyntaxExpr, SyntaxOperand } from './ast.js';
import { fail, quote } from './errors.js';
import { tokenize, type Token } from './lexer.js';

const MAX_DEPTH = 200;

const COMPARE_OPS = new Set<string>(['any_eq', 'all_ne', 'all_eq', 'any_ne', 'gt', 'ge', 'lt', 'le', 'contains', 'matches']);

export function parseSyntax(text: string): SyntaxExpr {
  return new Parser(text).parseFilter();
}

class Parser {
  private readonly tokens: Token[];
  private pos = 0;
  /** Open parentheses, innermost last: their positions explain an unbalanced filter. */
  private readonly openParens: Token[] = [];
  /** Nesting depth of the recursion: bounded so no text can exhaust the stack. */
  private depth = 0;

  private enter(t: Token): void {
    if (++this.depth > MAX_DEPTH) fail(`the filter nests more than ${MAX_DEPTH} levels deep here`, t);
  }

  constructor(private readonly text: string) {
    this.tokens = tokenize(text);
    const bad = this.tokens.find((t) => t.kind === 'error');
    if (bad) fail(bad.value ?? `${quote(bad.text)} is not allowed here`, bad);
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)];
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }

  private isOp(t: Token, ...names: string[]): boolean {
    return t.kind === 'op' && names.includes(t.text);
  }

  private isPunct(t: Token, p: string): boolean {
    return t.kind === 'punct' && t.text === p;
  }

  /** The token as the user wrote it. */
  private written(t: Token): string {
    return this.text.slice(t.start, t.end);
  }

  parseFilter(): SyntaxExpr {
    if (this.peek().kind === 'eof') return { kind: 'true', span: { start: 0, end: this.text.length } };
    const expr = this.parseOr();
    const t = this.peek();
    if (t.kind !== 'eof') {
      if (this.isPunct(t, ')')) fail('this ")" has no matching "("', t);
      this.unexpected(t, 'expected "&&", "||" or the end of the filter');
    }
    return expr;
  }

  private span(a: Span, b: Span): Span {
    return { start: a.start, end: b.end };
  }

  private parseOr(): SyntaxExpr {
    let left = this.parseXor();
    while (this.isOp(this.peek(), 'or')) {
      const op = this.next();
      const right = this.parseTestAfter(op, () => this.parseXor());
      left = { kind: 'or', left, right, span: this.span(left.span, right.span) };
    }
    return left;
  }

  private parseXor(): SyntaxExpr {
    let left = this.parseAnd();
    while (this.isOp(this.peek(), 'xor')) {
      const op = this.next();
      const right = this.parseTestAfter(op, () => this.parseAnd());
      left = { kind: 'xor', left, right, span: this.span(left.span, right.span) };
    }
    return left;
  }

  private parseAnd(): SyntaxExpr {
    let left = this.parseNot();
    while (this.isOp(this.peek(), 'and')) {
      const op = this.next();
      const right = this.parseTestAfter(op, () => this.parseNot());
      left = { kind: 'and', left, right, span: this.span(left.span, right.span) };
    }
    return left;
  }

  /** Parses the test that must follow a logical operator, explaining when it is missing. */
  private parseTestAfter(op: Token, parse: () => SyntaxExpr): SyntaxExpr {
    if (this.peek().kind === 'eof') fail(`${quote(this.written(op))} needs a test on its right`, op);
    return parse();
  }

  private parseNot(): SyntaxExpr {
    const t = this.peek();
    if (this.isOp(t, 'not')) {
      this.next();
      this.enter(t);
      const operand = this.parseTestAfter(t, () => this.parseNot());
      this.depth--;
      return { kind: 'not', operand, span: this.span(t, operand.span) };
    }
    return this.parsePrimaryTest();
  }

  private parsePrimaryTest(): SyntaxExpr {
    const t = this.peek();
    if (this.isPunct(t, '(')) {
      this.next();
      this.openParens.push(t);
      this.enter(t);
      if (this.peek().kind === 'eof') fail('this "(" is never closed: add a test and a ")"', t);
      if (this.isPunct(this.peek(), ')')) fail('empty parentheses: put a test between "(" and ")"', { start: t.start, end: this.peek().end });
      const inner = this.parseOr();
      const close = this.peek();
      if (!this.isPunct(close, ')')) {
        if (close.kind === 'eof') fail(`the "(" at column ${t.start + 1} is never closed: add ")"`, t);
        this.unexpected(close, `expected ")" to close the "(" at column ${t.start + 1}`);
      }
      this.next();
      this.openParens.pop();
      this.depth--;
      const after = this.peek();
      if (after.kind === 'op' && (COMPARE_OPS.has(after.text) || after.text === 'in')) {
        fail(`${quote(this.written(after))} cannot follow ")": parentheses group tests, use { } to group arithmetic`, after);
      }
      // The span covers the parentheses, so an editor highlights the whole group.
      return { ...inner, span: { start: t.start, end: close.end } };
    }
    return this.parseRelation();
  }

  private parseRelation(): SyntaxExpr {
    const first = this.peek();
    let quantifier: 'any' | 'all' | null = null;
    if (this.isOp(first, 'any', 'all')) {
      this.next();
      quantifier = first.text as 'any' | 'all';
    }
    const left = this.parseOperand('test');
    const t = this.peek();
    if (t.kind === 'op' && COMPARE_OPS.has(t.text)) {
      this.next();
      if (this.peek().kind === 'eof') fail(`${quote(this.written(t))} needs a value on its right`, t);
      const right = this.parseOperand('value');
      const after = this.peek();
      if (after.kind === 'op' && COMPARE_OPS.has(after.text)) {
        fail(`comparisons cannot be chained: write "a ${this.written(t)} b && b ${this.written(after)} c"`, after);
      }
      return { kind: 'compare', op: t.text as CompareOp, opSpan: t, quantifier, left, right, span: this.span(quantifier ? first : left.span, right.span) };
    }
    if (this.isOp(t, 'in') || (this.isOp(t, 'not') && this.isOp(this.peek(1), 'in'))) {
      const negated = !this.isOp(t, 'in');
      this.next();
      const inTok = negated ? this.next() : t;
      const { elements, span } = this.parseSet(inTok);
      return { kind: 'in', negated, opSpan: { start: t.start, end: inTok.end }, quantifier, left, elements, span: this.span(quantifier ? first : left.span, span) };
    }
    if (t.kind === 'op' && (t.text === 'assign' || t.text === 'pipe')) {
      const hint = t.text === 'assign' ? 'use "==" to compare' : 'use "||" (or) to combine tests';
      fail(`${quote(this.written(t))} is not an operator: ${hint}`, t);
    }
    if (quantifier) fail(`${quote(quantifier)} must be followed by a comparison, like "${quantifier} tcp.port > 1024"`, first);
    if (t.kind !== 'eof' && !(t.kind === 'op' && ['and', 'or', 'xor'].includes(t.text)) && !this.isPunct(t, ')')) {
      this.unexpected(t, 'expected an operator such as "==", "&&" or "||"');
    }
    return { kind: 'exists', operand: left, span: left.span };
  }

  private parseSet(inTok: Token): { elements: SetElement[]; span: Span } {
    const open = this.peek();
    if (!this.isPunct(open, '{')) {
      fail(`${quote(this.written(inTok))} needs a set of values in braces, like {80, 443, 8000..8080}`, open.kind === 'eof' ? inTok : open);
    }
    this.next();
    const elements: SetElement[] = [];
    for (;;) {
      const t = this.peek();
      if (this.isPunct(t, '}')) {
        if (elements.length === 0) fail('a set needs at least one value', { start: open.start, end: t.end });
        this.next();
        return { elements, span: { start: open.start, end: t.end } };
      }
      if (t.kind === 'eof') fail('this set is never closed: add "}"', open);
      if (elements.length > 0 && this.isPunct(t, ',')) {
        this.next();
        if (this.isPunct(this.peek(), '}') || this.peek().kind === 'eof') fail('a value must follow ","', t);
      }
      // Wireshark 4.0 requires commas; versions up to 3.6 separated set values by spaces. Both
      // are accepted so filters typed from either habit work.
      const low = this.parseSetValue();
      let high: SyntaxOperand | null = null;
      if (this.isPunct(this.peek(), '..')) {
        const dots = this.next();
        if (this.isPunct(this.peek(), '}') || this.isPunct(this.peek(), ',') || this.peek().kind === 'eof') {
          fail('".." needs an upper bound, like 8000..8080', dots);
        }
        high = this.parseSetValue();
      }
      elements.push({ low, high, span: { start: low.span.start, end: (high ?? low).span.end } });
    }
  }

  private parseSetValue(): SyntaxOperand {
    const t = this.peek();
    if (this.isOp(t, 'minus')) {
      this.next();
      this.enter(t);
      const operand = this.parseSetValue();
      this.depth--;
      return { kind: 'negate', operand, span: this.span(t, operand.span) };
    }
    return this.parsePostfix('value');
  }

  /** An operand: arithmetic over fields, literals, function calls and slices. */
  private parseOperand(role: 'test' | 'value'): SyntaxOperand {
    return this.parseBitAnd(role);
  }

  private parseBitAnd(role: 'test' | 'value'): SyntaxOperand {
    let left = this.parseAdditive(role);
    while (this.isOp(this.peek(), 'bitand')) {
      const op = this.next();
      const right = this.parseArithRight(op, () => this.parseAdditive('value'));
      left = { kind: 'arith', op: 'bitand', left, right, opSpan: op, span: this.span(left.span, right.span) };
    }
    return left;
  }

  private parseAdditive(role: 'test' | 'value'): SyntaxOperand {
    let left = this.parseMultiplicative(role);
    while (this.isOp(this.peek(), 'plus', 'minus')) {
      const op = this.next();
      const right = this.parseArithRight(op, () => this.parseMultiplicative('value'));
      left = { kind: 'arith', op: op.text as ArithOp, left, right, opSpan: op, span: this.span(left.span, right.span) };
    }
    return left;
  }

  private parseMultiplicative(role: 'test' | 'value'): SyntaxOperand {
    let left = this.parseUnary(role);
    while (this.isOp(this.peek(), 'times', 'divide', 'modulo')) {
      const op = this.next();
      const right = this.parseArithRight(op, () => this.parseUnary('value'));
      left = { kind: 'arith', op: op.text as ArithOp, left, right, opSpan: op, span: this.span(left.span, right.span) };
    }
    return left;
  }

  private parseArithRight(op: Token, parse: () => SyntaxOperand): SyntaxOperand {
    if (this.peek().kind === 'eof') fail(`${quote(this.written(op))} needs a value on its right`, op);
    return parse();
  }

  private parseUnary(role: 'test' | 'value'): SyntaxOperand {
    const t = this.peek();
    if (this.isOp(t, 'minus')) {
      this.next();
      if (this.peek().kind === 'eof') fail('"-" needs a value on its right', t);
      this.enter(t);
      const operand = this.parseUnary('value');
      this.depth--;
      return { kind: 'negate', operand, span: this.span(t, operand.span) };
    }
    if (this.isOp(t, 'plus')) {
      this.next();
      return this.parseUnary(role);
    }
    return this.parsePostfix(role);
  }

  private parsePostfix(role: 'test' | 'value'): SyntaxOperand {
    let operand = this.parsePrimary(role);
    while (this.peek().kind === 'slice') {
      const tok = this.next();
      const ranges = this.parseSliceRanges(tok);
      operand = { kind: 'slice', operand, ranges, span: this.span(operand.span, tok) };
    }
    return operand;
  }

  private parsePrimary(role: 'test' | 'value'): SyntaxOperand {
    const t = this.peek();
    if (t.kind === 'word') {
      this.next();
      if (this.isPunct(this.peek(), '(')) return this.parseCall(t);
      let text = t.text;
      let explicitField = false;
      if (text.startsWith('.')) {
        // Wireshark 4: a leading dot says "this is a field", never a literal (`.tcp.port`).
        text = text.slice(1);
        explicitField = true;
      }
      let layer: Span | null = null;
      if (this.isPunct(this.peek(), '#')) {
        const hash = this.next();
        const n = this.peek();
        if (n.kind === 'word' || n.kind === 'slice') {
          this.next();
          layer = this.span(hash, n);
        } else fail('"#" must be followed by a layer number, like ip.src#2', hash);
      }
      return { kind: 'word', text, span: { start: t.start, end: t.end }, explicitField, layer };
    }
    if (t.kind === 'string') {
      this.next();
      return { kind: 'string', value: t.value ?? '', raw: !!t.raw, span: { start: t.start, end: t.end } };
    }
    if (t.kind === 'char') {
      this.next();
      return { kind: 'char', value: t.num ?? 0, span: { start: t.start, end: t.end } };
    }
    if (this.isPunct(t, '{')) {
      this.next();
      this.enter(t);
      if (this.isPunct(this.peek(), '}')) fail('empty braces: put an arithmetic expression between "{" and "}"', this.span(t, this.peek()));
      const inner = this.parseOperand('value');
      const close = this.peek();
      if (!this.isPunct(close, '}')) {
        if (close.kind === 'eof') fail('this "{" is never closed: add "}"', t);
        this.unexpected(close, `expected "}" to close the "{" at column ${t.start + 1}`);
      }
      this.next();
      this.depth--;
      return { ...inner, span: this.span(t, close) };
    }
    if (this.isPunct(t, '$')) {
      this.next();
      const open = this.next();
      const name = this.next();
      const close = this.next();
      if (!this.isPunct(open, '{') || name.kind !== 'word' || !this.isPunct(close, '}')) {
        fail('a field reference is written ${field.name}', this.span(t, close));
      }
      return { kind: 'reference', name: name.text, span: this.span(t, close) };
    }
    if (this.isPunct(t, '(')) {
      fail(role === 'test'
        ? '"(" cannot start a value here'
        : 'parentheses group tests, not values: use { } to group arithmetic, like 4 * {tcp.srcport + 3}', t);
    }
    if (t.kind === 'eof') fail(role === 'test' ? 'the filter ends where a test was expected' : 'the filter ends where a value was expected', t);
    if (t.kind === 'op') {
      const w = this.written(t);
      if (t.text === 'assign') fail('"=" is not an operator: use "==" to compare', t);
      if (role === 'test') fail(`${quote(w)} needs a field or a test on its left`, t);
      fail(`${quote(w)} cannot be used as a value`, t);
    }
    if (this.isPunct(t, ')')) {
      if (this.openParens.length === 0) fail('this ")" has no matching "("', t);
      fail(role === 'test' ? 'a test is missing before ")"' : 'a value is missing before ")"', t);
    }
    if (this.isPunct(t, '..')) fail('".." is only used for ranges inside a set, like {8000..8080}', t);
    return this.unexpected(t, role === 'test' ? 'expected a field name or a test' : 'expected a value');
  }

  private parseCall(nameTok: Token): SyntaxOperand {
    const open = this.next();
    this.enter(open);
    const args: SyntaxOperand[] = [];
    if (this.isPunct(this.peek(), ')')) {
      const close = this.next();
      this.depth--;
      return { kind: 'call', name: nameTok.text, nameSpan: nameTok, args, span: this.span(nameTok, close) };
    }
    for (;;) {
      if (this.peek().kind === 'eof') fail(`the "(" of ${nameTok.text}() is never closed: add ")"`, open);
      args.push(this.parseOperand('value'));
      const t = this.peek();
      if (this.isPunct(t, ',')) { this.next(); continue; }
      if (this.isPunct(t, ')')) {
        this.next();
        this.depth--;
        return { kind: 'call', name: nameTok.text, nameSpan: nameTok, args, span: this.span(nameTok, t) };
      }
      if (t.kind === 'eof') fail(`the "(" of ${nameTok.text}() is never closed: add ")"`, open);
      this.unexpected(t, `expected "," or ")" in the arguments of ${nameTok.text}()`);
    }
  }

  /**
   * `[i:j]` start and length, `[i-j]` start and inclusive end, `[i]` one byte, `[:j]`, `[i:]`;
   * negative offsets count from the end; several ranges separated by commas are concatenated.
   */
  private parseSliceRanges(tok: Token): SliceRange[] {
    const body = tok.text;
    const base = tok.start + 1;
    const ranges: SliceRange[] = [];
    let pos = 0;
    for (const part of body.split(',')) {
      const lead = part.length - part.trimStart().length;
      const text = part.trim();
      const span = { start: base + pos + lead, end: base + pos + lead + text.length };
      pos += part.length + 1;
      const bad = (why: string): never =>
        fail(`${quote(text || '[]')} is not a valid slice range: ${why}`, text ? span : tok);
      if (!text) bad('write [offset:length], [first-last] or [offset]');
      const int = '(-?\\d+)';
      let m: RegExpExecArray | null;
      if ((m = new RegExp(`^${int}?\\s*:\\s*${int}?$`).exec(text))) {
        const start0 = m[1] === undefined ? 0 : Number(m[1]);
        const length = m[2] === undefined ? null : Number(m[2]);
        if (length !== null && length <= 0) bad('the length after ":" must be positive');
        ranges.push({ ...span, start0, length });
      } else if ((m = new RegExp(`^${int}\\s*-\\s*${int}$`).exec(text))) {
        const first = Number(m[1]);
        const last = Number(m[2]);
        if ((first < 0) !== (last < 0) || last < first) bad('the last offset must not come before the first');
        ranges.push({ ...span, start0: first, length: last - first + 1 });
      } else if ((m = new RegExp(`^${int}$`).exec(text))) {
        ranges.push({ ...span, start0: Number(m[1]), length: 1 });
      } else bad('write [offset:length], [first-last] or [offset]');
    }
    return ranges;
  }

  private unexpected(t: Token, expectation: string): never {
    if (t.kind === 'eof') fail(`the filter ends too early: ${expectation}`, t);
    fail(`${quote(this.written(t))} was not expected here: ${expectation}`, t);
  }
}
