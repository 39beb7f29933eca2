/**
 * HTTP/1.x field definitions (Wireshark 4.0 packet-http.c names, types, labels) and the table
 * of headers Wireshark gives a field of their own; any other header is only a
 * http.request.line / http.response.line.
 */
import { defineField, defineProtocol, type FieldDef } from '../fields/types.js';

export const httpProto = defineProtocol('http', 'Hypertext Transfer Protocol');

const str = (name: string, label: string): FieldDef => defineField({ name, label, type: 'string' });

export const httpFields = {
  request: defineField({ name: 'http.request', label: 'Request', type: 'bool', trueFalse: ['True', 'False'] }),
  response: defineField({ name: 'http.response', label: 'Response', type: 'bool', trueFalse: ['True', 'False'] }),
  chat: defineField({ name: 'http.chat', label: 'Formatted text', type: 'none' }),
  requestMethod: str('http.request.method', 'Request Method'),
  requestUri: str('http.request.uri', 'Request URI'),
  requestUriPath: str('http.request.uri.path', 'Request URI Path'),
  requestUriQuery: str('http.request.uri.query', 'Request URI Query'),
  requestUriQueryParameter: str('http.request.uri.query.parameter', 'Request URI Query Parameter'),
  requestVersion: str('http.request.version', 'Request Version'),
  requestFullUri: str('http.request.full_uri', 'Full request URI'),
  responseVersion: str('http.response.version', 'Response Version'),
  responseCode: defineField({ name: 'http.response.code', label: 'Status Code', type: 'uint', bits: 16 }),
  responseCodeDesc: str('http.response.code.desc', 'Status Code Description'),
  responsePhrase: str('http.response.phrase', 'Response Phrase'),
  requestLine: str('http.request.line', 'Request line'),
  responseLine: str('http.response.line', 'Response line'),
  contentLength: defineField({ name: 'http.content_length', label: 'Content length', type: 'uint', bits: 64 }),
  cookiePair: str('http.cookie_pair', 'Cookie pair'),
  fileData: str('http.file_data', 'File Data'),
  chunkSize: defineField({ name: 'http.chunk_size', label: 'Chunk size', type: 'uint', bits: 32 }),
  chunkData: defineField({ name: 'http.chunk_data', label: 'Chunk data', type: 'bytes' }),
  chunkBoundary: defineField({ name: 'http.chunk_boundary', label: 'Chunk boundary', type: 'bytes' }),
  chunkedTrailerPart: str('http.chunked_trailer_part', 'trailer-part'),
  unknownHeader: str('http.unknown_header', 'Unknown header'),
  badHeaderName: defineField({ name: 'http.bad_header_name', label: 'Illegal characters found in header name', type: 'none' }),
  teAndLength: defineField({
    name: 'http.te_and_length', label: 'The Content-Length and Transfer-Encoding header must not be set together', type: 'none',
  }),
  decompressionFailed: defineField({ name: 'http.decompression_failed', label: 'Decompression failed', type: 'none' }),
};

/** What a header means to the dissector besides its field. */
export const HeaderKind = {
  Plain: 0,
  ContentType: 1,
  ContentLength: 2,
  ContentEncoding: 3,
  TransferEncoding: 4,
  Host: 5,
  Cookie: 6,
} as const;
export type HeaderKind = (typeof HeaderKind)[keyof typeof HeaderKind];

export interface HeaderDef {
  field: FieldDef;
  kind: HeaderKind;
}

function header(name: string, label: string, kind: HeaderKind = HeaderKind.Plain): HeaderDef {
  return { field: str(name, label), kind };
}

/** Lower-case header name → its field (Wireshark's headers[] table). */
export const HTTP_HEADERS: ReadonlyMap<string, HeaderDef> = new Map<string, HeaderDef>([
  ['authorization', header('http.authorization', 'Authorization')],
  ['proxy-authorization', header('http.proxy_authorization', 'Proxy-Authorization')],
  ['proxy-authenticate', header('http.proxy_authenticate', 'Proxy-Authenticate')],
  ['www-authenticate', header('http.www_authenticate', 'WWW-Authenticate')],
  ['content-type', header('http.content_type', 'Content-Type', HeaderKind.ContentType)],
  ['content-length', header('http.content_length_header', 'Content-Length', HeaderKind.ContentLength)],
  ['content-encoding', header('http.content_encoding', 'Content-Encoding', HeaderKind.ContentEncoding)],
  ['transfer-encoding', header('http.transfer_encoding', 'Transfer-Encoding', HeaderKind.TransferEncoding)],
  ['upgrade', header('http.upgrade', 'Upgrade')],
  ['user-agent', header('http.user_agent', 'User-Agent')],
  ['host', header('http.host', 'Host', HeaderKind.Host)],
  ['connection', header('http.connection', 'Connection')],
  ['cookie', header('http.cookie', 'Cookie', HeaderKind.Cookie)],
  ['accept', header('http.accept', 'Accept')],
  ['referer', header('http.referer', 'Referer')],
  ['accept-language', header('http.accept_language', 'Accept-Language')],
  ['accept-encoding', header('http.accept_encoding', 'Accept Encoding')],
  ['date', header('http.date', 'Date')],
  ['cache-control', header('http.cache_control', 'Cache-Control')],
  ['server', header('http.server', 'Server')],
  ['location', header('http.location', 'Location')],
  ['sec-websocket-accept', header('http.sec_websocket_accept', 'Sec-WebSocket-Accept')],
  ['sec-websocket-extensions', header('http.sec_websocket_extensions', 'Sec-WebSocket-Extensions')],
  ['sec-websocket-key', header('http.sec_websocket_key', 'Sec-WebSocket-Key')],
  ['sec-websocket-protocol', header('http.sec_websocket_protocol', 'Sec-WebSocket-Protocol')],
  ['sec-websocket-version', header('http.sec_websocket_version', 'Sec-WebSocket-Version')],
  ['set-cookie', header('http.set_cookie', 'Set-Cookie')],
  ['last-modified', header('http.last_modified', 'Last-Modified')],
  ['x-forwarded-for', header('http.x_forwarded_for', 'X-Forwarded-For')],
  ['http2-settings', header('http.http2_settings', 'HTTP2-Settings')],
]);

