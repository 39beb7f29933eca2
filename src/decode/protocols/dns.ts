/**
 * DNS (RFC 1035) over UDP (port 53, plus a heuristic for other ports), over TCP with the 2-byte
 * length prefix (RFC 1035 §4.2.2; several messages may share one segment), mDNS (RFC 6762, UDP
 * 5353) and LLMNR (RFC 4795, UDP 5355), shown as Wireshark 4.0 shows them: header and flags,
 * the four sections, and the Info column ("Standard query response 0x5934 A www.tcpdump.org A
 * 192.139.46.66 …").
 *
 * Hostile input: names are read by dns-name.ts (bounded pointer chasing); every section entry
 * consumes at least 5 bytes or stops the walk at the end of the message, so absurd counts cost
 * nothing. A read past the message raises DnsBoundsError, caught here: the layers and records
 * decoded before it stay, and the packet gets a truncated/malformed problem.
 *
 * Reassembly (the analysis' job): `dnsTcpPduLength` says how long the length-prefixed message at
 * an offset is; `dissectDnsTcp` works on any buffer the context can see.
 */
import type { DissectContext } from '../context.js';
import { bitPattern } from '../fields/format.js';
import { defineField, type FieldDef } from '../fields/types.js';
import { tcpPorts, udpHeuristics, udpPorts } from '../registry.js';
import { GENERATED } from '../sink.js';
import {
  DNS_OPCODES, DNS_RCODES, OPCODE_UPDATE, dnsFields as F, dnsProto, llmnrProto, mdnsProto, textField,
} from './dns-fields.js';
import { DnsBoundsError, need, readDnsName, type DnsMessage } from './dns-name.js';
import { classText, dissectResourceRecord, typeName, typeText, type DnsOutput } from './dns-rr.js';
import { INFO_MALFORMED, INFO_TRUNCATED, INFO_UNREASSEMBLED, MAX_INFO, markInfo } from './tcp-info.js';

export const DNS_PORT = 53;
export const MDNS_PORT = 5353;
export const LLMNR_PORT = 5355;
const HEADER = 12;

interface Flavor {
  proto: FieldDef;
  /** frame.protocols name. */
  name: string;
  /** Protocol column. */
  column: string;
  mdns: boolean;
  llmnr: boolean;
}

const DNS: Flavor = { proto: dnsProto, name: 'dns', column: 'DNS', mdns: false, llmnr: false };
const MDNS: Flavor = { proto: mdnsProto, name: 'mdns', column: 'MDNS', mdns: true, llmnr: false };
const LLMNR: Flavor = { proto: llmnrProto, name: 'llmnr', column: 'LLMNR', mdns: false, llmnr: true };

export function dissectDnsUdp(ctx: DissectContext, offset: number, end: number): void {
  dissectDnsMessage(ctx, DNS, offset, end, -1, true);
}

export function dissectMdns(ctx: DissectContext, offset: number, end: number): void {
  dissectDnsMessage(ctx, MDNS, offset, end, -1, true);
}

export function dissectLlmnr(ctx: DissectContext, offset: number, end: number): void {
  dissectDnsMessage(ctx, LLMNR, offset, end, -1, true);
}

/**
 * Length of the length-prefixed DNS message starting at `offset` (2 + its length), or 0 when
 * the 2-byte prefix itself is not there yet. For the analysis' TCP reassembly.
 */
export function dnsTcpPduLength(bytes: Uint8Array, offset: number, end: number): number {
  if (end - offset < 2 || bytes.length - offset < 2) return 0;
  return 2 + ((bytes[offset] << 8) | bytes[offset + 1]);
}

/** DNS over TCP: every length-prefixed message in [offset, end); the Info shows the last one, as in Wireshark. */
export function dissectDnsTcp(ctx: DissectContext, offset: number, end: number): void {
  const capEnd = Math.min(end, ctx.bytes.length);
  let p = offset;
  let first = true;
  while (p < end) {
    if (p + 2 > capEnd) {
      if (first) ctx.protocols.push('dns');
      ctx.setProtocol('DNS');
      if (p + 2 > end) {
        unreassembled(ctx, p, end - p);
        markInfo(ctx, INFO_UNREASSEMBLED);
      } else {
        ctx.truncated('dns', 'dns.length', p, 2);
        markInfo(ctx, INFO_TRUNCATED);
      }
      return;
    }
    const len = (ctx.bytes[p] << 8) | ctx.bytes[p + 1];
    const msgEnd = p + 2 + len;
    // A message running past the segment continues in later segments: without reassembly it
    // is decoded as far as it goes (tshark with tcp.desegment_tcp_streams off does the same).
    dissectDnsMessage(ctx, DNS, p + 2, Math.min(msgEnd, end), p, first, true);
    first = false;
    if (msgEnd > end) return;
    p = msgEnd;
  }
}

