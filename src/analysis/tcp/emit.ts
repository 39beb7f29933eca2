/**
 * Reports the analysis of one segment into the TCP tree at Wireshark's positions: tcp.stream
 * and tcp.completeness after the ports, then [Timestamps] and [SEQ/ACK analysis] after the
 * options. Expert notes are Wireshark's (severity, group "sequence", message). Labels are built
 * only when the sink wants text. Isomorphic.
 */
import type { DissectContext } from '../../decode/context.js';
import { GENERATED, wantsAny, type ExpertNote } from '../../decode/sink.js';
import { formatRelTime } from '../../decode/fields/format.js';
import { completenessText, flagInfo, tcpAnalysisFields as F, textField, type FlagInfo } from './fields.js';
import {
  TCP_A_ACK_LOST_PACKET, TCP_A_DUPLICATE_ACK, TCP_A_FAST_RETRANSMISSION, TCP_A_KEEP_ALIVE,
  TCP_A_KEEP_ALIVE_ACK, TCP_A_LOST_PACKET, TCP_A_OUT_OF_ORDER, TCP_A_RETRANSMISSION,
  TCP_A_REUSED_PORTS, TCP_A_SPURIOUS_RETRANSMISSION, TCP_A_WINDOW_FULL, TCP_A_WINDOW_UPDATE,
  TCP_A_ZERO_WINDOW, TCP_A_ZERO_WINDOW_PROBE, TCP_A_ZERO_WINDOW_PROBE_ACK,
} from './flags.js';
import type { TcpPacketResult } from './packet-result.js';

const SEVERITY_TEXT = { chat: 'Chat', note: 'Note', warn: 'Warning', error: 'Error' } as const;

/** One frozen note per flag: flagged packets allocate nothing for their notes. */
const notes = new Map<FlagInfo, ExpertNote>();
function noteOf(info: FlagInfo): ExpertNote {
  let n = notes.get(info);
  if (!n) notes.set(info, (n = Object.freeze({ severity: info.severity, group: 'sequence', message: info.message })));
  return n;
}

const finActiveNote: ExpertNote = Object.freeze({
  severity: 'note', group: 'sequence', message: 'This frame initiates the connection closing',
});
const finPassiveNote: ExpertNote = Object.freeze({
  severity: 'note', group: 'sequence', message: 'This frame undergoes the connection closing',
});

/** "Duplicate ACK (#n)" notes, made once per n (runs of duplicates are short). */
const dupAckNotes: ExpertNote[] = [];
function dupAckNote(n: number): ExpertNote {
  if (n < 256) {
    return dupAckNotes[n] ??= Object.freeze({ severity: 'note', group: 'sequence', message: `Duplicate ACK (#${n})` });
  }
  return { severity: 'note', group: 'sequence', message: `Duplicate ACK (#${n})` };
}

function expertLine(note: ExpertNote): string {
  return `[Expert Info (${SEVERITY_TEXT[note.severity]}/Sequence): ${note.message}]`;
}

/** An expert item: the flag's filter field (FT_NONE, prints "1") carrying Wireshark's note. */
function expertItem(ctx: DissectContext, info: FlagInfo): void {
  const note = noteOf(info);
  ctx.sink.add(info.field, 0, 0, null, GENERATED, ctx.sink.wantsText ? expertLine(note) : undefined);
  ctx.note(note);
}

function seconds(ns: number): string {
  return `${formatRelTime(ns)} seconds`;
}

/** The [Timestamps] subtree's fields. */
const TIMESTAMP_FIELDS = [textField, F.timeRelative, F.timeDelta];
/** The numbers of [SEQ/ACK analysis] (its flags and their notes go to every sink). */
const SEQ_ACK_NUMBERS = [
  F.acksFrame, F.ackRtt, F.initialRtt, F.bytesInFlight, F.pushBytesSent, F.rto, F.rtoFrame, F.duplicateAckNum,
  F.duplicateAckFrame,
];

/** 'ports' position: tcp.stream, tcp.completeness. */
export function emitStreamFields(ctx: DissectContext, res: TcpPacketResult, headerOffset: number): void {
  const sink = ctx.sink;
  const text = sink.wantsText;
  const stream = res.conn!.stream;
  sink.add(F.stream, headerOffset, 0, stream, GENERATED, text ? `[Stream index: ${stream}]` : undefined);
  sink.add(F.completeness, 0, 0, res.completeness, GENERATED,
    text ? `[Conversation completeness: ${completenessText(res.completeness)}]` : undefined);
}

