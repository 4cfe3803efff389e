import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { siteUrl } from './pageHelpers';
import { chromiumArgs, chromiumEnv, chromiumPath } from '../chromium';

const shots = resolve(import.meta.dirname, '../../screenshots');
let browser: Browser;

beforeAll(async () => {
  await mkdir(shots, { recursive: true });
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, env: chromiumEnv, headless: true });
});

afterAll(async () => {
  await browser?.close();
});

async function open(viewport = { width: 1600, height: 900 }): Promise<{ page: Page; errors: string[]; workers: string[] }> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  const workers: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('worker', (w) => workers.push(w.url()));
  await page.goto(siteUrl());
  await page.getByTestId('backend-badge').filter({ hasNotText: 'Starting' }).waitFor();
  return { page, errors, workers };
}

const text = async (page: Page, id: string) => (await page.getByTestId(id).textContent()) ?? '';
const label = (page: Page, id: string) => page.getByTestId(id).locator('svg[role="img"]').getAttribute('aria-label');

describe('spectral view on the built page', () => {
  test('Karate: eigenvalues, the Fiedler vector on the graph, GCN\u2019s low-pass response; slider and keys pick k', async () => {
    const { page, errors, workers } = await open();
    await expect.poll(() => text(page, 'node-count')).toBe('34');
    await page.getByTestId('tab-spectrum').click();
    const nodes = page.getByTestId('eigenvector-graph').locator('circle.spectrum-node');
    await expect.poll(() => nodes.count(), { timeout: 30_000 }).toBe(34);
    expect(workers.some((u) => /spectrum\.worker/.test(u))).toBe(true);

    expect(await label(page, 'eigenvalue-plot')).toMatch(/^34 eigenvalues \u03bb\u0303 of the renormalized Laplacian, from 0\.00 to 1\.\d\d; 1 equal to 0; selected k = 1/);
    expect(await label(page, 'response-plot')).toMatch(/^Frequency response of 2-layer GCN: 2 layers: \(1 \u2212 \u03bb\u0303\)\u00b2, from 1\.00 at \u03bb\u0303 = 0 to 1\.00 at \u03bb\u0303 = 2/);
    expect(await text(page, 'response-note')).toContain('low-pass');
    expect(await text(page, 'spectrum-k-value')).toBe('k = 1 of 33');
    expect(await text(page, 'eigenvector-title')).toMatch(/^\u03bb\u03031 = 0\.\d{3} \u00b7 low frequency$/);
    // Nodes carry both signs of the Fiedler vector: the club's split.
    const fills = new Set(await nodes.evaluateAll((cs) => cs.map((c) => c.getAttribute('fill'))));
    expect(fills.size).toBeGreaterThan(10);
    await page.screenshot({ path: resolve(shots, 'spectrum-karate.png') });
    // The panel scrolls: the frequency response sits under the graph and the eigenvalues.
    await page.getByTestId('response-plot').scrollIntoViewIfNeeded();
    await page.screenshot({ path: resolve(shots, 'spectrum-karate-response.png') });

    // Keyboard: the slider takes arrow keys (and the page's ArrowRight does not train an epoch).
    const slider = page.getByLabel('Eigenvector k', { exact: true });
    await slider.focus();
    await page.keyboard.press('End');
    await expect.poll(() => text(page, 'spectrum-k-value')).toBe('k = 33 of 33');
    expect(await text(page, 'eigenvector-title')).toMatch(/high frequency$/);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => text(page, 'spectrum-k-value')).toMatch(/^k = 32 of 33/);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => slider.getAttribute('aria-valuetext')).toMatch(/^k = 33, \u03bb\u0303 = 1\.\d{3}, high frequency$/);
    expect(await text(page, 'stat-epoch')).toMatch(/^0 \//);
    expect(await text(page, 'eigenvector-note')).toMatch(/^Eigenvector 33 on the graph: neighbours mostly disagree; \d+ of 78 edges change sign$/);
    await page.getByRole('button', { name: 'Previous eigenvector (smoother)' }).click();
    await expect.poll(() => text(page, 'spectrum-k-value')).toMatch(/^k = 32 of 33/);
    await page.screenshot({ path: resolve(shots, 'spectrum-karate-high.png') });

    // ChebNet filters the plain Laplacian; its curve is an example theta, and it says so.
    await page.getByLabel('Model', { exact: true }).selectOption('cheb');
    await expect.poll(() => label(page, 'eigenvalue-plot'), { timeout: 30_000 }).toMatch(/^34 eigenvalues \u03bb of the normalized Laplacian/);
    expect(await text(page, 'response-note')).toContain('not the trained one');
    await page.getByTestId('response-plot').scrollIntoViewIfNeeded();
    await page.screenshot({ path: resolve(shots, 'spectrum-karate-cheb.png') });

    // GAT is not a fixed spectral filter.
    await page.getByLabel('Model', { exact: true }).selectOption('gat');
    await expect.poll(() => text(page, 'response-note'), { timeout: 30_000 }).toContain('not a fixed spectral filter');

    await page.setViewportSize({ width: 1280, height: 720 });
    await page.getByLabel('Model', { exact: true }).selectOption('gcn');
    await expect.poll(() => text(page, 'response-note'), { timeout: 30_000 }).toContain('low-pass');
    await page.waitForTimeout(300);
    await page.screenshot({ path: resolve(shots, 'spectrum-karate-1280x720.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  test('Cora is above the cap: a clear message; MUTAG shows its first drawn molecule', async () => {
    const { page, errors } = await open();
    await page.getByLabel('Data set', { exact: true }).selectOption('cora');
    await expect.poll(() => text(page, 'node-count'), { timeout: 60_000 }).toBe('2708');
    await page.getByTestId('tab-spectrum').click();
    await expect.poll(() => text(page, 'spectrum-message')).toMatch(/^The spectral view is for small graphs: Cora has 2,708 nodes, above the cap of 600\./);

    await page.getByLabel('Data set', { exact: true }).selectOption('mutag');
    await expect.poll(() => text(page, 'spectrum-set-note'), { timeout: 60_000 }).toMatch(/^A spectrum belongs to one graph: this is graph \d+ of the set, the first one drawn \(\d+ nodes, \d+ edges\)\.$/);
    const n = Number(/\((\d+) nodes/.exec(await text(page, 'spectrum-set-note'))![1]);
    await expect.poll(() => page.getByTestId('eigenvector-graph').locator('circle.spectrum-node').count(), { timeout: 30_000 }).toBe(n);
    await page.screenshot({ path: resolve(shots, 'spectrum-mutag.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  test('a 600-node graph: the eigensolver and layout run in the worker, timed in Chromium', async () => {
    const { page, workers } = await open();
    await page.getByTestId('tab-spectrum').click();
    await expect.poll(() => workers.find((u) => /spectrum\.worker/.test(u)) ?? null, { timeout: 30_000 }).not.toBeNull();
    const url = workers.find((u) => /spectrum\.worker/.test(u))!;
    const times = await page.evaluate(async (workerUrl) => {
      // A connected random graph: a random tree plus as many random chords (about Cora's density).
      const n = 600;
      let seed = 7;
      const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
      const src: number[] = [], dst: number[] = [];
      for (let i = 1; i < n; i++) { src.push(Math.floor(rand() * i)); dst.push(i); }
      while (src.length < 2 * n) {
        const a = Math.floor(rand() * n), b = Math.floor(rand() * n);
        if (a < b) { src.push(a); dst.push(b); }
      }
      const graph = { n, src: Uint32Array.from(src), dst: Uint32Array.from(dst) };
      const w = new Worker(workerUrl, { type: 'module' });
      const ask = (msg: object) => new Promise<{ kind: string; result: { ms: number } }>((ok) => {
        w.onmessage = (e) => ok(e.data);
        w.postMessage(msg);
      });
      const out: { spectrum: number[]; layout: number[]; frameGapMs: number } = { spectrum: [], layout: [], frameGapMs: 0 };
      // Meanwhile the page keeps drawing frames: the longest gap between two says it never blocked.
      let last = performance.now(), gap = 0, on = true;
      const frame = () => { const t = performance.now(); gap = Math.max(gap, t - last); last = t; if (on) requestAnimationFrame(frame); };
      requestAnimationFrame(frame);
      for (let r = 0; r < 3; r++) {
        out.spectrum.push((await ask({ id: r, kind: 'spectrum', graph, renormalized: true })).result.ms);
        out.layout.push((await ask({ id: 10 + r, kind: 'layout', graph })).result.ms);
      }
      on = false;
      out.frameGapMs = gap;
      w.terminate();
      return out;
    }, url);
    console.log(`600 nodes in headless Chromium (2 cores, spectrum worker): eigendecomposition ${times.spectrum.map((t) => t.toFixed(0)).join(', ')} ms; `
      + `layout ${times.layout.map((t) => t.toFixed(0)).join(', ')} ms; longest frame gap on the page meanwhile ${times.frameGapMs.toFixed(0)} ms`);
    expect(Math.min(...times.spectrum)).toBeGreaterThan(0);
    await page.close();
  });
});
