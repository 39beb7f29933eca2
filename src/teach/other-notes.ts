/**
 * Teaching notes for DNS, ICMP, ARP (and IP fragments): read from the packet's decoded fields
 * (recursion desired / available, rcode, names and answers; ICMP type, id, sequence, TTL; ARP
 * sender and target) and paired within the lesson (query ↔ response by transaction id, echo
 * request ↔ reply by id and sequence, ARP request ↔ reply by address), so a note can say
 * "answer to frame 7 after 0.2 ms". Without the packet's fields (not loaded yet) the
 * analysis's own note is worded instead. Isomorphic.
 */
import type { DiagramNote } from '../analysis/sequence/types.js';
import type { PacketFields } from './fields.js';
import { formatDuration, msOf } from './time.js';
import type { LessonDiagram, MessageParam, NoteTone, StepNote } from './types.js';

type Arrow = LessonDiagram['arrows'][number];

/** RFC 1035 / IANA resource record types a class meets. */
const DNS_TYPES: Record<number, string> = {
  1: 'A', 2: 'NS', 5: 'CNAME', 6: 'SOA', 12: 'PTR', 15: 'MX', 16: 'TXT', 28: 'AAAA', 33: 'SRV', 35: 'NAPTR',
  41: 'OPT', 43: 'DS', 46: 'RRSIG', 47: 'NSEC', 48: 'DNSKEY', 64: 'SVCB', 65: 'HTTPS', 255: 'ANY',
};

export function dnsTypeName(code: number): string {
  return DNS_TYPES[code] ?? `TYPE${code}`;
}

/** RFC 1035 §4.1.1 / RFC 6895 response codes. */
const RCODES: Record<number, string> = {
  0: 'NOERROR', 1: 'FORMERR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 4: 'NOTIMP', 5: 'REFUSED',
};

/** Usual initial TTLs (Linux/macOS 64, Windows 128, network gear 255). */
const INITIAL_TTLS = [32, 64, 128, 255];

/** What a lesson remembers across non-TCP steps for pairing. */
export class ExchangeContext {
  readonly dnsQueries = new Map<string, { frame: number; timeNs: number }>();
  readonly echoRequests = new Map<string, { frame: number; timeNs: number }>();
  readonly arpRequests = new Map<string, { frame: number; timeNs: number }>();
}

export function otherStepNotes(ctx: ExchangeContext, arrow: Arrow, pf: PacketFields | undefined, src: string, dst: string): StepNote[] {
  const notes: StepNote[] = [];
  const base = { src, dst };
  const say = (key: string, params: Record<string, MessageParam> = {}, tone: NoteTone = 'info'): void => {
    notes.push({ key: `note.${key}`, params: { ...base, ...params }, tone });
  };
  if (!pf) {
    for (const n of arrow.notes) fallback(n, say);
    return notes;
  }
  if (pf.has('dns')) dns(ctx, arrow, pf, say);
  else if (pf.has('arp')) arp(ctx, arrow, pf, say);
  else if (pf.has('icmp') || pf.has('icmpv6')) icmp(ctx, arrow, pf, say);
  else if (pf.has('ip') && (pf.flag('ip.flags.mf') || pf.num('ip.frag_offset') > 0)) {
    // ip.frag_offset counts 8-byte units (RFC 791); the note speaks in bytes.
    const offset = pf.num('ip.frag_offset') * 8;
    if (pf.flag('ip.flags.mf')) say('ip-fragment', { offset, id: pf.get('ip.id'), len: pf.num('ip.len') - pf.num('ip.hdr_len') });
    else say('ip-fragment-last', { offset, id: pf.get('ip.id'), len: pf.num('ip.len') - pf.num('ip.hdr_len'), info: arrow.label });
  } else if (pf.has('udp')) {
    say('udp', { srcPort: pf.num('udp.srcport'), dstPort: pf.num('udp.dstport'), len: pf.num('udp.length') - 8 });
  } else {
    for (const n of arrow.notes) fallback(n, say);
  }
  return notes;
}

