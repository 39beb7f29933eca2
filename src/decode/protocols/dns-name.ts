/**
 * DNS names (RFC 1035 §3.1, §4.1.4 compression) read the way Wireshark reads them, with the
 * protections hostile input needs:
 *  - a pointer to itself, more characters processed than the message has, or more than 255
 *    pointers is "<Name contains a pointer that loops>"; a name already past 253 characters
 *    stops at its next pointer as "<Name too long>" — so a name costs a bounded number of steps
 *    whatever the message (a 64 KiB message of pointers cannot make every record walk it);
 *  - label types 0x40/0x80 and labels or pointers past the end raise a bounds error, which the
 *    caller turns into "truncated" (capture cut) or "malformed" (past the message).
 *
 * The text is Wireshark's format_text(): bytes ≥ 0x80 are decoded as UTF-8 (each invalid
 * sequence becomes U+FFFD), C escapes for \a \b \t \n \v \f \r, \ooo for other control bytes
 * and DEL, \uXXXX for non-printable code points. Dots inside labels are not escaped.
 */

import { escapeText } from '../fields/format.js';

export const NAME_ROOT = '<Root>';
export const NAME_LOOPS = '<Name contains a pointer that loops>';
export const NAME_TOO_LONG = '<Name too long>';

/** Longest name text Wireshark keeps (MAX_DNAME_LEN 255, less the first-label and NUL bytes). */
const MAX_NAME_CHARS = 253;
/** Pointer hops after which a name counts as looping (Wireshark's MAX_DNAME_LEN rule). */
const MAX_POINTERS = 255;

/** Thrown (and caught by the DNS dissector) when a read leaves the captured or reported bytes. */
export class DnsBoundsError {
  constructor(
    /** Offset of the read that failed. */
    readonly offset: number,
    readonly needed: number,
    /** True when the read is past the captured bytes but inside the message (capture cut short). */
    readonly truncated: boolean,
    readonly field: string,
  ) {}
}

/** The message being read: names resolve pointers against `start`; reads must stay below the ends. */
export interface DnsMessage {
  /** Outcomes of name tails already walked (see tooLongTail); made on first use. */
  tails?: { outcome: Uint8Array; errors: Map<number, DnsBoundsError> };
  bytes: Uint8Array;
  /** Offset of the DNS header (pointer origin). */
  start: number;
  /** End of the message as the transport reports it. */
  end: number;
  /** End of the captured bytes of the message (≤ end). */
  capEnd: number;
}

/** Throws DnsBoundsError unless [offset, offset + n) is inside the captured message. */
export function need(msg: DnsMessage, offset: number, n: number, field: string): void {
  if (offset + n <= msg.capEnd) return;
  throw new DnsBoundsError(offset, n, offset + n <= msg.end, field);
}

/** Result of reading one name; reused between calls (copy what you keep before the next read). */
export interface DnsName {
  /** Display text (format_text applied, or one of the <…> placeholders). */
  text: string;
  /** Length of the raw name (label bytes and dots) as Wireshark counts it; placeholders count their own text. */
  rawLength: number;
  /** Dots in the raw name (labels − 1 for a normal name). */
  dots: number;
  /** Bytes the name occupies where it starts (up to and including the first pointer). */
  consumed: number;
}

const result: DnsName = { text: '', rawLength: 0, dots: 0, consumed: 0 };
/** The same shared result object, named for the tail walker (which has a local `result`). */
const tail = result;
/** Scratch for the raw name bytes (max 253 kept); names are read one at a time. */
const raw = new Uint8Array(MAX_NAME_CHARS + 2);

