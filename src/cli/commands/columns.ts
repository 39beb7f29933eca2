/**
 * tshark 4.0 exposes the summary columns as pseudo-fields (`_ws.col.Info`, `_ws.col.Protocol`):
 * they are not in any protocol tree, so they are answered from the decoded columns.
 */
import { defineField, type FieldDef } from '../../decode/fields/types.js';

const COLUMN_FIELDS = ['_ws.col.Protocol', '_ws.col.Info', '_ws.col.Source', '_ws.col.Destination'];
const defs = new Map<string, FieldDef>(
  COLUMN_FIELDS.map((n) => [n, defineField({ name: n, label: n.slice(8), type: 'string' })]),
);

export function columnField(name: string): FieldDef | undefined {
  return defs.get(name);
}

export function isColumnField(def: FieldDef): boolean {
  return defs.get(def.name) === def;
}
