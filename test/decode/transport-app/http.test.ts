/**
 * HTTP/1.x dissector: start lines, headers, framing (Content-Length, chunked, none), content
 * codings, media hand-off, pipelining, Continuation, the heuristic, hostile bodies, and the
 * entry points the analysis' reassembly uses (httpPduLength, httpStartLineInfo).
 */
import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DecodeSession } from '../../../src/decode/index.js';
import {
  HTTP_PDU_NEED_MORE, HTTP_PDU_NOT_HTTP, HTTP_PDU_UNTIL_CLOSE, httpPduLength, httpStartLineInfo,
} from '../../../src/decode/protocols/http.js';
import { inflateBody } from '../../../src/decode/protocols/http-inflate.js';
import {
  CLIENT, L4, SERVER, bytes, decode, expectSound, fields, latin1, node, problemKinds, tcpFrame, tcpSegment, value, values,
} from './helpers.js';

const request = (text: string | Uint8Array, port = 80) => tcpFrame(tcpSegment(40000, port, text));
const response = (text: string | Uint8Array, port = 80) => tcpFrame(tcpSegment(port, 40000, text), { src: SERVER, dst: CLIENT });
const FILE_DATA = ['http.file_data'];

describe('HTTP requests', () => {
  const req = 'GET /search?q=a&lang=en HTTP/1.1\r\nHost: example.com\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n' +
    'Cookie: a=1; b=2\r\nX-Evil: <img src=x>\r\n\r\n';

  it('decodes the request line, headers and generated fields', () => {
    const { cells, ctx } = fields(request(req), ['http.request', 'http.request.method', 'http.request.uri',
      'http.request.uri.path', 'http.request.uri.query', 'http.request.uri.query.parameter', 'http.request.version',
      'http.host', 'http.user_agent', 'http.accept', 'http.cookie', 'http.cookie_pair', 'http.request.full_uri',
      'http.request.line', 'http.response', 'frame.protocols'], { wantsColumns: true });
    expect(cells).toEqual({
      'http.request': '1', 'http.request.method': 'GET', 'http.request.uri': '/search?q=a&lang=en',
      'http.request.uri.path': '/search', 'http.request.uri.query': 'q=a&lang=en',
      'http.request.uri.query.parameter': 'q=a,lang=en', 'http.request.version': 'HTTP/1.1', 'http.host': 'example.com',
      'http.user_agent': 'curl/7.88.1', 'http.accept': '*/*', 'http.cookie': 'a=1; b=2', 'http.cookie_pair': 'a=1,b=2',
      'http.request.full_uri': 'http://example.com/search?q=a&lang=en',
      // Every header line, CR LF included; tshark -T fields escapes them.
      'http.request.line': 'Host: example.com\\r\\n,User-Agent: curl/7.88.1\\r\\n,Accept: */*\\r\\n,' +
        'Cookie: a=1; b=2\\r\\n,X-Evil: <img src=x>\\r\\n',
      'http.response': '', 'frame.protocols': 'eth:ethertype:ip:tcp:http',
    });
    expect(ctx.cols.protocol).toBe('HTTP');
    expect(ctx.cols.info).toBe('GET /search?q=a&lang=en HTTP/1.1 ');
  });

  it('uses an absolute URI as the full URI and has none without a Host', () => {
    const abs = fields(request('GET http://a.example/x HTTP/1.1\r\nHost: other\r\n\r\n'), ['http.request.full_uri']);
    expect(abs.cells['http.request.full_uri']).toBe('http://a.example/x');
    const none = fields(request('GET /x HTTP/1.0\r\n\r\n'), ['http.request.full_uri', 'http.request.version']);
    expect(none.cells).toEqual({ 'http.request.full_uri': '', 'http.request.version': 'HTTP/1.0' });
  });

  it('accepts bare LF line ends and a request line without version', () => {
    const d = decode(request('GET /noversion\nHost: lf\n\n'));
    expect(value(d, 'http.request.uri')).toBe('/noversion');
    expect(values(d, 'http.request.version')).toEqual([]);
    expect(value(d, 'http.host')).toBe('lf');
    expect(d.ctx.cols.info).toBe('GET /noversion ');
  });

  it('reads pipelined requests one after the other; the Info lists them all', () => {
    const d = decode(request('GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n'));
    expect(values(d, 'http.request.uri')).toEqual(['/a', '/b']);
    expect(d.ctx.cols.info).toBe('GET /a HTTP/1.1 GET /b HTTP/1.1 ');
    expect(d.ctx.protocols.join(':')).toBe('eth:ethertype:ip:tcp:http');
  });

  it('keeps a POST body as data and reports its length', () => {
    const body = 'x'.repeat(50);
    const { cells } = fields(request(`POST /upload HTTP/1.1\r\nContent-Type: application/octet-stream\r\nContent-Length: ${body.length}\r\n\r\n${body}`),
      ['http.content_length', 'http.content_length_header', 'http.content_type', 'http.file_data', 'data.len', 'frame.protocols']);
    expect(cells).toEqual({
      'http.content_length': '50', 'http.content_length_header': '50', 'http.content_type': 'application/octet-stream',
      'http.file_data': body, 'data.len': '50', 'frame.protocols': 'eth:ethertype:ip:tcp:http:data',
    });
  });

  it('ignores an unparsable Content-Length (no length, header kept)', () => {
    const { cells } = fields(request('GET / HTTP/1.1\r\nContent-Length: abc\r\n\r\n'), ['http.content_length', 'http.content_length_header']);
    expect(cells).toEqual({ 'http.content_length': '', 'http.content_length_header': 'abc' });
  });
});

