/**
 * The contract between CaptureStreamParser (chunking, carry buffer, errors) and the two
 * format readers (pcap-reader.ts, pcapng-reader.ts). Isomorphic.
 */

import type { CaptureErrorKind, CaptureInterface, PacketRecord } from './types.js';

export interface ReaderHost {
  readonly fileName: string;
  /** The one record object handed to every onRecord call (reused: no allocation per packet). */
  readonly rec: PacketRecord;
  readonly onRecord: (rec: PacketRecord) => void;
  /** Packets delivered so far; the reader increments it before each onRecord call. */
  packets: number;
  /**
   * Set by a reader that stops on an incomplete unit: how many bytes, counted from the unit's
   * first byte, it needs before it can make progress.
   */
  need: number;
  readonly interfaces: CaptureInterface[];
  addInterface(iface: CaptureInterface): void;
  /**
   * Reports a problem at an absolute file offset. Throws a CaptureFileError while the file
   * header is not yet complete (nothing can be read); afterwards records a warning and stops
   * the parse, so the reader must return at once.
   */
  damage(kind: CaptureErrorKind, offset: number, problem: string): void;
  /** A DataView over `buf`, cached for the common case of one reused chunk buffer. */
  view(buf: Uint8Array): DataView;
  /**
   * Skip the rest of a block that is not buffered: `seen` of its `length` bytes are at
   * buf[start …). The host skips the remainder in later chunks and checks the trailing length.
   */
  beginSkip(buf: Uint8Array, start: number, seen: number, blockOffset: number, length: number, le: boolean): void;
}

export interface FormatReader {
  /** True once the file header (pcap header / first SHB) has been parsed. */
  readonly headerDone: boolean;
  /**
   * Processes complete units in buf[pos, end), where `base` is the file offset of buf[0].
   * Returns the position after the last unit processed; on an incomplete unit sets host.need.
   */
  run(buf: Uint8Array, pos: number, end: number, base: number): number;
  /** Describes what is missing when the input ends at a unit boundary + `have` bytes. */
  describeTruncation(have: number): string;
}
