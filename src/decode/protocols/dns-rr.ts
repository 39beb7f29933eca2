/**
 * DNS resource records (RFC 1035 §4.1.3) and their RDATA: A, AAAA, NS, CNAME, PTR, MX, TXT/SPF,
 * SOA, SRV (RFC 2782), OPT (RFC 6891 EDNS, with the common options); every other type is kept
 * as raw `dns.data` with its number, as Wireshark does for types it does not decode.
 *
 * Tree lines, field values and Info parts follow Wireshark 4.0 (packet-dns.c dissect_dns_answer).
 */
import { formatIPv4, formatIPv6 } from '../fields/format.js';
import type { DissectContext } from '../context.js';
import {
  DNS_CLASSES, DNS_TYPE_DESCRIPTIONS, DNS_TYPE_NAMES, EDNS_OPTION_NAMES, T_A, T_AAAA, T_CNAME, T_MX, T_NS,
  T_OPT, T_PTR, T_SOA, T_SPF, T_SRV, T_TXT, dnsFields as F, textField,
} from './dns-fields.js';
import { formatText, need, readDnsName, type DnsMessage } from './dns-name.js';

/** What the section walker needs back from one record. */
export interface DnsOutput {
  /** Info column text being built (undefined when nobody reads the columns). */
  info: string | undefined;
  /** mDNS: the class's top bit is "cache flush", not part of the class. */
  mdns: boolean;
}

export function typeName(type: number): string {
  return DNS_TYPE_NAMES[type] ?? `Unknown (${type})`;
}

export function typeText(type: number): string {
  return `Type: ${DNS_TYPE_DESCRIPTIONS[type] ?? 'Unknown'} (${type})`;
}

export function classText(cls: number): string {
  return `Class: ${DNS_CLASSES[cls] ?? 'Unknown'} (0x${cls.toString(16).padStart(4, '0')})`;
}

/** Wireshark's unsigned_time_secs_to_str: "1 day, 2 hours, 3 minutes, 4 seconds". */
export function secondsText(value: number): string {
  if (value === 0) return '0 seconds';
  const parts: string[] = [];
  const unit = (n: number, word: string) => parts.push(`${n} ${word}${n === 1 ? '' : 's'}`);
  let v = value;
  const days = Math.floor(v / 86400);
  v -= days * 86400;
  const hours = Math.floor(v / 3600);
  v -= hours * 3600;
  const minutes = Math.floor(v / 60);
  const seconds = v - minutes * 60;
  if (days) unit(days, 'day');
  if (hours) unit(hours, 'hour');
  if (minutes) unit(minutes, 'minute');
  if (seconds) unit(seconds, 'second');
  return parts.join(', ');
}

/**
 * One resource record at `offset`; returns its length on the wire. The record's subtree is
 * opened and closed here (a bounds error thrown inside leaves it open: the caller closes it).
 */
