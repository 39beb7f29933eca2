/**
 * TCP field definitions: Wireshark's display-filter names, types and labels (packet-tcp.c as
 * shipped in tshark 4.0). The option sub-protocols (`tcp.options.mss`, …) are FT_BYTES nodes in
 * Wireshark: `-T fields` prints the option's bytes in hex, so they are 'bytes' fields here.
 */
import { defineField, defineProtocol, type FieldDef } from '../fields/types.js';

const SET: readonly [string, string] = ['Set', 'Not set'];

function flag(name: string, label: string, bitmask: number): FieldDef {
  return defineField({ name: `tcp.flags.${name}`, label, type: 'bool', bits: 12, bitmask, trueFalse: SET });
}

export const tcpProto = defineProtocol('tcp', 'Transmission Control Protocol');

export const tcpFields = {
  srcport: defineField({ name: 'tcp.srcport', label: 'Source Port', type: 'uint', bits: 16 }),
  dstport: defineField({ name: 'tcp.dstport', label: 'Destination Port', type: 'uint', bits: 16 }),
  port: defineField({ name: 'tcp.port', label: 'Source or Destination Port', type: 'uint', bits: 16 }),
  stream: defineField({ name: 'tcp.stream', label: 'Stream index', type: 'uint', bits: 32 }),
  len: defineField({ name: 'tcp.len', label: 'TCP Segment Len', type: 'uint', bits: 32 }),
  seq: defineField({ name: 'tcp.seq', label: 'Sequence Number', type: 'uint', bits: 32 }),
  seqRaw: defineField({ name: 'tcp.seq_raw', label: 'Sequence Number (raw)', type: 'uint', bits: 32 }),
  nxtseq: defineField({ name: 'tcp.nxtseq', label: 'Next Sequence Number', type: 'uint', bits: 32 }),
  ack: defineField({ name: 'tcp.ack', label: 'Acknowledgment Number', type: 'uint', bits: 32 }),
  ackRaw: defineField({ name: 'tcp.ack_raw', label: 'Acknowledgment number (raw)', type: 'uint', bits: 32 }),
  hdrLen: defineField({ name: 'tcp.hdr_len', label: 'Header Length', type: 'uint', bits: 8 }),
  flags: defineField({ name: 'tcp.flags', label: 'Flags', type: 'uint', base: 'hex', bits: 16 }),
  flagsRes: flag('res', 'Reserved', 0xe00),
  flagsAe: flag('ae', 'Accurate ECN', 0x100),
  flagsCwr: flag('cwr', 'Congestion Window Reduced', 0x80),
  flagsEce: flag('ece', 'ECN-Echo', 0x40),
  flagsUrg: flag('urg', 'Urgent', 0x20),
  flagsAck: flag('ack', 'Acknowledgment', 0x10),
  flagsPush: flag('push', 'Push', 0x8),
  flagsReset: flag('reset', 'Reset', 0x4),
  flagsSyn: flag('syn', 'Syn', 0x2),
  flagsFin: flag('fin', 'Fin', 0x1),
  flagsStr: defineField({ name: 'tcp.flags.str', label: 'TCP Flags', type: 'string' }),
  windowSizeValue: defineField({ name: 'tcp.window_size_value', label: 'Window', type: 'uint', bits: 16 }),
  windowSize: defineField({ name: 'tcp.window_size', label: 'Calculated window size', type: 'uint', bits: 32 }),
  windowSizeScaleFactor: defineField({
    name: 'tcp.window_size_scalefactor', label: 'Window size scaling factor', type: 'int', bits: 32,
  }),
  checksum: defineField({ name: 'tcp.checksum', label: 'Checksum', type: 'uint', base: 'hex', bits: 16 }),
  checksumStatus: defineField({
    name: 'tcp.checksum.status', label: 'Checksum Status', type: 'uint', bits: 8,
    valueStrings: { 0: 'Bad', 1: 'Good', 2: 'Unverified', 3: 'Not present', 4: 'Illegal' },
  }),
  urgentPointer: defineField({ name: 'tcp.urgent_pointer', label: 'Urgent Pointer', type: 'uint', bits: 16 }),
  options: defineField({ name: 'tcp.options', label: 'Options', type: 'bytes' }),
  payload: defineField({ name: 'tcp.payload', label: 'TCP payload', type: 'bytes' }),
  bogusHeaderLength: defineField({ name: 'tcp.bogus_header_length', label: 'Bogus TCP Header length', type: 'none' }),
  shortSegment: defineField({ name: 'tcp.short_segment', label: 'Short segment', type: 'none' }),
};

/** Wireshark's checksum status values (proto.h `proto_checksum_status`). */
export const CHECKSUM_UNVERIFIED = 2;
export const CHECKSUM_NOT_PRESENT = 3;

