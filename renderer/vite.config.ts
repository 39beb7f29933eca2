/**
 * Builds the renderer (Vue 3 + Pinia) into dist/renderer, where serve mode (src/cli/commands/
 * serve.ts) and the Electron shell (electron/main.ts, wirescope://app) load it from.
 * `base: './'` keeps asset URLs relative so the same build works under both origins.
 * No inline scripts are emitted: both shells send `script-src 'self'`.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  plugins: [vue()],
  define: {
    // Vue and vue-i18n feature flags (esm-bundler builds): Composition API only, no devtools.
    __VUE_OPTIONS_API__: 'false',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    __VUE_I18N_FULL_INSTALL__: 'false',
    __VUE_I18N_LEGACY_API__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
  },
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // The CSP forbids inline scripts: never inline the module preload polyfill.
    modulePreload: { polyfill: false },
    sourcemap: true,
    chunkSizeWarningLimit: 1024,
  },
  server: { fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] } },
});
