/** The contract between display filters (src/filter) and the packet loops that run them. */
import type { FieldDef, Occurrences } from '../decode/index.js';

/** What a filter can read about the packet being tested. */
export interface PacketFields {
  /** The occurrences of a field in this packet (count 0 when absent). */
  get(def: FieldDef): Occurrences;
  /** The frame bytes (for slices and FT_NONE/protocol byte comparisons). */
  readonly bytes: Uint8Array;
}

export interface PacketFilter {
  /** The expression as the user typed it. */
  readonly text: string;
  /** Fields whose values the filter reads: the caller's collector must gather them. */
  readonly fields: readonly FieldDef[];
  matches(packet: PacketFields): boolean;
}
