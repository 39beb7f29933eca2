/**
 * Formatting field values the way Wireshark does: `formatFieldValue` is tshark's `-T fields`
 * representation (golden tests compare it cell for cell); `formatDisplayValue` is the value part
 * of a detail-tree line. Isomorphic.
 */
import type { FieldDef, FieldValue, Timestamp } from './types.js';

const HEX = '0123456789abcdef';

export function hexBytes(bytes: Uint8Array, sep = ''): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    if (i > 0 && sep) out += sep;
    const b = bytes[i];
    out += HEX[b >> 4] + HEX[b & 15];
  }
  return out;
}

export function formatMac(b: Uint8Array, offset = 0): string {
  let out = '';
  for (let i = 0; i < 6; i++) {
    const v = b[offset + i];
    out += (i ? ':' : '') + HEX[v >> 4] + HEX[v & 15];
  }
  return out;
}

export function formatIPv4(addr: number): string {
  return `${addr >>> 24}.${(addr >>> 16) & 255}.${(addr >>> 8) & 255}.${addr & 255}`;
}

/** RFC 5952 text form: lowercase, leading zeros dropped, longest run (≥2) of zero groups as ::. */
export function formatIPv6(b: Uint8Array, offset = 0): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push((b[offset + 2 * i] << 8) | b[offset + 2 * i + 1]);
  // IPv4-mapped and IPv4-compatible forms are printed with a dotted tail, as inet_ntop does.
  if (groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0 && groups[4] === 0 &&
      groups[5] === 0xffff) {
    return `::ffff:${b[offset + 12]}.${b[offset + 13]}.${b[offset + 14]}.${b[offset + 15]}`;
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  if (bestLen < 2) bestStart = -1;
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      out += i === 0 ? '::' : ':';
      i += bestLen - 1;
      if (i === 7) break;
      continue;
    }
    out += groups[i].toString(16);
    if (i < 7) out += ':';
  }
  return out;
}

const C_ESCAPES: Readonly<Record<number, string>> = {
  0x07: '\\a', 0x08: '\\b', 0x09: '\\t', 0x0a: '\\n', 0x0b: '\\v', 0x0c: '\\f', 0x0d: '\\r',
};
/** GLib's g_unichar_isprint() is false for controls, format characters, unassigned and surrogates. */
const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cn}\p{Cs}]/u;

/**
 * Wireshark's format_text(), which tshark applies to FT_STRING values it prints: C escapes for
 * \a \b \t \n \v \f \r, \ooo for other control characters and DEL, \uXXXX for non-printable
 * code points; everything else (backslash included) unchanged. Fast path for plain text.
 */
export function escapeText(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c >= 0x7f) return escapeTextSlow(s);
  }
  return s;
}

function escapeTextSlow(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0x20 && cp < 0x7f) out += ch;
    else if (cp < 0x80) out += C_ESCAPES[cp] ?? '\\' + cp.toString(8).padStart(3, '0');
    else if (cp === 0xfffd || !NON_PRINTABLE.test(ch)) out += ch;
    else out += cp > 0xffff ? `\\U${cp.toString(16).toUpperCase().padStart(8, '0')}`
      : `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return out;
}

function pad9(n: number): string {
  const s = String(n);
  return s.length >= 9 ? s : '000000000'.slice(s.length) + s;
}

/** Seconds with nine decimals, as tshark prints FT_RELATIVE_TIME and epoch times. */
export function formatRelTime(ns: number): string {
  const neg = ns < 0;
  const abs = Math.abs(ns);
  const sec = Math.floor(abs / 1e9);
  const frac = Math.round(abs - sec * 1e9);
  return `${neg ? '-' : ''}${sec}.${pad9(frac)}`;
}

export function formatEpoch(t: Timestamp): string {
  return `${t.sec}.${pad9(t.nsec)}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Wireshark's absolute time in UTC: "Mar 18, 2014 20:12:03.342266000 UTC". */
