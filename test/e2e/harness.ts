/**
 * End-to-end harness: a real `wirescope serve` process on a free loopback port (the built CLI,
 * as a user runs it) and Debian's Chromium driven by playwright-core, with a fresh profile.
 * Every page records console errors, dialogs (alert/confirm/prompt) and page errors, so a test
 * can assert that hostile packet content ran no script.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CHROMIUM = process.env.WIRESCOPE_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');

export function fixture(name: string): string {
  return join(ROOT, 'fixtures', name);
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

export interface ServeProcess {
  url: string;
  port: number;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `wirescope serve [file]` (the built CLI) and waits for the URL it prints. */
export async function startServe(file?: string): Promise<ServeProcess> {
  const port = await freePort();
  const args = [join(ROOT, 'bin', 'wirescope.js'), 'serve', ...(file ? [file] : []), '--port', String(port)];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`wirescope serve did not print its URL in 20 s:\n${out}`)), 20_000);
    const check = (): void => {
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`wirescope serve exited (${code}):\n${out}`));
    });
  });
  return {
    url,
    port,
    child,
    output: () => out,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
        setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 5000).unref();
      }),
  };
}

export interface BrowserSession {
  browser: Browser;
  context: BrowserContext;
  profile: string;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<BrowserSession> {
  const profile = mkdtempSync(join(tmpdir(), 'wirescope-e2e-profile-'));
  // A persistent context gives the fresh --user-data-dir; downloads are accepted.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1440, height: 900 },
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  return {
    browser: context.browser()!,
    context,
    profile,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface PageProblems {
  dialogs: string[];
  consoleErrors: string[];
  pageErrors: string[];
}

/** A new page that records dialogs, console errors and uncaught errors. */
export async function openPage(session: BrowserSession, url: string): Promise<{ page: Page; problems: PageProblems }> {
  const page = await session.context.newPage();
  const problems: PageProblems = { dialogs: [], consoleErrors: [], pageErrors: [] };
  page.on('dialog', (d) => {
    problems.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  page.on('console', (m) => {
    if (m.type() === 'error') problems.consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => problems.pageErrors.push(String(e)));
  await page.goto(url);
  return { page, problems };
}

/** What a test file's tests open pages of (see serveForTests). */
export interface ServedApp {
  /** A new page of the served app (openPage on its URL). */
  open(): Promise<{ page: Page; problems: PageProblems }>;
}

/**
 * One `wirescope serve` (on `file()` when given) and one Chromium for a test file's tests:
 * started before them, stopped after. `startTimeoutMs` for starts that prepare a big capture.
 */
export function serveForTests(file?: () => string | undefined, startTimeoutMs?: number): ServedApp {
  let server: ServeProcess | undefined;
  let browser: BrowserSession | undefined;
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    server = await startServe(file?.());
    browser = await launchBrowser();
  }, startTimeoutMs);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  return {
    open: () => {
      if (!server || !browser) throw new Error('the served app is not started (serveForTests runs before the tests)');
      return openPage(browser, server.url);
    },
  };
}
