import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumArgs, chromiumEnv, chromiumPath } from '../chromium';
import { openPage, siteUrl, text, waitForEpoch } from './pageHelpers';

// Issue 6, exports: every download of the export panel, driven as a person would (mouse and
// keyboard), each file read back: JSON shapes, CSV headers and row counts, PNG bytes and
// pixels, and the PyG script compiled by python3.

let browser: Browser;
let dir: string;

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, env: chromiumEnv, headless: true });
  dir = await mkdtemp(join(tmpdir(), 'gnn-export-'));
});

afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const button = (page: Page, kind: string) => page.getByTestId(`export-${kind}`);

/** Presses an export button (or Enter on it) and returns the download's name and bytes. */
async function download(page: Page, kind: string, how: 'click' | 'enter' = 'click'): Promise<{ name: string; body: Buffer }> {
  const waiting = page.waitForEvent('download', { timeout: 60_000 });
  if (how === 'click') await button(page, kind).click();
  else {
    await button(page, kind).focus();
    await page.keyboard.press('Enter');
  }
  const d = await waiting;
  const path = join(dir, d.suggestedFilename());
  await d.saveAs(path);
  return { name: d.suggestedFilename(), body: await readFile(path) };
}

/** PNG signature and the IHDR size. */
function png(body: Buffer): { width: number; height: number } {
  expect([...body.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(body.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: body.readUInt32BE(16), height: body.readUInt32BE(20) };
}

/** Decodes the PNG in the page: the corner's colour and how many pixels are not white. */
async function pixels(page: Page, body: Buffer): Promise<{ corner: number[]; inked: number; width: number }> {
  return page.evaluate(async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const bmp = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const c = new OffscreenCanvas(bmp.width, bmp.height);
    const ctx = c.getContext('2d')!;
    ctx.drawImage(bmp, 0, 0);
    const d = ctx.getImageData(0, 0, bmp.width, bmp.height).data;
    let inked = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] < 250 || d[i + 1] < 250 || d[i + 2] < 250) inked++;
    return { corner: [d[0], d[1], d[2], d[3]], inked, width: bmp.width };
  }, body.toString('base64'));
}

function compiles(path: string): void {
  const r = spawnSync('python3', ['-m', 'py_compile', path], { encoding: 'utf8' });
  expect(r.error).toBeUndefined();
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
}

const csvLines = (body: Buffer) => body.toString('utf8').trimEnd().split('\n');

