/**
 * Converting a literal (unquoted word, "string", 'c') into the type of the field it is
 * compared with, as Wireshark does: the same text `10.0.0.0/8` is a subnet for ip.addr and an
 * error for tcp.port. Errors say which comparison, which value and what was expected.
 */
import type { FieldDef } from '../decode/fields/types.js';
import type { Span } from './ast.js';
import { fail, quote } from './errors.js';
import type { ConstValue, ValueKind } from './typed.js';
import {
  binaryToBytes, binaryToText, exceedsUint64, parseAbsTime, parseBytes, parseDouble, parseEpoch, parseEther,
  parseInteger, parseIPv4, parseIPv6, parseRelTimeNs,
} from './values.js';
import { suggestField } from './suggest.js';

/** What a literal is converted to: the kind of the other side and, when a field, the field. */
export interface Target {
  kind: ValueKind;
  def?: FieldDef;
  unsigned: boolean;
  /** How the other side is named in messages ("ip.src", "len(…)"). */
  name: string;
}

/** Context for messages: the comparison the literal appears in, quoted. */
export interface LiteralContext {
  relation: string;
}

const KIND_WORDS: Record<ValueKind, string> = {
  int: 'a whole number',
  double: 'a number',
  bool: 'a boolean (True, False, 1 or 0)',
  ipv4: 'an IPv4 address',
  ipv6: 'an IPv6 address',
  ether: 'a MAC address (like 00:1b:21:3a:4f:5c)',
  bytes: 'a byte string (hex bytes like 47:45:54, or a "quoted string")',
  string: 'a string',
  reltime: 'a time in seconds (like 1.5)',
  abstime: 'a date and time (like "2024-03-01 12:00:00")',
  label: 'a value',
};

export function describeKind(kind: ValueKind): string {
  return KIND_WORDS[kind];
}

