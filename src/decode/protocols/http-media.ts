/**
 * The dissector Wireshark 4.0 hands an HTTP body to, chosen by its media type, with what each
 * adds to frame.protocols, the Protocol and the Info columns:
 *   text/html, text/plain, text/css, … → data-text-lines, Info " (text/html)"
 *   application/json                  → json, Protocol "HTTP/JSON", Info ", JavaScript Object Notation (…)"
 *   text/xml, application/xml, …+xml  → xml, Protocol "HTTP/XML"
 *   application/x-www-form-urlencoded → urlencoded-form, Info " (…)"
 *   application/octet-stream or none  → data
 *   any other type                    → media, Info " (type)"
 */
import type { DissectContext } from '../context.js';
import { defineField, defineProtocol } from '../fields/types.js';
import { escapeText } from '../fields/format.js';
import { dissectData } from './data.js';
import { textField } from './dns-fields.js';
import { markInfo } from './tcp-info.js';
import { dissectJson } from './http-json.js';

const textLinesProto = defineProtocol('data-text-lines', 'Line-based text data');
const xmlProto = defineProtocol('xml', 'eXtensible Markup Language');
const mediaProto = defineProtocol('media', 'Media Type');
const mediaType = defineField({ name: 'media.type', label: 'Media type', type: 'bytes' });
const formProto = defineProtocol('urlencoded-form', 'HTML Form URL Encoded');
const formKey = defineField({ name: 'urlencoded-form.key', label: 'Key', type: 'string' });
const formValue = defineField({ name: 'urlencoded-form.value', label: 'Value', type: 'string' });

/** Media types packet-text-media.c registers for "Line-based text data". */
const TEXT_LINES = new Set([
  'text/plain', 'text/richtext', 'text/enriched', 'text/parameters', 'text/html', 'text/css', 'text/dns',
  'text/x-csv', 'text/x-vcard', 'text/x-vcalendar', 'text/x-perl', 'text/x-sh', 'text/x-csh', 'text/x-ksh',
  'text/x-python', 'text/x-tcl', 'text/x-javascript', 'text/javascript', 'application/x-javascript',
  'text/vnd.sun.j2me.app-descriptor', 'application/vnd.poc.refer-to', 'application/vnd.drm.message',
  'application/x-wms-logplaystats', 'application/x-rtsp-udp-packetpair', 'application/x-ns-proxy-autoconfig',
]);

const JSON_TYPES = new Set([
  'application/json', 'application/json-rpc', 'application/jsonrequest', 'application/dds-web+json',
  'application/vnd.oma.lwm2m+json', 'application/problem+json',
]);

function isXml(type: string): boolean {
  return type === 'text/xml' || type === 'application/xml' || (type.endsWith('+xml') && type.indexOf('/') > 0);
}

export function dissectMediaBody(ctx: DissectContext, contentType: string, start: number, end: number): void {
  if (end <= start) return;
  if (contentType === '' || contentType === 'application/octet-stream') {
    dissectData(ctx, start, end);
  } else if (TEXT_LINES.has(contentType)) {
    dissectTextLines(ctx, contentType, start, end);
  } else if (JSON_TYPES.has(contentType)) {
    ctx.protocols.push('json');
    ctx.setProtocol(`${ctx.cols.protocol}/JSON`);
    markInfo(ctx, `, JavaScript Object Notation (${contentType})`);
    dissectJson(ctx, contentType, start, end);
  } else if (isXml(contentType)) {
    ctx.protocols.push('xml');
    ctx.setProtocol(`${ctx.cols.protocol}/XML`);
    const { sink } = ctx;
    sink.open(xmlProto, start, end - start, null, 0, sink.wantsText ? xmlProto.label : undefined);
    addLines(ctx, start, end);
    sink.close();
  } else if (contentType === 'application/x-www-form-urlencoded') {
    dissectForm(ctx, contentType, start, end);
  } else {
    ctx.protocols.push('media');
    markInfo(ctx, ` (${contentType})`);
    const { sink } = ctx;
    sink.open(mediaProto, start, end - start, null, 0, sink.wantsText ? mediaProto.label : undefined);
    sink.add(mediaType, start, end - start, ctx.bytes.subarray(start, end), 0,
      sink.wantsText ? `Media type: ${contentType} (${end - start} bytes)` : undefined);
    sink.close();
  }
}

/** "Line-based text data: text/html (8 lines)", one text item per line. */
function dissectTextLines(ctx: DissectContext, type: string, start: number, end: number): void {
  const { sink, bytes } = ctx;
  ctx.protocols.push('data-text-lines');
  markInfo(ctx, ` (${type})`);
  let label: string | undefined;
  if (sink.wantsText) {
    let lines = 0;
    for (let i = start; i < end; i++) if (bytes[i] === 0x0a) lines++;
    if (end > start && bytes[end - 1] !== 0x0a) lines++;
    label = `${textLinesProto.label}: ${type} (${lines} lines)`;
  }
  sink.open(textLinesProto, start, end - start, null, 0, label);
  addLines(ctx, start, end);
  sink.close();
}

/** One text item per line of bytes[start, end) (only built for the detail tree). */
function addLines(ctx: DissectContext, start: number, end: number): void {
  const { sink, bytes } = ctx;
  if (!sink.wantsText) return;
  let p = start;
  while (p < end) {
    let q = p;
    while (q < end && bytes[q] !== 0x0a) q++;
    const next = q < end ? q + 1 : end;
    sink.add(textField, p, next - p, null, 0, escapeText(String.fromCharCode.apply(null, bytes.subarray(p, next) as unknown as number[])));
    p = next;
  }
}

/** "HTML Form URL Encoded": key=value pairs separated by '&' (percent-decoding left as is). */
function dissectForm(ctx: DissectContext, type: string, start: number, end: number): void {
  const { sink, bytes } = ctx;
  ctx.protocols.push('urlencoded-form');
  markInfo(ctx, ` (${type})`);
  sink.open(formProto, start, end - start, null, 0, sink.wantsText ? `${formProto.label}: ${type}` : undefined);
  let p = start;
  while (p < end) {
    let amp = p;
    while (amp < end && bytes[amp] !== 0x26) amp++;
    let eq = p;
    while (eq < amp && bytes[eq] !== 0x3d) eq++;
    const key = String.fromCharCode.apply(null, bytes.subarray(p, eq) as unknown as number[]);
    const value = eq < amp ? String.fromCharCode.apply(null, bytes.subarray(eq + 1, amp) as unknown as number[]) : '';
    sink.open(textField, p, amp - p, null, 0, sink.wantsText ? `Form item: "${escapeText(key)}" = "${escapeText(value)}"` : undefined);
    sink.add(formKey, p, eq - p, key);
    if (eq < amp) sink.add(formValue, eq + 1, amp - eq - 1, value);
    sink.close();
    p = amp + 1;
  }
  sink.close();
}
