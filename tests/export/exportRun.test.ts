import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/engine/cpu/cpuBackend';
import { parseGraphJson } from '../../src/graph/loadGraphJson';
import { parseGraphSetJson } from '../../src/graph/loadGraphSetJson';
import type { ModelSpec } from '../../src/models/spec';
import { exportRun, GRAPH_NOTE } from '../../src/train/exportRun';
import { GraphTrainer } from '../../src/train/graphTrainer';
import { type FromWorker, type RunExport, type TrainConfig } from '../../src/train/protocol';
import { recipeConfig } from '../../src/train/recipes';
import { Session } from '../../src/train/session';
import { Trainer } from '../../src/train/trainer';

const karateText = readFileSync(new URL('../../public/datasets/karate.json', import.meta.url), 'utf8');
const karate = parseGraphJson(karateText);
const mutagText = readFileSync(new URL('../../public/datasets/mutag.json', import.meta.url), 'utf8');
const gcnKarate: TrainConfig = { ...recipeConfig('karate', 'gcn'), backend: 'cpu', epochs: 10 };

type Exported = Extract<FromWorker, { type: 'exported' }>;

/** A CPU session recording every post with its transfer list. */
function session() {
  const posted: { m: FromWorker; transfer: Transferable[] }[] = [];
  const s = new Session((m, transfer = []) => posted.push({ m, transfer }), undefined, {});
  const exported = () => posted.filter((p) => p.m.type === 'exported') as { m: Exported; transfer: Transferable[] }[];
  return { s, posted, exported };
}

const shapes = (run: RunExport) => run.parameters.map((p) => [p.name, p.rows, p.cols]);

