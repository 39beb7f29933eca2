/**
 * Shared types of the capture-file layer. Isomorphic: the parsers that produce these work on
 * Uint8Array chunks; only the file/pipe drivers in src/capture/*-node.ts touch node:fs.
 */

/** Link-layer header types (LINKTYPE_* from the tcpdump.org registry) we hand to decoders. */
export const LinkType = {
  NULL: 0,
  ETHERNET: 1,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

/** One capture interface: a pcap file has exactly one, a pcapng file one per IDB. */
export interface CaptureInterface {
  /** tshark's frame.interface_id: the IDB's index within its pcapng section (0 for pcap). */
  id: number;
  /** Index of the pcapng section this interface belongs to (0 for pcap). */
  section: number;
  linkType: number;
  snapLen: number;
  name?: string;
  description?: string;
  /** Timestamp units per second (1e6 for classic µs pcap, 1e9 for ns pcap, if_tsresol for pcapng). */
  tsUnitsPerSecond: number;
  /** if_tsoffset: seconds added to every timestamp of this interface. */
  tsOffsetSeconds: number;
  /** Which file format declared this interface (pcap has one implicit interface). */
  format: CaptureFormat;
}

/**
 * One captured packet as read from the file.
 *
 * The streaming readers hand the SAME record object to every callback (no allocation per
 * packet): read the fields you need inside the callback, or keep a snapshot made with
 * `copyRecord()` from src/capture/record.ts.
 */
export interface PacketRecord {
  /** 1-based frame number in file order (tshark's frame.number). */
  number: number;
  /** Index into the reader's `interfaces` array (global across sections). */
  interfaceIndex: number;
  /**
   * tshark's frame.interface_id (index within the section); -1 for classic pcap, whose records
   * carry no interface id (tshark leaves frame.interface_id empty there).
   */
  interfaceId: number;
  linkType: number;
  /** Whole seconds since the Unix epoch. */
  tsSec: number;
  /** Nanoseconds within the second, 0 … 999 999 999. */
  tsNsec: number;
  /** Bytes present in the file (frame.cap_len). */
  capLen: number;
  /** Bytes on the wire (frame.len). */
  origLen: number;
  /** Absolute file offset of the first packet byte, for random access re-reads. */
  dataOffset: number;
  /** Absolute file offset of the record/block header. */
  recordOffset: number;
  /**
   * The captured bytes. A view into the reader's chunk buffer: valid until the record callback
   * returns (copy it with `.slice()` to keep it).
   */
  data: Uint8Array;
  /** pcapng opt_comment values of the packet block, in file order. */
  comments?: string[];
}

export type CaptureFormat = 'pcap' | 'pcapng';

/** Why a file could not be read (fully). */
export type CaptureErrorKind =
  | 'empty'
  | 'not-a-capture'
  | 'truncated'
  | 'bad-block-length'
  | 'bad-caplen'
  | 'unsupported'
  | 'io'
  /** Structure that contradicts itself: an unknown interface id, an SPB before any IDB, … */
  | 'malformed';

/**
 * A structured, user-facing problem with a capture file. `message` is one clear sentence that
 * names the file, the byte offset and the problem.
 */
export class CaptureFileError extends Error {
  constructor(
    readonly kind: CaptureErrorKind,
    readonly file: string,
    readonly offset: number,
    readonly problem: string,
    /** Complete packets that were read before the damage. */
    readonly packetsRead = 0,
  ) {
    super(`${file}: ${problem} (at byte offset ${offset})`);
    this.name = 'CaptureFileError';
  }
}

/** Summary returned when a read finishes. */
export interface ReadResult {
  format: CaptureFormat;
  interfaces: CaptureInterface[];
  packets: number;
  bytesRead: number;
  /** Set when the file is damaged after some complete packets: those were delivered. */
  warning?: CaptureFileError;
}
