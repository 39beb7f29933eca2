/**
 * HTTP request ↔ response matching as Wireshark 4.0 does it (packet-http.c push_req / push_res):
 * per TCP stream, a list of request/response pairs in order; a request always starts a new
 * pair; a response completes the most recent pair unless that one already has a final (≥ 200)
 * response, in which case it starts a pair of its own. (So with pipelining — two requests
 * before the first response — Wireshark, and we, pair the first response with the second
 * request.) Each message shows its pair's number ("HTTP request 2/9"), its neighbours and, on a
 * second pass, forward links (response in, next request in).
 *
 * Hook contract (DecodeHooks.transaction, kind 'http'): the HTTP dissector calls it once per
 * message where Wireshark puts these fields (after the headers), with `key` = the request's
 * full URI (http.request.full_uri) for a request and the status code ("200") for a response.
 * Isomorphic.
 */
import type { DissectContext } from '../../decode/context.js';
import { GENERATED } from '../../decode/sink.js';
import { httpTxnFields as F } from './fields.js';

export interface HttpPair {
  stream: number;
  number: number;
  requestFrame: number;
  requestSec: number;
  requestNsec: number;
  responseFrame: number;
  responseCode: number;
  fullUri: string;
  /** Nanoseconds from request to response, -1 when there is none. */
  responseTimeNs: number;
  prev: HttpPair | null;
  next: HttpPair | null;
}

interface Conversation {
  count: number;
  tail: HttpPair | null;
}

export class HttpTracker {
  private convs = new Map<number, Conversation>();
  /** Frame → pair (Wireshark keeps one per frame: the last message of the frame wins). */
  private byFrame = new Map<number, HttpPair>();
  readonly all: HttpPair[] = [];
  private visited = false;

  beginSecondPass(): void {
    this.visited = true;
  }

  onMessage(ctx: DissectContext, key: string, isRequest: boolean): void {
    const stream = ctx.meta.tcp?.stream ?? -1;
    const frame = ctx.frame.number;
    let conv = this.convs.get(stream);
    if (!conv) this.convs.set(stream, (conv = { count: 0, tail: null }));
    let cur: HttpPair | undefined;
    if (!this.visited) {
      if (isRequest) {
        cur = this.push(conv, stream);
        cur.requestFrame = frame;
        cur.requestSec = ctx.frame.tsSec;
        cur.requestNsec = ctx.frame.tsNsec;
        cur.fullUri = key;
      } else {
        const tail = conv.tail;
        cur = !tail || (tail.responseFrame > 0 && tail.responseCode >= 200) ? this.push(conv, stream) : tail;
        cur.responseFrame = frame;
        cur.responseCode = Number.parseInt(key, 10) || 0;
        if (cur.requestFrame) {
          cur.responseTimeNs = (ctx.frame.tsSec - cur.requestSec) * 1e9 + (ctx.frame.tsNsec - cur.requestNsec);
        }
      }
      this.byFrame.set(frame, cur);
    } else {
      cur = this.byFrame.get(frame);
    }
    if (!cur) return;
    this.emit(ctx, conv, cur, isRequest);
  }

  private push(conv: Conversation, stream: number): HttpPair {
    const pair: HttpPair = {
      stream, number: ++conv.count, requestFrame: 0, requestSec: 0, requestNsec: 0,
      responseFrame: 0, responseCode: 0, fullUri: '', responseTimeNs: -1, prev: conv.tail, next: null,
    };
    if (conv.tail) conv.tail.next = pair;
    conv.tail = pair;
    this.all.push(pair);
    return pair;
  }

  private emit(ctx: DissectContext, conv: Conversation, cur: HttpPair, isRequest: boolean): void {
    const { sink } = ctx;
    const text = sink.wantsText;
    const prev = cur.prev;
    const next = cur.next;
    if (isRequest) {
      sink.add(F.requestNumber, 0, 0, cur.number, GENERATED, text ? `[HTTP request ${cur.number}/${conv.count}]` : undefined);
      if (prev && prev.requestFrame) sink.add(F.prevRequestIn, 0, 0, prev.requestFrame, GENERATED);
      if (cur.responseFrame) sink.add(F.responseIn, 0, 0, cur.responseFrame, GENERATED);
      if (next && next.requestFrame) sink.add(F.nextRequestIn, 0, 0, next.requestFrame, GENERATED);
      return;
    }
    sink.add(F.responseNumber, 0, 0, cur.number, GENERATED, text ? `[HTTP response ${cur.number}/${conv.count}]` : undefined);
    if (cur.requestFrame) {
      const ns = (ctx.frame.tsSec - cur.requestSec) * 1e9 + (ctx.frame.tsNsec - cur.requestNsec);
      sink.add(F.time, 0, 0, ns, GENERATED);
    }
    if (prev && prev.requestFrame) sink.add(F.prevRequestIn, 0, 0, prev.requestFrame, GENERATED);
    if (prev && prev.responseFrame) sink.add(F.prevResponseIn, 0, 0, prev.responseFrame, GENERATED);
    if (cur.requestFrame) sink.add(F.requestIn, 0, 0, cur.requestFrame, GENERATED);
    if (next && next.requestFrame) sink.add(F.nextRequestIn, 0, 0, next.requestFrame, GENERATED);
    if (next && next.responseFrame) sink.add(F.nextResponseIn, 0, 0, next.responseFrame, GENERATED);
    // The key is '' when the request had no Host to build a full URI from (Wireshark then shows none).
    if (cur.requestFrame && cur.fullUri) sink.add(F.responseForUri, 0, 0, cur.fullUri, GENERATED);
  }

  /** Requests without a response. */
  unanswered(): HttpPair[] {
    return this.all.filter((p) => p.requestFrame && !p.responseFrame);
  }
}
