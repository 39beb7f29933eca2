/**
 * Tokens of Wireshark's display-filter language (the 4.0 dialect tshark 4.0 accepts, plus the
 * two habits from other Wireshark versions the team asked for: `xor`/`^^` and whitespace-
 * separated set elements). Every token carries its character range so errors can point at it.
 *
 * The lexer never throws: an unterminated string or a stray character becomes an `error`
 * token that the parser reports with its position.
 */

export type TokenKind =
  /** Field names, protocol names and unquoted literal values (80, 10.0.0.0/8, 00:1b:21). */
  | 'word'
  /** "double quoted" or r"raw" string; `value` holds the decoded bytes as a binary string. */
  | 'string'
  /** 'c' character constant; `num` holds its value. */
  | 'char'
  /** The inside of a slice's brackets (`0:3`, `1,3-5,9:`): kept raw, parsed by the parser. */
  | 'slice'
  | 'op'
  | 'punct'
  | 'eof'
  | 'error';

export interface Token {
  kind: TokenKind;
  /** Canonical text: the operator's canonical spelling for 'op', the word itself for 'word'. */
  text: string;
  start: number;
  end: number;
  /** 'string': the value as a binary string (one char per byte); 'error': the message. */
  value?: string;
  /** 'char': the character's code. */
  num?: number;
  /** 'string': it was written r"…". */
  raw?: boolean;
}

/**
 * Canonical operator names. Word forms (`eq`, `and`, `contains` …) and symbol forms (`==`,
 * `&&`) map to the same name so the parser needs one case per operator.
 */
export type OpName =
  | 'any_eq' | 'all_ne' | 'all_eq' | 'any_ne' | 'gt' | 'ge' | 'lt' | 'le'
  | 'contains' | 'matches' | 'in'
  | 'and' | 'or' | 'xor' | 'not'
  | 'any' | 'all'
  | 'plus' | 'minus' | 'times' | 'divide' | 'modulo' | 'bitand'
  /** Not operators in the language: kept so the parser can say what the user probably meant. */
  | 'assign' | 'pipe';

/** Keywords are recognised only as whole words and only in lower case (as Wireshark's scanner). */
const KEYWORDS: Record<string, OpName> = {
  eq: 'any_eq', any_eq: 'any_eq', ne: 'all_ne', all_ne: 'all_ne', all_eq: 'all_eq', any_ne: 'any_ne',
  gt: 'gt', ge: 'ge', lt: 'lt', le: 'le',
  contains: 'contains', matches: 'matches', in: 'in',
  and: 'and', or: 'or', xor: 'xor', not: 'not',
  any: 'any', all: 'all',
  bitwise_and: 'bitand',
};

/** Symbol operators, longest first so `===` wins over `==` and `!==` over `!=`. */
const SYMBOLS: [string, OpName][] = [
  ['===', 'all_eq'], ['!==', 'any_ne'],
  ['==', 'any_eq'], ['!=', 'all_ne'], ['~=', 'any_ne'], ['>=', 'ge'], ['<=', 'le'],
  ['&&', 'and'], ['||', 'or'], ['^^', 'xor'],
  ['>', 'gt'], ['<', 'lt'], ['~', 'matches'], ['!', 'not'], ['&', 'bitand'],
  ['+', 'plus'], ['-', 'minus'], ['*', 'times'], ['/', 'divide'], ['%', 'modulo'],
  ['=', 'assign'], ['|', 'pipe'],
];

const PUNCT = new Set(['(', ')', '{', '}', ',', '#', '$']);

function isWordStart(c: string): boolean {
  return /[A-Za-z0-9_:.]/.test(c);
}

function isWordChar(c: string): boolean {
  // '-' and '/' belong to words so MAC addresses (00-1b-…), CIDR (10.0.0.0/8) and protocol
  // names with a dash stay one token; Wireshark does the same, which is why its manual asks
  // for a space before a subtraction ("A - B", not "A-B").
  return /[A-Za-z0-9_:.\/-]/.test(c);
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') { i++; continue; }
    const start = i;

    if (c === '"' || ((c === 'r' || c === 'R') && text[i + 1] === '"')) {
      const tok = lexString(text, i);
      tokens.push(tok);
      i = tok.end;
      if (tok.kind === 'error') return finish(tokens, n);
      continue;
    }
    if (c === "'") {
      const tok = lexChar(text, i);
      tokens.push(tok);
      i = tok.end;
      if (tok.kind === 'error') return finish(tokens, n);
      continue;
    }
    if (c === '[') {
      const close = text.indexOf(']', i + 1);
      if (close < 0) {
        tokens.push({ kind: 'error', text: '[', start, end: n, value: 'the "[" of this slice is never closed with "]"' });
        return finish(tokens, n);
      }
      tokens.push({ kind: 'slice', text: text.slice(i + 1, close), start, end: close + 1 });
      i = close + 1;
      continue;
    }
    if (c === '.' && text[i + 1] === '.') {
      tokens.push({ kind: 'punct', text: '..', start, end: i + 2 });
      i += 2;
      continue;
    }
    if (PUNCT.has(c)) {
      tokens.push({ kind: 'punct', text: c, start, end: i + 1 });
      i++;
      continue;
    }
    if (isWordStart(c)) {
      let j = i + 1;
      while (j < n && isWordChar(text[j])) {
        // ".." separates range bounds (8000..8080, 10.0.0.1..10.0.0.9): never part of a word.
        if (text[j] === '.' && text[j + 1] === '.') break;
        j++;
      }
      const word = text.slice(i, j);
      const kw = KEYWORDS[word];
      tokens.push(kw ? { kind: 'op', text: kw, start, end: j } : { kind: 'word', text: word, start, end: j });
      i = j;
      continue;
    }
    const sym = SYMBOLS.find(([s]) => text.startsWith(s, i));
    if (sym) {
      tokens.push({ kind: 'op', text: sym[1], start, end: i + sym[0].length });
      i += sym[0].length;
      continue;
    }
    const cp = text.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    tokens.push({ kind: 'error', text: ch, start, end: i + ch.length, value: `"${ch}" is not allowed here` });
    return finish(tokens, n);
  }
  return finish(tokens, n);
}