export function dissectResourceRecord(
  ctx: DissectContext,
  msg: DnsMessage,
  offset: number,
  out: DnsOutput,
  depth: { open: number },
): number {
  const { view, sink } = ctx;
  const text = sink.wantsText;
  const name = readDnsName(msg, offset);
  const ownerText = name.text;
  const ownerRaw = name.rawLength;
  const ownerLen = name.consumed;
  let p = offset + ownerLen;
  need(msg, p, 10, 'dns rr header');
  const type = view.getUint16(p);
  let cls = view.getUint16(p + 2);
  const ttl = view.getUint32(p + 4);
  const rdlen = view.getUint16(p + 8);
  const flush = out.mdns && (cls & 0x8000) !== 0;
  if (out.mdns) cls &= 0x7fff;
  const tName = typeName(type);
  if (out.info !== undefined) out.info += ` ${tName}${flush ? ', cache flush' : ''}`;
  const rdata = p + 10;
  const total = ownerLen + 10 + rdlen;

  sink.open(textField, offset, Math.min(total, msg.capEnd - offset), null, 0,
    text ? rrNodeText(ctx, msg, ownerText, type, cls, rdata, rdlen) + (flush ? ', cache flush' : '') : undefined);
  depth.open++;
  if (type === T_OPT) {
    sink.add(F.respName, offset, ownerLen, ownerText);
    sink.add(F.respType, p, 2, type, 0, text ? typeText(type) : undefined);
    sink.add(F.udpPayloadSize, p + 2, 2, view.getUint16(p + 2));
    sink.add(F.extRcode, p + 4, 1, ctx.bytes[p + 4]);
    sink.add(F.edns0Version, p + 5, 1, ctx.bytes[p + 5]);
    const z = view.getUint16(p + 6);
    sink.open(F.respZ, p + 6, 2, z);
    sink.add(F.zDo, p + 6, 2, (z & 0x8000) !== 0);
    sink.add(F.zReserved, p + 6, 2, z & 0x7fff);
    sink.close();
  } else {
    if (type === T_SRV && ownerRaw > 0) addSrvOwner(ctx, ownerText, offset, ownerLen);
    else sink.add(F.respName, offset, ownerLen, ownerText);
    sink.add(F.respType, p, 2, type, 0, text ? typeText(type) : undefined);
    sink.add(F.respClass, p + 2, 2, cls, 0, text ? classText(cls) : undefined);
    if (out.mdns) sink.add(F.cacheFlush, p + 2, 2, flush);
    sink.add(F.respTtl, p + 4, 4, ttl, 0, text ? `Time to live: ${ttl} (${secondsText(ttl)})` : undefined);
  }
  sink.add(F.respLen, p + 8, 2, rdlen);
  if (rdlen > 0) dissectRdata(ctx, msg, type, rdata, rdlen, out);
  sink.close();
  depth.open--;
  return total;
}

/** SRV owners "_service._proto.name" are split into three fields instead of dns.resp.name. */
function addSrvOwner(ctx: DissectContext, owner: string, offset: number, len: number): void {
  const first = owner.indexOf('.');
  const second = first < 0 ? -1 : owner.indexOf('.', first + 1);
  const { sink } = ctx;
  sink.add(F.srvService, offset, len, first < 0 ? owner : owner.slice(0, first));
  if (first >= 0) {
    sink.add(F.srvProto, offset, len, second < 0 ? owner.slice(first + 1) : owner.slice(first + 1, second));
    if (second >= 0) sink.add(F.srvName, offset, len, owner.slice(second + 1));
  }
}

/** "www.example.com: type A, class IN, addr 192.0.2.1" — built only for the tree. */
function rrNodeText(
  ctx: DissectContext, msg: DnsMessage, owner: string, type: number, cls: number, rdata: number, rdlen: number,
): string {
  if (type === T_OPT) return `${owner}: type OPT`;
  const head = `${owner}: type ${typeName(type)}, class ${DNS_CLASSES[cls] ?? 'Unknown'}`;
  if (rdlen === 0 || rdata + rdlen > msg.capEnd) return head;
  const { view } = ctx;
  try {
    switch (type) {
      case T_A: return rdlen >= 4 ? `${head}, addr ${formatIPv4(view.getUint32(rdata))}` : head;
      case T_AAAA: return rdlen >= 16 ? `${head}, addr ${formatIPv6(ctx.bytes, rdata)}` : head;
      case T_NS: return `${head}, ns ${readDnsName(msg, rdata).text}`;
      case T_CNAME: return `${head}, cname ${readDnsName(msg, rdata).text}`;
      case T_PTR: return `${head}, ${readDnsName(msg, rdata).text}`;
      case T_SOA: return `${head}, mname ${readDnsName(msg, rdata).text}`;
      case T_MX:
        return rdlen >= 3 ? `${head}, preference ${view.getUint16(rdata)}, mx ${readDnsName(msg, rdata + 2).text}` : head;
      case T_SRV:
        return rdlen >= 7 ? `${head}, priority ${view.getUint16(rdata)}, weight ${view.getUint16(rdata + 2)}, port ${
          view.getUint16(rdata + 4)}, target ${readDnsName(msg, rdata + 6).text}` : head;
      default: return head;
    }
  } catch {
    // The record is damaged: the walk reports it; the heading keeps what is certain.
    return head;
  }
}

