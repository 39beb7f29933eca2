/**
 * End-to-end tests (npm run test:e2e, after npm run build): Chromium against a real
 * `wirescope serve`. One file at a time: each starts its own server and browser.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    root: new URL('../..', import.meta.url).pathname,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
