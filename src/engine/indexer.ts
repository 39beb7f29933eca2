/**
 * The first pass over a capture: decode + analyze every packet once, in file order (the
 * analysis needs it), and append one index slot per packet. Used for files and for live
 * captures alike (live packets arrive as pcapng records from the capture helper and take the
 * same path). The decoders report to a FieldCollector that gathers only the handful of fields
 * the index needs (analysis flags, udp.stream, ICMP types, TTL for the coloring rules).
 */
import type { PacketRecord } from '../capture/types.js';
import { createAnalyzer, type FrameBytes } from '../analysis/index.js';
import {
  decodePacket, DecodeSession, FieldCollector, fieldCount, lookupField, type DissectContext, type FieldDef,
} from '../decode/index.js';
import { AnalysisFlag, COLOR_RULES, TCP_ANALYSIS_MASK, type ColorRule } from '../api/flags.js';
import { IndexBit, PacketIndex, type IndexEntry } from './packet-index.js';

const LINKTYPE_ETHERNET = 1;
type NestedStream = { kind: 'tcp' | 'udp'; stream: number };
const SEVERITY: Record<string, number> = { chat: 1, note: 2, warn: 3, error: 4 };

/** Fields the index reads from the decoders, looked up by name (absent ones are skipped). */
interface IndexFields {
  tcpStream: FieldDef | undefined;
  udpStream: FieldDef | undefined;
  icmpType: FieldDef | undefined;
  icmpv6Type: FieldDef | undefined;
  ipTtl: FieldDef | undefined;
}

function lookupIndexFields(): IndexFields {
  return {
    tcpStream: lookupField('tcp.stream'),
    udpStream: lookupField('udp.stream'),
    icmpType: lookupField('icmp.type'),
    icmpv6Type: lookupField('icmpv6.type'),
    ipTtl: lookupField('ip.ttl'),
  };
}

/** Facts about a frame.protocols chain, computed once per distinct chain. */
const CHAIN_ARP = 1;
const CHAIN_ICMP = 2;
const CHAIN_HTTP = 4;
const CHAIN_PIM_OSPF = 8;
const CHAIN_VRRP = 16;

function chainFacts(chain: string): number {
  const parts = chain.split(':');
  let f = 0;
  for (const p of parts) {
    if (p === 'arp') f |= CHAIN_ARP;
    else if (p === 'icmp' || p === 'icmpv6') f |= CHAIN_ICMP;
    else if (p === 'http' || p === 'http2') f |= CHAIN_HTTP;
    else if (p === 'pim' || p === 'ospf') f |= CHAIN_PIM_OSPF;
    else if (p === 'vrrp' || p === 'carp') f |= CHAIN_VRRP;
  }
  return f;
}

const COLOR_ID = new Map<ColorRule, number>(COLOR_RULES.map((r, i) => [r, i]));
const colorId = (r: ColorRule): number => COLOR_ID.get(r)!;
const C_BAD_TCP = colorId('bad-tcp');
const C_ICMP_ERROR = colorId('icmp-error');
const C_ARP = colorId('arp');
const C_ICMP = colorId('icmp');
const C_RST = colorId('tcp-rst');
const C_TTL = colorId('ttl-low');
const C_HTTP = colorId('http');
const C_SYN_FIN = colorId('tcp-syn-fin');
const C_TCP = colorId('tcp');
const C_UDP = colorId('udp');
const C_BROADCAST = colorId('broadcast');
const C_NONE = colorId('none');

const NOT_BAD = AnalysisFlag.WINDOW_UPDATE | AnalysisFlag.KEEP_ALIVE | AnalysisFlag.KEEP_ALIVE_ACK;

export interface IndexerOptions {
  /**
   * Reads `len` bytes of the capture file at `position` into `out` at `outAt` (false when it
   * cannot). With it, reassembly data waiting for more is read back from the file instead of
   * being kept in memory (see TcpDesegmenter's frameBytes).
   */
  readFile?: (position: number, len: number, out: Uint8Array, outAt: number) => boolean;
}

export class PacketIndexer {
  readonly index = new PacketIndex();
  private readonly fields = lookupIndexFields();
  private readonly collector: FieldCollector;
  private readonly session: DecodeSession;
  /**
   * The first-pass analysis of the whole capture (transactions, stream summaries). Nothing
   * replays it as a second pass (detail views and filters build their own analyzers), so its
   * reassembly may forget a PDU's fragment list once the PDU was dissected: otherwise one record
   * per TCP segment of every reassembled PDU stays for the life of the capture.
   */
  readonly analyzer: ReturnType<typeof createAnalyzer>;
  /** The record being indexed (its bytes are not in the index yet). */
  private current: PacketRecord | null = null;
  private readonly chainFactCache: number[] = [];
  private lastCtx: DissectContext | undefined;
  private readonly chainText = new ChainText();
  private readonly entry: IndexEntry = {
    dataOffset: 0, capLen: 0, origLen: 0, tsSec: 0, tsNsec: 0, iface: 0, protocol: '', source: '',
    destination: '', srcPort: 0, dstPort: 0, stream: -1, flags: 0, color: 0, expert: 0, chain: '', info: '',
  };

