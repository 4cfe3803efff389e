import { mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumArgs, chromiumEnv, chromiumPath } from '../chromium';
import { openPage, shoot, shots, siteUrl, text, waitForEpoch } from './pageHelpers';

// Share links (issue 6): the whole setup in the URL, the same run when opened elsewhere, the
// teacher's exercise lock, and what a tampered link does.

let browser: Browser;

beforeAll(async () => {
  await mkdir(shots, { recursive: true });
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, env: chromiumEnv, headless: true });
});

afterAll(async () => {
  await browser?.close();
});

/** Steps `n` epochs one at a time and reads the loss shown after each. */
async function lossCurve(page: Page, n: number): Promise<string[]> {
  const losses: string[] = [];
  for (let i = 1; i <= n; i++) {
    await page.getByTestId('step-button').click();
    await waitForEpoch(page, i);
    losses.push(await text(page, 'stat-loss'));
  }
  return losses;
}

async function linkOf(page: Page): Promise<string> {
  await page.getByTestId('share-button').click();
  const field = page.getByTestId('share-link');
  await field.waitFor();
  const link = await field.inputValue();
  await page.getByRole('button', { name: 'Close' }).click();
  return link;
}

/** Opens `url` in a fresh browser context (no storage shared with the sender's page). */
async function openElsewhere(url: string): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(url);
  await page.getByTestId('backend-badge').filter({ hasNotText: 'Starting' }).waitFor();
  return { page, errors, close: () => context.close() };
}

describe('share links', () => {
  test('a link opens the same setup in another browser context and replays the same loss curve', async () => {
    const { page, errors } = await openPage(browser, siteUrl());
    await expect.poll(() => text(page, 'node-count')).toBe('34');
    await page.getByLabel('Learning rate', { exact: true }).fill('0.02');
    await page.getByLabel('Random seed').fill('7');
    await page.getByLabel('Hidden units', { exact: true }).fill('12');
    await page.getByTestId('reset-button').click();
    await expect.poll(() => text(page, 'stat-epoch')).toBe('0 / 200');
    await page.getByTestId('tab-layers').click();
    const first = await lossCurve(page, 20);
    const link = await linkOf(page);
    expect(link).toContain('lr=0.02');
    expect(link).toContain('seed=7');
    expect(link).toContain('view=layers');
    // The address bar carries the same setup.
    await expect.poll(() => page.evaluate(() => location.hash)).toContain('hidden=12');

    const other = await openElsewhere(link);
    // It opens on the view the sender had open.
    expect(await other.page.getByTestId('tab-layers').getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => text(other.page, 'layers-empty')).toContain('appear here');
    expect(await other.page.getByLabel('Learning rate', { exact: true }).inputValue()).toBe('0.02');
    expect(await other.page.getByLabel('Hidden units', { exact: true }).inputValue()).toBe('12');
    const second = await lossCurve(other.page, 20);
    await other.page.getByTestId('tab-graph').click();
    expect(await text(other.page, 'node-count')).toBe('34');
    expect(second).toEqual(first);
    expect(new Set(first).size).toBeGreaterThan(5); // the curve moves: the comparison means something
    expect([...errors, ...other.errors]).toEqual([]);
    await other.close();
    await page.close();
  });

  test('a drawn graph travels in the link, positions and all', async () => {
    const { page } = await openPage(browser, siteUrl());
    await page.getByTestId('draw-new').click();
    const b = (await page.getByTestId('editor-svg').boundingBox())!;
    for (const [x, y] of [[0.2, 0.3], [0.5, 0.6], [0.8, 0.3]]) await page.mouse.click(b.x + x * b.width, b.y + y * b.height);
    await page.getByTestId('paint-split-train').click();
    await page.mouse.click(b.x + 0.2 * b.width, b.y + 0.3 * b.height);
    await page.getByTestId('use-draft').click();
    await expect.poll(() => text(page, 'node-count')).toBe('3');
    const link = await linkOf(page);
    expect(link).toContain('dataset=custom');
    expect(link).toMatch(/&g=[A-Za-z0-9_-]+/);

    const other = await openElsewhere(link);
    await expect.poll(() => text(other.page, 'node-count')).toBe('3');
    await other.page.getByTestId('edit-draft').click();
    expect(await other.page.getByTestId('draft-node-0').getAttribute('aria-label')).toBe('Node 0, class 0, train');
    const cx = Number(await other.page.getByTestId('draft-node-2').locator('circle').first().getAttribute('cx'));
    const width = (await other.page.getByTestId('editor-svg').boundingBox())!.width;
    expect(Math.abs(cx / width - 0.8)).toBeLessThan(0.05);
    await other.close();
    await page.close();
  });

  test('the teacher locks an exercise: the student sees only the open controls, and a QR code is offered', async () => {
    const { page } = await openPage(browser, siteUrl());
    await expect.poll(() => text(page, 'node-count')).toBe('34');
    await page.getByTestId('share-button').click();
    await expect.poll(() => page.getByTestId('qr-code').count()).toBe(1);
    await page.getByTestId('make-exercise').click(); // default: layers, PairNorm, residual stay open
    await expect.poll(() => page.getByTestId('share-link').inputValue()).toContain('edit=layers%2CpairNorm%2Cresidual');
    await shoot(page, 'share-dialog.png');
    const link = await page.getByTestId('share-link').inputValue();
    await page.getByTestId('unlock').click();
    await page.getByRole('button', { name: 'Close' }).click();

    const student = await openElsewhere(link);
    await expect.poll(() => text(student.page, 'node-count')).toBe('34');
    expect(await text(student.page, 'exercise-note')).toMatch(/You can change: layers, PairNorm, residual/);
    expect(await student.page.getByLabel('Layers', { exact: true }).count()).toBe(1);
    expect(await student.page.getByLabel('PairNorm').count()).toBe(1);
    expect(await student.page.getByLabel('Learning rate', { exact: true }).count()).toBe(0);
    expect(await student.page.getByTestId('dataset-select').count()).toBe(0);
    expect(await student.page.getByTestId('own-graph-panel').count()).toBe(0);
    await student.page.getByLabel('Layers', { exact: true }).fill('4');
    await student.page.getByTestId('reset-button').click();
    await student.page.getByTestId('step-button').click();
    await waitForEpoch(student.page, 1);
    await shoot(student.page, 'exercise-student.png');
    await student.close();
    await page.close();
  });

  test('a tampered or truncated link opens the default page with a message; nothing in it runs', async () => {
    const good = `${siteUrl()}#v=1&dataset=cora&model=gcn`;
    const cases: [string, RegExp][] = [
      [`${siteUrl()}#v=1&dataset=cora&lr=lots`, /lr must be a number/],
      [`${siteUrl()}#v=1&view=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E`, /view '<img src=x onerror=alert\(1\)>' does not exist/],
      [`${siteUrl()}#v=1&dataset=custom&g=H4sIAAAA`, /graph cannot be read/],
      [good.slice(0, good.indexOf('&')), /./], // "v=1" alone is a valid link to the default setup
    ];
    for (const [url, message] of cases) {
      const { page, errors, close } = await openElsewhere(url);
      let dialogs = 0;
      page.on('dialog', (d) => { dialogs++; void d.dismiss(); });
      await expect.poll(() => text(page, 'node-count')).toBe('34');
      if (url !== cases[3][0]) {
        expect(await text(page, 'error-banner')).toMatch(/This link could not be opened: /);
        expect(await text(page, 'error-banner')).toMatch(message);
        expect(await page.locator('img').count()).toBe(0);
      }
      expect(dialogs).toBe(0);
      expect(errors).toEqual([]);
      await close();
    }
  });
});
