/**
 * Serve mode (`wirescope serve`): the built renderer over HTTP and the engine API over one
 * WebSocket per page (each socket has its own engine worker and capture), for headless
 * servers and classrooms. Security: security.ts (token, Host, Origin); binds 127.0.0.1 unless
 * told otherwise.
 *
 * Routes: GET / and static files from the renderer build; GET /api (WebSocket upgrade);
 * POST /upload?name=… (a capture dropped on the page → server-side temp path);
 * GET /download/<id> (a file the engine wrote for the page, once).
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, statSync, unlinkSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { decodeMessage, encodeMessage } from '../api/codec.js';
import type { AnyEngineEvent } from '../api/messages.js';
import { EngineConnection, type ShellServices } from '../engine/connection.js';
import {
  hostAllowed, isLoopbackHost, newToken, originAllowed, presentedToken, TOKEN_COOKIE, type HostPolicy,
} from './security.js';

export interface ServeOptions {
  port?: number;
  host?: string;
  /** Directory of the built renderer (index.html + assets). */
  staticDir: string;
  initialFile?: string | null;
  /** Fixed token (tests); random by default. */
  token?: string;
  version?: string;
  /** More names accepted in the Host header (a DNS name of this machine). */
  allowHosts?: string[];
  /** Connection services overrides (tests: backend, helper, capture dir). */
  services?: Partial<ShellServices>;
  maxConnections?: number;
  /** Largest upload accepted, bytes. */
  maxUploadBytes?: number;
}

export interface RunningServer {
  url: string;
  /** The URL with the token, to print and open. */
  urlWithToken: string;
  token: string;
  port: number;
  host: string;
  server: Server;
  /** Live WebSocket connections. */
  readonly connections: number;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.ico': 'image/x-icon', '.woff2': 'font/woff2', '.woff': 'font/woff', '.map': 'application/json', '.txt': 'text/plain; charset=utf-8',
};

