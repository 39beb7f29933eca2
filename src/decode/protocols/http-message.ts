/**
 * One HTTP/1.x message (RFC 9112): start line, header lines, body framing — decoded from any
 * byte range the context can see (a single segment's payload, or a reassembled PDU that the
 * analysis hands in through ctx.withSource), reporting Wireshark 4.0's tree and Info column.
 *
 * Framing (RFC 9112 §6.3), as Wireshark applies it: responses to HEAD and 1xx/204/304 have no
 * body; chunked transfer coding; else Content-Length (the last valid one); else a request has
 * no body and a response runs to the end of the data. Without reassembly a body is cut at the
 * end of the data it was given.
 */
import type { DissectContext } from '../context.js';
import { GENERATED, HIDDEN } from '../sink.js';
import { HTTP_HEADERS, HTTP_METHODS, HTTP_STATUS, HeaderKind, httpFields as F, type HeaderDef } from './http-fields.js';
import { asciiString, findLine, indexOfByte, parseDecimal, startsWithAscii, type Line } from './http-text.js';
import { dissectHttpBody, type BodyInfo, type MediaJob } from './http-body.js';
import { textField } from './dns-fields.js';
import { escapeText } from '../fields/format.js';
import { markInfo } from './tcp-info.js';

export const START_NONE = 0;
export const START_REQUEST = 1;
export const START_RESPONSE = 2;

/**
 * Is the line at `start` a request line ("GET /x HTTP/1.1": a known method, case-sensitive,
 * then a space) or a status line ("HTTP/…")? Wireshark's is_http_request_or_reply.
 */
export function classifyStartLine(bytes: Uint8Array, start: number, lineEnd: number): number {
  if (startsWithAscii(bytes, start, lineEnd, 'HTTP/')) return START_RESPONSE;
  const sp = indexOfByte(bytes, 0x20, start, Math.min(lineEnd, start + 20));
  if (sp <= start) return START_NONE;
  let method = '';
  for (let i = start; i < sp; i++) method += String.fromCharCode(bytes[i]);
  return HTTP_METHODS.has(method) ? START_REQUEST : START_NONE;
}

/** Per-message facts the framing and the reassembly need. */
export interface HttpHead {
  kind: number;
  method: string;
  statusCode: number;
  /** Offset of the first body byte (after the empty line); -1 when the headers are incomplete. */
  bodyStart: number;
  contentLength: number;
  chunked: boolean;
  contentType: string;
  contentEncoding: string;
  host: string;
  /** Request URI (requests only). */
  uri: string;
}

/**
 * Reads the start line and headers without reporting anything (for the PDU-length probe).
 * Returns null when [offset, end) does not start with a request or status line.
 */
export function scanHead(bytes: Uint8Array, offset: number, end: number): HttpHead | null {
  const line: Line = { start: 0, end: 0, next: 0, terminated: false };
  findLine(bytes, offset, end, line);
  const kind = classifyStartLine(bytes, offset, line.end);
  if (kind === START_NONE) return null;
  const head = newHead(kind);
  parseStartLine(bytes, line, head);
  let p = line.next;
  if (!line.terminated) return head;
  while (p < end) {
    findLine(bytes, p, end, line);
    if (!line.terminated) return head;
    if (line.end === line.start) {
      head.bodyStart = line.next;
      return head;
    }
    noteHeader(bytes, line, head);
    p = line.next;
  }
  return head;
}

function newHead(kind: number): HttpHead {
  return {
    kind, method: '', statusCode: -1, bodyStart: -1, contentLength: -1, chunked: false,
    contentType: '', contentEncoding: '', host: '', uri: '',
  };
}

function parseStartLine(bytes: Uint8Array, line: Line, head: HttpHead): void {
  const sp = indexOfByte(bytes, 0x20, line.start, line.end);
  if (head.kind === START_REQUEST) {
    head.method = asciiString(bytes, line.start, sp);
  } else if (sp >= 0 && line.end - sp > 3) {
    const code = parseDecimal(asciiString(bytes, sp + 1, sp + 4));
    head.statusCode = code;
  }
}

