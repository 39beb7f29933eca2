/**
 * Info-column texts of the transport and application dissectors: TCP flag texts as Wireshark
 * prints them (Info "[SYN, ACK]", tcp.flags.str "·······A··S·"), and the markers Wireshark's
 * exception handler appends when a dissector stops on a bounds error.
 */
import type { DissectContext } from '../context.js';

/** What Wireshark appends to the Info column when a read fails (no space before it). */
export const INFO_TRUNCATED = '[Packet size limited during capture]';
export const INFO_MALFORMED = '[Malformed Packet]';
/** A PDU cut at the segment end with TCP reassembly off (tshark -o tcp.desegment_tcp_streams:FALSE). */
export const INFO_UNREASSEMBLED = '[BoundErrorUnreassembled Packet]';

/** Wireshark's COL_MAX_INFO_LEN (4096) less the terminating NUL: longer Info texts are cut. */
export const MAX_INFO = 4095;

/** Appends raw text (an exception marker, a media type) to the Info column, within Wireshark's limit. */
export function markInfo(ctx: DissectContext, marker: string): void {
  if (ctx.nested !== 0 || !ctx.wantsColumns) return;
  const info = ctx.cols.info + marker;
  ctx.cols.info = info.length > MAX_INFO ? info.slice(0, MAX_INFO) : info;
}

/** Names in Wireshark's order: lowest bit first, then "Reserved" for any of the top 3 bits. */
const FLAG_NAMES = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR', 'AE'];
/** tcp.flags.str letters, most significant of the 12 bits first. */
const FLAG_LETTERS = 'RRRACEUAPRSF';
const UNSET = '\u00b7';

const namesCache = new Map<number, string>();
const strCache = new Map<number, string>();

/** "FIN, SYN, RST, PSH, ACK, URG, ECE, CWR, AE, Reserved", or "<None>". Cached: 4096 values at most. */
export function tcpFlagsNames(flags: number): string {
  const f = flags & 0xfff;
  let s = namesCache.get(f);
  if (s === undefined) {
    const parts: string[] = [];
    for (let i = 0; i < FLAG_NAMES.length; i++) if (f & (1 << i)) parts.push(FLAG_NAMES[i]);
    if (f & 0xe00) parts.push('Reserved');
    s = parts.length ? parts.join(', ') : '<None>';
    namesCache.set(f, s);
  }
  return s;
}

/** The 12-character flag string, a letter per set bit and "·" per clear bit. Cached. */
export function tcpFlagsString(flags: number): string {
  const f = flags & 0xfff;
  let s = strCache.get(f);
  if (s === undefined) {
    s = '';
    for (let i = 0; i < 12; i++) s += f & (0x800 >> i) ? FLAG_LETTERS[i] : UNSET;
    strCache.set(f, s);
  }
  return s;
}

const CHECKSUM_STATUS = ['Bad', 'Good', 'Unverified', 'Not present', 'Illegal'];

/** "Checksum Status: Unverified" — Wireshark shows the status name only (BASE_NONE). */
export function checksumStatusText(status: number): string {
  return `Checksum Status: ${CHECKSUM_STATUS[status] ?? 'Unknown'}`;
}
