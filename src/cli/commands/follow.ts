/**
 * `wirescope follow FILE --stream N [--format ascii|hex|raw|json]` — one TCP stream's
 * conversation in sequence order, exactly as `tshark -q -z follow,tcp,<format>,N` prints it
 * (ascii, hex, raw), or as JSON with packet numbers, times and where the capture missed bytes.
 */
import { readCaptureFileSync } from '../../capture/read-node.js';
import type { ReadResult } from '../../capture/types.js';
import { createAnalyzer } from '../../analysis/index.js';
import { followTcpStream } from '../../analysis/follow/follow.js';
import { followToJson, formatFollowText, type FollowFormat } from '../../analysis/follow/format.js';
import type { StreamSegment } from '../../analysis/reassembly/types.js';
import { collectingHooks } from '../../analysis/follow/segments.js';
import { decodePacket, DecodeSession, NullSink } from '../../decode/index.js';
import { UsageError } from '../args.js';
import type { BufferedWriter } from '../io.js';
import type { CommandContext } from './context.js';

const FORMATS: readonly FollowFormat[] = ['ascii', 'hex', 'raw', 'json'];

export function parseStreamIndex(text: string | undefined, command: string): number {
  if (text === undefined) throw new UsageError(`${command} needs --stream N (a tcp.stream index)`);
  if (!/^\d+$/.test(text)) throw new UsageError(`--stream expects a non-negative integer, not "${text}"`);
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new UsageError(`--stream ${text} is out of range`);
  return n;
}

export function parseFollowFormat(text: string | undefined, json: boolean): FollowFormat {
  if (text === undefined) return json ? 'json' : 'ascii';
  if (!(FORMATS as readonly string[]).includes(text)) {
    throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${text}"`);
  }
  return text as FollowFormat;
}

/**
 * Decodes the file once with the analysis (tcp.stream numbering) and collects the segments of
 * `stream` as the TCP dissector reports them — from the bytes the segment was decoded from,
 * so TCP inside reassembled IP datagrams works too.
 */
export function collectStreamSegments(file: string, stream: number): { segments: StreamSegment[]; result: ReadResult } {
  const analyzer = createAnalyzer();
  const segments: StreamSegment[] = [];
  const session = new DecodeSession(collectingHooks(analyzer.hooks, (s) => s === stream, (_s, seg) => segments.push(seg)));
  session.wantsColumns = false;
  const sink = new NullSink();
  const result = readCaptureFileSync(file, (rec) => {
    decodePacket(rec, rec.data, session, sink);
  });
  return { segments, result };
}

export function runFollow(cmd: CommandContext, streamText: string | undefined, formatText: string | undefined, out: BufferedWriter): ReadResult {
  const stream = parseStreamIndex(streamText, 'follow');
  const format = parseFollowFormat(formatText, cmd.json);
  const { segments, result } = collectStreamSegments(cmd.file, stream);
  const followed = followTcpStream(stream, segments);
  if (format === 'json') {
    out.line(JSON.stringify(followToJson(followed), null, 2));
  } else {
    const text = formatFollowText(followed, format);
    out.line(text.endsWith('\n') ? text.slice(0, -1) : text);
  }
  return result;
}