export const tcpOptionFields = {
  kind: defineField({ name: 'tcp.option_kind', label: 'Kind', type: 'uint', bits: 8 }),
  len: defineField({ name: 'tcp.option_len', label: 'Length', type: 'uint', bits: 8 }),
  mssVal: defineField({ name: 'tcp.options.mss_val', label: 'MSS Value', type: 'uint', bits: 16 }),
  wscaleShift: defineField({ name: 'tcp.options.wscale.shift', label: 'Shift count', type: 'uint', bits: 8 }),
  wscaleMultiplier: defineField({ name: 'tcp.options.wscale.multiplier', label: 'Multiplier', type: 'uint', bits: 16 }),
  sackLe: defineField({ name: 'tcp.options.sack_le', label: 'TCP SACK Left Edge', type: 'uint', bits: 32 }),
  sackRe: defineField({ name: 'tcp.options.sack_re', label: 'TCP SACK Right Edge', type: 'uint', bits: 32 }),
  sackCount: defineField({ name: 'tcp.options.sack.count', label: 'TCP SACK Count', type: 'uint', bits: 8 }),
  dsackLe: defineField({ name: 'tcp.options.sack.dsack_le', label: 'TCP D-SACK Left Edge', type: 'uint', bits: 32 }),
  dsackRe: defineField({ name: 'tcp.options.sack.dsack_re', label: 'TCP D-SACK Right Edge', type: 'uint', bits: 32 }),
  dsack: defineField({ name: 'tcp.options.sack.dsack', label: 'D-SACK Sequence', type: 'none' }),
  tsval: defineField({ name: 'tcp.options.timestamp.tsval', label: 'Timestamp value', type: 'uint', bits: 32 }),
  tsecr: defineField({ name: 'tcp.options.timestamp.tsecr', label: 'Timestamp echo reply', type: 'uint', bits: 32 }),
  tfoRequest: defineField({ name: 'tcp.options.tfo.request', label: 'Fast Open Cookie Request', type: 'none' }),
  tfoCookie: defineField({ name: 'tcp.options.tfo.cookie', label: 'Fast Open Cookie', type: 'bytes' }),
  md5Digest: defineField({ name: 'tcp.options.md5.digest', label: 'MD5 digest', type: 'bytes' }),
  userToGranularity: defineField({
    name: 'tcp.options.user_to_granularity', label: 'Granularity', type: 'bool', bits: 16, bitmask: 0x8000,
    trueFalse: ['Minutes', 'Seconds'],
  }),
  userToVal: defineField({ name: 'tcp.options.user_to_val', label: 'User Timeout', type: 'uint', bits: 16, bitmask: 0x7fff }),
  experimentalExid: defineField({
    name: 'tcp.options.experimental.exid', label: 'Experiment Identifier', type: 'uint', base: 'hex', bits: 16,
  }),
  experimentalData: defineField({ name: 'tcp.options.experimental.data', label: 'Data', type: 'bytes' }),
  unknownPayload: defineField({ name: 'tcp.options.unknown.payload', label: 'Payload', type: 'bytes' }),
  lenInvalid: defineField({ name: 'tcp.option.len.invalid', label: 'Invalid length for option', type: 'none' }),
  suboptionMalformed: defineField({ name: 'tcp.suboption_malformed', label: 'suboption would go past end of option', type: 'none' }),
  nonZeroAfterEol: defineField({ name: 'tcp.non_zero_bytes_after_eol', label: 'Non-zero header padding', type: 'none' }),
};

/** One option sub-protocol: its node field and the short name Wireshark lists in "Options: …". */
export interface TcpOptionKind {
  node: FieldDef;
  /** Short name ("Maximum segment size") used in the Options summary and in expert texts. */
  name: string;
  /** Exact option length for fixed-size options, 0 when variable. */
  fixedLength: number;
}

function option(abbrev: string, label: string, name: string, fixedLength = 0): TcpOptionKind {
  return { node: defineField({ name: `tcp.options.${abbrev}`, label, type: 'bytes' }), name, fixedLength };
}

export const TCPOPT_EOL = 0;
export const TCPOPT_NOP = 1;
export const TCPOPT_MSS = 2;
export const TCPOPT_WSCALE = 3;
export const TCPOPT_SACK_PERM = 4;
export const TCPOPT_SACK = 5;
export const TCPOPT_TIMESTAMP = 8;
export const TCPOPT_MD5 = 19;
export const TCPOPT_USER_TO = 28;
export const TCPOPT_AO = 29;
export const TCPOPT_MPTCP = 30;
export const TCPOPT_TFO = 34;
export const TCPOPT_EXP_FD = 253;
export const TCPOPT_EXP_FE = 254;

