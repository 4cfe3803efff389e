import { mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumArgs, chromiumEnv, chromiumPath } from '../chromium';
import { epoch, inkedPixels, openPage, percent, shoot, shots, siteUrl, text, waitForEpoch } from './pageHelpers';

let browser: Browser;

// Without these flags Chromium on Linux offers no WebGPU adapter: the page must fall back.
const noGpuArgs = chromiumArgs.filter((a) => !/webgpu|swiftshader|Vulkan/i.test(a));

async function launch(args: string[]): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args, env: chromiumEnv, headless: true });
}

const open = (b: Browser) => openPage(b, siteUrl());

/** How many series of a chart have been drawn as a line or a dot. */
async function lineCount(page: Page, chart: string): Promise<number> {
  return page.getByTestId(chart).locator('svg circle').count();
}

/** The length of a chart's first line, in SVG units: grows as epochs arrive. */
async function pathLength(page: Page, chart: string): Promise<number> {
  return page.getByTestId(chart).locator('svg path').first().evaluate((p: SVGPathElement) => p.getTotalLength());
}

beforeAll(async () => {
  await mkdir(shots, { recursive: true });
  browser = await launch(chromiumArgs);
});

afterAll(async () => {
  await browser?.close();
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

  test('GAT on Karate: the model picker loads its recipe, and a short run moves the counter and charts', async () => {
    const { page, errors } = await open(browser);
    await expect.poll(() => text(page, 'node-count')).toBe('34');
    await page.getByLabel('Model', { exact: true }).selectOption('gat');
    await expect.poll(() => text(page, 'model-description')).toContain('Veličković et al., ICLR 2018');
    await expect.poll(() => text(page, 'model-line')).toContain('2-layer GAT (8 heads × 8 hidden units, ELU)');
    // GAT's own fields appear with the published settings; GCN's are gone.
    expect(await page.getByLabel('Heads', { exact: true }).inputValue()).toBe('8');
    expect(await page.getByLabel('Hidden units per head', { exact: true }).inputValue()).toBe('8');
    expect(await page.getByLabel('Learning rate', { exact: true }).inputValue()).toBe('0.005');
    expect(await page.getByLabel('Self loops', { exact: true }).count()).toBe(0);
    await expect.poll(() => text(page, 'stat-epoch')).toBe('0 / 200');

    // Fewer epochs, applied by Reset, then one step and a run to the end.
    await page.getByLabel('Epochs', { exact: true }).fill('30');
    await expect.poll(() => text(page, 'reset-notice')).toContain('epochs');
    await page.getByTestId('reset-button').click();
    await expect.poll(() => text(page, 'stat-epoch')).toBe('0 / 30');
    expect(await page.getByTestId('reset-notice').count()).toBe(0);
    // Reset posts a fresh init: keys do nothing until the worker has answered with the graph.
    await expect.poll(() => page.getByTestId('step-button').isEnabled(), { timeout: 30_000 }).toBe(true);
    await page.keyboard.press('ArrowRight');
    await waitForEpoch(page, 1);
    await expect.poll(() => lineCount(page, 'loss-chart')).toBe(1);
    await page.getByTestId('train-button').click();
    await page.getByText('All epochs done').waitFor({ timeout: 120_000 });
    expect(await text(page, 'stat-epoch')).toBe('30 / 30');
    expect(await percent(page, 'stat-train')).toBeGreaterThan(0);
    expect(await page.getByTestId('accuracy-chart').locator('svg[role="img"]').getAttribute('aria-label'))
      .toMatch(/^Accuracy over nodes: train \d+%, test \d+%$/);
    expect(await pathLength(page, 'loss-chart')).toBeGreaterThan(100);
    await shoot(page, 'karate-gat.png');
    expect(errors).toEqual([]);
    await page.close();
  });

  test('MUTAG with GIN: whole molecules drawn, a few epochs step, accuracy over graphs', async () => {
    const { page, errors } = await open(browser);
    await page.getByLabel('Data set', { exact: true }).selectOption('mutag');
    await expect.poll(() => text(page, 'graph-count'), { timeout: 60_000 }).toMatch(/^\d+ of 188$/);
    // SGC has no layers to pool: it cannot be picked for a graph set.
    expect(await page.locator('[data-testid="model-select"] option[value="sgc"]').isDisabled()).toBe(true);
    await page.getByLabel('Model', { exact: true }).selectOption('gin');
    await expect.poll(() => text(page, 'model-description')).toContain('Xu et al., ICLR 2019');
    await expect.poll(() => text(page, 'model-line')).toContain('5-layer GIN (32 hidden units');
    await expect.poll(() => text(page, 'model-line')).toContain('graph classification');
    await expect.poll(() => text(page, 'canvas-note')).toMatch(/^Canvas: \d+ of 188 graphs shown, test fold first; colours = predicted class of each graph/);
    expect(await text(page, 'class-legend')).toContain('mutagenic');
    expect(await page.getByLabel('Pooling', { exact: true }).inputValue()).toBe('sum');
    expect(await page.getByLabel('Test fold', { exact: true }).inputValue()).toBe('0');
    expect(await text(page, 'stat-fold')).toBe('1 of 10');
    await expect.poll(() => inkedPixels(page), { timeout: 10_000 }).toBeGreaterThan(5000);

    for (let e = 1; e <= 3; e++) {
      await page.getByTestId('step-button').click();
      await waitForEpoch(page, e);
    }
    expect(await text(page, 'stat-epoch')).toBe('3 / 100');
    expect(await percent(page, 'stat-test')).toBeGreaterThan(0);
    expect(await percent(page, 'stat-val')).toBeGreaterThan(0);
    expect(await page.getByTestId('accuracy-chart').textContent()).toContain('Accuracy over graphs');
    expect(await page.getByTestId('class-legend').textContent()).not.toContain('not predicted yet');
    await shoot(page, 'mutag-gin.png');
    expect(errors).toEqual([]);
    await page.close();
  });

  test('a model-specific field asks for a Reset, by mouse or keyboard, and Reset applies it', async () => {
    const { page, errors } = await open(browser);
    await expect.poll(() => text(page, 'node-count')).toBe('34');
    expect(await page.getByTestId('reset-notice').count()).toBe(0);
    // GCN's self-loop checkbox, toggled from the keyboard: Space must not start training.
    await page.getByLabel('Self loops', { exact: true }).focus();
    await page.keyboard.press('Space');
    expect(await page.getByLabel('Self loops', { exact: true }).isChecked()).toBe(false);
    await expect.poll(() => text(page, 'reset-notice')).toBe('Changed self loops: press Reset to apply.');
    expect(await page.getByTestId('reset-button').getAttribute('class')).toContain('attention');
    expect(await text(page, 'train-button')).toBe('Train');
    // The footer describes the running model until Reset applies the change.
    expect(await text(page, 'model-line')).not.toContain('no self loops');
    await page.getByTestId('reset-button').click();
    await expect.poll(() => page.getByTestId('reset-notice').count()).toBe(0);
    await expect.poll(() => text(page, 'model-line')).toContain('no self loops');

    // A GAT-only field, and changing it back, which needs no Reset.
    await page.getByLabel('Model', { exact: true }).selectOption('gat');
    await page.getByLabel('Attention dropout', { exact: true }).fill('0.2');
    await expect.poll(() => text(page, 'reset-notice')).toBe('Changed attention dropout: press Reset to apply.');
    await page.getByLabel('Attention dropout', { exact: true }).fill('0.6');
    await expect.poll(() => page.getByTestId('reset-notice').count()).toBe(0);
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
