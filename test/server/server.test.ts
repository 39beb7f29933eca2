/**
 * Serve mode over real HTTP and a real WebSocket: the token, Host and Origin checks refuse
 * what they must, and the whole engine API works through the renderer's WebSocket transport
 * (open a fixture, page rows, details, filter, follow, export a subset as a download and read
 * it back identical, upload a capture and open it).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineClient, type EngineClient } from '../../src/api/transport.js';
import { WsTransport, type WebSocketLike } from '../../src/api/transport-ws.js';
import type { AnyEngineEvent } from '../../src/api/messages.js';
import { parseArgs } from '../../src/cli/args.js';
import { startServe } from '../../src/cli/commands/serve.js';
import { startServer, type RunningServer } from '../../src/server/server.js';
import { fixturePath } from '../helpers/fixtures.js';
import { readPackets, tempDir } from '../engine/helpers.js';

const tmp = tempDir('wirescope-serve-');
const staticDir = join(tmp.dir, 'renderer');
mkdirSync(join(staticDir, 'assets'), { recursive: true });
writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Wirescope test page</title>');
writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
writeFileSync(join(tmp.dir, 'secret.txt'), 'not for you');

let server: RunningServer;
const TOKEN = 'a'.repeat(48);

beforeAll(async () => {
  server = await startServer({ staticDir, port: 0, token: TOKEN, initialFile: fixturePath('http-handshake.pcap'), version: '9.9.9' });
});
afterAll(async () => {
  await server.close();
  tmp.cleanup();
});

interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function http(path: string, opts: { method?: string; headers?: Record<string, string>; body?: Buffer } = {}): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: server.port, path, method: opts.method ?? 'GET', headers: { host: `127.0.0.1:${server.port}`, ...opts.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Tries a WebSocket upgrade; resolves 'open' or the HTTP status it was refused with. */
function tryUpgrade(path: string, headers: Record<string, string> = {}): Promise<'open' | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}${path}`, { headers });
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => {});
  });
}

describe('access control', () => {
  it('refuses HTTP requests without the token or with a wrong one', async () => {
    expect((await http('/')).status).toBe(403);
    expect((await http('/assets/app.js')).status).toBe(403);
    expect((await http('/?token=wrong')).status).toBe(403);
    expect((await http('/', { headers: { cookie: 'wirescope_token=wrong' } })).status).toBe(403);
    expect((await http('/upload?name=x.pcap', { method: 'POST', body: Buffer.from('x') })).status).toBe(403);
    const refused = await http('/');
    expect(refused.body.toString()).toMatch(/access token/);
  });

  it('accepts the token in the URL, then remembers it in an HttpOnly cookie', async () => {
    const first = await http(`/?token=${TOKEN}`);
    expect(first.status).toBe(200);
    expect(first.body.toString()).toContain('Wirescope test page');
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toMatch(/wirescope_token=a+;/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const next = await http('/assets/app.js', { headers: { cookie: `wirescope_token=${TOKEN}` } });
    expect(next.status).toBe(200);
    expect(next.headers['content-type']).toMatch(/javascript/);
    expect(String(first.headers['content-security-policy'])).toMatch(/script-src 'self'/);
    expect(first.headers['x-content-type-options']).toBe('nosniff');
    const bearer = await http('/', { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(bearer.status).toBe(200);
  });

  it('refuses a foreign Host (DNS rebinding) and a foreign Origin, even with the token', async () => {
    expect((await http(`/?token=${TOKEN}`, { headers: { host: 'evil.example:80' } })).status).toBe(403);
    expect((await http(`/?token=${TOKEN}`, { headers: { origin: 'http://evil.example' } })).status).toBe(403);
    expect((await http(`/?token=${TOKEN}`, { headers: { origin: `http://127.0.0.1:${server.port}` } })).status).toBe(200);
    expect((await http(`/?token=${TOKEN}`, { headers: { host: `localhost:${server.port}` } })).status).toBe(200);
  });

  it('never serves files outside the renderer build', async () => {
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/../../secret.txt', '/%00']) {
      const r = await http(`${p}${p.includes('?') ? '&' : '?'}token=${TOKEN}`);
      expect([400, 403, 404], p).toContain(r.status);
      expect(r.body.toString()).not.toContain('not for you');
    }
  });

  it('refuses WebSockets without the token, with a wrong Origin or Host', async () => {
    expect(await tryUpgrade('/api')).toBe(403);
    expect(await tryUpgrade('/api?token=nope')).toBe(403);
    expect(await tryUpgrade(`/api?token=${TOKEN}`, { Origin: 'http://evil.example' })).toBe(403);
    expect(await tryUpgrade(`/api?token=${TOKEN}`, { Host: 'evil.example' })).toBe(403);
    expect(await tryUpgrade(`/other?token=${TOKEN}`)).toBe(404);
    expect(await tryUpgrade(`/api?token=${TOKEN}`, { Origin: `http://127.0.0.1:${server.port}` })).toBe('open');
    expect(await tryUpgrade('/api', { Cookie: `wirescope_token=${TOKEN}` })).toBe('open');
  });

  it('--host 0.0.0.0 warns that the server is reachable from other machines', async () => {
    let out = '';
    let err = '';
    const io = { stdout: { write: (s: string) => void (out += s) }, stderr: { write: (s: string) => void (err += s) } };
    const run = await startServe(parseArgs(['serve', '--host', '0.0.0.0', '--port', '0']), io, { staticDir });
    expect(err).toMatch(/WARNING: listening on 0\.0\.0\.0/);
    expect(out).toMatch(/http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48}/);
    await run.stop();
    await run.done;
  });
});