describe('export through the worker protocol (CPU session)', () => {
  it('before any init: null with a reason', async () => {
    const { s, exported } = session();
    await s.export();
    expect(exported().map((p) => p.m)).toEqual([{ type: 'exported', run: null, reason: 'There is no trained model yet.' }]);
  });

  it('a 2-layer GCN on Karate after 3 epochs: epoch 3, every parameter by name and shape, layers equal to the snapshot', async () => {
    const { s, exported } = session();
    await s.init(gcnKarate, karateText);
    for (let i = 0; i < 3; i++) await s.step();
    await s.export();
    const [{ m, transfer }] = exported();
    const run = m.run!;
    expect(m.reason).toBeUndefined();
    expect(run.task).toBe('node');
    expect(run.epoch).toBe(3);
    expect(run.numFeatures).toBe(34);
    expect(run.note).toBeUndefined();
    expect(shapes(run)).toEqual([
      ['layer 1 weight', 34, 16], ['layer 1 bias', 1, 16], ['layer 2 weight', 16, 2], ['layer 2 bias', 1, 2],
    ]);
    expect(run.parameters.map((p) => p.layer)).toEqual(['layer 1', 'layer 1', 'layer 2', 'layer 2']);
    expect(run.parameters.every((p) => p.trainable && p.data.length === p.rows * p.cols)).toBe(true);
    expect(run.layers.map((l) => [l.name, l.rows, l.cols])).toEqual([['layer 1', 34, 16], ['layer 2', 34, 2]]);
    // Every typed array moves to the page instead of being copied.
    const buffers = [...run.parameters, ...run.layers].map((p) => p.data.buffer);
    expect(new Set(transfer)).toEqual(new Set(buffers));

    // The same run trained by a trainer of its own (the CPU backend is deterministic): its
    // snapshot of epoch 3 is the export's layers, and its weights the export's parameters.
    const t = new Trainer(new CpuBackend(), karate, gcnKarate);
    for (let i = 0; i < 3; i++) t.step(true);
    await t.flush();
    const snap = await t.snapshot();
    expect(snap.epoch).toBe(3);
    snap.layers.forEach((l, i) => {
      expect(run.layers[i].name).toBe(l.name);
      expect(Array.from(run.layers[i].data)).toEqual(Array.from(l.data));
    });
    const own = await Promise.all(t.model.parameters.map(async (p) => Array.from(await t.backend.read(p.value))));
    run.parameters.forEach((p, i) => expect(Array.from(p.data)).toEqual(own[i]));
  });

  it('exportRun on a trainer: the layers are those of the newest epoch even when it was not captured', async () => {
    const t = new Trainer(new CpuBackend(), karate, gcnKarate);
    t.step(true);
    t.step(false);
    const run = await exportRun(t);
    expect(run.epoch).toBe(2);
    const twin = new Trainer(new CpuBackend(), karate, gcnKarate);
    twin.step(false);
    twin.step(true);
    const snap = await twin.snapshot();
    expect(snap.epoch).toBe(2);
    snap.layers.forEach((l, i) => expect(Array.from(run.layers[i].data)).toEqual(Array.from(l.data)));
  });

  for (const [what, over, expected] of [
    ['GAT (8 heads of 8, 1 output head)', { model: 'gat', hidden: 8, heads: 8 }, [
      ['layer 1 weight', 34, 64], ['layer 1 att_src', 1, 64], ['layer 1 att_dst', 1, 64], ['layer 1 bias', 1, 64],
      ['layer 2 weight', 64, 2], ['layer 2 att_src', 1, 2], ['layer 2 att_dst', 1, 2], ['layer 2 bias', 1, 2],
    ]],
    ['GraphSAGE', { model: 'sage' }, [
      ['layer 1 lin_l weight', 34, 16], ['layer 1 lin_l bias', 1, 16], ['layer 1 lin_r weight', 34, 16],
      ['layer 2 lin_l weight', 16, 2], ['layer 2 lin_l bias', 1, 2], ['layer 2 lin_r weight', 16, 2],
    ]],
    ['ChebNet K=3', { model: 'cheb', k: 3, layers: 1 }, [
      ['layer 1 weight 0', 34, 2], ['layer 1 weight 1', 34, 2], ['layer 1 weight 2', 34, 2], ['layer 1 bias', 1, 2],
    ]],
    ['R-GCN', { model: 'rgcn', layers: 1 }, [['layer 1 weight 0', 34, 2], ['layer 1 root', 34, 2], ['layer 1 bias', 1, 2]]],
    ['GIN with batch norm and learnt eps', { model: 'gin', layers: 1, batchNorm: true, trainEps: true }, [
      ['layer 1 mlp 0 weight', 34, 16], ['layer 1 mlp 0 bias', 1, 16], ['layer 1 mlp 1 weight', 16, 2], ['layer 1 mlp 1 bias', 1, 2],
      ['layer 1 mlp norm 0 weight', 1, 16], ['layer 1 mlp norm 0 bias', 1, 16],
      ['layer 1 mlp norm 0 running_mean', 1, 16], ['layer 1 mlp norm 0 running_var', 1, 16], ['layer 1 eps', 1, 1],
    ]],
    ['SGC', { model: 'sgc' }, [['output weight', 34, 2], ['output bias', 1, 2]]],
    ['GCN with JK cat', { layers: 2, jk: 'cat' }, [
      ['layer 1 weight', 34, 16], ['layer 1 bias', 1, 16], ['layer 2 weight', 16, 16], ['layer 2 bias', 1, 16],
      ['JK cat head weight', 32, 2], ['JK cat head bias', 1, 2],
    ]],
  ] as const) {
    it(`${what} on Karate: parameters named after the layer and PyG's attribute`, async () => {
      const t = new Trainer(new CpuBackend(), karate, { ...gcnKarate, ...(over as Partial<ModelSpec>) });
      t.step();
      const run = await exportRun(t);
      expect(shapes(run)).toEqual(expected);
      expect(run.layers.length).toBe(t.model.layerNames.length);
      if (what.startsWith('GIN')) {
        // Running statistics are state, not trained; after one epoch they moved off 0 and 1.
        const stats = run.parameters.filter((p) => !p.trainable).map((p) => p.name);
        expect(stats).toEqual(['layer 1 mlp norm 0 running_mean', 'layer 1 mlp norm 0 running_var']);
        expect(Array.from(run.parameters.find((p) => p.name.endsWith('running_var'))!.data).some((v) => v !== 1)).toBe(true);
      }
    });
  }

  it('graph classification (GIN on MUTAG): weights only, said so, readout named', async () => {
    const { s, exported } = session();
    const config: TrainConfig = { ...recipeConfig('mutag', 'gin'), backend: 'cpu', epochs: 2, layers: 2 };
    await s.init(config, mutagText);
    await s.step();
    await s.export();
    const run = exported()[0].m.run!;
    expect(run.task).toBe('graph');
    expect(run.epoch).toBe(1);
    expect(run.numFeatures).toBe(7);
    expect(run.layers).toEqual([]);
    expect(run.note).toBe(GRAPH_NOTE);
    // Two GIN layers of 32 with batch norm, then Xu et al.'s linear readout of the input and both layers.
    const names = run.parameters.map((p) => p.name);
    expect(names.filter((n) => n.startsWith('readout'))).toEqual(['readout 0 weight', 'readout 0 bias']);
    expect(run.parameters.find((p) => p.name === 'readout 0 weight')).toMatchObject({ rows: 7 + 32 + 32, cols: 2 });
    expect(run.parameters.find((p) => p.name === 'layer 1 mlp 0 weight')).toMatchObject({ rows: 7, cols: 32 });
    expect(new Set(names).size).toBe(names.length);
  });

  it('R-GCN on MUTAG: a weight per edge type', async () => {
    const set = parseGraphSetJson(mutagText);
    const t = new GraphTrainer(new CpuBackend(), set, { ...recipeConfig('mutag', 'rgcn'), epochs: 1, layers: 1 });
    const run = await exportRun(t);
    expect(run.epoch).toBe(0);
    expect(shapes(run).slice(0, 6)).toEqual([
      ['layer 1 weight 0', 7, 32], ['layer 1 weight 1', 7, 32], ['layer 1 weight 2', 7, 32], ['layer 1 weight 3', 7, 32],
      ['layer 1 root', 7, 32], ['layer 1 bias', 1, 32],
    ]);
  });

  it('an export after a new init belongs to the new run', async () => {
    const { s, exported } = session();
    await s.init(gcnKarate, karateText);
    await s.step();
    await s.init({ ...gcnKarate, layers: 3 }, karateText);
    await s.export();
    const run = exported()[0].m.run!;
    expect(run.epoch).toBe(0);
    expect(run.layers.map((l) => l.name)).toEqual(['layer 1', 'layer 2', 'layer 3']);
  });
});
