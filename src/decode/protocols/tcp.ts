/**
 * TCP (RFC 9293) as Wireshark shows it: header fields, flags, options, checksum (unverified, as
 * tshark does by default), the Info column "46656 → 80 [SYN] Seq=0 Win=… Len=0 MSS=…", and the
 * payload handed to an application dissector by port or heuristic.
 *
 * The analysis (tcp.stream, relative numbers, analysis flags, reassembly) lives in src/analysis
 * and plugs in through DecodeHooks; the order of the calls and what each side writes is the
 * contract documented on TcpSegmentInfo in ../context.ts.
 */
import type { DecodeHooks, DissectContext, TcpSegmentInfo } from '../context.js';
import { bytesValue, GENERATED, HIDDEN, wantsAny } from '../sink.js';
import type { FieldDef } from '../fields/types.js';
import { ipProtocols, dispatchByPorts, tcpHeuristics, tcpPorts } from '../registry.js';
import { dissectData } from './data.js';
import { CHECKSUM_UNVERIFIED, tcpFields as F, tcpOptionFields, tcpOptionKinds, tcpOptionUnknown, tcpProto } from './tcp-fields.js';
import {
  WALK_MPTCP, WALK_STOPPED, plainOptionsInfo, tcpOptionsSummary, walkTcpOptions, type TcpOptionsReport,
} from './tcp-options.js';
import { INFO_MALFORMED, INFO_TRUNCATED, checksumStatusText, markInfo, tcpFlagsNames, tcpFlagsString } from './tcp-info.js';

export const IP_PROTO_TCP = 6;
const MIN_HEADER = 20;
/** Shared by every segment without SACK blocks (no allocation per packet); never mutated. */
const NO_SACK: number[] = Object.freeze([]) as unknown as number[];

/** The plain header fields (ports to urgent pointer): a sink keeping none of them skips them all. */
const TCP_HEADER_FIELDS: readonly FieldDef[] = [
  F.srcport, F.dstport, F.port, F.len, F.seq, F.seqRaw, F.nxtseq, F.ack, F.ackRaw, F.hdrLen, F.flags, F.flagsRes,
  F.flagsAe, F.flagsCwr, F.flagsEce, F.flagsUrg, F.flagsAck, F.flagsPush, F.flagsReset, F.flagsSyn, F.flagsFin,
  F.flagsStr, F.windowSizeValue, F.windowSize, F.windowSizeScaleFactor, F.checksum, F.checksumStatus, F.urgentPointer,
];

/** Every field the option walk can report (the option nodes and their contents). */
const OPTION_FIELDS: readonly FieldDef[] = [
  ...Object.values(tcpOptionFields), ...[...tcpOptionKinds.values()].map((k) => k.node), tcpOptionUnknown.node,
];

/** A fresh segment record with the "no analysis" defaults of the contract. */
function newSegment(): TcpSegmentInfo {
  return {
    srcPort: 0, dstPort: 0, seq: 0, ack: 0, flags: 0, window: 0, hdrLen: 0, urgentPointer: 0,
    headerOffset: 0, payloadOffset: 0, payloadLength: 0, segmentLength: 0,
    mss: -1, windowScale: -1, sackPermitted: false, sack: NO_SACK, tsVal: 0, tsEcr: 0, hasTimestamps: false,
    stream: -1, relSeq: 0, relAck: 0, nextSeq: -1, windowSize: -1, windowSizeScaleFactor: -3,
    sackBase: 0, infoPrefix: '', infoSuffix: '',
  };
}

/**
 * Hands a TCP payload to the application dissectors: the lower port's, then the higher's, then
 * the heuristics (Wireshark's order), else `data`. The analysis' reassembly calls this with a
 * reassembled PDU as well.
 */
export function dissectTcpPayload(ctx: DissectContext, srcPort: number, dstPort: number, offset: number, end: number): void {
  if (!dispatchByPorts(tcpPorts, tcpHeuristics, ctx, srcPort, dstPort, offset, end)) dissectData(ctx, offset, end);
}

