/**
 * DNS query ↔ response matching as Wireshark 4.0's packet-dns.c does it: per conversation
 * (transport, both addresses and ports) and transaction ID, the latest query at or before a
 * frame is "the" transaction; a query opens a new one unless the latest with its ID is still
 * unanswered (then it is a retransmission); a response answers the latest one. The second
 * pass (tshark -2) only looks up what the first pass built, so a query shows its response
 * frame. Isomorphic.
 */
import type { DissectContext } from '../../decode/context.js';
import { GENERATED } from '../../decode/sink.js';
import { dnsTxnFields as F } from './fields.js';
import { conversationKey } from './keys.js';

export interface DnsTxn {
  conversation: string;
  id: number;
  queryFrame: number;
  querySec: number;
  queryNsec: number;
  /** First response frame, 0 when unanswered. */
  responseFrame: number;
  /** Nanoseconds from query to first response, -1 when unanswered. */
  responseTimeNs: number;
  /** Frames that repeated the query before any answer. */
  retransmissions: number[];
}

export class DnsTracker {
  private byConv = new Map<string, Map<number, DnsTxn[]>>();
  readonly all: DnsTxn[] = [];
  private visited = false;

  beginSecondPass(): void {
    this.visited = true;
  }

  onMessage(ctx: DissectContext, id: number, isQuery: boolean): void {
    const conv = conversationKey(ctx);
    const frame = ctx.frame.number;
    let ids = this.byConv.get(conv);
    if (!ids) this.byConv.set(conv, (ids = new Map()));
    let list = ids.get(id);
    const latest = list ? latestAtOrBefore(list, frame) : undefined;
    const { sink } = ctx;

    if (isQuery) {
      let txn = latest;
      let retransmission = false;
      if (!this.visited) {
        if (!txn || txn.responseFrame > 0) {
          txn = {
            conversation: conv, id, queryFrame: frame, querySec: ctx.frame.tsSec, queryNsec: ctx.frame.tsNsec,
            responseFrame: 0, responseTimeNs: -1, retransmissions: [],
          };
          if (!list) ids.set(id, (list = []));
          list.push(txn);
          this.all.push(txn);
        } else {
          retransmission = true;
          txn.retransmissions.push(frame);
        }
      } else if (txn && txn.queryFrame !== frame) retransmission = txn.retransmissions.includes(frame);
      if (!txn) return;
      if (retransmission) {
        sink.add(F.retransmission, 0, 0, true, GENERATED);
        sink.add(F.retransmitRequestIn, 0, 0, txn.queryFrame, GENERATED);
      }
      if (txn.responseFrame) sink.add(F.responseIn, 0, 0, txn.responseFrame, GENERATED);
      return;
    }

    const txn = latest;
    if (!txn) {
      sink.add(F.unsolicited, 0, 0, true, GENERATED);
      return;
    }
    if (!this.visited && txn.responseFrame === 0) {
      txn.responseFrame = frame;
      txn.responseTimeNs = (ctx.frame.tsSec - txn.querySec) * 1e9 + (ctx.frame.tsNsec - txn.queryNsec);
    }
    if (txn.responseFrame !== 0 && txn.responseFrame !== frame && frame > txn.responseFrame) {
      sink.add(F.retransmission, 0, 0, true, GENERATED);
      sink.add(F.retransmitResponseIn, 0, 0, txn.responseFrame, GENERATED);
    }
    sink.add(F.responseTo, 0, 0, txn.queryFrame, GENERATED);
    sink.add(F.time, 0, 0, (ctx.frame.tsSec - txn.querySec) * 1e9 + (ctx.frame.tsNsec - txn.queryNsec), GENERATED);
  }

  /** Queries nobody answered. */
  unanswered(): DnsTxn[] {
    return this.all.filter((t) => t.responseFrame === 0);
  }
}

/** The latest transaction whose query is at or before `frame` (lists grow in frame order). */
function latestAtOrBefore(list: DnsTxn[], frame: number): DnsTxn | undefined {
  for (let i = list.length - 1; i >= 0; i--) if (list[i].queryFrame <= frame) return list[i];
  return undefined;
}
