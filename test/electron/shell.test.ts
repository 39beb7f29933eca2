/**
 * The Electron shell's modules without an Electron binary: security settings, windows and
 * their engines (fake BrowserWindow), menus, the app:// file resolver, command-line files, and
 * main.ts itself wired to a mocked `electron` module.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { IPC_EVENT_CHANNEL, ENGINE_METHODS, ipcChannel, type AnyEngineEvent, type MenuCommand } from '../../src/api/messages.js';
import type { IpcReply } from '../../src/api/transport-ipc.js';
import { RecentFiles } from '../../src/engine/recent.js';
import { resolveAppFile } from '../../electron/app-files.js';
import { filesFromArgv } from '../../electron/cli-args.js';
import { buildMenuTemplate, type MenuActions } from '../../electron/menu.js';
import {
  APP_ORIGIN, CONTENT_SECURITY_POLICY, hardenContents, hardenSession, isTrustedSender, secureWebPreferences,
} from '../../electron/security.js';
import { WindowManager, type ConnectionLike, type ShellDeps, type WindowLike } from '../../electron/windows.js';
import { fixturePath } from '../helpers/fixtures.js';
import { tempDir } from '../engine/helpers.js';

const tmp = tempDir('wirescope-shell-');
afterAll(() => tmp.cleanup());

describe('security settings (§8)', () => {
  it('isolates the renderer', () => {
    const p = secureWebPreferences('/app/preload.cjs');
    expect(p).toMatchObject({
      preload: '/app/preload.cjs', contextIsolation: true, sandbox: true, nodeIntegration: false,
      nodeIntegrationInWorker: false, webSecurity: true, allowRunningInsecureContent: false, webviewTag: false,
    });
  });

  it('the CSP allows only the app itself: no remote code, no eval, no inline scripts, no plugins or frames', () => {
    const directives = Object.fromEntries(CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|https?:|\*/);
  });

  it('denies navigation, redirects, webviews, window.open and every permission', () => {
    const handlers = new Map<string, (e: { preventDefault(): void }) => void>();
    let openHandler: ((d: { url: string }) => { action: string }) | null = null;
    hardenContents({
      on: (event, listener) => handlers.set(event, listener),
      setWindowOpenHandler: (h) => (openHandler = h),
    });
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const e = { prevented: false, preventDefault() { this.prevented = true; } };
      handlers.get(name)!(e);
      expect(e.prevented, name).toBe(true);
    }
    expect(openHandler!({ url: 'https://example.com' })).toEqual({ action: 'deny' });

    let requestHandler!: (c: unknown, p: string, cb: (g: boolean) => void) => void;
    let checkHandler!: (c: unknown, p: string) => boolean;
    hardenSession({ setPermissionRequestHandler: (h) => (requestHandler = h), setPermissionCheckHandler: (h) => (checkHandler = h) });
    for (const perm of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      let granted: boolean | null = null;
      requestHandler(null, perm, (g) => (granted = g));
      expect(granted, perm).toBe(false);
      expect(checkHandler(null, perm)).toBe(false);
    }
  });

  it('trusts only the main frame of a known window showing the app', () => {
    const known = (id: number) => id === 1;
    expect(isTrustedSender({ sender: { id: 1 }, senderFrame: { url: `${APP_ORIGIN}/index.html#x`, parent: null } }, known)).toBe(true);
    expect(isTrustedSender({ sender: { id: 2 }, senderFrame: { url: `${APP_ORIGIN}/index.html`, parent: null } }, known)).toBe(false);
    expect(isTrustedSender({ sender: { id: 1 }, senderFrame: { url: 'wirescope://other/index.html', parent: null } }, known)).toBe(false);
    expect(isTrustedSender({ sender: { id: 1 }, senderFrame: { url: 'not a url', parent: null } }, known)).toBe(false);
  });
});

