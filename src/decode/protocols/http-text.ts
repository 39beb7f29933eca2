/**
 * Byte-level helpers for the HTTP/1.x text protocol: line scanning (CRLF or bare LF, as
 * Wireshark's tvb_find_line_end accepts), ASCII decoding (bytes ≥ 0x80 become U+FFFD, as
 * Wireshark's ENC_ASCII), and small parsers. No allocation on the scanning paths.
 */

export interface Line {
  /** Offset of the first byte of the line. */
  start: number;
  /** Offset just past the last byte of the line's content (before CR LF / LF). */
  end: number;
  /** Offset of the next line (after the terminator); equals `end` when there is none. */
  next: number;
  /** False when the data ended before a line terminator. */
  terminated: boolean;
}

/** Scans the line starting at `start` in bytes[start, limit); reuses `out`. */
export function findLine(bytes: Uint8Array, start: number, limit: number, out: Line): Line {
  out.start = start;
  let i = start;
  while (i < limit && bytes[i] !== 0x0a) i++;
  if (i >= limit) {
    out.end = limit;
    out.next = limit;
    out.terminated = false;
    return out;
  }
  out.next = i + 1;
  out.end = i > start && bytes[i - 1] === 0x0d ? i - 1 : i;
  out.terminated = true;
  return out;
}

/** ASCII text of bytes[start, end): bytes ≥ 0x80 become U+FFFD (Wireshark's ENC_ASCII). */
export function asciiString(bytes: Uint8Array, start: number, end: number): string {
  let s = '';
  let runStart = start;
  for (let i = start; i < end; i++) {
    if (bytes[i] >= 0x80) {
      if (i > runStart) s += latin1(bytes, runStart, i);
      s += '\ufffd';
      runStart = i + 1;
    }
  }
  if (end > runStart) s += latin1(bytes, runStart, end);
  return s;
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  // String.fromCharCode over chunks: fast and without per-byte concatenation.
  let s = '';
  for (let i = start; i < end; i += 4096) {
    s += String.fromCharCode.apply(null, bytes.subarray(i, Math.min(end, i + 4096)) as unknown as number[]);
  }
  return s;
}

/** True when bytes[at, at + text.length) equal the ASCII `text` (case-sensitive). */
export function startsWithAscii(bytes: Uint8Array, at: number, limit: number, text: string): boolean {
  if (limit - at < text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** Case-insensitive version of startsWithAscii (`text` must be lower case). */
export function startsWithAsciiNoCase(bytes: Uint8Array, at: number, limit: number, text: string): boolean {
  if (limit - at < text.length) return false;
  for (let i = 0; i < text.length; i++) {
    let b = bytes[at + i];
    if (b >= 0x41 && b <= 0x5a) b += 0x20;
    if (b !== text.charCodeAt(i)) return false;
  }
  return true;
}

/** Index of the first `byte` in bytes[start, end), or -1. */
export function indexOfByte(bytes: Uint8Array, byte: number, start: number, end: number): number {
  for (let i = start; i < end; i++) if (bytes[i] === byte) return i;
  return -1;
}

/** Parses a non-negative decimal integer that fills the whole string (optional surrounding spaces); -1 otherwise. */
export function parseDecimal(text: string): number {
  const t = text.trim();
  if (t.length === 0 || t.length > 15) return -1;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -1;
  }
  return Number(t);
}

/**
 * A chunk-size line's value (RFC 9112 §7.1: hex digits, then optional ";ext"). Like Wireshark's
 * strtol, leading hex digits count and anything unparsable is 0; capped to stay a safe integer.
 */
export function parseChunkSize(bytes: Uint8Array, start: number, end: number): number {
  let v = 0;
  let i = start;
  while (i < end && (bytes[i] === 0x20 || bytes[i] === 0x09)) i++;
  for (; i < end; i++) {
    const c = bytes[i];
    const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
    if (d < 0) break;
    v = v * 16 + d;
    if (v > 0x7fffffff) return 0x7fffffff;
  }
  return v;
}
