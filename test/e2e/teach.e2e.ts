/**
 * End-to-end: teaching mode in Chromium against a real `wirescope serve` (issue 8). Presents
 * the handshake fixture from the Conversations view, steps through it with the keyboard,
 * checks each side's state and the notes on screen against tshark's goldens, switches the
 * whole UI to Simplified Chinese and the theme, opens a "Why?" answer, exports the step list,
 * and writes screenshots of three steps (light/dark, English/Chinese, 1920×1080 and 1280×720)
 * to test-results/screenshots/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { fixture, ROOT, SCREENSHOTS, serveForTests } from './harness.js';

const app = serveForTests(() => fixture('http-handshake.pcap'));

/** tshark's value of `field` on `frame` (dissect golden: one line per frame). */
function golden(field: string, frame: number): string {
  const [head, ...lines] = readFileSync(join(ROOT, 'fixtures', 'golden', 'http-handshake.dissect.tsv'), 'utf8').split('\n');
  return lines[frame - 1].split('\t')[head.split('\t').indexOf(field)];
}

const note = (page: Page) => page.getByTestId('present-note').textContent();
const count = (page: Page) => page.getByTestId('present-count').textContent();
const states = (page: Page) => page.getByTestId('present-state').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-role')}=${e.textContent}`));
const fields = (page: Page) => page.getByTestId('present-field').evaluateAll((els) => els.map((e) => e.getAttribute('data-field')));

async function shot(page: Page, name: string, width: number, height: number): Promise<void> {
  await page.setViewportSize({ width, height });
  await page.waitForTimeout(150);
  await page.screenshot({ path: join(SCREENSHOTS, name) });
}