function dissectRdata(
  ctx: DissectContext, msg: DnsMessage, type: number, rdata: number, rdlen: number, out: DnsOutput,
): void {
  const { view, sink, bytes } = ctx;
  const text = sink.wantsText;
  const end = rdata + rdlen;
  switch (type) {
    case T_A: {
      need(msg, rdata, 4, 'dns.a');
      const addr = view.getUint32(rdata);
      if (out.info !== undefined) out.info += ` ${formatIPv4(addr)}`;
      sink.add(F.a, rdata, 4, addr);
      return;
    }
    case T_AAAA: {
      need(msg, rdata, 16, 'dns.aaaa');
      const addr = bytes.subarray(rdata, rdata + 16);
      if (out.info !== undefined) out.info += ` ${formatIPv6(addr)}`;
      sink.add(F.aaaa, rdata, 16, addr);
      return;
    }
    case T_NS:
    case T_CNAME:
    case T_PTR: {
      const n = readDnsName(msg, rdata);
      if (out.info !== undefined) out.info += ` ${n.text}`;
      sink.add(type === T_NS ? F.ns : type === T_CNAME ? F.cname : F.ptr, rdata, n.consumed, n.text);
      return;
    }
    case T_MX: {
      need(msg, rdata, 2, 'dns.mx.preference');
      const pref = view.getUint16(rdata);
      const n = readDnsName(msg, rdata + 2);
      if (out.info !== undefined) out.info += ` ${pref} ${n.text}`;
      sink.add(F.mxPreference, rdata, 2, pref);
      sink.add(F.mxMailExchange, rdata + 2, n.consumed, n.text);
      return;
    }
    case T_SOA: {
      let p = rdata;
      let n = readDnsName(msg, p);
      if (out.info !== undefined) out.info += ` ${n.text}`;
      sink.add(F.soaMname, p, n.consumed, n.text);
      p += n.consumed;
      n = readDnsName(msg, p);
      sink.add(F.soaRname, p, n.consumed, n.text);
      p += n.consumed;
      need(msg, p, 20, 'dns.soa');
      sink.add(F.soaSerial, p, 4, view.getUint32(p));
      const intervals = [F.soaRefresh, F.soaRetry, F.soaExpire, F.soaMinimum];
      for (let i = 0; i < 4; i++) {
        const v = view.getUint32(p + 4 + 4 * i);
        sink.add(intervals[i], p + 4 + 4 * i, 4, v, 0,
          text ? `${intervals[i].label}: ${v} (${secondsText(v)})` : undefined);
      }
      return;
    }
    case T_TXT:
    case T_SPF: {
      const lenField = type === T_TXT ? F.txtLength : F.spfLength;
      const strField = type === T_TXT ? F.txt : F.spf;
      let p = rdata;
      while (p < end) {
        need(msg, p, 1, lenField.name);
        const n = bytes[p];
        need(msg, p + 1, n, strField.name);
        sink.add(lenField, p, 1, n);
        sink.add(strField, p + 1, n, formatText(bytes, p + 1, p + 1 + n));
        p += 1 + n;
      }
      return;
    }
    case T_SRV: {
      need(msg, rdata, 6, 'dns.srv');
      const prio = view.getUint16(rdata);
      const weight = view.getUint16(rdata + 2);
      const port = view.getUint16(rdata + 4);
      const n = readDnsName(msg, rdata + 6);
      if (out.info !== undefined) out.info += ` ${prio} ${weight} ${port} ${n.text}`;
      sink.add(F.srvPriority, rdata, 2, prio);
      sink.add(F.srvWeight, rdata + 2, 2, weight);
      sink.add(F.srvPort, rdata + 4, 2, port);
      sink.add(F.srvTarget, rdata + 6, n.consumed, n.text);
      return;
    }
    case T_OPT:
      dissectEdnsOptions(ctx, msg, rdata, end);
      return;
    default: {
      // Kept with its number, as Wireshark does for types it does not decode.
      const avail = Math.min(end, msg.capEnd) - rdata;
      if (avail > 0) sink.add(F.data, rdata, avail, bytes.subarray(rdata, rdata + avail));
      ctx.note({ severity: 'note', group: 'undecoded',
        message: `Dissector for DNS Type (${type}) code not implemented, Contact Wireshark developers if you want this supported` });
      if (avail < rdlen) need(msg, rdata, rdlen, 'dns.data');
    }
  }
}

