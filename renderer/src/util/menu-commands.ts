/** Commands from the Electron shell's native menus, carried out like their shortcuts. */
import { onBeforeUnmount } from 'vue';
import type { MenuCommand } from '../api';
import { runCommand } from '../commands';
import { engine, hasEngine } from '../engine';
import { useSettingsStore } from '../stores/settings';
import { useViewsStore } from '../stores/views';

export function runMenuCommand(command: MenuCommand): void {
  const settings = useSettingsStore();
  const views = useViewsStore();
  switch (command) {
    case 'open-interfaces': runCommand('open-interfaces'); break;
    case 'start-capture': runCommand('start-capture'); break;
    case 'stop-capture': runCommand('stop-capture'); break;
    case 'save-as': runCommand('save-as'); break;
    case 'export': runCommand('export'); break;
    case 'find': runCommand('focus-filter'); break;
    case 'go-to-packet': runCommand('go-to-packet'); break;
    case 'toggle-theme': settings.toggleTheme(); break;
    case 'time-format-relative': settings.timeFormat = 'relative'; break;
    case 'time-format-absolute': settings.timeFormat = 'absolute'; break;
    case 'time-format-delta': settings.timeFormat = 'delta'; break;
    case 'view-conversations': views.show('conversations'); break;
    case 'view-statistics': views.show('statistics'); break;
    case 'view-sequence': views.show('sequence'); break;
    case 'view-follow': views.show('follow'); break;
    case 'zoom-in': runCommand('zoom-in'); break;
    case 'zoom-out': runCommand('zoom-out'); break;
    case 'zoom-reset': runCommand('zoom-reset'); break;
    case 'presentation': if (views.active !== 'present') views.show('present'); break;
    case 'about': break;
  }
}

export function useMenuCommands(): void {
  if (!hasEngine()) return;
  const off = engine().on('menu', ({ command }) => runMenuCommand(command));
  onBeforeUnmount(off);
}
