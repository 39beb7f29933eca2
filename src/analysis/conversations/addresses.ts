/**
 * Compact numeric identities for addresses and transport endpoints, so conversation tables
 * are Maps keyed by numbers (no string building per packet for IPv4):
 *  - address id: an IPv4 address is its own 32-bit value; an IPv6 address gets 2^32 + n,
 *    n being its order of first appearance (interned once);
 *  - endpoint key: address id × 65536 + port (< 2^49, exact in a double).
 * Isomorphic.
 */
import { formatIPv4, formatIPv6 } from '../../decode/fields/format.js';
import type { DissectContext } from '../../decode/context.js';

const V6_BASE = 2 ** 32;

export class AddressBook {
  private readonly v6Ids = new Map<string, number>();
  private readonly v6Addrs: Uint8Array[] = [];

  /** Id of an IPv4 address (the address itself). */
  v4(addr: number): number {
    return addr >>> 0;
  }

  /** Id of an IPv6 address (interned; the bytes are copied only the first time). */
  v6(addr: Uint8Array): number {
    // Eight 16-bit code units: a short string key without hex formatting.
    let key = '';
    for (let i = 0; i < 16; i += 2) key += String.fromCharCode((addr[i] << 8) | addr[i + 1]);
    let id = this.v6Ids.get(key);
    if (id === undefined) {
      id = V6_BASE + this.v6Addrs.length;
      this.v6Ids.set(key, id);
      this.v6Addrs.push(addr.slice(0, 16));
    }
    return id;
  }

  isV6(id: number): boolean {
    return id >= V6_BASE;
  }

  /** Text of an address id: dotted quad or RFC 5952 IPv6. */
  text(id: number): string {
    return id >= V6_BASE ? formatIPv6(this.v6Addrs[id - V6_BASE]) : formatIPv4(id);
  }

  /** Text of an endpoint key: "192.0.2.1:80" or "[2001:db8::1]:80". */
  endpointText(key: number): string {
    const id = Math.floor(key / 65536);
    const port = key % 65536;
    return id >= V6_BASE ? `[${this.text(id)}]:${port}` : `${this.text(id)}:${port}`;
  }
}

export function endpointKey(addrId: number, port: number): number {
  return addrId * 65536 + port;
}

export function addrIdOf(key: number): number {
  return Math.floor(key / 65536);
}

export function portOf(key: number): number {
  return key % 65536;
}

/** Scratch result of `packetAddresses` (reused; read it before the next call). */
export interface AddressPair {
  src: number;
  dst: number;
}

/**
 * The source and destination address ids of the transport header being dissected: Wireshark's
 * pinfo->src/dst (ctx.net, the innermost IP header, also inside ICMP errors), falling back to
 * ctx.meta's outermost IP header when the IP dissector did not fill ctx.net. False when the
 * addresses are not known (a quoted header without ctx.net, or no IP layer).
 */
export function packetAddresses(ctx: DissectContext, book: AddressBook, out: AddressPair): boolean {
  const net = ctx.net;
  if (net && net.version === 4) {
    out.src = book.v4(net.v4Src);
    out.dst = book.v4(net.v4Dst);
    return true;
  }
  if (net && net.version === 6 && net.v6Src && net.v6Dst) {
    out.src = book.v6(net.v6Src);
    out.dst = book.v6(net.v6Dst);
    return true;
  }
  if (ctx.nested) return false;
  const m = ctx.meta;
  if (m.ipVersion === 4) {
    out.src = book.v4(m.ip4Src);
    out.dst = book.v4(m.ip4Dst);
    return true;
  }
  if (m.ipVersion === 6 && m.ip6Src && m.ip6Dst) {
    out.src = book.v6(m.ip6Src);
    out.dst = book.v6(m.ip6Dst);
    return true;
  }
  return false;
}
