/**
 * The native menus (File, Capture, View, Help) as a plain template: what each item does is
 * injected, so the template is unit-tested without Electron. Items that act on the page's
 * state (start/stop capture, save, export, views) are sent to the focused window's renderer as
 * `menu` events; opening files is done here (dialog → a window per capture).
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../src/api/messages.js';
import type { RecentFile } from '../src/api/types.js';

export interface MenuActions {
  open(): void;
  openRecent(path: string): void;
  clearRecent(): void;
  newWindow(): void;
  /** Sends a command to the focused window's renderer. */
  command(command: MenuCommand): void;
  closeWindow(): void;
  quit(): void;
  toggleDevTools(): void;
}

export function buildMenuTemplate(
  actions: MenuActions,
  recent: readonly RecentFile[],
  opts: { isMac: boolean; devTools: boolean; appName?: string },
): MenuItemConstructorOptions[] {
  const cmd = (command: MenuCommand) => () => actions.command(command);
  const recentItems: MenuItemConstructorOptions[] = recent.length
    ? [
        ...recent.map((r) => ({ label: r.name, sublabel: r.path, click: () => actions.openRecent(r.path) })),
        { type: 'separator' as const },
        { label: 'Clear Recent', click: () => actions.clearRecent() },
      ]
    : [{ label: 'No recent files', enabled: false }];

  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: '&Open…', accelerator: 'CmdOrCtrl+O', click: () => actions.open() },
      { label: 'Open &Recent', submenu: recentItems },
      { label: 'New &Window', accelerator: 'CmdOrCtrl+Shift+N', click: () => actions.newWindow() },
      { type: 'separator' },
      { label: '&Save As…', accelerator: 'CmdOrCtrl+Shift+S', click: cmd('save-as') },
      { label: '&Export Packets…', accelerator: 'CmdOrCtrl+Shift+E', click: cmd('export') },
      { type: 'separator' },
      { label: '&Close', accelerator: 'CmdOrCtrl+W', click: () => actions.closeWindow() },
      ...(opts.isMac ? [] : [{ label: '&Quit', accelerator: 'CmdOrCtrl+Q', click: () => actions.quit() }]),
    ],
  };
  const capture: MenuItemConstructorOptions = {
    label: '&Capture',
    submenu: [
      { label: '&Interfaces…', accelerator: 'CmdOrCtrl+I', click: cmd('open-interfaces') },
      // Ctrl+E is Wireshark's start/stop toggle: the page stops a running capture on it.
      { label: '&Start / Stop', accelerator: 'CmdOrCtrl+E', click: cmd('start-capture') },
      { label: 'S&top', click: cmd('stop-capture') },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      { label: 'Find / Display Filter', accelerator: 'CmdOrCtrl+F', click: cmd('find') },
      { label: 'Go to Packet…', accelerator: 'CmdOrCtrl+G', click: cmd('go-to-packet') },
      { type: 'separator' },
      {
        label: 'Time Format',
        submenu: [
          { label: 'Seconds Since First Packet', click: cmd('time-format-relative') },
          { label: 'Time of Day', click: cmd('time-format-absolute') },
          { label: 'Seconds Since Previous Packet', click: cmd('time-format-delta') },
        ],
      },
      { type: 'separator' },
      { label: 'Conversations', click: cmd('view-conversations') },
      { label: 'Statistics', click: cmd('view-statistics') },
      { label: 'Sequence Diagram', click: cmd('view-sequence') },
      { label: 'Follow Stream', accelerator: 'CmdOrCtrl+Alt+Shift+T', click: cmd('view-follow') },
      { label: 'Presentation Mode', accelerator: 'F5', click: cmd('presentation') },
      { type: 'separator' },
      { label: 'Toggle Dark Theme', click: cmd('toggle-theme') },
      { label: 'Zoom In', accelerator: 'CmdOrCtrl+=', click: cmd('zoom-in') },
      { label: 'Zoom Out', accelerator: 'CmdOrCtrl+-', click: cmd('zoom-out') },
      { label: 'Actual Size', accelerator: 'CmdOrCtrl+0', click: cmd('zoom-reset') },
      ...(opts.devTools ? [{ type: 'separator' as const }, { label: 'Developer Tools', accelerator: 'F12', click: () => actions.toggleDevTools() }] : []),
    ],
  };
  const help: MenuItemConstructorOptions = {
    label: '&Help',
    submenu: [{ label: `About ${opts.appName ?? 'Wirescope'}`, click: cmd('about') }],
  };
  const template = [file, capture, view, help];
  if (opts.isMac) template.unshift({ role: 'appMenu' });
  return template;
}
