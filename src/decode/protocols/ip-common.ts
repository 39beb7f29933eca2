/**
 * Pieces IPv4 and IPv6 share: the reassembled-fragments subtree, payload dispatch by protocol
 * number (unknown ones as data with Wireshark's "Unknown (253)" Info), and bit-pattern text for
 * tree lines Wireshark formats itself. Isomorphic.
 */
import type { DissectContext } from '../context.js';
import type { FieldDef } from '../fields/types.js';
import { ipProtocols } from '../registry.js';
import { GENERATED } from '../sink.js';
import { dissectData } from './data.js';
import { ipProtocolName } from './ip-names.js';
import type { ReassembledDatagram } from './ip-reassembly.js';

/**
 * The TTL / hop limit of the IP header whose payload is being dissected (Wireshark hands ICMP
 * its `ws_ip` for the "ttl=64" in the echo Info), and for IPv6 the final destination a routing
 * header names (RFC 8200 §8.1: the upper-layer checksum uses it). Set by IPv4/IPv6 just before
 * dispatching.
 */
export const lastIpHeader = { ttl: 0, finalDst: null as Uint8Array | null };

/** The fragment-set fields IPv4 and IPv6 have in common (ip.fragment… / ipv6.fragment…). */
export interface FragmentFieldSet {
  fragment: FieldDef;
  fragments: FieldDef;
  fragmentCount: FieldDef;
  fragmentOverlap: FieldDef;
  fragmentConflict: FieldDef;
  fragmentMultipleTails: FieldDef;
  fragmentTooLong: FieldDef;
  reassembledLength: FieldDef;
  reassembledData: FieldDef;
}

/** "...0 0000 1011 1001" for `value` under `mask` in a `bits`-wide word. */
export function bitsText(value: number, mask: number, bits: number): string {
  let out = '';
  for (let i = bits - 1; i >= 0; i--) {
    const bit = 2 ** i;
    out += Math.floor(mask / bit) % 2 ? (Math.floor(value / bit) % 2 ? '1' : '0') : '.';
    if (i % 4 === 0 && i > 0) out += ' ';
  }
  return out;
}

/**
 * Adds the reassembled-fragments subtree (in the reassembled data source, where the offsets of
 * each fragment's payload are meaningful). Shared by IPv4 and IPv6.
 */
export function addFragmentTree(ctx: DissectContext, f: FragmentFieldSet, what: string, done: ReassembledDatagram): void {
  const { sink } = ctx;
  const text = sink.wantsText;
  const total = done.data.length;
  let nodeText: string | undefined;
  if (text) {
    nodeText = `${done.pieces.length} ${what} Fragments (${total} bytes): ` +
      done.pieces.map((p) => `#${p.frame}(${p.length})`).join(', ');
  }
  sink.open(f.fragments, 0, total, done.data, 0, nodeText);
  for (const p of done.pieces) {
    // A piece past the datagram's end (another tail claimed less) points at the end, empty.
    const at = Math.min(p.offset, total);
    const shown = Math.max(0, Math.min(p.length, total - at));
    let line: string | undefined;
    if (text) {
      line = `Frame: ${p.frame}, payload: ${p.offset}-${p.offset + p.length - 1} (${p.length} bytes)`;
      if (p.overlap) line += p.conflict ? ', overlap, conflict' : ', overlap';
      if (p.tooLong) line += ', too long';
    }
    const flagged = p.overlap || p.tooLong;
    if (flagged) sink.open(f.fragment, at, shown, p.frame, 0, line);
    else sink.add(f.fragment, at, shown, p.frame, 0, line);
    if (flagged) {
      if (p.overlap) sink.add(f.fragmentOverlap, at, 0, true, GENERATED);
      if (p.conflict) sink.add(f.fragmentConflict, at, 0, true, GENERATED);
      if (p.tooLong) sink.add(f.fragmentTooLong, at, 0, true, GENERATED);
      sink.close();
    }
  }
  if (done.multipleTails) sink.add(f.fragmentMultipleTails, 0, 0, true, GENERATED);
  sink.add(f.fragmentCount, 0, 0, done.pieces.length, GENERATED);
  sink.add(f.reassembledLength, 0, 0, total, GENERATED);
  sink.add(f.reassembledData, 0, total, done.data);
  sink.close();
}

/** Hands an IP payload to its protocol (or data, with Wireshark's "Unknown (253)" Info). */
export function dispatchIpPayload(ctx: DissectContext, proto: number, offset: number, end: number): void {
  const next = ipProtocols.get(proto);
  if (next) {
    next(ctx, offset, end);
    return;
  }
  dissectData(ctx, offset, end);
  ctx.setInfo(`${ipProtocolName(proto)} (${proto})`);
}

