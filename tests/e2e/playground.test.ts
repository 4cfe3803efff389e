import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumArgs, chromiumEnv, chromiumPath } from '../chromium';
import { epoch, inkedPixels, openPage, percent, shoot, shots, siteUrl, text, waitForEpoch } from './pageHelpers';

// The teaching views of issue 5: draw, generate and load graphs; layers, over-smoothing, the
// depth sweep and the node inspector, driven as a person would in headless Chromium.

const root = resolve(import.meta.dirname, '../..');
const fixtures = join(root, 'tests/fixtures/graph');
const mutag = join(root, '../shared/datasets/tu/MUTAG');
let browser: Browser;
let broken: string;

beforeAll(async () => {
  await mkdir(shots, { recursive: true });
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, env: chromiumEnv, headless: true });
  broken = await mkdtemp(join(tmpdir(), 'gnn-broken-'));
  const npz = await readFile(join(fixtures, 'tiny_compressed.npz'));
  await writeFile(join(broken, 'bad.json'), '{"schema": "gnn-graph-json", "schema_version": 7}');
  await writeFile(join(broken, 'bad.csv'), 'a,b\nc\n');
  await writeFile(join(broken, 'bad.npz'), npz.subarray(0, 200));
  await writeFile(join(broken, 'MUTAG_A.txt'), await readFile(join(mutag, 'MUTAG_A.txt')));
  await writeFile(join(broken, 'MUTAG_graph_indicator.txt'), await readFile(join(mutag, 'MUTAG_graph_indicator.txt')));
});

afterAll(async () => {
  await browser?.close();
});

const open = () => openPage(browser, siteUrl());

/** Points of the drawing surface as fractions of its box. */
async function surface(page: Page) {
  const b = (await page.getByTestId('editor-svg').boundingBox())!;
  return (fx: number, fy: number) => ({ x: b.x + fx * b.width, y: b.y + fy * b.height });
}

async function dragBetween(page: Page, a: { x: number; y: number }, b: { x: number; y: number }) {
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 3 });
  await page.mouse.move(b.x, b.y, { steps: 3 });
  await page.mouse.up();
}

/** Moves the pointer over the graph canvas until the tooltip names a node, and clicks there. */
async function clickSomeNode(page: Page): Promise<void> {
  const b = (await page.getByTestId('graph-canvas').boundingBox())!;
  for (let i = 0; i < 400; i++) {
    const x = b.x + b.width * (0.1 + 0.8 * ((i * 0.618) % 1)), y = b.y + b.height * (0.1 + 0.8 * ((i * 0.382) % 1));
    await page.mouse.move(x, y);
    if (await page.locator('.tooltip').count()) {
      await page.mouse.click(x, y);
      return;
    }
  }
  throw new Error('no node found under the pointer');
}

const metaNumbers = async (page: Page) => (await text(page, 'draft-meta')).match(/\d+/g)!.map(Number);

