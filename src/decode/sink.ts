/**
 * Decoders never build objects they were not asked for: they report every field to a
 * FieldSink. The TreeSink builds the detail tree (detail pane, `getPacket`); the FieldCollector
 * keeps only the fields a `wirescope fields` run or a display filter needs, so the bulk paths
 * allocate almost nothing per packet. Isomorphic.
 */
import type { FieldDef, FieldValue } from './fields/types.js';
import type { DataSource } from './context.js';

/** Node flags. */
export const GENERATED = 1;
/** Present for filters and `-e`, not shown in the tree (Wireshark's hidden items: ip.addr…). */
export const HIDDEN = 2;

/** Severity of an expert note, as Wireshark's expert info. */
export type ExpertSeverity = 'chat' | 'note' | 'warn' | 'error';

export interface ExpertNote {
  severity: ExpertSeverity;
  /** Group like Wireshark's: 'sequence', 'malformed', 'checksum', 'protocol', … */
  group: string;
  message: string;
}

export interface FieldSink {
  /** False when nobody reads labels: decoders may skip building `text`. */
  readonly wantsText: boolean;
  /** A leaf field. `text` overrides the whole tree line. */
  add(def: FieldDef, offset: number, length: number, value: FieldValue, flags?: number, text?: string): void;
  /** Starts a subtree whose node is this field; children follow until `close`. */
  open(def: FieldDef, offset: number, length: number, value: FieldValue, flags?: number, text?: string): void;
  /** Ends the innermost open subtree; `length`, when given, replaces the node's length. */
  close(length?: number): void;
  /** Attaches an expert note to the most recently added or opened node. */
  expert(note: ExpertNote): void;
  /**
   * Adds a field to the frame's top node after the rest of the packet was dissected
   * (frame.protocols is only known at the end).
   */
  addToFrame(def: FieldDef, offset: number, length: number, value: FieldValue, flags?: number, text?: string): void;
  /**
   * Optional: whether this sink keeps `def` at all. Decoders ask before building values that
   * cost an allocation (`ip.src_host` strings …); absent means yes.
   */
  wants?(def: FieldDef): boolean;
  /**
   * Optional: the offsets of the following nodes are relative to `source.bytes` (a reassembled
   * datagram), or to the frame again when null. See DissectContext.withSource.
   */
  setSource?(source: DataSource | null): void;
}

export interface FieldNode {
  def: FieldDef;
  offset: number;
  length: number;
  value: FieldValue;
  flags: number;
  text?: string;
  expert?: ExpertNote;
  children?: FieldNode[];
  /** Set when offset/length point into a reassembled data source instead of the frame. */
  source?: DataSource;
}

/** Builds the full field tree. The frame bytes must outlive the tree (values may view them). */
export class TreeSink implements FieldSink {
  readonly wantsText = true;
  readonly roots: FieldNode[] = [];
  private readonly stack: FieldNode[] = [];
  private last: FieldNode | undefined;
  /** Data sources other than the frame that nodes point into (Wireshark's extra bytes tabs). */
  readonly sources: DataSource[] = [];
  private current: DataSource | null = null;

  setSource(source: DataSource | null): void {
    this.current = source;
    if (source && !this.sources.includes(source)) this.sources.push(source);
  }

  private push(node: FieldNode): void {
    if (this.current) node.source = this.current;
    const parent = this.stack[this.stack.length - 1];
    if (parent) (parent.children ??= []).push(node);
    else this.roots.push(node);
    this.last = node;
  }

  add(def: FieldDef, offset: number, length: number, value: FieldValue, flags = 0, text?: string): void {
    const node: FieldNode = { def, offset, length, value, flags };
    if (text !== undefined) node.text = text;
    this.push(node);
  }

  open(def: FieldDef, offset: number, length: number, value: FieldValue, flags = 0, text?: string): void {
    this.add(def, offset, length, value, flags, text);
    this.stack.push(this.last!);
  }

  close(length?: number): void {
    const node = this.stack.pop();
    if (node && length !== undefined) node.length = length;
  }

  expert(note: ExpertNote): void {
    if (this.last) this.last.expert = note;
  }

  addToFrame(def: FieldDef, offset: number, length: number, value: FieldValue, flags = 0, text?: string): void {
    const frame = this.roots[0];
    const node: FieldNode = { def, offset, length, value, flags };
    if (text !== undefined) node.text = text;
    if (this.current) node.source = this.current;
    if (frame) (frame.children ??= []).push(node);
    else this.roots.push(node);
  }
}

/** One field's occurrences in the current packet, in tree order. */
export interface Occurrences {
  count: number;
  values: FieldValue[];
  offsets: number[];
  lengths: number[];
  texts: (string | undefined)[];
  /** The bytes offsets[k] points into when not the frame (reassembled datagram), else null. */
  sources: (Uint8Array | null)[];
}

/**
 * Collects only the wanted fields. Reset per packet; the arrays are reused, so values must be
 * consumed (formatted or compared) before the next packet.
 */
