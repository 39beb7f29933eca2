/**
 * `wirescope stats FILE [-Y FILTER] [--json]` — packets, bytes, duration, protocol hierarchy
 * (like `tshark -z io,phs`), IP/TCP/UDP conversations, and TCP analysis counts.
 */
import { allFields, type FieldDef, type Timestamp } from '../../decode/index.js';
import { formatIPv4, formatIPv6 } from '../../decode/fields/format.js';
import type { BufferedWriter } from '../io.js';
import type { CommandContext } from './context.js';
import { runPipeline } from '../pipeline.js';
import { diffNs } from '../../decode/protocols/frame.js';
import type { PacketMeta } from '../../decode/context.js';

interface HierarchyNode {
  name: string;
  frames: number;
  bytes: number;
  children: Map<string, HierarchyNode>;
}

interface Conversation {
  kind: 'ip' | 'tcp' | 'udp';
  a: string;
  b: string;
  framesAB: number;
  bytesAB: number;
  framesBA: number;
  bytesBA: number;
  start: number;
  end: number;
}

export type ConversationStats = Omit<Conversation, 'start' | 'end'> & { startSeconds: number; durationSeconds: number };

export interface CaptureStats {
  file: string;
  packets: number;
  bytes: number;
  capturedBytes: number;
  firstTime: number | null;
  lastTime: number | null;
  durationSeconds: number;
  protocolHierarchy: { path: string; frames: number; bytes: number }[];
  conversations: ConversationStats[];
  tcpAnalysis: Record<string, number>;
}

function endpointText(meta: PacketMeta, src: boolean): string {
  if (meta.ipVersion === 4) return formatIPv4(src ? meta.ip4Src : meta.ip4Dst);
  if (meta.ipVersion === 6) {
    const a = src ? meta.ip6Src : meta.ip6Dst;
    return a ? formatIPv6(a) : '';
  }
  return '';
}

function portText(addr: string, port: number, v6: boolean): string {
  return v6 ? `[${addr}]:${port}` : `${addr}:${port}`;
}

export function runStats(cmd: CommandContext, out: BufferedWriter) {
  const flagDefs: FieldDef[] = allFields().filter(
    (d) => d.name.startsWith('tcp.analysis.') && (d.type === 'none' || d.type === 'bool'),
  );
  const root: HierarchyNode = { name: '', frames: 0, bytes: 0, children: new Map() };
  const convs = new Map<string, Conversation>();
  const flagCounts = new Map<string, number>();
  let packets = 0;
  let bytes = 0;
  let captured = 0;
  let first: Timestamp | null = null;
  let last: Timestamp | null = null;

  const result = runPipeline({
    file: cmd.file,
    twoPass: cmd.twoPass,
    fields: flagDefs,
    filter: cmd.filter,
    onPacket(ctx, rec, collector) {
      packets++;
      bytes += rec.origLen;
      captured += rec.capLen;
      const t = { sec: rec.tsSec, nsec: rec.tsNsec };
      first ??= t;
      last = t;
      let node = root;
      for (const p of ctx.protocols) {
        let child = node.children.get(p);
        if (!child) node.children.set(p, (child = { name: p, frames: 0, bytes: 0, children: new Map() }));
        child.frames++;
        child.bytes += rec.origLen;
        node = child;
      }
      const tSec = diffNs(first, t) / 1e9;
      const m = ctx.meta;
      if (m.ipVersion) {
        const src = endpointText(m, true);
        const dst = endpointText(m, false);
        count(convs, 'ip', src, dst, rec.origLen, tSec);
        if (m.srcPort >= 0 && (m.tcp || m.udpPayloadOffset >= 0)) {
          const v6 = m.ipVersion === 6;
          count(convs, m.tcp ? 'tcp' : 'udp', portText(src, m.srcPort, v6), portText(dst, m.dstPort, v6),
            rec.origLen, tSec);
        }
      }
      flagDefs.forEach((d, i) => {
        if (collector.column(i).count > 0) flagCounts.set(d.name, (flagCounts.get(d.name) ?? 0) + 1);
      });
    },
  });

  const hierarchy: CaptureStats['protocolHierarchy'] = [];
  const walk = (n: HierarchyNode, prefix: string) => {
    for (const c of n.children.values()) {
      const path = prefix ? `${prefix}:${c.name}` : c.name;
      hierarchy.push({ path, frames: c.frames, bytes: c.bytes });
      walk(c, path);
    }
  };
  walk(root, '');
  const firstT = first as Timestamp | null;
  const lastT = last as Timestamp | null;
  const duration = firstT && lastT ? diffNs(firstT, lastT) / 1e9 : 0;
  const epoch = (t: Timestamp) => t.sec + t.nsec / 1e9;
  const stats: CaptureStats = {
    file: cmd.file,
    packets,
    bytes,
    capturedBytes: captured,
    firstTime: firstT ? epoch(firstT) : null,
    lastTime: lastT ? epoch(lastT) : null,
    durationSeconds: duration,
    protocolHierarchy: hierarchy,
    conversations: [...convs.values()].map((c) => ({
      kind: c.kind, a: c.a, b: c.b, framesAB: c.framesAB, bytesAB: c.bytesAB, framesBA: c.framesBA,
      bytesBA: c.bytesBA, startSeconds: c.start, durationSeconds: c.end - c.start,
    })),
    tcpAnalysis: Object.fromEntries([...flagCounts.entries()].sort()),
  };

  if (cmd.json) out.line(JSON.stringify(stats, null, 2));
  else printStats(stats, out);
  return result;
}

