/**
 * Keyboard first (§6): Ctrl+O open, Ctrl+F or "/" filter, Ctrl+E start/stop capture, Ctrl+G go
 * to packet, Ctrl+S save/export, Alt+1…9 switch views. Keys typed into a text field stay there
 * ("/" in the filter is a character).
 */
import { onBeforeUnmount, onMounted } from 'vue';
import { runCommand } from '../commands';
import { useViewsStore } from '../stores/views';
import { VIEWS } from '../views/registry';

export function isTextTarget(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  const tag = el.tagName.toLowerCase();
  return tag === 'input' || tag === 'textarea' || tag === 'select' || el.isContentEditable;
}

export function handleShortcut(ev: KeyboardEvent): boolean {
  const ctrl = ev.ctrlKey || ev.metaKey;
  const key = ev.key.toLowerCase();
  if (ctrl && !ev.altKey && !ev.shiftKey) {
    switch (key) {
      case 'o': return runCommand('open');
      case 'f': return runCommand('focus-filter');
      case 'e': return runCommand('toggle-capture');
      case 'g': return runCommand('go-to-packet');
      case 's': return runCommand('save-as');
      case '=':
      case '+': return runCommand('zoom-in');
      case '-': return runCommand('zoom-out');
      case '0': return runCommand('zoom-reset');
    }
    return false;
  }
  if (ev.altKey && !ctrl && /^[1-9]$/.test(ev.key)) {
    const view = VIEWS[Number(ev.key) - 1];
    if (view && !view.fullWindow) {
      useViewsStore().show(view.id);
      return true;
    }
    return false;
  }
  if (ev.key === '/' && !ctrl && !ev.altKey && !isTextTarget(ev.target)) return runCommand('focus-filter');
  return false;
}

export function useShortcuts(): void {
  const onKey = (ev: KeyboardEvent): void => {
    if (handleShortcut(ev)) ev.preventDefault();
  };
  onMounted(() => window.addEventListener('keydown', onKey));
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey));
}
