/**
 * The fields the TCP analysis reports, with Wireshark 4.0's names, types and labels (so
 * `wirescope fields -e tcp.analysis.*` and the display filter mean what they mean in tshark).
 * Defining a name twice with the same type returns the first definition, so tcp.stream is
 * shared with the TCP dissector's field table. Isomorphic.
 */
import { defineField, type FieldDef } from '../../decode/fields/types.js';
import {
  TCP_A_ACK_LOST_PACKET, TCP_A_DUPLICATE_ACK, TCP_A_FAST_RETRANSMISSION, TCP_A_KEEP_ALIVE,
  TCP_A_KEEP_ALIVE_ACK, TCP_A_LOST_PACKET, TCP_A_OUT_OF_ORDER, TCP_A_RETRANSMISSION,
  TCP_A_REUSED_PORTS, TCP_A_SPURIOUS_RETRANSMISSION, TCP_A_WINDOW_FULL, TCP_A_WINDOW_UPDATE,
  TCP_A_ZERO_WINDOW, TCP_A_ZERO_WINDOW_PROBE, TCP_A_ZERO_WINDOW_PROBE_ACK, TCP_FLAG_NAMES,
} from './flags.js';
import type { ExpertSeverity } from '../../decode/sink.js';

/** Wireshark's hf_text_only ("text"): a label-only tree node such as "[Timestamps]". */
export const textField = defineField({ name: 'text', label: 'Text item', type: 'none' });

export const tcpAnalysisFields = {
  stream: defineField({ name: 'tcp.stream', label: 'Stream index', type: 'uint', bits: 32 }),
  completeness: defineField({
    name: 'tcp.completeness', label: 'Conversation completeness', type: 'uint', bits: 8,
    blurb: 'The completeness of the conversation capture',
  }),
  timeRelative: defineField({
    name: 'tcp.time_relative', label: 'Time since first frame in this TCP stream', type: 'rel_time',
  }),
  timeDelta: defineField({
    name: 'tcp.time_delta', label: 'Time since previous frame in this TCP stream', type: 'rel_time',
  }),
  analysis: defineField({ name: 'tcp.analysis', label: 'SEQ/ACK analysis', type: 'none' }),
  acksFrame: defineField({
    name: 'tcp.analysis.acks_frame', label: 'This is an ACK to the segment in frame', type: 'framenum',
  }),
  ackRtt: defineField({ name: 'tcp.analysis.ack_rtt', label: 'The RTT to ACK the segment was', type: 'rel_time' }),
  initialRtt: defineField({ name: 'tcp.analysis.initial_rtt', label: 'iRTT', type: 'rel_time' }),
  bytesInFlight: defineField({ name: 'tcp.analysis.bytes_in_flight', label: 'Bytes in flight', type: 'uint', bits: 32 }),
  pushBytesSent: defineField({
    name: 'tcp.analysis.push_bytes_sent', label: 'Bytes sent since last PSH flag', type: 'uint', bits: 32,
  }),
  flags: defineField({ name: 'tcp.analysis.flags', label: 'TCP Analysis Flags', type: 'none' }),
  duplicateAckNum: defineField({ name: 'tcp.analysis.duplicate_ack_num', label: 'Duplicate ACK #', type: 'uint', bits: 32 }),
  duplicateAckFrame: defineField({
    name: 'tcp.analysis.duplicate_ack_frame', label: 'Duplicate to the ACK in frame', type: 'framenum',
  }),
  rto: defineField({ name: 'tcp.analysis.rto', label: 'The RTO for this segment was', type: 'rel_time' }),
  rtoFrame: defineField({ name: 'tcp.analysis.rto_frame', label: 'RTO based on delta from frame', type: 'framenum' }),
  finActive: defineField({
    name: 'tcp.connection.fin_active', label: 'This frame initiates the connection closing', type: 'none',
  }),
  finPassive: defineField({
    name: 'tcp.connection.fin_passive', label: 'This frame undergoes the connection closing', type: 'none',
  }),
};

/** One analysis flag: its filter field and its expert note (Wireshark's ei_tcp_analysis_*). */
export interface FlagInfo {
  bit: number;
  field: FieldDef;
  severity: ExpertSeverity;
  message: string;
}

function flag(bit: number, severity: ExpertSeverity, message: string): FlagInfo {
  const field = defineField({ name: `tcp.analysis.${TCP_FLAG_NAMES[bit]}`, label: message, type: 'none' });
  return { bit, field, severity, message };
}

/** Expert infos as registered by packet-tcp.c (severity, summary). */
export const flagInfo = {
  retransmission: flag(TCP_A_RETRANSMISSION, 'note', 'This frame is a (suspected) retransmission'),
  fastRetransmission: flag(TCP_A_FAST_RETRANSMISSION, 'note', 'This frame is a (suspected) fast retransmission'),
  spuriousRetransmission: flag(TCP_A_SPURIOUS_RETRANSMISSION, 'note', 'This frame is a (suspected) spurious retransmission'),
  outOfOrder: flag(TCP_A_OUT_OF_ORDER, 'warn', 'This frame is a (suspected) out-of-order segment'),
  reusedPorts: flag(TCP_A_REUSED_PORTS, 'note', 'A new tcp session is started with the same ports as an earlier session in this trace'),
  lostSegment: flag(TCP_A_LOST_PACKET, 'warn', 'Previous segment(s) not captured (common at capture start)'),
  ackLostSegment: flag(TCP_A_ACK_LOST_PACKET, 'warn', "ACKed segment that wasn't captured (common at capture start)"),
  windowUpdate: flag(TCP_A_WINDOW_UPDATE, 'chat', 'TCP window update'),
  windowFull: flag(TCP_A_WINDOW_FULL, 'warn', 'TCP window specified by the receiver is now completely full'),
  keepAlive: flag(TCP_A_KEEP_ALIVE, 'note', 'TCP keep-alive segment'),
  keepAliveAck: flag(TCP_A_KEEP_ALIVE_ACK, 'note', 'ACK to a TCP keep-alive segment'),
  duplicateAck: flag(TCP_A_DUPLICATE_ACK, 'note', 'Duplicate ACK'),
  zeroWindowProbe: flag(TCP_A_ZERO_WINDOW_PROBE, 'note', 'TCP Zero Window Probe'),
  zeroWindow: flag(TCP_A_ZERO_WINDOW, 'warn', 'TCP Zero Window segment'),
  zeroWindowProbeAck: flag(TCP_A_ZERO_WINDOW_PROBE_ACK, 'note', 'ACK to a TCP Zero Window Probe'),
};

/** Wireshark's label for tcp.completeness values (conversation_completeness_fill). */
export function completenessText(value: number): string {
  switch (value) {
    case 1: return `Incomplete, SYN_SENT (${value})`;
    case 3: return `Incomplete, CLIENT_ESTABLISHED (${value})`;
    case 7: return `Incomplete, ESTABLISHED (${value})`;
    case 15: return `Incomplete, DATA (${value})`;
    case 31: case 47: case 63: return `Complete, WITH_DATA (${value})`;
    case 23: case 39: case 55: return `Complete, NO_DATA (${value})`;
    default: return `Incomplete (${value})`;
  }
}