/** A length-prefixed message cut by the end of the segment (it continues in later ones). */
function unreassembled(ctx: DissectContext, offset: number, have: number): void {
  const message = `dns: message continues past this segment (${have} bytes here; not reassembled)`;
  const needed = have + 1;
  ctx.problems.push({ kind: 'truncated', layer: 'dns', field: 'dns.length', needed, available: have, offset, message });
  ctx.note({ severity: 'warn', group: 'reassemble', message });
}

/**
 * One DNS message in [offset, end) of ctx.bytes (end = where the transport says it ends).
 * `lengthAt` ≥ 0 is the offset of a TCP length prefix to show as dns.length. `overTcp`: a read
 * past the end is Wireshark's "unreassembled" error (the data would be in another segment)
 * rather than a malformed message.
 */
export function dissectDnsMessage(
  ctx: DissectContext, flavor: Flavor, offset: number, end: number, lengthAt: number, pushProto: boolean,
  overTcp = false,
): void {
  const { bytes, view, sink } = ctx;
  const text = sink.wantsText;
  const cols = ctx.wantsColumns;
  const msg: DnsMessage = { bytes, start: offset, end, capEnd: Math.min(end, bytes.length) };
  const nodeStart = lengthAt >= 0 ? lengthAt : offset;
  if (pushProto) ctx.protocols.push(flavor.name);
  ctx.setProtocol(flavor.column);
  if (cols) ctx.setInfo('');

  const out: DnsOutput = { info: undefined, mdns: flavor.mdns };
  /** The message's id once read: the transaction hook is told at the end (Wireshark adds its
   *  request/response links after the sections). */
  let transactionId = -1;
  const transaction = () => {
    if (transactionId >= 0 && ctx.nested === 0) ctx.hooks.transaction?.(ctx, flavor.name, String(transactionId), !isResponse);
  };
  const depth = { open: 0 };
  const haveFlags = msg.capEnd - offset >= 4;
  const flags = haveFlags ? view.getUint16(offset + 2) : 0;
  const isResponse = (flags & 0x8000) !== 0;
  sink.open(flavor.proto, nodeStart, Math.max(0, msg.capEnd - nodeStart), null, 0,
    text ? `${flavor.proto.label}${haveFlags ? (isResponse ? ' (response)' : ' (query)') : ''}` : undefined);
  depth.open++;
  try {
    if (lengthAt >= 0) sink.add(F.length, lengthAt, 2, view.getUint16(lengthAt));
    need(msg, offset, 4, 'dns.flags');
    const id = view.getUint16(offset);
    const opcode = (flags >> 11) & 0xf;
    const rcode = flags & 0xf;
    const opName = DNS_OPCODES[opcode];
    if (cols) {
      out.info = `${opName ?? `Unknown operation (${opcode})`}${isResponse ? ' response' : ''} 0x${hex4(id)}`;
      if (isResponse && rcode !== 0) out.info += ` ${DNS_RCODES[rcode] ?? `Unknown error (${rcode})`}`;
    }
    sink.add(F.id, offset, 2, id);
    addFlags(ctx, flavor, offset + 2, flags, opName, text);
    need(msg, offset + 4, 8, 'dns counts');
    const qd = view.getUint16(offset + 4);
    const an = view.getUint16(offset + 6);
    const ns = view.getUint16(offset + 8);
    const ar = view.getUint16(offset + 10);
    const update = opcode === OPCODE_UPDATE;
    sink.add(update ? F.countZones : F.countQueries, offset + 4, 2, qd);
    sink.add(update ? F.countPrerequisites : F.countAnswers, offset + 6, 2, an);
    sink.add(update ? F.countUpdates : F.countAuthRr, offset + 8, 2, ns);
    sink.add(F.countAddRr, offset + 10, 2, ar);
    transactionId = id;

    let p = offset + HEADER;
    if (qd > 0) p = dissectQuestions(ctx, msg, flavor, p, qd, update ? 'Zone' : 'Queries', out, depth);
    if (an > 0) p = dissectSection(ctx, msg, p, an, update ? 'Prerequisites' : 'Answers', out, depth);
    if (ns > 0) p = dissectSection(ctx, msg, p, ns, update ? 'Updates' : 'Authoritative nameservers', out, depth);
    if (ar > 0) p = dissectSection(ctx, msg, p, ar, 'Additional records', out, depth);
    if (p < end) extraneous(ctx, msg, p, end);
    transaction();
    finishInfo(ctx, out);
  } catch (err) {
    if (!(err instanceof DnsBoundsError)) throw err;
    while (depth.open > 1) {
      sink.close();
      depth.open--;
    }
    transaction();
    sink.close();
    finishInfo(ctx, out);
    // A pointer may aim anywhere: report the damage where the message's bytes end at most.
    const at = Math.min(err.offset, msg.capEnd);
    if (err.truncated) {
      ctx.truncated(flavor.name, err.field, at, err.needed);
      markInfo(ctx, INFO_TRUNCATED);
    } else if (overTcp) {
      unreassembled(ctx, lengthAt, end - lengthAt);
      markInfo(ctx, INFO_UNREASSEMBLED);
    } else {
      ctx.malformed(flavor.name, err.field, at, err.needed, 'read past the end of the message');
      markInfo(ctx, INFO_MALFORMED);
    }
    return;
  }
  sink.close();
}