describe('teaching mode', () => {
  it('presents the handshake step by step with states, notes, highlighted fields, both languages and themes', async () => {
    const { page, problems } = await app.open();
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.locator('[data-testid="packet-row"][data-number="10"]').waitFor();
    if ((await page.evaluate(() => document.documentElement.dataset.theme)) === 'dark') await page.getByTestId('theme-toggle').click();

    // Conversations ▸ stream 0 ▸ Present: the full window view, no toolbar or tabs.
    await page.locator('[data-view="conversations"]').click();
    await page.getByTestId('conv-present').first().click();
    await page.getByTestId('present-view').waitFor();
    expect(await page.getByTestId('filter-input').count()).toBe(0);
    await expect.poll(() => count(page)).toBe('Step 1 of 10');

    // Step 1: SYN. The ISN as tshark reads it, MSS, the client SYN_SENT.
    const clientIsn = golden('tcp.seq_raw', 1);
    await expect.poll(() => note(page)).toContain(`Client → server: SYN. The client picks its initial sequence number 0 (relative; raw ${clientIsn}).`);
    expect(await note(page)).toContain(`MSS ${golden('tcp.options.mss_val', 1)}`);
    expect(await note(page)).toContain('The client is now SYN_SENT');
    expect(await states(page)).toEqual(['client=SYN_SENT', 'server=SYN_RECEIVED']);
    await expect.poll(() => fields(page)).toEqual(expect.arrayContaining(['tcp.seq', 'tcp.seq_raw', 'tcp.options.mss_val', 'tcp.options.wscale.shift']));
    expect(await page.getByTestId('present-arrow').count()).toBe(1);
    await shot(page, 'present-step1-light-en-1920.png', 1920, 1080);

    // → Step 2: SYN-ACK acknowledges ISN + 1. The diagram has grown by one arrow.
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => count(page)).toBe('Step 2 of 10');
    expect(await note(page)).toContain(`Server ACKs 1 = client ISN + 1: the SYN itself counts as one byte (raw ${clientIsn} + 1 = ${golden('tcp.ack_raw', 2)})`);
    expect(Number(golden('tcp.ack_raw', 2))).toBe(Number(clientIsn) + 1);
    expect(await states(page)).toEqual(['client=ESTABLISHED', 'server=SYN_RECEIVED']);
    expect(await page.getByTestId('present-arrow').count()).toBe(2);
    await expect.poll(() => fields(page)).toEqual(expect.arrayContaining(['tcp.ack', 'tcp.ack_raw']));
    expect(await page.getByTestId('present-gap').textContent()).toContain('+49 µs');

    // Space → step 3: the third ACK; both ESTABLISHED. Dark theme.
    await page.keyboard.press(' ');
    await expect.poll(() => count(page)).toBe('Step 3 of 10');
    expect(await note(page)).toContain('Third step of the three-way handshake');
    expect(await note(page)).toContain(`raw ${golden('tcp.seq_raw', 2)} + 1 = ${golden('tcp.ack_raw', 3)}`);
    expect(await states(page)).toEqual(['client=ESTABLISHED', 'server=ESTABLISHED']);
    await page.getByTestId('present-theme').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.locator('[data-testid="present-why"][data-why="three-way"] summary').click();
    const whyText = await page.locator('[data-testid="present-why"][data-why="three-way"]').textContent();
    expect(whyText).toContain(`ack ${golden('tcp.ack_raw', 3)} in frame 3`);
    await shot(page, 'present-step3-dark-en-1920.png', 1920, 1080);

    // End / Home / ← at the start.
    await page.keyboard.press('End');
    await expect.poll(() => count(page)).toBe('Step 10 of 10');
    expect(await states(page)).toEqual(['client=TIME_WAIT', 'server=CLOSED']);
    expect(await page.getByTestId('present-arrow').count()).toBe(10);
    await page.keyboard.press('Home');
    await expect.poll(() => count(page)).toBe('Step 1 of 10');
    await page.keyboard.press('ArrowLeft');
    expect(await count(page)).toBe('Step 1 of 10');

    // 简体中文: the whole UI switches; the same numbers in the Chinese notes.
    await page.getByTestId('present-locale').selectOption('zh-CN');
    await expect.poll(() => count(page)).toBe('第 1 步，共 10 步');
    expect(await note(page)).toContain(`客户端 → 服务器：SYN。客户端选定初始序列号（ISN）0（相对值；原始值 ${clientIsn}）`);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => note(page)).toContain(`服务器的确认号 1 = 客户端的 ISN + 1：SYN 本身占用一个序号（原始值 ${clientIsn} + 1 = ${golden('tcp.ack_raw', 2)}）`);
    await shot(page, 'present-step2-dark-zh-1920.png', 1920, 1080);
    await page.getByTestId('present-theme').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    // Step 9: the server's FIN+ACK — a three-way close, TIME_WAIT explained, the "Why four?" answer open.
    for (let i = 0; i < 7; i++) await page.keyboard.press('ArrowRight');
    await expect.poll(() => count(page)).toBe('第 9 步，共 10 步');
    expect(await note(page)).toContain('三次挥手');
    expect(await note(page)).toContain('TIME_WAIT：先关闭的一方（客户端）要等待 2·MSL');
    expect(await states(page)).toEqual(['client=TIME_WAIT', 'server=LAST_ACK']);
    await page.locator('[data-testid="present-why"][data-why="four-way"] summary').click();
    await shot(page, 'present-step9-light-zh-1280.png', 1280, 720);
    await shot(page, 'present-step9-light-zh-1920.png', 1920, 1080);

    // Export the annotated diagram (SVG with the Chinese notes; PNG drawn by the browser).
    await page.getByTestId('present-export').click();
    const [svgDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('present-export-svg').click()]);
    const svg = readFileSync((await svgDownload.path())!, 'utf8');
    expect(svg).toContain('<svg');
    expect(svg).toContain('>讲解<');
    expect(svg).toContain(`原始值 ${clientIsn}`);
    await page.getByTestId('present-export').click();
    const [pngDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('present-export-png').click()]);
    const png = readFileSync((await pngDownload.path())!);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    mkdirSync(join(ROOT, 'test-results', 'exports'), { recursive: true });
    await pngDownload.saveAs(join(ROOT, 'test-results', 'exports', 'lesson-handshake.zh-CN.png'));

    // Export the step list (Markdown, Chinese).
    await page.getByTestId('present-export').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('present-export-md').click()]);
    const md = readFileSync((await download.path())!, 'utf8');
    expect(md).toContain('## 第 1 步：帧 1，SYN');
    expect(md).toContain(`原始值 ${clientIsn}`);

    // Esc leaves to where Present was pressed; the rest of the UI is Chinese too.
    await page.keyboard.press('Escape');
    await page.getByTestId('present-view').waitFor({ state: 'detached' });
    expect(await page.locator('[data-view="packets"]').textContent()).toContain('数据包');
    await page.locator('[data-view="packets"]').click();
    await page.locator('[data-testid="packet-row"][data-number="2"]').click();
    await shot(page, 'main-zh-1280.png', 1280, 720);
    await page.getByTestId('locale').selectOption('en');

    expect(problems.pageErrors).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
    expect(problems.dialogs).toEqual([]);
    await page.close();
  });

  it('autoplay advances on its own at the chosen speed and stops at the last step', async () => {
    const { page, problems } = await app.open();
    await page.locator('[data-testid="packet-row"][data-number="10"]').waitFor();
    await page.locator('[data-view="conversations"]').click();
    await page.getByTestId('conv-present').first().click();
    await expect.poll(() => count(page)).toBe('Step 1 of 10');
    await page.getByTestId('present-speed').selectOption('0.5');
    await page.keyboard.press('p');
    await expect.poll(() => count(page), { timeout: 10_000 }).toBe('Step 10 of 10');
    await expect.poll(() => page.getByTestId('present-play').getAttribute('aria-pressed')).toBe('false');
    expect(problems.pageErrors).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
    await page.close();
  });
});

