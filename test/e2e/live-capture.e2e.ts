/**
 * Live capture through the UI (serve mode): pick the loopback interface, set a capture filter,
 * start, send datagrams over loopback, see them arrive while the list follows them, stop, save as pcapng (a download).
 * Skipped, with the reason, where live capture is unavailable (no libpcap binding, not root).
 */
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, SCREENSHOTS, serveForTests } from './harness.js';

/** Sends `count` UDP datagrams over loopback to a listening socket (traffic to capture). */
async function udpTraffic(port: number, count: number): Promise<void> {
  const rx = createSocket('udp4');
  await new Promise<void>((r) => rx.bind(port, '127.0.0.1', () => r()));
  const tx = createSocket('udp4');
  for (let i = 0; i < count; i++) {
    await new Promise<void>((r) => tx.send(`wirescope e2e ${i}`, port, '127.0.0.1', () => r()));
    await new Promise((r) => setTimeout(r, 50));
  }
  tx.close();
  rx.close();
}
const app = serveForTests();

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

describe.skipIf(!isRoot)('live capture in the browser (needs root for CAP_NET_RAW)', () => {
  it('captures UDP datagrams on loopback, follows them, stops and saves a pcapng', async (ctx) => {
    const { page, problems } = await app.open();
    const start = page.getByTestId('capture-start');
    await start.waitFor();
    await page.getByTestId('status-bar').waitFor();
    await expect.poll(() => page.evaluate(() => document.title)).toBe('Wirescope');
    if (await start.isDisabled()) {
      ctx.skip(`live capture unavailable here: ${await start.getAttribute('title')}`);
      return;
    }
    await page.getByTestId('interface-picker').click();
    await page.locator('[data-iface="lo"]').click();
    const port = await freePort();
    await page.getByTestId('capture-filter').fill(`udp port ${port}`);
    await page.keyboard.press('Control+e');
    await expect.poll(() => page.getByTestId('status-capture').textContent(), { timeout: 20_000 }).toContain('Capturing on lo');
    await udpTraffic(port, 8);
    await expect.poll(() => page.locator('[data-testid="packet-row"][data-number]').count(), { timeout: 20_000 }).toBe(8);
    const protocols = await page.locator('[data-testid="packet-row"] .col-protocol').allTextContents();
    expect(new Set(protocols)).toEqual(new Set(['UDP']));
    await page.screenshot({ path: join(SCREENSHOTS, 'live-capture.png') });
    await page.keyboard.press('Control+e');
    await expect.poll(() => page.getByTestId('status-capture').textContent(), { timeout: 20_000 }).toContain('Capture stopped');
    expect(await page.getByTestId('status-file').textContent()).toContain('not saved');

    await page.getByTestId('export-menu').click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('menu').getByRole('button', { name: 'Save as pcapng' }).click(),
    ]);
    const bytes = readFileSync((await download.path())!);
    expect(bytes.readUInt32LE(0)).toBe(0x0a0d0d0a); // pcapng Section Header Block
    expect(problems.pageErrors).toEqual([]);
    expect(problems.dialogs).toEqual([]);
    await page.close();
  });
});
