/**
 * Every model trains on WebGPU as on the CPU reference: the same loss curve (to f32 rounding
 * of transcendental functions) and the same accuracies, for node classification on Karate and
 * graph classification on MUTAG mini-batches.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/engine/backend';
import { CpuBackend } from '../../src/engine/cpu/cpuBackend';
import { openGpu } from '../../src/gpu/context';
import { GpuBackend } from '../../src/gpu/gpuBackend';
import { viteShaderSources } from '../../src/gpu/shaders.vite';
import type { GraphSet } from '../../src/graph/graphSet';
import { parseGraphJson } from '../../src/graph/loadGraphJson';
import { parseGraphSetJson } from '../../src/graph/loadGraphSetJson';
import type { Graph } from '../../src/graph/types';
import { type ModelKind, modelKinds, type ModelSpec } from '../../src/models/spec';
import { GraphTrainer } from '../../src/train/graphTrainer';
import type { EpochReport } from '../../src/train/protocol';
import { recipeConfig } from '../../src/train/recipes';
import { Trainer, type TrainOptions } from '../../src/train/trainer';
import { expectClose } from '../helpers/compare';

let gpu: GpuBackend;
let karate: Graph;
let mutag: GraphSet;

beforeAll(async () => {
  gpu = await GpuBackend.create(await openGpu(navigator.gpu), viteShaderSources);
  karate = parseGraphJson(await (await fetch('/datasets/karate.json')).text());
  mutag = parseGraphSetJson(await (await fetch('/datasets/mutag.json')).text());
});

afterAll(() => gpu?.destroy());

async function run(trainer: Trainer | GraphTrainer): Promise<EpochReport[]> {
  const reports: EpochReport[] = [];
  while (!trainer.finished) {
    trainer.step();
    reports.push(...(await trainer.flush()));
  }
  return reports;
}

function compare(onGpu: EpochReport[], onCpu: EpochReport[]): void {
  expect(onGpu.length).toBe(onCpu.length);
  expectClose(onGpu.map((r) => r.loss), onCpu.map((r) => r.loss), 1e-3, 1e-4, 'loss per epoch');
  // Accuracies are counts: equal unless a logit sits within rounding of a tie.
  for (const key of ['trainAcc', 'testAcc'] as const) {
    const diff = Math.max(...onGpu.map((r, i) => Math.abs(r[key] - onCpu[i][key])));
    expect(diff, key).toBeLessThanOrEqual(0.04);
  }
}

const variants: [string, ModelKind, Partial<ModelSpec>][] = [
  ...modelKinds.map((m): [string, ModelKind, Partial<ModelSpec>] => [m, m, {}]),
  ['sage max', 'sage', { aggr: 'max' }],
  ['gcn 4 layers, residual, PairNorm, JK cat', 'gcn', { layers: 4, residual: true, pairNorm: true, jk: 'cat' }],
];

describe('node classification on Karate: WebGPU against the CPU reference', () => {
  for (const [name, model, over] of variants) {
    it(name, async () => {
      const opts: TrainOptions = { ...recipeConfig('karate', model), ...over, seed: 3, epochs: 12 };
      const onCpu = await run(new Trainer(new CpuBackend(), karate, opts));
      const onGpu = await run(new Trainer(gpu as Backend, karate, opts));
      compare(onGpu, onCpu);
    });
  }
});

describe('graph classification on MUTAG: WebGPU against the CPU reference', () => {
  for (const [model, over] of [['gin', {}], ['rgcn', { cross: 'stack' }], ['gat', { pool: 'max' }]] as const) {
    it(`${model} ${JSON.stringify(over)}`, async () => {
      const opts: TrainOptions = { ...recipeConfig('mutag', model), ...over, layers: 2, hidden: 16, seed: 1, epochs: 2, batchSize: 128 };
      const onCpu = await run(new GraphTrainer(new CpuBackend(), mutag, opts));
      const onGpu = await run(new GraphTrainer(gpu as Backend, mutag, opts));
      compare(onGpu, onCpu);
    });
  }
});
