/**
 * HTTP/1.x over TCP: Wireshark's ports plus its TCP heuristic (a first line starting with, or
 * ending in, "HTTP/1."; the conversation then stays HTTP), every message in the payload
 * (pipelining), "Continuation" for payload that does not start a message.
 *
 * Entry points for the analysis' TCP reassembly (issue 4):
 *  - `httpPduLength(ctx, offset, end)` — how many bytes the message starting at `offset` needs
 *    (HTTP_PDU_* codes below); it knows which responses answer HEAD requests.
 *  - `httpStartLineInfo(bytes, offset, end)` — the Info text Wireshark shows on the first
 *    segment of a message still being reassembled ("HTTP/1.1 200 OK "; add
 *    " [TCP segment of a reassembled PDU]" after it).
 *  - `dissectHttp(ctx, offset, end)` — decodes whatever bytes it is given: hand it the
 *    reassembled PDU through ctx.withSource(...) on the segment that completes it.
 */
import type { DissectContext } from '../context.js';
import { escapeText } from '../fields/format.js';
import { tcpHeuristics, tcpPorts } from '../registry.js';
import { dissectData } from './data.js';
import { runMediaJob } from './http-body.js';
import { HTTP_TCP_PORTS, httpFields as F, httpProto } from './http-fields.js';
import {
  START_NONE, START_REQUEST, START_RESPONSE, classifyStartLine, dissectHttpMessage, fullUri, responseHasBody, scanHead,
} from './http-message.js';
import { asciiString, findLine, indexOfByte, parseChunkSize, startsWithAsciiNoCase, type Line } from './http-text.js';
import { textField } from './dns-fields.js';
import { INFO_UNREASSEMBLED, markInfo } from './tcp-info.js';

/** httpPduLength: the data does not start an HTTP message. */
export const HTTP_PDU_NOT_HTTP = -1;
/** httpPduLength: more data is needed before the length is known (headers or chunks incomplete). */
export const HTTP_PDU_NEED_MORE = 0;
/** httpPduLength: the body runs until the connection closes (response without length). */
export const HTTP_PDU_UNTIL_CLOSE = -2;

/** Requests seen per conversation, so a response to HEAD is known to have no body. */
interface HttpConversations {
  pendingMethods: Map<number | string, string[]>;
  /** Conversations the heuristic recognised (Wireshark binds them to HTTP). */
  heuristic: Set<number | string>;
}

const MAX_CONVERSATIONS = 65536;
const MAX_PENDING = 64;

function conversations(ctx: DissectContext): HttpConversations {
  return ctx.session.state<HttpConversations>('http', () => ({ pendingMethods: new Map(), heuristic: new Set() }));
}

/**
 * A key for this packet's TCP conversation that is the same in both directions. With the
 * analysis' tcp.stream it is a number (no string per packet); without it, the addresses and
 * ports in a canonical order.
 */
function conversationKey(ctx: DissectContext): number | string {
  const { net, meta } = ctx;
  const stream = meta.tcp?.stream ?? -1;
  if (stream >= 0) return stream;
  const a = net.version === 6 ? `${net.v6Src?.join(',')}` : `${net.v4Src}`;
  const b = net.version === 6 ? `${net.v6Dst?.join(',')}` : `${net.v4Dst}`;
  const x = `${a}:${meta.srcPort}`;
  const y = `${b}:${meta.dstPort}`;
  return x < y ? `${x}|${y}` : `${y}|${x}`;
}

function rememberRequest(ctx: DissectContext, method: string): void {
  const { pendingMethods } = conversations(ctx);
  const key = conversationKey(ctx);
  let q = pendingMethods.get(key);
  if (!q) {
    if (pendingMethods.size >= MAX_CONVERSATIONS) pendingMethods.clear();
    q = [];
    pendingMethods.set(key, q);
  }
  if (q.length < MAX_PENDING) q.push(method);
}

/** The method of the oldest unanswered request of this response's conversation (consumed when `take`). */
function requestMethodFor(ctx: DissectContext, take: boolean): string | undefined {
  const { pendingMethods } = conversations(ctx);
  if (pendingMethods.size === 0) return undefined;
  const q = pendingMethods.get(conversationKey(ctx));
  if (!q || q.length === 0) return undefined;
  return take ? q.shift() : q[0];
}