/** Request methods Wireshark recognises at the start of a message (case-sensitive, then a space). */
export const HTTP_METHODS: ReadonlySet<string> = new Set([
  'GET', 'PUT', 'POST', 'HEAD', 'MOVE', 'COPY', 'LOCK', 'MKCOL', 'TRACE', 'PATCH', 'DELETE', 'UNLOCK',
  'SEARCH', 'OPTIONS', 'CONNECT', 'PROPFIND', 'PROPPATCH', 'CHECKIN', 'CHECKOUT', 'UNCHECKOUT', 'LABEL',
  'MERGE', 'REPORT', 'UPDATE', 'VERSION-CONTROL', 'MKWORKSPACE', 'MKACTIVITY', 'BASELINE-CONTROL',
  'BCOPY', 'BMOVE', 'BDELETE', 'BPROPFIND', 'BPROPPATCH', 'NOTIFY', 'POLL', 'SUBSCRIBE', 'UNSUBSCRIBE',
  'M-SEARCH', 'RPC_IN_DATA', 'RPC_OUT_DATA', 'MKCALENDAR', 'ORDERPATCH', 'ACL', 'BIND', 'UNBIND',
  'REBIND', 'MKREDIRECTREF', 'UPDATEREDIRECTREF', 'PRI',
]);

/** Status code descriptions (Wireshark's vals_http_status_code). */
export const HTTP_STATUS: Readonly<Record<number, string>> = {
  100: 'Continue', 101: 'Switching Protocols', 102: 'Processing', 103: 'Early Hints',
  199: 'Informational - Others',
  200: 'OK', 201: 'Created', 202: 'Accepted', 203: 'Non-authoritative Information', 204: 'No Content',
  205: 'Reset Content', 206: 'Partial Content', 207: 'Multi-Status', 208: 'Already Reported',
  226: 'IM Used', 299: 'Success - Others',
  300: 'Multiple Choices', 301: 'Moved Permanently', 302: 'Found', 303: 'See Other', 304: 'Not Modified',
  305: 'Use Proxy', 307: 'Temporary Redirect', 308: 'Permanent Redirect', 399: 'Redirection - Others',
  400: 'Bad Request', 401: 'Unauthorized', 402: 'Payment Required', 403: 'Forbidden', 404: 'Not Found',
  405: 'Method Not Allowed', 406: 'Not Acceptable', 407: 'Proxy Authentication Required',
  408: 'Request Time-out', 409: 'Conflict', 410: 'Gone', 411: 'Length Required', 412: 'Precondition Failed',
  413: 'Request Entity Too Large', 414: 'Request-URI Too Long', 415: 'Unsupported Media Type',
  416: 'Requested Range Not Satisfiable', 417: 'Expectation Failed', 418: "I'm a teapot",
  421: 'Misdirected Request', 422: 'Unprocessable Entity', 423: 'Locked', 424: 'Failed Dependency',
  425: 'Too Early', 426: 'Upgrade Required', 428: 'Precondition Required', 429: 'Too Many Requests',
  431: 'Request Header Fields Too Large', 451: 'Unavailable For Legal Reasons', 499: 'Client Error - Others',
  500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable',
  504: 'Gateway Time-out', 505: 'HTTP Version not supported', 506: 'Variant Also Negotiates',
  507: 'Insufficient Storage', 508: 'Loop Detected', 510: 'Not Extended',
  511: 'Network Authentication Required', 599: 'Server Error - Others',
};

/** The TCP ports Wireshark 4.0 decodes as HTTP (tshark -G decodes); 8000/8008 etc. come by heuristic. */
export const HTTP_TCP_PORTS = [80, 631, 1900, 2710, 2869, 3128, 3132, 3689, 5985, 8080, 8088, 11371];