function securityHeaders(res: ServerResponse, wsOrigin: string): void {
  res.setHeader('Content-Security-Policy',
    `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; ` +
    `font-src 'self' data:; connect-src 'self' ${wsOrigin}; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
}

function send(res: ServerResponse, status: number, text: string, type = 'text/plain; charset=utf-8'): void {
  res.statusCode = status;
  res.setHeader('Content-Type', type);
  res.setHeader('Cache-Control', 'no-store');
  res.end(text);
}

const NOT_BUILT_PAGE = `<!doctype html><meta charset="utf-8"><title>Wirescope</title>
<body style="font-family:sans-serif;max-width:40em;margin:3em auto">
<h1>Wirescope serve mode</h1><p>The engine API is running, but the user interface has not been built
(<code>dist/renderer</code> is missing). Run <code>npm run build</code> and start <code>wirescope serve</code> again.</p>`;

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token ?? newToken();
  const staticRoot = resolve(opts.staticDir);
  const maxConnections = opts.maxConnections ?? 16;
  const maxUpload = opts.maxUploadBytes ?? 8 * 1024 ** 3;
  const uploadDir = join(tmpdir(), 'wirescope-uploads');
  const downloads = new Map<string, { path: string; name: string }>();
  /** Files this server wrote (uploads, exports for download): removed when it stops. */
  const ownFiles = new Set<string>();
  const removeFile = (path: string): void => {
    ownFiles.delete(path);
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  };
  const sockets = new Set<WebSocket>();
  const connections = new Set<EngineConnection>();
  const policy: HostPolicy = { bindHost: host, port: 0, ...(opts.allowHosts ? { extraHosts: opts.allowHosts } : {}) };

  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });

  /** Checks Host, Origin and token; answers the refusal itself. */
  const admit = (req: IncomingMessage, url: URL): 'query' | 'cookie' | 'header' | null => {
    if (!hostAllowed(req.headers.host, policy)) return null;
    if (!originAllowed(req.headers.origin, req.headers.host)) return null;
    return presentedToken(req, url, token);
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    if (!hostAllowed(req.headers.host, policy)) return send(res, 403, 'Forbidden: unexpected Host header.\n');
    if (!originAllowed(req.headers.origin, req.headers.host)) return send(res, 403, 'Forbidden: cross-origin request.\n');
    const source = presentedToken(req, url, token);
    if (!source) {
      return send(res, 403, 'Forbidden: this Wirescope server needs its access token. Open the URL printed by `wirescope serve` (it ends with ?token=…).\n');
    }
    const wsOrigin = `ws://${req.headers.host}`;
    securityHeaders(res, wsOrigin);
    if (source === 'query') {
      // Remember the token in a cookie so the page's own requests and socket carry it.
      res.setHeader('Set-Cookie', `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`);
    }
    if (req.method === 'POST' && url.pathname === '/upload') return upload(req, res, url);
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed.\n');
    if (url.pathname.startsWith('/download/')) return download(res, url.pathname.slice('/download/'.length));
    if (url.pathname === '/api') return send(res, 426, 'The engine API is a WebSocket: upgrade required.\n');
    return serveStatic(res, url.pathname, req.method === 'HEAD');
  });

  const serveStatic = (res: ServerResponse, pathname: string, headOnly: boolean): void => {
    let rel: string;
    try {
      rel = decodeURIComponent(pathname);
    } catch {
      return send(res, 400, 'Bad path.\n');
    }
    if (rel.includes('\0')) return send(res, 400, 'Bad path.\n');
    if (rel === '/' || rel === '') rel = '/index.html';
    const file = normalize(join(staticRoot, rel));
    if (file !== staticRoot && !file.startsWith(staticRoot + sep)) return send(res, 403, 'Forbidden.\n');
    let st;
    try {
      st = statSync(file);
    } catch {
      if (rel === '/index.html') return send(res, 200, NOT_BUILT_PAGE, 'text/html; charset=utf-8');
      return send(res, 404, 'Not found.\n');
    }
    if (!st.isFile()) return send(res, 404, 'Not found.\n');
    res.statusCode = 200;
    res.setHeader('Content-Type', CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream');
    res.setHeader('Content-Length', st.size);
    res.setHeader('Cache-Control', rel === '/index.html' ? 'no-store' : 'private, max-age=3600');
    if (headOnly) return void res.end();
    createReadStream(file).on('error', () => res.destroy()).pipe(res);
  };

  const upload = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    const name = (url.searchParams.get('name') ?? 'upload.pcap').replace(/[^\w.-]/g, '_').slice(-100) || 'upload.pcap';
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > maxUpload) return send(res, 413, 'The file is too large to upload.\n');
    mkdirSync(uploadDir, { recursive: true, mode: 0o700 });
    const path = join(uploadDir, `${randomBytes(8).toString('hex')}-${name}`);
    ownFiles.add(path);
    const out = createWriteStream(path, { mode: 0o600 });
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxUpload && !failed) {
        failed = true;
        req.unpipe(out);
        out.destroy();
        removeFile(path);
        send(res, 413, 'The file is too large to upload.\n');
      }
    });
    req.pipe(out);
    out.on('finish', () => {
      if (!failed) send(res, 200, JSON.stringify({ path, size }), 'application/json');
    });
    out.on('error', (err) => {
      if (!failed) send(res, 500, `Upload failed: ${err.message}\n`);
      failed = true;
    });
  };

  const download = (res: ServerResponse, id: string): void => {
    const entry = downloads.get(id);
    if (!entry || !existsSync(entry.path)) return send(res, 404, 'This download is gone (downloads work once).\n');
    downloads.delete(id);
    res.statusCode = 200;
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('Content-Disposition', `attachment; filename="${entry.name.replace(/"/g, '')}"`);
    res.setHeader('Content-Length', statSync(entry.path).size);
    createReadStream(entry.path)
      .on('close', () => removeFile(entry.path))
      .pipe(res);
  };

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    const refuse = (status: number, text: string): void => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${text}\n`);
    };
    if (url.pathname !== '/api') return refuse(404, 'Not Found');
    if (!admit(req, url)) return refuse(403, 'Forbidden');
    if (sockets.size >= maxConnections) return refuse(503, 'Too many connections');
    wss.handleUpgrade(req, socket, head, (ws) => onSocket(ws));
  });

  const onSocket = (ws: WebSocket): void => {
    sockets.add(ws);
    const sendJson = (v: unknown): void => {
      if (ws.readyState === ws.OPEN) ws.send(encodeMessage(v));
    };
    const services: ShellServices = {
      shell: 'serve',
      version: opts.version ?? '0.0.0',
      initialFile: opts.initialFile ?? null,
      saveMode: 'path-or-download',
      registerDownload: (path, name) => {
        const id = randomBytes(16).toString('hex');
        downloads.set(id, { path, name });
        ownFiles.add(path);
        return `/download/${id}`;
      },
      ...opts.services,
    };
    const conn = new EngineConnection(services, (event: AnyEngineEvent) => sendJson(event));
    connections.add(conn);
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let msg: unknown;
      try {
        msg = decodeMessage(data.toString());
      } catch {
        return sendJson({ id: null, error: { code: 'bad-request', message: 'the message is not valid JSON' } });
      }
      const m = msg as { id?: unknown; method?: unknown; params?: unknown };
      if (typeof m.id !== 'number') {
        return sendJson({ id: null, error: { code: 'bad-request', message: 'every request needs a numeric "id"' } });
      }
      void conn.handle(m.method, m.params).then((reply) => {
        sendJson(reply.ok ? { id: m.id, result: reply.result } : { id: m.id, error: reply.error });
      });
    });
    ws.on('close', () => {
      sockets.delete(ws);
      connections.delete(conn);
      void conn.dispose();
    });
    ws.on('error', () => ws.terminate());
  };

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolveListen());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port ?? 0;
  policy.port = port;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${shownHost}:${port}/`;
  return {
    url,
    urlWithToken: `${url}?token=${token}`,
    token,
    port,
    host,
    server,
    get connections() {
      return sockets.size;
    },
    close: async () => {
      const engines = [...connections].map((c) => c.dispose());
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
      await Promise.all(engines);
      for (const f of [...ownFiles]) removeFile(f);
    },
  };
}

/** True when binding to `host` exposes the server beyond this machine. */
export function exposesNetwork(host: string): boolean {
  return !isLoopbackHost(host);
}
