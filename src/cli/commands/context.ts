import type { PacketFilter } from '../../filter/types.js';

/** What every file command gets after argument parsing. */
export interface CommandContext {
  file: string;
  json: boolean;
  filter?: PacketFilter;
  /** -2: analyze the whole file first, print from a second pass (tshark -2). */
  twoPass?: boolean;
}
