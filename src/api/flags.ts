/**
 * Per-packet analysis flag bits and Wireshark's default coloring rules, shared by the engine
 * (which computes them once per packet into its index) and the renderer (which draws them).
 * Browser-safe: no Node imports.
 */

/**
 * One bit per TCP analysis flag Wireshark sets (tcp.analysis.* in packet-tcp.c) — the low 15
 * bits are Wireshark's own TCP_A_* values — plus a few facts the packet list needs without
 * decoding (SYN/FIN/RST/ACK, damage). Kept in a Uint32 per packet.
 */
export const AnalysisFlag = {
  RETRANSMISSION: 0x0001,
  LOST_SEGMENT: 0x0002,
  ACKED_UNSEEN: 0x0004,
  KEEP_ALIVE: 0x0008,
  DUPLICATE_ACK: 0x0010,
  ZERO_WINDOW: 0x0020,
  ZERO_WINDOW_PROBE: 0x0040,
  ZERO_WINDOW_PROBE_ACK: 0x0080,
  KEEP_ALIVE_ACK: 0x0100,
  OUT_OF_ORDER: 0x0200,
  FAST_RETRANSMISSION: 0x0400,
  WINDOW_UPDATE: 0x0800,
  WINDOW_FULL: 0x1000,
  REUSED_PORTS: 0x2000,
  SPURIOUS_RETRANSMISSION: 0x4000,
  /** The decoders found a contradiction ([Malformed Packet]). */
  MALFORMED: 1 << 16,
  /** The capture cut the packet short ([Packet size limited during capture]). */
  TRUNCATED: 1 << 17,
  TCP_SYN: 1 << 20,
  TCP_FIN: 1 << 21,
  TCP_RST: 1 << 22,
  TCP_ACK: 1 << 23,
} as const;

export type AnalysisFlagName = keyof typeof AnalysisFlag;

/** The display-filter field behind each TCP analysis bit (what "Apply as filter" would use). */
export const ANALYSIS_FLAG_FIELDS: ReadonlyArray<readonly [bit: number, field: string]> = [
  [AnalysisFlag.RETRANSMISSION, 'tcp.analysis.retransmission'],
  [AnalysisFlag.FAST_RETRANSMISSION, 'tcp.analysis.fast_retransmission'],
  [AnalysisFlag.SPURIOUS_RETRANSMISSION, 'tcp.analysis.spurious_retransmission'],
  [AnalysisFlag.OUT_OF_ORDER, 'tcp.analysis.out_of_order'],
  [AnalysisFlag.LOST_SEGMENT, 'tcp.analysis.lost_segment'],
  [AnalysisFlag.ACKED_UNSEEN, 'tcp.analysis.ack_lost_segment'],
  [AnalysisFlag.WINDOW_UPDATE, 'tcp.analysis.window_update'],
  [AnalysisFlag.WINDOW_FULL, 'tcp.analysis.window_full'],
  [AnalysisFlag.ZERO_WINDOW, 'tcp.analysis.zero_window'],
  [AnalysisFlag.ZERO_WINDOW_PROBE, 'tcp.analysis.zero_window_probe'],
  [AnalysisFlag.ZERO_WINDOW_PROBE_ACK, 'tcp.analysis.zero_window_probe_ack'],
  [AnalysisFlag.KEEP_ALIVE, 'tcp.analysis.keep_alive'],
  [AnalysisFlag.KEEP_ALIVE_ACK, 'tcp.analysis.keep_alive_ack'],
  [AnalysisFlag.DUPLICATE_ACK, 'tcp.analysis.duplicate_ack'],
  [AnalysisFlag.REUSED_PORTS, 'tcp.analysis.reused_ports'],
];

/** Bits that are TCP analysis findings (the ones tcp.analysis.flags matches). */
export const TCP_ANALYSIS_MASK = 0x7fff;