describe('app:// files and command-line files', () => {
  it('resolves files of the renderer build only', () => {
    const root = '/opt/wirescope/dist/renderer';
    expect(resolveAppFile(root, `${APP_ORIGIN}/`)).toEqual({ file: `${root}/index.html`, type: 'text/html; charset=utf-8' });
    expect(resolveAppFile(root, `${APP_ORIGIN}/assets/app.js?v=1`)?.type).toMatch(/javascript/);
    expect(resolveAppFile(root, `${APP_ORIGIN}/../../etc/passwd`)?.file ?? '').toMatch(/^\/opt\/wirescope\/dist\/renderer\//);
    // Dot segments (plain or encoded) are resolved by the URL parser: they stay inside the build.
    expect(resolveAppFile(root, `${APP_ORIGIN}/%2e%2e/%2e%2e/etc/passwd`)?.file ?? '').toMatch(/^\/opt\/wirescope\/dist\/renderer\//);
    expect(resolveAppFile(root, `${APP_ORIGIN}/assets/%2F..%2F..%2F..%2Fetc%2Fpasswd`)).toBeNull();
    expect(resolveAppFile(root, 'https://evil.example/index.html')).toBeNull();
    expect(resolveAppFile(root, `${APP_ORIGIN}/a%00b`)).toBeNull();
  });

  it('takes existing files from argv and skips switches and the app path', () => {
    const f = fixturePath('http-handshake.pcap');
    expect(filesFromArgv(['/usr/bin/electron', '.', '--enable-logging', f, 'missing.pcap'], { packaged: false })).toEqual([f]);
    expect(filesFromArgv(['/opt/Wirescope/wirescope', f], { packaged: true })).toEqual([f]);
  });
});

describe('menus', () => {
  const calls: string[] = [];
  const actions: MenuActions = {
    open: () => calls.push('open'),
    openRecent: (p) => calls.push(`recent:${p}`),
    clearRecent: () => calls.push('clear'),
    newWindow: () => calls.push('new'),
    command: (c: MenuCommand) => calls.push(`cmd:${c}`),
    closeWindow: () => calls.push('close'),
    quit: () => calls.push('quit'),
    toggleDevTools: () => calls.push('devtools'),
  };
  type Item = { label?: string; accelerator?: string; submenu?: Item[]; click?: () => void; role?: string };
  const flat = (items: Item[]): Item[] => items.flatMap((i) => [i, ...(i.submenu ? flat(i.submenu) : [])]);

  it('File, Capture, View, Help with unique accelerators, recent files and commands', () => {
    const template = buildMenuTemplate(actions, [{ path: '/c/a.pcap', name: 'a.pcap', openedMs: 1 }], { isMac: false, devTools: false }) as Item[];
    expect(template.map((m) => m.label!.replace('&', ''))).toEqual(['File', 'Capture', 'View', 'Help']);
    const items = flat(template);
    const accels = items.map((i) => i.accelerator).filter(Boolean);
    expect(new Set(accels).size).toBe(accels.length);
    const click = (label: string) => items.find((i) => i.label?.replace('&', '') === label)!.click!();
    click('Open…');
    click('a.pcap');
    click('Start / Stop');
    click('Stop');
    click('Save As…');
    click('Export Packets…');
    click('Interfaces…');
    click('Quit');
    expect(calls).toEqual(['open', 'recent:/c/a.pcap', 'cmd:start-capture', 'cmd:stop-capture', 'cmd:save-as', 'cmd:export', 'cmd:open-interfaces', 'quit']);
    expect(items.find((i) => i.label === 'Developer Tools')).toBeUndefined();
    const mac = buildMenuTemplate(actions, [], { isMac: true, devTools: true }) as Item[];
    expect(mac[0].role).toBe('appMenu');
    expect(flat(mac).some((i) => i.label === 'No recent files')).toBe(true);
  });
});

// ------------------------------------------------------------------ windows

class FakeWindow implements WindowLike {
  static nextId = 1;
  readonly id = FakeWindow.nextId++;
  readonly sent: AnyEngineEvent[] = [];
  readonly listeners = new Map<string, ((e?: unknown) => void)[]>();
  title = '';
  loaded = '';
  destroyed = false;
  readonly contentsHandlers = new Map<string, unknown>();
  readonly webContents = {
    id: 100 + this.id,
    send: (channel: string, msg: AnyEngineEvent) => {
      expect(channel).toBe(IPC_EVENT_CHANNEL);
      this.sent.push(msg);
    },
    isDestroyed: () => this.destroyed,
    on: (event: string, l: unknown) => this.contentsHandlers.set(event, l),
    setWindowOpenHandler: (h: unknown) => this.contentsHandlers.set('open', h),
  };
  constructor(readonly options: unknown) {}
  loadURL(url: string): Promise<void> {
    this.loaded = url;
    return Promise.resolve();
  }
  setTitle(t: string): void {
    this.title = t;
  }
  readonly on = ((event: string, listener: (e?: unknown) => void) => {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }) as WindowLike['on'];
  close(): void {
    let prevented = false;
    for (const l of this.listeners.get('close') ?? []) l({ preventDefault: () => (prevented = true) });
    if (!prevented) this.destroy();
  }
  destroy(): void {
    this.destroyed = true;
    for (const l of this.listeners.get('closed') ?? []) l();
  }
  focus(): void {}
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

class FakeConnection implements ConnectionLike {
  calls: [unknown, unknown][] = [];
  disposed = false;
  unsaved = 0;
  constructor(readonly send: (e: AnyEngineEvent) => void, readonly services: unknown) {}
  async handle(method: unknown, params: unknown): Promise<IpcReply<unknown>> {
    this.calls.push([method, params]);
    if (method === 'close') {
      const discard = (params as { discard?: boolean }).discard;
      if (this.unsaved && !discard) return { ok: true, result: { closed: false, unsavedPackets: this.unsaved } };
      return { ok: true, result: { closed: true, unsavedPackets: 0 } };
    }
    if (method === 'saveCapture') return { ok: true, result: { packets: this.unsaved, sizeBytes: 1, format: 'pcapng', path: '/x' } };
    return { ok: true, result: {} };
  }
  async dispose(): Promise<void> {
    this.disposed = true;
  }
}

function shell(answer: 0 | 1 | 2 = 1) {
  const windows: FakeWindow[] = [];
  const connections: FakeConnection[] = [];
  let focused: FakeWindow | null = null;
  const asked: number[] = [];
  const deps: ShellDeps = {
    createWindow: (options) => {
      const w = new FakeWindow(options);
      windows.push(w);
      focused = w;
      return w;
    },
    createConnection: (services, send) => {
      const c = new FakeConnection(send, services);
      connections.push(c);
      return c;
    },
    showOpenDialog: async () => '/captures/picked.pcap',
    showSaveDialog: async () => '/captures/saved.pcapng',
    askUnsaved: async (_w, n) => {
      asked.push(n);
      return answer;
    },
    focusedWindow: () => focused,
    onRecentChanged: () => {},
  };
  const manager = new WindowManager(deps, {
    preloadPath: '/app/preload.cjs', pageUrl: `${APP_ORIGIN}/index.html`, version: '1.0.0',
    recent: new RecentFiles(join(tmp.dir, 'recent.json')),
  });
  return { manager, windows, connections, asked, focus: (w: FakeWindow | null) => (focused = w) };
}

describe('windows: one per capture, each with its own engine', () => {
  it('a window is secure, loads the app page and gets its own connection and events', () => {
    const { manager, windows, connections } = shell();
    const w = manager.createWindow('/captures/a.pcap') as FakeWindow;
    expect((w.options as { webPreferences: object }).webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
    expect(w.loaded).toBe(`${APP_ORIGIN}/index.html`);
    expect(w.contentsHandlers.has('will-navigate')).toBe(true);
    expect((connections[0].services as { initialFile: string; saveMode: string })).toMatchObject({ initialFile: '/captures/a.pcap', saveMode: 'dialog', shell: 'electron' });
    expect(manager.connectionFor(w.webContents.id)).toBe(connections[0]);
    expect(manager.connectionFor(999)).toBeUndefined();
    connections[0].send({ event: 'opened', data: { name: 'a.pcap', source: 'file' } as never });
    expect(w.title).toBe('a.pcap — Wirescope');
    expect(w.sent[0].event).toBe('opened');
    expect(windows).toHaveLength(1);
  });

  it('File → Open uses the focused window while it is empty, then opens new windows', async () => {
    const { manager, windows, connections } = shell();
    manager.createWindow();
    await manager.openWithDialog();
    expect(connections[0].calls).toEqual([['openFile', { path: '/captures/picked.pcap' }]]);
    connections[0].send({ event: 'opened', data: { name: 'picked.pcap', source: 'file' } as never });
    await manager.openPath('/captures/second.pcap');
    expect(windows).toHaveLength(2);
    expect((connections[1].services as { initialFile: string }).initialFile).toBe('/captures/second.pcap');
  });

  it('menu commands go to the focused window only', () => {
    const { manager, windows, focus } = shell();
    manager.createWindow();
    manager.createWindow();
    focus(windows[0]);
    manager.sendCommand('start-capture');
    expect(windows[0].sent).toEqual([{ event: 'menu', data: { command: 'start-capture' } }]);
    expect(windows[1].sent).toEqual([]);
  });

  it('closing with an unsaved live capture asks: cancel keeps the window, discard closes it', async () => {
    for (const [answer, closes, calls] of [
      [2, false, ['close']],
      [1, true, ['close', 'close']],
      [0, true, ['close', 'saveCapture', 'close']],
    ] as const) {
      const { manager, windows, connections, asked } = shell(answer);
      manager.createWindow();
      connections[0].unsaved = 42;
      windows[0].close();
      await new Promise((r) => setTimeout(r, 10));
      expect(asked).toEqual([42]);
      expect(windows[0].destroyed, `answer ${answer}`).toBe(closes);
      expect(connections[0].calls.map((c) => c[0])).toEqual(calls);
      expect(connections[0].disposed).toBe(closes);
    }
  });

  it('closing without unsaved packets does not ask', async () => {
    const { manager, windows, asked, connections } = shell();
    manager.createWindow();
    windows[0].close();
    await new Promise((r) => setTimeout(r, 10));
    expect(asked).toEqual([]);
    expect(windows[0].destroyed).toBe(true);
    expect(connections[0].disposed).toBe(true);
    expect(manager.windowCount).toBe(0);
  });
});

// ------------------------------------------------------------------ main.ts

describe('main.ts wired to a mocked electron', () => {
  it('registers the app scheme, hardens the session, routes IPC, builds menus and opens a window', async () => {
    const rendererDir = join(tmp.dir, 'renderer');
    mkdirSync(rendererDir, { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>app</title>');
    const state = {
      schemes: [] as unknown[],
      protocolHandler: null as null | ((r: Request) => Promise<Response>),
      ipc: new Map<string, unknown>(),
      menus: 0,
      windows: [] as { options: { webPreferences: Record<string, unknown> }; url: string }[],
      permissionsDenied: false,
      appHandlers: new Map<string, (...a: unknown[]) => void>(),
    };
    class BrowserWindow {
      static getFocusedWindow = () => null;
      id = state.windows.length + 1;
      webContents = { id: 50 + this.id, on() {}, setWindowOpenHandler() {}, send() {}, isDestroyed: () => false };
      constructor(public options: { webPreferences: Record<string, unknown> }) {
        state.windows.push({ options, url: '' });
      }
      loadURL(url: string) {
        state.windows[this.id - 1].url = url;
        return Promise.resolve();
      }
      setTitle() {}
      on() {}
      close() {}
      destroy() {}
      focus() {}
      isDestroyed() {
        return false;
      }
    }
    vi.doMock('electron', () => ({
      app: {
        requestSingleInstanceLock: () => true,
        getPath: () => tmp.dir,
        getVersion: () => '0.1.0',
        isPackaged: false,
        on: (e: string, h: (...a: unknown[]) => void) => state.appHandlers.set(e, h),
        whenReady: () => Promise.resolve(),
        quit: () => {},
      },
      BrowserWindow,
      dialog: {},
      ipcMain: { handle: (c: string, h: unknown) => state.ipc.set(c, h), removeHandler: (c: string) => state.ipc.delete(c) },
      Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: () => void state.menus++ },
      protocol: {
        registerSchemesAsPrivileged: (s: unknown[]) => state.schemes.push(...s),
        handle: (_scheme: string, h: (r: Request) => Promise<Response>) => (state.protocolHandler = h),
      },
      session: {
        defaultSession: {
          setPermissionRequestHandler: () => (state.permissionsDenied = true),
          setPermissionCheckHandler: () => {},
        },
      },
    }));
    const argv = process.argv;
    process.argv = ['/usr/bin/electron', '.', fixturePath('http-handshake.pcap')];
    try {
      vi.resetModules();
      await import('../../electron/main.js');
      await new Promise((r) => setTimeout(r, 20));
    } finally {
      process.argv = argv;
      vi.doUnmock('electron');
    }
    expect(state.schemes).toEqual([{ scheme: 'wirescope', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    expect(state.permissionsDenied).toBe(true);
    expect([...state.ipc.keys()].sort()).toEqual(ENGINE_METHODS.map(ipcChannel).sort());
    expect(state.menus).toBe(1);
    expect(state.windows).toHaveLength(1);
    expect(state.windows[0].url).toBe(`${APP_ORIGIN}/index.html`);
    expect(state.windows[0].options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
    expect(String(state.windows[0].options.webPreferences.preload)).toMatch(/preload\.cjs$/);
    // The protocol handler serves only renderer files, always with the CSP.
    const page = await state.protocolHandler!(new Request(`${APP_ORIGIN}/index.html`));
    expect([200, 404]).toContain(page.status);
    if (page.status === 200) expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    const outside = await state.protocolHandler!(new Request(`${APP_ORIGIN}/%2e%2e/%2e%2e/package.json`));
    expect(outside.status).toBe(404);
    // The window's engine: the router answers through it.
    const appInfo = state.ipc.get(ipcChannel('appInfo')) as (e: unknown, p: unknown) => Promise<IpcReply<{ initialFile: string }>>;
    const reply = await appInfo({ sender: { id: 51 }, senderFrame: { url: `${APP_ORIGIN}/index.html`, parent: null } }, {});
    expect(reply).toMatchObject({ ok: true, result: { shell: 'electron', initialFile: fixturePath('http-handshake.pcap') } });
    const denied = await appInfo({ sender: { id: 51 }, senderFrame: { url: 'https://x.example/', parent: null } }, {});
    expect(denied).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
