/**
 * The fast path for display filters that only ask what the index already knows: the filters
 * the UI itself builds (Follow Stream's `tcp.stream eq 3`, conversation filters, analysis
 * flags, protocol names, frame ranges) and any combination of them. The filter module parses
 * and compiles them as usual (so the language and its semantics are exactly the decoding
 * path's: any/all, sets, ranges, functions); its predicate reads field occurrences, which
 * come here from the index columns instead of a decoded packet. Filters that need anything
 * else go to the decoding pass (src/filter/plan.ts: answerableBy).
 */
import { ANALYSIS_FLAG_FIELDS, AnalysisFlag } from '../api/flags.js';
import { lookupField, type FieldDef, type FieldValue, type Occurrences } from '../decode/index.js';
import { answerableBy, compileChecked, parseFilter, type PacketFields } from '../filter/index.js';
import { IndexBit, type PacketIndex } from './packet-index.js';

export type IndexPredicate = (index: PacketIndex, i: number) => boolean;

export interface IndexFilter {
  predicate: IndexPredicate;
}

/** How one field's occurrences are produced from the index. */
type Source = (ix: PacketIndex, i: number, out: Occurrences) => void;

/** Protocols whose presence is read from the packet's frame.protocols chain. */
const CHAIN_PROTOCOLS = [
  'eth', 'ethertype', 'vlan', 'llc', 'sll', 'null', 'arp', 'ip', 'ipv6', 'icmp', 'icmpv6', 'tcp', 'udp', 'dns', 'http', 'data',
];

function one(out: Occurrences, value: FieldValue): void {
  out.count = 1;
  out.values[0] = value;
  out.offsets[0] = 0;
  out.lengths[0] = 0;
  out.texts[0] = undefined;
  out.sources[0] = null;
}

function streamSource(kind: 'tcp' | 'udp'): Source {
  const bit = kind === 'tcp' ? IndexBit.TCP : IndexBit.UDP;
  return (ix, i, out) => {
    out.count = 0;
    const push = (v: number): void => {
      const k = out.count++;
      out.values[k] = v;
      out.offsets[k] = 0;
      out.lengths[k] = 0;
      out.texts[k] = undefined;
      out.sources[k] = null;
    };
    if ((ix.flags[i] & bit) && ix.stream[i] >= 0) push(ix.stream[i]);
    // ICMP errors quoting a TCP/UDP header carry its stream as a further occurrence.
    const nested = ix.nestedStreams.get(i);
    if (nested) for (const n of nested) if (n.kind === kind) push(n.stream);
  };
}

function flagSource(mask: number): Source {
  return (ix, i, out) => {
    if (ix.flags[i] & mask) one(out, null);
    else out.count = 0;
  };
}

function chainSource(name: string): Source {
  // Chain ids are per capture: one cache per index.
  const caches = new WeakMap<PacketIndex, Map<number, number>>();
  return (ix, i, out) => {
    let perChain = caches.get(ix);
    if (!perChain) caches.set(ix, (perChain = new Map()));
    const id = ix.chain[i];
    let n = perChain.get(id);
    if (n === undefined) {
      n = ix.chains.get(id).split(':').filter((p) => p === name).length;
      perChain.set(id, n);
    }
    out.count = n;
    for (let k = 0; k < n; k++) {
      out.values[k] = null;
      out.offsets[k] = 0;
      out.lengths[k] = 0;
      out.texts[k] = undefined;
      out.sources[k] = null;
    }
  };
}

let sources: Map<FieldDef, Source> | null = null;

/** The fields the index answers (built once the decoders and the analysis defined them). */
function indexSources(): Map<FieldDef, Source> {
  if (sources) return sources;
  const map = new Map<FieldDef, Source>();
  const add = (name: string, source: Source): void => {
    const def = lookupField(name);
    if (def) map.set(def, source);
  };
  add('frame.number', (_ix, i, out) => one(out, i + 1));
  add('frame.len', (ix, i, out) => one(out, ix.origLen[i]));
  add('frame.cap_len', (ix, i, out) => one(out, ix.capLen[i]));
  add('tcp.stream', streamSource('tcp'));
  add('udp.stream', streamSource('udp'));
  add('tcp.analysis.flags', flagSource(IndexBit.ANALYSIS_FLAGS));
  for (const [bit, name] of ANALYSIS_FLAG_FIELDS) {
    // Wireshark adds the retransmission item to fast and spurious retransmissions as well.
    const mask = name === 'tcp.analysis.retransmission'
      ? AnalysisFlag.RETRANSMISSION | AnalysisFlag.FAST_RETRANSMISSION | AnalysisFlag.SPURIOUS_RETRANSMISSION
      : bit;
    add(name, flagSource(mask));
  }
  for (const p of CHAIN_PROTOCOLS) add(p, chainSource(p));
  if (map.size > 0) sources = map;
  return map;
}

/** PacketFields over the index row of packet i (reused: one packet at a time). */
class IndexPacketFields implements PacketFields {
  ix!: PacketIndex;
  i = 0;
  readonly bytes = new Uint8Array(0);
  private readonly occ = new Map<FieldDef, Occurrences>();

  constructor(private readonly sources: Map<FieldDef, Source>) {}

  get(def: FieldDef): Occurrences {
    let out = this.occ.get(def);
    if (!out) {
      out = { count: 0, values: [], offsets: [], lengths: [], texts: [], sources: [] };
      this.occ.set(def, out);
    }
    const source = this.sources.get(def);
    if (source) source(this.ix, this.i, out);
    else out.count = 0;
    return out;
  }
}

/** A predicate over the index equivalent to the expression, or null when it needs decoding. */
export function compileIndexFilter(expression: string): IndexFilter | null {
  const parsed = parseFilter(expression);
  if (!parsed.ok || parsed.ast.kind === 'true') return null;
  const map = indexSources();
  if (!answerableBy(parsed.ast, (def) => map.has(def))) return null;
  const filter = compileChecked(parsed.ast, expression);
  const fields = new IndexPacketFields(map);
  return {
    predicate: (ix, i) => {
      fields.ix = ix;
      fields.i = i;
      return filter.matches(fields);
    },
  };
}