function count(convs: Map<string, Conversation>, kind: Conversation['kind'], src: string, dst: string,
  len: number, t: number): void {
  const forward = `${kind} ${src} ${dst}`;
  const backward = `${kind} ${dst} ${src}`;
  let c = convs.get(forward);
  let ab = true;
  if (!c) {
    c = convs.get(backward);
    ab = false;
  }
  if (!c) {
    c = { kind, a: src, b: dst, framesAB: 0, bytesAB: 0, framesBA: 0, bytesBA: 0, start: t, end: t };
    convs.set(forward, c);
    ab = true;
  }
  if (ab) { c.framesAB++; c.bytesAB += len; } else { c.framesBA++; c.bytesBA += len; }
  c.end = t;
}

function printStats(s: CaptureStats, out: BufferedWriter): void {
  out.line(`File:      ${s.file}`);
  out.line(`Packets:   ${s.packets}`);
  out.line(`Bytes:     ${s.bytes}`);
  out.line(`Duration:  ${s.durationSeconds.toFixed(6)} s`);
  out.line('');
  out.line('Protocol hierarchy (frames, bytes):');
  for (const h of s.protocolHierarchy) {
    const depth = h.path.split(':').length - 1;
    const name = h.path.split(':').pop()!;
    out.line(`  ${'  '.repeat(depth)}${name.padEnd(24 - 2 * depth)} frames:${h.frames} bytes:${h.bytes}`);
  }
  for (const kind of ['ip', 'tcp', 'udp']) {
    const list = s.conversations.filter((c) => c.kind === kind);
    if (!list.length) continue;
    out.line('');
    out.line(`${kind.toUpperCase()} conversations (A ↔ B: frames/bytes A→B, B→A, start, duration):`);
    for (const c of list) {
      out.line(`  ${c.a} ↔ ${c.b}  ${c.framesAB}/${c.bytesAB}  ${c.framesBA}/${c.bytesBA}  ` +
        `${c.startSeconds.toFixed(6)}  ${c.durationSeconds.toFixed(6)}`);
    }
  }
  const flags = Object.entries(s.tcpAnalysis);
  out.line('');
  out.line('TCP analysis:');
  if (!flags.length) out.line('  (no analysis flags)');
  for (const [name, n] of flags) out.line(`  ${name.padEnd(40)} ${n}`);
}
