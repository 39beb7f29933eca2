/**
 * Builds a lesson from a sequence diagram (the analysis's model, or the engine API's
 * SequenceDiagram) and, when available, the packets' detail trees: one step per arrow with
 * both sides' states, the real time gap, notes, highlighted fields, the layer stack and the
 * "Why?" topics. Pure: the presentation view calls it again as more packet details arrive
 * (notes that need decoded fields — DNS flags, ICMP ids, TTLs — appear then). Isomorphic.
 */
import { PacketFields } from './fields.js';
import { layerStack, stepHighlights } from './layers.js';
import { ExchangeContext, otherStepNotes } from './other-notes.js';
import { hostOf, newStreamContext, portOf, tcpStepNotes, type StreamContext } from './tcp-notes.js';
import type { EndpointState } from '../analysis/tcp/states.js';
import type { Lesson, LessonDiagram, LessonKind, LessonPacket, Step, StepState, WhyTopic } from './types.js';
import { arpTopic, dnsTopic, dupAckTopic, handshakeTopics, rstTopic, teardownTopics, ttlTopic } from './why.js';

export type PacketSource = ReadonlyMap<number, LessonPacket> | ((frame: number) => LessonPacket | undefined);

/** Field indexes are kept per packet object: the view rebuilds the lesson as details arrive. */
const indexed = new WeakMap<LessonPacket, PacketFields>();
function fieldsFor(packet: LessonPacket): PacketFields {
  let pf = indexed.get(packet);
  if (!pf) indexed.set(packet, (pf = new PacketFields(packet)));
  return pf;
}

function lookup(source: PacketSource | undefined, frame: number): LessonPacket | undefined {
  if (!source) return undefined;
  return typeof source === 'function' ? source(frame) : source.get(frame);
}

/** "HTTP GET /index.html", "HTTP 200 OK" — what an application layer says, for data notes. */
function appSummary(pf: PacketFields | undefined, protocol: string): string {
  if (pf?.has('http')) {
    const method = pf.get('http.request.method');
    if (method) return `HTTP ${method} ${pf.get('http.request.uri')}`;
    const code = pf.get('http.response.code');
    if (code) return `HTTP ${code} ${pf.get('http.response.phrase')}`.trim();
  }
  if (pf?.has('dns')) return `DNS ${pf.get('dns.qry.name')}`;
  return protocol && protocol !== 'TCP' ? protocol : '';
}

function lessonKind(protocols: Set<string>): LessonKind {
  if (protocols.size === 1) {
    const p = [...protocols][0];
    if (p === 'tcp' || p === 'dns' || p === 'icmp' || p === 'arp') return p;
  }
  return protocols.size === 0 ? 'tcp' : 'mixed';
}

/** The packet's outermost addresses (IP, else Ethernet, as the diagram's host lifelines). */
function outerAddresses(pf: PacketFields): { src: string; dst: string } {
  const v6 = pf.has('ipv6') && !pf.has('ip');
  if (pf.has('arp') || (!pf.has('ip') && !v6)) return { src: pf.get('eth.src'), dst: pf.get('eth.dst') };
  return { src: pf.get(v6 ? 'ipv6.src' : 'ip.src'), dst: pf.get(v6 ? 'ipv6.dst' : 'ip.dst') };
}

/** Lifelines of the packet's outermost source and destination, when both are drawn. */
function outerLanes(pf: PacketFields, labels: string[]): { from: number; to: number } | null {
  const { src, dst } = outerAddresses(pf);
  const from = labels.indexOf(src);
  const to = labels.indexOf(dst);
  return src !== dst && from >= 0 && to >= 0 ? { from, to } : null;
}

