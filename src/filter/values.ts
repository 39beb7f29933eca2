/**
 * Literal values of the filter language, parsed once at compile time: integers (decimal, 0x
 * hex, leading-0 octal, 0b binary), IPv4/IPv6 addresses and CIDR prefixes, MAC addresses, byte
 * strings, relative and absolute times. Each parser returns null when the text is not of its
 * kind, so the checker can phrase the error for the field being compared.
 */
import type { Timestamp } from '../decode/fields/types.js';

/** An IPv4 address or subnet: `mask` has the top `bits` bits set. */
export interface IPv4Value { addr: number; mask: number; bits: number }

/** An IPv6 address or prefix. */
export interface IPv6Value { bytes: Uint8Array; bits: number }

/** Integer literal; a bigint when it does not fit exactly in a double. */
export function parseInteger(text: string): number | bigint | null {
  let digits: string;
  let radix: number;
  if (/^0[xX][0-9A-Fa-f]+$/.test(text)) { digits = text.slice(2); radix = 16; }
  else if (/^0[bB][01]+$/.test(text)) { digits = text.slice(2); radix = 2; }
  else if (/^0[0-7]*$/.test(text)) { digits = text.length > 1 ? text.slice(1) : '0'; radix = 8; }
  else if (/^[1-9][0-9]*$/.test(text)) { digits = text; radix = 10; }
  else return null;
  const prefix = radix === 16 ? '0x' : radix === 2 ? '0b' : radix === 8 ? '0o' : '';
  const big = BigInt(prefix + digits);
  return big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

const MAX_U64 = (1n << 64n) - 1n;

export function exceedsUint64(v: number | bigint): boolean {
  return typeof v === 'bigint' && v > MAX_U64;
}

export function parseDouble(text: string): number | null {
  if (/^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return Number(text);
  const int = parseInteger(text);
  return int === null ? null : Number(int);
}

function parseDecOctet(s: string): number | null {
  // No leading zeros: Wireshark rejects 01.2.3.4 (it would be octal to inet_aton).
  if (!/^(0|[1-9][0-9]{0,2})$/.test(s)) return null;
  const v = Number(s);
  return v <= 255 ? v : null;
}

/** Dotted-quad IPv4 address as an unsigned 32-bit number. */
export function parseIPv4Address(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let addr = 0;
  for (const p of parts) {
    const v = parseDecOctet(p);
    if (v === null) return null;
    addr = addr * 256 + v;
  }
  return addr;
}

export type PrefixResult<T> = T | { error: string } | null;

/** `a.b.c.d` or `a.b.c.d/n`. Returns an error object when the prefix length is wrong. */
export function parseIPv4(text: string): PrefixResult<IPv4Value> {
  const slash = text.indexOf('/');
  const addrText = slash < 0 ? text : text.slice(0, slash);
  const addr = parseIPv4Address(addrText);
  if (addr === null) return null;
  let bits = 32;
  if (slash >= 0) {
    const b = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(b)) return { error: `"${b}" is not a prefix length (write ${addrText}/24)` };
    bits = Number(b);
    if (bits > 32) return { error: `an IPv4 prefix length is at most 32, not ${bits}` };
  }
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { addr: (addr & mask) >>> 0, mask, bits };
}

/** RFC 4291 §2.2 text forms, including `::` compression and a dotted IPv4 tail. */
export function parseIPv6Address(text: string): Uint8Array | null {
  if (!/^[0-9A-Fa-f:.]+$/.test(text)) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parseGroups = (s: string, allowV4Tail: boolean): number[] | null => {
    if (s === '') return [];
    const parts = s.split(':');
    const out: number[] = [];
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      if (i === parts.length - 1 && allowV4Tail && p.includes('.')) {
        const v4 = parseIPv4Address(p);
        if (v4 === null) return null;
        out.push(v4 >>> 16, v4 & 0xffff);
      } else {
        if (!/^[0-9A-Fa-f]{1,4}$/.test(p)) return null;
        out.push(parseInt(p, 16));
      }
    }
    return out;
  };
  let groups: number[];
  if (halves.length === 2) {
    const head = parseGroups(halves[0], false);
    const tail = parseGroups(halves[1], true);
    if (!head || !tail || head.length + tail.length > 7) return null;
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    const all = parseGroups(text, true);
    if (!all || all.length !== 8) return null;
    groups = all;
  }
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => { bytes[2 * i] = g >> 8; bytes[2 * i + 1] = g & 255; });
  return bytes;
}

export function parseIPv6(text: string): PrefixResult<IPv6Value> {
  const slash = text.indexOf('/');
  const addrText = slash < 0 ? text : text.slice(0, slash);
  const bytes = parseIPv6Address(addrText);
  if (!bytes) return null;
  let bits = 128;
  if (slash >= 0) {
    const b = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(b)) return { error: `"${b}" is not a prefix length (write ${addrText}/64)` };
    bits = Number(b);
    if (bits > 128) return { error: `an IPv6 prefix length is at most 128, not ${bits}` };
  }
  return { bytes: maskBytes(bytes, bits), bits };
}

