/** The contract between display filters (src/filter) and the packet loops that run them. */
import type { FieldDef, Occurrences } from '../decode/index.js';
import type { TypedExpr } from './typed.js';

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
  /**
   * The checked expression: names resolved, literals parsed. Planners walk it (`walkFilter`,
   * `splitForIndex`) to answer parts of the filter from a packet index without decoding.
   */
  readonly ast: TypedExpr;
  /**
   * True when `matches` reads `packet.bytes` (a protocol's value, e.g. `frame contains "x"`,
   * `eth[0:3] == …`); false when the field occurrences alone decide, so a source of
   * occurrences that is not a decoded frame (a packet index) can run it.
   */
  readonly readsBytes: boolean;
}
