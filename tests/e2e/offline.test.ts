import { readdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumArgs, chromiumEnv, chromiumPath } from '../chromium';
import { buildAndServe, type Site } from './site';

let site: Site | null = null;
let browser: Browser;

beforeAll(async () => {
  // Vitest sets NODE_ENV=test, which makes `vite build` a development build where
  // import.meta.env.PROD is false and the service worker is (rightly) never registered. This file
  // tests what is deployed: a production build. (Each test file runs in its own process.)
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    site = await buildAndServe('/course/gnn/');
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, env: chromiumEnv, headless: true });
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

const t0 = Date.now();
const log = (what: string) => console.log(`[offline ${((Date.now() - t0) / 1000).toFixed(1)} s] ${what}`);
const text = async (page: Page, id: string) => (await page.getByTestId(id).textContent()) ?? '';

/** How many entries each of the service worker's caches holds, by kind ('app', 'data'). */
async function cached(page: Page): Promise<Record<string, number>> {
  return page.evaluate(async () => {
    const out: Record<string, number> = {};
    for (const name of await caches.keys()) {
      const kind = /^gnn-playground-(app|data)-/.exec(name)?.[1];
      if (kind) out[kind] = (out[kind] ?? 0) + (await (await caches.open(name)).keys()).length;
    }
    return out;
  });
}

describe('offline: after one visit the built page works without a network', () => {
  test('the service worker caches the app and every dataset; offline, the page reloads, Karate trains, its spectrum draws, Cora loads', async () => {
    const context = await browser.newContext({ viewport: { width: 1600, height: 900 }, serviceWorkers: 'allow' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));

    await page.goto(site!.url);
    await page.getByTestId('backend-badge').filter({ hasNotText: 'Starting' }).waitFor();
    await expect.poll(() => text(page, 'node-count')).toBe('34');

    log('page loaded');
    // The worker is registered relative to the page, under the sub-path, and takes control.
    const sw = await page.evaluate(async () => {
      if (!('serviceWorker' in navigator)) return { scope: 'no serviceWorker in navigator', script: '', state: '' };
      const reg = await navigator.serviceWorker.ready;
      return { scope: reg.scope, script: reg.active?.scriptURL, state: reg.active?.state };
    });
    expect(sw.scope).toBe(site!.url);
    expect(sw.script).toBe(`${site!.url}sw.js`);
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller?.state ?? null), { timeout: 30_000 }).toBe('activated');

    log('service worker active');
    // index.html and the built files at install; every shipped dataset in the background after load.
    const datasets = (await readdir(resolve(import.meta.dirname, '../../public/datasets'))).filter((f) => f.endsWith('.json')).length;
    expect(datasets).toBeGreaterThanOrEqual(6);
    await expect.poll(() => cached(page), { timeout: 120_000 }).toEqual({ app: expect.any(Number), data: datasets });
    log('caches filled');
    const { app } = await cached(page);
    expect(app).toBeGreaterThanOrEqual(4); // the page, its JS and CSS, the training worker
    const appFiles = await page.evaluate(async () => {
      const name = (await caches.keys()).find((n) => n.includes('-app-'))!;
      return (await (await caches.open(name)).keys()).map((r) => r.url);
    });
    expect(appFiles).toContain(site!.url);
    expect(appFiles.some((u) => /assets\/worker-[\w-]+\.js$/.test(u))).toBe(true);

    // Off the network for real: the browser offline, and the server gone.
    await context.setOffline(true);
    const url = site!.url;
    await site!.close();
    site = null;

    log('offline, server closed');
    await page.reload();
    await page.getByTestId('backend-badge').filter({ hasNotText: 'Starting' }).waitFor({ timeout: 60_000 });
    expect(await text(page, 'backend-badge')).toContain('WebGPU');
    expect(page.url()).toBe(url);
    await expect.poll(() => text(page, 'node-count'), { timeout: 30_000 }).toBe('34');
    await expect.poll(() => page.getByTestId('step-button').isEnabled(), { timeout: 30_000 }).toBe(true);
    for (let e = 1; e <= 3; e++) {
      await page.getByTestId('step-button').click();
      await expect.poll(() => text(page, 'stat-epoch'), { timeout: 60_000 }).toMatch(new RegExp(`^${e} / `));
    }
    expect(Number.parseFloat(await text(page, 'stat-train'))).toBeGreaterThan(0);

    // The spectral view's own worker script comes from the cache too.
    await page.getByTestId('tab-spectrum').click();
    await expect.poll(() => page.getByTestId('eigenvector-graph').locator('circle.spectrum-node').count(), { timeout: 30_000 }).toBe(34);
    await page.getByTestId('tab-graph').click();
    log('karate trained offline, spectrum drawn');
    await page.getByLabel('Data set', { exact: true }).selectOption('cora');
    await expect.poll(() => text(page, 'node-count'), { timeout: 60_000 }).toBe('2708');
    expect(await page.getByTestId('error-banner').count()).toBe(0);

    log('cora loaded offline');
    // A dataset that is not cached cannot come from anywhere: the page's usual download error.
    await page.evaluate(async () => {
      const name = (await caches.keys()).find((n) => n.includes('-data-'))!;
      const cache = await caches.open(name);
      const key = (await cache.keys()).find((r) => r.url.endsWith('/datasets/enzymes.json'))!;
      await cache.delete(key);
    });
    await page.getByLabel('Data set', { exact: true }).selectOption('enzymes');
    await page.getByTestId('error-banner').waitFor({ timeout: 30_000 });
    expect(await text(page, 'error-banner')).toMatch(/Could not download enzymes/);

    log(`console errors: ${JSON.stringify(errors)}`);
    // Only the failures that going offline must cause: the missing dataset's request.
    expect(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|ERR_CONNECTION_REFUSED|Failed to fetch|Failed to load resource/.test(e))).toEqual([]);
    await context.close();
  });
});