/** Records what framing needs from one header line (name: value). */
function noteHeader(bytes: Uint8Array, line: Line, head: HttpHead): void {
  const colon = indexOfByte(bytes, 0x3a, line.start, line.end);
  if (colon < 0) return;
  const def = headerDef(bytes, line.start, colon);
  if (!def) return;
  const value = headerValue(bytes, colon + 1, line.end);
  applyHeader(def.kind, value, head);
}

function applyHeader(kind: HeaderKind, value: string, head: HttpHead): void {
  switch (kind) {
    case HeaderKind.ContentLength: {
      const n = parseDecimal(value);
      if (n >= 0) head.contentLength = n;
      break;
    }
    case HeaderKind.TransferEncoding:
      // RFC 9112 §6.1: chunked is the final coding when present.
      if (/(^|,)\s*chunked\s*$/i.test(value)) head.chunked = true;
      break;
    case HeaderKind.ContentType: {
      const semi = value.indexOf(';');
      head.contentType = (semi < 0 ? value : value.slice(0, semi)).trim().toLowerCase();
      break;
    }
    case HeaderKind.ContentEncoding:
      head.contentEncoding = value.trim().toLowerCase();
      break;
    case HeaderKind.Host:
      head.host = value;
      break;
    default:
      break;
  }
}

/** The header table entry for the name in bytes[start, end) (case-insensitive), if Wireshark has one. */
function headerDef(bytes: Uint8Array, start: number, end: number): HeaderDef | undefined {
  // Longest known name is 24 characters: longer names cannot match, so build no string for them.
  if (end - start > 24) return undefined;
  let name = '';
  for (let i = start; i < end; i++) {
    const c = bytes[i];
    name += String.fromCharCode(c >= 0x41 && c <= 0x5a ? c + 0x20 : c);
  }
  return HTTP_HEADERS.get(name);
}

/** The value after "Name:": leading blanks skipped, trailing ones kept (as Wireshark shows it). */
function headerValue(bytes: Uint8Array, start: number, end: number): string {
  let s = start;
  while (s < end && (bytes[s] === 0x20 || bytes[s] === 0x09)) s++;
  return asciiString(bytes, s, end);
}

/** Does a response to `method` with status `code` carry a body at all (RFC 9112 §6.3 item 1)? */
export function responseHasBody(code: number, method: string | undefined): boolean {
  if (method === 'HEAD') return false;
  return !((code >= 100 && code < 200) || code === 204 || code === 304);
}

export interface MessageOutcome {
  /** Bytes of [offset, end) this message took (> 0). */
  consumed: number;
  /** The Info text of the start line ("GET /x HTTP/1.1 "). */
  info: string;
  /** A chunk ran past the data (Wireshark's unreassembled bounds error). */
  cut: boolean;
  /** The body's media dissector, to run after the HTTP tree is closed. */
  media: MediaJob | null;
}

/**
 * Decodes the message starting at `offset` (the caller checked classifyStartLine) into the open
 * HTTP tree. `requestMethod` is the method of the request this response answers, when known.
 */
