/**
 * Renders a followed stream exactly as `tshark -q -z follow,tcp,<mode>,N` does (4.0,
 * ui/cli/tap-follow.c): a header naming both nodes, then one block per delivered chunk in
 * delivery order, node 1's blocks indented by a tab. Gaps appear as tshark's placeholder text
 * "[N bytes missing in capture file]" with its NUL. Plus our JSON form. Isomorphic.
 */
import { gapPlaceholderText } from '../reassembly/stream-reassembler.js';
import type { FollowChunk, FollowResult } from './follow.js';

export type FollowFormat = 'ascii' | 'hex' | 'raw' | 'json';

const SEPARATOR = '===================================================================\n';
const HEX = '0123456789abcdef';

/** The bytes a chunk contributes to tshark's output (a gap becomes its placeholder text). */
function chunkBytes(c: FollowChunk): Uint8Array | null {
  if (c.kind === 'data') return c.bytes;
  if (c.kind !== 'gap') return null;
  const text = gapPlaceholderText(c.missing);
  const out = new Uint8Array(text.length + 1);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/** tshark's ASCII view: printable ASCII and CR/LF as they are, anything else as '.'. */
export function asciiView(bytes: Uint8Array): string {
  let out = '';
  const CHUNK = 8192;
  for (let start = 0; start < bytes.length; start += CHUNK) {
    const end = Math.min(bytes.length, start + CHUNK);
    const codes: number[] = new Array(end - start);
    for (let i = start; i < end; i++) {
      const b = bytes[i];
      codes[i - start] = (b >= 0x20 && b < 0x7f) || b === 0x0d || b === 0x0a ? b : 0x2e;
    }
    out += String.fromCharCode(...codes);
  }
  return out;
}

function hexString(bytes: Uint8Array): string {
  const parts: string[] = new Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) parts[i] = HEX[bytes[i] >> 4] + HEX[bytes[i] & 15];
  return parts.join('');
}

/** tshark's hexdump lines: 8-digit uppercase offset, 16 bytes in two groups, ASCII column. */
export function hexDumpLines(bytes: Uint8Array, startOffset: number, prefix: string, out: string[]): void {
  for (let i = 0; i < bytes.length; i += 16) {
    const n = Math.min(16, bytes.length - i);
    let hex = '';
    let ascii = '';
    for (let k = 0; k < 16; k++) {
      if (k < n) {
        const b = bytes[i + k];
        hex += HEX[b >> 4] + HEX[b & 15] + ' ';
        ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
      } else {
        hex += '   ';
      }
      if (k === 7) {
        hex += ' ';
        if (k < n) ascii += ' ';
      }
    }
    // tshark drops one trailing space of the ASCII column (the group separator after a
    // half line, or a space byte that ends the line).
    if (ascii.endsWith(' ')) ascii = ascii.slice(0, -1);
    const offset = (startOffset + i).toString(16).toUpperCase().padStart(8, '0');
    out.push(`${prefix}${offset}  ${hex} ${ascii}\n`);
  }
}

function header(r: FollowResult, mode: string): string {
  const label = (s: string) => s || ':0';
  return `\n${SEPARATOR}Follow: tcp,${mode}\nFilter: tcp.stream eq ${r.stream}\n` +
    `Node 0: ${label(r.nodes[0].label)}\nNode 1: ${label(r.nodes[1].label)}\n`;
}

/** The complete tshark-compatible text for 'ascii', 'hex' or 'raw'. */
export function formatFollowText(r: FollowResult, mode: 'ascii' | 'hex' | 'raw'): string {
  const out: string[] = [header(r, mode)];
  const pos = [0, 0];
  for (const c of r.chunks) {
    const bytes = chunkBytes(c);
    if (!bytes) continue;
    const tab = c.node === 1 ? '\t' : '';
    if (mode === 'ascii') out.push(`${tab}${bytes.length}\n`, asciiView(bytes), '\n');
    else if (mode === 'raw') out.push(tab, hexString(bytes), '\n');
    else hexDumpLines(bytes, pos[c.node], tab, out);
    pos[c.node] += bytes.length;
  }
  out.push(SEPARATOR);
  return out.join('');
}

function epoch(sec: number, nsec: number): string {
  return `${sec}.${String(nsec).padStart(9, '0')}`;
}

/** Structured form for scripts and the engine API: packet numbers, times, bytes as hex. */
export function followToJson(r: FollowResult): unknown {
  return {
    stream: r.stream,
    nodes: r.nodes.map((n) => n.label),
    bytes: r.bytes,
    missing: r.missing,
    chunks: r.chunks.map((c) => {
      const base = { kind: c.kind, node: c.node, frame: c.frame, time: epoch(c.tsSec, c.tsNsec), offset: c.offset };
      if (c.kind === 'data') return { ...base, length: c.bytes.length, hex: hexString(c.bytes) };
      if (c.kind === 'gap') return { ...base, missing: c.missing };
      return base;
    }),
    conflicts: r.conflicts,
    undelivered: r.undelivered,
  };
}
