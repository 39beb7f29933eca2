/**
 * Wireshark's TCP reassembly fields (packet-tcp.c): where a segment's bytes were reassembled,
 * and on the frame that completes a PDU the list of segments it was built from. Isomorphic.
 */
import { defineField } from '../../decode/fields/types.js';

export const reassemblyFields = {
  segmentData: defineField({ name: 'tcp.segment_data', label: 'TCP segment data', type: 'bytes' }),
  reassembledIn: defineField({ name: 'tcp.reassembled_in', label: 'Reassembled PDU in frame', type: 'framenum' }),
  segments: defineField({ name: 'tcp.segments', label: 'Reassembled TCP Segments', type: 'none' }),
  segment: defineField({ name: 'tcp.segment', label: 'TCP Segment', type: 'framenum' }),
  segmentCount: defineField({ name: 'tcp.segment.count', label: 'Segment count', type: 'uint', bits: 32 }),
  reassembledLength: defineField({ name: 'tcp.reassembled.length', label: 'Reassembled TCP length', type: 'uint', bits: 32 }),
  reassembledData: defineField({ name: 'tcp.reassembled.data', label: 'Reassembled TCP Data', type: 'bytes' }),
};

/** What Wireshark appends to the Info column of a segment whose bytes wait for reassembly. */
export const SEGMENT_OF_PDU = '[TCP segment of a reassembled PDU]';
