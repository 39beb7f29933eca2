/**
 * ICMP and ICMPv6 echo request ↔ reply matching as Wireshark 4.0 does it (packet-icmp.c
 * transaction_start / transaction_end): the dissector's key already holds the address pair,
 * identifier, sequence number and the checksum-derived value that makes a reply match only
 * the request it echoes. A request opens a transaction (replacing an unanswered one with the
 * same key); the first reply closes it, later identical replies match nothing. The links are
 * shown on the reply at once ("(request in 3)") and on the request only in a second pass
 * ("(reply in 4)", or "(no response found!)"). Isomorphic.
 */
import type { DissectContext } from '../../decode/context.js';
import { GENERATED } from '../../decode/sink.js';
import { icmpTxnFields, icmpv6TxnFields } from './fields.js';

export interface EchoTxn {
  kind: 'icmp' | 'icmpv6';
  key: string;
  requestFrame: number;
  requestSec: number;
  requestNsec: number;
  replyFrame: number;
  /** Nanoseconds from request to reply, -1 when unanswered. */
  rttNs: number;
}

type Fields = typeof icmpTxnFields;

export class EchoTracker {
  private unmatched = new Map<string, EchoTxn>();
  /** key + "#" + frame → transaction, for both frames of a matched pair. */
  private matched = new Map<string, EchoTxn>();
  readonly all: EchoTxn[] = [];
  private visited = false;

  beginSecondPass(): void {
    this.visited = true;
  }

  onEcho(ctx: DissectContext, kind: 'icmp' | 'icmpv6', key: string, isRequest: boolean): void {
    const F: Fields = kind === 'icmp' ? icmpTxnFields : icmpv6TxnFields;
    const frame = ctx.frame.number;
    const full = `${kind}|${key}`;
    if (isRequest) {
      let txn: EchoTxn | undefined;
      if (!this.visited) {
        txn = { kind, key, requestFrame: frame, requestSec: ctx.frame.tsSec, requestNsec: ctx.frame.tsNsec, replyFrame: 0, rttNs: -1 };
        this.unmatched.set(full, txn);
        this.all.push(txn);
      } else {
        txn = this.matched.get(`${full}#${frame}`);
        if (!txn) {
          ctx.sink.add(F.noResp, 0, 0, null, GENERATED, ctx.sink.wantsText ? '[No response seen]' : undefined);
          appendInfo(ctx, ' (no response found!)');
          return;
        }
      }
      if (txn.replyFrame) {
        ctx.sink.add(F.respIn, 0, 0, txn.replyFrame, GENERATED);
        appendInfo(ctx, ` (reply in ${txn.replyFrame})`);
      }
      return;
    }

    let txn: EchoTxn | undefined;
    if (!this.visited) {
      txn = this.unmatched.get(full);
      if (!txn || txn.replyFrame !== 0) return;
      txn.replyFrame = frame;
      txn.rttNs = (ctx.frame.tsSec - txn.requestSec) * 1e9 + (ctx.frame.tsNsec - txn.requestNsec);
      this.matched.set(`${full}#${txn.requestFrame}`, txn);
      this.matched.set(`${full}#${frame}`, txn);
    } else {
      txn = this.matched.get(`${full}#${frame}`);
      if (!txn) return;
    }
    ctx.sink.add(F.respTo, 0, 0, txn.requestFrame, GENERATED);
    appendInfo(ctx, ` (request in ${txn.requestFrame})`);
    const ms = responseMs(ctx.frame.tsSec - txn.requestSec, ctx.frame.tsNsec - txn.requestNsec);
    ctx.sink.add(F.respTime, 0, 0, ms, GENERATED, ctx.sink.wantsText ? `[Response time: ${ms.toFixed(3)} ms]` : undefined);
  }

  /** Requests that never got a reply (lost pings). */
  unanswered(): EchoTxn[] {
    return this.all.filter((t) => t.replyFrame === 0);
  }
}

function appendInfo(ctx: DissectContext, text: string): void {
  if (ctx.wantsColumns && ctx.nested === 0) ctx.cols.info += text;
}

/**
 * Wireshark's nstime_to_msec of the normalised delta (secs*1000 + nsecs/1e6), kept to the 15
 * significant digits tshark prints for a double.
 */
export function responseMs(dSec: number, dNsec: number): number {
  let sec = dSec;
  let nsec = dNsec;
  if (nsec < 0 && sec > 0) {
    sec -= 1;
    nsec += 1e9;
  } else if (nsec > 0 && sec < 0) {
    sec += 1;
    nsec -= 1e9;
  }
  const ms = sec * 1000 + nsec / 1e6;
  return Number(ms.toPrecision(15));
}
