/**
 * An HTTP message body: chunked transfer coding (RFC 9112 §7.1) shown chunk by chunk and
 * de-chunked into a data source of its own, content codings (gzip/deflate, RFC 9110 §8.4)
 * decompressed into another, then "File Data" and the media-type dissector (http-media.ts).
 *
 * Hostile input: chunk sizes are capped, a chunk running past the data stops the walk (it is
 * Wireshark's unreassembled bounds error), and decompression output is bounded.
 */
import type { DataSource, DissectContext } from '../context.js';
import { httpFields as F } from './http-fields.js';
import { findLine, parseChunkSize, type Line } from './http-text.js';
import { textField } from './dns-fields.js';
import { dissectMediaBody } from './http-media.js';
import { inflateBody } from './http-inflate.js';

export interface BodyInfo {
  /** Offset of the first body byte. */
  start: number;
  /** Body length (already bounded by the data), or -1 for chunked. */
  length: number;
  chunked: boolean;
  /** Media type, lower case, without parameters ("text/html"). */
  contentType: string;
  contentEncoding: string;
}

/**
 * The media-type dissector's turn, which comes after the HTTP tree is closed (Wireshark shows
 * "Line-based text data", "JavaScript Object Notation" … as layers of their own).
 */
export interface MediaJob {
  /** The bytes the entity lives in when not the frame (de-chunked, decompressed). */
  source: DataSource | null;
  start: number;
  end: number;
  contentType: string;
}

export interface BodyOutcome {
  /** Bytes from `start` the body occupies in the message. */
  consumed: number;
  /** A chunk ran past the end of the data. */
  cut: boolean;
  /** What dissectMediaBody gets once the HTTP tree is closed (null: no body). */
  media: MediaJob | null;
}

/** Runs a deferred media dissector on the right bytes. */
export function runMediaJob(ctx: DissectContext, job: MediaJob): void {
  if (job.source) ctx.withSource(job.source, (sub) => dissectMediaBody(sub, job.contentType, job.start, job.end));
  else dissectMediaBody(ctx, job.contentType, job.start, job.end);
}

/** Largest body we decompress to (a 617-byte gzip may not become gigabytes). */
const MAX_INFLATED = 16 * 1024 * 1024;

export function dissectHttpBody(ctx: DissectContext, body: BodyInfo, end: number): BodyOutcome {
  const capEnd = Math.min(end, ctx.bytes.length);
  if (body.chunked) return dissectChunked(ctx, body, capEnd);
  const n = Math.max(0, body.length);
  const media = n > 0 ? showEntity(ctx, body, ctx.bytes, body.start, body.start + n, null) : null;
  return { consumed: n, cut: false, media };
}