export function dissectHttpMessage(
  ctx: DissectContext, offset: number, end: number, requestMethod: string | undefined, firstInInfo: boolean,
): MessageOutcome & { head: HttpHead } {
  const { bytes, sink } = ctx;
  const text = sink.wantsText;
  const capEnd = Math.min(end, bytes.length);
  const line: Line = { start: 0, end: 0, next: 0, terminated: false };
  findLine(bytes, offset, capEnd, line);
  const kind = classifyStartLine(bytes, offset, line.end);
  const head = newHead(kind);
  const request = kind === START_REQUEST;
  const firstLine = asciiString(bytes, line.start, line.end);
  const lineText = text || ctx.wantsColumns ? escapeText(firstLine) : '';
  // Wireshark: the first message replaces the Info column, later ones (pipelining) append.
  if (ctx.wantsColumns) {
    if (firstInInfo) ctx.setInfo(`${lineText} `);
    else markInfo(ctx, `${lineText} `);
  }

  // Start line: a text item with Wireshark's chat expert and the parts as fields.
  sink.open(textField, line.start, line.next - line.start, null, 0,
    text ? escapeText(asciiString(bytes, line.start, line.next)) : undefined);
  ctx.note({ severity: 'chat', group: 'sequence', message: escapeText(asciiString(bytes, line.start, line.next)) });
  if (request) dissectRequestLine(ctx, line, head, text);
  else dissectStatusLine(ctx, line, head, text);
  sink.close();

  let p = line.next;
  const lineField = request ? F.requestLine : F.responseLine;
  while (line.terminated && p < capEnd) {
    findLine(bytes, p, capEnd, line);
    if (line.end === line.start && line.terminated) {
      sink.add(textField, line.start, line.next - line.start, null, 0, text ? (line.next - line.end === 2 ? '\\r\\n' : '\\n') : undefined);
      head.bodyStart = line.next;
      p = line.next;
      break;
    }
    // Strings are built only for the framing headers and for fields someone reads (hot path).
    const wantLine = text || (sink.wants?.(lineField) ?? true);
    const whole = wantLine ? asciiString(bytes, line.start, line.next) : '';
    const colon = indexOfByte(bytes, 0x3a, line.start, line.end);
    const def = colon > line.start ? headerDef(bytes, line.start, colon) : undefined;
    if (def) {
      const needValue = text || def.kind !== HeaderKind.Plain || (sink.wants?.(def.field) ?? true);
      const value = needValue ? headerValue(bytes, colon + 1, line.end) : '';
      if (def.kind !== HeaderKind.Plain) applyHeader(def.kind, value, head);
      const len = line.next - line.start;
      if (def.kind === HeaderKind.ContentLength) {
        sink.open(def.field, line.start, len, value, 0, text ? escapeText(whole) : undefined);
        const n = parseDecimal(value);
        if (n >= 0) sink.add(F.contentLength, line.start, len, n, GENERATED, text ? `Content length: ${n}` : undefined);
        sink.close();
      } else if (def.kind === HeaderKind.Cookie) {
        sink.open(def.field, line.start, len, value, 0, text ? escapeText(whole) : undefined);
        if (text || (sink.wants?.(F.cookiePair) ?? true)) addCookiePairs(ctx, value, line.start, len);
        sink.close();
      } else {
        sink.add(def.field, line.start, len, value, 0, text ? escapeText(whole) : undefined);
      }
      if (wantLine) sink.add(lineField, line.start, len, whole, HIDDEN);
    } else if (wantLine) {
      sink.add(lineField, line.start, line.next - line.start, whole, 0, text ? escapeText(whole) : undefined);
    }
    p = line.next;
  }
  if (head.bodyStart < 0) p = line.terminated ? Math.max(p, line.next) : capEnd;

  if (request) {
    const full = fullUri(head.method, head.uri, head.host);
    if (full !== null) sink.add(F.requestFullUri, offset, 0, full, GENERATED);
    sink.add(F.request, offset, 0, true, HIDDEN | GENERATED);
  } else {
    sink.add(F.response, offset, 0, true, HIDDEN | GENERATED);
  }
  // The analysis' request/response links sit here in Wireshark's tree, before File Data. The
  // key is the full request URI for requests (http.response_for.uri), the status for responses.
  if (ctx.nested === 0) {
    ctx.hooks.transaction?.(ctx, 'http',
      request ? fullUri(head.method, head.uri, head.host) ?? '' : String(head.statusCode), request);
  }

  let consumed = p - offset;
  let cut = false;
  let media: MediaJob | null = null;
  if (head.bodyStart >= 0) {
    const bodyInfo: BodyInfo = {
      start: head.bodyStart,
      // Framing: which bytes belong to this message's body.
      length: bodyLength(head, request, requestMethod, capEnd),
      chunked: head.chunked && (request || responseHasBody(head.statusCode, requestMethod)),
      contentType: head.contentType,
      contentEncoding: head.contentEncoding,
    };
    const taken = dissectHttpBody(ctx, bodyInfo, end);
    consumed = head.bodyStart + taken.consumed - offset;
    cut = taken.cut;
    media = taken.media;
  }
  return { consumed: Math.max(1, consumed), info: `${lineText} `, cut, media, head };
}

