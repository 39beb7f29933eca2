/**
 * Request ↔ response transactions behind DecodeHooks.transaction: DNS (and mDNS/LLMNR), ICMP and
 * ICMPv6 echo, HTTP. Each tracker adds Wireshark's generated link fields at the point where the
 * dissector calls the hook, and keeps the list of transactions for views (answered and not).
 * First pass: build; second pass (`beginSecondPass`, tshark -2): look up, so requests also show
 * forward links. Isomorphic.
 *
 * Keys by kind: 'dns' | 'mdns' | 'llmnr' — the transaction ID as decimal text (the conversation
 * is taken from the packet); 'icmp' | 'icmpv6' — an opaque string holding the address pair and
 * everything that must be equal for a reply to match (see icmp.ts echoKey); 'http' — see
 * http.ts (the full URI for requests, the status code for responses).
 */
import type { DissectContext } from '../../decode/context.js';
import { DnsTracker, type DnsTxn } from './dns.js';
import { EchoTracker, type EchoTxn } from './echo.js';
import { HttpTracker, type HttpPair } from './http.js';

export type { DnsTxn, EchoTxn, HttpPair };

export class TransactionTracker {
  readonly dns = new DnsTracker();
  readonly echo = new EchoTracker();
  readonly http = new HttpTracker();

  onTransaction(ctx: DissectContext, kind: string, key: string, isRequest: boolean): void {
    if (ctx.nested > 0) return;
    switch (kind) {
      case 'dns':
      case 'mdns':
      case 'llmnr': {
        const id = Number.parseInt(key, 10);
        if (Number.isFinite(id)) this.dns.onMessage(ctx, id, isRequest);
        break;
      }
      case 'icmp':
      case 'icmpv6':
        this.echo.onEcho(ctx, kind, key, isRequest);
        break;
      case 'http':
        this.http.onMessage(ctx, key, isRequest);
        break;
      default:
        break;
    }
  }

  beginSecondPass(): void {
    this.dns.beginSecondPass();
    this.echo.beginSecondPass();
    this.http.beginSecondPass();
  }
}
