/**
 * The Electron IPC path without Electron: the preload bridge (bridge.ts) over a fake
 * ipcRenderer that calls the IPC router (ipc-router.ts) registered on a fake ipcMain, in front
 * of a real EngineConnection. The renderer's IpcTransport drives the whole API through it;
 * untrusted senders and bad arguments are refused.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_METHODS, IPC_EVENT_CHANNEL, ipcChannel, type AnyEngineEvent } from '../../src/api/messages.js';
import { createEngineClient, type EngineClient } from '../../src/api/transport.js';
import { IpcTransport } from '../../src/api/transport-ipc.js';
import { InProcessBackend } from '../../src/engine/in-process-backend.js';
import { EngineConnection } from '../../src/engine/connection.js';
import { RecentFiles } from '../../src/engine/recent.js';
import { buildBridge, type IpcRendererLike } from '../../electron/bridge.js';
import { registerIpcRouter, type IpcMainLike } from '../../electron/ipc-router.js';
import { APP_ORIGIN, type IpcSenderInfo } from '../../electron/security.js';
import { fixturePath } from '../helpers/fixtures.js';
import { readPackets, tempDir } from '../engine/helpers.js';

class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, (event: IpcSenderInfo, ...args: unknown[]) => unknown>();
  handle(channel: string, listener: (event: IpcSenderInfo, ...args: unknown[]) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(event: IpcSenderInfo, channel: string, ...args: unknown[]): Promise<unknown> {
    const h = this.handlers.get(channel);
    if (!h) return Promise.reject(new Error(`No handler registered for '${channel}'`));
    return Promise.resolve(h(event, ...args));
  }
}

/** A renderer: its ipcRenderer sends from WebContents `contentsId`, main frame at `url`. */
class FakeIpcRenderer implements IpcRendererLike {
  private readonly listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
  constructor(private readonly main: FakeIpcMain, public contentsId: number, public url = `${APP_ORIGIN}/index.html`, public parent: unknown = null) {}
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    // Structured clone, as Electron does between processes.
    const cloned = structuredClone(args);
    return this.main.invoke({ sender: { id: this.contentsId }, senderFrame: { url: this.url, parent: this.parent } }, channel, ...cloned)
      .then((r) => structuredClone(r));
  }
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): void {
    let set = this.listeners.get(channel);
    if (!set) this.listeners.set(channel, (set = new Set()));
    set.add(listener);
  }
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): void {
    this.listeners.get(channel)?.delete(listener);
  }
  /** What webContents.send(channel, msg) delivers. */
  deliver(channel: string, msg: unknown): void {
    for (const l of this.listeners.get(channel) ?? []) l({ sender: 'ipc-event-object' }, structuredClone(msg));
  }
  listenerCount(channel: string): number {
    return this.listeners.get(channel)?.size ?? 0;
  }
}

const tmp = tempDir('wirescope-ipc-');
const ipcMain = new FakeIpcMain();
const renderer = new FakeIpcRenderer(ipcMain, 7);
const savePaths: string[] = [];
let connection: EngineConnection;
let client: EngineClient;
const events: AnyEngineEvent[] = [];

beforeAll(() => {
  connection = new EngineConnection(
    {
      shell: 'electron',
      version: '1.2.3',
      saveMode: 'dialog',
      initialFile: fixturePath('http-handshake.pcap'),
      recent: new RecentFiles(join(tmp.dir, 'recent.json')),
      chooseOpenPath: async () => fixturePath('http-bulk-lossy.pcap'),
      chooseSavePath: async (_purpose, format) => {
        const p = join(tmp.dir, `saved-${savePaths.length}.${format}`);
        savePaths.push(p);
        return p;
      },
      createBackend: (opts) => new InProcessBackend(opts),
    },
    (event) => renderer.deliver(IPC_EVENT_CHANNEL, event),
  );
  registerIpcRouter(ipcMain, { connectionFor: (id) => (id === 7 ? connection : undefined) });
  const bridge = buildBridge(renderer, () => fixturePath('dns-udp.pcap'));
  client = createEngineClient(new IpcTransport(bridge));
  client.transport.subscribe((e) => events.push(e));
});
afterAll(async () => {
  client.transport.dispose();
  await connection.dispose();
  tmp.cleanup();
});