/** The chunks, their tree, and the de-chunked entity. */
function dissectChunked(ctx: DissectContext, body: BodyInfo, capEnd: number): BodyOutcome {
  const { bytes, sink } = ctx;
  const text = sink.wantsText;
  const line: Line = { start: 0, end: 0, next: 0, terminated: false };
  const pieces: number[] = [];
  let total = 0;
  let p = body.start;
  let cut = false;
  sink.open(textField, p, 0, null, 0, text ? 'HTTP chunked response' : undefined);
  for (;;) {
    if (p >= capEnd) { cut = true; break; }
    findLine(bytes, p, capEnd, line);
    if (!line.terminated) { cut = true; break; }
    const size = parseChunkSize(bytes, line.start, line.end);
    if (size === 0) {
      sink.open(textField, p, line.next - p, null, 0, text ? 'End of chunked encoding' : undefined);
      sink.add(F.chunkSize, line.start, line.end - line.start, 0, 0, text ? 'Chunk size: 0 octets' : undefined);
      sink.close();
      p = line.next;
      // Trailer fields (RFC 9112 §7.1.2) up to the empty line.
      while (p < capEnd) {
        findLine(bytes, p, capEnd, line);
        if (line.end === line.start) {
          sink.add(textField, line.start, line.next - line.start, null, 0, text ? '\\r\\n' : undefined);
          p = line.next;
          break;
        }
        sink.add(F.chunkedTrailerPart, line.start, line.next - line.start, latin(bytes, line.start, line.next));
        p = line.next;
        if (!line.terminated) break;
      }
      break;
    }
    const dataStart = line.next;
    if (dataStart + size > capEnd) {
      // The chunk goes on past these bytes: without reassembly this is where decoding stops.
      cut = true;
      p = capEnd;
      break;
    }
    const boundaryEnd = Math.min(capEnd, dataStart + size + 2);
    sink.open(textField, p, boundaryEnd - p, null, 0, text ? `Data chunk (${size} octets)` : undefined);
    sink.add(F.chunkSize, line.start, line.end - line.start, size, 0, text ? `Chunk size: ${size} octets` : undefined);
    sink.add(F.chunkData, dataStart, size, bytes.subarray(dataStart, dataStart + size));
    if (boundaryEnd > dataStart + size) {
      sink.add(F.chunkBoundary, dataStart + size, boundaryEnd - dataStart - size, bytes.subarray(dataStart + size, boundaryEnd));
    }
    sink.close();
    pieces.push(dataStart, size);
    total += size;
    p = boundaryEnd;
  }
  sink.close(p - body.start);
  if (cut) return { consumed: p - body.start, cut, media: null };
  let media: MediaJob | null = null;
  if (total > 0) {
    const entity = new Uint8Array(total);
    let at = 0;
    for (let i = 0; i < pieces.length; i += 2) {
      entity.set(bytes.subarray(pieces[i], pieces[i] + pieces[i + 1]), at);
      at += pieces[i + 1];
    }
    const source: DataSource = { name: `De-chunked entity body (${total} bytes)`, bytes: entity };
    ctx.withSource(source, (sub) => { media = showEntity(sub, body, entity, 0, total, source); });
  }
  return { consumed: p - body.start, cut, media };
}

/** Content decoding and File Data over bytes[start, end) of `ctx`; returns the media job. */
function showEntity(
  ctx: DissectContext, body: BodyInfo, bytes: Uint8Array, start: number, end: number, source: DataSource | null,
): MediaJob {
  const encoding = body.contentEncoding;
  if (encoding === 'gzip' || encoding === 'x-gzip' || encoding === 'deflate') {
    const inflated = inflateBody(bytes.subarray(start, end), encoding, MAX_INFLATED);
    const { sink } = ctx;
    if (inflated) {
      sink.add(textField, start, end - start, null, 0, sink.wantsText
        ? `Content-encoded entity body (${encoding}): ${end - start} bytes -> ${inflated.length} bytes` : undefined);
      const plain: DataSource = { name: `Uncompressed entity body (${inflated.length} bytes)`, bytes: inflated };
      ctx.withSource(plain, (sub) => fileData(sub, 0, inflated.length));
      return { source: plain, start: 0, end: inflated.length, contentType: body.contentType };
    }
    sink.add(F.decompressionFailed, start, end - start, null, 0, 'Decompression failed');
    ctx.note({ severity: 'warn', group: 'undecoded', message: 'Decompression failed' });
  }
  fileData(ctx, start, end);
  return { source, start, end, contentType: body.contentType };
}

function fileData(ctx: DissectContext, start: number, end: number): void {
  const { sink } = ctx;
  const n = end - start;
  if (sink.wants?.(F.fileData) ?? true) {
    sink.add(F.fileData, start, n, latin(ctx.bytes, start, end), 0, `File Data: ${n} bytes`);
  }
}

/** Bytes as a string the way Wireshark's FT_STRING File Data holds them (ASCII; others U+FFFD). */
function latin(bytes: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i += 4096) {
    const chunk = bytes.subarray(i, Math.min(end, i + 4096));
    let ascii = true;
    for (let k = 0; k < chunk.length; k++) if (chunk[k] >= 0x80) { ascii = false; break; }
    if (ascii) s += String.fromCharCode.apply(null, chunk as unknown as number[]);
    else for (let k = 0; k < chunk.length; k++) s += chunk[k] < 0x80 ? String.fromCharCode(chunk[k]) : '\ufffd';
  }
  return s;
}
