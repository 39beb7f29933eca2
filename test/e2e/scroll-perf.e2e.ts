/**
 * Scrolling a large capture stays responsive (issue 7): a generated bench capture (50 MB by
 * default; WIRESCOPE_E2E_BENCH_MB to change) is opened in serve mode, then the list jumps to
 * the middle (and other far places) and we measure, in the page, the time from the jump to the
 * first frame where every row in view shows its packet. The figures are printed; the test
 * fails only when a jump takes longer than a user would accept (2 s).
 */
import { describe, expect, it } from 'vitest';
import { ensureBenchCapture } from '../../scripts/bench/generate.js';
import { serveForTests } from './harness.js';

const MB = Number(process.env.WIRESCOPE_E2E_BENCH_MB ?? 50);

let packets = 0;
const app = serveForTests(() => {
  const bench = ensureBenchCapture({ targetBytes: MB * 1e6 });
  packets = bench.packets;
  return bench.path;
}, 600_000);

describe('scrolling a large capture', () => {
  it('renders a new window of rows quickly after a jump to the middle', async () => {
    const { page, problems } = await app.open();
    const loadStart = Date.now();
    // Rows are served while the file loads; wait for the whole file so the jump is anywhere.
    const all = packets.toLocaleString('en-US');
    await expect
      .poll(() => page.getByTestId('status-counts').textContent(), { timeout: 300_000, interval: 100 })
      .toContain(`${all} shown of ${all}`);
    const loadMs = Date.now() - loadStart;
    await page.getByTestId('status-progress').waitFor({ state: 'detached' });
    await page.locator(`[data-testid="packet-row"][data-number="1"] .col-info`).waitFor();

    /** In the page: scroll the list to a fraction of its height, time until the rows in view are filled. */
    const jump = (fraction: number) =>
      page.evaluate(async (f) => {
        const list = document.querySelector<HTMLElement>('[data-testid="packet-list"]')!;
        const filled = (): boolean => {
          const box = list.getBoundingClientRect();
          const rows = [...list.querySelectorAll<HTMLElement>('[data-testid="packet-row"]')].filter((r) => {
            const b = r.getBoundingClientRect();
            return b.bottom > box.top + 26 && b.top < box.bottom;
          });
          return rows.length > 5 && rows.every((r) => r.dataset.number && r.querySelector('.col-info'));
        };
        const t0 = performance.now();
        list.scrollTop = (list.scrollHeight - list.clientHeight) * f;
        return new Promise<{ ms: number; first: number }>((resolve) => {
          const check = (): void => {
            if (filled()) {
              const first = list.querySelector<HTMLElement>('[data-testid="packet-row"][data-number]');
              resolve({ ms: performance.now() - t0, first: Number(first?.dataset.number ?? 0) });
            } else if (performance.now() - t0 > 10_000) resolve({ ms: Infinity, first: 0 });
            else requestAnimationFrame(check);
          };
          requestAnimationFrame(check);
        });
      }, fraction);

    const middle = await jump(0.5);
    const others = [await jump(0.9), await jump(0.1), await jump(0.73), await jump(0.5001)];
    // Keyboard: Ctrl+G to the packet in the middle.
    const target = Math.floor(packets / 2) + 17;
    const t0 = Date.now();
    await page.locator('[data-testid="packet-list"]').focus();
    await page.keyboard.press('Control+g');
    await page.getByTestId('goto-input').fill(String(target));
    await page.getByTestId('goto-input').press('Enter');
    await page.locator(`[data-testid="packet-row"][data-number="${target}"][aria-selected="true"] .col-info`).waitFor();
    const gotoMs = Date.now() - t0;
    // Scrolling with the keyboard from there stays in step.
    const k0 = Date.now();
    for (let i = 0; i < 5; i++) await page.keyboard.press('PageDown');
    await page.locator('[data-testid="packet-row"][aria-selected="true"] .col-info').waitFor();
    const pageDownMs = (Date.now() - k0) / 5;

    const times = [middle, ...others].map((j) => j.ms);
    console.log(
      `[scroll-perf] ${MB} MB bench capture, ${packets.toLocaleString('en-US')} packets, loaded in ${loadMs} ms. ` +
        `Jump to the middle: rows in view after ${middle.ms.toFixed(1)} ms (first row #${middle.first}); ` +
        `other jumps ${others.map((j) => j.ms.toFixed(1)).join(' / ')} ms; ` +
        `Ctrl+G to #${target}: ${gotoMs} ms (incl. typing); PageDown: ${pageDownMs.toFixed(0)} ms each.`,
    );
    expect(middle.first).toBeGreaterThan(packets * 0.4);
    expect(Math.max(...times)).toBeLessThan(2000);
    expect(problems.pageErrors).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
    await page.close();
  });
});