/** The short form for messages: "a MAC address", without the example. */
export function kindName(kind: ValueKind): string {
  return KIND_WORDS[kind].replace(/ \(.*$/, '');
}

function notA(ctx: LiteralContext, text: string, span: Span, what: string, extra = ''): never {
  fail(`${ctx.relation}: ${quote(text)} is not ${what}${extra}`, span);
}

/** When a literal looks like a misspelt field name, say so. */
function fieldHint(text: string): string {
  if (!/^[A-Za-z_][\w-]*\.[\w.-]+$/.test(text)) return '';
  const s = suggestField(text);
  return s ? ` (if you meant a field, did you mean "${s.name}"?)` : ' (and no field has that name)';
}

function valueStringNames(def: FieldDef | undefined): string {
  if (!def?.valueStrings) return '';
  const names = Object.values(def.valueStrings).slice(0, 4);
  return names.length ? ` or a name such as ${names.map((n) => `"${n}"`).join(', ')}` : '';
}

function lookupValueString(def: FieldDef | undefined, name: string): number | undefined {
  if (!def?.valueStrings) return undefined;
  const want = name.toLowerCase();
  for (const [num, n] of Object.entries(def.valueStrings)) {
    if (n.toLowerCase() === want) return Number(num);
  }
  return undefined;
}

function maxFor(def: FieldDef | undefined): number | undefined {
  if (!def?.bits || def.bits > 53) return undefined;
  return def.type === 'int' ? 2 ** (def.bits - 1) - 1 : 2 ** def.bits - 1;
}

function checkIntRange(v: number | bigint, text: string, span: Span, target: Target, ctx: LiteralContext): number {
  if (exceedsUint64(v)) fail(`${ctx.relation}: ${quote(text)} is too large for a 64-bit number`, span);
  const max = maxFor(target.def);
  if (max !== undefined && v > max) fail(`${ctx.relation}: ${quote(text)} is too big for ${target.name}, the maximum is ${max}`, span);
  return Number(v);
}

function parseBoolWord(text: string, target: Target): boolean | undefined {
  // Wireshark takes True/TRUE/False/FALSE, any number (non-zero is true) and the field's own
  // words for true and false ("Set"/"Not set"), case-insensitively.
  if (text === 'True' || text === 'TRUE') return true;
  if (text === 'False' || text === 'FALSE') return false;
  const n = parseInteger(text);
  if (n !== null) return Number(n) !== 0;
  const [t, f] = target.def?.trueFalse ?? ['True', 'False'];
  if (text.toLowerCase() === t.toLowerCase()) return true;
  if (text.toLowerCase() === f.toLowerCase()) return false;
  return undefined;
}

function boolWords(target: Target): string {
  const tf = target.def?.trueFalse;
  return tf ? ` or "${tf[0]}"/"${tf[1]}"` : '';
}

/** An unquoted word compared with something of kind `target.kind`. */
export function convertWord(text: string, span: Span, target: Target, ctx: LiteralContext): ConstValue {
  switch (target.kind) {
    case 'int': {
      const v = parseInteger(text);
      if (v !== null) return checkIntRange(v, text, span, target, ctx);
      const named = lookupValueString(target.def, text);
      if (named !== undefined) return named;
      const why = /^\d+\.\d+$/.test(text) ? ` (${target.name} holds whole numbers)` : valueStringNames(target.def) + fieldHint(text);
      return notA(ctx, text, span, 'a whole number', why);
    }
    case 'double': {
      const v = parseDouble(text);
      return v === null ? notA(ctx, text, span, 'a number', fieldHint(text)) : v;
    }
    case 'bool': {
      const v = parseBoolWord(text, target);
      return v === undefined ? notA(ctx, text, span, 'a boolean (True, False, 1 or 0', `${boolWords(target)})`) : v;
    }
    case 'ipv4': {
      const v = parseIPv4(text);
      if (v === null) return notA(ctx, text, span, 'an IPv4 address', /^[A-Za-z]/.test(text) ? ' (host names are not looked up)' + fieldHint(text) : '');
      if ('error' in v) fail(`${ctx.relation}: ${v.error}`, span);
      return v;
    }
    case 'ipv6': {
      const v = parseIPv6(text);
      if (v === null) return notA(ctx, text, span, 'an IPv6 address', /^[A-Za-z]/.test(text) ? ' (host names are not looked up)' + fieldHint(text) : '');
      if ('error' in v) fail(`${ctx.relation}: ${v.error}`, span);
      return v;
    }
    case 'ether': {
      const v = parseEther(text);
      if (v === null) return notA(ctx, text, span, 'a MAC address (like 00:1b:21:3a:4f:5c)', fieldHint(text));
      if ('error' in v) fail(`${ctx.relation}: ${v.error}`, span);
      return v;
    }
    case 'bytes': {
      const v = parseBytes(text);
      return v === null ? notA(ctx, text, span, 'a byte string (hex bytes like 47:45:54, or a "quoted string")', fieldHint(text)) : v;
    }
    case 'string':
      // Wireshark still takes unquoted words as strings (dns.qry.name == example.com).
      return text;
    case 'reltime': {
      const v = parseRelTimeNs(text);
      return v === null ? notA(ctx, text, span, 'a time in seconds (like 1.5, at most nine decimals)', fieldHint(text)) : v;
    }
    case 'abstime': {
      const v = target.def?.timeFormat === 'epoch' ? parseEpoch(text) : parseAbsTime(text);
      if (v === null) {
        return notA(ctx, text, span, target.def?.timeFormat === 'epoch'
          ? 'a time in seconds since 1970 (like 1700000000.5)'
          : 'a date and time (like "2024-03-01 12:00:00", in quotes)');
      }
      return v;
    }
    case 'label':
      return fail(`${ctx.relation}: ${target.name} has no value to compare`, span);
  }
}

/** A "quoted string" (binary string of its bytes) compared with something of kind `target.kind`. */
export function convertString(value: string, raw: string, span: Span, target: Target, ctx: LiteralContext): ConstValue {
  switch (target.kind) {
    case 'string':
      return binaryToText(value);
    case 'bytes':
      return binaryToBytes(value);
    case 'int': {
      const text = binaryToText(value);
      const named = lookupValueString(target.def, text);
      if (named !== undefined) return named;
      const advice = parseInteger(text) !== null ? `: write ${text} without quotes` : valueStringNames(target.def) ? `: write a number${valueStringNames(target.def)}` : '';
      return fail(`${ctx.relation}: ${target.name} is a number, not a string${advice}`, span);
    }
    case 'bool': {
      const v = parseBoolWord(binaryToText(value), target);
      if (v === undefined) return notA(ctx, raw, span, 'a boolean (True, False, 1 or 0', `${boolWords(target)})`);
      return v;
    }
    case 'abstime': {
      const text = binaryToText(value);
      const v = (target.def?.timeFormat === 'epoch' ? parseEpoch(text) : null) ?? parseAbsTime(text);
      if (v === null) return notA(ctx, raw, span, 'a date and time (like "2024-03-01 12:00:00" or "Mar 1, 2024 12:00:00")');
      return v;
    }
    default:
      return fail(`${ctx.relation}: ${target.name} is ${kindName(target.kind)}, not a string: write the value without quotes`, span);
  }
}

/** A 'c' character constant: its byte value. */
export function convertChar(code: number, text: string, span: Span, target: Target, ctx: LiteralContext): ConstValue {
  switch (target.kind) {
    case 'int': return code;
    case 'double': return code;
    case 'string': return String.fromCharCode(code);
    case 'bytes': return Uint8Array.of(code);
    default:
      return fail(`${ctx.relation}: the character ${text} cannot be compared with ${target.name} (${kindName(target.kind)})`, span);
  }
}
