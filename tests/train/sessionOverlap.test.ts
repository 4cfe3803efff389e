import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configureVulkan, nodeGpu, nodeShaderSources } from '../../src/cli/nodeGpu';
import type { FromWorker, TrainConfig } from '../../src/train/protocol';
import { defaultConfig } from '../../src/train/protocol';
import { Session } from '../../src/train/session';

/**
 * The page's play loop on a real WebGPU device (Dawn on SwiftShader in Node): the next batch is
 * recorded while the previous one's metrics are in flight, and still every epoch is reported
 * once, in order, with the numbers the CPU backend gives.
 */
const karateText = readFileSync(new URL('../../../shared/datasets/karate.json', import.meta.url), 'utf8');
const EPOCHS = 60;

type Progress = Extract<FromWorker, { type: 'progress' }>;

async function play(backend: TrainConfig['backend']) {
  configureVulkan(true);
  const gpu = backend === 'cpu' ? undefined : await nodeGpu();
  const posted: FromWorker[] = [];
  /** Epochs recorded when each progress message was posted. */
  const recordedAtPost: number[] = [];
  let s: Session | null = null;
  s = new Session((m) => {
    posted.push(m);
    if (m.type === 'progress') recordedAtPost.push((s as unknown as { trainer: { epochsDone: number } }).trainer.epochsDone);
  }, gpu, nodeShaderSources());
  await s.init({ ...defaultConfig, dataset: 'karate', backend, epochs: EPOCHS }, karateText);
  const info = posted.find((m) => m.type === 'backend') as Extract<FromWorker, { type: 'backend' }>;
  s.play();
  const t0 = Date.now();
  while (!posted.some((m) => m.type === 'done' || m.type === 'error') && Date.now() - t0 < 90_000) {
    await new Promise((r) => setTimeout(r, 10));
  }
  return { posted, recordedAtPost, kind: info.info.kind };
}

describe('play on WebGPU keeps one batch in flight', () => {
  it('reports every epoch once, in order, ends with done, overlaps batches, and matches the CPU backend', async () => {
    const gpu = await play('webgpu');
    expect(gpu.kind).toBe('webgpu');
    expect(gpu.posted.filter((m) => m.type === 'error')).toEqual([]);
    const progress = gpu.posted.filter((m): m is Progress => m.type === 'progress');
    const epochs = progress.flatMap((p) => p.reports.map((r) => r.epoch));
    expect(epochs).toEqual(Array.from({ length: EPOCHS }, (_, i) => i + 1));
    // Still running until the last batch, which is followed by exactly one done.
    expect(progress.map((p) => p.running)).toEqual(progress.map((_, i) => i < progress.length - 1));
    const types = gpu.posted.map((m) => m.type);
    expect(types.filter((t) => t === 'done')).toHaveLength(1);
    expect(types.lastIndexOf('done')).toBeGreaterThan(types.lastIndexOf('progress'));
    // Overlap: some batch was posted after the next one had been recorded.
    const last = progress.map((p) => p.reports[p.reports.length - 1].epoch);
    expect(progress.length).toBeGreaterThan(2);
    expect(gpu.recordedAtPost.some((recorded, i) => recorded > last[i])).toBe(true);
    for (const p of progress) expect(p.predictions).toHaveLength(34);

    const cpu = await play('cpu');
    const cpuLoss = cpu.posted.filter((m): m is Progress => m.type === 'progress').flatMap((p) => p.reports.map((r) => r.loss));
    const gpuLoss = progress.flatMap((p) => p.reports.map((r) => r.loss));
    expect(cpuLoss).toHaveLength(EPOCHS);
    const worst = Math.max(...gpuLoss.map((l, i) => Math.abs(l - cpuLoss[i])));
    expect(worst).toBeLessThan(1e-4);
    // On the CPU nothing is overlapped: each batch is posted before the next is recorded.
    const cpuProgress = cpu.posted.filter((m): m is Progress => m.type === 'progress');
    expect(cpu.recordedAtPost).toEqual(cpuProgress.map((p) => p.reports[p.reports.length - 1].epoch));
  });
});
