/**
 * Layer snapshots, the node inspector and tracked (sweep) trainers on WebGPU give what the CPU
 * reference gives, and a 32-layer GCN on Cora fits the software adapter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/engine/backend';
import { CpuBackend } from '../../src/engine/cpu/cpuBackend';
import { trackBackend } from '../../src/engine/tracking';
import { openGpu } from '../../src/gpu/context';
import { GpuBackend } from '../../src/gpu/gpuBackend';
import { viteShaderSources } from '../../src/gpu/shaders.vite';
import { parseGraphJson } from '../../src/graph/loadGraphJson';
import type { Graph } from '../../src/graph/types';
import type { ModelSpec } from '../../src/models/spec';
import { inspectNode } from '../../src/train/inspect';
import type { LayerSnapshot } from '../../src/train/layerProbe';
import { recipeConfig } from '../../src/train/recipes';
import { Trainer, type TrainOptions } from '../../src/train/trainer';
import { expectClose } from '../helpers/compare';

let gpu: GpuBackend;
let karate: Graph;

beforeAll(async () => {
  gpu = await GpuBackend.create(await openGpu(navigator.gpu), viteShaderSources);
  karate = parseGraphJson(await (await fetch('/datasets/karate.json')).text());
});

afterAll(() => gpu?.destroy());

async function snapshotAfter(be: Backend, graph: Graph, opts: TrainOptions): Promise<LayerSnapshot> {
  const t = new Trainer(be, graph, opts);
  while (!t.finished) t.step(t.epochsDone === opts.epochs - 1);
  await t.flush();
  return t.snapshot();
}

function expectSame(onGpu: LayerSnapshot, onCpu: LayerSnapshot): void {
  expect(onGpu.epoch).toBe(onCpu.epoch);
  expect(onGpu.layers.map((l) => [l.name, l.rows, l.cols])).toEqual(onCpu.layers.map((l) => [l.name, l.rows, l.cols]));
  onGpu.layers.forEach((l, i) => expectClose(Array.from(l.data), Array.from(onCpu.layers[i].data), 1e-4, 1e-4, l.name));
  expectClose([...onGpu.gradNorms], [...onCpu.gradNorms], 1e-4, 1e-4, 'gradient norms');
}

const karateOpts = (over: Partial<ModelSpec> = {}): TrainOptions => ({ ...recipeConfig('karate', 'gcn'), seed: 3, epochs: 5, ...over });

describe('snapshots on WebGPU against the CPU reference (Karate, 5 epochs)', () => {
  for (const [name, over] of [
    ['2-layer GCN', {}],
    ['3-layer GCN, JK cat', { layers: 3, jk: 'cat' }],
  ] as const) {
    it(name, async () => {
      const opts = karateOpts(over as Partial<ModelSpec>);
      expectSame(await snapshotAfter(gpu, karate, opts), await snapshotAfter(new CpuBackend(), karate, opts));
    });
  }

  it('the node inspector gives the same answer on both', async () => {
    const opts = karateOpts();
    const [onGpu, onCpu] = await Promise.all([gpu as Backend, new CpuBackend()].map(async (be) => {
      const t = new Trainer(be, karate, opts);
      while (!t.finished) t.step();
      return inspectNode(t, 0);
    }));
    expectClose(Array.from(onGpu.probabilities), Array.from(onCpu.probabilities), 1e-4, 1e-4, 'probabilities');
    onGpu.layers.forEach((l, i) => {
      expectClose(Array.from(l.messages!), Array.from(onCpu.layers[i].messages!), 1e-4, 1e-4, `${l.name} messages`);
      expectClose(Array.from(l.output), Array.from(onCpu.layers[i].output), 1e-4, 1e-4, `${l.name} output`);
    });
  });

  it('a tracked trainer released back to the pool leaves later runs unchanged (nothing freed twice)', async () => {
    const opts = karateOpts({ layers: 4, pairNorm: true });
    const before = await snapshotAfter(gpu, karate, opts);
    for (let i = 0; i < 2; i++) {
      const tracked = trackBackend(gpu);
      await snapshotAfter(tracked.backend, karate, opts);
      tracked.releaseAll();
    }
    const after = await snapshotAfter(gpu, karate, opts);
    after.layers.forEach((l, i) => expect(Array.from(l.data)).toEqual(Array.from(before.layers[i].data)));
  });
});

describe('depth on the software adapter', () => {
  it('a 32-layer GCN on Cora trains two epochs and snapshots 32 finite layers', async () => {
    const cora = parseGraphJson(await (await fetch('/datasets/cora.json')).text());
    const tracked = trackBackend(gpu);
    const opts: TrainOptions = { ...recipeConfig('cora', 'gcn'), layers: 32, epochs: 2, seed: 1 };
    const t = new Trainer(tracked.backend, cora, opts);
    t.step();
    t.step(true);
    const reports = await t.flush();
    expect(reports.every((r) => Number.isFinite(r.loss))).toBe(true);
    const snap = await t.snapshot();
    expect(snap.layers).toHaveLength(32);
    expect(snap.layers.every((l) => l.rows === 2708 && l.data.every(Number.isFinite))).toBe(true);
    tracked.releaseAll();
  });
});
