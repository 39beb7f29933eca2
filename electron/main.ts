/**
 * Electron main process: lifecycle, windows, menus, dialogs and IPC routing — nothing heavy
 * (each window's engine runs in a worker thread, live capture in a helper process). The logic
 * lives in small modules tested without Electron: security.ts, ipc-router.ts, windows.ts,
 * menu.ts, bridge.ts, app-files.ts, cli-args.ts.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session } from 'electron';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EngineConnection } from '../src/engine/connection.js';
import { RecentFiles } from '../src/engine/recent.js';
import { resolveAppFile } from './app-files.js';
import { filesFromArgv } from './cli-args.js';
import { registerIpcRouter } from './ipc-router.js';
import { buildMenuTemplate } from './menu.js';
import { APP_ORIGIN, APP_SCHEME, CONTENT_SECURITY_POLICY, hardenSession } from './security.js';
import { WindowManager, type WindowLike } from './windows.js';

const here = dirname(fileURLToPath(import.meta.url));
// dist/electron/main.js → dist/renderer, dist/electron/preload.cjs
const rendererDir = join(here, '..', 'renderer');
const preloadPath = join(here, 'preload.cjs');

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

if (!app.requestSingleInstanceLock()) app.quit();

const recent = new RecentFiles(join(app.getPath('userData'), 'recent.json'));
const captureFilters = [
  { name: 'Captures (pcap, pcapng)', extensions: ['pcap', 'pcapng', 'cap', 'dmp'] },
  { name: 'All files', extensions: ['*'] },
];

const windows = new WindowManager(
  {
    createWindow: (options) => new BrowserWindow(options) as unknown as WindowLike,
    createConnection: (services, send) => new EngineConnection(services, send),
    async showOpenDialog(win) {
      const opts = { properties: ['openFile' as const], filters: captureFilters };
      const r = win ? await dialog.showOpenDialog(win as unknown as BrowserWindow, opts) : await dialog.showOpenDialog(opts);
      return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0];
    },
    async showSaveDialog(win, format, defaultPath) {
      const opts = { defaultPath, filters: [{ name: format === 'pcap' ? 'pcap' : 'pcapng', extensions: [format] }] };
      const r = win ? await dialog.showSaveDialog(win as unknown as BrowserWindow, opts) : await dialog.showSaveDialog(opts);
      return r.canceled || !r.filePath ? null : r.filePath;
    },
    async askUnsaved(win, packets) {
      const r = await dialog.showMessageBox(win as unknown as BrowserWindow, {
        type: 'warning',
        message: `The live capture has ${packets} packets that were not saved.`,
        detail: 'Save them before closing? Discarded packets cannot be recovered.',
        buttons: ['Save…', 'Discard', 'Cancel'],
        defaultId: 0,
        cancelId: 2,
      });
      return r.response as 0 | 1 | 2;
    },
    focusedWindow: () => BrowserWindow.getFocusedWindow() as unknown as WindowLike | null,
    onRecentChanged: () => rebuildMenu(),
  },
  { preloadPath, pageUrl: `${APP_ORIGIN}/index.html`, version: app.getVersion(), recent },
);

function rebuildMenu(): void {
  const template = buildMenuTemplate(
    {
      open: () => void windows.openWithDialog(),
      openRecent: (path) => void windows.openPath(path),
      clearRecent: () => {
        recent.clear();
        rebuildMenu();
      },
      newWindow: () => windows.createWindow(),
      command: (command) => windows.sendCommand(command),
      closeWindow: () => BrowserWindow.getFocusedWindow()?.close(),
      quit: () => app.quit(),
      toggleDevTools: () => BrowserWindow.getFocusedWindow()?.webContents.toggleDevTools(),
    },
    recent.list(),
    { isMac: process.platform === 'darwin', devTools: !app.isPackaged },
  );
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

app.on('second-instance', (_event, argv, cwd) => {
  const files = filesFromArgv(argv, { packaged: app.isPackaged, cwd });
  if (files.length === 0) windows.createWindow();
  for (const f of files) windows.createWindow(f);
});

app.on('web-contents-created', (_event, contents) => {
  // Belt and braces: no page of ours may open windows or navigate away.
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (e) => e.preventDefault());
});

app.whenReady().then(() => {
  hardenSession(session.defaultSession);
  protocol.handle(APP_SCHEME, async (request) => {
    const target = resolveAppFile(rendererDir, request.url);
    if (!target) return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(target.file);
      return new Response(body, {
        headers: { 'Content-Type': target.type, 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff' },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
  registerIpcRouter(ipcMain, { connectionFor: (id) => windows.connectionFor(id) });
  rebuildMenu();
  const files = filesFromArgv(process.argv, { packaged: app.isPackaged });
  if (files.length === 0) windows.createWindow();
  for (const f of files) windows.createWindow(f);
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('activate', () => {
  if (windows.windowCount === 0) windows.createWindow();
});