/** 'options' position: [Timestamps], closing experts, [SEQ/ACK analysis]. */
export function emitAnalysisTrees(ctx: DissectContext, res: TcpPacketResult): void {
  const sink = ctx.sink;
  const text = sink.wantsText;

  // A sink that keeps none of the timestamps or of the analysis numbers (the packet index)
  // skips them; the analysis flags and their expert notes are reported to every sink.
  if (wantsAny(sink, TIMESTAMP_FIELDS)) {
    sink.open(textField, 0, 0, null, GENERATED, text ? '[Timestamps]' : undefined);
    sink.add(F.timeRelative, 0, 0, res.timeRelative, GENERATED,
      text ? `[Time since first frame in this TCP stream: ${seconds(res.timeRelative)}]` : undefined);
    sink.add(F.timeDelta, 0, 0, res.timeDelta, GENERATED,
      text ? `[Time since previous frame in this TCP stream: ${seconds(res.timeDelta)}]` : undefined);
    sink.close();
  }

  if (res.finActive) {
    sink.add(F.finActive, 0, 0, null, 0, text ? expertLine(finActiveNote) : undefined);
    ctx.note(finActiveNote);
  } else if (res.finPassive) {
    sink.add(F.finPassive, 0, 0, null, 0, text ? expertLine(finPassiveNote) : undefined);
    ctx.note(finPassiveNote);
  }

  if (!res.exists || res.optionsCut) return;
  sink.open(F.analysis, 0, 0, null, GENERATED, text ? '[SEQ/ACK analysis]' : undefined);
  const numbers = wantsAny(sink, SEQ_ACK_NUMBERS);
  if (numbers) emitSeqAckNumbers(ctx, res);
  const flags = res.flags;
  if (flags !== 0) {
    sink.open(F.flags, 0, 0, null, GENERATED, text ? '[TCP Analysis Flags]' : undefined);
    if (flags & TCP_A_REUSED_PORTS) expertItem(ctx, flagInfo.reusedPorts);
    if (flags & TCP_A_RETRANSMISSION) {
      expertItem(ctx, flagInfo.retransmission);
      if (res.rto !== 0 && numbers) {
        sink.add(F.rto, 0, 0, res.rto, GENERATED, text ? `[The RTO for this segment was: ${seconds(res.rto)}]` : undefined);
        sink.add(F.rtoFrame, 0, 0, res.rtoFrame, GENERATED,
          text ? `[RTO based on delta from frame: ${res.rtoFrame}]` : undefined);
      }
    }
    // Wireshark reports fast and spurious retransmissions with the retransmission note too.
    if (flags & TCP_A_FAST_RETRANSMISSION) {
      expertItem(ctx, flagInfo.fastRetransmission);
      expertItem(ctx, flagInfo.retransmission);
    }
    if (flags & TCP_A_SPURIOUS_RETRANSMISSION) {
      expertItem(ctx, flagInfo.spuriousRetransmission);
      expertItem(ctx, flagInfo.retransmission);
    }
    if (flags & TCP_A_OUT_OF_ORDER) expertItem(ctx, flagInfo.outOfOrder);
    if (flags & TCP_A_LOST_PACKET) expertItem(ctx, flagInfo.lostSegment);
    if (flags & TCP_A_ACK_LOST_PACKET) expertItem(ctx, flagInfo.ackLostSegment);
    if (flags & TCP_A_WINDOW_UPDATE) expertItem(ctx, flagInfo.windowUpdate);
    if (flags & TCP_A_WINDOW_FULL) expertItem(ctx, flagInfo.windowFull);
    if (flags & TCP_A_KEEP_ALIVE) expertItem(ctx, flagInfo.keepAlive);
    if (flags & TCP_A_KEEP_ALIVE_ACK) expertItem(ctx, flagInfo.keepAliveAck);
    const dup = (flags & TCP_A_DUPLICATE_ACK) !== 0 && res.dupAckNum !== 0;
    if (dup) {
      sink.add(flagInfo.duplicateAck.field, 0, 0, null, GENERATED, text ? '[This is a TCP duplicate ack]' : undefined);
    }
    if (flags & TCP_A_ZERO_WINDOW_PROBE) expertItem(ctx, flagInfo.zeroWindowProbe);
    if (flags & TCP_A_ZERO_WINDOW) expertItem(ctx, flagInfo.zeroWindow);
    if (flags & TCP_A_ZERO_WINDOW_PROBE_ACK) expertItem(ctx, flagInfo.zeroWindowProbeAck);
    sink.close();
    if (dup) {
      // Number and frame sit in the analysis tree; the "Duplicate ACK (#n)" note on the frame item.
      if (numbers) {
        sink.add(F.duplicateAckNum, 0, 0, res.dupAckNum, GENERATED, text ? `[Duplicate ACK #: ${res.dupAckNum}]` : undefined);
        sink.add(F.duplicateAckFrame, 0, 0, res.dupAckFrame, GENERATED,
          text ? `[Duplicate to the ACK in frame: ${res.dupAckFrame}]` : undefined);
      }
      const note = dupAckNote(res.dupAckNum);
      sink.add(flagInfo.duplicateAck.field, 0, 0, null, GENERATED, text ? expertLine(note) : undefined);
      ctx.note(note);
    }
  }
  sink.close();
}

/** The numbers at the top of [SEQ/ACK analysis]: the frame acked, RTTs, bytes in flight. */
function emitSeqAckNumbers(ctx: DissectContext, res: TcpPacketResult): void {
  const sink = ctx.sink;
  const text = sink.wantsText;
  if (res.frameAcked) {
    sink.add(F.acksFrame, 0, 0, res.frameAcked, GENERATED,
      text ? `[This is an ACK to the segment in frame: ${res.frameAcked}]` : undefined);
    if (res.ackRtt !== 0) {
      sink.add(F.ackRtt, 0, 0, res.ackRtt, GENERATED,
        text ? `[The RTT to ACK the segment was: ${seconds(res.ackRtt)}]` : undefined);
    }
  }
  if (res.initialRtt !== 0) {
    sink.add(F.initialRtt, 0, 0, res.initialRtt, GENERATED, text ? `[iRTT: ${seconds(res.initialRtt)}]` : undefined);
  }
  if (res.bytesInFlight !== 0) {
    sink.add(F.bytesInFlight, 0, 0, res.bytesInFlight, GENERATED,
      text ? `[Bytes in flight: ${res.bytesInFlight}]` : undefined);
    sink.add(F.pushBytesSent, 0, 0, res.pushBytesSent, GENERATED,
      text ? `[Bytes sent since last PSH flag: ${res.pushBytesSent}]` : undefined);
  }
}
