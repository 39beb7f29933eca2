/**
 * Windows and their engines: one window per capture, each with its own EngineConnection (and
 * so its own engine worker). Opening a file uses the focused window when it shows nothing yet,
 * else a new window. Closing a window whose live capture was not saved asks first. Electron
 * objects are injected (ShellDeps), so this is unit-tested with fakes.
 */
import { IPC_EVENT_CHANNEL, type AnyEngineEvent, type CaptureFileFormat, type MenuCommand } from '../src/api/messages.js';
import type { IpcReply } from '../src/api/transport-ipc.js';
import type { ShellServices } from '../src/engine/connection.js';
import type { RecentFiles } from '../src/engine/recent.js';
import { hardenContents, secureWebPreferences, type HardenableContents } from './security.js';

export interface WindowLike {
  readonly id: number;
  readonly webContents: HardenableContents & {
    readonly id: number;
    send(channel: string, ...args: unknown[]): void;
    isDestroyed(): boolean;
    toggleDevTools?(): void;
  };
  loadURL(url: string): Promise<void>;
  setTitle(title: string): void;
  on(event: 'close', listener: (e: { preventDefault(): void }) => void): unknown;
  on(event: 'closed', listener: () => void): unknown;
  close(): void;
  destroy(): void;
  focus(): void;
  isDestroyed(): boolean;
}

export interface ConnectionLike {
  handle(method: unknown, params: unknown): Promise<IpcReply<unknown>>;
  dispose(): Promise<void>;
}

export interface ShellDeps {
  createWindow(options: { webPreferences: ReturnType<typeof secureWebPreferences>; width: number; height: number; show: boolean; title: string }): WindowLike;
  createConnection(services: ShellServices, send: (event: AnyEngineEvent) => void): ConnectionLike;
  showOpenDialog(win: WindowLike | null): Promise<string | null>;
  showSaveDialog(win: WindowLike | null, format: CaptureFileFormat, defaultName: string): Promise<string | null>;
  /** Returns 0 save, 1 discard, 2 cancel. */
  askUnsaved(win: WindowLike, packets: number): Promise<0 | 1 | 2>;
  focusedWindow(): WindowLike | null;
  onRecentChanged(): void;
}

export interface ShellConfig {
  preloadPath: string;
  /** The page every window loads (wirescope://app/index.html). */
  pageUrl: string;
  version: string;
  recent: RecentFiles;
}

interface Entry {
  window: WindowLike;
  connection: ConnectionLike;
  /** A capture is open in this window. */
  hasCapture: boolean;
  title: string;
  closing: boolean;
}

export class WindowManager {
  private readonly entries = new Map<number, Entry>();

  constructor(private readonly deps: ShellDeps, private readonly config: ShellConfig) {}

  /** The connection behind a WebContents id (IPC router lookup). */
  connectionFor(contentsId: number): ConnectionLike | undefined {
    for (const e of this.entries.values()) {
      if (e.window.webContents.id === contentsId && !e.closing) return e.connection;
    }
    return undefined;
  }

  get windowCount(): number {
    return this.entries.size;
  }

  /** A new window; with `initialFile` the page opens it on start (AppInfo.initialFile). */
  createWindow(initialFile: string | null = null): WindowLike {
    const title = 'Wirescope';
    const win = this.deps.createWindow({
      webPreferences: secureWebPreferences(this.config.preloadPath),
      width: 1280,
      height: 820,
      show: true,
      title,
    });
    hardenContents(win.webContents);
    const entry: Entry = { window: win, connection: undefined as unknown as ConnectionLike, hasCapture: false, title, closing: false };
    const services: ShellServices = {
      shell: 'electron',
      version: this.config.version,
      initialFile,
      saveMode: 'dialog',
      recent: this.config.recent,
      chooseOpenPath: () => this.deps.showOpenDialog(win),
      chooseSavePath: (_purpose, format, name) => this.deps.showSaveDialog(win, format, name),
    };
    entry.connection = this.deps.createConnection(services, (event) => this.forward(entry, event));
    this.entries.set(win.id, entry);
    win.on('close', (e) => this.onClose(entry, e));
    win.on('closed', () => {
      this.entries.delete(win.id);
      void entry.connection.dispose();
    });
    void win.loadURL(this.config.pageUrl);
    return win;
  }

  private forward(entry: Entry, event: AnyEngineEvent): void {
    if (event.event === 'opened') {
      entry.hasCapture = true;
      entry.title = `${event.data.name} — Wirescope`;
      if (!entry.window.isDestroyed()) entry.window.setTitle(entry.title);
      if (event.data.source === 'file') this.deps.onRecentChanged();
    } else if (event.event === 'closed') {
      entry.hasCapture = false;
      if (!entry.window.isDestroyed()) entry.window.setTitle('Wirescope');
    }
    const wc = entry.window.webContents;
    if (!wc.isDestroyed()) wc.send(IPC_EVENT_CHANNEL, event);
  }

  /** File → Open: ask for a file, then show it in the focused empty window or a new one. */
  async openWithDialog(): Promise<void> {
    const path = await this.deps.showOpenDialog(this.deps.focusedWindow());
    if (path) await this.openPath(path);
  }

  /** Shows a capture: in the focused window when it has none yet, else in a new window. */
  async openPath(path: string): Promise<IpcReply<unknown> | null> {
    const focused = this.deps.focusedWindow();
    const entry = focused ? this.entries.get(focused.id) : undefined;
    if (entry && !entry.hasCapture) {
      // The page learns about it through the `opened` event.
      return entry.connection.handle('openFile', { path });
    }
    this.createWindow(path);
    return null;
  }

  sendCommand(command: MenuCommand): void {
    const win = this.deps.focusedWindow();
    const entry = win ? this.entries.get(win.id) : undefined;
    if (entry) this.forward(entry, { event: 'menu', data: { command } });
  }

  /** Closing with an unsaved live capture asks: save, discard or cancel. */
  private onClose(entry: Entry, e: { preventDefault(): void }): void {
    if (entry.closing) return;
    e.preventDefault();
    void this.confirmClose(entry);
  }

  private async confirmClose(entry: Entry): Promise<void> {
    const reply = await entry.connection.handle('close', {});
    const result = reply.ok ? (reply.result as { closed: boolean; unsavedPackets: number }) : { closed: true, unsavedPackets: 0 };
    if (!result.closed) {
      const choice = await this.deps.askUnsaved(entry.window, result.unsavedPackets);
      if (choice === 2) return;
      if (choice === 0) {
        const saved = await entry.connection.handle('saveCapture', { format: 'pcapng' });
        if (!saved.ok || (saved.result as { cancelled?: boolean }).cancelled) return;
      }
      await entry.connection.handle('close', { discard: true });
    }
    entry.closing = true;
    if (!entry.window.isDestroyed()) entry.window.close();
  }
}