function finishInfo(ctx: DissectContext, out: DnsOutput): void {
  if (out.info === undefined) return;
  ctx.setInfo(out.info.length > MAX_INFO ? out.info.slice(0, MAX_INFO) : out.info);
}

function hex4(v: number): string {
  return v.toString(16).padStart(4, '0');
}

/**
 * The flags word: Wireshark shows authoritative, recursion available and the reply code only
 * in responses, and in queries the AD bit only when it is set (as "AD bit: Set").
 */
function addFlags(
  ctx: DissectContext, flavor: Flavor, at: number, flags: number, opName: string | undefined, text: boolean,
): void {
  const { sink } = ctx;
  const response = (flags & 0x8000) !== 0;
  const rcode = flags & 0xf;
  let summary = '';
  if (text) {
    summary = `Flags: 0x${hex4(flags)} ${opName ?? 'Unknown operation'}`;
    if (response) summary += ` response, ${DNS_RCODES[rcode] ?? 'Unknown error'}`;
  }
  sink.open(F.flags, at, 2, flags, 0, text ? summary : undefined);
  sink.add(F.response, at, 2, response);
  const opcode = (flags >> 11) & 0xf;
  sink.add(F.opcode, at, 2, opcode, 0,
    text ? `${bitPattern(16, 0x7800, flags)} = Opcode: ${opName ?? 'Unknown'} (${opcode})` : undefined);
  if (flavor.llmnr) {
    sink.add(F.conflict, at, 2, (flags & 0x0400) !== 0);
    sink.add(F.truncated, at, 2, (flags & 0x0200) !== 0);
    sink.add(F.tentative, at, 2, (flags & 0x0100) !== 0);
  } else {
    if (response) sink.add(F.authoritative, at, 2, (flags & 0x0400) !== 0);
    sink.add(F.truncated, at, 2, (flags & 0x0200) !== 0);
    sink.add(F.recdesired, at, 2, (flags & 0x0100) !== 0);
    if (response) sink.add(F.recavail, at, 2, (flags & 0x0080) !== 0);
    sink.add(F.z, at, 2, (flags & 0x0040) !== 0);
    if (response) sink.add(F.authenticated, at, 2, (flags & 0x0020) !== 0);
    else if (flags & 0x0020) {
      sink.add(F.authenticated, at, 2, true, 0, text ? `${bitPattern(16, 0x0020, flags)} = AD bit: Set` : undefined);
    }
    sink.add(F.checkdisable, at, 2, (flags & 0x0010) !== 0);
  }
  if (response) {
    sink.add(F.rcode, at, 2, rcode, 0,
      text ? `${bitPattern(16, 0x000f, flags)} = Reply code: ${DNS_RCODES[rcode] ?? 'Unknown'} (${rcode})` : undefined);
  }
  sink.close();
}

