/**
 * TCP options (RFC 9293 §3.1, RFC 7323 timestamps/window scale, RFC 2018 SACK, RFC 2883 D-SACK,
 * RFC 7413 Fast Open, RFC 5482 user timeout, RFC 6994 experiments).
 *
 * The same walk runs twice per segment: once silently to fill the TcpSegmentInfo the analysis
 * needs before any field is reported, then to report the tree and the Info suffixes
 * ("MSS=1460 SACK_PERM …"). Both runs take identical decisions on damaged options, mirroring
 * Wireshark's tcp_dissect_options:
 *  - EOL: every following zero byte is listed as another EOL; a non-zero byte after an EOL is
 *    "Non-zero header padding" and ends the walk.
 *  - a length byte missing, < 2 or running past the header ends the walk with an expert note
 *    (nothing of that option is decoded), so hostile lengths can never loop or overrun.
 *  - a fixed-size option with the wrong length is listed (kind, length) with "option length
 *    should be N" and skipped by its own length.
 *  - SACK blocks that do not fit are Wireshark's "suboption would go past end of option"
 *    exception: malformed, the walk stops.
 */
import type { DissectContext, TcpSegmentInfo } from '../context.js';
import { bytesValue, GENERATED } from '../sink.js';
import {
  TCPOPT_EOL, TCPOPT_EXP_FD, TCPOPT_EXP_FE, TCPOPT_MD5, TCPOPT_MSS, TCPOPT_NOP, TCPOPT_SACK,
  TCPOPT_AO, TCPOPT_MPTCP, TCPOPT_SACK_PERM, TCPOPT_TFO, TCPOPT_TIMESTAMP, TCPOPT_USER_TO, TCPOPT_WSCALE, TCP_OPTION_KIND_NAMES,
  tcpOptionFields as F, tcpOptionKinds, tcpOptionUnknown, type TcpOptionKind,
} from './tcp-fields.js';

/** Largest shift RFC 7323 allows; Wireshark caps the multiplier there too. */
const MAX_WINDOW_SHIFT = 14;

/** walkTcpOptions result bits: an MPTCP option was seen (frame.protocols "mptcp"). */
export const WALK_MPTCP = 1;
/** The walk stopped on Wireshark's bounds exception (a SACK shorter than one block). */
export const WALK_STOPPED = 2;
/** The walk reached the end of the captured bytes before the end of the options. */
export const WALK_CUT = 4;

export interface TcpOptionsReport {
  /** Info column suffix (" MSS=1460 SACK_PERM …"); built only when columns are wanted. */
  info: string;
  /** Set when an option raised Wireshark's bounds exception: the segment's dissection stops. */
  malformed: boolean;
}

function kindName(kind: number): string {
  return tcpOptionKinds.get(kind)?.name ?? `Unknown (0x${kind.toString(16).padStart(2, '0')})`;
}