export function dissectHttp(ctx: DissectContext, offset: number, end: number): void {
  const { bytes, sink } = ctx;
  const capEnd = Math.min(end, bytes.length);
  if (capEnd <= offset) return;
  const line: Line = { start: 0, end: 0, next: 0, terminated: false };
  findLine(bytes, offset, capEnd, line);
  if (!line.terminated) {
    // Not even one complete line: Wireshark's HTTP waits for more data (it would desegment).
    // A message start is claimed (frame.protocols shows http) but nothing is shown; anything
    // else is rejected.
    if (classifyStartLine(bytes, offset, line.end) !== START_NONE) ctx.protocols.push('http');
    return;
  }
  ctx.protocols.push('http');
  ctx.setProtocol('HTTP');
  let p = offset;
  let first = true;
  while (p < capEnd) {
    findLine(bytes, p, capEnd, line);
    const kind = classifyStartLine(bytes, p, line.end);
    if (kind === START_NONE) {
      continuation(ctx, p, capEnd, first);
      return;
    }
    const method = kind === START_RESPONSE ? requestMethodFor(ctx, true) : undefined;
    sink.open(httpProto, p, capEnd - p, null, 0, sink.wantsText ? httpProto.label : undefined);
    const outcome = dissectHttpMessage(ctx, p, end, method, first);
    sink.close(Math.min(outcome.consumed, capEnd - p));
    if (outcome.media) runMediaJob(ctx, outcome.media);
    if (kind === START_REQUEST) rememberRequest(ctx, outcome.head.method);
    first = false;
    if (outcome.cut) {
      ctx.problems.push({
        kind: 'truncated', layer: 'http', field: 'http.chunk_data', needed: 1, available: 0, offset: capEnd,
        message: 'http: chunked body continues past this segment (not reassembled)',
      });
      markInfo(ctx, INFO_UNREASSEMBLED);
      return;
    }
    p += outcome.consumed;
  }
}

/**
 * Payload that does not start an HTTP message: Wireshark's "Continuation". Wireshark 4.0 still
 * reads leading lines that contain a colon as (badly named) header lines; from the first line
 * without one, the bytes are File Data handed to `data`.
 */
function continuation(ctx: DissectContext, start: number, end: number, first: boolean): void {
  const { sink, bytes } = ctx;
  const text = sink.wantsText;
  if (first) ctx.setInfo('Continuation');
  sink.open(httpProto, start, end - start, null, 0, text ? httpProto.label : undefined);
  const line: Line = { start: 0, end: 0, next: 0, terminated: false };
  let p = start;
  while (p < end) {
    findLine(bytes, p, end, line);
    const colon = indexOfByte(bytes, 0x3a, line.start, line.end);
    if (colon < 0) break;
    if (text) sink.add(textField, line.start, line.next - line.start, null, 0, escapeText(asciiString(bytes, line.start, line.next)));
    if (!isToken(bytes, line.start, colon)) {
      ctx.note({ severity: 'warn', group: 'protocol', message: 'Illegal characters found in header name' });
    }
    p = line.next;
  }
  if (p < end && (sink.wants?.(F.fileData) ?? true)) {
    sink.add(F.fileData, p, end - p, asciiString(bytes, p, end), 0, `File Data: ${end - p} bytes`);
  }
  sink.close();
  if (p < end) dissectData(ctx, p, end);
}

const SEPARATORS = Array.from('()<>@,;:\\"/[]?={}', (ch) => ch.charCodeAt(0));

/** RFC 9110 §5.6.2 token characters only (a valid header name). */
function isToken(bytes: Uint8Array, start: number, end: number): boolean {
  if (end <= start) return false;
  for (let i = start; i < end; i++) {
    const c = bytes[i];
    if (c <= 0x20 || c >= 0x7f || SEPARATORS.includes(c)) return false;
  }
  return true;
}

/**
 * Wireshark's HTTP heuristic on TCP: the first line starts with "HTTP/1." or its last 8
 * characters start with it. Once recognised, the conversation stays HTTP (later segments that
 * do not start a message are continuations of it).
 */
