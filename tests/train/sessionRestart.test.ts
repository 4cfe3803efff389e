import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configureVulkan, nodeGpu, nodeShaderSources } from '../../src/cli/nodeGpu';
import type { FromWorker } from '../../src/train/protocol';
import { defaultConfig } from '../../src/train/protocol';
import { Session } from '../../src/train/session';

/**
 * Loading another data set while reads of the old run are still in flight (the page's dataset
 * select, mid-training): the old backend is destroyed under those reads, and they must end
 * quietly, with no error message and no unhandled rejection, while the new run starts clean.
 */
const karateText = readFileSync(new URL('../../../shared/datasets/karate.json', import.meta.url), 'utf8');

const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => unhandled.push(e);
beforeEach(() => { unhandled.length = 0; process.on('unhandledRejection', onUnhandled); });
afterEach(() => { process.off('unhandledRejection', onUnhandled); });

const settle = async (ms: number) => { await new Promise((r) => setTimeout(r, ms)); };

describe('a new run while the old one has reads in flight', () => {
  it.each([0, 1, 2, 3])('init %i progress messages in: no error, no unhandled rejection, the new run trains', async (after) => {
    configureVulkan(true);
    const gpu = await nodeGpu();
    const posted: FromWorker[] = [];
    let restart: (() => void) | null = null;
    let progressSeen = 0;
    const s = new Session((m) => {
      posted.push(m);
      if (m.type === 'progress' && ++progressSeen === after) restart?.();
    }, gpu, nodeShaderSources());
    const config = { ...defaultConfig, dataset: 'karate' as const, backend: 'webgpu' as const, epochs: 400 };
    await s.init(config, karateText);
    let second: Promise<void> | null = null;
    restart = () => { second = s.init({ ...config, epochs: 5 }, karateText); };
    s.play();
    // Zero: before the first batch's numbers arrive, with its collect and layer snapshot pending.
    if (after === 0) restart();
    const t0 = Date.now();
    while (second === null && Date.now() - t0 < 60_000) await settle(5);
    await second;
    const marker = posted.length;
    s.play();
    while (!posted.slice(marker).some((m) => m.type === 'done' || m.type === 'error') && Date.now() - t0 < 90_000) await settle(10);
    await settle(50);
    expect(posted.filter((m) => m.type === 'error')).toEqual([]);
    expect(unhandled.map(String)).toEqual([]);
    const epochs = posted.slice(marker).flatMap((m) => (m.type === 'progress' ? m.reports.map((r) => r.epoch) : []));
    expect(epochs).toEqual([1, 2, 3, 4, 5]);
  });
});