describe('IPC router registration', () => {
  it('registers one channel per API message and nothing else', () => {
    expect([...ipcMain.handlers.keys()].sort()).toEqual(ENGINE_METHODS.map((m) => ipcChannel(m)).sort());
  });

  it('unregisters every channel', () => {
    const other = new FakeIpcMain();
    const off = registerIpcRouter(other, { connectionFor: () => undefined });
    expect(other.handlers.size).toBe(ENGINE_METHODS.length);
    off();
    expect(other.handlers.size).toBe(0);
  });
});

describe('sender and argument checks', () => {
  const call = (sender: IpcSenderInfo, ...args: unknown[]) => ipcMain.invoke(sender, ipcChannel('appInfo'), ...args);
  const forbidden = { ok: false, error: { code: 'forbidden' } };

  it('refuses windows that are not ours, iframes, foreign pages and dead frames', async () => {
    expect(await call({ sender: { id: 99 }, senderFrame: { url: `${APP_ORIGIN}/index.html`, parent: null } }, {})).toMatchObject(forbidden);
    expect(await call({ sender: { id: 7 }, senderFrame: { url: `${APP_ORIGIN}/index.html`, parent: {} } }, {})).toMatchObject(forbidden);
    expect(await call({ sender: { id: 7 }, senderFrame: { url: 'https://evil.example/', parent: null } }, {})).toMatchObject(forbidden);
    expect(await call({ sender: { id: 7 }, senderFrame: { url: 'file:///etc/passwd', parent: null } }, {})).toMatchObject(forbidden);
    expect(await call({ sender: { id: 7 }, senderFrame: null }, {})).toMatchObject(forbidden);
    expect(await call({ sender: { id: 7 }, senderFrame: { url: `${APP_ORIGIN}/index.html`, parent: null } }, {})).toMatchObject({ ok: true });
  });

  it('refuses extra arguments and invalid parameters with a clear message', async () => {
    const good = { sender: { id: 7 }, senderFrame: { url: `${APP_ORIGIN}/`, parent: null } };
    expect(await call(good, {}, 'extra')).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringMatching(/one parameters object/) } });
    expect(await ipcMain.invoke(good, ipcChannel('getRows'), { start: 'zero', count: 1 }))
      .toMatchObject({ ok: false, error: { code: 'bad-request', message: 'getRows: "start" must be an integer (got "zero")' } });
    expect(await ipcMain.invoke(good, ipcChannel('getPacket'), null))
      .toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });
});