/** Body length by RFC 9112 §6.3, bounded by the data at hand; -1 means "chunked, decide while reading". */
function bodyLength(head: HttpHead, request: boolean, requestMethod: string | undefined, capEnd: number): number {
  const available = capEnd - head.bodyStart;
  if (!request && !responseHasBody(head.statusCode, requestMethod)) return 0;
  if (head.chunked) return -1;
  if (head.contentLength >= 0) return Math.min(head.contentLength, available);
  return request ? 0 : available;
}

/** Request line "METHOD SP URI [SP VERSION]": the three parts, with the URI's path and query. */
function dissectRequestLine(ctx: DissectContext, line: Line, head: HttpHead, text: boolean): void {
  const { bytes, sink } = ctx;
  const sp1 = indexOfByte(bytes, 0x20, line.start, line.end);
  head.method = asciiString(bytes, line.start, sp1);
  sink.add(F.requestMethod, line.start, sp1 - line.start, head.method);
  const uriStart = sp1 + 1;
  const sp2 = indexOfByte(bytes, 0x20, uriStart, line.end);
  const uriEnd = sp2 < 0 ? line.end : sp2;
  const uri = asciiString(bytes, uriStart, uriEnd);
  head.uri = uri;
  const q = uri.indexOf('?');
  if (q >= 0) {
    sink.open(F.requestUri, uriStart, uriEnd - uriStart, uri, 0, text ? `Request URI: ${escapeText(uri)}` : undefined);
    sink.add(F.requestUriPath, uriStart, q, uri.slice(0, q));
    const query = uri.slice(q + 1);
    sink.open(F.requestUriQuery, uriStart + q + 1, query.length, query);
    let at = uriStart + q + 1;
    for (const param of query.split('&')) {
      sink.add(F.requestUriQueryParameter, at, param.length, param);
      at += param.length + 1;
    }
    sink.close();
    sink.close();
  } else {
    sink.add(F.requestUri, uriStart, uriEnd - uriStart, uri);
  }
  if (sp2 >= 0) sink.add(F.requestVersion, sp2 + 1, line.end - sp2 - 1, asciiString(bytes, sp2 + 1, line.end));
}

/**
 * Wireshark's "Full request URI": an absolute URI as is, CONNECT's authority as is, otherwise
 * "http://" + Host + URI; nothing without a Host.
 */
export function fullUri(method: string, uri: string, host: string): string | null {
  if (method === 'CONNECT') return uri;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri)) return uri;
  if (!host) return null;
  return `http://${host.trim()}${uri}`;
}

/** Status line "HTTP/x.y SP code [SP phrase]". */
function dissectStatusLine(ctx: DissectContext, line: Line, head: HttpHead, text: boolean): void {
  const { bytes, sink } = ctx;
  const sp1 = indexOfByte(bytes, 0x20, line.start, line.end);
  const versionEnd = sp1 < 0 ? line.end : sp1;
  sink.add(F.responseVersion, line.start, versionEnd - line.start, asciiString(bytes, line.start, versionEnd));
  if (sp1 < 0 || line.end - sp1 - 1 < 3) return;
  const codeText = asciiString(bytes, sp1 + 1, sp1 + 4);
  const code = parseDecimal(codeText);
  if (code < 0) return;
  head.statusCode = code;
  sink.add(F.responseCode, sp1 + 1, 3, code);
  sink.add(F.responseCodeDesc, sp1 + 1, 3, statusDescription(code), GENERATED,
    text ? `Status Code Description: ${statusDescription(code)}` : undefined);
  if (sp1 + 4 < line.end && bytes[sp1 + 4] === 0x20) {
    const phrase = asciiString(bytes, sp1 + 5, line.end);
    if (phrase.length > 0) sink.add(F.responsePhrase, sp1 + 5, line.end - sp1 - 5, phrase);
  }
}

function statusDescription(code: number): string {
  return HTTP_STATUS[code] ?? 'Unknown';
}

/** "Cookie: a=1; b=2" → http.cookie_pair "a=1", "b=2" (leading blanks dropped). */
function addCookiePairs(ctx: DissectContext, value: string, offset: number, length: number): void {
  for (const part of value.split(';')) {
    const pair = part.replace(/^[ \t]+/, '');
    if (pair.length > 0) ctx.sink.add(F.cookiePair, offset, length, pair);
  }
}