export function buildLesson(diagram: LessonDiagram, packets?: PacketSource): Lesson {
  const streams = new Map<number, StreamContext>();
  const exchanges = new ExchangeContext();
  const last: (EndpointState | undefined)[] = diagram.lifelines.map((l) => l.initialState);
  const kinds = new Set<string>();
  const steps: Step[] = [];
  const fieldsOf: (PacketFields | undefined)[] = [];
  const firstClientData = new Map<number, { frame: number; ack: number }>();
  const direction = new Map<number, { from: number; to: number }>();

  const streamContext = (stream: number): StreamContext => {
    let s = streams.get(stream);
    if (!s) {
      const client = diagram.lifelines.find((l) => l.stream === stream && l.role === 'client')?.label ?? '';
      const server = diagram.lifelines.find((l) => l.stream === stream && l.role === 'server')?.label ?? '';
      s = newStreamContext(client, server);
      streams.set(stream, s);
    }
    return s;
  };

  diagram.arrows.forEach((arrow, i) => {
    const packet = lookup(packets, arrow.frame);
    const pf = packet ? fieldsFor(packet) : undefined;
    fieldsOf.push(pf);
    const states: StepState[] = diagram.lifelines.map((_, li) => {
      const s = arrow.states[li] ?? undefined;
      const changed = s !== undefined && s !== last[li];
      if (s !== undefined) last[li] = s;
      return { state: s ?? last[li], changed };
    });
    let notes;
    if (arrow.tcp) {
      kinds.add('tcp');
      const ctx = streamContext(arrow.tcp.stream);
      notes = tcpStepNotes(ctx, arrow, appSummary(pf, arrow.protocol));
      if (arrow.tcp.fromClient !== false && arrow.tcp.len > 0 && !firstClientData.has(arrow.tcp.stream)) {
        firstClientData.set(arrow.tcp.stream, { frame: arrow.frame, ack: arrow.tcp.rawAck });
      }
    } else {
      kinds.add(pf?.has('dns') ? 'dns' : pf?.has('arp') ? 'arp' : pf?.has('icmp') || pf?.has('icmpv6') ? 'icmp'
        : arrow.protocol.toLowerCase().startsWith('dns') ? 'dns' : arrow.protocol.toLowerCase());
      // The packet's own outer addresses decide the direction: an ICMP error quotes another
      // packet, whose addresses must not decide where the arrow starts and ends.
      const lanes = pf ? outerLanes(pf, diagram.lifelines.map((l) => l.label)) : null;
      if (lanes && (lanes.from !== arrow.from || lanes.to !== arrow.to)) direction.set(i, lanes);
      const dir = direction.get(i) ?? arrow;
      const outer = pf ? outerAddresses(pf) : null;
      const src = outer?.src || (diagram.lifelines[dir.from]?.label ?? '');
      const dst = outer?.dst || (diagram.lifelines[dir.to]?.label ?? '');
      notes = otherStepNotes(exchanges, arrow, pf, src, dst);
    }
    const highlights = stepHighlights(arrow, pf);
    steps.push({
      index: i,
      arrow: i,
      frame: arrow.frame,
      from: direction.get(i)?.from ?? arrow.from,
      to: direction.get(i)?.to ?? arrow.to,
      protocol: arrow.protocol,
      label: arrow.label,
      detail: arrow.detail,
      analysis: arrow.analysis,
      style: arrow.style,
      timeNs: arrow.timeNs,
      gapNs: i === 0 ? 0 : arrow.deltaNs,
      states,
      facts: arrow.notes,
      notes,
      highlights,
      layers: pf ? layerStack(pf, highlights) : null,
      why: [],
      ...(arrow.tcp ? { tcp: arrow.tcp } : {}),
    });
  });

  // "Why?" topics, now that the whole exchange is known.
  const handshakeCache = new Map<number, WhyTopic[]>();
  const teardownCache = new Map<number, WhyTopic[]>();
  steps.forEach((step, i) => {
    const arrow = diagram.arrows[i];
    const pf = fieldsOf[i];
    const why: WhyTopic[] = [];
    const facts = new Set(step.facts.map((n) => n.kind));
    if (arrow.tcp) {
      const stream = arrow.tcp.stream;
      const ctx = streams.get(stream)!;
      if (facts.has('syn') || facts.has('syn-ack') || facts.has('handshake-ack')) {
        if (!handshakeCache.has(stream)) handshakeCache.set(stream, handshakeTopics(ctx, firstClientData.get(stream) ?? null));
        why.push(...handshakeCache.get(stream)!);
      }
      if (facts.has('fin') || facts.has('fin-ack') || facts.has('time-wait')) {
        if (!teardownCache.has(stream)) teardownCache.set(stream, teardownTopics(ctx));
        why.push(...teardownCache.get(stream)!);
      }
      if (facts.has('rst')) {
        const label = ctx.rst?.role === 'client' ? ctx.clientLabel : ctx.serverLabel;
        const t = rstTopic(ctx, portOf(label), hostOf(label));
        if (t) why.push(t);
      }
      if (facts.has('dup-ack')) why.push(dupAckTopic(arrow.tcp.ack, arrow.tcp.dupAckNum));
    } else if (pf?.has('dns')) {
      const response = pf.flag('dns.flags.response') === true;
      const server = response ? diagram.lifelines[arrow.from]?.label : diagram.lifelines[arrow.to]?.label;
      why.push(dnsTopic(server ?? '', pf.flag('dns.flags.recdesired') === true, response ? pf.flag('dns.flags.recavail') === true : undefined));
    } else if (pf?.has('arp') && pf.num('arp.opcode') === 1 && !pf.flag('arp.isgratuitous')) {
      why.push(arpTopic(pf.get('arp.src.proto_ipv4'), pf.get('arp.dst.proto_ipv4')));
    } else if (pf?.has('icmp') || pf?.has('icmpv6')) {
      const ttl = pf.has('icmpv6') ? pf.num('ipv6.hlim') : pf.num('ip.ttl');
      if (Number.isFinite(ttl)) why.push(ttlTopic(ttl));
    }
    step.why = why;
  });

  return {
    title: diagram.title,
    kind: lessonKind(kinds),
    lifelines: diagram.lifelines,
    steps,
    startSec: diagram.startSec,
    startNsec: diagram.startNsec,
    truncated: diagram.truncated,
  };
}