function kindText(kind: number): string {
  return `Kind: ${TCP_OPTION_KIND_NAMES[kind] ?? 'Unknown'} (${kind})`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "Options: (20 bytes), Maximum segment size, SACK permitted, …" — the names of the options a walk will list. */
export function tcpOptionsSummary(bytes: Uint8Array, start: number, end: number): string {
  let text = `Options: (${plural(end - start, 'byte')})`;
  let off = start;
  let afterEol = false;
  while (off < end) {
    const kind = bytes[off];
    if (afterEol && kind !== TCPOPT_EOL) break;
    if (kind === TCPOPT_EOL || kind === TCPOPT_NOP) {
      text += `, ${kindName(kind)}`;
      afterEol = kind === TCPOPT_EOL;
      off++;
      continue;
    }
    if (off + 1 >= end) break;
    const len = bytes[off + 1];
    if (len < 2 || len > end - off) break;
    // A SACK whose blocks do not fit raises Wireshark's exception before its name is appended.
    if (kind === TCPOPT_SACK && len < 10) break;
    text += `, ${kindName(kind)}`;
    off += len;
  }
  return text;
}

/**
 * Walks the options in [start, end) of ctx.bytes (the caller guarantees they were captured).
 * With `report` null it only fills `seg` (mss, windowScale, sackPermitted, sack, timestamps);
 * with a report it adds the fields to the sink and collects the Info suffix.
 */
export function walkTcpOptions(
  ctx: DissectContext,
  seg: TcpSegmentInfo,
  start: number,
  end: number,
  report: TcpOptionsReport | null,
  capEnd = end,
): number {
  const { bytes, sink } = ctx;
  const text = report !== null && sink.wantsText;
  const info = report !== null && ctx.wantsColumns;
  let off = start;
  let afterEol = false;
  let nopCount = 0;
  let seen = 0;
  while (off < end) {
    // A capture cut inside the options: Wireshark decodes up to the cut, then its bounds
    // exception ends the segment ("Packet size limited during capture").
    if (off >= capEnd) return seen | WALK_CUT;
    const kind = bytes[off];
    if (afterEol && kind !== TCPOPT_EOL) {
      if (report) {
        sink.add(F.nonZeroAfterEol, off, Math.min(end, capEnd) - off, null, 0, 'Non-zero header padding');
        ctx.note({ severity: 'error', group: 'protocol', message: 'Non-zero header padding' });
      }
      return seen;
    }
    if (kind === TCPOPT_EOL || kind === TCPOPT_NOP) {
      if (report) {
        const opt = tcpOptionKinds.get(kind)!;
        if (kind === TCPOPT_NOP) {
          // Wireshark counts NOPs within one 32-bit word: four in a row suggest a middlebox
          // blanked out an option.
          if (nopCount === 0 || (off - start + 20) % 4 !== 0) {
            if (++nopCount === 4) {
              ctx.note({ severity: 'warn', group: 'protocol', message: '4 NOP in a row - a router may have removed some options' });
            }
          } else nopCount = 0;
        }
        sink.open(opt.node, off, 1, bytesValue(sink, opt.node, bytes, off, off + 1), 0, text ? opt.node.label : undefined);
        sink.add(F.kind, off, 1, kind, 0, text ? kindText(kind) : undefined);
        sink.close();
      }
      afterEol = kind === TCPOPT_EOL;
      off++;
      continue;
    }
    const opt: TcpOptionKind = tcpOptionKinds.get(kind) ?? tcpOptionUnknown;
    if (off + 1 >= end) {
      if (report) badLength(ctx, off, 1, `${kindName(kind)} (length byte past end of options)`);
      return seen;
    }
    if (off + 1 >= capEnd) return seen | WALK_CUT;
    const len = bytes[off + 1];
    if (len < 2) {
      if (report) badLength(ctx, off, 2, `${kindName(kind)} (with too-short option length = ${plural(len, 'byte')})`);
      return seen;
    }
    if (len > end - off) {
      if (report) {
        badLength(ctx, off, Math.min(end, capEnd) - off,
          `${kindName(kind)} (option length = ${plural(len, 'byte')} says option goes past end of options)`);
      }
      return seen;
    }
    const wrongSize = opt.fixedLength !== 0 && len !== opt.fixedLength;
    if (off + len > capEnd) {
      // The option itself is cut: its kind and length show, its contents cannot be read.
      if (kind === TCPOPT_MPTCP) seen |= WALK_MPTCP;
      if (report) {
        sink.open(opt.node, off, capEnd - off, bytesValue(sink, opt.node, bytes, off, capEnd), 0, text ? opt.node.label : undefined);
        sink.add(F.kind, off, 1, kind, 0, text ? kindText(kind) : undefined);
        sink.add(F.len, off + 1, 1, len);
        sink.close();
        // These three are named in the Info column before their contents are read.
        if (info && kind === TCPOPT_SACK_PERM) report.info += ' SACK_PERM';
        if (info && kind === TCPOPT_MD5) report.info += ' MD5';
        if (info && kind === TCPOPT_AO) report.info += 'TCP AO';
        if (kind === TCPOPT_MPTCP) ctx.protocols.push('mptcp');
      }
      return seen | WALK_CUT;
    }
    if (report) {
      sink.open(opt.node, off, len, bytesValue(sink, opt.node, bytes, off, off + len), 0,
        text ? optionNodeText(ctx, seg, opt, kind, off, len, wrongSize) : undefined);
      sink.add(F.kind, off, 1, kind, 0, text ? kindText(kind) : undefined);
      sink.add(F.len, off + 1, 1, len);
      if (wrongSize) {
        ctx.note({ severity: 'note', group: 'sequence', message: `option length should be ${opt.fixedLength}` });
      }
    }
    let ok = true;
    if (kind === TCPOPT_MPTCP) seen |= WALK_MPTCP;
    if (!wrongSize) {
      ok = decodeOption(ctx, seg, kind, off, len, report, text, info);
    } else if (report && info && (kind === TCPOPT_SACK_PERM || kind === TCPOPT_MD5)) {
      // Wireshark appends these two to the Info before it checks the length.
      report.info += kind === TCPOPT_MD5 ? ' MD5' : ' SACK_PERM';
    }
    if (report) sink.close();
    if (!ok) return seen | WALK_STOPPED;
    off += len;
  }
  return seen;
}

/**
 * The Info suffix of the reporting walk, without the walk, for options that report nothing
 * else a field-less sink could see: only NOP, EOL padding, MSS, window scale (shift ≤ 14), SACK
 * permitted and timestamps, each of its proper size, and no expert note on the way (the NOP
 * rule below is the reporting walk's). Null when anything else is there: the full walk then
 * runs. The bulk paths (the index, `wirescope fields` with Info) take this on nearly every
 * segment — NOP NOP TS — and a second full walk was a tenth of their TCP time.
 * `bytes[start, end)` must be captured.
 */
export function plainOptionsInfo(bytes: Uint8Array, view: DataView, start: number, end: number): string | null {
  let s = '';
  let nopCount = 0;
  let off = start;
  while (off < end) {
    const kind = bytes[off];
    if (kind === TCPOPT_NOP) {
      if (nopCount === 0 || (off - start + 20) % 4 !== 0) {
        if (++nopCount === 4) return null; // "4 NOP in a row" note
      } else nopCount = 0;
      off++;
      continue;
    }
    if (kind === TCPOPT_EOL) {
      for (let p = off + 1; p < end; p++) if (bytes[p] !== 0) return null; // "Non-zero header padding"
      return s;
    }
    if (off + 1 >= end) return null;
    const len = bytes[off + 1];
    if (len < 2 || len > end - off) return null;
    switch (kind) {
      case TCPOPT_MSS:
        if (len !== 4) return null;
        s += ` MSS=${view.getUint16(off + 2)}`;
        break;
      case TCPOPT_WSCALE: {
        const shift = bytes[off + 2];
        if (len !== 3 || shift > MAX_WINDOW_SHIFT) return null;
        s += ` WS=${2 ** shift}`;
        break;
      }
      case TCPOPT_SACK_PERM:
        if (len !== 2) return null;
        s += ' SACK_PERM';
        break;
      case TCPOPT_TIMESTAMP:
        if (len !== 10) return null;
        s += ` TSval=${view.getUint32(off + 2)} TSecr=${view.getUint32(off + 6)}`;
        break;
      default:
        return null;
    }
    off += len;
  }
  return s;
}

function badLength(ctx: DissectContext, offset: number, length: number, message: string): void {
  ctx.sink.add(F.lenInvalid, offset, length, null, 0, message);
  ctx.note({ severity: 'note', group: 'sequence', message });
}

/** Decodes one well-sized option; returns false when the walk must stop (malformed SACK). */
function decodeOption(
  ctx: DissectContext,
  seg: TcpSegmentInfo,
  kind: number,
  off: number,
  len: number,
  report: TcpOptionsReport | null,
  text: boolean,
  info: boolean,
): boolean {
  const { view, sink, bytes } = ctx;
  switch (kind) {
    case TCPOPT_MSS: {
      const mss = view.getUint16(off + 2);
      seg.mss = mss;
      if (report) {
        sink.add(F.mssVal, off + 2, 2, mss);
        if (info) report.info += ` MSS=${mss}`;
      }
      return true;
    }
    case TCPOPT_WSCALE: {
      const shift = bytes[off + 2];
      seg.windowScale = shift;
      if (report) {
        const multiplier = 2 ** Math.min(shift, MAX_WINDOW_SHIFT);
        sink.add(F.wscaleShift, off + 2, 1, shift);
        if (shift > MAX_WINDOW_SHIFT) {
          ctx.note({ severity: 'warn', group: 'protocol', message: 'Window scale shift exceeds 14' });
        }
        sink.add(F.wscaleMultiplier, off + 2, 1, multiplier, GENERATED);
        if (info) report.info += ` WS=${multiplier}`;
      }
      return true;
    }
    case TCPOPT_SACK_PERM:
      seg.sackPermitted = true;
      if (report && info) report.info += ' SACK_PERM';
      return true;
    case TCPOPT_TIMESTAMP: {
      const tsval = view.getUint32(off + 2);
      const tsecr = view.getUint32(off + 6);
      seg.tsVal = tsval;
      seg.tsEcr = tsecr;
      seg.hasTimestamps = true;
      if (report) {
        sink.add(F.tsval, off + 2, 4, tsval);
        sink.add(F.tsecr, off + 6, 4, tsecr);
        if (info) report.info += ` TSval=${tsval} TSecr=${tsecr}`;
      }
      return true;
    }
    case TCPOPT_SACK:
      return decodeSack(ctx, seg, off, len, report, info);
    case TCPOPT_TFO:
      if (report) {
        if (len === 2) {
          sink.add(F.tfoRequest, off, 2, null, 0, text ? 'Fast Open Cookie Request' : undefined);
          if (info) report.info += ' TFO=R';
        } else {
          sink.add(F.tfoCookie, off + 2, len - 2, bytes.subarray(off + 2, off + len));
          if (info) report.info += ' TFO=C';
        }
      }
      return true;
    case TCPOPT_MD5:
      if (report) {
        sink.add(F.md5Digest, off + 2, len - 2, bytes.subarray(off + 2, off + len));
        if (info) report.info += ' MD5';
      }
      return true;
    case TCPOPT_USER_TO: {
      const v = view.getUint16(off + 2);
      if (report) {
        sink.add(F.userToGranularity, off + 2, 2, (v & 0x8000) !== 0);
        sink.add(F.userToVal, off + 2, 2, v & 0x7fff);
        if (info) report.info += ` USER_TO=${v & 0x7fff}`;
      }
      return true;
    }
    case TCPOPT_EXP_FD:
    case TCPOPT_EXP_FE:
      if (report) {
        if (len >= 4) {
          const exid = view.getUint16(off + 2);
          sink.add(F.experimentalExid, off + 2, 2, exid, 0,
            text ? `Experiment Identifier: Unknown (0x${exid.toString(16).padStart(4, '0')})` : undefined);
          if (info) report.info += ` ExID=${exid.toString(16).toUpperCase()}`;
          if (len > 4) sink.add(F.experimentalData, off + 4, len - 4, bytes.subarray(off + 4, off + len));
        } else if (len > 2) {
          sink.add(F.experimentalData, off + 2, len - 2, bytes.subarray(off + 2, off + len));
        }
      }
      return true;
    case TCPOPT_AO:
      // Wireshark appends this one without a separating space.
      if (report && info) report.info += 'TCP AO';
      return true;
    case TCPOPT_MPTCP:
      // Wireshark's MPTCP option dissector is a protocol of its own: frame.protocols and the
      // Protocol column show it.
      if (report) {
        ctx.protocols.push('mptcp');
        ctx.setProtocol('MPTCP');
      }
      return true;
    default:
      // Options Wireshark names but we do not decode further, and unknown kinds: the payload is
      // kept as bytes so nothing is lost.
      if (report && !tcpOptionKinds.has(kind) && len > 2) {
        sink.add(F.unknownPayload, off + 2, len - 2, bytes.subarray(off + 2, off + len));
      }
      return true;
  }
}

/**
 * SACK blocks (RFC 2018) with RFC 2883's D-SACK test on the first block. Wireshark always reads
 * the first block for its D-SACK test, so a SACK shorter than one block (length < 10) ends in
 * its bounds exception; trailing bytes after the last whole block are only an expert note.
 */
function decodeSack(
  ctx: DissectContext,
  seg: TcpSegmentInfo,
  off: number,
  len: number,
  report: TcpOptionsReport | null,
  info: boolean,
): boolean {
  const { view, sink } = ctx;
  const blocks = (len - 2) >>> 3;
  const leftover = (len - 2) & 7;
  const complete = len >= 10;
  if (!report) {
    if (seg.sack.length === 0) seg.sack = [];
    for (let i = 0; i < blocks; i++) {
      seg.sack.push(view.getUint32(off + 2 + 8 * i), view.getUint32(off + 6 + 8 * i));
    }
    return complete;
  }
  const text = sink.wantsText;
  const base = seg.sackBase;
  for (let i = 0; i < blocks; i++) {
    const p = off + 2 + 8 * i;
    const le = (view.getUint32(p) - base) >>> 0;
    const re = (view.getUint32(p + 4) - base) >>> 0;
    sink.add(F.sackLe, p, 4, le, 0, text ? `left edge = ${le} (relative)` : undefined);
    sink.add(F.sackRe, p + 4, 4, re, 0, text ? `right edge = ${re} (relative)` : undefined);
    if (info) report.info += ` SLE=${le} SRE=${re}`;
  }
  if (leftover > 0) {
    const p = off + 2 + 8 * blocks;
    if (leftover >= 4) {
      const le = (view.getUint32(p) - base) >>> 0;
      sink.add(F.sackLe, p, 4, le, 0, text ? `left edge = ${le} (relative)` : undefined);
    }
    sink.add(F.suboptionMalformed, p, leftover, null, 0, 'suboption would go past end of option');
    ctx.note({ severity: 'error', group: 'malformed', message: 'suboption would go past end of option' });
  }
  sink.add(F.sackCount, off, 0, blocks, GENERATED);
  if (!complete) {
    if (leftover >= 4 && seqLess(view.getUint32(off + 2), seg.ack)) {
      // The D-SACK test gets as far as the left edge before the read fails.
      const le = (view.getUint32(off + 2) - base) >>> 0;
      sink.add(F.dsackLe, off + 2, 0, le, GENERATED, text ? `D-SACK Left Edge = ${le} (relative)` : undefined);
    }
    ctx.malformed('tcp', 'tcp.options.sack', off, len, 'SACK option shorter than one block');
    report.malformed = true;
    return false;
  }
  if (isDsack(view, off, blocks, seg)) {
    const le = (view.getUint32(off + 2) - base) >>> 0;
    const re = (view.getUint32(off + 6) - base) >>> 0;
    sink.add(F.dsackLe, off + 2, 0, le, GENERATED, text ? `D-SACK Left Edge = ${le} (relative)` : undefined);
    sink.add(F.dsackRe, off + 6, 0, re, GENERATED, text ? `D-SACK Right Edge = ${re} (relative)` : undefined);
    sink.add(F.dsack, off + 2, 8, null, 0, 'D-SACK Sequence');
    ctx.note({ severity: 'warn', group: 'sequence', message: 'D-SACK Sequence' });
  }
  return true;
}

/** RFC 2883 §4: the first block reports a duplicate when it lies below the cumulative ACK or inside the second block. */
function isDsack(view: DataView, off: number, blocks: number, seg: TcpSegmentInfo): boolean {
  const le = view.getUint32(off + 2);
  const re = view.getUint32(off + 6);
  if (seqLess(le, seg.ack)) return true;
  if (blocks > 1) {
    const le2 = view.getUint32(off + 10);
    const re2 = view.getUint32(off + 14);
    if (!seqLess(le, le2) && !seqLess(re2, re)) return true;
  }
  return false;
}

/** a < b in sequence space (mod 2^32). */
function seqLess(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}

/** The option node's line: "TCP Option - Maximum segment size: 1460 bytes" and friends. */
function optionNodeText(
  ctx: DissectContext,
  seg: TcpSegmentInfo,
  opt: TcpOptionKind,
  kind: number,
  off: number,
  len: number,
  wrongSize: boolean,
): string {
  const { view, bytes } = ctx;
  const label = opt.node.label;
  if (wrongSize) return label;
  switch (kind) {
    case TCPOPT_MSS:
      return `${label}: ${view.getUint16(off + 2)} bytes`;
    case TCPOPT_WSCALE: {
      const shift = bytes[off + 2];
      return `${label}: ${shift} (multiply by ${2 ** Math.min(shift, MAX_WINDOW_SHIFT)})`;
    }
    case TCPOPT_TIMESTAMP:
      return `${label}: TSval ${view.getUint32(off + 2)}, TSecr ${view.getUint32(off + 6)}`;
    case TCPOPT_SACK: {
      let t = label;
      const blocks = (len - 2) >>> 3;
      for (let i = 0; i < blocks; i++) {
        const p = off + 2 + 8 * i;
        t += ` ${(view.getUint32(p) - seg.sackBase) >>> 0}-${(view.getUint32(p + 4) - seg.sackBase) >>> 0}`;
      }
      return t;
    }
    case TCPOPT_USER_TO: {
      const v = view.getUint16(off + 2);
      return `${label}: ${v & 0x7fff} ${v & 0x8000 ? 'minutes' : 'seconds'}`;
    }
    case TCPOPT_EXP_FD:
    case TCPOPT_EXP_FE:
      return `${label}: Unknown`;
    default:
      return label;
  }
}