/** Clears every bit after the first `bits`. */
export function maskBytes(bytes: Uint8Array, bits: number): Uint8Array {
  const out = bytes.slice();
  for (let i = 0; i < out.length; i++) {
    const keep = Math.max(0, Math.min(8, bits - 8 * i));
    out[i] &= (0xff << (8 - keep)) & 0xff;
  }
  return out;
}

/**
 * Byte strings as Wireshark writes them: hex pairs separated by ':', '.' or '-'
 * (47:45:54, 47.45.54), unseparated pairs (474554), or a single hex digit.
 */
export function parseBytes(text: string): Uint8Array | null {
  let hex: string;
  if (/^[0-9A-Fa-f]{2}([:.-][0-9A-Fa-f]{2})*$/.test(text)) hex = text.replace(/[:.-]/g, '');
  else if (/^([0-9A-Fa-f]{2})+$/.test(text)) hex = text;
  else if (/^[0-9A-Fa-f]$/.test(text)) hex = '0' + text;
  else if (/^0[xX][0-9A-Fa-f]{1,2}$/.test(text)) hex = text.slice(2).padStart(2, '0');
  else return null;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** MAC address: 00:1b:21:3a:4f:5c, 00-1b-…, 00.1b.…, 001b.213a.4f5c or 001b213a4f5c. */
export function parseEther(text: string): Uint8Array | { error: string } | null {
  if (/^[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}$/.test(text)) return parseBytes(text.replace(/\./g, ''));
  const bytes = parseBytes(text);
  if (!bytes || /^[0-9A-Fa-f]$/.test(text) || /^0[xX]/.test(text)) return null;
  if (bytes.length < 6) return { error: `"${text}" has ${bytes.length} byte${bytes.length === 1 ? '' : 's'}; a MAC address has 6` };
  if (bytes.length > 6) return { error: `"${text}" has ${bytes.length} bytes; a MAC address has 6` };
  return bytes;
}

/** Seconds with up to nine decimals (frame.time_relative > 1.5) as nanoseconds. */
export function parseRelTimeNs(text: string): number | null {
  const m = /^(\d+)(?:\.(\d{1,9}))?$/.exec(text);
  if (!m) return null;
  return Number(m[1]) * 1e9 + Number((m[2] ?? '').padEnd(9, '0'));
}

/** Seconds since the epoch with up to nine decimals, as a Timestamp (frame.time_epoch). */
export function parseEpoch(text: string): Timestamp | null {
  const m = /^(\d+)(?:\.(\d{1,9}))?$/.exec(text);
  if (!m) return null;
  return { sec: Number(m[1]), nsec: Number((m[2] ?? '').padEnd(9, '0')) };
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * Absolute times as Wireshark accepts them: ISO 8601 ("2020-07-04T12:34:56.5Z", the T may be
 * a space, the time may be left out) or the legacy "Sep 26, 2004 23:18:04.954975" form.
 * Without "Z"/"UTC"/an offset the time is local, as in Wireshark.
 */
export function parseAbsTime(text: string): Timestamp | null {
  const t = text.trim();
  let y: number, mo: number, d: number, hh = 0, mm = 0, ss = 0;
  let frac = '';
  let zone: string | undefined;
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?$/i.exec(t);
  if (m) {
    [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (m[4] !== undefined) { hh = Number(m[4]); mm = Number(m[5]); ss = Number(m[6] ?? 0); frac = m[7] ?? ''; }
    zone = m[8];
  } else {
    m = /^([A-Za-z]{3})\s+(\d{1,2}),\s*(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:\s*(UTC))?$/.exec(t);
    if (!m) return null;
    const month = MONTHS.indexOf(m[1].toLowerCase());
    if (month < 0) return null;
    [y, mo, d] = [Number(m[3]), month + 1, Number(m[2])];
    hh = Number(m[4]); mm = Number(m[5]); ss = Number(m[6] ?? 0); frac = m[7] ?? '';
    zone = m[8];
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || hh > 23 || mm > 59 || ss > 60) return null;
  let ms: number;
  if (zone === undefined) {
    ms = new Date(y, mo - 1, d, hh, mm, ss).getTime();
  } else {
    ms = Date.UTC(y, mo - 1, d, hh, mm, ss);
    const off = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
    if (off) ms -= (off[1] === '-' ? -1 : 1) * (Number(off[2]) * 60 + Number(off[3] ?? 0)) * 60000;
  }
  if (!Number.isFinite(ms)) return null;
  return { sec: Math.floor(ms / 1000), nsec: Number(frac.padEnd(9, '0')) };
}

/** A binary string (one char per byte) as bytes. */
export function binaryToBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Decodes a binary string as UTF-8 when it is valid UTF-8, otherwise byte for byte (Latin-1). */
export function binaryToText(s: string): string {
  if (!/[\x80-\xff]/.test(s)) return s;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(binaryToBytes(s));
  } catch {
    return s;
  }
}

/** UTF-8 bytes of a JS string (string fields compared with byte strings, slices, len()). */
const encoder = new TextEncoder();
export function textToBytes(s: string): Uint8Array {
  return encoder.encode(s);
}
