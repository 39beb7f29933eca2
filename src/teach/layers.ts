/**
 * The layer stack of a step (Ethernet / IP / TCP / payload, as Packet Tracer's per-layer view
 * shows it) and the fields that matter for this step: for a SYN the ISN, MSS and window scale;
 * for a SYN-ACK ack = ISN + 1; for data seq, len and the next seq; for an ACK the bytes it
 * acknowledges; for DNS the recursion flags, for ICMP the type, id, sequence and TTL, for ARP
 * who asks and who answers. Highlights are field names with values, so the view can mark them
 * in the stack, the detail tree and the hex pane alike. Isomorphic.
 */
import {
  TCP_A_DUPLICATE_ACK, TCP_A_FAST_RETRANSMISSION, TCP_A_LOST_PACKET, TCP_A_OUT_OF_ORDER, TCP_A_RETRANSMISSION,
  TCP_A_SPURIOUS_RETRANSMISSION, TCP_A_WINDOW_UPDATE, TCP_A_ZERO_WINDOW, TCP_A_ZERO_WINDOW_PROBE, TCP_A_KEEP_ALIVE,
  TCP_A_WINDOW_FULL,
} from '../analysis/tcp/flags.js';
import type { PacketFields } from './fields.js';
import type { FieldHighlight, LayerField, LayerRole, LayerView, LessonDiagram, TreeNode } from './types.js';

type Arrow = LessonDiagram['arrows'][number];

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const ACK = 0x10;

/** Fields each layer always shows (besides the highlighted ones), in this order. */
const KEY_FIELDS: Record<string, string[]> = {
  eth: ['eth.src', 'eth.dst', 'eth.type'],
  sll: ['sll.src.eth', 'sll.etype'],
  arp: ['arp.opcode', 'arp.src.hw_mac', 'arp.src.proto_ipv4', 'arp.dst.hw_mac', 'arp.dst.proto_ipv4'],
  ip: ['ip.src', 'ip.dst', 'ip.ttl', 'ip.proto'],
  ipv6: ['ipv6.src', 'ipv6.dst', 'ipv6.hlim', 'ipv6.nxt'],
  tcp: ['tcp.srcport', 'tcp.dstport', 'tcp.flags', 'tcp.seq', 'tcp.ack', 'tcp.len', 'tcp.window_size'],
  udp: ['udp.srcport', 'udp.dstport', 'udp.length'],
  icmp: ['icmp.type', 'icmp.code', 'icmp.ident', 'icmp.seq'],
  icmpv6: ['icmpv6.type', 'icmpv6.code', 'icmpv6.echo.identifier', 'icmpv6.echo.sequence_number'],
  dns: ['dns.id', 'dns.flags', 'dns.qry.name', 'dns.qry.type'],
  http: ['http.request.method', 'http.request.uri', 'http.response.code', 'http.response.phrase', 'http.host', 'http.content_type'],
};

const NAMES: Record<string, string> = {
  eth: 'Ethernet II', sll: 'Linux cooked capture', null: 'Loopback', vlan: '802.1Q VLAN', arp: 'ARP',
  ip: 'IPv4', ipv6: 'IPv6', icmp: 'ICMP', icmpv6: 'ICMPv6', tcp: 'TCP', udp: 'UDP', dns: 'DNS', mdns: 'mDNS',
  http: 'HTTP', data: 'Payload', payload: 'Payload', 'data-text-lines': 'Text body', json: 'JSON', xml: 'XML',
};

const ROLES: Record<string, LayerRole> = {
  eth: 'link', sll: 'link', null: 'link', vlan: 'link', arp: 'link',
  ip: 'network', ipv6: 'network', icmp: 'network', icmpv6: 'network',
  tcp: 'transport', udp: 'transport',
};

