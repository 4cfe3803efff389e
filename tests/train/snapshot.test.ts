import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Csr } from '../../src/graph/types';
import type { SparseStructure, Tensor } from '../../src/engine/backend';
import { CpuBackend } from '../../src/engine/cpu/cpuBackend';
import { nllLoss } from '../../src/engine/ops';
import { Tape, Var } from '../../src/engine/tape';
import { trackBackend } from '../../src/engine/tracking';
import { parseGraphJson } from '../../src/graph/loadGraphJson';
import { featureCount } from '../../src/graph/types';
import { l2NormOf } from '../../src/metrics/gradNorm';
import { nodeModel } from '../../src/models/nodeModel';
import { type ModelSpec, needsDenseInput } from '../../src/models/spec';
import { DeviceGraph, withValues } from '../../src/train/deviceGraph';
import { recipeConfig } from '../../src/train/recipes';
import { Trainer, type TrainOptions } from '../../src/train/trainer';

const karate = parseGraphJson(readFileSync(new URL('../../public/datasets/karate.json', import.meta.url), 'utf8'));
const options = (over: Partial<ModelSpec & TrainOptions> = {}): TrainOptions => ({ ...recipeConfig('karate', 'gcn'), seed: 2, epochs: 6, ...over });

function run(t: Trainer, epochs: number, captureAt = -1): void {
  for (let e = 0; e < epochs; e++) t.step(e === captureAt);
}

describe('Trainer.snapshot', () => {
  for (const [what, over, shapes, names] of [
    ['2-layer GCN', {}, [16, 2], ['layer 1', 'layer 2']],
    ['4-layer GCN', { layers: 4 }, [16, 16, 16, 2], ['layer 1', 'layer 2', 'layer 3', 'layer 4']],
    ['3-layer GCN with JK cat', { layers: 3, jk: 'cat' }, [16, 16, 16, 2], ['layer 1', 'layer 2', 'layer 3', 'JK cat head']],
    ['2-layer GAT (8 heads of 8)', { model: 'gat', hidden: 8, heads: 8 }, [64, 2], ['layer 1', 'layer 2']],
    ['SGC', { model: 'sgc' }, [2], ['output']],
  ] as const) {
    it(`${what}: a layer per model layer, [34, width] each, and a gradient norm per layer`, async () => {
      const t = new Trainer(new CpuBackend(), karate, options(over as Partial<ModelSpec>));
      run(t, 3, 2);
      const snap = await t.snapshot();
      expect(snap.epoch).toBe(3);
      expect(snap.layers.map((l) => l.cols)).toEqual(shapes);
      expect(snap.layers.map((l) => l.name)).toEqual(names);
      for (const l of snap.layers) {
        expect(l.rows).toBe(34);
        expect(l.data).toHaveLength(34 * l.cols);
        expect(l.data.every(Number.isFinite)).toBe(true);
      }
      expect(snap.gradNorms).toHaveLength(shapes.length);
      expect(snap.gradNorms.every((g) => Number.isFinite(g) && g > 0)).toBe(true);
    });
  }

  it('the layers are those of the evaluation pass: a fresh eval forward with the trained weights gives the same', async () => {
    const be = new CpuBackend();
    const t = new Trainer(be, karate, options({ layers: 3, residual: true, pairNorm: true }));
    run(t, 4, 3);
    const snap = await t.snapshot();
    const tape = new Tape(be);
    const f = t.data.features;
    const x = 'dense' in f ? { dense: new Var(f.dense, false) } : { sparse: f.sparse.pair };
    const { layers, logits } = t.model.forwardLayers(tape, t.data.ctx, x, false, 3);
    expect(layers).toHaveLength(3);
    for (let l = 0; l < 3; l++) expect(snap.layers[l].data).toEqual(await be.read(layers[l].value));
    expect(snap.layers[2].data).toEqual(await be.read(logits.value));
    // The hidden layers went through ReLU after PairNorm.
    expect(snap.layers[0].data.every((v) => v >= 0)).toBe(true);
  });

  it('gradient norms equal l2NormOf of each layer\'s parameter gradients, computed directly (epoch 1, with dropout)', async () => {
    for (const over of [{}, { layers: 3, jk: 'cat' }] as const) {
      const opts = options(over);
      const t = new Trainer(new CpuBackend(), karate, opts);
      t.step(true);
      const snap = await t.snapshot();

      // The trainer's first step, by hand: same seed, same dropout keys, then backward.
      const be = new CpuBackend();
      const model = nodeModel(be, opts, { inDim: featureCount(karate.features), classes: 2, relations: 1 }, opts.seed);
      const data = new DeviceGraph(be, karate, needsDenseInput(opts));
      const tape = new Tape(be);
      if (!('sparse' in data.features)) throw new Error('Karate features are sparse');
      const { values, pair } = data.features.sparse;
      const dropped = tape.temp(values.rows, 1);
      be.dropout(values, opts.dropout, model.inputKey(0), dropped);
      const logits = model.forward(tape, data.ctx, { sparse: withValues(pair.a.structure, pair.aT.structure, dropped) }, true, 0);
      nllLoss(tape, logits, { labels: data.labels, splitOf: data.splitOf, maskBit: 1, count: 2 }, be.tensor(1, 4), 0);
      tape.runBackward();
      const expected: number[] = [];
      for (const group of model.layerParameters) {
        expected.push(l2NormOf(await Promise.all(group.map((p) => be.read(p.grad!)))));
      }
      expect(snap.gradNorms).toHaveLength(expected.length);
      snap.gradNorms.forEach((g, l) => expect(Math.abs(g - expected[l])).toBeLessThan(1e-5 * expected[l] + 1e-9));
    }
  });

  it('capturing changes nothing in training: the same reports with and without it', async () => {
    const a = new Trainer(new CpuBackend(), karate, options());
    const b = new Trainer(new CpuBackend(), karate, options());
    for (let e = 0; e < 6; e++) {
      a.step();
      b.step(e % 2 === 0);
    }
    const strip = (rs: { ms: number }[]) => rs.map(({ ms: _ms, ...r }) => r);
    expect(strip(await b.flush())).toEqual(strip(await a.flush()));
  });

  it('rejects before any capture', async () => {
    const t = new Trainer(new CpuBackend(), karate, options());
    t.step();
    await expect(t.snapshot()).rejects.toThrow(/no epoch has been captured/);
  });

  it('a 32-layer GCN trains on Karate (CPU) with finite layers, and its snapshot has 32 of them', async () => {
    const t = new Trainer(new CpuBackend(), karate, options({ layers: 32, epochs: 3 }));
    run(t, 3, 2);
    const reports = await t.flush();
    expect(reports.every((r) => Number.isFinite(r.loss))).toBe(true);
    const snap = await t.snapshot();
    expect(snap.layers).toHaveLength(32);
    expect(snap.gradNorms).toHaveLength(32);
    expect(snap.layers.every((l) => l.data.every(Number.isFinite))).toBe(true);
  });
});

