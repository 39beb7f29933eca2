/**
 * Demand-driven application dissection over TCP: when the reader of a decoding (the CLI's
 * `fields` with its -e list and -Y filter) reads no field an application dissector over TCP
 * (HTTP, DNS over TCP) or the desegmentation produces, both can be skipped for the payloads
 * that would go to that dissector — the printed output is the same, only cheaper.
 *
 * What is provably unaffected: the fields of the link, network and transport layers (frame.*,
 * eth.*, ip.*, ipv6.*, tcp.* including tcp.analysis.*, tcp.seq, tcp.stream …, udp.*, icmp.* …)
 * are all computed before the TCP payload is handed on, and nothing in them reads what the
 * application or the desegmentation did. What is not: frame.protocols, the columns (Protocol,
 * Info, "[TCP segment of a reassembled PDU]"), the reassembly fields (tcp.reassembled_in,
 * tcp.segment*, tcp.segments, tcp.reassembled.*, tcp.segment_data, tcp.payload, tcp.pdu.*),
 * data.* and anything of a protocol we do not list: any of those asks for everything.
 *
 * Which dissector a payload goes to is decided as the TCP dissector does it (registry.ts
 * dispatchByPorts): the lower port's, else the higher port's, else the heuristics (each must
 * be one we know, else the payload is dissected). Isomorphic.
 */
import type { FieldDef } from '../../decode/fields/types.js';
import type { Dissector } from '../../decode/context.js';
import { tcpHeuristics, tcpPorts } from '../../decode/registry.js';
import { dissectHttp } from '../../decode/protocols/http.js';
import { dissectDnsTcp } from '../../decode/protocols/dns.js';

/** Application protocols over TCP the demand knows, by the name of their fields. */
export type TcpApp = 'http' | 'dns';

/** Prefixes of fields that never depend on what is done with a TCP payload. */
const LOWER_LAYERS = [
  'frame.', 'eth.', 'vlan.', 'sll.', 'null.', 'llc.', 'arp.', 'ip.', 'ipv6.', 'icmp.', 'icmpv6.', 'udp.', 'tcp.',
];
/** …except these (frame.protocols lists the application; the rest is desegmentation's). */
const APP_DEPENDENT = [
  'frame.protocols', 'tcp.reassembled', 'tcp.segment', 'tcp.payload', 'tcp.pdu',
];

/**
 * The application protocols over TCP that `defs` read, or null when everything must be
 * dissected (a column, frame.protocols, a reassembly field or a field we cannot place).
 */
export function tcpAppDemand(defs: readonly FieldDef[]): Set<TcpApp> | null {
  const apps = new Set<TcpApp>();
  for (const d of defs) {
    const n = d.name;
    if (n === 'http' || n.startsWith('http.')) apps.add('http');
    else if (n === 'dns' || n.startsWith('dns.')) apps.add('dns');
    else if (APP_DEPENDENT.some((p) => n.startsWith(p))) return null;
    else if (!LOWER_LAYERS.some((p) => n.startsWith(p))) return null;
  }
  return apps;
}

/** The protocol a port-table dissector belongs to, or null when we do not know it. */
function appOf(d: Dissector): TcpApp | null {
  if (d === dissectHttp) return 'http';
  if (d === dissectDnsTcp) return 'dns';
  return null;
}

/**
 * Decides per segment whether its payload may be left alone (no desegmentation, no
 * application call). Cheap: a port-table lookup per segment.
 */
export class TcpAppSkipper {
  /** Heuristics are registered at module load; they are checked once, lazily. */
  private heuristicsUnwanted: boolean | null = null;

  constructor(private readonly wanted: ReadonlySet<TcpApp>) {}

  skips(srcPort: number, dstPort: number): boolean {
    const low = srcPort < dstPort ? srcPort : dstPort;
    const high = srcPort < dstPort ? dstPort : srcPort;
    const d = tcpPorts.get(low) ?? tcpPorts.get(high);
    if (d) {
      const app = appOf(d);
      return app !== null && !this.wanted.has(app);
    }
    // No port dissector: the heuristics, then data (data.* is never "lower layer", so a reader
    // of data fields gets everything dissected).
    if (this.heuristicsUnwanted === null) {
      // http.ts does not export its heuristic; it is recognised by its function name (tsc keeps
      // names). Any heuristic we do not recognise keeps the payload dissected.
      this.heuristicsUnwanted = tcpHeuristics.every((h) => h.name === 'httpHeuristic') && !this.wanted.has('http');
    }
    return this.heuristicsUnwanted;
  }
}