/** EDNS options (RFC 6891 §6.1.2): code, length, data, and the common ones decoded. */
function dissectEdnsOptions(ctx: DissectContext, msg: DnsMessage, start: number, end: number): void {
  const { view, sink, bytes } = ctx;
  const text = sink.wantsText;
  let p = start;
  while (p < end) {
    need(msg, p, 4, 'dns.opt');
    const code = view.getUint16(p);
    const len = view.getUint16(p + 2);
    const name = EDNS_OPTION_NAMES[code] ?? `Unknown (${code})`;
    sink.open(F.opt, p, Math.min(4 + len, msg.capEnd - p), null, 0, text ? `Option: ${name}` : undefined);
    sink.add(F.optCode, p, 2, code, 0, text ? `Option Code: ${name} (${code})` : undefined);
    sink.add(F.optLen, p + 2, 2, len);
    const data = p + 4;
    const avail = Math.max(0, Math.min(data + len, msg.capEnd) - data);
    if (len > 0 && avail > 0) sink.add(F.optData, data, avail, bytes.subarray(data, data + avail));
    if (avail === len) {
      switch (code) {
        case 8: // CSUBNET (RFC 7871)
          if (len >= 4) {
            const family = view.getUint16(data);
            sink.add(F.optClientFamily, data, 2, family, 0,
              text ? `Family: ${family === 1 ? 'IPv4' : family === 2 ? 'IPv6' : 'Unknown'} (${family})` : undefined);
            sink.add(F.optClientNetmask, data + 2, 1, bytes[data + 2]);
            sink.add(F.optClientScope, data + 3, 1, bytes[data + 3]);
            const addrLen = len - 4;
            if (family === 1 && addrLen <= 4) {
              const a = new Uint8Array(4);
              a.set(bytes.subarray(data + 4, data + len));
              sink.add(F.optClientAddr4, data + 4, addrLen, ((a[0] << 24) | (a[1] << 16) | (a[2] << 8) | a[3]) >>> 0);
            } else if (family === 2 && addrLen <= 16) {
              const a = new Uint8Array(16);
              a.set(bytes.subarray(data + 4, data + len));
              sink.add(F.optClientAddr6, data + 4, addrLen, a);
            } else if (addrLen > 0) {
              sink.add(F.optClientAddr, data + 4, addrLen, bytes.subarray(data + 4, data + len));
            }
          }
          break;
        case 10: // COOKIE (RFC 7873): 8-byte client cookie, optional server cookie
          if (len >= 8) {
            sink.add(F.optCookieClient, data, 8, bytes.subarray(data, data + 8));
            if (len > 8) sink.add(F.optCookieServer, data + 8, len - 8, bytes.subarray(data + 8, data + len));
          }
          break;
        case 11: // EDNS TCP keepalive (RFC 7828)
          if (len === 2) sink.add(F.optKeepalive, data, 2, view.getUint16(data));
          break;
        case 12: // PADDING (RFC 7830)
          if (len > 0) sink.add(F.optPadding, data, len, bytes.subarray(data, data + len));
          break;
        default:
          break;
      }
    }
    sink.close();
    if (avail < len) need(msg, data, len, 'dns.opt.data');
    p = data + len;
  }
}

