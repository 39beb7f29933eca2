/**
 * Test fields of every type (names under `wstest.`, never used by a dissector) and a fake
 * packet, so the filter semantics are tested without depending on the dissectors.
 */
import '../../src/decode/index.js';
import { defineField, defineProtocol, type FieldDef, type FieldValue } from '../../src/decode/fields/types.js';
import type { Occurrences } from '../../src/decode/sink.js';
import { compileFilter, type PacketFields } from '../../src/filter/index.js';

export const T = {
  proto: defineProtocol('wstest', 'Wirescope test protocol'),
  port: defineField({ name: 'wstest.port', label: 'Port', type: 'uint', bits: 16 }),
  srcport: defineField({ name: 'wstest.srcport', label: 'Source port', type: 'uint', bits: 16 }),
  count: defineField({ name: 'wstest.count', label: 'Count', type: 'uint', bits: 32 }),
  delta: defineField({ name: 'wstest.delta', label: 'Signed delta', type: 'int', bits: 8 }),
  ratio: defineField({ name: 'wstest.ratio', label: 'Ratio', type: 'double' }),
  kind: defineField({ name: 'wstest.kind', label: 'Kind', type: 'uint', bits: 8, valueStrings: { 1: 'Request', 2: 'Reply', 6: 'TCP' } }),
  flag: defineField({ name: 'wstest.flag', label: 'Flag', type: 'bool', trueFalse: ['Set', 'Not set'] }),
  plain: defineField({ name: 'wstest.plain', label: 'Plain boolean', type: 'bool' }),
  addr: defineField({ name: 'wstest.addr', label: 'Address', type: 'ipv4' }),
  addr6: defineField({ name: 'wstest.addr6', label: 'IPv6 address', type: 'ipv6' }),
  mac: defineField({ name: 'wstest.mac', label: 'MAC', type: 'ether' }),
  data: defineField({ name: 'wstest.data', label: 'Data', type: 'bytes' }),
  name: defineField({ name: 'wstest.name', label: 'Name', type: 'string' }),
  rel: defineField({ name: 'wstest.rel', label: 'Relative time', type: 'rel_time' }),
  when: defineField({ name: 'wstest.when', label: 'Absolute time', type: 'abs_time', timeFormat: 'utc' }),
  epoch: defineField({ name: 'wstest.epoch', label: 'Epoch time', type: 'abs_time', timeFormat: 'epoch' }),
  mark: defineField({ name: 'wstest.mark', label: 'Expert marker', type: 'none' }),
};

export interface FakeOccurrence {
  value: FieldValue;
  offset?: number;
  length?: number;
}

/** A packet: frame bytes plus field occurrences (values, or full occurrences). */
export function packet(fields: [FieldDef, (FieldValue | FakeOccurrence)[]][], bytes: Uint8Array = new Uint8Array(0)): PacketFields {
  const map = new Map<number, Occurrences>();
  for (const [def, list] of fields) {
    const occ: Occurrences = { count: 0, values: [], offsets: [], lengths: [], texts: [], sources: [] };
    for (const item of list) {
      const full = item !== null && typeof item === 'object' && 'value' in item && !(item instanceof Uint8Array)
        ? (item as FakeOccurrence) : { value: item as FieldValue };
      occ.values.push(full.value);
      occ.offsets.push(full.offset ?? 0);
      occ.lengths.push(full.length ?? 0);
      occ.texts.push(undefined);
      occ.sources.push(null);
      occ.count++;
    }
    map.set(def.id, occ);
  }
  const none: Occurrences = { count: 0, values: [], offsets: [], lengths: [], texts: [], sources: [] };
  return { get: (def) => map.get(def.id) ?? none, bytes };
}

/** Compiles (failing the test with the message when the filter is rejected) and runs. */
export function matches(text: string, p: PacketFields): boolean {
  const r = compileFilter(text);
  if (!r.ok) throw new Error(`filter ${JSON.stringify(text)} rejected: ${r.error.message}`);
  return r.filter.matches(p);
}

/** The error of a filter that must be rejected. */
export function rejection(text: string): { message: string; start: number; end: number } {
  const r = compileFilter(text);
  if (r.ok) throw new Error(`filter ${JSON.stringify(text)} was accepted`);
  return r.error;
}

export const ip = (s: string): number => s.split('.').reduce((a, b) => a * 256 + Number(b), 0);
export const hex = (s: string): Uint8Array => Uint8Array.from(s.match(/../g) ?? [], (h) => parseInt(h, 16));