export class FieldCollector implements FieldSink {
  readonly wantsText: boolean;
  /** Indexed by field id: slot number, or -1 when not wanted. */
  private readonly slotOf: Int32Array;
  readonly slots: Occurrences[];
  readonly defs: FieldDef[];
  /**
   * Open subtrees, innermost last: slot × 65536 + occurrence, or -1 for a field not kept. A
   * typed array with a depth: emptying a plain array per packet (length = 0) frees its backing
   * store, and the next push allocates a new one — on every packet of the bulk paths.
   */
  private openStack = new Int32Array(32);
  private openDepth = 0;

  constructor(defs: FieldDef[], fieldCount: number, wantsText = false) {
    this.defs = defs;
    this.wantsText = wantsText || defs.some((d) => d.type === 'protocol');
    this.slotOf = new Int32Array(Math.max(fieldCount, 1)).fill(-1);
    this.slots = defs.map(() => ({ count: 0, values: [], offsets: [], lengths: [], texts: [], sources: [] }));
    defs.forEach((d, i) => {
      if (this.slotOf[d.id] === -1) this.slotOf[d.id] = i;
    });
    // Several requested columns may name the same field: they share the first slot's data.
    this.aliases = defs.map((d) => this.slotOf[d.id]);
  }

  /** For each requested column, the slot that holds its data. */
  readonly aliases: number[];

  private source: Uint8Array | null = null;

  reset(): void {
    for (const s of this.slots) s.count = 0;
    this.openDepth = 0;
    this.source = null;
  }

  wants(def: FieldDef): boolean {
    return def.id < this.slotOf.length && this.slotOf[def.id] >= 0;
  }

  setSource(source: DataSource | null): void {
    this.source = source ? source.bytes : null;
  }

  /** Occurrences for requested column i. */
  column(i: number): Occurrences {
    return this.slots[this.aliases[i]];
  }

  private static readonly none: Occurrences = { count: 0, values: [], offsets: [], lengths: [], texts: [], sources: [] };

  /** Occurrences of a field (count 0 when it was not requested or is absent). */
  get(def: FieldDef): Occurrences {
    const slot = def.id < this.slotOf.length ? this.slotOf[def.id] : -1;
    return slot < 0 ? FieldCollector.none : this.slots[slot];
  }

  add(def: FieldDef, offset: number, length: number, value: FieldValue, _flags?: number, text?: string): void {
    const slot = def.id < this.slotOf.length ? this.slotOf[def.id] : -1;
    if (slot < 0) return;
    const s = this.slots[slot];
    const n = s.count++;
    s.values[n] = value;
    s.offsets[n] = offset;
    s.lengths[n] = length;
    s.texts[n] = text;
    s.sources[n] = this.source;
  }

  open(def: FieldDef, offset: number, length: number, value: FieldValue, flags?: number, text?: string): void {
    this.add(def, offset, length, value, flags, text);
    const slot = def.id < this.slotOf.length ? this.slotOf[def.id] : -1;
    if (this.openDepth === this.openStack.length) {
      const grown = new Int32Array(this.openStack.length * 2);
      grown.set(this.openStack);
      this.openStack = grown;
    }
    this.openStack[this.openDepth++] = slot < 0 ? -1 : slot * 65536 + this.slots[slot].count - 1;
  }

  close(length?: number): void {
    if (this.openDepth === 0) return;
    const key = this.openStack[--this.openDepth];
    if (key < 0 || length === undefined) return;
    const slot = Math.floor(key / 65536);
    this.slots[slot].lengths[key % 65536] = length;
  }

  expert(): void {}

  addToFrame(def: FieldDef, offset: number, length: number, value: FieldValue, flags?: number, text?: string): void {
    this.add(def, offset, length, value, flags, text);
  }
}

/** Discards everything: for passes that need only the packet summary (index, analysis). */
export class NullSink implements FieldSink {
  readonly wantsText = false;
  add(): void {}
  open(): void {}
  close(): void {}
  expert(): void {}
  addToFrame(): void {}
  wants(): boolean {
    return false;
  }
}

/**
 * `bytes[start, end)` as the value of a `def` node, or null when the sink does not keep `def`
 * at all: a view costs an allocation, and the index pass builds several per TCP segment
 * (options, NOPs, payload) that nobody reads.
 */
export function bytesValue(sink: FieldSink, def: FieldDef, bytes: Uint8Array, start: number, end: number): Uint8Array | null {
  return sink.wants === undefined || sink.wants(def) ? bytes.subarray(start, end) : null;
}

const interest = new WeakMap<FieldSink, Map<readonly FieldDef[], boolean>>();

/**
 * Whether the sink keeps any field of `group` (a constant array): lets a decoder skip building
 * values nobody reads on the hot path (`wirescope fields` asks for a dozen fields). Cached per
 * sink, whose wanted set does not change; text sinks (the detail tree) want everything.
 */
export function wantsAny(sink: FieldSink, group: readonly FieldDef[]): boolean {
  if (sink.wantsText || !sink.wants) return true;
  let bySink = interest.get(sink);
  if (!bySink) {
    bySink = new Map();
    interest.set(sink, bySink);
  }
  let wanted = bySink.get(group);
  if (wanted === undefined) {
    wanted = group.some((d) => sink.wants!(d));
    bySink.set(group, wanted);
  }
  return wanted;
}