describe('teaching mode on a lossy download', () => {
  it('explains duplicate ACKs and the fast retransmission they trigger', async () => {
    const { page, problems } = await app.open();
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.locator('[data-testid="packet-row"][data-number="10"]').waitFor();
    await page.getByTestId('recent').click();
    await page.getByTestId('server-path').fill(fixture('http-bulk-lossy.pcap'));
    await page.getByTestId('server-path').press('Enter');
    await page.locator('[data-testid="status-file"]', { hasText: 'http-bulk-lossy.pcap' }).waitFor();
    await page.locator('[data-view="conversations"]').click();
    await page.getByTestId('conv-present').first().click();
    // Presented at once, perhaps while the file still loads: the lesson ends up with the whole stream.
    await expect.poll(() => count(page), { timeout: 20_000 }).toBe('Step 1 of 1038');
    // Step forward until the third duplicate ACK (the first one in this capture).
    for (let i = 0; i < 400 && !(await note(page))?.includes('Third duplicate ACK'); i++) await page.keyboard.press('ArrowRight');
    const text = (await note(page))!;
    expect(text).toMatch(/Third duplicate ACK for (\d+): the client is still missing that segment; the server will fast-retransmit\./);
    expect(await page.getByTestId('present-arrow').last().textContent()).toContain('TCP Dup ACK');
    await expect.poll(() => fields(page)).toEqual(expect.arrayContaining(['tcp.ack', 'tcp.analysis.duplicate_ack_num']));
    await page.locator('[data-testid="present-why"][data-why="dup-ack"] summary').click();
    await shot(page, 'present-dupack-light-en-1920.png', 1920, 1080);
    expect(problems.pageErrors).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
    await page.close();
  });
});