export function formatAbsTimeUtc(t: Timestamp): string {
  const d = new Date(t.sec * 1000);
  const day = String(d.getUTCDate()).padStart(2, ' ');
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  const ss = String(d.getUTCSeconds()).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${day}, ${d.getUTCFullYear()} ${hh}:${mm}:${ss}.${pad9(t.nsec)} UTC`;
}

function hexNumber(v: number, bits: number | undefined): string {
  const digits = bits ? Math.ceil(bits / 4) : 0;
  let s = (v >>> 0).toString(16);
  if (v > 0xffffffff) s = v.toString(16);
  return '0x' + (s.length < digits ? '0'.repeat(digits - s.length) + s : s);
}

/**
 * tshark `-T fields` text of one occurrence. `frame`, `offset` and `length` are needed for
 * FT_NONE fields, which tshark prints as the hex of the bytes they cover.
 */
export function formatFieldValue(
  def: FieldDef,
  value: FieldValue,
  frame?: Uint8Array,
  offset = 0,
  length = 0,
): string {
  switch (def.type) {
    case 'uint':
    case 'framenum':
      if (typeof value !== 'number') return '';
      if (def.base === 'hex' || def.base === 'hex_dec') return hexNumber(value, def.bits);
      if (def.base === 'oct') return value === 0 ? '0' : '0' + value.toString(8);
      return String(value);
    case 'int':
    case 'double':
      return typeof value === 'number' ? String(value) : '';
    case 'bool':
      return value ? '1' : '0';
    case 'string':
      return typeof value === 'string' ? escapeText(value) : '';
    case 'bytes':
      // tshark prints an empty byte string as "<none>" (ipv6.opt.padn of a 2-byte PadN).
      return value instanceof Uint8Array ? (value.length ? hexBytes(value, def.bytesSeparator) : '<none>') : '';
    case 'ether':
      return value instanceof Uint8Array ? formatMac(value) : '';
    case 'ipv4':
      return typeof value === 'number' ? formatIPv4(value) : '';
    case 'ipv6':
      return value instanceof Uint8Array ? formatIPv6(value) : '';
    case 'abs_time':
      if (!value || typeof value !== 'object' || !('sec' in value)) return '';
      return def.timeFormat === 'utc' ? formatAbsTimeUtc(value) : formatEpoch(value);
    case 'rel_time':
      return typeof value === 'number' ? formatRelTime(value) : '';
    case 'none':
      // print.c get_node_field_value: FT_NONE prints "1" so its presence can be checked
      // (tcp.analysis.retransmission, icmpv6.opt …), whatever bytes it covers.
      return '1';
    case 'protocol':
      return typeof value === 'string' ? value : def.name;
  }
}

/** The value part of a detail-tree line ("IPv4 (0x0800)", "10.0.0.1", "Set"). */
export function formatDisplayValue(def: FieldDef, value: FieldValue): string {
  switch (def.type) {
    case 'bool': {
      const [t, f] = def.trueFalse ?? ['True', 'False'];
      return value ? t : f;
    }
    case 'uint':
    case 'int': {
      if (typeof value !== 'number') return '';
      const name = def.valueStrings?.[value];
      const num =
        def.base === 'hex' ? hexNumber(value, def.bits)
        : def.base === 'dec_hex' ? `${value} (${hexNumber(value, def.bits)})`
        : def.base === 'hex_dec' ? `${hexNumber(value, def.bits)} (${value})`
        : String(value);
      return name !== undefined ? `${name} (${num})` : num;
    }
    case 'abs_time':
      if (!value || typeof value !== 'object' || !('sec' in value)) return '';
      return def.timeFormat === 'epoch' ? `${formatEpoch(value)} seconds` : formatAbsTimeUtc(value);
    case 'rel_time':
      return typeof value === 'number' ? `${formatRelTime(value)} seconds` : '';
    case 'bytes':
      return value instanceof Uint8Array ? hexBytes(value, def.bytesSeparator) : '';
    case 'none':
    case 'protocol':
      return '';
    default:
      return formatFieldValue(def, value);
  }
}

/** Renders a bitmask field's bit pattern like Wireshark: ".1.. .... " for mask 0x40 of 8 bits. */
export function bitPattern(bits: number, mask: number, word: number): string {
  let out = '';
  for (let i = bits - 1; i >= 0; i--) {
    const bit = 2 ** i;
    out += Math.floor(mask / bit) % 2 ? (Math.floor(word / bit) % 2 ? '1' : '0') : '.';
    if (i % 4 === 0 && i > 0) out += ' ';
  }
  return out;
}

/** A detail-tree line for a field node: "Time to Live: 64", "[Stream index: 0]". */
export function formatNodeLine(
  def: FieldDef,
  value: FieldValue,
  generated: boolean,
  text?: string,
): string {
  let line: string;
  if (text !== undefined) line = text;
  else if (def.type === 'none' || def.type === 'protocol') line = def.label;
  else {
    let v = formatDisplayValue(def, value);
    if (def.bitmask !== undefined && def.bits && typeof value !== 'object') {
      const shifted = typeof value === 'number' ? value * lowestBit(def.bitmask) : value ? def.bitmask : 0;
      v = `${bitPattern(def.bits, def.bitmask, shifted)} = ${def.label}: ${v}`;
      return generated ? `[${v}]` : v;
    }
    line = `${def.label}: ${v}`;
  }
  // Some decoders pass generated texts already bracketed, as Wireshark writes them: never double.
  return generated && !(line.startsWith('[') && line.endsWith(']')) ? `[${line}]` : line;
}

function lowestBit(mask: number): number {
  let b = 1;
  while (b <= mask && Math.floor(mask / b) % 2 === 0) b *= 2;
  return b;
}