/** The option kinds Wireshark has a dissector for (its `tcp.option` table); others are "Unknown". */
export const tcpOptionKinds: ReadonlyMap<number, TcpOptionKind> = new Map<number, TcpOptionKind>([
  [TCPOPT_EOL, option('eol', 'TCP Option - End of Option List (EOL)', 'End of Option List (EOL)')],
  [TCPOPT_NOP, option('nop', 'TCP Option - No-Operation (NOP)', 'No-Operation (NOP)')],
  [TCPOPT_MSS, option('mss', 'TCP Option - Maximum segment size', 'Maximum segment size', 4)],
  [TCPOPT_WSCALE, option('wscale', 'TCP Option - Window scale', 'Window scale', 3)],
  [TCPOPT_SACK_PERM, option('sack_perm', 'TCP Option - SACK permitted', 'SACK permitted', 2)],
  [TCPOPT_SACK, option('sack', 'TCP Option - SACK', 'SACK')],
  [6, option('echo', 'TCP Option - Echo', 'Echo', 6)],
  [7, option('echoreply', 'TCP Option - Echo reply', 'Echo reply', 6)],
  [TCPOPT_TIMESTAMP, option('timestamp', 'TCP Option - Timestamps', 'Timestamps', 10)],
  [11, option('cc', 'TCP Option - CC', 'CC', 6)],
  [12, option('ccnew', 'TCP Option - CC.NEW', 'CC.NEW', 6)],
  [13, option('ccecho', 'TCP Option - CC.ECHO', 'CC.ECHO', 6)],
  [TCPOPT_MD5, option('md5', 'TCP Option - TCP MD5 signature', 'TCP MD5 signature', 18)],
  [20, option('scps', 'TCP Option - SCPS capabilities', 'SCPS capabilities')],
  [21, option('snack', 'TCP Option - Selective Negative Acknowledgment', 'Selective Negative Acknowledgment', 6)],
  [22, option('scpsrec', 'TCP Option - SCPS record boundary', 'SCPS record boundary', 2)],
  [23, option('scpscor', 'TCP Option - SCPS corruption experienced', 'SCPS corruption experienced', 2)],
  [27, option('qs', 'TCP Option - Quick-Start', 'Quick-Start', 8)],
  [TCPOPT_USER_TO, option('user_to', 'TCP Option - User Timeout', 'User Timeout', 4)],
  [29, option('ao', 'TCP Option - TCP AO', 'TCP AO')],
  [30, option('mptcp', 'TCP Option - Multipath TCP', 'MPTCP')],
  [TCPOPT_TFO, option('tfo', 'TCP Option - TCP Fast Open', 'TCP Fast Open')],
  [76, option('rvbd.probe', 'TCP Option - Riverbed Probe', 'Riverbed Probe')],
  [78, option('rvbd.trpy', 'TCP Option - Riverbed Transparency', 'Riverbed Transparency')],
  [172, option('acc_ecn', 'TCP Option - Accurate ECN', 'Accurate ECN')],
  [TCPOPT_EXP_FD, option('experimental', 'TCP Option - Experimental', 'Experimental')],
]);
// Both RFC 3692 experiment kinds (and both Accurate ECN orders) share one sub-protocol.
(tcpOptionKinds as Map<number, TcpOptionKind>).set(TCPOPT_EXP_FE, tcpOptionKinds.get(TCPOPT_EXP_FD)!);
(tcpOptionKinds as Map<number, TcpOptionKind>).set(174, tcpOptionKinds.get(172)!);

export const tcpOptionUnknown = option('unknown', 'TCP Option - Unknown', 'Unknown');

/** `tcp.option_kind` value names (Wireshark's tcp_option_kind_vs). */
export const TCP_OPTION_KIND_NAMES: Readonly<Record<number, string>> = {
  0: 'End of Option List', 1: 'No-Operation', 2: 'Maximum Segment Size', 3: 'Window Scale',
  4: 'SACK Permitted', 5: 'SACK', 6: 'Echo', 7: 'Echo Reply', 8: 'Time Stamp Option',
  9: 'Partial Order Connection Permitted', 10: 'Partial Order Service Profile', 11: 'CC', 12: 'CC.NEW',
  13: 'CC.ECHO', 14: 'TCP Alternate Checksum Request', 15: 'TCP Alternate Checksum Data', 16: 'Skeeter',
  17: 'Bubba', 18: 'Trailer Checksum Option', 19: 'MD5 Signature Option', 20: 'SCPS Capabilities',
  21: 'Selective Negative Acknowledgements', 22: 'Record Boundaries', 23: 'Corruption experienced',
  24: 'SNAP', 25: 'Unassigned', 26: 'TCP Compression Filter', 27: 'Quick-Start Response',
  28: 'User Timeout Option', 29: 'The TCP Authentication Option', 30: 'Multipath TCP',
  34: 'TCP Fast Open Cookie', 76: 'Riverbed Probe', 78: 'Riverbed Transparency',
  172: 'Accurate ECN Order 0', 174: 'Accurate ECN Order 1',
  253: 'RFC3692-style Experiment 1', 254: 'RFC3692-style Experiment 2',
};