describe('exports', () => {
  test('Karate GCN: before a run each button says why it waits; after 3 epochs every download is right', async () => {
    const { page, errors } = await openPage(browser, siteUrl());
    await expect.poll(() => text(page, 'node-count')).toBe('34');
    await page.getByTestId('export-panel').waitFor();

    // Nothing trained yet: the weights wait for an epoch, and pressing says why.
    expect(await button(page, 'weights-json').getAttribute('aria-disabled')).toBe('true');
    expect(await button(page, 'weights-json').getAttribute('title')).toMatch(/epoch/);
    // It stays focusable (aria-disabled, not disabled), and Enter on it says why in the status line.
    await button(page, 'weights-json').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => text(page, 'export-status')).toMatch(/^Weights \(JSON\): .*epoch/);
    // The script needs no run.
    expect(await button(page, 'pyg-script').getAttribute('aria-disabled')).toBe('false');

    await expect.poll(() => page.getByTestId('step-button').isEnabled(), { timeout: 30_000 }).toBe(true);
    for (let e = 1; e <= 3; e++) {
      await page.getByTestId('step-button').click();
      await waitForEpoch(page, e);
    }
    await expect.poll(() => button(page, 'weights-json').getAttribute('aria-disabled')).toBe('false');

    const weights = await download(page, 'weights-json');
    expect(weights.name).toBe('karate-gcn-weights-epoch3.json');
    const w = JSON.parse(weights.body.toString('utf8'));
    expect([w.schema, w.schema_version, w.contents, w.epoch]).toEqual(['gnn-playground-export', 1, 'weights', 3]);
    expect(w.dataset).toMatchObject({ id: 'karate', name: 'KarateClub', task: 'node', num_nodes: 34, num_features: 34, num_classes: 2 });
    expect(w.config).toMatchObject({ model: 'gcn', layers: 2, hidden: 16, dataset: 'karate' });
    expect(w.backend.kind).toMatch(/^(webgpu|cpu)$/);
    expect(w.parameters.map((p: { name: string; shape: number[] }) => [p.name, ...p.shape])).toEqual([
      ['layer 1 weight', 34, 16], ['layer 1 bias', 1, 16], ['layer 2 weight', 16, 2], ['layer 2 bias', 1, 2],
    ]);
    for (const p of w.parameters) {
      expect(p.data).toHaveLength(p.shape[0]);
      expect(p.data.every((row: number[]) => row.length === p.shape[1] && row.every(Number.isFinite))).toBe(true);
    }
    expect(await text(page, 'export-status')).toBe('Saved karate-gcn-weights-epoch3.json.');

    const emb = await download(page, 'embeddings-json');
    expect(emb.name).toBe('karate-gcn-embeddings-epoch3.json');
    const e = JSON.parse(emb.body.toString('utf8'));
    expect(e.contents).toBe('embeddings');
    expect(e.nodes.count).toBe(34);
    expect(e.nodes.labels).toHaveLength(34);
    expect(e.nodes.split.filter((s: string) => s === 'train')).toHaveLength(2);
    expect(e.layers.map((l: { name: string; shape: number[] }) => [l.name, ...l.shape])).toEqual([['layer 1', 34, 16], ['layer 2', 34, 2]]);

    // By keyboard: Enter on the focused button.
    const csv = await download(page, 'embeddings-csv', 'enter');
    expect(csv.name).toBe('karate-gcn-embeddings-epoch3.csv');
    const rows = csvLines(csv.body);
    expect(rows[0]).toBe(['node', 'layer', 'label', 'split', ...Array.from({ length: 16 }, (_, d) => `dim${d}`)].join(','));
    expect(rows).toHaveLength(1 + 2 * 34);
    expect(rows[1].startsWith('0,layer 1,0,train,')).toBe(true);
    expect(rows[35].split(',')).toHaveLength(4 + 16);
    expect(rows[35].split(',').slice(0, 4)).toEqual(['0', 'layer 2', '0', 'train']);
    // The CSV's numbers are the JSON's.
    expect(rows[1].split(',').slice(4).map(Number)).toEqual(e.layers[0].data[0]);

    const curves = await download(page, 'curves-csv');
    expect(curves.name).toBe('karate-gcn-curves.csv');
    const c = csvLines(curves.body);
    expect(c[0]).toBe('epoch,loss,train_acc,val_acc,test_acc,ms');
    expect(c.map((l) => l.split(',')[0])).toEqual(['epoch', '1', '2', '3']);

    // The graph view is open: its canvas at device pixel ratio, under a title, on white.
    const canvasSize = await page.getByTestId('graph-canvas').evaluate((el: HTMLCanvasElement) => ({ w: el.width, h: el.height }));
    const graphPng = await download(page, 'graph-png');
    expect(graphPng.name).toBe('karate-gcn-graph-epoch3.png');
    const g = png(graphPng.body);
    expect(g.width).toBeGreaterThanOrEqual(canvasSize.w);
    expect(g.height).toBeGreaterThan(canvasSize.h);
    const gp = await pixels(page, graphPng.body);
    expect(gp.corner).toEqual([255, 255, 255, 255]);
    expect(gp.inked).toBeGreaterThan(2000);

    // Layer views with their tab closed are drawn offscreen; with it open, from its canvases.
    const offscreen = await download(page, 'layers-png');
    expect(offscreen.name).toBe('karate-gcn-layers-epoch3.png');
    const o = png(offscreen.body);
    expect(o.width).toBeGreaterThan(2 * 300);
    expect((await pixels(page, offscreen.body)).corner).toEqual([255, 255, 255, 255]);
    await page.getByTestId('tab-layers').click();
    await page.getByTestId('layer-scatter-0').waitFor();
    expect(await button(page, 'graph-png').getAttribute('aria-disabled')).toBe('true');
    expect(await button(page, 'graph-png').getAttribute('title')).toBe('Open the Graph tab to export its picture.');
    const shown = await download(page, 'layers-png');
    const s = png(shown.body);
    const cells = await page.locator('[data-testid="layer-multiples"] canvas').evaluateAll((cs) => cs.map((el) => (el as HTMLCanvasElement).width));
    expect(cells.length).toBe(3); // input, layer 1, layer 2
    expect(s.width).toBeGreaterThanOrEqual(cells.reduce((a, b) => a + b, 0));
    expect((await pixels(page, shown.body)).inked).toBeGreaterThan(1000);

    const script = await download(page, 'pyg-script');
    expect(script.name).toBe('pyg_karate_gcn.py');
    const py = script.body.toString('utf8');
    expect(py).toContain('GCNConv(34, 16, add_self_loops=True, normalize=True)');
    expect(py).toContain('torch.manual_seed(1)');
    compiles(join(dir, script.name));

    expect(errors).toEqual([]);
    await page.close();
  });

  test('MUTAG GIN: weights only (said so), embeddings unavailable with the reason', async () => {
    const { page, errors } = await openPage(browser, siteUrl());
    await page.getByLabel('Data set', { exact: true }).selectOption('mutag');
    await expect.poll(() => text(page, 'graph-count'), { timeout: 60_000 }).toMatch(/^\d+ of 188$/);
    await page.getByLabel('Model', { exact: true }).selectOption('gin');
    await expect.poll(() => page.getByTestId('step-button').isEnabled(), { timeout: 30_000 }).toBe(true);
    await page.getByTestId('step-button').click();
    await waitForEpoch(page, 1);
    for (const k of ['embeddings-json', 'embeddings-csv', 'layers-png']) {
      expect(await button(page, k).getAttribute('aria-disabled')).toBe('true');
      expect(await button(page, k).getAttribute('title')).toMatch(/weights only/);
    }
    const weights = await download(page, 'weights-json');
    expect(weights.name).toBe('mutag-gin-weights-epoch1.json');
    const w = JSON.parse(weights.body.toString('utf8'));
    expect(w.dataset.task).toBe('graph');
    expect(w.note).toMatch(/^Graph classification: weights only/);
    expect(w.parameters.find((p: { name: string }) => p.name === 'readout 0 weight').shape).toEqual([7 + 5 * 32, 2]);
    expect(w.parameters.filter((p: { trainable: boolean }) => !p.trainable)).toHaveLength(10); // 5 batch norms x (mean, var)
    const curves = csvLines((await download(page, 'curves-csv')).body);
    expect(curves[0]).toBe('epoch,loss,train_acc,val_acc,test_acc,val_loss,ms');
    expect(curves).toHaveLength(2);
    const script = await download(page, 'pyg-script');
    expect(script.name).toBe('pyg_mutag_gin.py');
    expect(script.body.toString('utf8')).toContain("TUDataset(root='data/TUDataset', name='MUTAG')");
    compiles(join(dir, script.name));
    const graphPng = png((await download(page, 'graph-png')).body);
    expect(graphPng.width).toBeGreaterThan(300);
    expect(errors).toEqual([]);
    await page.close();
  });
});
