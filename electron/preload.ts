/**
 * Preload script (sandboxed, context-isolated): exposes the engine API to the page as
 * `window.wirescope`, one function per message. Nothing else of Electron or Node reaches the
 * page. Bundled to dist/electron/preload.cjs (sandboxed preloads cannot load modules).
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { buildBridge } from './bridge.js';

contextBridge.exposeInMainWorld(
  'wirescope',
  buildBridge(ipcRenderer, (file) => webUtils.getPathForFile(file as File)),
);