describe('the engine API over a real WebSocket', () => {
  let client: EngineClient;
  const events: AnyEngineEvent[] = [];

  beforeAll(async () => {
    const transport = new WsTransport({
      url: `ws://127.0.0.1:${server.port}/api`,
      token: TOKEN,
      createSocket: (url) => new WebSocket(url) as unknown as WebSocketLike,
    });
    await transport.ready;
    client = createEngineClient(transport);
    transport.subscribe((e) => events.push(e));
  });
  afterAll(() => client.transport.dispose());

  it('appInfo names the serve shell and the file from the command line', async () => {
    const info = await client.appInfo({});
    expect(info.shell).toBe('serve');
    expect(info.version).toBe('9.9.9');
    expect(info.initialFile).toBe(fixturePath('http-handshake.pcap'));
    expect(info.saveMode).toBe('path-or-download');
  });

  it('open, rows, detail, filter, follow, export as a download, read back identical', async () => {
    const path = fixturePath('http-bulk-lossy.pcap');
    const info = await client.openFile({ path });
    expect(info.name).toBe('http-bulk-lossy.pcap');
    await waitFor(() => events.some((e) => e.event === 'progress' && e.data.phase === 'load' && e.data.finished));
    expect(events.some((e) => e.event === 'opened')).toBe(true);

    const page = await client.getRows({ start: 100, count: 50 });
    expect(page.rows.map((r) => r.number)).toEqual(Array.from({ length: 50 }, (_, i) => 101 + i));
    expect(page.total).toBe(1463);

    const detail = await client.getPacket({ number: 4 });
    expect(detail.bytes).toBeInstanceOf(Uint8Array);
    expect(detail.bytes.length).toBe(detail.row.capturedLength);
    expect(detail.tree[0].field).toBe('frame');

    const filtered = await client.applyFilter({ expression: 'tcp.stream == 1' });
    expect(filtered.displayed).toBe(425);
    const shown = await client.getRows({ start: 0, count: 5000 });
    expect(shown.rows.every((r) => r.stream === 1 && r.streamKind === 'tcp')).toBe(true);

    const follow = await client.followStream({ protocol: 'tcp', stream: 1 });
    const clientText = new TextDecoder().decode(follow.chunks.find((c) => c.from === 'client')!.data);
    expect(clientText).toMatch(/^POST \/upload HTTP\/1\.1/);

    const exported = await client.exportPackets({ format: 'pcapng', scope: 'displayed' });
    expect(exported.path).toBeUndefined();
    expect(exported.downloadUrl).toMatch(/^\/download\/[0-9a-f]{32}$/);
    const dl = await http(exported.downloadUrl!, { headers: { cookie: `wirescope_token=${TOKEN}` } });
    expect(dl.status).toBe(200);
    expect(dl.headers['content-disposition']).toMatch(/attachment/);
    const file = join(tmp.dir, 'downloaded.pcapng');
    writeFileSync(file, dl.body);
    const original = readPackets(path);
    expect(readPackets(file)).toEqual(shown.rows.map((r) => original[r.number - 1]));
    expect((await http(exported.downloadUrl!, { headers: { cookie: `wirescope_token=${TOKEN}` } })).status).toBe(404);
  });

  it('uploads a dropped file and opens it', async () => {
    const bytes = readFileSync(fixturePath('dns-udp.pcap'));
    const file = new File([bytes], 'dropped capture.pcap');
    const t = client.transport as WsTransport;
    const info = await t.openLocalFile(file);
    expect(info.name).toMatch(/dropped_capture\.pcap$/);
    expect(info.packets).toBeGreaterThan(0);
    const rows = await client.getRows({ start: 0, count: 10 });
    expect(rows.rows[0].protocol).toBe('DNS');
  });

  it('answers bad requests with bad-request errors and keeps going', async () => {
    await expect(client.getRows({ start: -5, count: 1 })).rejects.toMatchObject({ code: 'bad-request' });
    await expect(client.getPacket({ number: 10_000 })).rejects.toMatchObject({ code: 'not-found' });
    const raw = await rawSocketReply('this is not json');
    expect(raw).toMatchObject({ error: { code: 'bad-request' } });
    const unknown = await rawSocketReply(JSON.stringify({ id: 5, method: 'rm', params: {} }));
    expect(unknown).toMatchObject({ id: 5, error: { code: 'bad-request', message: 'unknown method "rm"' } });
    expect((await client.validateFilter({ expression: 'tcp.port ==' })).ok).toBe(false);
    expect((await client.validateFilter({ expression: 'tcp.port == 80' })).ok).toBe(true);
    const completions = await client.completeField({ prefix: 'tcp.analysis.re' });
    expect(completions.map((c) => c.name)).toContain('tcp.analysis.retransmission');
  });
});

function rawSocketReply(text: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${TOKEN}`);
    ws.on('open', () => ws.send(text));
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { id?: unknown; event?: string };
      if (msg.event) return;
      ws.close();
      resolve(msg);
    });
    ws.on('error', reject);
  });
}

async function waitFor(cond: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
