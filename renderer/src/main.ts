/**
 * Renderer entry: Pinia, vue-i18n, the engine connection (IPC in Electron, WebSocket in serve
 * mode), then the shell component. Views register themselves in views/index.ts.
 */
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { connectEngine } from './engine';
import { createAppI18n } from './i18n';
import { useSettingsStore } from './stores/settings';
import { useSessionStore } from './stores/session';
import { registerBuiltinViews } from './views';
import { installTeaching } from './teach/install';
import './styles/theme.css';
import './styles/packet-colors.css';

const client = connectEngine();
// The access token has done its job (the server set its cookie): keep it out of the address bar.
if (new URLSearchParams(window.location.search).has('token')) {
  window.history.replaceState(null, '', window.location.pathname);
}

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
const settings = useSettingsStore(pinia);
const i18n = createAppI18n(settings.locale);
app.use(i18n);
registerBuiltinViews();
installTeaching(i18n);
app.mount('#app');
void client;
void useSessionStore(pinia).start();
