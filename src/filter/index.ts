/** Display filters: Wireshark's language compiled to predicates over collected fields. */
import type { PacketFilter } from './types.js';

export type { PacketFilter, PacketFields } from './types.js';

export interface FilterError {
  message: string;
  /** Character range of the problem in the expression. */
  start: number;
  end: number;
}

export type CompileResult = { ok: true; filter: PacketFilter } | { ok: false; error: FilterError };

export function compileFilter(text: string): CompileResult {
  return { ok: false, error: { message: `display filters are not implemented yet ("${text}")`, start: 0, end: text.length } };
}
