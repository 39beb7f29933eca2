/**
 * Follow-stream text, as Wireshark's Follow TCP Stream shows it: ASCII (non-printable bytes as
 * ".", line breaks kept), a hex dump, or raw hex; HTTP start lines recognised so messages can
 * be separated; search matches split out for highlighting (never HTML: text pieces only).
 */
import type { FollowChunk } from '../api';
import { hexByte, hexDumpLines } from './hex';

export type FollowMode = 'ascii' | 'hex' | 'raw';

export function asciiText(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x0d && bytes[i + 1] === 0x0a) continue; // CRLF shows as one line break
    out += b === 0x0a || b === 0x09 ? String.fromCharCode(b) : b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
  }
  return out;
}

export function rawText(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += hexByte(bytes[i]);
  return out;
}

/** The text of one chunk in a mode; `offset` is where the chunk starts in its direction (hex dump). */
export function chunkText(chunk: FollowChunk, mode: FollowMode, offset: number): string {
  if (chunk.missing > 0) return `[${chunk.missing} bytes missing in capture]`;
  if (mode === 'ascii') return asciiText(chunk.data);
  if (mode === 'raw') return rawText(chunk.data);
  return hexDumpLines(chunk.data, offset).join('\n');
}

const REQUEST = /^(GET|POST|PUT|DELETE|HEAD|OPTIONS|PATCH|CONNECT|TRACE) \S+ HTTP\/\d\.\d\r?\n/;
const RESPONSE = /^HTTP\/\d\.\d \d{3}/;

/** 'request' / 'response' when a chunk starts an HTTP/1.x message. */
export function httpStart(chunk: FollowChunk): 'request' | 'response' | null {
  if (chunk.missing > 0 || chunk.data.length < 8) return null;
  const head = asciiText(chunk.data.subarray(0, Math.min(chunk.data.length, 256)));
  if (RESPONSE.test(head)) return 'response';
  // asciiText folded CRLF; test the first line only.
  const firstLine = head.split('\n', 1)[0] + '\n';
  if (REQUEST.test(firstLine)) return 'request';
  return null;
}

/** The HTTP start line of a chunk (its label in the separator). */
export function firstLine(chunk: FollowChunk): string {
  return asciiText(chunk.data.subarray(0, Math.min(chunk.data.length, 200))).split('\n', 1)[0];
}

export interface Piece {
  text: string;
  /** Index of the match among all matches of the stream, -1 for plain text. */
  match: number;
}

/** Splits `text` around case-insensitive occurrences of `query`, numbering matches from `first`. */
export function splitMatches(text: string, query: string, first: number): Piece[] {
  if (!query) return [{ text, match: -1 }];
  const hay = text.toLowerCase();
  const needle = query.toLowerCase();
  const out: Piece[] = [];
  let pos = 0;
  let n = first;
  for (;;) {
    const i = hay.indexOf(needle, pos);
    if (i < 0) break;
    if (i > pos) out.push({ text: text.slice(pos, i), match: -1 });
    out.push({ text: text.slice(i, i + needle.length), match: n++ });
    pos = i + needle.length;
  }
  if (pos < text.length || out.length === 0) out.push({ text: text.slice(pos), match: -1 });
  return out;
}