export function dissectTcp(ctx: DissectContext, offset: number, end: number): void {
  const { bytes, view, sink } = ctx;
  const capEnd = Math.min(end, bytes.length);
  const captured = capEnd - offset;
  const reported = end - offset;
  const text = sink.wantsText;
  const cols = ctx.wantsColumns;
  ctx.protocols.push('tcp');

  if (captured < 4 || reported < 4) {
    sink.open(tcpProto, offset, Math.max(0, captured), null, 0, text ? tcpProto.label : undefined);
    damaged(ctx, 'tcp.dstport', offset, 4, captured, reported);
    sink.close();
    return;
  }
  const srcPort = view.getUint16(offset);
  const dstPort = view.getUint16(offset + 2);
  ctx.setProtocol('TCP');
  // Info: the full header's path sets it once, below; the short ones set "src → dst" first.

  // Inside an ICMP error only the first 8 bytes are guaranteed (RFC 792): Wireshark then shows
  // the ports and the sequence number and nothing else, without calling it truncated.
  if (ctx.nested > 0 && (captured < MIN_HEADER || reported < MIN_HEADER)) {
    dissectQuotedHeader(ctx, offset, Math.min(captured, reported), srcPort, dstPort);
    return;
  }

  if (captured < MIN_HEADER || reported < MIN_HEADER) {
    if (cols) ctx.setInfo(`${srcPort} → ${dstPort}`);
    const available = Math.min(captured, reported);
    sink.open(tcpProto, offset, captured, null, 0,
      text ? `${tcpProto.label}, Src Port: ${srcPort}, Dst Port: ${dstPort}` : undefined);
    addPorts(ctx, offset, srcPort, dstPort, text);
    partialHeader(ctx, offset, available);
    sink.close();
    if (cols && available >= 16) {
      const flags = view.getUint16(offset + 12) & 0x0fff;
      ctx.setInfo(`${srcPort} → ${dstPort} [${tcpFlagsNames(flags)}] Seq=${view.getUint32(offset + 4)}${
        flags & 0x010 ? ` Ack=${view.getUint32(offset + 8)}` : ''} Win=${view.getUint16(offset + 14)}`);
    }
    damaged(ctx, 'tcp header', offset, MIN_HEADER, captured, reported);
    return;
  }

  const seg = newSegment();
  seg.srcPort = srcPort;
  seg.dstPort = dstPort;
  seg.seq = view.getUint32(offset + 4);
  seg.ack = view.getUint32(offset + 8);
  const offFlags = view.getUint16(offset + 12);
  seg.hdrLen = (offFlags >>> 12) * 4;
  seg.flags = offFlags & 0x0fff;
  seg.window = view.getUint16(offset + 14);
  seg.urgentPointer = view.getUint16(offset + 18);
  seg.headerOffset = offset;
  seg.relSeq = seg.seq;
  seg.relAck = seg.ack;
  const hdrLen = seg.hdrLen;

  const bogus = hdrLen < MIN_HEADER;
  const headerFits = !bogus && hdrLen <= reported;
  const headerCaptured = hdrLen <= captured;
  const optStart = offset + MIN_HEADER;
  const optEnd = offset + hdrLen;
  const payloadOffset = offset + hdrLen;
  seg.payloadOffset = payloadOffset;
  // Wireshark computes tcp.len from the IP length even when the header length is bogus.
  seg.segmentLength = headerFits || bogus ? reported - hdrLen : 0;
  seg.payloadLength = headerFits ? Math.max(0, capEnd - payloadOffset) : 0;
  const optionsSeen = headerFits && hdrLen > MIN_HEADER
    ? walkTcpOptions(ctx, seg, optStart, optEnd, null, Math.min(optEnd, capEnd)) : 0;

  const analyze = ctx.nested === 0;
  if (analyze) {
    ctx.meta.srcPort = srcPort;
    ctx.meta.dstPort = dstPort;
    ctx.meta.tcp = seg;
    ctx.hooks.tcp?.(ctx, seg);
  }
  const hooks: DecodeHooks = analyze ? ctx.hooks : NO_HOOKS;
  if (bogus) {
    bogusHeaderLength(ctx, seg, hooks, offset, captured, text, cols);
    return;
  }

  const ackSet = (seg.flags & 0x010) !== 0;
  sink.open(tcpProto, offset, headerFits ? Math.min(captured, hdrLen) : captured, null, 0,
    text ? `${tcpProto.label}, Src Port: ${srcPort}, Dst Port: ${dstPort}, Seq: ${seg.relSeq}${
      ackSet ? `, Ack: ${seg.relAck}` : ''}${headerFits ? `, Len: ${seg.segmentLength}` : ''}` : undefined);
  // A sink that keeps none of the header's fields (the index) skips their ~30 reports.
  const header = wantsAny(sink, TCP_HEADER_FIELDS);
  if (header) addPorts(ctx, offset, srcPort, dstPort, text);
  hooks.tcpFields?.(ctx, seg, 'ports');
  if (header) addHeaderFields(ctx, seg, offset, headerFits, text);

  let info = '';
  if (cols) info = tcpInfo(seg, srcPort, dstPort, headerFits);

  if (hdrLen > MIN_HEADER) {
    const optCaptured = Math.min(optEnd, capEnd, end) - optStart;
    // Nobody reads the option fields: the first walk already filled `seg`, and the Info suffix,
    // when wanted, comes without a second walk unless the options need one (see plainOptionsInfo).
    let plain: string | null = null;
    if (headerFits && headerCaptured && !text && !(optionsSeen & WALK_STOPPED) && !wantsAny(sink, OPTION_FIELDS) &&
        (plain = cols ? plainOptionsInfo(bytes, view, optStart, optEnd) : '') !== null) {
      sink.add(F.options, optStart, hdrLen - MIN_HEADER, bytesValue(sink, F.options, bytes, optStart, optEnd));
      info += plain;
      if (optionsSeen & WALK_MPTCP) {
        ctx.protocols.push('mptcp');
        ctx.setProtocol('MPTCP');
      }
    } else if (headerFits && (headerCaptured || optCaptured > 0)) {
      const report: TcpOptionsReport = { info: '', malformed: false };
      const optCapEnd = optStart + optCaptured;
      sink.open(F.options, optStart, optCaptured, bytesValue(sink, F.options, bytes, optStart, optCapEnd), 0,
        text ? (headerCaptured ? tcpOptionsSummary(bytes, optStart, optEnd) : `Options: (${hdrLen - MIN_HEADER} bytes)`) : undefined);
      walkTcpOptions(ctx, seg, optStart, optEnd, report, optCapEnd);
      sink.close();
      info += report.info;
      if (report.malformed) {
        // Wireshark's exception ends the segment's dissection here: no payload, no hand-off.
        sink.close();
        if (cols) ctx.setInfo(seg.infoPrefix + info + INFO_MALFORMED);
        return;
      }
    } else if (optCaptured > 0) {
      sink.add(F.options, optStart, optCaptured, bytes.subarray(optStart, optStart + optCaptured), 0,
        text ? `Options: (${hdrLen - MIN_HEADER} bytes)` : undefined);
    }
  }
  if (cols) ctx.setInfo(seg.infoPrefix + info);

  if (!headerFits) {
    // The IP header promised fewer bytes than the TCP header claims: Wireshark's "Short segment".
    sink.add(F.shortSegment, offset, 0, null, 0,
      text ? 'Short segment. Segment/fragment does not contain a full TCP header (might be NMAP or someone else deliberately sending unusual packets)' : undefined);
    sink.close();
    ctx.malformed('tcp', 'tcp.hdr_len', offset, hdrLen,
      `header length ${hdrLen} exceeds the ${reported} bytes of the IP payload`);
    markInfo(ctx, '[Malformed Packet: length of contained item exceeds length of containing item]');
    return;
  }
  hooks.tcpFields?.(ctx, seg, 'options');
  if (seg.payloadLength > 0) {
    const n = seg.payloadLength;
    sink.add(F.payload, payloadOffset, n, bytesValue(sink, F.payload, bytes, payloadOffset, payloadOffset + n), 0,
      text ? `TCP payload (${n} byte${n === 1 ? '' : 's'})` : undefined);
  }
  hooks.tcpFields?.(ctx, seg, 'payload');
  sink.close();

  if (!headerCaptured) {
    ctx.truncated('tcp', 'tcp.options', optStart, hdrLen - MIN_HEADER);
    markInfo(ctx, INFO_TRUNCATED);
    return;
  }
  if (seg.segmentLength > 0 && seg.payloadLength > 0) {
    const taken = hooks.tcpPayload?.(ctx, seg) === true;
    const analysis = seg.analysisFlags ?? 0;
    if (taken) {
      // The reassembly handled the payload.
    } else if (analysis & (TCP_A_RETRANSMISSION | TCP_A_OUT_OF_ORDER)) {
      // tcp.no_subdissector_on_error (on by default): data already seen, or out of order, is
      // not handed to the applications at all.
    } else if (analysis & TCP_A_KEEP_ALIVE) {
      // A keep-alive's garbage byte is shown as data, never as the application's.
      dissectData(ctx, payloadOffset, payloadOffset + seg.payloadLength);
    } else {
      const infoBefore = ctx.cols.info;
      dissectTcpPayload(ctx, srcPort, dstPort, payloadOffset, payloadOffset + seg.payloadLength);
      // Wireshark's column fence: the analysis prefix stays in front of the application's Info.
      if (cols && seg.infoPrefix && ctx.cols.info !== infoBefore && !ctx.cols.info.startsWith(seg.infoPrefix)) {
        ctx.setInfo(seg.infoPrefix + ctx.cols.info);
      }
    }
  }
  if (cols && seg.infoSuffix) ctx.setInfo(ctx.cols.info + seg.infoSuffix);
  if (seg.payloadLength < seg.segmentLength) {
    ctx.truncated('tcp', 'tcp.payload', payloadOffset + seg.payloadLength, seg.segmentLength - seg.payloadLength);
  }
}