  constructor(opts: IndexerOptions = {}) {
    const readFile = opts.readFile;
    this.analyzer = createAnalyzer({ singlePass: true, ...(readFile ? { frameBytes: this.frameBytes(readFile) } : {}) });
    const f = this.fields;
    const wanted = [f.tcpStream, f.udpStream, f.icmpType, f.icmpv6Type, f.ipTtl]
      .filter((d): d is FieldDef => d !== undefined);
    this.collector = new FieldCollector(wanted, fieldCount());
    this.session = new DecodeSession(this.analyzer.hooks);
  }

  /** Decodes, analyzes and indexes one record (records must come in file order). */
  add(rec: PacketRecord): number {
    const collector = this.collector;
    collector.reset();
    this.current = rec;
    // Nothing keeps the previous packet's context past add(): it is recycled.
    const ctx = decodePacket(rec, rec.data, this.session, collector, this.lastCtx);
    this.lastCtx = ctx;
    this.current = null;
    const e = this.entry;
    e.dataOffset = rec.dataOffset;
    e.capLen = rec.capLen;
    e.origLen = rec.origLen;
    e.tsSec = rec.tsSec;
    e.tsNsec = rec.tsNsec;
    e.iface = rec.interfaceIndex;
    e.protocol = ctx.cols.protocol;
    e.source = ctx.cols.src;
    e.destination = ctx.cols.dst;
    e.info = ctx.cols.info;
    e.chain = this.chainText.of(ctx.protocols);
    this.fillTransport(ctx, e);
    e.expert = maxSeverity(ctx);
    const i = this.index.append(e);
    this.index.color[i] = this.colorOf(ctx, rec, i, e.flags);
    this.noteNestedStreams(i, e);
    return i;
  }

  /** Frame bytes by frame number: the record being decoded, or earlier ones from the file. */
  private frameBytes(readFile: NonNullable<IndexerOptions['readFile']>): FrameBytes {
    return {
      read: (frame, at, len, out, outAt) => {
        const cur = this.current;
        if (cur && frame === cur.number) {
          if (at < 0 || at + len > cur.data.length) return false;
          out.set(cur.data.subarray(at, at + len), outAt);
          return true;
        }
        const i = frame - 1;
        if (i < 0 || i >= this.index.count || at < 0 || at + len > this.index.capLen[i]) return false;
        return readFile(this.index.dataOffset[i] + at, len, out, outAt);
      },
    };
  }

  private fillTransport(ctx: DissectContext, e: IndexEntry): void {
    const meta = ctx.meta;
    let flags = 0;
    if (meta.ipVersion === 4) flags |= IndexBit.IPV4;
    else if (meta.ipVersion === 6) flags |= IndexBit.IPV6;
    if (meta.ipFragment) flags |= IndexBit.FRAGMENT;
    e.stream = -1;
    e.srcPort = 0;
    e.dstPort = 0;
    if (meta.srcPort >= 0 && meta.dstPort >= 0) {
      flags |= IndexBit.PORTS;
      e.srcPort = meta.srcPort;
      e.dstPort = meta.dstPort;
    }
    const tcp = meta.tcp;
    if (tcp) {
      flags |= IndexBit.TCP;
      e.stream = tcp.stream;
      const tf = tcp.flags;
      if (tf & 0x02) flags |= AnalysisFlag.TCP_SYN;
      if (tf & 0x01) flags |= AnalysisFlag.TCP_FIN;
      if (tf & 0x04) flags |= AnalysisFlag.TCP_RST;
      if (tf & 0x10) flags |= AnalysisFlag.TCP_ACK;
    } else if (meta.udpPayloadOffset >= 0 || meta.ipProto === 17) {
      flags |= IndexBit.UDP;
      const f = this.fields.udpStream;
      if (f) {
        const occ = this.collector.get(f);
        if (occ.count > 0 && typeof occ.values[0] === 'number') e.stream = occ.values[0];
      }
    }
    // The analysis hands its TCP_A_* bits over on the segment (the same values as AnalysisFlag);
    // tcp.analysis.flags is in the tree exactly when one is set.
    const analysis = (tcp?.analysisFlags ?? 0) & TCP_ANALYSIS_MASK;
    if (analysis) flags |= analysis | IndexBit.ANALYSIS_FLAGS;
    for (const p of ctx.problems) {
      flags |= p.kind === 'truncated' ? AnalysisFlag.TRUNCATED : AnalysisFlag.MALFORMED;
    }
    e.flags = flags;
  }

  /** Stream occurrences beyond the packet's own (headers quoted by an ICMP error). */
  private noteNestedStreams(i: number, e: IndexEntry): void {
    const f = this.fields;
    // Nearly every packet has none: checked without allocating (this runs on every packet).
    let extra = f.tcpStream ? this.nestedOf(f.tcpStream, 'tcp', e.flags & IndexBit.TCP, undefined) : undefined;
    if (f.udpStream) extra = this.nestedOf(f.udpStream, 'udp', e.flags & IndexBit.UDP, extra);
    if (extra) this.index.nestedStreams.set(i, extra);
  }

