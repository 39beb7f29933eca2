/**
 * App-wide commands (keyboard shortcuts, the Electron menu, buttons in other views) routed to
 * whichever component can carry them out: the toolbar owns "open", the filter bar owns
 * "focus-filter", the shell owns "go-to-packet". A component registers while mounted.
 */
import { onBeforeUnmount } from 'vue';

export type CommandName =
  | 'open' | 'focus-filter' | 'go-to-packet' | 'toggle-capture' | 'start-capture' | 'stop-capture'
  | 'save-as' | 'export' | 'toggle-theme' | 'open-interfaces' | 'zoom-in' | 'zoom-out' | 'zoom-reset';

const handlers = new Map<CommandName, Set<() => void>>();

export function runCommand(name: CommandName): boolean {
  const set = handlers.get(name);
  if (!set?.size) return false;
  for (const fn of set) fn();
  return true;
}

export function addCommand(name: CommandName, fn: () => void): () => void {
  let set = handlers.get(name);
  if (!set) handlers.set(name, (set = new Set()));
  set.add(fn);
  return () => set!.delete(fn);
}

/** Registers a handler for the lifetime of the calling component. */
export function useCommand(name: CommandName, fn: () => void): void {
  const off = addCommand(name, fn);
  onBeforeUnmount(off);
}