const NO_HOOKS: DecodeHooks = Object.freeze({});

/** Wireshark's TCP_A_* analysis bits the payload hand-off depends on (see src/analysis/tcp/flags.ts). */
const TCP_A_RETRANSMISSION = 0x0001;
const TCP_A_KEEP_ALIVE = 0x0008;
const TCP_A_OUT_OF_ORDER = 0x0200;

/** "46656 → 80 [SYN] Seq=0 Win=27200 Len=0" (the options append their own " MSS=…" parts). */
function tcpInfo(seg: TcpSegmentInfo, srcPort: number, dstPort: number, withLen: boolean): string {
  let s = `${srcPort} → ${dstPort} [${tcpFlagsNames(seg.flags)}] Seq=${seg.relSeq}`;
  if (seg.flags & 0x010) s += ` Ack=${seg.relAck}`;
  s += ` Win=${seg.windowSize >= 0 ? seg.windowSize : seg.window}`;
  if (seg.flags & 0x020) s += ` Urg=${seg.urgentPointer}`;
  if (withLen) s += ` Len=${seg.segmentLength}`;
  return s;
}

/** The header fields after the ports, in Wireshark's order (tcp.len … tcp.urgent_pointer). */
function addHeaderFields(ctx: DissectContext, seg: TcpSegmentInfo, offset: number, headerFits: boolean, text: boolean): void {
  const { sink, view } = ctx;
  const hdrLen = seg.hdrLen;
  const ackSet = (seg.flags & 0x010) !== 0;
  if (headerFits) sink.add(F.len, offset, 0, seg.segmentLength, GENERATED);
  sink.add(F.seq, offset + 4, 4, seg.relSeq, 0,
    text ? `Sequence Number: ${seg.relSeq}${seg.stream >= 0 ? '    (relative sequence number)' : ''}` : undefined);
  sink.add(F.seqRaw, offset + 4, 4, seg.seq);
  if (seg.nextSeq >= 0) {
    sink.add(F.nxtseq, offset, 0, seg.nextSeq, GENERATED,
      text ? `Next Sequence Number: ${seg.nextSeq}    (relative sequence number)` : undefined);
  }
  sink.add(F.ack, offset + 8, 4, seg.relAck, 0,
    text ? `Acknowledgment Number: ${seg.relAck}${ackSet && seg.stream >= 0 ? '    (relative ack number)' : ''}` : undefined);
  sink.add(F.ackRaw, offset + 8, 4, seg.ack);
  sink.add(F.hdrLen, offset + 12, 1, hdrLen, 0, text ? headerLengthText(hdrLen) : undefined);
  addFlags(ctx, offset, seg.flags, text);
  sink.add(F.windowSizeValue, offset + 14, 2, seg.window);
  if (seg.windowSize >= 0) sink.add(F.windowSize, offset + 14, 2, seg.windowSize, GENERATED);
  if (seg.windowSizeScaleFactor !== -3) {
    const sf = seg.windowSizeScaleFactor;
    sink.add(F.windowSizeScaleFactor, offset + 14, 2, sf, GENERATED,
      text ? `Window size scaling factor: ${sf}${sf === -1 ? ' (unknown)' : sf === -2 ? ' (no window scaling used)' : ''}` : undefined);
  }
  const checksum = view.getUint16(offset + 16);
  sink.add(F.checksum, offset + 16, 2, checksum, 0,
    text ? `Checksum: 0x${checksum.toString(16).padStart(4, '0')} [unverified]` : undefined);
  sink.add(F.checksumStatus, offset + 16, 0, CHECKSUM_UNVERIFIED, GENERATED, text ? checksumStatusText(CHECKSUM_UNVERIFIED) : undefined);
  sink.add(F.urgentPointer, offset + 18, 2, seg.urgentPointer);
}

