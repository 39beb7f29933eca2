/**
 * End-to-end: the built renderer in Chromium against a real `wirescope serve` (issue 7).
 * Opens the fixtures through the UI (the server's command line, "open a file on the server",
 * and a browser upload), checks what a user sees, writes screenshots to
 * test-results/screenshots/, and measures how long a jump to the middle of a large capture
 * takes to show its rows.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { fixture, SCREENSHOTS, serveForTests, type PageProblems } from './harness.js';

const app = serveForTests(() => fixture('http-handshake.pcap'));

const row = (page: Page, n: number) => page.locator(`[data-testid="packet-row"][data-number="${n}"]`);
const info = (page: Page, n: number) => row(page, n).locator('.col-info');

/** The page with the command-line capture loaded. */
async function handshakePage(): Promise<{ page: Page; problems: PageProblems }> {
  const opened = await app.open();
  await row(opened.page, 10).waitFor();
  return opened;
}

/** Opens a capture by its path on the server (toolbar: Recent ▸ Open a file on the server). */
async function openServerPath(page: Page, path: string): Promise<void> {
  await page.getByTestId('recent').click();
  await page.getByTestId('server-path').fill(path);
  await page.getByTestId('server-path').press('Enter');
  await page.locator('[data-testid="status-file"]', { hasText: path.split('/').pop()! }).waitFor();
}

async function expectNoProblems(page: Page, problems: PageProblems): Promise<void> {
  expect(problems.dialogs).toEqual([]);
  expect(problems.pageErrors).toEqual([]);
  expect(problems.consoleErrors).toEqual([]);
  expect(await page.getByTestId('message').count()).toBe(0);
}