function finish(tokens: Token[], n: number): Token[] {
  tokens.push({ kind: 'eof', text: '', start: n, end: n });
  return tokens;
}

/** Wireshark's escapes: \a \b \f \n \r \t \v \\ \" \' \NNN (octal) \xNN \uNNNN \UNNNNNNNN. */
const SIMPLE_ESCAPES: Record<string, number> = {
  a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, '"': 34, "'": 39,
};

/** Appends a code point as UTF-8 bytes (one char per byte) to a binary string. */
function utf8(cp: number): string {
  if (cp < 0x80) return String.fromCharCode(cp);
  if (cp < 0x800) return String.fromCharCode(0xc0 | (cp >> 6), 0x80 | (cp & 63));
  if (cp < 0x10000) return String.fromCharCode(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  return String.fromCharCode(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
}

interface Escape { bytes: string; length: number; error?: string }

/** Decodes the escape sequence starting at the backslash at `i`. */
function readEscape(text: string, i: number): Escape {
  const e = text[i + 1];
  if (e === undefined) return { bytes: '', length: 1, error: 'a backslash at the end of the string escapes nothing' };
  if (e in SIMPLE_ESCAPES) return { bytes: String.fromCharCode(SIMPLE_ESCAPES[e]), length: 2 };
  if (/[0-7]/.test(e)) {
    const m = /^[0-7]{1,3}/.exec(text.slice(i + 1))![0];
    const v = parseInt(m, 8);
    if (v > 255) return { bytes: '', length: 1 + m.length, error: `\\${m} is larger than 255` };
    return { bytes: String.fromCharCode(v), length: 1 + m.length };
  }
  if (e === 'x') {
    const m = /^[0-9A-Fa-f]{1,2}/.exec(text.slice(i + 2));
    if (!m) return { bytes: '', length: 2, error: '\\x must be followed by one or two hex digits' };
    return { bytes: String.fromCharCode(parseInt(m[0], 16)), length: 2 + m[0].length };
  }
  if (e === 'u' || e === 'U') {
    const want = e === 'u' ? 4 : 8;
    const m = new RegExp(`^[0-9A-Fa-f]{${want}}`).exec(text.slice(i + 2));
    if (!m) return { bytes: '', length: 2, error: `\\${e} must be followed by ${want} hex digits` };
    const cp = parseInt(m[0], 16);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      return { bytes: '', length: 2 + want, error: `\\${e}${m[0]} is not a valid Unicode code point` };
    }
    // C's rule for universal character names, which Wireshark follows: below U+00A0 only
    // $ @ and ` may be written this way (the rest have their own escapes or are plain ASCII).
    if (cp < 0xa0 && cp !== 0x24 && cp !== 0x40 && cp !== 0x60) {
      return { bytes: '', length: 2 + want, error: `\\${e}${m[0]} names a plain ASCII character: write it as is, or as \\x${cp.toString(16).padStart(2, '0')}` };
    }
    return { bytes: utf8(cp), length: 2 + want };
  }
  return { bytes: '', length: 2, error: `\\${e} is not a valid escape sequence (write \\\\ for a backslash)` };
}

function lexString(text: string, start: number): Token {
  const raw = text[start] !== '"';
  let i = start + (raw ? 2 : 1);
  let value = '';
  while (i < text.length) {
    const c = text[i];
    if (c === '"') return { kind: 'string', text: text.slice(start, i + 1), start, end: i + 1, value, raw };
    if (c === '\\') {
      if (raw) {
        // Raw strings keep every backslash; \" still does not end the string (as in Python).
        const next = text[i + 1];
        value += '\\';
        if (next === '"' || next === '\\') { value += next; i += 2; } else i++;
        continue;
      }
      const esc = readEscape(text, i);
      if (esc.error) return { kind: 'error', text: text.slice(i, i + esc.length), start: i, end: i + esc.length, value: esc.error };
      value += esc.bytes;
      i += esc.length;
      continue;
    }
    const cp = text.codePointAt(i)!;
    value += utf8(cp);
    i += cp > 0xffff ? 2 : 1;
  }
  return { kind: 'error', text: text.slice(start), start, end: text.length, value: 'this string has no closing quote (")' };
}

function lexChar(text: string, start: number): Token {
  let i = start + 1;
  let bytes = '';
  while (i < text.length && text[i] !== "'") {
    if (text[i] === '\\') {
      const esc = readEscape(text, i);
      if (esc.error) return { kind: 'error', text: text.slice(i, i + esc.length), start: i, end: i + esc.length, value: esc.error };
      bytes += esc.bytes;
      i += esc.length;
    } else {
      const cp = text.codePointAt(i)!;
      bytes += utf8(cp);
      i += cp > 0xffff ? 2 : 1;
    }
  }
  if (i >= text.length) {
    return { kind: 'error', text: text.slice(start), start, end: text.length, value: "this character constant has no closing quote (')" };
  }
  const end = i + 1;
  if (bytes.length !== 1) {
    return { kind: 'error', text: text.slice(start, end), start, end,
      value: `${text.slice(start, end)} is not a single character (a character constant holds one byte)` };
  }
  return { kind: 'char', text: text.slice(start, end), start, end, num: bytes.charCodeAt(0) };
}