function headerLengthText(hdrLen: number): string {
  const words = hdrLen >>> 2;
  let bits = '';
  for (let i = 3; i >= 0; i--) bits += (words >> i) & 1;
  return `${bits} .... = Header Length: ${hdrLen} bytes (${words})`;
}

function addPorts(ctx: DissectContext, offset: number, srcPort: number, dstPort: number, text: boolean): void {
  const { sink } = ctx;
  sink.add(F.srcport, offset, 2, srcPort, 0, text ? `Source Port: ${srcPort}` : undefined);
  sink.add(F.dstport, offset + 2, 2, dstPort, 0, text ? `Destination Port: ${dstPort}` : undefined);
  sink.add(F.port, offset, 2, srcPort, HIDDEN);
  sink.add(F.port, offset + 2, 2, dstPort, HIDDEN);
}

function addFlags(ctx: DissectContext, offset: number, flags: number, text: boolean): void {
  const { sink } = ctx;
  sink.open(F.flags, offset + 12, 2, flags, 0,
    text ? `Flags: 0x${flags.toString(16).padStart(3, '0')} (${tcpFlagsNames(flags)})` : undefined);
  sink.add(F.flagsRes, offset + 12, 1, (flags & 0xe00) !== 0);
  sink.add(F.flagsAe, offset + 12, 1, (flags & 0x100) !== 0);
  sink.add(F.flagsCwr, offset + 13, 1, (flags & 0x080) !== 0);
  sink.add(F.flagsEce, offset + 13, 1, (flags & 0x040) !== 0);
  sink.add(F.flagsUrg, offset + 13, 1, (flags & 0x020) !== 0);
  sink.add(F.flagsAck, offset + 13, 1, (flags & 0x010) !== 0);
  sink.add(F.flagsPush, offset + 13, 1, (flags & 0x008) !== 0);
  sink.add(F.flagsReset, offset + 13, 1, (flags & 0x004) !== 0);
  sink.add(F.flagsSyn, offset + 13, 1, (flags & 0x002) !== 0);
  sink.add(F.flagsFin, offset + 13, 1, (flags & 0x001) !== 0);
  const str = tcpFlagsString(flags);
  sink.add(F.flagsStr, offset + 12, 2, str, GENERATED, text ? `TCP Flags: ${str}` : undefined);
  sink.close();
}