describe('the engine API through the IPC path', () => {
  it('appInfo says Electron, dialog saves, and the command-line file', async () => {
    const info = await client.appInfo({});
    expect(info).toMatchObject({ shell: 'electron', version: '1.2.3', saveMode: 'dialog', initialFile: fixturePath('http-handshake.pcap') });
  });

  it('without a path, openFile asks the shell (open dialog)', async () => {
    const info = await client.openFile({});
    expect(info.path).toBe(fixturePath('http-bulk-lossy.pcap'));
    expect(events.some((e) => e.event === 'opened' && e.data.path === info.path)).toBe(true);
    const recent = await client.listRecent({});
    expect(recent[0].path).toBe(info.path);
  });

  it('open, page rows, details, filter, follow, export a subset (dialog) and read it back identical', async () => {
    const path = fixturePath('http-bulk-lossy.pcap');
    const opened = await client.openFile({ path });
    const all = await waitForLoaded(opened.captureId);
    expect(all).toBe(1463);
    const page = await client.getRows({ start: 1000, count: 100 });
    expect(page.rows).toHaveLength(100);
    expect(page.rows[0].number).toBe(1001);

    const detail = await client.getPacket({ number: 2 });
    expect(detail.bytes).toBeInstanceOf(Uint8Array);
    const tcp = detail.tree.find((n) => n.field === 'tcp');
    expect(tcp?.label).toMatch(/^Transmission Control Protocol/);

    const filtered = await client.applyFilter({ expression: 'tcp.analysis.retransmission' });
    expect(filtered.displayed).toBeGreaterThan(10);
    const shown = (await client.getRows({ start: 0, count: 5000 })).rows;
    expect(shown.length).toBe(filtered.displayed);

    const follow = await client.followStream({ protocol: 'tcp', stream: 0 });
    expect(follow.serverBytes).toBeGreaterThan(1_000_000);

    const seq = await client.getSequence({ streams: [1] });
    expect(seq.arrows[0].label).toBe('SYN');
    expect(seq.arrows[0].states).toEqual(['SYN_SENT', 'SYN_RECEIVED']);
    expect(seq.arrows[0].notes[0].text.length).toBeGreaterThan(10);

    // The renderer may not choose where files are written in the desktop shell.
    await expect(client.exportPackets({ format: 'pcap', scope: 'displayed', path: '/tmp/evil.pcap' })).rejects.toMatchObject({ code: 'forbidden' });
    const exported = await client.exportPackets({ format: 'pcap', scope: 'selected', frames: shown.slice(0, 5).map((r) => r.number) });
    expect(exported.path).toBe(savePaths.at(-1));
    const original = readPackets(path);
    expect(readPackets(exported.path!)).toEqual(shown.slice(0, 5).map((r) => original[r.number - 1]));
  });

  it('a dropped file is opened by its path', async () => {
    const info = await client.openLocalFile({ name: 'dns-udp.pcap', size: 1 });
    expect(info.path).toBe(fixturePath('dns-udp.pcap'));
  });

  it('events reach the page without the Electron event object, and unsubscribe works', async () => {
    const seen: unknown[] = [];
    const bridge = buildBridge(renderer, () => '');
    const before = renderer.listenerCount(IPC_EVENT_CHANNEL);
    const off = bridge.onEvent((e) => seen.push(e));
    renderer.deliver(IPC_EVENT_CHANNEL, { event: 'packets', data: { captureId: 1, total: 1, displayed: 1 } });
    expect(seen).toEqual([{ event: 'packets', data: { captureId: 1, total: 1, displayed: 1 } }]);
    off();
    expect(renderer.listenerCount(IPC_EVENT_CHANNEL)).toBe(before);
  });
});

describe('the preload bridge', () => {
  it('one function per message, each sending exactly its parameters on its channel', async () => {
    const sent: [string, unknown[]][] = [];
    const fake: IpcRendererLike = {
      invoke: async (channel, ...args) => {
        sent.push([channel, args]);
        return { ok: true, result: null };
      },
      on: () => {},
      removeListener: () => {},
    };
    const bridge = buildBridge(fake, () => {
      throw new Error('not a real file');
    });
    expect(Object.isFrozen(bridge)).toBe(true);
    for (const m of ENGINE_METHODS) expect(typeof bridge[m], m).toBe('function');
    await bridge.getRows({ start: 1, count: 2 });
    await (bridge.appInfo as (p?: unknown) => Promise<unknown>)();
    expect(sent).toEqual([['wirescope:getRows', [{ start: 1, count: 2 }]], ['wirescope:appInfo', [{}]]]);
    expect(bridge.pathForFile({ name: 'x', size: 0 })).toBe('');
  });
});

async function waitForLoaded(captureId: number): Promise<number> {
  for (let i = 0; i < 500; i++) {
    const last = [...events].reverse().find((e) => e.event === 'progress' && e.data.phase === 'load' && e.data.captureId === captureId);
    if (last && last.event === 'progress' && last.data.finished) return last.data.packets;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the file did not finish loading');
}
