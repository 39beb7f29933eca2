/**
 * Dispatch is data (§4): one table per key, plus ordered heuristics. Protocol modules register
 * themselves when imported by src/decode/index.ts. Isomorphic.
 */
import type { DissectContext, Dissector } from './context.js';

export type DispatchTable = Map<number, Dissector>;

export const linkTypes: DispatchTable = new Map();
export const etherTypes: DispatchTable = new Map();
export const ipProtocols: DispatchTable = new Map();
export const tcpPorts: DispatchTable = new Map();
export const udpPorts: DispatchTable = new Map();

/** A heuristic looks at the payload and returns true when it took it. */
export type Heuristic = (ctx: DissectContext, offset: number, end: number) => boolean;
export const tcpHeuristics: Heuristic[] = [];
export const udpHeuristics: Heuristic[] = [];

/**
 * Port dispatch in Wireshark's order: the lower port first, then the higher, then heuristics;
 * returns false when nothing took the payload (the caller then shows it as data).
 */
export function dispatchByPorts(
  table: DispatchTable,
  heuristics: Heuristic[],
  ctx: DissectContext,
  srcPort: number,
  dstPort: number,
  offset: number,
  end: number,
): boolean {
  const low = Math.min(srcPort, dstPort);
  const high = Math.max(srcPort, dstPort);
  const first = table.get(low) ?? table.get(high);
  if (first) {
    first(ctx, offset, end);
    return true;
  }
  for (const h of heuristics) if (h(ctx, offset, end)) return true;
  return false;
}