export function looksLikeHttp(bytes: Uint8Array, offset: number, end: number): boolean {
  const capEnd = Math.min(end, bytes.length);
  const line: Line = { start: 0, end: 0, next: 0, terminated: false };
  findLine(bytes, offset, capEnd, line);
  if (!line.terminated) return false;
  const len = line.end - line.start;
  if (len === 8) return false;
  return startsWithAsciiNoCase(bytes, offset, capEnd, 'http/1.') ||
    (len > 8 && startsWithAsciiNoCase(bytes, line.end - 8, line.end, 'http/1.'));
}

function httpHeuristic(ctx: DissectContext, offset: number, end: number): boolean {
  const state = conversations(ctx);
  let key: number | string | undefined;
  if (state.heuristic.size > 0) {
    key = conversationKey(ctx);
    if (state.heuristic.has(key)) {
      dissectHttp(ctx, offset, end);
      return true;
    }
  }
  if (!looksLikeHttp(ctx.bytes, offset, end)) return false;
  if (state.heuristic.size >= MAX_CONVERSATIONS) state.heuristic.clear();
  state.heuristic.add(key ?? conversationKey(ctx));
  dissectHttp(ctx, offset, end);
  return true;
}

/**
 * For the reassembly: the length of the HTTP message starting at `offset` of ctx.bytes, given
 * the bytes up to `end` — a positive byte count, or HTTP_PDU_NEED_MORE / HTTP_PDU_NOT_HTTP /
 * HTTP_PDU_UNTIL_CLOSE. Reads the conversation's pending requests (HEAD) without consuming them.
 */
export function httpPduLength(ctx: DissectContext, offset: number, end: number): number {
  const bytes = ctx.bytes;
  const capEnd = Math.min(end, bytes.length);
  const head = scanHead(bytes, offset, capEnd);
  if (!head) {
    const line: Line = { start: 0, end: 0, next: 0, terminated: false };
    findLine(bytes, offset, capEnd, line);
    // A start line not yet complete might still become one.
    return line.terminated ? HTTP_PDU_NOT_HTTP : HTTP_PDU_NEED_MORE;
  }
  if (head.bodyStart < 0) return HTTP_PDU_NEED_MORE;
  const request = head.kind === START_REQUEST;
  const headLen = head.bodyStart - offset;
  if (!request && !responseHasBody(head.statusCode, requestMethodFor(ctx, false))) return headLen;
  if (head.chunked) {
    const body = chunkedLength(bytes, head.bodyStart, capEnd);
    return body < 0 ? HTTP_PDU_NEED_MORE : headLen + body;
  }
  if (head.contentLength >= 0) return headLen + head.contentLength;
  return request ? headLen : HTTP_PDU_UNTIL_CLOSE;
}

/** Length of a complete chunked body at `start` (through the trailer's empty line), or -1 if incomplete. */
function chunkedLength(bytes: Uint8Array, start: number, end: number): number {
  const line: Line = { start: 0, end: 0, next: 0, terminated: false };
  let p = start;
  for (;;) {
    findLine(bytes, p, end, line);
    if (!line.terminated) return -1;
    const size = parseChunkSize(bytes, line.start, line.end);
    if (size === 0) {
      p = line.next;
      for (;;) {
        findLine(bytes, p, end, line);
        if (!line.terminated) return -1;
        p = line.next;
        if (line.end === line.start) return p - start;
      }
    }
    p = line.next + size + 2;
    if (p > end) return -1;
  }
}

/** Info text of a message's start line ("GET /x HTTP/1.1 "), or null when it is not one. */
export function httpStartLineInfo(bytes: Uint8Array, offset: number, end: number): string | null {
  const capEnd = Math.min(end, bytes.length);
  const line: Line = { start: 0, end: 0, next: 0, terminated: false };
  findLine(bytes, offset, capEnd, line);
  if (classifyStartLine(bytes, offset, line.end) === START_NONE) return null;
  return `${escapeText(asciiString(bytes, line.start, line.end))} `;
}

for (const port of HTTP_TCP_PORTS) tcpPorts.set(port, dissectHttp);
tcpHeuristics.push(httpHeuristic);