describe('the teaching playground', () => {
  test('without WebGPU every view works on the CPU backend: layers, over-smoothing, inspector, spectrum', async () => {
    const noGpu = await chromium.launch({
      executablePath: chromiumPath, env: chromiumEnv, headless: true,
      args: chromiumArgs.filter((a) => !/webgpu|swiftshader|Vulkan/i.test(a)),
    });
    try {
      const { page, errors } = await openPage(noGpu, siteUrl());
      expect(await text(page, 'backend-badge')).toContain('CPU');
      await expect.poll(() => text(page, 'node-count')).toBe('34');
      for (let i = 0; i < 3; i++) {
        await page.getByTestId('step-button').click();
        await waitForEpoch(page, i + 1);
      }
      await clickSomeNode(page);
      await expect.poll(() => text(page, 'inspector-summary'), { timeout: 20_000 }).toMatch(/after epoch 3/);
      await page.getByTestId('tab-layers').click();
      await expect.poll(() => page.getByTestId('layer-multiples').locator('figure').count()).toBe(3);
      await page.getByTestId('tab-smoothing').click();
      await expect.poll(() => page.getByTestId('smoothing-depth-chart').count()).toBe(1);
      await page.getByTestId('tab-spectrum').click();
      await expect.poll(() => page.getByText('low frequency').count(), { timeout: 20_000 }).toBeGreaterThan(0);
      expect(errors.filter((e) => !/WebGPU/i.test(e))).toEqual([]);
    } finally {
      await noGpu.close();
    }
  });

  test('draw a 6-node graph with two classes, with undo and redo, and train it to 100% training accuracy', async () => {
    const { page, errors } = await open();
    await page.getByTestId('draw-new').click();
    await expect.poll(() => text(page, 'draft-problem')).toContain('Add some nodes');
    const at = await surface(page);
    const spots = [[0.15, 0.3], [0.3, 0.15], [0.3, 0.55], [0.7, 0.3], [0.85, 0.55], [0.65, 0.7]].map(([x, y]) => at(x, y));
    for (const p of spots) await page.mouse.click(p.x, p.y);
    expect(await metaNumbers(page)).toEqual([6, 0, 2]);
    for (const [a, b] of [[0, 1], [1, 2], [2, 0], [3, 4], [4, 5], [5, 3], [2, 5]]) await dragBetween(page, spots[a], spots[b]);
    expect(await metaNumbers(page)).toEqual([6, 7, 2]);

    // Undo drops the last edge, redo brings it back.
    await page.getByTestId('undo').click();
    expect(await metaNumbers(page)).toEqual([6, 6, 2]);
    await page.getByTestId('redo').click();
    expect(await metaNumbers(page)).toEqual([6, 7, 2]);

    // Paint the right triangle class 1, and one node of each class "train".
    await page.getByTestId('tool-label').click();
    await page.getByTestId('paint-class-1').click();
    for (const i of [3, 4, 5]) await page.mouse.click(spots[i].x, spots[i].y);
    await page.getByTestId('paint-split-train').click();
    expect(await page.getByTestId('use-draft').isDisabled()).toBe(true);
    for (const i of [0, 4]) await page.mouse.click(spots[i].x, spots[i].y);
    await expect.poll(() => page.getByTestId('draft-node-4').getAttribute('aria-label')).toBe('Node 4, class 1, train');
    expect(await page.getByTestId('draft-node-1').getAttribute('aria-label')).toBe('Node 1, class 0, test');
    await shoot(page, 'draw-editor.png');

    await page.getByTestId('use-draft').click();
    await expect.poll(() => text(page, 'node-count')).toBe('6');
    await page.getByTestId('train-button').click();
    await page.getByText('All epochs done').waitFor({ timeout: 120_000 });
    expect(await text(page, 'stat-train')).toBe('100.0%');
    expect(await inkedPixels(page)).toBeGreaterThan(500);
    await shoot(page, 'draw-trained.png');

    // The drawing can be edited again: it comes back as it was.
    await page.getByTestId('edit-draft').click();
    expect(await metaNumbers(page)).toEqual([6, 7, 2]);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('the editor works from the keyboard: N adds nodes, E joins two selected, 2 sets the class, T marks train', async () => {
    const { page } = await open();
    await page.getByTestId('draw-new').click();
    await page.getByTestId('editor').focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('n');
    expect(await metaNumbers(page)).toEqual([3, 0, 2]);
    await page.getByTestId('draft-node-0').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('draft-node-1').focus();
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.press('e');
    expect(await metaNumbers(page)).toEqual([3, 1, 2]);
    await page.keyboard.press('2');
    await page.keyboard.press('t');
    expect(await page.getByTestId('draft-node-1').getAttribute('aria-label')).toBe('Node 1, class 1, train');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+z');
    expect(await page.getByTestId('draft-node-1').getAttribute('aria-label')).toBe('Node 1, class 1, test');
    await page.close();
  });

  test('generate a stochastic block model, see its homophily, and train it', async () => {
    const { page, errors } = await open();
    await page.locator('details.generate summary').click();
    await page.getByTestId('generator-select').selectOption('sbm');
    await page.getByTestId('generate').click();
    await expect.poll(() => text(page, 'generate-message')).toMatch(/120 nodes, \d+ edges, edge homophily 0\.\d\d/);
    await expect.poll(() => text(page, 'node-count')).toBe('120');
    await page.getByTestId('train-button').click();
    await waitForEpoch(page, 40);
    await page.getByTestId('train-button').click();
    await expect.poll(() => text(page, 'train-button')).toBe('Continue');
    await page.getByTestId('train-button').click();
    await waitForEpoch(page, 200);
    // Judged at the end: the accuracy over these 12 training nodes swings from 33% to 88% between
    // epochs 30 and 60, so where a pause lands (batch timing) would decide a mid-run check.
    // Epoch 200 (CPU backend, same numbers): train 91.7%, test at the best validation epoch 88.9%.
    expect(await percent(page, 'stat-train')).toBeGreaterThan(0.8);
    expect(await percent(page, 'stat-best')).toBeGreaterThan(0.7);
    await page.getByTestId('colour-select').selectOption('correct');
    await page.waitForTimeout(300);
    await shoot(page, 'sbm-trained.png');
    expect(errors).toEqual([]);
    await page.close();
  });

  test('load every supported file format; a broken file of each says why and keeps the graph', async () => {
    const { page } = await open();
    await expect.poll(() => text(page, 'node-count')).toBe('34');
    const input = page.getByTestId('file-input');
    const loads: [string[], RegExp, string][] = [
      [[join(fixtures, 'friends.csv'), join(fixtures, 'friends_labels.csv')], /nodes/, ''],
      [[join(fixtures, 'tiny_compressed.npz')], /nodes/, ''],
      [[join(root, 'public/datasets/karate.json')], /KarateClub: 34 nodes, 78 edges/, '34'],
      [['A', 'graph_indicator', 'graph_labels', 'node_labels', 'edge_labels'].map((p) => join(mutag, `MUTAG_${p}.txt`)), /MUTAG: 188 graphs/, ''],
    ];
    for (const [files, message, nodes] of loads) {
      await input.setInputFiles(files);
      await expect.poll(() => text(page, 'load-message'), { timeout: 30_000 }).toMatch(message);
      if (nodes) await expect.poll(() => text(page, 'node-count')).toBe(nodes);
    }
    await expect.poll(() => text(page, 'graph-count'), { timeout: 30_000 }).toMatch(/of 188/);

    // Back to a node graph, then each broken file: a message, and the graph stays.
    await input.setInputFiles(join(root, 'public/datasets/karate.json'));
    await expect.poll(() => text(page, 'node-count')).toBe('34');
    const bad: [string[], RegExp][] = [
      [[join(broken, 'bad.json')], /bad\.json.*schema_version/],
      [[join(broken, 'bad.csv')], /bad\.csv.*line 2/],
      [[join(broken, 'bad.npz')], /bad\.npz/],
      [[join(broken, 'MUTAG_A.txt'), join(broken, 'MUTAG_graph_indicator.txt')], /graph_labels/],
    ];
    for (const [files, message] of bad) {
      await input.setInputFiles(files);
      // The previous file's alert is still up while this one is read: wait for this file's message.
      await expect.poll(() => text(page, 'load-message'), { timeout: 30_000 }).toMatch(message);
      expect(await page.getByTestId('load-message').getAttribute('role')).toBe('alert');
      expect(await text(page, 'load-message')).toContain('The current graph is unchanged');
      expect(await text(page, 'node-count')).toBe('34');
    }
    await shoot(page, 'load-broken-file.png');
    await page.close();
  });

  test('layer embeddings move with the epochs; the scrubber looks back', async () => {
    const { page, errors } = await open();
    await expect.poll(() => text(page, 'node-count')).toBe('34');
    for (let i = 0; i < 3; i++) {
      await page.getByTestId('step-button').click();
      await waitForEpoch(page, i + 1);
    }
    await page.getByTestId('tab-layers').click();
    await expect.poll(() => page.getByTestId('layer-multiples').locator('figure').count()).toBe(3);
    await expect.poll(() => text(page, 'scrub-epoch')).toBe('3');
    expect(await inkedPixels(page, 'layer-scatter-1')).toBeGreaterThan(200);
    const scrubber = page.getByTestId('epoch-scrubber');
    await scrubber.focus();
    await page.keyboard.press('Home');
    await expect.poll(() => text(page, 'scrub-epoch')).toBe('1');
    // The scrubber's arrow keys move it, not the training.
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => text(page, 'scrub-epoch')).toBe('2');
    expect(await epoch(page)).toBe(3);
    await shoot(page, 'layers-karate.png');
    expect(errors).toEqual([]);
    await page.close();
  });

  test('over-smoothing: per-layer MAD and energy, and a depth sweep on Karate', async () => {
    const { page, errors } = await open();
    await expect.poll(() => text(page, 'node-count')).toBe('34');
    await page.getByTestId('step-button').click();
    await waitForEpoch(page, 1);
    // Tabs answer the arrow keys (and do not step an epoch).
    await page.getByTestId('tab-graph').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByTestId('tab-smoothing').getAttribute('aria-selected')).toBe('true');
    expect(await epoch(page)).toBe(1);
    await expect.poll(() => page.getByTestId('smoothing-depth-chart').count()).toBe(1);
    await page.getByLabel('Epochs per run').fill('5');
    await page.getByTestId('sweep-start').click();
    await expect.poll(() => text(page, 'sweep-status'), { timeout: 240_000 }).toBe('18 of 18 runs done');
    expect(await page.getByTestId('sweep-table').locator('tbody tr').count()).toBe(18);
    expect(await page.getByTestId('sweep-acc-chart').locator('svg path').count()).toBeGreaterThanOrEqual(3);
    await page.getByTestId('sweep-acc-chart').scrollIntoViewIfNeeded();
    await shoot(page, 'smoothing-sweep.png');
    expect(errors).toEqual([]);
    await page.close();
  });

  test('a model too large for the adapter says so before anything is built, and the settings stay', async () => {
    const { page } = await open();
    await page.getByTestId('dataset-select').selectOption('pubmed');
    await expect.poll(() => text(page, 'node-count'), { timeout: 60_000 }).toBe('19717');
    expect(await text(page, 'backend-badge')).toContain('WebGPU'); // GCN keeps the identity features sparse
    expect(await text(page, 'stat-memory')).toMatch(/MiB/);
    // GIN densifies the input: 19,717 x 19,717 floats is past any adapter's buffer limit.
    await page.getByTestId('model-select').selectOption('gin');
    await expect.poll(() => text(page, 'error-banner'), { timeout: 60_000 }).toMatch(/do not fit this adapter: .*buffer/);
    expect(await page.getByTestId('model-select').inputValue()).toBe('gin');
    await page.close();
  });

  test('click a node: the inspector shows its neighbours, coefficients, prediction, and steps through the sum', async () => {
    const { page, errors } = await open();
    await expect.poll(() => text(page, 'node-count')).toBe('34');
    await page.getByTestId('step-button').click();
    await waitForEpoch(page, 1);
    await clickSomeNode(page);
    await expect.poll(() => text(page, 'inspector-summary'), { timeout: 20_000 }).toMatch(/True class .* predicted .* after epoch 1\. \d+ neighbours?/);
    expect(await page.getByTestId('inspector').locator('.inspect-table tbody tr').count()).toBeGreaterThan(1);
    await page.getByTestId('step-next').click();
    expect(await text(page, 'step-text')).toMatch(/Term 1 of \d+: .* coefficient 0\.\d{3}/);
    await shoot(page, 'inspector-karate.png');
    expect(errors).toEqual([]);
    await page.close();
  });
});