/** The fields to highlight for one step. */
export function stepHighlights(arrow: Arrow, pf: PacketFields | undefined): FieldHighlight[] {
  const out: FieldHighlight[] = [];
  const add = (field: string, fallback: string | number | undefined, reason: string): void => {
    let value: string;
    if (pf) {
      if (!pf.has(field)) return;
      value = pf.get(field);
    } else {
      if (fallback === undefined) return;
      value = String(fallback);
    }
    if (!out.some((h) => h.field === field)) out.push({ field, value, reason });
  };
  const tcp = arrow.tcp;
  if (tcp) {
    const f = tcp.flags;
    const a = tcp.analysisFlags;
    if (f & SYN) {
      add('tcp.flags', `0x${f.toString(16).padStart(4, '0')}`, 'syn-flag');
      if (f & ACK) {
        // SYN-ACK: its own ISN, and ack = the peer's ISN + 1 (relative and raw).
        add('tcp.seq_raw', tcp.rawSeq, 'isn');
        add('tcp.ack', tcp.ack, 'ack-isn-plus-one');
        add('tcp.ack_raw', tcp.rawAck, 'ack-isn-plus-one');
      } else {
        // SYN: the ISN and the options the client asks for.
        add('tcp.seq', tcp.seq, 'isn-relative');
        add('tcp.seq_raw', tcp.rawSeq, 'isn');
        add('tcp.options.mss_val', tcp.mss >= 0 ? tcp.mss : undefined, 'mss');
        add('tcp.options.wscale.shift', tcp.windowScale >= 0 ? tcp.windowScale : undefined, 'wscale');
        add('tcp.options.sack_perm', tcp.sackPermitted ? '' : undefined, 'sack');
      }
    }
    if (f & RST) add('tcp.flags', `0x${f.toString(16).padStart(4, '0')}`, 'rst-flag');
    if (f & FIN) {
      add('tcp.flags', `0x${f.toString(16).padStart(4, '0')}`, 'fin-flag');
      add('tcp.seq', tcp.seq + tcp.len, 'fin-seq');
    }
    if (a & (TCP_A_RETRANSMISSION | TCP_A_FAST_RETRANSMISSION | TCP_A_SPURIOUS_RETRANSMISSION)) {
      const name = a & TCP_A_SPURIOUS_RETRANSMISSION ? 'spurious_retransmission' : a & TCP_A_FAST_RETRANSMISSION ? 'fast_retransmission' : 'retransmission';
      add(`tcp.analysis.${name}`, '', 'analysis-flag');
    }
    if (a & TCP_A_LOST_PACKET) add('tcp.analysis.lost_segment', '', 'analysis-flag');
    if (a & TCP_A_OUT_OF_ORDER) add('tcp.analysis.out_of_order', '', 'analysis-flag');
    if (tcp.len > 0 && !(f & SYN)) {
      add('tcp.seq', tcp.seq, 'data-seq');
      add('tcp.len', tcp.len, 'data-len');
      add('tcp.nxtseq', tcp.seq + tcp.len, 'next-seq');
    }
    const kinds = new Set(arrow.notes.map((n) => n.kind));
    if (kinds.has('handshake-ack')) {
      add('tcp.ack', tcp.ack, 'ack-isn-plus-one');
      add('tcp.ack_raw', tcp.rawAck, 'ack-isn-plus-one');
    }
    if (kinds.has('fin-ack')) add('tcp.ack', tcp.ack, 'ack-fin-plus-one');
    if (a & TCP_A_DUPLICATE_ACK) {
      add('tcp.ack', tcp.ack, 'dup-ack');
      add('tcp.analysis.duplicate_ack_num', tcp.dupAckNum, 'dup-ack-count');
    } else if ((f & ACK) && !(f & SYN) && !(f & RST)) {
      add('tcp.ack', tcp.ack, 'acked-up-to');
    }
    if (a & (TCP_A_WINDOW_UPDATE | TCP_A_ZERO_WINDOW | TCP_A_WINDOW_FULL)) add('tcp.window_size', tcp.window, 'window');
    if (a & (TCP_A_ZERO_WINDOW_PROBE | TCP_A_KEEP_ALIVE)) add('tcp.seq', tcp.seq, 'probe-seq');
    return out;
  }
  if (!pf) return out;
  if (pf.has('dns')) {
    // A query: who asks what, and whether recursion is wanted; a response: the result.
    add('dns.id', undefined, 'dns-id');
    add('dns.flags.response', undefined, 'dns-qr');
    if (pf.flag('dns.flags.response')) {
      add('dns.flags.recavail', undefined, 'dns-ra');
      add('dns.flags.rcode', undefined, 'dns-rcode');
      for (const f of ['dns.a', 'dns.aaaa', 'dns.cname']) add(f, undefined, 'dns-answer');
    } else {
      add('dns.qry.name', undefined, 'dns-name');
      add('dns.qry.type', undefined, 'dns-type');
      add('dns.flags.recdesired', undefined, 'dns-rd');
    }
  } else if (pf.has('arp')) {
    add('arp.opcode', undefined, 'arp-opcode');
    add('eth.dst', undefined, pf.num('arp.opcode') === 1 ? 'arp-broadcast' : 'arp-unicast');
    add(pf.num('arp.opcode') === 1 ? 'arp.dst.proto_ipv4' : 'arp.src.hw_mac', undefined, pf.num('arp.opcode') === 1 ? 'arp-target' : 'arp-answer');
    add('arp.src.proto_ipv4', undefined, 'arp-sender');
  } else if (pf.has('icmp') || pf.has('icmpv6')) {
    const v6 = pf.has('icmpv6');
    const type = pf.num(v6 ? 'icmpv6.type' : 'icmp.type');
    const echo = v6 ? type === 128 || type === 129 : type === 8 || type === 0;
    add(v6 ? 'icmpv6.type' : 'icmp.type', undefined, echo ? 'icmp-type' : 'icmp-type-error');
    add(v6 ? 'icmpv6.code' : 'icmp.code', undefined, 'icmp-code');
    // An error quotes the packet that caused it: its id/seq fields belong to that packet.
    if (echo) {
      add(v6 ? 'icmpv6.echo.identifier' : 'icmp.ident', undefined, 'icmp-id');
      add(v6 ? 'icmpv6.echo.sequence_number' : 'icmp.seq', undefined, 'icmp-seq');
    }
    add(v6 ? 'ipv6.hlim' : 'ip.ttl', undefined, 'ttl');
  } else if (pf.has('ip') && (pf.flag('ip.flags.mf') || pf.num('ip.frag_offset') > 0)) {
    add('ip.id', undefined, 'frag-id');
    add('ip.flags.mf', undefined, 'frag-more');
    add('ip.frag_offset', undefined, 'frag-offset');
  }
  return out;
}

