import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';
import { chromiumArgs, chromiumEnv, chromiumPath } from '../chromium';

/** Where e2e tests save what a person would see (committed, looked at by the team). */
export const shots = resolve(import.meta.dirname, '../../screenshots');
export const viewport = { width: 1600, height: 900 };

/** Opens the page and collects every console error and uncaught exception, page and worker. */
export async function openPage(b: Browser, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await b.newPage({ viewport });
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('worker', (w) => w.on('console', (m) => { if (m.type() === 'error') errors.push(`worker: ${m.text()}`); }));
  await page.goto(url);
  await page.getByTestId('backend-badge').filter({ hasNotText: 'Starting' }).waitFor();
  return { page, errors };
}

export const text = async (page: Page, id: string) => (await page.getByTestId(id).textContent()) ?? '';
export const percent = async (page: Page, id: string) => Number.parseFloat(await text(page, id)) / 100;
export const epoch = async (page: Page) => Number.parseInt(await text(page, 'stat-epoch'), 10);

/** Resolves once the epoch counter is at least n; the counter reads "n / total". */
export async function waitForEpoch(page: Page, n: number, timeout = 120_000): Promise<void> {
  await page.waitForFunction((min) => {
    const t = document.querySelector('[data-testid="stat-epoch"]')?.textContent ?? '0';
    return Number.parseInt(t, 10) >= min;
  }, n, { timeout, polling: 100 });
}

/** How many canvas pixels are not background: proves something was actually drawn. */
export async function inkedPixels(page: Page, testId = 'graph-canvas'): Promise<number> {
  return page.getByTestId(testId).evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
    return n;
  });
}

export async function shoot(page: Page, name: string): Promise<void> {
  // Filling a field scrolls the settings; show the pickers at the top of the side panel.
  await page.locator('.side').evaluate((e) => e.scrollTo(0, 0));
  await page.screenshot({ path: resolve(shots, name) });
}

/** The built site (tests/e2e/globalSetup.ts builds it once), served under /course/gnn/. */
export const siteUrl = (): string => inject('siteUrl');

/**
 * A headless Chromium with WebGPU on SwiftShader for the file's tests, launched before them and
 * closed after; the screenshots folder exists by then.
 */
export function useBrowser(args: string[] = chromiumArgs): () => Browser {
  let browser: Browser | null = null;
  beforeAll(async () => {
    await mkdir(shots, { recursive: true });
    browser = await chromium.launch({ executablePath: chromiumPath, args, env: chromiumEnv, headless: true });
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => browser!;
}