/**
 * A header cut short (capture or IP length): Wireshark reads sequence, acknowledgment, flags and
 * window before it reports any of them, so with fewer than 16 bytes only the ports show.
 */
function partialHeader(ctx: DissectContext, offset: number, available: number): void {
  const { view, sink } = ctx;
  if (available < 16) return;
  const text = sink.wantsText;
  const offFlags = view.getUint16(offset + 12);
  sink.add(F.seqRaw, offset + 4, 4, view.getUint32(offset + 4));
  sink.add(F.ackRaw, offset + 8, 4, view.getUint32(offset + 8));
  sink.add(F.hdrLen, offset + 12, 1, (offFlags >>> 12) * 4, 0, text ? headerLengthText((offFlags >>> 12) * 4) : undefined);
  addFlags(ctx, offset, offFlags & 0x0fff, text);
  sink.add(F.windowSizeValue, offset + 14, 2, view.getUint16(offset + 14));
  if (available >= 18) {
    const checksum = view.getUint16(offset + 16);
    sink.add(F.checksum, offset + 16, 2, checksum, 0,
      text ? `Checksum: 0x${checksum.toString(16).padStart(4, '0')} [unverified]` : undefined);
    sink.add(F.checksumStatus, offset + 16, 0, CHECKSUM_UNVERIFIED, GENERATED, text ? checksumStatusText(CHECKSUM_UNVERIFIED) : undefined);
  }
}