type Say = (key: string, params?: Record<string, MessageParam>, tone?: NoteTone) => void;

function fallback(n: DiagramNote, say: Say): void {
  const info = String(n.facts.info ?? '');
  say('other', { info });
}

function dns(ctx: ExchangeContext, arrow: Arrow, pf: PacketFields, say: Say): void {
  const id = pf.get('dns.id');
  const name = pf.get('dns.qry.name');
  const qtype = dnsTypeName(pf.num('dns.qry.type'));
  const transport = pf.has('tcp') ? 'TCP' : 'UDP';
  if (!pf.flag('dns.flags.response')) {
    ctx.dnsQueries.set(id, { frame: arrow.frame, timeNs: arrow.timeNs });
    say('dns-query', { id, name, qtype, transport, port: pf.has('tcp') ? pf.num('tcp.dstport') : pf.num('udp.dstport') });
    say(pf.flag('dns.flags.recdesired') ? 'dns-rd' : 'dns-rd-off');
    return;
  }
  const q = ctx.dnsQueries.get(id);
  const rcode = pf.num('dns.flags.rcode') || 0;
  if (q) say('dns-response', { id, name, qtype, queryFrame: q.frame, time: formatDuration(arrow.timeNs - q.timeNs), timeMs: msOf(arrow.timeNs - q.timeNs) });
  else say('dns-response-unpaired', { id, name, qtype });
  if (rcode === 3) say('dns-nxdomain', { name, rcode }, 'problem');
  else if (rcode !== 0) say('dns-error', { rcode, rcodeName: RCODES[rcode] ?? String(rcode) }, 'problem');
  else {
    const answers = dnsAnswers(pf);
    const cnames = pf.all('dns.cname');
    if (cnames.length) say('dns-cname', { name, chain: cnames.join(' → ') });
    if (answers.length) say('dns-answers', { count: answers.length, answers: answers.join(', ') });
    else say('dns-no-answers', { name, qtype });
  }
  say(pf.flag('dns.flags.recavail') ? 'dns-ra' : 'dns-ra-off');
}

/** The answer section as "A 192.0.2.80", "CNAME web.example.com" … (OPT and authority excluded). */
function dnsAnswers(pf: PacketFields): string[] {
  const out: string[] = [];
  const answersNode = pf.packet.tree.find((n) => n.field === 'dns')?.children?.find((c) => c.label === 'Answers');
  for (const rr of answersNode?.children ?? []) {
    const kids = rr.children ?? [];
    const type = Number(kids.find((k) => k.field === 'dns.resp.type')?.value ?? NaN);
    const data = kids.find((k) => ['dns.a', 'dns.aaaa', 'dns.cname', 'dns.ptr.domain_name', 'dns.mx.mail_exchange', 'dns.ns', 'dns.srv.target', 'dns.txt'].includes(k.field));
    out.push(`${dnsTypeName(type)}${data ? ` ${data.value}` : ''}`);
  }
  return out;
}

