import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumArgs, chromiumEnv, chromiumPath } from '../chromium';
import { buildAndServe, type Site } from './site';

const shots = resolve(import.meta.dirname, '../../screenshots');
const viewport = { width: 1600, height: 900 };
let site: Site;
let browser: Browser;

// Without these flags Chromium on Linux offers no WebGPU adapter: the page must fall back.
const noGpuArgs = chromiumArgs.filter((a) => !/webgpu|swiftshader|Vulkan/i.test(a));

async function launch(args: string[]): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args, env: chromiumEnv, headless: true });
}

/** Opens the page and collects every console error and uncaught exception, page and worker. */
async function open(b: Browser): Promise<{ page: Page; errors: string[] }> {
  const page = await b.newPage({ viewport });
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('worker', (w) => w.on('console', (m) => { if (m.type() === 'error') errors.push(`worker: ${m.text()}`); }));
  await page.goto(site.url);
  await page.getByTestId('backend-badge').filter({ hasNotText: 'Starting' }).waitFor();
  return { page, errors };
}

const text = async (page: Page, id: string) => (await page.getByTestId(id).textContent()) ?? '';
const percent = async (page: Page, id: string) => Number.parseFloat(await text(page, id)) / 100;
const epoch = async (page: Page) => Number.parseInt(await text(page, 'stat-epoch'), 10);

/** Resolves once the epoch counter is at least n; the counter reads "n / total". */
async function waitForEpoch(page: Page, n: number, timeout = 120_000): Promise<void> {
  await page.waitForFunction((min) => {
    const t = document.querySelector('[data-testid="stat-epoch"]')?.textContent ?? '0';
    return Number.parseInt(t, 10) >= min;
  }, n, { timeout, polling: 100 });
}

/** How many canvas pixels are not background: proves the graph was actually drawn. */
async function inkedPixels(page: Page): Promise<number> {
  return page.getByTestId('graph-canvas').evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
    return n;
  });
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: resolve(shots, name) });
}

beforeAll(async () => {
  await mkdir(shots, { recursive: true });
  site = await buildAndServe('/course/gnn/');
  browser = await launch(chromiumArgs);
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

describe('GNN Playground page, built and served from a sub-path', () => {
  test('Karate trains on WebGPU to 100% train accuracy, by keyboard and buttons', async () => {
    const { page, errors } = await open(browser);
    expect(await text(page, 'backend-badge')).toContain('WebGPU');
    await expect.poll(() => text(page, 'node-count')).toBe('34');
    expect(await page.getByTestId('backend-notice').count()).toBe(0);
    await expect.poll(() => inkedPixels(page), { timeout: 10_000 }).toBeGreaterThan(2000);
    await shoot(page, 'karate-initial.png');

    // ArrowRight steps exactly one epoch.
    await page.keyboard.press('ArrowRight');
    await waitForEpoch(page, 1);
    expect(await epoch(page)).toBe(1);

    // Space starts training; a second Space pauses it.
    await page.keyboard.press('Space');
    await waitForEpoch(page, 50);
    await page.keyboard.press('Space');
    await expect.poll(() => text(page, 'train-button')).toBe('Continue');
    await page.waitForTimeout(500); // a batch already in flight may still land
    const paused = await epoch(page);
    await page.waitForTimeout(1000);
    expect(await epoch(page)).toBe(paused);

    // The button resumes; run to the end.
    await page.getByTestId('train-button').click();
    await page.getByText('All epochs done').waitFor({ timeout: 120_000 });
    expect(await text(page, 'stat-epoch')).toBe('200 / 200');
    expect(await text(page, 'stat-train')).toBe('100.0%');
    expect(await percent(page, 'stat-test')).toBeGreaterThan(0.6);
    expect(await page.getByTestId('train-button').isDisabled()).toBe(true);
    await shoot(page, 'karate-trained.png');
    await page.setViewportSize({ width: 1280, height: 720 }); // a common projector resolution
    await page.waitForTimeout(300);
    await shoot(page, 'karate-trained-1280x720.png');

    await page.getByTestId('reset-button').click();
    await expect.poll(() => text(page, 'stat-epoch')).toBe('0 / 200');
    expect(await page.getByTestId('train-button').textContent()).toBe('Train');
    expect(errors).toEqual([]);
    await page.close();
  });

  test('Cora loads its ~2.7k-node graph and trains a few epochs; CiteSeer loads', async () => {
    const { page, errors } = await open(browser);
    await page.getByLabel('Data set').selectOption('cora');
    await expect.poll(() => text(page, 'node-count'), { timeout: 60_000 }).toBe('2708');
    await page.getByTestId('train-button').click();
    await waitForEpoch(page, 10);
    await page.getByTestId('train-button').click();
    await expect.poll(() => text(page, 'train-button')).toBe('Continue');
    expect(await inkedPixels(page)).toBeGreaterThan(5000);
    expect(await percent(page, 'stat-train')).toBeGreaterThan(0);
    await page.waitForTimeout(4000); // let the layout settle for a readable screenshot
    await shoot(page, 'cora-training.png');

    // CiteSeer has 48 isolated nodes; they must still land inside the canvas.
    await page.getByLabel('Data set').selectOption('citeseer');
    await expect.poll(() => text(page, 'node-count'), { timeout: 60_000 }).toBe('3327');
    await page.waitForTimeout(4000);
    await shoot(page, 'citeseer-loaded.png');
    expect(errors).toEqual([]);
    await page.close();
  });

  test('a data set that fails to load shows an error and the page stays usable', async () => {
    const { page } = await open(browser);
    await page.context().route('**/datasets/cora.json', (r) => r.fulfill({ status: 404, body: 'gone' }));
    await page.getByLabel('Data set').selectOption('cora');
    await page.getByTestId('error-banner').waitFor({ timeout: 30_000 });
    expect(await text(page, 'error-banner')).toMatch(/cora/i);
    await shoot(page, 'load-error.png');
    await page.getByRole('button', { name: 'Dismiss' }).click();
    await page.getByTestId('error-banner').waitFor({ state: 'detached' });
    await page.getByLabel('Data set').selectOption('karate');
    await expect.poll(() => text(page, 'node-count'), { timeout: 30_000 }).toBe('34');
    await page.getByTestId('train-button').click();
    await waitForEpoch(page, 5);
    await page.close();
  });

  test('without WebGPU the CPU fallback is announced and training still runs', async () => {
    const noGpu = await launch(noGpuArgs);
    try {
      const { page, errors } = await open(noGpu);
      expect(await text(page, 'backend-badge')).toContain('CPU');
      const notice = page.getByTestId('backend-notice');
      await notice.waitFor();
      expect(await notice.textContent()).toMatch(/CPU/);
      await expect.poll(() => text(page, 'node-count')).toBe('34');
      await page.getByTestId('train-button').click();
      await waitForEpoch(page, 20);
      await shoot(page, 'karate-cpu-fallback.png');
      expect(errors).toEqual([]);
    } finally {
      await noGpu.close();
    }
  });
});