/** First node named `field` under `root` (depth first), skipping hidden duplicates. */
function findIn(root: TreeNode, field: string): TreeNode | undefined {
  let hiddenHit: TreeNode | undefined;
  const walk = (n: TreeNode): TreeNode | undefined => {
    for (const c of n.children ?? []) {
      if (c.field === field) {
        if (!c.hidden) return c;
        hiddenHit ??= c;
      }
      const deeper = walk(c);
      if (deeper) return deeper;
    }
    return undefined;
  };
  return walk(root) ?? hiddenHit;
}

/** Does `root` contain a node for `field` (any depth)? */
function contains(root: TreeNode, field: string): boolean {
  return findIn(root, field) !== undefined;
}

/** The stack shown for a step: one entry per protocol layer (the frame pseudo-layer left out). */
export function layerStack(pf: PacketFields, highlights: FieldHighlight[]): LayerView[] {
  const roots = pf.packet.tree.filter((n) => n.field !== 'frame' && !n.field.startsWith('_ws.'));
  const layers: LayerView[] = [];
  const used = new Set<string>();
  roots.forEach((root, i) => {
    const fields: LayerField[] = [];
    const seen = new Set<string>();
    const row = (node: TreeNode, reason?: string): void => {
      if (seen.has(node.field)) return;
      seen.add(node.field);
      fields.push({
        field: node.field, label: node.label, value: node.value, offset: node.offset, length: node.length,
        highlighted: reason !== undefined, ...(reason !== undefined ? { reason } : {}),
      });
    };
    for (const name of KEY_FIELDS[root.field] ?? []) {
      const node = findIn(root, name);
      if (!node) continue;
      const h = highlights.find((x) => x.field === name && !used.has(x.field));
      if (h) used.add(h.field);
      row(node, h?.reason);
    }
    for (const h of highlights) {
      if (used.has(h.field) || !contains(root, h.field)) continue;
      used.add(h.field);
      row(findIn(root, h.field)!, h.reason);
    }
    if (!KEY_FIELDS[root.field]) {
      // Unknown layers: their first few visible lines.
      for (const c of (root.children ?? []).filter((c) => !c.hidden).slice(0, 3)) row(c);
    }
    layers.push({
      protocol: root.field, role: ROLES[root.field] ?? 'application', name: NAMES[root.field] ?? root.field.toUpperCase(),
      summary: root.label, offset: root.offset, length: root.length, fields,
    });
    // TCP payload that no application protocol decoded: its own "payload" layer.
    if (root.field === 'tcp' && i === roots.length - 1) {
      const payload = findIn(root, 'tcp.payload');
      if (payload) {
        layers.push({
          protocol: 'payload', role: 'application', name: NAMES.payload, summary: payload.label,
          offset: payload.offset, length: payload.length, fields: [],
        });
      }
    }
  });
  return layers;
}
