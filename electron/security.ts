/**
 * The Electron security settings of §8, in one place: renderer isolation (contextIsolation,
 * sandbox, no Node), a strict Content Security Policy on everything the app serves, navigation
 * and new windows denied, every permission request refused, and the check that an IPC message
 * comes from our own page's main frame. Pure functions over the few Electron objects they touch,
 * so they are unit-tested without an Electron binary.
 */
import type { WebPreferences } from 'electron';

/** Our pages are served from this privileged scheme (see protocol.ts), never from file://. */
export const APP_SCHEME = 'wirescope';
export const APP_ORIGIN = `${APP_SCHEME}://app`;

/**
 * The renderer needs nothing from outside the app: no remote scripts, styles, fonts or
 * connections (the engine is reached over IPC), no plugins, no framing. Inline styles stay
 * allowed for Vue's style bindings; inline scripts do not.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "frame-src 'none'",
  "worker-src 'self' blob:",
].join('; ');

export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
  };
}

/** The parts of WebContents the hardening touches. */
export interface HardenableContents {
  on(event: 'will-navigate' | 'will-redirect' | 'will-attach-webview', listener: (event: { preventDefault(): void }, ...args: unknown[]) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/**
 * Packet content is untrusted: whatever a page might try, it cannot leave the app. Every
 * navigation is refused (the app is one page; a dropped file is opened through the API, not
 * navigated to), so are redirects, <webview> and window.open.
 */
export function hardenContents(contents: HardenableContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

export interface HardenableSession {
  setPermissionRequestHandler(handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: (contents: unknown, permission: string) => boolean): void;
}

/** No camera, microphone, notifications, geolocation, clipboard-read, HID, serial …: nothing. */
export function hardenSession(session: HardenableSession): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/** The sender of an IPC message, as ipcMain gives it. */
export interface IpcSenderInfo {
  sender: { id: number };
  senderFrame: { url: string; parent: unknown } | null;
}

/**
 * An IPC message is accepted only from the main frame of one of our windows, showing our own
 * page: not from an iframe, not after a navigation to somewhere else.
 */
export function isTrustedSender(event: IpcSenderInfo, knownContents: (id: number) => boolean): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  if (!knownContents(event.sender.id)) return false;
  let url: URL;
  try {
    url = new URL(frame.url);
  } catch {
    return false;
  }
  return `${url.protocol}//${url.host}` === APP_ORIGIN;
}