/** A CPU backend that counts live allocations, to see that a tracked view frees them all. */
class CountingBackend extends CpuBackend {
  readonly live = new Set<Tensor>();
  readonly liveSparse = new Set<SparseStructure>();
  override tensor(rows: number, cols: number, data?: Float32Array): Tensor {
    const t = super.tensor(rows, cols, data);
    this.live.add(t);
    return t;
  }
  override intTensor(rows: number, cols: number, data?: Int32Array | Uint32Array): Tensor {
    const t = super.intTensor(rows, cols, data);
    this.live.add(t);
    return t;
  }
  override sparse(csr: Csr): SparseStructure {
    const s = super.sparse(csr);
    this.liveSparse.add(s);
    return s;
  }
  // CpuBackend's own release takes no argument (the GC frees); this one needs it.
  override release(t?: Tensor): void {
    if (!t || !this.live.delete(t)) throw new Error('released twice, or never made');
  }
  override releaseSparse(s?: SparseStructure): void {
    if (!s || !this.liveSparse.delete(s)) throw new Error('released twice, or never made');
  }
}

describe('trackBackend', () => {
  it('frees everything a trainer made, once, and leaves the backend usable', async () => {
    const counting = new CountingBackend();
    const kept = counting.tensor(1, 1);
    const tracked = trackBackend(counting);
    const t = new Trainer(tracked.backend, karate, options({ model: 'gat', hidden: 4, heads: 2 }));
    run(t, 3, 2);
    await t.snapshot();
    expect(counting.live.size).toBeGreaterThan(10);
    tracked.releaseAll();
    tracked.releaseAll();
    expect([...counting.live]).toEqual([kept]);
    expect(counting.liveSparse.size).toBe(0);
    expect(tracked.backend.kind).toBe('cpu');
  });
});