  /** Appends the occurrences of a stream field past the packet's own header (`own` ≠ 0) to `extra`. */
  private nestedOf(def: FieldDef, kind: 'tcp' | 'udp', own: number, extra: NestedStream[] | undefined): NestedStream[] | undefined {
    const occ = this.collector.get(def);
    // The packet's own header is the first occurrence when the packet is of that kind.
    for (let k = own ? 1 : 0; k < occ.count; k++) {
      const v = occ.values[k];
      if (typeof v === 'number') (extra ??= []).push({ kind, stream: v });
    }
    return extra;
  }

  private chainFactsOf(i: number): number {
    const id = this.index.chain[i];
    let f = this.chainFactCache[id];
    if (f === undefined) {
      f = chainFacts(this.index.chains.get(id));
      this.chainFactCache[id] = f;
    }
    return f;
  }

  /** Wireshark's default coloring rules, first match wins (see COLOR_RULE_INFO). */
  private colorOf(ctx: DissectContext, rec: PacketRecord, i: number, flags: number): number {
    if ((flags & IndexBit.ANALYSIS_FLAGS) && !(flags & NOT_BAD)) return C_BAD_TCP;
    const chain = this.chainFactsOf(i);
    const f = this.fields;
    if (chain & CHAIN_ICMP) {
      const t4 = f.icmpType ? firstNumber(this.collector, f.icmpType) : -1;
      if (t4 === 3 || t4 === 4 || t4 === 5 || t4 === 11) return C_ICMP_ERROR;
      const t6 = f.icmpv6Type ? firstNumber(this.collector, f.icmpv6Type) : -1;
      if (t6 >= 1 && t6 <= 4) return C_ICMP_ERROR;
    }
    if (chain & CHAIN_ARP) return C_ARP;
    if (chain & CHAIN_ICMP) return C_ICMP;
    if (flags & AnalysisFlag.TCP_RST) return C_RST;
    if (ctx.meta.ipVersion === 4 && f.ipTtl && this.ttlSuspicious(ctx, chain, f.ipTtl)) return C_TTL;
    const tcp = ctx.meta.tcp;
    if ((chain & CHAIN_HTTP) || (tcp && (tcp.srcPort === 80 || tcp.dstPort === 80))) return C_HTTP;
    if (flags & (AnalysisFlag.TCP_SYN | AnalysisFlag.TCP_FIN)) return C_SYN_FIN;
    if (flags & IndexBit.TCP) return C_TCP;
    if (flags & IndexBit.UDP) return C_UDP;
    if (rec.linkType === LINKTYPE_ETHERNET && rec.data.length > 0 && (rec.data[0] & 1)) return C_BROADCAST;
    return C_NONE;
  }

  private ttlSuspicious(ctx: DissectContext, chain: number, ttlDef: FieldDef): boolean {
    const occ = this.collector.get(ttlDef);
    if (occ.count === 0) return false;
    const dst = ctx.meta.ip4Dst >>> 0;
    const multicast = dst >>> 28 === 0xe;
    let lowTtl = false;
    let ttlNotOne = false;
    for (let k = 0; k < occ.count; k++) {
      const v = occ.values[k];
      if (typeof v !== 'number') continue;
      if (v < 5) lowTtl = true;
      if (v !== 1) ttlNotOne = true;
    }
    if (!multicast && lowTtl && !(chain & CHAIN_PIM_OSPF)) return true;
    const localControl = dst >>> 8 === 0xe00000;
    return localControl && dst !== 0xe00000fb && ttlNotOne && !(chain & CHAIN_VRRP);
  }
}

function firstNumber(c: FieldCollector, def: FieldDef): number {
  const occ = c.get(def);
  return occ.count > 0 && typeof occ.values[0] === 'number' ? occ.values[0] : -1;
}

function maxSeverity(ctx: DissectContext): number {
  let s = 0;
  for (const n of ctx.experts) {
    const v = SEVERITY[n.severity] ?? 0;
    if (v > s) s = v;
  }
  return s;
}

/**
 * frame.protocols text ("eth:ethertype:ip:tcp:http") by the protocol names in order, through a
 * trie keyed by the names: a capture has a handful of distinct chains, and joining the names
 * for every packet (then hashing the new string to intern it) cost more than decoding IPv4.
 */
class ChainText {
  private readonly root: ChainNode = { next: new Map(), text: '' };

  of(protocols: readonly string[]): string {
    let node = this.root;
    for (const name of protocols) {
      let child = node.next.get(name);
      if (child === undefined) {
        child = { next: new Map(), text: null };
        node.next.set(name, child);
      }
      node = child;
    }
    return (node.text ??= protocols.join(':'));
  }
}

interface ChainNode {
  readonly next: Map<string, ChainNode>;
  text: string | null;
}
