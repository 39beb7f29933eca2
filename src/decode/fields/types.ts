/**
 * The field registry: every decoded value has a Wireshark display-filter name (`ip.src`,
 * `tcp.analysis.retransmission`…) with Wireshark's meaning, a label for the detail tree and
 * a type that decides how it is printed (tshark -T fields) and compared (display filters).
 * Isomorphic: no node: imports.
 */

/** Mirrors Wireshark's ftypes closely enough to print and compare values the same way. */
export type FieldType =
  /** FT_NONE: a label or an expert marker; tshark prints the covered bytes as hex. */
  | 'none'
  /** FT_PROTOCOL: a protocol layer node (`ip`, `tcp`, `dns`). */
  | 'protocol'
  | 'bool'
  | 'uint'
  | 'int'
  | 'double'
  /** FT_STRING: text decoded from the packet (never trusted as markup). */
  | 'string'
  /** FT_BYTES: a byte string; tshark prints it as contiguous hex. */
  | 'bytes'
  /** FT_ETHER: 6-byte MAC address. */
  | 'ether'
  /** FT_IPv4: value is the address as an unsigned 32-bit number. */
  | 'ipv4'
  /** FT_IPv6: value is a 16-byte Uint8Array. */
  | 'ipv6'
  /** FT_ABSOLUTE_TIME: value is a Timestamp. */
  | 'abs_time'
  /** FT_RELATIVE_TIME: value is a signed number of nanoseconds. */
  | 'rel_time'
  /** FT_FRAMENUM: a frame number (1-based). */
  | 'framenum';

/** How integers are shown: tshark -T fields prints BASE_HEX as 0x + zero-padded digits. */
export type IntBase = 'dec' | 'hex' | 'oct' | 'dec_hex' | 'hex_dec';

export interface Timestamp {
  sec: number;
  nsec: number;
}

export type FieldValue = number | boolean | string | Uint8Array | Timestamp | null;

export interface FieldDef {
  /** Dense numeric id (index into registry arrays; fast lookups on hot paths). */
  readonly id: number;
  /** Wireshark display-filter name. */
  readonly name: string;
  /** Human label in the detail tree ("Source Address"). */
  readonly label: string;
  readonly type: FieldType;
  /** Integer display base (uint/int). Default 'dec'. */
  readonly base?: IntBase;
  /** Bit width for hex zero-padding and bitmask rendering (8, 16, 24, 32). */
  readonly bits?: number;
  /** For fields inside a bitfield: the mask within a `bits`-wide word (tree shows .1.. ....). */
  readonly bitmask?: number;
  /** Names of numeric values ("IPv4" for 0x0800) shown in the tree as `Name (0x0800)`. */
  readonly valueStrings?: Readonly<Record<number, string>>;
  /** For bool fields: the words shown for true/false in the tree ("Set"/"Not set"). */
  readonly trueFalse?: readonly [string, string];
  /** abs_time only: tshark prints 'epoch' seconds (frame.time_epoch) or a UTC date (frame.time). */
  readonly timeFormat?: 'epoch' | 'utc';
  /**
   * bytes only: the separator tshark prints between bytes (Wireshark's SEP_COLON etc.:
   * icmpv6.opt.linkaddr prints 02:00:00:00:00:0b); none by default.
   */
  readonly bytesSeparator?: ':' | '.' | '-' | ' ';
  /** One-line help for completion in the filter bar. */
  readonly blurb?: string;
}

export type FieldSpec = Omit<FieldDef, 'id'>;

const byName = new Map<string, FieldDef>();
const byId: FieldDef[] = [];

/**
 * Defines a field once (module load time). Defining the same name twice with the same type
 * returns the existing definition, so protocols that share names (ICMP's quoted `ip.*`) agree.
 */
export function defineField(spec: FieldSpec): FieldDef {
  const existing = byName.get(spec.name);
  if (existing) {
    if (existing.type !== spec.type) {
      throw new Error(`field ${spec.name} redefined as ${spec.type} (was ${existing.type})`);
    }
    return existing;
  }
  const def: FieldDef = Object.freeze({ ...spec, id: byId.length });
  byId.push(def);
  byName.set(def.name, def);
  return def;
}

/** Defines several fields sharing a name prefix; returns them keyed by the suffix. */
export function defineFields<K extends string>(
  prefix: string,
  specs: Record<K, Omit<FieldSpec, 'name'>>,
): Record<K, FieldDef> {
  const out = {} as Record<K, FieldDef>;
  for (const key of Object.keys(specs) as K[]) {
    out[key] = defineField({ ...specs[key], name: `${prefix}.${key}` });
  }
  return out;
}

export function defineProtocol(name: string, label: string): FieldDef {
  return defineField({ name, label, type: 'protocol' });
}

export function lookupField(name: string): FieldDef | undefined {
  return byName.get(name);
}

export function fieldById(id: number): FieldDef {
  return byId[id];
}

export function fieldCount(): number {
  return byId.length;
}

export function allFields(): readonly FieldDef[] {
  return byId;
}
