import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { epoch, inkedPixels, openPage, shoot, siteUrl, text, useBrowser, waitForEpoch } from './pageHelpers';

// Issue 5 at scale: PubMed's 19,717 nodes and 44,324 edges on the canvas, and a page that never
// freezes while the layout moves and a model trains (Cora, then PubMed).
//
// The bound on a main-thread task is generous on purpose. On the 2-core test machine (WebGPU on
// SwiftShader, the training worker and other processes sharing the cores; load average ~10), the
// longest tasks measured with this test were 95-122 ms while Cora trains and 160-210 ms while
// PubMed's layout moves (a tick of ~10-20 ms and ~6 ms of drawing a frame, stretched when the
// cores are taken). Before src/ui/graphScene.ts was reworked, the same test measured 300 ms for
// Cora and 1,200 ms for PubMed. With more processes on the cores a CI run measured 331 ms (Cora
// training) and 544 ms (PubMed loading), so this asserts only what a person calls a frozen page
// (two seconds without a frame); the frame budgets themselves are measured and printed here, and
// speed goals live in `npm run bench`, not in tests.
const LONGEST_TASK_MS = 2000;

const browser = useBrowser();

/** Records every main-thread task over 50 ms (PerformanceObserver 'longtask') and rAF gaps. */
async function watchMainThread(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { longTasks: number[]; frameGaps: number[] };
    w.longTasks = [];
    w.frameGaps = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.longTasks.push(e.duration);
    }).observe({ type: 'longtask' });
    let last = performance.now();
    const frame = (t: number) => {
      w.frameGaps.push(t - last);
      last = t;
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
}

interface Phase {
  /** Tasks over 50 ms and the longest one, ms. */
  readonly longTasks: number;
  readonly longest: number;
  /** Frames painted and the longest gap between two, ms. */
  readonly frames: number;
  readonly longestGap: number;
}

/** What was recorded since the last call (printed under `name`), and a fresh start. */
async function phase(page: Page, name: string): Promise<Phase> {
  const p = await page.evaluate(() => {
    const w = window as unknown as { longTasks: number[]; frameGaps: number[] };
    const tasks = w.longTasks.splice(0), gaps = w.frameGaps.splice(0);
    return {
      longTasks: tasks.length,
      longest: Math.round(Math.max(0, ...tasks)),
      frames: gaps.length,
      longestGap: Math.round(Math.max(0, ...gaps)),
    };
  });
  console.log(`main thread, ${name}: ${p.longTasks} tasks over 50 ms, longest ${p.longest} ms; ${p.frames} frames, longest gap ${p.longestGap} ms`);
  return p;
}

/** A cheap fingerprint of the canvas's pixels. */
async function canvasPrint(page: Page): Promise<number> {
  return page.getByTestId('graph-canvas').evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let h = 0;
    for (let i = 0; i < d.length; i += 3) h = (Math.imul(h, 31) + d[i]!) | 0;
    return h;
  });
}

/** Resolves once the canvas has not changed for a second (the layout has settled, edges drawn). */
async function waitForStillCanvas(page: Page, timeout = 120_000): Promise<void> {
  const until = Date.now() + timeout;
  let before = await canvasPrint(page);
  for (;;) {
    await page.waitForTimeout(1000);
    const now = await canvasPrint(page);
    if (now === before) return;
    if (Date.now() > until) throw new Error(`the canvas was still changing after ${timeout} ms`);
    before = now;
  }
}

describe('scale: PubMed on the canvas, and no frozen page while training', () => {
  test('Cora trains for ~3 s, then PubMed loads, draws, zooms and steps, all without a long main-thread task', async () => {
    const { page, errors } = await openPage(browser(), siteUrl());
    await watchMainThread(page);

    await page.getByLabel('Data set', { exact: true }).selectOption('cora');
    await expect.poll(() => text(page, 'node-count'), { timeout: 60_000 }).toBe('2708');
    const coraLoad = await phase(page, 'Cora loading');
    await page.getByTestId('train-button').click();
    await page.waitForTimeout(3000);
    // On SwiftShader the first epochs also compile the kernels; a few more make a readable picture.
    await waitForEpoch(page, 10);
    await page.getByTestId('train-button').click();
    await expect.poll(() => text(page, 'train-button')).toBe('Continue');
    const cora = await phase(page, 'Cora training');
    expect(await epoch(page)).toBeGreaterThan(0);
    await waitForStillCanvas(page);
    await shoot(page, 'cora-training.png');

    await page.getByLabel('Data set', { exact: true }).selectOption('pubmed');
    await expect.poll(() => text(page, 'node-count'), { timeout: 60_000 }).toBe('19717');
    expect(await text(page, 'graph-meta')).toBe('19717 nodes · 44324 edges · 19717 features · 3 classes');
    expect(await page.locator('[data-testid="dataset-select"] option:checked').textContent()).toBe('PubMed graph (identity features)');
    await expect.poll(() => text(page, 'citation')).toContain('Namata et al. 2012');
    await expect.poll(() => inkedPixels(page), { timeout: 10_000 }).toBeGreaterThan(20_000);

    // A few epochs, one step at a time, while the layout is still moving; then zoom and pan.
    for (let e = 1; e <= 3; e++) {
      await page.getByTestId('step-button').click();
      await waitForEpoch(page, e);
    }
    expect(await text(page, 'stat-epoch')).toBe('3 / 200');
    expect(await page.getByTestId('class-legend').textContent()).not.toContain('not predicted yet');
    const canvas = page.getByTestId('graph-canvas');
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < 4; i++) await page.mouse.wheel(0, -300);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 120, box.y + box.height / 2 + 40, { steps: 8 });
    await page.mouse.up();
    await page.getByRole('button', { name: 'Reset zoom' }).waitFor();
    const pubmed = await phase(page, 'PubMed loading, 3 epochs, zoom and pan');

    // Zoomed out again, the layout settles and its edges are drawn.
    await page.getByRole('button', { name: 'Reset zoom' }).click();
    await waitForStillCanvas(page);
    const settled = await phase(page, 'PubMed settling');
    expect(await inkedPixels(page)).toBeGreaterThan(20_000);
    // Three epochs of predictions are noise; the true classes show what the layout found.
    await page.getByTestId('colour-select').selectOption('true');
    await waitForStillCanvas(page);
    await shoot(page, 'pubmed-loaded.png');

    for (const p of [coraLoad, cora, pubmed, settled]) expect(p.longest).toBeLessThan(LONGEST_TASK_MS);
    expect(await epoch(page)).toBe(3);
    expect(errors).toEqual([]);
    await page.close();
  });
});