function dissectQuestions(
  ctx: DissectContext, msg: DnsMessage, flavor: Flavor, start: number, count: number, title: string,
  out: DnsOutput, depth: { open: number },
): number {
  const { sink, view } = ctx;
  const text = sink.wantsText;
  sink.open(textField, start, 0, null, 0, text ? title : undefined);
  depth.open++;
  let p = start;
  for (let i = 0; i < count; i++) {
    const n = readDnsName(msg, p);
    const nameText = n.text;
    const raw = n.rawLength;
    const labels = raw > 1 ? n.dots + 1 : 0;
    const nameLen = n.consumed;
    need(msg, p + nameLen, 4, 'dns question');
    const type = view.getUint16(p + nameLen);
    let cls = view.getUint16(p + nameLen + 2);
    const qu = flavor.mdns && (cls & 0x8000) !== 0;
    if (flavor.mdns) cls &= 0x7fff;
    const tName = typeName(type);
    if (out.info !== undefined) {
      out.info += ` ${tName} ${nameText}`;
      if (flavor.mdns) out.info += `, "${qu ? 'QU' : 'QM'}" question`;
    }
    sink.open(textField, p, nameLen + 4, null, 0,
      text ? `${nameText}: type ${tName}, class ${classShort(cls)}${flavor.mdns ? `, "${qu ? 'QU' : 'QM'}" question` : ''}` : undefined);
    sink.add(F.qryName, p, nameLen, nameText);
    sink.add(F.qryNameLen, p, nameLen, raw > 1 ? raw : 0, GENERATED);
    sink.add(F.countLabels, p, nameLen, labels, GENERATED);
    sink.add(F.qryType, p + nameLen, 2, type, 0, text ? typeText(type) : undefined);
    sink.add(F.qryClass, p + nameLen + 2, 2, cls, 0, text ? classText(cls) : undefined);
    if (flavor.mdns) sink.add(F.qryQu, p + nameLen + 2, 2, qu);
    sink.close();
    p += nameLen + 4;
  }
  sink.close(p - start);
  depth.open--;
  return p;
}

function classShort(cls: number): string {
  const t = classText(cls);
  return t.slice(7, t.lastIndexOf(' ('));
}

function dissectSection(
  ctx: DissectContext, msg: DnsMessage, start: number, count: number, title: string,
  out: DnsOutput, depth: { open: number },
): number {
  const { sink } = ctx;
  sink.open(textField, start, 0, null, 0, sink.wantsText ? title : undefined);
  depth.open++;
  let p = start;
  for (let i = 0; i < count; i++) p += dissectResourceRecord(ctx, msg, p, out, depth);
  sink.close(p - start);
  depth.open--;
  return p;
}

/** Bytes after the last record: Wireshark's "Extraneous Data (N bytes)". */
function extraneous(ctx: DissectContext, msg: DnsMessage, start: number, end: number): void {
  const { sink, bytes } = ctx;
  const stop = Math.min(end, msg.capEnd);
  const n = end - start;
  sink.open(extraneousField, start, stop - start, null, 0, sink.wantsText ? `Extraneous Data (${n} bytes)` : undefined);
  if (stop > start) sink.add(F.extraneousData, start, stop - start, bytes.subarray(start, stop));
  sink.add(F.extraneousLength, start, 0, n, GENERATED);
  sink.close();
  ctx.note({ severity: 'warn', group: 'protocol', message: 'Extraneous data' });
}

const extraneousField = defineField({ name: 'dns.extraneous', label: 'Extraneous data', type: 'none' });

/**
 * Heuristic for DNS on other UDP ports (Wireshark 4.0 has one, enabled by default): a standard
 * query or response with plausible counts whose sections parse exactly.
 */
export function looksLikeDns(bytes: Uint8Array, offset: number, end: number): boolean {
  const stop = Math.min(end, bytes.length);
  if (stop - offset <= HEADER || end > bytes.length) return false;
  const flags = (bytes[offset + 2] << 8) | bytes[offset + 3];
  if ((flags & 0x7800) !== 0) return false;
  const u16 = (at: number) => (bytes[at] << 8) | bytes[at + 1];
  const qd = u16(offset + 4);
  const an = u16(offset + 6);
  const ns = u16(offset + 8);
  const ar = u16(offset + 10);
  if (flags & 0x8000) {
    if (qd > 1 || an > 200 || ns > 200 || ar > 200) return false;
  } else if (qd !== 1 || an !== 0 || ns !== 0 || ar > 10) return false;
  const msg: DnsMessage = { bytes, start: offset, end: stop, capEnd: stop };
  try {
    let p = offset + HEADER;
    for (let i = 0; i < qd; i++) {
      p += readDnsName(msg, p).consumed;
      need(msg, p, 4, 'q');
      p += 4;
    }
    for (let i = 0; i < an + ns + ar; i++) {
      p += readDnsName(msg, p).consumed;
      need(msg, p, 10, 'rr');
      const rdlen = u16(p + 8);
      p += 10 + rdlen;
      need(msg, p, 0, 'rdata');
    }
    return p === stop;
  } catch {
    return false;
  }
}

function dnsHeuristic(ctx: DissectContext, offset: number, end: number): boolean {
  if (!looksLikeDns(ctx.bytes, offset, end)) return false;
  dissectDnsUdp(ctx, offset, end);
  return true;
}

udpPorts.set(DNS_PORT, dissectDnsUdp);
udpPorts.set(MDNS_PORT, dissectMdns);
udpPorts.set(LLMNR_PORT, dissectLlmnr);
tcpPorts.set(DNS_PORT, dissectDnsTcp);
udpHeuristics.push(dnsHeuristic);
