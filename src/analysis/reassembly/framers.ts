/**
 * Where application PDUs end, for dissectors that describe their framing with a length function
 * instead of answering ctx.canDesegment themselves (HTTP: httpPduLength, DNS over TCP: the
 * 2-byte length prefix). The desegmenter asks the framer of the dissector the payload would go
 * to; the framer answers what Wireshark's dissector would have asked for (desegment_offset /
 * desegment_len) and the Info text Wireshark shows while the PDU is incomplete.
 *
 * Which dissector takes a payload is decided as the TCP dissector does it (lower port, higher
 * port, heuristics): a port table lookup, and for HTTP's heuristic its own test — a stream once
 * recognised stays HTTP, as Wireshark binds the conversation. Isomorphic.
 */
import { DESEGMENT_ONE_MORE_SEGMENT, DESEGMENT_UNTIL_FIN, type DissectContext } from '../../decode/context.js';
import { tcpPorts } from '../../decode/registry.js';
import { dissectDnsTcp } from '../../decode/protocols/dns.js';
import {
  dissectHttp, HTTP_PDU_NEED_MORE, HTTP_PDU_NOT_HTTP, HTTP_PDU_UNTIL_CLOSE, httpPduLength, httpStartLineInfo,
  looksLikeHttp,
} from '../../decode/protocols/http.js';

/** What the dissector would have asked for: PDUs from `offset` up to `at` are complete. */
export interface FrameScan {
  /** Absolute offset of the first incomplete PDU (= end when everything is complete). */
  at: number;
  /** desegment_len for the PDU at `at` (0 when complete). */
  need: number;
}

export interface PduFramer {
  scan(ctx: DissectContext, offset: number, end: number): FrameScan;
  /** Info the dissector shows for an incomplete PDU starting at `offset`, or null for none. */
  partialInfo(ctx: DissectContext, offset: number, end: number): string | null;
}

/** HTTP (req_resp_hdrs_do_reassembly): headers, then Content-Length or chunks, else until FIN. */
const httpFramer: PduFramer = {
  scan(ctx, offset, end) {
    let p = offset;
    while (p < end) {
      const n = httpPduLength(ctx, p, end);
      if (n === HTTP_PDU_NOT_HTTP) return { at: end, need: 0 };
      if (n === HTTP_PDU_NEED_MORE) return { at: p, need: DESEGMENT_ONE_MORE_SEGMENT };
      if (n === HTTP_PDU_UNTIL_CLOSE) return { at: p, need: DESEGMENT_UNTIL_FIN };
      if (n <= 0) return { at: end, need: 0 };
      if (p + n > end) return { at: p, need: p + n - end };
      p += n;
    }
    return { at: end, need: 0 };
  },
  partialInfo(ctx, offset, end) {
    return httpStartLineInfo(ctx.bytes, offset, end);
  },
};

/** DNS over TCP (tcp_dissect_pdus with a 2-byte fixed part holding the length). */
const dnsFramer: PduFramer = {
  scan(ctx, offset, end) {
    const bytes = ctx.bytes;
    let p = offset;
    const capEnd = Math.min(end, bytes.length);
    while (p < end) {
      if (capEnd - p < 2) return { at: p, need: DESEGMENT_ONE_MORE_SEGMENT };
      const plen = 2 + ((bytes[p] << 8) | bytes[p + 1]);
      if (p + plen > capEnd) return { at: p, need: p + plen - capEnd };
      p += plen;
    }
    return { at: end, need: 0 };
  },
  partialInfo() {
    return null;
  },
};

/** Streams the HTTP heuristic recognised (Wireshark keeps the conversation HTTP). */
export class FramerSelector {
  private httpStreams = new Set<number>();

  /** The framer for a payload of `stream` between the two ports, or null (ask the dissector). */
  select(ctx: DissectContext, stream: number, srcPort: number, dstPort: number, offset: number, end: number): PduFramer | null {
    const low = Math.min(srcPort, dstPort);
    const high = Math.max(srcPort, dstPort);
    const byPort = tcpPorts.get(low) ?? tcpPorts.get(high);
    if (byPort) {
      if (byPort === dissectHttp) return httpFramer;
      if (byPort === dissectDnsTcp) return dnsFramer;
      return null;
    }
    if (this.httpStreams.has(stream)) return httpFramer;
    if (looksLikeHttp(ctx.bytes, offset, end)) {
      this.httpStreams.add(stream);
      return httpFramer;
    }
    return null;
  }
}
