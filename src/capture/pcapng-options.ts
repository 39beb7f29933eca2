/**
 * pcapng option lists (pcapng §3.5): a sequence of {code u16, length u16, value, padding to 32
 * bits}, ended by opt_endofopt or by the end of the block. Isomorphic.
 *
 * Options are metadata: a malformed option list (a length running past the block) ends the
 * option walk but does not invalidate the block, whose extent is fixed by its total length.
 * (libwiretap rejects the whole file in that case; we keep the packet, which is still framed
 * correctly, and only lose the damaged options.)
 */

import {
  OPT_COMMENT,
  OPT_ENDOFOPT,
  OPT_IF_DESCRIPTION,
  OPT_IF_NAME,
  OPT_IF_TSOFFSET,
  OPT_IF_TSRESOL,
  pad4,
} from './format-constants.js';

const utf8 = new TextDecoder('utf-8');

/** UTF-8 string option value; trailing NULs (written by some tools) are dropped. */
export function optionString(buf: Uint8Array, start: number, len: number): string {
  let end = start + len;
  while (end > start && buf[end - 1] === 0) end--;
  return utf8.decode(buf.subarray(start, end));
}

/**
 * Calls `visit(code, valueStart, valueLen)` for each option in buf[start, end). Returns
 * normally at opt_endofopt, at the end of the area, or at a malformed option.
 */
export function forEachOption(
  buf: Uint8Array,
  view: DataView,
  start: number,
  end: number,
  le: boolean,
  visit: (code: number, valueStart: number, valueLen: number) => void,
): void {
  let p = start;
  while (p + 4 <= end) {
    const code = view.getUint16(p, le);
    const len = view.getUint16(p + 2, le);
    if (code === OPT_ENDOFOPT) return;
    const valueStart = p + 4;
    if (valueStart + len > end) return;
    visit(code, valueStart, len);
    p = valueStart + len + pad4(len);
  }
}

/** The Interface Description Block options we keep (pcapng §4.2). */
export interface IdbOptions {
  name?: string;
  description?: string;
  /** Raw if_tsresol byte; undefined = default 6 (microseconds). */
  tsresol?: number;
  /** if_tsoffset: signed 64-bit seconds. */
  tsoffset: number;
}

export function parseIdbOptions(
  buf: Uint8Array,
  view: DataView,
  start: number,
  end: number,
  le: boolean,
): IdbOptions {
  const out: IdbOptions = { tsoffset: 0 };
  forEachOption(buf, view, start, end, le, (code, vs, vl) => {
    switch (code) {
      case OPT_IF_NAME:
        out.name = optionString(buf, vs, vl);
        break;
      case OPT_IF_DESCRIPTION:
        out.description = optionString(buf, vs, vl);
        break;
      case OPT_IF_TSRESOL:
        if (vl >= 1) out.tsresol = buf[vs];
        break;
      case OPT_IF_TSOFFSET:
        if (vl >= 8) out.tsoffset = Number(view.getBigInt64(vs, le));
        break;
      default:
        break;
    }
  });
  return out;
}

/** opt_comment values of a packet block, in file order, or undefined when there are none. */
export function parseComments(
  buf: Uint8Array,
  view: DataView,
  start: number,
  end: number,
  le: boolean,
): string[] | undefined {
  let comments: string[] | undefined;
  forEachOption(buf, view, start, end, le, (code, vs, vl) => {
    if (code === OPT_COMMENT) (comments ??= []).push(optionString(buf, vs, vl));
  });
  return comments;
}