describe('teaching mode for DNS and ARP exchanges (the #/present route)', () => {
  async function openFile(page: Page, name: string): Promise<void> {
    await page.locator('[data-testid="packet-row"][data-number="10"]').waitFor();
    await page.getByTestId('recent').click();
    await page.getByTestId('server-path').fill(fixture(name));
    await page.getByTestId('server-path').press('Enter');
    await page.locator('[data-testid="status-file"]', { hasText: name }).waitFor();
  }

  it('presents an ARP exchange from a display filter: broadcast request, unicast reply, in English', async () => {
    const { page, problems } = await app.open();
    await page.setViewportSize({ width: 1280, height: 720 });
    await openFile(page, 'arp.pcap');
    await page.evaluate(() => (window.location.hash = '#/present?filter=arp'));
    await expect.poll(() => count(page), { timeout: 20_000 }).toBe('Step 1 of 9');
    await expect.poll(() => note(page)).toContain('ARP request, broadcast to every host on the link: “Who has 192.0.2.2? Tell 192.0.2.1.”');
    await expect.poll(() => fields(page)).toEqual(expect.arrayContaining(['arp.opcode', 'eth.dst', 'arp.dst.proto_ipv4']));
    expect(await page.locator('[data-testid="present-why"][data-why="arp-broadcast"]').count()).toBe(1);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => note(page)).toContain('ARP reply, sent only to the asker: “192.0.2.2 is at 00:00:5e:00:53:02.” The answer to frame 1');
    await shot(page, 'present-arp-light-en-1280.png', 1280, 720);
    await page.keyboard.press('Escape');
    await page.getByTestId('present-view').waitFor({ state: 'detached' });
    expect(await page.evaluate(() => window.location.hash)).toBe('');
    expect(problems.pageErrors).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
    await page.close();
  });

  it('presents a DNS lookup that fails with NXDOMAIN, in Chinese', async () => {
    const { page, problems } = await app.open();
    await page.setViewportSize({ width: 1920, height: 1080 });
    await openFile(page, 'dns-udp.pcap');
    await page.getByTestId('locale').selectOption('zh-CN');
    await page.evaluate(() => (window.location.hash = `#/present?filter=${encodeURIComponent('dns.id == 0xb158')}`));
    await expect.poll(() => count(page), { timeout: 20_000 }).toBe('第 1 步，共 2 步');
    await expect.poll(() => note(page)).toContain('DNS 查询 0xb158，经 UDP 端口 53：nope.example.com 的 A 记录是什么？期望递归（RD = 1）');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => note(page)).toContain('NXDOMAIN（响应码 3）：域名 nope.example.com 不存在。');
    expect(await note(page)).toContain('可以递归（RA = 1）');
    await page.locator('[data-testid="present-why"][data-why="dns-recursion"] summary').click();
    await page.getByTestId('present-theme').click();
    await shot(page, 'present-dns-dark-zh-1920.png', 1920, 1080);
    await page.getByTestId('present-theme').click();
    await page.keyboard.press('Escape');
    await page.getByTestId('locale').selectOption('en');
    expect(problems.pageErrors).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
    await page.close();
  });

  it('presents the display filter’s ICMP packets from the sequence diagram view: TTL, time exceeded, port unreachable', async () => {
    const { page, problems } = await app.open();
    await page.setViewportSize({ width: 1280, height: 720 });
    await openFile(page, 'ping.pcap');
    await page.getByTestId('filter-input').fill('icmp');
    await page.getByTestId('filter-input').press('Enter');
    await expect.poll(() => page.getByTestId('status-counts').textContent()).toContain('shown of 23');
    await page.locator('[data-view="sequence"]').click();
    await page.getByTestId('sequence-from-filter').click();
    await page.locator('[data-testid="sequence-arrow"]').first().waitFor();
    await page.getByTestId('present').click();
    await expect.poll(() => count(page), { timeout: 20_000 }).toMatch(/^Step 1 of \d+$/);
    await expect.poll(() => note(page)).toContain('ping, ICMP echo request (type 8), identifier 24765, sequence 1. TTL 64');
    for (let i = 0; i < 30 && !(await note(page))?.includes('time exceeded (type 11)'); i++) await page.keyboard.press('ArrowRight');
    expect(await note(page)).toContain('192.0.2.2 → 192.0.2.1: ICMP time exceeded (type 11): the router 192.0.2.2 dropped a packet for 198.51.100.2 whose TTL reached 0.');
    await page.getByTestId('present-theme').click();
    await shot(page, 'present-icmp-ttl-dark-en-1280.png', 1280, 720);
    await page.getByTestId('present-theme').click();
    await page.keyboard.press('Escape');
    await page.getByTestId('sequence-view').waitFor();
    expect(problems.pageErrors).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
    await page.close();
  });
});