/** Short human names for the analysis bits, as Wireshark's Info prefixes say them. */
export const ANALYSIS_FLAG_LABELS: Readonly<Record<number, string>> = {
  [AnalysisFlag.RETRANSMISSION]: 'TCP Retransmission',
  [AnalysisFlag.FAST_RETRANSMISSION]: 'TCP Fast Retransmission',
  [AnalysisFlag.SPURIOUS_RETRANSMISSION]: 'TCP Spurious Retransmission',
  [AnalysisFlag.OUT_OF_ORDER]: 'TCP Out-Of-Order',
  [AnalysisFlag.LOST_SEGMENT]: 'TCP Previous segment not captured',
  [AnalysisFlag.ACKED_UNSEEN]: 'TCP ACKed unseen segment',
  [AnalysisFlag.WINDOW_UPDATE]: 'TCP Window Update',
  [AnalysisFlag.WINDOW_FULL]: 'TCP Window Full',
  [AnalysisFlag.ZERO_WINDOW]: 'TCP ZeroWindow',
  [AnalysisFlag.ZERO_WINDOW_PROBE]: 'TCP ZeroWindowProbe',
  [AnalysisFlag.ZERO_WINDOW_PROBE_ACK]: 'TCP ZeroWindowProbeAck',
  [AnalysisFlag.KEEP_ALIVE]: 'TCP Keep-Alive',
  [AnalysisFlag.KEEP_ALIVE_ACK]: 'TCP Keep-Alive ACK',
  [AnalysisFlag.DUPLICATE_ACK]: 'TCP Dup ACK',
  [AnalysisFlag.REUSED_PORTS]: 'TCP Port numbers reused',
  [AnalysisFlag.MALFORMED]: 'Malformed Packet',
  [AnalysisFlag.TRUNCATED]: 'Packet size limited during capture',
};

/** Names of the analysis findings in `flags` (TCP analysis and damage bits only). */
export function analysisFlagLabels(flags: number): string[] {
  const out: string[] = [];
  for (const [bitText, label] of Object.entries(ANALYSIS_FLAG_LABELS)) {
    const bit = Number(bitText);
    if (flags & bit) out.push(label);
  }
  return out;
}

/**
 * Wireshark's default coloring rules (the `colorfilters` file shipped with 4.0), in their
 * order: the first rule that matches a packet colors its row. Rules for protocols we do not
 * decode (HSRP, STP, OSPF, SCTP, SMB, DCERPC, routing) are left out.
 */
export type ColorRule =
  | 'bad-tcp'
  | 'icmp-error'
  | 'arp'
  | 'icmp'
  | 'tcp-rst'
  | 'ttl-low'
  | 'checksum-error'
  | 'http'
  | 'tcp-syn-fin'
  | 'tcp'
  | 'udp'
  | 'broadcast'
  | 'none';

export const COLOR_RULES: readonly ColorRule[] = [
  'none', 'bad-tcp', 'icmp-error', 'arp', 'icmp', 'tcp-rst', 'ttl-low', 'checksum-error', 'http',
  'tcp-syn-fin', 'tcp', 'udp', 'broadcast',
];

/** The rule's name and filter in Wireshark's coloring dialog (tooltips, legends). */
export const COLOR_RULE_INFO: Readonly<Record<ColorRule, { name: string; filter: string }>> = {
  'bad-tcp': {
    name: 'Bad TCP',
    filter: 'tcp.analysis.flags && !tcp.analysis.window_update && !tcp.analysis.keep_alive && !tcp.analysis.keep_alive_ack',
  },
  'icmp-error': {
    name: 'ICMP errors',
    filter: 'icmp.type in {3..5 11} || icmpv6.type in {1..4}',
  },
  arp: { name: 'ARP', filter: 'arp' },
  icmp: { name: 'ICMP', filter: 'icmp || icmpv6' },
  'tcp-rst': { name: 'TCP RST', filter: 'tcp.flags.reset eq 1' },
  'ttl-low': {
    name: 'TTL low or unexpected',
    filter: '(ip.dst != 224.0.0.0/4 && ip.ttl < 5 && !pim && !ospf) || (ip.dst == 224.0.0.0/24 && ip.dst != 224.0.0.251 && ip.ttl != 1 && !(vrrp || carp))',
  },
  'checksum-error': { name: 'Checksum Errors', filter: 'eth.fcs.status=="Bad" || ip.checksum.status=="Bad" || tcp.checksum.status=="Bad" || udp.checksum.status=="Bad"' },
  http: { name: 'HTTP', filter: 'http || tcp.port == 80 || http2' },
  'tcp-syn-fin': { name: 'TCP SYN/FIN', filter: 'tcp.flags & 0x02 || tcp.flags.fin == 1' },
  tcp: { name: 'TCP', filter: 'tcp' },
  udp: { name: 'UDP', filter: 'udp' },
  broadcast: { name: 'Broadcast', filter: 'eth[0] & 1' },
  none: { name: 'No rule', filter: '' },
};
