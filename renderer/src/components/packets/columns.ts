/** The packet list's columns (Wireshark's defaults), in order. */
import type { ColumnId } from '../../stores/settings';

export interface ColumnDef {
  id: ColumnId;
  titleKey: string;
  align: 'left' | 'right';
}

export const COLUMNS: ColumnDef[] = [
  { id: 'number', titleKey: 'columns.number', align: 'right' },
  { id: 'time', titleKey: 'columns.time', align: 'right' },
  { id: 'source', titleKey: 'columns.source', align: 'left' },
  { id: 'destination', titleKey: 'columns.destination', align: 'left' },
  { id: 'protocol', titleKey: 'columns.protocol', align: 'left' },
  { id: 'length', titleKey: 'columns.length', align: 'right' },
  { id: 'info', titleKey: 'columns.info', align: 'left' },
];

/** Row height in pixels (matches --row-h): fixed, so a million rows need no measuring. */
export const ROW_HEIGHT = 22;
