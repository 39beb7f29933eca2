/** Wireshark's pseudo-fields for damaged packets (`_ws.malformed`, `_ws.short`). */
import { defineField } from './fields/types.js';

export const malformedFields = {
  malformed: defineField({ name: '_ws.malformed', label: 'Malformed Packet', type: 'none' }),
  short: defineField({ name: '_ws.short', label: 'Packet size limited during capture', type: 'none' }),
};
