import type { PacketFilter } from '../../filter/types.js';

/** What every file command gets after argument parsing. */
export interface CommandContext {
  file: string;
  json: boolean;
  filter?: PacketFilter;
}