/** An ICMP-quoted header of fewer than 20 bytes: ports and (raw) sequence number only. */
function dissectQuotedHeader(ctx: DissectContext, offset: number, available: number, srcPort: number, dstPort: number): void {
  const { sink, view } = ctx;
  const text = sink.wantsText;
  sink.open(tcpProto, offset, available, null, 0,
    text ? `${tcpProto.label}, Src Port: ${srcPort}, Dst Port: ${dstPort}` : undefined);
  addPorts(ctx, offset, srcPort, dstPort, text);
  if (available >= 8) sink.add(F.seq, offset + 4, 4, view.getUint32(offset + 4));
  sink.close();
}

/**
 * Header length below 20: Wireshark reports the fields up to the sequence number and the bogus
 * length (an expert error, not an exception), keeps the Info it has and stops.
 */
function bogusHeaderLength(
  ctx: DissectContext, seg: TcpSegmentInfo, hooks: DecodeHooks, offset: number, captured: number,
  text: boolean, cols: boolean,
): void {
  const { sink } = ctx;
  const message = `bogus TCP header length (${seg.hdrLen}, must be at least ${MIN_HEADER})`;
  sink.open(tcpProto, offset, Math.min(captured, MIN_HEADER), null, 0,
    text ? `${tcpProto.label}, Src Port: ${seg.srcPort}, Dst Port: ${seg.dstPort}, Seq: ${seg.relSeq}` : undefined);
  addPorts(ctx, offset, seg.srcPort, seg.dstPort, text);
  hooks.tcpFields?.(ctx, seg, 'ports');
  sink.add(F.len, offset, 0, seg.segmentLength, GENERATED);
  sink.add(F.seq, offset + 4, 4, seg.relSeq, 0,
    text ? `Sequence Number: ${seg.relSeq}${seg.stream >= 0 ? '    (relative sequence number)' : ''}` : undefined);
  sink.add(F.seqRaw, offset + 4, 4, seg.seq);
  sink.add(F.hdrLen, offset + 12, 1, seg.hdrLen, 0, text ? headerLengthText(seg.hdrLen) : undefined);
  sink.add(F.bogusHeaderLength, offset + 12, 1, null, 0,
    text ? `Bogus TCP header length (${seg.hdrLen}, must be at least ${MIN_HEADER})` : undefined);
  ctx.note({ severity: 'error', group: 'protocol', message: `Bogus TCP header length (${seg.hdrLen}, must be at least ${MIN_HEADER})` });
  ctx.problems.push({
    kind: 'malformed', layer: 'tcp', field: 'tcp.hdr_len', needed: MIN_HEADER, available: seg.hdrLen,
    offset: offset + 12, message: `tcp: tcp.hdr_len: ${message}`,
  });
  sink.close();
  if (cols) {
    ctx.setInfo(`${seg.infoPrefix}${seg.srcPort} → ${seg.dstPort} [${tcpFlagsNames(seg.flags)}] Seq=${seg.relSeq}${
      seg.flags & 0x010 ? ` Ack=${seg.relAck}` : ''} Win=${seg.windowSize >= 0 ? seg.windowSize : seg.window}, ${message}`);
  }
}

/** Truncated (capture cut) or malformed (the IP length leaves too little) — §4 keeps them apart. */
function damaged(ctx: DissectContext, field: string, offset: number, needed: number, captured: number, reported: number): void {
  if (reported < needed) {
    ctx.malformed('tcp', field, offset, Math.max(0, captured), `only ${reported} bytes in the IP payload, ${needed} needed`);
    markInfo(ctx, INFO_MALFORMED);
  } else {
    ctx.truncated('tcp', field, offset, needed);
    markInfo(ctx, INFO_TRUNCATED);
  }
}

ipProtocols.set(IP_PROTO_TCP, dissectTcp);