function icmp(ctx: ExchangeContext, arrow: Arrow, pf: PacketFields, say: Say): void {
  const v6 = pf.has('icmpv6');
  const type = v6 ? pf.num('icmpv6.type') : pf.num('icmp.type');
  const code = v6 ? pf.num('icmpv6.code') : pf.num('icmp.code');
  const ttl = v6 ? pf.num('ipv6.hlim') : pf.num('ip.ttl');
  const id = v6 ? pf.num('icmpv6.echo.identifier') : pf.num('icmp.ident');
  const seq = v6 ? pf.num('icmpv6.echo.sequence_number') : pf.num('icmp.seq');
  const isRequest = v6 ? type === 128 : type === 8;
  const isReply = v6 ? type === 129 : type === 0;
  const key = `${id}/${seq}`;
  if (isRequest) {
    ctx.echoRequests.set(key, { frame: arrow.frame, timeNs: arrow.timeNs });
    say('icmp-echo-request', { type, id, seq });
    if (ttl === 1) say('icmp-ttl-one', { ttl }, 'attention');
    else if (Number.isFinite(ttl)) say('icmp-ttl', { ttl });
    return;
  }
  if (isReply) {
    const req = ctx.echoRequests.get(key);
    if (req) {
      ctx.echoRequests.delete(key);
      say('icmp-echo-reply', { type, id, seq, requestFrame: req.frame, rtt: formatDuration(arrow.timeNs - req.timeNs), rttMs: msOf(arrow.timeNs - req.timeNs) });
    } else {
      say('icmp-echo-reply-unpaired', { type, id, seq });
    }
    if (Number.isFinite(ttl)) {
      const initial = INITIAL_TTLS.find((t) => t >= ttl) ?? 255;
      say(initial === ttl ? 'icmp-reply-ttl-same' : 'icmp-reply-ttl-hops', { ttl, initial, hops: initial - ttl });
    }
    return;
  }
  // Errors quote the packet that caused them (RFC 792): the quoted IP/UDP headers follow.
  const quotedDst = v6 ? pf.all('ipv6.dst')[1] ?? '' : pf.all('ip.dst')[1] ?? '';
  if (!v6 && type === 11) say('icmp-time-exceeded', { type, code, router: pf.get('ip.src'), original: quotedDst }, 'attention');
  else if (v6 && type === 3) say('icmp-time-exceeded', { type, code, router: pf.get('ipv6.src'), original: quotedDst }, 'attention');
  else if (!v6 && type === 3 && code === 3) say('icmp-port-unreachable', { type, code, port: pf.num('udp.dstport'), host: pf.get('ip.src') }, 'problem');
  else if ((!v6 && type === 3) || (v6 && type === 1)) say('icmp-unreachable', { type, code }, 'problem');
  else say('icmp-other', { type, code, info: pf.packet.tree.find((n) => n.field === (v6 ? 'icmpv6' : 'icmp'))?.children?.find((c) => c.field === (v6 ? 'icmpv6.type' : 'icmp.type'))?.label ?? '' });
}

function arp(ctx: ExchangeContext, arrow: Arrow, pf: PacketFields, say: Say): void {
  const opcode = pf.num('arp.opcode');
  const senderIp = pf.get('arp.src.proto_ipv4');
  const senderMac = pf.get('arp.src.hw_mac');
  const targetIp = pf.get('arp.dst.proto_ipv4');
  const ethDst = pf.get('eth.dst');
  const conflict = arrow.notes.find((n) => n.kind === 'arp-conflict');
  if (pf.flag('arp.isgratuitous') || (senderIp !== '' && senderIp === targetIp)) {
    say('arp-gratuitous', { ip: senderIp, mac: senderMac, opcode });
  } else if (opcode === 1) {
    const earlier = ctx.arpRequests.get(targetIp);
    ctx.arpRequests.set(targetIp, { frame: arrow.frame, timeNs: arrow.timeNs });
    say('arp-request', { target: targetIp, asker: senderIp, askerMac: senderMac, ethDst });
    if (earlier) say('arp-request-again', { target: targetIp, earlierFrame: earlier.frame, after: formatDuration(arrow.timeNs - earlier.timeNs) }, 'attention');
  } else if (opcode === 2) {
    const req = ctx.arpRequests.get(senderIp);
    if (req) ctx.arpRequests.delete(senderIp);
    say('arp-reply', { ip: senderIp, mac: senderMac, to: pf.get('arp.dst.proto_ipv4'), ethDst });
    if (req) say('arp-reply-pair', { requestFrame: req.frame, time: formatDuration(arrow.timeNs - req.timeNs) });
  } else {
    say('other', { info: arrow.label });
  }
  if (conflict) {
    const c = conflict.facts;
    say('arp-conflict', { ip: String(c.ip), mac: String(c.mac), earlierMac: String(c.earlierMac), earlierFrame: Number(c.earlierFrame) }, 'problem');
  }
}