describe('HTTP responses', () => {
  const html = '<html>\n<body>hi</body>\n</html>\n';
  const ok = `HTTP/1.1 200 OK\r\nServer: wirescope-fixture/1.0\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: ${html.length}\r\n` +
    `Location: /x\r\nConnection: keep-alive\r\n\r\n${html}`;

  it('decodes the status line, headers and a text body (data-text-lines)', () => {
    const { cells, ctx } = fields(response(ok), ['http.response', 'http.response.version', 'http.response.code',
      'http.response.code.desc', 'http.response.phrase', 'http.server', 'http.content_type', 'http.content_length',
      'http.location', 'http.connection', 'http.file_data', 'frame.protocols'], { wantsColumns: true });
    expect(cells).toEqual({
      'http.response': '1', 'http.response.version': 'HTTP/1.1', 'http.response.code': '200',
      'http.response.code.desc': 'OK', 'http.response.phrase': 'OK', 'http.server': 'wirescope-fixture/1.0',
      'http.content_type': 'text/html; charset=utf-8', 'http.content_length': String(html.length), 'http.location': '/x',
      'http.connection': 'keep-alive', 'http.file_data': html.replace(/\n/g, '\\n'),
      'frame.protocols': 'eth:ethertype:ip:tcp:http:data-text-lines',
    });
    // Wireshark's exact spacing: the start line, a space, then the media type in parentheses.
    expect(ctx.cols.info).toBe('HTTP/1.1 200 OK  (text/html)');
  });

  it('knows bodiless statuses and a status line without phrase', () => {
    const d = decode(response('HTTP/1.1 204 No Content\r\nServer: s\r\n\r\n'));
    expect(d.ctx.protocols.at(-1)).toBe('http');
    const bare = decode(response('HTTP/1.1 200\r\nContent-Length: 3\r\n\r\nabc'));
    expect(values(bare, 'http.response.phrase')).toEqual([]);
    expect(bare.ctx.cols.info).toBe('HTTP/1.1 200 ');
  });

  it('lets a response without length run to the end of the data', () => {
    const d = decode(response('HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil close\n'));
    expect(value(d, 'http.file_data')).toBe('until close\n');
  });

  it('gives no body to the response of a HEAD request in the same conversation', () => {
    const session = new DecodeSession({});
    decode(request('HEAD / HTTP/1.1\r\nHost: x\r\n\r\n'), { session });
    const d = decode(response('HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n'), { session });
    expect(values(d, 'http.file_data')).toEqual([]);
  });

  it('hands JSON to the json dissector and names other media types', () => {
    const json = '{"received": 5000, "ok": [true, null, "x"]}';
    const d = decode(response(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${json.length}\r\n\r\n${json}`));
    expect(d.ctx.protocols.at(-1)).toBe('json');
    expect(d.ctx.cols.protocol).toBe('HTTP/JSON');
    expect(d.ctx.cols.info).toBe('HTTP/1.1 200 OK , JavaScript Object Notation (application/json)');
    expect(values(d, 'json.key')).toEqual(['received', 'ok']);
    expect(value(d, 'json.value.number')).toBe('5000');
    const png = decode(response('HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 4\r\n\r\n\x89PNG'));
    expect(png.ctx.protocols.at(-1)).toBe('media');
    expect(png.ctx.cols.info).toBe('HTTP/1.1 200 OK  (image/png)');
  });
});

describe('HTTP chunked and encoded bodies', () => {
  const chunked = (chunks: string) => response(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n${chunks}`);

  it('shows each chunk and de-chunks the entity into a data source of its own', () => {
    const d = decode(chunked('5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n'));
    expectSound(d);
    expect(values(d, 'http.chunk_size')).toEqual([5, 7, 0]);
    expect(value(d, 'http.chunked_trailer_part')).toBe('X-Trailer: t\r\n');
    const file = node(d, 'http.file_data')!;
    expect(file.value).toBe('hello, world');
    expect(file.source?.name).toBe('De-chunked entity body (12 bytes)');
    expect(d.ctx.protocols.at(-1)).toBe('data-text-lines');
  });

  it('reads an unparsable chunk size as 0 (the end), like strtol', () => {
    const d = decode(chunked('zz\r\nabc\r\n0\r\n\r\n'));
    expect(values(d, 'http.chunk_size')).toEqual([0]);
    expect(values(d, 'http.file_data')).toEqual([]);
  });

  for (const [what, chunks] of [['a chunk running past the data', '5\r\nabc'], ['an absurd chunk size', 'ffffffffffff\r\nabc\r\n']] as const) {
    it(`stops on ${what} and says the body continues`, () => {
      const t0 = performance.now();
      const d = decode(chunked(chunks));
      expect(performance.now() - t0).toBeLessThan(200);
      expectSound(d);
      expect(d.ctx.cols.info).toBe('HTTP/1.1 200 OK [BoundErrorUnreassembled Packet]');
      expect(problemKinds(d, 'http')).toEqual(['truncated']);
    });
  }

  const page = '<p>compressed page</p>\n'.repeat(40);
  for (const [encoding, data] of [['gzip', gzipSync(page)], ['deflate', deflateSync(page)], ['deflate', deflateRawSync(page)]] as const) {
    it(`decompresses a ${encoding} body (${data[0] === 0x78 ? 'zlib' : data[0] === 0x1f ? 'gzip' : 'raw'})`, () => {
      const d = decode(response(bytes(`HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: ${encoding}\r\n` +
        `Content-Length: ${data.length}\r\n\r\n`, data)));
      expectSound(d);
      const file = node(d, 'http.file_data')!;
      expect(file.value).toBe(page);
      expect(file.source?.name).toBe(`Uncompressed entity body (${page.length} bytes)`);
    });
  }

  it('keeps a damaged compressed body as it is', () => {
    const bad = gzipSync(page).subarray(0, 30);
    const d = decode(response(bytes(`HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: ${bad.length}\r\n\r\n`, bad)));
    expectSound(d);
    expect(d.ctx.experts.map((e) => e.message)).toContain('Decompression failed');
    expect((value(d, 'http.file_data') as string).length).toBe(bad.length);
  });

  it('bounds decompression output (no zip bomb)', () => {
    const bomb = gzipSync(new Uint8Array(4 * 1024 * 1024));
    expect(inflateBody(bomb, 'gzip', 1024 * 1024)).toBeNull();
    expect(inflateBody(bomb, 'gzip', 8 * 1024 * 1024)?.length).toBe(4 * 1024 * 1024);
  });
});

describe('HTTP continuation, heuristic, damage', () => {
  it('calls payload that starts no message a Continuation and keeps it as data', () => {
    const d = decode(request('some body bytes\r\nmore\r\n'));
    expect(d.ctx.cols.info).toBe('Continuation');
    expect(d.ctx.protocols.join(':')).toBe('eth:ethertype:ip:tcp:http:data');
    expect(value(d, 'http.file_data')).toBe('some body bytes\r\nmore\r\n');
  });

  it('recognises HTTP on any port by its first line, then keeps the conversation as HTTP', () => {
    const session = new DecodeSession({});
    const first = decode(request('GET /big-file HTTP/1.1\r\nHost: x\r\n\r\n', 8081), { session });
    expect(first.ctx.protocols.at(-1)).toBe('http');
    const next = decode(request('rest of something\r\n', 8081), { session });
    expect(next.ctx.cols.info).toBe('Continuation');
    expect(decode(request('GET /x HTTP/1.1\r\n\r\n', 8082)).ctx.protocols.at(-1)).toBe('http');
    expect(decode(request('hello there\r\n', 8083)).ctx.protocols.at(-1)).toBe('data');
  });

  it('claims an unterminated start line without showing anything, and ignores other unterminated data', () => {
    expect(decode(request('GET / HTTP/1.1')).ctx.protocols.join(':')).toBe('eth:ethertype:ip:tcp:http');
    const other = decode(request('abc'));
    expect(other.ctx.protocols.join(':')).toBe('eth:ethertype:ip:tcp');
    expect(other.ctx.cols.protocol).toBe('TCP');
  });

  it('decodes headers without the final empty line as far as they go', () => {
    const d = decode(request('GET /x HTTP/1.1\r\nHost: x'));
    expect(value(d, 'http.host')).toBe('x');
    expect(d.ctx.cols.info).toBe('GET /x HTTP/1.1 ');
  });

  it('decodes every truncation of a request without failing', () => {
    const full = request('POST /f HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n');
    for (let cut = L4 + 20; cut < full.length; cut++) {
      const d = decode(full.subarray(0, cut), { origLen: full.length });
      expectSound(d);
    }
  });

  it('escapes control characters in header text as tshark prints them', () => {
    const { cells } = fields(request('GET / HTTP/1.1\r\nX-A: \x01b\t\r\nHost: \xffh\r\n\r\n'), ['http.request.line', 'http.host']);
    expect(cells['http.request.line']).toBe('X-A: \\001b\\t\\r\\n,Host: \ufffdh\\r\\n');
    expect(cells['http.host']).toBe('\ufffdh');
  });
});

describe('HTTP entry points for the TCP reassembly', () => {
  // As the reassembly does: the payload is taken by hooks.tcpPayload before HTTP sees it, and
  // httpPduLength is asked with the segment's context. Requests still go to HTTP here, so the
  // conversation learns their methods.
  const reassemblySession = () => new DecodeSession({ tcpPayload: (_c, seg) => seg.srcPort === 80 });
  const len = (text: string | Uint8Array, session = reassemblySession(), dir: 'req' | 'resp' = 'req') => {
    const f = dir === 'req' ? request(text) : response(text);
    const s = dir === 'req' ? new DecodeSession({ tcpPayload: () => true }) : session;
    return httpPduLength(decode(f, { session: s }).ctx, L4 + 20, f.length);
  };

  it('knows a complete message\'s length from its headers', () => {
    const head = 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n';
    expect(len(head + '0123456789extra', undefined, 'resp')).toBe(head.length + 10);
    expect(len(`${head}01`, undefined, 'resp')).toBe(head.length + 10);
    expect(len('GET / HTTP/1.1\r\nHost: x\r\n\r\n')).toBe(27);
  });

  it('needs more while the headers are incomplete, and says when it is not HTTP at all', () => {
    expect(len('GET / HTTP/1.1\r\nHost: x\r\n')).toBe(HTTP_PDU_NEED_MORE);
    expect(len('GET / HTT')).toBe(HTTP_PDU_NEED_MORE);
    expect(len('hello\r\n')).toBe(HTTP_PDU_NOT_HTTP);
  });

  it('walks chunked bodies to their end', () => {
    const head = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n';
    const body = '3\r\nabc\r\n0\r\n\r\n';
    expect(len(head + body, undefined, 'resp')).toBe(head.length + body.length);
    expect(len(`${head}3\r\nab`, undefined, 'resp')).toBe(HTTP_PDU_NEED_MORE);
  });

  it('runs a response without length until the connection closes, unless it answers HEAD', () => {
    expect(len('HTTP/1.0 200 OK\r\n\r\nbody', undefined, 'resp')).toBe(HTTP_PDU_UNTIL_CLOSE);
    const session = reassemblySession();
    decode(request('HEAD / HTTP/1.1\r\n\r\n'), { session });
    const head = 'HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n';
    expect(len(head, session, 'resp')).toBe(head.length);
  });

  it('gives the Info text of a start line', () => {
    const b = latin1('HTTP/1.1 200 OK\r\nServer: x');
    expect(httpStartLineInfo(b, 0, b.length)).toBe('HTTP/1.1 200 OK ');
    expect(httpStartLineInfo(latin1('body'), 0, 4)).toBeNull();
  });
});