/** Reads the name at `offset` of `msg`. The returned object is shared: read its fields at once. */
export function readDnsName(msg: DnsMessage, offset: number): DnsName {
  const { bytes, start } = msg;
  const budget = msg.end - start;
  let pos = offset;
  let consumed = -1;
  let processed = 0;
  let hops = 0;
  let len = 0;
  let dots = 0;
  let tooLong = false;
  let printable = true;
  for (;;) {
    need(msg, pos, 1, 'dns name');
    const c = bytes[pos++];
    if (c === 0) break;
    processed++;
    switch (c & 0xc0) {
      case 0x00: {
        need(msg, pos, c, 'dns label');
        if (len > 0) {
          // Not the first label: a separator.
          if (len < MAX_NAME_CHARS) { raw[len++] = 0x2e; dots++; } else tooLong = true;
        }
        const copy = Math.min(c, MAX_NAME_CHARS - len);
        for (let i = 0; i < copy; i++) {
          const b = bytes[pos + i];
          raw[len++] = b;
          if (b < 0x20 || b > 0x7e) printable = false;
          if (b === 0x2e) dots++;
        }
        if (copy < c) tooLong = true;
        pos += c;
        processed += c;
        if (tooLong && consumed >= 0) return tooLongTail(msg, pos, processed, consumed);
        break;
      }
      case 0xc0: {
        need(msg, pos, 1, 'dns name pointer');
        const target = start + (((c & 0x3f) << 8) | bytes[pos]);
        pos++;
        processed++;
        if (consumed < 0) consumed = pos - offset;
        // Wireshark 4.0 stops once it has processed more characters than the message has (a
        // loop); newer versions also give up after 255 pointers. Both bounds apply here, so a
        // name costs at most a few hundred steps even in a 64 KiB message of pointers.
        if (target === pos - 2 || processed >= budget || ++hops > MAX_POINTERS) {
          result.text = NAME_LOOPS;
          result.rawLength = NAME_LOOPS.length;
          result.dots = 0;
          result.consumed = consumed;
          return result;
        }
        // Past the limit the text cannot come back under it; the rest of the chain only decides
        // between "too long", "loops" and a bounds error.
        if (tooLong) return tooLongTail(msg, target, processed, consumed);
        pos = target;
        break;
      }
      default:
        // 0x40 (extended, RFC 6891 retired it) and 0x80 (reserved): Wireshark throws.
        throw new DnsBoundsError(pos - 1, 1, false, 'dns label type');
    }
  }
  result.consumed = consumed < 0 ? pos - offset : consumed;
  // A label running to exactly 253 characters fits; one more character (or dot) does not.
  if (tooLong) {
    result.text = NAME_TOO_LONG;
    result.rawLength = NAME_TOO_LONG.length;
    result.dots = 0;
  } else if (len === 0) {
    result.text = NAME_ROOT;
    result.rawLength = NAME_ROOT.length;
    result.dots = 0;
  } else {
    result.text = printable ? asciiText(raw, len) : formatText(raw, 0, len);
    result.rawLength = len;
    result.dots = dots;
  }
  return result;
}

const TAIL_END = 1;
const TAIL_LOOP = 2;
const TAIL_ERROR = 3;

/**
 * The rest of a name already too long: Wireshark 4.0 keeps walking it (a loop or a bad label
 * further on still changes the outcome) without adding text. Outcomes are remembered per
 * message position, so all the names of a message together walk each byte at most once —
 * a 64 KiB message whose thousands of records share one long chain stays cheap.
 */
function tooLongTail(msg: DnsMessage, from: number, processedBefore: number, consumed: number): DnsName {
  const size = msg.end - msg.start;
  msg.tails ??= { outcome: new Uint8Array(Math.max(0, msg.capEnd - msg.start)), errors: new Map() };
  const { outcome, errors } = msg.tails;
  const { bytes, start } = msg;
  const visited: number[] = [];
  let processed = processedBefore;
  let pos = from;
  let result = 0;
  let error: DnsBoundsError | undefined;
  try {
    for (;;) {
      const known = pos - start >= 0 && pos < msg.capEnd ? outcome[pos - start] : 0;
      if (known) {
        result = known;
        error = errors.get(pos);
        break;
      }
      visited.push(pos);
      need(msg, pos, 1, 'dns name');
      const c = bytes[pos++];
      if (c === 0) { result = TAIL_END; break; }
      processed++;
      if ((c & 0xc0) === 0) {
        need(msg, pos, c, 'dns label');
        pos += c;
        processed += c;
      } else if ((c & 0xc0) === 0xc0) {
        need(msg, pos, 1, 'dns name pointer');
        const target = start + (((c & 0x3f) << 8) | bytes[pos]);
        pos++;
        processed++;
        if (target === pos - 2 || processed >= size) { result = TAIL_LOOP; break; }
        pos = target;
      } else {
        throw new DnsBoundsError(pos - 1, 1, false, 'dns label type');
      }
    }
  } catch (err) {
    if (!(err instanceof DnsBoundsError)) throw err;
    result = TAIL_ERROR;
    error = err;
  }
  for (const v of visited) {
    if (v - start >= 0 && v < msg.capEnd) {
      outcome[v - start] = result;
      if (error) errors.set(v, error);
    }
  }
  if (result === TAIL_ERROR && error) throw error;
  if (result === TAIL_LOOP) {
    tail.text = NAME_LOOPS;
    tail.rawLength = NAME_LOOPS.length;
    tail.dots = 0;
    tail.consumed = consumed;
    return tail;
  }
  return tooLongAt(consumed);
}

function tooLongAt(consumed: number): DnsName {
  result.text = NAME_TOO_LONG;
  result.rawLength = NAME_TOO_LONG.length;
  result.dots = 0;
  result.consumed = consumed;
  return result;
}

function asciiText(b: Uint8Array, len: number): string {
  let s = '';
  for (let i = 0; i < len; i++) s += String.fromCharCode(b[i]);
  return s;
}

const decoder = new TextDecoder('utf-8', { fatal: false });

/** Wireshark's format_text() over bytes [start, end): UTF-8 with U+FFFD for invalid sequences, then escaped. */
export function formatText(bytes: Uint8Array, start: number, end: number): string {
  for (let i = start; i < end; i++) {
    const b = bytes[i];
    if (b < 0x20 || b >= 0x7f) return escapeText(decoder.decode(bytes.subarray(start, end)));
  }
  return asciiText(bytes.subarray(start), end - start);
}