describe('wirescope serve in Chromium', () => {
  it('shows the three handshake packets of the fixture named on the command line', async () => {
    const { page, problems } = await handshakePage();
    await expect.poll(() => info(page, 1).textContent()).toContain('[SYN]');
    expect(await info(page, 2).textContent()).toContain('[SYN, ACK]');
    expect(await info(page, 3).textContent()).toContain('[ACK]');
    expect(await row(page, 1).locator('.col-protocol').textContent()).toBe('TCP');
    await expect.poll(() => page.getByTestId('status-counts').textContent()).toContain('10 shown of 10');
    expect(await page.getByTestId('status-file').textContent()).toContain('http-handshake.pcap');

    // The main window, light and dark: an HTTP request selected, its layers open.
    await row(page, 4).click();
    await page.locator('[data-testid="detail-line"][data-field="http"]').waitFor();
    await page.locator('[data-testid="detail-line"][data-field="http"] .twisty').click();
    await page.locator('[data-testid="detail-line"][data-field="tcp"] .twisty').click();
    await page.screenshot({ path: join(SCREENSHOTS, 'main-light.png') });
    await page.getByTestId('theme-toggle').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.screenshot({ path: join(SCREENSHOTS, 'main-dark.png') });
    await page.getByTestId('theme-toggle').click();
    await expectNoProblems(page, problems);
    await page.close();
  });

  it('draws the handshake as a sequence diagram with SYN / SYN, ACK / ACK and the states', async () => {
    const { page, problems } = await handshakePage();
    await row(page, 1).click({ button: 'right' });
    await page.getByTestId('row-menu-sequence').click();
    const arrow = (n: number) => page.locator(`[data-testid="sequence-arrow"][data-frame="${n}"]`);
    await arrow(1).waitFor();
    expect(await arrow(1).textContent()).toContain('SYN');
    expect(await arrow(2).textContent()).toContain('SYN, ACK');
    const title = (n: number) => arrow(n).getByTestId('arrow-title').textContent();
    expect(await title(1)).toBe('SYN');
    expect(await title(2)).toBe('SYN, ACK');
    expect(await title(3)).toBe('ACK');
    const states = (n: number) => arrow(n).locator('[data-testid="sequence-state"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));
    expect(await states(1)).toEqual(['SYN_SENT', 'SYN_RECEIVED']);
    expect(await states(2)).toEqual(['ESTABLISHED', 'SYN_RECEIVED']);
    expect(await states(3)).toEqual(['ESTABLISHED', 'ESTABLISHED']);
    expect(await page.locator('[data-testid="sequence-initial-state"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-state')))).toEqual(['CLOSED', 'LISTEN']);

    // Click an arrow: its packet is selected (details beside the diagram), and in the list.
    await arrow(2).click();
    await page.locator('[data-testid="sequence-view"] [data-testid="detail-line"][data-field="tcp"]').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'sequence-diagram.png') });
    await page.getByTestId('show-in-list').click();
    await expect.poll(() => row(page, 2).getAttribute('aria-selected')).toBe('true');

    // Export SVG: a standalone file with the same arrows.
    await page.locator('[data-view="sequence"]').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-svg').click()]);
    expect(download.suggestedFilename()).toMatch(/\.svg$/);
    const svg = readFileSync((await download.path())!, 'utf8');
    expect(svg).toMatch(/^<\?xml/);
    expect(svg).toContain('<svg');
    expect(svg).toContain('SYN, ACK');
    expect(svg).toContain('ESTABLISHED');
    expect(svg).not.toContain('data-v-');
    await download.saveAs(join(SCREENSHOTS, '..', 'sequence-export.svg'));
    const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-png').click()]);
    expect(png.suggestedFilename()).toMatch(/\.png$/);
    const pngBytes = readFileSync((await png.path())!);
    expect([...pngBytes.subarray(1, 4)].map((b) => String.fromCharCode(b)).join('')).toBe('PNG');
    await expectNoProblems(page, problems);
    await page.close();
  });

  it('says what is wrong with a bad display filter, under the bar', async () => {
    const { page, problems } = await handshakePage();
    await page.keyboard.press('/');
    await page.keyboard.type('tcp.port == ');
    const error = page.getByTestId('filter-error');
    await error.waitFor();
    expect(await page.getByTestId('filter-input').getAttribute('data-state')).toBe('invalid');
    expect((await error.textContent())!.length).toBeGreaterThan(10);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('status-counts').textContent()).toContain('10 shown of 10');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('filter-error').count()).toBe(0);

    // Export all packets as pcapng: serve mode hands the file over as a download.
    await page.getByTestId('export-menu').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-all').click()]);
    const bytes = readFileSync((await download.path())!);
    expect(bytes.readUInt32LE(0)).toBe(0x0a0d0d0a);
    await expectNoProblems(page, problems);
    await page.close();
  });

  it('tcp.analysis.retransmission on the lossy capture shows only flagged packets', async () => {
    const { page, problems } = await handshakePage();
    await openServerPath(page, fixture('http-bulk-lossy.pcap'));
    await expect.poll(() => page.getByTestId('status-counts').textContent(), { timeout: 30_000 }).toMatch(/1,463 shown of 1,463/);
    await row(page, 1).locator('.col-info').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'main-lossy-light.png') });
    await page.getByTestId('filter-input').fill('tcp.analysis.retransmission');
    await page.getByTestId('filter-input').press('Enter');
    await expect.poll(() => page.getByTestId('filter-applied').count()).toBe(1);
    const counts = await page.getByTestId('status-counts').textContent();
    const shown = Number(/([\d,]+) shown/.exec(counts!)![1].replace(/,/g, ''));
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(1463);
    const rows = page.locator('[data-testid="packet-row"][data-number]');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(Math.min(shown, 10));
    const infos = await rows.locator('.col-info').allTextContents();
    expect(infos.length).toBeGreaterThan(0);
    for (const text of infos) expect(text).toMatch(/\[TCP (Fast |Spurious )?Retransmission\]/);
    // Each row is colored as Wireshark's "Bad TCP".
    const classes = await rows.evaluateAll((els) => els.map((e) => e.className));
    for (const c of classes) expect(c).toContain('pkt-color-bad-tcp');
    await page.screenshot({ path: join(SCREENSHOTS, 'retransmissions-light.png') });
    await page.getByTestId('theme-toggle').click();
    await page.screenshot({ path: join(SCREENSHOTS, 'retransmissions-dark.png') });
    await page.getByTestId('filter-input').press('Escape');
    await expect.poll(() => page.getByTestId('status-counts').textContent()).toMatch(/1,463 shown of 1,463/);
    await row(page, 1).locator('.col-info').waitFor();
    // Ctrl+G to the first "Bad TCP" packet, then open its TCP layer.
    await page.keyboard.press('Control+g');
    await page.getByTestId('goto-input').fill('51');
    await page.getByTestId('goto-input').press('Enter');
    await expect.poll(() => row(page, 51).getAttribute('aria-selected')).toBe('true');
    await page.locator('[data-testid="detail-line"][data-field="tcp"] .twisty').click();
    await page.screenshot({ path: join(SCREENSHOTS, 'main-lossy-dark.png') });
    await page.getByTestId('theme-toggle').click();

    // Conversations: the lossy download's flags are counted; its diagram opens from the row.
    await page.locator('[data-view="conversations"]').click();
    const conv = page.getByTestId('conversation-row');
    await conv.first().waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'conversations.png') });
    await page.locator('[data-view="statistics"]').click();
    await page.getByTestId('protocol-hierarchy').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'statistics.png') });
    await page.locator('[data-view="conversations"]').click();
    await conv.first().getByTestId('conv-diagram').click();
    await page.locator('[data-testid="sequence-arrow"][data-kind="retransmission"]').first().waitFor({ timeout: 60_000 });
    await page.screenshot({ path: join(SCREENSHOTS, 'sequence-lossy.png') });
    await expectNoProblems(page, problems);
    await page.close();
  });

  it('highlights the bytes of a clicked field', async () => {
    const { page, problems } = await handshakePage();
    await row(page, 1).click();
    const ip = page.locator('[data-testid="detail-line"][data-field="ip"]');
    await ip.locator('.twisty').click();
    await page.locator('[data-testid="detail-line"][data-field="ip.dst"]').click();
    const hl = page.locator('[data-testid="hex-byte"].hl');
    await expect.poll(() => hl.count()).toBe(4);
    // Ethernet (14) + IPv4 header offset 16: the destination address is bytes 30..33.
    expect(await hl.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-offset'))))).toEqual([30, 31, 32, 33]);
    expect(await hl.allTextContents()).toEqual(['c0', '00', '02', '02']);
    // And the other way: a byte of the TCP flags selects the flags field.
    await page.locator('[data-testid="hex-byte"][data-offset="47"]').click();
    await expect.poll(() => page.locator('[data-testid="detail-line"][aria-selected="true"]').getAttribute('data-field')).toMatch(/^tcp\.flags/);
    await expectNoProblems(page, problems);
    await page.close();
  });

  it('follows the HTTP stream: the request and the response', async () => {
    const { page, problems } = await handshakePage();
    await row(page, 4).click({ button: 'right' });
    await page.getByTestId('row-menu-follow').click();
    const chunk = page.getByTestId('follow-chunk');
    await chunk.first().waitFor();
    expect(await page.locator('[data-testid="follow-chunk"].client').first().textContent()).toMatch(/^GET \/index\.html HTTP\/1\.1/);
    expect(await page.locator('[data-testid="follow-chunk"].server').first().textContent()).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(await page.getByTestId('follow-http-separator').count()).toBe(2);
    await page.getByTestId('follow-search').fill('html');
    await expect.poll(() => page.getByTestId('follow-match-count').textContent()).toMatch(/^1 of \d+/);
    await page.screenshot({ path: join(SCREENSHOTS, 'follow-stream.png') });
    await page.getByTestId('theme-toggle').click();
    await page.screenshot({ path: join(SCREENSHOTS, 'follow-stream-dark.png') });
    await page.getByTestId('theme-toggle').click();
    await expectNoProblems(page, problems);
    await page.close();
  });

  it('shows hostile packet content as text and runs none of it', async () => {
    const { page, problems } = await handshakePage();
    const before = await page.evaluate(() => ({
      scripts: document.querySelectorAll('script').length,
      imgs: document.querySelectorAll('img').length,
    }));
    // Upload through the page, as a user picking a file does in serve mode.
    await page.getByTestId('file-input').setInputFiles(fixture('hostile.pcap'));
    await page.locator('[data-testid="status-file"]', { hasText: 'hostile.pcap' }).waitFor();
    await row(page, 20).waitFor();
    expect(await info(page, 4).textContent()).toContain('GET /search?q=<script>alert(1)</script>');
    expect(await info(page, 13).textContent()).toContain('<script>alert(1)</script>.example.com');
    expect(await info(page, 15).textContent()).toContain('<img src=x onerror=alert(1)>.example.com');
    expect(await info(page, 17).textContent()).toContain('"><svg onload=alert(1)>');
    await page.screenshot({ path: join(SCREENSHOTS, 'hostile.png') });

    // Details of the DNS query with the hostile name, fully expanded.
    await row(page, 15).click();
    await page.locator('[data-testid="detail-line"][data-field="dns"]').click({ button: 'right' });
    await page.getByRole('button', { name: 'Expand subtree' }).click();
    await expect.poll(() => page.locator('[data-testid="packet-details"]').textContent()).toContain('<img src=x onerror=alert(1)>');
    // Follow the HTTP stream with the hostile headers.
    await row(page, 4).click({ button: 'right' });
    await page.getByTestId('row-menu-follow').click();
    await expect.poll(() => page.getByTestId('follow-content').textContent()).toContain('User-Agent: <script>alert(1)</script>');
    // The DNS exchange as a diagram (from a display filter).
    await page.locator('[data-view="packets"]').click();
    await page.getByTestId('filter-input').fill('dns');
    await page.getByTestId('filter-input').press('Enter');
    await expect.poll(() => page.getByTestId('filter-applied').count()).toBe(1);
    await page.locator('[data-view="sequence"]').click();
    await page.getByTestId('sequence-from-filter').click();
    await expect.poll(() => page.getByTestId('sequence-svg').textContent()).toContain('<svg onload=alert(1)>');
    await page.waitForTimeout(300);

    const after = await page.evaluate(() => ({
      scripts: document.querySelectorAll('script').length,
      imgs: document.querySelectorAll('img').length,
      injected: document.querySelectorAll('[onerror], [onload], svg svg, iframe, object, embed').length,
    }));
    expect(after.scripts).toBe(before.scripts);
    expect(after.imgs).toBe(before.imgs);
    expect(after.injected).toBe(0);
    await expectNoProblems(page, problems);
    await page.close();
  });
});
