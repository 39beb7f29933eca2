/**
 * Compact integer identities for addresses and transport endpoints, so conversation tables are
 * keyed by 32-bit integers (TupleTable) and a lookup per packet allocates nothing:
 *  - an IPv4 address is its own 32-bit value; an IPv6 address is interned once and gets its
 *    index n (order of first appearance);
 *  - an endpoint is (address word, port word) where port word = port | V6_FLAG for IPv6, so an
 *    IPv4 address and an IPv6 index never collide.
 * Isomorphic.
 */
import { formatIPv4, formatIPv6 } from '../../decode/fields/format.js';
import type { DissectContext } from '../../decode/context.js';
import { TupleTable } from './tuple-table.js';

/** Port-word bit marking an IPv6 endpoint (the address word is an interned index). */
export const V6_FLAG = 0x10000;

function word(b: Uint8Array, i: number): number {
  return (b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3];
}

export class AddressBook {
  private readonly v6Table = new TupleTable(64);
  private readonly v6Addrs: Uint8Array[] = [];

  /** Index of an IPv6 address (the bytes are copied only the first time it is seen). */
  v6(addr: Uint8Array): number {
    const a = word(addr, 0);
    const b = word(addr, 4);
    const c = word(addr, 8);
    const d = word(addr, 12);
    let id = this.v6Table.get(a, b, c, d);
    if (id < 0) {
      id = this.v6Addrs.length;
      this.v6Addrs.push(addr.slice(0, 16));
      this.v6Table.set(a, b, c, d, id);
    }
    return id;
  }

  /** Text of an address word: dotted quad, or RFC 5952 IPv6 when `v6`. */
  text(addr: number, v6: boolean): string {
    return v6 ? formatIPv6(this.v6Addrs[addr]) : formatIPv4(addr >>> 0);
  }

  /** Text of an endpoint: "192.0.2.1:80" or "[2001:db8::1]:80". */
  endpointText(addr: number, portWord: number): string {
    const port = portWord & 0xffff;
    return portWord & V6_FLAG ? `[${this.text(addr, true)}]:${port}` : `${this.text(addr, false)}:${port}`;
  }
}

/** Scratch result of `packetAddresses` (reused; read it before the next call). */
export interface AddressPair {
  src: number;
  dst: number;
  /** 0 for IPv4, V6_FLAG for IPv6: OR it into the port words. */
  family: number;
}

/**
 * The source and destination address words of the transport header being dissected:
 * Wireshark's pinfo->src/dst (ctx.net, the innermost IP header, also inside ICMP errors),
 * falling back to ctx.meta's outermost IP header when the IP dissector did not fill ctx.net.
 * False when the addresses are not known (a quoted header without ctx.net, or no IP layer).
 */
export function packetAddresses(ctx: DissectContext, book: AddressBook, out: AddressPair): boolean {
  const net = ctx.net;
  if (net.version === 4) {
    out.src = net.v4Src;
    out.dst = net.v4Dst;
    out.family = 0;
    return true;
  }
  if (net.version === 6 && net.v6Src && net.v6Dst) {
    out.src = book.v6(net.v6Src);
    out.dst = book.v6(net.v6Dst);
    out.family = V6_FLAG;
    return true;
  }
  if (ctx.nested) return false;
  const m = ctx.meta;
  if (m.ipVersion === 4) {
    out.src = m.ip4Src;
    out.dst = m.ip4Dst;
    out.family = 0;
    return true;
  }
  if (m.ipVersion === 6 && m.ip6Src && m.ip6Dst) {
    out.src = book.v6(m.ip6Src);
    out.dst = book.v6(m.ip6Dst);
    out.family = V6_FLAG;
    return true;
  }
  return false;
}
