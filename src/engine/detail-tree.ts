/**
 * Serializes the decoders' TreeSink output into the API's DetailNode tree: Wireshark's tree
 * line (formatNodeLine), the byte range for the hex pane, generated/hidden flags, expert notes,
 * the tshark -T fields value and a ready "Apply as filter" expression.
 */
import type { DataSourceBytes, DetailNode } from '../api/types.js';
import {
  formatFieldValue, formatNodeLine, GENERATED, HIDDEN, type FieldDef, type FieldNode, type FieldValue,
} from '../decode/index.js';
import type { DataSource } from '../decode/context.js';

/** A display-filter string literal: quotes and backslashes escaped, control characters as \xNN. */
export function quoteFilterString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + '"';
}

function colonHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += (i ? ':' : '') + bytes[i].toString(16).padStart(2, '0');
  return s;
}

/** The filter Wireshark's "Apply as Filter → Selected" builds for a field value. */
export function filterForValue(def: FieldDef, value: FieldValue, text: string, bytes: Uint8Array, offset: number, length: number): string | null {
  if (def.name.startsWith('_ws.')) return null;
  switch (def.type) {
    case 'protocol':
      return def.name;
    case 'none':
      return length > 0 ? `${def.name} == ${colonHex(bytes.subarray(offset, offset + length))}` : def.name;
    case 'bool':
      return `${def.name} == ${value ? 1 : 0}`;
    case 'string':
      return typeof value === 'string' ? `${def.name} == ${quoteFilterString(value)}` : null;
    case 'bytes':
      return value instanceof Uint8Array && value.length > 0 && value.length <= 256
        ? `${def.name} == ${colonHex(value)}`
        : value instanceof Uint8Array && value.length > 256 ? def.name : null;
    case 'abs_time':
      return text ? `${def.name} == ${quoteFilterString(text)}` : null;
    default:
      return text ? `${def.name} == ${text}` : null;
  }
}

const SEVERITIES = new Set(['chat', 'note', 'warn', 'error']);

/** Converts a TreeSink's roots; `sources` collects the reassembled data sources nodes use. */
export function toDetailNodes(nodes: readonly FieldNode[], bytes: Uint8Array, sources: DataSourceBytes[] = []): DetailNode[] {
  const known = new Map<DataSource, number>();
  const convert = (n: FieldNode): DetailNode => {
    let data = bytes;
    let sourceIndex: number | undefined;
    if (n.source) {
      sourceIndex = known.get(n.source);
      if (sourceIndex === undefined) {
        sourceIndex = sources.length;
        sources.push({ name: n.source.name, bytes: n.source.bytes });
        known.set(n.source, sourceIndex);
      }
      data = n.source.bytes;
    }
    const generated = (n.flags & GENERATED) !== 0;
    const value = formatFieldValue(n.def, n.value, data, n.offset, n.length);
    const out: DetailNode = {
      field: n.def.name,
      label: formatNodeLine(n.def, n.value, generated, n.text),
      offset: n.offset,
      length: n.length,
      generated,
      hidden: (n.flags & HIDDEN) !== 0,
      value: n.def.type === 'protocol' ? '' : value,
      filter: filterForValue(n.def, n.value, value, data, n.offset, n.length),
    };
    if (sourceIndex !== undefined) out.source = sourceIndex;
    if (n.expert && SEVERITIES.has(n.expert.severity)) {
      out.expert = { severity: n.expert.severity, group: n.expert.group, message: n.expert.message };
    }
    if (n.children && n.children.length > 0) out.children = n.children.map(convert);
    return out;
  };
  return nodes.map(convert);
}

/**
 * Replaces the value of every node named `field` (a stream index renumbered by a replay) and
 * rebuilds its line.
 */
export function patchFieldValue(nodes: FieldNode[] | undefined, field: string, value: number): void {
  if (!nodes) return;
  for (const n of nodes) {
    if (n.def.name === field) {
      n.value = value;
      if (n.text !== undefined) n.text = undefined;
    }
    patchFieldValue(n.children, field, value);
  }
}
